"""Ollama model-name rules: parse, validate and display `[scheme://][host/][namespace/]model[:tag]`.

Mirrors Ollama's `types/model/name.go`: a name is split right to left (tag after the last `:`
that follows the last `/`, then model, namespace, host), missing parts take the defaults
`registry.ollama.ai`, `library`, `latest`, and a separator with nothing on one side makes that
part missing, which is invalid. Part rules are ASCII-only and length-checked in bytes.
The display form drops a default host and namespace (case-insensitively) and always shows the tag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum
from functools import lru_cache

DEFAULT_HOST = "registry.ollama.ai"
DEFAULT_NAMESPACE = "library"
DEFAULT_TAG = "latest"
DEFAULT_SCHEME = "https"

_MISSING = ""
"""A part given as empty next to its separator (`a:`, `/m`); never valid."""


class NamePart(Enum):
    """The four parts of a model name, with their length limits (bytes)."""

    HOST = ("host", 350)
    NAMESPACE = ("namespace", 80)
    MODEL = ("model", 80)
    TAG = ("tag", 80)

    @property
    def label(self) -> str:
        """The part's name as used in messages."""
        return self.value[0]

    @property
    def max_length(self) -> int:
        """The longest valid part, in bytes."""
        return self.value[1]


class ModelNameError(ValueError):
    """A model name Ollama would reject; `str()` names the raw text and the bad part."""

    def __init__(self, raw: str, reason: str) -> None:
        super().__init__(f"invalid model name {raw!r}: {reason}")
        self.raw = raw
        self.reason = reason


_VALID_PART = {
    "host": re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:-]{0,349}"),
    "namespace": re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,79}"),
    "model": re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}"),
    "tag": re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}"),
}
"""Fast path: a part matching its pattern is valid (the rules below explain a failure)."""


def _is_first_character(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


def part_problem(part: NamePart, text: str) -> str | None:
    """Why `text` is not a valid `part`, or None when it is (Ollama's `isValidPart`)."""
    if _VALID_PART[part.label].fullmatch(text):
        return None
    size = len(text.encode("utf-8"))
    if size == 0:
        return f"the {part.label} is empty"
    if size > part.max_length:
        return f"the {part.label} is longer than {part.max_length} characters"
    if not _is_first_character(text[0]):
        return f"the {part.label} {text!r} must start with a letter, digit or '_'"
    for char in text[1:]:
        if _is_first_character(char) or char in "_-":
            continue
        if char == "." and part is not NamePart.NAMESPACE:
            continue
        if char == ":" and part is NamePart.HOST:
            continue
        return f"the {part.label} {text!r} may not contain {char!r}"
    return None


@dataclass(frozen=True, slots=True)
class ModelName:
    """A parsed name with defaults filled in; parts given empty stay empty (and invalid)."""

    host: str
    namespace: str
    model: str
    tag: str
    scheme: str = DEFAULT_SCHEME

    @classmethod
    def parse(cls, raw: str) -> ModelName:
        """Split `raw` like Ollama's `ParseName` (never raises; see `problem`/`is_valid`)."""
        return _parse(raw) if cls is ModelName else cls._split(raw)

    @classmethod
    def _split(cls, raw: str) -> ModelName:
        """The uncached split behind `parse`."""
        rest = raw
        tag: str | None = None
        if rest.rfind(":") > rest.rfind("/"):
            rest, _, tag = rest.rpartition(":")
            if not rest:
                return cls(DEFAULT_HOST, DEFAULT_NAMESPACE, _MISSING, tag or _MISSING)
            tag = tag or _MISSING
        if "/" not in rest:
            return cls(DEFAULT_HOST, DEFAULT_NAMESPACE, rest, DEFAULT_TAG if tag is None else tag)
        rest, _, model = rest.rpartition("/")
        full_tag = DEFAULT_TAG if tag is None else tag
        if "/" not in rest:
            # `/m` leaves the namespace missing; `ns/m` names a namespace.
            return cls(DEFAULT_HOST, rest or _MISSING, model or _MISSING, full_tag)
        rest, _, namespace = rest.rpartition("/")
        if not rest:  # `/ns/m`: nothing before the separator
            return cls(_MISSING, namespace or _MISSING, model or _MISSING, full_tag)
        scheme, separator, host = rest.partition("://")
        if not separator:
            scheme, host = DEFAULT_SCHEME, rest
        # `https:///ns/m` gives an empty host, which Ollama fills with the default.
        return cls(host or DEFAULT_HOST, namespace or _MISSING, model or _MISSING, full_tag, scheme)

    @property
    def problem(self) -> str | None:
        """Why the name is invalid, or None (checks host, namespace, model, tag in that order)."""
        return _problem(self)

    def _problem(self) -> str | None:
        for part, text in (
            (NamePart.HOST, self.host),
            (NamePart.NAMESPACE, self.namespace),
            (NamePart.MODEL, self.model),
            (NamePart.TAG, self.tag),
        ):
            reason = part_problem(part, text)
            if reason is not None:
                return reason
        return None

    @property
    def is_valid(self) -> bool:
        """Whether Ollama accepts the name."""
        return self.problem is None

    @property
    def display(self) -> str:
        """Ollama's `DisplayShortest`: `llama3.2:latest`, `me/m:v1`, `example.com/team/m:v1`."""
        if self.host.lower() != DEFAULT_HOST:
            prefix = f"{self.host}/{self.namespace}/"
        elif self.namespace.lower() != DEFAULT_NAMESPACE:
            prefix = f"{self.namespace}/"
        else:
            prefix = ""
        return f"{prefix}{self.model}:{self.tag}"

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Case-insensitive identity: two names with the same key are the same model."""
        return (self.host.lower(), self.namespace.lower(), self.model.lower(), self.tag.lower())

    def __str__(self) -> str:
        return self.display


@lru_cache(maxsize=8192)
def _parse(raw: str) -> ModelName:
    return ModelName._split(raw)


@lru_cache(maxsize=8192)
def _problem(name: ModelName) -> str | None:
    return name._problem()


def parse_model_name(raw: str) -> ModelName:
    """Parse and validate `raw`; raises `ModelNameError` naming the bad part."""
    if not raw.strip():
        raise ModelNameError(raw, "the name is empty")
    name = ModelName.parse(raw)
    reason = name.problem
    if reason is not None:
        raise ModelNameError(raw, reason)
    return name


def copy_name(raw: str) -> str:
    """The name a copy of `raw` is offered under: the same registry, namespace and tag, the
    model part suffixed `-copy` (`llama3.2` -> `llama3.2-copy:latest`,
    `registry.local:5000/ns/m:v1` -> `registry.local:5000/ns/m-copy:v1`)."""
    name = ModelName.parse(raw)
    return replace(name, model=f"{name.model}-copy").display


def same_model(first: str, second: str) -> bool:
    """Whether two names denote the same model (case-insensitive per part, defaults applied)."""
    return ModelName.parse(first).key == ModelName.parse(second).key
