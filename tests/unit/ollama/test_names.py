"""Ollama's model-name rules: parsing right to left, part validity, the display form."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modelarium.ollama.names import (
    ModelName,
    ModelNameError,
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
    assert ModelName.parse(raw).is_valid
    assert parse_model_name(raw).display == display


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
    assert not ModelName.parse(raw).is_valid
    with pytest.raises(ModelNameError) as caught:
        parse_model_name(raw)
    assert raw in str(caught.value) or raw == ""
    assert part in caught.value.reason


def test_length_limits_are_inclusive() -> None:
    assert ModelName.parse("m" * 80).is_valid
    assert ModelName.parse("m:" + "t" * 80).is_valid
    assert ModelName.parse("h" * 350 + "/n/m").is_valid


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


# A literal port of Ollama's ParseNameBare/Merge/IsValid (types/model/name.go), as an oracle.
_GO_MISSING = "!MISSING!"


def _go_cut_promised(text: str, separator: str) -> tuple[str, str, bool]:
    index = text.rfind(separator)
    if index < 0:
        return text, "", False
    before, after = text[:index], text[index + len(separator) :]
    return before or _GO_MISSING, after or _GO_MISSING, True


def _go_parse(raw: str) -> tuple[str, str, str, str]:
    host = namespace = model = tag = ""
    text = raw
    if text.rfind(":") > text.rfind("/"):
        text, tag, _ = _go_cut_promised(text, ":")
    text, model, promised = _go_cut_promised(text, "/")
    if not promised:
        model = text
    else:
        text, namespace, promised = _go_cut_promised(text, "/")
        if not promised:
            namespace = text
        else:
            scheme, separator, rest = text.partition("://")
            host = rest if separator else scheme
    return (host or "registry.ollama.ai", namespace or "library", model, tag or "latest")


def _go_valid_part(kind: str, text: str) -> bool:
    limit = 350 if kind == "host" else 80
    data = text.encode("utf-8")
    if not 1 <= len(data) <= limit:
        return False
    for index, byte in enumerate(data):
        char = chr(byte)
        alnum = char.isascii() and (char.isalnum() or char == "_")
        if index == 0:
            if not alnum:
                return False
        elif char in "_-":
            continue
        elif char == ".":
            if kind == "namespace":
                return False
        elif char == ":":
            if kind != "host":
                return False
        elif not alnum:
            return False
    return True


def _go_display(parts: tuple[str, str, str, str]) -> str:
    host, namespace, model, tag = parts
    if host.lower() != "registry.ollama.ai":
        return f"{host}/{namespace}/{model}:{tag}"
    if namespace.lower() != "library":
        return f"{namespace}/{model}:{tag}"
    return f"{model}:{tag}"


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="aB1_-.:/ Éh@", max_size=16))
def test_parse_agrees_with_ollamas_algorithm(raw: str) -> None:
    parts = _go_parse(raw)
    kinds = ("host", "namespace", "model", "tag")
    go_valid = all(_go_valid_part(kind, part) for kind, part in zip(kinds, parts, strict=True))
    name = ModelName.parse(raw)
    assert name.is_valid == go_valid, (raw, parts, name)
    if go_valid:
        assert name.display == _go_display(parts)
        assert (name.host, name.namespace, name.model, name.tag) == parts


@pytest.mark.parametrize("raw", ["https:///ns/m", "://ns/m", "http://h:1/ns/m:t", "a/b:c/d"])
def test_scheme_edge_cases_follow_ollama(raw: str) -> None:
    test_parse_agrees_with_ollamas_algorithm.hypothesis.inner_test(raw)  # type: ignore[attr-defined]
