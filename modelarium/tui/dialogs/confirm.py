"""A yes/no question in a modal: `y` confirms; `n`, Esc or Enter on the focused Cancel declines."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from modelarium.terminal_text import terminal_text
from modelarium.tui.keys import bindings_for


class ConfirmDialog(ModalScreen[bool]):
    """Asks before something that cannot be undone; dismisses with True only on a clear yes."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("confirm-dialog"))
    AUTO_FOCUS = "#cancel"
    """Never the destructive answer, not even for the instant before `on_mount`."""

    def __init__(self, title: str, body: str, *, confirm_label: str = "Yes") -> None:
        super().__init__()
        self.title_text = title
        self.body_text = body
        self.confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            # Titles and bodies name models and hosts: plain, terminal-safe text, no markup.
            yield Static(terminal_text(self.title_text), classes="dialog-title", markup=False)
            yield Static(
                terminal_text(self.body_text, lines="keep"), classes="dialog-body", markup=False
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.confirm_label} (y)", variant="error", id="confirm")
                yield Button("Cancel (n)", id="cancel")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#cancel", Button))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")

    def action_answer(self, answer: bool) -> None:
        """Dismiss with the answer."""
        self.dismiss(answer)
