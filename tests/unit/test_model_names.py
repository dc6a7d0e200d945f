"""The pure name split used below the hosts layer agrees with `ModelName`'s, for any name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelarium.model_names import model_and_tag, split_tag
from modelarium.ollama.names import DEFAULT_TAG, ModelName


@pytest.mark.parametrize(
    ("name", "rest", "tag"),
    [
        ("qwen3:8b", "qwen3", "8b"),
        ("qwen3", "qwen3", None),
        ("registry.local:5000/ns/model:tag", "registry.local:5000/ns/model", "tag"),
        ("registry.local:5000/ns/model", "registry.local:5000/ns/model", None),
        ("m:", "m", ""),
        (":t", "", "t"),
    ],
)
def test_split_tag(name: str, rest: str, tag: str | None) -> None:
    assert split_tag(name) == (rest, tag)


def test_model_and_tag_of_a_registry_name() -> None:
    assert model_and_tag("registry.local:5000/ns/model:tag") == ("model", "tag")
    assert model_and_tag("registry.local:5000/ns/model") == ("model", "")
    assert model_and_tag("llama3.2") == ("llama3.2", "")


_PART = st.text(alphabet="ab0_.-:", min_size=1, max_size=6)


@given(st.lists(_PART, min_size=1, max_size=4).map("/".join), st.none() | _PART)
def test_the_split_matches_model_name(path: str, tag: str | None) -> None:
    name = path if tag is None else f"{path}:{tag}"
    parsed = ModelName.parse(name)
    _, found = split_tag(name)
    assert parsed.tag == (DEFAULT_TAG if found is None else found)
    if parsed.model:  # `/m`-style names leave a part missing; ModelName marks them invalid
        assert model_and_tag(name) == (parsed.model, found or "")
