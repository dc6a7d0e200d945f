"""The key registry feeds bindings, the help screen and the command palette alike."""

from __future__ import annotations

import operator
from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar

from textual.app import App
from textual.command import Provider
from textual.screen import Screen

from modelarium.tui import keys
from modelarium.tui.app import ModelariumApp
from modelarium.tui.commands import RegistryCommands
from modelarium.tui.dialogs.help import help_table
from modelarium.tui.models.table import ModelsTable
from tests.tui.conftest import AppFactory, load_panes, palette_offers, wait_for, wait_for_screen


def test_every_pane_action_is_registered_with_a_key() -> None:
    models_actions = {action.action for action in keys.registered("models")}
    assert {"extract", "copy_model", "delete_models", "pull_model", "push_model"} <= models_actions
    assert all(action.keys for action in keys.registered("models"))


def test_bindings_are_built_from_the_registry() -> None:
    bindings = keys.bindings_for("app")
    assert list(dict.fromkeys(b.action for b in bindings)) == [
        a.action for a in keys.registered("app") if a.keys
    ]
    show_models = [b for b in bindings if b.action == "show_pane('models')"]
    # The digit types in a text box; the F key acts before the focused widget sees it.
    assert [(b.key, b.priority) for b in show_models] == [("1", False), ("f2", True)]
    assert show_models[0].tooltip == "Show the Models pane"


def showing(app: ModelariumApp, pane: str) -> bool:
    return app.current_pane == pane


async def test_f_keys_show_panes_from_a_text_box_and_digits_type(make_app: AppFactory) -> None:
    """Textual's TextArea binds F6 (select the line): from the editor's text it still shows
    the Dashboard, while `4` types; in a dialog's text box F6 is the TextArea's again."""
    from modelarium.tui.dialogs.import_paste import ImportDialog
    from modelarium.tui.editor import EditorPane
    from modelarium.tui.widgets.text_area import ModelfileTextArea

    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await load_panes(pilot)
        await pilot.press("f4")
        editor = app.query_one(EditorPane)
        await wait_for(pilot, lambda: editor.text_area.has_focus)
        await pilot.press("4", "f6")
        await wait_for(pilot, lambda: app.current_pane == "dashboard")
        assert editor.text == "4"
        for pane_key, pane in (("f2", "models"), ("f3", "library"), ("f4", "editor")):
            await pilot.press(pane_key)
            await wait_for(pilot, partial(showing, app, pane))
        dialog = ImportDialog("FROM llama3.2\nSYSTEM one\n")
        app.push_screen(dialog)
        await wait_for(pilot, partial(focus_settled, app, dialog))
        area = dialog.query_one("#import-text", ModelfileTextArea)
        await pilot.press("f6")
        await wait_for(pilot, lambda: area.selected_text == "FROM llama3.2")
        assert app.screen is dialog and app.current_pane == "editor"


def test_register_replaces_an_action_of_the_same_scope() -> None:
    before = keys.registered()
    try:
        keys.register(keys.KeyAction("test-scope", "do", "z", "Do it"))
        keys.register(keys.KeyAction("test-scope", "do", "y", "Do it again"))
        assert [a.keys for a in keys.registered("test-scope")] == ["y"]
        assert "test-scope" in keys.scopes()
    finally:
        keys._REGISTRY[:] = list(before)


def test_keys_are_shown_readably() -> None:
    assert keys.display_key("ctrl+t") == "^t"
    assert keys.display_key("f2") == "F2"
    assert keys.display_key("question_mark") == "?"
    action = keys.KeyAction("app", "x", "delete,D", "Delete")
    assert action.key_display == "Del / D"


def test_help_table_lists_every_registered_action() -> None:
    table = help_table()
    descriptions = {str(cell) for cell in table.columns[1]._cells}
    assert {action.description for action in keys.registered()} <= descriptions


