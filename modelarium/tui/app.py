"""The Modelarium app: three panes, host status, themes, palette, help; `run(args)` starts it.

Startup stays light: this module imports Textual and our own small modules only. The HTTP
client (httpx) and the demo host load after the first paint, off the event loop where they are
heavy; the Library and Editor panes (with their stylesheets and the store) load the first time
they are asked for, so a session that never opens them never pays for them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import importlib
import logging
import sys
import traceback
import weakref
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar, Protocol

from textual import events, on, work
from textual._path import CSSPathType
from textual.actions import SkipAction
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Container
from textual.css.errors import StylesheetError
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Static
from textual.worker import Worker

from modelarium import locations
from modelarium.config import ConfigError, HostConfig, Settings, effective_hosts, load_settings
from modelarium.logs import redact
from modelarium.ollama.types import HostStatus
from modelarium.terminal_text import terminal_text
from modelarium.tui import keys
from modelarium.tui.commands import RegistryCommands
from modelarium.tui.early import EarlyListing, EarlyStart, hosts_from_urls
from modelarium.tui.early import host_name_for_url as host_name_for_url
from modelarium.tui.errors import report_failed_worker
from modelarium.tui.hosts.status_bar import HostStatusBar
from modelarium.tui.key_router import KeyRouter, TypedInput, read_escape_digits_as_alt
from modelarium.tui.messages import (
    AddElementsToEditor,
    DeliverAddElements,
    DeliverHostsChanged,
    DeliverLibraryChanged,
    DeliverModelCreated,
    DeliverOpenInEditor,
    Delivery,
    HostsChanged,
    LibraryChanged,
    ModelCreated,
    ModelsListed,
    OpenInEditor,
    OpenWizard,
    PaneId,
    ShowModel,
    ShowPane,
    ShowRecordsInLibrary,
)
from modelarium.tui.models.pane import ModelsPane
from modelarium.tui.state import LibraryHandle, Services
from modelarium.tui.themes import DARK_THEME, LIGHT_THEME, THEMES
from modelarium.tui.widgets.footer import AppFooter
from modelarium.wording import counted

if TYPE_CHECKING:
    from modelarium.ollama.hosts import HostPool
    from modelarium.ollama.types import ModelSummary
    from modelarium.tui.hosts.hosts_screen import HostsEdited

PANES: tuple[PaneId, ...] = ("models", "library", "editor", "dashboard")
ON_DEMAND_PANES = {"dashboard": ("modelarium.tui.dashboard", "DashboardPane")}
"""Panes imported and mounted the first time they are asked for (never before the first
paint, and never at all in a session that does not open them)."""
DEFERRED_PANES: dict[PaneId, tuple[str, str, str]] = {
    "library": ("modelarium.tui.library", "LibraryPane", "Loading the library…"),
    "editor": ("modelarium.tui.editor", "EditorPane", "Loading the editor…"),
}
"""Panes loaded the first time they are asked for (their key, a request sent to them, the
palette), behind a placeholder saying so: module, class, placeholder text. Loaded at idle they
cost ~4 MB (the editor, Pygments) and the store's imports for nothing in a session that only
lists models."""
DRAFTS_GLANCE_AT_THE_LATEST = 1.0
"""Seconds after the first paint when the library is glanced at for drafts left by an earlier
session even though no host has listed its models yet (it waits for the first listing
otherwise, so that it does not compete with it)."""
DRAFTS_NOTICE_SECONDS = 20.0
"""How long the "drafts from an earlier session" notice stays (it is only a notice)."""
STYLE_FILES = ("app.tcss", "models.tcss")
"""Stylesheets of the first paint; each deferred pane's `<pane>.tcss` loads with the pane."""


def styles_dir() -> Path:
    """The .tcss folder: packaged `modelarium/styles` in a wheel, else the checkout's `styles/`.

    (Path arithmetic rather than importlib.resources: that import costs start-up time, and the
    package is always a plain folder here.)"""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "styles"
    return packaged if packaged.is_dir() else package.parent / "styles"


def stylesheets() -> list[Path]:
    """Absolute paths of the first paint's stylesheets."""
    folder = styles_dir()
    return [folder / name for name in STYLE_FILES if (folder / name).is_file()]


def resume_garbage_collection() -> None:
    """End the start's pause of the garbage collector (`modelarium.cli.tui.run_app`) at the
    first paint. The objects allocated so far (~90k: Textual, the styles, the first screen)
    are frozen first, so no collection scans them now (a ~25 ms stall) or later (full
    collections stay short while the user types); the ~0.35 MB of reference cycles the start
    left among them stays allocated for the session."""
    if gc.isenabled():
        return
    gc.freeze()
    gc.enable()


