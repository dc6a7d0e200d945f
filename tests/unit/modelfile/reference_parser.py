"""A literal, rune-by-rune port of Ollama's `parser.ParseFile` state machine.

Deliberately slow and unoptimised: it mirrors the Go code line for line (the state table, the
exit actions, the per-rune line counter, the re-trim and re-unquote at every blank) so the fast
product parser can be checked against it on arbitrary input. It works on already decoded text
and reports errors as (Ollama's text, Ollama's line or None).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum, auto

from modelarium.modelfile.commands import Command

INVALID_COMMAND = (
    'command must be one of "from", "license", "template", "system", "adapter", "draft", '
    '"renderer", "parser", "parameter", "message", or "requires"'
)
INVALID_ROLE = 'message role must be one of "system", "user", or "assistant"'


class State(Enum):
    """Ollama's parser states."""

    NIL = auto()
    NAME = auto()
    VALUE = auto()
    PARAMETER = auto()
    MESSAGE = auto()
    COMMENT = auto()


@dataclass(frozen=True)
class ReferenceResult:
    """Commands on success; otherwise Ollama's error text and line (None for EOF/no-FROM).

    `spans` holds (start, end) per command committed before the end or the error: `start` is
    the index of the rune that moved the machine from Nil to Name, `end` the index of the
    newline that committed the value (the text length when the input ended it).
    """

    commands: list[Command] | None
    error: str | None
    error_line: int | None
    spans: list[tuple[int, int]]


class _RuneError(Exception):
    """Raised by `parse_rune_for_state`: either the invalid-command or the unexpected-EOF kind."""

    def __init__(self, unexpected_eof: bool) -> None:
        super().__init__()
        self.unexpected_eof = unexpected_eof


def is_alpha(rune: str) -> bool:
    return "a" <= rune <= "z" or "A" <= rune <= "Z"


def is_number(rune: str) -> bool:
    return "0" <= rune <= "9"


def is_space(rune: str) -> bool:
    return rune in (" ", "\t")


def is_newline(rune: str) -> bool:
    return rune in ("\r", "\n")


def is_print(rune: str) -> bool:
    """Go's `strconv.IsPrint`: categories L, M, N, P, S plus the ASCII space."""
    if rune == " ":
        return True
    return unicodedata.category(rune)[0] in "LMNPS"


def go_trim_space(text: str) -> str:
    """Go's `strings.TrimSpace` (Unicode White_Space on both ends)."""
    spaces = (
        "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
        "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
    )
    return text.strip(spaces)


def unquote(text: str) -> tuple[str, bool]:
    if len(text) >= 3 and text[:3] == '"""':
        if len(text) >= 6 and text[-3:] == '"""':
            return text[3:-3], True
        return "", False
    if len(text) >= 1 and text[0] == '"':
        if len(text) >= 2 and text[-1] == '"':
            return text[1:-1], True
        return "", False
    return text, True


def is_valid_command(word: str) -> bool:
    return word.lower() in (
        "from",
        "license",
        "template",
        "system",
        "adapter",
        "draft",
        "renderer",
        "parser",
        "parameter",
        "message",
        "requires",
    )


def parse_rune_for_state(rune: str, state: State) -> tuple[State, str | None]:
    """Next state and the rune to keep (None is Go's rune 0); raises `_RuneError`."""
    if state is State.NIL:
        if rune == "#":
            return State.COMMENT, None
        if is_space(rune) or is_newline(rune):
            return State.NIL, None
        return State.NAME, rune
    if state is State.NAME:
        if is_alpha(rune):
            return State.NAME, rune
        if is_space(rune):
            return State.VALUE, None
        raise _RuneError(unexpected_eof=False)
    if state is State.VALUE:
        if is_newline(rune) or is_space(rune):
            return State.NIL, rune
        return State.VALUE, rune
    if state is State.PARAMETER:
        if is_alpha(rune) or is_number(rune) or rune == "_":
            return State.PARAMETER, rune
        if is_space(rune):
            return State.VALUE, None
        raise _RuneError(unexpected_eof=True)
    if state is State.MESSAGE:
        if is_alpha(rune):
            return State.MESSAGE, rune
        if is_space(rune):
            return State.VALUE, None
        raise _RuneError(unexpected_eof=True)
    if is_newline(rune):
        return State.NIL, None
    return State.COMMENT, None


