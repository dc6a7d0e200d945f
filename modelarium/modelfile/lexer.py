"""Pygments lexer for Modelfiles, with Go template actions inside TEMPLATE values.

Registered as the `modelfile` entry point under `pygments.lexers`, so `pygmentize -l
modelfile Modelfile` works once the package is installed.

The lexer follows Ollama's quoting rules: a `\"\"\"` value ends on the first line whose text
(minus trailing blanks) ends with `\"\"\"`, a `"` value on the first line ending with `"`, and a
bare value at the end of its line. No rule matches across a line break, and every state a line
can end in handles the line break itself, so **the state stack at a line start describes the
lexer completely**: re-lexing from any line with the stack saved there gives the same tokens as
lexing the whole text. `lex_line` / `lex_lines` expose exactly that for incremental
highlighting:

    stack = ROOT_STACK
    for tokens, stack in lex_lines(lines, stack):   # lines keep their line breaks
        ...

The stacks are tuples of state names (`("root",)`, `("root", "template-triple")`,
`("root", "template-triple", "action-triple")`, …); equal stacks mean equal futures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from pygments.lexer import RegexLexer, default
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
    _TokenType,
)

from modelarium.modelfile.params import DEPRECATED_PARAMETERS, PARAMETERS

LexerStack = tuple[str, ...]
"""A lexer state stack (innermost state last)."""

ROOT_STACK: LexerStack = ("root",)

Token = tuple[int, _TokenType, str]
"""(offset in the lexed text, token type, text)."""

_NL = r"(?=[\r\n]|\Z)"
"""Lookahead for the end of a line (or of the text, where Ollama also commits a value)."""


def _words(names: Iterable[str]) -> str:
    ordered = sorted(names, key=lambda name: (-len(name), name))
    return "|".join(re.escape(name) for name in ordered)


_KNOWN = _words(name for name in PARAMETERS if name != "stop")
_DEPRECATED = _words(DEPRECATED_PARAMETERS)

_TEMPLATE_KEYWORDS = r"\b(?:if|else|end|range|with|define|block|template|break|continue|nil)\b"
_TEMPLATE_FUNCTIONS = (
    r"\b(?:and|or|not|len|index|slice|eq|ne|lt|le|gt|ge|print|printf|println|html|js|"
    r"urlquery|call|json|currentDate|toTypeScriptType)\b"
)


_EOL = r"(?:\r\n|[\r\n])?"
"""The line break ending a token's line, if any (kept in the token: fewer tokens, faster)."""

_BLANKS = r"[ \t]*"


def _action_rules(close: str, comment_state: str) -> list[Any]:
    """Rules for one `{{ … }}` state. `close` is how the surrounding Modelfile value ends
    (`\"\"\"` or `"` at a line end, or the line end of a bare value): Ollama's quoting still
    decides that inside an action, so the TEMPLATE ends there even if the action does not.

    Trailing blanks are folded into the token before them and the most frequent rules come
    first: Pygments tries rules in order, so this keeps lexing fast on big templates. The
    `close` rule only needs to precede the rules that can match its first character."""
    return [
        (r"[ \t]*-?\}\}", Punctuation, "#pop"),
        (r"[(),][ \t]*", Punctuation),
        (_TEMPLATE_FUNCTIONS + _BLANKS, Name.Builtin),
        (_TEMPLATE_KEYWORDS + _BLANKS, Keyword),
        (r"\$[A-Za-z0-9_]*[ \t]*", Name.Variable),
        (r"\.[A-Za-z_][A-Za-z0-9_]*[ \t]*", Name.Attribute),
        (r"(?:true|false)\b[ \t]*", Keyword.Constant),
        (r"[A-Za-z_][A-Za-z0-9_]*[ \t]*", Name),
        (close, String.Delimiter, ("#pop", "#pop")),
        (r'"(?:\\.|[^"\\\r\n])*"[ \t]*', String.Double),
        (r"[ \t]+", Whitespace),
        (r"(?::=|=|\|)[ \t]*", Operator),
        (r"[-+]?\d+(?:\.\d+)?[ \t]*", Number),
        (r"\r\n|[\r\n]", Whitespace),
        (r"/\*.*?\*/[ \t]*", Comment.Multiline),
        (r"/\*", Comment.Multiline, comment_state),
        (r"\.[ \t]*", Name.Attribute),
        (r"`[^`\r\n]*`[ \t]*", String.Backtick),
        (r"'(?:\\.|[^'\\\r\n])'[ \t]*", String.Char),
        (r".", Text),
    ]


