"""`OllamaClient`: every model-management route of one Ollama host, over one pooled httpx client.

- One `httpx.AsyncClient` per host, TLS verification on, connections bounded by
  `max_connections` and every request additionally bounded by a semaphore of the same size.
- Each non-streaming request has an overall deadline of `timeout` seconds (connect + answer),
  so a host that accepts a connection and never answers costs one timeout, no more.
- Idempotent reads (version, tags, show, ps) are retried on connection failures with a short
  backoff (`RETRY_DELAYS`); nothing that changes state is ever retried, nor a TLS failure.
- `chat`/`generate` stream one answer into a `ChatReply` (same idle timeout and errors).
- Streams (create, pull, push) yield `Progress`; every line is checked for `error`, a stream
  that ends without `success` is an error, a stream with no line for longer than its idle
  timeout (the request timeout) is ended with an error, and closing the iterator (or
  cancelling the task reading it) closes the HTTP response, which makes Ollama abandon the
  operation.
- Environment proxies apply to non-loopback hosts, `SSL_CERT_FILE`/`SSL_CERT_DIR` to every
  HTTPS host (`transport.py`); a certificate or TLS failure is a `TLSError` that says so.
- Model names are validated with Ollama's rules before anything is sent.
- The bearer token and extra headers never appear in `repr()`, errors or logs.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import re
import socket
import ssl
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import httpx

from modelarium import __version__
from modelarium.config import HostConfig
from modelarium.ollama.addresses import parse_ollama_host
from modelarium.ollama.chat import ChatReply, reply_from_chunks
from modelarium.ollama.names import ModelName
from modelarium.ollama.transport import (
    TransportSetupError,
    environment_proxy,
    is_loopback_host,
    pooled_transport,
)
from modelarium.ollama.types import (
    ChatMessage,
    HostUnreachable,
    InvalidHostURL,
    InvalidModelName,
    ModelDetails,
    ModelNotFound,
    ModelSummary,
    NotOllama,
    OllamaError,
    Progress,
    RequestTimeout,
    RunningModel,
    StreamError,
    TLSError,
    Unauthorized,
    _int,
    _mapping,
    _optional_int,
    _strings,
    _text,
    parse_timestamp,
    tags_summaries,
)
from modelarium.wording import counted

if TYPE_CHECKING:
    from modelarium.modelfile import ModelCreate

log = logging.getLogger(__name__)

RETRY_DELAYS: tuple[float, ...] = (0.1, 0.3)
"""Backoff before each retry of an idempotent read that failed to connect: two retries."""

STREAM_SLOW_STEP_TIMEOUT = 300.0
"""Seconds a stream may stay silent after a status announcing work Ollama does without
progress lines (`SLOW_STEP_STATUSES`); every other gap between lines is bounded by the
stream's idle timeout (the request timeout)."""

SLOW_STEP_STATUSES: tuple[str, ...] = (
    "verifying sha256 digest",
    "verifying conversion",
    "converting model",
    "parsing gguf",
    "writing manifest",
    "creating new layer",
)
"""Status prefixes (lower case) after which Ollama works silently: hashing a pulled blob of
tens of GB, converting safetensors, validating a GGUF, writing a large layer."""

UPLOAD_CHUNK = 1 << 20
"""Bytes read from disk per chunk when streaming a blob upload."""

_PROXY_DOWN_STATUSES = frozenset({502, 503, 504})


_HEADER_NAME = re.compile(r"^# FROM (\S.*?)\s*$")


def header_model_name(modelfile: str) -> str | None:
    """The model's name as the host spells it, from the `# FROM <name>` comment that heads a
    GGUF model's show Modelfile (None for MLX models, whose real FROM holds the name)."""
    for line in modelfile[:2048].splitlines()[:6]:
        match = _HEADER_NAME.match(line)
        if match and ModelName.parse(match.group(1)).is_valid:
            return match.group(1)
    return None


