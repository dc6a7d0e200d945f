"""Delete a library element safely: show which Modelfiles use it before anything goes."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from modelarium.store.types import StoredElement
from modelarium.terminal_text import terminal_text
from modelarium.tui.dialogs.style import framed_dialog_css
from modelarium.tui.state import services_of


class DeleteElementDialog(ModalScreen[bool]):
    """Dismisses True once the element is deleted."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "cancel", "Keep"),
        Binding("y", "delete", "Delete"),
    ]
    DEFAULT_CSS = framed_dialog_css("DeleteElementDialog")

    def __init__(self, stored: StoredElement) -> None:
        super().__init__(classes="editor-dialog")
        self._stored = stored

    def compose(self) -> ComposeResult:
        stored = self._stored
        used = (
            "Used by: "
            + terminal_text(", ".join(stored.used_by))
            + ". Those Modelfiles lose this element."
            if stored.used_by
            else "No stored Modelfile uses it."
        )
        with Vertical(classes="dialog-body"):
            yield Label(
                f"Delete {stored.kind.value.upper()} {terminal_text(stored.name)}?",
                classes="dialog-title",
                markup=False,
            )
            yield Label(used, id="delete-used-by", classes="dialog-text", markup=False)
            yield Label("", id="delete-problem", classes="dialog-problem", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Delete (y)", variant="error", id="delete-yes")
                yield Button("Keep it (Esc)", id="delete-no")

    def on_mount(self) -> None:
        self.query_one("#delete-no", Button).focus()

    @on(Button.Pressed, "#delete-yes")
    def action_delete(self) -> None:
        """Delete the element (y, or the Delete button); Keep it has the focus, so Enter
        never deletes."""
        self._run_delete()

    @work(thread=True, exclusive=True, group="library-delete", exit_on_error=False)
    def _run_delete(self) -> None:
        try:
            services_of(self).library.get().delete_element(
                self._stored.id, force=bool(self._stored.used_by)
            )
        except Exception as error:  # the store's message names the element
            self.app.call_from_thread(
                self.query_one("#delete-problem", Label).update,
                terminal_text(f"Not deleted: {error}", lines="join"),
            )
            return
        self.app.call_from_thread(self.dismiss, True)

    @on(Button.Pressed, "#delete-no")
    def action_cancel(self) -> None:
        """Keep the element."""
        self.dismiss(False)