def _comment_rules(close: str, *, line_ends_value: bool = False) -> list[Any]:
    """Rules inside a `/* … */` that spans lines within an action (`close` as above; with
    `line_ends_value` the line break itself ends the Modelfile value)."""
    content = r'(?:[^*"\r\n]|\*(?!/))+' + ("" if line_ends_value else _EOL)
    return [
        (content, Comment.Multiline),
        (r"\*/", Comment.Multiline, "#pop"),
        (close, String.Delimiter, ("#pop", "#pop", "#pop")),
        (r'"', Comment.Multiline),
        (r"\r\n|[\r\n]", Comment.Multiline),
    ]


_CLOSE_TRIPLE = r'"""[ \t]*' + _NL
_CLOSE_DOUBLE = r'"[ \t]*' + _NL
_CLOSE_PLAIN = r"\r\n|[\r\n]"


class ModelfileLexer(RegexLexer):
    """Ollama Modelfiles: instructions, PARAMETER names and values, quoted values, comments
    and, inside TEMPLATE, Go template actions."""

    name = "Modelfile"
    aliases: ClassVar[list[str]] = ["modelfile"]
    filenames: ClassVar[list[str]] = ["Modelfile", "*.modelfile", "*.Modelfile"]
    mimetypes: ClassVar[list[str]] = ["text/x-modelfile"]
    url = "https://github.com/ollama/ollama/blob/main/docs/modelfile.mdx"

    # A keyword token ends before its blank; the blank starts the next token (a PARAMETER
    # name, a role, a value) and a value token includes its line break: fewer, longer tokens
    # keep the lexer fast. Rules are ordered by how often they match.
    tokens: ClassVar[dict[str, list[Any]]] = {
        "root": [
            (r"(?i)parameter(?=[ \t])", Keyword, "parameter-name"),
            (r"(?i)message(?=[ \t])", Keyword, "message-role"),
            (r"\r\n|[\r\n]", Whitespace),
            (r"#[^\r\n]*" + _EOL, Comment.Single),
            (r"[ \t]+", Whitespace),
            (r"(?i)from(?=[ \t])", Keyword, "from-value"),
            (r"(?i)template(?=[ \t])", Keyword, "template-value"),
            (
                r"(?i)(?:license|system|adapter|draft|renderer|parser|requires)(?=[ \t])",
                Keyword,
                "value",
            ),
            # Ollama swallows a non-printable rune at a line start (form feed, ZWSP, a BOM).
            (r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2060\ufeff]", Whitespace),
            (r"[^\r\n]+" + _EOL, Error),
        ],
        "parameter-name": [
            (r"[ \t]stop[ \t]", Name.Attribute, ("#pop", "value")),
            (rf"[ \t](?:{_KNOWN})[ \t]", Name.Attribute, ("#pop", "number")),
            (rf"[ \t](?:{_DEPRECATED})[ \t]", Name.Exception, ("#pop", "value")),
            (r"[ \t][A-Za-z0-9_]*[ \t]", Name.Other, ("#pop", "value")),
            (r"[^\r\n]+" + _EOL, Error, "#pop"),
            (r"\r\n|[\r\n]", Whitespace, "#pop"),
        ],
        "message-role": [
            (r"[ \t](?:system|user|assistant)[ \t]", Name.Label, ("#pop", "value")),
            (r"[^\r\n]+" + _EOL, Error, "#pop"),
            (r"\r\n|[\r\n]", Whitespace, "#pop"),
        ],
        "number": [
            (
                r"[ \t]*[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?[ \t]*(?:\r\n|[\r\n]|\Z)",
                Number,
                "#pop",
            ),
            (
                r"[ \t]*(?:true|false|True|False|TRUE|FALSE)[ \t]*(?:\r\n|[\r\n]|\Z)",
                Keyword.Constant,
                "#pop",
            ),
            default(("#pop", "value")),
        ],
        "value": [
            (r'[ \t]*"""', String.Delimiter, ("#pop", "triple")),
            (r'[ \t]*"', String.Delimiter, ("#pop", "double")),
            (r"[^\r\n]+" + _EOL, String, "#pop"),
            (r"\r\n|[\r\n]", Whitespace, "#pop"),
        ],
        "from-value": [
            (r'[ \t]*"""', String.Delimiter, ("#pop", "triple")),
            (r'[ \t]*"', String.Delimiter, ("#pop", "double")),
            (r"[^\r\n]+" + _EOL, Name.Namespace, "#pop"),
            (r"\r\n|[\r\n]", Whitespace, "#pop"),
        ],
        "triple": [
            (r'[^"\r\n]+' + _EOL, String),
            (r'"""[ \t]*' + _NL, String.Delimiter, "#pop"),
            (r'"', String),
            (r"\r\n|[\r\n]", String),
        ],
        "double": [
            (r'[^"\r\n]+' + _EOL, String),
            (r'"[ \t]*' + _NL, String.Delimiter, "#pop"),
            (r'"', String),
            (r"\r\n|[\r\n]", String),
        ],
        "template-value": [
            (r'[ \t]*"""', String.Delimiter, ("#pop", "template-triple")),
            (r'[ \t]*"', String.Delimiter, ("#pop", "template-double")),
            default(("#pop", "template-plain")),
        ],
        "template-triple": [
            (r"\{\{-?[ \t]*", Punctuation, "action-triple"),
            (r'[^"{\r\n]+' + _EOL + r"|\r\n|[\r\n]", String),
            (_CLOSE_TRIPLE, String.Delimiter, "#pop"),
            (r'["{]', String),
        ],
        "template-double": [
            (r"\{\{-?[ \t]*", Punctuation, "action-double"),
            (r'[^"{\r\n]+' + _EOL + r"|\r\n|[\r\n]", String),
            (_CLOSE_DOUBLE, String.Delimiter, "#pop"),
            (r'["{]', String),
        ],
        "template-plain": [
            (r"\{\{-?[ \t]*", Punctuation, "action-plain"),
            (r"[^{\r\n]+", String),
            (r"\{", String),
            (_CLOSE_PLAIN, Whitespace, "#pop"),
        ],
        "action-triple": _action_rules(_CLOSE_TRIPLE, "comment-triple"),
        "action-double": _action_rules(_CLOSE_DOUBLE, "comment-double"),
        "action-plain": _action_rules(_CLOSE_PLAIN, "comment-plain"),
        "comment-triple": _comment_rules(_CLOSE_TRIPLE),
        "comment-double": _comment_rules(_CLOSE_DOUBLE),
        "comment-plain": _comment_rules(_CLOSE_PLAIN, line_ends_value=True),
    }


