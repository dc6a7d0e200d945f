"""One source of truth: lint's MF032 and the demo host's create refuse a TEMPLATE in the same words.

Both read `modelarium.modelfile.template`; these tests send the Modelfile's create request to the
demo host and check that its `template error: …` answer is the text lint quotes.
"""

from __future__ import annotations

import httpx
import pytest

from modelarium.modelfile.create import build_create_request
from modelarium.modelfile.lint import lint
from modelarium.modelfile.parser import parse
from modelarium.modelfile.template import check_template

BROKEN_TEMPLATES = [
    "{{ .Prompt",
    "{{ if .System }}\n{{ .System }}\n",
    "{{ nope .Prompt }}",
    "a\n{{ end }}",
    "{{ range .Messages }}\n{{ .Content }}{{ else }}x{{ else }}y{{ end }}",
    '{{ if eq .Role "user }}{{ end }}',
    "{{ $m.Content }}",
    "{{ /* a comment needs to touch the braces */ }}",
    "line\r\nline\r\n{{ with .Tools }}",
]


def _modelfile(template: str) -> str:
    return f'FROM qwen3:8b\nTEMPLATE """{template}"""\n'


@pytest.mark.parametrize("template", BROKEN_TEMPLATES)
def test_lint_quotes_exactly_what_the_demo_host_answers(
    client: httpx.Client, template: str
) -> None:
    text = _modelfile(template)
    request = build_create_request(parse(text), None)
    response = client.post("/api/create", json={**request.body, "model": "me/broken"})
    assert response.status_code == 400
    server_error = response.json()["error"]
    assert server_error.startswith("template error: template: :")

    (found,) = [d for d in lint(text) if d.code == "MF032"]
    assert found.severity == "error"
    assert found.message.endswith(f"(Ollama's create refuses it: {server_error})")
    problem = check_template(template).error
    assert problem is not None and problem.create_error == server_error


@pytest.mark.parametrize("template", BROKEN_TEMPLATES)
def test_lint_keeps_pointing_inside_the_template(template: str) -> None:
    text = _modelfile(template)
    (found,) = [d for d in lint(text) if d.code == "MF032"]
    problem = check_template(template).error
    assert problem is not None
    # The value starts on line 2 after `TEMPLATE """` (12 characters).
    column_base = 12 if problem.line == 1 else 0
    assert (found.line, found.column) == (problem.line + 1, problem.column + column_base)


def test_a_template_the_demo_host_accepts_gets_no_template_error(client: httpx.Client) -> None:
    template = (
        "{{ range $i, $m := .Messages }}{{ if eq $m.Role `user` }}{{ json $m }}{{ end }}{{ end }}"
    )
    text = _modelfile(template)
    request = build_create_request(parse(text), None)
    response = client.post("/api/create", json={**request.body, "model": "me/fine"})
    assert response.status_code == 200, response.text
    assert [d.code for d in lint(text) if d.code == "MF032"] == []
