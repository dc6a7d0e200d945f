"""The Models pane acts on the host's present state: changes made by other clients show up
within a health interval or after `r`, and copy, pull, delete and batch apply ask the host
itself (not the table) what exists before changing anything."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from modelarium.config import HostConfig
from modelarium.demo import DemoServerThread, FaultPlan
from modelarium.modelfile.overlay import overlay_create
from modelarium.ollama.client import OllamaClient
from modelarium.tui.dialogs.confirm import ConfirmDialog
from modelarium.tui.dialogs.name_input import NameDialog
from modelarium.tui.models import ModelsPane
from modelarium.tui.models.apply_lines import ApplyLinesDialog
from modelarium.tui.models.details import ModelDetailsView
from modelarium.tui.models.overlay import NEW_NAME
from modelarium.tui.models.transfer import TransferDialog
from tests.tui.conftest import (
    AppFactory,
    highlight_model,
    wait_for,
    wait_for_details,
    wait_for_screen,
)

Settle = Callable[[Pilot[None]], Awaitable[None]]
SIZE = (160, 45)


@pytest.fixture
async def elsewhere(demo_server: DemoServerThread) -> AsyncIterator[OllamaClient]:
    """Another client of the same host: what it changes, the app has not seen."""
    async with OllamaClient(HostConfig("other", demo_server.url)) as client:
        yield client


async def details_shown(pilot: Pilot[None], name: str) -> ModelDetailsView:
    """Put the cursor on `name` and wait for its details; the details view."""
    await highlight_model(pilot, name)
    await wait_for_details(pilot, name)
    return pilot.app.query_one(ModelDetailsView)


async def recreate(client: OllamaClient, model: str, lines: str) -> str:
    """Re-create `model` with `lines` laid over it; its new digest."""
    async for _ in client.create(overlay_create(lines, model, model)):
        pass
    return next(m.digest for m in await client.list_models() if m.name == model)


def names(pane: ModelsPane) -> set[str]:
    return {row.name for row in pane.all_rows}


def digest_of(pane: ModelsPane, name: str) -> str | None:
    return next((row.digest for row in pane.all_rows if row.name == name), None)


def details_text(view: ModelDetailsView) -> str:
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(view.query_one("#details-body", Static).content)
    return console.export_text()


def notified(pilot: Pilot[None], start: str) -> bool:
    return any(n.message.startswith(start) for n in pilot.app._notifications)


async def test_changes_made_elsewhere_show_up_within_a_health_interval(
    elsewhere: OllamaClient, make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app(health_interval=0.5)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: "mistral:7b" in names(pane))
        view = await details_shown(pilot, "mistral:7b")
        await elsewhere.copy("mistral:7b", "made-elsewhere:1")
        await wait_for(pilot, lambda: "made-elsewhere:1" in names(pane))
        await elsewhere.delete("made-elsewhere:1")
        await wait_for(pilot, lambda: "made-elsewhere:1" not in names(pane))
        digest = await recreate(elsewhere, "mistral:7b", 'SYSTEM "Changed elsewhere."')
        await wait_for(pilot, lambda: digest_of(pane, "mistral:7b") == digest)
        await wait_for(pilot, lambda: "Changed elsewhere." in details_text(view))
        assert digest[:12] in details_text(view)


async def test_details_read_for_a_digest_replaced_meanwhile_are_read_again(
    elsewhere: OllamaClient, make_app: AppFactory, wait_settled: Settle
) -> None:
    """The listing with the new digest came while the old details were still being read (so
    nothing shown to compare with): when those old details arrive, the new ones are read."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        view = await details_shown(pilot, "mistral:7b")
        old = pane.cursor_row
        assert old is not None
        old_details = pane.state.details_cache[old.digest]
        digest = await recreate(elsewhere, "mistral:7b", 'SYSTEM "Changed elsewhere."')
        pane._details_shown_for = None  # as while the old details were still being read
        pane.reload()
        await wait_for(pilot, lambda: digest_of(pane, "mistral:7b") == digest)
        pane.post_message(ModelsPane.DetailsFetched(old, old_details, None))
        await wait_for(pilot, lambda: "Changed elsewhere." in details_text(view))


