"""The Go template checker used by lint: structure errors with positions, fields used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modelarium.modelfile.template import check_template, literal_text

FAMILY_SETTINGS = Path(__file__).parents[2] / "fixtures" / "modelfiles"


def _messages(text: str) -> list[str]:
    return [problem.message for problem in check_template(text).problems]


def test_valid_template_has_no_problems_and_lists_fields() -> None:
    check = check_template(
        "{{- if .System }}{{ .System }}{{ end }}{{ range $i, $m := .Messages }}"
        '{{ if eq $m.Role "user" }}{{ .Content }}{{ else if .ToolCalls }}x{{ else }}y'
        "{{ end }}{{ end }}"
    )
    assert check.problems == ()
    assert {"System", "Messages", "Content", "ToolCalls"} <= check.fields
    assert "$m" in check.variables
    assert check.uses_tools


def test_strings_and_comments_do_not_count_as_fields() -> None:
    check = check_template('{{/* .Hidden */}}{{ print ".NotAField" }}{{ .Prompt }}')
    assert check.fields == frozenset({"Prompt"})
    assert not check.uses_tools


def test_unclosed_action_points_at_its_opening() -> None:
    problems = check_template("line one\nabc {{ .Prompt\n").problems
    assert len(problems) == 1
    assert problems[0].message.startswith("unclosed action")
    assert (problems[0].line, problems[0].column) == (2, 5)


@pytest.mark.parametrize("keyword", ["if .System", "range .Messages", "with .Tools", 'define "x"'])
def test_block_without_end(keyword: str) -> None:
    problems = check_template(f"a\n{{{{ {keyword} }}}}body").problems
    assert len(problems) == 1
    assert "has no {{end}}" in problems[0].message
    assert (problems[0].line, problems[0].column) == (2, 1)


def test_stray_end_and_else() -> None:
    assert _messages("x{{ end }}") == ["unexpected {{end}}: no block is open"]
    assert _messages("{{ else }}") == ["unexpected {{else}}: not inside if, range or with"]
    assert _messages('{{ define "t" }}{{ else }}{{ end }}') == [
        "unexpected {{else}}: not inside if, range or with"
    ]


def test_break_and_continue_need_a_range() -> None:
    assert _messages("{{ break }}") == ["{{break}} outside {{range}}"]
    assert _messages("{{ if .X }}{{ continue }}{{ end }}") == ["{{continue}} outside {{range}}"]
    assert _messages("{{ range .M }}{{ if .X }}{{ break }}{{ end }}{{ end }}") == []


def test_empty_action_and_unterminated_string() -> None:
    assert _messages("{{ }}") == ["missing value for command: empty action {{ }}"]
    assert _messages('{{ eq .Role "user }}\n') == [
        "unterminated string: this {{ has no matching }}"
    ]


def test_trim_markers_and_braces_in_literal_text() -> None:
    text = '{"name": "x"} {{- .Prompt -}} }} {{ .Response }}'
    assert check_template(text).problems == ()
    assert literal_text(text) == '{"name": "x"}  }} '


def test_every_fixture_template_is_valid() -> None:
    from modelarium.modelfile.parser import parse

    for path in sorted(FAMILY_SETTINGS.glob("*.Modelfile")):
        for command in parse(path.read_text(encoding="utf-8")):
            if command.name == "template":
                assert check_template(command.args).problems == (), path.name


def test_problem_offsets_index_the_template() -> None:
    text = "ok {{ if .X }} never closed"
    problem = check_template(text).problems[0]
    assert text[problem.offset : problem.end_offset] == "{{ if .X }}"
    assert json.dumps(problem.message)


def test_field_chains_skip_those_hanging_off_variables_and_calls() -> None:
    check = check_template(
        "{{ .Function.Name }}{{ range $m := .Messages }}{{ $m.Role }}{{ end }}"
        "{{ (index .Tools 0).Type }}{{ $.System }}"
    )
    assert check.fields == frozenset({"Function.Name", "Messages", "Tools"})
    assert check.variables == frozenset({"$m", "$"})


def test_lint_message_quotes_ollamas_create_error_and_keeps_the_position() -> None:
    from modelarium.modelfile.lint import lint

    text = 'FROM x\nTEMPLATE """{{ if .System }}\n{{ .System }}\n"""\n'
    (found,) = lint(text)
    assert found.code == "MF032"
    assert (found.line, found.column, found.end_line, found.end_column) == (2, 13, 2, 29)
    assert found.message == (
        "TEMPLATE: {{if}} opened here has no {{end}} "
        "(Ollama's create refuses it: template error: template: :3: unexpected EOF)"
    )


def test_only_the_template_create_sends_is_said_to_be_refused() -> None:
    from modelarium.modelfile.lint import lint

    text = 'FROM x\nTEMPLATE "{{ .Prompt"\nTEMPLATE "{{ end }}"\n'
    messages = [d.message for d in lint(text) if d.code == "MF032"]
    assert messages == [
        "TEMPLATE: unclosed action: this {{ has no matching }}",
        "TEMPLATE: unexpected {{end}}: no block is open "
        "(Ollama's create refuses it: template error: template: :1: unexpected {{end}})",
    ]
