"""The parameter form: typed checks, grouping, and minimal edits of a commented Modelfile,
alone and as the editor's side panel (F10)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, Static

from modelarium.modelfile.document import ModelfileDocument
from modelarium.modelfile.params import PARAMETERS
from modelarium.tui.editor import EditorPane
from modelarium.tui.widgets.parameter_form import (
    ParameterForm,
    ParameterPanel,
    ParameterRow,
    check_value,
)
from tests.tui.conftest import wait_for
from tests.tui.screen_text import assert_shows_whole, shows_whole
from tests.tui.test_editor import EditorApp

COMMENTED = (
    "# a hand-kept Modelfile\n"
    "FROM qwen2.5-coder:7b\n"
    "\n"
    "# sampling, tuned by hand\n"
    "PARAMETER temperature 0.7\n"
    "PARAMETER stop <|im_end|>\n"
    "\n"
    'SYSTEM """You write code.\n'
    '  Keep it short."""\n'
)


class FormApp(App[None]):
    """The form alone over one document."""

    def __init__(self, document: ModelfileDocument) -> None:
        super().__init__()
        self.document = document
        self.changes = 0

    def compose(self) -> ComposeResult:
        yield ParameterForm(self.document, recommendations={"temperature": "0.2"}, id="form")

    def on_parameter_form_changed(self, _event: ParameterForm.Changed) -> None:
        self.changes += 1


def test_values_are_checked_by_kind_and_range() -> None:
    assert check_value(PARAMETERS["num_ctx"], "8k").error == "num_ctx takes a whole number"
    assert check_value(PARAMETERS["top_p"], "1.5").warning.startswith("above 1")
    assert check_value(PARAMETERS["use_mmap"], "yes").error == "use_mmap takes true or false"
    assert check_value(PARAMETERS["temperature"], "0.3") == check_value(
        PARAMETERS["temperature"], ""
    )


async def test_form_edits_only_the_lines_it_touches() -> None:
    document = ModelfileDocument(COMMENTED)
    app = FormApp(document)
    async with app.run_test(size=(120, 60)) as pilot:
        form = app.query_one(ParameterForm)
        groups = [str(label.render()) for label in form.query(".parameter-group").results(Static)]
        assert groups[0].startswith("Load time") and groups[1].startswith("Run time")
        rows = {row.spec.name: row for row in form.query(ParameterRow)}
        assert set(rows) == set(PARAMETERS)
        assert form.value_of("temperature") == "0.7"
        assert form.value_of("stop") == "<|im_end|>"
        assert "family: 0.2" in str(rows["temperature"].query_one(".parameter-hint").render())

        temperature = form.query_one("#param-input-temperature", Input)
        temperature.focus()
        await pilot.press("end", "backspace", "2", "5")
        await wait_for(pilot, lambda: "0.25" in document.text)
        assert document.text == COMMENTED.replace("temperature 0.7", "temperature 0.25")

        num_ctx = form.query_one("#param-input-num_ctx", Input)
        num_ctx.focus()
        await pilot.press(*"8192")
        await wait_for(pilot, lambda: "num_ctx" in document.text)
        assert document.text == COMMENTED.replace(
            "PARAMETER stop <|im_end|>\n", "PARAMETER stop <|im_end|>\nPARAMETER num_ctx 8192\n"
        ).replace("temperature 0.7", "temperature 0.25")

        # a value out of range is written but flagged; a non-number never reaches the text
        top_p = form.query_one("#param-input-top_p", Input)
        top_p.focus()
        await pilot.press(*"1.5")
        await wait_for(pilot, lambda: "top_p" in form.problems)
        assert "PARAMETER top_p 1.5" in document.text
        assert form.problems["top_p"].warning

        num_ctx.focus()
        num_ctx.value = ""
        await wait_for(pilot, lambda: "num_ctx" not in document.text)
        assert "# sampling, tuned by hand\n" in document.text
        assert app.changes >= 3


async def test_editor_side_panel_edits_the_text_in_place(library_url: str) -> None:
    app = EditorApp(library_url, COMMENTED)
    async with app.run_test(size=(160, 50)) as pilot:
        pane = app.query_one(EditorPane)
        await wait_for(pilot, lambda: pane.text == COMMENTED)
        await pilot.press("f10")
        await wait_for(pilot, lambda: bool(pane.query(ParameterPanel)))
        panel = pane.query_one(ParameterPanel)
        box = panel.query_one("#param-input-top_k", Input)
        box.focus()
        await pilot.press(*"20")
        await wait_for(pilot, lambda: "top_k" in pane.text)
        assert pane.text == COMMENTED.replace(
            "PARAMETER stop <|im_end|>\n", "PARAMETER stop <|im_end|>\nPARAMETER top_k 20\n"
        )
        await pilot.press("f10")
        await wait_for(pilot, lambda: not pane.query(ParameterPanel))
        assert pane.text_area.has_focus


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
async def test_the_about_line_tells_the_whole_of_what_the_cut_hint_column_cannot(
    library_url: str, size: tuple[int, int]
) -> None:
    app = EditorApp(library_url, COMMENTED)
    async with app.run_test(size=size) as pilot:
        pane = app.query_one(EditorPane)
        await wait_for(pilot, lambda: pane.text == COMMENTED)
        await pilot.press("f10")
        await wait_for(pilot, lambda: bool(pane.query(ParameterPanel)))
        panel = pane.query_one(ParameterPanel)
        about = panel.query_one(".parameter-about", Static)
        await wait_for(pilot, lambda: about.region.height > 0)
        panel.query_one("#param-input-use_mmap", Input).focus()
        said = "use_mmap: memory-map the model weights; default auto (unset: the runtime decides)"
        await wait_for(pilot, lambda: shows_whole(about, said))
        box = panel.query_one("#param-input-top_p", Input)
        box.focus()
        await pilot.press(*"7")  # top_p 7: out of its range
        await wait_for(pilot, lambda: "⚠" in str(about.content))
        problem = str(about.content).splitlines()[-1]
        assert problem.startswith("⚠ above 1") and shows_whole(about, problem)
        for title in panel.query(".parameter-group"):
            if title.region.height:
                assert_shows_whole(title, str(title.render()))
