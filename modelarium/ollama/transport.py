"""The HTTP transport under `OllamaClient`'s `httpx.AsyncClient`.

Plain-HTTP hosts (the usual Ollama: a LAN address or an SSH tunnel) go through `H11Transport`,
a small HTTP/1.1 keep-alive pool on asyncio streams and h11. httpx's default transport
(httpcore over anyio) spends most of a pooled request's CPU in pool bookkeeping: every
request scans every connection, and each idle one is asked, through anyio, whether its socket
is readable. With 1,000 `/api/show` calls that was several times the server's own CPU (see
benchmarks/hosts.py). HTTPS hosts keep httpx's own transport (TLS verification unchanged),
with only that readability question answered from the socket found at connect time.

Proxies: httpx turns its environment proxies off when a client is given its own transport, so
the choice is made here, once per host (`environment_proxy`): `HTTP_PROXY`, `HTTPS_PROXY` and
`ALL_PROXY` (either case) apply to non-loopback hosts unless `NO_PROXY` names them; loopback
is never proxied. `H11Transport` speaks to an `http://` proxy itself (absolute-form request
targets); an HTTPS host or any other proxy kind goes through httpx's transport with that
proxy. TLS trust honours `SSL_CERT_FILE`/`SSL_CERT_DIR` for every host (`tls_context`).

`H11Transport` raises httpx's exception types (`ConnectError`, `ConnectTimeout`,
`ReadTimeout`, `WriteTimeout`, `ReadError`, `WriteError`, `RemoteProtocolError`), so callers
handle both transports alike. The number of connections is bounded by `OllamaClient`'s
semaphore (one connection per request in flight); idle connections are reused newest first,
dropped after `keepalive_expiry` seconds or when the server has closed them.
"""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import os
import select
import ssl
import time
import urllib.request
from collections.abc import AsyncIterator, Iterable
from typing import Any, Protocol

import h11
import httpcore
import httpx

SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)
READ_CHUNK = 65536


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


class TransportSetupError(ValueError):
    """The environment asks for something this host's transport cannot do (a SOCKS proxy
    without its package, an unreadable `SSL_CERT_FILE`); the text says what and why."""


def is_loopback_host(host: str) -> bool:
    """Whether `host` (a name or an IP literal, brackets removed) is this machine."""
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def environment_proxy(url: str) -> httpx.URL | None:
    """The proxy the environment names for `url`, or None (loopback, `NO_PROXY`, none set).

    `<scheme>_PROXY` (lower case wins, as curl and Python read them), then `ALL_PROXY`;
    `NO_PROXY` entries match the host name or a suffix of it (`.corp`, `corp`), with or
    without the port, and `*` matches every host.
    """
    target = httpx.URL(url)
    if is_loopback_host(target.host):
        return None
    proxies = urllib.request.getproxies_environment()
    port = target.port or (443 if target.scheme == "https" else 80)
    if _bypassed(target.host, port, proxies.get("no", "")):
        return None
    value = proxies.get(target.scheme) or proxies.get("all")
    if not value:
        return None
    return httpx.URL(value if "://" in value else f"http://{value}")


def _bypassed(host: str, port: int, no_proxy: str) -> bool:
    """Whether a `NO_PROXY` list names `host` (and `port`, when the entry has one).

    Entries are comma or space separated: `*`, a host name that also covers its subdomains
    (`corp.example`, `.corp.example`), an IP address, a network (`10.0.0.0/8`), each
    optionally with `:port`.
    """
    host = host.lower().strip("[]")
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address | None = ipaddress.ip_address(host)
    except ValueError:
        address = None
    for raw in no_proxy.replace(",", " ").split():
        entry = raw.lower()
        if entry == "*":
            return True
        name, wanted_port = entry, None
        if entry.startswith("["):  # [v6]:port
            name, _, rest = entry[1:].partition("]")
            wanted_port = rest[1:] if rest.startswith(":") else None
        elif entry.count(":") == 1:
            name, wanted_port = entry.split(":")
        if wanted_port is not None and wanted_port != str(port):
            continue
        if address is not None:
            try:
                if address in ipaddress.ip_network(name, strict=False):
                    return True
            except ValueError:
                pass
            continue
        name = name.lstrip(".")
        if name and (host == name or host.endswith("." + name)):
            return True
    return False


def tls_context() -> ssl.SSLContext:
    """A verifying TLS context: the CAs in `SSL_CERT_FILE`/`SSL_CERT_DIR` when set (how a
    private CA is trusted), else certifi's bundle (httpx's default)."""
    cafile = os.environ.get("SSL_CERT_FILE") or None
    capath = os.environ.get("SSL_CERT_DIR") or None
    if cafile is None and capath is None:
        import certifi

        cafile = certifi.where()
    try:
        return ssl.create_default_context(cafile=cafile, capath=capath)
    except (OSError, ssl.SSLError) as error:
        variable = "SSL_CERT_FILE" if os.environ.get("SSL_CERT_FILE") else "SSL_CERT_DIR"
        where = cafile if variable == "SSL_CERT_FILE" else capath
        reason = getattr(error, "strerror", None) or str(error)
        raise TransportSetupError(
            f"{variable}={where} cannot be used as trusted CAs: {reason}"
        ) from error