def reference_parse(text: str) -> ReferenceResult:
    """Run Ollama's state machine over decoded text."""
    name = ""
    state = State.NIL
    line = 1
    buffer: list[str] = []
    role = ""
    commands: list[Command] = []
    spans: list[tuple[int, int]] = []
    command_start = 0

    for index, rune in enumerate(text):
        if is_newline(rune):
            line += 1
        try:
            next_state, kept = parse_rune_for_state(rune, state)
        except _RuneError as error:
            if error.unexpected_eof:
                return ReferenceResult(None, "unexpected EOF: " + "".join(buffer), None, spans)
            return ReferenceResult(None, f"(line {line}): {INVALID_COMMAND}", line, spans)

        if next_state is not state:
            if state is State.NAME:
                word = "".join(buffer)
                if not is_valid_command(word):
                    return ReferenceResult(None, f"(line {line}): {INVALID_COMMAND}", line, spans)
                lowered = word.lower()
                if lowered == "from":
                    name = "model"
                elif lowered == "parameter":
                    next_state = State.PARAMETER
                elif lowered == "message":
                    next_state = State.MESSAGE
                    name = lowered
                else:
                    name = lowered
            elif state is State.PARAMETER:
                name = "".join(buffer)
            elif state is State.MESSAGE:
                word = "".join(buffer)
                if word not in ("system", "user", "assistant"):
                    return ReferenceResult(None, f"(line {line}): {INVALID_ROLE}", line, spans)
                role = word
            elif state is State.VALUE:
                value, ok = unquote(go_trim_space("".join(buffer)))
                if not ok or is_space(rune):
                    buffer.append(rune)
                    continue
                if role:
                    value = role + ": " + value
                    role = ""
                commands.append(Command(name, value))
                spans.append((command_start, index))
            elif state is State.NIL and next_state is State.NAME:
                command_start = index
            buffer = []
            state = next_state

        if kept is not None and is_print(kept):
            buffer.append(kept)

    if state is State.VALUE:
        value, ok = unquote(go_trim_space("".join(buffer)))
        if not ok:
            return ReferenceResult(None, "unexpected EOF", None, spans)
        if role:
            value = role + ": " + value
        commands.append(Command(name, value))
        spans.append((command_start, len(text)))
    elif state not in (State.NIL, State.COMMENT):
        return ReferenceResult(None, "unexpected EOF", None, spans)

    if any(command.name == "model" for command in commands):
        return ReferenceResult(commands, None, None, spans)
    return ReferenceResult(None, "no FROM line", None, spans)


def _continuation(byte: int, low: int = 0x80, high: int = 0xBF) -> bool:
    return low <= byte <= high


def reference_decode_utf8(data: bytes) -> str:
    """Go's rune-by-rune UTF-8 decoding (`utf8.DecodeRune`): every byte that does not start a
    valid, complete, shortest-form sequence becomes one U+FFFD and decoding resumes at the
    next byte."""
    runes: list[str] = []
    index = 0
    size = len(data)
    while index < size:
        first = data[index]
        width = 0
        if first < 0x80:
            width = 1
        elif 0xC2 <= first <= 0xDF:
            if index + 1 < size and _continuation(data[index + 1]):
                width = 2
        elif 0xE0 <= first <= 0xEF:
            low, high = (
                (0xA0, 0xBF)
                if first == 0xE0
                else (0x80, 0x9F)
                if first == 0xED
                else (
                    0x80,
                    0xBF,
                )
            )
            if (
                index + 2 < size
                and _continuation(data[index + 1], low, high)
                and _continuation(data[index + 2])
            ):
                width = 3
        elif 0xF0 <= first <= 0xF4:
            low, high = (
                (0x90, 0xBF)
                if first == 0xF0
                else (0x80, 0x8F)
                if first == 0xF4
                else (
                    0x80,
                    0xBF,
                )
            )
            if (
                index + 3 < size
                and _continuation(data[index + 1], low, high)
                and _continuation(data[index + 2])
                and _continuation(data[index + 3])
            ):
                width = 4
        if width == 0:
            runes.append("\ufffd")
            index += 1
        else:
            runes.append(data[index : index + width].decode("utf-8"))
            index += width
    return "".join(runes)
