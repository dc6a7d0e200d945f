"""The Models pane: a table of every model on every host, its details, and model actions.

Data flows one way. Async workers talk to the hosts (one worker per host, so a hanging host
delays nothing else) and post messages; the handlers here own the state (`rows_by_host`,
`selected`, sort, filter, the digest-keyed details cache) and re-render the table; widgets only
display. Library work (preview, save) runs in thread workers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static
from textual.worker import Worker

from modelarium import locations
from modelarium.plural import counted
from modelarium.tui import keys
from modelarium.tui.errors import one_line, report_failed_worker
from modelarium.tui.messages import (
    HostHealth,
    HostsChanged,
    LibraryChanged,
    ModelCreated,
    OpenInEditor,
)
from modelarium.tui.models.details import ModelDetailsView
from modelarium.tui.models.rows import (
    SORT_KEYS,
    ModelRow,
    SortKey,
    cell,
    ellipsized,
    fit_columns,
    human_size,
    loaded_cell,
    relative_time,
    sort_wording,
    visible_rows,
)
from modelarium.tui.state import LibraryUnavailable, services_of

if TYPE_CHECKING:
    from modelarium.modelfile.diff import ModelfileDiff
    from modelarium.modelfile.elements import Element
    from modelarium.ollama.types import ModelDetails, ModelSummary, RunningModel
    from modelarium.store.types import ImportPreview, NewElement, Tag
    from modelarium.tui.dialogs.extract import ExtractChoice
    from modelarium.tui.models.overlay import OverlayItem

DETAILS_DEBOUNCE = 0.15
"""Seconds the cursor must rest on a model before its details are shown (or fetched)."""

LARGE_TABLE_ROWS = 300
FILTER_DEBOUNCE = 0.1
"""With this many rows (shown plus known), the table re-renders only after typing pauses this
many seconds: re-adding hundreds of rows per key would delay the key's echo."""


def row_from_summary(summary: ModelSummary) -> ModelRow:
    """A table row from one `/api/tags` entry."""
    return ModelRow(
        host=summary.host,
        name=summary.name,
        size=summary.size,
        digest=summary.digest,
        modified_at=summary.modified_at,
        family=summary.family,
        parameter_size=summary.parameter_size,
        quantization=summary.quantization,
        capabilities=summary.capabilities,
    )


@dataclass(frozen=True, slots=True)
class FetchedDetails:
    """A model's `/api/show` and the elements extracted from it (cached by digest)."""

    details: ModelDetails
    elements: tuple[Element, ...]


async def fetch_details(pane: ModelsPane, row: ModelRow) -> FetchedDetails:
    """`show` the model on its host and extract its elements (raises the client's errors)."""
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.ollama.extract import elements_from_show

    details = await services_of(pane).client(row.host).show(row.name)
    return FetchedDetails(details, elements_from_show(details))


