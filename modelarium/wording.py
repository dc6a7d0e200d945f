"""How quantities are worded for people, once for the CLI and the TUI.

Sizes follow Ollama's `format.HumanBytes`, so a model's size reads the same here as in
`ollama list` and `ollama ps`: decimal units (1 KB = 1000 B); whole units from 10 up
(`366 MB`, `14 GB`, truncated as Go's `int()` does); below 10 one decimal unless the value is
whole (`1.2 KB`, `4.7 GB`, `2 GB`); plain bytes under 1 KB (`999 B`). Relative times read
`just now`, `5 minutes ago`, `3 days ago`. Pure, no imports beyond the standard library.
"""

from __future__ import annotations

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


_AGES: tuple[tuple[float, int, str], ...] = (
    (60, 1, ""),
    (3600, 60, "minute"),
    (86400, 3600, "hour"),
    (86400 * 30, 86400, "day"),
    (86400 * 365, 86400 * 30, "month"),
    (float("inf"), 86400 * 365, "year"),
)


def relative_time(moment: datetime | None, now: datetime) -> str:
    """`just now`, `5 minutes ago`, `1 day ago`, `2 months ago`; `-` when unknown."""
    if moment is None:
        return "-"
    seconds = (now - moment).total_seconds()
    if seconds < 0:
        return "in the future"
    for limit, size, unit in _AGES:
        if seconds < limit:
            if not unit:
                return "just now"
            count = int(seconds // size)
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    raise AssertionError("unreachable: the last limit is infinite")
