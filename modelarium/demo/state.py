"""The demo host's store: blobs, manifests and the records the routes read and change.

It mirrors how Ollama keeps models: content-addressed blobs (weights, template, system, params,
messages, license layers) and one manifest per name listing its layers plus a config blob. A
model's template, parameters and so on are read back from its layers, so `create`, `copy` and
`delete` behave like Ollama's (layer reuse, shared digests after copy, blob clean-up).

All methods are guarded by one re-entrant lock so tests may read or change the state from
another thread while the server runs.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from modelarium.demo.gojson import go_dumps, go_format_sharp, go_format_value, go_sorted
from modelarium.demo.names import ModelName, parse_name
from modelarium.modelfile import Command, render_commands

MEDIA_TYPE_PREFIX = "application/vnd.ollama.image."
MANIFEST_MEDIA_TYPE = "application/vnd.docker.distribution.manifest.v2+json"
CONFIG_MEDIA_TYPE = "application/vnd.docker.container.image.v1+json"
DEFAULT_MODELS_DIR = "/usr/share/ollama/.ollama/models"
DEFAULT_TEMPLATE = "{{ .Prompt }}"
SERVER_VERSION = "0.33.0-rc2"
FOREVER_NS = 9_223_372_036_854_775_807
"""Go's `math.MaxInt64` nanoseconds: how long a negative keep-alive keeps a model loaded."""

FILE_TYPES: dict[int, str] = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K",
    11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S",
    17: "Q5_K_M", 18: "Q6_K", 32: "BF16",
}  # fmt: skip
"""GGUF `general.file_type` values and the quantization names Ollama shows for them."""


def sha256_digest(data: bytes) -> str:
    """`sha256:<hex>` of `data`."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def human_number(count: int) -> str:
    """Ollama's `format.HumanNumber` (parameter sizes such as `8.0B`, `137M`)."""
    for threshold, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if count >= threshold:
            number = count / threshold
            if number == int(number):
                return f"{int(number)}{suffix}"
            return f"{number:.1f}{suffix}"
    return str(count)


def format_time(ns: int) -> str:
    """RFC 3339 in UTC with nanoseconds, trailing zeros dropped (Go's `time.RFC3339Nano`)."""
    seconds, fraction = divmod(ns, 1_000_000_000)
    base = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
    if fraction:
        base += "." + f"{fraction:09d}".rstrip("0")
    return base + "Z"


@dataclass(frozen=True, slots=True)
class Layer:
    """One manifest layer; `kind` is the media type's last part (`model`, `template`, ...)."""

    kind: str
    digest: str
    size: int
    source: str = ""

    def manifest_entry(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "mediaType": MEDIA_TYPE_PREFIX + self.kind,
            "digest": self.digest,
            "size": self.size,
        }
        if self.source:
            entry["from"] = self.source
        return entry


@dataclass(frozen=True, slots=True)
class Weights:
    """What a model or projector blob "contains": GGUF metadata and some tensors."""

    model_info: Mapping[str, Any]
    tensors: Sequence[Mapping[str, Any]] = ()
    verbose_arrays: Mapping[str, Sequence[Any]] = field(default_factory=dict)


@dataclass(slots=True)
class Blob:
    """A stored blob: its size and, for small layers and uploads, its bytes."""

    size: int
    data: bytes | None = None
    weights: Weights | None = None


