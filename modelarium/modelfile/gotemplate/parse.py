"""Go `text/template` parsing as Ollama's server does it at create, for lint, the demo host and
the prompt renderer.

Ollama's create runs `template.New("").Funcs(funcs).Parse(text)` on a TEMPLATE and refuses it with
`template error: template: :<line>: <reason>` when Go's parser fails. This module is a port of
Go's lexer (`text/template/parse/lex.go`) and recursive-descent parser (`parse.go`): it finds
the first error Go would report, with Go's wording and Go's line number (LF-counted), and also
gives what lint needs: the error's span in the template with editor positions (LF, CR and CRLF
each end a line), a short human message, the actions, the `.Field` chains and the `$variables`
used. Pure: no I/O.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

from modelarium.modelfile.golang.strconv import quote

GO_BUILTIN_FUNCTIONS: frozenset[str] = frozenset(
    {
        "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
        "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
    }
)  # fmt: skip
"""Go's predefined template functions."""

OLLAMA_FUNCTIONS: frozenset[str] = frozenset(
    {"json", "currentDate", "yesterdayDate", "toTypeScriptType"}
)
"""Functions Ollama adds to its templates' func map."""

TEMPLATE_FUNCTIONS: frozenset[str] = GO_BUILTIN_FUNCTIONS | OLLAMA_FUNCTIONS
"""Every function name a TEMPLATE may call on Ollama's server."""

BLOCK_KEYWORDS: frozenset[str] = frozenset({"if", "range", "with", "define", "block"})
"""Actions that open a block closed by `{{ end }}`."""

CREATE_ERROR_PREFIX = "template error: "
"""What Ollama's create puts before Go's parse error (its `errBadTemplate`)."""

_KEYWORDS: dict[str, str] = {
    ".": "dot",
    "block": "block",
    "break": "break",
    "continue": "continue",
    "define": "define",
    "else": "else",
    "end": "end",
    "if": "if",
    "range": "range",
    "nil": "nil",
    "template": "template",
    "with": "with",
}
_KEYWORD_KINDS = frozenset(_KEYWORDS.values())
"""Item kinds Go prints as `<value>` in an error (its item types past `itemKeyword`)."""

_SPACE = " \t\r\n"
_BLANKS = frozenset(_SPACE)
"""The blank characters one by one (membership of a one-character slice; "" is not in it)."""
_OPERAND_START = frozenset(
    {"bool", "char_constant", "dot", "field", "identifier", "number", "nil", "raw_string",
     "string", "variable", "left_paren"}
)  # fmt: skip
_TERMINATOR = r"(?=[ \t\r\n.,|:()]|\}\}|\Z)"
_ACTION_TOKEN = (
    r"(?P<space>(?:[ \t\r\n](?!-\}\}))++)"
    rf"|(?P<field>\.[^\W\d]\w*+){_TERMINATOR}|(?P<dot>\.){_TERMINATOR}"
    rf"|(?P<variable>\$\w*+){_TERMINATOR}|(?P<word>[^\W\d]\w*+){_TERMINATOR}"
    r'|(?P<string>"(?:[^"\\\n]|\\[^\n])*+")|(?P<raw_string>`[^`]*+`)'
    r"|(?P<number>[0-9]++)(?![\w.+-])"
    r"|(?P<pipe>\|)|(?P<left_paren>\()|(?P<right_paren>\))|(?P<declare>:=)|(?P<assign>=)"
    r"|(?P<char>,)"
)
_TOKEN = re.compile(_ACTION_TOKEN)
_PLAIN_ACTION = re.compile(
    "(?:" + re.sub(r"\(\?P<\w+>", "(?:", _ACTION_TOKEN) + r")*+(?:[ \t\r\n]-\}\}|\}\})"
)
"""An action body made only of items `_TOKEN` lexes, then the closing delimiter: the fast path
for a whole action (no backtracking: every repetition is possessive; no capturing groups, which
`re` mis-reports inside possessive repetitions)."""

_WORD_KINDS: dict[str, str] = {**_KEYWORDS, "true": "bool", "false": "bool"}
_TERM_KINDS = frozenset(
    {"variable", "right_paren", "identifier", "dot", "string", "raw_string", "number", "bool",
     "nil", "char_constant"}
)  # fmt: skip
"""Items a `.Field` right after them is chained to (`$m.Role`, `(…).Content`): not a root field."""
_FIRST_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRING_ESCAPE = re.compile(
    r"""\\(?:[abfnrtv\\"]|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[0-7]{3})"""
)


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    """The error Go's parser reports for a template.

    `message` is a short human text; `reason` and `go_line` are Go's own (`str()` of the Go error
    is `server_error`). `offset`/`end_offset` index the template text; line/column are 1-based
    editor positions (LF, CR and CRLF each end a line), end exclusive."""

    message: str
    offset: int
    end_offset: int
    line: int
    column: int
    end_line: int
    end_column: int
    reason: str
    go_line: int

    @property
    def server_error(self) -> str:
        """Go's error text: `template: :3: unexpected EOF` (the template has no name)."""
        return f"template: :{self.go_line}: {self.reason}"

    @property
    def create_error(self) -> str:
        """Ollama's create answer for this template: `template error: template: :3: ...`."""
        return CREATE_ERROR_PREFIX + self.server_error


