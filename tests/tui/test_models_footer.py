"""The Models footer keeps its most useful keys at 100×30 and 80×24, and every footer shows
the pane keys the same way (F2 F3 F4, which work whatever has the focus); each key shown is
one the screen binds to that action, and the pane keys shown switch the pane."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import ContentSwitcher
from textual.widgets._footer import FooterKey

from modelarium.tui import keys
from modelarium.tui.dialogs.help import HelpScreen
from modelarium.tui.widgets.footer import AppFooter, keys_that_fit
from modelarium.tui.wizard import WizardScreen
from tests.tui.conftest import (
    AppFactory,
    highlight_model,
    load_panes,
    settle,
    wait_for,
    wait_for_screen,
)

PANE_KEYS = {
    "show_pane('models')": "f2",
    "show_pane('library')": "f3",
    "show_pane('editor')": "f4",
}


def shown(pilot: Pilot[None]) -> list[FooterKey]:
    footer = pilot.app.screen.query_one(AppFooter)
    return [key for key in footer.query_children(FooterKey) if key.display]


def shown_actions(pilot: Pilot[None]) -> list[str]:
    return [key.action for key in shown(pilot)]


def assert_keys_work(pilot: Pilot[None]) -> None:
    """Each key shown is bound, on this screen now, to the action it is shown for."""
    active = pilot.app.screen.active_bindings
    for key in shown(pilot):
        assert key.key in active, key.key
        assert active[key.key].binding.action == key.action
    for key in shown(pilot):
        if key.action in PANE_KEYS:
            assert key.key == PANE_KEYS[key.action]


def test_a_ranked_pane_leaves_out_its_least_useful_keys_first() -> None:
    widths = [("a", 10), ("b", 10), ("c", 3), ("help", 8), ("command_palette", 11)]
    # Help and the palette take 19 cells; the rest go by rank while they fit.
    assert keys_that_fit(widths, 40, keep=("b", "a", "c")) == [True, True, False, True, True]
    # a no longer fits after b: c, less useful than a, is not shown in its place.
    assert keys_that_fit(widths, 30, keep=("b", "a", "c")) == [False, True, False, True, True]
    assert keys_that_fit(widths, 33, keep=("c", "b")) == [False, True, True, True, True]
    # Unranked keys come after the ranked ones, in their own order.
    assert keys_that_fit(widths, 33, keep=("c",)) == [True, False, True, True, True]


def test_the_models_ranking_names_its_keys() -> None:
    """Every action the Models footer ranks is one the footer can show there."""
    footer_actions = {
        action.action
        for scope in ("models", "app")
        for action in keys.registered(scope)
        if action.show and action.keys
    }
    ranked = keys.footer_keep("models")
    assert set(ranked) <= footer_actions
    assert len(set(ranked)) == len(ranked)
    assert set(ranked) == footer_actions - {"help", "command_palette"}


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (
            (100, 30),
            ["toggle_select", "open_in_editor", "pull_model", "refresh", "quit"],
        ),
        ((80, 24), ["toggle_select", "open_in_editor", "quit"]),
    ],
    ids=["100x30", "80x24"],
)
async def test_the_models_footer_keeps_its_most_useful_keys(
    size: tuple[int, int], expected: list[str], make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert shown_actions(pilot) == [
            *expected,
            *PANE_KEYS,
            "help",
            "command_palette",
        ]
        assert_keys_work(pilot)


async def test_the_pane_keys_read_the_same_on_every_pane_and_work(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await load_panes(pilot)
        switcher = app.query_one(ContentSwitcher)
        for key, pane in (("f3", "library"), ("f4", "editor"), ("f6", "dashboard")):
            await pilot.press("f2")
            await wait_for(pilot, lambda: switcher.current == "models")
            await settle(pilot)
            assert [k.key for k in shown(pilot) if k.action in PANE_KEYS] == list(
                PANE_KEYS.values()
            )
            assert_keys_work(pilot)
            await pilot.press(key)
            await wait_for(pilot, lambda pane=pane: switcher.current == pane)  # type: ignore[misc]
            await settle(pilot)
            assert [k.key for k in shown(pilot) if k.action in PANE_KEYS] == list(
                PANE_KEYS.values()
            )
            assert_keys_work(pilot)
        # From the Models filter (a text box): the keys shown still switch the pane.
        await pilot.press("f2")
        await wait_for(pilot, lambda: switcher.current == "models")
        await pilot.press("slash")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "models-filter")
        await settle(pilot)
        assert_keys_work(pilot)
        assert {"f2", "f3", "f4"} <= {key.key for key in shown(pilot)}
        await pilot.press("f3")
        await wait_for(pilot, lambda: switcher.current == "library")


async def test_pane_keys_are_neither_shown_nor_run_over_the_wizard_or_a_dialog(
    make_app: AppFactory,
) -> None:
    """Over a screen that covers the panes, a pane key would switch a pane nobody sees."""
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await load_panes(pilot)
        assert set(PANE_KEYS) <= set(shown_actions(pilot))
        await highlight_model(pilot, "llama3.1:8b")
        await pilot.press("w")
        await wait_for_screen(pilot, WizardScreen)
        assert not set(PANE_KEYS) & set(shown_actions(pilot))
        assert_keys_work(pilot)
        await pilot.press("f3")
        assert isinstance(app.screen, WizardScreen) and app.current_pane == "models"
        await pilot.press("f10")  # close (kept as a draft)
        await wait_for(pilot, lambda: not isinstance(app.screen, WizardScreen))
        await pilot.press("f1")
        await wait_for_screen(pilot, HelpScreen)
        await pilot.press("f4")
        assert isinstance(app.screen, HelpScreen) and app.current_pane == "models"
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))
        await pilot.press("f4")  # back over the panes, the key works
        await wait_for(pilot, lambda: app.current_pane == "editor")
