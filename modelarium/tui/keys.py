"""The one registry of keys and actions: bindings, the command palette and help all read it.

Each `KeyAction` names a Textual action on the widget of its `scope` (the app, or a pane), the
keys that run it, and how it is described. A widget takes its bindings with
`bindings_for(scope)`; the palette offers every registered action (running it on the scope's
widget), and the help screen lists them grouped by scope. Panes owned by other modules register
their own actions at import time with `register(...)` and take their bindings the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.widget import Widget

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
    "hosts-screen": "Hosts screen",
    "host-form": "Host form",
    "help-screen": "Help screen",
    "trials-screen": "Trials view",
    "trial-cell-dialog": "Trial answers",
}
"""Help-screen headings, in display order; a scope not listed here is shown after these."""


@dataclass(frozen=True, slots=True)
class KeyAction:
    """One user action: what it does, where it lives, which keys run it."""

    scope: str
    """`app` or the id of the pane whose widget implements it (`models`, `library`, `editor`)."""
    action: str
    """Textual action string run on the scope's widget, e.g. `extract` or `show_pane('models')`."""
    keys: str
    """Textual key list (`"1,f2"`); empty for palette-only actions."""
    description: str
    """Short label for the footer and help."""
    help: str = ""
    """One sentence for the palette and help screen (defaults to the description)."""
    show: bool = True
    """Show in the footer."""
    priority: bool = False
    """Binding runs when the key arrives, before the focused widget sees it: for keys a text
    box would otherwise take (the TextArea's own ctrl+e/ctrl+d; alt+letter, which terminals
    and tmux send as Esc + letter and Textual delivers with the plain letter as its text, so a
    focused text box would type it), for keys that open a dialog from a text box (ctrl+s in
    the editor) and keys that move the focus into one (`/`), so that keys typed right after
    them land in the dialog or the box, not in the text they left. A printable key must still
    let typing win: its action raises `SkipAction` while a text box has the focus
    (`typing_in_text_box`)."""
    palette: bool = True
    """Offer in the command palette."""

    @property
    def explanation(self) -> str:
        """The longer text, falling back to the short description."""
        return self.help or self.description

    @property
    def key_display(self) -> str:
        """Keys for people: `1 / F2`, `ctrl+t` -> `^t`."""
        return " / ".join(display_key(key) for key in self.keys.split(",") if key)


_KEY_NAMES = {
    "delete": "Del",
    "enter": "Enter",
    "escape": "Esc",
    "space": "Space",
    "slash": "/",
    "question_mark": "?",
    "equals_sign": "=",
    "tab": "Tab",
}


def display_key(key: str) -> str:
    """A Textual key name as shown to people (`ctrl+t` -> `^t`, `f2` -> `F2`)."""
    key = key.strip()
    if key.startswith("ctrl+"):
        return "^" + display_key(key.removeprefix("ctrl+"))
    if key.startswith("shift+"):
        return "⇧" + display_key(key.removeprefix("shift+"))
    if len(key) > 1 and key[0] == "f" and key[1:].isdigit():
        return key.upper()
    return _KEY_NAMES.get(key, key)


def shown_key(scope: str, action: str) -> str:
    """The first key of a registered action as shown to people (`^d`), for notices and hints
    that name the key; empty when the action has no key."""
    for known in registered(scope):
        if known.action == action and known.keys:
            return display_key(known.keys.split(",")[0])
    return ""


def typing_in_text_box(focused: Widget | None) -> bool:
    """Whether keys now go into text (an Input or an editable TextArea has the focus)."""
    # Imported here: TextArea is not part of the first paint.
    from textual.widgets import Input, TextArea

    if isinstance(focused, Input):
        return True
    return isinstance(focused, TextArea) and not focused.read_only


_REGISTRY: list[KeyAction] = []


def register(*actions: KeyAction) -> None:
    """Add actions to the registry; re-registering the same scope and action replaces it."""
    for new_action in actions:
        _REGISTRY[:] = [
            known
            for known in _REGISTRY
            if (known.scope, known.action) != (new_action.scope, new_action.action)
        ]
        _REGISTRY.append(new_action)


