"""Ollama's model-name rules: parsing right to left, part validity, the display form."""

from __future__ import annotations

import pytest

from modelarium.ollama.names import (
    ModelName,
    ModelNameError,
    display_name,
    is_valid_model_name,
    parse_model_name,
    same_model,
)


@pytest.mark.parametrize(
    ("raw", "display"),
    [
        ("llama3.2", "llama3.2:latest"),
        ("llama3.2:3b", "llama3.2:3b"),
        ("me/m:v1", "me/m:v1"),
        ("registry.ollama.ai/library/llama3.2:latest", "llama3.2:latest"),
        ("REGISTRY.OLLAMA.AI/LIBRARY/x:1", "x:1"),
        ("example.com/team/m:v1", "example.com/team/m:v1"),
        ("example.com/library/m", "example.com/library/m:latest"),
        ("example.com:5000/team/m:v1", "example.com:5000/team/m:v1"),
        ("https://example.com/team/m:v1", "example.com/team/m:v1"),
        ("_under/m_1.2-x:t_1.2-x", "_under/m_1.2-x:t_1.2-x"),
    ],
)
def test_valid_names_and_display_form(raw: str, display: str) -> None:
    assert is_valid_model_name(raw)
    assert display_name(raw) == display


@pytest.mark.parametrize(
    ("raw", "part"),
    [
        ("", "name"),
        ("a:", "tag"),
        ("/m", "namespace"),
        ("h//m", "namespace"),
        (":tag", "model"),
        ("a/b/c/d", "host"),
        ("ns.x/m", "namespace"),
        ("-m", "model"),
        ("m:-t", "tag"),
        ("m o", "model"),
        ("mödel", "model"),
        ("m" * 81, "model"),
        ("m:" + "t" * 81, "tag"),
        ("h" * 351 + "/n/m", "host"),
        ("ns:x/m", "namespace"),
    ],
)
def test_invalid_names_name_the_bad_part(raw: str, part: str) -> None:
    assert not is_valid_model_name(raw)
    with pytest.raises(ModelNameError) as caught:
        parse_model_name(raw)
    assert raw in str(caught.value) or raw == ""
    assert part in caught.value.reason


def test_length_limits_are_inclusive() -> None:
    assert is_valid_model_name("m" * 80)
    assert is_valid_model_name("m:" + "t" * 80)
    assert is_valid_model_name("h" * 350 + "/n/m")


def test_parts_and_defaults() -> None:
    name = ModelName.parse("example.com:5000/team/m:v1")
    assert (name.host, name.namespace, name.model, name.tag) == (
        "example.com:5000",
        "team",
        "m",
        "v1",
    )
    plain = ModelName.parse("m")
    assert (plain.host, plain.namespace, plain.tag, plain.scheme) == (
        "registry.ollama.ai",
        "library",
        "latest",
        "https",
    )
    assert ModelName.parse("http://h.example/ns/m").scheme == "http"


def test_same_model_is_case_insensitive_with_defaults() -> None:
    assert same_model("LLAMA3.2:3B", "llama3.2:3b")
    assert same_model("llama3.2", "registry.ollama.ai/library/llama3.2:latest")
    assert not same_model("llama3.2", "llama3.2:3b")
    assert not same_model("me/m", "m")
