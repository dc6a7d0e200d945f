"""Snapshots of the Models pane and the help screen (demo host, steady cursors, fixed health).

Regenerate after an intended change with `pytest tests/tui/test_app_snapshots.py --snapshot-update`
and review the SVGs in `tests/tui/__snapshots__/`.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Input

from modelarium.ollama.types import HostStatus
from modelarium.tui.app import ModelariumApp
from modelarium.tui.dialogs.help import HelpScreen
from modelarium.tui.messages import HostsChanged
from modelarium.tui.models import ModelsPane
from modelarium.tui.models.details import ModelDetailsView
from modelarium.tui.models.extract import ExtractDialog
from modelarium.tui.models.table import ModelsTable
from tests.tui.conftest import (
    AppFactory,
    load_panes,
    settle,
    wait_for_details,
    wait_for_screen,
)

SnapCompare = Callable[..., bool]
SIZE = (150, 40)


async def steady_start(pilot: Pilot[None]) -> None:
    """Models listed, panes mounted, and a fixed host health (real latency varies per run)."""
    app = pilot.app
    assert isinstance(app, ModelariumApp)
    await settle(pilot, rounds=3)
    await load_panes(pilot)
    demo = app.services.hosts[0]
    app.post_message(
        HostsChanged((HostStatus(demo.name, demo.url, "up", latency_ms=12.0, version="0.33.0"),))
    )
    await settle(pilot)


async def highlight(pilot: Pilot[None], name: str) -> None:
    """Move the cursor to a model and wait for its details."""
    pane = pilot.app.query_one(ModelsPane)
    index = [row.name for row in pane.shown_rows].index(name)
    pane.query_one(ModelsTable).move_cursor(row=index)
    await wait_for_details(pilot, name)
    await settle(pilot)


def test_models_pane_with_details(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await steady_start(pilot)
        await highlight(pilot, "mario/sql-reviewer:latest")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_models_pane_filtered_and_selected_in_light_theme(
    snap_compare: SnapCompare, make_app: AppFactory
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await steady_start(pilot)
        await pilot.press("ctrl+t", "slash", *"qwen", "enter")
        assert pilot.app.query_one("#models-filter", Input).value == "qwen"
        await pilot.press("space", "s")
        await highlight(pilot, "qwen2.5-coder:7b")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await steady_start(pilot)
        await pilot.press("f1")
        await wait_for_screen(pilot, HelpScreen)
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_extract_preview_before_anything_is_saved(
    snap_compare: SnapCompare, make_app: AppFactory
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await steady_start(pilot)
        await pilot.press("slash", *"granite4", "enter")
        await wait_for_details(pilot, "granite4:3b")
        # Notices ("Reading 1 model…", 2 s) come and go with the machine's speed: none here.
        pilot.app.clear_notifications()
        pilot.app.notify = lambda *args, **kwargs: None  # type: ignore[method-assign]
        await pilot.press("x")
        await wait_for_screen(pilot, ExtractDialog)
        # The strip of the details view beside the dialog is repainted whenever a health
        # check or a base's listing arrives: fixed text keeps the picture about the dialog.
        pilot.app.screen_stack[0].query_one(ModelDetailsView).show_message("(details)")
        await pilot.press("down", "down")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
