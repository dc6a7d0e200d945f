"""The app shell on a demo host over real HTTP: panes, keys, themes, help, palette, routing."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import TypeVar

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import ContentSwitcher, Input
from textual.worker import Worker, WorkerState

from modelarium.demo import FaultPlan
from modelarium.modelfile.elements import Element, ElementKind
from modelarium.tui.app import ModelariumApp
from modelarium.tui.dialogs.help import HelpScreen
from modelarium.tui.hosts.status_bar import HostStatusBar
from modelarium.tui.messages import (
    DeliverModelCreated,
    DeliverOpenInEditor,
    ModelCreated,
    OpenInEditor,
    PaneId,
)
from modelarium.tui.models import ModelsPane
from modelarium.tui.models.rows import row_key
from modelarium.tui.models.table import ModelsTable
from modelarium.tui.state import HostNotAvailable, Services
from tests.tui.conftest import AppFactory, load_panes, palette_offers, wait_for

Settle = Callable[[Pilot[None]], Awaitable[None]]
MessageT = TypeVar("MessageT", bound=Message)


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def unique(messages: Iterable[MessageT]) -> list[MessageT]:
    """Each message once (the hook sees a bubbling message at every node it reaches)."""
    return list({id(message): message for message in messages}.values())


def current_pane(app: ModelariumApp) -> str | None:
    return app.query_one(ContentSwitcher).current


async def test_demo_host_shows_the_seeded_families(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        families = {row.family for row in pane.shown_rows}
        names = " ".join(row.name for row in pane.shown_rows)
        assert {"llama", "qwen2"} <= families
        for expected in ("llama", "mistral", "qwen", "granite"):
            assert expected in names
        assert app.query_one(ModelsTable).row_count == len(pane.shown_rows)
        health = app.query_one(HostStatusBar).hosts[0]
        assert health.state in ("up", "degraded")  # degraded: a slow answer on a busy test box
        assert f"demo {health.state}" in str(app.query_one(HostStatusBar).render())


async def test_only_the_models_pane_is_in_the_first_paint_and_a_pane_asked_for_early_follows(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = asyncio.Event()
    mount_pane = ModelariumApp._mount_pane
    children_when_asked: list[str | None] = []

    async def held_back(self: ModelariumApp, pane_id: PaneId) -> None:
        switcher = self.query_one(ContentSwitcher)
        children_when_asked.extend(child.id for child in switcher.children)
        await release.wait()
        await mount_pane(self, pane_id)

    monkeypatch.setattr(ModelariumApp, "_mount_pane", held_back)
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await pilot.pause()
        assert [child.id for child in app.query_one(ContentSwitcher).children] == ["models"]
        await pilot.press("2")  # before the Library pane exists
        assert children_when_asked == ["models"]
        assert app.current_pane == "library"
        assert current_pane(app) == "models"
        release.set()
        await wait_for(pilot, lambda: app.pane_loaded("library"))
        assert app.pane_loaded("library")
        assert current_pane(app) == "library"


async def test_loading_placeholders_stay_hidden_until_their_pane_is_asked_for(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib
    import threading

    from modelarium.tui.app import PanePlaceholder

    release = threading.Event()
    import_module = importlib.import_module

    def slow_import(name: str) -> object:
        if name in ("modelarium.tui.library", "modelarium.tui.editor"):
            release.wait(10)
        return import_module(name)

    monkeypatch.setattr(importlib, "import_module", slow_import)
    app = make_app()
    try:
        async with app.run_test(size=(150, 40)) as pilot:
            app.load_pane("library")  # loading, not shown: as a request sent to it would
            app.load_pane("editor")
            await wait_for(pilot, lambda: len(app.query(PanePlaceholder)) == 2)
            placeholders = {node.id: node for node in app.query(PanePlaceholder)}
            assert set(placeholders) == {"library", "editor"}
            assert not any(node.display for node in placeholders.values())
            assert app.query_one(ModelsPane).display
            await pilot.press("2")
            assert placeholders["library"].display and not app.query_one(ModelsPane).display
            release.set()
            await wait_for(pilot, lambda: app.panes_ready)
            assert current_pane(app) == "library"
            library = app.query_one("#library")
            assert not isinstance(library, PanePlaceholder) and library.display
            # focus() lands on the next idle
            await wait_for(
                pilot, lambda: app.focused is not None and library in app.focused.ancestors
            )
            assert not app.query_one("#editor").display
    finally:
        release.set()


async def test_the_other_panes_load_only_when_first_asked_for(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        pane = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: bool(pane.shown_rows))
        await wait_settled(pilot)  # the listing, the glance for drafts: nothing loads a pane
        assert not app.pane_loaded("library") and not app.pane_loaded("editor")
        assert [child.id for child in app.query_one(ContentSwitcher).children] == ["models"]
        await pilot.press("3")
        await wait_for(pilot, lambda: app.pane_loaded("editor"))
        assert current_pane(app) == "editor" and not app.pane_loaded("library")
        await pilot.press("f3")  # a digit would be typed into the editor
        await wait_for(pilot, lambda: app.panes_ready)
        assert current_pane(app) == "library"


async def test_with_every_host_hanging_the_other_panes_still_load(
    make_app: AppFactory, demo_faults: FaultPlan
) -> None:
    demo_faults.hang("/api/*")
    app = make_app(request_timeout=30.0)
    async with app.run_test(size=(150, 40)) as pilot:
        await pilot.press("2")
        await wait_for(pilot, lambda: app.pane_loaded("library"))
        await pilot.press("f4")  # a digit would be typed into the Library's search
        await wait_for(pilot, lambda: app.panes_ready)
        assert app.panes_ready and current_pane(app) == "editor"
        assert "demo" in app.query_one(ModelsPane).state.loading_hosts  # no host has answered


async def test_one_key_per_pane_and_typing_is_not_a_pane_key(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_settled(pilot)
        assert current_pane(app) == "models"
        await pilot.press("2")
        assert current_pane(app) == "library"
        await pilot.press("f4")
        assert current_pane(app) == "editor"
        await pilot.press("f2")
        assert current_pane(app) == "models"
        await pilot.press("slash", "2", "b")
        assert app.query_one("#models-filter", Input).value == "2b"
        assert current_pane(app) == "models"


async def test_theme_toggles_between_dark_and_light(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        assert app.theme == "modelarium-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "modelarium-light"
        assert not app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.theme == "modelarium-dark"


async def test_a_picked_theme_is_saved_with_the_settings_comments_kept(
    make_app: AppFactory, tmp_path: Path
) -> None:
    from modelarium import locations
    from modelarium.config import load_settings

    config = locations.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('# mine\nclipboard = "osc52"  # over SSH\n', encoding="utf-8")
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: load_settings().theme == "modelarium-light")
        app.theme = "modelarium-dark"
        await wait_for(pilot, lambda: load_settings().theme == "modelarium-dark")
    assert config.read_text(encoding="utf-8") == (
        '# mine\nclipboard = "osc52"  # over SSH\ntheme = "modelarium-dark"\n'
    )


async def test_help_screen_opens_and_closes(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_palette_runs_a_models_action_on_the_models_pane(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_settled(pilot)
        await pilot.press("2")
        pane = app.query_one(ModelsPane)
        assert pane.state.sort_key == "name"
        await pilot.press("ctrl+p", *"reverse the sort")
        await wait_for(pilot, lambda: palette_offers(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: pane.state.sort_reverse)
        assert current_pane(app) == "models"


async def test_no_host_answers_then_one_key_switches_to_the_demo_host(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    dead_url = f"http://127.0.0.1:{free_port()}"
    app = make_app(dead_url)
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_settled(pilot)
        banner = str(app.query_one("#models-banner").render())
        assert "No Ollama host answers" in banner
        assert dead_url in banner
        assert "OLLAMA_HOST" in banner and "--host" in banner and "config.toml" in banner
        await pilot.press("d")
        for _ in range(100):
            await pilot.pause(0.05)
            if app.query_one(ModelsPane).shown_rows:
                break
        await wait_settled(pilot)
        assert app.services.demo
        assert [host.name for host in app.services.hosts] == ["demo"]
        assert app.query_one(ModelsPane).shown_rows
        assert not app.query_one("#models-banner").display


async def test_open_in_editor_is_routed_to_the_editor_pane(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    seen: list[Message] = []
    app = make_app()
    async with app.run_test(size=(150, 40), message_hook=seen.append) as pilot:
        await wait_settled(pilot)
        app.query_one(ModelsPane).post_message(
            OpenInEditor(elements=(Element(ElementKind.BASE, "llama3.2:3b"),), origin="test")
        )
        await wait_settled(pilot)
        routed = unique(m.request for m in seen if isinstance(m, DeliverOpenInEditor))
        assert len(routed) == 1
        assert routed[0].elements[0].value == "llama3.2:3b"
        assert current_pane(app) == "editor"


async def test_model_created_elsewhere_refreshes_the_models_pane(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    seen: list[Message] = []
    app = make_app()
    async with app.run_test(size=(150, 40), message_hook=seen.append) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        before = {row.name for row in pane.shown_rows}
        await app.services.client("demo").copy("llama3.2:3b", "made-in-editor:1")
        app.post_message(ModelCreated("demo", "made-in-editor:1"))
        await wait_settled(pilot)
        after = {row.name for row in pane.shown_rows}
        assert after - before == {"made-in-editor:1"}
        assert any(isinstance(m, DeliverModelCreated) for m in seen)


async def test_demo_flag_paints_first_then_starts_the_demo_host() -> None:
    from modelarium.cli import build_parser
    from modelarium.tui.app import build_app

    app = build_app(build_parser().parse_args(["--demo"]))
    assert app.services.demo and not app.services.hosts  # nothing started before the paint
    async with app.run_test(size=(150, 40)) as pilot:
        pane = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: bool(pane.shown_rows))
        assert [host.name for host in app.services.hosts] == ["demo"]
        assert app.demo_server is not None
        assert len(pane.shown_rows) >= 10
    from modelarium.demo import DemoServerThread

    assert isinstance(app.demo_server, DemoServerThread)
    assert app.demo_server._thread is None  # stopped when the app closed


def test_build_app_reports_a_bad_settings_file(isolated_environment: Path) -> None:
    from modelarium.cli import build_parser
    from modelarium.tui.app import StartupError, build_app

    (isolated_environment / "config.toml").write_text("hosts = 3\n", encoding="utf-8")
    with pytest.raises(StartupError, match=r"config.toml: hosts: must be an array"):
        build_app(build_parser().parse_args([]))


def test_host_urls_are_named_by_their_url_as_in_the_cli() -> None:
    """Issue 17: a host given by address is named by its normalised URL, as the CLI names it."""
    from modelarium.cli import build_parser
    from modelarium.tui.app import build_app

    app = build_app(
        build_parser().parse_args(["--host", "http://gpu-box:11434/", "--host", "127.0.0.1:11434"])
    )
    assert [(h.name, h.url) for h in app.services.hosts] == [
        ("http://gpu-box:11434", "http://gpu-box:11434/"),
        ("http://127.0.0.1:11434", "127.0.0.1:11434"),
    ]


async def test_an_unexpected_worker_error_becomes_a_notification(make_app: AppFactory) -> None:
    app = make_app()

    async def broken() -> None:
        raise RuntimeError("the disk caught fire")

    async with app.run_test() as pilot:
        worker: Worker[None] = app.run_worker(broken, name="checking the disk", exit_on_error=False)
        expected = "Unexpected error in checking the disk: the disk caught fire"
        await wait_for(
            pilot,
            lambda: any(note.message == expected for note in app._notifications),
        )
        assert worker.state is WorkerState.ERROR
        assert app.is_running


def test_asking_for_an_unknown_host_names_it(make_services: Callable[..., Services]) -> None:
    services = make_services("http://127.0.0.1:1")
    with pytest.raises(HostNotAvailable) as unknown:
        services.client("elsewhere")
    assert str(unknown.value) == "elsewhere: no such host is configured"


async def test_a_listed_model_acted_on_before_the_hosts_connect_gets_its_host(
    make_services: Callable[..., Services],
) -> None:
    """The early listing shows models before the app has opened its host pool: an action on
    one (extract, copy…) opens the pool then and there instead of failing."""
    services = make_services("http://127.0.0.1:1")
    client = services.client("host1")
    pool = services.open_pool()  # the one `client` opened
    assert pool.client("host1") is client and services.client("host1") is client
    await pool.aclose()
    services.pool, services.closed = None, True
    with pytest.raises(HostNotAvailable) as closing:
        services.client("host1")
    assert "closing" in str(closing.value)


async def test_an_internal_error_exits_with_one_line_and_a_crash_log(
    make_app: AppFactory,
    isolated_environment: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def broken_sort(self: ModelsPane) -> None:
        raise RuntimeError("sorting exploded")

    monkeypatch.setattr(ModelsPane, "action_cycle_sort", broken_sort)
    app = make_app()
    app.contain_errors = True
    with pytest.raises(RuntimeError, match="sorting exploded"):  # Pilot re-raises it for tests
        async with app.run_test() as pilot:
            await pilot.press("s")
            await pilot.pause(0.1)
    crash_log = isolated_environment / "state" / "crash.log"
    assert "sorting exploded" in crash_log.read_text(encoding="utf-8")
    printed = capsys.readouterr()
    assert "Traceback" not in printed.out + printed.err
    assert " ".join((printed.out + printed.err).split()) == (
        "Modelarium stopped on an internal error (RuntimeError: sorting exploded); "
        f"details in {crash_log}."
    )


async def test_the_first_paint_resumes_a_paused_garbage_collector(make_app: AppFactory) -> None:
    import gc

    app = make_app()
    gc.unfreeze()  # start from nothing frozen, so the count below is the first paint's doing
    assert gc.get_freeze_count() == 0
    gc.disable()  # as `modelarium` leaves it while the app starts
    try:
        async with app.run_test(size=(150, 40)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0
    finally:
        gc.enable()
        gc.unfreeze()


async def test_keys_typed_ahead_of_the_library_search_focus_land_in_it(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    from textual import events

    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_settled(pilot)
        await load_panes(pilot)
        await pilot.press("2")
        await pilot.press("tab")  # away from the search box, into the results
        assert app.focused is not None and app.focused.id != "library-search"
        for character in "/tools":
            key = "slash" if character == "/" else character
            app.post_message(events.Key(key, character))
        await wait_settled(pilot)
        assert app.query_one("#library-search", Input).value == "tools"
        assert current_pane(app) == "library"


async def test_down_leaves_the_filter_and_the_search_box_for_their_lists(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    from textual.widgets import OptionList

    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_settled(pilot)
        await pilot.press("slash", *"qwen", "down")
        assert isinstance(app.focused, ModelsTable)
        assert app.query_one("#models-filter", Input).value == "qwen"
        await pilot.press("down")  # now the table's own Down: the cursor moves
        assert app.query_one(ModelsTable).cursor_row == 1
        await load_panes(pilot)
        await pilot.press("2", "slash", *"coder", "down")
        results = app.query_one("#library-results", OptionList)
        assert results.has_focus
        await pilot.press("a")  # a results key now, not a letter for the search
        assert app.query_one("#library-search", Input).value == "coder"


async def test_keys_typed_right_behind_down_follow_the_focus_into_the_list(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    from textual import events

    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_settled(pilot)
        for key, character in (
            ("slash", "/"), ("g", "g"), ("r", "r"), ("a", "a"), ("down", None), ("a", "a"),
        ):  # fmt: skip
            app.post_message(events.Key(key, character))
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        assert app.query_one("#models-filter", Input).value == "gra"
        assert isinstance(app.focused, ModelsTable)
        shown = {row_key(row) for row in pane.shown_rows}
        assert shown and pane.selected == shown  # the last `a` selected all, in the table
