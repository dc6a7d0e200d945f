"""render_prompt: Ollama's data shapes, collate, the legacy cut, request errors, properties."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelarium.modelfile.prompt import (
    TemplateError,
    TemplateExecError,
    TemplateParseError,
    TemplateRequestError,
    render_prompt,
    template_variables,
    uses_messages,
)

CHAT = {"messages": [{"role": "user", "content": "Hi"}]}


def test_errors_share_a_base_and_carry_gos_text() -> None:
    assert issubclass(TemplateParseError, TemplateError)
    assert issubclass(TemplateExecError, TemplateError)
    with pytest.raises(TemplateParseError, match=r"^template: :1: unclosed action$"):
        render_prompt("{{ .Prompt ", CHAT)


def test_legacy_template_runs_once_per_turn_and_cuts_after_response() -> None:
    template = "[{{ .System }}|{{ .Prompt }}|{{ .Response }}]END"
    request = {
        "messages": [
            {"role": "system", "content": "S"},
            {"role": "user", "content": "U1"},
            {"role": "assistant", "content": "A1"},
            {"role": "tool", "content": "dropped"},
            {"role": "user", "content": "U2"},
        ]
    }
    assert render_prompt(template, request) == "[S|U1|A1]END[|U2|"


def test_legacy_template_without_response_gets_one_appended() -> None:
    assert template_variables("{{ .Prompt }}") == frozenset({"prompt", "response"})
    request = {
        "messages": [
            {"role": "user", "content": "a"},
            {"role": "assistant", "content": "b"},
            {"role": "user", "content": "c"},
        ]
    }
    assert render_prompt("<{{ .Prompt }}>", request) == "<a>b<c>"


def test_legacy_last_turn_has_no_ollama_functions() -> None:
    with pytest.raises(TemplateExecError, match='"json" is not a defined function'):
        render_prompt("{{ json .Prompt }}{{ .Response }}", CHAT)


def test_messages_path_collates_system_and_same_role_messages() -> None:
    template = "{{ .System }}|{{ range .Messages }}{{ .Role }}:{{ .Content }};{{ end }}"
    request = {
        "messages": [
            {"role": "system", "content": "A"},
            {"role": "system", "content": "B"},
            {"role": "user", "content": "u1"},
            {"role": "user", "content": "u2"},
            {"role": "tool", "content": "t1"},
            {"role": "tool", "content": "t2"},
        ]
    }
    assert render_prompt(template, request) == (
        "A\n\nB|system:A\n\nB;user:u1\n\nu2;tool:t1;tool:t2;"
    )
    assert uses_messages(template)


def test_model_system_and_history_as_ollamas_chat_handler_applies_them() -> None:
    template = "{{ range .Messages }}{{ .Role }}={{ .Content }} {{ end }}"
    history = [{"role": "user", "content": "h"}, {"role": "assistant", "content": "r"}]
    assert render_prompt(template, CHAT, system="S", history=history) == (
        "system=S user=h assistant=r user=Hi "
    )
    own = {"messages": [{"role": "system", "content": "mine"}, {"role": "user", "content": "x"}]}
    assert render_prompt(template, own, system="S") == "system=mine user=x "


def test_generate_request_becomes_messages_and_fim_uses_prompt_and_suffix() -> None:
    template = (
        "{{ if .Suffix }}<PRE>{{ .Prompt }}<SUF>{{ .Suffix }}<MID>{{ else }}"
        "{{ range .Messages }}{{ .Role }}:{{ .Content }} {{ end }}{{ end }}"
    )
    assert render_prompt(template, {"prompt": "p", "system": "s"}) == "system:s user:p "
    assert render_prompt(template, {"prompt": "a", "suffix": "b"}) == "<PRE>a<SUF>b<MID>"


def test_think_values() -> None:
    template = "{{ .Think }}/{{ .ThinkLevel }}/{{ .IsThinkSet }}{{ range .Messages }}{{ end }}"
    assert render_prompt(template, CHAT) == "false//false"
    assert render_prompt(template, {**CHAT, "think": True}) == "true/medium/true"
    assert render_prompt(template, {**CHAT, "think": False}) == "false//true"
    assert render_prompt(template, {**CHAT, "think": "low"}) == "true/low/true"
    with pytest.raises(TemplateRequestError):
        render_prompt(template, {**CHAT, "think": "maximum"})


def test_tool_calls_and_tools_print_as_json() -> None:
    template = (
        "{{ .Tools }}|{{ range .Messages }}{{ range .ToolCalls }}{{ .Function.Arguments }}"
        "/{{ json .Function.Arguments }}{{ end }}{{ end }}"
    )
    request = {
        "messages": [
            {
                "role": "assistant",
                "content": "",
                "tool_calls": [
                    {"function": {"name": "f", "arguments": {}}},
                    {"function": {"name": "g", "arguments": {"b": 1, "a": {"d": 2, "c": "<"}}}},
                ],
            }
        ]
    }
    assert render_prompt(template, request) == (
        'null|{}/null{"a":{"c":"\\u003c","d":2},"b":1}/{"a":{"c":"\\u003c","d":2},"b":1}'
    )


def test_images_and_json_of_messages_use_go_field_names() -> None:
    template = "{{ json .Messages }}|{{ range .Messages }}{{ .Images }}{{ end }}"
    request = {"messages": [{"role": "user", "content": "c", "images": ["aW1nMA=="]}]}
    assert render_prompt(template, request) == (
        '[{"Role":"user","Content":"c","Thinking":"","Images":["aW1nMA=="],"ToolCalls":null,'
        '"ToolName":"","ToolCallID":""}]|[[105 109 103 48]]'
    )


def test_current_date_is_injectable() -> None:
    template = "{{ currentDate }}{{ range .Messages }}{{ end }}"
    assert render_prompt(template, CHAT, today=date(2024, 2, 29)) == "2024-02-29"


@pytest.mark.parametrize(
    "request_body",
    [
        {"messages": "hello"},
        {"messages": [{"role": 1}]},
        {"messages": [{"role": "user", "images": ["not base64!"]}]},
        {"tools": [{"function": {"parameters": {"properties": {"a": {"type": 3}}}}}]},
        {"messages": [{"role": "assistant", "tool_calls": [{"function": {"arguments": []}}]}]},
    ],
)
def test_requests_ollama_would_not_decode(request_body: dict[str, Any]) -> None:
    with pytest.raises(TemplateRequestError):
        render_prompt("{{ range .Messages }}{{ end }}", request_body)


# ---------------------------------------------------------------------------------------------
# Hypothesis: templates from a grammar, arbitrary requests

_FIELDS = st.sampled_from(
    [
        ".Messages",
        ".System",
        ".Prompt",
        ".Response",
        ".Tools",
        ".Missing",
        ".Role",
        ".Content",
        ".ToolCalls",
        ".Function.Arguments",
        ".Function.Name",
        ".Think",
        ".Images",
        "$",
        "$.Messages",
        ".",
        ".Function.Parameters.Properties",
        ".Suffix",
    ]
)
_LITERALS = st.sampled_from(['"x"', "1", "0", "2.5", "true", "nil", "'a'", '"%d %s"', "-1"])
_FUNCTIONS = st.sampled_from(
    [
        "len",
        "index",
        "slice",
        "eq",
        "ne",
        "lt",
        "gt",
        "le",
        "ge",
        "and",
        "or",
        "not",
        "print",
        "printf",
        "println",
        "json",
        "html",
        "js",
        "urlquery",
        "toTypeScriptType",
        "currentDate",
        "call",
    ]
)


def _operands() -> st.SearchStrategy[str]:
    return st.one_of(_FIELDS, _LITERALS)


_PIPELINES = st.one_of(
    _operands(),
    st.builds(lambda f, args: " ".join([f, *args]), _FUNCTIONS, st.lists(_operands(), max_size=3)),
    st.builds(lambda f, a, g: f"{a} | {g}", _FUNCTIONS, _operands(), _FUNCTIONS),
    st.builds(lambda f, a: f"({f} {a}).Role", _FUNCTIONS, _operands()),
)


def _templates() -> st.SearchStrategy[str]:
    text = st.sampled_from(["", "a", " ", "\n", "<|im_start|>", "{", "}"])
    action = st.builds(
        lambda p, left, right: f"{{{{{left}{p}{right}}}}}",
        _PIPELINES,
        st.sampled_from([" ", "- ", ""]),
        st.sampled_from([" ", " -", ""]),
    )

    def blocks(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        body = st.lists(inner, max_size=3).map("".join)
        return st.one_of(
            st.builds(
                lambda p, a, b: f"{{{{ if {p} }}}}{a}{{{{ else }}}}{b}{{{{ end }}}}",
                _PIPELINES,
                body,
                body,
            ),
            st.builds(lambda p, a: f"{{{{ with {p} }}}}{a}{{{{ end }}}}", _PIPELINES, body),
            st.builds(
                lambda p, a, b: (
                    f"{{{{ range $i, $v := {p} }}}}{a}{{{{ if $i }}}}{{{{ break }}}}{{{{ end }}}}"
                    f"{{{{ continue }}}}{{{{ else }}}}{b}{{{{ end }}}}"
                ),
                _PIPELINES,
                body,
                body,
            ),
            st.builds(
                lambda p, a: f'{{{{ define "t" }}}}{a}{{{{ end }}}}{{{{ template "t" {p} }}}}',
                _PIPELINES,
                body,
            ),
            st.builds(
                lambda p, a: f"{{{{ $x := {p} }}}}{a}{{{{ $x = 1 }}}}{{{{ $x }}}}", _PIPELINES, body
            ),
        )

    piece = st.recursive(st.one_of(text, action, st.just("{{/* c */}}")), blocks, max_leaves=8)
    return st.lists(piece, max_size=6).map("".join)


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-10, 10)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
_MESSAGE = st.fixed_dictionaries(
    {
        "role": st.sampled_from(["system", "user", "assistant", "tool"]),
        "content": st.text(max_size=8),
    },
    optional={
        "thinking": st.text(max_size=4),
        "images": st.lists(st.sampled_from(["aW1nMA==", "", "!!"]), max_size=2),
        "tool_calls": st.lists(
            st.fixed_dictionaries(
                {
                    "function": st.fixed_dictionaries(
                        {"name": st.text(max_size=4)},
                        optional={
                            "arguments": st.dictionaries(st.text(max_size=3), _JSON, max_size=3)
                        },
                    )
                }
            ),
            max_size=2,
        ),
        "tool_name": st.text(max_size=3),
    },
)
_TOOL = st.fixed_dictionaries(
    {
        "type": st.just("function"),
        "function": st.fixed_dictionaries(
            {
                "name": st.text(max_size=4),
                "parameters": st.fixed_dictionaries(
                    {
                        "type": st.just("object"),
                        "properties": st.dictionaries(
                            st.text(max_size=3),
                            st.fixed_dictionaries(
                                {},
                                optional={
                                    "type": st.sampled_from(
                                        ["string", "integer", "array", "object"]
                                    )
                                    | st.lists(st.sampled_from(["string", "null"]), max_size=2),
                                    "description": st.text(max_size=4),
                                    "enum": st.lists(_JSON, max_size=2),
                                    "items": _JSON,
                                    "properties": st.dictionaries(
                                        st.text(max_size=3), st.just({"type": "string"}), max_size=2
                                    ),
                                },
                            ),
                            max_size=3,
                        ),
                    }
                ),
            }
        ),
    }
)
_REQUESTS = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "messages": st.lists(_MESSAGE, max_size=5),
            "tools": st.lists(_TOOL, max_size=2),
            "think": st.sampled_from([True, False, "high", "low", "medium", "extreme"]),
        },
    ),
    st.fixed_dictionaries(
        {"prompt": st.text(max_size=6)},
        optional={"suffix": st.text(max_size=6), "system": st.text(max_size=4)},
    ),
    st.dictionaries(
        st.sampled_from(["messages", "tools", "think", "prompt", "suffix", "images"]),
        _JSON,
        max_size=3,
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(template=_templates(), request_body=_REQUESTS)
def test_rendering_raises_only_template_errors_and_is_deterministic(
    template: str, request_body: dict[str, Any]
) -> None:
    outcomes = []
    for _ in range(2):
        try:
            outcomes.append(("ok", render_prompt(template, request_body, today=date(2025, 1, 1))))
        except TemplateError as error:
            outcomes.append((type(error).__name__, str(error)))
    assert outcomes[0] == outcomes[1]


def test_absurd_nesting_is_a_template_error_not_a_crash() -> None:
    template = "{{ if 1 }}" * 2000 + "x" + "{{ end }}" * 2000
    with pytest.raises(TemplateParseError, match="too deep for this preview"):
        render_prompt(template, CHAT)
