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
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

from pygments.lexer import RegexLexer, default, include
from pygments.lexer import bygroups as _untyped_bygroups
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

bygroups: Callable[..., Any] = _untyped_bygroups
"""Pygments' `bygroups`, typed for mypy."""

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


def _action_rules() -> list[Any]:
    """Rules shared by the `{{ … }}` states (everything but how the Modelfile value closes)."""
    return [
        (r"-?\}\}", Punctuation, "#pop"),
        (r"/\*.*?\*/", Comment.Multiline),
        (r"/\*[^\r\n]*", Comment.Multiline),
        (_TEMPLATE_KEYWORDS, Keyword),
        (r"\b(?:true|false)\b", Keyword.Constant),
        (_TEMPLATE_FUNCTIONS, Name.Builtin),
        (r"\$[A-Za-z0-9_]*", Name.Variable),
        (r"\.[A-Za-z_][A-Za-z0-9_]*", Name.Attribute),
        (r"\.", Name.Attribute),
        (r'"(?:\\.|[^"\\\r\n])*"', String.Double),
        (r"`[^`\r\n]*`", String.Backtick),
        (r"'(?:\\.|[^'\\\r\n])'", String.Char),
        (r"[-+]?\d+(?:\.\d+)?", Number),
        (r":=|=|\|", Operator),
        (r"[(),]", Punctuation),
        (r"[A-Za-z_][A-Za-z0-9_]*", Name),
        (r"[ \t]+", Whitespace),
        (r"[\r\n]", Whitespace),
        (r".", Text),
    ]


class ModelfileLexer(RegexLexer):
    """Ollama Modelfiles: instructions, PARAMETER names and values, quoted values, comments
    and, inside TEMPLATE, Go template actions."""

    name = "Modelfile"
    aliases: ClassVar[list[str]] = ["modelfile"]
    filenames: ClassVar[list[str]] = ["Modelfile", "*.modelfile", "*.Modelfile"]
    mimetypes: ClassVar[list[str]] = ["text/x-modelfile"]
    url = "https://github.com/ollama/ollama/blob/main/docs/modelfile.mdx"

    tokens: ClassVar[dict[str, list[Any]]] = {
        "root": [
            (r"[ \t]+", Whitespace),
            (r"[\r\n]", Whitespace),
            (r"#[^\r\n]*", Comment.Single),
            # Ollama swallows a non-printable rune at a line start (form feed, ZWSP, a BOM).
            (r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2060\ufeff]", Whitespace),
            (r"(?i)(from)([ \t])", bygroups(Keyword, Whitespace), "from-value"),
            (r"(?i)(template)([ \t])", bygroups(Keyword, Whitespace), "template-value"),
            (
                r"(?i)(license|system|adapter|draft|renderer|parser|requires)([ \t])",
                bygroups(Keyword, Whitespace),
                "value",
            ),
            (r"(?i)(parameter)([ \t])", bygroups(Keyword, Whitespace), "parameter-name"),
            (r"(?i)(message)([ \t])", bygroups(Keyword, Whitespace), "message-role"),
            (r"[^\r\n]+", Error),
        ],
        "parameter-name": [
            (r"(stop)([ \t])", bygroups(Name.Attribute, Whitespace), ("#pop", "value")),
            (rf"({_KNOWN})([ \t])", bygroups(Name.Attribute, Whitespace), ("#pop", "number")),
            (rf"({_DEPRECATED})([ \t])", bygroups(Name.Exception, Whitespace), ("#pop", "value")),
            (r"([A-Za-z0-9_]*)([ \t])", bygroups(Name.Other, Whitespace), ("#pop", "value")),
            (r"[^\r\n]+", Error, "#pop"),
            (r"[\r\n]", Whitespace, "#pop"),
        ],
        "message-role": [
            (
                r"(system|user|assistant)([ \t])",
                bygroups(Name.Label, Whitespace),
                ("#pop", "value"),
            ),
            (r"[^\r\n]+", Error, "#pop"),
            (r"[\r\n]", Whitespace, "#pop"),
        ],
        "number": [
            (r"[ \t]+", Whitespace),
            (r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?[ \t]*" + _NL, Number, "#pop"),
            (r"(?:true|false|True|False|TRUE|FALSE)[ \t]*" + _NL, Keyword.Constant, "#pop"),
            default(("#pop", "value")),
        ],
        "quotes": [
            (r'"""', String.Delimiter, ("#pop", "triple")),
            (r'"', String.Delimiter, ("#pop", "double")),
        ],
        "value": [
            (r"[ \t]+", Whitespace),
            include("quotes"),
            (r"[^\r\n]+", String),
            (r"[\r\n]", Whitespace, "#pop"),
        ],
        "from-value": [
            (r"[ \t]+", Whitespace),
            include("quotes"),
            (r"[^\r\n]+", Name.Namespace),
            (r"[\r\n]", Whitespace, "#pop"),
        ],
        "triple": [
            (r'"""[ \t]*' + _NL, String.Delimiter, "#pop"),
            (r'[^"\r\n]+', String),
            (r'"', String),
            (r"[\r\n]", String),
        ],
        "double": [
            (r'"[ \t]*' + _NL, String.Delimiter, "#pop"),
            (r'[^"\r\n]+', String),
            (r'"', String),
            (r"[\r\n]", String),
        ],
        "template-value": [
            (r"[ \t]+", Whitespace),
            (r'"""', String.Delimiter, ("#pop", "template-triple")),
            (r'"', String.Delimiter, ("#pop", "template-double")),
            default(("#pop", "template-plain")),
        ],
        "template-triple": [
            (r'"""[ \t]*' + _NL, String.Delimiter, "#pop"),
            (r"\{\{-?", Punctuation, "action-triple"),
            (r'[^"{\r\n]+', String),
            (r'["{]', String),
            (r"[\r\n]", String),
        ],
        "template-double": [
            (r'"[ \t]*' + _NL, String.Delimiter, "#pop"),
            (r"\{\{-?", Punctuation, "action-double"),
            (r'[^"{\r\n]+', String),
            (r'["{]', String),
            (r"[\r\n]", String),
        ],
        "template-plain": [
            (r"\{\{-?", Punctuation, "action-plain"),
            (r"[^{\r\n]+", String),
            (r"\{", String),
            (r"[\r\n]", Whitespace, "#pop"),
        ],
        # Inside an action Ollama's quoting still decides where the value ends: a line ending
        # with the closing quote ends the TEMPLATE even if the action is unfinished.
        "action-triple": [
            (r'"""[ \t]*' + _NL, String.Delimiter, ("#pop", "#pop")),
            *_action_rules(),
        ],
        "action-double": [
            (r'"[ \t]*' + _NL, String.Delimiter, ("#pop", "#pop")),
            *_action_rules(),
        ],
        "action-plain": [
            (r"[\r\n]", Whitespace, ("#pop", "#pop")),
            *_action_rules(),
        ],
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
