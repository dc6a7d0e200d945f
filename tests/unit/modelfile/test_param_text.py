"""PARAMETER values written and read by the parameter's kind (the catalogue's one rule)."""

from __future__ import annotations

import pytest

from modelarium.modelfile import parameter_text, parameter_value_text
from modelarium.modelfile.create import CreateRequestError, build_create_request
from modelarium.modelfile.parser import parse


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("top_k", 20.0, "20"),
        ("top_k", 20, "20"),
        ("num_ctx", 131072.0, "131072"),
        ("seed", 1e6, "1000000"),
        ("num_predict", -1.0, "-1"),
        ("temperature", 1.0, "1"),
        ("temperature", 0.6, "0.6"),
        ("top_p", 0.95, "0.95"),
        ("min_p", 0.0, "0"),
        ("min_p", 1e-05, "1e-05"),
        ("use_mmap", True, "true"),
        ("stop", "<|im_end|>", "<|im_end|>"),
    ],
)
def test_json_values_become_the_text_their_kind_needs(
    name: str, value: object, expected: str
) -> None:
    assert parameter_text(name, value) == expected


def test_whole_floats_of_int_parameters_become_valid_for_create() -> None:
    """`top_k 20.0` is refused by create (`invalid int value [20.0]`); the rule's text is not."""
    with pytest.raises(CreateRequestError, match=r"invalid int value \[20\.0\]"):
        build_create_request(parse("FROM base\nPARAMETER top_k 20.0\n"), None)
    text = f"FROM base\nPARAMETER top_k {parameter_text('top_k', 20.0)}\n"
    assert build_create_request(parse(text), None).body["parameters"] == {"top_k": 20}


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("seed", "1e+06", "1000000"),
        ("top_k", "20.0", "20"),
        ("num_ctx", "8192.5", "8192.5"),
        ("temperature", "0.7", "0.7"),
        ("stop", "1e+06", "1e+06"),
        ("custom_knob", "1e+06", "1e+06"),
    ],
)
def test_show_text_is_typed_back(name: str, text: str, expected: str) -> None:
    assert parameter_value_text(name, text) == expected
