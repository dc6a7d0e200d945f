"""The help screen: every key and action, generated from the key registry (complete from its
first import: no pane needs to be imported for its keys to be listed)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from modelarium.tui import keys


def help_table() -> Table:
    """One section per scope: keys, action, what it does."""
    table = Table(box=None, expand=True, show_header=False, padding=(0, 1))
    table.add_column("keys", style="bold", no_wrap=True, width=18)
    table.add_column("action", no_wrap=True, width=14)
    table.add_column("what it does", ratio=1)
    for index, scope in enumerate(keys.scopes()):
        if index:
            table.add_row("", "", "")
        table.add_row(Text(keys.SCOPE_TITLES.get(scope, scope), style="bold underline"), "", "")
        for action in keys.registered(scope):
            table.add_row(action.key_display or "palette", action.description, action.explanation)
    return table


class HelpScreen(ModalScreen[None]):
    """Keys and actions of every pane; Esc, F1 or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = list(keys.bindings_for("help-screen"))

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(
                "Modelarium keys  —  ctrl+p searches every action  ·  Esc closes this help",
                id="help-title",
            )
            yield Static(help_table(), id="help-table")

    def action_dismiss_help(self) -> None:
        """Close the help screen."""
        self.dismiss(None)
