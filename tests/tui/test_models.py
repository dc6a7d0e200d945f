"""The Models pane on demo hosts over real HTTP: table, details, and every model action."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

import pytest
from rich.console import Console
from textual.app import App
from textual.message import Message
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Input, SelectionList, Static

from modelarium.config import HostConfig
from modelarium.demo import DemoServerThread, FaultPlan, seeded_state
from modelarium.modelfile.elements import ElementKind
from modelarium.modelfile.params import PARAMETERS
from modelarium.tui.dialogs.confirm import ConfirmDialog
from modelarium.tui.dialogs.name_input import NameDialog
from modelarium.tui.messages import DeliverLibraryChanged, LibraryChanged, OpenInEditor
from modelarium.tui.models import ModelsPane
from modelarium.tui.models.details import ModelDetailsView
from modelarium.tui.models.extract import ExtractDialog
from modelarium.tui.models.table import ModelsTable
from modelarium.tui.models.transfer import TransferDialog
from tests.tui.conftest import AppFactory, wait_for, wait_for_details, wait_for_screen

Settle = Callable[[Pilot[None]], Awaitable[None]]
MessageT = TypeVar("MessageT", bound=Message)
SIZE = (160, 45)


def unique(messages: Iterable[MessageT]) -> list[MessageT]:
    """Each message once (the hook sees a bubbling message at every node it reaches)."""
    return list({id(message): message for message in messages}.values())


def details_text(view: ModelDetailsView) -> str:
    """The details view's content as plain text."""
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(view.query_one("#details-body", Static).content)
    return console.export_text()


def focused(app: App[None]) -> Widget | None:
    """The focused widget (a call, so each check reads it afresh)."""
    return app.focused


def sort_key(pane: ModelsPane) -> str:
    return pane.state.sort_key


def names(pane: ModelsPane) -> list[str]:
    return [row.name for row in pane.shown_rows]


async def move_to(pilot: Pilot[None], pane: ModelsPane, name: str) -> None:
    """Put the table cursor on the model called `name`."""
    index = names(pane).index(name)
    pane.query_one(ModelsTable).move_cursor(row=index)
    await pilot.pause(0.05)


async def test_sort_filter_and_select(make_app: AppFactory, wait_settled: Settle) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        assert names(pane) == sorted(names(pane), key=str.lower)
        await pilot.press("s")
        assert sort_key(pane) == "size"
        sizes = [row.size for row in pane.shown_rows]
        assert sizes == sorted(sizes, reverse=True)
        await pilot.press("S")
        assert [row.size for row in pane.shown_rows] == sorted(sizes)
        await pilot.press("s", "s")
        assert sort_key(pane) == "family"
        await pilot.press("slash", *"granite")
        assert all("granite" in row.name for row in pane.shown_rows)
        assert len(pane.shown_rows) == 2
        await pilot.press("enter")  # back to the table
        assert isinstance(app.focused, ModelsTable)
        await pilot.press("space")
        assert len(pane.selected) == 1
        await pilot.press("a")
        assert len(pane.selected) == 2
        await pilot.press("a")
        assert not pane.selected
        app.query_one("#models-filter", Input).value = ""
        await wait_for(pilot, lambda: len(pane.shown_rows) > 8)


async def test_host_switcher_with_two_hosts(
    second_demo_server: DemoServerThread,
    demo_server: DemoServerThread,
    make_app: AppFactory,
    wait_settled: Settle,
) -> None:
    app = make_app(HostConfig("laptop", demo_server.url), HostConfig("gpu", second_demo_server.url))
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        both = len(pane.shown_rows)
        assert {row.host for row in pane.shown_rows} == {"laptop", "gpu"}
        await pilot.press("h")
        assert pane.state.host_filter == "laptop"
        assert {row.host for row in pane.shown_rows} == {"laptop"}
        assert len(pane.shown_rows) * 2 == both
        await pilot.press("h", "h")
        assert pane.state.host_filter is None


