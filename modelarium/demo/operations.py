"""The demo host's long-running operations: create, pull and push, as progress streams.

Each operation is an async iterator of Ollama progress objects (`status`, and `digest`,
`total`, `completed` when non-zero). A failure raises `ApiError`; the route turns it into a JSON
error before the first line or an `{"error": ...}` line after it. Manifests are written only at
the end, so a client that disconnects mid-stream leaves the host as it was.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from modelarium.demo.gguf import GGUFError, is_gguf, read_header
from modelarium.demo.gojson import go_dumps, go_sorted
from modelarium.demo.names import ModelName, manifest_path, parse_name
from modelarium.demo.state import (
    FILE_TYPES,
    ApiError,
    Blob,
    DemoState,
    Layer,
    ModelConfig,
    Weights,
    human_number,
    sha256_digest,
)
from modelarium.modelfile.template import create_error as template_create_error

Progress = dict[str, Any]

QUANTIZATION_TYPES = ("F32", "F16", "Q4_K_S", "Q4_K_M", "Q8_0")
_QUANTIZED_FILE_TYPE = {"F32": 0, "F16": 1, "Q4_K_S": 14, "Q4_K_M": 15, "Q8_0": 7}
_BYTES_PER_PARAMETER = {"F32": 4.0, "F16": 2.0, "Q4_K_S": 0.57, "Q4_K_M": 0.6, "Q8_0": 1.07}


def progress(status: str, digest: str = "", total: int = 0, completed: int = 0) -> Progress:
    """A progress object with Ollama's omit-when-empty fields."""
    line: Progress = {"status": status}
    if digest:
        line["digest"] = digest
    if total:
        line["total"] = total
    if completed:
        line["completed"] = completed
    return line


async def _pause(state: DemoState) -> None:
    await asyncio.sleep(state.progress_delay)


async def _transfer(
    state: DemoState, verb: str, layer_digest: str, size: int, present: bool
) -> AsyncIterator[Progress]:
    """Progress lines of one blob being pulled or pushed (one line when already there)."""
    label = f"{verb} {layer_digest[7:19]}"
    if present:
        yield progress(label, layer_digest, size, size)
        return
    yield progress(label, layer_digest, size, 0)
    sent = 0
    for step in range(1, 6):
        completed = size * step // 5
        if completed == sent:
            continue
        await _pause(state)
        yield progress(label, layer_digest, size, completed)
        sent = completed


# ---------------------------------------------------------------------------------------------
# pull


async def pull_model(
    state: DemoState, name: ModelName, *, insecure: bool
) -> AsyncGenerator[Progress, None]:
    """Download `name` from the demo registry and install it."""
    if name.scheme == "http" and not insecure:
        raise ApiError(500, "insecure protocol http")
    yield progress("pulling manifest")
    await _pause(state)
    with state.lock:
        entry = state.registry.get(name.key)
    if entry is None:
        raise ApiError(500, "pull model manifest: file does not exist")
    manifest = entry.manifest
    digests = [(layer.digest, layer.size) for layer in manifest.layers]
    digests.append((manifest.config_digest, manifest.config_size))
    for digest, size in digests:
        async for line in _transfer(state, "pulling", digest, size, state.has_blob(digest)):
            yield line
    yield progress("verifying sha256 digest")
    await _pause(state)
    yield progress("writing manifest")
    with state.lock:
        for digest, blob in entry.blobs.items():
            state.blobs.setdefault(digest, replace(blob))
        old = state.find(name)
        state.install(replace(entry.name, scheme=name.scheme), manifest)
        replaced = old is not None and old.manifest.raw != manifest.raw
        if old is not None and replaced:
            state.forget_unused(old.manifest)
    if replaced:
        yield progress("removing unused layers")
    yield progress("success")


# ---------------------------------------------------------------------------------------------
# push


async def push_model(
    state: DemoState, name: ModelName, *, insecure: bool
) -> AsyncGenerator[Progress, None]:
    """Upload `name` to the demo registry (the `library` namespace is not ours to push to)."""
    yield progress("retrieving manifest")
    await _pause(state)
    model = state.find(name) if name.is_valid else None
    if model is None:
        yield progress("couldn't retrieve manifest")
        raise ApiError(
            500, f"open {state.models_dir}/{manifest_path(name)}: no such file or directory"
        )
    if name.scheme == "http" and not insecure:
        raise ApiError(500, "insecure protocol http")
    manifest = model.manifest
    with state.lock:
        in_registry = {digest for entry in state.registry.values() for digest in entry.blobs}
    digests = [(layer.digest, layer.size) for layer in manifest.layers]
    digests.append((manifest.config_digest, manifest.config_size))
    for digest, size in digests:
        async for line in _transfer(state, "pushing", digest, size, digest in in_registry):
            yield line
    yield progress("pushing manifest")
    await _pause(state)
    if model.name.namespace.lower() == "library":
        raise ApiError(500, "unauthorized: access denied")
    with state.lock:
        state.registry[model.name.key] = state.registry_entry_for(model.name, manifest)
    yield progress("success")


