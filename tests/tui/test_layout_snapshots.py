"""Issue 17 item 1: each pane fits 80×24, 100×30 and 160×45, with nothing cut unmarked.

One snapshot per pane and size, on the demo host with a fixed health line. Before each
snapshot the layout is checked where a cut would hide: the Models table never scrolls
sideways (columns hide by priority, names end in `…`), the Library search box keeps room to
type in at every size, and the Editor status line fits its width.

Regenerate after an intended change with
`pytest tests/tui/test_layout_snapshots.py --snapshot-update` and review the SVGs.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from modelarium.tui.app import ModelariumApp
from modelarium.tui.models import ModelsPane
from modelarium.tui.models.table import ModelsTable
from tests.tui.conftest import AppFactory, settle, wait_for
from tests.tui.test_app_snapshots import highlight, steady_start

SnapCompare = Callable[..., bool]
FROZEN = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
SIZES = [(80, 24), (100, 30), (160, 45)]
SEARCH_BOX_AT_LEAST = 30
"""Columns the Library search box keeps at every size (it had 4 at 100×30)."""


async def models_pane(pilot: Pilot[None]) -> None:
    await highlight(pilot, "llama3.1:8b")
    table = pilot.app.query_one("#models-table", ModelsTable)
    # No column lies beyond the table's right edge: hidden by priority, not cut.
    assert table.virtual_size.width <= table.size.width
    pane = pilot.app.query_one(ModelsPane)
    assert pane.query_one("#model-details").outer_size.width >= 32


async def library_pane(pilot: Pilot[None]) -> None:
    app = pilot.app
    await pilot.press("f3")
    await wait_for(pilot, lambda: app.query_one("#library-search", Input).has_focus)
    search = app.query_one("#library-search", Input)
    assert search.content_size.width >= SEARCH_BOX_AT_LEAST
    for select_id in ("kind", "family", "use-case", "tag", "host"):
        select = app.query_one(f"#library-{select_id}")
        assert select.region.right <= app.size.width  # every filter on screen
    await pilot.press(*"tools")
    results = app.query_one("#library-results", OptionList)
    await wait_for(pilot, lambda: results.option_count > 0)
    await settle(pilot)


async def editor_pane(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, ModelariumApp)
    app.services.clock = lambda: FROZEN  # the draft's time in the status line
    await pilot.press("f4")
    await wait_for(pilot, lambda: app.query_one("#editor-text").has_focus)
    await pilot.press(*"FROM llama3.1:8b", "enter", *"PARAMETER num_ctx 8192")
    status = app.query_one("#editor-status", Static)
    await wait_for(
        pilot,
        lambda: "lint clean" in str(status.content) and "draft saved" in str(status.content),
    )
    await settle(pilot)
    assert len(str(status.content)) <= status.content_size.width


PANES: dict[str, Callable[[Pilot[None]], Awaitable[None]]] = {
    "models": models_pane,
    "library": library_pane,
    "editor": editor_pane,
}


@pytest.fixture(autouse=True)
def utc_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Draft times in the status line print in UTC on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("pane", list(PANES))
def test_pane_fits(
    pane: str, size: tuple[int, int], snap_compare: SnapCompare, make_app: AppFactory
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        assert isinstance(pilot.app, ModelariumApp)
        await steady_start(pilot)
        await PANES[pane](pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_editor_parameter_form_fits(
    size: tuple[int, int], snap_compare: SnapCompare, make_app: AppFactory
) -> None:
    """F10's form beside the text, not over the side panels; on a narrow terminal it takes
    their place and the text keeps a usable width."""

    async def run_before(pilot: Pilot[None]) -> None:
        assert isinstance(pilot.app, ModelariumApp)
        await steady_start(pilot)
        await editor_pane(pilot)
        await pilot.press("f10")
        await wait_for(pilot, lambda: bool(pilot.app.query("#editor-parameters")))
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
