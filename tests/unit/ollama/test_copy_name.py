"""The copy dialog's default name: the model part gets `-copy`, host, namespace and tag stay
(splitting at the first `:` used to cut a registry's port: `registry.local-copy:5000/...`)."""

from __future__ import annotations

import pytest

from modelarium.ollama.names import ModelName, copy_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("llama3.2", "llama3.2-copy:latest"),
        ("llama3.2:3b", "llama3.2-copy:3b"),
        ("me/m:v1", "me/m-copy:v1"),
        ("registry.local:5000/ns/model:tag", "registry.local:5000/ns/model-copy:tag"),
        ("registry.local:5000/ns/model", "registry.local:5000/ns/model-copy:latest"),
        ("hf.co/bartowski/Qwen2.5-GGUF:Q4_K_M", "hf.co/bartowski/Qwen2.5-GGUF-copy:Q4_K_M"),
    ],
)
def test_the_copy_keeps_registry_namespace_and_tag(name: str, expected: str) -> None:
    assert copy_name(name) == expected
    assert ModelName.parse(copy_name(name)).is_valid
