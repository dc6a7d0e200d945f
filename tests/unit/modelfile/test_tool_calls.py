"""KN001 in the core: which tool-call style a TEMPLATE asks for, and the model-aware rule that
compares it with `ModelFacts.tool_call_styles` (the styles the curated records document, filled
in by the hosts layer), with no knowledge record read here."""

from __future__ import annotations

from dataclasses import replace

import pytest

from modelarium.modelfile import (
    TOOL_CALL_CODE,
    ModelFacts,
    check_against_model,
    facts_from_modelfile,
    tool_call_mismatch,
    tool_call_style,
)
from modelarium.modelfile.model_rules import MODEL_RULES, TOOL_CALL_RULE

HERMES = '{{ if .Tools }}<tool_call>{"name": "f", "arguments": {}}</tool_call>{{ end }}'
XML = "{{ if .Tools }}<tool_call>\n<function={{ .Name }}>{{ end }}{{ .Prompt }}"


@pytest.mark.parametrize(
    ("template", "style"),
    [
        (HERMES, "hermes-json"),
        (XML, "xml-function"),
        ("{{ .Tools }}[TOOL_CALLS][{...}]", "mistral-json-list"),
        ("{{ .Tools }}[TOOL_CALLS]name[ARGS]{}", "mistral-name-args"),
        ("{{ .Tools }} [func_name1(a=1)]", "pythonic-list"),
        ('{{ .ToolCalls }} {"name": function name, "parameters": {}}', "json"),
        ("{{ .Tools }} plain", None),
        ("<tool_call>{{ .Prompt }}", None),  # no tools rendered: no style asked for
    ],
)
def test_tool_call_style(template: str, style: str | None) -> None:
    assert tool_call_style(template) == style


def test_a_mismatch_says_what_is_asked_and_what_is_documented() -> None:
    found = tool_call_mismatch(HERMES, ["xml-function", "json", "xml-function"], model="m:1b")
    assert found is not None
    assert (found.style, found.documented) == ("hermes-json", ("json", "xml-function"))
    assert found.message == (
        "m:1b: the TEMPLATE asks for hermes-json tool calls, but this model documents "
        "json or xml-function; tool calls may not be parsed"
    )
    assert tool_call_mismatch(HERMES, ["hermes-json"]) is None
    assert tool_call_mismatch(HERMES, []) is None
    assert tool_call_mismatch("{{ .Prompt }}", ["xml-function"]) is None


def coder(template: str, styles: tuple[str, ...] | None = ("xml-function",)) -> ModelFacts:
    facts = facts_from_modelfile(
        "qwen3-coder:30b", "FROM /blobs/sha256-x\n", capabilities=("completion", "tools"),
        template=template,
    )  # fmt: skip
    return replace(facts, tool_call_styles=styles)


def kn001(text: str, facts: ModelFacts) -> list[tuple[int, int, int, int, str]]:
    return [
        (d.line, d.column, d.end_line, d.end_column, d.severity)
        for d in check_against_model(text, facts)
        if d.code == TOOL_CALL_CODE
    ]


def test_an_own_template_is_reported_at_its_line() -> None:
    last = f'TEMPLATE """{HERMES}"""'
    text = f'FROM qwen3-coder:30b\nTEMPLATE """{XML}"""\n{last}\n'
    assert kn001(text, coder(XML)) == [(4, 1, 4, len(last) + 1, "warning")]


def test_an_inherited_template_is_reported_at_the_first_from() -> None:
    text = "FROM qwen3-coder:30b\nFROM other\n"
    assert kn001(text, coder(HERMES)) == [(1, 1, 1, 21, "warning")]
    assert kn001(text, coder(XML)) == []


@pytest.mark.parametrize(
    "facts",
    [
        coder(HERMES, None),  # not looked up: the rule does not run
        coder(HERMES, ()),  # nothing documented
        replace(coder(HERMES), renderer="qwen3-coder"),  # the host renders, no TEMPLATE used
        coder(""),  # no TEMPLATE at all
    ],
)
def test_quiet_when_a_side_is_unknown_or_the_template_is_not_used(facts: ModelFacts) -> None:
    assert kn001("FROM qwen3-coder:30b\n", facts) == []


def test_kn001_stays_out_of_the_mf1xx_list() -> None:
    assert TOOL_CALL_CODE == TOOL_CALL_RULE.code == "KN001"
    assert TOOL_CALL_CODE not in MODEL_RULES


def test_a_leading_bom_moves_nothing() -> None:
    """Positions are the BOM-less text's, as for every other model-aware rule."""
    text = "FROM qwen3-coder:30b\nFROM other\n"
    assert kn001("\ufeff" + text, coder(HERMES)) == kn001(text, coder(HERMES))
