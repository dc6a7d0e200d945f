"""`modelarium screenshot`: run the app headless on the demo host and write one SVG per view.

The app runs exactly as users see it (same panes, themes, styles) on a fresh demo host and a
throwaway library, so the README pictures stay true to the code.
"""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path

from textual.pilot import Pilot

from modelarium.config import HostConfig, Settings
from modelarium.fileio import write_atomically
from modelarium.tui.app import ModelariumApp
from modelarium.tui.state import LibraryHandle, Services

SCREEN_SIZE = (150, 42)
"""Terminal size of the screenshots (columns, rows)."""

Step = Callable[[Pilot[None]], Awaitable[None]]


async def settle(pilot: Pilot[None], app: ModelariumApp) -> None:
    """Wait until workers are idle and the screen has repainted."""
    for _ in range(2):
        await pilot.pause(0.15)
        await app.workers.wait_for_complete()
    await pilot.pause(0.1)


async def effective_view(pilot: Pilot[None], app: ModelariumApp) -> int:
    """The Models pane on a derived model whose base was updated, its details scrolled to the
    effective settings: every setting and where its value comes from. Returns the table row
    the cursor was on."""
    # Deferred (start-up): loaded only when this runs.
    from modelarium.tui.models import ModelsPane
    from modelarium.tui.models.details import ModelDetailsView
    from modelarium.tui.models.table import ModelsTable

    pane = app.query_one(ModelsPane)
    before = pane.query_one(ModelsTable).cursor_row
    await highlight(pilot, app, "my-reviewer:latest")
    pane.query_one(ModelDetailsView).scroll_to_section("Effective settings")
    await pilot.pause(0.1)
    return before


async def back_to_row(pilot: Pilot[None], app: ModelariumApp, row: int) -> None:
    """Put the Models table's cursor back on `row` (the next views start from it)."""
    # Deferred (start-up): loaded only when this runs.
    from modelarium.tui.models import ModelsPane

    app.query_one(ModelsPane).move_cursor(row=row)
    await pilot.pause(0.2)
    await settle(pilot, app)


async def until(pilot: Pilot[None], ready: Callable[[], bool], seconds: float = 60.0) -> None:
    """Wait until `ready()` holds (a state, not a time); give up quietly after `seconds`."""
    for _ in range(int(seconds / 0.05)):
        if ready():
            return
        await pilot.pause(0.05)


async def highlight(pilot: Pilot[None], app: ModelariumApp, name: str) -> None:
    """Put the Models table's cursor on the model called `name`."""
    # Deferred (start-up): loaded only when this runs.
    from modelarium.tui.models import ModelsPane
    from modelarium.tui.models.rows import row_key

    pane = app.query_one(ModelsPane)
    names = [row.name for row in pane.shown_rows]
    if name not in names:
        return
    pane.move_cursor(row=names.index(name))

    def details_shown() -> bool:
        row = pane.cursor_row
        return row is not None and pane.details_shown_for == (row_key(row), row.digest)

    await until(pilot, details_shown)  # the details follow the cursor once it rests
    await settle(pilot, app)


async def settings_view(pilot: Pilot[None], app: ModelariumApp) -> None:
    """The curated settings of qwen3:8b side by side (`k` on the model)."""
    # Deferred (start-up): loaded only when this runs.
    from modelarium.tui.models.knowledge_dialog import KnowledgeScreen

    await highlight(pilot, app, "qwen3:8b")
    await pilot.press("k")
    await until(
        pilot,
        lambda: isinstance(app.screen, KnowledgeScreen) and app.screen.recommendation is not None,
    )
    await settle(pilot, app)


async def dashboard_view(pilot: Pilot[None], app: ModelariumApp, probes: int = 8) -> None:
    """The Dashboard after `probes` health checks (F5), so the Probes sparkline has a history
    (screenshots run without the health monitor)."""
    # Deferred (start-up): loaded only when this runs.
    from modelarium.tui.dashboard.pane import DashboardPane

    await pilot.press("f6")
    await until(pilot, lambda: bool(app.query(DashboardPane)))
    pane = app.query_one(DashboardPane)

    def sampled(count: int) -> bool:
        return all(len(view.latencies) >= count for view in pane.hosts.values())

    for count in range(1, probes + 1):
        await pilot.press("f5")
        await until(pilot, partial(sampled, count))
    await settle(pilot, app)


