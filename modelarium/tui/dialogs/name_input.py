"""Ask for a model name (copy target, model to pull): validated as you type."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from modelarium.terminal_text import terminal_text
from modelarium.tui.keys import bindings_for

HINT = "Enter to accept, Esc to cancel"
"""The prompt's keys, shown below the box (after the problem, while the name has one)."""

NameCheck = Callable[[str], str | None]
"""Returns why a name is unacceptable, or None when it is fine."""


class NameDialog(ModalScreen[str | None]):
    """A single-line name prompt; Enter accepts a valid name, Esc cancels (None)."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("name-dialog"))

    def __init__(
        self, title: str, *, value: str = "", placeholder: str = "", check: NameCheck | None = None
    ) -> None:
        super().__init__()
        self.title_text = title
        self.initial_value = value
        self.placeholder = placeholder
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            # The title names a model and a host: plain, terminal-safe text, no markup.
            yield Static(terminal_text(self.title_text), classes="dialog-title", markup=False)
            yield Input(self.initial_value, placeholder=self.placeholder, id="name-input")
            yield Static(HINT, id="name-problem", classes="dialog-hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one(Input))

    def _problem(self, value: str) -> str | None:
        if not value.strip():
            return "a name is required"
        return self.check(value.strip()) if self.check else None

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        problem = self._problem(event.value)
        hint = self.query_one("#name-problem", Static)
        hint.update(f"{terminal_text(problem)}  ·  Esc cancels" if problem else HINT)
        hint.set_class(problem is not None, "problem")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        problem = self._problem(event.value)
        if problem is None:
            self.dismiss(event.value.strip())
        else:
            self.query_one("#name-problem", Static).update(f"{problem}  ·  Esc cancels")

    def action_cancel(self) -> None:
        """Dismiss without a name."""
        self.dismiss(None)
