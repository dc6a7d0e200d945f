"""Editor file dialogs: ask for a path, confirm overwriting an existing file.

Each shows its keys on its buttons; the questions start on the answer that keeps things as
they are, so Enter never overwrites or replaces.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from modelarium.tui.keys import bindings_for, shown_key


class PathDialog(ModalScreen[Path | None]):
    """Ask for a file path (`~` expanded); Enter confirms, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("path-dialog"))

    def __init__(self, title: str, initial: str, confirm_label: str) -> None:
        super().__init__(classes="editor-dialog")
        self._title = title
        self._initial = initial
        self._confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-body"):
            yield Label(self._title, classes="dialog-title", markup=False)
            yield Input(self._initial, placeholder="path/to/Modelfile", id="path-input")
            yield Label("", id="path-problem", classes="dialog-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self._confirm_label} (Enter)", variant="primary", id="path-ok")
                yield Button("Cancel (Esc)", id="path-cancel")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#path-input", Input))

    @on(Input.Submitted, "#path-input")
    @on(Button.Pressed, "#path-ok")
    def action_confirm(self) -> None:
        """Close with the path typed (a message in the dialog when there is none)."""
        raw = self.query_one("#path-input", Input).value.strip()
        if not raw:
            self.query_one("#path-problem", Label).update("Type a file path")
            return
        self.dismiss(Path(raw).expanduser())

    @on(Button.Pressed, "#path-cancel")
    def action_cancel(self) -> None:
        """Close without a path."""
        self.dismiss(None)


class ConfirmOverwrite(ModalScreen[bool]):
    """Ask before replacing an existing file."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("overwrite-dialog"))
    AUTO_FOCUS = "#overwrite-no"

    def __init__(self, path: Path) -> None:
        super().__init__(classes="editor-dialog")
        self._path = path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-body"):
            yield Label(f"{self._path} exists. Overwrite it?", classes="dialog-title", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Overwrite (y)", variant="warning", id="overwrite-yes")
                yield Button("Keep it (n / Esc)", id="overwrite-no")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#overwrite-no", Button))

    @on(Button.Pressed, "#overwrite-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#overwrite-no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_answer(self, overwrite: bool) -> None:
        """Dismiss with the answer."""
        self.dismiss(overwrite)


class ConfirmDiscard(ModalScreen[bool]):
    """Ask before replacing editor text that cannot be kept as a draft."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("overwrite-dialog"))
    AUTO_FOCUS = "#discard-no"

    def __init__(self, reason: str) -> None:
        super().__init__(classes="editor-dialog")
        self._reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-body"):
            yield Label(
                "The current text cannot be kept as a draft. Replace it anyway?",
                classes="dialog-title",
            )
            yield Label(self._reason, classes="dialog-problem", markup=False)
            yield Label(
                "Keep it and export it first with "
                f"{shown_key('editor', 'export_file')} to be safe.",
                classes="dialog-hint",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Replace (y)", variant="warning", id="discard-yes")
                yield Button("Keep my text (n / Esc)", id="discard-no")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#discard-no", Button))

    @on(Button.Pressed, "#discard-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#discard-no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_answer(self, replace: bool) -> None:
        """Dismiss with the answer."""
        self.dismiss(replace)
