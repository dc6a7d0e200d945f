"""Commands to the `/api/create` request body, as Ollama's `Modelfile.CreateRequest` and the
`ollama create` CLI build it.

Processing runs in command order and the first error aborts, with Ollama's exact text. This
module is the create rule (path expansion, weight-folder discovery, typed parameters, the body
and the one `ModelCreate` every caller previews and sends); the Go library behaviour it relies
on (`strconv`, float32, semver, `filepath`, `http.DetectContentType`) lives in
`modelfile/golang/`. Like the CLI, local files are named by their base name in the body and
`local_files` tells the caller which blobs to upload first.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from modelarium.modelfile.commands import Command, ModelfileError
from modelarium.modelfile.golang.numbers import shortest_float32
from modelarium.modelfile.golang.paths import (
    GoError,
    go_abs,
    go_glob,
    go_join,
    home_directory,
    path_error_text,
    user_home,
)
from modelarium.modelfile.golang.semver import is_valid_semver
from modelarium.modelfile.golang.sniff import detect_content_type
from modelarium.modelfile.golang.strconv import parse_go_bool, parse_go_float32, parse_go_int
from modelarium.modelfile.params import DEPRECATED_PARAMETERS, PARAMETERS
from modelarium.modelfile.parser import parse
from modelarium.wording import counted

REQUIRES_ERROR = "requires must be a valid semver (e.g. 0.14.0)"
NO_MODEL_FILES_ERROR = "no Modelfile or safetensors files found"


class CreateRequestError(Exception):
    """Ollama refuses to build the request; `str()` is Ollama's exact text.

    `warnings` holds the deprecation warnings Ollama printed before it stopped.
    """

    def __init__(self, message: str, *, warnings: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.warnings = tuple(warnings)


class CreateMarshalError(CreateRequestError):
    """The request holds Inf or NaN, which Go's JSON encoder refuses
    (`json: unsupported value: +Inf`)."""


@dataclass(frozen=True, slots=True)
class CreateRequest:
    """The request body plus what the client must do around it.

    `body` is JSON-ready with Ollama's field names: `model` and `name` always present (empty;
    the caller sets `model`), every other field only when non-empty, float32 parameters as the
    Python float whose repr is the shortest float32 decimal. `warnings` are the lines Ollama
    prints on stdout (no trailing newline). `local_files` maps each digest in `files`,
    `adapters` or `draft_files` to the local path to upload as a blob first.
    """

    body: dict[str, object]
    warnings: tuple[str, ...] = ()
    local_files: dict[str, Path] = field(default_factory=dict)

    @property
    def base(self) -> str:
        """The model FROM names (`from`), or "" when FROM is local files."""
        base = self.body.get("from")
        return base if isinstance(base, str) else ""

    @property
    def licenses(self) -> tuple[str, ...]:
        """The LICENSE values the request carries, in order."""
        licenses = self.body.get("license")
        if not isinstance(licenses, list):
            return ()
        return tuple(item for item in licenses if isinstance(item, str))

    @property
    def needs_base_licenses(self) -> bool:
        """Whether the license decision depends on the base's licenses: the request names a
        base model and carries licenses of its own (else there is nothing to decide)."""
        return bool(self.base and self.licenses)


# --- one create, exactly as sent -----------------------------------------------------------


def licenses_of_modelfile(modelfile: str) -> tuple[str, ...]:
    """The licenses of an installed model (one per LICENSE layer, in order), read from the
    Modelfile `/api/show` returns; () when that text does not parse."""
    try:
        commands = parse(modelfile)
    except ModelfileError:
        return ()
    return tuple(command.args for command in commands if command.name == "license")


def inherited_licenses(licenses: Sequence[str], base_licenses: Sequence[str]) -> int:
    """How many leading `licenses` the base model already carries: all of the base's when
    the request's licenses begin with exactly them (as after extracting a model), else 0.

    Ollama's create *appends* the request's licenses to the base's, so sending an extracted
    model's licenses again would double them; the inherited ones are left out instead.
    """
    count = len(base_licenses)
    if count and tuple(licenses[:count]) == tuple(base_licenses):
        return count
    return 0


def _body_text(body: Mapping[str, object]) -> str:
    """The JSON text of a body: indented, UTF-8 where it can be (text with lone surrogates,
    which UTF-8 cannot carry, falls back to `\\u` escapes)."""
    text = json.dumps(body, indent=2, ensure_ascii=False, allow_nan=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(body, indent=2, ensure_ascii=True, allow_nan=False)
    return text


@dataclass(frozen=True, slots=True)
class ModelCreate:
    """One `/api/create` call, built once and shown and sent as is.

    `text` is the exact JSON the client posts (`data` its UTF-8 bytes): the request body with
    `model` set, streaming on, and the base's inherited licenses left out. `uploads` are the
    local files to upload as blobs first (digest, path); `warnings` are Ollama's create
    warnings; `kept_licenses` counts the base's licenses kept rather than sent again.
    """

    model: str
    body: Mapping[str, object]
    text: str
    uploads: tuple[tuple[str, Path], ...] = ()
    warnings: tuple[str, ...] = ()
    base: str = ""
    kept_licenses: int = 0

    @property
    def data(self) -> bytes:
        """The bytes posted to `/api/create`."""
        return self.text.encode("utf-8")

    @property
    def license_note(self) -> str | None:
        """`keeping 2 licenses of llama3.1:8b` when the base's licenses were left out."""
        if not self.kept_licenses:
            return None
        return f"keeping {counted(self.kept_licenses, 'license')} of {self.base}"

    @property
    def notes(self) -> tuple[str, ...]:
        """What `ollama create` would print before the progress: the warnings, then the
        license decision."""
        note = self.license_note
        return self.warnings + ((note,) if note else ())

    def named(self, model: str) -> ModelCreate:
        """The same call for another model name (the license decision does not depend on
        the name)."""
        body = dict(self.body)
        body["model"] = model
        return ModelCreate(
            model=model,
            body=body,
            text=_body_text(body),
            uploads=self.uploads,
            warnings=self.warnings,
            base=self.base,
            kept_licenses=self.kept_licenses,
        )

    def quantized(self, level: str) -> ModelCreate:
        """The same call asking Ollama to quantize the weights to `level` (`q4_K_M`, the
        body's `quantize`); "" leaves the base's quantization."""
        body = dict(self.body)
        if level:
            body["quantize"] = level
        else:
            body.pop("quantize", None)
        return ModelCreate(
            model=self.model,
            body=body,
            text=_body_text(body),
            uploads=self.uploads,
            warnings=self.warnings,
            base=self.base,
            kept_licenses=self.kept_licenses,
        )