async def test_palette_offers_and_runs_registry_actions() -> None:
    ran: list[str] = []

    class PaletteApp(App[None]):
        COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {RegistryCommands}

        async def run_registry_action(self, action: keys.KeyAction) -> None:
            ran.append(action.action)

    app = PaletteApp()
    async with app.run_test() as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"light theme")
        await wait_for(pilot, lambda: palette_offers(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(ran))
    assert ran == ["toggle_theme"]


# Keys that reach the app in tmux and over SSH (issue 11 item 12) -----------------------------


def register_pane_keys() -> None:
    """Import the deferred panes, whose modules register their keys."""
    import importlib

    for module in ("modelarium.tui.editor", "modelarium.tui.library"):
        importlib.import_module(module)


def test_every_action_has_a_key_that_is_not_alt() -> None:
    """tmux and many terminals send alt+x as Esc x (or nothing at all): alt is only an extra."""
    register_pane_keys()

    alt_only = [
        f"{action.scope}: {action.description} ({action.keys})"
        for action in keys.registered()
        if action.keys and all(key.startswith("alt+") for key in action.keys.split(","))
    ]
    assert alt_only == []
    editor = {action.action: action for action in keys.registered("editor")}
    for name in ("export_file", "copy_modelfile", "apply_fix", "import_text"):
        assert editor[name].keys.split(",")[0].startswith("ctrl+"), editor[name]
    (drafts,) = [action for action in keys.registered("app") if action.action == "show_drafts"]
    assert drafts.keys.split(",")[0] == "ctrl+d"


def test_alt_keys_are_priority_bindings() -> None:
    """An alt+letter arrives with its letter as text: only a priority binding beats a text box
    (which would type the letter). An action with a plain letter beside its alt key is meant
    for lists (no text box has the focus there), and needs no priority."""
    register_pane_keys()

    def for_lists(action: keys.KeyAction) -> bool:
        return any(len(key) == 1 for key in action.keys.split(","))

    with_alt = [action for action in keys.registered() if "alt+" in action.keys]
    assert with_alt
    assert [a for a in with_alt if not a.priority and not for_lists(a)] == []


def test_shown_key_names_the_first_documented_key() -> None:
    register_pane_keys()
    from modelarium.tui.editor.analysis import FIX_KEY

    assert keys.shown_key("app", "show_drafts") == "^d"
    assert keys.shown_key("editor", "export_file") == "^e"
    assert keys.shown_key("editor", "apply_fix") == FIX_KEY  # the problem list's hint
    assert keys.shown_key("editor", "no-such-action") == ""


async def test_alt_f_sent_as_esc_f_fixes_instead_of_typing_f(library_url: str) -> None:
    """tmux delivers alt+f as Key('alt+f', character 'f'); the text box must not type it."""
    from textual import events

    from modelarium.tui.editor import EditorPane
    from tests.tui.test_editor import EditorApp
    from tests.tui.test_editor import settle as settle_editor

    app = EditorApp(library_url, "FROM llama3\nPARAMETER temprature 0.2\n")
    async with app.run_test(size=(140, 40)) as pilot:
        pane = app.query_one(EditorPane)
        await settle_editor(app, pilot)
        pane.text_area.move_cursor((1, 0))
        app.post_message(events.Key("alt+f", "f"))
        await wait_for(pilot, lambda: "temperature 0.2" in pane.text)
        assert pane.text == "FROM llama3\nPARAMETER temperature 0.2\n"
        await settle_editor(app, pilot)
        app.post_message(events.Key("ctrl+f", None))  # the documented key: nothing left to fix
        await wait_for(pilot, lambda: any("No suggested fix" in m for _, m in app.notices))
        assert pane.text == "FROM llama3\nPARAMETER temperature 0.2\n"


# Keys typed while a dialog opens land in it --------------------------------------------------


def burst(app: App[None], *keys_and_characters: tuple[str, str | None]) -> None:
    """Post keys all at once, as a terminal delivers keys typed fast or pasted (Pilot's press
    waits after each key, which hides the race)."""
    from textual import events

    for key, character in keys_and_characters:
        app.post_message(events.Key(key, character))


async def test_keys_typed_with_copy_and_pull_land_in_the_name_prompt(make_app: AppFactory) -> None:
    from textual.widgets import Input

    from modelarium.tui.dialogs.name_input import NameDialog
    from modelarium.tui.models import ModelsPane

    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        pane = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: bool(pane.shown_rows))
        order = [row.name for row in pane.shown_rows]
        app.query_one(ModelsTable).focus()
        await pilot.pause()
        burst(app, ("c", "c"), ("S", "S"))
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, NameDialog) and app.screen.query_one(Input).value == "S",
        )
        assert [row.name for row in pane.shown_rows] == order  # `S` did not reverse the sort
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, NameDialog))
        burst(app, ("p", "p"), *((character, character) for character in "qwen3:8b"))
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, NameDialog)
                and app.screen.query_one(Input).value == "qwen3:8b"
            ),
        )


