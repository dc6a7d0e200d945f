"""The parameter catalogue agrees with Ollama's create behaviour and the oracle."""

from __future__ import annotations

from typing import get_args

import pytest

from modelarium.modelfile.commands import Command
from modelarium.modelfile.create import CreateRequestError, build_create_request
from modelarium.modelfile.params import (
    DEPRECATED_PARAMETERS,
    PARAMETERS,
    ParameterGroup,
    ParameterKind,
    parameter_spec,
)
from tests.conftest import load_oracle_cases

SAMPLE_VALUES = {"int": "7", "float": "0.5", "bool": "true", "string_list": "<|end|>"}
EXPECTED_TYPES = {"int": int, "float": float, "bool": bool, "string_list": list}


def test_catalogue_names() -> None:
    assert list(PARAMETERS) == [
        "num_ctx",
        "num_batch",
        "num_gpu",
        "main_gpu",
        "use_mmap",
        "num_thread",
        "draft_num_predict",
        "num_keep",
        "seed",
        "num_predict",
        "top_k",
        "top_p",
        "min_p",
        "typical_p",
        "repeat_last_n",
        "temperature",
        "repeat_penalty",
        "presence_penalty",
        "frequency_penalty",
        "stop",
    ]
    assert list(DEPRECATED_PARAMETERS) == [
        "penalize_newline",
        "low_vram",
        "f16_kv",
        "logits_all",
        "vocab_only",
        "use_mlock",
        "mirostat",
        "mirostat_tau",
        "mirostat_eta",
    ]


def test_every_oracle_parameter_is_in_the_catalogue() -> None:
    for case in load_oracle_cases():
        for name in case["expect"].get("params", {}):
            assert name in PARAMETERS


@pytest.mark.parametrize("name", list(PARAMETERS))
def test_each_parameter_is_typed_as_its_kind(name: str) -> None:
    spec = PARAMETERS[name]
    assert spec.name == name and not spec.deprecated
    assert spec.kind in get_args(ParameterKind)
    assert spec.group in get_args(ParameterGroup)
    assert spec.description
    if spec.minimum is not None and spec.maximum is not None:
        assert spec.minimum <= spec.maximum
    if spec.default is not None and spec.kind != "string_list":
        assert isinstance(spec.default, EXPECTED_TYPES[spec.kind])
    body = build_create_request(
        [Command("model", "x"), Command(name, SAMPLE_VALUES[spec.kind])], None
    ).body
    parameters = body["parameters"]
    assert isinstance(parameters, dict)
    assert isinstance(parameters[name], EXPECTED_TYPES[spec.kind])


@pytest.mark.parametrize("name", list(PARAMETERS))
def test_each_typed_parameter_refuses_text(name: str) -> None:
    if PARAMETERS[name].kind == "string_list":
        return
    with pytest.raises(CreateRequestError, match=r"^invalid (int|float|bool) value \[words\]$"):
        build_create_request([Command("model", "x"), Command(name, "words")], None)


@pytest.mark.parametrize("name", list(DEPRECATED_PARAMETERS))
def test_deprecated_parameters_are_skipped_with_a_warning(name: str) -> None:
    assert DEPRECATED_PARAMETERS[name].deprecated
    request = build_create_request([Command("model", "x"), Command(name, "anything")], None)
    assert "parameters" not in request.body
    assert request.warnings == (f"warning: parameter {name} is deprecated",)


def test_ranges_used_by_the_linter() -> None:
    assert PARAMETERS["temperature"].minimum == 0
    for name in ("top_p", "min_p", "typical_p"):
        assert (PARAMETERS[name].minimum, PARAMETERS[name].maximum) == (0, 1)
    assert PARAMETERS["num_ctx"].minimum == 0


def test_parameter_spec_lookup_is_case_sensitive() -> None:
    assert parameter_spec("temperature") is PARAMETERS["temperature"]
    assert parameter_spec("mirostat") is DEPRECATED_PARAMETERS["mirostat"]
    assert parameter_spec("Temperature") is None
    assert parameter_spec("tfs_z") is None
