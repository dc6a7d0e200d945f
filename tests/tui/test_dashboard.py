"""The Dashboard pane on the demo host: hosts and loaded models, the unload countdown, unload
one and unload all, load with a keep-alive, jump to Models; a snapshot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from textual.pilot import Pilot
from textual.widgets import DataTable

from modelarium.demo import DemoServerThread, FaultPlan
from modelarium.ollama.types import HostStatus
from modelarium.tui.app import ModelariumApp
from modelarium.tui.dashboard import DashboardPane
from modelarium.tui.dashboard.view import countdown_text, sparkline
from modelarium.tui.dialogs.name_input import NameDialog
from modelarium.tui.messages import HostsChanged
from modelarium.tui.models import ModelsPane
from modelarium.tui.models.table import ModelsTable
from tests.tui.conftest import AppFactory, hosts_up, load_panes, settle, wait_for, wait_for_screen

SnapCompare = Callable[..., bool]
SIZE = (150, 40)


def loaded_rows(pane: DashboardPane) -> dict[str, list[str]]:
    """Model name -> the cells of its row in the loaded-models table."""
    table = pane.query_one("#dashboard-loaded", DataTable)
    rows = [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]
    return {row[1]: row for row in rows}


async def open_dashboard(pilot: Pilot[None], *up: str) -> DashboardPane:
    """Switch to the dashboard and wait until it has read the host (the hosts `up`, every
    host unless named, are probed until they are up)."""
    app = pilot.app
    assert isinstance(app, ModelariumApp)
    await load_panes(pilot)
    await hosts_up(pilot, *up)
    await pilot.press("4")
    pane = app.query_one(DashboardPane)
    await wait_for(pilot, lambda: len(loaded_rows(pane)) == 2)
    return pane


def test_countdown_and_sparkline_text() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert countdown_text(now + timedelta(seconds=299), now) == "4:59"
    assert countdown_text(now + timedelta(hours=1, seconds=62), now) == "1:01:02"
    assert countdown_text(now - timedelta(seconds=1), now) == "unloading"
    assert countdown_text(now + timedelta(days=365 * 200), now) == "stays loaded"
    assert sparkline([10.0, 20.0, None, 40.0]) == "▃▅·█"


async def test_dashboard_counts_down_and_unloads(make_app: AppFactory) -> None:
    app = make_app()
    frozen = [datetime.now(UTC)]
    app.services.clock = lambda: frozen[0]
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_dashboard(pilot)
        hosts = pane.query_one("#dashboard-hosts", DataTable)
        host_row = [str(cell) for cell in hosts.get_row_at(0)]
        assert host_row[0] == "demo" and host_row[7] == "2"
        coder = loaded_rows(pane)["qwen2.5-coder:7b"]
        assert coder[2] == "6.6 GB" and coder[3] == "22%/78% CPU/GPU"
        assert coder[4].startswith("8192 of ")
        before = coder[5]
        minutes, seconds = map(int, before.split(":"))

        frozen[0] += timedelta(seconds=30)
        left = minutes * 60 + seconds - 30
        wanted = f"{left // 60}:{left % 60:02d}"
        await wait_for(pilot, lambda: loaded_rows(pane)["qwen2.5-coder:7b"][5] == wanted)

        table = pane.query_one("#dashboard-loaded", DataTable)
        names = list(loaded_rows(pane))
        table.move_cursor(row=names.index("qwen2.5-coder:7b"))
        await pilot.press("u")
        await wait_for(pilot, lambda: "qwen2.5-coder:7b" not in loaded_rows(pane))
        assert list(loaded_rows(pane)) == ["llama3.2:3b"]
        running = await app.services.client("demo").running_models()
        assert [model.name for model in running] == ["llama3.2:3b"]

        await pilot.press("U")  # every model on the host
        await wait_for(pilot, lambda: not loaded_rows(pane))
        assert await app.services.client("demo").running_models() == ()


async def test_loading_a_model_the_host_lacks_names_it_once_then_the_host(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot)
        await pilot.press("l")
        await wait_for_screen(pilot, NameDialog)
        await pilot.press(*"nosuch:1b", "enter")

        def failure() -> str:
            said = [n.message for n in app._notifications if n.message.startswith("Could not")]
            return said[0] if said else ""

        await wait_for(pilot, lambda: bool(failure()))
        assert failure().startswith("Could not load nosuch:1b: demo (http://")
        assert failure().count("nosuch:1b") == 1 and failure().count("demo") == 1
        assert failure().endswith("not found (HTTP 404)")


async def test_load_with_keep_alive_then_show_in_models(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_dashboard(pilot)
        await pilot.press("l")
        await wait_for_screen(pilot, NameDialog)
        await pilot.press(*"mistral:7b -1", "enter")
        await wait_for(pilot, lambda: "mistral:7b" in loaded_rows(pane))
        assert loaded_rows(pane)["mistral:7b"][5] == "stays loaded"

        table = pane.query_one("#dashboard-loaded", DataTable)
        table.focus()
        table.move_cursor(row=list(loaded_rows(pane)).index("mistral:7b"))
        await pilot.press("m")
        models = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: app.current_pane == "models")
        await wait_for(
            pilot,
            lambda: (cursor := models.cursor_row) is not None and cursor.name == "mistral:7b",
        )


def test_dashboard_snapshot(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    app = make_app()

    async def run_before(pilot: Pilot[None]) -> None:
        pane = await open_dashboard(pilot)
        await settle(pilot)
        pool = app.services.pool
        assert pool is not None
        fixed = HostStatus(
            "demo", app.services.hosts[0].url, "up", "0.33.0", 12.0, None, datetime(2026, 1, 1)
        )
        pool.statuses = lambda: (fixed,)  # type: ignore[method-assign]
        app.post_message(
            HostsChanged((HostStatus("demo", fixed.url, "up", latency_ms=12.0, version="0.33.0"),))
        )
        await settle(pilot)
        view = pane.hosts["demo"]
        view.latencies.clear()
        view.latencies.extend([12.0, 14.0, 11.0, 30.0, 12.0, None, 13.0, 12.0])
        view.checked_at = fixed.checked_at
        coder = next(model for model in view.running if model.name == "qwen2.5-coder:7b")
        app.services.clock = lambda: coder.expires_at - timedelta(minutes=4)
        pane.tick()  # redraw from the fixed state now (the timer would, within a second)
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_show_in_models_clears_a_filter_that_hides_the_model(make_app: AppFactory) -> None:
    from textual.widgets import Input

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        models = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: "llama3.2:3b" in [row.name for row in models.shown_rows])
        await pilot.press("/", *"coder", "enter")
        await wait_for(
            pilot,
            lambda: (
                bool(models.shown_rows) and all("coder" in row.name for row in models.shown_rows)
            ),
        )
        pane = await open_dashboard(pilot)
        table = pane.query_one("#dashboard-loaded", DataTable)
        table.focus()
        table.move_cursor(row=list(loaded_rows(pane)).index("llama3.2:3b"))
        await pilot.press("m")
        await wait_for(pilot, lambda: app.current_pane == "models")
        await wait_for(
            pilot,
            lambda: (cursor := models.cursor_row) is not None and cursor.name == "llama3.2:3b",
        )
        assert models.query_one("#models-filter", Input).value == ""
        assert len(models.shown_rows) == len(models.all_rows)
        notices = [notice.message for notice in app._notifications]
        assert 'Filter "coder" cleared to show llama3.2:3b.' in notices


async def test_show_model_clears_a_host_filter_that_hides_it(
    make_app: AppFactory,
    demo_server: DemoServerThread,
    second_demo_server: DemoServerThread,
) -> None:
    """The Dashboard's `m` (a ShowModel) on a model of a host the Models pane filters out:
    the host filter is cleared, and the notice says so."""
    from modelarium.config import HostConfig
    from modelarium.tui.messages import ShowModel

    app = make_app(HostConfig("laptop", demo_server.url), HostConfig("gpu", second_demo_server.url))
    async with app.run_test(size=SIZE) as pilot:
        models = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: {row.host for row in models.shown_rows} == {"laptop", "gpu"})
        models.query_one(ModelsTable).focus()
        await pilot.press("h")  # laptop alone
        await wait_for(pilot, lambda: {row.host for row in models.shown_rows} == {"laptop"})
        app.post_message(ShowModel("gpu", "llama3.2:3b"))
        await wait_for(
            pilot,
            lambda: (
                (cursor := models.cursor_row) is not None
                and (cursor.host, cursor.name) == ("gpu", "llama3.2:3b")
            ),
        )
        assert models.state.host_filter is None
        notices = [notice.message for notice in app._notifications]
        assert 'Host filter "laptop" cleared to show llama3.2:3b.' in notices


async def test_unloading_a_down_host_says_it_is_down(
    make_app: AppFactory,
    demo_server: DemoServerThread,
    second_demo_server: DemoServerThread,
    second_demo_faults: FaultPlan,
) -> None:
    from modelarium.config import HostConfig

    second_demo_faults.drop("/api/*")
    app = make_app(HostConfig("laptop", demo_server.url), HostConfig("gpu", second_demo_server.url))
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_dashboard(pilot, "laptop")
        await wait_for(
            pilot, lambda: "gpu" in pane.hosts and pane.hosts["gpu"].health.state == "down"
        )
        hosts = pane.query_one("#dashboard-hosts", DataTable)
        hosts.focus()
        await wait_for(pilot, lambda: hosts.row_count == 2)
        hosts.move_cursor(row=[str(hosts.get_row_at(i)[0]) for i in range(2)].index("gpu"))
        await pilot.press("U")
        await wait_for(
            pilot, lambda: any(n.message.startswith("gpu is down") for n in app._notifications)
        )
