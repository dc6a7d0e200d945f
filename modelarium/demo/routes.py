"""The demo host's routes: Ollama's management API answered from a `DemoState`.

Handlers take a parsed `Request` and return a `Response` whose body is bytes or an async
iterator of ndjson lines. Status codes, field names and error texts follow Ollama
(`server/routes.go` and friends, as restated in the project's API notes).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from modelarium.demo.answers import Answer, scripted_answer
from modelarium.demo.gojson import (
    EmptyBodyError,
    GoField,
    GoJSONError,
    decode_first_value,
    decode_struct,
    go_dumps,
    go_quote,
    go_sorted,
)
from modelarium.demo.names import ModelName, SourceSuffixError, parse_name, strip_source_suffix
from modelarium.demo.operations import create_model, pull_model, push_model
from modelarium.demo.state import (
    ApiError,
    Blob,
    DemoState,
    InstalledModel,
    ModelView,
    Weights,
    format_time,
    sha256_digest,
)

JSON_TYPE = "application/json; charset=utf-8"
NDJSON_TYPE = "application/x-ndjson"
TEXT_TYPE = "text/plain; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Request:
    """An HTTP request as the routes see it."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes
    """The body, or its first 64 MiB when it is longer (see `body_size`)."""
    body_size: int = -1
    """The full body length (-1: `len(body)`)."""
    body_digest: str = ""
    """`sha256:<hex>` of the full body ("" when not computed: hash `body`)."""
    params: Mapping[str, str] = field(default_factory=dict)
    """Path parameters (`digest` of a blob, `model` of `/v1/models/:model`)."""


@dataclass(slots=True)
class Response:
    """An HTTP response: a complete body, or a stream of ndjson lines (chunked)."""

    status: int
    content_type: str | None = None
    body: bytes = b""
    stream: AsyncIterator[bytes] | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)


def json_response(status: int, value: object) -> Response:
    return Response(status, JSON_TYPE, go_dumps(value).encode("utf-8"))


def error_response(status: int, message: str, content_type: str = JSON_TYPE) -> Response:
    return Response(status, content_type, go_dumps({"error": message}).encode("utf-8"))


def text_response(status: int, text: str, content_type: str = TEXT_TYPE) -> Response:
    return Response(status, content_type, text.encode("utf-8"))


SHOW_FIELDS = (
    GoField("model", "string"), GoField("system", "string"), GoField("template", "string"),
    GoField("verbose", "bool"), GoField("options", "map[string]interface {}"),
    GoField("name", "string"),
)  # fmt: skip
CREATE_FIELDS = (
    GoField("model", "string"), GoField("stream", "bool"), GoField("quantize", "string"),
    GoField("from", "string"), GoField("remote_host", "string"),
    GoField("files", "map[string]string"), GoField("adapters", "map[string]string"),
    GoField("template", "string"), GoField("license", "any"), GoField("system", "string"),
    GoField("parameters", "map[string]interface {}"), GoField("messages", "[]api.Message"),
    GoField("renderer", "string"), GoField("parser", "string"), GoField("requires", "string"),
    GoField("info", "map[string]interface {}"), GoField("draft_files", "map[string]string"),
    GoField("draft_quantize", "string"), GoField("name", "string"),
    GoField("quantization", "string"),
)  # fmt: skip
COPY_FIELDS = (GoField("source", "string"), GoField("destination", "string"))
DELETE_FIELDS = (GoField("model", "string"), GoField("name", "string"))
PULL_FIELDS = (
    GoField("model", "string"), GoField("insecure", "bool"), GoField("username", "string"),
    GoField("password", "string"), GoField("stream", "bool"), GoField("name", "string"),
)  # fmt: skip
GENERATE_FIELDS = (
    GoField("model", "string"), GoField("prompt", "string"), GoField("stream", "bool"),
    GoField("messages", "[]api.Message"), GoField("input", "any"), GoField("name", "string"),
    GoField("system", "string"), GoField("template", "string"), GoField("keep_alive", "any"),
    GoField("options", "map[string]interface {}"), GoField("think", "any"),
    GoField("tools", "any"), GoField("format", "any"),
)  # fmt: skip

_CACHE_LIMIT = 8192
"""Cached show/tags answers kept before the caches start over."""

_BLOB_DIGEST = re.compile(r"^sha256[:-][0-9a-fA-F]{64}$")

Handler = Callable[[Request], Awaitable[Response]]