@dataclass(frozen=True, slots=True)
class ModelConfig:
    """The config blob of a manifest (Ollama's `ConfigV2`)."""

    model_format: str = "gguf"
    model_family: str = ""
    model_families: tuple[str, ...] | None = None
    model_type: str = ""
    file_type: str = ""
    renderer: str = ""
    parser: str = ""
    requires: str = ""
    capabilities: tuple[str, ...] = ()
    context_length: int = 0
    embedding_length: int = 0
    base_name: str = ""

    def to_json(self, layers: Sequence[Layer]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "model_format": self.model_format,
            "model_family": self.model_family,
            "model_families": list(self.model_families) if self.model_families else None,
            "model_type": self.model_type,
            "file_type": self.file_type,
        }
        for key in ("renderer", "parser", "requires", "base_name"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.context_length:
            data["context_length"] = self.context_length
        if self.embedding_length:
            data["embedding_length"] = self.embedding_length
        if self.capabilities:
            data["capabilities"] = list(self.capabilities)
        data["architecture"] = "amd64"
        data["os"] = "linux"
        data["rootfs"] = {"type": "layers", "diff_ids": [layer.digest for layer in layers]}
        return data


@dataclass(frozen=True, slots=True)
class Manifest:
    """A manifest: its layers, config and the bytes whose SHA-256 is the model's digest."""

    layers: tuple[Layer, ...]
    config: ModelConfig
    config_digest: str
    config_size: int
    raw: bytes

    @property
    def digest(self) -> str:
        """The manifest digest as `/api/tags` shows it: 64 hex, no prefix."""
        return hashlib.sha256(self.raw).hexdigest()

    @property
    def size(self) -> int:
        return sum(layer.size for layer in self.layers) + self.config_size


@dataclass(slots=True)
class InstalledModel:
    """A name with its manifest and the time it was written."""

    name: ModelName
    manifest: Manifest
    modified_ns: int


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    """A tag in the demo registry: its manifest and the blobs a pull downloads."""

    name: ModelName
    manifest: Manifest
    blobs: Mapping[str, Blob]


@dataclass(frozen=True, slots=True)
class LoadedModel:
    """A model `/api/ps` reports as loaded."""

    name: ModelName
    digest: str
    details: Mapping[str, Any]
    size: int
    size_vram: int
    expires_ns: int
    context_length: int


class ApiError(Exception):
    """An Ollama error answer: HTTP status and the `error` text."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class DemoState:
    """Blobs, manifests, loaded models and the registry catalogue of one demo host."""

    def __init__(
        self,
        *,
        models_dir: str = DEFAULT_MODELS_DIR,
        version: str = SERVER_VERSION,
        progress_delay: float = 0.02,
    ) -> None:
        self.lock = threading.RLock()
        self.models_dir = models_dir
        self.version = version
        self.progress_delay = progress_delay
        """Seconds between streamed progress lines of pull, push and create."""
        self.blobs: dict[str, Blob] = {}
        self.models: dict[tuple[str, str, str, str], InstalledModel] = {}
        self.loaded: list[LoadedModel] = []
        self.registry: dict[tuple[str, str, str, str], RegistryEntry] = {}
        """The demo registry: what `pull` can download and where `push` uploads to."""
        self.last_create_body: bytes | None = None
        """The bytes of the last `/api/create` request body received (None before any), so a
        test can compare what was sent with what was previewed, byte for byte."""
        self._clock_ns = 0

    # -- construction ----------------------------------------------------------------------

    def now_ns(self) -> int:
        """A strictly increasing wall-clock time in nanoseconds (distinct manifest mtimes)."""
        with self.lock:
            current = time.time_ns()
            self._clock_ns = max(current, self._clock_ns + 1)
            return self._clock_ns

    # -- blobs -----------------------------------------------------------------------------

    def blob_path(self, digest: str) -> str:
        """The file a blob lives in, as Ollama names it (`sha256-<hex>`)."""
        return f"{self.models_dir}/blobs/{digest.replace(':', '-')}"

    def put_blob(self, data: bytes) -> Layer:
        """Store a small blob (template, params, ...); returns an untyped layer for it."""
        digest = sha256_digest(data)
        with self.lock:
            if digest not in self.blobs:
                self.blobs[digest] = Blob(size=len(data), data=data)
        return Layer(kind="", digest=digest, size=len(data))

    def text_layer(self, kind: str, text: str) -> Layer:
        """A template/system/license layer holding `text`."""
        return replace(self.put_blob(text.encode("utf-8")), kind=kind)

    def params_layer(self, params: Mapping[str, Any]) -> Layer:
        """The params layer: a JSON object, keys sorted, trailing newline."""
        data = (go_dumps(go_sorted(params)) + "\n").encode("utf-8")
        return replace(self.put_blob(data), kind="params")

    def messages_layer(self, messages: Sequence[Mapping[str, str]]) -> Layer:
        """The messages layer: a JSON list of role/content objects."""
        cleaned = [{"role": m["role"], "content": m["content"]} for m in messages]
        return replace(self.put_blob((go_dumps(cleaned) + "\n").encode("utf-8")), kind="messages")

    def weights_layer(
        self, kind: str, digest: str, size: int, weights: Weights | None, source: str = ""
    ) -> Layer:
        """Register a (large, content-less) model/projector/adapter blob."""
        with self.lock:
            if digest not in self.blobs:
                self.blobs[digest] = Blob(size=size, weights=weights)
        return Layer(kind=kind, digest=digest, size=size, source=source)

    def has_blob(self, digest: str) -> bool:
        with self.lock:
            return digest in self.blobs

    def blob_text(self, digest: str) -> str:
        blob = self.blobs.get(digest)
        if blob is None or blob.data is None:
            return ""
        return blob.data.decode("utf-8", errors="replace")

    # -- manifests -------------------------------------------------------------------------

    def make_manifest(self, layers: Iterable[Layer], config: ModelConfig) -> Manifest:
        """Write the config blob and build the manifest bytes."""
        layer_tuple = tuple(layers)
        config_bytes = go_dumps(config.to_json(layer_tuple)).encode("utf-8")
        config_layer = self.put_blob(config_bytes)
        raw = go_dumps(
            {
                "schemaVersion": 2,
                "mediaType": MANIFEST_MEDIA_TYPE,
                "config": {
                    "mediaType": CONFIG_MEDIA_TYPE,
                    "digest": config_layer.digest,
                    "size": config_layer.size,
                },
                "layers": [layer.manifest_entry() for layer in layer_tuple],
            }
        ).encode("utf-8")
        return Manifest(layer_tuple, config, config_layer.digest, config_layer.size, raw)

    def install(self, name: ModelName, manifest: Manifest, modified_ns: int | None = None) -> None:
        """Write (or overwrite) the manifest of `name`."""
        with self.lock:
            self.models[name.key] = InstalledModel(
                name, manifest, self.now_ns() if modified_ns is None else modified_ns
            )

    def find(self, name: ModelName) -> InstalledModel | None:
        """The installed model with this name, compared case-insensitively."""
        with self.lock:
            return self.models.get(name.key)

    def resolve_case(self, name: ModelName) -> ModelName:
        """Respell each part of `name` like a matching part of some installed model."""
        with self.lock:
            exact = self.models.get(name.key)
            if exact is not None:
                return replace(exact.name, scheme=name.scheme)
            installed = [model.name for model in self.models.values()]
        parts = {}
        for part in ("host", "namespace", "model", "tag"):
            wanted = getattr(name, part)
            parts[part] = next(
                (
                    getattr(other, part)
                    for other in installed
                    if getattr(other, part).lower() == wanted.lower()
                ),
                wanted,
            )
        return replace(name, **parts)

    def remove(self, name: ModelName) -> bool:
        """Delete a manifest and the blobs no other manifest uses; False when absent."""
        with self.lock:
            removed = self.models.pop(name.key, None)
            if removed is None:
                return False
            self.forget_unused(removed.manifest)
            return True

    def forget_unused(self, manifest: Manifest) -> None:
        """Remove the blobs of `manifest` that no installed manifest uses any more."""
        with self.lock:
            in_use: set[str] = set()
            for model in self.models.values():
                in_use.update(layer.digest for layer in model.manifest.layers)
                in_use.add(model.manifest.config_digest)
            candidates = [layer.digest for layer in manifest.layers] + [manifest.config_digest]
            for digest in candidates:
                if digest not in in_use:
                    self.blobs.pop(digest, None)

    def list_models(self) -> list[InstalledModel]:
        """Installed models, newest first."""
        with self.lock:
            models = list(self.models.values())
        return sorted(models, key=lambda model: (-model.modified_ns, model.name.display))

    def registry_entry_for(self, name: ModelName, manifest: Manifest) -> RegistryEntry:
        """A registry entry holding `manifest` and copies of its blobs from this state."""
        with self.lock:
            digests = [layer.digest for layer in manifest.layers] + [manifest.config_digest]
            blobs = {digest: self.blobs[digest] for digest in digests if digest in self.blobs}
        return RegistryEntry(name, manifest, blobs)

    def add_loaded(
        self, raw_name: str, *, fraction_on_gpu: float, minutes_left: float, context_length: int
    ) -> None:
        """Mark an installed model as loaded (for `/api/ps`)."""
        model = self.find(parse_name(raw_name))
        if model is not None:
            self.load(
                model.name,
                keep_alive=minutes_left * 60,
                context_length=context_length,
                fraction_on_gpu=fraction_on_gpu,
            )

    def load(
        self,
        name: ModelName,
        *,
        keep_alive: float | None = None,
        context_length: int = 4096,
        fraction_on_gpu: float = 1.0,
    ) -> None:
        """Load (or refresh) a model for `keep_alive` seconds (None: 5 minutes, < 0: forever)."""
        with self.lock:
            model = self.find(name)
            if model is None:
                return
            seconds = 300.0 if keep_alive is None else keep_alive
            now = time.time_ns()
            expires = now + FOREVER_NS if seconds < 0 else now + int(seconds * 1_000_000_000)
            view = self.view(model)
            size = int(model.manifest.size * 1.18) + context_length * 131072
            self.unload(model.name)
            self.loaded.append(
                LoadedModel(
                    name=model.name,
                    digest=model.manifest.digest,
                    details=view.details(with_parent=False),
                    size=size,
                    size_vram=int(size * fraction_on_gpu),
                    expires_ns=expires,
                    context_length=context_length,
                )
            )

    def unload(self, name: ModelName) -> None:
        """Drop a model from `/api/ps` (what `keep_alive: 0` does)."""
        with self.lock:
            self.loaded = [item for item in self.loaded if item.name.key != name.key]

    # -- reading a model back from its layers ----------------------------------------------

    def view(self, model: InstalledModel) -> ModelView:
        """Everything `show` needs, read from the model's layers and blobs."""
        with self.lock:
            return ModelView.build(self, model)


@dataclass(frozen=True, slots=True)
class ModelView:
    """A model as Ollama's `GetModel` reads it back from the manifest."""

    name: ModelName
    manifest: Manifest
    modified_ns: int
    model_layer: Layer | None
    weights: Weights | None
    adapters: tuple[Layer, ...]
    projectors: tuple[Layer, ...]
    projector_weights: Weights | None
    draft: Layer | None
    template: str | None
    system: str
    licenses: tuple[str, ...]
    params: Mapping[str, Any]
    messages: tuple[Mapping[str, str], ...]

    @classmethod
    def build(cls, state: DemoState, model: InstalledModel) -> ModelView:
        model_layer: Layer | None = None
        adapters: list[Layer] = []
        projectors: list[Layer] = []
        draft: Layer | None = None
        template: str | None = None
        system = ""
        licenses: list[str] = []
        params: dict[str, Any] = {}
        messages: list[Mapping[str, str]] = []
        for layer in model.manifest.layers:
            if layer.kind == "model":
                model_layer = layer
            elif layer.kind == "adapter":
                adapters.append(layer)
            elif layer.kind == "projector":
                projectors.append(layer)
            elif layer.kind == "draft":
                draft = layer
            elif layer.kind == "template":
                template = state.blob_text(layer.digest)
            elif layer.kind == "system":
                system = state.blob_text(layer.digest)
            elif layer.kind == "license":
                licenses.append(state.blob_text(layer.digest))
            elif layer.kind == "params":
                params = json.loads(state.blob_text(layer.digest) or "{}")
            elif layer.kind == "messages":
                messages = json.loads(state.blob_text(layer.digest) or "[]")
        weights = None
        if model_layer is not None and model_layer.digest in state.blobs:
            weights = state.blobs[model_layer.digest].weights
        projector_weights = None
        if projectors and projectors[0].digest in state.blobs:
            projector_weights = state.blobs[projectors[0].digest].weights
        return cls(
            name=model.name,
            manifest=model.manifest,
            modified_ns=model.modified_ns,
            model_layer=model_layer,
            weights=weights,
            adapters=tuple(adapters),
            projectors=tuple(projectors),
            projector_weights=projector_weights,
            draft=draft,
            template=template,
            system=system,
            licenses=tuple(licenses),
            params=params,
            messages=tuple(messages),
        )

    @property
    def config(self) -> ModelConfig:
        return self.manifest.config

    @property
    def is_mlx(self) -> bool:
        return self.config.model_format == "safetensors"

    @property
    def parent_model(self) -> str:
        return self.model_layer.source if self.model_layer is not None else ""

    def capabilities(self) -> list[str]:
        """Ollama's derived capabilities (§5 of the API notes), config ones included."""
        capabilities: list[str] = []
        info = self.weights.model_info if self.weights is not None else {}
        architecture = str(info.get("general.architecture", self.config.model_family))
        if self.config.model_format == "gguf" and self.model_layer is not None:
            if f"{architecture}.pooling_type" in info:
                capabilities.append("embedding")
            else:
                capabilities.append("completion")
        template = self.template or ""
        if ".Tools" in template:
            capabilities.append("tools")
        if ".Suffix" in template:
            capabilities.append("insert")
        if self.projectors:
            capabilities.append("vision")
        if "<think>" in template and "</think>" in template:
            capabilities.append("thinking")
        for capability in self.config.capabilities:
            if capability not in capabilities:
                capabilities.append(capability)
        return capabilities

    def details(self, *, with_parent: bool) -> dict[str, Any]:
        """The `details` object; `parent_model` is filled only for show."""
        info = self.weights.model_info if self.weights is not None else {}
        family = self.config.model_family
        context_length = self.config.context_length or int(
            info.get(f"{family}.context_length", 0) or 0
        )
        embedding_length = self.config.embedding_length or int(
            info.get(f"{family}.embedding_length", 0) or 0
        )
        details: dict[str, Any] = {
            "parent_model": self.parent_model if with_parent else "",
            "format": self.config.model_format,
            "family": family,
            "families": list(self.config.model_families) if self.config.model_families else None,
            "parameter_size": self.config.model_type,
            "quantization_level": self.config.file_type,
        }
        if context_length:
            details["context_length"] = context_length
        if embedding_length:
            details["embedding_length"] = embedding_length
        return details

    def modelfile(self, state: DemoState, options: Mapping[str, Any] | None = None) -> str:
        """The `modelfile` field of show, rendered as Ollama renders it."""
        params = dict(self.params)
        if options:
            params.update(options)
        system = self.system
        commands: list[Command] = []
        first_from = (
            state.blob_path(self.model_layer.digest) if self.model_layer is not None else ""
        )
        commands.append(Command("model", first_from))
        commands.extend(
            Command("adapter", state.blob_path(layer.digest)) for layer in self.adapters
        )
        if self.draft is not None:
            commands.append(Command("draft", state.blob_path(self.draft.digest)))
        commands.extend(
            Command("model", state.blob_path(layer.digest)) for layer in self.projectors
        )
        commands.append(
            Command("template", self.template if self.template is not None else DEFAULT_TEMPLATE)
        )
        if system:
            commands.append(Command("system", system))
        if self.config.renderer:
            commands.append(Command("renderer", self.config.renderer))
        if self.config.parser:
            commands.append(Command("parser", self.config.parser))
        for key in sorted(params):
            value = params[key]
            values = value if isinstance(value, list) else [value]
            commands.extend(Command(key, go_format_value(item)) for item in values)
        commands.extend(Command("license", text) for text in self.licenses)
        commands.extend(
            Command("message", f"{message['role']}: {message['content']}")
            for message in self.messages
        )
        body = render_commands(commands)
        header = '# Modelfile generated by "ollama show"\n'
        if self.is_mlx:
            _, _, rest = body.partition("\n")
            return header + f"FROM {self.name.display}\n" + rest
        return (
            header
            + "# To build a new Modelfile based on this, replace FROM with:\n"
            + f"# FROM {self.name.display}\n\n"
            + body
        )

    def parameters_text(self) -> str:
        """The `parameters` field: key padded to 30 columns, value in Go `%#v`."""
        lines: list[str] = []
        for key in sorted(self.params):
            value = self.params[key]
            values = value if isinstance(value, list) else [value]
            lines.extend(f"{key:<30} {go_format_sharp(item)}" for item in values)
        return "\n".join(lines)
