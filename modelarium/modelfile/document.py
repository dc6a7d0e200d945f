"""A lossless Modelfile: every byte kept, commands from the exact parser, minimal edits.

`ModelfileDocument.parse(text).dump() == text` for any string: comments, blank lines, keyword
case, quoting, CRLF, a BOM and even text Ollama rejects (then `.error` holds Ollama's error and
`.commands` the commands read before it). The commands always come from `parser.scan`; this
module only splits the text into the instruction spans `scan` reports and the trivia between
them (blanks, line breaks, comments), and edits by replacing spans.

A leading U+FEFF is treated as the file's byte-order mark: it is kept in the text but skipped
when parsing, as Ollama's decoder does, so `.commands == parse(text.encode("utf-8"))`; for
text without a BOM that is simply `parse(text)`.

Every edit re-parses the new text and checks that the commands changed exactly as intended
(and that nothing else did) before it is applied; otherwise it raises `DocumentEditError` and
the document stays as it was.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from modelarium.modelfile.commands import MESSAGE_ROLES, Command, ModelfileError, NoFromLineError
from modelarium.modelfile.elements import (
    KEYWORD_FOR_COMMAND,
    TRIPLE_QUOTE_FIRST,
    Element,
    ElementKind,
    Message,
    elements_from_commands,
    quote_value,
    unprintable_character,
)
from modelarium.modelfile.parser import ParsedCommand, ParseOutcome, scan

BOM = "\ufeff"

INSTRUCTION_COMMANDS: frozenset[str] = frozenset(KEYWORD_FOR_COMMAND)
"""Command names made by instructions other than PARAMETER (`model`, `template`, …)."""

TEXT_COMMANDS: frozenset[str] = INSTRUCTION_COMMANDS - {"model", "message"}
"""Instructions whose value `set_text` replaces."""

_KEYWORD_PREFIX = re.compile(r"(?s).[A-Za-z]*[ \t]")
_NAME_PREFIX = re.compile(r"[A-Za-z0-9_]*[ \t]")
_ROLE_PREFIX = re.compile(r"[A-Za-z]*[ \t]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class DocumentEditError(ValueError):
    """An edit that cannot be made (bad value, nothing to edit, or text that does not parse)."""


class SegmentKind(StrEnum):
    """What a piece of the document text is."""

    TRIVIA = "trivia"
    """Blanks, line breaks and comments between instructions (and a leading BOM)."""
    COMMAND = "command"
    """One instruction, from its keyword to the end of its value (line break excluded)."""
    UNPARSED = "unparsed"
    """Everything from the instruction where parsing failed to the end of the text."""


@dataclass(frozen=True, slots=True)
class Segment:
    """A slice `text[start:end]` of the document; `parsed` is set for command segments."""

    kind: SegmentKind
    start: int
    end: int
    text: str
    parsed: ParsedCommand | None = None


_RECENT_SCANS: dict[str, ParseOutcome] = {}
_RECENT_LIMIT = 4
_RECENT_LOCK = threading.Lock()


def scan_cached(text: str) -> ParseOutcome:
    """`parser.scan(text)`, remembering the last few texts: lint, format and the document of
    the same editor buffer then parse it once. Outcomes are immutable, so sharing is safe;
    the lock keeps the memo consistent when the editor lints from a worker thread."""
    with _RECENT_LOCK:
        found = _RECENT_SCANS.get(text)
    if found is not None:
        return found
    found = scan(text)
    with _RECENT_LOCK:
        if len(_RECENT_SCANS) >= _RECENT_LIMIT:
            del _RECENT_SCANS[next(iter(_RECENT_SCANS))]
        _RECENT_SCANS[text] = found
    return found


def clear_scan_cache() -> None:
    """Forget the remembered parses (benchmarks use it to measure a cold parse)."""
    with _RECENT_LOCK:
        _RECENT_SCANS.clear()


def split_bom(text: str) -> tuple[str, str]:
    """(`"\\ufeff"` or `""`, the rest): the BOM Ollama's decoder would drop, and the body."""
    if text.startswith(BOM):
        return BOM, text[1:]
    return "", text


def dominant_newline(text: str) -> str:
    """The line break the text mostly uses (`\\n` when it has none)."""
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    if crlf > lf and crlf >= cr:
        return "\r\n"
    if cr > lf and cr > crlf:
        return "\r"
    return "\n"