def _proxy_authorization(proxy: httpx.URL) -> tuple[bytes, bytes] | None:
    """The `Proxy-Authorization` header for a proxy URL with `user:password@`."""
    if not proxy.username:
        return None
    credentials = f"{proxy.username}:{proxy.password}".encode()
    return b"Proxy-Authorization", b"Basic " + base64.b64encode(credentials)


# h11 transport ----------------------------------------------------------------------------


class _Connection:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.h11 = h11.Connection(h11.CLIENT)
        self.idle_since = time.monotonic()

    def close(self) -> None:
        self.writer.transport.abort()

    def is_stale(self, keepalive_expiry: float) -> bool:
        if time.monotonic() - self.idle_since > keepalive_expiry:
            return True
        return socket_is_readable(self.writer.get_extra_info("socket"))


def _next_event(connection: _Connection, request: httpx.Request) -> Any:
    """h11's next event; a protocol violation or an early close becomes httpx's error."""
    try:
        return connection.h11.next_event()
    except h11.RemoteProtocolError as error:
        raise httpx.RemoteProtocolError(
            f"Server disconnected or broke HTTP/1.1: {error}", request=request
        ) from error


def _timeouts(request: httpx.Request) -> dict[str, float | None]:
    timeouts: dict[str, float | None] = request.extensions.get("timeout", {})
    return timeouts


class _ResponseStream(httpx.AsyncByteStream):
    """The response body, read event by event; a fully read body returns the connection."""

    def __init__(
        self,
        transport: H11Transport,
        key: tuple[str, str, int],
        connection: _Connection,
        request: httpx.Request,
    ) -> None:
        self._transport = transport
        self._key = key
        self._connection = connection
        self._request = request
        self._done = False
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        read_timeout = _timeouts(self._request).get("read")
        connection = self._connection
        while not self._done:
            event = _next_event(connection, self._request)
            if event is h11.NEED_DATA:
                await self._transport.receive(connection, self._request, read_timeout)
                continue
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                self._done = True
            elif isinstance(event, h11.ConnectionClosed):
                raise httpx.RemoteProtocolError(
                    "the server closed the connection mid-body", request=self._request
                )

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._transport.release(self._key, self._connection, reusable=self._done)


