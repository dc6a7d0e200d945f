"""A parameter set added to an editor with no FROM line starts one: `FROM <model>` when the
set was made for exactly one installed model, else `FROM ` with the cursor on it and the
installed models offered. MF009 stays for a text that truly has no FROM."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from modelarium.modelfile.elements import Element, ElementKind, Parameter
from modelarium.tui.editor import EditorPane
from modelarium.tui.editor.completion import CompletionList
from modelarium.tui.editor.compose import add_elements_to_text
from modelarium.tui.library import LibraryPane
from modelarium.tui.messages import AddElementsToEditor, DeliverAddElements
from modelarium.tui.models import ModelsPane
from tests.tui.conftest import AppFactory, wait_for
from tests.tui.test_editor import EditorApp

Settle = Callable[[Pilot[None]], Awaitable[None]]
SIZE = (160, 45)
SET = Element(
    ElementKind.PARAMETERS,
    parameters=(Parameter("temperature", "0.7"), Parameter("top_p", "0.8")),
)
QWEN3_SET = "Qwen3-8B non-thinking parameters (vendor recommendation)"


def _codes(pane: EditorPane) -> list[str]:
    return [p.code for p in pane.analysis.problems] if pane.analysis is not None else []


def _analysed(pane: EditorPane) -> bool:
    analysis = pane.analysis
    return analysis is not None and analysis.generation == pane._generation


def test_a_from_line_is_started_only_where_there_is_none() -> None:
    blank = add_elements_to_text("", [SET])
    assert blank.text == "FROM \nPARAMETER temperature 0.7\nPARAMETER top_p 0.8\n"
    assert blank.from_row == 0
    noted = add_elements_to_text("# my notes\n", [SET], base="qwen3:8b")
    assert noted.text.splitlines()[:2] == ["# my notes", "FROM qwen3:8b"]
    assert noted.from_row == 1
    kept = add_elements_to_text("FROM llama3.1:8b\n", [SET], base="qwen3:8b")
    assert kept.text.startswith("FROM llama3.1:8b\n") and kept.from_row is None
    brought = add_elements_to_text("", [Element(ElementKind.BASE, "mistral:7b"), SET])
    assert brought.text.startswith("FROM mistral:7b\n") and brought.from_row is None


async def _models_listed(pilot: Pilot[None]) -> None:
    models = pilot.app.query_one(ModelsPane)
    await wait_for(pilot, lambda: "qwen3:8b" in [row.name for row in models.all_rows])


async def _blank_editor(pilot: Pilot[None]) -> EditorPane:
    await pilot.press("f4")
    await wait_for(pilot, lambda: bool(pilot.app.query(EditorPane)))
    pane = pilot.app.query_one(EditorPane)
    await wait_for(pilot, lambda: pane.analysis is not None and pane.text == "")
    return pane


async def _added_to_blank_editor(
    pilot: Pilot[None], settle_app: Settle, request: AddElementsToEditor
) -> EditorPane:
    """With the models listed, `request` delivered to a blank editor."""
    await settle_app(pilot)
    await _models_listed(pilot)
    pane = await _blank_editor(pilot)
    pane.post_message(DeliverAddElements(request))
    return pane


def _offered(completion: CompletionList) -> list[str]:
    """The labels the completion list offers, in order."""
    return [item.label for item in completion.completion.items]  # type: ignore[union-attr]


async def test_a_set_for_one_installed_model_starts_from_that_model(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        request = AddElementsToEditor(
            (SET,), origin=QWEN3_SET, family="qwen", tags=("non-thinking", "qwen3:8b")
        )
        pane = await _added_to_blank_editor(pilot, wait_settled, request)
        await wait_for(pilot, lambda: pane.text.startswith("FROM qwen3:8b\n"))
        await wait_for(pilot, lambda: _analysed(pane))
        assert "MF009" not in _codes(pane) and "MF035" not in _codes(pane)
        assert not pane.query_one(CompletionList).is_open


async def test_a_set_for_no_known_model_starts_from_with_the_models_offered(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        request = AddElementsToEditor((SET,), origin="PARAMETERS my sampling")
        pane = await _added_to_blank_editor(pilot, wait_settled, request)
        completion = pane.query_one(CompletionList)
        await wait_for(pilot, lambda: completion.is_open and completion.has_focus)
        assert pane.text.startswith("FROM \nPARAMETER temperature 0.7\n")
        assert pane.text_area.cursor_location == (0, len("FROM "))
        offered = _offered(completion)
        assert "qwen3:8b" in offered and "llama3.1:8b" in offered
        await wait_for(pilot, lambda: _analysed(pane))
        assert _codes(pane) == ["MF035"]  # the FROM to complete, not "no FROM line"
        await pilot.press(*"qwen3:8", "enter")
        await wait_for(pilot, lambda: pane.text.startswith("FROM qwen3:8b\n"))
        await wait_for(pilot, lambda: _analysed(pane) and "MF035" not in _codes(pane))
        assert not completion.is_open and pane.text_area.has_focus


async def test_the_set_made_for_several_installed_models_offers_those_first(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        tags = ("llama3.1:8b", "llama3.2:3b", "llama4:latest")
        pane = await _added_to_blank_editor(
            pilot, wait_settled, AddElementsToEditor((SET,), tags=tags)
        )
        completion = pane.query_one(CompletionList)
        await wait_for(pilot, lambda: completion.is_open)
        assert pane.text.startswith("FROM \n")
        offered = _offered(completion)
        assert offered[:2] == ["llama3.1:8b", "llama3.2:3b"] and "qwen3:8b" in offered


async def test_a_family_set_offers_the_installed_models_of_its_family_first(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        request = AddElementsToEditor((SET,), family="qwen")
        pane = await _added_to_blank_editor(pilot, wait_settled, request)
        completion = pane.query_one(CompletionList)
        await wait_for(pilot, lambda: completion.is_open)
        offered = _offered(completion)
        qwen = [name for name in offered if name.startswith("qwen")]
        assert len(qwen) >= 2 and offered[: len(qwen)] == sorted(qwen)
        assert "llama3.1:8b" in offered[len(qwen) :]


async def test_adding_the_curated_qwen3_set_from_the_library_starts_from_qwen3(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    """The journey itself: Library, the curated set, `a`, into a blank editor."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await _models_listed(pilot)
        editor = await _blank_editor(pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: bool(app.query(LibraryPane)))
        library = app.query_one(LibraryPane)
        library.query_one("#library-search", Input).value = QWEN3_SET
        await wait_for(pilot, lambda: any(hit.name == QWEN3_SET for hit in library.hits))
        results = library.query_one("#library-results", OptionList)
        results.focus()
        results.highlighted = [hit.name for hit in library.hits].index(QWEN3_SET)
        await wait_for(
            pilot, lambda: library.selected is not None and library.selected.name == QWEN3_SET
        )
        await pilot.press("a")
        await wait_for(pilot, lambda: editor.text.startswith("FROM qwen3:8b\nPARAMETER "))
        await wait_for(pilot, lambda: _analysed(editor))
        assert "MF009" not in _codes(editor)


async def test_without_hosts_the_from_line_waits_for_a_name_and_mf009_stays_for_no_from(
    library_url: str,
) -> None:
    app = EditorApp(library_url)
    async with app.run_test(size=(140, 40)) as pilot:
        pane = app.query_one(EditorPane)
        await wait_for(pilot, lambda: pane.analysis is not None)
        pane.post_message(DeliverAddElements(AddElementsToEditor((SET,), origin="my set")))
        await wait_for(pilot, lambda: pane.text.startswith("FROM \n"))
        assert pane.text_area.cursor_location == (0, len("FROM "))
        assert any("after FROM" in message for _, message in app.notices)
        await wait_for(pilot, lambda: _analysed(pane) and _codes(pane) == ["MF035"])
        # Deleting the FROM line leaves a text that truly has none: MF009.
        pane.text_area.move_cursor((0, 0))
        pane.text_area.action_delete_line()
        await wait_for(pilot, lambda: not pane.text.startswith("FROM"))
        await wait_for(pilot, lambda: _analysed(pane) and _codes(pane) == ["MF009"])