async def test_keys_typed_with_ctrl_s_land_in_the_save_dialogs_name_box(
    make_app: AppFactory,
) -> None:
    from textual.widgets import Input

    from modelarium.tui.dialogs.editor_save import SaveToLibraryDialog
    from modelarium.tui.editor import EditorPane

    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await pilot.press("3")
        await load_panes(pilot)
        await wait_for(pilot, lambda: bool(app.query(EditorPane)))
        editor = app.query_one(EditorPane)
        editor.load_text("FROM llama3.2\nSYSTEM terse\n", origin="test")
        editor.text_area.focus()
        await pilot.pause()
        burst(app, ("ctrl+s", None), *((character, character) for character in "terse-one"))
        dialog = await wait_for_screen(pilot, SaveToLibraryDialog)
        name = dialog.query_one("#save-name", Input)
        await wait_for(pilot, lambda: name.value == "terse-one")
        assert editor.text == "FROM llama3.2\nSYSTEM terse\n"  # nothing typed into the editor
        await pilot.press("enter")  # Enter in the name box saves
        await wait_for(pilot, lambda: not isinstance(app.screen, SaveToLibraryDialog))
        names = [stored.name for stored in app.services.library.get().list_modelfiles()]
        assert "terse-one" in names


async def test_a_paste_right_behind_the_import_key_lands_in_the_import_dialog(
    make_app: AppFactory,
) -> None:
    from textual import events

    from modelarium.tui.dialogs.import_paste import ImportDialog
    from modelarium.tui.editor import EditorPane
    from modelarium.tui.widgets.text_area import ModelfileTextArea

    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await pilot.press("3")
        await load_panes(pilot)
        await wait_for(pilot, lambda: bool(app.query(EditorPane)))
        editor = app.query_one(EditorPane)
        editor.text_area.focus()
        await pilot.pause()
        burst(app, ("ctrl+l", None))
        app.post_message(events.Paste("FROM llama3.2\nSYSTEM pasted\n"))
        await wait_for_screen(pilot, ImportDialog)
        area = app.screen.query_one("#import-text", ModelfileTextArea)
        await wait_for(pilot, lambda: area.text == "FROM llama3.2\nSYSTEM pasted\n")
        assert editor.text == ""


async def test_the_import_dialogs_save_key_beats_its_text_box(make_app: AppFactory) -> None:
    """ctrl+l, and alt+l as tmux sends it (with `l` as text), save; neither types an `l`."""
    from textual import events

    from modelarium.tui.dialogs.editor_save import SaveToLibraryDialog
    from modelarium.tui.dialogs.import_paste import ImportDialog
    from modelarium.tui.widgets.text_area import ModelfileTextArea

    text = "FROM llama3.2\nSYSTEM pasted\n"
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        for key, character in (("ctrl+l", None), ("alt+l", "l")):
            dialog = ImportDialog(text)
            app.push_screen(dialog)
            await wait_for(pilot, partial(focus_settled, app, dialog))
            area = dialog.query_one("#import-text", ModelfileTextArea)
            assert dialog.focused is area
            app.post_message(events.Key(key, character))
            await wait_for_screen(pilot, SaveToLibraryDialog)
            assert area.text == text
            await pilot.press("escape")
            await wait_for(pilot, partial(on_top, app, dialog))
            await pilot.press("escape")
            await wait_for(pilot, lambda: len(app.screen_stack) == 1)


async def test_ctrl_s_saves_from_anywhere_in_the_save_dialog(make_app: AppFactory) -> None:
    from textual.widgets import Button, SelectionList

    from modelarium.tui.dialogs.editor_save import SaveToLibraryDialog
    from modelarium.tui.editor import EditorPane

    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await pilot.press("3")
        await load_panes(pilot)
        await wait_for(pilot, lambda: bool(app.query(EditorPane)))
        editor = app.query_one(EditorPane)
        editor.load_text("FROM llama3.2\nSYSTEM kept\n", origin="test")
        editor.text_area.focus()
        await pilot.press("ctrl+s")
        dialog = await wait_for_screen(pilot, SaveToLibraryDialog)
        button_labels = [str(button.label) for button in dialog.query(Button)]
        assert "Save (^s / Enter)" in button_labels and "Cancel (Esc)" in button_labels
        dialog.query_one("#save-elements", SelectionList).focus()
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, SaveToLibraryDialog))
        # Saved under the name derived from the base, never the base's own name.
        assert "llama3.2-custom" in [
            stored.name for stored in app.services.library.get().list_modelfiles()
        ]


# Dialogs that wait their turn (issue 17 item 3) ---------------------------------------------


