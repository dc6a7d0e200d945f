"""The Dashboard at 80×24, 100×30, 160×45 and 220×60: every column of the hosts table stays on
screen whatever the number of probes (the sparkline used to grow to 20 bars and push Memory
off the right edge), it re-fits when the terminal resizes, and notices never cover the status
line (they stacked over it, from the screen's bottom right). A host named by its URL gives
way last, clipped."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import DataTable, Static
from textual.widgets._toast import Toast

from modelarium.config import HostConfig
from modelarium.demo import DemoServerThread
from modelarium.tui.app import ModelariumApp
from modelarium.tui.dashboard import DashboardPane
from modelarium.tui.dashboard.view import (
    HOST_COLUMNS,
    LOADED_COLUMNS,
    LOADED_CONTEXT_COLUMN,
    LOADED_MODEL_COLUMN,
    PROBES_COLUMN,
    SPARK_WIDTH,
    fit_loaded,
    sparkline,
)
from tests.tui.conftest import AppFactory, hosts_up, wait_for

SIZES = [(80, 24), (100, 30), (160, 45), (220, 60)]
IDS = [f"{width}x{height}" for width, height in SIZES]
PROBES = 25
"""Probes recorded before the checks: more than the sparkline can ever show."""


async def open_dashboard(pilot: Pilot[None], host: str = "demo") -> DashboardPane:
    """Show the dashboard, wait for its first read of the host, then record `PROBES` probes
    and wait for the read that redraws with them."""
    app = pilot.app
    assert isinstance(app, ModelariumApp)
    await hosts_up(pilot)
    await pilot.press("4")
    await wait_for(pilot, lambda: bool(app.query(DashboardPane)))
    pane = app.query_one(DashboardPane)
    await wait_for(pilot, lambda: pane.reads > 0)
    pane.hosts[host].latencies.extend(float(10 + n % 7) for n in range(PROBES))
    before = pane.reads
    pane.action_refresh()
    await wait_for(pilot, lambda: pane.reads > before)
    return pane


def probes_cell(pane: DashboardPane) -> str:
    """The (first) host's sparkline as shown."""
    hosts = pane.query_one("#dashboard-hosts", DataTable)
    return str(hosts.get_row_at(0)[PROBES_COLUMN])