@dataclass(frozen=True, slots=True)
class Action:
    """One `{{ … }}` action (comments included): offsets of `{{` and just past `}}`, and its
    inner text (trim markers and delimiters removed, surrounding blanks stripped)."""

    start: int
    end: int
    body: str

    @property
    def keyword(self) -> str:
        """The action's first word (`if`, `end`, …) or "" for a pipeline like `.Prompt`."""
        if self.body.startswith("/*"):
            return ""
        found = _FIRST_WORD.match(self.body)
        return found.group() if found is not None else ""


@dataclass(frozen=True, slots=True)
class TemplateCheck:
    """What `check_template` found."""

    actions: tuple[Action, ...]
    problems: tuple[TemplateProblem, ...]
    """Empty, or the one error Go's parser stops at (Go reports only the first)."""
    fields: frozenset[str]
    """Field chains used, without the leading dot (`System`, `Function.Name`)."""
    variables: frozenset[str]
    """Variables used, with the `$` (`$`, `$i`, `$last`)."""

    @property
    def error(self) -> TemplateProblem | None:
        """The error Ollama's server would refuse the template with, if any."""
        return self.problems[0] if self.problems else None

    @property
    def root_fields(self) -> frozenset[str]:
        """First component of each field chain (`Tools` for `.Tools`)."""
        return frozenset(field.split(".", 1)[0] for field in self.fields)

    @property
    def uses_tools(self) -> bool:
        """Whether the template reads `.Tools` or `.ToolCalls` (a tool-calling template)."""
        return bool({"Tools", "ToolCalls"} & self.root_fields)


class _Item(NamedTuple):
    """A lexer item: Go's `item` plus its end offset and the action it belongs to."""

    kind: str
    value: str
    start: int
    end: int
    action_start: int = -1
    """Offset of the enclosing action's `{{` (-1 for text and EOF)."""
    spaced: bool = False
    """Blanks come before it inside the action: Go's `itemSpace`, folded into the next item."""

    def __str__(self) -> str:
        """Go's `item.String()`, used inside error messages."""
        if self.kind == "eof":
            return "EOF"
        if self.kind == "error":
            return self.value
        if self.kind in _KEYWORD_KINDS:
            return f"<{self.value}>"
        if len(self.value) > 10:
            return quote(self.value[:10]) + "..."
        return quote(self.value)


_new_item = tuple.__new__
"""`_new_item(_Item, (...))`: an item without NamedTuple's Python-level `__new__` (the lexer's
hot path; every field given)."""


def _describe_rune(char: str) -> str:
    """Go's `%#U` of a rune: `U+0021 '!'`."""
    code = f"U+{ord(char):04X}"
    return f"{code} '{char}'" if char.isprintable() else code


def _alphanumeric(char: str) -> bool:
    """Go's `isAlphaNumeric` (as Python's `\\w` sees it, so both lexing paths agree)."""
    return char == "_" or char.isalnum()


_Token = tuple[str, str, int, int, bool]
"""A plain action's item: kind, value, start and end in the body, blanks before it."""


