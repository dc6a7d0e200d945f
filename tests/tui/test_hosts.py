"""Host health in the status bar, and a hanging host never freezes the UI."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from modelarium.config import HostConfig
from modelarium.demo import DemoServerThread, FaultPlan
from modelarium.ollama.types import HostStatus
from modelarium.tui.hosts.status_bar import HostStatusBar
from modelarium.tui.models import ModelsPane
from modelarium.tui.models.table import ModelsTable
from tests.tui.conftest import AppFactory, load_panes, wait_for

Settle = Callable[[Pilot[None]], Awaitable[None]]
SIZE = (160, 45)
HANGING_TIMEOUT = 20.0
"""The request timeout while one host hangs: every key below must take effect while that host
is still being waited for (a freeze would hold the keys until it times out). Key latency
itself is a figure of benchmarks/editor.py, not an assertion: a busy machine only slows it."""


def health_of(bar: HostStatusBar, name: str) -> HostStatus:
    return next(health for health in bar.hosts if health.name == name)


async def test_status_bar_shows_state_latency_and_version(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        bar = app.query_one(HostStatusBar)
        demo = health_of(bar, "demo")
        assert demo.state in ("up", "degraded")  # degraded: a slow answer on a busy test box
        assert demo.version
        assert demo.latency_ms is not None
        line = str(bar.render())
        assert f"demo {demo.state} {demo.latency_ms:.0f} ms v{demo.version}" in line


async def test_a_hanging_host_never_freezes_keys_or_the_other_host(
    demo_server: DemoServerThread,
    second_demo_server: DemoServerThread,
    second_demo_faults: FaultPlan,
    make_app: AppFactory,
) -> None:
    second_demo_faults.hang("/api/*")
    app = make_app(
        HostConfig("laptop", demo_server.url),
        HostConfig("gpu", second_demo_server.url),
        request_timeout=HANGING_TIMEOUT,
    )
    async with app.run_test(size=SIZE) as pilot:
        began = time.monotonic()
        pane = app.query_one(ModelsPane)
        await load_panes(pilot)
        await wait_for(pilot, lambda: bool(pane.shown_rows))
        await pilot.pause(0.3)  # let start-up work (library, editor) finish before timing keys
        # still waiting on the hanging host
        assert "gpu" in pane.state.loading_hosts, pane.state.host_errors
        assert {row.host for row in pane.shown_rows} == {"laptop"}
        table = app.query_one(ModelsTable)
        timings: list[tuple[str, float]] = []
        for expected_row in range(1, 9):
            started = time.perf_counter()
            await pilot.press("down")
            timings.append(("down", time.perf_counter() - started))
            assert table.cursor_row == expected_row
        await pilot.press("slash")
        for character in "llama":
            started = time.perf_counter()
            await pilot.press(character)
            timings.append((character, time.perf_counter() - started))
        await pilot.press("f4")  # the editor: typing there stays prompt too
        editor = app.query_one("#editor").query_one(TextArea)
        editor.focus()
        await pilot.pause(0.05)
        for character in "FROM llama3.2":
            started = time.perf_counter()
            await pilot.press(character if character != " " else "space")
            timings.append((f"editor {character!r}", time.perf_counter() - started))
        assert "FROM llama3.2" in editor.text
        await pilot.press("f2")
        slowest = max(seconds for _, seconds in timings)
        median = statistics.median(seconds for _, seconds in timings)
        assert app.query_one("#models-filter", Input).value == "llama"
        assert all("llama" in f"{row.name} {row.family}" for row in pane.shown_rows)
        assert "gpu" in pane.state.loading_hosts, (pane.state.host_errors, time.monotonic() - began)
        # Every key above took effect while the hanging host was still awaited.
        print("key timings:", [f"{key} {seconds * 1000:.0f} ms" for key, seconds in timings])
        print(f"slowest {slowest * 1000:.0f} ms, median {median * 1000:.0f} ms")
        await wait_for(pilot, lambda: "gpu" in pane.state.host_errors, seconds=HANGING_TIMEOUT + 30)
        assert "gpu" in pane.state.host_errors["gpu"]
        bar = app.query_one(HostStatusBar)
        await wait_for(pilot, lambda: health_of(bar, "gpu").state == "down")
        assert {row.host for row in pane.shown_rows} == {"laptop"}


async def test_host_going_away_turns_down_and_back_up(
    demo_server: DemoServerThread,
    second_demo_server: DemoServerThread,
    second_demo_faults: FaultPlan,
    make_app: AppFactory,
) -> None:
    app = make_app(
        HostConfig("laptop", demo_server.url),
        HostConfig("gpu", second_demo_server.url),
        health_interval=0.2,
    )
    async with app.run_test(size=SIZE) as pilot:
        bar = app.query_one(HostStatusBar)
        pane = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: health_of(bar, "gpu").state == "up")
        await wait_for(pilot, lambda: {row.host for row in pane.shown_rows} == {"laptop", "gpu"})
        second_demo_faults.drop("/api/*")
        # Generous limits: on a loaded 2-core CI machine probes and their backoff run late.
        await wait_for(pilot, lambda: health_of(bar, "gpu").state == "down")
        assert health_of(bar, "laptop").state in ("up", "degraded")
        assert "gpu" in str(bar.render())
        await wait_for(pilot, lambda: {row.host for row in pane.shown_rows} == {"laptop"})
        second_demo_faults.clear()
        await wait_for(pilot, lambda: health_of(bar, "gpu").state == "up")
        await wait_for(pilot, lambda: {row.host for row in pane.shown_rows} == {"laptop", "gpu"})


async def test_a_hung_host_turns_down_and_back_up_at_the_default_settings(
    demo_server: DemoServerThread,
    second_demo_server: DemoServerThread,
    second_demo_faults: FaultPlan,
    make_app: AppFactory,
) -> None:
    """The app's own health interval and request timeout: the probe's shorter deadline marks
    a hung host down, and a down host is probed often enough to be seen coming back. (How
    soon is measured by benchmarks/hosts.py; the limits here only stop a broken test.)"""
    import inspect

    from modelarium.config import Settings
    from modelarium.ollama.hosts import PROBE_TIMEOUT
    from modelarium.tui.app import ModelariumApp

    default_interval = inspect.signature(ModelariumApp).parameters["health_interval"].default
    hang = second_demo_faults.hang("/api/*")
    app = make_app(
        HostConfig("laptop", demo_server.url),
        HostConfig("gpu", second_demo_server.url),
        health_interval=default_interval,
        request_timeout=Settings().request_timeout,
        probe_timeout=None,  # the app's own deadline
    )
    async with app.run_test(size=SIZE) as pilot:
        bar = app.query_one(HostStatusBar)
        await wait_for(pilot, lambda: health_of(bar, "gpu").state == "down", seconds=30)
        gpu = health_of(bar, "gpu")
        assert gpu.last_error == f"no answer to GET /api/version within {PROBE_TIMEOUT:g} s"
        assert "○ gpu down" in str(bar.render())
        # The healthy host stays usable (a very busy machine may make one of its probes slow).
        await wait_for(
            pilot, lambda: health_of(bar, "laptop").state in ("up", "degraded"), seconds=30
        )
        second_demo_faults.remove(hang)
        await wait_for(pilot, lambda: health_of(bar, "gpu").state == "up", seconds=30)
        assert "● gpu up" in str(bar.render())