class ModelsPane(Vertical):
    """Every model of the configured hosts; details of the highlighted one; model actions."""

    BINDINGS: ClassVar[list[BindingType]] = list(keys.bindings_for("models"))

    class HostListed(Message):
        """One host's model list arrived (rows), or could not be read (error)."""

        def __init__(
            self, host: str, rows: tuple[ModelRow, ...], error: str | None, *, poll: bool = False
        ) -> None:
            super().__init__()
            self.host = host
            self.rows = rows
            self.error = error
            self.poll = poll
            """From the periodic poll: an unchanged list redraws nothing."""

    class RunningListed(Message):
        """Which models one host holds in memory (`/api/ps`); None when it could not say."""

        def __init__(self, host: str, running: tuple[RunningModel, ...] | None) -> None:
            super().__init__()
            self.host = host
            self.running = running

    class DetailsFetched(Message):
        """Details of one model arrived (or failed)."""

        def __init__(
            self, row: ModelRow, fetched: FetchedDetails | None, error: str | None
        ) -> None:
            super().__init__()
            self.row = row
            self.fetched = fetched
            self.error = error

    class ExtractPrepared(Message):
        """Candidates of an extraction and the library's preview of them are ready."""

        def __init__(self, preview: ImportPreview, failures: tuple[str, ...]) -> None:
            super().__init__()
            self.preview = preview
            self.failures = failures

    class ComparePrepared(Message):
        """The element-level diff of two models is ready."""

        def __init__(self, diff: ModelfileDiff) -> None:
            super().__init__()
            self.diff = diff

    class HostsAsked(Message):
        """The present model lists of the hosts a change is about to touch (asked of the
        hosts, not taken from the table), or why one could not be read; `then` decides."""

        def __init__(
            self,
            lists: dict[str, tuple[ModelRow, ...]],
            error: str | None,
            then: Callable[[dict[str, tuple[ModelRow, ...]]], None],
        ) -> None:
            super().__init__()
            self.lists = lists
            self.error = error
            self.then = then

    class ActionFinished(Message):
        """A host action ended: a one-line report and which hosts to reload."""

        def __init__(
            self,
            report: str,
            *,
            hosts: tuple[str, ...] = (),
            error: bool = False,
            gone: tuple[str, ...] = (),
        ) -> None:
            super().__init__()
            self.report = report
            self.hosts = hosts
            self.error = error
            self.gone = gone
            """Row keys of models that no longer exist (dropped from the selection)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self.rows_by_host: dict[str, tuple[ModelRow, ...]] = {}
        """Latest model list of each host that answered."""
        self.host_errors: dict[str, str] = {}
        """Why a host's list could not be read (cleared when it answers)."""
        self.health: tuple[HostHealth, ...] = ()
        self.loading_hosts: set[str] = set()
        self.selected: set[str] = set()
        """Keys (`ModelRow.key`) of the selected models."""
        self.sort_key: SortKey = "name"
        self.sort_reverse = False
        self.filter_text = ""
        self.host_filter: str | None = None
        """Show only this host's models (None: all hosts)."""
        self.running_by_host: dict[str, dict[str, RunningModel]] = {}
        """Models each host holds in memory, by name (`/api/ps`, refreshed with the health
        checks)."""
        self.details_cache: dict[str, FetchedDetails] = {}
        """Fetched details by manifest digest (equal digests have equal details)."""
        self.shown_rows: list[ModelRow] = []
        """Rows in table order, as last rendered."""
        self._table_columns: list[str] | None = None
        """The columns the table has now (those that fit its width)."""
        self._details_timer: Timer | None = None
        self._filter_timer: Timer | None = None
        self._details_shown_for: tuple[str, str] | None = None
        """(row key, digest) whose details the view shows (None: a message or nothing): a
        model re-created under its name has a new digest, so its details are read again."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="models-toolbar"):
            yield Static("", id="models-host")
            yield Input(
                placeholder="filter ( / ): name, family, quant, capability", id="models-filter"
            )
            yield Static("", id="models-selection")
            yield Static("", id="models-sort")
        yield Static("", id="models-banner")
        with Horizontal(id="models-body"):
            yield DataTable(id="models-table", cursor_type="row", zebra_stripes=True)
            yield ModelDetailsView(id="model-details")

    def on_mount(self) -> None:
        self._update_toolbar()
        self._render_table()
        self._update_banner()
        self.focus_default()
        interval = getattr(self.app, "health_interval", None)
        if interval:
            self.set_interval(interval, self.poll_hosts)

    def focus_default(self) -> None:
        """Focus the table (the app calls this when switching to the pane)."""
        # screen.set_focus, not widget.focus(): that waits behind keys already queued, which
        # would then reach the old widget (type-ahead after a pane key or `/` must not).
        self.screen.set_focus(self.query_one(DataTable))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self, event)

    # Queries -----------------------------------------------------------------------------

    @property
    def host_names(self) -> tuple[str, ...]:
        """Configured host names in priority order."""
        return tuple(host.name for host in services_of(self).hosts)

    @property
    def all_rows(self) -> list[ModelRow]:
        """Every known row of every host, in host priority order."""
        return [row for host in self.host_names for row in self.rows_by_host.get(host, ())]

    @property
    def cursor_row(self) -> ModelRow | None:
        """The highlighted model."""
        table = self.query_one(DataTable)
        if not self.shown_rows or table.cursor_row < 0 or table.cursor_row >= len(self.shown_rows):
            return None
        return self.shown_rows[table.cursor_row]

    def target_rows(self) -> list[ModelRow]:
        """What an action applies to: the selected models shown (in table order), else the
        highlighted one. Selected models the filter hides stay selected but are not acted on:
        an action never reaches a model that is not on screen (the toolbar counts them)."""
        chosen = [row for row in self.shown_rows if row.key in self.selected]
        if chosen:
            return chosen
        current = self.cursor_row
        return [current] if current is not None else []

    # Loading -----------------------------------------------------------------------------

    def _run_exclusive(self, body: partial[Coroutine[Any, Any, None]], group: str) -> Worker[None]:
        """Run `body` as the only worker of `group` (cancelling the previous one); its errors
        are its own to report, so a failure never ends the app."""
        return self.run_worker(body, group=group, exclusive=True, exit_on_error=False)

    def reload(self, hosts: Iterable[str] | None = None) -> None:
        """Re-read the model list of the given hosts (default: all), each in its own worker."""
        if services_of(self).pool is None:
            return
        for host in hosts if hosts is not None else self.host_names:
            self.loading_hosts.add(host)
            self._run_exclusive(partial(self._list_host, host), f"list:{host}")
        self._update_banner()

    async def _list_host(self, host: str, *, poll: bool = False) -> None:
        try:
            summaries = await services_of(self).client(host).list_models()
        except Exception as error:  # reported in the banner, never raised
            if not poll:  # a failed poll changes nothing: the health checks judge the host
                self.post_message(self.HostListed(host, (), one_line(error)))
            return
        self.post_message(
            self.HostListed(host, tuple(row_from_summary(s) for s in summaries), None, poll=poll)
        )
        await self._list_running(host)

    def poll_hosts(self) -> None:
        """Once per health interval: re-read the list (and what is loaded) of every host that
        answered, so models created, replaced or deleted by other clients show up; a list
        that did not change redraws nothing. A host whose list is being read is left alone."""
        if services_of(self).pool is None:
            return
        for host in list(self.rows_by_host):
            if host not in self.loading_hosts:
                self._run_exclusive(partial(self._list_host, host, poll=True), f"list:{host}")

    def refresh_running(self, hosts: Iterable[str] | None = None) -> None:
        """Re-read which models the answering hosts (default: all listed) hold in memory."""
        if services_of(self).pool is None:
            return
        for host in hosts if hosts is not None else list(self.rows_by_host):
            if host not in self.loading_hosts:
                self._run_exclusive(partial(self._list_running, host), f"ps:{host}")

    async def _list_running(self, host: str) -> None:
        try:
            running = await services_of(self).client(host).running_models()
        except Exception:  # the model list's own error is the one the banner shows
            self.post_message(self.RunningListed(host, None))
            return
        self.post_message(self.RunningListed(host, running))

    @on(RunningListed)
    def _running_listed(self, message: RunningListed) -> None:
        before = self.running_by_host.get(message.host, {})
        if message.running is None or message.host not in self.host_names:
            after: dict[str, RunningModel] = {}
        else:
            after = {model.name: model for model in message.running}
        self.running_by_host[message.host] = after
        if {n: (m.size, m.size_vram) for n, m in before.items()} != {
            n: (m.size, m.size_vram) for n, m in after.items()
        }:
            self._render_table()
        current = self.cursor_row
        if (
            current is not None
            and current.host == message.host
            and (current.key, current.digest) == self._details_shown_for
            and before.get(current.name) != after.get(current.name)
        ):
            self._details_shown_for = None  # shown again, with its new memory line
            self._show_cursor_details()

    def _loaded_cell(self, row: ModelRow) -> Text:
        running = self.running_model(row)
        if running is None:
            return Text("")
        return Text(loaded_cell(running.size, running.size_vram), style="green")

    def running_model(self, row: ModelRow) -> RunningModel | None:
        """The `/api/ps` entry of `row` when its host holds it in memory."""
        return self.running_by_host.get(row.host, {}).get(row.name)

    @on(HostListed)
    def _host_listed(self, message: HostListed) -> None:
        if not message.poll:
            self.loading_hosts.discard(message.host)
        if message.host not in self.host_names:
            return  # a late answer from a host that is no longer configured
        unchanged = (
            message.poll
            and message.error is None
            and self.rows_by_host.get(message.host) == message.rows
            and message.host not in self.host_errors
        )
        if unchanged:
            return  # a poll that found the host as it was: nothing to redraw
        if message.error is None:
            self.rows_by_host[message.host] = message.rows
            self.host_errors.pop(message.host, None)
        else:
            self.rows_by_host.pop(message.host, None)
            self.host_errors[message.host] = message.error
        self._update_banner()
        known = {row.key for row in self.all_rows}
        self.selected &= known
        self._render_table()
        current = self.cursor_row
        shown = self._details_shown_for
        # The model shown was re-created (here or elsewhere): a new digest, read it again.
        if (
            current is not None
            and shown is not None
            and shown[0] == current.key
            and shown[1] != current.digest
        ):
            self._show_cursor_details()

    @on(HostsChanged)
    def _hosts_changed(self, message: HostsChanged) -> None:
        previous = {health.name: health.state for health in self.health}
        self.health = message.hosts
        names = set(self.host_names)
        for host in list(self.rows_by_host):
            if host not in names:
                del self.rows_by_host[host]
        for host in list(self.host_errors):
            if host not in names:
                del self.host_errors[host]
        if self.host_filter not in names:
            self.host_filter = None
        for health in message.hosts:
            if health.state == "down":
                self.rows_by_host.pop(health.name, None)  # stale: its actions would fail
        self.selected &= {row.key for row in self.all_rows}
        came_back = [
            health.name
            for health in message.hosts
            if health.state in ("up", "degraded")
            and (previous.get(health.name) == "down" or health.name in self.host_errors)
            and health.name not in self.loading_hosts
        ]
        if came_back:
            self.reload(came_back)
        self._update_toolbar()
        self._render_table()
        self._update_banner()

    @on(ModelCreated)
    def _model_created(self, message: ModelCreated) -> None:
        self.reload([message.host] if message.host in self.host_names else None)

    # Rendering ---------------------------------------------------------------------------

    def _update_toolbar(self) -> None:
        host_text = self.host_filter or "all hosts"
        self.query_one("#models-host", Static).update(f"Host: {host_text} (h)")
        self.query_one("#models-sort", Static).update(
            f"Sort: {sort_wording(self.sort_key, self.sort_reverse)} (s)"
        )

    def _update_banner(self) -> None:
        banner = self.query_one("#models-banner", Static)
        services = services_of(self)
        if not services.hosts:
            banner.update(
                "Starting the built-in demo host…" if services.demo else "No host is configured."
            )
            banner.set_class(not services.demo, "problem")
            banner.display = True
            return
        states = {health.name: health for health in self.health}
        all_down = bool(self.host_names) and all(
            (host in self.host_errors)
            or (states.get(host) is not None and states[host].state == "down")
            for host in self.host_names
        )
        if all_down and not self.all_rows and not self.loading_hosts:
            tried = "\n".join(
                f"  • {self._host_problem(host.name, host.url, states.get(host.name))}"
                for host in services.hosts
            )
            banner.update(
                Text.assemble(
                    ("No Ollama host answers.\n", "bold"),
                    f"Tried:\n{tried}\n",
                    "Set a host with the OLLAMA_HOST environment variable (e.g. "
                    "OLLAMA_HOST=gpu-box:11434), [[hosts]] entries in "
                    f"{locations.config_file()}, or `modelarium --host URL`.\n",
                    ("Press d (or F9) to use the built-in demo host.", "bold"),
                )
            )
            banner.set_class(True, "problem")
            banner.display = True
            return
        problems = [
            f"{self._host_problem(host, '', states.get(host))} — its models are not shown"
            for host in self.host_names
            if host in self.host_errors or (host in states and states[host].state == "down")
        ]
        if self.loading_hosts and not self.all_rows:
            banner.update("Loading models from " + ", ".join(sorted(self.loading_hosts)) + "…")
            banner.set_class(False, "problem")
            banner.display = True
        elif problems:
            banner.update("\n".join(problems))
            banner.set_class(True, "problem")
            banner.display = True
        else:
            banner.update("")
            banner.display = False

    def _host_problem(self, name: str, url: str, health: HostHealth | None) -> str:
        """Why a host is not usable, naming it once (client errors already start with it)."""
        problem = self.host_errors.get(name) or (health.error if health else None) or "no answer"
        if problem.startswith(name):
            return problem
        return f"{name} ({url}): {problem}" if url else f"{name}: {problem}"

    def _render_table(self) -> None:
        self._filter_timer = None
        table = self.query_one(DataTable)
        multi_host = len(self.host_names) > 1
        columns = [
            "",
            "Name",
            *(["Host"] if multi_host else []),
            "Size",
            "Family",
            "Params",
            "Quant",
            "Loaded",
            "Modified",
            "Capabilities",
        ]
        current = self.cursor_row
        current_key = current.key if current is not None else None
        now = services_of(self).clock()
        self.shown_rows = visible_rows(
            self.all_rows,
            host=self.host_filter,
            query=self.filter_text,
            sort_key=self.sort_key,
            reverse=self.sort_reverse,
        )
        rows_cells: list[dict[str, Text]] = []
        for row in self.shown_rows:
            rows_cells.append(
                {
                    "": Text("✓", style="bold green") if row.key in self.selected else Text(" "),
                    "Name": cell(row.name, "bold") if row.key in self.selected else cell(row.name),
                    "Host": cell(row.host),
                    "Size": Text(human_size(row.size), justify="right"),
                    "Family": cell(row.family),
                    "Params": cell(row.parameter_size),
                    "Quant": cell(row.quantization),
                    "Loaded": self._loaded_cell(row),
                    "Modified": Text(relative_time(row.modified_at, now)),
                    # Nearly every model has `completion`; the column shows what sets one apart.
                    "Capabilities": cell(
                        ", ".join(c for c in row.capabilities if c != "completion") or "-"
                    ),
                }
            )
        widths = {
            column: max([len(column), *(cells[column].cell_len for cells in rows_cells)])
            for column in columns
        }
        # The table's width less its vertical scrollbar; 0 before the first layout (all shown).
        available = table.size.width - table.styles.scrollbar_size_vertical
        if available > 0:
            shown_columns, name_width = fit_columns(columns, widths, available)
        else:
            shown_columns, name_width = columns, None
        if self._table_columns != shown_columns:
            table.clear(columns=True)
            for column in shown_columns:
                # A Text label, not a str: DataTable reads a str label as markup, and the
                # markup parser's emoji table import costs milliseconds before the first paint.
                table.add_column(Text(column), key=column or "mark")
            self._table_columns = shown_columns
        table.clear()
        for row, cells in zip(self.shown_rows, rows_cells, strict=True):
            if name_width is not None:
                cells["Name"] = ellipsized(cells["Name"], name_width)
            table.add_row(*(cells[column] for column in shown_columns), key=row.key)
        if current_key is not None:
            for index, row in enumerate(self.shown_rows):
                if row.key == current_key:
                    table.move_cursor(row=index, animate=False)
                    break
        self._update_selection()
        if not self.shown_rows:
            self._details_shown_for = None
            details = self.query_one(ModelDetailsView)
            details.show_message(self.empty_table_message())

    def empty_table_message(self) -> str:
        """Why the table is empty, as it is: a host down or unreachable, a filter matching
        nothing (named), or no models at all."""
        scope = [self.host_filter] if self.host_filter is not None else list(self.host_names)
        states = {health.name: health for health in self.health}
        scope_rows = [row for row in self.all_rows if row.host in scope]
        if not scope_rows:
            unreachable = [
                self._host_problem(host, "", states.get(host))
                for host in scope
                if host in self.host_errors or (host in states and states[host].state == "down")
            ]
            if unreachable:
                return "Host down or unreachable, its models cannot be listed:\n" + "\n".join(
                    unreachable
                )
            if self.loading_hosts & set(scope):
                return "Loading models…"
            return "No models to show."
        if self.filter_text.strip():
            return f"No model matches the filter “{self.filter_text.strip()}”."
        return "No models to show."

    def _update_selection(self) -> None:
        """The toolbar's count of selected models, naming those the filter hides: actions act
        on the selected models shown, never on hidden ones (issue 17)."""
        shown = {row.key for row in self.shown_rows}
        visible = len(self.selected & shown)
        hidden = len(self.selected - shown)
        text = ""
        if visible or hidden:
            text = f"{visible} selected"
            if hidden:
                text += f", +{hidden} hidden (not acted on)"
        label = self.query_one("#models-selection", Static)
        label.update(text)
        label.display = bool(text)

    @on(events.Resize)
    def _resized(self) -> None:
        # The table's width is final only after this layout: fit its columns then.
        self.call_after_refresh(self._render_table)

    # Details -----------------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#models-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # Details follow the cursor only once it rests, so moving fast renders just the table.
        if self._details_timer is not None:
            self._details_timer.stop()
        self._details_timer = self.set_timer(DETAILS_DEBOUNCE, self._show_cursor_details)

    def _show_cursor_details(self) -> None:
        self._details_timer = None
        row = self.cursor_row
        if row is None or (row.key, row.digest) == self._details_shown_for:
            return
        view = self.query_one(ModelDetailsView)
        cached = self.details_cache.get(row.digest)
        if cached is not None:
            self._details_shown_for = (row.key, row.digest)
            view.show_details(
                row,
                cached.details,
                cached.elements,
                services_of(self).clock(),
                running=self.running_model(row),
            )
            return
        self._details_shown_for = None
        view.show_message(f"Loading details of {row.name} from {row.host}…")
        self._run_exclusive(partial(self._fetch_row_details, row), "details")

    async def _fetch_row_details(self, row: ModelRow) -> None:
        try:
            fetched = await fetch_details(self, row)
        except Exception as error:  # shown in the details view
            self.post_message(self.DetailsFetched(row, None, one_line(error)))
            return
        self.post_message(self.DetailsFetched(row, fetched, None))

    @on(DetailsFetched)
    def _details_fetched(self, message: DetailsFetched) -> None:
        if message.fetched is not None:
            self.details_cache[message.row.digest] = message.fetched
        current = self.cursor_row
        if current is None or (current.key, current.digest) != (
            message.row.key,
            message.row.digest,
        ):
            return
        view = self.query_one(ModelDetailsView)
        if message.fetched is None:
            view.show_message(f"Details of {message.row.name} are unavailable: {message.error}")
        else:
            self._details_shown_for = (message.row.key, message.row.digest)
            view.show_details(
                message.row,
                message.fetched.details,
                message.fetched.elements,
                services_of(self).clock(),
                running=self.running_model(message.row),
            )

    async def _details_for(
        self, rows: list[ModelRow]
    ) -> tuple[list[tuple[ModelRow, FetchedDetails]], list[str]]:
        """Details of several models (cached or fetched concurrently) and the failures."""

        async def one(row: ModelRow) -> tuple[ModelRow, FetchedDetails | str]:
            cached = self.details_cache.get(row.digest)
            if cached is not None:
                return row, cached
            try:
                return row, await fetch_details(self, row)
            except Exception as error:  # collected and reported together
                return row, one_line(error)

        results = await asyncio.gather(*(one(row) for row in rows))
        fetched = [(row, value) for row, value in results if isinstance(value, FetchedDetails)]
        failures = [value for _, value in results if isinstance(value, str)]
        for row, value in fetched:
            self.details_cache.setdefault(row.digest, value)
        return fetched, failures

    # Filter, sort, hosts, selection ------------------------------------------------------

    @on(Input.Changed, "#models-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        if len(self.shown_rows) + len(self.all_rows) < LARGE_TABLE_ROWS:
            self._render_table()
        else:  # hundreds of rows: re-render once typing pauses, so keys echo at once
            self._filter_timer = self.set_timer(FILTER_DEBOUNCE, self._render_table)

    @on(Input.Submitted, "#models-filter")
    def _filter_submitted(self) -> None:
        self.focus_default()

    def action_focus_filter(self) -> None:
        """Type to filter the models: focus the filter at once (the keys typed next belong to
        it). In the filter `/` is just typed (`mario/`), unless the filter is still empty."""
        model_filter = self.query_one("#models-filter", Input)
        focused = self.screen.focused
        if focused is model_filter and not model_filter.value:
            return
        if keys.typing_in_text_box(focused):
            raise SkipAction
        self.screen.set_focus(model_filter)

    def action_filter_to_table(self) -> None:
        """Down in the filter: into the table at once. Anywhere else Down is the focused
        widget's own (a priority binding, so the keys typed right behind it follow it)."""
        model_filter = self.query_one("#models-filter", Input)
        if self.screen.focused is not model_filter:
            raise SkipAction
        self.focus_default()

    def action_focus_table(self) -> None:
        """Back to the table (Esc from the filter or the details)."""
        self.focus_default()

    def action_focus_details(self) -> None:
        """Move into the details view to scroll them."""
        self.screen.set_focus(self.query_one(ModelDetailsView))

    @on(DataTable.RowSelected, "#models-table")
    def _row_selected(self) -> None:
        # Enter on a row: the DataTable turns it into RowSelected before any pane binding.
        if self._details_timer is not None:
            self._details_timer.stop()
        self._show_cursor_details()
        self.action_focus_details()

    def action_cycle_sort(self) -> None:
        """Sort by the next key (name, size, modified, family)."""
        self.sort_key = SORT_KEYS[(SORT_KEYS.index(self.sort_key) + 1) % len(SORT_KEYS)]
        self._update_toolbar()
        self._render_table()

    def action_reverse_sort(self) -> None:
        """Reverse the sort order."""
        self.sort_reverse = not self.sort_reverse
        self._update_toolbar()
        self._render_table()

    def action_cycle_host(self) -> None:
        """Show all hosts, then each host alone, in turn."""
        choices: list[str | None] = [None, *self.host_names]
        self.host_filter = choices[(choices.index(self.host_filter) + 1) % len(choices)]
        self._update_toolbar()
        self._render_table()

    def action_toggle_select(self) -> None:
        """Select or unselect the highlighted model, then move down."""
        row = self.cursor_row
        if row is None:
            return
        self.selected ^= {row.key}
        self._render_table()
        self.query_one(DataTable).action_cursor_down()

    def action_select_all(self) -> None:
        """Select every shown model, or none when all of them are selected already."""
        shown = {row.key for row in self.shown_rows}
        if shown and shown <= self.selected:
            self.selected -= shown
        else:
            self.selected |= shown
        self._render_table()

    def action_refresh(self) -> None:
        """Reload every host's model list."""
        self.reload()

    # Actions on models -------------------------------------------------------------------

    def _need_rows(self) -> list[ModelRow]:
        rows = self.target_rows()
        if not rows:
            self.notify("No model highlighted or selected.", severity="warning")
        return rows

    @on(ActionFinished)
    def _action_finished(self, message: ActionFinished) -> None:
        self.notify(message.report, severity="error" if message.error else "information")
        self.selected -= set(message.gone)
        if message.hosts:
            self.reload(message.hosts)

    def action_open_in_editor(self) -> None:
        """Open the highlighted model's elements in the editor."""
        row = self.cursor_row
        if row is None:
            self.notify("No model highlighted.", severity="warning")
            return
        self._open_in_editor(row)

    @work(group="open-in-editor", exclusive=True, exit_on_error=False)
    async def _open_in_editor(self, row: ModelRow) -> None:
        fetched, failures = await self._details_for([row])
        if failures:
            self.notify(f"Cannot open {row.name}: {failures[0]}", severity="error")
            return
        _, details = fetched[0]
        self.post_message(
            OpenInEditor(
                elements=details.elements,
                origin=f"{row.name} on {row.host}",
                model_name=row.name,
            )
        )

    def ask_hosts(
        self, hosts: Iterable[str], then: Callable[[dict[str, tuple[ModelRow, ...]]], None]
    ) -> None:
        """Ask each host for its model list now, then call `then(lists)` in a handler: what
        a copy, create, delete or pull decides is decided on the host's present state. The
        table shows the fresh lists too; a host that cannot answer stops the change."""
        self.run_worker(
            self._ask_hosts(tuple(dict.fromkeys(hosts)), then),
            group="ask-hosts",
            exit_on_error=False,
        )

    async def _ask_hosts(
        self, hosts: tuple[str, ...], then: Callable[[dict[str, tuple[ModelRow, ...]]], None]
    ) -> None:
        async def one(host: str) -> tuple[ModelRow, ...]:
            summaries = await services_of(self).client(host).list_models()
            return tuple(row_from_summary(summary) for summary in summaries)

        try:
            answers = await asyncio.gather(*(one(host) for host in hosts))
        except Exception as error:  # the client's error names the host
            self.post_message(self.HostsAsked({}, one_line(error), then))
            return
        lists = dict(zip(hosts, answers, strict=True))
        for host, rows in lists.items():
            self.post_message(self.HostListed(host, rows, None))
        self.post_message(self.HostsAsked(lists, None, then))

    @on(HostsAsked)
    def _hosts_asked(self, message: HostsAsked) -> None:
        if message.error is not None:
            self.notify(f"Nothing changed: {message.error}", severity="error")
            return
        message.then(message.lists)

    def action_copy_model(self) -> None:
        """Copy the highlighted model under a new name (asked for). Whether the name is taken
        is asked of the host at that moment; replacing a model asks first."""
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.ollama.names import copy_name, same_model
        from modelarium.tui.dialogs.confirm import ConfirmDialog
        from modelarium.tui.dialogs.name_input import NameDialog

        row = self.cursor_row
        if row is None:
            self.notify("No model highlighted.", severity="warning")
            return

        def chosen(name: str | None) -> None:
            if name:
                self.ask_hosts([row.host], partial(decide, name))

        def decide(name: str, lists: dict[str, tuple[ModelRow, ...]]) -> None:
            present = lists[row.host]
            if find_row(present, row.name) is None:
                self.notify(f"{row.name} is no longer on {row.host}.", severity="warning")
                return
            target = find_row(present, name)
            if target is None:
                self._copy(row, name)
                return
            existing = target.name
            if same_model(existing, row.name):
                self.notify(f"{name} is {row.name} itself; nothing to copy.", severity="warning")
                return

            def confirmed(answer: bool | None) -> None:
                if answer:
                    self._copy(row, name)

            self.app.push_screen(
                ConfirmDialog(
                    f"Replace {existing} on {row.host}?",
                    f"A model named {existing} exists on {row.host} now; copying "
                    f"{row.name} there replaces it.",
                    confirm_label="Replace",
                ),
                confirmed,
            )

        self.app.push_screen(
            NameDialog(
                f"Copy {row.name} on {row.host} to:",
                value=copy_name(row.name),
                check=model_name_problem,
            ),
            chosen,
        )

    @work(group="model-action", exit_on_error=False)
    async def _copy(self, row: ModelRow, destination: str) -> None:
        try:
            await services_of(self).client(row.host).copy(row.name, destination)
        except Exception as error:  # reported in a notification
            self.post_message(self.ActionFinished(f"Copy failed: {one_line(error)}", error=True))
            return
        self.post_message(
            self.ActionFinished(
                f"Copied {row.name} to {destination} on {row.host}.", hosts=(row.host,)
            )
        )

    def action_delete_models(self) -> None:
        """Delete the selected (or highlighted) models, after confirmation."""
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.tui.dialogs.confirm import ConfirmDialog

        rows = self._need_rows()
        if not rows:
            return
        listing = "\n".join(
            f"  • {row.name} on {row.host} ({human_size(row.size)})" for row in rows[:15]
        )
        if len(rows) > 15:
            listing += f"\n  … and {len(rows) - 15} more"

        def confirmed(answer: bool | None) -> None:
            if answer:
                self.ask_hosts([row.host for row in rows], present)

        def present(lists: dict[str, tuple[ModelRow, ...]]) -> None:
            """Delete what is on the hosts now: a model already gone is reported, one
            re-created since it was listed (another digest) is deleted only after a yes."""
            now = [(row, find_row(lists[row.host], row.name)) for row in rows]
            gone = [row for row, current in now if current is None]
            there = [current for _, current in now if current is not None]
            changed = [
                current
                for row, current in now
                if current is not None and current.digest != row.digest
            ]
            if not changed:
                self._delete(there, gone)
                return

            def again(answer: bool | None) -> None:
                if answer:
                    self._delete(there, gone)
                else:
                    self.notify("Nothing deleted.")

            self.app.push_screen(
                ConfirmDialog(
                    f"{counted(len(changed), 'model')} changed since listed",
                    "\n".join(
                        f"  • {row.name} on {row.host} is now {row.digest[:12]}"
                        for row in changed[:15]
                    )
                    + "\n\nAnother client re-created them. Delete them as they are now?",
                    confirm_label="Delete",
                ),
                again,
            )

        self.app.push_screen(
            ConfirmDialog(
                f"Delete {counted(len(rows), 'model')}?",
                f"{listing}\n\nThis cannot be undone.",
                confirm_label="Delete",
            ),
            confirmed,
        )

    @work(group="model-action", exit_on_error=False)
    async def _delete(self, rows: list[ModelRow], already_gone: list[ModelRow]) -> None:
        async def one(row: ModelRow) -> str | None:
            try:
                await services_of(self).client(row.host).delete(row.name)
            except Exception as error:  # collected and reported together
                return one_line(error)
            return None

        outcomes = await asyncio.gather(*(one(row) for row in rows))
        failures = [error for error in outcomes if error]
        gone = tuple(row.key for row, error in zip(rows, outcomes, strict=True) if error is None)
        report = f"Deleted {counted(len(gone), 'model')}."
        if already_gone:
            names = ", ".join(f"{row.name} on {row.host}" for row in already_gone)
            report += f" Already gone: {names}."
            gone += tuple(row.key for row in already_gone)
        if failures:
            report += " Failed: " + "; ".join(failures)
        hosts = tuple(sorted({row.host for row in [*rows, *already_gone]}))
        self.post_message(self.ActionFinished(report, hosts=hosts, error=bool(failures), gone=gone))

    def action_load_models(self) -> None:
        """Load the selected (or highlighted) models into memory now, for the server's
        keep_alive."""
        rows = self._need_rows()
        if rows:
            self.notify(f"Loading {counted(len(rows), 'model')} into memory…", timeout=2)
            self._change_memory(rows, load=True)

    def action_unload_models(self) -> None:
        """Free the memory of the selected (or highlighted) models that are loaded."""
        rows = self._need_rows()
        loaded = [row for row in rows if self.running_model(row) is not None]
        if rows and not loaded:
            names = ", ".join(row.name for row in rows[:3]) + (" …" if len(rows) > 3 else "")
            self.notify(f"Not in memory: {names}", severity="warning")
        if loaded:
            self._change_memory(loaded, load=False)

    @work(group="model-action", exit_on_error=False)
    async def _change_memory(self, rows: list[ModelRow], *, load: bool) -> None:
        async def one(row: ModelRow) -> str | None:
            client = services_of(self).client(row.host)
            try:
                await (client.load(row.name) if load else client.unload(row.name))
            except Exception as error:  # collected and reported together
                return one_line(error)
            return None

        outcomes = await asyncio.gather(*(one(row) for row in rows))
        failures = [error for error in outcomes if error]
        done = len(rows) - len(failures)
        report = f"{'Loaded' if load else 'Unloaded'} {counted(done, 'model')}."
        if failures:
            report += " Failed: " + "; ".join(failures)
        self.post_message(self.ActionFinished(report, error=bool(failures)))
        self.refresh_running(sorted({row.host for row in rows}))

    def _transfer_host(self) -> str | None:
        if self.host_filter is not None:
            return self.host_filter
        states = {health.name: health.state for health in self.health}
        for host in self.host_names:
            if (
                states.get(host, "unknown") in ("up", "degraded", "unknown")
                and host not in self.host_errors
            ):
                return host
        return self.host_names[0] if self.host_names else None

    def action_pull_model(self) -> None:
        """Pull a model (name asked for) onto the shown host, with progress; a name that is
        on the host now (asked of the host) is replaced only after a yes."""
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.tui.dialogs.confirm import ConfirmDialog
        from modelarium.tui.dialogs.name_input import NameDialog

        host = self._transfer_host()
        if host is None:
            self.notify("No host to pull to.", severity="warning")
            return
        current = self.cursor_row

        def chosen(name: str | None) -> None:
            if name:
                self.ask_hosts([host], partial(decide, name))

        def decide(name: str, lists: dict[str, tuple[ModelRow, ...]]) -> None:
            existing = find_row(lists[host], name)
            if existing is None:
                self.start_pull(host, name)
                return

            def confirmed(answer: bool | None) -> None:
                if answer:
                    self.start_pull(host, name)

            self.app.push_screen(
                ConfirmDialog(
                    f"Replace {existing.name} on {host}?",
                    f"{existing.name} is on {host} now; pulling {name} replaces it with the "
                    "registry's version (U updates installed models).",
                    confirm_label="Pull",
                ),
                confirmed,
            )

        self.app.push_screen(
            NameDialog(
                f"Pull a model to {host}:",
                value=current.name if current is not None and current.host == host else "",
                placeholder="e.g. llama3.2:3b",
                check=model_name_problem,
            ),
            chosen,
        )

    def start_pull(self, host: str, name: str) -> None:
        """Show the pull progress dialog for `name` on `host`; reload that host when done."""
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.tui.dialogs.transfer import TransferDialog

        def finished(succeeded: bool | None) -> None:
            if succeeded:
                self.notify(f"Pulled {name} to {host}.")
            self.reload([host])  # a cancelled pull may still have finished on the host

        # The client is looked up when the transfer starts (and on retry), inside the dialog's
        # error handling: a host that is gone becomes a message there.
        self.app.push_screen(
            TransferDialog(
                f"Pulling {name} to {host}",
                lambda: services_of(self).client(host).pull(name),
            ),
            finished,
        )

    def action_update_models(self) -> None:
        """Pull the selected (or highlighted) models again, one after another: each gets the
        registry's newest version. A failure is noted and the batch goes on; Esc stops it."""
        rows = self._need_rows()
        if rows:
            self._update_next(rows, 0, [], [])

    def _update_next(
        self, rows: list[ModelRow], index: int, updated: list[str], failed: list[str]
    ) -> None:
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.tui.dialogs.transfer import TransferDialog

        hosts = sorted({row.host for row in rows[:index]})
        if index == len(rows):
            self._report_update(updated, failed, stopped_at=None)
            self.reload(hosts)
            return
        row = rows[index]
        dialog = TransferDialog(
            f"Updating {row.name} on {row.host} ({index + 1} of {len(rows)})",
            lambda: services_of(self).client(row.host).pull(row.name),
            close_on_failure=True,
        )

        def finished(succeeded: bool | None) -> None:
            if succeeded:
                updated.append(row.name)
            elif dialog.state == "failed":
                failed.append(f"{row.name}: {dialog.error}")
            else:  # cancelled: the rest is left as it is
                self._report_update(updated, failed, stopped_at=row.name)
                self.reload(sorted({row.host for row in rows[: index + 1]}))
                return
            self._update_next(rows, index + 1, updated, failed)

        self.app.push_screen(dialog, finished)

    def _report_update(self, updated: list[str], failed: list[str], stopped_at: str | None) -> None:
        report = f"Updated {counted(len(updated), 'model')}"
        report += f": {', '.join(updated)}." if updated else "."
        if failed:
            report += " Failed: " + "; ".join(failed)
        if stopped_at is not None:
            report += f" Stopped at {stopped_at}."
        self.notify(report, severity="error" if failed else "information")

    def action_push_model(self) -> None:
        """Push the highlighted model to its registry, with progress."""
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.tui.dialogs.transfer import TransferDialog

        row = self.cursor_row
        if row is None:
            self.notify("No model highlighted.", severity="warning")
            return

        def finished(succeeded: bool | None) -> None:
            if succeeded:
                self.notify(f"Pushed {row.name} from {row.host}.")

        self.app.push_screen(
            TransferDialog(
                f"Pushing {row.name} from {row.host}",
                lambda: services_of(self).client(row.host).push(row.name),
            ),
            finished,
        )

    # Compare two models ------------------------------------------------------------------

    def compare_pair(self) -> tuple[ModelRow, ModelRow] | None:
        """The two models to compare: the two selected, or the one selected and the highlighted
        one; None otherwise."""
        chosen = [row for row in self.all_rows if row.key in self.selected]
        current = self.cursor_row
        if len(chosen) == 1 and current is not None and current.key != chosen[0].key:
            chosen.append(current)
        if len(chosen) != 2:
            return None
        return chosen[0], chosen[1]

    def action_compare_models(self) -> None:
        """Compare two models element by element (FROM, parameters, template, messages, …)."""
        pair = self.compare_pair()
        if pair is None:
            count = len(self.selected)
            self.notify(
                "Select two models with Space to compare them (or one, then highlight the other)"
                + (f"; {counted(count, 'model is', 'models are')} selected." if count else "."),
                severity="warning",
            )
            return
        self._prepare_compare(pair)

    @work(group="compare", exclusive=True, exit_on_error=False)
    async def _prepare_compare(self, pair: tuple[ModelRow, ModelRow]) -> None:
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.modelfile.diff import DiffError, diff_modelfiles

        fetched, failures = await self._details_for(list(pair))
        if failures:
            self.notify("Cannot compare: " + "; ".join(failures), severity="error")
            return
        modelfiles = {row.key: details.details.modelfile for row, details in fetched}
        before, after = pair
        try:
            diff = await asyncio.to_thread(
                diff_modelfiles,
                modelfiles[before.key],
                modelfiles[after.key],
                before_label=f"{before.name} on {before.host}",
                after_label=f"{after.name} on {after.host}",
            )
        except DiffError as error:
            self.notify(f"Cannot compare: {error}", severity="error")
            return
        self.post_message(self.ComparePrepared(diff))

    @on(ComparePrepared)
    def _compare_prepared(self, message: ComparePrepared) -> None:
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.tui.dialogs.compare import CompareDialog

        self.app.push_screen(CompareDialog(message.diff))

    def action_knowledge(self) -> None:
        """Show the curated settings that apply to the highlighted model, side by side."""
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.tui.models.knowledge_dialog import KnowledgeScreen

        row = self.cursor_row
        if row is None:
            self.notify("No model highlighted.", severity="warning")
            return
        self.app.push_screen(KnowledgeScreen(row.host, row.name))

    # Batch apply lines -----------------------------------------------------------------

    def action_apply_lines(self) -> None:
        """Lay the same Modelfile lines over the selected (or highlighted) models; replacing
        a model that is on its host now (asked of the host) asks first."""
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.tui.dialogs.apply_lines import ApplyLinesDialog
        from modelarium.tui.dialogs.confirm import ConfirmDialog

        rows = self._need_rows()
        if not rows:
            return

        def chosen(plan: list[OverlayItem] | None) -> None:
            if plan:
                self.ask_hosts([item.row.host for item in plan], partial(decide, plan))

        def decide(plan: list[OverlayItem], lists: dict[str, tuple[ModelRow, ...]]) -> None:
            """Create at once when no target exists on its host now; else ask first."""
            replaced = [
                (item, existing)
                for item in plan
                if (existing := find_row(lists[item.row.host], item.target)) is not None
            ]
            if not replaced:
                start(plan)
                return
            listing = "\n".join(
                f"  • {existing.name} on {item.row.host}" for item, existing in replaced[:15]
            )
            if len(replaced) > 15:
                listing += f"\n  … and {len(replaced) - 15} more"

            def confirmed(answer: bool | None) -> None:
                if answer:
                    start(plan)
                else:
                    self.notify("Nothing created.")

            self.app.push_screen(
                ConfirmDialog(
                    f"Replace {counted(len(replaced), 'model')}?",
                    f"These names are on the hosts now; creating them replaces them:\n{listing}",
                    confirm_label="Replace",
                ),
                confirmed,
            )

        def start(plan: list[OverlayItem]) -> None:
            self.notify(f"Creating {counted(len(plan), 'model')}…", timeout=2)
            self._apply_lines(plan)

        self.app.push_screen(ApplyLinesDialog(rows), chosen)

    @work(group="model-action", exit_on_error=False)
    async def _apply_lines(self, plan: list[OverlayItem]) -> None:
        created: list[str] = []
        failures: list[str] = []
        for item in plan:  # one at a time: each create reads and writes the host's store
            assert item.create is not None
            try:
                async for _ in services_of(self).client(item.row.host).create(item.create):
                    pass
            except Exception as error:  # collected and reported together
                failures.append(f"{item.target}: {one_line(error)}")
                continue
            created.append(item.target)
        report = f"Created {counted(len(created), 'model')}"
        report += f": {', '.join(created)}." if created else "."
        if failures:
            report += " Failed: " + "; ".join(failures)
        hosts = tuple(sorted({item.row.host for item in plan}))
        self.post_message(self.ActionFinished(report, hosts=hosts, error=bool(failures)))

    # Extract into the library ------------------------------------------------------------

    def action_extract(self) -> None:
        """Extract the selected models' elements; preview them before anything is saved."""
        rows = self._need_rows()
        if rows:
            self.notify(f"Reading {counted(len(rows), 'model')}…", timeout=2)
            self._prepare_extract(rows)

    @work(group="extract", exclusive=True, exit_on_error=False)
    async def _prepare_extract(self, rows: list[ModelRow]) -> None:
        fetched, failures = await self._details_for(rows)
        if not fetched:
            self.notify("Nothing to extract: " + "; ".join(failures), severity="error")
            return
        now = services_of(self).clock()
        try:
            preview = await asyncio.to_thread(self._preview_candidates, fetched, now)
        except LibraryUnavailable as error:
            self.notify(str(error), severity="error")
            return
        except Exception as error:  # a store error, reported
            self.notify(f"Cannot preview the extraction: {one_line(error)}", severity="error")
            return
        self.post_message(self.ExtractPrepared(preview, tuple(failures)))

    def _preview_candidates(
        self, fetched: list[tuple[ModelRow, FetchedDetails]], now: datetime
    ) -> ImportPreview:
        """Build the candidates and ask the library what is new (runs in a thread)."""
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.tui.models.extraction import candidates_for

        library = services_of(self).library.get()
        candidates: list[NewElement] = []
        for row, details in fetched:
            candidates.extend(candidates_for(row, details.elements, now))
        return library.preview_import(candidates)

    @on(ExtractPrepared)
    def _extract_prepared(self, message: ExtractPrepared) -> None:
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.tui.dialogs.extract import ExtractDialog

        if message.failures:
            self.notify(
                "Some models could not be read: " + "; ".join(message.failures), severity="warning"
            )

        def chosen(choice: ExtractChoice | None) -> None:
            if choice is not None and (choice.candidates or choice.seen):
                self._save_extract(choice.candidates, choice.tags, choice.seen)

        self.app.push_screen(ExtractDialog(message.preview), chosen)

    @work(thread=True, group="extract-save", exit_on_error=False)
    def _save_extract(
        self,
        candidates: tuple[NewElement, ...],
        tags: tuple[Tag, ...],
        seen: tuple[NewElement, ...] = (),
    ) -> None:
        """Save the chosen candidates (with the typed tags) and record where the content
        already stored was seen too: `add_elements` merges a candidate whose content is there
        into that element (its provenance added), curated ones included."""
        from dataclasses import replace

        try:
            library = services_of(self).library.get()
            tagged = [replace(candidate, tags=(*candidate.tags, *tags)) for candidate in candidates]
            library.add_elements([*tagged, *seen])
        except Exception as error:  # store errors and an unavailable library, reported
            self.post_message(
                self.ActionFinished(f"Saving to the library failed: {one_line(error)}", error=True)
            )
            return
        count = len(candidates)
        self.post_message(LibraryChanged(f"extracted {counted(count, 'element')}"))
        report = f"Saved {counted(count, 'element')} to the library."
        if seen:
            report += f" Recorded the model and digest of {counted(len(seen), 'element')} it had."
        self.post_message(self.ActionFinished(report))


def find_row(rows: Iterable[ModelRow], name: str) -> ModelRow | None:
    """The row `name` denotes (Ollama's name rules: case ignored, default tag applied)."""
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.ollama.names import same_model

    return next((row for row in rows if same_model(row.name, name)), None)


def model_name_problem(name: str) -> str | None:
    """Why Ollama would refuse `name` as a model name, or None."""
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.ollama.names import ModelName

    return ModelName.parse(name).problem
