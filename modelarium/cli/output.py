"""How every subcommand prints: terminal-safe text, one JSON form, tables and error lines.

- Text from hosts, bundles and files goes through `terminal_text` (`modelarium.terminal_text`),
  so an ESC sequence in a license or a model name is shown, never executed.
- `--json` prints exactly one JSON document: an array for a list (hosts, models, hits, lint
  findings, one result per input), an object for one thing. Characters that act on a terminal
  are written as `\\uXXXX` escapes, so the document decodes to the same data.
- Data meant for a file (a Modelfile, a bundle) is written exactly when stdout is a file or a
  pipe, and shown terminal-safe (line breaks kept) when stdout is a terminal.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from typing import TextIO

from modelarium.terminal_text import LineMode, terminal_text

PROGRAM = "modelarium"

_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff\ud800-\udfff]"
)
"""Characters `json.dumps(ensure_ascii=False)` leaves raw that act on a terminal (it already
escapes C0 controls); they can only occur inside JSON strings."""


def safe(text: str, *, lines: LineMode = "escape") -> str:
    """`text` made safe to print (see `modelarium.terminal_text`)."""
    return terminal_text(text, lines=lines)


def json_text(data: object, *, indent: int | None = 2) -> str:
    """`data` as one JSON document (non-ASCII kept readable, terminal-acting characters as
    `\\uXXXX` escapes), without a trailing line break."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def print_json(data: object, out: TextIO | None = None) -> None:
    """Print `data` as the command's one JSON document."""
    (out or sys.stdout).write(json_text(data) + "\n")


def write_data(text: str, out: TextIO | None = None) -> None:
    """Write file content (a Modelfile, a bundle): exact into a file or pipe, terminal-safe with
    its line breaks kept on a terminal."""
    stream = out or sys.stdout
    isatty = getattr(stream, "isatty", None)
    stream.write(safe(text, lines="keep") if callable(isatty) and isatty() else text)


def print_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], out: TextIO | None = None
) -> None:
    """Left-aligned columns two spaces apart; every cell made safe and kept on one line."""
    stream = out or sys.stdout
    shown = [[safe(cell) for cell in row] for row in rows]
    widths = [len(title) for title in header]
    for row in shown:
        widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=True)]
    for row in (list(header), *shown):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        stream.write("  ".join(cells).rstrip() + "\n")


def error_line(message: str) -> str:
    """`modelarium: <message>` as one safe line (line breaks and runs of spaces become one)."""
    return f"{PROGRAM}: {safe(message, lines='join')}"


def fail(message: str) -> int:
    """Print one error line on stderr and return the failure exit code (1)."""
    print(error_line(message), file=sys.stderr)
    return 1
