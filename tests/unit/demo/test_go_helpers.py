"""The demo host's Go look-alikes: number formatting, quoting, JSON, GGUF, names; seed templates."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelarium.demo.gguf import GGUFError, read_header
from modelarium.demo.gojson import (
    GoJSONError,
    decode_first_value,
    go_dumps,
    go_format_number,
    go_format_value,
    go_quote,
)
from modelarium.demo.names import SourceSuffixError, strip_source_suffix
from modelarium.demo.seed import _templates
from modelarium.modelfile.template import check_template
from tests.gguf_files import write_header


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (8192, "8192"), (131072, "131072"), (500000, "500000"), (1000000, "1e+06"),
        (1234567, "1.234567e+06"), (1.5e6, "1.5e+06"), (0.95, "0.95"), (0.0001, "0.0001"),
        (0.00001, "1e-05"), (1e21, "1e+21"), (-2, "-2"), (1048576, "1.048576e+06"),
        (262144, "262144"), (0.7, "0.7"), (1.0, "1"), (-0.5, "-0.5"), (1e100, "1e+100"),
    ],
)  # fmt: skip
def test_go_percent_v_of_float64(value: float, text: str) -> None:
    assert go_format_number(value) == text


def test_go_percent_v_of_other_values() -> None:
    assert go_format_value(True) == "true"
    assert go_format_value(False) == "false"
    assert go_format_value("<|eot_id|>") == "<|eot_id|>"


def test_go_quote() -> None:
    assert go_quote('say "hi"\n\tnow\\') == '"say \\"hi\\"\\n\\tnow\\\\"'
    assert go_quote("é<|im_end|>") == '"é<|im_end|>"'
    assert go_quote("\x01\x7f") == '"\\x01\\x7f"'


def test_go_json_floats_and_escapes() -> None:
    encoded = go_dumps({"eps": 1e-05, "tiny": 1e-07, "big": 1e21, "whole": 4096.0, "s": "<a&b>"})
    assert encoded == (
        '{"eps":0.00001,"tiny":1e-7,"big":1e+21,"whole":4096,"s":"\\u003ca\\u0026b\\u003e"}'
    )


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text()
        | st.floats(allow_nan=False, allow_infinity=False),
        lambda children: st.lists(children) | st.dictionaries(st.text(), children),
        max_leaves=20,
    )
)  # fmt: skip
def test_go_json_decodes_back_to_the_same_value(value: object) -> None:
    decoded = json.loads(go_dumps(value))
    assert _same(decoded, value)


def _same(left: object, right: object) -> bool:
    if isinstance(right, float):
        return isinstance(left, int | float) and math.isclose(left, right, rel_tol=0, abs_tol=0)
    if isinstance(right, list):
        return isinstance(left, list) and len(left) == len(right) and all(
            _same(a, b) for a, b in zip(left, right, strict=True)
        )  # fmt: skip
    if isinstance(right, dict):
        return isinstance(left, dict) and left.keys() == right.keys() and all(
            _same(left[key], right[key]) for key in right
        )  # fmt: skip
    return left == right


def test_decoder_rejects_what_go_rejects() -> None:
    for body, message in (
        (b'{"a": NaN}', "invalid character 'N' looking for beginning of value"),
        (b'{"a": "\\x"}', "invalid character 'x' in string escape code"),
        (b'{"a": 1e}', "invalid character '}' in exponent of numeric literal"),
        (b"{,}", "invalid character ',' looking for beginning of object key string"),
        (b'{"a":1,}', "invalid character '}' looking for beginning of object key string"),
    ):
        with pytest.raises(GoJSONError) as raised:
            decode_first_value(body)
        assert str(raised.value) == message


def test_every_seed_template_passes_the_go_template_check() -> None:
    for key, template in _templates().items():
        assert check_template(template).problems == (), key
        assert template, key


def test_gguf_header_round_trip() -> None:
    metadata = {
        "general.architecture": "llama",
        "general.parameter_count": 8_030_261_312,
        "llama.rope.freq_base": 500000.0,
        "tokenizer.ggml.tokens": ["<s>", "</s>"],
        "flag": True,
    }
    header = read_header(write_header(metadata, [("output.weight", [4096, 128256], 14)]))
    assert header.version == 3
    assert header.metadata == metadata
    assert header.tensors == [{"name": "output.weight", "type": "Q6_K", "shape": [4096, 128256]}]
    with pytest.raises(GGUFError):
        read_header(b"GGUF\x03\x00")
    with pytest.raises(GGUFError):
        read_header(b"not gguf at all")


def test_source_suffixes() -> None:
    assert strip_source_suffix("qwen3:8b:local") == ("qwen3:8b", False)
    assert strip_source_suffix("gpt-oss:120b-cloud") == ("gpt-oss:120b-cloud", True)
    assert strip_source_suffix("me/m:cloud") == ("me/m:cloud", True)
    # A registry's port is not a tag: only the part after the last `/` can carry `:cloud`.
    assert strip_source_suffix("registry.local:5000/ns/model:tag") == (
        "registry.local:5000/ns/model:tag",
        False,
    )
    assert strip_source_suffix("registry.local:5000/ns/model:v1-cloud") == (
        "registry.local:5000/ns/model:v1-cloud",
        True,
    )
    with pytest.raises(SourceSuffixError) as raised:
        strip_source_suffix("m:cloud:LOCAL")
    assert str(raised.value) == 'use either :local or :cloud, not both: "m:cloud:LOCAL"'
