"""Modelfile elements: the reusable units a Modelfile is composed of.

A Modelfile is an ordered tuple of elements. Text kinds carry `value`; the `parameters` kind
carries an ordered tuple of `Parameter` (`stop` may repeat); the `messages` kind an ordered tuple
of `Message`. Every other module (store, Ollama extraction, TUI) speaks in these types.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from modelarium.modelfile.commands import MESSAGE_ROLES, Command
from modelarium.modelfile.parser import parse


class ElementKind(StrEnum):
    """What an element holds; the value is the stable name used in storage and JSON."""

    BASE = "base"
    PARAMETERS = "parameters"
    TEMPLATE = "template"
    SYSTEM = "system"
    MESSAGES = "messages"
    ADAPTER = "adapter"
    LICENSE = "license"
    REQUIRES = "requires"
    RENDERER = "renderer"
    PARSER = "parser"
    DRAFT = "draft"


TEXT_KINDS: frozenset[ElementKind] = frozenset(
    kind for kind in ElementKind if kind not in (ElementKind.PARAMETERS, ElementKind.MESSAGES)
)
"""Kinds whose content is a single string in `Element.value`."""

KIND_FOR_COMMAND: dict[str, ElementKind] = {
    "model": ElementKind.BASE,
    "template": ElementKind.TEMPLATE,
    "system": ElementKind.SYSTEM,
    "adapter": ElementKind.ADAPTER,
    "license": ElementKind.LICENSE,
    "requires": ElementKind.REQUIRES,
    "renderer": ElementKind.RENDERER,
    "parser": ElementKind.PARSER,
    "draft": ElementKind.DRAFT,
}
"""Parser command name -> element kind for the single-value instructions."""


@dataclass(frozen=True, slots=True)
class Parameter:
    """One PARAMETER line: the name as written and the value text as written (typed at create)."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Message:
    """One MESSAGE few-shot turn."""

    role: str
    content: str


