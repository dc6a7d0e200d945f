"""Ollama's Modelfile parser (`parser.ParseFile`), reproduced result for result.

Ollama reads a Modelfile one rune at a time through a six-state machine (Nil, Comment, Name,
Parameter, Message, Value) and re-trims and re-unquotes the whole value buffer at every blank
or newline inside a value. This module produces exactly the same commands and errors, but works
a line and a value at a time with regular expressions and `str` methods, so it runs in time
linear in the input. The rules it relies on (see docs/modelfile-core.md):

- Between commands, blanks (space, TAB) and newlines (CR, LF, each on its own) are skipped;
  `#` there starts a comment that runs to the next newline.
- Any other rune starts a keyword. It is kept if printable; then ASCII letters follow, and the
  keyword must end with a blank. PARAMETER names are `[A-Za-z0-9_]*`, MESSAGE roles
  `[A-Za-z]*`, each ended by a blank.
- A value's buffer is its text with every non-printable rune except blanks and newlines
  removed. A newline commits the value when the buffer so far, trimmed, unquotes cleanly.
  Unquoted (or empty) values therefore end at their first newline. A value whose first
  printable, non-blank rune is `"` ends at the first newline (or end of input) where the text
  of the current line, minus trailing blanks, ends with the closing quote (`"` or `\"\"\"`);
  for the first line, the whole trimmed first line must unquote cleanly.

Offsets and positions are in code points of the decoded text. `tests/unit/modelfile/
reference_parser.py` keeps a literal port of Ollama's state machine; the tests prove the two
agree on arbitrary input.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from modelarium.modelfile.commands import (
    INSTRUCTIONS,
    MESSAGE_ROLES,
    Command,
    InvalidCommandError,
    InvalidRoleError,
    ModelfileError,
    NoFromLineError,
    SourcePosition,
    UnexpectedEOFError,
)

INVALID_COMMAND_MESSAGE = (
    'command must be one of "from", "license", "template", "system", "adapter", "draft", '
    '"renderer", "parser", "parameter", "message", or "requires"'
)
"""Ollama's `errInvalidCommand` text (without the `(line N): ` prefix)."""

INVALID_ROLE_MESSAGE = 'message role must be one of "system", "user", or "assistant"'
"""Ollama's `errInvalidMessageRole` text (without the `(line N): ` prefix)."""

UNEXPECTED_EOF_MESSAGE = "unexpected EOF"
"""Go's `io.ErrUnexpectedEOF` text."""

NO_FROM_LINE_MESSAGE = "no FROM line"
"""Ollama's `errMissingFrom` text."""

_GO_REPLACE_HANDLER = "modelarium-go-rune-replace"


