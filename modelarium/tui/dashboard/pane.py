"""The Dashboard pane: every host and every loaded model on one screen.

Hosts: state, Ollama version, a sparkline of the health probes' latency (as many recent probes
as the pane's width leaves room for), model count, disk total, models in memory; under them the
totals of every host. Loaded models (`/api/ps`, worded as `ollama ps`): size in memory,
processor split, context against the model's maximum and its Modelfile's `num_ctx`, and a
countdown to unload that ticks every second. Reads run in workers at each health interval and
after every action; the one-second timer only redraws from what is known, so input never
waits on a host.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, DataTable, Label, Static

from modelarium.ollama.running import processor_text
from modelarium.ollama.types import HostStatus
from modelarium.terminal_text import terminal_text
from modelarium.tui.dashboard.view import (
    HOST_COLUMNS,
    LOADED_COLUMNS,
    PROBES_COLUMN,
    ContextFacts,
    HostLine,
    HostsFit,
    HostTotals,
    bytes_text,
    clip,
    context_text,
    countdown_text,
    fit_hosts,
    fit_loaded,
    host_totals,
    memory_text,
)
from modelarium.tui.errors import model_failure
from modelarium.tui.keys import bindings_for
from modelarium.tui.messages import (
    DeliverHostsChanged,
    ShowModel,
)
from modelarium.tui.state import HostNotAvailable, services_of

if TYPE_CHECKING:
    from modelarium.ollama.facts import FactsSource
    from modelarium.ollama.types import RunningModel


LATENCY_HISTORY = 120
"""Latency samples kept per host (one per second: the last two minutes)."""


@dataclass
class HostView:
    """What the dashboard knows of one host."""

    health: HostStatus
    latencies: deque[float | None] = field(default_factory=lambda: deque(maxlen=LATENCY_HISTORY))
    checked_at: datetime | None = None
    disk_sizes: tuple[int, ...] | None = None
    running: tuple[RunningModel, ...] = ()
    error: str | None = None


"""Headings of the loaded-models table."""


class DashboardPane(Vertical):
    """Hosts and loaded models, updated with each health check."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("dashboard"))

    def __init__(self, *, id: str | None = "dashboard") -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.hosts: dict[str, HostView] = {}
        """Per host name, in priority order."""
        self.context: dict[tuple[str, str], ContextFacts] = {}
        """Context facts per (host, model digest)."""
        self._facts: FactsSource | None = None
        self.reads = 0
        """How many complete reads of the hosts have arrived (tests wait on it)."""

    def compose(self) -> ComposeResult:
        yield Label("Hosts", classes="dashboard-title")
        hosts = DataTable[Text](id="dashboard-hosts", cursor_type="row", zebra_stripes=True)
        hosts.add_columns(*HOST_COLUMNS)
        yield hosts
        # Under the hosts, not at the foot: notices stack up from the screen's bottom right.
        yield Static("", id="dashboard-status", markup=False)
        yield Label("In memory", classes="dashboard-title")
        loaded = DataTable[Text](id="dashboard-loaded", cursor_type="row", zebra_stripes=True)
        loaded.add_columns(*LOADED_COLUMNS)
        yield loaded

    def on_mount(self) -> None:
        switcher = self.parent
        if isinstance(switcher, ContentSwitcher) and switcher.current != self.id:
            self.display = False  # mounted into the switcher later than its other panes
        self._take_health(tuple(getattr(self.app, "host_health", ())))
        self.set_interval(1.0, self.tick)
        interval = getattr(self.app, "health_interval", None) or 5.0
        self.set_interval(interval, self.read_hosts)
        self.read_hosts()

    def on_resize(self) -> None:
        """Fit the hosts table to the new width now, not at the next tick."""
        self._redraw()

    def focus_default(self) -> None:
        """Focus the loaded-models table (the one the actions work on)."""
        self.query_one("#dashboard-loaded", DataTable).focus()

    # Health ------------------------------------------------------------------------------

    def _take_health(self, health: tuple[HostStatus, ...]) -> None:
        known = self.hosts
        self.hosts = {}
        for one in health:
            view = known.get(one.name) or HostView(one)
            view.health = one
            self.hosts[one.name] = view
        self._redraw()

    @on(DeliverHostsChanged)
    def _hosts_changed(self, delivery: DeliverHostsChanged) -> None:
        self._take_health(delivery.request.hosts)
        self.read_hosts()

    def tick(self) -> None:
        """Every second: sample each host's latest probe and redraw the countdowns."""
        pool = services_of(self).pool
        if pool is not None:
            for status in pool.statuses():
                view = self.hosts.get(status.name)
                if view is None:
                    continue
                view.health = status
                if status.checked_at is not None and status.checked_at != view.checked_at:
                    view.checked_at = status.checked_at
                    view.latencies.append(
                        status.latency_ms if status.state in {"up", "degraded"} else None
                    )
        self._redraw()

    # Reading -----------------------------------------------------------------------------

    @work(exclusive=True, group="dashboard-read", exit_on_error=False)
    async def read_hosts(self) -> None:
        """List every answering host's models and loaded models; the facts of each loaded
        model (cached by digest) for its context. One host failing leaves the others."""
        services = services_of(self)
        if services.pool is None:
            return
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.ollama.facts import FactsSource
        from modelarium.ollama.types import OllamaError

        if self._facts is None:
            self._facts = FactsSource()
        facts_source = self._facts
        for name, view in list(self.hosts.items()):
            if view.health.state == "down":
                view.running = ()
                continue
            try:
                client = services.client(name)
                listed = await client.list_models()
                running = await client.running_models()
            except (OllamaError, HostNotAvailable) as error:
                view.error = str(error)
                continue
            view.error = None
            view.disk_sizes = tuple(model.size for model in listed)
            view.running = running
            for model in running:
                key = (name, model.digest)
                if key in self.context:
                    continue
                try:
                    facts = await facts_source.facts(client, model.name)
                except OllamaError:
                    continue
                asked = facts.parameters.get("num_ctx")
                self.context[key] = ContextFacts(
                    facts.context_length, asked if isinstance(asked, str) else None
                )
        self.reads += 1
        self._redraw()

    # Rendering ---------------------------------------------------------------------------

    def _redraw(self) -> None:
        if not self.is_mounted:
            return
        now = services_of(self).clock()
        hosts = self.query_one("#dashboard-hosts", DataTable)
        loaded = self.query_one("#dashboard-loaded", DataTable)
        host_row, loaded_row = hosts.cursor_row, loaded.cursor_row
        hosts.clear(columns=True)  # the columns' widths shrink to what is shown now
        hosts.add_columns(*HOST_COLUMNS)
        loaded.clear(columns=True)  # likewise: a long name gone leaves no wide column
        loaded.add_columns(*LOADED_COLUMNS)
        lines = {name: _host_line(name, view) for name, view in self.hosts.items()}
        room = self._hosts_room()
        fit = HostsFit() if room is None else fit_hosts(tuple(lines.values()), room)
        grand = HostTotals(0, 0, 0, 0, 0)
        in_memory: list[tuple[str, tuple[str, ...]]] = []
        for name, view in self.hosts.items():
            cells = [Text(cell) for cell in lines[name].cells(fit)]
            cells[_STATE_COLUMN].stylize(_STATE_STYLES.get(view.health.state, ""))
            cells[PROBES_COLUMN].stylize("cyan")
            hosts.add_row(*cells, key=name)
            totals = lines[name].totals
            grand = HostTotals(
                (grand.models or 0) + (totals.models or 0),
                (grand.disk or 0) + (totals.disk or 0),
                grand.loaded + totals.loaded,
                grand.memory + totals.memory,
                grand.vram + totals.vram,
            )
            for model in view.running:
                texts = (
                    terminal_text(name),
                    terminal_text(model.name),
                    bytes_text(model.size),
                    _processor(model),
                    context_text(model, self.context.get((name, model.digest))),
                    countdown_text(model.expires_at, now),
                )
                in_memory.append((f"{name}\0{model.name}", texts))
        # Long model names and context notes give way so every column stays on screen; the
        # row key (what the actions read) keeps the whole name.
        limits = {} if room is None else fit_loaded([t for _, t in in_memory], room)
        for key, row_texts in in_memory:
            shown = [clip(text, limits.get(index)) for index, text in enumerate(row_texts)]
            loaded.add_row(*(Text(cell) for cell in shown), key=key)
        if self.hosts:
            hosts.move_cursor(row=min(host_row, hosts.row_count - 1))
        if loaded.row_count:
            loaded.move_cursor(row=min(loaded_row, loaded.row_count - 1))
        status = (
            f"All hosts: {grand.models} models, {bytes_text(grand.disk)} on disk; "
            f"{grand.loaded} loaded, {memory_text(grand)} in memory"
            if self.hosts
            else "No host is configured."
        )
        self.query_one("#dashboard-status", Static).update(status)

    def _hosts_room(self) -> int | None:
        """Cells the hosts table's columns can fill: the pane's width less the table's
        vertical scrollbar; None before the pane is first laid out."""
        if not self.size.width:
            return None
        hosts = self.query_one("#dashboard-hosts", DataTable)
        return self.size.width - hosts.scrollbar_size_vertical

    # Selection ---------------------------------------------------------------------------

    def highlighted_model(self) -> tuple[str, str] | None:
        """(host, model) of the loaded-models row under the cursor."""
        loaded = self.query_one("#dashboard-loaded", DataTable)
        if not loaded.row_count:
            return None
        key = loaded.coordinate_to_cell_key(loaded.cursor_coordinate).row_key.value or ""
        host, _, model = key.partition("\0")
        return host, model

    def highlighted_host(self) -> str | None:
        """The host of the focused table's highlighted row."""
        hosts = self.query_one("#dashboard-hosts", DataTable)
        if not hosts.has_focus:
            chosen = self.highlighted_model()
            if chosen is not None:
                return chosen[0]
        if not hosts.row_count:
            return None
        return hosts.coordinate_to_cell_key(hosts.cursor_coordinate).row_key.value

    # Actions -----------------------------------------------------------------------------

    def action_refresh(self) -> None:
        """Read every host now."""
        self.read_hosts()

    def action_switch_table(self) -> None:
        """Move the focus between the hosts table and the loaded-models table."""
        hosts = self.query_one("#dashboard-hosts", DataTable)
        if hosts.has_focus:
            self.query_one("#dashboard-loaded", DataTable).focus()
        else:
            hosts.focus()

    def action_unload(self) -> None:
        """Free the highlighted model's memory."""
        chosen = self.highlighted_model()
        if chosen is None:
            self.notify("Nothing is loaded.")
            return
        self._unload(chosen[0], (chosen[1],))

    def action_unload_host(self) -> None:
        """Free the memory of every model loaded on the highlighted host."""
        host = self.highlighted_host()
        view = self.hosts.get(host or "")
        if host is not None and view is not None and view.health.state == "down":
            why = f": {view.health.last_error}" if view.health.last_error else ""
            self.notify(
                terminal_text(f"{host} is down{why}; nothing can be unloaded there."),
                severity="warning",
            )
            return
        if host is None or view is None or not view.running:
            self.notify(f"Nothing is loaded on {terminal_text(host or 'any host')}.")
            return
        self._unload(host, tuple(model.name for model in view.running))

    @work(group="dashboard-action", exit_on_error=False)
    async def _unload(self, host: str, models: tuple[str, ...]) -> None:
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.ollama.types import OllamaError

        failed: list[str] = []
        for model in models:
            try:
                await services_of(self).client(host).unload(model)
            except (OllamaError, HostNotAvailable) as error:
                failed.append(model_failure(model, error))
        if failed:
            self.notify("Could not unload " + "; ".join(failed), severity="error")
        else:
            self.notify(f"Unloaded {', '.join(models)} on {host}.")
        self.read_hosts()

    def action_load(self) -> None:
        """Ask for `model [keep-alive]` and load it on the highlighted host."""
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.tui.dialogs.name_input import NameDialog

        host = self.highlighted_host()
        if host is None:
            self.notify("No host to load on.")
            return

        def chosen(answer: str | None) -> None:
            if answer:
                model, _, keep_alive = answer.strip().partition(" ")
                self._load(host, model, keep_alive.strip() or None)

        self.app.push_screen(
            NameDialog(
                f"Load on {terminal_text(host)}: model and keep-alive (e.g. `mistral:7b 30m`, "
                "-1 keeps it loaded)",
                placeholder="model keep-alive",
                check=_load_problem,
            ),
            chosen,
        )

    @work(group="dashboard-action", exit_on_error=False)
    async def _load(self, host: str, model: str, keep_alive: str | None) -> None:
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.ollama.types import OllamaError

        self.notify(f"Loading {model} on {host}…")
        wanted: str | int | None = keep_alive
        if keep_alive is not None and keep_alive.lstrip("-").isdigit():
            wanted = int(keep_alive)
        try:
            await services_of(self).client(host).load(model, keep_alive=wanted)
        except (OllamaError, HostNotAvailable) as error:
            self.notify(f"Could not load {model_failure(model, error)}", severity="error")
            return
        self.notify(f"Loaded {model} on {host}.")
        self.read_hosts()

    def action_show_model(self) -> None:
        """Show the highlighted loaded model in the Models pane."""
        chosen = self.highlighted_model()
        if chosen is None:
            self.notify("Nothing is loaded.")
            return
        self.post_message(ShowModel(chosen[0], chosen[1]))


_STATE_COLUMN = HOST_COLUMNS.index("State")
_STATE_STYLES = {"up": "green", "degraded": "yellow", "down": "red", "unknown": "dim"}


def _host_line(name: str, view: HostView) -> HostLine:
    """A host's row as text, terminal-safe, before the fit to the table's width."""
    health = view.health
    latency = f"{health.latency_ms:.0f} ms" if health.latency_ms is not None else "—"
    state = health.state if view.error is None else f"{health.state} (read failed)"
    return HostLine(
        terminal_text(name),
        state,
        terminal_text(health.version or "?"),
        latency,
        tuple(view.latencies),
        host_totals(view.disk_sizes, view.running),
    )


def _processor(model: RunningModel) -> str:
    return processor_text(model.size, model.size_vram)


def _load_problem(answer: str) -> str | None:
    """Why `model keep-alive` cannot be loaded as typed (None when it can)."""
    parts = answer.split()
    if not parts:
        return "type a model name"
    if len(parts) > 2:
        return "a model name and at most one keep-alive (30m, 2h, 3600, -1)"
    return None