async def test_details_show_every_element_with_parameter_defaults(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        await move_to(pilot, pane, "mario/sql-reviewer:latest")
        await wait_for_details(pilot, "mario/sql-reviewer:latest")
        await wait_settled(pilot)
        row = pane.cursor_row
        assert row is not None
        fetched = pane.state.details_cache[row.digest]
        kinds = {element.kind for element in fetched.elements}
        assert {ElementKind.BASE, ElementKind.TEMPLATE, ElementKind.SYSTEM} <= kinds
        assert {ElementKind.PARAMETERS, ElementKind.MESSAGES} <= kinds
        text = details_text(app.query_one(ModelDetailsView))
        assert "TEMPLATE" in text and "SYSTEM" in text and "MESSAGE" in text
        temperature_line = next(line for line in text.splitlines() if "temperature" in line)
        default = PARAMETERS["temperature"].default
        assert temperature_line.split() == ["temperature", "0.2", "(default", f"{default})"]
        assert "Capabilities" in text


async def test_copy_asks_a_name_and_refreshes(make_app: AppFactory, wait_settled: Settle) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        await move_to(pilot, pane, "llama3.2:3b")
        await pilot.press("c")
        assert isinstance(app.screen, NameDialog)
        name_input = app.screen.query_one(Input)
        name_input.value = ""
        await pilot.press(*"bad name!")
        assert "problem" in app.screen.query_one("#name-problem").classes
        name_input.value = ""
        await pilot.press(*"my-llama:3b", "enter")
        await wait_settled(pilot)
        await wait_for(pilot, lambda: "my-llama:3b" in names(pane))


async def test_delete_confirms_and_removes_every_selected_model(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        await pilot.press("slash", *"granite", "enter", "a")
        assert len(pane.selected) == 2
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert len(pane.shown_rows) == 2
        await pilot.press("D", "y")
        await wait_settled(pilot)
        await wait_for(pilot, lambda: not pane.shown_rows)
        assert not pane.selected
        app.query_one("#models-filter", Input).value = ""
        await wait_for(pilot, lambda: bool(pane.shown_rows))
        assert not [name for name in names(pane) if "granite" in name]


async def test_pull_shows_progress_and_lists_the_model(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    seen: list[Message] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        assert "tinyllama:latest" not in names(pane)
        await pilot.press("p")
        assert isinstance(app.screen, NameDialog)
        app.screen.query_one(Input).value = ""
        await pilot.press(*"tinyllama", "enter")
        await wait_for(pilot, lambda: "tinyllama:latest" in names(pane))
        progress = [m for m in seen if isinstance(m, TransferDialog.Advanced)]
        assert any(m.total > 600_000_000 and " of " in m.detail for m in progress)
        assert progress[-1].done == progress[-1].total
        ended = [m for m in seen if isinstance(m, TransferDialog.Ended)]
        assert [m.error for m in ended] == [None]
        assert not isinstance(app.screen, TransferDialog)


async def test_pull_cut_mid_stream_says_why_and_retries(
    demo_faults: FaultPlan, make_app: AppFactory, wait_settled: Settle
) -> None:
    demo_faults.cut("/api/pull", after_lines=3, times=1)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        pane.start_pull("demo", "tinyllama")
        dialog = await wait_for_screen(pilot, TransferDialog)
        await wait_for(pilot, lambda: dialog.state == "failed")
        status = str(dialog.query_one("#transfer-status").render())
        assert status.startswith("Failed: demo")
        assert "tinyllama" in status
        await pilot.press("r")
        await wait_for(pilot, lambda: "tinyllama:latest" in names(pane))
        assert not isinstance(app.screen, TransferDialog)


async def test_pull_can_be_cancelled(
    demo_faults: FaultPlan, make_app: AppFactory, wait_settled: Settle
) -> None:
    demo_faults.delay("/api/pull", 30.0)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        pane.start_pull("demo", "tinyllama")
        dialog = await wait_for_screen(pilot, TransferDialog)
        await pilot.press("escape")
        # Closed without waiting for the pull the host holds for 30 s.
        await wait_for(pilot, lambda: dialog is not app.screen and not dialog.is_attached)
        assert "tinyllama:latest" not in names(pane)


async def test_push_failure_is_reported_in_the_dialog(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        await move_to(pilot, pane, "llama3.2:3b")
        await pilot.press("P")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        dialog = await wait_for_screen(pilot, TransferDialog)
        await wait_for(pilot, lambda: dialog.state in ("failed", "done"))
        if dialog.state == "failed":
            assert "llama3.2:3b" in str(dialog.query_one("#transfer-status").render())
            await pilot.press("escape")
        assert not isinstance(app.screen, TransferDialog)


async def test_extract_previews_before_saving_then_knows_what_is_there(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    seen: list[Message] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        await pilot.press("slash", *"llama3.2", "enter", "a", "x")
        dialog = await wait_for_screen(pilot, ExtractDialog)
        assert dialog.preview.new_count > 0
        assert not any(isinstance(m, LibraryChanged) for m in seen)  # nothing saved yet
        statuses = {item.status for item in dialog.preview.items}
        assert "repeated" in statuses  # llama3.2:latest is a copy of llama3.2:3b
        ticked = len(dialog.query_one(SelectionList).selected)
        assert ticked == dialog.preview.new_count
        first_is_new = dialog.preview.items[0].status == "new"
        await pilot.press("space")  # toggle the first item
        assert len(dialog.chosen) == ticked + (-1 if first_is_new else 1)
        dialog.query_one("#extract-tags", Input).value = "use_case:chat, favourite"
        await pilot.press("ctrl+s")
        await wait_settled(pilot)
        await wait_for(pilot, lambda: any(isinstance(m, LibraryChanged) for m in seen))
        await wait_settled(pilot)
        routed = [m for m in seen if isinstance(m, DeliverLibraryChanged)]
        assert routed  # the app handed a copy to the Library pane (and the others)
        library = app.services.library.get()
        assert library.search("", host="demo")
        await pilot.press("x")
        second = await wait_for_screen(pilot, ExtractDialog)
        assert second.preview.new_count == (1 if first_is_new else 0)  # only the unticked one
        await pilot.press("escape")
        assert pane.selected


async def test_open_in_editor_sends_the_models_elements(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    seen: list[Message] = []
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        await move_to(pilot, pane, "llama3.1:8b")
        await pilot.press("e")
        await wait_settled(pilot)
        opened = unique(m for m in seen if isinstance(m, OpenInEditor))
        assert len(opened) == 1
        assert opened[0].model_name == "llama3.1:8b"
        base = [e for e in opened[0].elements if e.kind is ElementKind.BASE]
        assert base and base[0].value == "llama3.1:8b"
        assert app.query_one(ContentSwitcher).current == "editor"


async def test_unopenable_library_is_a_clear_message(
    tmp_path_factory: object, make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app(database_url="sqlite:////proc/modelarium-cannot-live-here/library.sqlite3")
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        await move_to(pilot, pane, "llama3.1:8b")
        await pilot.press("x")
        await wait_settled(pilot)
        messages = [notification.message for notification in app._notifications]
        assert any(
            message.startswith("library unavailable (sqlite:////proc/") for message in messages
        )
        await pilot.press("s")  # the pane keeps working
        assert pane.state.sort_key == "size"


async def test_details_view_is_rendered_for_the_first_row(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        view = app.query_one(ModelDetailsView)
        await wait_for(pilot, lambda: "FROM" in details_text(view))


async def test_details_that_cannot_be_read_say_why(
    demo_faults: FaultPlan, make_app: AppFactory, wait_settled: Settle
) -> None:
    demo_faults.error("/api/show", 500, "blob store is on fire")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        await move_to(pilot, pane, "mistral:7b")

        def unavailable() -> str:
            return " ".join(details_text(app.query_one(ModelDetailsView)).split())

        await wait_for(pilot, lambda: "unavailable" in unavailable())
        await wait_settled(pilot)
        text = unavailable()
        assert text.startswith("Details of mistral:7b are unavailable: demo")
        assert "blob store is on fire" in text
        await pilot.press("e")  # opening it in the editor fails with the same reason
        await wait_settled(pilot)
        messages = [notification.message for notification in app._notifications]
        assert any(m.startswith("Cannot open mistral:7b: demo") for m in messages)
        assert app.query_one(ContentSwitcher).current == "models"


async def test_enter_moves_into_the_details_and_escape_comes_back(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await pilot.press("enter")
        assert isinstance(focused(app), ModelDetailsView)
        await pilot.press("escape")
        assert isinstance(focused(app), ModelsTable)
        await pilot.press("slash", "q")
        assert isinstance(focused(app), Input)
        await pilot.press("escape")
        assert isinstance(focused(app), ModelsTable)
        assert app.query_one("#models-filter", Input).value == "q"  # the filter stays


async def test_hundreds_of_models_filter_once_typing_pauses(make_app: AppFactory) -> None:
    with DemoServerThread(seeded_state(extra_models=320)) as big_host:
        app = make_app(HostConfig("big", big_host.url))
        async with app.run_test(size=SIZE) as pilot:
            pane = app.query_one(ModelsPane)
            await wait_for(pilot, lambda: len(pane.shown_rows) > 300)
            await pilot.press("slash", *"granite")
            assert app.query_one("#models-filter", Input).value == "granite"
            await wait_for(pilot, lambda: len(pane.shown_rows) < 100)
            assert all("granite" in row.name for row in pane.shown_rows)


async def test_copy_onto_an_existing_model_asks_first(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        await move_to(pilot, pane, "llama3.2:3b")
        digest_before = next(r.digest for r in pane.shown_rows if r.name == "mistral:7b")
        await pilot.press("c")
        app.screen.query_one(Input).value = "mistral:7b"
        await pilot.press("enter")
        await wait_for_screen(pilot, ConfirmDialog)  # host asked
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "Replace mistral:7b on demo?" in str(dialog.query_one(".dialog-title").render())
        await pilot.press("n")
        await wait_settled(pilot)
        assert next(r.digest for r in pane.shown_rows if r.name == "mistral:7b") == digest_before


async def test_keys_typed_ahead_of_the_filter_focus_land_in_the_filter(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    """`/qwen` arriving in one read (a fast typist, tmux send-keys) filters; the letters must
    not reach the table, where `e` would open the editor."""
    from textual import events

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        for key, character in (("slash", "/"), ("q", "q"), ("w", "w"), ("e", "e"), ("n", "n")):
            app.post_message(events.Key(key, character))
        await wait_settled(pilot)
        assert app.query_one("#models-filter", Input).value == "qwen"
        assert app.current_pane == "models"
        names = [row.name for row in app.query_one(ModelsPane).shown_rows]
        assert names and all("qwen" in name or "sql-reviewer" in name for name in names)


async def test_a_slash_typed_in_the_filter_is_text(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await pilot.press("slash", *"mario", "slash", "s")
        await wait_settled(pilot)
        assert app.query_one("#models-filter", Input).value == "mario/s"
        assert [row.name for row in app.query_one(ModelsPane).shown_rows] == [
            "mario/sql-reviewer:latest"
        ]


async def test_a_second_slash_in_the_empty_filter_is_not_typed(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await pilot.press("slash", "slash", *"mario", "slash")
        assert app.query_one("#models-filter", Input).value == "mario/"


async def test_update_pulls_each_selected_model_in_turn_and_goes_on_after_a_failure(
    make_app: AppFactory, wait_settled: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    titles: list[str] = []
    push_screen = app.push_screen

    def recording(screen: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(screen, TransferDialog):
            titles.append(screen.title_text)
        return push_screen(screen, *args, **kwargs)

    monkeypatch.setattr(app, "push_screen", recording)
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        for name in ("llama3.2:3b", "mario/sql-reviewer:latest", "mistral:7b"):
            await move_to(pilot, pane, name)
            await pilot.press("space")
        await pilot.press("U")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await wait_for(
            pilot, lambda: any(n.message.startswith("Updated") for n in app._notifications)
        )
        report = next(n for n in app._notifications if n.message.startswith("Updated"))
        assert report.message.startswith(
            "Updated 2 models: llama3.2:3b, mistral:7b. Failed: mario/sql-reviewer:latest: "
        )
        assert report.severity == "error"
        assert titles == [
            "Updating llama3.2:3b on demo (1 of 3)",
            "Updating mario/sql-reviewer:latest on demo (2 of 3)",
            "Updating mistral:7b on demo (3 of 3)",
        ]
        assert not isinstance(app.screen, TransferDialog)


async def test_escape_stops_an_update_batch(
    make_app: AppFactory, wait_settled: Settle, demo_faults: FaultPlan
) -> None:
    # The pull hangs well past the moment Escape is pressed, and the client waits longer than
    # that: with every core busy, the dialogs took over the 2 s the tests' client waits.
    demo_faults.delay("/api/pull", 8.0)
    app = make_app(request_timeout=20.0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        for name in ("llama3.2:3b", "mistral:7b"):
            await move_to(pilot, pane, name)
            await pilot.press("space")
        await pilot.press("U")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await wait_for_screen(pilot, TransferDialog)
        await pilot.press("escape")
        await wait_for(
            pilot, lambda: any(n.message.startswith("Updated") for n in app._notifications)
        )
        messages = [n.message for n in app._notifications]
        assert "Updated 0 models. Stopped at llama3.2:3b." in messages
        await pilot.pause(0.3)
        assert not isinstance(app.screen, TransferDialog)  # mistral:7b was not started


async def test_push_asks_first_naming_the_model_and_host(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        await move_to(pilot, pane, "mario/llama-pirate:lora")
        await pilot.press("P")
        dialog = await wait_for_screen(pilot, ConfirmDialog)
        assert dialog.title_text == "Push mario/llama-pirate:lora from demo?"
        await pilot.press("n")
        await wait_for(pilot, lambda: not dialog.is_attached)
        assert not isinstance(app.screen, TransferDialog)
        assert not any(n.message.startswith("Pushed") for n in app._notifications)
        await pilot.press("P")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmDialog))
        assert not isinstance(app.screen, TransferDialog)


async def test_update_asks_first_naming_the_models_and_host(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        await move_to(pilot, pane, "mistral:7b")
        await pilot.press("U")
        dialog = await wait_for_screen(pilot, ConfirmDialog)
        assert dialog.title_text == "Update 1 model on demo?"
        assert "mistral:7b on demo" in dialog.body_text
        await pilot.press("n")
        await wait_for(pilot, lambda: not dialog.is_attached)
        assert not isinstance(app.screen, TransferDialog)
        assert not any(n.message.startswith("Updated") for n in app._notifications)
