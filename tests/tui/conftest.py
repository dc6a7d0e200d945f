"""Shared TUI fixtures: a demo Ollama host over real HTTP, a temp SQLite library, no blinking.

- `demo_faults` / `demo_server`: a fresh seeded `DemoServerThread` per test (tests create, copy
  and delete), with a `FaultPlan` the test can fill (hang, cut, delay, error).
- `second_demo_server`: another demo host with its own `second_demo_faults`, for two-host tests.
- `library_url`: a SQLite URL in the test's temp folder (the library file does not exist yet).
- `make_services(*urls)`: `Services` for the given host URLs (named host1, host2, ...).
- `make_app(...)`: a `ModelariumApp` on the demo host (or given URLs), ready for `run_test()`.
- `wait_settled(pilot)`: wait for workers and a repaint.
- Autouse: cursors never blink, so snapshots are stable.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, TextArea

from modelarium.config import HostConfig, Settings
from modelarium.tui.models.table import ModelsTable

if TYPE_CHECKING:
    from modelarium.demo import DemoServerThread, FaultPlan
    from modelarium.ollama.types import HostStatus
    from modelarium.tui.app import ModelariumApp
    from modelarium.tui.messages import PaneId
    from modelarium.tui.state import Services

ServicesFactory = Callable[..., "Services"]
AppFactory = Callable[..., "ModelariumApp"]


@pytest.fixture(autouse=True)
def steady_cursors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep text cursors visible instead of blinking (blinking makes snapshots flaky)."""

    def stay_visible(widget: Input | TextArea) -> None:
        widget._cursor_visible = True

    monkeypatch.setattr(Input, "_toggle_cursor", stay_visible)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", stay_visible)


@pytest.fixture
def demo_faults() -> FaultPlan:
    """The fault plan of `demo_server` (empty: the host behaves normally)."""
    from modelarium.demo import FaultPlan

    return FaultPlan()


@pytest.fixture
def demo_server(demo_faults: FaultPlan) -> Iterator[DemoServerThread]:
    """A seeded demo Ollama host on 127.0.0.1 (random port), stopped after the test."""
    from modelarium.demo import DemoServerThread

    with DemoServerThread(faults=demo_faults) as server:
        yield server


@pytest.fixture
def second_demo_faults() -> FaultPlan:
    """The fault plan of `second_demo_server`."""
    from modelarium.demo import FaultPlan

    return FaultPlan()


@pytest.fixture
def second_demo_server(second_demo_faults: FaultPlan) -> Iterator[DemoServerThread]:
    """A second, independent demo host (for two-host tests)."""
    from modelarium.demo import DemoServerThread

    with DemoServerThread(faults=second_demo_faults) as server:
        yield server


@pytest.fixture
def library_url(tmp_path: Path) -> str:
    """A SQLite database URL in this test's temp folder."""
    return f"sqlite:///{tmp_path / 'library.sqlite3'}"


@pytest.fixture
def make_services(library_url: str) -> ServicesFactory:
    """Build `Services` for host URLs (named host1, host2, ... unless given as HostConfig)."""
    from modelarium.tui.state import LibraryHandle, Services

    def build(
        *hosts: str | HostConfig,
        demo: bool = False,
        database_url: str | None = None,
        # As long as the waits' bound (30 s), not the app's 10 s: with every core busy and
        # three test workers, a demo host's listing took over 10 s, and a test without the
        # health monitor never lists again. Tests of hanging hosts pass their own timeout.
        request_timeout: float = 30.0,
        # Likewise for a health probe (the app's is 1.5 s): tests run without the health
        # monitor, so a probe slowed past its deadline would leave a host down for the rest of
        # the test. The pool takes the shorter of this and `request_timeout`, so hanging-host
        # tests keep their short deadlines; `None` is the app's own.
        probe_timeout: float | None = 30.0,
    ) -> Services:
        host_configs = tuple(
            host if isinstance(host, HostConfig) else HostConfig(f"host{index}", host)
            for index, host in enumerate(hosts, start=1)
        )
        url = database_url if database_url is not None else library_url
        return Services(
            settings=Settings(
                hosts=host_configs, database_url=url, request_timeout=request_timeout
            ),
            hosts=host_configs,
            library=LibraryHandle(url),
            demo=demo,
            probe_timeout=probe_timeout,
        )

    return build


@pytest.fixture
def make_app(demo_server: DemoServerThread, make_services: ServicesFactory) -> AppFactory:
    """Build a `ModelariumApp`; by default on the demo host, named `demo`."""
    from modelarium.tui.app import ModelariumApp

    def build(
        *hosts: str | HostConfig, health_interval: float | None = None, **services_options: object
    ) -> ModelariumApp:
        chosen = hosts or (HostConfig("demo", demo_server.url),)
        services = make_services(*chosen, **services_options)
        return ModelariumApp(services, health_interval=health_interval)

    return build


