"""Go's text/template execution rules beyond the oracle: builtins, fmt, variables, errors."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from modelarium.modelfile.golang.numbers import format_float, json_float
from modelarium.modelfile.golang.strconv import quote, quote_rune
from modelarium.modelfile.gotemplate.exec import ExecError, execute
from modelarium.modelfile.gotemplate.funcs import BUILTINS
from modelarium.modelfile.gotemplate.ollama import ollama_functions
from modelarium.modelfile.gotemplate.tree import TemplateSyntaxError, build
from modelarium.modelfile.gotemplate.values import sprintf, to_json

FUNCTIONS = ollama_functions(date(2026, 1, 2))


def run(template: str, data: Any = None, *, missing_zero: bool = True) -> str:
    return execute(
        build(template), {} if data is None else data, FUNCTIONS, missing_zero=missing_zero
    )


@pytest.mark.parametrize(
    ("template", "output"),
    [
        ("{{ 1 }} {{ 1.5 }} {{ 1e6 }} {{ 0x1F }} {{ 'a' }} {{ true }}", "1 1.5 1e+06 31 97 true"),
        ('{{ "a\\tb" }}|{{ `raw\\n` }}', "a\tb|raw\\n"),
        ('{{ print 1 2 }}|{{ print "a" 1 2 "b" }}|{{ println 1 "a" }}', "1 2|a1 2b|1 a\n"),
        ('{{ printf "%d-%s-%q-%v-%5.1f" 3 "x" "y" .M 2.25 }}', '3-x-"y"-map[a:1]-  2.2'),
        (
            '{{ printf "%d %d" 1 }}|{{ printf "%d" 1 2 }}|{{ printf "%d" "s" }}',
            "1 %!d(MISSING)|1%!(EXTRA int=2)|%!d(string=s)",
        ),
        ('{{ len "héllo" }} {{ len .L }} {{ len .M }}', "6 3 1"),
        ('{{ index .L 1 }} {{ index .M "a" }} {{ index .M "zz" }}', "2 1 <no value>"),
        ('{{ slice .L 1 }} {{ slice .L 0 2 }} {{ slice "abc" 1 2 }}', "[2 3] [1 2] b"),
        ('{{ and 1 0 }} {{ and 1 2 }} {{ or 0 "" }} {{ or 0 "x" }} {{ not .L }}', "0 2  x false"),
        (
            '{{ eq 1 2 3 1 }} {{ ne "a" "b" }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt 1.5 2.5 }} {{'
            ' ge "b" "a" }}',
            "true true true true false true",
        ),
        ('{{ eq .Missing "x" }}', "false"),
        (
            '{{ html "<a href=\'x\'>&" }}|{{ js "it\'s <b>" }}|{{ urlquery "a b&c/é" }}',
            "&lt;a href=&#39;x&#39;&gt;&amp;|it\\'s \\u003Cb\\u003E|a+b%26c%2F%C3%A9",
        ),
        ("{{ range $i, $v := .L }}{{ $i }}={{ $v }};{{ end }}", "0=1;1=2;2=3;"),
        ("{{ range $k, $v := .N }}{{ $k }}={{ $v }};{{ end }}", "a=1;b=2;c=3;"),
        ("{{ range .Empty }}x{{ else }}none{{ end }}", "none"),
        ("{{ range 3 }}{{ . }}{{ end }}", "012"),
        (
            "{{ range .L }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ if eq . 3 }}{{ break"
            " }}{{ end }}{{ . }}{{ end }}",
            "1",
        ),
        ("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ $y := 3 }}{{ end }}{{ $x }}", "2"),
        ("{{ with .Missing }}a{{ else with .M }}{{ .a }}{{ else }}c{{ end }}", "1"),
        ("{{ if .Missing }}a{{ else if .L }}b{{ else }}c{{ end }}", "b"),
        (
            '{{ define "t" }}[{{ . }}]{{ end }}{{ template "t" 5 }}{{ block "b" "x" }}<{{ .'
            " }}>{{ end }}",
            "[5]<x>",
        ),
        ("  a  {{- 1 -}}  b  {{- /* c */ -}}  c", "  a1bc"),
        ("{{ .M }} {{ .L }} {{ .Missing }} {{ $.M.a }}", "map[a:1] [1 2 3] <no value> 1"),
        ("{{ (index .L 0) }} {{ (.M).a }}", "1 1"),
        ('{{ .L | len }} {{ "x" | printf "%s%s" "y" }}', "3 yx"),
        (
            '{{ json .M }} {{ json .Missing }} {{ json "<&>" }}',
            '{"a":1} null "\\u003c\\u0026\\u003e"',
        ),
        (
            "{{ currentDate }} {{ yesterdayDate }} {{ toTypeScriptType 1 }}",
            "2026-01-02 2026-01-01 any",
        ),
    ],
)
def test_execution(template: str, output: str) -> None:
    data = {"M": {"a": 1}, "L": [1, 2, 3], "N": {"c": 3, "a": 1, "b": 2}, "Empty": []}
    assert run(template, data) == output


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (
            "{{ .Missing.Field }}",
            'template: :1:11: executing "" at <.Missing.Field>: nil pointer evaluating'
            " interface {}.Field",
        ),
        (
            "{{ index .L 5 }}",
            'template: :1:3: executing "" at <index .L 5>: error calling index: index out of'
            " range: 5",
        ),
        (
            "{{ index .L 3 }}",
            'template: :1:3: executing "" at <index .L 3>: error calling index: reflect:'
            " slice index out of range",
        ),
        (
            "{{ lt 1 1.5 }}",
            'template: :1:3: executing "" at <lt 1 1.5>: error calling lt: incompatible'
            " types for comparison",
        ),
        (
            "{{ lt .L 1 }}",
            'template: :1:3: executing "" at <lt .L 1>: error calling lt: invalid type for'
            " comparison",
        ),
        (
            "{{ eq 1 }}",
            'template: :1:3: executing "" at <eq 1>: error calling eq: missing argument for'
            " comparison",
        ),
        (
            "{{ len 3 }}",
            'template: :1:3: executing "" at <len 3>: error calling len: len of type int',
        ),
        (
            "{{ not }}",
            'template: :1:3: executing "" at <not>: wrong number of args for not: want 1 got 0',
        ),
        (
            "{{ and }}",
            'template: :1:3: executing "" at <and>: wrong number of args for and: want at'
            " least 1 got 0",
        ),
        (
            "{{ .L.x }}",
            'template: :1:5: executing "" at <.L.x>: can\'t evaluate field x in type'
            " []interface {}",
        ),
        ("{{ nil }}", 'template: :1:3: executing "" at <nil>: nil is not a command'),
        (
            "{{ 1 2 }}",
            'template: :1:3: executing "" at <1>: can\'t give argument to non-function 1',
        ),
        (
            "{{ range .M.f }}{{ end }}",
            'template: :1:9: executing "" at <{{range .M.f}}{{end}}>: range can\'t iterate'
            " over 1.5",
        ),
        (
            '{{ template "x" }}',
            'template: :1:12: executing "" at <{{template "x"}}>: template "x" not defined',
        ),
        (
            "é\n  {{ .Missing.X }}",
            'template: :2:13: executing "" at <.Missing.X>: nil pointer evaluating interface {}.X',
        ),
        (
            '{{ define "d" }}{{ .Missing.X }}{{ end }}{{ template "d" .M }}',
            'template: :1:27: executing "d" at <.Missing.X>: nil pointer evaluating interface {}.X',
        ),
    ],
)
def test_execution_errors(template: str, message: str) -> None:
    data = {"M": {"a": 1, "f": 1.5}, "L": [1, 2, 3]}
    with pytest.raises(ExecError) as raised:
        run(template, data)
    assert str(raised.value) == message


def test_range_over_an_int_counts_from_zero() -> None:
    assert run("{{ range .M.a }}x{{ . }}{{ end }}", {"M": {"a": 2}}) == "x0x1"


def test_missing_key_default_is_not_an_error_on_chains() -> None:
    assert run("{{ .Missing.Field }}", {}, missing_zero=False) == "<no value>"


def test_recursion_stops_with_gos_depth_error() -> None:
    with pytest.raises(ExecError) as raised:
        run('{{ define "a" }}{{ template "a" }}{{ end }}{{ template "a" }}')
    assert "exceeded maximum template depth (100000)" in str(raised.value)


def test_a_template_that_does_not_parse() -> None:
    with pytest.raises(TemplateSyntaxError) as raised:
        build("{{ .Prompt ")
    assert str(raised.value) == "template: :1: unclosed action"


def test_builtins_only_lack_ollamas_functions() -> None:
    with pytest.raises(ExecError) as raised:
        execute(build("{{ json 1 }}"), {}, BUILTINS)
    assert (
        str(raised.value)
        == 'template: :1:3: executing "" at <json>: "json" is not a defined function'
    )


@pytest.mark.parametrize(
    ("value", "text", "json_text"),
    [
        (8192.0, "8192", "8192"),
        (1000000.0, "1e+06", "1000000"),
        (1234567.0, "1.234567e+06", "1234567"),
        (0.0001, "0.0001", "0.0001"),
        (0.00001, "1e-05", "0.00001"),
        (1e-7, "1e-07", "1e-7"),
        (1e21, "1e+21", "1e+21"),
        (-2.5, "-2.5", "-2.5"),
        (1250.5, "1250.5", "1250.5"),
    ],
)
def test_go_floats(value: float, text: str, json_text: str) -> None:
    assert format_float(value) == text
    assert json_float(value) == json_text


def test_sprintf_flags_and_widths() -> None:
    assert sprintf(
        "%-5s|%5s|%05d|%+d|%x|%X|%o|%c|%U|%t|%%", ["a", "b", 42, 3, 255, 255, 8, 65, 0x1F600, True]
    ) == ("a    |    b|00042|+3|ff|FF|10|A|U+1F600|true|%")
    assert sprintf("%.2s|%q|%e|%g|%.3g", ["héllo", "é\n", 1500.0, 0.00001, 3.14159]) == (
        'hé|"é\\n"|1.500000e+03|1e-05|3.14'
    )


def test_json_keeps_go_escaping() -> None:
    assert to_json({"b": [1.0, None], "a": "\u2028<"}) == '{"a":"\\u2028\\u003c","b":[1,null]}'


def test_strconv_quote_above_the_basic_plane() -> None:
    assert quote("\U000e0001") == '"\\U000e0001"'
    assert quote('tab\there "q" \\ \x7f é 🙂') == '"tab\\there \\"q\\" \\\\ \\x7f é 🙂"'
    assert quote("\u200b") == '"\\u200b"'
    assert quote_rune("'") == "'\\''"
    assert quote_rune("\n") == "'\\n'"