async def trials_view(pilot: Pilot[None], app: ModelariumApp) -> None:
    """Trials of two models of one series with the variants that suit both, run to the end (`t`
    on the selection)."""
    # Deferred (start-up): loaded only when this runs.
    from textual.widgets import DataTable

    from modelarium.tui.trials.screen import TrialsScreen

    for name in ("qwen3:8b", "qwen3:4b-mlx"):
        await highlight(pilot, app, name)
        await pilot.press("space")
    await pilot.press("t")
    await until(pilot, lambda: isinstance(app.screen, TrialsScreen))
    screen = app.screen
    if not isinstance(screen, TrialsScreen):
        return
    await until(pilot, lambda: screen.sets_note is not None)  # the suitable variants known
    matrix = screen.query_one("#trials-matrix", DataTable)
    matrix.focus()
    await pilot.press("r")
    await until(pilot, lambda: screen.status.startswith("Done"), seconds=120)
    matrix.move_cursor(row=0, column=1)
    await settle(pilot, app)


async def write_screenshots(
    out_dir: Path, *, size: tuple[int, int] = SCREEN_SIZE, theme: str | None = None
) -> list[Path]:
    """Write models, details, effective, library, editor, help, dashboard, settings, trials and
    wizard SVGs into `out_dir`; returns the paths."""
    # Deferred (start-up): only screenshot runs start a demo host.
    from modelarium.demo import DemoServerThread

    written: list[Path] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="modelarium-screenshots-") as scratch:
        library_url = f"sqlite:///{Path(scratch) / 'library.sqlite3'}"
        with DemoServerThread() as server:
            server.state.progress_delay = 0.0  # the trials run at once: the picture, not a wait
            hosts = (HostConfig("demo", server.url),)
            settings = Settings(hosts=hosts, database_url=library_url)
            services = Services(
                settings=settings, hosts=hosts, library=LibraryHandle(library_url), demo=True
            )
            app = ModelariumApp(services, health_interval=None)
            if theme is not None:
                app.theme = theme

            async def shoot(name: str) -> None:
                path = out_dir / f"{name}.svg"
                svg = app.export_screenshot(title=f"Modelarium — {name}")
                write_atomically(path, svg.encode("utf-8"))
                written.append(path)

            async with app.run_test(size=size) as pilot:
                await settle(pilot, app)
                await shoot("models")
                await pilot.press(*["down"] * 7)  # a customised model: SYSTEM, PARAMETER, MESSAGE
                await settle(pilot, app)
                await pilot.press("tab")  # focus the details view
                await shoot("details")
                back_to = await effective_view(pilot, app)
                await shoot("effective")
                await back_to_row(pilot, app, back_to)
                await pilot.press("2")
                await settle(pilot, app)
                await shoot("library")
                await pilot.press("f2", "e")  # back to Models; open the model in the editor
                await settle(pilot, app)
                await pilot.press("f12")  # with the live prompt preview beside it
                await settle(pilot, app)
                await shoot("editor")
                await pilot.press("f2", "f1")  # help over the Models pane
                await settle(pilot, app)
                await shoot("help")
                await pilot.press("escape")
                await dashboard_view(pilot, app)  # hosts, their probes, loaded models
                await shoot("dashboard")
                await pilot.press("f2")
                await settings_view(pilot, app)
                await shoot("settings")
                await pilot.press("escape")
                await trials_view(pilot, app)
                await shoot("trials")
                await pilot.press("escape")
                await settle(pilot, app)
                await pilot.press("a", "a")  # all, then none: the wizard starts from no selection
                app.call_later(app.action_open_wizard, "demo", "llama3.1:8b")
                await settle(pilot, app)
                await pilot.press("enter")  # use case: code -> the parameter step
                await settle(pilot, app)
                await shoot("wizard")
    return written