QUANTIZE_TYPES: tuple[str, ...] = ("q4_K_M", "q4_K_S", "q8_0")
"""What `ollama create --quantize` offers (Ollama quantizes F16/F32 weights to these)."""


def quantize_problem(quantize: str) -> str | None:
    """Why `quantize` is not a quantization create accepts (case ignored, as the server
    does); None when it is (or empty: no quantizing)."""
    if not quantize or quantize.lower() in (q.lower() for q in QUANTIZE_TYPES):
        return None
    return f"unsupported quantization type {quantize!r}: use one of {', '.join(QUANTIZE_TYPES)}"


def model_create(
    request: CreateRequest,
    model: str,
    *,
    base_licenses: Sequence[str] = (),
    quantize: str = "",
) -> ModelCreate:
    """The create call for `request` under the name `model`, with the license decision made
    from `base_licenses` (the licenses the named base carries on the target host; () when it
    has none or is not installed), and `quantize` (the body's `quantize`: quantize the FROM
    weights to this type) when given. Pure: the same inputs give the same bytes."""
    body = dict(request.body)
    body["model"] = model
    if quantize:
        body["quantize"] = quantize
    body["stream"] = True
    kept = inherited_licenses(request.licenses, base_licenses) if request.base else 0
    if kept:
        rest = list(request.licenses[kept:])
        if rest:
            body["license"] = rest
        else:
            del body["license"]
    return ModelCreate(
        model=model,
        body=body,
        text=_body_text(body),
        uploads=tuple(request.local_files.items()),
        warnings=request.warnings,
        base=request.base,
        kept_licenses=kept,
    )


# --- Paths as create reads them ---------------------------------------------------------------


def _abs(path: str) -> str:
    """`filepath.Abs`, with its failure as create's error."""
    try:
        return go_abs(path)
    except GoError as error:
        raise CreateRequestError(str(error)) from None


def expand_path(path: str, directory: str) -> str:
    """Ollama's `expandPath`: absolute and `\\`-prefixed paths via Abs, `~` and `~user` to home
    folders, anything else joined to `directory`; raises CreateRequestError for unknown users."""
    if path.startswith(("/", "\\")):
        return _abs(path)
    if path.startswith("~"):
        if path == "~" or path.startswith("~/"):
            try:
                home = home_directory()
            except GoError as error:
                raise CreateRequestError(str(error)) from None
            path = path[1:]
        else:
            user_name, slash, remainder = path[1:].partition("/")
            found = user_home(user_name)
            if found is None:
                raise CreateRequestError(
                    f"failed to find user '{user_name}': user: unknown user {user_name}"
                )
            home = found
            path = "/" + remainder if slash else ""
        return _abs(go_join(home, path))
    return _abs(go_join(directory, path))


