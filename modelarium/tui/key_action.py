"""`KeyAction`, one user action of the key registry, and how keys are shown to people.

Plain data with no registry of its own, so the declarations (`keymap`, `keymap_dialogs`) and the
registry (`keys`) both import it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass


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
    early_keys: str = ""
    """Those of `keys` that run before the focused widget sees them although the action is
    not `priority`: an F key that a focused widget binds for itself (Textual's TextArea takes
    F6 to select a line) while the plain digit beside it must still type."""

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
