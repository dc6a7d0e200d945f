"""The editor's save and export dialogs: the name the save offers, and the file export writes."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from modelarium.modelfile.render import file_text
from modelarium.tui.dialogs.editor_save import SaveToLibraryDialog, default_save_name
from modelarium.tui.editor import EditorPane
from modelarium.tui.editor.file_dialogs import PathDialog
from tests.tui.conftest import AppFactory, load_panes, wait_for


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
        await wait_for(pilot, lambda: isinstance(app.screen, SaveToLibraryDialog))
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
        await wait_for(pilot, lambda: isinstance(app.screen, PathDialog))
        app.screen.query_one("#path-input", Input).value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, target.exists)
        assert target.read_bytes() == (text + "\n").encode("utf-8")
        assert editor.text == text  # the editor's own text is left as typed
