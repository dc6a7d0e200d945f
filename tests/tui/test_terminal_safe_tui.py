"""Text from a host or a bundle never reaches a rendered widget raw: the Models table, the
details view, the status bar, notifications of host errors, the Library pane and its dialogs
show ESC sequences, C1 controls and bidi overrides as visible escapes (Pilot, real HTTP)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static

from modelarium.config import HostConfig
from modelarium.demo import DemoServerThread, seeded_state
from modelarium.store import Library
from modelarium.tui.app import ModelariumApp
from modelarium.tui.library.pane import LibraryPane
from modelarium.tui.models import ModelsPane
from modelarium.tui.models.details import ModelDetailsView
from tests.cli.hostile_host import (
    BIDI,
    ESC_CLEAR,
    ESC_TITLE,
    HOSTILE_ERROR,
    HOSTILE_MODEL,
    add_hostile_model,
    assert_no_raw_escapes,
)
from tests.tui.conftest import ServicesFactory, load_panes, wait_for

SIZE = (160, 45)


@pytest.fixture
def hostile_server() -> Iterator[DemoServerThread]:
    """A demo host whose version, one model's family and license, and error texts carry
    terminal escapes."""
    state = seeded_state(progress_delay=0.0, version=f"0.33.0{ESC_CLEAR}")
    add_hostile_model(state)
    with DemoServerThread(state) as server:
        yield server


def screen_text(app: ModelariumApp) -> str:
    """Everything the screen shows now, as the terminal would receive it (in an SVG)."""
    return app.export_screenshot()


def plain(renderable: object) -> str:
    console = Console(width=150, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


async def show_model(pilot: Pilot[None], pane: ModelsPane, name: str) -> None:
    """Put the cursor on `name` and wait until its details (or why not) are shown."""
    index = [row.name for row in pane.shown_rows].index(name)
    pane.query_one(DataTable).move_cursor(row=index)
    view = pilot.app.query_one(ModelDetailsView)
    body = view.query_one("#details-body", Static)
    await wait_for(
        pilot, lambda: name in plain(body.content) and "Loading" not in plain(body.content)
    )


async def test_models_details_status_bar_and_notifications_show_host_text_safely(
    hostile_server: DemoServerThread, make_services: ServicesFactory
) -> None:
    hostile_server.faults.error("/api/show", 500, HOSTILE_ERROR, model="mistral:7b")
    app = ModelariumApp(make_services(HostConfig("evil", hostile_server.url)), health_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: HOSTILE_MODEL in [row.name for row in pane.shown_rows])
        await wait_for(pilot, lambda: "0.33.0" in plain(app.query_one("#status-bar").render()))
        await show_model(pilot, pane, HOSTILE_MODEL)
        details = plain(app.query_one("#details-body", Static).content)
        assert "llama\\x1b[2J\\x1b[31m" in details  # the family, escaped visibly
        assert_no_raw_escapes(details)
        status = plain(app.query_one("#status-bar").render())
        assert "v0.33.0\\x1b[2J\\x1b[31m" in status
        assert_no_raw_escapes(screen_text(app))

        await show_model(pilot, pane, "mistral:7b")
        details = plain(app.query_one("#details-body", Static).content)
        assert "out of memory\\x1b[2J" in details
        await pilot.press("e")  # opening it in the editor fails: a notification says why
        await wait_for(pilot, lambda: any("out of memory" in n.message for n in app._notifications))
        for notification in app._notifications:
            assert_no_raw_escapes(notification.message)
        assert_no_raw_escapes(screen_text(app))


def hostile_bundle() -> dict[str, object]:
    return {
        "format": "modelarium-bundle",
        "version": 1,
        "elements": [
            {
                "id": 1,
                "name": f"pirate{ESC_CLEAR}",
                "content": {"kind": "system", "value": "Talk like a pirate."},
                "notes": f"found on a ship{ESC_TITLE}\nsecond line",
                "curated": False,
                "tags": [{"category": "family", "value": f"llama{BIDI}"}],
                "provenance": [
                    {"host": f"box{BIDI}", "model": "pirate:1", "model_digest": None,
                     "extracted_at": None}
                ],
            }
        ],
        "modelfiles": [],
        "drafts": [],
    }  # fmt: skip


async def test_library_pane_and_its_dialogs_show_bundle_text_safely(
    demo_server: DemoServerThread, make_services: ServicesFactory, library_url: str
) -> None:
    library = Library.open(library_url)
    try:
        library.import_bundle(hostile_bundle(), dry_run=False)
    finally:
        library.close()
    app = ModelariumApp(make_services(HostConfig("demo", demo_server.url)), health_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await load_panes(pilot)
        app.action_show_pane("library")
        pane = app.query_one(LibraryPane)
        pane.query_one("#library-search", Input).value = "pirate"
        results = pane.query_one("#library-results", OptionList)
        await wait_for(pilot, lambda: any(hit.name.startswith("pirate") for hit in pane.hits))
        index = next(i for i, hit in enumerate(pane.hits) if hit.name.startswith("pirate"))
        results.focus()
        results.highlighted = index
        await wait_for(
            pilot, lambda: pane.selected is not None and pane.selected.name.startswith("pirate")
        )
        meta = str(pane.query_one("#library-meta", Static).render())
        assert "pirate\\x1b[2J\\x1b[31m" in meta
        assert "found on a ship\\x1b]0;pwned\\x07\nsecond line" in meta  # notes keep lines
        assert "on box\\u202e" in meta
        assert_no_raw_escapes(str(results.get_option_at_index(index).prompt))
        assert_no_raw_escapes(screen_text(app))

        await pilot.press("t")  # tags dialog
        await wait_for(pilot, lambda: app.screen.query("#tags-input").first() is not None)
        assert app.screen.query_one("#tags-input", Input).value == "family:llama\\u202e"
        assert_no_raw_escapes(screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not app.screen.query("#tags-input"))

        await pilot.press("D")  # delete dialog names the element
        await wait_for(pilot, lambda: bool(app.screen.query("#delete-used-by")))
        assert_no_raw_escapes(screen_text(app))
        await pilot.press("escape")


async def test_a_model_name_with_escapes_is_shown_escaped_in_the_table(
    make_services: ServicesFactory,
) -> None:
    from tests.integration.ollama.fake_servers import ThreadedServer, healthy

    evil = f"evil{ESC_CLEAR}{BIDI}:latest"
    with ThreadedServer(healthy({evil: "ab" * 32})) as server:
        app = ModelariumApp(make_services(HostConfig("odd", server.url)), health_interval=None)
        async with app.run_test(size=SIZE) as pilot:
            pane = app.query_one(ModelsPane)
            await wait_for(pilot, lambda: [row.name for row in pane.shown_rows] == [evil])
            table = pane.query_one(DataTable)
            shown = "".join(table.render_line(y).text for y in range(table.size.height))
            assert "evil\\x1b[2J\\x1b[31m\\u202e:latest" in shown
            assert_no_raw_escapes(shown)
            body = app.query_one("#details-body", Static)
            # The details (here: why they cannot be read) name the model escaped too.
            await wait_for(pilot, lambda: "evil\\x1b[2J" in plain(body.content))
            assert_no_raw_escapes(screen_text(app))
