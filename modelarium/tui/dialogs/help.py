"""The help screen: every key and action, generated from the key registry (complete from its
first import: no pane needs to be imported for its keys to be listed)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from modelarium.tui import keys
from modelarium.tui.key_action import KeyAction


def help_table(scopes: Sequence[str] | None = None) -> Table:
    """Keys, action, what it does, for the actions of `scopes` (every scope by default).

    The key and action columns are as wide as their longest entry over every scope, so each
    section's columns line up and no name is cut; only the explanation wraps.
    """
    every = [action for scope in keys.scopes() for action in keys.registered(scope)]
    table = Table(box=None, expand=True, show_header=False, padding=(0, 1))
    table.add_column("keys", style="bold", no_wrap=True, width=_widest(map(_key_text, every)))
    table.add_column("action", no_wrap=True, width=_widest(a.description for a in every))
    table.add_column("what it does", ratio=1)
    for scope in keys.scopes() if scopes is None else scopes:
        for action in keys.registered(scope):
            table.add_row(_key_text(action), action.description, action.explanation)
    return table


def help_sections() -> Group:
    """One section per scope: its title on a line of its own (never cut to a column's width),
    then its keys."""
    parts: list[RenderableType] = []
    for index, scope in enumerate(keys.scopes()):
        if index:
            parts.append(Text(""))
        parts.append(Text(keys.SCOPE_TITLES.get(scope, scope), style="bold underline"))
        parts.append(help_table((scope,)))
    return Group(*parts)


def _widest(texts: Iterable[str]) -> int:
    """The width in cells of the widest of `texts`."""
    return max((cell_len(text) for text in texts), default=1)


def _key_text(action: KeyAction) -> str:
    """The keys as shown in the help, or `palette` for an action with no key."""
    return action.key_display or "palette"


class HelpScreen(ModalScreen[None]):
    """Keys and actions of every pane; Esc, F1 or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = list(keys.bindings_for("help-screen"))

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(
                "Modelarium keys  —  ctrl+p searches every action  ·  Esc closes this help",
                id="help-title",
            )
            yield Static(help_sections(), id="help-table")

    def action_dismiss_help(self) -> None:
        """Close the help screen."""
        self.dismiss(None)
