"""The editor's completion list: ctrl+space opens it, Enter/Tab insert, Esc closes, undo works,
typing refilters, and FROM offers the models the Models pane knows."""

from __future__ import annotations

from textual.pilot import Pilot

from modelarium.tui.editor import EditorPane
from modelarium.tui.editor.completion import CompletionList
from modelarium.tui.keys import registered
from tests.tui.conftest import AppFactory
from tests.tui.test_editor import EditorApp


def _list(app: EditorApp) -> CompletionList:
    return app.query_one("#editor-completion", CompletionList)


def _labels(completion_list: CompletionList) -> list[str]:
    assert completion_list.completion is not None
    return [item.label for item in completion_list.completion.items]


async def _type(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*("space" if char == " " else char for char in text))


def test_the_key_is_registered_for_help_palette_and_footer() -> None:
    actions = {action.action: action for action in registered("editor")}
    assert actions["complete"].keys == "ctrl+space,ctrl+@"  # kitty protocol / classic NUL
    assert actions["complete"].key_display == "^Space / ^@"


async def test_parameter_name_completes_with_enter_and_undo_restores(library_url: str) -> None:
    app = EditorApp(library_url, "FROM llama3\n")
    async with app.run_test(size=(120, 30)) as pilot:
        pane = app.query_one(EditorPane)
        pane.text_area.move_cursor((1, 0))
        await _type(pilot, "PARAMETER tem")
        await pilot.press("ctrl+space")
        completion_list = _list(app)
        assert completion_list.display and completion_list.has_focus
        assert _labels(completion_list) == ["temperature"]
        await pilot.press("enter")
        await pilot.pause()
        assert pane.text == "FROM llama3\nPARAMETER temperature"
        assert not _list(app).display
        assert pane.text_area.has_focus
        assert pane.text_area.cursor_location == (1, len("PARAMETER temperature"))
        pane.text_area.action_undo()
        await pilot.pause()
        assert pane.text == "FROM llama3\nPARAMETER tem"


async def test_ctrl_at_is_the_same_key(library_url: str) -> None:
    app = EditorApp(library_url, "")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("ctrl+@")
        assert _list(app).display
        assert len(_labels(_list(app))) == 11


async def test_message_role_with_down_and_tab(library_url: str) -> None:
    app = EditorApp(library_url, "FROM llama3\n")
    async with app.run_test(size=(120, 30)) as pilot:
        pane = app.query_one(EditorPane)
        pane.text_area.move_cursor((1, 0))
        await _type(pilot, "MESSAGE ")
        await pilot.press("ctrl+space")
        assert _labels(_list(app)) == ["system", "user", "assistant"]
        await pilot.press("down", "tab")
        await pilot.pause()
        assert pane.text == "FROM llama3\nMESSAGE user"


async def test_escape_closes_without_inserting(library_url: str) -> None:
    app = EditorApp(library_url, "")
    async with app.run_test(size=(120, 30)) as pilot:
        pane = app.query_one(EditorPane)
        await _type(pilot, "PAR")
        await pilot.press("ctrl+space")
        assert _list(app).display
        await pilot.press("escape")
        await pilot.pause()
        assert not _list(app).display
        assert pane.text_area.has_focus
        assert pane.text == "PAR"


async def test_typing_refilters_then_closes(library_url: str) -> None:
    app = EditorApp(library_url, "")
    async with app.run_test(size=(120, 30)) as pilot:
        pane = app.query_one(EditorPane)
        await pilot.press("ctrl+space")
        assert len(_labels(_list(app))) == 11
        await _type(pilot, "pa")
        assert _labels(_list(app)) == ["PARSER", "PARAMETER"]
        await pilot.press("backspace")
        assert "PARSER" in _labels(_list(app)) and "FROM" not in _labels(_list(app))
        await _type(pilot, "az")
        await pilot.pause()
        assert pane.text == "paz"
        assert not _list(app).display
        assert pane.text_area.has_focus


async def test_nothing_to_complete_says_so(library_url: str) -> None:
    app = EditorApp(library_url, "SYSTEM hello")
    async with app.run_test(size=(120, 30)) as pilot:
        app.query_one(EditorPane).text_area.move_cursor((0, 12))
        await pilot.press("ctrl+space")
        await pilot.pause()
        assert not _list(app).display
        assert ("information", "Nothing to complete here") in app.notices


async def test_from_offers_the_models_of_the_models_pane(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle_app(pilot)
        await pilot.press("3")
        pane = app.query_one(EditorPane)
        pane.text_area.focus()
        await _type(pilot, "FROM ")
        await pilot.press("ctrl+space")
        await pilot.pause()
        completion_list = app.query_one("#editor-completion", CompletionList)
        labels = _labels(completion_list)
        assert labels and all(":" in label for label in labels)
        await pilot.press("enter")
        await pilot.pause()
        assert pane.text == f"FROM {labels[0]}"


async def settle_app(pilot: Pilot[None]) -> None:
    """Wait until the Models pane has loaded the demo host's models."""
    from modelarium.tui.models.pane import ModelsPane

    for _ in range(100):
        await pilot.pause(0.05)
        if pilot.app.query_one(ModelsPane).all_rows:
            return
    raise AssertionError("the demo host's models never arrived")
