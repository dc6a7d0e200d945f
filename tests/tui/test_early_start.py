"""The start's early listing (`modelarium.tui.early`) and the Library pane's first use right
after the start, on an up-to-date library (opened without Alembic)."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input

from modelarium.config import HostConfig
from modelarium.demo import DemoServerThread, FaultPlan
from modelarium.ollama.client import OllamaClient
from modelarium.store import Library
from modelarium.tui.app import ModelariumApp
from modelarium.tui.early import EarlyListing, fetch_tags
from modelarium.tui.models.pane import ModelsPane
from tests.tui.conftest import ServicesFactory, wait_for, wait_for_screen


async def test_the_early_listing_reads_what_the_client_reads(
    demo_server: DemoServerThread,
) -> None:
    host = HostConfig("demo", demo_server.url)
    early = await asyncio.to_thread(fetch_tags, host, 5.0)
    client = OllamaClient(host)
    try:
        assert early == await client.list_models()
    finally:
        await client.aclose()
    assert early


async def test_a_hung_first_host_does_not_delay_the_second_hosts_early_list(
    demo_server: DemoServerThread,
    demo_faults: FaultPlan,
    second_demo_server: DemoServerThread,
    make_services: ServicesFactory,
) -> None:
    demo_faults.hang("/api/*")
    hosts = (HostConfig("hung", demo_server.url), HostConfig("second", second_demo_server.url))
    listing = EarlyListing(hosts, 30.0).start()
    app = ModelariumApp(make_services(*hosts, request_timeout=30.0), early_listing=listing)
    async with app.run_test(size=(150, 40)) as pilot:
        pane = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: bool(pane.state.rows_by_host.get("second")))
        assert pane.shown_rows and {row.host for row in pane.shown_rows} == {"second"}
        assert listing.answered() == {"second"}
        await pilot.press("slash", "q")  # the UI answers keys meanwhile
        assert app.query_one("#models-filter", Input).value == "q"


async def test_the_library_pane_works_when_searched_right_after_the_start(
    demo_server: DemoServerThread, make_services: ServicesFactory, library_url: str
) -> None:
    Library.open(library_url).close()  # up to date: the app opens it without Alembic
    host = HostConfig("demo", demo_server.url)
    app = ModelariumApp(make_services(host))
    async with app.run_test(size=(150, 40)) as pilot:
        await pilot.press("2")  # the Library pane, asked for before it has loaded
        await wait_for(pilot, lambda: bool(app.query("#library-search")))
        pane = app.query_one("#library")
        search = app.query_one("#library-search", Input)
        search.focus()
        await pilot.press(*"qwen")
        await wait_for(
            pilot,
            lambda: (
                bool(getattr(pane, "hits", None))
                and all(
                    "qwen" in (hit.name + str(hit.tags) + hit.snippet).lower()
                    for hit in getattr(pane, "hits", ())
                )
            ),
        )
        assert search.value == "qwen"


async def test_a_model_listed_early_can_be_acted_on_before_the_hosts_connect(
    demo_server: DemoServerThread,
    make_services: ServicesFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`a` then `x` typed as soon as the early list shows: the extraction is prepared, not
    refused with "the hosts are not connected yet" once per model."""
    from modelarium.tui.models.extract import ExtractDialog

    def not_yet(self: ModelariumApp, replace: bool = True) -> None:
        """The app's own connection has not happened yet (it waits for an import)."""

    monkeypatch.setattr(ModelariumApp, "connect_hosts", not_yet)
    # Nor do the highlighted model's details open the pool first (on a busy machine their
    # debounce can end before the test looks).
    monkeypatch.setattr(ModelsPane, "_show_cursor_details", lambda self: None)
    host = HostConfig("demo", demo_server.url)
    listing = EarlyListing((host,), 30.0).start()
    app = ModelariumApp(make_services(host), early_listing=listing)
    async with app.run_test(size=(150, 40)) as pilot:
        pane = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: bool(pane.state.rows_by_host.get("demo")))
        assert app.services.pool is None
        await pilot.press("a", "x")
        await wait_for_screen(pilot, ExtractDialog)
        messages = [notification.message for notification in app._notifications]
        assert not any("not connected" in message for message in messages)
