"""Incremental syntax highlighting: a Pygments `RegexLexer` run one line at a time.

The TextArea paints highlights per row as UTF-8 *byte* spans. `IncrementalHighlighter` keeps,
for every line, its spans and the lexer's state stack at the line start. After an edit it
re-lexes from the first changed line and stops as soon as the state at the start of an
unchanged line equals the cached one, so typing in a 2,000-line file re-lexes a line or two.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pygments.lexer import RegexLexer
from pygments.token import Error, Whitespace, _TokenType

LexerState = tuple[str, ...]
"""The lexer's state stack at a line start (innermost state last)."""

Highlight = tuple[int, int | None, str]
"""A TextArea highlight: start byte, end byte (None = end of line), highlight name."""

ROOT_STATE: LexerState = ("root",)

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


_Rule = tuple[Callable[[str, int], Any], Any, Any]


class LineLexer:
    """Drives a Pygments `RegexLexer`'s state machine over one line from a given state.

    The loop is Pygments' own `RegexLexer.get_tokens_unprocessed` (same rule order, same
    `#pop`/`#push`/tuple transitions, same reset to `root` at an unmatched line end); the
    difference is that it starts from a cached state stack and returns the stack it ends in.
    """

    def __init__(self, lexer: RegexLexer) -> None:
        self._lexer = lexer
        # Pygments' compiled rule table, set on the lexer class when it is first instantiated.
        self._tokendefs: dict[str, list[_Rule]] = type(lexer).__dict__["_tokens"]

    def tokens(
        self, line: str, state: LexerState
    ) -> tuple[list[tuple[int, _TokenType, str]], LexerState]:
        """Tokens (char offset, type, text) of `line` plus its line break, and the end state."""
        text = line + "\n"
        tokendefs = self._tokendefs
        stack = list(state)
        rules = tokendefs[stack[-1]]
        found: list[tuple[int, _TokenType, str]] = []
        pos = 0
        end = len(text)
        while pos < end:
            for match_at, action, new_state in rules:
                match = match_at(text, pos)
                if match is None:
                    continue
                if match.end() == pos and new_state is None:
                    # An empty match without a transition would loop forever (Pygments
                    # relies on the lexer author avoiding it); treat it as no match.
                    continue
                if action is not None:
                    if type(action) is _TokenType:
                        found.append((pos, action, match.group()))
                    else:
                        found.extend(action(self._lexer, match))
                pos = match.end()
                if new_state is not None:
                    _apply_transition(stack, new_state)
                    rules = tokendefs[stack[-1]]
                break
            else:
                if text[pos] == "\n":
                    stack = ["root"]
                    rules = tokendefs["root"]
                    found.append((pos, Whitespace, "\n"))
                else:
                    found.append((pos, Error, text[pos]))
                pos += 1
        return found, tuple(stack)

    def highlights(self, line: str, state: LexerState) -> tuple[list[Highlight], LexerState]:
        """The highlight spans of `line` (UTF-8 byte offsets) and the state after it."""
        found, end_state = self.tokens(line, state)
        return spans_from_tokens(line, found), end_state


def _apply_transition(stack: list[str], new_state: Any) -> None:
    """Apply a Pygments state transition to `stack` in place (Pygments' own semantics)."""
    if isinstance(new_state, tuple):
        for state in new_state:
            if state == "#pop":
                if len(stack) > 1:
                    stack.pop()
            elif state == "#push":
                stack.append(stack[-1])
            else:
                stack.append(state)
    elif isinstance(new_state, int):
        if abs(new_state) >= len(stack):
            del stack[1:]
        else:
            del stack[new_state:]
    elif new_state == "#push":
        stack.append(stack[-1])


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
    """Per-line spans and start states of a document, updated from the first changed line."""

    def __init__(self, lexer: RegexLexer) -> None:
        self._line_lexer = LineLexer(lexer)
        self._lines: list[str] = []
        self._spans: list[list[Highlight]] = []
        self._states: list[LexerState] = [ROOT_STATE]
        """State at the start of each line, plus one entry for the end of the document."""

    @property
    def spans(self) -> Sequence[list[Highlight]]:
        """Highlight spans per line, in document order."""
        return self._spans

    @property
    def states(self) -> Sequence[LexerState]:
        """Lexer state at the start of each line (one more entry than there are lines)."""
        return self._states

    def reset(self, lines: Sequence[str]) -> UpdateStats:
        """Forget the cache and lex `lines` from the top."""
        self._lines = []
        self._spans = []
        self._states = [ROOT_STATE]
        return self.update(lines)

    def update(self, lines: Sequence[str]) -> UpdateStats:
        """Bring the cache in line with `lines`, re-lexing only what the change can affect."""
        old_lines = self._lines
        old_count, new_count = len(old_lines), len(lines)
        common = min(old_count, new_count)
        first = 0
        while first < common and old_lines[first] == lines[first]:
            first += 1
        same_tail = 0
        while (
            same_tail < common - first
            and old_lines[old_count - 1 - same_tail] == lines[new_count - 1 - same_tail]
        ):
            same_tail += 1
        if first == old_count == new_count:
            return UpdateStats(first, 0)

        old_spans, old_states = self._spans, self._states
        shift = new_count - old_count
        tail_start = new_count - same_tail
        spans = old_spans[:first]
        states = old_states[:first]
        state = old_states[first] if first < len(old_states) else ROOT_STATE
        lex = self._line_lexer.highlights
        row = first
        while row < new_count:
            if row >= tail_start and old_states[row - shift] == state:
                spans.extend(old_spans[row - shift :])
                states.extend(old_states[row - shift :])
                break
            states.append(state)
            line_spans, state = lex(lines[row], state)
            spans.append(line_spans)
            row += 1
        else:
            states.append(state)
        self._lines = list(lines)
        self._spans = spans
        self._states = states
        return UpdateStats(first, row - first)


def full_highlights(lexer: RegexLexer, lines: Sequence[str]) -> Iterator[list[Highlight]]:
    """Highlights of every line lexed from scratch (what the incremental path must equal)."""
    line_lexer = LineLexer(lexer)
    state = ROOT_STATE
    for line in lines:
        line_spans, state = line_lexer.highlights(line, state)
        yield line_spans
