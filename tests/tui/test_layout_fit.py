"""Layout at 80×24, 100×30 and 160×45: the editor's parameter form and prompt preview take
their place beside the text without overlapping it, the create dialog gives the name the room,
the help shows every heading and action name whole, and every footer shows whole keys only,
F1 Help and ^p Palette always."""

from __future__ import annotations

from functools import partial

import pytest
from rich.console import Console
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets._footer import FooterKey

from modelarium.tui import keys
from modelarium.tui.app import ModelariumApp
from modelarium.tui.dialogs.editor_create import CreateModelDialog
from modelarium.tui.dialogs.help import help_sections
from modelarium.tui.editor.prompt_preview import PromptPreview
from modelarium.tui.keymap import PANE_KEYS_FIRST
from modelarium.tui.messages import PaneId
from modelarium.tui.trials.screen import TrialsScreen
from modelarium.tui.widgets.footer import AppFooter, keys_that_fit
from modelarium.tui.widgets.parameter_form import ParameterPanel
from modelarium.tui.wizard import WizardScreen
from tests.tui.conftest import (
    AppFactory,
    highlight_model,
    load_panes,
    settle,
    wait_for,
    wait_for_screen,
)

SIZES = [(80, 24), (100, 30), (160, 45)]
IDS = [f"{width}x{height}" for width, height in SIZES]
TEXT_AT_LEAST = 30
"""Columns the Modelfile text keeps beside the form or the preview (it had 4 at 100×30)."""


def overlaps(one: Widget, other: Widget) -> bool:
    """Whether two displayed widgets share a cell on screen."""
    return one.display and other.display and bool(one.region.intersection(other.region))


def footer_keys(pilot: Pilot[None]) -> list[FooterKey]:
    """The footer keys shown on the current screen."""
    footer = pilot.app.screen.query_one(AppFooter)
    return [key for key in footer.query_children(FooterKey) if key.display]


def assert_footer_fits(pilot: Pilot[None]) -> None:
    """Every key shown lies whole inside the footer, written as the help writes it; Help and
    the palette are among them."""
    footer = pilot.app.screen.query_one(AppFooter)
    shown = footer_keys(pilot)
    for key in shown:
        assert footer.region.contains_region(key.region), key.description
        assert key.region.width > 0
        assert key.key_display == keys.display_key(key.key)  # as the help writes it: F2, Esc
    actions = [key.action for key in shown]
    assert "help" in actions
    assert actions.count("command_palette") == 1


async def open_editor(pilot: Pilot[None]) -> None:
    app = pilot.app
    await settle(pilot)
    await load_panes(pilot, "editor")
    await pilot.press("f4")
    await wait_for(pilot, lambda: app.query_one("#editor-text").has_focus)
    await pilot.press(*"FROM llama3.1:8b", "enter", *"PARAMETER num_ctx 8192")


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_parameter_form_takes_its_place_beside_the_text(
    size: tuple[int, int], make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_editor(pilot)
        await pilot.press("f10")
        await wait_for(pilot, lambda: bool(app.query(ParameterPanel)))
        await settle(pilot)
        form = app.query_one(ParameterPanel)
        text = app.query_one("#editor-text")
        side = app.query_one("#editor-side")
        assert not overlaps(form, text) and not overlaps(form, side)
        assert Region(0, 0, *size).contains_region(form.region)
        assert text.size.width >= TEXT_AT_LEAST
        if size[0] < 120:  # the form replaces the side panels on a narrow terminal
            assert not side.display
        else:
            assert side.display and side.size.width == 44
        # Every row is reachable: the last one scrolls into the form's view.
        last = form.query(".parameter-row").last()
        last.scroll_visible(animate=False, immediate=True)
        await settle(pilot)
        assert form.region.contains_region(last.region)
        await pilot.press("f10")
        await wait_for(pilot, lambda: not app.query(ParameterPanel))
        await settle(pilot)
        assert side.display


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_prompt_preview_narrows_the_side_panels_before_the_text(
    size: tuple[int, int], make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await open_editor(pilot)
        await pilot.press("f12")
        preview = app.query_one(PromptPreview)
        await wait_for(pilot, lambda: preview.shown)
        await settle(pilot)
        text = app.query_one("#editor-text")
        side = app.query_one("#editor-side")
        assert text.size.width > preview.size.width
        assert text.size.width >= TEXT_AT_LEAST
        if side.display:
            assert text.size.width > side.size.width
        assert not overlaps(preview, text) and not overlaps(preview, side)


async def test_create_dialog_gives_the_name_the_room(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_editor(pilot)
        await pilot.press("ctrl+r")
        await wait_for_screen(pilot, CreateModelDialog)
        await settle(pilot)
        name = app.screen.query_one("#create-name")
        host = app.screen.query_one("#create-host")
        assert name.size.width > host.size.width
        assert name.size.width >= 24


@pytest.mark.parametrize("width", [76, 106])
def test_help_shows_headings_and_action_names_whole(width: int) -> None:
    console = Console(width=width, record=True, color_system=None)
    console.print(help_sections())
    text = console.export_text()
    lines = [line.strip() for line in text.splitlines()]
    for scope in keys.scopes():
        assert keys.SCOPE_TITLES.get(scope, scope) in lines
    for action in keys.registered():
        assert action.description in text, action.description
    written = sum(action.explanation.count("…") for action in keys.registered())
    assert text.count("…") == written  # nothing cut short


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_footers_show_whole_keys_help_and_palette(
    size: tuple[int, int], make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        assert isinstance(app, ModelariumApp)
        await settle(pilot)
        await load_panes(pilot)
        await highlight_model(pilot, "llama3.1:8b")
        panes: tuple[tuple[str, PaneId], ...] = (
            ("f2", "models"),
            ("f3", "library"),
            ("f4", "editor"),
            ("f6", "dashboard"),
        )
        for pane_key, pane in panes:
            await pilot.press(pane_key)
            await wait_for(pilot, partial(app.pane_loaded, pane))
            await settle(pilot)
            assert_footer_fits(pilot)
            # Every pane's footer shows the pane keys and Quit, whatever else gives way.
            shown = {key.action for key in footer_keys(pilot)}
            assert set(PANE_KEYS_FIRST) <= shown, pane
        await pilot.press("f2")
        await highlight_model(pilot, "llama3.1:8b")
        await pilot.press("w")
        await wait_for_screen(pilot, WizardScreen)
        await settle(pilot)
        assert_footer_fits(pilot)
        await pilot.press("f10")
        await wait_for(pilot, lambda: not isinstance(app.screen, WizardScreen))
        await highlight_model(pilot, "llama3.1:8b")
        await pilot.press("space", "t")
        await wait_for_screen(pilot, TrialsScreen)
        await settle(pilot)
        assert_footer_fits(pilot)


def test_keys_that_fit_keeps_help_and_palette_and_the_order() -> None:
    widths = [("a", 10), ("b", 10), ("c", 3), ("help", 8), ("command_palette", 11)]
    assert keys_that_fit(widths, 40) == [True, True, False, True, True]
    assert keys_that_fit(widths, 18) == [False, False, False, True, True]
    assert keys_that_fit(widths, 200) == [True] * 5
