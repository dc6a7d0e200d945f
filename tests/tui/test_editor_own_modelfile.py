"""`e` in Models opens a model's own Modelfile (`FROM <that model>`): its TEMPLATE and SYSTEM
are the model, so MF107 stays quiet there; a new text repeating a base still gets MF107, and
so does the opened text once its FROM names another model."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot
from textual.widgets import Input, Static

from modelarium.tui.editor import EditorPane
from modelarium.tui.editor.status import FROM_CHANGED
from tests.tui.conftest import AppFactory, highlight_model, wait_for

Settle = Callable[[Pilot[None]], Awaitable[None]]
SIZE = (160, 45)


def _codes(pane: EditorPane) -> list[str]:
    return [p.code for p in pane.analysis.problems] if pane.analysis is not None else []


def _checked(pane: EditorPane, model: str) -> bool:
    """The newest analysis of the current text ran the model-aware rules with `model`."""
    analysis = pane.analysis
    return (
        analysis is not None
        and analysis.generation == pane._generation
        and analysis.checked_with == model
    )


async def _open_with_e(pilot: Pilot[None], model: str) -> EditorPane:
    await highlight_model(pilot, model)
    await pilot.press("e")
    await wait_for(pilot, lambda: bool(pilot.app.query(EditorPane)))
    pane = pilot.app.query_one(EditorPane)
    await wait_for(pilot, lambda: pane.text.startswith(f"FROM {model}\n"))
    return pane


async def test_a_models_own_modelfile_has_no_mf107_but_the_same_text_anew_has(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    model = "mario/llama-pirate:lora"  # its own TEMPLATE and SYSTEM
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = await _open_with_e(pilot, model)
        await wait_for(pilot, lambda: _checked(pane, model))
        assert "MF107" not in _codes(pane)
        own = pane.text
        assert "\nTEMPLATE " in own and "\nSYSTEM " in own
        # The very same text, not opened from the model: a new Modelfile on that base, whose
        # TEMPLATE and SYSTEM only repeat what FROM gives.
        pane.load_text(own, origin="pasted Modelfile")
        await wait_for(pilot, lambda: _checked(pane, model))
        assert pane.analysis is not None
        repeated = [p for p in pane.analysis.problems if p.code == "MF107"]
        lines = pane.text.splitlines()
        assert sorted(lines[p.row].split()[0] for p in repeated) == ["SYSTEM", "TEMPLATE"]


async def test_the_opened_text_over_another_model_gets_mf107_again(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    """llama3.2:latest has llama3.2:3b's TEMPLATE: once the FROM names it, the text is a new
    Modelfile on that base, its TEMPLATE a repeat, and the title no longer says what it is."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = await _open_with_e(pilot, "llama3.2:3b")
        await wait_for(pilot, lambda: _checked(pane, "llama3.2:3b"))
        assert "MF107" not in _codes(pane)
        # Still the model's own text: Create offers to re-create it under its name.
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: bool(app.screen.query("#create-name")))
        assert app.screen.query_one("#create-name", Input).value == "llama3.2:3b"
        await pilot.press("escape")
        await wait_for(pilot, lambda: not app.screen.query("#create-name"))
        pane.text_area.focus()
        pane.text_area.move_cursor((0, len("FROM llama3.2:3b")))
        await pilot.press("backspace", "backspace", *"latest")
        await wait_for(pilot, lambda: _checked(pane, "llama3.2:latest"))
        assert "MF107" in _codes(pane)
        status = str(app.query_one("#editor-status", Static).content)
        assert status.startswith(f"llama3.2:3b on demo {FROM_CHANGED}")
        # Create no longer offers llama3.2:3b's name: that would replace it with another model.
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: bool(app.screen.query("#create-name")))
        assert app.screen.query_one("#create-name", Input).value == ""
