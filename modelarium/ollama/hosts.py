"""The host pool, its health monitor and failover (addresses: `ollama/addresses.py`).

`HostPool` keeps one `OllamaClient` (one pooled `httpx.AsyncClient`) per host. Every probe and
request is bounded and runs concurrently with the others, so a host that accepts connections
and never answers never blocks another host. Failover is cheap at the shipped defaults:

- the monitor probes each answering host every second (`HEARTBEAT`), and a probe has its own
  deadline (`PROBE_TIMEOUT`, 1.5 s), shorter than a request's, so a host that hangs is marked
  down within about 2.5 s; a down host is probed again every 1-2 s (`DOWN_PROBE_MAX`), so
  one that comes back is seen within about 3.5 s;
- reads try hosts by health (up, not yet probed, degraded, down; each group in priority
  order), and a read the first host has not answered within `HEDGE_DELAY` (1 s) is sent to
  the next host too: the first answer wins and the other request is cancelled.

Nothing that changes a host (create, copy, delete, pull, push) goes through these helpers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Generic, TypeVar

import httpx

from modelarium.config import HostConfig
from modelarium.ollama.addresses import parse_ollama_host as parse_ollama_host
from modelarium.ollama.client import OllamaClient
from modelarium.ollama.names import ModelName
from modelarium.ollama.types import (
    HostState,
    HostStatus,
    HostUnreachable,
    InvalidHostURL,
    ModelNotFound,
    ModelSummary,
    NotOllama,
    OllamaError,
    RequestTimeout,
    StreamError,
    Unauthorized,
)

log = logging.getLogger(__name__)

PROBE_TIMEOUT = 1.5
"""Seconds a health probe (`GET /api/version`) may take before the host counts as down
(capped by the request timeout): Ollama answers it in milliseconds even while it generates,
and 1.5 s leaves room for a new TLS connection over a slow link; 1 s marks it degraded."""

DEGRADED_LATENCY = 1.0
"""A probe answered slower than this (seconds) marks the host degraded."""

HEARTBEAT = 1.0
"""Seconds between the monitor's probes of a host that answers (at most): with the probe's
deadline, a host that starts hanging is marked down within 2.5 s. Listeners are not told of
every probe (see `HostPool.start_monitor`), so the screen is not redrawn each second."""

DOWN_PROBE_MAX = 2.0
"""Longest wait (seconds) between the monitor's probes of a down host, so a host that comes
back is seen within about `PROBE_TIMEOUT` + this."""

HEDGE_DELAY = 1.0
"""Seconds a read waits for one host before the same read is also sent to the next one."""

STATE_ORDER: dict[HostState, int] = {"up": 0, "unknown": 1, "degraded": 2, "down": 3}
"""The order reads try hosts in by state (ties keep the configured priority)."""

ResultT = TypeVar("ResultT")
TransportFactory = Callable[[HostConfig], httpx.AsyncBaseTransport | None]
StatusListener = Callable[[HostStatus], None]

FAILOVER_ERRORS: tuple[type[OllamaError], ...] = (
    HostUnreachable,
    RequestTimeout,
    NotOllama,
    Unauthorized,
)
"""Errors that say "this host cannot serve now" (try the next one), not "the request is wrong"."""


def failure_reason(error: OllamaError) -> str:
    """An error without the host prefix (a host status already names its host)."""
    if error.status is not None and f"HTTP {error.status}" not in error.message:
        return f"{error.message} (HTTP {error.status})"
    return error.message


def next_probe_delay(state: HostState, failures: int, interval: float, max_backoff: float) -> float:
    """Seconds until a host's next probe: `interval` while it answers; while down, doubling
    with each consecutive failure (interval, 2x, 4x...) up to `max_backoff`."""
    if state != "down":
        return interval
    return min(max_backoff, interval * 2.0 ** (max(1, failures) - 1))


class _NotListed(Exception):
    """A host answered its model list without the wanted model (`first_with_model`)."""


@dataclass(slots=True)
class _NoneServed:
    """A race no host won: the last failover error and the hosts that lack the model."""

    last_error: OllamaError | None = None
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class HostResult(Generic[ResultT]):
    """A value read through failover, with the host that served it."""

    host: str
    value: ResultT


class HostPool:
    """One client per host (in priority order), their health, and failover helpers."""

    def __init__(
        self,
        hosts: Sequence[HostConfig],
        *,
        timeout: float = 10.0,
        transport_factory: TransportFactory | None = None,
        max_connections: int = 8,
        degraded_latency: float = DEGRADED_LATENCY,
        probe_timeout: float = PROBE_TIMEOUT,
        hedge_delay: float = HEDGE_DELAY,
        heartbeat: float = HEARTBEAT,
    ) -> None:
        if not hosts:
            raise ValueError("a host pool needs at least one host")
        if probe_timeout <= 0 or hedge_delay < 0:
            raise ValueError("probe_timeout must be positive and hedge_delay not negative")
        self.timeout = timeout
        self.degraded_latency = degraded_latency
        """A probe slower than this (seconds) marks the host degraded."""
        self.probe_timeout = min(probe_timeout, timeout)
        """Deadline of one health probe: a host that has not answered by then is down."""
        self.hedge_delay = hedge_delay
        """Seconds before a read also goes to the next host (see `read_any`)."""
        self.heartbeat = heartbeat
        """Longest time (seconds) between the monitor's probes of a host that answers."""
        self._order: list[str] = []
        self._clients: dict[str, OllamaClient] = {}
        self._invalid: dict[str, InvalidHostURL] = {}
        """Hosts whose address cannot be used: reported (down) but never contacted."""
        self._statuses: dict[str, HostStatus] = {}
        self._failures: dict[str, int] = {}
        for config in hosts:
            name = config.name
            if name in self._order:
                raise ValueError(f"two hosts are named {name!r}; host names must be unique")
            self._order.append(name)
            self._failures[name] = 0
            try:
                transport = transport_factory(config) if transport_factory is not None else None
                client = OllamaClient(
                    config, timeout=timeout, transport=transport, max_connections=max_connections
                )
            except InvalidHostURL as error:
                self._invalid[name] = error
                self._statuses[name] = HostStatus(
                    name=name, url=config.url, state="down", last_error=failure_reason(error)
                )
                continue
            self._clients[name] = client
            self._statuses[name] = HostStatus(name=name, url=client.url)
        self._listeners: list[StatusListener] = []
        self._monitor_tasks: list[asyncio.Task[None]] = []

    @property
    def names(self) -> tuple[str, ...]:
        """Host names in priority order (including hosts with an unusable address)."""
        return tuple(self._order)

    def client(self, name: str) -> OllamaClient:
        """The client of host `name`; KeyError for an unknown host, the `InvalidHostURL` for a
        host whose address cannot be used."""
        if name in self._invalid:
            raise self._invalid[name]
        return self._clients[name]

    @property
    def clients(self) -> tuple[OllamaClient, ...]:
        """The clients of the usable hosts, in priority order."""
        return tuple(self._clients.values())

    def statuses(self) -> tuple[HostStatus, ...]:
        """The latest known status of every host, in priority order."""
        return tuple(self._statuses[name] for name in self._order)

    def status(self, name: str) -> HostStatus:
        """The latest known status of host `name`."""
        return self._statuses[name]

    def add_listener(self, listener: StatusListener) -> None:
        """Call `listener(status)` whenever a host's status is updated."""
        self._listeners.append(listener)

    def _set_status(self, status: HostStatus) -> None:
        previous = self._statuses.get(status.name)
        if previous is None or previous.state != status.state:
            log.info("host %s (%s) is %s%s", status.name, status.url, status.state,
                     f": {status.last_error}" if status.last_error else "")  # fmt: skip
        self._statuses[status.name] = status
        for listener in list(self._listeners):
            listener(status)

    def _record_failure(self, name: str, error: OllamaError) -> None:
        """A request found the host unusable: mark it down now, without waiting for a probe."""
        self._failures[name] += 1
        self._set_status(
            replace(
                self._statuses[name],
                state="down",
                last_error=failure_reason(error),
                checked_at=datetime.now(UTC),
            )
        )

    def _record_error(self, name: str, error: OllamaError) -> None:
        """The host answered but failed (5xx, a broken stream): it is degraded."""
        current = self._statuses[name]
        self._set_status(
            replace(
                current,
                state="degraded",
                last_error=failure_reason(error),
                checked_at=datetime.now(UTC),
            )
        )

    async def probe(self, name: str) -> HostStatus:
        """Probe one host's `/api/version` now and record the result (listeners hear it)."""
        status = await self._measure(name)
        self._set_status(status)
        return status

    async def _measure(self, name: str) -> HostStatus:
        """Probe one host's `/api/version` within `probe_timeout`; its new status."""
        client = self._clients[name]
        started = time.perf_counter()
        checked_at = datetime.now(UTC)
        try:
            version = await client.version(retry=False, timeout=self.probe_timeout)
        except FAILOVER_ERRORS as error:
            self._failures[name] += 1
            status = replace(
                self._statuses[name],
                state="down",
                latency_ms=None,
                last_error=failure_reason(error),
                checked_at=checked_at,
            )
        except OllamaError as error:  # Ollama answered, with an error: usable but erroring
            self._failures[name] = 0
            status = replace(
                self._statuses[name],
                state="degraded",
                latency_ms=(time.perf_counter() - started) * 1000,
                last_error=failure_reason(error),
                checked_at=checked_at,
            )
        else:
            latency = time.perf_counter() - started
            self._failures[name] = 0
            state: HostState = "degraded" if latency > self.degraded_latency else "up"
            status = HostStatus(
                name=name,
                url=client.url,
                state=state,
                version=version,
                latency_ms=latency * 1000,
                last_error=(
                    f"slow: answered in {latency * 1000:.0f} ms" if state == "degraded" else None
                ),
                checked_at=checked_at,
            )
        return status

    async def check_all(self) -> tuple[HostStatus, ...]:
        """Probe every host concurrently; each probe is bounded by `probe_timeout`."""
        await asyncio.gather(*(self.probe(name) for name in self._clients))
        return self.statuses()

    def start_monitor(self, interval: float = 5.0, *, max_backoff: float = DOWN_PROBE_MAX) -> None:
        """Probe hosts in the background, one task per host (a hanging host never delays
        another's probe); calling it again restarts the monitor.

        A host that answers is probed every `min(interval, heartbeat)` seconds, so one that
        starts hanging is marked down within `heartbeat` + `probe_timeout`; a down host with
        exponential backoff from the same period up to `max_backoff` (2 s by default, so a
        host that comes back is seen quickly). Listeners hear a host's status at once when
        its state, version or error changes, otherwise at most once per `interval` (its
        latency), so a fast heartbeat does not redraw a screen every second.
        """
        self.stop_monitor()
        for name in self._clients:
            task = asyncio.create_task(
                self._monitor_host(name, interval, max_backoff), name=f"probe {name}"
            )
            self._monitor_tasks.append(task)

    def stop_monitor(self) -> None:
        """Cancel the background probes (awaiting is not needed; `aclose` awaits them)."""
        for task in self._monitor_tasks:
            task.cancel()

    @property
    def monitoring(self) -> bool:
        """Whether background probes are running."""
        return any(not task.done() for task in self._monitor_tasks)

    async def _monitor_host(self, name: str, interval: float, max_backoff: float) -> None:
        period = min(interval, self.heartbeat)
        told = float("-inf")  # when listeners last heard of this host from the monitor
        while True:
            status = await self._measure(name)
            before = self._statuses[name]
            now = time.monotonic()
            visible = (status.state, status.version, status.last_error)
            if visible != (before.state, before.version, before.last_error) or (
                now - told >= interval
            ):
                told = now
                self._set_status(status)
            else:
                self._statuses[name] = status  # only the latency moved: kept, not announced
            await asyncio.sleep(
                next_probe_delay(status.state, self._failures[name], period, max_backoff)
            )

    def _candidates(self) -> list[str]:
        """Hosts to try, by state (`STATE_ORDER`: up, not probed yet, degraded, down last
        since it may have come back), each group in priority order."""
        return sorted(self._clients, key=lambda name: STATE_ORDER[self._statuses[name].state])

    async def read_any(
        self, read: Callable[[OllamaClient], Awaitable[ResultT]]
    ) -> HostResult[ResultT]:
        """Run the idempotent `read(client)` on the first host that can serve it.

        Hosts are tried in `_candidates` order; a read not answered within `hedge_delay` is
        also sent to the next host, and the first answer wins (the other requests are
        cancelled). A host that is unreachable, times out, is not Ollama or refuses us is
        marked down and the next one is tried at once; any other error (missing model, bad
        name) is the answer. Raises the last host's error when no host could serve.
        """

        async def attempt(name: str) -> ResultT:
            return await read(self._clients[name])

        outcome = await self._race(self._candidates(), attempt)
        if isinstance(outcome, _NoneServed):
            raise outcome.last_error or self._no_usable_host()
        return outcome

    async def _race(
        self, names: Sequence[str], attempt: Callable[[str], Awaitable[ResultT]]
    ) -> HostResult[ResultT] | _NoneServed:
        """Run `attempt(name)` on `names` in order, hedged: the next host starts when every
        running attempt has failed over (at once) or been silent for `hedge_delay`.

        The first value wins; an `OllamaError` that is an answer (not a failover error) is
        raised; `_NotListed` skips a host. Attempts still running at the end are cancelled,
        and a host that was outrun after waiting `hedge_delay` is marked degraded (slow).
        """
        queue = list(names)
        running: dict[asyncio.Task[ResultT], tuple[str, float]] = {}
        outcome = _NoneServed()
        winner: str | None = None

        async def run(name: str) -> ResultT:
            return await attempt(name)

        def launch() -> None:
            name = queue.pop(0)
            task: asyncio.Task[ResultT] = asyncio.create_task(run(name), name=f"read on {name}")
            running[task] = (name, time.monotonic())

        try:
            if queue:
                launch()
            while running:
                done, _ = await asyncio.wait(
                    running,
                    timeout=self.hedge_delay if queue else None,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                if not done:  # every running attempt has been silent for hedge_delay
                    launch()
                    continue
                for task in sorted(done, key=lambda finished: names.index(running[finished][0])):
                    name, _ = running.pop(task)
                    try:
                        value = task.result()
                    except FAILOVER_ERRORS as error:
                        self._record_failure(name, error)
                        outcome.last_error = error
                        continue
                    except _NotListed:
                        self._mark_answering(name)
                        outcome.skipped.append(name)
                        continue
                    except StreamError as error:
                        self._record_error(name, error)
                        raise
                    except OllamaError as error:
                        if error.status is not None and error.status >= 500:
                            self._record_error(name, error)  # the host answers but fails
                        else:
                            self._mark_answering(name)  # a refusal (404, 400) proves it is up
                        raise
                    self._mark_answering(name)
                    winner = name
                    return HostResult(name, value)
                if not running and queue:
                    launch()  # every attempt so far failed over: the next host at once
            return outcome
        finally:
            now = time.monotonic()
            for task, (name, started) in running.items():
                task.cancel()
                if winner is not None and now - started >= self.hedge_delay:
                    self._mark_slow(name, now - started, winner)
            if running:
                await asyncio.gather(*running, return_exceptions=True)

    def _mark_slow(self, name: str, waited: float, winner: str) -> None:
        """A host outrun by a hedged read: degraded until its next probe says otherwise."""
        current = self._statuses[name]
        if current.state in ("up", "unknown"):
            self._set_status(
                replace(
                    current,
                    state="degraded",
                    last_error=f"slow: no answer within {waited:.1f} s ({winner} answered)",
                    checked_at=datetime.now(UTC),
                )
            )

    def _no_usable_host(self) -> OllamaError:
        """The error when every host has an unusable address (the first one's)."""
        return next(iter(self._invalid.values()))

    def _mark_answering(self, name: str) -> None:
        """A request succeeded: a host believed down or unknown is evidently up."""
        current = self._statuses[name]
        if current.state in ("down", "unknown"):
            self._failures[name] = 0
            self._set_status(replace(current, state="up", checked_at=datetime.now(UTC)))

    async def list_all(self) -> dict[str, tuple[ModelSummary, ...] | OllamaError]:
        """Every host's models, concurrently; a failing host maps to its error."""

        async def one(name: str) -> tuple[ModelSummary, ...] | OllamaError:
            try:
                models = await self._clients[name].list_models()
            except FAILOVER_ERRORS as error:
                self._record_failure(name, error)
                return error
            except OllamaError as error:
                return error
            self._mark_answering(name)
            return models

        results = dict(
            zip(
                self._clients,
                await asyncio.gather(*(one(name) for name in self._clients)),
                strict=True,
            )
        )
        return {
            name: results[name] if name in results else self._invalid[name] for name in self._order
        }

    async def first_with_model(
        self,
        model: str,
        action: Callable[[OllamaClient], Awaitable[ResultT]],
    ) -> HostResult[ResultT]:
        """Run `action(client)` once, on the first host that can serve and lists `model`.

        The model lists are read like `read_any` (by health, hedged after `hedge_delay`);
        `action` itself runs on one host only, and on a host that cannot serve (marked down)
        the next host that lists the model is used. Raises `ModelNotFound` naming every
        host asked when none has the model, or the last host error when none answered.
        """
        wanted = ModelName.parse(model).key
        asked: list[str] = []
        excluded: set[str] = set()
        last_error: OllamaError | None = None

        async def lists_it(name: str) -> bool:
            models = await self._clients[name].list_models()
            if not any(ModelName.parse(m.name).key == wanted for m in models):
                raise _NotListed(name)
            return True

        while True:
            names = [name for name in self._candidates() if name not in excluded]
            found = await self._race(names, lists_it) if names else _NoneServed()
            if isinstance(found, _NoneServed):
                asked.extend(found.skipped)
                last_error = found.last_error or last_error
                break
            excluded.add(found.host)
            client = self._clients[found.host]
            try:
                value = await action(client)
            except FAILOVER_ERRORS as error:
                self._record_failure(found.host, error)
                last_error = error
                continue
            self._mark_answering(found.host)
            return HostResult(found.host, value)
        if asked:
            ordered = [name for name in self._order if name in asked]
            raise ModelNotFound(
                f"no host has it (asked {', '.join(ordered)})", host=", ".join(ordered), model=model
            )
        raise last_error or self._no_usable_host()

    async def aclose(self) -> None:
        """Stop the monitor and close every client's connections."""
        self.stop_monitor()
        tasks, self._monitor_tasks = self._monitor_tasks, []
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await asyncio.gather(*(client.aclose() for client in self._clients.values()))

    async def __aenter__(self) -> HostPool:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
