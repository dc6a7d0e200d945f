"""The one registry of keys and actions: bindings, the command palette and help all read it.

Each `KeyAction` names a Textual action on the widget of its `scope` (the app, or a pane), the
keys that run it, and how it is described. A widget takes its bindings with
`bindings_for(scope)`; the palette offers every registered action (running it on the scope's
widget), and the help screen lists them grouped by scope. Every action is declared in
`keymap` (the app and panes) or `keymap_dialogs` (dialogs and screens) and registered here at
the first import, so the registry is complete before any pane is imported: the help needs no
pane to list its keys.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widget import Widget

from modelarium.tui.key_action import KeyAction as KeyAction
from modelarium.tui.key_action import display_key as display_key
from modelarium.tui.keymap import FOOTER_KEEP, PANE_ACTIONS
from modelarium.tui.keymap_dialogs import DIALOG_ACTIONS

SCOPE_TITLES: dict[str, str] = {
    "app": "Everywhere",
    "models": "Models pane",
    "library": "Library pane",
    "editor": "Editor pane",
    "dashboard": "Dashboard pane",
    "wizard": "Model creation wizard",
    "confirm-dialog": "Confirm dialog",
    "name-dialog": "Name prompt (copy, pull)",
    "transfer-dialog": "Pull / push progress",
    "extract-dialog": "Extract preview",
    "compare-dialog": "Model comparison",
    "apply-dialog": "Apply lines to models",
    "drafts-dialog": "Drafts",
    "save-dialog": "Save to the library",
    "import-dialog": "Import a pasted Modelfile",
    "path-dialog": "File path (open, export)",
    "overwrite-dialog": "Overwrite or replace?",
    "knowledge-dialog": "Model settings (curated)",
    "effective-dialog": "Effective settings (editor)",
    "hosts-screen": "Hosts screen",
    "host-form": "Host form",
    "help-screen": "Help screen",
    "trials-screen": "Trials view",
    "trial-cell-dialog": "Trial answers",
}
"""Help-screen headings, in display order; a scope not listed here is shown after these."""


def shown_key(scope: str, action: str) -> str:
    """The first key of a registered action as shown to people (`^d`), for notices and hints
    that name the key; empty when the action has no key."""
    for known in registered(scope):
        if known.action == action and known.keys:
            return display_key(known.keys.split(",")[0])
    return ""


def footer_keep(scope: str) -> tuple[str, ...]:
    """The actions the footer keeps on a narrow terminal when `scope`'s keys show, most
    useful first (`keymap.FOOTER_KEEP`); empty when the scope has no such order (the footer
    then ranks `keymap.PANE_KEYS_FIRST`)."""
    return FOOTER_KEEP.get(scope, ())


def typing_in_text_box(focused: Widget | None) -> bool:
    """Whether keys now go into text (an Input or an editable TextArea has the focus)."""
    # Imported here: TextArea is not part of the first paint.
    from textual.widgets import Input, TextArea

    if isinstance(focused, Input):
        return True
    return isinstance(focused, TextArea) and not focused.read_only


_REGISTRY: list[KeyAction] = []


def register(*actions: KeyAction) -> None:
    """Add actions to the registry; re-registering the same scope and action replaces it where
    it stands (so a module that still declares a key the keymap holds keeps the help's order)."""
    for new_action in actions:
        same = (new_action.scope, new_action.action)
        index = next(
            (i for i, known in enumerate(_REGISTRY) if (known.scope, known.action) == same), None
        )
        if index is None:
            _REGISTRY.append(new_action)
        else:
            _REGISTRY[index] = new_action


def registered(scope: str | None = None) -> tuple[KeyAction, ...]:
    """Every registered action (of one scope, when given), in registration order."""
    return tuple(action for action in _REGISTRY if scope is None or action.scope == scope)


def scopes() -> tuple[str, ...]:
    """Scopes with at least one action, in help-screen order."""
    present = {action.scope for action in _REGISTRY}
    ordered = [scope for scope in SCOPE_TITLES if scope in present]
    return (*ordered, *sorted(present - set(ordered)))


def bindings_for(scope: str) -> list[Binding]:
    """Textual bindings of a scope's actions (those with keys); an action's `early_keys` get a
    binding of their own with priority."""
    bindings: list[Binding] = []
    for action in registered(scope):
        early = [key for key in action.early_keys.split(",") if key]
        own = [key for key in action.keys.split(",") if key and key not in early]
        for keys, priority in ((own, action.priority), (early, True)):
            if keys:
                bindings.append(
                    Binding(
                        ",".join(keys),
                        action.action,
                        action.description,
                        show=action.show,
                        priority=priority,
                        tooltip=action.explanation,
                    )
                )
    return bindings


register(*PANE_ACTIONS, *DIALOG_ACTIONS)
