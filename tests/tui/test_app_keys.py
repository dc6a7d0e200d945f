"""The key registry feeds bindings, the help screen and the command palette alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import App
from textual.command import Provider

from modelarium.tui import keys
from modelarium.tui.commands import RegistryCommands
from modelarium.tui.dialogs.help import help_table


def test_every_pane_action_is_registered_with_a_key() -> None:
    models_actions = {action.action for action in keys.registered("models")}
    assert {"extract", "copy_model", "delete_models", "pull_model", "push_model"} <= models_actions
    assert all(action.keys for action in keys.registered("models"))


def test_bindings_are_built_from_the_registry() -> None:
    bindings = keys.bindings_for("app")
    assert [b.action for b in bindings] == [a.action for a in keys.registered("app") if a.keys]
    show_models = next(b for b in bindings if b.action == "show_pane('models')")
    assert show_models.key == "1,f2"
    assert show_models.tooltip == "Show the Models pane"


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
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.2)
    assert ran == ["toggle_theme"]
