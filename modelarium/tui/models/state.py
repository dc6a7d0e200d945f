"""What the Models pane knows, as a plain object: rows per host, what is loaded, host health,
selection, sort, filter and the details cache — and every decision made from them.

No Textual here: the pane feeds it what its workers read (`take_listing`, `take_running`,
`take_health`) and renders what it says (`refresh_shown`, `empty_table_message`,
`selection_text`); the action workflows read it (`target_rows`, `compare_pair`,
`transfer_host`). Tests drive it without a terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from modelarium.tui.models.rows import SORT_KEYS, SortKey, find_row, row_key, visible_rows

if TYPE_CHECKING:
    from modelarium.modelfile.elements import Element
    from modelarium.ollama.types import HostStatus, ModelDetails, ModelSummary, RunningModel

HostLists = dict[str, tuple["ModelSummary", ...]]
"""The model lists of some hosts, by host name (as asked of the hosts before a change)."""


@dataclass(frozen=True, slots=True)
class FetchedDetails:
    """A model's `/api/show` and the elements extracted from it (cached by digest)."""

    details: ModelDetails
    elements: tuple[Element, ...]
    base: ModelDetails | None = None
    """The `/api/show` of the model this one was made FROM (same host), when there is one."""
    base_digest: str = ""
    """The base's listed digest when `base` was read (a pulled base reads it again)."""

    @property
    def drifted_from(self) -> str | None:
        """The base, when its weights changed since this model was made from it."""
        # Deferred (start-up): loaded only when this runs.
        from modelarium.tui.models.rebase import drifted_base

        return drifted_base(self.details, self.base)


@dataclass(frozen=True, slots=True)
class RunningChange:
    """What a new `/api/ps` answer changed: the Loaded column, and which models' entries."""

    table: bool
    """The Loaded column reads differently (a model loaded, unloaded or moved to the CPU)."""
    models: frozenset[str]
    """Names whose `/api/ps` entry changed in any way (their details show memory)."""


