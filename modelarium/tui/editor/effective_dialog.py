"""The editor's effective settings: every setting the text would create a model with, and where
each value comes from (this text's line N, the FROM model on the host, Ollama's default), by
the core's `effective_settings` as `modelarium modelfile effective` prints it."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from modelarium.terminal_text import terminal_text
from modelarium.tui.keys import bindings_for
from modelarium.tui.widgets.effective_text import effective_text

if TYPE_CHECKING:
    from modelarium.modelfile import EffectiveSetting


def effective_heading(
    model: str | None, host: str | None, facts_known: bool, note: str | None
) -> str:
    """What the settings are laid over, or why the FROM model's values are missing."""
    if model is None:
        return "This text has no FROM line: only its own settings and Ollama's defaults."
    if facts_known and host is not None:
        return f"This text over {model} on {host}."
    reason = note or "no host answers yet"
    return f"This text over {model}, whose own values are not known: {reason}."


class EffectiveSettingsDialog(ModalScreen[None]):
    """Read-only: the settings, their values and origins; Esc or q closes."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("effective-dialog"))

    def __init__(self, heading: str, settings: tuple[EffectiveSetting, ...]) -> None:
        super().__init__()
        self.heading = heading
        self.settings = settings

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="effective-dialog"):
            yield Static(Text("Effective settings", style="bold"), classes="dialog-title")
            yield Static(Text(terminal_text(self.heading)), id="effective-heading")
            with VerticalScroll(id="effective-scroll"):
                yield Static(effective_text(self.settings), id="effective-body")
            yield Static(Text("Esc closes", style="dim"))

    def action_close(self) -> None:
        """Close the view."""
        self.dismiss(None)
