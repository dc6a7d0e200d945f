"""Modelfile elements: the reusable units a Modelfile is composed of.

A Modelfile is an ordered tuple of elements. Text kinds carry `value`; the `parameters` kind
carries an ordered tuple of `Parameter` (`stop` may repeat); the `messages` kind an ordered tuple
of `Message`. Every other module (store, Ollama extraction, TUI) speaks in these types.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from enum import StrEnum


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
    kind
    for kind in ElementKind
    if kind not in (ElementKind.PARAMETERS, ElementKind.MESSAGES)
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