def _root_reason(error: BaseException) -> str:
    """The operating system's words for a connection failure (`Connection refused`, `Name or
    service not known`), found down the exception chain; else the error's own text."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.strerror:
            text = current.strerror
            code = current.errno or 0
            if not isinstance(current, socket.gaierror) and code > 0:
                text = os.strerror(code)  # asyncio words ECONNREFUSED differently
            return text[:1].lower() + text[1:]
        nested = getattr(current, "exceptions", None)  # anyio's grouped connection attempts
        if isinstance(nested, tuple) and nested and isinstance(nested[0], BaseException):
            current = nested[0]
            continue
        current = current.__cause__ or current.__context__
    return str(error) or type(error).__name__


def _tls_reason(error: BaseException) -> tuple[str, bool] | None:
    """(what went wrong, whether it is certificate trust) for a TLS failure found down the
    exception chain; None when the failure is not TLS."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return (current.verify_message or current.reason or str(current)), True
        if isinstance(current, ssl.SSLError):
            reason = current.reason or current.strerror or str(current)
            return str(reason).replace("_", " ").lower(), False
        current = current.__cause__ or current.__context__
    return None


def _normalise_digest(digest: str) -> str:
    """`sha256:<hex>` (the spelling Ollama compares literally) from `sha256-`/`sha256:`/bare."""
    text = digest.strip().lower()
    if text.startswith(("sha256:", "sha256-")):
        text = text[7:]
    return f"sha256:{text}"


