"""Effective settings as text: one line per setting (name, value), where it comes from beneath
it, so the list reads in a narrow pane. The Models pane's details and the editor's effective
settings view both draw it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from modelarium.terminal_text import terminal_text

if TYPE_CHECKING:
    from modelarium.modelfile import EffectiveSetting

EFFECTIVE_STYLES: Mapping[str, str] = {
    "modelfile": "bold",
    "inherited": "cyan",
    "default": "dim",
    "unset": "dim",
}

EFFECTIVE_VALUE_CHARACTERS = 60
"""Longer values (a TEMPLATE, a SYSTEM) show their start; the elements show them whole."""


def effective_value(value: str | tuple[str, ...] | None) -> str:
    """A setting's value on one line, terminal-safe and cut to `EFFECTIVE_VALUE_CHARACTERS`."""
    if value is None:
        return "—"
    shown = ", ".join(repr(v) for v in value) if isinstance(value, tuple) else value
    first, _, rest = shown.strip().partition("\n")
    safe_text = terminal_text(first)
    if rest or len(safe_text) > EFFECTIVE_VALUE_CHARACTERS:
        return safe_text[: EFFECTIVE_VALUE_CHARACTERS - 1] + "…"
    return safe_text


def effective_text(settings: Sequence[EffectiveSetting]) -> Text:
    """Every setting: its name and value, its origin (and a running context) beneath."""
    body = Text()
    for index, setting in enumerate(settings):
        if index:
            body.append("\n")
        body.append(terminal_text(setting.name), style="bold")
        body.append("  ")
        body.append(effective_value(setting.value), style=EFFECTIVE_STYLES.get(setting.source, ""))
        body.append("\n    " + terminal_text(setting.origin), style="dim")
        if setting.running:
            body.append("\n    " + terminal_text(setting.running), style="yellow")
    return body
