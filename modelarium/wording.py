"""How quantities are worded for people, once for the CLI and the TUI.

Sizes follow Ollama's `format.HumanBytes`, so a model's size reads the same here as in
`ollama list` and `ollama ps`: decimal units (1 KB = 1000 B); whole units from 10 up
(`366 MB`, `14 GB`, truncated as Go's `int()` does); below 10 one decimal unless the value is
whole (`1.2 KB`, `4.7 GB`, `2 GB`); plain bytes under 1 KB (`999 B`). Counts (`3 models`),
relative times (`3 days ago`) and one-line element summaries (`SYSTEM  You are… (4 lines)`)
live here too, so a pane and a command never word the same thing two ways. Pure, with no
imports at run time, so every layer may import it at no start-up cost.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's own flag, without importing typing (start-up)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

_UNITS: tuple[tuple[int, str], ...] = (
    (1000**4, "TB"),
    (1000**3, "GB"),
    (1000**2, "MB"),
    (1000, "KB"),
)


def human_bytes(size: int) -> str:
    """`size` bytes as Ollama's `HumanBytes` prints them: `999 B`, `1.2 KB`, `366 MB`, `2 GB`."""
    for scale, unit in _UNITS:
        if size >= scale:
            value = size / scale
            if value >= 10 or value.is_integer():
                return f"{int(value)} {unit}"
            return f"{value:.1f} {unit}"
    return f"{size} B"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` and `noun`, in the plural (`plural`, else noun + "s") unless count is 1."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


_AGES: tuple[tuple[float, int, str], ...] = (
    (60, 1, ""),
    (3600, 60, "minute"),
    (86400, 3600, "hour"),
    (86400 * 30, 86400, "day"),
    (86400 * 365, 86400 * 30, "month"),
    (float("inf"), 86400 * 365, "year"),
)
"""(below this many seconds, count in units of this many seconds, unit name); "" is now."""


def relative_time(moment: datetime | None, now: datetime) -> str:
    """`just now`, `5 minutes ago`, `3 days ago`, `2 months ago`; `-` when unknown.

    Whole units, truncated (45 days is `1 month ago`); a month is 30 days and a year 365.
    A moment after `now` (a host's clock ahead of ours) reads `in the future`."""
    if moment is None:
        return "-"
    seconds = (now - moment).total_seconds()
    if seconds < 0:
        return "in the future"
    for limit, size, unit in _AGES:
        if seconds < limit:
            if not unit:
                return "just now"
            return f"{counted(int(seconds // size), unit)} ago"
    raise AssertionError("unreachable: the last limit is infinite")


def element_summary(
    kind: str,
    text: str = "",
    *,
    parameters: Sequence[tuple[str, str]] | None = None,
    roles: Sequence[str] | None = None,
    width: int | None = 48,
) -> str:
    """One line naming an element: its kind in capitals, two spaces, then a glimpse.

    Given `parameters` (name, value pairs): the first four as `name value`, `+N` for the rest.
    Given `roles` (a messages element's roles, in order): the count and the first six roles.
    Otherwise the first line of `text` (an element's value, or a stored element's name),
    cut to `width` characters with `…` (`None`: never cut) and `(N lines)` when it has more.
    Plain text, not terminal-safe: the caller makes host or file text safe for its screen.
    """
    label = kind.upper()
    if parameters is not None:
        names = ", ".join(f"{name} {value}" for name, value in parameters[:4])
        more = f" +{len(parameters) - 4}" if len(parameters) > 4 else ""
        return f"{label}  {names}{more}"
    if roles is not None:
        return f"{label}  {len(roles)}: {' '.join(roles[:6])}"
    stripped = text.strip()
    first_line = stripped.splitlines()[0] if stripped else ""
    line_count = text.count("\n") + 1
    if width is not None and len(first_line) > width:
        first_line = first_line[: width - 1] + "…"
    suffix = f"  ({line_count} lines)" if line_count > 1 else ""
    return f"{label}  {first_line}{suffix}"
