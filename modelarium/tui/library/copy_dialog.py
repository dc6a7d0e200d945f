"""Curated elements are read-only: offer an editable copy under a new name instead."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from modelarium.store.types import StoredElement
from modelarium.terminal_text import terminal_text
from modelarium.tui.dialogs.style import framed_dialog_css
from modelarium.tui.state import services_of


class CopyCuratedDialog(ModalScreen[int | None]):
    """Dismisses with the id of the new, editable copy (or None)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = framed_dialog_css("CopyCuratedDialog")

    def __init__(self, stored: StoredElement, wanted: str) -> None:
        super().__init__(classes="editor-dialog")
        self._stored = stored
        self._wanted = wanted

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-body"):
            yield Label(
                f"{terminal_text(self._stored.name)} is curated and read-only, so it cannot be "
                f"{self._wanted}.",
                classes="dialog-title",
                markup=False,
            )
            yield Label("Make your own editable copy under this name:", classes="dialog-hint")
            yield Input(f"{terminal_text(self._stored.name)} (my copy)", id="copy-name")
            yield Label("", id="copy-problem", classes="dialog-problem", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Copy (Enter)", variant="primary", id="copy-go")
                yield Button("Cancel (Esc)", id="copy-cancel")

    def on_mount(self) -> None:
        self.query_one("#copy-name", Input).focus()

    @on(Input.Submitted, "#copy-name")
    @on(Button.Pressed, "#copy-go")
    def _go(self) -> None:
        name = self.query_one("#copy-name", Input).value.strip()
        if not name:
            self.query_one("#copy-problem", Label).update("Type a name for the copy")
            return
        self._copy(name)

    @work(thread=True, exclusive=True, group="library-copy", exit_on_error=False)
    def _copy(self, name: str) -> None:
        try:
            copied = services_of(self).library.get().copy_element(self._stored.id, name)
        except Exception as error:  # the store's message names the element
            self.app.call_from_thread(
                self.query_one("#copy-problem", Label).update,
                terminal_text(f"Not copied: {error}", lines="join"),
            )
            return
        self.app.call_from_thread(self.dismiss, copied.id)

    @on(Button.Pressed, "#copy-cancel")
    def action_cancel(self) -> None:
        """Close without copying."""
        self.dismiss(None)