class ModelsState:
    """The Models pane's state; `host_names` gives the configured hosts in priority order (they
    change when the app switches to the demo host)."""

    def __init__(self, host_names: Callable[[], tuple[str, ...]]) -> None:
        self._host_names = host_names
        self.rows_by_host: dict[str, tuple[ModelSummary, ...]] = {}
        """Latest model list of each host that answered."""
        self.host_errors: dict[str, str] = {}
        """Why a host's list could not be read (cleared when it answers)."""
        self.health: tuple[HostStatus, ...] = ()
        self.loading_hosts: set[str] = set()
        self.selected: set[str] = set()
        """Keys (`row_key`) of the selected models."""
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
        self.shown_rows: list[ModelSummary] = []
        """Rows in table order, as last computed by `refresh_shown`."""

    # Queries -----------------------------------------------------------------------------

    @property
    def host_names(self) -> tuple[str, ...]:
        """Configured host names in priority order."""
        return self._host_names()

    @property
    def all_rows(self) -> list[ModelSummary]:
        """Every known row of every host, in host priority order."""
        return [row for host in self.host_names for row in self.rows_by_host.get(host, ())]

    def refresh_shown(self) -> list[ModelSummary]:
        """Recompute the rows the table shows (host filter, text filter, sort) and keep them."""
        self.shown_rows = visible_rows(
            self.all_rows,
            host=self.host_filter,
            query=self.filter_text,
            sort_key=self.sort_key,
            reverse=self.sort_reverse,
        )
        return self.shown_rows

    def is_selected(self, row: ModelSummary) -> bool:
        """Whether `row` is among the selected models."""
        return row_key(row) in self.selected

    def target_rows(self, cursor: ModelSummary | None) -> list[ModelSummary]:
        """What an action applies to: the selected models shown (in table order), else the
        highlighted one. Selected models the filter hides stay selected but are not acted on:
        an action never reaches a model that is not on screen (the toolbar counts them)."""
        chosen = [row for row in self.shown_rows if row_key(row) in self.selected]
        if chosen:
            return chosen
        return [cursor] if cursor is not None else []

    def compare_pair(self, cursor: ModelSummary | None) -> tuple[ModelSummary, ModelSummary] | None:
        """The two models to compare: the two selected, or the one selected and the highlighted
        one; None otherwise."""
        chosen = [row for row in self.all_rows if row_key(row) in self.selected]
        if len(chosen) == 1 and cursor is not None and row_key(cursor) != row_key(chosen[0]):
            chosen.append(cursor)
        if len(chosen) != 2:
            return None
        return chosen[0], chosen[1]

    def running_model(self, row: ModelSummary) -> RunningModel | None:
        """The `/api/ps` entry of `row` when its host holds it in memory."""
        return self.running_by_host.get(row.host, {}).get(row.name)

    def listed_digest(self, host: str, details: ModelDetails | None) -> str:
        """The digest the table lists for the model `details` is of, on `host` ("" if none)."""
        if details is None:
            return ""
        row = find_row(self.rows_by_host.get(host, ()), details.name)
        return row.digest if row is not None else ""

    def cached_details(self, row: ModelSummary) -> FetchedDetails | None:
        """The cached details of `row`, unless its base was pulled or re-created since."""
        cached = self.details_cache.get(row.digest)
        if cached is not None and cached.base_digest != self.listed_digest(row.host, cached.base):
            return None
        return cached

    def transfer_host(self) -> str | None:
        """Where a pull goes: the host shown alone, else the first host that may answer."""
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

    def is_down(self, host: str) -> bool:
        """The host's list could not be read, or its health check says it is down."""
        states = {health.name: health for health in self.health}
        return host in self.host_errors or (host in states and states[host].state == "down")

    def host_problem(self, name: str, url: str = "") -> str:
        """Why a host is not usable, naming it once (client errors already start with it)."""
        health = next((one for one in self.health if one.name == name), None)
        problem = (
            self.host_errors.get(name) or (health.last_error if health else None) or "no answer"
        )
        if problem.startswith(name):
            return problem
        return f"{name} ({url}): {problem}" if url else f"{name}: {problem}"

    def empty_table_message(self) -> str:
        """Why the table is empty, as it is: a host down or unreachable, a filter matching
        nothing (named), or no models at all."""
        scope = [self.host_filter] if self.host_filter is not None else list(self.host_names)
        scope_rows = [row for row in self.all_rows if row.host in scope]
        if not scope_rows:
            unreachable = [self.host_problem(host) for host in scope if self.is_down(host)]
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

    def selection_text(self) -> str:
        """The toolbar's count of selected models, naming those the filter hides: actions act
        on the selected models shown, never on hidden ones (issue 17)."""
        shown = {row_key(row) for row in self.shown_rows}
        visible = len(self.selected & shown)
        hidden = len(self.selected - shown)
        if not (visible or hidden):
            return ""
        text = f"{visible} selected"
        if hidden:
            text += f", +{hidden} hidden (not acted on)"
        return text

    def all_down(self) -> bool:
        """No configured host answers (and none is still being read)."""
        names = self.host_names
        return (
            bool(names)
            and all(self.is_down(host) for host in names)
            and not self.all_rows
            and not self.loading_hosts
        )

    def down_hosts(self) -> list[str]:
        """Configured hosts whose models are not shown because they are down or failed."""
        return [host for host in self.host_names if self.is_down(host)]

    # Changes -----------------------------------------------------------------------------

    def take_listing(
        self,
        host: str,
        rows: tuple[ModelSummary, ...],
        error: str | None,
        *,
        poll: bool = False,
    ) -> bool:
        """A host's model list arrived (or failed); False when nothing changed (a poll that
        found the host as it was, or a late answer from a host no longer configured)."""
        if not poll:
            self.loading_hosts.discard(host)
        if host not in self.host_names:
            return False
        unchanged = (
            poll
            and error is None
            and self.rows_by_host.get(host) == rows
            and host not in self.host_errors
        )
        if unchanged:
            return False
        if error is None:
            if self.rows_by_host.get(host) != rows:  # an equal list keeps the objects held
                self.rows_by_host[host] = rows  # (the early listing's): one copy, not two
            self.host_errors.pop(host, None)
        else:
            self.rows_by_host.pop(host, None)
            self.host_errors[host] = error
        self.selected &= {row_key(row) for row in self.all_rows}
        return True

    def take_health(self, hosts: tuple[HostStatus, ...]) -> list[str]:
        """New host health: forget hosts no longer configured and rows of hosts now down;
        return the hosts that came back (up again, or answering after a failed list) and are
        not being read, whose lists are to be read again."""
        previous = {health.name: health.state for health in self.health}
        self.health = hosts
        names = set(self.host_names)
        for host in list(self.rows_by_host):
            if host not in names:
                del self.rows_by_host[host]
        for host in list(self.host_errors):
            if host not in names:
                del self.host_errors[host]
        if self.host_filter not in names:
            self.host_filter = None
        for health in hosts:
            if health.state == "down":
                self.rows_by_host.pop(health.name, None)  # stale: its actions would fail
        self.selected &= {row_key(row) for row in self.all_rows}
        return [
            health.name
            for health in hosts
            if health.state in ("up", "degraded")
            and (previous.get(health.name) == "down" or health.name in self.host_errors)
            and health.name not in self.loading_hosts
        ]

    def take_running(self, host: str, running: Iterable[RunningModel] | None) -> RunningChange:
        """Which models a host holds in memory now (None: it could not say)."""
        before = self.running_by_host.get(host, {})
        if running is None or host not in self.host_names:
            after: dict[str, RunningModel] = {}
        else:
            after = {model.name: model for model in running}
        self.running_by_host[host] = after
        memory = {name: (model.size, model.size_vram) for name, model in before.items()}
        table = memory != {name: (model.size, model.size_vram) for name, model in after.items()}
        changed = frozenset(
            name for name in {*before, *after} if before.get(name) != after.get(name)
        )
        return RunningChange(table, changed)

    def forget_selected(self, keys: Iterable[str]) -> None:
        """Drop models that no longer exist from the selection."""
        self.selected -= set(keys)

    def toggle(self, row: ModelSummary) -> None:
        """Select `row`, or unselect it when it is selected."""
        self.selected ^= {row_key(row)}

    def toggle_all_shown(self) -> None:
        """Select every shown model, or none when all of them are selected already."""
        shown = {row_key(row) for row in self.shown_rows}
        if shown and shown <= self.selected:
            self.selected -= shown
        else:
            self.selected |= shown

    def cycle_sort(self) -> None:
        """Sort by the next key (name, size, modified, family)."""
        self.sort_key = SORT_KEYS[(SORT_KEYS.index(self.sort_key) + 1) % len(SORT_KEYS)]

    def reverse_sort(self) -> None:
        """Reverse the sort order."""
        self.sort_reverse = not self.sort_reverse

    def cycle_host(self) -> None:
        """Show all hosts, then each host alone, in turn."""
        choices: list[str | None] = [None, *self.host_names]
        self.host_filter = choices[(choices.index(self.host_filter) + 1) % len(choices)]