def _go_os_error(operation: str, path: str, error: OSError) -> CreateRequestError:
    """A Go `*PathError` as create's error: `stat /x: not a directory`."""
    return CreateRequestError(path_error_text(operation, path, error))


# --- Local files -----------------------------------------------------------------------------


def _content_type(path: str) -> str:
    with open(path, "rb") as handle:
        return detect_content_type(handle.read(512))


def _glob_checked(directory: str, pattern: str, content_type: str) -> list[str]:
    """Ollama's `glob` helper: matches, each of which must sniff as `content_type` (when
    given); raises CreateRequestError otherwise."""
    matches = go_glob(directory, pattern)
    for match in matches:
        try:
            detected = _content_type(match)
        except OSError as error:
            raise _go_os_error("open", match, error) from None
        if content_type and detected != content_type:
            raise CreateRequestError(f"invalid content type: expected {detected} for {match}")
    return matches


def _glob_or_empty(directory: str, pattern: str, content_type: str) -> list[str]:
    """Ollama ignores errors of the weight globs: a mismatch just means "not this kind"."""
    try:
        return _glob_checked(directory, pattern, content_type)
    except CreateRequestError:
        return []


_WEIGHT_PATTERNS: tuple[tuple[str, str], ...] = (
    ("model*.safetensors", ""),
    ("consolidated*.safetensors", ""),
    ("pytorch_model*.bin", "application/zip"),
    ("consolidated*.pth", "application/zip"),
    ("*.gguf", "application/octet-stream"),
    ("*.bin", "application/octet-stream"),
)
"""Ollama's weight discovery order: the first pattern with matches wins."""


def files_for_model(directory: str) -> list[str]:
    """Ollama's `filesForModel`: the weight files of a model folder in discovery order, then
    its JSON configuration, chat template and tokenizer."""
    files: list[str] = []
    for pattern, content_type in _WEIGHT_PATTERNS:
        found = _glob_or_empty(directory, pattern, content_type)
        if found:
            files.extend(found)
            if pattern == "model*.safetensors":
                files.extend(_glob_checked(directory, "*/model*.safetensors", ""))
            break
    else:
        raise CreateRequestError(NO_MODEL_FILES_ERROR)
    files.extend(_glob_checked(directory, "*.json", "text/plain"))
    files.extend(_glob_checked(directory, "**/*.json", "text/plain"))
    files.extend(_glob_checked(directory, "chat_template.jinja", "text/plain"))
    tokenizer = _glob_or_empty(directory, "tokenizer.model", "application/octet-stream")
    if not tokenizer:
        tokenizer = _glob_or_empty(directory, "**/tokenizer.model", "text/plain")
    files.extend(tokenizer)
    return files


def _is_local(relative: str) -> bool:
    """`filepath.IsLocal` for a cleaned relative path."""
    return (
        bool(relative)
        and not relative.startswith("/")
        and relative != ".."
        and not (relative.startswith("../"))
    )


def _sha256_digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return f"sha256:{digest.hexdigest()}"


def stat_local_path(path: str) -> os.stat_result | None:
    """`os.Stat` as create runs it on an expanded FROM/ADAPTER/DRAFT path: None when nothing
    is there; any other failure (no permission, a name too long, a NUL byte) raises
    CreateRequestError in Go's words, since create aborts on it."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _go_os_error("stat", path, error) from None
    except ValueError:
        raise CreateRequestError(f"stat {path}: invalid argument") from None


def file_digest_map(path: str) -> dict[str, str] | None:
    """Ollama's `fileDigestMap`: {file path: digest} for a file or a model folder; None when
    the path does not exist (FROM then names a model)."""
    status = stat_local_path(path)
    if status is None:
        return None
    is_directory = stat.S_ISDIR(status.st_mode)
    files: list[str] = []
    if is_directory:
        for found in files_for_model(path):
            resolved = os.path.realpath(found)
            relative = os.path.relpath(resolved, path)
            if not _is_local(relative):
                if ".cache" in relative:
                    raise CreateRequestError(
                        f"insecure path: {relative}\n\n"
                        "Use --local-dir <dir> when downloading model to disable caching"
                    )
                raise CreateRequestError(f"insecure path: {relative}")
            files.append(resolved)
    else:
        files = [path]
    digests: dict[str, str] = {}
    for file_path in files:
        try:
            digests[file_path] = _sha256_digest(os.path.realpath(file_path))
        except OSError as error:
            raise _go_os_error("open", file_path, error) from None
    return digests


def _same_local_path(first: str, second: str) -> bool:
    return os.path.realpath(_abs(first)) == os.path.realpath(_abs(second))


# --- The request -----------------------------------------------------------------------------


def _typed_parameter(name: str, value: str) -> object:
    """`api.FormatParams` for one name/value; raises CreateRequestError with Ollama's text."""
    spec = PARAMETERS.get(name)
    if spec is None:
        raise CreateRequestError(f"unknown parameter '{name}'")
    if spec.kind == "int":
        integer = parse_go_int(value)
        if integer is None:
            raise CreateRequestError(f"invalid int value [{value}]")
        return integer
    if spec.kind == "float":
        number = parse_go_float32(value)
        if number is None:
            raise CreateRequestError(f"invalid float value [{value}]")
        return shortest_float32(number)
    if spec.kind == "bool":
        flag = parse_go_bool(value)
        if flag is None:
            raise CreateRequestError(f"invalid bool value [{value}]")
        return flag
    return [value]


