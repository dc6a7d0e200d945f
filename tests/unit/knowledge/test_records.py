"""The packaged knowledge: 195 v2 records plus v1's Gemma, Phi and DeepSeek records converted."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from modelarium.knowledge.records import (
    KnowledgeError,
    check_references,
    load_records,
    parse_records,
)


def test_every_packaged_record_loads_with_a_unique_id() -> None:
    records = load_records()
    assert len(records) == 195 + 31
    assert len({record.id for record in records}) == len(records)
    families = Counter(record.family for record in records)
    assert {"llama", "mistral", "qwen", "granite", "all", "gemma", "phi", "deepseek"} == set(
        families
    )


def test_v1_records_of_other_families_keep_their_origin_and_are_marked_not_reverified() -> None:
    others = [r for r in load_records() if r.family in ("gemma", "phi", "deepseek")]
    assert len(others) == 31
    for record in others:
        assert record.source.quote is None and record.verified_on is None
        assert "not re-verified" in record.note
    by_id = {record.id: record for record in others}
    shipped = by_id["gemma-gemma3-1b-general-sampling-ollama"]
    assert shipped.origin == "ollama-shipped" and shipped.values == {"temperature": 0.1}
    assert shipped.ollama_tags == ("gemma3:1b",) and shipped.conditions.sizes == ("1B",)
    thinking = by_id["deepseek-deepseek-ai-deepseek-r1-thinking-sampling-community"]
    assert thinking.origin == "community" and thinking.conditions.mode == "thinking"
    assert thinking.source.fetchable


def test_v2_records_carry_conditions_quotes_and_links() -> None:
    by_id = {record.id: record for record in load_records()}
    small = by_id["qwen-qwen3-5-0-8b-general-sampling-thinking-community"]
    assert small.conditions.sizes == ("0.8B", "2B") and small.conditions.mode == "thinking"
    assert small.source.quote and "temperature=1.0" in small.source.quote
    old = by_id["all-ollama-server-general-engine-default-pre-0-32-10"]
    assert old.superseded_by == "all-ollama-server-general-engine-default-0-33"
    assert old.conditions.runtime == "ollama<0.32.10" and old.numbers["repeat_penalty"] == 1.1
    assert sum(1 for record in by_id.values() if record.pairs_with) == 29


def _document(**changes: object) -> str:
    record: dict[str, object] = {
        "id": "qwen-x-general-sampling",
        "family": "qwen",
        "model": "X",
        "ollama_tags": [],
        "conditions": {"mode": None, "sizes": None, "variant": None, "task": None, "runtime": None},
        "kind": "sampling",
        "values": {"temperature": 0.7},
        "origin": "vendor-recommendation",
        "source": {"where": "https://example.invalid", "quote": "t=0.7", "retrieved": "2026-12"},
        "verified_on": None,
        "superseded_by": None,
        "pairs_with": None,
        "note": "",
    }
    record.update(changes)
    return json.dumps({"schema_version": 2, "records": [record]})


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"id": "Not A Slug"}, "id is not a slug"),
        ({"kind": "recipe"}, "unknown kind 'recipe'"),
        ({"origin": "rumour"}, "unknown origin 'rumour'"),
        ({"values": {"temperature": "hot"}}, "sampling values must be an object of numbers"),
        ({"values": {"style": "smoke"}, "kind": "tool_call_format"}, "known style"),
    ],
)
def test_a_record_off_the_schema_is_refused_by_file_and_id(
    changes: dict[str, object], reason: str
) -> None:
    with pytest.raises(KnowledgeError) as caught:
        parse_records(_document(**changes), "mine.json")
    assert str(caught.value).startswith("mine.json: record ")
    assert reason in str(caught.value)


def test_links_must_name_records() -> None:
    records = parse_records(_document(superseded_by="qwen-y"), "mine.json")
    with pytest.raises(KnowledgeError, match="superseded_by names unknown qwen-y"):
        check_references(records)