def value_offset(text: str, parsed: ParsedCommand) -> int:
    """Offset in `text` where the value region of `parsed` starts: just after the blank that
    ends the keyword (and, for PARAMETER and MESSAGE, the name or role)."""
    span = text[parsed.start : parsed.end]
    match = _KEYWORD_PREFIX.match(span)
    if match is None:
        return parsed.start
    keyword = (span[0] if span[0].isprintable() else "") + span[1 : match.end() - 1]
    position = match.end()
    keyword = keyword.lower()
    follow = (
        _NAME_PREFIX if keyword == "parameter" else _ROLE_PREFIX if keyword == "message" else None
    )
    if follow is not None:
        found = follow.match(span, position)
        if found is not None:
            position = found.end()
    return parsed.start + position


def quote_style(value_text: str) -> str:
    """`triple`, `double` or `plain`: how a value region (as written) is quoted."""
    stripped = value_text.lstrip(" \t")
    if stripped.startswith('"""'):
        return "triple"
    if stripped.startswith('"'):
        return "double"
    return "plain"


def _quote_like(value: str, style: str, *, prefer_triple: bool) -> str | None:
    """Quote `value` in `style` if that reads back unchanged, else canonically."""
    canonical = quote_value(value, prefer_triple=prefer_triple)
    if canonical is None:
        return None
    candidates = {
        "triple": f'"""{value}"""',
        "double": f'"{value}"',
        "plain": value,
    }
    preferred = candidates[style]
    probe = scan(f"SYSTEM {preferred}\n")
    if [parsed.command for parsed in probe.commands] == [Command("system", value)]:
        return preferred
    return canonical


