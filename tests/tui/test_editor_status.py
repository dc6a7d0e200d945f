"""The editor's status line agrees with lint: a blank editor is "empty", never "lint clean",
since lint (MF009) and Ollama refuse a Modelfile without FROM, blank or not."""

from __future__ import annotations

from textual.widgets import Static

from modelarium.modelfile.lint import lint
from modelarium.tui.editor import EditorPane
from tests.tui.conftest import wait_for
from tests.tui.test_editor import EditorApp


def _status(app: EditorApp) -> str:
    return str(app.query_one("#editor-status", Static).content)


async def test_blank_editor_is_empty_not_clean_and_text_without_from_is_mf009(
    library_url: str,
) -> None:
    assert [d.code for d in lint("")] == ["MF009"]
    app = EditorApp(library_url)
    async with app.run_test(size=(140, 40)) as pilot:
        pane = app.query_one(EditorPane)
        await wait_for(pilot, lambda: pane.analysis is not None)
        assert "empty: needs FROM <model>" in _status(app)
        assert "lint clean" not in _status(app)
        await pilot.press(*"# notes", "enter")
        await wait_for(pilot, lambda: "1 error, 0 warnings" in _status(app))
        assert pane.analysis is not None
        assert [problem.code for problem in pane.analysis.problems] == ["MF009"]
        await pilot.press(*"FROM llama3")
        await wait_for(pilot, lambda: "lint clean" in _status(app))


async def test_status_counts_each_severity_apart(library_url: str) -> None:
    """Infos are counted as infos, not as warnings (the status agrees with Problems)."""
    text = 'FROM llama3\nTEMPLATE "{{ .Prompt }}"\nPARAMETER stop "<x>"\nPARAMETER stop "<y>"\n'
    severities = sorted(problem.severity for problem in lint(text))
    assert severities == ["info", "info", "warning"]
    app = EditorApp(library_url)
    async with app.run_test(size=(140, 40)) as pilot:
        pane = app.query_one(EditorPane)
        await wait_for(pilot, lambda: pane.analysis is not None)
        pane.load_text(text)
        await wait_for(pilot, lambda: "0 errors, 1 warning, 2 infos" in _status(app))
        assert "3 warnings" not in _status(app)