def registered(scope: str | None = None) -> tuple[KeyAction, ...]:
    """Every registered action (of one scope, when given), in registration order."""
    return tuple(action for action in _REGISTRY if scope is None or action.scope == scope)


def scopes() -> tuple[str, ...]:
    """Scopes with at least one action, in help-screen order."""
    present = {action.scope for action in _REGISTRY}
    ordered = [scope for scope in SCOPE_TITLES if scope in present]
    return (*ordered, *sorted(present - set(ordered)))


def bindings_for(scope: str) -> list[Binding]:
    """Textual bindings of a scope's actions (those with keys)."""
    return [
        Binding(
            action.keys,
            action.action,
            action.description,
            show=action.show,
            priority=action.priority,
            tooltip=action.explanation,
        )
        for action in registered(scope)
        if action.keys
    ]


register(
    KeyAction("app", "show_pane('models')", "1,f2", "Models", "Show the Models pane"),
    KeyAction("app", "show_pane('library')", "2,f3", "Library", "Show the element Library pane"),
    KeyAction("app", "show_pane('editor')", "3,f4", "Editor", "Show the Modelfile Editor pane"),
    KeyAction(
        "app",
        "show_pane('dashboard')",
        "4,f6",
        "Dashboard",
        "Show every host and every loaded model (memory, context, unload countdown)",
        show=False,
    ),
    KeyAction(
        "app",
        "open_wizard",
        "",
        "New model (wizard)",
        "Create a model step by step: base, use case, parameters, prompt, template, review",
    ),
    KeyAction("app", "help", "f1,question_mark", "Help", "Show every key and action"),
    KeyAction(
        "app", "command_palette", "ctrl+p", "Palette", "Search and run any action", palette=False
    ),
    KeyAction("app", "toggle_theme", "ctrl+t", "Theme", "Switch between the dark and light theme"),
    KeyAction(
        "app",
        "use_demo_host",
        "f9",
        "Demo host",
        "Switch to the built-in demo Ollama host (seeded Llama, Mistral, Qwen, Granite models)",
        show=False,
    ),
    KeyAction(
        "app", "check_hosts", "f5", "Check hosts", "Check every host's health now", show=False
    ),
    KeyAction(
        "app",
        "edit_hosts",
        "H",
        "Hosts",
        "Add, edit, reorder or remove the hosts in the settings file",
        show=False,
    ),
    KeyAction(
        "app",
        "show_drafts",
        "ctrl+d,alt+d",
        "Drafts",
        "Resume or discard the editor's autosaved drafts (from any pane)",
        show=False,
        priority=True,
    ),
    KeyAction("app", "quit", "ctrl+q", "Quit", "Quit Modelarium", priority=True),
    KeyAction(
        "models", "focus_filter", "slash", "Filter", "Filter models as you type", priority=True
    ),
    KeyAction(
        "models",
        "focus_table",
        "escape",
        "Table",
        "Back to the model table (from the filter or the details)",
        show=False,
        palette=False,
    ),
    KeyAction(
        "models",
        "filter_to_table",
        "down",
        "Table",
        "From the filter down into the table (the keys typed next go to the table)",
        show=False,
        priority=True,
        palette=False,
    ),
    KeyAction(
        "models",
        "focus_details",
        "enter",
        "Details",
        "Move into the highlighted model's details (to scroll them)",
        show=False,
        palette=False,
    ),
    KeyAction("models", "toggle_select", "space", "Select", "Select or unselect the model"),
    KeyAction("models", "select_all", "a", "All", "Select all shown models, or none if all are"),
    KeyAction("models", "cycle_sort", "s", "Sort", "Sort by name, size, modified, family in turn"),
    KeyAction("models", "reverse_sort", "S", "Reverse", "Reverse the sort order", show=False),
    KeyAction("models", "cycle_host", "h", "Host", "Show all hosts or one host in turn"),
    KeyAction(
        "models",
        "extract",
        "x",
        "Extract",
        "Extract the selected models' elements into the library (preview first)",
    ),
    KeyAction(
        "models",
        "compare_models",
        "equals_sign",
        "Compare",
        "Compare two models element by element (the two selected, or one selected and the "
        "highlighted one)",
        show=False,
    ),
    KeyAction(
        "models",
        "apply_lines",
        "b",
        "Batch apply",
        "Lay the same PARAMETER/SYSTEM/… lines over the selected models (preview, then create)",
        show=False,
    ),
    KeyAction("models", "open_in_editor", "e", "Edit", "Open the model's Modelfile in the editor"),
    KeyAction("models", "copy_model", "c", "Copy", "Copy the model under a new name"),
    KeyAction(
        "models", "delete_models", "delete,D", "Delete", "Delete the selected models (asks first)"
    ),
    KeyAction("models", "pull_model", "p", "Pull", "Pull a model from the registry, with progress"),
    KeyAction(
        "models",
        "update_models",
        "U",
        "Update",
        "Pull the selected models again, one after another (newest version from the registry)",
        show=False,
    ),
    KeyAction(
        "models",
        "push_model",
        "P",
        "Push",
        "Push the model to its registry, with progress",
        show=False,
    ),
    KeyAction(
        "models",
        "load_models",
        "l",
        "Load",
        "Load the selected (or highlighted) models into memory now",
        show=False,
    ),
    KeyAction(
        "models",
        "unload_models",
        "u",
        "Unload",
        "Free the memory of the selected (or highlighted) loaded models",
        show=False,
    ),
    KeyAction("models", "refresh", "r", "Refresh", "Reload the model list from every host"),
    KeyAction(
        "models",
        "app.open_wizard_here",
        "w",
        "Wizard",
        "Create a new model from the highlighted one with the step-by-step wizard",
        show=False,
    ),
    KeyAction(
        "library",
        "app.open_wizard_here",
        "w",
        "Wizard",
        "Create a new model with the highlighted parameter set (step-by-step wizard)",
        show=False,
    ),
    KeyAction(
        "models",
        "app.open_trials",
        "t",
        "Trials",
        "Try the selected models' settings with the probes (the Trials view)",
        show=False,
    ),
    KeyAction(
        "models",
        "app.use_demo_host",
        "d",
        "Demo host",
        "Switch to the built-in demo host (the one key offered when no host answers)",
        show=False,
        palette=False,
    ),
)
register(
    KeyAction("confirm-dialog", "answer(True)", "y", "Yes", "Do it", palette=False),
    KeyAction(
        "confirm-dialog",
        "answer(False)",
        "n,escape",
        "No",
        "Leave things as they are",
        palette=False,
    ),
    KeyAction(
        "name-dialog",
        "cancel",
        "escape",
        "Cancel",
        "Close without a name (Enter accepts)",
        palette=False,
    ),
    KeyAction(
        "transfer-dialog",
        "cancel",
        "escape",
        "Cancel / close",
        "Stop the transfer, or close after a failure",
        palette=False,
    ),
    KeyAction(
        "transfer-dialog", "retry", "r", "Retry", "Start a failed transfer again", palette=False
    ),
    KeyAction(
        "extract-dialog",
        "save",
        "ctrl+s",
        "Save",
        "Save the ticked elements with the tags typed (Space ticks)",
        palette=False,
    ),
    KeyAction(
        "extract-dialog",
        "cancel",
        "escape",
        "Cancel",
        "Close without saving anything",
        palette=False,
    ),
    KeyAction(
        "compare-dialog", "close", "escape,q", "Close", "Close the comparison", palette=False
    ),
    KeyAction(
        "apply-dialog",
        "apply",
        "ctrl+s",
        "Apply",
        "Create every model as previewed (only when all are fine)",
        palette=False,
    ),
    KeyAction(
        "apply-dialog", "cancel", "escape", "Cancel", "Close without creating", palette=False
    ),
    KeyAction(
        "drafts-dialog",
        "resume",
        "enter",
        "Resume",
        "Open the highlighted draft in the editor",
        palette=False,
    ),
    KeyAction(
        "drafts-dialog",
        "discard",
        "delete",
        "Discard",
        "Discard the highlighted draft (Del only: no letter key discards)",
        palette=False,
    ),
    KeyAction(
        "drafts-dialog", "cancel", "escape", "Close", "Close, keeping every draft", palette=False
    ),
    KeyAction(
        "save-dialog",
        "save",
        "ctrl+s",
        "Save",
        "Save the ticked elements (Enter in the name or tags box saves too; Space ticks)",
        palette=False,
    ),
    KeyAction(
        "save-dialog", "cancel", "escape", "Cancel", "Close; nothing is saved", palette=False
    ),
    KeyAction(
        "import-dialog",
        "accept",
        "ctrl+s",
        "Open",
        "Open the pasted Modelfile in the editor",
        palette=False,
    ),
    KeyAction(
        "import-dialog",
        "save_to_library",
        "ctrl+l,alt+l",
        "Save to library",
        "Save the parsed elements to the library (preview first); the editor is not touched",
        palette=False,
        priority=True,
    ),
    KeyAction(
        "import-dialog", "cancel", "escape", "Cancel", "Close; nothing changes", palette=False
    ),
    KeyAction(
        "path-dialog",
        "confirm",
        "enter",
        "OK",
        "Use the path typed (open or export)",
        show=False,
        palette=False,
    ),
    KeyAction("path-dialog", "cancel", "escape", "Cancel", "Close without a path", palette=False),
    KeyAction(
        "overwrite-dialog",
        "answer(True)",
        "y",
        "Yes",
        "Overwrite the file, or replace the text",
        palette=False,
    ),
    KeyAction(
        "overwrite-dialog",
        "answer(False)",
        "n,escape",
        "No",
        "Keep the file or the text (also Enter: the focused default)",
        palette=False,
    ),
    KeyAction(
        "help-screen",
        "dismiss_help",
        "escape,f1,q,question_mark",
        "Close",
        "Close the help screen",
        palette=False,
    ),
)
register(
    KeyAction(
        "models",
        "knowledge",
        "k",
        "Settings",
        "The curated settings for the model side by side: vendor, Ollama, engine, measured",
        show=False,
    ),
    KeyAction("knowledge-dialog", "cycle_use_case", "u", "Use case", "Show the next use case"),
    KeyAction(
        "knowledge-dialog",
        "show_in_library",
        "l",
        "In library",
        "Show the curated elements that apply to this model in the Library",
    ),
    KeyAction(
        "knowledge-dialog", "close", "escape,q", "Close", "Close the settings view", palette=False
    ),
)
register(
    KeyAction(
        "trials-screen", "run", "r", "Run", "Run the picked probes on every variant", palette=False
    ),
    KeyAction(
        "trials-screen",
        "cancel_or_close",
        "escape",
        "Cancel / close",
        "Cancel the running trial (its temporary models are removed), or close the view",
        palette=False,
    ),
    KeyAction(
        "trials-screen",
        "save_settings",
        "s",
        "Save settings",
        "Save the highlighted cell's variant settings as a library element",
        palette=False,
    ),
    KeyAction(
        "trials-screen",
        "open_in_editor",
        "e",
        "Open in editor",
        "Open a Modelfile of the highlighted cell's model and variant in the editor",
        palette=False,
    ),
    KeyAction(
        "trial-cell-dialog", "close", "escape,q", "Close", "Close the answers", palette=False
    ),
)

# The hosts screen's keys live here so that the help screen lists them before it is opened.
register(
    KeyAction("hosts-screen", "add", "a", "Add", "Add a host (lowest priority)"),
    KeyAction("hosts-screen", "edit", "e", "Edit", "Change the selected host (Enter too)"),
    KeyAction("hosts-screen", "remove", "delete", "Remove", "Remove the selected host"),
    KeyAction("hosts-screen", "move(-1)", "K,ctrl+up", "Up", "Give the host a higher priority"),
    KeyAction("hosts-screen", "move(1)", "J,ctrl+down", "Down", "Give the host a lower priority"),
    KeyAction("hosts-screen", "close", "escape", "Close", "Close the hosts screen"),
    KeyAction("host-form", "save", "ctrl+s", "Save", "Save the host (Enter in the last box too)"),
    KeyAction("host-form", "cancel", "escape", "Cancel", "Close without saving"),
)