def without_httpx_command_line() -> None:
    """Keep httpx's own command line (`httpx._main`: Pygments' lexers and Click, ~3 MB) out
    of the app: `import httpx` imports it only to offer `httpx.main`, and falls back to a stub
    when it cannot. The app never runs it; the host pool imports httpx right after the start.
    """
    if "httpx" not in sys.modules:
        # None in sys.modules makes that import fail (the import system's documented way).
        sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


class DemoHost(Protocol):
    """A running demo host: in a thread (`modelarium.demo.DemoServerThread`) or in a child
    process (`modelarium.tui.early.DemoHostProcess`)."""

    @property
    def url(self) -> str: ...

    def stop(self) -> None: ...


def _show_drafts_of(editor: Widget) -> None:
    """Open the editor's drafts dialog (the editor is loaded by then)."""
    show_drafts = getattr(editor, "action_show_drafts", None)
    if callable(show_drafts):
        show_drafts()


class PanePlaceholder(Container):
    """Where a pane is mounted after the first paint (its module is imported then)."""


class ModelariumApp(App[None]):
    """Models, Library and Editor panes over one set of Ollama hosts."""

    TITLE = "Modelarium"
    CSS_PATH: ClassVar[CSSPathType | None] = list[str | PurePath](stylesheets())
    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = list(
        keys.bindings_for("app")
    )
    COMMANDS = App.COMMANDS | {RegistryCommands}

    def __init__(
        self,
        services: Services,
        *,
        health_interval: float | None = 5.0,
        demo_server: DemoHost | None = None,
        start_demo: bool = False,
        contain_errors: bool = False,
        early_listing: EarlyListing | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        """Settings, hosts, pool, library and clock shared by every pane."""
        self.health_interval = health_interval
        """Seconds between host health checks; None checks once at start (tests)."""
        self.demo_server = demo_server
        """The demo host this app runs on (started after the first paint under `--demo`, by the
        demo key, or handed in); stopped when the app exits."""
        self.start_demo = start_demo
        """Start the demo host after the first paint and use it (`modelarium --demo`)."""
        self.contain_errors = contain_errors
        """Replace a crash's traceback by a one-line message and a log file (the real app)."""
        self.early_listing = early_listing
        """The hosts' model lists asked before the UI imported (`modelarium.tui.early`): the
        Models pane shows them as they come, and the pool's first listing skips their hosts."""
        self.host_health: tuple[HostStatus, ...] = tuple(
            HostStatus(host.name, host.url) for host in services.hosts
        ) or ((HostStatus("demo", ""),) if start_demo else ())
        """Latest health of each host, in priority order."""
        self.hosts_from_settings = not start_demo and [h.url for h in services.hosts] == [
            h.url for h in effective_hosts(services.settings)
        ]
        """Whether this session runs on the settings file's hosts (not --host or --demo): then
        the hosts screen's changes apply at once."""
        self.current_pane: PaneId = "models"
        self._panes_asked: set[PaneId] = set()
        """Panes whose loading has begun (`load_pane`)."""
        self._panes_loaded: set[PaneId] = {"models"}
        """Panes mounted for real (placeholders left out)."""
        self._panes_settled: set[PaneId] = {"models"}
        """Panes done loading, mounted or failed: keys typed for them are no longer held."""
        self._when_loaded: dict[PaneId, list[Callable[[Widget], object]]] = {}
        """What waits for a pane to be mounted (requests sent to it, a palette action)."""
        self._drafts_glanced = False
        self._routed_requests: weakref.WeakSet[Message] = weakref.WeakSet()
        """Requests the app has delivered: one bubbling back from its pane is not routed again."""
        read_escape_digits_as_alt()
        self.key_router = KeyRouter(self, self._route_as_textual, self._pane_loading)
        """Keys and pastes in the order typed, each reaching the focus the one before left."""
        for theme in THEMES:
            self.register_theme(theme)
        theme_name = (
            services.settings.theme
            if services.settings.theme in self.available_themes
            else DARK_THEME.name
        )
        self._skip_theme_css_refresh = False
        """True while the CSS refresh that setting the theme here queued is still pending."""
        if self.theme != theme_name:
            self.theme = theme_name
            # The stylesheet was made with Textual's default theme's variables; given this
            # theme's now, the first parse uses them, and the full re-parse the theme change
            # queued (several ms before the first paint) would only repeat it.
            self.stylesheet.set_variables(self.get_css_variables())
            self._skip_theme_css_refresh = True

    def refresh_css(self, animate: bool = True) -> None:
        """Re-parse and re-apply the CSS (Textual's), except for the refresh queued by setting
        the theme in `__init__`: the stylesheet has that theme's variables from the start."""
        if self._skip_theme_css_refresh:
            self._skip_theme_css_refresh = False
            return
        super().refresh_css(animate)

    @property
    def _main(self) -> Screen[object]:
        """The screen holding the panes (queries on the app itself search only the top screen,
        which is a dialog while one is open)."""
        return self.screen_stack[0] if self.screen_stack else self.screen

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Pane keys act on the screen of panes only: over the wizard, Trials or a dialog they
        would switch a pane nobody sees, so there they are neither shown nor run."""
        return action != "show_pane" or self.screen is self._main

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification (widgets' `notify` lands here) shows its text terminal-safe and
        as plain text: most carry a host's, a file's or the store's own words."""
        del markup  # never markup: a host's error text is not ours to interpret
        super().notify(
            terminal_text(message, lines="keep"),
            title=terminal_text(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def get_key_display(self, binding: Binding) -> str:
        """Keys in the footer read as the help and the notices write them (`F2`, `^t`, `Esc`),
        not Textual's lowercase `f2`."""
        return binding.key_display or keys.display_key(binding.key)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's palette entries, less those the key registry offers too (its "Theme"
        and "Quit" would be listed twice; ours switch between our themes)."""
        ours = {action.description for action in keys.registered("app") if action.palette}
        for command in super().get_system_commands(screen):
            if command.title not in ours:
                yield command

    def compose(self) -> ComposeResult:
        yield HostStatusBar(self.host_health, id="status-bar")
        with ContentSwitcher(initial="models", id="panes"):
            yield ModelsPane(id="models")
        yield AppFooter()

    def on_mount(self) -> None:
        """Watch screens open, so that keys typed while one opens are kept for it; save a
        theme the user picks."""
        self.key_router.watch_screens()
        self._saved_theme = self.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.early_listing is not None:
            for name, models in self.early_listing.listen(self._early_answer).items():
                self._early_listed(name, models)

    def _early_answer(self, name: str, models: tuple[ModelSummary, ...]) -> None:
        """A host's early answer arrived (in its listing thread): hand it to the event loop."""
        with contextlib.suppress(RuntimeError):  # the app has closed: nothing to show it in
            self.call_from_thread(self._early_listed, name, models)

    def _early_listed(self, name: str, models: tuple[ModelSummary, ...]) -> None:
        panes = self._main.query(ModelsPane)
        if panes:
            panes.first().take_listing(name, models)

    def _remember_theme(self, theme: Theme) -> None:
        """A theme picked with ctrl+t or the palette is written to the settings file (comments
        kept), off the event loop, so the next start opens with it."""
        if theme.name == self._saved_theme:
            return
        self._saved_theme = theme.name
        self.run_worker(self._save_theme(theme.name), group="settings", exclusive=True)

    async def _save_theme(self, name: str) -> None:
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.config_file import set_value

        try:
            await asyncio.to_thread(set_value, "theme", name)
        except (ConfigError, OSError) as error:
            self.notify(f"The theme is used but not saved: {error}", severity="warning")

    # Keys in the order typed (`key_router`) ------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Typed keys and pastes go through the key router; Textual routes the rest."""
        if isinstance(event, TypedInput) and await self.key_router.arrive(event):
            return
        await super().on_event(event)

    async def _route_as_textual(self, event: events.Event) -> None:
        await super().on_event(event)

    def _pane_loading(self) -> bool:
        return self.current_pane not in self._panes_settled

    async def on_ready(self) -> None:
        """After the first paint: start the demo host or connect to the hosts; once the first
        models are listed, glance at the library for drafts left by an earlier session. The
        Library and Editor panes load when first asked for (`load_pane`)."""
        resume_garbage_collection()
        if self.start_demo:
            self._start_demo_host(announce=False)
        else:
            self.connect_hosts(replace=False)
        self.set_timer(DRAFTS_GLANCE_AT_THE_LATEST, self._glance_for_drafts)

    @on(ModelsListed)
    def _first_models_listed(self) -> None:
        self._glance_for_drafts()

    @property
    def panes_ready(self) -> bool:
        """True once the Library and Editor panes are both mounted (each loads when first
        asked for: `load_pane`)."""
        return all(pane_id in self._panes_loaded for pane_id in DEFERRED_PANES)

    def pane_loaded(self, pane_id: PaneId) -> bool:
        """Whether a pane is mounted for real (not its placeholder, not still loading)."""
        return pane_id in self._panes_loaded

    def load_pane(self, pane_id: PaneId) -> None:
        """Load a deferred pane (Library, Editor) once, without showing it: its module is
        imported in a thread, its stylesheet read, and it replaces its placeholder."""
        if pane_id not in DEFERRED_PANES or pane_id in self._panes_asked:
            return
        self._panes_asked.add(pane_id)
        # A worker, not a callback: the app keeps handling keys while the pane's modules import.
        self.run_worker(
            self._mount_pane(pane_id),
            name=f"loading the {pane_id} pane",
            group="panes",
            exit_on_error=False,
        )

    def _when_pane_loaded(self, pane_id: PaneId, then: Callable[[Widget], object]) -> None:
        """Run `then` with the pane once it is mounted (now, when it already is); load it."""
        panes = self._loaded_panes(pane_id)
        if panes:
            then(panes[0])
            return
        self._when_loaded.setdefault(pane_id, []).append(then)
        self.load_pane(pane_id)

    def _closing_down(self) -> bool:
        """Whether the app has begun to shut down (Textual stops its message loop first)."""
        return not self.is_running

    async def _mount_pane(self, pane_id: PaneId) -> None:
        try:
            await self._mount_pane_now(pane_id)
        finally:
            self._panes_settled.add(pane_id)
            self._when_loaded.pop(pane_id, None)  # delivered by now, or the pane failed
            self.key_router.pane_settled()  # whatever happened, held keys are not kept

    async def _mount_pane_now(self, pane_id: PaneId) -> None:
        if self._closing_down():
            return
        module_name, class_name, loading = DEFERRED_PANES[pane_id]
        switcher = self._main.query_one(ContentSwitcher)
        placeholder = PanePlaceholder(Static(loading), id=pane_id)
        placeholder.display = False  # a switcher shows a late child unless told otherwise
        await switcher.mount(placeholder)
        if self.current_pane == pane_id:  # asked for before it existed: say it is loading
            switcher.current = pane_id
        try:
            # Imported in a thread: the import (Pygments, the core) must not stall the UI.
            module = await asyncio.to_thread(importlib.import_module, module_name)
            pane_class = getattr(module, class_name)
        except (ImportError, AttributeError) as error:
            placeholder.query_one(Static).update(f"The {pane_id} pane could not be loaded: {error}")
            self.notify(f"The {pane_id} pane could not be loaded: {error}", severity="error")
            return
        self._read_pane_styles(pane_id)
        if self._closing_down():
            return  # the app closed while the module imported: nothing to mount into
        await placeholder.remove()
        pane = pane_class(id=pane_id)
        await switcher.mount(pane)
        self._panes_loaded.add(pane_id)
        self._panes_settled.add(pane_id)
        for then in self._when_loaded.pop(pane_id, []):
            then(pane)  # requests first: keys typed after a request are handled behind it
        if pane_id == self.current_pane:  # asked for while loading: shown and focused now
            self.action_show_pane(pane_id)
            self.key_router.pane_settled()

    def _read_pane_styles(self, pane_id: PaneId) -> None:
        """Add a late pane's stylesheet (`<pane>.tcss`); a broken one is reported, and the
        pane still works."""
        pane_styles = styles_dir() / f"{pane_id}.tcss"
        try:
            if pane_styles.is_file():
                self.stylesheet.read(pane_styles)
                self.stylesheet.parse()
        except StylesheetError as error:
            self.notify(f"{pane_styles}: {error}", severity="error")

    @work(group="panes", exclusive=False, exit_on_error=False)
    async def _mount_on_demand(self, pane_id: PaneId) -> None:
        """Import an on-demand pane in a thread, read its stylesheet, mount and show it."""
        try:
            await self._mount_on_demand_now(pane_id)
        finally:
            self._panes_settled.add(pane_id)
            self.key_router.pane_settled()

    async def _mount_on_demand_now(self, pane_id: PaneId) -> None:
        switcher = self._main.query_one(ContentSwitcher)
        if switcher.query_children(f"#{pane_id}") or self._closing_down():
            return
        module_name, class_name = ON_DEMAND_PANES[pane_id]
        try:
            module = await asyncio.to_thread(importlib.import_module, module_name)
            pane_class = getattr(module, class_name)
        except (ImportError, AttributeError) as error:
            self.notify(f"The {pane_id} pane could not be loaded: {error}", severity="error")
            return
        self._read_pane_styles(pane_id)
        if self._closing_down() or switcher.query_children(f"#{pane_id}"):
            return
        pane = pane_class(id=pane_id)
        pane.display = False
        await switcher.mount(pane)
        self._panes_loaded.add(pane_id)
        if self.current_pane == pane_id:
            self.action_show_pane(pane_id)

    # Drafts of an earlier session ---------------------------------------------------------

    def _glance_for_drafts(self) -> None:
        """Once, after the first listing (or `DRAFTS_GLANCE_AT_THE_LATEST`): look for drafts
        an earlier session left (a crash, a closed terminal) without loading the editor."""
        if self._drafts_glanced:
            return
        self._drafts_glanced = True
        self._look_for_earlier_drafts()

    @work(thread=True, group="drafts-on-start", exit_on_error=False)
    def _look_for_earlier_drafts(self) -> None:
        """Count the drafts waiting. A SQLite library is glanced at without the database
        layer (`store.glance`), so neither the store nor the editor loads at idle; any other
        library is asked."""
        # Deferred (start-up, memory): loaded in this worker, after the first paint.
        from modelarium.store.glance import drafts_waiting

        library = self.services.library
        try:
            count = None if library.is_open else drafts_waiting(library.url)
            if count is None:
                count = len(library.get().list_drafts())
        except Exception:  # an unavailable library is reported by the library pane
            return
        if count:
            self.post_message(self.EarlierDrafts(count))

    class EarlierDrafts(Message):
        """Drafts exist from before this session started."""

        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    @on(EarlierDrafts)
    def _offer_drafts(self, event: EarlierDrafts) -> None:
        """Say that drafts wait, with the key that lists them: a notice, never a dialog.

        The offer arrives a moment after the start, when the user may already be working in
        another pane; a modal dialog then would take the keys meant for that work.
        """
        for editor in self._loaded_panes("editor"):
            text: object = getattr(editor, "text", None)
            if text or getattr(editor, "draft", None) is not None:
                return  # the user is already editing; the drafts stay listed under the drafts key
        self.notify(
            f"{counted(event.count, 'draft')} from an earlier session: "
            f"{keys.shown_key('app', 'show_drafts')} lists them to resume or discard",
            title="Drafts",
            timeout=DRAFTS_NOTICE_SECONDS,
        )

    # Hosts -------------------------------------------------------------------------------

    @work(exclusive=True, group="connect", exit_on_error=False)
    async def connect_hosts(self, replace: bool = True) -> None:
        """Open the host pool (imports httpx off the event loop), then list and watch hosts.

        `replace=False` (the first connection) keeps a pool an early action already opened
        on the same hosts; otherwise (hosts edited, the demo host) a new pool replaces it."""
        try:
            without_httpx_command_line()
            # Imported in a thread: `new_pool` then finds it imported.
            await asyncio.to_thread(importlib.import_module, "modelarium.ollama.hosts")
            old_pool = self.services.pool
            if not replace and old_pool is not None:
                pool: HostPool = old_pool
            else:
                pool = self.services.new_pool()
        except Exception as error:  # a bad host URL or a missing dependency, reported
            self.notify(f"Cannot connect to the hosts: {error}", severity="error", timeout=15)
            return
        self.services.pool = pool
        if old_pool is not None and old_pool is not pool:
            old_pool.stop_monitor()
            await old_pool.aclose()
        pool.add_listener(lambda _status: self._pool_status_changed(pool))
        self.post_message(HostsChanged(pool.statuses()))
        early, self.early_listing = self.early_listing, None
        answered = early.answered() if early is not None else set()
        models_pane = self._main.query_one(ModelsPane)
        models_pane.reload([name for name in models_pane.host_names if name not in answered])
        if self.health_interval is None:
            await pool.check_all()
        else:
            pool.start_monitor(self.health_interval)

    def _pool_status_changed(self, pool: HostPool) -> None:
        if pool is self.services.pool:
            self.post_message(HostsChanged(pool.statuses()))

    def action_check_hosts(self) -> None:
        """Check every host's health now."""
        pool = self.services.pool
        if pool is not None:
            self.run_worker(pool.check_all(), group="health-now", exit_on_error=False)

    def action_edit_hosts(self) -> None:
        """Open the hosts screen (the settings file's `[[hosts]]`)."""
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.tui.hosts.hosts_screen import HostsScreen

        note = (
            ""
            if self.hosts_from_settings
            else "This session runs on --host/--demo hosts; changes here apply from the next "
            "start without them."
        )
        self.push_screen(HostsScreen(note))

    def on_hosts_edited(self, message: HostsEdited) -> None:
        """Run on the saved hosts at once when they are the ones this session uses."""
        self.services.settings = message.settings
        if self.hosts_from_settings:
            self.services.hosts = settings_hosts(message.settings)
            self.connect_hosts()

    def action_use_demo_host(self) -> None:
        """Start the built-in demo host and use it instead of the configured hosts."""
        if self.services.demo:
            self.notify("Already on the demo host.")
            return
        self.notify("Starting the demo host…")
        self._start_demo_host()

    @work(thread=True, exclusive=True, group="demo", exit_on_error=False)
    def _start_demo_host(self, announce: bool = True) -> None:
        try:
            # Deferred (start-up): not loaded before the first paint.
            from modelarium.demo import DemoServerThread

            server = DemoServerThread()
            server.start()
        except Exception as error:  # reported, never raised: the app keeps its hosts
            self.call_from_thread(
                self.notify, f"the demo host could not start: {error}", severity="error"
            )
            return
        try:
            self.call_from_thread(self._switch_to_demo, server, announce)
        except RuntimeError:  # the app closed while the demo host was starting
            server.stop()

    def _switch_to_demo(self, server: DemoHost, announce: bool) -> None:
        self.demo_server = server
        self.hosts_from_settings = False
        self.services.hosts = (HostConfig("demo", server.url),)
        self.services.demo = True
        if announce:
            self.notify(f"Using the demo host at {server.url}.")
        self.connect_hosts()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self, event)

    # Routing -----------------------------------------------------------------------------

    def _loaded_panes(self, pane_id: PaneId | None = None) -> list[Widget]:
        """The panes mounted for real (of one id, when given), placeholders left out."""
        ids = PANES if pane_id is None else (pane_id,)
        return [
            pane
            for one in ids
            for pane in self._main.query(f"#{one}")
            if not isinstance(pane, PanePlaceholder)
        ]

    def _broadcast(self, delivery: Callable[[], Delivery]) -> None:
        """Hand every loaded pane a delivery of its own (made by `delivery`)."""
        for pane in self._loaded_panes():
            pane.post_message(delivery())

    def _deliver(self, pane_id: PaneId, delivery: Message) -> None:
        """Hand `delivery` to one pane, once it is mounted (loading it when not yet asked)."""
        self._when_pane_loaded(pane_id, lambda pane: pane.post_message(delivery))

    @on(HostsChanged)
    def _hosts_changed(self, message: HostsChanged) -> None:
        if not self.screen_stack:
            return
        before = [(health.name, health.state) for health in self.host_health]
        self.host_health = message.hosts
        status_bars = self._main.query(HostStatusBar)
        if not status_bars:
            return  # the app is closing: a last health report has nothing left to update
        status_bars.first().hosts = message.hosts
        if [(health.name, health.state) for health in message.hosts] != before:
            self._broadcast(partial(DeliverHostsChanged, message))

    @on(LibraryChanged)
    def _library_changed(self, message: LibraryChanged) -> None:
        self._broadcast(partial(DeliverLibraryChanged, message))

    @on(OpenInEditor)
    def _open_in_editor(self, message: OpenInEditor) -> None:
        self._deliver("editor", DeliverOpenInEditor(message))
        self.action_show_pane("editor")

    @on(AddElementsToEditor)
    def _add_to_editor(self, message: AddElementsToEditor) -> None:
        self._deliver("editor", DeliverAddElements(message))
        self.action_show_pane("editor")

    @on(ShowRecordsInLibrary)
    def _show_records_in_library(self, message: ShowRecordsInLibrary) -> None:
        """Filter the Library to a model's curated elements (from the knowledge view), and
        show it; the request, once delivered, bubbles back from the pane and stops here."""
        if message in self._routed_requests:
            return
        self._routed_requests.add(message)
        self._deliver("library", message)
        self.action_show_pane("library")

    @on(ModelCreated)
    def _model_created(self, message: ModelCreated) -> None:
        self._deliver("models", DeliverModelCreated(message))

    @on(ShowModel)
    def _show_model(self, message: ShowModel) -> None:
        """Switch to Models and put the cursor on the model once its host has listed it."""
        self.action_show_pane("models")
        pane = self._main.query_one(ModelsPane)
        wanted = (message.host, message.model)
        attempts = iter(range(100))  # tenths of a second: a host just created it, or listing

        def place() -> None:
            names = [(row.host, row.name) for row in pane.shown_rows]
            if wanted not in names and wanted in [(row.host, row.name) for row in pane.all_rows]:
                cleared = pane.clear_filter()  # the filter hides it: show it, and say so
                if cleared:
                    self.notify(f"{cleared} cleared to show {message.model}.")
                names = [(row.host, row.name) for row in pane.shown_rows]
            if wanted in names:
                pane.move_cursor(row=names.index(wanted))
            elif next(attempts, None) is not None:
                self.set_timer(0.1, place)
            else:
                self.notify(f"{message.model} is not listed on {message.host}.", severity="warning")

        place()

    @on(OpenWizard)
    def _open_wizard_requested(self, message: OpenWizard) -> None:
        if message.draft is not None:
            # Deferred (start-up): not loaded before the first paint.
            from modelarium.tui.wizard import WizardScreen

            self.push_screen(WizardScreen(draft=message.draft))
            return
        self.action_open_wizard(message.host, message.base, message.parameter_set)

    def action_open_wizard(
        self, host: str | None = None, base: str | None = None, parameter_set: int | None = None
    ) -> None:
        """Open the model creation wizard (imported on first use)."""
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.tui.wizard import WizardScreen

        self.push_screen(WizardScreen(host=host, base=base, parameter_set=parameter_set))

    def action_open_wizard_here(self) -> None:
        """Open the wizard from what the current pane highlights: the model in Models as the
        base, a parameter set in the Library as the parameters."""
        if self.current_pane == "models":
            row = self._main.query_one(ModelsPane).cursor_row
            if row is not None:
                self.action_open_wizard(row.host, row.name)
                return
        panes = [p for p in self._main.query("#library") if not isinstance(p, PanePlaceholder)]
        selected = getattr(panes[0], "selected", None) if panes else None
        if self.current_pane == "library" and getattr(selected, "id", None) is not None:
            kind = getattr(getattr(selected, "element", None), "kind", None)
            if str(kind) == "parameters":
                self.action_open_wizard(parameter_set=getattr(selected, "id", None))
                return
        self.action_open_wizard()

    @on(ShowPane)
    def _show_pane_requested(self, message: ShowPane) -> None:
        self.action_show_pane(message.pane)

    # Actions -----------------------------------------------------------------------------

    def action_show_pane(self, pane: str) -> None:
        """Switch to a pane and focus its main widget (its `focus_default()`, else the first)."""
        if pane not in PANES:
            return
        pane_id = PANES[PANES.index(pane)]
        self.current_pane = pane_id
        switcher = self._main.query_one(ContentSwitcher)
        targets = switcher.query_children(f"#{pane_id}")
        if not targets and pane_id in ON_DEMAND_PANES:
            self._mount_on_demand(pane_id)
            return  # shown once mounted
        if not targets or pane_id not in self._panes_loaded:
            self.load_pane(pane_id)
            if targets:  # its placeholder: say that it is loading
                switcher.current = pane_id
            return  # not mounted yet: the pane is shown as soon as it is
        switcher.current = pane_id
        target = targets.first()
        focus_default = getattr(target, "focus_default", None)
        if callable(focus_default):
            focus_default()
            return
        first = next((node for node in target.query(Widget) if node.focusable), None)
        if first is not None:
            self.set_focus(first)

    def installed_model_names(self) -> list[str]:
        """Every model the Models pane lists, of every host (the editor completes FROM)."""
        return [row.name for pane in self.query(ModelsPane) for row in pane.all_rows]

    def action_open_trials(self) -> None:
        """Open the Trials view for the Models pane's selection (else its highlighted model)."""
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.tui.trials.screen import TrialsScreen

        panes = self.query(ModelsPane)
        rows = panes.first().target_rows() if panes else []
        if not rows:
            self.notify("Select models in Models first (Space), then press t.", severity="warning")
            return
        self.push_screen(TrialsScreen(rows))

    def action_toggle_theme(self) -> None:
        """Switch between the dark and the light Modelarium theme."""
        self.theme = LIGHT_THEME.name if self.current_theme.dark else DARK_THEME.name

    def action_show_drafts(self) -> None:
        """List the editor's drafts to resume (in the editor) or discard, from any pane.

        Not over a dialog: there the key belongs to the dialog's own widgets."""
        if len(self.screen_stack) > 1:
            raise SkipAction()
        self._when_pane_loaded("editor", _show_drafts_of)

    def action_help(self) -> None:
        """Show the help screen, generated from the key registry."""
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.tui.dialogs.help import HelpScreen

        self.push_screen(HelpScreen())

    async def run_registry_action(self, action: keys.KeyAction) -> None:
        """Run a registered action on its scope's widget (from the command palette)."""
        if action.scope == "app":
            await self.run_action(action.action)
            return
        if action.scope in PANES:
            self.action_show_pane(action.scope)
        if action.scope in DEFERRED_PANES:
            pane_id = PANES[PANES.index(action.scope)]
            self._when_pane_loaded(
                pane_id, lambda pane: self.call_later(self.run_action, action.action, pane)
            )
            return
        targets = [
            node
            for node in self._main.query(f"#{action.scope}")
            if not isinstance(node, PanePlaceholder)
        ]
        if not targets:
            self.notify(
                f"{keys.SCOPE_TITLES.get(action.scope, action.scope)} is not loaded yet.",
                severity="warning",
            )
            return
        await self.run_action(action.action, targets[0])

    # Lifecycle ---------------------------------------------------------------------------

    async def on_unmount(self) -> None:
        """Close the host pool, the library and the demo host."""
        pool = self.services.pool
        self.services.pool = None
        self.services.closed = True
        if pool is not None:
            await pool.aclose()
        await asyncio.to_thread(self.services.library.close)
        if self.demo_server is not None:
            await asyncio.to_thread(self.demo_server.stop)

    def _fatal_error(self) -> None:
        if not self.contain_errors:
            super()._fatal_error()
            return
        error = self._exception
        log_path = locations.state_dir() / "crash.log"
        report = "".join(traceback.format_exception(error)) if error else "unknown error\n"
        logging.getLogger("modelarium.tui").error("internal error, the app stopped\n%s", report)
        try:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            with log_path.open("a", encoding="utf-8") as log:
                log.write(redact(report))
            where = f"details in {log_path}"
        except OSError:
            where = "no log could be written"
        self.bell()
        summary = f"{type(error).__name__}: {error}" if error else "unknown error"
        self._exit_renderables.append(
            f"Modelarium stopped on an internal error ({summary}); {where}."
        )
        self._close_messages_no_wait()


class StartupError(Exception):
    """The app cannot start (bad settings, the demo host failed); one line for the user."""


def settings_hosts(settings: Settings) -> tuple[HostConfig, ...]:
    """The hosts of the settings file; else `OLLAMA_HOST` or the default address, named by
    its URL as the CLI names it."""
    if settings.hosts:
        return settings.hosts
    return tuple(
        HostConfig(host_name_for_url(host.url), host.url, host.token, host.headers)
        for host in effective_hosts(settings)
    )


def build_app(
    args: argparse.Namespace,
    app_class: type[ModelariumApp] | None = None,
    early: EarlyStart | None = None,
) -> ModelariumApp:
    """The app for `modelarium [--demo] [--host URL ...]`; raises `StartupError`.

    Hosts: `--demo` (a demo host, started after the first paint), else `--host` URLs, else
    the configured hosts, else `OLLAMA_HOST`, else 127.0.0.1:11434. With `early` (started
    before the UI imported), its hosts, listing and demo host.
    """
    try:
        settings = load_settings()
    except ConfigError as error:
        raise StartupError(str(error)) from error
    if early is not None:
        services = Services(
            settings=settings,
            hosts=early.hosts,
            library=LibraryHandle(settings.database_url),
            demo=early.demo is not None,
        )
        return (app_class or ModelariumApp)(
            services, demo_server=early.demo, contain_errors=True, early_listing=early.listing
        )
    start_demo = bool(getattr(args, "demo", False))
    if start_demo:
        hosts: tuple[HostConfig, ...] = ()  # the demo host starts after the first paint
    elif getattr(args, "hosts", None):
        hosts = hosts_from_urls(args.hosts)
    else:
        hosts = settings_hosts(settings)
    services = Services(
        settings=settings,
        hosts=hosts,
        library=LibraryHandle(settings.database_url),
        demo=start_demo,
    )
    return (app_class or ModelariumApp)(services, start_demo=start_demo, contain_errors=True)


def run(args: argparse.Namespace) -> int:
    """Open the TUI; returns the exit code (1 with a one-line message when it cannot start).
    `args.early_start` holds what `modelarium.cli.tui.run_app` started before the UI imported."""
    early: EarlyStart | None = getattr(args, "early_start", None)
    try:
        app = build_app(args, early=early)
    except StartupError as error:
        print(f"modelarium: {error}", file=sys.stderr)
        return 1
    app.run()
    return app.return_code or 0
