"""The split of an Ollama model name that code below the hosts layer needs.

`modelarium.ollama.names.ModelName` parses and validates whole names, but the knowledge base
and the library sit below (or beside) `ollama` and may not import it. They only need the
split, so it lives here, pure: the tag is what follows the last `:` after the last `/` (a
registry's port, as in `registry.local:5000/ns/m:v1`, is never a tag) and the model is the
last `/` part before it. `tests/unit/test_model_names.py` holds this to `ModelName`'s split.
"""

from __future__ import annotations


def split_tag(name: str) -> tuple[str, str | None]:
    """(the name without its tag, the tag or None when there is none), as `ModelName` splits:
    `registry.local:5000/ns/m:v1` -> (`registry.local:5000/ns/m`, `v1`); `m` -> (`m`, None)."""
    if name.rfind(":") > name.rfind("/"):
        rest, _, tag = name.rpartition(":")
        return rest, tag
    return name, None


def model_and_tag(name: str) -> tuple[str, str]:
    """(model part, tag or "" when none) of a name, without scheme, host or namespace:
    `registry.local:5000/ns/qwen3:8b` -> (`qwen3`, `8b`)."""
    rest, tag = split_tag(name)
    return rest.rpartition("/")[2], tag or ""


def suggested_name(base: str, use_case: str) -> str:
    """A new model's name made from its base's: `qwen2.5-coder-code:7b` for base
    `qwen2.5-coder:7b` and use case code (the wizard's, and the save dialog's with `custom`)."""
    repository, tag = model_and_tag(base)  # a registry's port is never the tag
    return f"{repository}-{use_case}:{tag}" if tag else f"{repository}-{use_case}"
