"""Name handling the demo server needs on top of `modelarium.ollama.names` (the one copy of
Ollama's parse/validate/display rules): the manifest path of a name and source suffixes.
"""

from __future__ import annotations

from modelarium.model_names import split_tag
from modelarium.ollama.names import ModelName


def parse_name(raw: str) -> ModelName:
    """Parse `raw` like Ollama's `ParseName` (check `is_valid` on the result)."""
    return ModelName.parse(raw)


def manifest_path(name: ModelName) -> str:
    """The manifest's path below the models directory: `manifests/<host>/<ns>/<model>/<tag>`."""
    return f"manifests/{name.host}/{name.namespace}/{name.model}/{name.tag}"


class SourceSuffixError(ValueError):
    """A name that asks for both the local and the cloud copy of a model."""


def strip_source_suffix(raw: str) -> tuple[str, bool]:
    """Remove a final `:local`; return the name and whether it refers to a cloud model.

    Raises `SourceSuffixError` with Ollama's text when both `:local` and `:cloud` are present.
    """
    is_local = raw.lower().endswith(":local")
    base = raw[: -len(":local")] if is_local else raw
    tag = (split_tag(base)[1] or "").lower()
    is_cloud = tag == "cloud" or tag.endswith("-cloud")
    if is_local and is_cloud:
        raise SourceSuffixError(f'use either :local or :cloud, not both: "{raw}"')
    return base, is_cloud


__all__ = ["ModelName", "SourceSuffixError", "manifest_path", "parse_name", "strip_source_suffix"]
