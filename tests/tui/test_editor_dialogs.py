"""The editor's save, export and create dialogs: the name the save offers, the file export
writes, and the create dialog's name box and quantize select shown whole at every size."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import Input, Label, Select

from modelarium.modelfile.render import file_text
from modelarium.tui.dialogs.editor_create import NAME_PLACEHOLDER, CreateModelDialog
from modelarium.tui.dialogs.editor_save import SaveToLibraryDialog, default_save_name
from modelarium.tui.editor import EditorPane
from modelarium.tui.editor.file_dialogs import PathDialog
from tests.tui.conftest import AppFactory, load_panes, wait_for, wait_for_screen
from tests.tui.screen_text import assert_shows_whole


def test_the_save_name_is_the_drafts_own_or_derived_from_the_base_never_the_base() -> None:
    assert default_save_name("", "qwen2.5-coder:7b") == "qwen2.5-coder-custom:7b"
    assert default_save_name("", "llama3.2") == "llama3.2-custom"
    assert default_save_name("", "./weights/model.gguf") == "model-custom"
    assert default_save_name("my-coder", "qwen2.5-coder:7b") == "my-coder"
    assert default_save_name("", "") == ""


async def test_ctrl_s_offers_a_name_derived_from_the_base(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await pilot.press("3")
        await load_panes(pilot)
        await wait_for(pilot, lambda: bool(app.query(EditorPane)))
        editor = app.query_one(EditorPane)
        editor.load_text("FROM qwen2.5-coder:7b\nPARAMETER num_ctx 32768\n", origin="test")
        editor.text_area.focus()
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, SaveToLibraryDialog)
        name = app.screen.query_one("#save-name", Input)
        assert name.value == "qwen2.5-coder-custom:7b"
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, SaveToLibraryDialog))


def test_a_modelfile_file_ends_in_a_newline_and_is_otherwise_kept() -> None:
    assert file_text("FROM x\nPARAMETER num_ctx 32768") == "FROM x\nPARAMETER num_ctx 32768\n"
    assert file_text("FROM x\n") == "FROM x\n"
    assert file_text("FROM x\r\nSYSTEM  hi  ") == "FROM x\r\nSYSTEM  hi  \r\n"
    assert file_text("FROM x\n\n") == "FROM x\n\n"
    assert file_text("") == ""


async def test_ctrl_e_export_ends_the_file_in_a_newline(
    make_app: AppFactory, tmp_path: Path
) -> None:
    text = "FROM qwen2.5-coder:7b\n# note  \nPARAMETER num_ctx 32768"
    target = tmp_path / "Modelfile"
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await pilot.press("3")
        await load_panes(pilot)
        await wait_for(pilot, lambda: bool(app.query(EditorPane)))
        editor = app.query_one(EditorPane)
        editor.load_text(text, origin="test")
        editor.text_area.focus()
        await pilot.press("ctrl+e")
        await wait_for_screen(pilot, PathDialog)
        app.screen.query_one("#path-input", Input).value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, target.exists)
        assert target.read_bytes() == (text + "\n").encode("utf-8")
        assert editor.text == text  # the editor's own text is left as typed


@pytest.mark.parametrize(
    "size", [(80, 24), (100, 30), (160, 45)], ids=["80x24", "100x30", "160x45"]
)
async def test_the_create_dialog_shows_the_name_placeholder_and_quantize_whole(
    size: tuple[int, int], make_app: AppFactory
) -> None:
    """The empty name box shows its whole placeholder (it was cut at 100×30: "new model name,
    e.g. my-model:late"), the quantize select its whole prompt and choice, in the frame."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("3")
        await load_panes(pilot)
        await wait_for(pilot, lambda: bool(app.query(EditorPane)))
        editor = app.query_one(EditorPane)
        editor.load_text("FROM llama3.1:8b\n", origin="test")
        editor.text_area.focus()
        await pilot.press("ctrl+r")
        dialog = await wait_for_screen(pilot, CreateModelDialog)
        name = dialog.query_one("#create-name", Input)
        name.value = ""
        await pilot.pause()
        assert Region(0, 0, *size).contains_region(dialog.query_one(".dialog-body").region)
        assert name.placeholder == NAME_PLACEHOLDER
        assert_shows_whole(name, NAME_PLACEHOLDER)
        quantize = dialog.query_one("#create-quantize", Select)
        assert_shows_whole(quantize, "no quantize")
        quantize.value = "q4_K_M"
        await pilot.pause()
        assert_shows_whole(quantize, "quantize q4_K_M")
        assert_shows_whole(
            dialog.query_one(".dialog-title", Label), "Create a model from this Modelfile"
        )
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, CreateModelDialog))
