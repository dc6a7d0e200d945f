"""The curated records' say on one model, as the facts the core's rules read: the documented
tool-call styles (KN001) for every model, the warning against greedy decoding (MF106) for
thinking ones. Reading record prose happens here, not in the hosts layer."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import modelarium.ollama.facts as host_facts
from modelarium.knowledge import advice
from modelarium.modelfile import ModelFacts, facts_from_modelfile


def model(name: str, architecture: str, size: str, *capabilities: str) -> ModelFacts:
    return facts_from_modelfile(
        name, "FROM /b\n", architecture=architecture, parameter_size=size,
        capabilities=("completion", *capabilities),
    )  # fmt: skip


def test_tool_call_styles_are_filled_from_the_applying_records() -> None:
    coder = advice.with_tool_call_styles(model("qwen3-coder:30b", "qwen3moe", "30.5B", "tools"))
    assert coder.tool_call_styles == ("xml-function",)
    unknown = advice.with_tool_call_styles(model("nobody/nothing:1b", "unknownarch", "1B"))
    assert unknown.tool_call_styles == ()


def test_styles_already_known_are_kept() -> None:
    facts = replace(model("qwen3-coder:30b", "qwen3moe", "30.5B"), tool_call_styles=("json",))
    assert advice.with_tool_call_styles(facts) is facts


def test_curated_advice_fills_both_facts() -> None:
    thinking = advice.with_curated_advice(model("qwen3:8b", "qwen3", "8.2B", "thinking"))
    assert thinking.greedy_warning is not None and thinking.tool_call_styles is not None
    plain = advice.with_curated_advice(model("qwen3-coder:30b", "qwen3moe", "30.5B", "tools"))
    assert plain.greedy_warning is None and plain.tool_call_styles == ("xml-function",)


def test_the_hosts_layer_reads_no_record_prose() -> None:
    """`greedy_warning` stays importable from `ollama.facts`, but it is the knowledge one."""
    assert host_facts.greedy_warning is advice.greedy_warning
    folder = Path(host_facts.__file__).parent
    for path in folder.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "greedy\\b" not in text and "_AGAINST_GREEDY" not in text, path.name
