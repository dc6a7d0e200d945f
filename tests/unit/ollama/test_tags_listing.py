"""`/api/tags` read entry by entry gives what reading it whole gives."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelarium.ollama.types import model_summary, tags_summaries

ENTRY = {
    "name": "qwen3:8b",
    "model": "qwen3:8b",
    "modified_at": "2026-11-01T10:00:00Z",
    "size": 5_200_000_000,
    "digest": "a" * 64,
    "details": {
        "format": "gguf",
        "family": "qwen3",
        "families": ["qwen3"],
        "parameter_size": "8.2B",
        "quantization_level": "Q4_K_M",
    },
    "capabilities": ["completion", "tools"],
}


def whole(body: str) -> tuple[object, ...]:
    """The listing as `json.loads` reads it (the rule the client had)."""
    data = json.loads(body)
    models = data.get("models") or []
    return tuple(model_summary("h", entry) for entry in models if isinstance(entry, dict))


texts = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12)
entries = st.fixed_dictionaries(
    {"name": texts, "size": st.integers(0, 2**40), "digest": texts},
    optional={
        "details": st.fixed_dictionaries({}, optional={"family": texts, "format": texts}),
        "capabilities": st.lists(texts, max_size=3),
        "x": st.recursive(
            st.none() | st.booleans() | texts, lambda inner: st.lists(inner, max_size=2)
        ),
    },
)


@given(
    st.lists(entries | st.integers() | st.none(), max_size=6),
    st.sampled_from([None, 0, 2, "\t"]),
    st.booleans(),
)
def test_entry_by_entry_reads_what_a_whole_parse_reads(
    models: list[object], indent: int | str | None, extra_first: bool
) -> None:
    document: dict[str, object] = {"after": {"models": [1]}} if extra_first else {}
    document["models"] = models
    body = json.dumps(document, indent=indent, ensure_ascii=bool(indent))
    assert tags_summaries("h", body) == whole(body)
    assert tags_summaries("h", body.encode()) == whole(body)


@pytest.mark.parametrize(
    "body",
    [
        '{"models": null}',
        "{}",
        " { } ",
        '{"models": []}',
        '{"other": "[", "models": [ ]}',
        '{"models": [1, "x", null]}',
        json.dumps({"models": [ENTRY, ENTRY]}),
        # A later duplicate key wins, as in json.loads.
        '{"models": [{"name": "a"}], "models": [{"name": "b"}]}',
        '{"models": [{"name": "a"}], "models": null}',
    ],
)
def test_edge_shapes_read_as_json_loads_reads_them(body: str) -> None:
    assert tags_summaries("h", body) == whole(body)


@pytest.mark.parametrize(
    "body",
    [
        "[]",
        "",
        '{"models": {}}',
        '{"models": "x"}',
        '{"models": [1 2]}',
        '{"models": [1,]}',
        '{"models": []} trailing',
        '{"models": [] "x": 1}',
        '{"models" []}',
        "{1: 2}",
        "not json",
    ],
)
def test_what_is_not_a_model_list_is_refused(body: str) -> None:
    with pytest.raises(ValueError):
        tags_summaries("h", body)
