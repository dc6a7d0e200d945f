"""Highlighting: UTF-8 byte spans in `_highlights`, incremental == full re-lex, theme coverage."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult

from modelarium.modelfile.lexer import ModelfileLexer, lex_line
from modelarium.tui.widgets.highlight import (
    HIGHLIGHT_NAMES,
    ROOT_STATE,
    Highlight,
    IncrementalHighlighter,
    highlight_name,
    spans_from_tokens,
)
from modelarium.tui.widgets.text_area import ModelfileTextArea
from modelarium.tui.widgets.theme import EDITOR_THEMES, STYLED_NAMES


def full_highlights(lines: Sequence[str]) -> Iterator[list[Highlight]]:
    """Highlights of every line lexed from scratch (what the incremental path must equal)."""
    state = ROOT_STATE
    for line in lines:
        tokens, state = lex_line(line + "\n", state)
        yield spans_from_tokens(line, tokens)


SAMPLE_LINES = [
    "# Modelarium — üñíçødé comment",
    "FROM llama3.1:8b",
    "PARAMETER temperature 0.7",
    'TEMPLATE """{{ if .System }}<|system|>',
    "{{ .System }}{{ end }}ünï",
    '"""',
    'SYSTEM """Du bist hilfreich. Ça va?"""',
]


def test_full_relex_matches_pygments_whole_text_tokens() -> None:
    """Line-at-a-time lexing gives what Pygments gives for the whole text, as byte spans."""
    lexer = ModelfileLexer(stripnl=False, ensurenl=True)
    text = "\n".join(SAMPLE_LINES) + "\n"
    expected: dict[int, list[tuple[int, int | None, str]]] = {}
    row, byte = 0, 0
    for token_type, value in lexer.get_tokens(text):
        name = highlight_name(token_type)
        for index, part in enumerate(value.split("\n")):
            if index:
                row, byte = row + 1, 0
            start, byte = byte, byte + len(part.encode("utf-8"))
            if name and part:
                expected.setdefault(row, []).append((start, byte, name))
    got = {row: spans for row, spans in enumerate(full_highlights(SAMPLE_LINES)) if spans}
    assert _merged(got) == _merged(expected)


def _merged(
    spans_by_row: dict[int, list[tuple[int, int | None, str]]],
) -> dict[int, list[tuple[int, int | None, str]]]:
    """Adjacent spans of one name joined (Pygments may split a run into several tokens)."""
    merged: dict[int, list[tuple[int, int | None, str]]] = {}
    for row, spans in spans_by_row.items():
        out: list[tuple[int, int | None, str]] = []
        for start, end, name in spans:
            if out and out[-1][2] == name and out[-1][1] == start:
                out[-1] = (out[-1][0], end, name)
            else:
                out.append((start, end, name))
        merged[row] = out
    return merged