class _Lexer:
    """Go's template lexer: the items up to EOF or the first error item (which ends the list)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.items: list[_Item] = []
        self.actions: list[Action] = []
        self.position = 0
        self.paren_depth = 0
        self.action_start = -1
        self.body_start = 0
        self.fields: set[str] = set()
        self.variables: set[str] = set()
        self.chain: list[str] | None = None
        """The field chain being read (`Messages`, `Content` for `.Messages.Content`), or None
        while skipping fields chained to another term."""
        self.chain_end = -1
        self.spaced = False
        """Blanks were skipped since the last item (see `_Item.spaced`)."""
        self.plain_bodies: dict[str, tuple[tuple[_Token, ...], bool] | None] = {}

    def run(self) -> list[_Item]:
        text = self.text
        while True:
            left = text.find("{{", self.position)
            if left < 0:
                self._emit_text(len(text))
                self._emit("eof", len(text), len(text))
                self._flush_chain()
                return self.items
            self._emit_text(left)
            if not self._action(left):
                self._flush_chain()
                return self.items

    def _emit(self, kind: str, start: int, end: int) -> None:
        if kind == "space":
            self.spaced = True
            return
        value = self.text[start:end]
        if kind == "field":
            self._field(value, start, end)
        elif kind == "variable":
            self.variables.add(value)
        self.items.append(
            _new_item(_Item, (kind, value, start, end, self.action_start, self.spaced))
        )
        self.spaced = False

    def _field(self, value: str, start: int, end: int, previous: _Item | None = None) -> None:
        """Track field chains for `TemplateCheck.fields` (`previous`: the item before it)."""
        if start == self.chain_end:
            if self.chain is not None:
                self.chain.append(value[1:])
            self.chain_end = end
            return
        self._flush_chain()
        if previous is None and self.items:
            previous = self.items[-1]
        chained = previous is not None and previous.end == start and previous.kind in _TERM_KINDS
        self.chain = None if chained else [value[1:]]
        self.chain_end = end

    def _flush_chain(self) -> None:
        if self.chain:
            self.fields.add(".".join(self.chain))
        self.chain = None
        self.chain_end = -1

    def _error(self, reason: str, start: int) -> bool:
        """Append Go's error item at `start`, where the failing item began; stop lexing."""
        self.items.append(_Item("error", reason, start, start, self.action_start, self.spaced))
        return False

    def _emit_text(self, end: int) -> None:
        if end > self.position:
            self._emit("text", self.position, end)
        self.position = end

    def _action(self, left: int) -> bool:
        """Lex one action from its `{{`; False once an error item was emitted."""
        text = self.text
        self.action_start = left
        after = left + 2
        if text[after : after + 1] == "-" and text[after + 1 : after + 2] in _BLANKS:
            after += 2
        if text.startswith("/*", after):
            return self._comment(left, after)
        self.items.append(_new_item(_Item, ("left_delim", "{{", left, left + 2, left, False)))
        self.position = after
        self.body_start = after
        self.paren_depth = 0
        plain = _PLAIN_ACTION.match(text, after)
        if plain is not None and self._plain_action(left, after, plain.end()):
            return True
        while True:
            if self._at_right_delim():
                if self.paren_depth:
                    return self._error("unclosed left paren", self.position)
                return self._right_delim()
            if not self._inside_action():
                return False

    def _plain_tokens(self, body: str) -> tuple[tuple[_Token, ...], bool] | None:
        """The items of a plain action's `body` (offsets relative to it) and whether blanks end
        it; None when its parentheses do not balance. Identical bodies (`{{ end }}`, …) recur
        in a template, so each is lexed once per template."""
        if body in self.plain_bodies:
            return self.plain_bodies[body]
        tokens: list[_Token] = []
        depth = 0
        spaced = False
        result: tuple[tuple[_Token, ...], bool] | None = None
        for token in _TOKEN.finditer(body):
            kind = token.lastgroup or ""
            if kind == "space":
                spaced = True
                continue
            value = token.group()
            if kind == "word":
                kind = _WORD_KINDS.get(value, "identifier")
            elif kind == "left_paren":
                depth += 1
            elif kind == "right_paren":
                depth -= 1
                if depth < 0:
                    break
            tokens.append((kind, value, token.start(), token.end(), spaced))
            spaced = False
        else:
            if depth == 0:
                result = (tuple(tokens), spaced)
        self.plain_bodies[body] = result
        return result

    def _plain_action(self, left: int, after: int, end: int) -> bool:
        """Lex an action `_PLAIN_ACTION` matched; False (nothing emitted) when its parentheses
        do not balance, for the item-by-item lexer to report as Go does."""
        text = self.text
        # The match ends with `}}` or with ` -}}` (a lone `-` is no item, so it is the marker).
        close = end - 4 if text[end - 3] == "-" else end - 2
        body = text[after:close]
        lexed = self._plain_tokens(body)
        if lexed is None:
            return False
        tokens, spaced = lexed
        items = self.items
        first = len(items)
        new_item = _new_item
        names = False
        for kind, value, start, stop, blank in tokens:
            if kind == "field" or kind == "variable":
                names = True
            items.append(new_item(_Item, (kind, value, start + after, stop + after, left, blank)))
        if names:
            for index in range(first, len(items)):
                item = items[index]
                if item.kind == "field":
                    self._field(item.value, item.start, item.end, items[index - 1])
                elif item.kind == "variable":
                    self.variables.add(item.value)
        delimiter = close if text.startswith("}}", close) else close + 2
        items.append(
            _new_item(_Item, ("right_delim", "}}", delimiter, delimiter + 2, left, spaced))
        )
        self.actions.append(Action(left, delimiter + 2, body.strip(_SPACE)))
        self.position = delimiter + 2
        self.action_start = -1
        return True

    def _at_right_delim(self) -> bool:
        text, position = self.text, self.position
        if text.startswith("}}", position):
            return True
        return (
            text[position : position + 1] in _BLANKS
            and text[position + 1 : position + 2] == "-"
            and text.startswith("}}", position + 2)
        )

    def _right_delim(self) -> bool:
        text = self.text
        start = self.position
        body_end = start
        if not text.startswith("}}", start):
            start += 2
        self._emit("right_delim", start, start + 2)
        end = start + 2
        body = text[self.body_start : body_end].strip(_SPACE)
        self.actions.append(Action(self.action_start, end, body))
        self.position = end
        self.action_start = -1
        return True

    def _comment(self, left: int, comment_start: int) -> bool:
        text = self.text
        close = text.find("*/", comment_start + 2)
        if close < 0:
            return self._error("unclosed comment", left)
        self.position = close + 2
        if not self._at_right_delim():
            return self._error("comment ends before closing delimiter", left)
        end = self.position + (2 if text.startswith("}}", self.position) else 4)
        body = text[comment_start : close + 2]
        self.actions.append(Action(left, end, body))
        self.position = end
        self.action_start = -1
        return True

    def _inside_action(self) -> bool:
        """Lex one item inside an action (Go's `lexInsideAction`); False after an error."""
        text = self.text
        start = self.position
        if start >= len(text):
            return self._error("unclosed action", start)
        char = text[start]
        if char in _SPACE:
            return self._space()
        if char == "=":
            return self._single("assign", start, 1)
        if char == ":":
            if text[start + 1 : start + 2] != "=":
                return self._error("expected :=", start)
            return self._single("declare", start, 2)
        if char == "|":
            return self._single("pipe", start, 1)
        if char == '"':
            return self._quote(start)
        if char == "`":
            close = text.find("`", start + 1)
            if close < 0:
                return self._error("unterminated raw quoted string", start)
            self._emit("raw_string", start, close + 1)
            self.position = close + 1
            return True
        if char == "$":
            return self._field_or_variable(start, "variable")
        if char == "'":
            return self._char_constant(start)
        if char == "." and not text[start + 1 : start + 2].isdigit():
            return self._field_or_variable(start, "field")
        if char in "+-." or "0" <= char <= "9":
            return self._number(start)
        if _alphanumeric(char):
            return self._identifier(start)
        if char == "(":
            self.paren_depth += 1
            return self._single("left_paren", start, 1)
        if char == ")":
            self.paren_depth -= 1
            if self.paren_depth < 0:
                return self._error("unexpected right paren", start)
            return self._single("right_paren", start, 1)
        if char.isascii() and char.isprintable():
            return self._single("char", start, 1)
        return self._error(f"unrecognized character in action: {_describe_rune(char)}", start)

    def _single(self, kind: str, start: int, length: int) -> bool:
        self._emit(kind, start, start + length)
        self.position = start + length
        return True

    def _space(self) -> bool:
        text = self.text
        start = self.position
        end = start
        while end < len(text) and text[end] in _SPACE:
            end += 1
        if text[end - 1 : end] and text[end : end + 1] == "-" and text.startswith("}}", end + 1):
            # " -}}": the last blank belongs to the trim marker.
            end -= 1
            if end == start:
                return True
        self._emit("space", start, end)
        self.position = end
        return True

    def _quote(self, start: int) -> bool:
        return self._delimited(start, '"', "string", "unterminated quoted string")

    def _char_constant(self, start: int) -> bool:
        return self._delimited(start, "'", "char_constant", "unterminated character constant")

    def _delimited(self, start: int, closing: str, kind: str, unterminated: str) -> bool:
        """A `"…"` string or `'…'` constant: backslash escapes, no line break (Go's lexer)."""
        text = self.text
        index = start + 1
        while True:
            char = text[index : index + 1]
            if char == "\\":
                following = text[index + 1 : index + 2]
                if following not in ("", "\n"):
                    index += 2
                    continue
                return self._error(unterminated, start)
            if char in ("", "\n"):
                return self._error(unterminated, start)
            if char == closing:
                break
            index += 1
        self._emit(kind, start, index + 1)
        self.position = index + 1
        return True

    def _at_terminator(self, index: int) -> bool:
        char = self.text[index : index + 1]
        return (
            char in ("", ".", ",", "|", ":", ")", "(")
            or char in _SPACE
            or (self.text.startswith("}}", index))
        )

    def _field_or_variable(self, start: int, kind: str) -> bool:
        text = self.text
        index = start + 1
        if self._at_terminator(index):
            self._emit("variable" if kind == "variable" else "dot", start, index)
            self.position = index
            return True
        while index < len(text) and _alphanumeric(text[index]):
            index += 1
        if not self._at_terminator(index):
            return self._error(f"bad character {_describe_rune(text[index])}", start)
        self._emit(kind, start, index)
        self.position = index
        return True

    def _identifier(self, start: int) -> bool:
        text = self.text
        index = start
        while index < len(text) and _alphanumeric(text[index]):
            index += 1
        if not self._at_terminator(index):
            return self._error(f"bad character {_describe_rune(text[index])}", start)
        word = text[start:index]
        if word in _KEYWORDS:
            kind = _KEYWORDS[word]
        elif word in ("true", "false"):
            kind = "bool"
        else:
            kind = "identifier"
        self._emit(kind, start, index)
        self.position = index
        return True

    def _number(self, start: int) -> bool:
        text = self.text
        end, valid = _scan_number(text, start)
        if not valid:
            return self._error(f"bad number syntax: {quote(text[start:end])}", start)
        self._emit("number", start, end)
        self.position = end
        return True