_shared_lexer: ModelfileLexer | None = None


def _lexer() -> ModelfileLexer:
    global _shared_lexer
    if _shared_lexer is None:
        _shared_lexer = ModelfileLexer(stripnl=False, ensurenl=False)
    return _shared_lexer


def lex_line(text: str, stack: LexerStack = ROOT_STACK) -> tuple[list[Token], LexerStack]:
    """Lex `text` (one line with its line break, or any text) from `stack`.

    Returns the tokens (offsets relative to `text`) and the stack at the end, which is the
    stack to start the next line with. Runs Pygments' own `RegexLexer` algorithm.
    """
    lexer = _lexer()
    tokendefs: dict[str, list[Any]] = type(lexer)._tokens  # type: ignore[attr-defined]
    states = list(stack)
    rules = tokendefs[states[-1]]
    found: list[Token] = []
    position = 0
    length = len(text)
    while position < length:
        for match_at, action, new_state in rules:
            match = match_at(text, position)
            if match is None:
                continue
            if action is not None:
                if type(action) is _TokenType:
                    found.append((position, action, match.group()))
                else:
                    found.extend(action(lexer, match))
            position = match.end()
            if new_state is not None:
                _transition(states, new_state)
                rules = tokendefs[states[-1]]
            break
        else:
            if text[position] == "\n":
                states = ["root"]
                rules = tokendefs["root"]
                found.append((position, Whitespace, "\n"))
            else:
                found.append((position, Error, text[position]))
            position += 1
    return found, tuple(states)


def _transition(states: list[str], new_state: Any) -> None:
    """Apply a compiled Pygments transition to `states` in place, as Pygments does."""
    if isinstance(new_state, tuple):
        for state in new_state:
            if state == "#pop":
                if len(states) > 1:
                    states.pop()
            elif state == "#push":
                states.append(states[-1])
            else:
                states.append(state)
    elif isinstance(new_state, int):
        if abs(new_state) >= len(states):
            del states[1:]
        else:
            del states[new_state:]
    elif new_state == "#push":
        states.append(states[-1])


def lex_lines(
    lines: Iterable[str], start_stack: LexerStack = ROOT_STACK
) -> Iterator[tuple[list[Token], LexerStack]]:
    """Lex lines one after another: yields each line's tokens and the stack after it.

    `lines` keep their line breaks (`text.splitlines(keepends=True)`); the concatenation of
    the tokens equals `ModelfileLexer().get_tokens_unprocessed(''.join(lines))` with offsets
    taken per line.
    """
    stack = start_stack
    for line in lines:
        tokens, stack = lex_line(line, stack)
        yield tokens, stack
