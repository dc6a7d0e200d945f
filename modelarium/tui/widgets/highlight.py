"""Incremental Modelfile highlighting: Pygments tokens per line, re-lexed from the change only.

The core's `lexer.lex_line` runs the Modelfile lexer over one line from a saved state stack.
The TextArea paints highlights per row as UTF-8 *byte* spans. `IncrementalHighlighter` keeps,
for every line, its spans and the lexer's state stack at the line start. After an edit it
re-lexes from the first changed line and stops as soon as the state at the start of an
unchanged line equals the cached one, so typing in a 2,000-line file re-lexes a line or two.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pygments.token import _TokenType

from modelarium.modelfile.lexer import ROOT_STACK, lex_line

LexerState = tuple[str, ...]
"""The lexer's state stack at a line start (innermost state last)."""

Highlight = tuple[int, int | None, str]
"""A TextArea highlight: start byte, end byte (None = end of line), highlight name."""

ROOT_STATE: LexerState = ROOT_STACK

_NAME_BY_TOKEN_PREFIX: tuple[tuple[str, str], ...] = (
    ("Token.Comment", "comment"),
    ("Token.Keyword.Constant", "constant"),
    ("Token.Keyword", "keyword"),
    ("Token.Name.Attribute", "property"),
    ("Token.Name.Property", "property"),
    ("Token.Name.Variable", "variable"),
    ("Token.Name.Function", "function"),
    ("Token.Name.Builtin", "function"),
    ("Token.Name.Constant", "constant"),
    ("Token.Name.Tag", "tag"),
    ("Token.Name.Label", "label"),
    ("Token.Name", "name"),
    ("Token.Literal.String.Escape", "escape"),
    ("Token.Literal.String.Interpol", "interpolation"),
    ("Token.Literal.String", "string"),
    ("Token.Literal.Number", "number"),
    ("Token.Literal", "string"),
    ("Token.Operator", "operator"),
    ("Token.Punctuation", "punctuation"),
    ("Token.Error", "error"),
    ("Token.Generic.Error", "error"),
    ("Token.Generic.Deleted", "error"),
)
"""Pygments token type (by dotted prefix, most specific first) -> highlight name."""

HIGHLIGHT_NAMES: frozenset[str] = frozenset(name for _, name in _NAME_BY_TOKEN_PREFIX)
"""Every highlight name `highlight_name` can return; the editor theme styles each of them."""

_name_cache: dict[_TokenType, str | None] = {}


def highlight_name(token_type: _TokenType) -> str | None:
    """The highlight name for a Pygments token type, or None for plain text."""
    try:
        return _name_cache[token_type]
    except KeyError:
        dotted = str(token_type)
        name = next(
            (
                name
                for prefix, name in _NAME_BY_TOKEN_PREFIX
                if dotted == prefix or dotted.startswith(prefix + ".")
            ),
            None,
        )
        _name_cache[token_type] = name
        return name


LineLexFunction = Callable[[str, LexerState], tuple[list[tuple[int, _TokenType, str]], LexerState]]
"""Lexes one line (with its line break) from a state; returns its tokens and the end state."""


def spans_from_tokens(line: str, tokens: Sequence[tuple[int, _TokenType, str]]) -> list[Highlight]:
    """Convert character-offset tokens of one line to byte spans, dropping the line break."""
    spans: list[Highlight] = []
    line_length = len(line)
    ascii_only = line.isascii()
    char_mark = 0
    byte_mark = 0
    for start, token_type, value in tokens:
        name = highlight_name(token_type)
        if name is None or start >= line_length:
            continue
        stop = min(start + len(value), line_length)
        if ascii_only:
            start_byte, stop_byte = start, stop
        else:
            start_byte = byte_mark + len(line[char_mark:start].encode("utf-8"))
            stop_byte = start_byte + len(line[start:stop].encode("utf-8"))
            char_mark, byte_mark = stop, stop_byte
        if stop_byte > start_byte:
            spans.append((start_byte, stop_byte, name))
    return spans


