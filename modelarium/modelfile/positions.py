"""Offsets in a Modelfile's text as 1-based (line, column), the way every check reports them.

A line ends at CRLF, CR or LF, as in Ollama's parser (`parser.py` counts its error lines the
same way); columns count characters from 1.
"""

from __future__ import annotations

import bisect
import re

NEWLINES = re.compile(r"\r\n|\r|\n")
"""One line break: CRLF, CR or LF."""


class TextPositions:
    """A text with a line index for fast offset -> (line, column)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._line_starts: list[int] | None = None

    @property
    def line_starts(self) -> list[int]:
        """Offsets where lines start (built on first use: most files need few positions)."""
        if self._line_starts is None:
            starts = [0]
            starts.extend(match.end() for match in NEWLINES.finditer(self.text))
            self._line_starts = starts
        return self._line_starts

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of `offset`."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def line(self, offset: int) -> int:
        """The 1-based line of `offset`."""
        return bisect.bisect_right(self.line_starts, offset)

    def line_range(self, offset: int) -> tuple[int, int]:
        """(start, end) of the line holding `offset`; end excludes the line break."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        start = self.line_starts[index]
        found = NEWLINES.search(self.text, start)
        end = found.start() if found is not None else len(self.text)
        return start, end

    def full_line_range(self, start: int, end: int) -> tuple[int, int]:
        """From the start of `start`'s line to just past the line break ending `end`'s line."""
        line_start, _ = self.line_range(start)
        _, line_end = self.line_range(end)
        found = NEWLINES.match(self.text, line_end)
        return line_start, found.end() if found is not None else line_end
