"""`ModelfileTextArea`: the TextArea with incremental Modelfile highlighting and lint marks.

This module is the only place that touches TextArea's private highlighting: it overrides
`_build_highlight_map` and answers the `_highlights` mapping per painted row, and gives the
wrapped document an O(1) height (Textual is pinned exactly for that reason;
`tests/tui/test_highlight.py` guards all three).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.segment import Segment
from textual import events
from textual.actions import SkipAction
from textual.document._wrapped_document import WrappedDocument
from textual.strip import Strip
from textual.theme import Theme
from textual.widgets import TextArea

from modelarium.tui.clipboard import clipboard_for, looks_binary
from modelarium.tui.widgets.highlight import Highlight, IncrementalHighlighter, UpdateStats
from modelarium.tui.widgets.theme import (
    DIAGNOSTIC_ERROR,
    DIAGNOSTIC_WARNING,
    EDITOR_THEMES,
    editor_theme_name,
)

MAX_EDITOR_BYTES = 2_000_000
"""Largest file or paste the editor takes (real Modelfiles, LICENSE included, are far smaller)."""


class RowHighlights(dict[int, list[Highlight]]):
    """The TextArea's `_highlights` mapping, answered per row from the lazy highlighter.

    TextArea only indexes it by the row it paints (and tests it for emptiness), so nothing is
    copied per keystroke: a row is lexed when it is first painted.
    """

    def __init__(self, highlighter: IncrementalHighlighter, marks: dict[int, Highlight]) -> None:
        super().__init__()
        self._highlighter = highlighter
        self._marks = marks

    def __getitem__(self, row: int) -> list[Highlight]:
        spans = self._highlighter.spans_for(row)
        mark = self._marks.get(row)
        return [mark, *spans] if mark is not None else spans

    def __bool__(self) -> bool:
        return True

    def __len__(self) -> int:
        return 1


class CountedWrappedDocument(WrappedDocument):
    """Textual's wrapped document with an O(1) `height`.

    TextArea asks for the height once per painted row, and Textual sums it over every line of
    the document each time: about 45 sums of 2,000 lines per keystroke in a large Modelfile.
    One entry of `_offset_to_line_info` exists per wrapped line, so its length is the height
    (`tests/tui/test_highlight.py` checks both agree through edits)."""

    @property
    def height(self) -> int:
        """The number of wrapped lines."""
        return len(self._offset_to_line_info)


ACTS_ON_TERMINALS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
"""Characters a terminal acts on (ESC, C1, bidi overrides): never painted. Textual counts them
zero cells wide, so leaving them out keeps every column where the cursor math puts it; lint
(MF-codes for control characters) points at them instead."""


class ModelfileTextArea(TextArea):
    """A code editor for Modelfiles: Pygments highlighting re-lexed from the changed line only."""

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        self._highlighter = IncrementalHighlighter()
        self._diagnostic_marks: dict[int, Highlight] = {}
        self.last_highlight_update = UpdateStats(0, 0)
        """What the most recent re-highlight did (first changed line, lines re-lexed)."""
        kwargs.setdefault("show_line_numbers", True)
        super().__init__(text, **kwargs)
        for theme in EDITOR_THEMES:
            self.register_theme(theme)
        self.theme = EDITOR_THEMES[0].name

    @property
    def wrapped_document(self) -> WrappedDocument:
        """The wrapped view of the document (a `CountedWrappedDocument`)."""
        return self._counted_wrapped_document

    @wrapped_document.setter
    def wrapped_document(self, document: WrappedDocument) -> None:
        if type(document) is WrappedDocument:  # TextArea builds a plain one per document
            document.__class__ = CountedWrappedDocument
        self._counted_wrapped_document = document

    def on_mount(self) -> None:
        """Follow the app's light/dark theme."""
        self._follow_app_theme(self.app.current_theme)
        self.app.theme_changed_signal.subscribe(self, self._follow_app_theme)

    def _follow_app_theme(self, app_theme: Theme) -> None:
        self.theme = editor_theme_name(app_theme.dark)

    def render_line(self, y: int) -> Strip:
        """The painted row, without the characters a terminal would act on: a Modelfile from a
        file, a paste or a host can hold ESC sequences that must not reach the terminal."""
        strip = super().render_line(y)
        if ACTS_ON_TERMINALS.search(strip.text) is None:
            return strip
        return Strip(
            [
                Segment(ACTS_ON_TERMINALS.sub("", segment.text), segment.style, segment.control)
                for segment in strip
            ],
            strip.cell_length,
        )

    def _build_highlight_map(self) -> None:
        """Re-lex from the first changed line; rows are painted from the lazy per-row cache."""
        self._line_cache.clear()
        if not isinstance(self._highlights, RowHighlights):
            self._highlights = RowHighlights(self._highlighter, self._diagnostic_marks)
        self.last_highlight_update = self._highlighter.update(self.document.lines)

    def set_diagnostic_lines(self, errors: Iterable[int], warnings: Iterable[int]) -> None:
        """Tint the given 0-based rows (errors win over warnings on the same row)."""
        marks: dict[int, Highlight] = dict.fromkeys(warnings, (0, None, DIAGNOSTIC_WARNING))
        marks.update(dict.fromkeys(errors, (0, None, DIAGNOSTIC_ERROR)))
        if marks == self._diagnostic_marks:
            return
        self._diagnostic_marks.clear()
        self._diagnostic_marks.update(marks)
        self._line_cache.clear()
        self.refresh()

    @property
    def highlight_spans(self) -> dict[int, list[Highlight]]:
        """Every row's highlights as painted (lexes the whole document; for tests)."""
        self._highlighter.all_spans()
        return {
            row: self._highlights[row]
            for row in range(self.document.line_count)
            if self._highlights[row]
        }

    async def _on_paste(self, event: events.Paste) -> None:
        """Refuse binary or oversized pastes with a message; the text stays as it was.

        The paste stops here either way, so containers do not treat it as theirs too.
        """
        if self.read_only:
            return
        event.stop()
        problem: str | None = None
        if looks_binary(event.text):
            problem = "The pasted data is not text (binary or control characters)"
        elif len(event.text.encode("utf-8", "surrogatepass")) > MAX_EDITOR_BYTES:
            problem = (
                f"The pasted text is larger than {MAX_EDITOR_BYTES // 1_000_000} MB, "
                "the editor's limit"
            )
        if problem is not None:
            event.prevent_default()
            self.notify(f"{problem}; nothing was inserted", severity="error", timeout=8)

    def action_copy(self) -> None:
        """Copy the selection through the app's clipboard service (OSC 52 and friends)."""
        selected = self.selected_text
        if not selected:
            raise SkipAction()
        clipboard_for(self.app).copy(selected, "the selection")
