"""What a FROM value names: an installed model, local files, or a host's weights blob.

Ollama's create decides it by expanding the value as a path (`/` and `\\` through Abs, `~` and
`~user` to home folders, anything else joined to the Modelfile's folder) and looking there: a
value whose path exists is local files, any other value goes to the server raw as `from`, a
model name. A value starting with `/`, `\\`, `~` or `.` is a path form, never a model name the
server accepts. `ollama show --modelfile` prints a GGUF model's weights as the host's blob path
(`…/models/blobs/sha256-<64 hex>`), and older hosts kept `sha256:<hex>` as the parent: those are
blobs, not bases. The details view, `models show --effective`, `models diff --against-base` and
`models rebase` all ask this one rule which model (if any) a model was made FROM.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from modelarium.modelfile.create import CreateRequestError, expand_path, stat_local_path

FromKind = Literal["model", "path", "blob", "none"]

_BLOB = re.compile(r"(?:^@?|[/\\]blobs[/\\])sha256[-:][0-9a-fA-F]{64}$")
"""A weights blob: a host's blob path (`…/blobs/sha256-<hex>`) or a bare digest."""
_PATH_FORMS = ("/", "\\", "~", ".")
"""Prefixes of values create always reads as paths (Abs, home folders, the Modelfile folder)."""


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


def from_base(value: str, *, directory: Path | None = None) -> FromBase:
    """What the FROM `value` names, as Ollama's create decides it.

    With `directory` (the Modelfile's folder) a name that exists there is local files, as
    create finds it; without one (a host's `parent_model` or printed Modelfile, which no folder
    belongs to) only the path forms and blobs are told from names. A path create cannot even
    stat (an unknown `~user`, no permission) is still a path: create reads it as one and fails.
    """
    if not value.strip():
        return FromBase("none", value)
    if _BLOB.search(value.strip()):
        return FromBase("blob", value)
    if value.startswith(_PATH_FORMS):
        return FromBase("path", value)
    if directory is not None:
        try:
            found = stat_local_path(expand_path(value, str(directory)))
        except CreateRequestError:
            return FromBase("path", value)
        if found is not None:
            return FromBase("path", value)
    return FromBase("model", value)