def _replace_each_byte(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: one U+FFFD per invalid byte, as Go's UTF-8 rune decoding does.

    Python reports a maximal invalid subpart (e.g. a truncated 3-byte sequence `E2 82`) as one
    error range; Go decodes it byte by byte and yields one U+FFFD per byte.
    """
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return "\ufffd" * (error.end - error.start), error.end


codecs.register_error(_GO_REPLACE_HANDLER, _replace_each_byte)


def _decode_utf16(data: bytes, *, little_endian: bool) -> str:
    """UTF-16 without BOM as `golang.org/x/text/encoding/unicode` decodes it.

    Valid input decodes as usual. Otherwise: a lead surrogate followed by a trail surrogate is
    one rune; a surrogate followed by a trail surrogate that does not pair with it consumes both
    units as one U+FFFD; any other lone surrogate is one U+FFFD; an odd final byte is one U+FFFD.
    """
    codec = "utf-16-le" if little_endian else "utf-16-be"
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        pass
    pieces: list[str] = []
    size = len(data)
    index = 0
    while index + 1 < size:
        unit = (
            data[index] | (data[index + 1] << 8)
            if little_endian
            else (data[index] << 8) | data[index + 1]
        )
        if 0xD800 <= unit <= 0xDFFF:
            if index + 3 < size:
                following = (
                    data[index + 2] | (data[index + 3] << 8)
                    if little_endian
                    else (data[index + 2] << 8) | data[index + 3]
                )
                if 0xDC00 <= following <= 0xDFFF:
                    if unit <= 0xDBFF:
                        pieces.append(chr(0x10000 + ((unit - 0xD800) << 10) + (following - 0xDC00)))
                    else:
                        pieces.append("\ufffd")
                    index += 4
                    continue
            pieces.append("\ufffd")
        else:
            pieces.append(chr(unit))
        index += 2
    if index < size:
        pieces.append("\ufffd")
    return "".join(pieces)


def decode(data: bytes) -> str:
    """Decode Modelfile bytes the way Ollama's `unicode.BOMOverride(UTF8 decoder)` does.

    A leading UTF-8 BOM is dropped; a leading UTF-16 BOM (`FF FE` little-endian, `FE FF`
    big-endian) selects UTF-16 and is dropped. Everything else is UTF-8 with one U+FFFD per
    invalid byte. Only the first BOM is special: a second one stays as U+FEFF.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", _GO_REPLACE_HANDLER)
    if data.startswith(codecs.BOM_UTF16_LE):
        return _decode_utf16(data[2:], little_endian=True)
    if data.startswith(codecs.BOM_UTF16_BE):
        return _decode_utf16(data[2:], little_endian=False)
    return data.decode("utf-8", _GO_REPLACE_HANDLER)


@dataclass(frozen=True, slots=True)
class ParsedCommand:
    """A command and where it sits in the decoded text.

    `start` is the offset of the rune that began the instruction: the first rune after the
    blanks/newlines that follow the previous command or comment. Usually that is the keyword's
    first letter; when a line starts with a non-printable rune that Ollama swallows (form feed,
    ZWSP, a stray BOM), `start` is that rune. `end` is the offset of the newline rune (CR or LF)
    that committed the value, or `len(text)` when the value ran to the end of the input; so
    `text[start:end]` is the whole instruction including trailing blanks and, for quoted values,
    every line up to the closing quote, but never the committing line break. An empty value
    (`SYSTEM \\n`) still spans from the keyword to that newline.
    """

    command: Command
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ParseOutcome:
    """Everything `scan` learned: the decoded text, the commands and the error, if any.

    `commands` holds every command committed before the error (a failed instruction is never
    included); `error` is what `parse` would raise (None on success).
    """

    text: str
    commands: tuple[ParsedCommand, ...]
    error: ModelfileError | None


_KEYWORDS = frozenset(INSTRUCTIONS)
# Keyword (lower case) -> command name, for the keywords whose value follows directly.
_SIMPLE_COMMAND_NAMES = {
    keyword: ("model" if keyword == "from" else keyword)
    for keyword in INSTRUCTIONS
    if keyword not in ("parameter", "message")
}
_ROLES = frozenset(MESSAGE_ROLES)

# Blanks/newlines, then a comment or the common instruction shapes: `PARAMETER name `,
# `MESSAGE role ` or another letters-only keyword and a blank, then the rest of that line.
# Anything else leaves every group empty and falls back to the rune-exact path.
_FAST_STEP = re.compile(
    r"[ \t\r\n]*+(?:(#)[^\r\n]*+"
    r"|()(?:(?i:parameter)[ \t]([A-Za-z0-9_]*+)[ \t]"
    r"|(?i:message)[ \t](system|user|assistant)[ \t]"
    r"|([A-Za-z]++)[ \t])([^\r\n]*+))?",
    # ASCII-only case folding: Unicode folding would let `ſ` match `s` and `K` (Kelvin) `k`.
    re.ASCII,
)
_NEWLINE = re.compile(r"[\r\n]")
_LETTERS = re.compile(r"[A-Za-z]*")
_PARAMETER_NAME = re.compile(r"[A-Za-z0-9_]*")
_ASCII_NON_PRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_KEEP_IN_BUFFER = frozenset(" \t\r\n")
_CLOSE_PLAIN = re.compile(r'"[ \t]*(?:[\r\n]|\Z)')
_CLOSE_TRIPLE = re.compile(r'"""[ \t]*(?:[\r\n]|\Z)')
_BLANK_CHARS = " \t"
_TRIM_CHARS = " \t\r\n"


def _has_non_printable(text: str) -> bool:
    """Whether `text` holds a rune Ollama drops (anything not printable but blanks/newlines)."""
    if text.isascii():
        return _ASCII_NON_PRINTABLE.search(text) is not None
    return not text.replace("\t", "").replace("\n", "").replace("\r", "").isprintable()


def _keep_printable(text: str) -> str:
    """`text` without the runes Ollama's buffer never receives (non-printables except blanks
    and newlines)."""
    if not _has_non_printable(text):
        return text
    return "".join(char for char in text if char.isprintable() or char in _KEEP_IN_BUFFER)


def _unquote(trimmed: str) -> str | None:
    """Ollama's `unquote` on an already trimmed buffer; None when a quote is still open."""
    if trimmed.startswith('"""'):
        if len(trimmed) >= 6 and trimmed.endswith('"""'):
            return trimmed[3:-3]
        return None
    if trimmed.startswith('"'):
        if len(trimmed) >= 2 and trimmed.endswith('"'):
            return trimmed[1:-1]
        return None
    return trimmed


def human_position(text: str, offset: int) -> SourcePosition:
    """1-based line and column of `offset` in `text`, counting CRLF, lone CR and LF as one
    line break each and columns in code points. The LF of a CRLF pair sits on its CR's line."""
    if 0 < offset <= len(text) and text[offset - 1] == "\r" and text[offset : offset + 1] == "\n":
        before = text[: offset - 1]
        column_shift = 1
    else:
        before = text[:offset]
        column_shift = 0
    line_feeds = before.count("\n")
    returns = before.count("\r")
    pairs = before.count("\r\n")
    line = 1 + line_feeds + returns - pairs
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return SourcePosition(line=line, column=len(before) - line_start + 1 + column_shift)


def _ollama_line(text: str, offset: int) -> int:
    """Ollama's line number for an error raised by the rune at `offset`: one more than the
    CR and LF runes read so far, that rune included."""
    return 1 + text.count("\n", 0, offset + 1) + text.count("\r", 0, offset + 1)


class _Scanner:
    """Reads single instructions rune-exactly (Name, Parameter/Message and Value states) and
    appends them to a shared command list. With `clean` the text is known to hold no rune
    Ollama drops, which lets values skip filtering and close by regex search."""

    def __init__(
        self, text: str, *, clean: bool, commands: list[tuple[Command, int, int]] | None = None
    ) -> None:
        self.text = text
        self.length = len(text)
        self.clean = clean
        self.commands: list[tuple[Command, int, int]] = [] if commands is None else commands

    def line_error(
        self, error_type: type[ModelfileError], message: str, offset: int, trigger: int
    ) -> ModelfileError:
        """An error with Ollama's `(line N): ` prefix; `trigger` is the rune Ollama read last."""
        line = _ollama_line(self.text, trigger)
        return error_type(
            f"(line {line}): {message}",
            ollama_line=line,
            position=human_position(self.text, offset),
            offset=offset,
        )

    def eof_error(self, offset: int, partial: str | None = None) -> UnexpectedEOFError:
        """`unexpected EOF` or `unexpected EOF: <partial>` (Ollama gives no line for these)."""
        message = (
            UNEXPECTED_EOF_MESSAGE if partial is None else f"{UNEXPECTED_EOF_MESSAGE}: {partial}"
        )
        return UnexpectedEOFError(
            message, position=human_position(self.text, offset), offset=offset
        )

    def instruction(self, start: int) -> int | ModelfileError:
        """Read one instruction starting at `start` (Name state); returns where to go on."""
        text = self.text
        first = text[start]
        letters = _LETTERS.match(text, start + 1)
        assert letters is not None
        name_end = letters.end()
        if name_end >= self.length:
            return self.eof_error(self.length)
        after = text[name_end]
        if after != " " and after != "\t":
            return self.line_error(InvalidCommandError, INVALID_COMMAND_MESSAGE, name_end, name_end)
        keyword = ((first if first.isprintable() else "") + text[start + 1 : name_end]).lower()
        if keyword not in _KEYWORDS:
            return self.line_error(InvalidCommandError, INVALID_COMMAND_MESSAGE, start, name_end)
        value_start = name_end + 1
        role = ""
        if keyword == "parameter":
            name_match = _PARAMETER_NAME.match(text, value_start)
            assert name_match is not None
            found = self.after_word(name_match.end(), name_match.group())
            if isinstance(found, ModelfileError):
                return found
            command_name = name_match.group()
            value_start = found
        elif keyword == "message":
            role_match = _LETTERS.match(text, value_start)
            assert role_match is not None
            found = self.after_word(role_match.end(), role_match.group())
            if isinstance(found, ModelfileError):
                return found
            role = role_match.group()
            if role not in _ROLES:
                return self.line_error(
                    InvalidRoleError, INVALID_ROLE_MESSAGE, value_start, role_match.end()
                )
            command_name = "message"
            value_start = found
        elif keyword == "from":
            command_name = "model"
        else:
            command_name = keyword
        value = self.value(value_start)
        if isinstance(value, ModelfileError):
            return value
        args, end = value
        if role:
            args = f"{role}: {args}"
        self.commands.append((Command(command_name, args), start, end))
        return end

    def after_word(self, word_end: int, word: str) -> int | ModelfileError:
        """Check the rune after a PARAMETER name or MESSAGE role; returns the value start."""
        if word_end >= self.length:
            return self.eof_error(self.length)
        after = self.text[word_end]
        if after != " " and after != "\t":
            return self.eof_error(word_end, word)
        return word_end + 1

    def value(self, value_start: int) -> tuple[str, int] | ModelfileError:
        """Read a value from `value_start`; returns (args, end offset) or the EOF error."""
        text = self.text
        newline = _NEWLINE.search(text, value_start)
        first_end = newline.start() if newline is not None else self.length
        first_line = text[value_start:first_end]
        if not self.clean:
            first_line = _keep_printable(first_line)
        trimmed = first_line.strip(_TRIM_CHARS)
        if not trimmed.startswith('"'):
            return trimmed, first_end
        unquoted = _unquote(trimmed)
        if unquoted is not None:
            return unquoted, first_end
        if newline is None:
            return self.eof_error(self.opening_quote(value_start))
        triple = trimmed.startswith('"""')
        end = self.closing_newline(first_end + 1, triple)
        if end is None:
            return self.eof_error(self.opening_quote(value_start))
        buffer = text[value_start:end]
        if not self.clean:
            buffer = _keep_printable(buffer)
        trimmed = buffer.strip(_TRIM_CHARS)
        return (trimmed[3:-3] if triple else trimmed[1:-1]), end

    def opening_quote(self, value_start: int) -> int:
        """Offset of the first printable, non-blank rune of a value (its opening quote)."""
        text = self.text
        for index in range(value_start, self.length):
            char = text[index]
            if char.isprintable() and char != " ":
                return index
        return value_start

    def closing_newline(self, search_from: int, triple: bool) -> int | None:
        """Where a quoted value that stayed open on its first line commits: the first line
        break (or end of input) after `search_from` whose line, minus trailing blanks, ends with
        the closing quote. None when the quote never closes."""
        text = self.text
        if self.clean:
            pattern = _CLOSE_TRIPLE if triple else _CLOSE_PLAIN
            found = pattern.search(text, search_from)
            if found is None:
                return None
            matched = found.group()
            if matched.endswith(("\r", "\n")):
                return found.end() - 1
            return self.length
        closing = '"""' if triple else '"'
        line_start = search_from
        while True:
            newline = _NEWLINE.search(text, line_start)
            line_end = newline.start() if newline is not None else self.length
            line = _keep_printable(text[line_start:line_end]).rstrip(_BLANK_CHARS)
            if line.endswith(closing):
                return line_end
            if newline is None:
                return None
            line_start = line_end + 1


def _missing_from(entries: list[tuple[Command, int, int]]) -> NoFromLineError | None:
    """Ollama's final check: `no FROM line` unless some command is named `model`."""
    for command, _, _ in entries:
        if command.name == "model":
            return None
    return NoFromLineError(NO_FROM_LINE_MESSAGE)


class _DirtyFinder:
    """Finds the next rune Ollama drops (non-printable, not a blank or line break) at or after
    a position. Positions only move forward, so the last answer is reused until passed; clean
    stretches are checked in growing chunks, a dirty one is halved down to a few runes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.length = len(text)
        self.ascii = text.isascii()
        self.found = -1

    def next_from(self, position: int) -> int:
        """Offset of the first dropped rune at or after `position` (`len(text)` if none)."""
        if self.found >= position:
            return self.found
        text = self.text
        if self.ascii:
            match = _ASCII_NON_PRINTABLE.search(text, position)
            self.found = match.start() if match is not None else self.length
            return self.found
        chunk_start = position
        chunk_size = 64
        while chunk_start < self.length:
            chunk_end = min(self.length, chunk_start + chunk_size)
            if _has_non_printable(text[chunk_start:chunk_end]):
                # Halve the dirty stretch (each test runs in C) down to a few runes.
                low, high = chunk_start, chunk_end
                while high - low > 32:
                    middle = (low + high) // 2
                    if _has_non_printable(text[low:middle]):
                        high = middle
                    else:
                        low = middle
                for index in range(low, high):
                    char = text[index]
                    if not char.isprintable() and char not in _KEEP_IN_BUFFER:
                        self.found = index
                        return index
            chunk_start = chunk_end
            chunk_size *= 2
        self.found = self.length
        return self.found


def _scan_text(text: str) -> tuple[list[tuple[Command, int, int]], ModelfileError | None]:
    """(command, start, end) entries and the first error for decoded text.

    One regex match reads each ordinary instruction line (letters, a blank, the rest of the
    line); quoted values that stay open are closed by a regex search. An instruction whose
    text holds a rune Ollama drops, and anything unusual (a keyword that is not letters + blank,
    an unknown keyword, a bad name or role), goes through the rune-exact `_Scanner` instead.
    """
    clean = not _has_non_printable(text)
    entries: list[tuple[Command, int, int]] = []
    append = entries.append
    step = _FAST_STEP.match
    simple_names = _SIMPLE_COMMAND_NAMES
    blank_chars = _BLANK_CHARS
    length = len(text)
    # Both scanners share `entries`; they are made on first use (most files need neither).
    fast: _Scanner | None = None
    exact: _Scanner | None = None
    dirty = None if clean else _DirtyFinder(text)
    # Offset of the next dropped rune; beyond the text when there is none.
    next_dirty = length + 1 if dirty is None else dirty.next_from(0)
    position = 0
    while True:
        found = step(text, position)
        assert found is not None
        comment, _, parameter_name, role, word, value_line = found.groups()
        if value_line is None:
            position = found.end()
            if comment is not None:
                continue
            if position >= length:
                return entries, _missing_from(entries)
            if exact is None:
                exact = _Scanner(text, clean=clean, commands=entries)
            result = exact.instruction(position)
            if isinstance(result, ModelfileError):
                return entries, result
            position = result
            continue
        start = found.start(2)
        if next_dirty < start and dirty is not None:
            next_dirty = dirty.next_from(start)
        line_end = found.end()
        if word is not None:
            command_name = simple_names.get(word.lower())
            if command_name is None:
                # Unknown keyword, or PARAMETER/MESSAGE with a bad name or role.
                if exact is None:
                    exact = _Scanner(text, clean=clean, commands=entries)
                error = exact.instruction(start)
                assert isinstance(error, ModelfileError)
                return entries, error
        elif parameter_name is not None:
            command_name = parameter_name
        else:
            command_name = "message"
        args = value_line.strip(blank_chars)
        if args[:1] == '"' and (closed := _unquote(args)) is not None:
            args = closed  # the quote closes on its own line
        elif args[:1] == '"':
            if fast is None:
                fast = _Scanner(text, clean=True, commands=entries)
            value = fast.value(line_end - len(value_line))
            if isinstance(value, ModelfileError):
                if next_dirty >= length:
                    return entries, value
                line_end = length + 1  # the exact path decides where the quote ends
            else:
                args, line_end = value
        if next_dirty < line_end:
            if exact is None:
                exact = _Scanner(text, clean=clean, commands=entries)
            result = exact.instruction(start)
            if isinstance(result, ModelfileError):
                return entries, result
            position = result
            continue
        if role is not None:
            args = f"{role}: {args}"
        append((Command(command_name, args), start, line_end))
        position = line_end


def scan(source: str | bytes) -> ParseOutcome:
    """Parse without raising: the decoded text, the commands read and the first error.

    A `str` is used as it is; `bytes` go through `decode` first and offsets refer to the
    decoded text. Error positions (`error.position`, `error.offset`): an unknown keyword points
    at its first rune; a bad rune in a keyword, PARAMETER name or MESSAGE role points at that
    rune (for a line break: the end of its line); an invalid role points at the role; an
    unclosed quote points at the opening quote; input ending inside a keyword, name or role
    points at the end of the text; `no FROM line` has no position.
    """
    text = decode(source) if isinstance(source, bytes) else source
    entries, error = _scan_text(text)
    return ParseOutcome(
        text=text,
        commands=tuple([ParsedCommand(command, start, end) for command, start, end in entries]),
        error=error,
    )


def parse(source: str | bytes) -> list[Command]:
    """Ollama's `parser.ParseFile`: the commands in file order, or the `ModelfileError` Ollama
    would report (its `str()` is Ollama's exact text)."""
    entries, error = _scan_text(decode(source) if isinstance(source, bytes) else source)
    if error is not None:
        raise error
    return [entry[0] for entry in entries]
