"""Typed results of the Ollama API (frozen dataclasses) and the `OllamaError` family.

Every error's `str()` is one line naming the host (and the model when there is one) and
carrying Ollama's own error text, e.g.
`gpu-box (http://gpu-box:11434): model 'nope:latest': model 'nope:latest' not found (HTTP 404)`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, TypeVar, cast

HostState = Literal["up", "degraded", "down", "unknown"]
"""Health of one host: answering, answering slowly, not answering, not yet checked (the one
definition: the pool, the CLI and the TUI status bar all use it)."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_FRACTION = re.compile(r"\.(\d+)")


def parse_timestamp(text: object) -> datetime:
    """An RFC 3339 time as Ollama writes it (nanoseconds, any offset, `Z`); epoch when absent."""
    if not isinstance(text, str) or not text:
        return _EPOCH
    normalised = _FRACTION.sub(lambda match: "." + match.group(1)[:6].ljust(6, "0"), text, 1)
    normalised = normalised.replace("Z", "+00:00").replace("z", "+00:00")
    try:
        moment = datetime.fromisoformat(normalised)
    except ValueError:
        return _EPOCH
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def names_model(text: str, model: str) -> bool:
    """Whether `text` (Ollama's own, `model 'x' not found`) names `model` already, quoted as
    Ollama quotes it and spelled as asked for: the error then names it once. (Ollama's
    `'x:latest'` for a model asked for as `x` is another spelling, and both are kept.)"""
    return any(f"{quote}{model}{quote}" in text for quote in "'\"")


class OllamaError(Exception):
    """A failed Ollama operation: Ollama's own text, plus where (host) and on what (model)."""

    def __init__(
        self,
        message: str,
        *,
        host: str,
        model: str | None = None,
        status: int | None = None,
        url: str | None = None,
    ) -> None:
        self.message = _one_line(message)
        self.host = host
        self.model = model
        self.status = status
        self.url = url
        super().__init__(self._render())

    @property
    def where(self) -> str:
        """The host, with its address when that is not its name: `demo (http://…)`."""
        return self.host if not self.url or self.url == self.host else f"{self.host} ({self.url})"

    @property
    def reason(self) -> str:
        """Ollama's text with the HTTP status, without host or model."""
        if self.status is not None and f"HTTP {self.status}" not in self.message:
            return f"{self.message} (HTTP {self.status})"
        return self.message

    def _render(self) -> str:
        parts = [self.where]
        if self.model and not names_model(self.message, self.model):
            parts.append(f"model {self.model!r}")
        parts.append(self.reason)
        return ": ".join(parts)

    def __str__(self) -> str:
        return self._render()


class HostUnreachable(OllamaError):
    """No connection could be made (refused, DNS, TLS) or it closed before any answer."""


class TLSError(HostUnreachable):
    """The TLS handshake failed: an untrusted or mismatched certificate, or no TLS at all.
    The message names the host and says how to trust a private CA (`SSL_CERT_FILE`)."""


class RequestTimeout(OllamaError):
    """The host accepted the request but did not answer within the timeout."""


class NotOllama(OllamaError):
    """Something answered, but not Ollama's API (an HTML page, a wrong path prefix...)."""


class Unauthorized(OllamaError):
    """A proxy in front of the host refused the request (401/403): token or headers are wrong."""


class InvalidModelName(OllamaError):
    """The model name breaks Ollama's naming rules (checked before sending, or by the host)."""


class ModelNotFound(OllamaError):
    """The model is not installed on the host."""


class StreamError(OllamaError):
    """A progress stream reported an error line, or was cut before `success`."""


class InvalidHostURL(OllamaError):
    """A host address that is not a usable URL (in config, `OLLAMA_HOST` or `--host`)."""

    def _render(self) -> str:
        text = super()._render()
        # An ad-hoc host is named by its address, which the message already quotes.
        prefix = f"{self.host}: "
        if repr(self.host) in self.message and text.startswith(prefix):
            return text[len(prefix) :]
        return text