@dataclass(frozen=True, slots=True)
class Element:
    """One reusable Modelfile part. Equality and `content_hash` ignore everything but content."""

    kind: ElementKind
    value: str = ""
    parameters: tuple[Parameter, ...] = ()
    messages: tuple[Message, ...] = ()

    def __post_init__(self) -> None:
        if self.kind is ElementKind.PARAMETERS:
            if self.value or self.messages:
                raise ValueError("a parameters element holds only parameters")
        elif self.kind is ElementKind.MESSAGES:
            if self.value or self.parameters:
                raise ValueError("a messages element holds only messages")
        elif self.parameters or self.messages:
            raise ValueError(f"a {self.kind.value} element holds only a value")

    def content_json(self) -> dict[str, object]:
        """The element's content as plain JSON data (the form stored and exchanged)."""
        if self.kind is ElementKind.PARAMETERS:
            return {
                "kind": self.kind.value,
                "parameters": [[p.name, p.value] for p in self.parameters],
            }
        if self.kind is ElementKind.MESSAGES:
            return {
                "kind": self.kind.value,
                "messages": [[m.role, m.content] for m in self.messages],
            }
        return {"kind": self.kind.value, "value": self.value}

    def plain_text(self) -> str:
        """Content as plain text: the value, or a `name value` / `role: content` line per row."""
        if self.kind is ElementKind.PARAMETERS:
            return "\n".join(f"{p.name} {p.value}" for p in self.parameters)
        if self.kind is ElementKind.MESSAGES:
            return "\n".join(f"{m.role}: {m.content}" for m in self.messages)
        return self.value

    @property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON content: equal content, equal hash (used for dedup)."""
        canonical = json.dumps(self.content_json(), ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @classmethod
    def from_content_json(cls, data: dict[str, object]) -> Element:
        """Inverse of `content_json`; raises ValueError on malformed data."""
        kind = ElementKind(str(data["kind"]))
        if kind is ElementKind.PARAMETERS:
            rows = data.get("parameters")
            if not isinstance(rows, list):
                raise ValueError("parameters must be a list of [name, value] pairs")
            return cls(kind, parameters=tuple(Parameter(str(n), str(v)) for n, v in rows))
        if kind is ElementKind.MESSAGES:
            rows = data.get("messages")
            if not isinstance(rows, list):
                raise ValueError("messages must be a list of [role, content] pairs")
            return cls(kind, messages=tuple(Message(str(r), str(c)) for r, c in rows))
        value = data.get("value", "")
        if not isinstance(value, str):
            raise ValueError(f"the value of a {kind.value} element must be a string")
        return cls(kind, value=value)


# --- Conversions between commands, elements and text -------------------------------------

COMMAND_FOR_KIND: dict[ElementKind, str] = {kind: name for name, kind in KIND_FOR_COMMAND.items()}
"""Element kind -> parser command name for the single-value kinds."""

KEYWORD_FOR_COMMAND: dict[str, str] = {
    "model": "FROM",
    "template": "TEMPLATE",
    "system": "SYSTEM",
    "adapter": "ADAPTER",
    "license": "LICENSE",
    "requires": "REQUIRES",
    "renderer": "RENDERER",
    "parser": "PARSER",
    "draft": "DRAFT",
    "message": "MESSAGE",
}
"""Parser command name -> the canonical (upper-case) instruction keyword that produces it."""

KEYWORD_FOR_KIND: dict[ElementKind, str] = {
    **{kind: KEYWORD_FOR_COMMAND[command] for kind, command in COMMAND_FOR_KIND.items()},
    ElementKind.PARAMETERS: "PARAMETER",
    ElementKind.MESSAGES: "MESSAGE",
}
"""Element kind -> the instruction keyword its lines start with."""

TRIPLE_QUOTE_FIRST: frozenset[str] = frozenset({"template", "license"})
"""Commands whose values are written `\"\"\"…\"\"\"` whenever that survives, even on one line."""

_PARAMETER_NAME_PATTERN = re.compile(r"[A-Za-z0-9_]+")
_LINE_BREAK = re.compile(r"\r|\n")
_VALUE_TRIM = " \t\r\n"
_ASCII_DROPPED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_KEPT_BLANKS = str.maketrans("", "", "\t\r\n")


class GenerateError(ValueError):
    """An element holds a value no Modelfile text can express; names the element and why."""

    def __init__(self, element_kind: str, reason: str) -> None:
        super().__init__(f"cannot write the {element_kind} element: {reason}")
        self.element_kind = element_kind
        self.reason = reason


def _split_message(args: str) -> Message:
    """`role: content` -> Message; args without `": "` are all role (as Ollama renders them)."""
    role, separator, content = args.partition(": ")
    if not separator:
        return Message(args, "")
    return Message(role, content)


def _message_command(message: Message) -> Command:
    """`role: content`; a role-less message (from `PARAMETER message …`, which has no `": "`)
    comes back as the bare text it was."""
    if not message.content and message.role not in MESSAGE_ROLES and ": " not in message.role:
        return Command("message", message.role)
    return Command("message", f"{message.role}: {message.content}")


def elements_from_commands(commands: Iterable[Command]) -> tuple[Element, ...]:
    """Group parsed commands into elements, keeping file order.

    All PARAMETER commands form one `parameters` element placed where the first one appeared,
    all MESSAGE commands one `messages` element likewise; every other command is an element of
    its own (a vision model's two FROM lines are two `base` elements).
    """
    slots: list[Element | None] = []
    parameters: list[Parameter] = []
    messages: list[Message] = []
    parameters_slot = messages_slot = -1
    for command in commands:
        kind = KIND_FOR_COMMAND.get(command.name)
        if kind is not None:
            slots.append(Element(kind, value=command.args))
        elif command.name == "message":
            if messages_slot < 0:
                messages_slot = len(slots)
                slots.append(None)
            messages.append(_split_message(command.args))
        else:
            if parameters_slot < 0:
                parameters_slot = len(slots)
                slots.append(None)
            parameters.append(Parameter(command.name, command.args))
    if parameters_slot >= 0:
        slots[parameters_slot] = Element(ElementKind.PARAMETERS, parameters=tuple(parameters))
    if messages_slot >= 0:
        slots[messages_slot] = Element(ElementKind.MESSAGES, messages=tuple(messages))
    return tuple(element for element in slots if element is not None)


def commands_from_elements(elements: Iterable[Element]) -> list[Command]:
    """The commands `elements` stand for, in element order (parameters and messages in theirs)."""
    commands: list[Command] = []
    for element in elements:
        if element.kind is ElementKind.PARAMETERS:
            commands.extend(Command(p.name, p.value) for p in element.parameters)
        elif element.kind is ElementKind.MESSAGES:
            commands.extend(_message_command(m) for m in element.messages)
        else:
            commands.append(Command(COMMAND_FOR_KIND[element.kind], element.value))
    return commands


def elements_from_text(text: str | bytes) -> tuple[Element, ...]:
    """Parse Modelfile text (raises `ModelfileError`) and group its commands into elements."""
    return elements_from_commands(parse(text))


def unprintable_character(value: str) -> str | None:
    """The first character of `value` Ollama's parser would drop (None when there is none).

    Everything that is not printable is dropped, except TAB, CR and LF, which values keep.
    """
    if value.isascii():
        found = _ASCII_DROPPED.search(value)
        return found.group() if found is not None else None
    if value.translate(_KEPT_BLANKS).isprintable():
        return None
    for char in value:
        if not char.isprintable() and char not in "\t\r\n":
            return char
    return None


def _plain_survives(value: str) -> bool:
    return (
        _LINE_BREAK.search(value) is None
        and value == value.strip(_VALUE_TRIM)
        and not value.startswith('"')
    )


def _double_survives(value: str) -> bool:
    lines = _LINE_BREAK.split(value)
    if len(lines) == 1:
        # `"` + value + `"` must not read as a triple-quoted value (e.g. a value of `"`).
        return not f'"{value}"'.startswith('"""')
    if value.startswith('""'):
        return False
    # Every line but the last must stay open: its text (minus trailing blanks) may not end
    # with `"`; the first line is judged with the opening quote in front.
    first = ('"' + lines[0]).rstrip(" \t")
    if len(first) >= 2 and first.endswith('"'):
        return False
    return not any(line.rstrip(" \t").endswith('"') for line in lines[1:-1])


def _triple_survives(value: str) -> bool:
    lines = _LINE_BREAK.split(value)
    if len(lines) == 1:
        return True
    first = ('"""' + lines[0]).rstrip(" \t")
    if len(first) >= 6 and first.endswith('"""'):
        return False
    return not any(line.rstrip(" \t").endswith('"""') for line in lines[1:-1])


def quote_value(value: str, *, prefer_triple: bool = False) -> str | None:
    """Value text that Ollama's parser reads back as exactly `value`, or None if impossible.

    Canonical choice: bare when that survives (one line, no edge blanks, no leading `"`), then
    `"…"`, then `\"\"\"…\"\"\"`; multi-line values and `prefer_triple` try `\"\"\"` first.
    Values holding a character the parser drops (see `unprintable_character`) are impossible.
    """
    if unprintable_character(value) is not None:
        return None
    multi_line = _LINE_BREAK.search(value) is not None
    if not multi_line and not prefer_triple and _plain_survives(value):
        return value
    if (multi_line or prefer_triple) and _triple_survives(value):
        return f'"""{value}"""'
    if _double_survives(value):
        return f'"{value}"'
    if _triple_survives(value):
        return f'"""{value}"""'
    return None


def _why_unquotable(value: str) -> str:
    char = unprintable_character(value)
    if char is not None:
        return f"it holds the character U+{ord(char):04X}, which Ollama's parser drops"
    for index, line in enumerate(_LINE_BREAK.split(value)[:-1], start=1):
        if line.rstrip(" \t").endswith('"'):
            return (
                f'its line {index} ends with a quote ("{line.strip()[-20:]}"), which would '
                "close the quoted value early whichever quotes are used"
            )
    return "no quoting reads it back unchanged"


def command_text(command: Command) -> str:
    """One command as canonical Modelfile text (no line break); GenerateError if impossible.

    FROM is written raw, so its value may not hold a line break, edge blanks or a leading
    quote; PARAMETER names must match `[A-Za-z0-9_]+`; MESSAGE roles must be ones Ollama
    accepts.
    """
    name, args = command.name, command.args
    if name == "model":
        if unprintable_character(args) is not None or not (args == "" or _plain_survives(args)):
            raise GenerateError(
                ElementKind.BASE.value,
                f"FROM {args!r} cannot be written: Ollama reads FROM raw, so the name may not "
                "hold a line break, start or end with blanks, or start with a quote",
            )
        return f"FROM {args}"
    if name == "message":
        message = _split_message(args)
        if message.role not in MESSAGE_ROLES:
            raise GenerateError(
                ElementKind.MESSAGES.value,
                f"message role {message.role!r} is not one Ollama accepts "
                f"({', '.join(MESSAGE_ROLES)})",
            )
        quoted = quote_value(message.content)
        if quoted is None:
            raise GenerateError(
                ElementKind.MESSAGES.value,
                f"the {message.role} message cannot be quoted: {_why_unquotable(message.content)}",
            )
        return f"MESSAGE {message.role} {quoted}"
    keyword = KEYWORD_FOR_COMMAND.get(name)
    if keyword is None:
        if _PARAMETER_NAME_PATTERN.fullmatch(name) is None:
            raise GenerateError(
                ElementKind.PARAMETERS.value,
                f"parameter name {name!r} must be letters, digits and underscores only",
            )
        quoted = quote_value(args)
        if quoted is None:
            raise GenerateError(
                ElementKind.PARAMETERS.value,
                f"the value of parameter {name} cannot be quoted: {_why_unquotable(args)}",
            )
        return f"PARAMETER {name} {quoted}"
    quoted = quote_value(args, prefer_triple=name in TRIPLE_QUOTE_FIRST)
    if quoted is None:
        raise GenerateError(KIND_FOR_COMMAND[name].value, _why_unquotable(args))
    return f"{keyword} {quoted}"


def generate_modelfile(elements: Iterable[Element]) -> str:
    """Canonical Modelfile text for `elements`, in the given order, one command per line.

    Ollama's parser reads the result back to exactly `commands_from_elements(elements)`;
    a value no text can express raises `GenerateError` naming the element and the reason.
    """
    lines = [command_text(command) for command in commands_from_elements(elements)]
    return "".join(line + "\n" for line in lines)