def assert_every_column_shows(pilot: Pilot[None], pane: DashboardPane, host: str = "demo") -> None:
    """Every column of the hosts table ends within the table's visible width, the table
    within the screen, and the sparkline shows the latest probes."""
    hosts = pane.query_one("#dashboard-hosts", DataTable)
    columns = list(hosts.columns.values())
    assert [str(column.label) for column in columns] == list(HOST_COLUMNS)
    visible = hosts.scrollable_content_region.width
    right = 0
    for column in columns:
        right += column.get_render_width(hosts)
        assert right <= visible, f"{column.label} ends at {right}, past {visible}"
    assert hosts.max_scroll_x == 0
    assert Region(0, 0, *pilot.app.size).contains_region(hosts.region)
    assert hosts.region.height == 1 + hosts.row_count  # the header and the rows: no blank row
    shown = probes_cell(pane)
    assert shown == sparkline(tuple(pane.hosts[host].latencies), len(shown))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_every_host_column_shows_with_many_probes(
    size: tuple[int, int], make_app: AppFactory
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        pane = await open_dashboard(pilot)
        assert len(pane.hosts["demo"].latencies) > SPARK_WIDTH
        assert_every_column_shows(pilot, pane)
        if size[0] >= 160:
            assert len(probes_cell(pane)) == SPARK_WIDTH


async def test_a_host_named_by_its_url_is_clipped_at_80_columns(
    make_app: AppFactory, demo_server: DemoServerThread
) -> None:
    """A host without a name in the settings is named by its URL: at 80×24 the name gives
    way (after the memory split and the extra probes) so that Memory still shows."""
    app = make_app(HostConfig(demo_server.url, demo_server.url))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_dashboard(pilot, demo_server.url)
        assert_every_column_shows(pilot, pane, demo_server.url)
        hosts = pane.query_one("#dashboard-hosts", DataTable)
        shown = str(hosts.get_row_at(0)[0])
        assert shown.endswith("…") and demo_server.url.startswith(shown[:-1])


async def test_the_hosts_table_refits_when_the_terminal_resizes(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        pane = await open_dashboard(pilot)
        assert len(probes_cell(pane)) == SPARK_WIDTH
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: len(probes_cell(pane)) < SPARK_WIDTH)
        await wait_for(pilot, lambda: pane.query_one("#dashboard-hosts").region.width == 80)
        assert_every_column_shows(pilot, pane)
        await pilot.resize_terminal(220, 60)
        await wait_for(pilot, lambda: len(probes_cell(pane)) == SPARK_WIDTH)
        await wait_for(pilot, lambda: pane.query_one("#dashboard-hosts").region.width == 220)
        assert_every_column_shows(pilot, pane)


async def test_notices_leave_the_status_line_readable(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        pane = await open_dashboard(pilot)
        status = pane.query_one("#dashboard-status", Static)
        assert str(status.render()).startswith("All hosts: ")
        notices = (
            "Unloaded llama3.2:3b, qwen2.5-coder:7b on demo.",
            "Could not unload mistral:7b on demo: the host answered 500 Internal Server Error",
            "Loading qwen3:8b on demo…",
        )
        for notice in notices:  # kept long enough to be measured on a busy machine
            pane.notify(notice, timeout=600)

        def toasts() -> list[Toast]:
            return list(app.screen.query(Toast))

        await wait_for(
            pilot,
            lambda: len(toasts()) == len(notices) and all(toast.region.area for toast in toasts()),
        )
        assert Region(0, 0, *app.size).contains_region(status.region)
        assert status.region.area
        for toast in toasts():
            assert not status.region.overlaps(toast.region), (status.region, toast.region)


LONG_NAME = "mario/sql-reviewer:latest"


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_every_in_memory_column_shows_with_a_long_model_name(
    make_app: AppFactory, size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await app.services.client("demo").load(LONG_NAME, keep_alive=-1)
        pane = await open_dashboard(pilot)
        loaded = pane.query_one("#dashboard-loaded", DataTable)
        await wait_for(pilot, lambda: loaded.row_count == 3)
        visible = loaded.scrollable_content_region.width
        right = 0
        for column in loaded.columns.values():
            right += column.get_render_width(loaded)
            assert right <= visible, f"{column.label} ends at {right}, past {visible}"
        shown = [str(loaded.get_row_at(row)[1]) for row in range(loaded.row_count)]
        long = next(name for name in shown if name.startswith("mario/"))
        assert long == LONG_NAME or (size[0] <= 100 and long.endswith("…"))
        assert all(str(loaded.get_row_at(row)[4]) for row in range(loaded.row_count))
        if size[0] >= 160:
            assert long == LONG_NAME
        # The whole name is what the actions read.
        loaded.move_cursor(row=shown.index(long))
        assert pane.highlighted_model() == ("demo", LONG_NAME)


def test_the_model_and_context_give_way_only_when_the_table_would_not_fit() -> None:
    rows = [("demo", LONG_NAME, "5.1 GB", "22%/78% CPU/GPU", "4096 of 32768", "4:59")]
    whole = sum(max(len(h), len(c)) + 2 for h, c in zip(LOADED_COLUMNS, rows[0], strict=True))
    assert fit_loaded(rows, whole) == {}
    assert fit_loaded(rows, whole - 5) == {LOADED_MODEL_COLUMN: len(LONG_NAME) - 5}
    # Past the context's width both give way in turn, the wider first.
    both = fit_loaded(rows, whole - 20)
    assert abs(both[LOADED_MODEL_COLUMN] - both[LOADED_CONTEXT_COLUMN]) <= 1
    tiny = fit_loaded(rows, 20)  # no narrower than their headers
    assert tiny == {LOADED_MODEL_COLUMN: len("Model"), LOADED_CONTEXT_COLUMN: len("Context")}
    assert fit_loaded([], 80) == {}
