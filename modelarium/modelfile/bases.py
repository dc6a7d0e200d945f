"""What a FROM value names: an installed model, local files, or a host's weights blob.

Ollama's create decides it by expanding the value as a path (`/` and `\\` through Abs, `~` and
`~user` to home folders, anything else joined to the Modelfile's folder) and looking there: a
value whose path exists is local files, any other value goes to the server raw as `from`, a
model name. A value starting with `/`, `\\`, `~` or `.` is a path form, never a model name the
server accepts; nor is one holding a `\\` or starting with a drive (`C:`), a Windows path (no
model name holds either). With no folder to look in, a weights file name (`.gguf`, `.bin`,
`.safetensors`) is read as the file it names too. `ollama show --modelfile` prints a GGUF
model's weights as the host's blob path (`…/models/blobs/sha256-<64 hex>`), and older hosts
kept `sha256:<hex>` as the parent: those are blobs, not bases. The editor's model-aware checks,
`modelfile lint --host`, the details view, `models show --effective`, `models diff
--against-base`, `models rebase` and the show-to-elements extraction all ask these rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from modelarium.modelfile.create import CreateRequestError, expand_path, stat_local_path
from modelarium.modelfile.parser import ParsedCommand, ParseOutcome

FromKind = Literal["model", "path", "blob", "none"]

_BLOB_PATH = re.compile(r"(?:^|[/\\])blobs[/\\]sha256[-:][0-9a-fA-F]{64}$")
"""A host's blob path: `…/blobs/sha256-<64 hex>` (`sha256:` on older hosts)."""
_DIGEST = re.compile(r"^@?sha256[-:][0-9a-fA-F]{64}$")
"""A bare weights digest, as older hosts kept a model's parent."""
_PATH_FORMS = ("/", "\\", "~", ".")
"""Prefixes of values create always reads as paths (Abs, home folders, the Modelfile folder)."""
_DRIVE = re.compile(r"^[A-Za-z]:[/\\]")
"""A Windows drive path (`C:\\m.gguf`, `C:/m.gguf`)."""
_WEIGHTS_SUFFIXES = (".gguf", ".bin", ".safetensors")
"""Weights file names: read as files when no folder says whether they exist."""


@dataclass(frozen=True, slots=True)
class FromBase:
    """One FROM value and what it names."""

    kind: FromKind
    """`model` (an installed model by name), `path` (local files), `blob` (a host's weights
    blob), `none` (empty)."""
    value: str
    """The value as given (create sends it raw when it names a model)."""

    @property
    def model(self) -> str | None:
        """The model name when the value names one, else None."""
        return self.value if self.kind == "model" else None


def is_blob_path(value: str) -> bool:
    """Whether a FROM/ADAPTER/DRAFT value is a blob file of a host's models folder: what
    `ollama show --modelfile` prints for weights, which re-creating on another host cannot
    read."""
    return bool(_BLOB_PATH.search(value.strip()))


def _windows_path(value: str) -> bool:
    return "\\" in value or bool(_DRIVE.match(value))


def from_base(value: str, *, directory: Path | None = None) -> FromBase:
    """What the FROM `value` names, as Ollama's create decides it.

    With `directory` (the Modelfile's folder) a name that exists there is local files, as
    create finds it; without one (a host's `parent_model` or printed Modelfile, which no folder
    belongs to, or the editor's text) only the path forms, Windows paths, weights file names
    and blobs are told from names. A path create cannot even stat (an unknown `~user`, no
    permission) is still a path: create reads it as one and fails.
    """
    stripped = value.strip()
    if not stripped:
        return FromBase("none", value)
    if is_blob_path(stripped) or _DIGEST.match(stripped):
        return FromBase("blob", value)
    if value.startswith(_PATH_FORMS) or _windows_path(value):
        return FromBase("path", value)
    if directory is None:
        if value.lower().endswith(_WEIGHTS_SUFFIXES):
            return FromBase("path", value)
    else:
        try:
            found = stat_local_path(expand_path(value, str(directory)))
        except CreateRequestError:
            return FromBase("path", value)
        if found is not None:
            return FromBase("path", value)
    return FromBase("model", value)


def from_commands(outcome: ParseOutcome) -> tuple[ParsedCommand, ...]:
    """The FROM commands a scan read, in order (those before a parse error count: an editor's
    half-typed text still starts from them)."""
    return tuple(parsed for parsed in outcome.commands if parsed.command.name == "model")