async def settle(pilot: Pilot[None], rounds: int = 2) -> None:
    """Let workers finish and the screen repaint (HTTP to the demo host is real, so wait).

    A worker replaced by a newer one of its group (an exclusive worker: the details of the
    model the cursor rests on) ends cancelled: that is the app at work, so the wait goes on
    for the rest."""
    from textual.worker import WorkerCancelled

    for _ in range(rounds):
        await pilot.pause(0.05)
        deadline = time.monotonic() + 60  # a bound for a broken test, not a speed
        while True:
            try:
                await pilot.app.workers.wait_for_complete()
                break
            except WorkerCancelled:
                assert time.monotonic() < deadline, "workers kept being replaced"
    await pilot.pause(0.05)


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 30) -> None:
    """Pause until `condition()` holds; fail the test after `seconds` (a bound for a broken
    test, not a speed: a demo host's listing took over 10 s with every core busy)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        await pilot.pause(0.05)


ScreenT = TypeVar("ScreenT", bound=Screen[Any])


async def wait_for_screen(pilot: Pilot[None], kind: type[ScreenT], seconds: float = 30) -> ScreenT:
    """Wait until a `kind` screen is on top with its widgets mounted, and return it: a pushed
    screen is `app.screen` before its children are, so a query right after could miss them."""

    def ready() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, kind) and screen.is_mounted

    await wait_for(pilot, ready, seconds)
    screen = pilot.app.screen
    assert isinstance(screen, kind)
    return screen


async def hosts_up(pilot: Pilot[None], *names: str, seconds: float = 30) -> None:
    """Wait until the app's first probe of the hosts `names` (every host unless named) has
    answered, then probe again, as the health monitor would, while one is down. Tests run
    without the monitor, so one probe slowed past its deadline by a busy machine would otherwise
    leave a host marked down for the rest of the test."""
    from modelarium.tui.app import ModelariumApp

    app = pilot.app
    assert isinstance(app, ModelariumApp)

    def wanted() -> list[HostStatus]:
        pool = app.services.pool
        statuses = pool.statuses() if pool is not None else ()
        return [status for status in statuses if not names or status.name in names]

    await wait_for(
        pilot, lambda: bool(wanted()) and all(s.state != "unknown" for s in wanted()), seconds
    )
    deadline = time.monotonic() + seconds
    while any(status.state == "down" for status in wanted()):
        assert time.monotonic() < deadline, "a host stayed down"
        pool = app.services.pool
        assert pool is not None
        await pool.check_all()


async def load_panes(pilot: Pilot[None], *panes: PaneId, seconds: float = 30) -> None:
    """Ask the app for deferred panes (the Library and the Editor unless named) without
    showing them, as their first use would, and wait until they are mounted."""
    from modelarium.tui.app import DEFERRED_PANES, ModelariumApp

    app = pilot.app
    assert isinstance(app, ModelariumApp)
    wanted = panes or tuple(DEFERRED_PANES)
    for pane_id in wanted:
        app.load_pane(pane_id)
    await wait_for(pilot, lambda: all(app.pane_loaded(pane_id) for pane_id in wanted), seconds)


def palette_offers(app: object) -> bool:
    """The command palette is open and has highlighted a command for what was typed."""
    from textual.command import CommandList, CommandPalette

    screen = getattr(app, "screen", None)
    if not isinstance(screen, CommandPalette):
        return False
    commands = screen.query(CommandList)
    return bool(commands) and commands.first().highlighted is not None


async def wait_for_details(pilot: Pilot[None], name: str, seconds: float = 30) -> None:
    """Wait until the Models pane's details view shows the details of the model `name`."""
    from modelarium.tui.models import ModelsPane
    from modelarium.tui.models.rows import row_key

    pane = pilot.app.query_one(ModelsPane)

    def shown() -> bool:
        row = pane.cursor_row
        return (
            row is not None
            and row.name == name
            and pane.details_shown_for == (row_key(row), row.digest)
        )

    await wait_for(pilot, shown, seconds)


async def highlight_model(pilot: Pilot[None], name: str) -> None:
    """Put the Models table's cursor on the model called `name`."""

    from modelarium.tui.models import ModelsPane

    pane = pilot.app.query_one(ModelsPane)
    await wait_for(pilot, lambda: name in [row.name for row in pane.shown_rows])
    index = [row.name for row in pane.shown_rows].index(name)
    pane.query_one(ModelsTable).move_cursor(row=index)
    await pilot.pause(0.05)


@pytest.fixture
def wait_settled() -> Callable[..., Awaitable[None]]:
    """`await wait_settled(pilot)`: workers done, screen repainted."""
    return settle