class H11Transport(httpx.AsyncBaseTransport):
    """A minimal HTTP/1.1 keep-alive pool for plain-HTTP hosts (see the module docstring);
    with `proxy` (an `http://` proxy URL) every connection goes to the proxy, and requests
    name their absolute URL, as HTTP/1.1 forward proxies expect."""

    def __init__(self, *, keepalive_expiry: float = 5.0, proxy: httpx.URL | None = None) -> None:
        if proxy is not None and proxy.scheme != "http":
            raise ValueError("H11Transport speaks only to http:// proxies")
        self.keepalive_expiry = keepalive_expiry
        self.proxy = proxy
        self._proxy_authorization = None if proxy is None else _proxy_authorization(proxy)
        self._idle: dict[tuple[str, str, int], list[_Connection]] = {}

    async def _connect(self, key: tuple[str, str, int], request: httpx.Request) -> _Connection:
        _, host, port = key
        if self.proxy is not None:
            host, port = self.proxy.host, self.proxy.port or 80
        timeout = _timeouts(request).get("connect")
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(host, port, limit=READ_CHUNK * 4)
        except TimeoutError:
            raise httpx.ConnectTimeout("connect timed out", request=request) from None
        except OSError as error:
            raise httpx.ConnectError(str(error), request=request) from error
        return _Connection(reader, writer)

    def _reuse(self, key: tuple[str, str, int]) -> _Connection | None:
        idle = self._idle.get(key)
        while idle:
            connection = idle.pop()
            if connection.is_stale(self.keepalive_expiry):
                connection.close()
                continue
            return connection
        return None

    def release(
        self, key: tuple[str, str, int], connection: _Connection, *, reusable: bool
    ) -> None:
        """Return a connection after its response: to the idle pool, or closed."""
        state = connection.h11
        if reusable and state.our_state is h11.DONE and state.their_state is h11.DONE:
            try:
                state.start_next_cycle()
            except h11.LocalProtocolError:
                connection.close()
                return
            connection.idle_since = time.monotonic()
            self._idle.setdefault(key, []).append(connection)
        else:
            connection.close()

    async def receive(
        self, connection: _Connection, request: httpx.Request, timeout: float | None
    ) -> None:
        """Read more bytes into the connection's h11 state (b"" at end of stream)."""
        try:
            async with asyncio.timeout(timeout):
                data = await connection.reader.read(READ_CHUNK)
        except TimeoutError:
            raise httpx.ReadTimeout("read timed out", request=request) from None
        except OSError as error:
            raise httpx.ReadError(str(error) or type(error).__name__, request=request) from error
        try:
            connection.h11.receive_data(data)
        except h11.RemoteProtocolError as error:
            raise httpx.RemoteProtocolError(str(error), request=request) from error

    async def _send(self, connection: _Connection, request: httpx.Request) -> None:
        """Write the request; the write timeout applies to each write, as in httpx."""
        write_timeout = _timeouts(request).get("write")
        headers = [(name, value) for name, value in request.headers.raw]
        target = request.url.raw_path
        if self.proxy is not None:
            target = str(request.url).encode("ascii")
            if self._proxy_authorization is not None:
                headers.append(self._proxy_authorization)
        head = h11.Request(method=request.method, target=target, headers=headers)

        try:
            pending = bytearray(connection.h11.send(head) or b"")
        except h11.LocalProtocolError as error:
            raise httpx.LocalProtocolError(str(error), request=request) from error

        async def write(event: h11.Data | h11.EndOfMessage) -> None:
            # The head goes out with the first body bytes: one segment for a small request.
            pending.extend(connection.h11.send(event) or b"")
            async with asyncio.timeout(write_timeout):
                connection.writer.write(bytes(pending))
                await connection.writer.drain()
            pending.clear()

        try:
            assert isinstance(request.stream, httpx.AsyncByteStream)
            async for chunk in request.stream:
                if chunk:
                    await write(h11.Data(data=chunk))
            await write(h11.EndOfMessage())
        except TimeoutError:
            raise httpx.WriteTimeout("write timed out", request=request) from None
        except OSError as error:
            raise httpx.WriteError(str(error) or type(error).__name__, request=request) from error
        except h11.LocalProtocolError as error:
            raise httpx.LocalProtocolError(str(error), request=request) from error

    async def _response_head(self, connection: _Connection, request: httpx.Request) -> h11.Response:
        read_timeout = _timeouts(request).get("read")
        while True:
            event = _next_event(connection, request)
            if event is h11.NEED_DATA:
                await self.receive(connection, request, read_timeout)
                continue
            if isinstance(event, h11.InformationalResponse):
                continue
            if isinstance(event, h11.Response):
                return event
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        key = (url.scheme, url.host, url.port or (443 if url.scheme == "https" else 80))
        connection = self._reuse(key) or await self._connect(key, request)
        try:
            await self._send(connection, request)
            head = await self._response_head(connection, request)
        except BaseException:
            connection.close()
            raise
        return httpx.Response(
            status_code=head.status_code,
            headers=[(bytes(name), bytes(value)) for name, value in head.headers],
            stream=_ResponseStream(self, key, connection, request),
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": bytes(head.reason)},
        )

    async def aclose(self) -> None:
        for idle in self._idle.values():
            for connection in idle:
                connection.close()
        self._idle.clear()


# httpx's transport, for HTTPS -------------------------------------------------------------


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


def tls_transport(
    *,
    limits: httpx.Limits,
    verify: ssl.SSLContext | None = None,
    proxy: httpx.URL | None = None,
) -> httpx.AsyncHTTPTransport:
    """httpx's transport (TLS verified, through `proxy` when given) whose pool uses the
    cheaper idle-connection check."""
    try:
        transport = httpx.AsyncHTTPTransport(
            verify=verify if verify is not None else tls_context(),
            trust_env=False,
            limits=limits,
            proxy=None if proxy is None else httpx.Proxy(proxy),
        )
    except ImportError as error:  # httpx needs `socksio` for socks5:// proxies
        raise TransportSetupError(
            f"the proxy {_redacted(proxy)} cannot be used: {error}"
        ) from error
    pool = getattr(transport, "_pool", None)
    if isinstance(pool, httpcore.AsyncConnectionPool):
        inner = getattr(pool, "_network_backend", None)
        if isinstance(inner, httpcore.AsyncNetworkBackend):
            pool._network_backend = _Backend(inner)
    return transport


def _redacted(proxy: httpx.URL | None) -> str:
    """A proxy URL without its password (for messages)."""
    if proxy is None:
        return "(none)"
    return str(proxy.copy_with(userinfo=b""))


def pooled_transport(
    url: str, *, limits: httpx.Limits, proxy: httpx.URL | None = None
) -> httpx.AsyncBaseTransport:
    """The transport for a host: `H11Transport` for http:// (direct, or through an http://
    proxy), httpx's own for https:// and for other proxy kinds (HTTPS, SOCKS)."""
    keepalive = limits.keepalive_expiry or 5.0
    if httpx.URL(url).scheme == "http" and (proxy is None or proxy.scheme == "http"):
        return H11Transport(keepalive_expiry=keepalive, proxy=proxy)
    return tls_transport(limits=limits, proxy=proxy)
