"""The HTTP transport of `OllamaClient`: httpx's own, with a cheaper idle-connection check.

Before it hands out a pooled keep-alive connection, httpcore asks every idle connection whether
its socket is readable (a server that closed it). Through anyio each such question rebuilds a
dictionary of socket attributes and calls `getpeername()` first; with a few dozen connections
that dominated the client's CPU per request (see benchmarks/hosts.py). This backend wraps
httpcore's default one and answers the question with the socket it looked up once.

Only `AsyncConnectionPool`'s `network_backend` is replaced (it is fixed by the pinned httpx
0.28 / httpcore 1.x); everything else, TLS verification included, is httpx's transport as is.
"""

from __future__ import annotations

import select
from collections.abc import Iterable
from typing import Any, Protocol

import httpcore
import httpx

SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)


class _HasFileno(Protocol):
    def fileno(self) -> int: ...


def socket_is_readable(sock: _HasFileno | None) -> bool:
    """Whether a read would return at once (data, or the end of a closed connection)."""
    descriptor = -1 if sock is None else sock.fileno()
    if descriptor < 0:
        return True
    poller = select.poll()
    poller.register(descriptor, select.POLLIN)
    return bool(poller.poll(0))


class _Stream(httpcore.AsyncNetworkStream):
    """A network stream whose `is_readable` uses the socket found when it was opened."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        raw = inner.get_extra_info("socket")  # asyncio hands out a TransportSocket wrapper
        self._socket: _HasFileno | None = raw if callable(getattr(raw, "fileno", None)) else None

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and self._socket is not None:
            return socket_is_readable(self._socket)
        return self._inner.get_extra_info(info)


class _Backend(httpcore.AsyncNetworkBackend):
    """httpcore's default backend, handing out `_Stream`s."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return _Stream(stream)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def pooled_transport(*, limits: httpx.Limits, trust_env: bool) -> httpx.AsyncHTTPTransport:
    """httpx's transport (TLS verified) whose pool uses the cheaper idle-connection check."""
    transport = httpx.AsyncHTTPTransport(verify=True, trust_env=trust_env, limits=limits)
    pool = getattr(transport, "_pool", None)
    if isinstance(pool, httpcore.AsyncConnectionPool):
        inner = getattr(pool, "_network_backend", None)
        if isinstance(inner, httpcore.AsyncNetworkBackend):
            pool._network_backend = _Backend(inner)
    return transport
