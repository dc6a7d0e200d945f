"""The Models pane: a table of every model on every host, its details, and model actions.

Data flows one way. Async workers talk to the hosts (one worker per host, so a hanging host
delays nothing else) and post messages; the handlers feed them to the pane's state
(`state.ModelsState`: rows per host, selection, sort, filter, what is loaded, the digest-keyed
details cache), then re-render the table; widgets only display. The model actions are workflows
of their own (`models.actions`), bound to keys here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import Worker

from modelarium.tui import keys
from modelarium.tui.errors import failure_reason, model_failure, one_line, report_failed_worker
from modelarium.tui.messages import DeliverHostsChanged, DeliverModelCreated, ModelsListed
from modelarium.tui.models.actions.bindings import ModelActions
from modelarium.tui.models.banner import banner_for
from modelarium.tui.models.details import ModelDetailsView
from modelarium.tui.models.rows import row_key, sort_wording
from modelarium.tui.models.state import FetchedDetails, HostLists, ModelsState
from modelarium.tui.models.table import ModelsTable
from modelarium.tui.state import Services, services_of

if TYPE_CHECKING:
    from modelarium.ollama.client import OllamaClient
    from modelarium.ollama.types import ModelSummary, RunningModel

DETAILS_DEBOUNCE = 0.15
"""Seconds the cursor must rest on a model before its details are shown (or fetched)."""

LARGE_TABLE_ROWS = 300
FILTER_DEBOUNCE = 0.1
"""With this many rows (shown plus known), the table re-renders only after typing pauses this
many seconds: re-adding hundreds of rows per key would delay the key's echo."""


