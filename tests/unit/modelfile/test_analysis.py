"""`analyse(text)`: parse outcome, elements and diagnostics from one scan of the text."""

from __future__ import annotations

import pytest

from modelarium.modelfile import analyse, elements_from_text, lint, scan
from modelarium.modelfile import parser as parser_module
from modelarium.modelfile.document import clear_scan_cache
from modelarium.tui.editor.analysis import analyse as editor_analyse

TEXT = (
    "FROM llama3.2\n"
    "PARAMETER temperature 0.7\n"
    "PARAMETER temprature 0.5\n"
    'SYSTEM """You are terse."""\n'
    "MESSAGE user hi\n"
)


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the parser scans (scan and parse both go through `_scan_text`)."""
    seen: list[str] = []
    original = parser_module._scan_text

    def counting(text: str):  # type: ignore[no-untyped-def]
        seen.append(text)
        return original(text)

    clear_scan_cache()
    monkeypatch.setattr(parser_module, "_scan_text", counting)
    return seen


def test_one_analyse_scans_once(scans: list[str]) -> None:
    result = analyse(TEXT)
    assert scans == [TEXT]
    assert result.error is None
    assert result.diagnostics  # the misspelt parameter
    assert len(result.elements) == len(elements_from_text(TEXT))


def test_the_editor_scans_each_text_once(scans: list[str]) -> None:
    analysis = editor_analyse(TEXT, generation=1)
    assert scans == [TEXT]
    assert analysis.problems and analysis.parse_error is None


def test_analyse_agrees_with_scan_and_lint() -> None:
    for text in (TEXT, "FROM x\nPARAMETER\n", "\ufeffFROM x\nSYSTEM hi\n", "bogus line\n", ""):
        result = analyse(text)
        alone = scan(text.removeprefix("\ufeff"))
        assert result.outcome.commands == alone.commands
        assert str(result.error) == str(alone.error)
        assert list(result.diagnostics) == lint(text)


def test_lint_ignores_an_outcome_of_another_text() -> None:
    other = scan("FROM other\n")
    assert lint(TEXT, outcome=other) == lint(TEXT)
