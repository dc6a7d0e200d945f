"""Library `a` on a curated parameter set hands the editor a valid set: the Qwen3-8B thinking
set's `top_k` is `20`, not `20.0` (which create refuses, MF021)."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Input, OptionList

from modelarium.modelfile.elements import ElementKind, generate_modelfile
from modelarium.modelfile.lint import lint
from modelarium.tui.library import LibraryPane
from modelarium.tui.messages import AddElementsToEditor
from tests.tui.conftest import wait_for
from tests.tui.test_library import LibraryApp, settle


async def test_adding_a_curated_parameter_set_gives_the_editor_int_values(
    library_url: str,
) -> None:
    sent: list[Message] = []
    app = LibraryApp(library_url)
    async with app.run_test(size=(160, 45), message_hook=sent.append) as pilot:
        pane = app.query_one(LibraryPane)
        pane.query_one("#library-search", Input).value = "Qwen3-8B thinking"
        await settle(app, pilot)
        index = next(
            i
            for i, hit in enumerate(pane.hits)
            if hit.kind == "parameters" and "Qwen3-8B thinking" in hit.name
        )
        results = pane.query_one("#library-results", OptionList)
        results.focus()
        results.highlighted = index
        await settle(app, pilot)
        stored = pane.selected
        assert stored is not None and stored.curated
        assert stored.element.kind is ElementKind.PARAMETERS
        await pilot.press("a")
        await wait_for(pilot, lambda: any(isinstance(m, AddElementsToEditor) for m in sent))
        added = next(m for m in sent if isinstance(m, AddElementsToEditor))
        text = "FROM qwen3:8b\n" + generate_modelfile(added.elements)
        assert "PARAMETER top_k 20\n" in text
        assert "20.0" not in text
        assert "MF021" not in {problem.code for problem in lint(text)}