def _go_float_text(value: float) -> str:
    """How Go formats Inf/NaN in `json: unsupported value: …`."""
    if math.isnan(value):
        return "NaN"
    return "+Inf" if value > 0 else "-Inf"


def build_create_request(commands: Iterable[Command], directory: Path | None) -> CreateRequest:
    """Ollama's `Modelfile.CreateRequest(directory)` plus the CLI's base-name file keys.

    `directory` is the Modelfile's folder; None resolves relative names against the working
    directory, as Ollama does for an empty folder. Raises CreateRequestError (first error, in
    command order) or CreateMarshalError (Inf/NaN parameter).
    """
    relative_directory = "" if directory is None else str(directory)
    body: dict[str, object] = {"model": ""}
    warnings: list[str] = []
    local_files: dict[str, Path] = {}
    files: dict[str, str] | None = None
    draft_files: dict[str, str] | None = None
    adapters: dict[str, str] | None = None
    licenses: list[str] = []
    messages: list[dict[str, str]] = []
    parameters: dict[str, object] = {}
    model_paths: list[str] = []
    draft_paths: list[str] = []
    from_name = ""
    strings: dict[str, str] = {}

    try:
        for command in commands:
            name, args = command.name, command.args
            if name in ("model", "draft", "adapter"):
                path = expand_path(args, relative_directory)
                digests = file_digest_map(path)
                if digests is None:
                    if name == "model":
                        from_name = args
                        continue
                    raise CreateRequestError(f"stat {path}: no such file or directory")
                others = draft_paths if name == "model" else model_paths
                if name != "adapter":
                    for other in others:
                        if _same_local_path(path, other):
                            raise CreateRequestError(
                                f"DRAFT must not reference the same local path as FROM: {path}"
                            )
                if name == "model":
                    model_paths.append(path)
                    files = {**(files or {}), **digests}
                elif name == "draft":
                    draft_paths.append(path)
                    draft_files = {**(draft_files or {}), **digests}
                else:
                    adapters = digests
            elif name in ("template", "system", "renderer", "parser"):
                strings[name] = args
            elif name == "license":
                licenses.append(args)
            elif name == "requires":
                requires = args if args.startswith("v") else "v" + args
                if not is_valid_semver(requires):
                    raise CreateRequestError(REQUIRES_ERROR)
                strings["requires"] = requires[1:]
            elif name == "message":
                role, _, content = args.partition(": ")
                messages.append({"role": role, "content": content})
            elif name in DEPRECATED_PARAMETERS:
                warnings.append(f"warning: parameter {name} is deprecated")
            else:
                typed = _typed_parameter(name, args)
                existing = parameters.get(name)
                if isinstance(typed, list) and isinstance(existing, list):
                    existing.extend(typed)
                else:
                    parameters[name] = typed
    except CreateRequestError as error:
        raise CreateRequestError(error.message, warnings=warnings) from None

    for final in (files, adapters, draft_files):
        for file_path, digest in (final or {}).items():
            local_files[digest] = Path(file_path)
    if from_name:
        body["from"] = from_name
    for key, digests in (("files", files), ("adapters", adapters)):
        if digests:
            body[key] = {os.path.basename(path): digest for path, digest in digests.items()}
    if strings.get("template"):
        body["template"] = strings["template"]
    if licenses:
        body["license"] = licenses
    if strings.get("system"):
        body["system"] = strings["system"]
    if parameters:
        body["parameters"] = parameters
    if messages:
        body["messages"] = messages
    for key in ("renderer", "parser", "requires"):
        if strings.get(key):
            body[key] = strings[key]
    if draft_files:
        body["draft_files"] = {
            os.path.basename(path): digest for path, digest in draft_files.items()
        }
    body["name"] = ""

    for key in sorted(parameters):
        value = parameters[key]
        if isinstance(value, float) and not math.isfinite(value):
            raise CreateMarshalError(
                f"json: unsupported value: {_go_float_text(value)}", warnings=warnings
            )
    return CreateRequest(body=body, warnings=tuple(warnings), local_files=local_files)