class ModelsPane(ModelActions, Vertical):
    """Every model of the configured hosts; details of the highlighted one; model actions."""

    BINDINGS: ClassVar[list[BindingType]] = list(keys.bindings_for("models"))

    class HostListed(Message):
        """One host's model list arrived (rows), or could not be read (error)."""

        def __init__(
            self,
            host: str,
            rows: tuple[ModelSummary, ...],
            error: str | None,
            *,
            poll: bool = False,
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
            self, row: ModelSummary, fetched: FetchedDetails | None, error: str | None
        ) -> None:
            super().__init__()
            self.row = row
            self.fetched = fetched
            self.error = error

    class HostsAsked(Message):
        """The present model lists of the hosts a change is about to touch (asked of the
        hosts, not taken from the table), or why one could not be read; `then` decides."""

        def __init__(
            self, lists: HostLists, error: str | None, then: Callable[[HostLists], None]
        ) -> None:
            super().__init__()
            self.lists = lists
            self.error = error
            self.then = then

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self.state = ModelsState(lambda: tuple(host.name for host in self.services.hosts))
        """Everything the pane knows (and decides from it), without Textual."""
        self._details_timer: Timer | None = None
        self._filter_timer: Timer | None = None
        self._listed_once = False
        """Whether a host's list (or its error) has arrived: the first says `ModelsListed`."""
        self._details_shown_for: tuple[str, str] | None = None
        """(row key, digest) whose details the view shows (None: a message or nothing): a
        model re-created under its name has a new digest, so its details are read again."""
        self._details_fetching: tuple[str, str] | None = None
        """(row key, digest) whose details are being fetched."""
        self._details_failed: tuple[str, str] | None = None
        """(row key, digest) whose details could not be fetched: asked again at the next
        listing, the error staying on screen meanwhile."""

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
            yield ModelsTable(id="models-table")
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
        self.screen.set_focus(self.query_one(ModelsTable))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failed_worker(self, event)

    # What the workflows use (`actions.base.ModelsView`) ----------------------------------

    @property
    def services(self) -> Services:
        """The app's shared services."""
        return services_of(self)

    def client(self, host: str) -> OllamaClient:
        """The client of a configured host (HostNotAvailable when it is not connected)."""
        return self.services.client(host)

    def start_work(
        self, work: Callable[[], Coroutine[Any, Any, None]], group: str, *, exclusive: bool = False
    ) -> None:
        """Run `work()` as a worker of `group`; its errors are its own to report, so a failure
        never ends the app. A function, not a coroutine: a worker an exclusive one replaces
        before it starts never creates its coroutine, so none is left un-awaited."""
        # Textual's WorkType union makes mypy infer Never for an async callable's result.
        self.run_worker(work, group=group, exclusive=exclusive, exit_on_error=False)  # type: ignore[arg-type]

    def finished(
        self,
        report: str,
        *,
        hosts: tuple[str, ...] = (),
        error: bool = False,
        gone: tuple[str, ...] = (),
    ) -> None:
        """A host action ended: report it, drop `gone` from the selection, reload `hosts`."""
        self.notify(report, severity="error" if error else "information")
        self.state.forget_selected(gone)
        if hosts:
            self.reload(hosts)

    # Queries (the state's, under the names the app and tests read) -----------------------

    @property
    def host_names(self) -> tuple[str, ...]:
        """Configured host names in priority order."""
        return self.state.host_names

    @property
    def all_rows(self) -> list[ModelSummary]:
        """Every known row of every host, in host priority order."""
        return self.state.all_rows

    @property
    def shown_rows(self) -> list[ModelSummary]:
        """Rows in table order, as last rendered."""
        return self.state.shown_rows

    @property
    def details_shown_for(self) -> tuple[str, str] | None:
        """(`row_key`, digest) of the model whose details the view shows; None while it shows
        a message (loading, an error) or nothing."""
        return self._details_shown_for

    @property
    def selected(self) -> set[str]:
        """Keys (`row_key`) of the selected models."""
        return self.state.selected

    @property
    def cursor_row(self) -> ModelSummary | None:
        """The highlighted model."""
        table = self.query_one(ModelsTable)
        shown = self.state.shown_rows
        if not shown or table.cursor_row < 0 or table.cursor_row >= len(shown):
            return None
        return shown[table.cursor_row]

    def move_cursor(self, *, row: int) -> None:
        """Put the table's cursor on the shown row at index `row`."""
        self.query_one(ModelsTable).move_cursor(row=row)

    def target_rows(self) -> list[ModelSummary]:
        """What an action applies to: the selected models shown, else the highlighted one."""
        return self.state.target_rows(self.cursor_row)

    # Loading -----------------------------------------------------------------------------

    def _run_exclusive(self, body: Callable[[], Coroutine[Any, Any, None]], group: str) -> None:
        """Run `body()` as the only worker of `group` (cancelling the previous one)."""
        self.start_work(body, group, exclusive=True)

    def reload(self, hosts: Iterable[str] | None = None) -> None:
        """Re-read the model list of the given hosts (default: all), each in its own worker."""
        if self.services.pool is None:
            return
        for host in hosts if hosts is not None else self.host_names:
            self.state.loading_hosts.add(host)
            self._run_exclusive(partial(self._list_host, host), f"list:{host}")
        self._update_banner()

    async def _list_host(self, host: str, *, poll: bool = False) -> None:
        try:
            summaries = await self.client(host).list_models()
        except Exception as error:  # reported in the banner, never raised
            if not poll:  # a failed poll changes nothing: the health checks judge the host
                self.post_message(self.HostListed(host, (), one_line(error)))
            return
        self.post_message(self.HostListed(host, tuple(summaries), None, poll=poll))
        await self._list_running(host)

    def poll_hosts(self) -> None:
        """Once per health interval: re-read the list (and what is loaded) of every host that
        answered, so models created, replaced or deleted by other clients show up; a list
        that did not change redraws nothing. A host whose list is being read is left alone."""
        if self.services.pool is None:
            return
        for host in list(self.state.rows_by_host):
            if host not in self.state.loading_hosts:
                self._run_exclusive(partial(self._list_host, host, poll=True), f"list:{host}")

    def refresh_running(self, hosts: Iterable[str] | None = None) -> None:
        """Re-read which models the answering hosts (default: all listed) hold in memory."""
        if self.services.pool is None:
            return
        for host in hosts if hosts is not None else list(self.state.rows_by_host):
            if host not in self.state.loading_hosts:
                self._run_exclusive(partial(self._list_running, host), f"ps:{host}")

    async def _list_running(self, host: str) -> None:
        try:
            running = await self.client(host).running_models()
        except Exception:  # the model list's own error is the one the banner shows
            self.post_message(self.RunningListed(host, None))
            return
        self.post_message(self.RunningListed(host, running))

    def take_listing(self, host: str, models: tuple[ModelSummary, ...]) -> None:
        """Show a host's model list read elsewhere (the app's early listing, before the host
        pool): queued behind the pane's own messages, like one it read itself."""
        self.post_message(self.HostListed(host, tuple(models), None))

    def ask_hosts(self, hosts: Iterable[str], then: Callable[[HostLists], None]) -> None:
        """Ask each host for its model list now, then call `then(lists)` in a handler: what
        a copy, create, delete or pull decides is decided on the host's present state. The
        table shows the fresh lists too; a host that cannot answer stops the change."""
        self.start_work(partial(self._ask_hosts, tuple(dict.fromkeys(hosts)), then), "ask-hosts")

    async def _ask_hosts(self, hosts: tuple[str, ...], then: Callable[[HostLists], None]) -> None:
        try:
            answers = await asyncio.gather(*(self.client(host).list_models() for host in hosts))
        except Exception as error:  # the client's error names the host
            self.post_message(self.HostsAsked({}, one_line(error), then))
            return
        lists = {host: tuple(models) for host, models in zip(hosts, answers, strict=True)}
        for host, rows in lists.items():
            self.post_message(self.HostListed(host, rows, None))
        self.post_message(self.HostsAsked(lists, None, then))

    @on(HostsAsked)
    def _hosts_asked(self, message: HostsAsked) -> None:
        if message.error is not None:
            self.notify(f"Nothing changed: {message.error}", severity="error")
            return
        message.then(message.lists)

    @on(RunningListed)
    def _running_listed(self, message: RunningListed) -> None:
        change = self.state.take_running(message.host, message.running)
        if change.table:
            self._render_table()
        current = self.cursor_row
        if (
            current is not None
            and current.host == message.host
            and (row_key(current), current.digest) == self._details_shown_for
            and current.name in change.models
        ):
            self._details_shown_for = None  # shown again, with its new memory line
            self._show_cursor_details()

    @on(HostListed)
    def _host_listed(self, message: HostListed) -> None:
        if not self._listed_once:
            self._listed_once = True
            self.post_message(ModelsListed(message.host))  # the app loads the other panes
        if self.state.take_listing(message.host, message.rows, message.error, poll=message.poll):
            self._update_banner()
            self._render_table()
        current = self.cursor_row
        if current is None or self._details_timer is not None:
            return  # no model, or the cursor still moving (its details follow when it rests)
        wanted = (row_key(current), current.digest)
        shown = self._details_shown_for
        # The model shown was re-created (here or elsewhere): a new digest, read it again;
        # details that could not be fetched (a busy host timing out) are asked for again.
        recreated = shown is not None and shown[0] == wanted[0] and shown[1] != wanted[1]
        failed = self._details_failed == wanted and self._details_fetching != wanted
        if recreated or failed:
            self._show_cursor_details()

    @on(DeliverHostsChanged)
    def _hosts_changed(self, delivery: DeliverHostsChanged) -> None:
        came_back = self.state.take_health(delivery.request.hosts)
        if came_back:
            self.reload(came_back)
        self._update_toolbar()
        self._render_table()
        self._update_banner()

    @on(DeliverModelCreated)
    def _model_created(self, delivery: DeliverModelCreated) -> None:
        host = delivery.request.host
        self.reload([host] if host in self.host_names else None)

    # Rendering ---------------------------------------------------------------------------

    def _update_toolbar(self) -> None:
        state = self.state
        self.query_one("#models-host", Static).update(
            f"Host: {state.host_filter or 'all hosts'} (h)"
        )
        self.query_one("#models-sort", Static).update(
            f"Sort: {sort_wording(state.sort_key, state.sort_reverse)} (s)"
        )

    def _update_banner(self) -> None:
        services = self.services
        shown = banner_for(self.state, services.hosts, services.demo)
        banner = self.query_one("#models-banner", Static)
        if shown.content is None:
            banner.update("")
            banner.display = False
            return
        banner.update(shown.content)
        banner.set_class(shown.problem, "problem")
        banner.display = True

    def _render_table(self) -> None:
        self._filter_timer = None
        current = self.cursor_row
        shown_rows = self.state.refresh_shown()
        self.query_one(ModelsTable).show(
            self.state,
            shown_rows,
            self.services.clock(),
            multi_host=len(self.host_names) > 1,
            keep=row_key(current) if current is not None else None,
        )
        self._update_selection()
        if not shown_rows:
            self._details_shown_for = None
            details = self.query_one(ModelDetailsView)
            details.show_message(self.state.empty_table_message())

    def _update_selection(self) -> None:
        text = self.state.selection_text()
        label = self.query_one("#models-selection", Static)
        label.update(text)
        label.display = bool(text)

    @on(events.Resize)
    def _resized(self) -> None:
        # The table's width is final only after this layout: fit its columns then.
        self.call_after_refresh(self._render_table)

    # Details -----------------------------------------------------------------------------

    @on(ModelsTable.RowHighlighted)
    def _row_highlighted(self, event: ModelsTable.RowHighlighted) -> None:
        # Details follow the cursor only once it rests, so moving fast renders just the table.
        if self._details_timer is not None:
            self._details_timer.stop()
        self._details_timer = self.set_timer(DETAILS_DEBOUNCE, self._show_cursor_details)

    def _show_details(self, row: ModelSummary, fetched: FetchedDetails) -> None:
        self._details_shown_for = (row_key(row), row.digest)
        self.query_one(ModelDetailsView).show_details(
            row,
            fetched.details,
            fetched.elements,
            self.services.clock(),
            running=self.state.running_model(row),
            drifted_from=fetched.drifted_from,
            base=fetched.base,
        )

    def _show_cursor_details(self) -> None:
        self._details_timer = None
        row = self.cursor_row
        if row is None or (row_key(row), row.digest) == self._details_shown_for:
            return
        cached = self.state.cached_details(row)
        if cached is not None:
            self._show_details(row, cached)
            return
        self._details_shown_for = None
        if (row_key(row), row.digest) not in (self._details_fetching, self._details_failed):
            view = self.query_one(ModelDetailsView)
            view.show_message(f"Loading details of {row.name} from {row.host}…")
        self._details_fetching = (row_key(row), row.digest)
        self._run_exclusive(partial(self._fetch_row_details, row), "details")

    async def fetch_details(self, row: ModelSummary) -> FetchedDetails:
        """`show` the model on its host and extract its elements (raises the client's errors);
        a derived model's base is shown too, to tell whether it was updated since."""
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.ollama.extract import elements_from_show
        from modelarium.tui.models.rebase import base_of

        client = self.client(row.host)
        details = await client.show(row.name)
        base = await base_of(client, details)
        return FetchedDetails(
            details, elements_from_show(details), base, self.state.listed_digest(row.host, base)
        )

    async def _fetch_row_details(self, row: ModelSummary) -> None:
        try:
            fetched = await self.fetch_details(row)
        except Exception as error:  # shown in the details view
            self.post_message(self.DetailsFetched(row, None, failure_reason(row.name, error)))
            return
        self.post_message(self.DetailsFetched(row, fetched, None))

    @on(DetailsFetched)
    def _details_fetched(self, message: DetailsFetched) -> None:
        if message.fetched is not None:
            self.state.details_cache[message.row.digest] = message.fetched
        fetched_for = (row_key(message.row), message.row.digest)
        if self._details_fetching == fetched_for:
            self._details_fetching = None
        self._details_failed = fetched_for if message.fetched is None else None
        current = self.cursor_row
        if current is None or (row_key(current), current.digest) != fetched_for:
            # Re-created while its details were read (a listing brought the new digest
            # meanwhile, with nothing shown yet to compare): read the new model's.
            if (
                current is not None
                and row_key(current) == fetched_for[0]
                and self._details_timer is None
            ):
                self._show_cursor_details()
            return
        if message.fetched is None:
            self.query_one(ModelDetailsView).show_message(
                f"Details of {message.row.name} are unavailable: {message.error}"
            )
        else:
            self._show_details(message.row, message.fetched)

    async def details_for(
        self, rows: list[ModelSummary]
    ) -> tuple[list[tuple[ModelSummary, FetchedDetails]], list[str]]:
        """Details of several models (cached or fetched concurrently) and the failures."""

        async def one(row: ModelSummary) -> tuple[ModelSummary, FetchedDetails | str]:
            cached = self.state.details_cache.get(row.digest)
            if cached is not None:
                return row, cached
            try:
                return row, await self.fetch_details(row)
            except Exception as error:  # collected and reported together
                return row, model_failure(row.name, error)

        results = await asyncio.gather(*(one(row) for row in rows))
        fetched = [(row, value) for row, value in results if isinstance(value, FetchedDetails)]
        failures = [value for _, value in results if isinstance(value, str)]
        for row, value in fetched:
            self.state.details_cache.setdefault(row.digest, value)
        return fetched, failures

    # Filter, sort, hosts, selection ------------------------------------------------------

    @on(Input.Changed, "#models-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.state.filter_text = event.value
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        if len(self.state.shown_rows) + len(self.state.all_rows) < LARGE_TABLE_ROWS:
            self._render_table()
        else:  # hundreds of rows: re-render once typing pauses, so keys echo at once
            self._filter_timer = self.set_timer(FILTER_DEBOUNCE, self._render_table)

    def clear_filter(self) -> str:
        """Empty the text filter and show every host again (to reveal a model asked for from
        another pane); says what was cleared (`Filter "coder"`, `Host filter "gpu"`), "" when
        nothing was."""
        state = self.state
        cleared: list[str] = []
        if state.filter_text:
            cleared.append(f'filter "{state.filter_text}"')
            state.filter_text = ""
            model_filter = self.query_one("#models-filter", Input)
            with model_filter.prevent(Input.Changed):
                model_filter.value = ""
        if state.host_filter is not None:
            cleared.append(f'host filter "{state.host_filter}"')
            state.host_filter = None
            self._update_toolbar()
        if not cleared:
            return ""
        self._render_table()
        said = " and ".join(cleared)
        return said[:1].upper() + said[1:]

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
        if self.screen.focused is not self.query_one("#models-filter", Input):
            raise SkipAction
        self.focus_default()

    def action_focus_table(self) -> None:
        """Back to the table (Esc from the filter or the details)."""
        self.focus_default()

    def action_focus_details(self) -> None:
        """Move into the details view to scroll them."""
        self.screen.set_focus(self.query_one(ModelDetailsView))

    @on(ModelsTable.RowSelected)
    def _row_selected(self) -> None:
        # Enter on a row: the table turns it into RowSelected before any pane binding.
        if self._details_timer is not None:
            self._details_timer.stop()
        self._show_cursor_details()
        self.action_focus_details()

    def action_cycle_sort(self) -> None:
        """Sort by the next key (name, size, modified, family)."""
        self.state.cycle_sort()
        self._update_toolbar()
        self._render_table()

    def action_reverse_sort(self) -> None:
        """Reverse the sort order."""
        self.state.reverse_sort()
        self._update_toolbar()
        self._render_table()

    def action_cycle_host(self) -> None:
        """Show all hosts, then each host alone, in turn."""
        self.state.cycle_host()
        self._update_toolbar()
        self._render_table()

    def action_toggle_select(self) -> None:
        """Select or unselect the highlighted model, then move down."""
        row = self.cursor_row
        if row is None:
            return
        self.state.toggle(row)
        self._render_table()
        self.query_one(ModelsTable).action_cursor_down()

    def action_select_all(self) -> None:
        """Select every shown model, or none when all of them are selected already."""
        self.state.toggle_all_shown()
        self._render_table()

    def action_refresh(self) -> None:
        """Reload every host's model list."""
        self.reload()