class Router:
    """Dispatches requests to handlers; knows which methods each path accepts."""

    def __init__(self, state: DemoState) -> None:
        self.state = state
        self._show_cache: dict[tuple[ModelName, str, int, bool], bytes] = {}
        self._tags_cache: dict[tuple[ModelName, str, int], str] = {}
        self.routes: dict[str, dict[str, Handler]] = {
            "/": {"GET": self.root, "HEAD": self.root},
            "/api/version": {"GET": self.version, "HEAD": self.version},
            "/api/tags": {"GET": self.tags, "HEAD": self.tags},
            "/api/show": {"POST": self.show},
            "/api/create": {"POST": self.create},
            "/api/copy": {"POST": self.copy},
            "/api/delete": {"DELETE": self.delete},
            "/api/pull": {"POST": self.pull},
            "/api/push": {"POST": self.push},
            "/api/ps": {"GET": self.ps},
            "/api/status": {"GET": self.status},
            "/api/generate": {"POST": self.generate},
            "/api/chat": {"POST": self.chat},
            "/api/embed": {"POST": self.embed},
            "/api/embeddings": {"POST": self.embed},
            "/v1/models": {"GET": self.openai_models},
        }

    def _match(self, path: str) -> tuple[dict[str, Handler] | None, dict[str, str]]:
        methods = self.routes.get(path)
        if methods is not None:
            return methods, {}
        if path.startswith("/api/blobs/") and "/" not in path[len("/api/blobs/") :]:
            digest = path[len("/api/blobs/") :]
            if digest:
                return {"HEAD": self.blob_head, "POST": self.blob_upload}, {"digest": digest}
        if path.startswith("/v1/models/") and "/" not in path[len("/v1/models/") :]:
            model = path[len("/v1/models/") :]
            if model:
                return {"GET": self.openai_model}, {"model": model}
        return None, {}

    async def dispatch(self, request: Request) -> Response:
        """Route one request, including 404/405 and trailing-slash redirects."""
        methods, params = self._match(request.path)
        if methods is None:
            if len(request.path) > 1 and request.path.endswith("/"):
                target, _ = self._match(request.path.rstrip("/") or "/")
                if target is not None and request.method in target:
                    return _redirect(request)
            return text_response(404, "404 page not found", "text/plain")
        handler = methods.get(request.method)
        if handler is None:
            return text_response(405, "405 method not allowed", "text/plain")
        if params:
            request = replace(request, params=params)
        return await handler(request)

    # -- helpers ---------------------------------------------------------------------------

    def _decode(self, request: Request, struct: str, fields: tuple[GoField, ...]) -> dict[str, Any]:
        if request.body_size > len(request.body):
            raise ApiError(400, f"request body of {request.body_size} bytes is too large")
        try:
            value = decode_first_value(request.body)
        except EmptyBodyError:
            raise ApiError(400, "missing request body") from None
        except GoJSONError as error:
            raise ApiError(400, str(error)) from None
        try:
            return decode_struct(value, struct, fields)
        except GoJSONError as error:
            raise ApiError(400, str(error)) from None

    @staticmethod
    def _model_field(body: Mapping[str, Any]) -> str:
        return str(body.get("model") or body.get("name") or "")

    def _parse_model(self, raw: str) -> ModelName:
        """Name from a body: strip `:local`, validate, respell like an installed model."""
        try:
            base, _ = strip_source_suffix(raw)
        except SourceSuffixError as error:
            raise ApiError(400, str(error)) from None
        name = parse_name(base)
        if not name.is_valid:
            raise ApiError(400, "invalid model name")
        return self.state.resolve_case(name)

    # -- simple routes ---------------------------------------------------------------------

    async def root(self, request: Request) -> Response:
        return text_response(200, "Ollama is running")

    async def version(self, request: Request) -> Response:
        return json_response(200, {"version": self.state.version})

    async def status(self, request: Request) -> Response:
        return json_response(200, {"cloud": {"disabled": False, "source": "default"}})

    async def tags(self, request: Request) -> Response:
        entries: list[str] = []
        for model in self.state.list_models():
            key = (model.name, model.manifest.digest, model.modified_ns)
            encoded = self._tags_cache.get(key)
            if encoded is None:
                if len(self._tags_cache) > _CACHE_LIMIT:
                    self._tags_cache.clear()
                encoded = go_dumps(self._tags_entry(model))
                self._tags_cache[key] = encoded
            entries.append(encoded)
        return Response(200, JSON_TYPE, ('{"models":[' + ",".join(entries) + "]}").encode("utf-8"))

    def _tags_entry(self, model: InstalledModel) -> dict[str, Any]:
        view = self.state.view(model)
        entry: dict[str, Any] = {
            "name": model.name.display,
            "model": model.name.display,
            "modified_at": format_time(model.modified_ns),
            "size": model.manifest.size,
            "digest": model.manifest.digest,
            "details": view.details(with_parent=False),
        }
        capabilities = view.capabilities()
        if capabilities:
            entry["capabilities"] = capabilities
        return entry

    async def ps(self, request: Request) -> Response:
        with self.state.lock:
            # A model whose keep-alive ran out has been unloaded.
            now = time.time_ns()
            self.state.loaded = [item for item in self.state.loaded if item.expires_ns > now]
            loaded = sorted(self.state.loaded, key=lambda item: -item.expires_ns)
        entries = [
            {
                "name": item.name.display,
                "model": item.name.display,
                "size": item.size,
                "digest": item.digest,
                "details": dict(item.details),
                "expires_at": format_time(item.expires_ns),
                "size_vram": item.size_vram,
                "context_length": item.context_length,
            }
            for item in loaded
        ]
        return json_response(200, {"models": entries})

    async def openai_models(self, request: Request) -> Response:
        data = [
            {
                "id": model.name.display,
                "object": "model",
                "created": model.modified_ns // 1_000_000_000,
                "owned_by": model.name.namespace,
            }
            for model in self.state.list_models()
        ]
        return json_response(200, {"object": "list", "data": data})

    async def openai_model(self, request: Request) -> Response:
        raw = request.params["model"]
        model = self.state.find(self.state.resolve_case(parse_name(raw)))
        if model is None:
            return json_response(
                404,
                {
                    "error": {
                        "message": f"model {go_quote(raw)} not found",
                        "type": "invalid_request_error",
                        "param": None,
                        "code": None,
                    }
                },
            )
        return json_response(
            200,
            {
                "id": model.name.display,
                "object": "model",
                "created": model.modified_ns // 1_000_000_000,
                "owned_by": model.name.namespace,
            },
        )

    # -- show ------------------------------------------------------------------------------

    async def show(self, request: Request) -> Response:
        try:
            body = self._decode(request, "ShowRequest", SHOW_FIELDS)
            raw = self._model_field(body)
            if not raw:
                raise ApiError(400, "model is required")
            name = self._parse_model(raw)
            model = self.state.find(name)
            if model is None:
                raise ApiError(404, f"model '{name.display}' not found")
        except ApiError as error:
            return error_response(error.status, error.message)
        if body.get("system") or body.get("options"):
            return json_response(200, self._show_body(model.name, body))
        # Show is a pure function of the manifest, name and time: answer repeats from a cache.
        key = (model.name, model.manifest.digest, model.modified_ns, bool(body.get("verbose")))
        cached = self._show_cache.get(key)
        if cached is None:
            if len(self._show_cache) > _CACHE_LIMIT:
                self._show_cache.clear()
            cached = go_dumps(self._show_body(model.name, body)).encode("utf-8")
            self._show_cache[key] = cached
        return Response(200, JSON_TYPE, cached)

    def _show_body(self, name: ModelName, body: Mapping[str, Any]) -> dict[str, Any]:
        model = self.state.find(name)
        assert model is not None
        view = self.state.view(model)
        verbose = bool(body.get("verbose"))
        system = str(body.get("system") or "") or view.system
        if system != view.system:
            view = _with_system(view, system)
        response: dict[str, Any] = {}
        if view.licenses:
            response["license"] = "\n".join(view.licenses)
        response["modelfile"] = view.modelfile(self.state, body.get("options"))
        parameters = view.parameters_text()
        if parameters:
            response["parameters"] = parameters
        response["template"] = view.template if view.template is not None else "{{ .Prompt }}"
        if view.system:
            response["system"] = view.system
        if view.config.renderer:
            response["renderer"] = view.config.renderer
        if view.config.parser:
            response["parser"] = view.config.parser
        response["details"] = view.details(with_parent=True)
        if view.messages:
            response["messages"] = [
                {"role": message["role"], "content": message["content"]}
                for message in view.messages
            ]
        response["model_info"] = self._model_info(view, verbose)
        if view.projector_weights is not None:
            response["projector_info"] = _info_with_arrays(view.projector_weights, verbose)
        if not view.is_mlx and view.weights is not None and view.weights.tensors:
            response["tensors"] = [dict(tensor) for tensor in view.weights.tensors]
        capabilities = view.capabilities()
        if capabilities:
            response["capabilities"] = capabilities
        response["modified_at"] = format_time(view.modified_ns)
        if view.config.requires:
            response["requires"] = view.config.requires
        return response

    def _model_info(self, view: ModelView, verbose: bool) -> dict[str, Any]:
        if view.is_mlx:
            family = view.config.model_family
            info: dict[str, Any] = {"general.architecture": family}
            if view.config.base_name:
                info["general.basename"] = view.config.base_name
            if view.config.context_length:
                info[f"{family}.context_length"] = view.config.context_length
            if view.config.embedding_length:
                info[f"{family}.embedding_length"] = view.config.embedding_length
            return go_sorted(info)
        if view.weights is None:
            return {}
        return _info_with_arrays(view.weights, verbose)

    # -- copy and delete -------------------------------------------------------------------

    async def copy(self, request: Request) -> Response:
        try:
            body = self._decode(request, "CopyRequest", COPY_FIELDS)
            raw_source = str(body.get("source", ""))
            raw_destination = str(body.get("destination", ""))
            source = parse_name(raw_source)
            if not source.is_valid:
                raise ApiError(400, f"source {go_quote(raw_source)} is invalid")
            source = self.state.resolve_case(source)
            destination = parse_name(raw_destination)
            if not destination.is_valid:
                raise ApiError(400, f"destination {go_quote(raw_destination)} is invalid")
            destination = self.state.resolve_case(destination)
            with self.state.lock:
                model = self.state.find(source)
                if model is None:
                    raise ApiError(404, f"model {go_quote(raw_source)} not found")
                if destination.key != source.key:
                    existing = self.state.find(destination)
                    self.state.install(destination, model.manifest)
                    if existing is not None:
                        self.state.forget_unused(existing.manifest)
        except ApiError as error:
            return error_response(error.status, error.message)
        return Response(200, None, b"")

    async def delete(self, request: Request) -> Response:
        try:
            body = self._decode(request, "DeleteRequest", DELETE_FIELDS)
            raw = self._model_field(body)
            if not raw:
                raise ApiError(400, "model is required")
            name = parse_name(raw)
            if not name.is_valid:
                raise ApiError(400, f"name {go_quote(raw)} is invalid")
            name = self.state.resolve_case(name)
            if not self.state.remove(name):
                raise ApiError(404, f"model '{raw}' not found")
        except ApiError as error:
            return error_response(error.status, error.message)
        return Response(200, None, b"")

    # -- blobs -----------------------------------------------------------------------------

    async def blob_head(self, request: Request) -> Response:
        digest = request.params["digest"]
        if not _BLOB_DIGEST.match(digest):
            return error_response(400, "invalid digest format")
        key = "sha256:" + digest[7:]
        return Response(200 if self.state.has_blob(key) else 404, None, b"")

    async def blob_upload(self, request: Request) -> Response:
        digest = request.params["digest"]
        if not _BLOB_DIGEST.match(digest):
            return error_response(400, "invalid digest format")
        key = "sha256:" + digest[7:]
        if self.state.has_blob(key):
            return Response(200, None, b"")
        actual = request.body_digest or sha256_digest(request.body)
        if actual != digest:
            return error_response(400, f'digest mismatch, expected "{digest}", got "{actual}"')
        size = request.body_size if request.body_size >= 0 else len(request.body)
        with self.state.lock:
            # A huge upload keeps only its head: the GGUF header is all create reads.
            self.state.blobs.setdefault(actual, Blob(size=size, data=request.body))
        return Response(201, None, b"")

    # -- streamed operations ---------------------------------------------------------------

    async def create(self, request: Request) -> Response:
        with self.state.lock:
            self.state.last_create_body = request.body
        try:
            body = self._decode(request, "CreateRequest", CREATE_FIELDS)
            operation = create_model(self.state, body, self._parse_model)
        except ApiError as error:
            return error_response(error.status, error.message)
        return await _stream(operation, body.get("stream", True))

    async def pull(self, request: Request) -> Response:
        try:
            body = self._decode(request, "PullRequest", PULL_FIELDS)
            raw = self._model_field(body)
            if not raw:
                raise ApiError(400, "invalid model name")
            name = self._parse_model(raw)
        except ApiError as error:
            return error_response(error.status, error.message)
        operation = pull_model(self.state, name, insecure=bool(body.get("insecure")))
        return await _stream(operation, body.get("stream", True))

    async def push(self, request: Request) -> Response:
        try:
            body = self._decode(request, "PushRequest", PULL_FIELDS)
            raw = self._model_field(body)
            if not raw:
                raise ApiError(400, "model is required")
        except ApiError as error:
            return error_response(error.status, error.message)
        name = self.state.resolve_case(parse_name(raw))
        operation = push_model(self.state, name, insecure=bool(body.get("insecure")))
        return await _stream(operation, body.get("stream", True))

    # -- inference stand-ins ---------------------------------------------------------------

    async def _inference_model(self, request: Request) -> tuple[dict[str, Any], ModelName]:
        body = self._decode(request, "GenerateRequest", GENERATE_FIELDS)
        raw = self._model_field(body)
        if not raw:
            raise ApiError(400, "model is required")
        name = self._parse_model(raw)
        if self.state.find(name) is None:
            raise ApiError(404, f"model '{raw}' not found")
        return body, name

    async def generate(self, request: Request) -> Response:
        return await self._answer(request, chat=False)

    async def chat(self, request: Request) -> Response:
        return await self._answer(request, chat=True)

    async def _answer(self, request: Request, *, chat: bool) -> Response:
        """`/api/chat` and `/api/generate`: the seeded model's scripted answer
        (`demo.answers`), streamed word by word, or whole with `stream: false`."""
        try:
            body, name = await self._inference_model(request)
            keep_alive = _keep_alive_seconds(body.get("keep_alive"))
        except ApiError as error:
            return error_response(error.status, error.message)
        raw = self._model_field(body)
        created = format_time(self.state.now_ns())

        def chunk(text: str, done: bool, reason: str = "stop") -> dict[str, Any]:
            line: dict[str, Any] = {"model": raw, "created_at": created}
            if chat:
                line["message"] = {"role": "assistant", "content": text}
            else:
                line["response"] = text
            line["done"] = done
            if done:
                line["done_reason"] = reason
            return line

        empty = not body.get("messages") if chat else not (
            body.get("prompt") or body.get("system") or body.get("template")
        )  # fmt: skip
        if empty:
            # Ollama's way to load (or, with keep_alive 0, unload) a model without a prompt.
            if keep_alive == 0:
                self.state.unload(name)
                return json_response(200, chunk("", True, "unload"))
            self.state.load(name, keep_alive=keep_alive)
            return json_response(200, chunk("", True, "load"))
        answer = self._scripted(body, name, chat=chat)
        if keep_alive == 0:
            self.state.unload(name)
        else:
            self.state.load(
                name, keep_alive=keep_alive, context_length=self._context_length(body, name)
            )

        def with_extras(line: dict[str, Any], thinking: str, calls: list[Any]) -> dict[str, Any]:
            target = line["message"] if chat else line
            if thinking:
                target["thinking"] = thinking
            if calls and chat:
                target["tool_calls"] = calls
            return line

        def final() -> dict[str, Any]:
            line = chunk("", True, answer.done_reason)
            line.update(answer.counters())
            return line

        if not body.get("stream", True):
            line = final()
            line["message" if chat else "response"] = (
                {"role": "assistant", "content": answer.content} if chat else answer.content
            )
            return json_response(
                200, with_extras(line, answer.thinking, [dict(c) for c in answer.tool_calls])
            )

        async def lines() -> AsyncIterator[bytes]:
            if answer.thinking:
                yield (go_dumps(with_extras(chunk("", False), answer.thinking, [])) + "\n").encode()
                await asyncio.sleep(self.state.progress_delay)
            for piece in answer.chunks:
                yield (go_dumps(chunk(piece, False)) + "\n").encode("utf-8")
                await asyncio.sleep(self.state.progress_delay)
            if answer.tool_calls:
                calls = [dict(call) for call in answer.tool_calls]
                yield (go_dumps(with_extras(chunk("", False), "", calls)) + "\n").encode("utf-8")
            yield (go_dumps(final()) + "\n").encode("utf-8")

        return Response(200, NDJSON_TYPE, stream=lines())

    def _scripted(self, body: Mapping[str, Any], name: ModelName, *, chat: bool) -> Answer:
        """What the model says: its own PARAMETERs under the request's options, the prompt
        read from the messages (chat) or `prompt` (generate)."""
        model = self.state.find(name)
        view = self.state.view(model) if model is not None else None
        options = {**(view.params if view is not None else {}), **(body.get("options") or {})}
        if chat:
            messages = body.get("messages") or []
            prompt = "\n".join(str(m.get("content") or "") for m in messages if isinstance(m, dict))
        else:
            prompt = str(body.get("prompt") or "")
        info = view.weights.model_info if view is not None and view.weights is not None else {}
        loaded = any(item.name.key == name.key for item in self.state.loaded)
        return scripted_answer(
            name.display,
            parameter_count=int(info.get("general.parameter_count", 0) or 0),
            capabilities=view.capabilities() if view is not None else (),
            prompt=prompt,
            options=options,
            think=body.get("think"),
            loaded=loaded,
        )

    def _context_length(self, body: Mapping[str, Any], name: ModelName) -> int:
        """The context the model is loaded with: `num_ctx` of the request, else the model's
        PARAMETER, else 4096 (what `/api/ps` then reports)."""
        model = self.state.find(name)
        params = self.state.view(model).params if model is not None else {}
        value = (body.get("options") or {}).get("num_ctx", params.get("num_ctx"))
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return int(value)
        return 4096

    async def embed(self, request: Request) -> Response:
        try:
            _, name = await self._inference_model(request)
        except ApiError as error:
            return error_response(error.status, error.message)
        vector = [round(((index * 7919) % 200 - 100) / 1000, 3) for index in range(8)]
        if request.path == "/api/embeddings":
            return json_response(200, {"embedding": vector})
        return json_response(
            200, {"model": name.display, "embeddings": [vector], "total_duration": 1_000_000}
        )


