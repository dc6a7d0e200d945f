"""Edit an element's tags: `family:qwen use_case:code my-tag`, space or comma separated."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from modelarium.store.tags import parse_tags
from modelarium.store.types import StoredElement, Tag
from modelarium.terminal_text import terminal_text
from modelarium.tui.dialogs.style import framed_dialog_css
from modelarium.tui.state import services_of


class TagsDialog(ModalScreen[bool]):
    """Dismisses True when the tags were saved."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = framed_dialog_css("TagsDialog")

    def __init__(self, stored: StoredElement) -> None:
        super().__init__(classes="editor-dialog")
        self._stored = stored

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-body"):
            yield Label(
                f"Tags of {terminal_text(self._stored.name)}", classes="dialog-title", markup=False
            )
            yield Label(
                "family:NAME, use_case:NAME, source:NAME or a free word", classes="dialog-hint"
            )
            yield Input(
                terminal_text(" ".join(str(tag) for tag in self._stored.tags)), id="tags-input"
            )
            yield Label("", id="tags-problem", classes="dialog-problem", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (Enter)", variant="primary", id="tags-save")
                yield Button("Cancel (Esc)", id="tags-cancel")

    def on_mount(self) -> None:
        self.query_one("#tags-input", Input).focus()

    @on(Input.Submitted, "#tags-input")
    @on(Button.Pressed, "#tags-save")
    def _save(self) -> None:
        self._write(parse_tags(self.query_one("#tags-input", Input).value))

    @work(thread=True, exclusive=True, group="library-tags", exit_on_error=False)
    def _write(self, tags: tuple[Tag, ...]) -> None:
        try:
            services_of(self).library.get().set_tags(self._stored.id, tags)
        except Exception as error:  # the store's message names the element
            self.app.call_from_thread(
                self.query_one("#tags-problem", Label).update,
                terminal_text(f"Not saved: {error}", lines="join"),
            )
            return
        self.app.call_from_thread(self.dismiss, True)

    @on(Button.Pressed, "#tags-cancel")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(False)