# ---------------------------------------------------------------------------------------------
# create


@dataclass(slots=True)
class _Plan:
    """What a create request asks for, checked before anything streams."""

    name: ModelName
    body: Mapping[str, Any]
    files: Mapping[str, str]
    adapters: Mapping[str, str]
    draft_files: Mapping[str, str]


def _valid_relative_path(path: str) -> bool:
    """Go's `fs.ValidPath`: relative, slash-separated, no empty, `.` or `..` element."""
    if path == ".":
        return True
    if not path or path.startswith("/") or path.endswith("/"):
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def create_model(
    state: DemoState, body: Mapping[str, Any], parse_model: Callable[[str], ModelName]
) -> AsyncGenerator[Progress, None]:
    """Check a create request (400s raise here) and return its progress stream."""
    files: Mapping[str, str] = body.get("files") or {}
    adapters: Mapping[str, str] = body.get("adapters") or {}
    draft_files: Mapping[str, str] = body.get("draft_files") or {}
    for path in list(files) + list(draft_files):
        if not _valid_relative_path(path):
            raise ApiError(400, "file path must be relative")
    for digest in list(files.values()) + list(adapters.values()):
        if not digest:
            raise ApiError(400, "invalid digest format")
    raw = str(body.get("model") or body.get("name") or "")
    name = parse_name(raw)
    if not name.is_valid:
        raise ApiError(400, "invalid model name")
    name = parse_model(raw)
    has_files = "files" in body
    return _create(state, _Plan(name, body, files, adapters, draft_files), has_files)


@dataclass(slots=True)
class _PlannedLayer:
    """A layer of the manifest being built and its stream line (`using existing layer ...`)."""

    layer: Layer
    status: str


async def _create(state: DemoState, plan: _Plan, has_files: bool) -> AsyncGenerator[Progress, None]:
    body = plan.body
    base_config: ModelConfig
    base_layers: list[_PlannedLayer]
    raw_from = str(body.get("from") or "")
    if raw_from:
        from_name = parse_name(raw_from)
        if not from_name.is_valid:
            raise ApiError(400, "invalid model name")
        from_name = state.resolve_case(from_name)
        if state.find(from_name) is None:
            async for line in pull_model(state, from_name, insecure=False):
                yield line
        base = state.find(from_name)
        if base is None:
            raise ApiError(500, f"model '{from_name.display}' not found")
        source = base.name.display
        base_config = base.manifest.config
        base_layers = [
            _PlannedLayer(replace(layer, source=source), f"using existing layer {layer.digest}")
            for layer in base.manifest.layers
        ]
    elif has_files:
        base_layers = []
        base_config = ModelConfig()
        async for converted in _convert_files(state, plan.files, base_layers):
            if isinstance(converted, ModelConfig):
                base_config = converted
            else:
                yield converted
    else:
        raise ApiError(400, "neither 'from' or 'files' was specified")

    if plan.adapters:
        adapter_layers: list[_PlannedLayer] = []
        async for line in _adapter_layers(state, plan.adapters, adapter_layers):
            yield line
        base_layers.extend(adapter_layers)
    if plan.draft_files:
        for digest in plan.draft_files.values():
            blob = state.blobs.get(digest)
            if blob is None:
                raise ApiError(500, f"open {state.blob_path(digest)}: no such file or directory")
            if blob.data is None or not is_gguf(blob.data):
                raise ApiError(400, "supplied file was not in GGUF format")
            base_layers.append(
                _PlannedLayer(Layer("draft", digest, blob.size), f"using existing layer {digest}")
            )

    quantize = str(body.get("quantize") or body.get("quantization") or "")
    if quantize:
        async for quantized in _quantize(state, quantize, base_layers, base_config):
            if isinstance(quantized, ModelConfig):
                base_config = quantized
            else:
                yield quantized

    layers = list(base_layers)
    template = str(body.get("template") or "")
    if template:
        refused = template_create_error(template)
        if refused is not None:
            raise ApiError(400, refused)
        layers = _replace_layer(layers, _new_layer(state, "template", template.encode("utf-8")))
    system = str(body.get("system") or "")
    if system:
        layers = _replace_layer(layers, _new_layer(state, "system", system.encode("utf-8")))
    if "license" in body:
        for text in _licenses(body["license"]):
            layers.append(_new_layer(state, "license", text.encode("utf-8")))
    layers = _merge_parameters(state, layers, body.get("parameters"))
    messages = body.get("messages") or []
    if messages:
        cleaned = [
            {"role": str(m.get("role", "")).lower(), "content": str(m.get("content", ""))}
            for m in messages
        ]
        data = go_dumps(cleaned) + "\n"
        layers = _replace_layer(layers, _new_layer(state, "messages", data.encode("utf-8")))

    config = replace(
        base_config,
        renderer=str(body.get("renderer") or base_config.renderer),
        parser=str(body.get("parser") or base_config.parser),
        requires=str(body.get("requires") or base_config.requires),
    )
    for item in layers:
        yield progress(item.status)
    await _pause(state)
    yield progress("writing manifest")
    manifest = state.make_manifest([item.layer for item in layers], config)
    with state.lock:
        old = state.find(plan.name)
        state.install(plan.name, manifest)
        if old is not None:
            state.forget_unused(old.manifest)
    yield progress("success")