@dataclass(frozen=True, slots=True)
class UpdateStats:
    """What one `IncrementalHighlighter.update` did (for tests and the benchmark)."""

    first_changed_line: int
    relexed_lines: int


class IncrementalHighlighter:
    """Per-line spans and start states of a document, lexed lazily and re-lexed incrementally.

    Rows `[0, frontier)` are lexed; `spans_for(row)` extends the frontier on demand (the
    TextArea asks only for the rows it paints), so opening a large file lexes one screen.
    `update` re-lexes from the first changed row until a row starts in its cached state.
    """

    def __init__(self, lex: LineLexFunction = lex_line) -> None:
        self._lex = lex
        self._lines: list[str] = []
        self._spans: list[list[Highlight]] = []
        """Spans of the lexed rows (the first `frontier` rows)."""
        self._states: list[LexerState] = [ROOT_STATE]
        """State at the start of each lexed row, plus the state at the start of the frontier."""

    @property
    def frontier(self) -> int:
        """How many rows from the top are lexed."""
        return len(self._spans)

    @property
    def states(self) -> Sequence[LexerState]:
        """Lexer state at the start of each lexed row and of the frontier row."""
        return self._states

    def spans_for(self, row: int) -> list[Highlight]:
        """The spans of `row` (lexing up to it if needed); [] past the end of the document."""
        if row < len(self._spans):
            return self._spans[row]
        if row >= len(self._lines):
            return []
        lex, lines, spans, states = self._lex, self._lines, self._spans, self._states
        state = states[-1]
        for next_row in range(len(spans), row + 1):
            line = lines[next_row]
            tokens, state = lex(line + "\n", state)
            spans.append(spans_from_tokens(line, tokens))
            states.append(state)
        return spans[row]

    def all_spans(self) -> list[list[Highlight]]:
        """Spans of every row (lexes the whole document if it is not yet)."""
        if self._lines:
            self.spans_for(len(self._lines) - 1)
        return list(self._spans)

    def reset(self, lines: Sequence[str]) -> UpdateStats:
        """Forget the cache; rows are lexed again as they are asked for."""
        self._lines = list(lines)
        self._spans = []
        self._states = [ROOT_STATE]
        return UpdateStats(0, 0)

    def update(self, lines: Sequence[str]) -> UpdateStats:
        """Bring the cache in line with `lines`, re-lexing only what the change can affect."""
        old_lines = self._lines
        old_count, new_count = len(old_lines), len(lines)
        common = min(old_count, new_count)
        first = 0
        while first < common and old_lines[first] == lines[first]:
            first += 1
        if first == old_count == new_count:
            return UpdateStats(first, 0)
        old_spans, old_states = self._spans, self._states
        old_frontier = len(old_spans)
        self._lines = list(lines)
        if first >= old_frontier:
            return UpdateStats(first, 0)  # only rows not lexed yet changed
        same_tail = 0
        while (
            same_tail < common - first
            and old_lines[old_count - 1 - same_tail] == lines[new_count - 1 - same_tail]
        ):
            same_tail += 1
        shift = new_count - old_count
        tail_start = new_count - same_tail
        spans = old_spans[:first]
        states = old_states[:first]
        state = old_states[first]
        lex = self._lex
        row = first
        converged = False
        while row < new_count:
            if row >= tail_start:
                old_row = row - shift
                if old_row <= old_frontier and old_states[old_row] == state:
                    spans.extend(old_spans[old_row:])
                    states.extend(old_states[old_row:])
                    converged = True
                    break
                if old_row >= old_frontier:
                    break  # past what was lexed before: the rest is lexed when asked for
            states.append(state)
            line = lines[row]
            tokens, state = lex(line + "\n", state)
            spans.append(spans_from_tokens(line, tokens))
            row += 1
        if not converged:
            states.append(state)
        self._spans = spans
        self._states = states
        return UpdateStats(first, row - first)