class AreaApp(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield ModelfileTextArea(self.text)


async def test_highlights_use_utf8_byte_offsets() -> None:
    app = AreaApp("\n".join(SAMPLE_LINES))
    async with app.run_test():
        area = app.query_one(ModelfileTextArea)
        comment = SAMPLE_LINES[0]
        assert len(comment) == 30 and len(comment.encode("utf-8")) == 38
        assert area._highlights[0] == [(0, 38, "comment")]
        assert area._highlights[1][0] == (0, 4, "keyword")
        last_row = area._highlights[6]
        assert last_row[0] == (0, 6, "keyword")
        # The closing quotes of the SYSTEM line end at its last byte, past the non-ASCII "Ç".
        assert max(end for _, end, _ in last_row if end is not None) == len(
            SAMPLE_LINES[6].encode("utf-8")
        )


async def test_typing_relexes_only_the_changed_line() -> None:
    lines = ["FROM llama3"] + [f"PARAMETER top_k {n}" for n in range(2000)]
    app = AreaApp("\n".join(lines))
    async with app.run_test() as pilot:
        area = app.query_one(ModelfileTextArea)
        highlighter = area._highlighter
        assert highlighter.frontier < 100  # only the painted screen is lexed on load
        area.move_cursor((1000, 0), center=True)
        await pilot.pause()
        assert 1000 < highlighter.frontier < 1100  # painting the new screen lexed up to it
        await pilot.press("x")
        assert area.last_highlight_update.first_changed_line == 1000
        assert area.last_highlight_update.relexed_lines == 1
        frontier = highlighter.frontier
        area.insert('TEMPLATE """', (5, 0))  # opens a string: every lexed row after changes
        assert area.last_highlight_update.relexed_lines == frontier - 5
        assert area._highlights[2000] == [(0, len(lines[2000]), "string")]
        area.insert('"""', (10, len(lines[10])))  # closes it again
        assert area._highlights[2000][0][2] == "keyword"
        area.insert("# note", (8, 0))  # inside the string: row 9 starts in the same state
        assert area.last_highlight_update.relexed_lines == 1


async def test_the_wrapped_height_is_textuals_sum_through_edits() -> None:
    """The O(1) wrapped height (asked once per painted row) equals Textual's own sum over
    every line after typing, line breaks, deletions, undo and a new text."""
    from textual.document._wrapped_document import WrappedDocument

    from modelarium.tui.widgets.text_area import CountedWrappedDocument

    def summed(area: ModelfileTextArea) -> int:
        return WrappedDocument.height.fget(area.wrapped_document)  # type: ignore[attr-defined,no-any-return]

    lines = ["FROM llama3", *(f"SYSTEM {'word ' * (n % 40)}" for n in range(300))]
    app = AreaApp("\n".join(lines))
    async with app.run_test(size=(60, 20)) as pilot:
        area = app.query_one(ModelfileTextArea)
        assert isinstance(area.wrapped_document, CountedWrappedDocument)
        assert area.wrapped_document.height == summed(area) > len(lines)
        area.move_cursor((120, 10))
        for key in ("x", "enter", "y", "backspace", "backspace"):
            await pilot.press(key)
            assert area.wrapped_document.height == summed(area)
        area.insert("long " * 50 + "\n" * 3, (7, 0))
        assert area.wrapped_document.height == summed(area)
        area.delete((3, 0), (60, 0))
        assert area.wrapped_document.height == summed(area)
        area.undo()
        assert area.wrapped_document.height == summed(area)
        area.load_text("FROM a\n" + "SYSTEM " + "b " * 200)
        assert isinstance(area.wrapped_document, CountedWrappedDocument)
        assert area.wrapped_document.height == summed(area)


def test_every_emitted_name_has_a_style() -> None:
    for theme in EDITOR_THEMES:
        assert set(theme.syntax_styles) >= STYLED_NAMES
    emitted = {name for spans in full_highlights(SAMPLE_LINES) for _, _, name in spans}
    assert emitted and emitted <= HIGHLIGHT_NAMES


_line_text = st.text(
    alphabet=st.sampled_from(list('FROMPARAMETER TEMPLATE{}."#ü é\t1')), max_size=24
)
_edits = st.lists(
    st.tuples(
        st.sampled_from(["replace", "insert", "delete"]),
        st.integers(min_value=0, max_value=60),
        st.lists(_line_text, min_size=0, max_size=3),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(start=st.lists(_line_text, min_size=0, max_size=40), edits=_edits)
def test_incremental_equals_full_relex(
    start: list[str], edits: list[tuple[str, int, list[str]]]
) -> None:
    highlighter = IncrementalHighlighter()
    lines = list(start)
    highlighter.reset(lines)
    for operation, position, new_lines in edits:
        at = min(position, len(lines))
        if operation == "replace" and lines:
            at = min(at, len(lines) - 1)
            lines[at : at + 1] = new_lines or [""]
        elif operation == "insert":
            lines[at:at] = new_lines
        else:
            del lines[at : at + len(new_lines) + 1]
        highlighter.update(lines)
        assert len(highlighter.states) == highlighter.frontier + 1
        expected = list(full_highlights(lines))
        cached = [highlighter.spans_for(row) for row in range(highlighter.frontier)]
        assert cached == expected[: highlighter.frontier]  # what is cached is right
        highlighter.spans_for(position)  # paint some rows: a partly lexed cache
    assert highlighter.all_spans() == list(full_highlights(lines))