async def test_drafts_of_an_earlier_session_are_offered_by_a_notice(
    make_app: AppFactory, library_url: str
) -> None:
    from modelarium.store import Library
    from modelarium.tui.dialogs.editor_drafts import DraftsDialog

    library = Library.open(library_url)
    try:
        library.save_draft("FROM llama3.2\n", name="left behind", origin="crash")
    finally:
        library.close()
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_for(
            pilot,
            lambda: any("earlier session" in n.message for n in app._notifications),
        )
        notice = next(n.message for n in app._notifications if "earlier session" in n.message)
        assert notice.startswith("1 draft from an earlier session: ^d lists them")
        assert len(app.screen_stack) == 1  # no dialog over the Models pane
        await pilot.press("ctrl+d")
        dialog = await wait_for_screen(pilot, DraftsDialog)
        await wait_for(pilot, lambda: [draft.name for draft in dialog.drafts] == ["left behind"])
        await pilot.press("x")  # a letter never discards
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(app.screen_stack) == 1)
        drafts = app.services.library.get().list_drafts()
        assert [draft.name for draft in drafts] == ["left behind"]


async def test_the_drafts_key_leaves_a_dialog_its_own_ctrl_d(make_app: AppFactory) -> None:
    from textual.widgets import Input

    from modelarium.tui.dialogs.editor_drafts import DraftsDialog
    from modelarium.tui.dialogs.name_input import NameDialog
    from modelarium.tui.models import ModelsPane

    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        pane = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: bool(pane.shown_rows))
        await pilot.press("p")
        await wait_for_screen(pilot, NameDialog)
        prompt = app.screen.query_one(Input)
        prompt.value = "abc"
        prompt.cursor_position = 0
        await pilot.press("ctrl+d")  # the text box's delete-right, not the drafts list
        await wait_for(pilot, lambda: prompt.value == "bc")
        assert not isinstance(app.screen, DraftsDialog)


def focus_settled(app: App[None], dialog: Screen[Any]) -> bool:
    """The dialog is on top and has its focus."""
    return app.screen is dialog and dialog.focused is not None


def on_top(app: App[None], screen: Screen[Any]) -> bool:
    """`screen` is the one on top."""
    return app.screen is screen


async def test_confirm_dialogs_start_on_the_answer_that_keeps_things(
    make_app: AppFactory,
) -> None:
    from pathlib import Path

    from textual.widgets import Button

    from modelarium.tui.dialogs.confirm import ConfirmDialog
    from modelarium.tui.editor.file_dialogs import ConfirmDiscard, ConfirmOverwrite

    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        for dialog, keep_id in (
            (ConfirmDialog("Delete?", "It goes.", confirm_label="Delete"), "cancel"),
            (ConfirmOverwrite(Path("Modelfile")), "overwrite-no"),
            (ConfirmDiscard("library unavailable"), "discard-no"),
        ):
            answers: list[bool | None] = []
            app.push_screen(dialog, answers.append)
            await wait_for(pilot, partial(focus_settled, app, dialog))
            focused = dialog.focused
            assert isinstance(focused, Button) and focused.id == keep_id
            await pilot.press("enter")
            await wait_for(pilot, partial(operator.eq, answers, [False]))


async def test_c_in_the_elements_list_copies_that_element(library_url: str) -> None:
    """The plain key works where no text box has the focus; in the text it is typed."""
    from textual.widgets import ListView

    from modelarium.tui.editor import EditorPane
    from tests.tui.test_editor import EditorApp
    from tests.tui.test_editor import settle as settle_editor

    app = EditorApp(library_url, "FROM llama3\nSYSTEM You are terse.\n")
    async with app.run_test(size=(140, 40)) as pilot:
        assert app._driver is not None
        setattr(app._driver, "write", lambda _data: None)  # noqa: B010 - no OSC 52 on stdout
        pane = app.query_one(EditorPane)
        await settle_editor(app, pilot)
        elements = app.query_one("#editor-elements", ListView)
        elements.focus()
        elements.index = 1
        await pilot.press("c")
        await wait_for(pilot, lambda: app.clipboard == "SYSTEM You are terse.\n")
        pane.text_area.focus()
        pane.text_area.move_cursor((2, 0))
        await pilot.press("c")
        await wait_for(pilot, lambda: pane.text.endswith("terse.\nc"))


def first_command_is(app: App[None], label: str) -> bool:
    """The command palette's first hit is `label`."""
    from textual.command import CommandList

    found = app.screen.query(CommandList)
    if not found or found.first().option_count == 0:
        return False
    return str(found.first().get_option_at_index(0).prompt).startswith(label)


async def test_the_palette_opens_the_drafts(make_app: AppFactory) -> None:
    from modelarium.tui.dialogs.editor_drafts import DraftsDialog

    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await load_panes(pilot)
        await pilot.press("ctrl+p", *"drafts")
        await wait_for(pilot, partial(first_command_is, app, "Drafts"))
        await pilot.press("enter")
        await wait_for_screen(pilot, DraftsDialog)


