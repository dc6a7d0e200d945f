"""Tool-call format per family: a TEMPLATE asking for another style than the family documents
is reported (Hermes JSON on Qwen3-Coder, which uses XML function calls)."""

from __future__ import annotations

import json
from importlib import resources

from modelarium.knowledge.match import ModelFacts
from modelarium.knowledge.records import load_records
from modelarium.knowledge.toolcall import CODE, diagnose, template_style


def demo_template(key: str) -> str:
    text = resources.files("modelarium.demo").joinpath("seed_templates.json").read_text("utf-8")
    template: str = json.loads(text)["templates"][key]["template"]
    return template


HERMES = demo_template("qwen3")


def test_template_styles() -> None:
    assert template_style(HERMES) == "hermes-json"
    assert template_style(demo_template("mistral-small")) == "mistral-json-list"
    assert template_style(demo_template("llama3.1")) == "json"
    assert template_style("{{ .Prompt }}") is None
    xml = "{{ if .Tools }}<tool_call>\n<function={{ .Name }}>{{ end }}"
    assert template_style(xml) == "xml-function"


def test_hermes_json_on_qwen3_coder_is_reported() -> None:
    facts = ModelFacts("qwen3-coder:30b", parameter_size="30.5B", template=HERMES)
    [finding] = diagnose(load_records(), facts)
    assert finding.code == CODE and finding.severity == "warning"
    assert finding.template_style == "hermes-json" and finding.documented == ("xml-function",)
    assert "qwen3-coder:30b" in finding.message and "xml-function" in finding.message
    assert finding.record_ids == (
        "qwen-qwen3-coder-30b-a3b-instruct-tools-tool-call-format-non-thinking-ollama",
    )
    assert finding.to_json()["code"] == CODE


def test_matching_styles_and_unknowns_are_quiet() -> None:
    qwen3 = ModelFacts("qwen3:8b", parameter_size="8.2B", template=HERMES)
    assert diagnose(load_records(), qwen3) == []
    # Ollama's llama3.2 template asks for JSON although Meta documents pythonic calls: the
    # Ollama record documents the template's style, so nothing is reported.
    llama = ModelFacts("llama3.2:3b", parameter_size="3.2B", template=demo_template("llama3.2"))
    assert diagnose(load_records(), llama) == []
    no_template = ModelFacts("qwen3-coder:30b", parameter_size="30.5B")
    assert diagnose(load_records(), no_template) == []


def test_a_from_name_alone_is_enough_for_a_modelfile_check() -> None:
    """What lint's model-aware rules can do without a host: FROM qwen3-coder:30b + TEMPLATE."""
    from modelarium.knowledge.match import select
    from modelarium.knowledge.toolcall import check_tool_calls

    applying = select(load_records(), ModelFacts("qwen3-coder:30b"))
    [finding] = check_tool_calls(HERMES, applying, model="qwen3-coder:30b")
    assert finding.documented == ("xml-function",)
    assert check_tool_calls(HERMES, select(load_records(), ModelFacts("qwen3:8b"))) == []


def test_the_cores_model_facts_feed_the_matcher() -> None:
    """Lint's model-aware rules hold the core's facts of the FROM model: one call converts them."""
    from modelarium.knowledge.match import facts_from_core
    from modelarium.modelfile.model_facts import facts_from_modelfile

    core = facts_from_modelfile(
        "qwen3-coder:30b",
        "FROM /blobs/sha256-x\nPARAMETER temperature 0.7\nPARAMETER stop <|im_end|>\n",
        architecture="qwen3moe",
        parameter_size="30.5B",
        capabilities=("completion", "tools"),
        template=HERMES,
        host_version="0.33.0",
    )
    facts = facts_from_core(core)
    assert facts.parameters == (("temperature", "0.7"),)
    assert facts.ollama_version == "0.33.0" and not facts.thinks
    [finding] = diagnose(load_records(), facts)
    assert finding.documented == ("xml-function",)