def _scan_number(text: str, start: int) -> tuple[int, bool]:
    """End of the number at `start` (Go's `scanNumber`, complex numbers included) and whether
    it is one; a bad number ends just past its first wrong character, as Go quotes it."""

    def scan(index: int) -> int:
        if text[index : index + 1] in ("+", "-"):
            index += 1
        digits = "0123456789_"
        if text[index : index + 1] == "0" and text[index + 1 : index + 2] in tuple("xXoObB"):
            index += 2
            digits = {"x": "0123456789abcdefABCDEF_", "o": "01234567_", "b": "01_"}[
                text[index - 1].lower()
            ]
        while text[index : index + 1] and text[index] in digits:
            index += 1
        if text[index : index + 1] == ".":
            index += 1
            while text[index : index + 1] and text[index] in digits:
                index += 1
        exponent = {11: "eE", 23: "pP"}.get(len(digits), "")
        if text[index : index + 1] and text[index] in exponent:
            index += 1
            if text[index : index + 1] in ("+", "-"):
                index += 1
            while text[index : index + 1] and text[index] in "0123456789_":
                index += 1
        if text[index : index + 1] == "i":
            index += 1
        return index

    end = scan(start)
    if text[end : end + 1] in ("+", "-") and text[end - 1 : end] != "i":
        # A complex number: real part followed by a signed imaginary part.
        imaginary_end = scan(end)
        if text[imaginary_end - 1 : imaginary_end] == "i":
            end = imaginary_end
    if end < len(text) and _alphanumeric(text[end]):
        return end + 1, False
    return end, any(char.isdigit() for char in text[start:end])