async def test_keys_typed_together_act_in_order_across_a_pane_switch(
    make_app: AppFactory,
) -> None:
    """`2 /` typed in one burst: `/` acts in the Library, where `2` went, not on the Models
    filter (a priority key there, checked before `2` had switched the pane); and back."""
    from textual.widgets import Input

    from modelarium.tui.app import ModelariumApp
    from modelarium.tui.models import ModelsPane

    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        assert isinstance(app, ModelariumApp)
        pane = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: bool(pane.shown_rows))
        await load_panes(pilot, "library")
        models_filter = app.query_one("#models-filter", Input)
        library_search = app.query_one("#library-search", Input)
        for _ in range(3):
            burst(app, ("2", "2"), ("slash", "/"))
            await wait_for(pilot, lambda: library_search.has_focus)
            assert app.current_pane == "library"
            assert not models_filter.has_focus
            # Down into the results, then back to Models and its filter, in one burst.
            burst(app, ("down", None), ("1", "1"), ("slash", "/"), ("q", "q"))
            await wait_for(pilot, lambda: models_filter.value == "q")
            assert library_search.value == ""
            await pilot.press("escape", "ctrl+u")
            models_filter.value = ""


# Escape then a key, typed within the escape delay, arrive as alt plus the key ----------------


def test_an_alt_key_splits_into_the_escape_and_key_it_was_typed_as() -> None:
    from textual import events

    from modelarium.tui.key_router import escape_then_key

    def split(key: str, character: str | None) -> list[tuple[str, str | None]] | None:
        keys_typed = escape_then_key(events.Key(key, character))
        return None if keys_typed is None else [(k.key, k.character) for k in keys_typed]

    assert split("alt+3", "3") == [("escape", "\x1b"), ("3", "3")]
    assert split("alt+shift+a", "A") == [("escape", "\x1b"), ("A", "A")]
    assert split("alt+slash", "/") == [("escape", "\x1b"), ("slash", "/")]
    assert split("3", "3") is None
    assert split("alt+backspace", "\x7f") is None  # not a printable key
    assert split("alt+up", None) is None


async def test_escape_and_a_pane_key_typed_together_close_help_then_switch(
    make_app: AppFactory,
) -> None:
    """tmux (within its escape-time) and the terminal send Escape then `3` as alt+3: with
    help open it closes help and shows the Editor, as the two keys do."""
    from textual import events

    from modelarium.tui.app import ModelariumApp
    from modelarium.tui.dialogs.help import HelpScreen
    from modelarium.tui.models import ModelsPane

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app, ModelariumApp)
        pane = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: bool(pane.shown_rows))
        for separately in (True, False):
            await pilot.press("f1")
            await wait_for_screen(pilot, HelpScreen)
            if separately:
                burst(app, ("escape", None), ("3", "3"))
            else:
                app.post_message(events.Key("alt+3", "3"))
            await wait_for(pilot, lambda: app.current_pane == "editor")
            await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))
            await pilot.press("f2")  # the editor types `1`
            await wait_for(pilot, lambda: app.current_pane == "models")


async def test_a_bound_alt_key_keeps_its_action(make_app: AppFactory) -> None:
    """alt+d is the drafts key's second name: it opens the drafts, never Escape then `d`."""
    from textual import events

    from modelarium.tui.dialogs.editor_drafts import DraftsDialog
    from modelarium.tui.models import ModelsPane

    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        pane = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: bool(pane.shown_rows))
        app.post_message(events.Key("alt+d", "d"))
        await wait_for_screen(pilot, DraftsDialog)


def test_the_terminal_parser_reads_escape_then_a_digit_as_alt_digit() -> None:
    """ESC 3 in one read (tmux sends Escape then 3 typed fast so) is alt+3, which the app
    splits into Escape and 3; Textual alone reads it as `£`, macOS's Option+3."""
    from textual._xterm_parser import XTermParser
    from textual.events import Key

    from modelarium.tui.key_router import read_escape_digits_as_alt

    read_escape_digits_as_alt()
    for sequence, key in (("\x1b3", "alt+3"), ("\x1b1", "alt+1"), ("\x1bq", "alt+q")):
        parser = XTermParser()
        keys = [event for event in parser.feed(sequence) if isinstance(event, Key)]
        if not keys:  # ESC and a character: the parser waits for more, then gives up
            keys = [event for event in parser.feed("") if isinstance(event, Key)]
        assert [event.key for event in keys] == [key], sequence