_DURATION_PART = re.compile(r"(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_UNIT_SECONDS = {
    "ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0,
    "h": 3600.0,
}  # fmt: skip


def _keep_alive_seconds(value: object) -> float | None:
    """`keep_alive` as Ollama's `api.Duration` reads it: seconds, or a Go duration string."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ApiError(400, f"json: cannot unmarshal {type(value).__name__} into Go value of "
                            "type api.Duration")  # fmt: skip
    if isinstance(value, int | float):
        return float(value)
    text = value.strip()
    sign = -1.0 if text.startswith("-") else 1.0
    body = text.lstrip("+-")
    if body == "0":
        return 0.0
    if not body or _DURATION_PART.sub("", body):
        if body.replace(".", "", 1).isdigit():
            raise ApiError(400, f'time: missing unit in duration "{value}"')
        raise ApiError(400, f'time: invalid duration "{value}"')
    seconds = sum(
        float(number) * _UNIT_SECONDS[unit] for number, unit in _DURATION_PART.findall(body)
    )
    return sign * seconds


def _with_system(view: ModelView, system: str) -> ModelView:
    return replace(view, system=system)


def _info_with_arrays(weights: Weights, verbose: bool) -> dict[str, Any]:
    info = dict(weights.model_info)
    info.pop("general.name", None)
    info.pop("tokenizer.chat_template", None)
    if verbose:
        for key, values in weights.verbose_arrays.items():
            if key in info:
                info[key] = list(values)
    return go_sorted(info)


def _redirect(request: Request) -> Response:
    location = request.path.rstrip("/") or "/"
    if request.query:
        location += "?" + request.query
    if request.method == "GET":
        body = f'<a href="{location}">Moved Permanently</a>.\n\n'
        response = Response(301, "text/html; charset=utf-8", body.encode("utf-8"))
    else:
        response = Response(307, None, b"")
    response.headers.append(("Location", location))
    return response


async def _stream(operation: AsyncGenerator[dict[str, Any], None], stream: object) -> Response:
    """Ollama's `streamResponse` (or one answer with `stream: false`)."""
    if stream is False:
        last: dict[str, Any] | None = None
        try:
            async for item in operation:
                last = item
        except ApiError as error:
            return error_response(error.status, error.message)
        return json_response(200, last or {})
    try:
        first = await operation.__anext__()
    except StopAsyncIteration:
        return Response(200, NDJSON_TYPE, stream=_empty())
    except ApiError as error:
        return error_response(error.status, error.message, "application/json")

    async def lines() -> AsyncIterator[bytes]:
        yield (go_dumps(first) + "\n").encode("utf-8")
        try:
            async for item in operation:
                yield (go_dumps(item) + "\n").encode("utf-8")
        except ApiError as error:
            yield (go_dumps({"error": error.message}) + "\n").encode("utf-8")
        finally:
            await operation.aclose()

    return Response(200, NDJSON_TYPE, stream=lines())


async def _empty() -> AsyncIterator[bytes]:
    empty: tuple[bytes, ...] = ()
    for line in empty:
        yield line
