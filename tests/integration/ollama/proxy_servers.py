"""A small forward proxy and a TLS server on 127.0.0.1, for the proxy and TLS tests.

`ForwardProxy` resolves host names only it knows (`names`: host -> local port), so a host
such as `ollama.internal` is reachable through it and nowhere else: a request that bypassed
the proxy could not connect. It serves absolute-form HTTP requests (one per connection) and
`CONNECT` tunnels, and records what it was asked.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import ssl
import subprocess
from collections.abc import Mapping
from pathlib import Path

import httpx

from .fake_servers import AsyncServer, Responder


class ForwardProxy:
    """`async with ForwardProxy({"ollama.internal": port}) as proxy`: `proxy.url`,
    `proxy.requests` (method, target), `proxy.headers` (lower-case names, per request)."""

    def __init__(self, names: Mapping[str, int]) -> None:
        self.names = dict(names)
        self.requests: list[tuple[str, str]] = []
        self.headers: list[dict[str, str]] = []
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> ForwardProxy:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._writers.add(writer)
        try:
            await self._one(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self._tasks.discard(task)
            self._writers.discard(writer)
            writer.close()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        request_line, *header_lines = head.rstrip("\r\n").split("\r\n")
        method, target, _ = request_line.split(" ", 2)
        headers = {
            name.strip().lower(): value.strip()
            for name, _, value in (line.partition(":") for line in header_lines)
        }
        self.requests.append((method, target))
        self.headers.append(headers)
        if method == "CONNECT":
            host = target.rpartition(":")[0]
            upstream_port = self.names.get(host)
            if upstream_port is None:
                writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                return
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await writer.drain()
            await _pipe_both(reader, writer, up_reader, up_writer)
            return
        url = httpx.URL(target)
        upstream_port = self.names.get(url.host)
        if upstream_port is None:
            writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        length = int(headers.get("content-length", "0"))
        body = await reader.readexactly(length) if length else b""
        kept = [
            line
            for line in header_lines
            if line.partition(":")[0].strip().lower()
            not in ("connection", "proxy-authorization", "proxy-connection")
        ]
        path = url.raw_path.decode("ascii")
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
        up_writer.write(
            "\r\n".join([f"{method} {path} HTTP/1.1", *kept, "Connection: close", "", ""]).encode(
                "latin-1"
            )
            + body
        )
        await up_writer.drain()
        await _pipe(up_reader, writer)
        up_writer.close()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()


async def _pipe_both(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    up_reader: asyncio.StreamReader,
    up_writer: asyncio.StreamWriter,
) -> None:
    """Relay both ways until either side closes."""
    forward = asyncio.create_task(_pipe(reader, up_writer))
    backward = asyncio.create_task(_pipe(up_reader, writer))
    try:
        await asyncio.wait({forward, backward}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (forward, backward):
            task.cancel()
        await asyncio.gather(forward, backward, return_exceptions=True)
        up_writer.close()


def self_signed_certificate(folder: Path, *names: str) -> tuple[Path, Path] | None:
    """(certificate, key) PEM files for `names` (DNS names) made with the `openssl` command,
    or None when it is not installed."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = folder / "cert.pem", folder / "key.pem"
    san = ",".join(f"DNS:{name}" for name in names)
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-keyout", str(key), "-out", str(cert), "-subj", f"/CN={names[0]}"),
            *("-addext", f"subjectAltName={san}"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


class TLSServer(AsyncServer):
    """`AsyncServer` behind TLS with the given certificate; `url` is https://127.0.0.1:port."""

    def __init__(self, responder: Responder, cert: Path, key: Path) -> None:
        super().__init__(responder)
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(cert, key)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    async def __aenter__(self) -> TLSServer:
        self._server = await asyncio.start_server(
            self._serve, "127.0.0.1", self.port, ssl=self.context
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self


class PlainBadRequest:
    """A plain-HTTP server that answers anything (a TLS hello included) with a 400, as Go's
    HTTP server does: what an `https://` address pointing at a plain Ollama meets."""

    def __init__(self) -> None:
        self._server: asyncio.Server | None = None
        self.port = 0

    async def __aenter__(self) -> PlainBadRequest:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            await reader.read(1024)
            writer.write(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
            await writer.drain()
        writer.close()
