"""The lint rules that render the TEMPLATE (MF050–MF055): messages, spans and when they stay
quiet. Every rule's failing/corrected pair runs in test_lint.py through PROMPT_CASES."""

from __future__ import annotations

from pathlib import Path

import pytest

from modelarium.modelfile.lint import lint
from tests.unit.modelfile.prompt_lint_cases import PROMPT_CASES

FIXTURES = Path(__file__).parents[2] / "fixtures" / "modelfiles"


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.Modelfile")), ids=lambda p: p.name)
def test_the_family_modelfiles_render_cleanly(path: Path) -> None:
    codes = [d.code for d in lint(path.read_text(encoding="utf-8"))]
    assert not [code for code in codes if code.startswith("MF05")], codes


def test_turn_end_message_names_the_token_and_points_at_the_template() -> None:
    failing, _ = PROMPT_CASES["MF051"]
    (found,) = [d for d in lint(failing) if d.code == "MF051"]
    assert "<|im_end|> ends an assistant turn" in found.message
    assert "PARAMETER stop <|im_end|>" in found.message
    assert (found.line, found.column) == (2, 10)


def test_render_error_quotes_go() -> None:
    failing, _ = PROMPT_CASES["MF055"]
    (found,) = [d for d in lint(failing) if d.code == "MF055"]
    assert "can't evaluate field Text in type template.templateMessage" in found.message


def test_stop_never_rendered_points_at_the_stop() -> None:
    failing, _ = PROMPT_CASES["MF050"]
    (found,) = [d for d in lint(failing) if d.code == "MF050"]
    assert found.line == 2
    assert "<|eom|>" in found.message


@pytest.mark.parametrize(
    "text",
    [
        # RENDERER/PARSER: Ollama ignores TEMPLATE.
        "FROM x\nRENDERER qwen3\nTEMPLATE {{ .Prompt }}{{ range .Messages }}{{ .Text }}{{ end }}\n",
        # No TEMPLATE, or one that does not parse (MF032 speaks).
        "FROM x\n",
        "FROM x\nTEMPLATE {{ .Prompt \n",
        # A file that does not parse.
        'FROM x\nTEMPLATE """{{ .Prompt }}\nSYTEM hi\n',
    ],
)
def test_quiet_when_rendering_does_not_apply(text: str) -> None:
    assert not [d for d in lint(text) if d.code.startswith("MF05")]
