"""Go's `text/template` parse errors, word for word, as Ollama's create reports them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modelarium.modelfile.template import (
    GO_BUILTIN_FUNCTIONS,
    OLLAMA_FUNCTIONS,
    TEMPLATE_FUNCTIONS,
    check_template,
    create_error,
)


def _server_error(template: str) -> str | None:
    problem = check_template(template).error
    return problem.server_error if problem is not None else None


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ .Prompt", "template: :1: unclosed action"),
        ("{{ if .X }}\nx\n", "template: :3: unexpected EOF"),
        ("{{ end }}", "template: :1: unexpected {{end}}"),
        ("\n\n{{ else }}", "template: :3: unexpected {{else}}"),
        ("{{ x .Y }}", 'template: :1: function "x" not defined'),
        ("{{ $x }}", 'template: :1: undefined variable "$x"'),
        ('{{ "abc }}', "template: :1: unterminated quoted string"),
        ("{{/* c", "template: :1: unclosed comment"),
        ("{{ if }}{{ end }}", "template: :1: missing value for if"),
        ("{{}}", "template: :1: missing value for command"),
        ("{{ break }}", "template: :1: {{break}} outside {{range}}"),
        ("{{ range $i, $m := .M }}{{ end }}{{ $m }}", 'template: :1: undefined variable "$m"'),
        # Go's lexer and parser beyond the common mistakes
        ("{{ .Prompt\n", "template: :2: unclosed action started at :1"),
        ("{{ .X | 1 }}", "template: :1: non executable command in pipeline stage 2"),
        (
            "{{ if .A }}a{{ else }}b{{ else }}c{{ end }}",
            "template: :1: expected end; found {{else}}",
        ),
        (
            '{{ define "t" }}{{ else }}{{ end }}',
            "template: :1: unexpected {{else}} in define clause",
        ),
        ("{{ .X! }}", "template: :1: bad character U+0021 '!'"),
        ("{{ $x=1 }}", "template: :1: bad character U+003D '='"),
        ("{{ (.X }}", "template: :1: unclosed left paren"),
        ("{{ .X) }}", "template: :1: unexpected right paren"),
        ("{{ /* not a comment */ }}", 'template: :1: unexpected "/" in command'),
        ("{{ .X /* no */ }}", 'template: :1: unexpected "/" in operand'),
        ("{{ range .M }}{{ break 1 }}{{ end }}", 'template: :1: unexpected "1" in {{break}}'),
        ("{{ if .X }}{{ end .Y }}", 'template: :1: unexpected ".Y" in end'),
        ("{{ range .M }}{{ else if .X }}{{ end }}", "template: :1: unexpected <if> in input"),
        ("{{/* c */ x}}", "template: :1: comment ends before closing delimiter"),
        ("{{ `raw", "template: :1: unterminated raw quoted string"),
        ("{{ 'a }}", "template: :1: unterminated character constant"),
        ("{{ 1xy }}", 'template: :1: bad number syntax: "1x"'),
        ("{{ a:b }}", 'template: :1: function "a" not defined'),
        ("{{ .X := 1 }}", 'template: :1: unexpected ":=" in operand'),
        ("{{ .X := }}", 'template: :1: unexpected ":=" in operand'),
        ('{{ .X"a" }}', "template: :1: bad character U+0022 '\"'"),
        ("{{ . .X }}{{ .X. }}", "template: :1: unexpected <.> in operand"),
        ('{{ "a".X }}', 'template: :1: unexpected . after term "\\"a\\""'),
        ("{{ range $a, $b, $c := .M }}{{ end }}", "template: :1: too many declarations in range"),
        ("{{ if $a, $b := .M }}{{ end }}", "template: :1: too many declarations in if"),
        ("{{ template .X }}", 'template: :1: unexpected ".X" in template clause'),
        ('{{ "a\\q" }}', "template: :1: invalid syntax"),
        ("{{ .X }}\n{{ if .Y }}\n\n{{ with .Z }}{{ end }}", "template: :4: unexpected EOF"),
        ("{{ if .X }}\r\n\r\n", "template: :3: unexpected EOF"),
    ],
)
def test_template_errors_in_go_words(template: str, message: str) -> None:
    assert _server_error(template) == message
    assert create_error(template) == f"template error: {message}"


@pytest.mark.parametrize(
    "template",
    [
        "{{- /* comment */ -}}{{ .Prompt }}",
        "{{/* a\nmulti-line comment */}}{{ .Prompt }}",
        "{{ range $i, $m := .Messages }}{{ if eq $m.Role `user` }}{{ $i }}{{ end }}{{ end }}",
        '{{ $x := 1 }}{{ $x = 2 }}{{ printf "%d" $x | len }}',
        "{{ with .Tools }}{{ json . }}{{ else }}none{{ end }}",
        "{{ if .A }}a{{ else if .B }}b{{ else }}c{{ end }}",
        "{{ with .A }}a{{ else with .B }}b{{ end }}",
        "{{ currentDate }} {{ (index .Messages 0).Content }}",
        '{{ define "x" }}{{ .Prompt }}{{ end }}{{ template "x" . }}',
        '{{ block "b" . }}{{ .System }}{{ end }}',
        "{{ range .Messages }}{{ if .X }}{{ continue }}{{ end }}{{ break }}{{ end }}",
        "{{ range $i, $_ := .Messages }}{{ $last := eq (len (slice $.Messages $i)) 1 }}{{ end }}",
        "{{ .X\n}}{{\n.Y }}",
        "{{ 1.5e3 }}{{ 0x1F }}{{ -2 }}{{ 'a' }}{{ '\\n' }}{{ 1+2i }}{{ nil | print }}",
        "{{ toTypeScriptType .Parameters }}{{ yesterdayDate }}{{ true }}",
        "{{- .Prompt -}}\n{{ .Response }}",
        "}} stray closing braces are text",
    ],
)
def test_templates_ollama_accepts(template: str) -> None:
    assert _server_error(template) is None
    assert create_error(template) is None


def test_function_names_follow_ollamas_func_map() -> None:
    assert {"json", "currentDate", "yesterdayDate", "toTypeScriptType"} == OLLAMA_FUNCTIONS
    assert TEMPLATE_FUNCTIONS == GO_BUILTIN_FUNCTIONS | OLLAMA_FUNCTIONS
    for name in sorted(TEMPLATE_FUNCTIONS):
        assert _server_error(f"{{{{ {name} }}}}") is None, name
    # Go's own `text/template` knows only its builtins: `json` is Ollama's addition.
    assert (
        check_template("{{ json . }}", functions=GO_BUILTIN_FUNCTIONS).problems[0].server_error
        == 'template: :1: function "json" not defined'
    )


def test_the_error_line_counts_line_feeds_and_the_span_points_at_the_culprit() -> None:
    text = "a\rb\n{{ nope }}"
    problem = check_template(text).problems[0]
    assert problem.go_line == 2  # Go counts "\n" only
    assert (problem.line, problem.column) == (3, 1)  # the editor also ends a line at "\r"
    assert text[problem.offset : problem.end_offset] == "{{ nope }}"


def test_unexpected_eof_points_at_the_innermost_open_block() -> None:
    text = "{{ if .A }}\n{{ range .B }}x{{ end }}\n  {{- with .C -}}\ny"
    problem = check_template(text).problems[0]
    assert problem.server_error == "template: :4: unexpected EOF"
    assert text[problem.offset : problem.end_offset] == "{{- with .C -}}"
    assert problem.message == "{{with}} opened here has no {{end}}"


def test_only_the_first_error_is_reported_as_go_does() -> None:
    check = check_template("{{ nope }}{{ end }}{{ if .X }}")
    assert [problem.reason for problem in check.problems] == ['function "nope" not defined']


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=list("{}-/*$.|()=:,'\"` \n\r\tabiferngdwthoc0123456789_!é\x00"), max_size=60)
)
def test_never_raises_and_spans_stay_inside_the_text(template: str) -> None:
    check = check_template(template)
    for problem in check.problems:
        assert 0 <= problem.offset <= problem.end_offset <= len(template)
        assert problem.server_error.startswith("template: :")


def test_very_deep_nesting_is_not_a_crash() -> None:
    deep = "{{ if .X }}" * 600 + "{{ end }}" * 600
    assert check_template(deep).problems == ()
    assert check_template("{{ if .X }}" * 3 + "{{ end }}" * 3 + "{{ end }}").problems
