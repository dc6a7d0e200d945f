"""Small real-socket servers on 127.0.0.1 for the failure modes the demo host does not play:
one that accepts and never answers, one that is not Ollama (HTML 200), a proxy answering 401,
and a minimal healthy Ollama stand-in. Async versions run in the test's loop; `ThreadedServer`
runs any of them in a background thread for the synchronous CLI tests.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Callable, Mapping
from types import TracebackType

Responder = Callable[[str, str], tuple[int, str, bytes] | None]
"""(method, path) -> (status, content type, body), or None to never answer."""


def free_port() -> int:
    """A port on 127.0.0.1 with nothing listening (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def hanging(method: str, path: str) -> None:
    """Accept, read the request, never answer."""
    return None


def html_page(method: str, path: str) -> tuple[int, str, bytes]:
    """Some web server that is not Ollama: every path is an HTML page."""
    return 200, "text/html; charset=utf-8", b"<!doctype html><html><body>Welcome</body></html>"


def unauthorized(method: str, path: str) -> tuple[int, str, bytes]:
    """A reverse proxy that wants a token."""
    return 401, "text/html", b"<html><body><h1>401 Authorization Required</h1></body></html>"


def healthy(models: Mapping[str, str] | None = None) -> Responder:
    """A minimal Ollama: `/api/version`, `/api/tags` with `models` (name -> digest), and a
    `/api/show` that never finds the model."""
    listed = dict(models or {"tiny:latest": "ab" * 32})

    def respond(method: str, path: str) -> tuple[int, str, bytes]:
        if path == "/api/version":
            return 200, "application/json; charset=utf-8", b'{"version":"0.33.0"}'
        if path == "/api/tags":
            entries = [
                {
                    "name": name,
                    "model": name,
                    "digest": digest,
                    "size": 1,
                    "modified_at": "2026-01-02T03:04:05.123456789Z",
                    "details": {"family": "llama", "families": None},
                }
                for name, digest in listed.items()
            ]
            return 200, "application/json; charset=utf-8", json.dumps({"models": entries}).encode()
        if path == "/api/show":
            body = {"error": "model 'nope:latest' not found"}
            return 404, "application/json; charset=utf-8", json.dumps(body).encode()
        return 404, "text/plain", b"404 page not found"

    return respond


class AsyncServer:
    """A real HTTP/1.1 server in the running loop; `async with AsyncServer(responder) as s`."""

    def __init__(self, responder: Responder, port: int = 0, *, close_after: bool = False) -> None:
        self.responder = responder
        self.close_after = close_after
        """Close each connection right after its first answer (without saying so in headers)."""
        self.connections = 0
        self.requests: list[tuple[str, str]] = []
        self._arrived = asyncio.Event()
        """Set as each request arrives (`requests_seen`)."""
        self.headers: list[dict[str, str]] = []
        """Each request's headers (lower-case names)."""
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> AsyncServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._open):
            writer.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    async def requests_seen(self, count: int) -> None:
        """Wait until `count` requests have arrived."""
        while len(self.requests) < count:
            self._arrived.clear()
            await self._arrived.wait()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._open.add(writer)
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line, *header_lines = head.decode("latin-1").split("\r\n")
                method, path, _ = request_line.split(" ", 2)
                length = 0
                headers: dict[str, str] = {}
                for line in header_lines:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                self.headers.append(headers)
                if length:
                    await reader.readexactly(length)
                self.requests.append((method, path))
                self._arrived.set()
                answer = self.responder(method, path)
                if answer is None:
                    await asyncio.Event().wait()  # never answer; closed by __aexit__
                    return
                status, content_type, body = answer
                writer.write(
                    f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n".encode("latin-1")
                    + (b"" if method == "HEAD" else body)
                )
                await writer.drain()
                if self.close_after:
                    return
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self._open.discard(writer)
            self._tasks.discard(task)
            writer.close()


class ThreadedServer:
    """An `AsyncServer` on its own loop in a daemon thread (for synchronous CLI tests)."""

    def __init__(self, responder: Responder) -> None:
        self._server = AsyncServer(responder)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return self._server.url

    def _run(self) -> None:
        async def main() -> None:
            self._stop = asyncio.Event()
            async with self._server:
                self._ready.set()
                await self._stop.wait()

        self._loop.run_until_complete(main())
        self._loop.close()

    def __enter__(self) -> ThreadedServer:
        self._thread.start()
        if not self._ready.wait(5):
            raise RuntimeError("the fake server did not start")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        stop = self._stop
        assert stop is not None
        self._loop.call_soon_threadsafe(stop.set)
        self._thread.join(5)
