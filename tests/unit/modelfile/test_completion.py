"""Completion contexts: keywords, PARAMETER names and boolean values, MESSAGE roles, FROM
models, template fields and actions; plus the offset contract on arbitrary text."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given
from hypothesis import strategies as st

from modelarium.modelfile.commands import INSTRUCTIONS
from modelarium.modelfile.completion import Completion, complete
from modelarium.modelfile.params import DEPRECATED_PARAMETERS, PARAMETERS


def _at_end(text: str, model_names: Sequence[str] = ()) -> Completion:
    found = complete(text, len(text), model_names=model_names)
    assert found is not None, text
    return found


def _labels(found: Completion) -> list[str]:
    return [item.label for item in found.items]


def test_empty_line_offers_the_eleven_instructions_with_details() -> None:
    found = _at_end("")
    assert _labels(found) == [name.upper() for name in INSTRUCTIONS]
    assert len(found.items) == 11
    assert all(item.detail for item in found.items)
    assert (found.start, found.end) == (0, 0)


def test_partial_keyword_is_filtered_case_insensitively() -> None:
    text = "FROM llama3\n  par"
    found = _at_end(text)
    assert _labels(found) == ["PARSER", "PARAMETER"]  # INSTRUCTIONS order
    assert text[found.start : found.end] == "par"


def test_the_whole_word_around_the_cursor_is_replaced() -> None:
    text = "FROM x\nPARAMxyz"
    found = complete(text, len("FROM x\nPARA"))
    assert found is not None
    assert _labels(found) == ["PARAMETER"]
    assert text[found.start : found.end] == "PARAMxyz"


def test_parameter_names_with_type_default_and_deprecated_last() -> None:
    found = _at_end("FROM x\nPARAMETER ")
    labels = _labels(found)
    assert labels == [*PARAMETERS, *DEPRECATED_PARAMETERS]
    by_label = {item.label: item.detail for item in found.items}
    assert by_label["temperature"] == "float, default 0.8: sampling temperature"
    assert by_label["mirostat"].startswith("deprecated")
    assert not by_label["top_k"].startswith("deprecated")


def test_partial_parameter_name() -> None:
    text = "PARAMETER TEM"
    found = _at_end(text)
    assert _labels(found) == ["temperature"]
    assert text[found.start : found.end] == "TEM"
    assert found.items[0].insert_text == "temperature"
    assert _labels(_at_end("parameter num_")) == [
        "num_ctx",
        "num_batch",
        "num_gpu",
        "num_thread",
        "num_keep",
        "num_predict",
    ]


def test_boolean_parameter_values() -> None:
    assert _labels(_at_end("PARAMETER use_mmap ")) == ["true", "false"]
    assert _labels(_at_end("PARAMETER use_mmap F")) == ["false"]
    assert complete("PARAMETER temperature ", 22) is None  # not a boolean
    assert complete("PARAMETER nonsense ", 19) is None


def test_message_roles() -> None:
    assert _labels(_at_end("MESSAGE ")) == ["system", "user", "assistant"]
    text = "message  US hello"
    found = complete(text, len("message  US"))
    assert found is not None
    assert _labels(found) == ["user"]
    assert text[found.start : found.end] == "US"


def test_from_offers_the_callers_model_names() -> None:
    names = ["llama3.1:8b", "qwen2.5-coder:7b", "library/llama3:latest", "llama3.1:8b"]
    assert _labels(_at_end("FROM ", names)) == names[:3]
    text = "FROM LLAMA3.1:8b"
    found = complete(text, len("FROM LLA"), model_names=names)
    assert found is not None
    assert _labels(found) == ["llama3.1:8b"]
    assert text[found.start : found.end] == "LLAMA3.1:8b"
    assert complete("FROM ", 5) is None  # no names known


def test_template_fields_inside_an_action() -> None:
    text = 'FROM x\nTEMPLATE """{{ if .Sys'
    found = _at_end(text)
    assert _labels(found) == [".System"]
    assert text[found.start : found.end] == ".Sys"
    fields = _labels(_at_end('TEMPLATE """\n{{ range .Messages }}{{ .'))
    for field in (".Role", ".Content", ".ToolCalls", ".Function.Name", ".Think", ".IsThinkSet"):
        assert field in fields
    assert "if" not in fields  # a typed dot asks for fields only
    assert _labels(_at_end("TEMPLATE {{ .Function.A")) == [".Function.Arguments"]


def test_template_actions_and_fields_without_a_dot() -> None:
    labels = _labels(_at_end('TEMPLATE """{{ '))
    assert {"if", "range", "else", "end", "with", "json", ".Prompt"} <= set(labels)
    assert _labels(_at_end('TEMPLATE """{{- ra')) == ["range"]
    assert _labels(_at_end('TEMPLATE "{{ pro')) == [".Prompt"]


def test_template_text_outside_actions_offers_nothing() -> None:
    assert complete('TEMPLATE """{{ .Prompt }} PAR', 29) is None
    assert complete('TEMPLATE """\nPAR', 16) is None
    assert complete('SYSTEM """\nPARAMETER tem', 24) is None


def test_closed_template_returns_to_instructions() -> None:
    text = 'TEMPLATE """{{ .Prompt }}"""\nPARAMETER tem'
    assert _labels(_at_end(text)) == ["temperature"]
    assert complete('SYSTEM """\nhi\n"""\nMESS', 21) is not None


def test_no_context_returns_none() -> None:
    assert complete("SYSTEM hello wor", 16) is None
    assert complete("# PARAM", 7) is None
    assert complete("FROM x\nXYZ", 10) is None


@given(
    st.text(alphabet=st.sampled_from(list('PARMETESYFOLX{}.$"\n\r \t#abc')), max_size=60), st.data()
)
def test_never_raises_and_the_span_holds_the_cursor(text: str, data: st.DataObject) -> None:
    offset = data.draw(st.integers(min_value=-3, max_value=len(text) + 3))
    found = complete(text, offset, model_names=("m:1",))
    if found is not None:
        cursor = min(max(offset, 0), len(text))
        assert 0 <= found.start <= cursor <= found.end <= len(text)
        assert found.items


@given(st.text(max_size=80), st.integers(min_value=0, max_value=80))
def test_arbitrary_text_never_raises(text: str, offset: int) -> None:
    offset = min(offset, len(text))
    found = complete(text, offset)
    if found is not None:
        assert 0 <= found.start <= offset <= found.end <= len(text)
