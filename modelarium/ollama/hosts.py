"""Host addresses (every `OLLAMA_HOST` form), the host pool, its health monitor and failover.

`parse_ollama_host` follows Ollama's `envconfig.Host()`; it is stricter only where Ollama would
silently guess (an unparsable port, characters no host name can hold): those raise
`InvalidHostURL` so a typo is reported instead of connecting somewhere else.

`HostPool` keeps one `OllamaClient` (one pooled `httpx.AsyncClient`) per host. Every probe and
request is bounded by the host's timeout and runs concurrently with the others, so a host that
accepts connections and never answers costs at most one timeout and never blocks another host.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Generic, TypeVar

import httpx

from modelarium.config import HostConfig
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

DEFAULT_PORT = 11434
_HOST_NAME = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$")

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


def parse_ollama_host(value: str) -> str:
    """Normalise an `OLLAMA_HOST`-style address to `scheme://host:port[/path]`.

    `host`, `host:port`, `:port`, `http(s)://host[:port][/path]`, `ollama.com`, IPv6 literals
    with or without brackets; `0.0.0.0`/`::` (bind addresses) become `127.0.0.1`/`::1`.
    """
    raw = value
    text = value.strip().strip("\"'").strip()
    if not text:
        return f"http://127.0.0.1:{DEFAULT_PORT}"

    def bad(reason: str) -> InvalidHostURL:
        return InvalidHostURL(f"{raw!r} is not a host URL: {reason}", host=raw)

    scheme, separator, hostport = text.partition("://")
    default_port = DEFAULT_PORT
    if not separator:
        scheme, hostport = "http", text
        if text == "ollama.com":
            scheme, hostport = "https", "ollama.com:443"
    else:
        scheme = scheme.lower()
        if scheme == "http":
            default_port = 80
        elif scheme == "https":
            default_port = 443
        else:
            raise bad(f"the scheme must be http or https, not {scheme!r}")
    hostport, _, path = hostport.partition("/")
    host, port_text = _split_host_port(hostport)
    if host is None:
        raise bad("the host is malformed")
    if port_text is None:
        port = default_port
    else:
        if not port_text.isdigit() or not 0 < int(port_text) <= 65535:
            raise bad(f"the port {port_text!r} is not a number from 1 to 65535")
        port = int(port_text)
    if not host:
        host = "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if not _HOST_NAME.match(host):
            raise bad(f"{host!r} is not a host name or IP address") from None
        host_text = host
    else:
        if address.is_unspecified:
            address = ipaddress.ip_address("::1" if address.version == 6 else "127.0.0.1")
        host_text = f"[{address}]" if address.version == 6 else str(address)
    path = path.strip("/")
    if any(char.isspace() for char in path):
        raise bad("the path may not contain spaces")
    return f"{scheme}://{host_text}:{port}" + (f"/{path}" if path else "")


def _split_host_port(hostport: str) -> tuple[str | None, str | None]:
    """(host, port or None); host None when the text cannot be a host[:port]."""
    if hostport.startswith("["):
        closing = hostport.find("]")
        if closing < 0:
            return None, None
        host, rest = hostport[1:closing], hostport[closing + 1 :]
        if not rest:
            return host, None
        if not rest.startswith(":"):
            return None, None
        return host, rest[1:]
    if hostport.count(":") > 1:
        return hostport, None  # a bare IPv6 literal such as `::1`
    host, separator, port = hostport.partition(":")
    return host, (port if separator else None)


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
        degraded_latency: float | None = None,
    ) -> None:
        if not hosts:
            raise ValueError("a host pool needs at least one host")
        self.timeout = timeout
        self.degraded_latency = (
            degraded_latency if degraded_latency is not None else max(1.0, timeout / 4)
        )
        """A probe slower than this (seconds) marks the host degraded: a quarter of the
        timeout, at least a second (a version probe that slow is slow on any network)."""
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

    def remove_listener(self, listener: StatusListener) -> None:
        """Stop calling `listener`."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _set_status(self, status: HostStatus) -> None:
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
        """Probe one host's `/api/version` now and record the result."""
        client = self._clients[name]
        started = time.perf_counter()
        checked_at = datetime.now(UTC)
        try:
            version = await client.version(retry=False)
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
        self._set_status(status)
        return status

    async def check_all(self) -> tuple[HostStatus, ...]:
        """Probe every host concurrently; each probe is bounded by the host's timeout."""
        await asyncio.gather(*(self.probe(name) for name in self._clients))
        return self.statuses()

    def start_monitor(self, interval: float = 5.0, *, max_backoff: float = 60.0) -> None:
        """Probe hosts in the background: each every `interval` seconds while up, with
        exponential backoff (up to `max_backoff`) while down. One task per host, so a hanging
        host never delays another's probe. Calling it again restarts the monitor."""
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
        while True:
            status = await self.probe(name)
            await asyncio.sleep(
                next_probe_delay(status.state, self._failures[name], interval, max_backoff)
            )

    def _candidates(self) -> list[str]:
        """Hosts to try, each group in priority order: healthy (up, or not probed yet), then
        degraded, then down (last, since it may have come back)."""
        rank = {"up": 0, "unknown": 0, "degraded": 1, "down": 2}
        return sorted(self._clients, key=lambda name: rank[self._statuses[name].state])

    async def read_any(
        self, read: Callable[[OllamaClient], Awaitable[ResultT]]
    ) -> HostResult[ResultT]:
        """Run `read(client)` on the first host that can serve it, by priority.

        A host that is unreachable, times out, is not Ollama or refuses us is marked down and
        the next one is tried; any other error (missing model, bad name) is the answer.
        Raises the last host's error when no host could serve.
        """
        last_error: OllamaError | None = None
        for name in self._candidates():
            try:
                value = await read(self._clients[name])
            except FAILOVER_ERRORS as error:
                self._record_failure(name, error)
                last_error = error
                continue
            except StreamError as error:
                self._record_error(name, error)
                raise
            except OllamaError as error:
                if error.status is not None and error.status >= 500:
                    self._record_error(name, error)  # the host answers but fails
                else:
                    self._mark_answering(name)  # a refusal (404, 400) still proves it is up
                raise
            self._mark_answering(name)
            return HostResult(name, value)
        raise last_error or self._no_usable_host()

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
        """Run `action(client)` on the first host, by priority, that can serve and has `model`.

        Hosts that cannot serve are skipped (and marked down); raises `ModelNotFound` naming
        every host asked when none has the model, or the last host error when none answered.
        """
        wanted = ModelName.parse(model).key
        asked: list[str] = []
        last_error: OllamaError | None = None
        for name in self._candidates():
            client = self._clients[name]
            try:
                models = await client.list_models()
                if not any(ModelName.parse(m.name).key == wanted for m in models):
                    asked.append(name)
                    continue
                value = await action(client)
            except FAILOVER_ERRORS as error:
                self._record_failure(name, error)
                last_error = error
                continue
            self._mark_answering(name)
            return HostResult(name, value)
        if asked:
            raise ModelNotFound(
                f"no host has it (asked {', '.join(asked)})", host=", ".join(asked), model=model
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