def _new_layer(state: DemoState, kind: str, data: bytes) -> _PlannedLayer:
    digest = sha256_digest(data)
    existed = state.has_blob(digest)
    state.put_blob(data)
    verb = "using existing layer" if existed else "creating new layer"
    return _PlannedLayer(Layer(kind, digest, len(data)), f"{verb} {digest}")


def _replace_layer(layers: list[_PlannedLayer], new: _PlannedLayer) -> list[_PlannedLayer]:
    kept = [item for item in layers if item.layer.kind != new.layer.kind]
    kept.append(new)
    return kept


def _licenses(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        texts: list[str] = []
        for item in value:
            if not isinstance(item, str):
                raise ApiError(500, f"invalid license type: {_go_type_name(item)}")
            texts.append(item)
        return texts
    raise ApiError(500, f"unknown license type: {_go_type_name(value)}")


def _go_type_name(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "float64"
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    return "string"


def _merge_parameters(
    state: DemoState, layers: list[_PlannedLayer], requested: Mapping[str, Any] | None
) -> list[_PlannedLayer]:
    """Ollama's `setParameters`: request keys replace whole values, base keys are kept."""
    merged: dict[str, Any] = dict(requested or {})
    for item in layers:
        if item.layer.kind != "params":
            continue
        existing = json.loads(state.blob_text(item.layer.digest) or "{}")
        for key, value in existing.items():
            merged.setdefault(key, value)
    if not merged:
        return layers
    data = (go_dumps(go_sorted(merged)) + "\n").encode("utf-8")
    return _replace_layer(layers, _new_layer(state, "params", data))


async def _convert_files(
    state: DemoState,
    files: Mapping[str, str],
    layers: list[_PlannedLayer],
) -> AsyncIterator[Progress | ModelConfig]:
    """Model layers from uploaded files (GGUF re-validated, safetensors converted)."""
    blobs: list[tuple[str, str, Blob]] = []
    kinds: set[str] = set()
    for path, digest in files.items():
        blob = state.blobs.get(digest)
        if blob is None:
            raise ApiError(500, f"open {state.blob_path(digest)}: no such file or directory")
        blobs.append((path, digest, blob))
        if path.endswith(".safetensors"):
            kinds.add("safetensors")
        elif path.endswith(".gguf") or (blob.data is not None and is_gguf(blob.data)):
            kinds.add("gguf")
    if "safetensors" in kinds:
        yield progress("converting model")
        await _pause(state)
        config = _converted_config(blobs)
        weights_bytes = sum(blob.size for path, _, blob in blobs if path.endswith(".safetensors"))
        digest = sha256_digest("".join(sorted(d for _, d, _ in blobs)).encode() + b"converted")
        info = {
            "general.architecture": config.model_family,
            "general.file_type": 1,
            "general.parameter_count": weights_bytes // 2,
        }
        layers.append(
            _PlannedLayer(
                state.weights_layer("model", digest, weights_bytes, Weights(model_info=info)),
                f"creating new layer {digest}",
            )
        )
        yield replace(config, model_type=human_number(max(weights_bytes // 2, 1)))
        return
    if "gguf" not in kinds:
        raise ApiError(400, "unknown type")
    config = ModelConfig()
    for path, _, blob in blobs:
        if not (path.endswith(".gguf") or (blob.data is not None and is_gguf(blob.data))):
            continue
        yield progress("parsing GGUF")
        try:
            if blob.data is None:
                raise GGUFError("no data")
            header = read_header(blob.data)
        except GGUFError:
            raise ApiError(400, "supplied file was not in GGUF format") from None
        total = blob.size
        for step in range(1, 4):
            await _pause(state)
            yield progress("validating GGUF model", "0000000000000000000", total, total * step // 3)
        yield progress("verifying conversion")
        info = {key: value for key, value in header.metadata.items() if not isinstance(value, list)}
        arrays = {key: value for key, value in header.metadata.items() if isinstance(value, list)}
        info.update(dict.fromkeys(arrays))
        new_digest = sha256_digest(blob.data + b"\x00validated")
        weights = Weights(model_info=info, tensors=header.tensors, verbose_arrays=arrays)
        existed = state.has_blob(new_digest)
        layer = state.weights_layer("model", new_digest, total, weights)
        verb = "using existing layer" if existed else "creating new layer"
        layers.append(_PlannedLayer(layer, f"{verb} {new_digest}"))
        architecture = str(header.metadata.get("general.architecture", ""))
        parameter_count = int(header.metadata.get("general.parameter_count", 0) or 0)
        file_type = header.metadata.get("general.file_type")
        config = ModelConfig(
            model_format="gguf",
            model_family=architecture,
            model_families=(architecture,) if architecture else None,
            model_type=human_number(parameter_count) if parameter_count else "",
            file_type=FILE_TYPES.get(int(file_type), "unknown") if file_type is not None else "",
        )
    yield config


def _converted_config(blobs: Sequence[tuple[str, str, Blob]]) -> ModelConfig:
    family = "llama"
    for path, _, blob in blobs:
        if path.endswith("config.json") and blob.data is not None:
            try:
                data = json.loads(blob.data)
            except ValueError:
                continue
            if isinstance(data, dict) and isinstance(data.get("model_type"), str):
                family = data["model_type"]
    return ModelConfig(
        model_format="gguf", model_family=family, model_families=(family,), file_type="F16"
    )


async def _adapter_layers(
    state: DemoState, adapters: Mapping[str, str], layers: list[_PlannedLayer]
) -> AsyncIterator[Progress]:
    gguf_count = 0
    for path, digest in adapters.items():
        blob = state.blobs.get(digest)
        if blob is None:
            raise ApiError(400, f"open {state.blob_path(digest)}: no such file or directory")
        if path.endswith(".safetensors"):
            yield progress("converting adapter")
            data = (blob.data or b"") + b"\x00adapter"
            layer = _new_layer(state, "adapter", data)
            layers.append(layer)
            continue
        if not (path.endswith(".gguf") or (blob.data is not None and is_gguf(blob.data))):
            raise ApiError(400, "unknown type")
        gguf_count += 1
        if gguf_count > 1:
            raise ApiError(400, "only one adapter is currently supported")
        yield progress("parsing GGUF")
        if blob.data is None or not is_gguf(blob.data):
            raise ApiError(400, "supplied file was not in GGUF format")
        layers.append(
            _PlannedLayer(Layer("adapter", digest, blob.size), f"using existing layer {digest}")
        )


async def _quantize(
    state: DemoState, requested: str, layers: list[_PlannedLayer], config: ModelConfig
) -> AsyncIterator[Progress | ModelConfig]:
    wanted = requested.upper()
    if wanted == "Q4_K":
        wanted = "Q4_K_M"
    if wanted not in QUANTIZATION_TYPES:
        raise ApiError(
            500,
            f"unsupported quantization type {wanted} - supported types are "
            + ", ".join(QUANTIZATION_TYPES),
        )
    if config.file_type not in ("F16", "BF16", "F32"):
        raise ApiError(500, "quantization is only supported for F16, BF16 and F32 models")
    for index, item in enumerate(layers):
        if item.layer.kind != "model":
            continue
        base_blob = state.blobs.get(item.layer.digest)
        parameter_count = int(item.layer.size / _BYTES_PER_PARAMETER.get(config.file_type, 2.0))
        new_size = max(int(parameter_count * _BYTES_PER_PARAMETER[wanted]), 1)
        status = f"quantizing {config.file_type} model to {wanted}"
        for step in range(1, 5):
            await _pause(state)
            yield progress(status, "0000000000000000000", new_size, new_size * step // 4)
        yield progress("verifying conversion")
        digest = sha256_digest(f"{item.layer.digest}:{wanted}".encode())
        weights = base_blob.weights if base_blob is not None else None
        if weights is not None:
            info = dict(weights.model_info)
            info["general.file_type"] = _QUANTIZED_FILE_TYPE[wanted]
            weights = replace(weights, model_info=info)
        existed = state.has_blob(digest)
        layer = state.weights_layer("model", digest, new_size, weights, item.layer.source)
        verb = "using existing layer" if existed else "creating new layer"
        layers[index] = _PlannedLayer(layer, f"{verb} {digest}")
    yield replace(config, file_type=wanted)