@dataclass(frozen=True, slots=True)
class ModelSummary:
    """One entry of `/api/tags`: an installed model on one host."""

    host: str
    name: str
    digest: str
    size: int
    modified_at: datetime
    format: str = ""
    family: str = ""
    families: tuple[str, ...] = ()
    parameter_size: str = ""
    quantization: str = ""
    capabilities: tuple[str, ...] = ()
    context_length: int | None = None
    remote_model: str = ""
    remote_host: str = ""
    """Set for a cloud model: the host forwards requests there and holds no weights."""

    @property
    def is_remote(self) -> bool:
        """A cloud stub: nothing to load, unload, push or extract weights from."""
        return bool(self.remote_host or self.remote_model)

    def to_json(self) -> dict[str, object]:
        """Plain JSON data (the `models list --json` row)."""
        return {
            "host": self.host,
            "name": self.name,
            "digest": self.digest,
            "size": self.size,
            "modified_at": self.modified_at.isoformat(),
            "format": self.format,
            "family": self.family,
            "families": list(self.families),
            "parameter_size": self.parameter_size,
            "quantization": self.quantization,
            "capabilities": list(self.capabilities),
            "context_length": self.context_length,
            "remote_model": self.remote_model,
            "remote_host": self.remote_host,
        }


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One stored message of a model (`messages` in `/api/show`)."""

    role: str
    content: str


@dataclass(frozen=True, slots=True)
class ModelDetails:
    """`/api/show` of one model on one host. `digest` comes from `/api/tags` when known."""

    host: str
    name: str
    modelfile: str = ""
    parameters_text: str = ""
    template: str = ""
    system: str = ""
    license: str = ""
    format: str = ""
    family: str = ""
    families: tuple[str, ...] = ()
    parameter_size: str = ""
    quantization: str = ""
    parent_model: str = ""
    context_length: int | None = None
    model_info: Mapping[str, object] = field(default_factory=dict)
    projector_info: Mapping[str, object] = field(default_factory=dict)
    capabilities: tuple[str, ...] = ()
    messages: tuple[ChatMessage, ...] = ()
    renderer: str = ""
    parser: str = ""
    requires: str = ""
    modified_at: datetime = _EPOCH
    digest: str | None = None
    remote_model: str = ""
    remote_host: str = ""


@dataclass(frozen=True, slots=True)
class Progress:
    """One line of a create/pull/push stream (or of our own blob upload)."""

    status: str
    digest: str = ""
    total: int = 0
    completed: int = 0

    @property
    def fraction(self) -> float | None:
        """Completed share in [0, 1] when the line carries a total, else None."""
        if self.total <= 0:
            return None
        return min(1.0, max(0.0, self.completed / self.total))

    @property
    def is_success(self) -> bool:
        """Whether this is the final `success` line."""
        return self.status == "success"


@dataclass(frozen=True, slots=True)
class RunningModel:
    """One entry of `/api/ps`: a model loaded in memory."""

    host: str
    name: str
    digest: str
    size: int
    size_vram: int
    expires_at: datetime
    context_length: int | None = None


@dataclass(frozen=True, slots=True)
class HostStatus:
    """What the health monitor knows about one host."""

    name: str
    url: str
    state: HostState = "unknown"
    version: str | None = None
    latency_ms: float | None = None
    last_error: str | None = None
    checked_at: datetime | None = None

    def to_json(self) -> dict[str, object]:
        """Plain JSON data (the `hosts --json` row)."""
        return {
            "name": self.name,
            "url": self.url,
            "state": self.state,
            "version": self.version,
            "latency_ms": None if self.latency_ms is None else round(self.latency_ms, 1),
            "last_error": self.last_error,
            "checked_at": None if self.checked_at is None else self.checked_at.isoformat(),
        }


# Reading the JSON of the API: a missing or mistyped field reads as empty, never raises.
def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _int(value: object) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return 0


def _optional_int(value: object) -> int | None:
    number = _int(value)
    return number or None


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def _mapping(value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        return {}
    return {str(key): item for key, item in value.items()}


SHARED_VALUES_AT_MOST = 4096
"""Distinct short values (`_shared`) kept for sharing; past this, values are kept as read."""
_Shared = TypeVar("_Shared", str, tuple[str, ...])
_shared_values: dict[object, object] = {}


def _shared(value: _Shared) -> _Shared:
    """One object for each repeated value of a listing (family, format, quantization,
    parameter size, capabilities, host): a host's 1,000 models hold a handful of distinct ones,
    and each parsed JSON string would otherwise be a copy of its own (~60 bytes each, ~0.5 KB
    a model with its tuples)."""
    shared = _shared_values.get(value)
    if shared is not None:
        return cast(_Shared, shared)  # equal to `value`, hence of its type
    if len(_shared_values) < SHARED_VALUES_AT_MOST:
        _shared_values[value] = value
    return value


def model_summary(host: str, entry: Mapping[str, object]) -> ModelSummary:
    """One `/api/tags` entry of `host` (here, not in the client, so that the start-up listing
    reads it the same way without importing httpx). Values that repeat across models are
    shared (`_shared`), and nothing of the JSON entry is kept."""
    details = _mapping(entry.get("details"))
    return ModelSummary(
        host=_shared(host),
        name=_text(entry.get("name")) or _text(entry.get("model")),
        digest=_text(entry.get("digest")),
        size=_int(entry.get("size")),
        modified_at=parse_timestamp(entry.get("modified_at")),
        format=_shared(_text(details.get("format"))),
        family=_shared(_text(details.get("family"))),
        families=_shared(_strings(details.get("families"))),
        parameter_size=_shared(_text(details.get("parameter_size"))),
        quantization=_shared(_text(details.get("quantization_level"))),
        capabilities=_shared(_strings(entry.get("capabilities"))),
        context_length=_optional_int(details.get("context_length")),
        remote_model=_text(entry.get("remote_model")),
        remote_host=_text(entry.get("remote_host")),
    )


_JSON_SPACE = " \t\n\r"


def tags_summaries(host: str, body: bytes | str) -> tuple[ModelSummary, ...]:
    """The models of an `/api/tags` answer of `host`, read entry by entry: each entry's JSON
    becomes its `ModelSummary` before the next is decoded, so a 1,000-model listing never
    holds all its parsed dictionaries at once (they cost ~1.5 KB a model at the memory peak
    of the start). Reads what `json.loads` reads (a later duplicate key wins; `models` null is
    no models); raises ValueError when the answer is not a JSON object with a model list."""
    text = body.decode() if isinstance(body, bytes) else body
    decoder = json.JSONDecoder()
    end = len(text)

    def skip(index: int) -> int:
        while index < end and text[index] in _JSON_SPACE:
            index += 1
        return index

    def expect(index: int, char: str) -> int:
        index = skip(index)
        if index >= end or text[index] != char:
            raise ValueError(f"expected {char!r} at character {index}")
        return index + 1

    index = expect(0, "{")
    models: tuple[ModelSummary, ...] | None = None
    listed = False
    index = skip(index)
    if index < end and text[index] == "}":
        index += 1
    else:
        while True:
            key, index = decoder.raw_decode(text, skip(index))
            if not isinstance(key, str):
                raise ValueError(f"expected a key at character {index}")
            index = skip(expect(index, ":"))
            if key == "models" and index < end and text[index] == "[":
                index, models = _summaries_in_array(host, text, index + 1, decoder, skip)
                listed = True
            else:
                value, index = decoder.raw_decode(text, index)
                if key == "models":
                    if value is not None:
                        raise ValueError("`models` is not a list")
                    models, listed = (), True
            index = skip(index)
            if index < end and text[index] == ",":
                index += 1
                continue
            index = expect(index, "}")
            break
    if skip(index) != end:
        raise ValueError(f"extra data at character {skip(index)}")
    return models if listed and models is not None else ()


def _summaries_in_array(
    host: str,
    text: str,
    index: int,
    decoder: json.JSONDecoder,
    skip: Callable[[int], int],
) -> tuple[int, tuple[ModelSummary, ...]]:
    """The summaries of the array whose `[` ends before `index`, and the index after its `]`."""
    summaries: list[ModelSummary] = []
    index = skip(index)
    if index < len(text) and text[index] == "]":
        return index + 1, ()
    while True:
        entry, index = decoder.raw_decode(text, skip(index))
        if isinstance(entry, dict):
            summaries.append(model_summary(host, entry))
        del entry
        index = skip(index)
        if index < len(text) and text[index] == ",":
            index += 1
            continue
        if index < len(text) and text[index] == "]":
            return index + 1, tuple(summaries)
        raise ValueError(f"expected ',' or ']' at character {index}")