class OllamaClient:
    """One Ollama host. Use as `async with OllamaClient(config) as client:` or call `aclose()`."""

    def __init__(
        self,
        host: HostConfig,
        *,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        max_connections: int = 8,
        retry_delays: Sequence[float] = RETRY_DELAYS,
        stream_read_timeout: float | None = STREAM_SLOW_STEP_TIMEOUT,
        stream_idle_timeout: float | None = None,
    ) -> None:
        """`timeout` bounds each plain request (connect + answer) and, unless
        `stream_idle_timeout` says otherwise, each wait for a stream's next line;
        `stream_read_timeout` bounds the silence after a slow-step status (and a blob
        upload's answer)."""
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        if max_connections < 1:
            raise ValueError("max_connections must be at least 1")
        self.config = host
        self.name = host.name
        try:
            self.url = parse_ollama_host(host.url)
        except OllamaError as error:
            raise InvalidHostURL(error.message, host=host.name) from None
        self.timeout = timeout
        self.max_connections = max_connections
        self._retry_delays = tuple(retry_delays)
        self.stream_idle_timeout = timeout if stream_idle_timeout is None else stream_idle_timeout
        """Longest wait for a stream's next line (after its head) before it is ended."""
        if self.stream_idle_timeout <= 0:
            raise ValueError("stream_idle_timeout must be positive")
        self.slow_step_timeout = max(
            self.stream_idle_timeout,
            STREAM_SLOW_STEP_TIMEOUT if stream_read_timeout is None else stream_read_timeout,
        )
        """Longest silence after a status of `SLOW_STEP_STATUSES`."""
        self._stream_timeout = httpx.Timeout(
            timeout, read=None if stream_read_timeout is None else max(timeout, stream_read_timeout)
        )
        headers = {"Accept": "application/json", "User-Agent": f"modelarium/{__version__}"}
        headers.update(host.headers)
        if host.token:
            headers["Authorization"] = f"Bearer {host.token}"
        limits = httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections
        )
        # Proxy variables must not capture a local Ollama; remote hosts may need them.
        trust_env = not is_loopback_host(httpx.URL(self.url).host)
        self.proxy = environment_proxy(self.url) if transport is None else None
        """The proxy requests go through (from the environment), None when direct."""
        if transport is None:
            try:
                transport = pooled_transport(self.url, limits=limits, proxy=self.proxy)
            except TransportSetupError as error:
                raise InvalidHostURL(str(error), host=host.name, url=self.url) from None
        self._http = httpx.AsyncClient(
            base_url=self.url,
            headers=headers,
            timeout=httpx.Timeout(timeout),
            limits=limits,
            transport=transport,
            follow_redirects=False,
            trust_env=trust_env,
        )
        self._semaphore = asyncio.Semaphore(max_connections)

    def __repr__(self) -> str:
        return f"OllamaClient(name={self.name!r}, url={self.url!r})"

    async def __aenter__(self) -> OllamaClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self._http.aclose()

    # errors -----------------------------------------------------------------------------

    def _error(
        self, cls: type[OllamaError], message: str, model: str | None, status: int | None = None
    ) -> OllamaError:
        return cls(message, host=self.name, model=model, status=status, url=self.url)

    def _transport_error(
        self, error: Exception, model: str | None, action: str, seconds: float | None = None
    ) -> OllamaError:
        """Map an httpx/asyncio failure to our error family (`seconds`: the deadline used)."""
        limit = self.timeout if seconds is None else seconds
        tls = _tls_reason(error)
        if tls is not None:
            return self._error(TLSError, self._tls_message(*tls), model)
        if isinstance(error, httpx.ConnectTimeout):
            return self._error(HostUnreachable, f"cannot connect within {limit:g} s", model)
        if isinstance(error, TimeoutError | httpx.TimeoutException):
            return self._error(RequestTimeout, f"no answer to {action} within {limit:g} s", model)
        if isinstance(error, httpx.ConnectError):
            return self._error(HostUnreachable, f"cannot connect: {_root_reason(error)}", model)
        if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
            return self._error(
                HostUnreachable, f"the connection closed during {action} without an answer", model
            )
        reason = str(error) or type(error).__name__
        return self._error(HostUnreachable, f"{action} failed: {reason}", model)

    def _tls_message(self, reason: str, certificate: bool) -> str:
        """What a TLS failure means and what to do about it, in one line."""
        server = httpx.URL(self.url).host
        via = f" (through the proxy {self.proxy.host})" if self.proxy is not None else ""
        if certificate and "mismatch" in reason.lower():
            return (
                f"TLS certificate of {server} is not trusted{via}: {reason.rstrip('.')}; use"
                " an address that is one of the names in its certificate"
            )
        if certificate:
            return (
                f"TLS certificate of {server} is not trusted{via}: {reason}; if it is signed"
                " by your own CA, set SSL_CERT_FILE to a PEM file holding that CA"
                " (or SSL_CERT_DIR to a folder of them)"
            )
        hint = ""
        if "wrong version number" in reason or "record layer failure" in reason:
            hint = " (does the host speak plain HTTP? then write http:// in its address)"
        return f"TLS handshake with {server} failed{via}: {reason}{hint}"

    def _raise_for_status(self, response: httpx.Response, model: str | None) -> None:
        """Raise the typed error for a non-2xx answer (the body must already be read)."""
        status = response.status_code
        if 200 <= status < 300:
            return
        ollama_text = self._error_text(response)
        if status in (401, 403, 407):
            detail = f": {ollama_text}" if ollama_text else ""
            raise self._error(
                Unauthorized,
                f"refused: HTTP {status} {response.reason_phrase}{detail}"
                " (check this host's token and headers)",
                model,
            )
        if ollama_text is None:
            if status in _PROXY_DOWN_STATUSES:
                raise self._error(
                    HostUnreachable,
                    f"a proxy answered HTTP {status} {response.reason_phrase}: Ollama behind it"
                    " is not reachable",
                    model,
                )
            snippet = " ".join(response.text.split())[:80]
            raise self._error(
                NotOllama,
                f"not an Ollama API: {response.request.method} {response.request.url.path}"
                f" answered HTTP {status} {response.headers.get('content-type', '')!s}"
                f" {snippet!r} (is the URL or its path prefix right?)",
                model,
            )
        lowered = ollama_text.lower()
        if status == 404:
            raise self._error(ModelNotFound, ollama_text, model, status)
        if status == 400 and ("invalid model name" in lowered or lowered.endswith("is invalid")):
            raise self._error(InvalidModelName, ollama_text, model, status)
        raise self._error(OllamaError, ollama_text, model, status)

    @staticmethod
    def _error_text(response: httpx.Response) -> str | None:
        """Ollama's `{"error": ...}` text, or None when the body is not that."""
        try:
            data = json.loads(response.content or b"null")
        except ValueError:
            return None
        if isinstance(data, dict) and isinstance(data.get("error"), str):
            return str(data["error"])
        return None

    def _not_ollama(self, response: httpx.Response, model: str | None) -> NoReturn:
        content_type = response.headers.get("content-type", "no content type")
        raise self._error(
            NotOllama,
            f"not an Ollama API: {response.request.method} {response.request.url.path} answered"
            f" HTTP {response.status_code} with {content_type}, not Ollama's JSON"
            " (is the URL or its path prefix right?)",
            model,
        )

    def _json_object(self, response: httpx.Response, model: str | None) -> dict[str, Any]:
        try:
            data = json.loads(response.content)
        except ValueError:
            self._not_ollama(response, model)
        if not isinstance(data, dict):
            self._not_ollama(response, model)
        return data

    def _check_name(self, model: str, role: str = "model") -> None:
        name = ModelName.parse(model)
        problem = name.problem if model.strip() else "the name is empty"
        if problem is not None:
            raise self._error(InvalidModelName, f"invalid {role} name: {problem}", model)

    # plain requests ---------------------------------------------------------------------

    async def _request(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, object] | None = None,
        model: str | None = None,
        idempotent: bool = False,
        retry: bool = True,
        accept: frozenset[int] = frozenset(),
        timeout: float | None = None,
    ) -> httpx.Response:
        """Send one request under the semaphore and the overall deadline (`timeout`, else the
        client's); typed errors."""
        delays = self._retry_delays if idempotent and retry else ()
        action = f"{method} {path}"
        deadline = self.timeout if timeout is None else timeout
        attempt = 0
        if not idempotent:
            log.info("%s: %s %s", self.name, action, model or "")
        while True:
            try:
                async with self._semaphore:
                    async with asyncio.timeout(deadline):
                        response = await self._http.request(
                            method,
                            path,
                            json=dict(body) if body is not None else None,
                            timeout=httpx.Timeout(deadline),
                        )
            except (httpx.HTTPError, TimeoutError, OSError) as error:
                mapped = self._transport_error(error, model, action, deadline)
                retryable = isinstance(mapped, HostUnreachable) and not isinstance(mapped, TLSError)
                if retryable and attempt < len(delays):
                    await asyncio.sleep(delays[attempt])
                    attempt += 1
                    continue
                (log.debug if idempotent else log.warning)("%s", mapped)
                raise mapped from error
            if response.status_code not in accept:
                try:
                    self._raise_for_status(response, model)
                except OllamaError as refused:
                    (log.debug if idempotent else log.warning)("%s", refused)
                    raise
            return response

    async def version(self, *, retry: bool = True, timeout: float | None = None) -> str:
        """`GET /api/version`: the server's version string (e.g. `0.33.0-rc2`); `timeout`
        overrides the client's (the health probe's shorter deadline)."""
        response = await self._request(
            "GET", "/api/version", idempotent=True, retry=retry, timeout=timeout
        )
        data = self._json_object(response, None)
        version = data.get("version")
        if not isinstance(version, str):
            self._not_ollama(response, None)
        return version

    async def list_models(self) -> tuple[ModelSummary, ...]:
        """`GET /api/tags`: the installed models, newest first (the server's order)."""
        response = await self._request("GET", "/api/tags", idempotent=True)
        try:
            return tags_summaries(self.name, response.content)
        except ValueError:
            self._not_ollama(response, None)

    async def show(self, model: str, verbose: bool = False) -> ModelDetails:
        """`POST /api/show`: details, Modelfile and metadata of one installed model."""
        self._check_name(model)
        body: dict[str, object] = {"model": model}
        if verbose:
            body["verbose"] = True
        response = await self._request("POST", "/api/show", body=body, model=model, idempotent=True)
        data = self._json_object(response, model)
        if "modelfile" not in data and "details" not in data and "model_info" not in data:
            self._not_ollama(response, model)
        details = _mapping(data.get("details"))
        model_info = _mapping(data.get("model_info"))
        context_length = _optional_int(details.get("context_length"))
        if context_length is None:
            architecture = _text(model_info.get("general.architecture"))
            context_length = _optional_int(model_info.get(f"{architecture}.context_length"))
        messages = tuple(
            ChatMessage(_text(item.get("role")), _text(item.get("content")))
            for item in data.get("messages") or []
            if isinstance(item, dict)
        )
        return ModelDetails(
            host=self.name,
            name=header_model_name(_text(data.get("modelfile"))) or ModelName.parse(model).display,
            modelfile=_text(data.get("modelfile")),
            parameters_text=_text(data.get("parameters")),
            template=_text(data.get("template")),
            system=_text(data.get("system")),
            license=_text(data.get("license")),
            format=_text(details.get("format")),
            family=_text(details.get("family")),
            families=_strings(details.get("families")),
            parameter_size=_text(details.get("parameter_size")),
            quantization=_text(details.get("quantization_level")),
            parent_model=_text(details.get("parent_model")),
            context_length=context_length,
            model_info=model_info,
            projector_info=_mapping(data.get("projector_info")),
            capabilities=_strings(data.get("capabilities")),
            messages=messages,
            renderer=_text(data.get("renderer")),
            parser=_text(data.get("parser")),
            requires=_text(data.get("requires")),
            modified_at=parse_timestamp(data.get("modified_at")),
            remote_model=_text(data.get("remote_model")),
            remote_host=_text(data.get("remote_host")),
        )

    async def running_models(self) -> tuple[RunningModel, ...]:
        """`GET /api/ps`: the models loaded in memory."""
        response = await self._request("GET", "/api/ps", idempotent=True)
        data = self._json_object(response, None)
        models = data.get("models") or []
        if not isinstance(models, list):
            self._not_ollama(response, None)
        return tuple(
            RunningModel(
                host=self.name,
                name=_text(entry.get("name")) or _text(entry.get("model")),
                digest=_text(entry.get("digest")),
                size=_int(entry.get("size")),
                size_vram=_int(entry.get("size_vram")),
                expires_at=parse_timestamp(entry.get("expires_at")),
                context_length=_optional_int(entry.get("context_length")),
            )
            for entry in models
            if isinstance(entry, dict)
        )

    async def load(self, model: str, keep_alive: str | int | None = None) -> None:
        """`POST /api/generate` without a prompt: load the model into memory now, for
        `keep_alive` (a Go duration such as `30m`, or seconds; negative keeps it loaded) or
        the server's default."""
        self._check_name(model)
        body: dict[str, object] = {"model": model, "stream": False}
        if keep_alive is not None:
            body["keep_alive"] = keep_alive
        await self._request("POST", "/api/generate", body=body, model=model)

    async def unload(self, model: str) -> None:
        """`POST /api/generate` with `keep_alive: 0` and no prompt: free the model's memory."""
        self._check_name(model)
        await self._request(
            "POST",
            "/api/generate",
            body={"model": model, "keep_alive": 0, "stream": False},
            model=model,
        )

    async def copy(self, source: str, destination: str) -> None:
        """`POST /api/copy`: install `source` again under `destination`."""
        self._check_name(source, "source")
        self._check_name(destination, "destination")
        await self._request(
            "POST",
            "/api/copy",
            body={"source": source, "destination": destination},
            model=source,
        )

    async def delete(self, model: str) -> None:
        """`DELETE /api/delete`: remove an installed model."""
        self._check_name(model)
        await self._request("DELETE", "/api/delete", body={"model": model}, model=model)

    async def blob_exists(self, digest: str, *, model: str | None = None) -> bool:
        """`HEAD /api/blobs/<digest>`: whether the host already has the blob."""
        blob = _normalise_digest(digest)
        response = await self._request(
            "HEAD", f"/api/blobs/{blob}", model=model, idempotent=True, accept=frozenset({404})
        )
        return response.status_code == 200

    # streams ----------------------------------------------------------------------------

    async def _stream(
        self, path: str, body: Mapping[str, object] | bytes, model: str
    ) -> AsyncIterator[Progress]:
        """POST a streaming request (a body to encode, or JSON bytes sent as they are) and
        yield its progress lines until `success`.

        The head must come within the request timeout; after it, each line within the idle
        timeout (longer after a status of `SLOW_STEP_STATUSES`). A silent stream is closed
        and raised as `StreamError` naming the host, the model and the last status.
        """
        action = f"POST {path}"
        log.info("%s: %s %s", self.name, action, model)
        last_status = ""
        async with self._semaphore:
            request = self._http.build_request(
                "POST", path, timeout=self._stream_timeout, **_payload(body)
            )
            try:
                async with asyncio.timeout(self.timeout):
                    response = await self._http.send(request, stream=True)
            except (httpx.HTTPError, TimeoutError, OSError) as error:
                raise self._transport_error(error, model, action) from error
            try:
                if response.status_code != 200:
                    await response.aread()
                    self._raise_for_status(response, model)
                content_type = response.headers.get("content-type", "")
                if "json" not in content_type:
                    await response.aread()
                    self._not_ollama(response, model)
                lines = response.aiter_lines()
                while True:
                    idle = self._idle_limit(last_status)
                    try:
                        async with asyncio.timeout(idle):
                            line = await anext(lines)
                    except StopAsyncIteration:
                        break
                    except TimeoutError:
                        raise self._error(
                            StreamError,
                            f"{action} stalled: no progress line for {idle:g} s"
                            + (f" after {last_status!r}" if last_status else ""),
                            model,
                        ) from None
                    if not line.strip():
                        continue
                    progress = self._progress_line(line, model)
                    last_status = progress.status
                    yield progress
                    if progress.is_success:
                        return
            except (httpx.RemoteProtocolError, httpx.ReadError) as error:
                raise self._error(
                    StreamError,
                    f"the connection was cut during {action}"
                    + (f" after {last_status!r}" if last_status else ""),
                    model,
                ) from error
            except (httpx.HTTPError, OSError) as error:
                raise self._transport_error(error, model, action) from error
            finally:
                await response.aclose()
        raise self._error(
            StreamError,
            f"{action} ended before success"
            + (f" (last status {last_status!r})" if last_status else " (no progress line)"),
            model,
        )

    def _idle_limit(self, last_status: str) -> float:
        """Seconds to wait for the next line after `last_status`."""
        if last_status.lower().startswith(SLOW_STEP_STATUSES):
            return self.slow_step_timeout
        return self.stream_idle_timeout

    def _progress_line(self, line: str, model: str) -> Progress:
        try:
            data = json.loads(line)
        except ValueError:
            raise self._error(
                StreamError, f"malformed progress line {line[:80]!r}", model
            ) from None
        if not isinstance(data, dict):
            raise self._error(StreamError, f"malformed progress line {line[:80]!r}", model)
        if "error" in data:
            raise self._error(StreamError, _text(data.get("error")) or "unknown error", model)
        return Progress(
            status=_text(data.get("status")),
            digest=_text(data.get("digest")),
            total=_int(data.get("total")),
            completed=_int(data.get("completed")),
        )

    async def create(self, request: ModelCreate) -> AsyncIterator[Progress]:
        """Create a model from the core's `ModelCreate`: upload its local files first
        (`HEAD`, then `POST` when missing; one `copying file` line each), then `POST
        /api/create` with `request.data`, the exact bytes the preview showed; streams.

        Nothing here reads, converts or changes the request: the body, the files and the
        license decision are the core's (`modelarium.modelfile.create.model_create`).
        """
        self._check_name(request.model)
        for digest, path in request.uploads:
            async for progress in self.upload_blob(Path(path), digest, model=request.model):
                yield progress
        async for progress in self._stream("/api/create", request.data, request.model):
            yield progress

    async def upload_blob(
        self, path: Path, digest: str | None = None, *, model: str | None = None
    ) -> AsyncIterator[Progress]:
        """Upload a local file as a blob unless the host has it; yields `copying file` lines.

        The file is streamed from disk (never read whole); `digest` is computed when omitted.
        """
        if digest is None:
            digest = await asyncio.to_thread(_hash_file, path)
        blob = _normalise_digest(digest)
        try:
            size = path.stat().st_size
        except OSError as error:
            message = f"cannot read {path}: {error.strerror}"
            raise self._error(OllamaError, message, model) from error
        status = f"copying file {blob}"
        yield Progress(status=status, digest=blob, total=size, completed=0)
        if not await self.blob_exists(blob, model=model):
            action = f"POST /api/blobs/{blob}"
            try:
                async with self._semaphore:
                    response = await self._http.post(
                        f"/api/blobs/{blob}",
                        content=_file_chunks(path),
                        headers={"Content-Length": str(size)},
                        timeout=self._stream_timeout,
                    )
            except (httpx.HTTPError, TimeoutError, OSError) as error:
                raise self._transport_error(error, model, action) from error
            self._raise_for_status(response, model)
        yield Progress(status=status, digest=blob, total=size, completed=size)

    def pull(self, model: str, insecure: bool = False) -> AsyncIterator[Progress]:
        """`POST /api/pull`: download `model` from its registry; streams progress."""
        self._check_name(model)
        body: dict[str, object] = {"model": model, "stream": True}
        if insecure:
            body["insecure"] = True
        return self._stream("/api/pull", body, model)

    def push(self, model: str, insecure: bool = False) -> AsyncIterator[Progress]:
        """`POST /api/push`: upload `model` to its registry; streams progress."""
        self._check_name(model)
        body: dict[str, object] = {"model": model, "stream": True}
        if insecure:
            body["insecure"] = True
        return self._stream("/api/push", body, model)

    # inference ----------------------------------------------------------------------------

    async def chat(self, body: Mapping[str, object]) -> ChatReply:
        """`POST /api/chat` with a ready body (`model`, `messages`, `options`, `think`, `tools`,
        `format`, `keep_alive`…), streamed and folded into one `ChatReply` with the final
        chunk's counters and the time to the first token measured here."""
        return await self._answer("/api/chat", body)

    async def generate(self, body: Mapping[str, object]) -> ChatReply:
        """`POST /api/generate` with a ready body (`model`, `prompt`, …), read like `chat`."""
        return await self._answer("/api/generate", body)

    async def _answer(self, path: str, body: Mapping[str, object]) -> ChatReply:
        """Stream one answer: the head within the request timeout, then each line within the
        stream idle timeout; an `error` line, a cut connection or an answer without its `done`
        line is a `StreamError` naming host and model."""
        model = _text(body.get("model"))
        self._check_name(model)
        request_body = dict(body)
        request_body["stream"] = True
        action = f"POST {path}"
        chunks: list[dict[str, Any]] = []
        first_token: float | None = None
        loop = asyncio.get_running_loop()
        async with self._semaphore:
            started = loop.time()
            request = self._http.build_request(
                "POST", path, json=request_body, timeout=self._stream_timeout
            )
            try:
                async with asyncio.timeout(self.timeout):
                    response = await self._http.send(request, stream=True)
            except (httpx.HTTPError, TimeoutError, OSError) as error:
                raise self._transport_error(error, model, action) from error
            try:
                if response.status_code != 200:
                    await response.aread()
                    self._raise_for_status(response, model)
                if "json" not in response.headers.get("content-type", ""):
                    await response.aread()
                    self._not_ollama(response, model)
                lines = response.aiter_lines()
                while True:
                    try:
                        async with asyncio.timeout(self.stream_idle_timeout):
                            line = await anext(lines)
                    except StopAsyncIteration:
                        break
                    except TimeoutError:
                        raise self._error(
                            StreamError,
                            f"{action} stalled: no answer line for {self.stream_idle_timeout:g} s"
                            f" after {counted(len(chunks), 'line')}",
                            model,
                        ) from None
                    if not line.strip():
                        continue
                    chunk = self._answer_line(line, model)
                    chunks.append(chunk)
                    if first_token is None and _has_text(chunk):
                        first_token = loop.time() - started
                    if chunk.get("done"):
                        break
            except (httpx.RemoteProtocolError, httpx.ReadError) as error:
                raise self._error(
                    StreamError,
                    f"the connection was cut during {action} after {counted(len(chunks), 'line')}",
                    model,
                ) from error
            except (httpx.HTTPError, OSError) as error:
                raise self._transport_error(error, model, action) from error
            finally:
                await response.aclose()
        if not chunks or not chunks[-1].get("done"):
            raise self._error(
                StreamError,
                f"{action} ended before its last line (after {counted(len(chunks), 'line')})",
                model,
            )
        return reply_from_chunks(chunks, first_token_seconds=first_token)

    def _answer_line(self, line: str, model: str) -> dict[str, Any]:
        try:
            data = json.loads(line)
        except ValueError:
            raise self._error(StreamError, f"malformed answer line {line[:80]!r}", model) from None
        if not isinstance(data, dict):
            raise self._error(StreamError, f"malformed answer line {line[:80]!r}", model)
        if "error" in data:
            raise self._error(StreamError, _text(data.get("error")) or "unknown error", model)
        return data


def _has_text(chunk: Mapping[str, Any]) -> bool:
    """Whether a streamed answer line carries the first token (text, thinking or a call)."""
    message = chunk.get("message")
    source = message if isinstance(message, Mapping) else chunk
    return bool(
        source.get("content")
        or source.get("response")
        or source.get("thinking")
        or source.get("tool_calls")
    )


def _payload(body: Mapping[str, object] | bytes) -> dict[str, Any]:
    """httpx arguments for a request body: ready JSON bytes go out unchanged."""
    if isinstance(body, bytes):
        return {"content": body, "headers": {"Content-Type": "application/json"}}
    return {"json": dict(body)}


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(UPLOAD_CHUNK):
            digest.update(chunk)
    return f"sha256:{digest.hexdigest()}"


async def _file_chunks(path: Path) -> AsyncIterator[bytes]:
    """The file's bytes, chunk by chunk, read off the event loop."""
    handle = await asyncio.to_thread(path.open, "rb")
    try:
        while chunk := await asyncio.to_thread(handle.read, UPLOAD_CHUNK):
            yield chunk
    finally:
        handle.close()
