"""What every pane shares: settings, hosts, the host pool, the library, the clock.

The app owns one `Services` (`app.services`); panes reach it with `services_of(self)`. The
library opens lazily, on the first `LibraryHandle.get()` from a thread worker, so SQLAlchemy is
never imported before the first paint; a database that cannot be opened is reported once as a
clear `LibraryUnavailable` message and the rest of the app keeps working.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from modelarium.config import HostConfig, Settings

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from modelarium.ollama.client import OllamaClient
    from modelarium.ollama.hosts import HostPool
    from modelarium.store import Library


@runtime_checkable
class InstalledModels(Protocol):
    """An app that can name the models the Models pane lists (the editor's FROM completion
    asks the app, so that no pane imports another)."""

    def installed_model_names(self) -> list[str]:
        """Every listed model's name, of every host."""
        ...


class HostNotAvailable(LookupError):
    """No client for that host name (not configured, or not connected yet)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "host not available"


class LibraryUnavailable(Exception):
    """The library database cannot be opened; `str()` is one line naming the database."""


def _open_library(url: str | None) -> Library:
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.store import Library

    return Library.open(url)


class LibraryHandle:
    """Opens the library once, on first use, from whichever thread asks first."""

    def __init__(
        self, url: str | None, opener: Callable[[str | None], Library] = _open_library
    ) -> None:
        self.url = url
        """The configured database URL (None: SQLite in the data folder)."""
        self._opener = opener
        self._lock = threading.Lock()
        self._library: Library | None = None
        self._error: str | None = None

    @property
    def error(self) -> str | None:
        """Why the library could not be opened, once an attempt failed."""
        return self._error

    @property
    def is_open(self) -> bool:
        """True once the library has been opened successfully."""
        return self._library is not None

    def get(self) -> Library:
        """The open library; blocks (call from a thread worker). Raises `LibraryUnavailable`."""
        with self._lock:
            if self._library is not None:
                return self._library
            if self._error is not None:
                raise LibraryUnavailable(self._error)
            try:
                self._library = self._opener(self.url)
            except Exception as error:  # any failure to open is reported, never raised raw
                where = self.url or "the default SQLite library"
                detail = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
                self._error = f"library unavailable ({where}): {detail}"
                raise LibraryUnavailable(self._error) from error
            return self._library

    def close(self) -> None:
        """Close the library if it was opened."""
        with self._lock:
            library, self._library = self._library, None
        if library is not None:
            close = getattr(library, "close", None)
            if callable(close):
                close()


def utc_now() -> datetime:
    """The real clock (tests inject a fixed one so relative times are stable)."""
    return datetime.now(UTC)


@dataclass
class Services:
    """Shared, long-lived resources of one app run."""

    settings: Settings
    hosts: tuple[HostConfig, ...]
    """The hosts in use, in priority order (the demo host alone under `--demo`)."""
    library: LibraryHandle
    clock: Callable[[], datetime] = utc_now
    """Current time, timezone-aware; relative times ("3 days ago") are computed against it."""
    demo: bool = False
    """True when running on the built-in demo host."""
    pool: HostPool | None = field(default=None)
    """One pooled client per host; set by the app when it mounts, closed when it exits."""
    closed: bool = False
    """True once the app has closed the pool: nothing opens another."""
    probe_timeout: float | None = None
    """A health probe's deadline in seconds (None: the pool's own, 1.5 s)."""

    def new_pool(self) -> HostPool:
        """A host pool on these hosts, with the settings' request deadline and this probe
        deadline (not kept: `open_pool` and the app keep theirs)."""
        # Deferred (start-up): httpx is imported after the first paint.
        from modelarium.ollama.hosts import PROBE_TIMEOUT, HostPool

        return HostPool(
            self.hosts,
            timeout=self.settings.request_timeout,
            probe_timeout=self.probe_timeout or PROBE_TIMEOUT,
        )

    def open_pool(self) -> HostPool:
        """The host pool, created on first use. The app creates it right after the first paint
        (importing httpx in a thread first); a model listed before that (the early listing)
        and acted on at once gets it here, rather than an error, at the cost of that import."""
        if self.pool is None:
            if self.closed:
                raise HostNotAvailable("the app is closing: no host is asked any more")
            self.pool = self.new_pool()
        return self.pool

    def client(self, host_name: str) -> OllamaClient:
        """The pooled client of a host, by configured name; raises `HostNotAvailable`."""
        if not any(host.name == host_name for host in self.hosts):
            raise HostNotAvailable(f"{host_name}: no such host is configured")
        pool = self.open_pool()
        if host_name not in pool.names:
            raise HostNotAvailable(f"{host_name}: no such host is configured")
        return pool.client(host_name)


def services_of(node: DOMNode) -> Services:
    """The app's `Services`, from any widget of a Modelarium app (or a test app that has one)."""
    services = getattr(node.app, "services", None)
    if not isinstance(services, Services):
        raise RuntimeError("this widget needs an app with a `services: Services` attribute")
    return services