class _ParseError(Exception):
    """Go's parser stopped: `reason` at Go's `line`; `span` is what lint underlines."""

    def __init__(self, reason: str, line: int, span: tuple[int, int], kind: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.span = span
        self.kind = kind


class _Parser:
    """Go's `parse.Tree` for one template: top-level list, `{{define}}`s and `{{block}}`s."""

    def __init__(self, text: str, items: list[_Item], functions: frozenset[str]) -> None:
        self.text = text
        # The last item (EOF or an error) repeated: Go's parser may look one past where it stops.
        self.items = [*items, items[-1], items[-1]]
        self.functions = functions
        self.index = 0
        self.furthest = 0
        self.variables: list[str] = ["$"]
        self.range_depth = 0
        self.action_left = -1
        """Offset of the `{{` of the action being parsed (Go's `actionLine`), or -1."""
        self.open_blocks: list[int] = []
        """Offsets of the `{{` of each block being parsed (innermost last)."""

    # token access, as Go's next/backup/peek (the error line is the furthest item read)
    def _next(self) -> _Item:
        index = self.index
        item = self.items[index]
        if index > self.furthest:
            self.furthest = index
        self.index = index + 1
        return item

    def _backup(self, count: int = 1) -> None:
        self.index -= count

    def _peek(self) -> _Item:
        item = self._next()
        self._backup()
        return item

    def _line_at(self, offset: int) -> int:
        """Go's line number at `offset` (items carry offsets; lines are only needed on error)."""
        return 1 + self.text.count("\n", 0, offset)

    def _error_line(self) -> int:
        return self._line_at(self.items[self.furthest].start)

    def _action_span(self, item: _Item) -> tuple[int, int]:
        """The whole action around `item` (its `{{` .. past its `}}`), or the item itself."""
        start = item.action_start
        if start < 0:
            return item.start, max(item.end, item.start + 1)
        for later in self.items[self.index - 1 :]:
            if later.kind == "right_delim" and later.start >= item.start:
                return start, later.end
        return start, start + 2

    def _fail(self, reason: str, item: _Item, kind: str = "") -> _ParseError:
        return _ParseError(reason, self._error_line(), self._action_span(item), kind)

    def _unexpected(self, item: _Item, context: str) -> _ParseError:
        if item.kind == "error":
            extra = ""
            action_line = self._line_at(self.action_left) if self.action_left >= 0 else 0
            if action_line not in (0, self._line_at(item.start)):
                extra = f" in action started at :{action_line}"
                if item.value.endswith(" action"):
                    extra = extra[len(" in action") :]
            start = item.action_start if item.action_start >= 0 else item.start
            return _ParseError(f"{item}{extra}", self._error_line(), (start, start + 2), item.value)
        return self._fail(f"unexpected {item} in {context}", item)

    def _expect(self, kind: str, context: str) -> _Item:
        item = self._next()
        if item.kind != kind:
            raise self._unexpected(item, context)
        return item

    # the grammar
    def parse(self) -> None:
        """Go's `Tree.parse`: the top level runs to EOF and also accepts `{{define}}`."""
        while self._peek().kind != "eof":
            if self._peek().kind == "left_delim":
                mark = self.index
                delimiter = self._next()
                if self._next().kind == "define":
                    self._definition(delimiter)
                    continue
                self.index = mark
            node, item = self._text_or_action()
            if node in ("end", "else"):
                raise self._fail(f"unexpected {{{{{node}}}}}", item, node)

    def _definition(self, delimiter: _Item) -> None:
        context = "define clause"
        saved = (self.variables, self.range_depth)
        self.variables, self.range_depth = ["$"], 0
        item = self._next()
        if item.kind not in ("string", "raw_string"):
            raise self._unexpected(item, context)
        self._unquote(item)
        self._expect("right_delim", context)
        self.open_blocks.append(delimiter.start)
        end, end_item = self._item_list()
        if end != "end":
            raise self._fail(f"unexpected {{{{{end}}}}} in {context}", end_item, end)
        self.open_blocks.pop()
        self.variables, self.range_depth = saved

    def _item_list(self) -> tuple[str, _Item]:
        """Go's `itemList`: nodes up to `{{end}}` or `{{else}}` (returned), EOF is an error."""
        while self._peek().kind != "eof":
            node, item = self._text_or_action()
            if node in ("end", "else"):
                return node, item
        eof = self._peek()
        opener = self.open_blocks[-1] if self.open_blocks else eof.start
        span = (opener, self._action_end(opener))
        raise _ParseError("unexpected EOF", self._error_line(), span, "eof")

    def _action_end(self, start: int) -> int:
        for item in self.items:
            if item.kind == "right_delim" and item.start > start:
                return item.end
        return start + 2

    def _text_or_action(self) -> tuple[str, _Item]:
        item = self._next()
        if item.kind == "text":
            return "text", item
        if item.kind == "left_delim":
            self.action_left = item.start
            try:
                return self._action(item)
            finally:
                self.action_left = -1
        raise self._unexpected(item, "input")

    def _action(self, delimiter: _Item) -> tuple[str, _Item]:
        item = self._next()
        kind = item.kind
        if kind == "block":
            self._block(delimiter)
        elif kind in ("break", "continue"):
            after = self._next()
            if after.kind != "right_delim":
                raise self._unexpected(after, f"{{{{{kind}}}}}")
            if self.range_depth == 0:
                raise self._fail(f"{{{{{kind}}}}} outside {{{{range}}}}", item, kind)
        elif kind == "else":
            peek = self._peek()
            if peek.kind not in ("if", "with"):
                self._expect("right_delim", "else")
            return "else", item
        elif kind == "end":
            self._expect("right_delim", "end")
            return "end", item
        elif kind in ("if", "range", "with"):
            self._control(kind, delimiter)
        elif kind == "template":
            name = self._next()
            self._template_name(name, "template clause")
            if self._next().kind != "right_delim":
                self._backup()
                self._pipeline("template clause", "right_delim")
        else:
            self._backup()
            if item.kind == "right_delim":
                self._pipeline("command", "right_delim", empty_action=True)
            else:
                self._pipeline("command", "right_delim")
        return "action", item

    def _control(self, context: str, delimiter: _Item) -> None:
        """Go's `parseControl` for if/range/with, including `{{else if}}`/`{{else with}}`."""
        depth = len(self.variables)
        self._pipeline(context, "right_delim")
        if context == "range":
            self.range_depth += 1
        self.open_blocks.append(delimiter.start)
        node, item = self._item_list()
        if context == "range":
            self.range_depth -= 1
        if node == "else":
            following = self._peek()
            if context in ("if", "with") and following.kind == context:
                self._next()
                self._control(context, delimiter)
            else:
                node, item = self._item_list()
                if node != "end":
                    raise self._fail(f"expected end; found {{{{{node}}}}}", item)
        self.open_blocks.pop()
        del self.variables[depth:]

    def _block(self, delimiter: _Item) -> None:
        context = "block clause"
        name = self._next()
        self._template_name(name, context)
        self._pipeline(context, "right_delim")
        saved = (self.variables, self.range_depth)
        self.variables, self.range_depth = ["$"], 0
        self.open_blocks.append(delimiter.start)
        end, end_item = self._item_list()
        if end != "end":
            raise self._fail(f"unexpected {{{{{end}}}}} in {context}", end_item, end)
        self.open_blocks.pop()
        self.variables, self.range_depth = saved

    def _template_name(self, item: _Item, context: str) -> None:
        if item.kind not in ("string", "raw_string"):
            raise self._unexpected(item, context)
        self._unquote(item)

    def _unquote(self, item: _Item) -> None:
        """Go's `strconv.Unquote` check on a string literal."""
        if item.kind == "string" and _STRING_ESCAPE.sub("", item.value).count("\\"):
            raise self._fail("invalid syntax", item)

    def _pipeline(self, context: str, end: str, *, empty_action: bool = False) -> None:
        """Go's `pipeline`: declarations, then commands separated by `|`, up to `end`."""
        commands: list[str] = []
        declarations = 0
        while True:
            variable = self._peek()
            if variable.kind != "variable":
                break
            mark = self.index
            self._next()
            following = self._peek()
            if following.kind in ("assign", "declare"):
                self._next()
                declarations += 1
                self.variables.append(variable.value)
                break
            if following.kind == "char" and following.value == ",":
                self._next()
                declarations += 1
                self.variables.append(variable.value)
                if context == "range" and declarations < 2:
                    if self._peek().kind in ("variable", "right_delim", "right_paren"):
                        continue
                    raise self._fail("range can only initialize variables", following)
                raise self._fail(f"too many declarations in {context}", following)
            # `$x` is an operand, not a declaration: read it again as one.
            self.index = mark
            break
        while True:
            item = self._next()
            if item.kind == end:
                if not commands:
                    reason = f"missing value for {context}"
                    kind = "empty" if empty_action else ""
                    raise self._fail(reason, item, kind)
                for stage, first in enumerate(commands[1:], start=2):
                    if first in ("bool", "dot", "nil", "number", "string", "raw_string",
                                 "char_constant"):  # fmt: skip
                        raise self._fail(f"non executable command in pipeline stage {stage}", item)
                return
            if item.kind in _OPERAND_START:
                self._backup()
                commands.append(self._command())
            else:
                raise self._unexpected(item, context)

    def _command(self) -> str:
        """Go's `command`: operands up to `|` (consumed) or a closing delimiter (left)."""
        first = ""
        count = 0
        space_taken = -1
        while True:
            operand = self._operand()
            if operand:
                count += 1
                first = first or operand
            item = self._next()
            if item.kind in ("right_delim", "right_paren"):
                self._backup()
            elif item.spaced and space_taken != self.index and item.kind != "pipe":
                # Go reads the blank as its own item and tries one more operand after it.
                space_taken = self.index
                self._backup()
                continue
            elif item.kind != "pipe":
                raise self._unexpected(item, "operand")
            break
        if count == 0:
            raise self._fail("empty command", item)
        return first

    def _operand(self) -> str:
        term = self._term()
        if not term:
            return ""
        if self._peek().kind == "field" and not self._peek().spaced:
            chain: list[str] = []
            while self._peek().kind == "field" and not self._peek().spaced:
                chain.append(self._next().value)
            if term in ("bool", "string", "raw_string", "number", "char_constant", "nil", "dot"):
                last = self.items[self.index - len(chain) - 1]
                raise self._fail(f"unexpected . after term {quote(last.value)}", last)
            if term == "field":
                return "field"
            return "chain" if term not in ("variable",) else "variable"
        return term

    def _term(self) -> str:
        item = self._next()
        kind = item.kind
        if kind == "identifier":
            if item.value not in self.functions:
                raise self._fail(f"function {quote(item.value)} not defined", item)
            return kind
        if kind == "variable":
            if item.value not in self.variables:
                raise self._fail(f"undefined variable {quote(item.value)}", item)
            return kind
        if kind in ("dot", "nil", "field", "bool", "number", "char_constant", "raw_string"):
            if kind == "char_constant" and not _valid_char_constant(item.value):
                raise self._fail(f"malformed character constant: {item.value}", item)
            return kind
        if kind == "string":
            self._unquote(item)
            return kind
        if kind == "left_paren":
            self._pipeline("parenthesized pipeline", "right_paren")
            return "pipeline"
        self._backup()
        return ""


def _valid_char_constant(literal: str) -> bool:
    inner = literal[1:-1]
    if len(inner) == 1 and inner != "\\":
        return True
    return bool(inner.startswith("\\") and _STRING_ESCAPE.fullmatch(inner.replace("'", '"')))


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of `offset` (CRLF, CR and LF each end one line)."""
    before = text[:offset]
    line = 1 + before.count("\n") + before.count("\r") - before.count("\r\n")
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return line, offset - line_start + 1


_HUMAN_MESSAGES: dict[str, str] = {
    "unclosed action": "unclosed action: this {{ has no matching }}",
    "unterminated quoted string": "unterminated string: this {{ has no matching }}",
    "unterminated raw quoted string": "unterminated raw string: this {{ has no matching }}",
    "unterminated character constant": (
        "unterminated character constant: this {{ has no matching }}"
    ),
    "unclosed comment": "unclosed comment: this {{ has no matching }}",
    "unclosed left paren": "unclosed left paren: a ( in this action has no matching )",
    "empty": "missing value for command: empty action {{ }}",
    "end": "unexpected {{end}}: no block is open",
    "else": "unexpected {{else}}: not inside if, range or with",
    "break": "{{break}} outside {{range}}",
    "continue": "{{continue}} outside {{range}}",
}


def _human_message(error: _ParseError, text: str) -> str:
    """A short message for the editor; Go's own reason when there is nothing clearer to say."""
    if error.kind == "eof":
        opener = text[error.span[0] : error.span[1]]
        keyword = Action(0, 0, opener[2:-2].strip(" \t\r\n-")).keyword or "block"
        return f"{{{{{keyword}}}}} opened here has no {{{{end}}}}"
    return _HUMAN_MESSAGES.get(error.kind, error.reason)


def check_template(text: str, *, functions: frozenset[str] = TEMPLATE_FUNCTIONS) -> TemplateCheck:
    """Parse `text` as Go's `text/template` does with Ollama's func map: see `check_and_lex`."""
    return check_and_lex(text, functions=functions)[0]


def check_and_lex(
    text: str, *, functions: frozenset[str] = TEMPLATE_FUNCTIONS
) -> tuple[TemplateCheck, tuple[Item, ...]]:
    """Parse `text` as Go's `text/template` does with Ollama's func map (`functions`); also
    the lexer's items, which the prompt renderer builds its parse tree from.

    `.problems` holds the first error Go would report (none when Ollama's create accepts the
    template); `.actions`, `.fields`, `.variables` describe what was lexed. Nesting deeper than
    Python's recursion limit allows (hundreds of levels) is reported as no error.

    The last few texts are remembered (both results are immutable): lint, the model-aware
    rules and the prompt renderer each check the same TEMPLATE of an editor buffer, and a
    keystroke outside the TEMPLATE leaves it unchanged."""
    return _check_and_lex(text, functions)


@functools.lru_cache(maxsize=32)
def _check_and_lex(text: str, functions: frozenset[str]) -> tuple[TemplateCheck, tuple[Item, ...]]:
    lexer = _Lexer(text)
    items = lexer.run()
    problems: tuple[TemplateProblem, ...] = ()
    try:
        _Parser(text, items, functions).parse()
    except RecursionError:
        # Hundreds of nested blocks or parentheses: Go parses them; claim no error we cannot see.
        pass
    except _ParseError as error:
        start, end = error.span
        line, column = _position(text, start)
        end_line, end_column = _position(text, end)
        problem = TemplateProblem(
            _human_message(error, text),
            start,
            end,
            line,
            column,
            end_line,
            end_column,
            error.reason,
            error.line,
        )
        problems = (problem,)
    check = TemplateCheck(
        tuple(lexer.actions), problems, frozenset(lexer.fields), frozenset(lexer.variables)
    )
    return check, tuple(items)


def forget_checked_templates() -> None:
    """Forget the remembered checks (benchmarks use it to measure a cold parse)."""
    _check_and_lex.cache_clear()


def create_error(text: str) -> str | None:
    """Ollama's create answer for TEMPLATE `text` (`template error: template: :1: …`), or None
    when its server accepts the template."""
    problem = check_template(text).error
    return problem.create_error if problem is not None else None


def literal_text(text: str) -> str:
    """The template's literal text outside actions (what it writes around the placeholders)."""
    pieces: list[str] = []
    index = 0
    for action in check_template(text).actions:
        pieces.append(text[index : action.start])
        index = action.end
    pieces.append(text[index:])
    return "".join(pieces)


Item = _Item
"""A lexer item (kind, value, offsets, enclosing action, blanks before it)."""


def lex(text: str) -> list[Item]:
    """Go's lexer items for `text`: text, delimiters and action items, then EOF (or the error
    item that stopped it). Comments give no item."""
    return _Lexer(text).run()
