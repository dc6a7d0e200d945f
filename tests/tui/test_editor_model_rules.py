"""The editor runs the model-aware rules as you type, with the FROM model's facts fetched from
the selected (demo) host in a worker."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.widgets import ListView

from modelarium.modelfile.elements import Element, ElementKind, Parameter
from modelarium.tui.editor import EditorPane
from modelarium.tui.editor.pane import ProblemItem
from modelarium.tui.messages import AddElementsToEditor, DeliverAddElements
from tests.tui.conftest import AppFactory, wait_for, wait_for_screen

Settle = Callable[..., Awaitable[None]]


def codes(pane: EditorPane) -> list[str]:
    return [p.code for p in pane.analysis.problems] if pane.analysis is not None else []


async def test_a_model_aware_problem_appears_as_you_type_and_its_fix_applies(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=(150, 45)) as pilot:
        await wait_settled(pilot)
        await pilot.press("f4")
        await wait_for(pilot, lambda: bool(app.query(EditorPane)))
        pane = app.query_one(EditorPane)
        pane.text_area.focus()
        await pilot.press(*"FROM qwen2.5-coder:7b", "enter")
        await pilot.press(*"PARAMETER num_ctx 16384")
        await wait_for(pilot, lambda: pane.model_check.facts is not None)
        await wait_for(pilot, lambda: pane.analysis is not None and "16384" in pane.text)
        assert "MF101" not in codes(pane)
        await pilot.press("backspace", *"00000")  # num_ctx 1638400000... past 32,768
        await wait_for(pilot, lambda: "MF101" in codes(pane))
        listed = [
            item.problem.code
            for item in pane.query_one("#editor-problems", ListView).children
            if isinstance(item, ProblemItem)
        ]
        assert "MF101" in listed
        pane.text_area.move_cursor((1, 0))
        await pilot.press("alt+f")
        await wait_for(pilot, lambda: "PARAMETER num_ctx 32768" in pane.text)
        await wait_for(pilot, lambda: "MF101" not in codes(pane))


async def test_an_element_for_another_family_is_flagged_over_its_lines(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=(150, 45)) as pilot:
        await wait_settled(pilot)
        await pilot.press("f4")
        await wait_for(pilot, lambda: bool(app.query(EditorPane)))
        pane = app.query_one(EditorPane)
        pane.load_text("FROM granite4:3b\n", origin="test")
        await wait_for(pilot, lambda: pane.model_check.facts is not None)
        coder = Element(
            ElementKind.PARAMETERS,
            parameters=(Parameter("temperature", "0.7"), Parameter("top_k", "20")),
        )
        pane.post_message(
            DeliverAddElements(
                AddElementsToEditor((coder,), origin="PARAMETERS qwen coder", family="qwen")
            )
        )
        await wait_for(pilot, lambda: "MF109" in codes(pane))
        problem = next(p for p in pane.analysis.problems if p.code == "MF109")  # type: ignore[union-attr]
        assert "qwen" in problem.message and "granite4:3b" in problem.message
        assert pane.text.splitlines()[problem.row].startswith("PARAMETER")


async def test_f7_shows_where_each_setting_of_the_text_comes_from(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    """The editor's effective settings: this text's lines, the FROM model on the host, and
    Ollama's defaults, as `modelarium modelfile effective` prints them."""
    from textual.widgets import Static

    from modelarium.tui.editor.effective_dialog import EffectiveSettingsDialog

    app = make_app()
    async with app.run_test(size=(150, 45)) as pilot:
        await wait_settled(pilot)
        await pilot.press("f4")
        await wait_for(pilot, lambda: bool(app.query(EditorPane)))
        pane = app.query_one(EditorPane)
        pane.text_area.focus()
        await pilot.press(*"FROM qwen3:8b", "enter", *"PARAMETER temperature 0.3")
        await wait_for(pilot, lambda: pane.model_check.facts is not None)
        await pilot.press("f7")
        dialog = await wait_for_screen(pilot, EffectiveSettingsDialog)
        heading = str(dialog.query_one("#effective-heading", Static).render())
        assert heading == "This text over qwen3:8b on demo."
        settings = {setting.name: setting for setting in dialog.settings}
        assert settings["temperature"].value == "0.3"
        assert settings["temperature"].origin == "line 2"
        assert settings["template"].source == "inherited"
        assert settings["template"].origin.startswith("from qwen3:8b")
        body = str(dialog.query_one("#effective-body", Static).render())
        assert "temperature  0.3" in body and "line 2" in body
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, EffectiveSettingsDialog))


async def test_f7_without_a_known_from_model_says_why() -> None:
    from modelarium.modelfile import effective_settings
    from modelarium.tui.editor.effective_dialog import effective_heading

    assert effective_heading(None, None, False, None).startswith("This text has no FROM line")
    heading = effective_heading(
        "zanzibar:7b", "demo", False, "zanzibar:7b is not installed on demo"
    )
    assert heading.endswith("not known: zanzibar:7b is not installed on demo.")
    settings = effective_settings("FROM zanzibar:7b\nPARAMETER top_k 5\n", None)
    origins = {setting.name: setting.origin for setting in settings}
    assert origins["top_k"] == "line 2"
    assert origins["temperature"] == "Ollama default"
