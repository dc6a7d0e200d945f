"""KN001 joins the model-aware lint: the effective TEMPLATE's tool-call style against the one
the curated knowledge documents for the FROM model (editor and `lint --host` alike)."""

from __future__ import annotations

from modelarium.modelfile.model_facts import ModelFacts, facts_from_modelfile
from modelarium.ollama.model_check import model_diagnostics
from tests.unit.knowledge.test_toolcall import HERMES

XML = "{{ if .Tools }}<tool_call>\n<function={{ .Name }}>{{ end }}{{ .Prompt }}"


def coder(template: str) -> ModelFacts:
    return facts_from_modelfile(
        "qwen3-coder:30b",
        "FROM /blobs/sha256-x\n",
        architecture="qwen3moe",
        parameter_size="30.5B",
        capabilities=("completion", "tools"),
        template=template,
    )


def test_an_own_template_in_another_style_is_reported_at_its_line() -> None:
    facts = coder(XML)
    text = f'FROM qwen3-coder:30b\nPARAMETER temperature 0.7\nTEMPLATE """{HERMES}"""\n'
    found = [d for d in model_diagnostics(text, facts) if d.code == "KN001"]
    assert len(found) == 1 and found[0].line == 3 and found[0].severity == "warning"
    assert "xml-function" in found[0].message


def test_an_inherited_template_is_reported_at_from_and_a_matching_one_is_quiet() -> None:
    inherited = model_diagnostics("FROM qwen3-coder:30b\n", coder(HERMES))
    assert [(d.code, d.line) for d in inherited] == [("KN001", 1)]
    assert model_diagnostics("FROM qwen3-coder:30b\n", coder(XML)) == []