class ModelfileDocument:
    """A Modelfile's exact text plus what Ollama's parser reads from it."""

    def __init__(self, text: str) -> None:
        self._text = ""
        self._bom = ""
        self._parsed: tuple[ParsedCommand, ...] = ()
        self._error: ModelfileError | None = None
        self._load(text)

    @classmethod
    def parse(cls, text: str) -> ModelfileDocument:
        """A document for `text` (never raises; see `.error`)."""
        return cls(text)

    def _load(self, text: str) -> None:
        bom, body = split_bom(text)
        outcome = scan_cached(body)
        shift = len(bom)
        self._text = text
        self._bom = bom
        self._parsed = tuple(
            ParsedCommand(p.command, p.start + shift, p.end + shift) for p in outcome.commands
        )
        self._error = outcome.error

    # --- reading ------------------------------------------------------------------------

    def dump(self) -> str:
        """The document's text, byte for byte."""
        return self._text

    @property
    def text(self) -> str:
        """The document's text (same as `dump()`)."""
        return self._text

    @property
    def has_bom(self) -> bool:
        """Whether the text starts with a byte-order mark."""
        return bool(self._bom)

    @property
    def error(self) -> ModelfileError | None:
        """Ollama's parse error for this text (None when it parses)."""
        return self._error

    @property
    def parsed(self) -> tuple[ParsedCommand, ...]:
        """The commands with their spans (offsets into `text`)."""
        return self._parsed

    @property
    def commands(self) -> list[Command]:
        """The commands Ollama's parser reads (those before the error when it fails)."""
        return [parsed.command for parsed in self._parsed]

    @property
    def elements(self) -> tuple[Element, ...]:
        """The commands grouped into elements."""
        return elements_from_commands(self.commands)

    @property
    def newline(self) -> str:
        """The line break new lines are written with (the one the text mostly uses)."""
        return dominant_newline(self._text)

    def segments(self) -> list[Segment]:
        """The text cut into trivia, command spans and (after an error) the unparsed rest."""
        pieces: list[Segment] = []
        position = 0
        for parsed in self._parsed:
            if parsed.start > position:
                pieces.append(
                    Segment(
                        SegmentKind.TRIVIA,
                        position,
                        parsed.start,
                        self._text[position : parsed.start],
                    )
                )
            pieces.append(
                Segment(
                    SegmentKind.COMMAND,
                    parsed.start,
                    parsed.end,
                    self._text[parsed.start : parsed.end],
                    parsed,
                )
            )
            position = parsed.end
        if position < len(self._text):
            rest = self._text[position:]
            failed = self._error is not None and not isinstance(self._error, NoFromLineError)
            kind = SegmentKind.TRIVIA
            if failed and rest.strip(" \t\r\n"):
                kind = SegmentKind.UNPARSED
            pieces.append(Segment(kind, position, len(self._text), rest))
        return pieces

    def value_text(self, parsed: ParsedCommand) -> str:
        """The value region of a command as written (quotes and blanks included)."""
        return self._text[value_offset(self._text, parsed) : parsed.end]

    def line_of(self, offset: int) -> int:
        """1-based line number of `offset` (CRLF, CR and LF each end one line)."""
        before = self._text[:offset]
        return 1 + before.count("\n") + before.count("\r") - before.count("\r\n")

    # --- editing ------------------------------------------------------------------------

    def _require_parsable(self) -> None:
        if self._error is not None and not isinstance(self._error, NoFromLineError):
            raise DocumentEditError(f"cannot edit a Modelfile that does not parse: {self._error}")

    def _apply(self, new_text: str, expected: Sequence[Command]) -> None:
        """Adopt `new_text` if it parses to exactly `expected`; DocumentEditError otherwise."""
        candidate = ModelfileDocument(new_text)
        if candidate.error is not None and not isinstance(candidate.error, NoFromLineError):
            raise DocumentEditError(f"the edit would break the Modelfile: {candidate.error}")
        if candidate.commands != list(expected):
            raise DocumentEditError("the edit would change other instructions; not applied")
        self._load(new_text)

    def _splice(self, edits: Sequence[tuple[int, int, str]]) -> str:
        """The text with each `(start, end, replacement)` applied (non-overlapping edits)."""
        text = self._text
        for start, end, replacement in sorted(edits, reverse=True):
            text = text[:start] + replacement + text[end:]
        return text

    def _line_removal(self, parsed: ParsedCommand) -> tuple[int, int]:
        """The range that deletes `parsed`'s whole line(s): indentation, span and line break."""
        text = self._text
        start = parsed.start
        while start > 0 and text[start - 1] in " \t":
            start -= 1
        if start > len(self._bom) and text[start - 1] not in "\r\n":
            start = parsed.start
        end = parsed.end
        if text.startswith("\r\n", end):
            end += 2
        elif end < len(text):
            end += 1
        return start, end

    def _insertion_after(self, parsed: ParsedCommand, line: str) -> tuple[int, int, str]:
        """An edit that puts `line` on a new line right after `parsed`."""
        return parsed.end, parsed.end, self.newline + line

    def _insertion_before(self, parsed: ParsedCommand, line: str) -> tuple[int, int, str]:
        """An edit that puts `line` on a new line right before `parsed`'s line."""
        start, _ = self._line_removal(parsed)
        return start, start, line + self.newline

    def _append(self, line: str) -> tuple[int, int, str]:
        """An edit that adds `line` at the end of the text."""
        end = len(self._text)
        lead = "" if end <= len(self._bom) or self._text.endswith(("\n", "\r")) else self.newline
        return end, end, lead + line + self.newline

    def _replace_value(self, parsed: ParsedCommand, value: str, *, prefer_triple: bool) -> str:
        start = value_offset(self._text, parsed)
        style = quote_style(self._text[start : parsed.end])
        quoted = _quote_like(value, style, prefer_triple=prefer_triple)
        if quoted is None:
            raise DocumentEditError(_unquotable_reason(value))
        return self._splice([(start, parsed.end, quoted)])

    def _parameter_commands(self) -> list[ParsedCommand]:
        return [p for p in self._parsed if p.command.name not in INSTRUCTION_COMMANDS]

    def _expected(
        self, replaced: dict[int, Command | None], inserted: dict[int, Command]
    ) -> list[Command]:
        """The current commands with some replaced (None = removed) and some inserted before the
        given index (`len(commands)` appends)."""
        result: list[Command] = []
        for index, parsed in enumerate(self._parsed):
            if index in inserted:
                result.append(inserted[index])
            if index in replaced:
                new = replaced[index]
                if new is not None:
                    result.append(new)
            else:
                result.append(parsed.command)
        if len(self._parsed) in inserted:
            result.append(inserted[len(self._parsed)])
        return result

    def set_parameter(self, name: str, value: str) -> None:
        """Set a parameter: replace the value of its last occurrence in place, or add a
        `PARAMETER name value` line after the last parameter (after the header instructions
        when there is none). For `stop`, this replaces the last stop value; see
        `add_parameter`."""
        self._require_parsable()
        _check_parameter_name(name)
        quoted_for_check = quote_value(value)
        if quoted_for_check is None:
            raise DocumentEditError(_unquotable_reason(value))
        occurrences = [p for p in self._parameter_commands() if p.command.name == name]
        if occurrences:
            target = occurrences[-1]
            index = self._parsed.index(target)
            new_text = self._replace_value(target, value, prefer_triple=False)
            self._apply(new_text, self._expected({index: Command(name, value)}, {}))
            return
        self.add_parameter(name, value)

    def add_parameter(self, name: str, value: str) -> None:
        """Add a `PARAMETER name value` line after the last parameter (for repeatable `stop`)."""
        self._require_parsable()
        _check_parameter_name(name)
        quoted = quote_value(value)
        if quoted is None:
            raise DocumentEditError(_unquotable_reason(value))
        line = f"PARAMETER {name} {quoted}"
        anchors = [p for p in self._parameter_commands() if p.command.name == name]
        anchors = anchors or self._parameter_commands()
        anchors = anchors or [p for p in self._parsed if p.command.name != "message"]
        anchors = anchors or list(self._parsed)
        self._insert(line, Command(name, value), anchors[-1] if anchors else None)

    def _insert(self, line: str, command: Command, after: ParsedCommand | None) -> None:
        if after is None:
            edit = self._append(line)
            position = len(self._parsed)
        else:
            edit = self._insertion_after(after, line)
            position = self._parsed.index(after) + 1
        self._apply(self._splice([edit]), self._expected({}, {position: command}))

    def remove_parameter(self, name: str) -> int:
        """Remove every `name` parameter line (Ollama's last-wins would otherwise expose an
        earlier one); returns how many were removed."""
        self._require_parsable()
        targets = [p for p in self._parameter_commands() if p.command.name == name]
        self._remove(targets)
        return len(targets)

    def _remove(self, targets: Sequence[ParsedCommand]) -> None:
        if not targets:
            return
        edits = [(*self._line_removal(p), "") for p in targets]
        removed: dict[int, Command | None] = {self._parsed.index(p): None for p in targets}
        self._apply(self._splice(edits), self._expected(removed, {}))

    def set_text(self, kind: ElementKind | str, value: str) -> None:
        """Set TEMPLATE, SYSTEM, LICENSE, ADAPTER, REQUIRES, RENDERER, PARSER or DRAFT: the
        last occurrence's value is replaced (keyword case and separator kept, quoting kept
        when it still reads back, otherwise the canonical quoting); when absent, a line is
        added after the FROM lines."""
        name = _text_command_name(kind)
        if name == "model":
            self.set_from(value)
            return
        self._require_parsable()
        prefer_triple = name in TRIPLE_QUOTE_FIRST
        occurrences = [p for p in self._parsed if p.command.name == name]
        if occurrences:
            target = occurrences[-1]
            index = self._parsed.index(target)
            new_text = self._replace_value(target, value, prefer_triple=prefer_triple)
            self._apply(new_text, self._expected({index: Command(name, value)}, {}))
            return
        quoted = quote_value(value, prefer_triple=prefer_triple)
        if quoted is None:
            raise DocumentEditError(_unquotable_reason(value))
        line = f"{KEYWORD_FOR_COMMAND[name]} {quoted}"
        header = [p for p in self._parsed if p.command.name in INSTRUCTION_COMMANDS - {"message"}]
        anchor = header[-1] if header else None
        if anchor is None and self._parsed:
            first = self._parsed[0]
            edit = self._insertion_before(first, line)
            self._apply(self._splice([edit]), self._expected({}, {0: Command(name, value)}))
            return
        self._insert(line, Command(name, value), anchor)

    def set_from(self, value: str) -> None:
        """Change the base model: the first FROM's value is replaced (a vision model's
        projector FROM stays); without a FROM, a `FROM value` line goes before the first
        instruction."""
        self._require_parsable()
        quoted = quote_value(value)
        if quoted != value and value != "":
            raise DocumentEditError(
                f"FROM {value!r} cannot be written: a model name or path may not hold line "
                "breaks, start or end with blanks, or start with a quote"
            )
        occurrences = [p for p in self._parsed if p.command.name == "model"]
        if occurrences:
            target = occurrences[0]
            start = value_offset(self._text, target)
            index = self._parsed.index(target)
            self._apply(
                self._splice([(start, target.end, value)]),
                self._expected({index: Command("model", value)}, {}),
            )
            return
        line = f"FROM {value}"
        edit = self._insertion_before(self._parsed[0], line) if self._parsed else self._append(line)
        self._apply(self._splice([edit]), self._expected({}, {0: Command("model", value)}))

    def _message_commands(self) -> list[ParsedCommand]:
        return [p for p in self._parsed if p.command.name == "message"]

    @property
    def messages(self) -> list[Message]:
        """The MESSAGE turns in order."""
        found: list[Message] = []
        for parsed in self._message_commands():
            role, _, content = parsed.command.args.partition(": ")
            found.append(Message(role, content))
        return found

    def add_message(self, role: str, content: str, index: int | None = None) -> None:
        """Insert a MESSAGE at position `index` among the messages (None = after the last)."""
        self._require_parsable()
        if role not in MESSAGE_ROLES:
            raise DocumentEditError(
                f"message role {role!r} must be one of {', '.join(MESSAGE_ROLES)}"
            )
        quoted = quote_value(content)
        if quoted is None:
            raise DocumentEditError(_unquotable_reason(content))
        line = f"MESSAGE {role} {quoted}"
        command = Command("message", f"{role}: {content}")
        messages = self._message_commands()
        if index is None or index >= len(messages):
            anchor = messages[-1] if messages else (self._parsed[-1] if self._parsed else None)
            self._insert(line, command, anchor)
            return
        if index < 0:
            raise DocumentEditError(f"message index {index} is out of range")
        before = messages[index]
        edit = self._insertion_before(before, line)
        position = self._parsed.index(before)
        self._apply(self._splice([edit]), self._expected({}, {position: command}))

    def remove_message(self, index: int) -> None:
        """Remove the MESSAGE at position `index` among the messages."""
        self._require_parsable()
        messages = self._message_commands()
        if not 0 <= index < len(messages):
            raise DocumentEditError(
                f"message index {index} is out of range (there are {len(messages)})"
            )
        self._remove([messages[index]])

    def move_message(self, index: int, new_index: int) -> None:
        """Move the MESSAGE at `index` to `new_index`: the message lines keep their places in
        the file and their texts are reordered, so comments between them stay put."""
        self._require_parsable()
        messages = self._message_commands()
        count = len(messages)
        if not (0 <= index < count and 0 <= new_index < count):
            raise DocumentEditError(
                f"message indexes {index} and {new_index} must be below {count}"
            )
        order = list(range(count))
        order.insert(new_index, order.pop(index))
        texts = [self._text[p.start : p.end] for p in messages]
        edits = [
            (slot.start, slot.end, texts[source])
            for slot, source in zip(messages, order, strict=True)
        ]
        replaced: dict[int, Command | None] = {
            self._parsed.index(slot): messages[source].command
            for slot, source in zip(messages, order, strict=True)
        }
        self._apply(self._splice(edits), self._expected(replaced, {}))


def _check_parameter_name(name: str) -> None:
    if re.fullmatch(r"[A-Za-z0-9_]+", name) is None:
        raise DocumentEditError(
            f"parameter name {name!r} must be letters, digits and underscores only"
        )
    if name in INSTRUCTION_COMMANDS:
        raise DocumentEditError(
            f"{name!r} is an instruction, not a parameter; edit it with set_text or set_from"
        )


def _text_command_name(kind: ElementKind | str) -> str:
    raw = kind.value if isinstance(kind, ElementKind) else kind.lower()
    name = "model" if raw in ("base", "from") else raw
    if name != "model" and name not in TEXT_COMMANDS:
        raise DocumentEditError(
            f"{raw!r} is not a single-value instruction (template, system, license, adapter, "
            "requires, renderer, parser, draft or from)"
        )
    return name


def _unquotable_reason(value: str) -> str:
    char = unprintable_character(value)
    if char is not None:
        return f"the value holds U+{ord(char):04X}, a character Ollama's parser drops"
    return (
        "the value cannot be quoted so that Ollama reads it back unchanged "
        "(an inner line ends with a quote that would close it early)"
    )
