"""How quantities are worded for people, once for the CLI and the TUI.

Sizes follow Ollama's `format.HumanBytes`, so a model's size reads the same here as in
`ollama list` and `ollama ps`: decimal units (1 KB = 1000 B); whole units from 10 up
(`366 MB`, `14 GB`, truncated as Go's `int()` does); below 10 one decimal unless the value is
whole (`1.2 KB`, `4.7 GB`, `2 GB`); plain bytes under 1 KB (`999 B`). Pure, no imports.
"""

from __future__ import annotations

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
