"""Shared TUI fixtures: a demo Ollama host over real HTTP, a temp SQLite library, no blinking.

- `demo_server`: a fresh seeded `DemoServerThread` per test (tests create, copy and delete).
- `library_url`: a SQLite URL in the test's temp folder (the library file does not exist yet).
- `make_services(*urls)`: `Services` for the given host URLs with a frozen clock (`FROZEN_NOW`).
- `make_app(...)`: a `ModelariumApp` on the demo host (or given URLs), ready for `run_test()`.
- Autouse: cursors never blink, so snapshots are stable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from textual.widgets import Input, TextArea

from modelarium.config import HostConfig, Settings

if TYPE_CHECKING:
    from modelarium.demo import DemoServerThread
    from modelarium.tui.app import ModelariumApp
    from modelarium.tui.state import Services

FROZEN_NOW = datetime(2026, 11, 24, 12, 0, 0, tzinfo=UTC)
"""The clock every TUI test runs on, so "modified 3 days ago" is stable in snapshots."""

DEMO_SEED = 7
"""Seed of the demo host's generated data (sizes, digests, times) in TUI tests."""

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
def demo_server() -> Iterator[DemoServerThread]:
    """A seeded demo Ollama host on 127.0.0.1 (random port), stopped after the test."""
    from modelarium.demo import DemoServerThread

    with DemoServerThread(seed=DEMO_SEED) as server:
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
        *hosts: str | HostConfig, demo: bool = False, database_url: str | None = None
    ) -> Services:
        host_configs = tuple(
            host if isinstance(host, HostConfig) else HostConfig(f"host{index}", host)
            for index, host in enumerate(hosts, start=1)
        )
        url = database_url if database_url is not None else library_url
        return Services(
            settings=Settings(hosts=host_configs, database_url=url, request_timeout=2.0),
            hosts=host_configs,
            library=LibraryHandle(url),
            clock=lambda: FROZEN_NOW,
            demo=demo,
        )

    return build


@pytest.fixture
def make_app(demo_server: DemoServerThread, make_services: ServicesFactory) -> AppFactory:
    """Build a `ModelariumApp`; by default on the demo host, named `demo`."""
    from modelarium.tui.app import ModelariumApp

    def build(*hosts: str | HostConfig, **services_options: object) -> ModelariumApp:
        chosen = hosts or (HostConfig("demo", demo_server.url),)
        services = make_services(*chosen, **services_options)
        return ModelariumApp(services, health_interval=None)

    return build