async def test_r_rereads_a_model_whose_digest_changed(
    elsewhere: OllamaClient, make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        view = await details_shown(pilot, "qwen3:8b")
        digest = await recreate(elsewhere, "qwen3:8b", "PARAMETER num_ctx 12345")
        assert "12345" not in details_text(view)
        await pilot.press("r")
        await wait_for(pilot, lambda: digest_of(pane, "qwen3:8b") == digest)
        await wait_for(pilot, lambda: "12345" in details_text(view))
        assert digest[:12] in details_text(view)


async def test_copy_asks_the_host_not_the_table_before_replacing(
    elsewhere: OllamaClient, make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        await elsewhere.copy("mistral:7b", "taken:1")  # after the table was read
        assert "taken:1" not in names(pane)
        await highlight_model(pilot, "llama3.2:3b")
        await pilot.press("c")
        assert isinstance(app.screen, NameDialog)
        app.screen.query_one(Input).value = "taken:1"
        await pilot.press("enter")
        await wait_for_screen(pilot, ConfirmDialog)
        assert app.screen.title_text == "Replace taken:1 on demo?"
        assert "taken:1" in names(pane)  # the answer refreshed the table too
        await pilot.press("n")
        shown = await elsewhere.show("taken:1")
        assert shown.family == (await elsewhere.show("mistral:7b")).family


async def test_pull_into_a_name_on_the_host_asks_first(
    elsewhere: OllamaClient, make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await elsewhere.copy("mistral:7b", "tinyllama:latest")  # the host has the name now
        await pilot.press("p")
        assert isinstance(app.screen, NameDialog)
        app.screen.query_one(Input).value = "tinyllama"
        await pilot.press("enter")
        await wait_for_screen(pilot, ConfirmDialog)
        assert app.screen.title_text == "Replace tinyllama:latest on demo?"
        await pilot.press("n")
        assert not isinstance(app.screen, TransferDialog)
        await pilot.press("p")
        app.screen.query_one(Input).value = "tinyllama"
        await pilot.press("enter")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await wait_for(pilot, lambda: notified(pilot, "Pulled tinyllama to demo."))


async def test_delete_deletes_what_is_there_now(
    elsewhere: OllamaClient, make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        for name in ("granite4:3b", "granite3.3:8b", "mistral:7b"):
            await highlight_model(pilot, name)
            await pilot.press("space")
        await elsewhere.delete("granite3.3:8b")  # gone before we delete it
        new_digest = await recreate(elsewhere, "mistral:7b", "PARAMETER top_k 3")
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, ConfirmDialog)
                and app.screen.title_text == "1 model changed since listed"
            ),
        )
        assert new_digest[:12] in app.screen.body_text
        await pilot.press("y")
        await wait_for(pilot, lambda: notified(pilot, "Deleted 2 models."))
        assert any("Already gone: granite3.3:8b on demo." in n.message for n in app._notifications)
        await wait_for(pilot, lambda: not {"granite4:3b", "mistral:7b"} & names(pane))
        assert not pane.selected


async def test_batch_apply_makes_new_models_by_default_and_asks_before_replacing(
    demo_server: DemoServerThread,
    elsewhere: OllamaClient,
    make_app: AppFactory,
    wait_settled: Settle,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        await highlight_model(pilot, "mistral:7b")
        await pilot.press("b")
        dialog = await wait_for_screen(pilot, ApplyLinesDialog)
        assert dialog.query_one("#apply-name", Input).value == NEW_NAME
        dialog.query_one("#apply-lines", TextArea).text = "PARAMETER top_k 9\n"
        await pilot.pause()
        assert "replaced in place" not in str(dialog.query_one("#apply-plan", Static).render())
        (item,) = dialog.plan
        assert item.create is not None and item.target == "mistral:7b-custom"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "mistral:7b-custom" in names(pane))
        assert not notified(pilot, "Nothing created")
        assert demo_server.state.last_create_body == item.create.data  # the planned bytes
        original = await elsewhere.show("mistral:7b")
        assert "top_k" not in original.parameters_text  # the original is untouched
        # The same again: the name is on the host now, so it asks first.
        await highlight_model(pilot, "mistral:7b")
        await pilot.press("b")
        await wait_for_screen(pilot, ApplyLinesDialog)
        app.screen.query_one("#apply-lines", TextArea).text = "PARAMETER top_k 8\n"
        await pilot.pause()
        await pilot.press("ctrl+s")
        confirm = await wait_for_screen(pilot, ConfirmDialog)
        assert confirm.title_text == "Replace 1 model?"
        assert "mistral:7b-custom on demo" in confirm.body_text
        await pilot.press("n")
        await wait_for(pilot, lambda: notified(pilot, "Nothing created."))
        assert (
            "top_k                          9"
            in (await elsewhere.show("mistral:7b-custom")).parameters_text
        )


async def test_details_that_could_not_be_fetched_are_asked_again_at_the_next_listing(
    make_app: AppFactory, demo_faults: FaultPlan
) -> None:
    """A details fetch that failed (a busy host timing out) is retried when the hosts are
    listed again; its error stays on screen meanwhile."""
    failing = demo_faults.error("/api/show", 503, "server busy", model="mistral:7b", times=1)
    app = make_app(health_interval=0.5)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: "mistral:7b" in names(pane))
        await highlight_model(pilot, "mistral:7b")
        view = app.query_one(ModelDetailsView)
        await wait_for(pilot, lambda: failing.hits == 1)
        await wait_for(pilot, lambda: "Details of mistral:7b are unavailable" in details_text(view))
        await wait_for(pilot, lambda: "unavailable" not in details_text(view))
        assert failing.hits == 1 and "mistral:7b" in details_text(view)
        assert "Loading" not in details_text(view)
