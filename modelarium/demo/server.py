"""The demo host's HTTP/1.1 server: h11 over asyncio streams, one task per connection.

Keep-alive, chunked ndjson streaming, HEAD answers without a body, and fault injection
(`FaultPlan`) applied per request before the route runs. `DemoServerThread` runs the same
server in a background thread with its own event loop, for synchronous callers and the TUI.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import ipaddress
import json
import threading
import time
from email.utils import formatdate
from http import HTTPStatus
from types import TracebackType

import h11

from modelarium.demo.faults import FaultKind, FaultPlan, FaultRule
from modelarium.demo.gojson import go_dumps
from modelarium.demo.guard import guard, origins_from_environment
from modelarium.demo.routes import JSON_TYPE, Request, Response, Router
from modelarium.demo.seed import seeded_state
from modelarium.demo.state import DemoState

_READ_SIZE = 65536
_KEPT_BODY = 64 * 1024 * 1024
"""Bytes of a request body kept in memory; beyond that only its size and SHA-256 are (a blob
upload of a multi-GB GGUF file keeps its header, which is all `create` reads)."""


class DemoServer:
    """A simulated Ollama server on 127.0.0.1 (seeded models unless `state` is given)."""

    def __init__(self, state: DemoState | None = None, *, faults: FaultPlan | None = None) -> None:
        self.state = state if state is not None else seeded_state()
        self.faults = faults if faults is not None else FaultPlan()
        self.router = Router(self.state)
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._host = "127.0.0.1"
        self._port = 0
        self._origins: tuple[str, ...] = ()
        self._loopback = True

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on `host:port` (port 0 picks a free one)."""
        self._origins = origins_from_environment()
        try:
            self._loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            self._loopback = False
        self._server = await asyncio.start_server(self._serve_connection, host, port)
        socket_name = self._server.sockets[0].getsockname()
        self._host, self._port = str(socket_name[0]), int(socket_name[1])

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        """`http://127.0.0.1:<port>`, what an `OLLAMA_HOST` or a client base URL takes."""
        if self._server is None:
            raise RuntimeError("the demo server is not started")
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self._port}"

    async def stop(self) -> None:
        """Stop listening and close every open connection (hanging ones included)."""
        if self._server is not None:
            self._server.close()
        for task in list(self._connections):
            task.cancel()
        if self._connections:
            await asyncio.gather(*self._connections, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    # -- connections -----------------------------------------------------------------------

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        connection = h11.Connection(h11.SERVER)
        try:
            while True:
                try:
                    request = await self._read_request(connection, reader, writer)
                except h11.RemoteProtocolError:
                    await self._send_bad_request(connection, writer)
                    break
                if request is None:
                    break
                keep_open = await self._answer(connection, writer, request)
                if not keep_open or connection.our_state is not h11.DONE:
                    break
                if connection.their_state is not h11.DONE:
                    break
                connection.start_next_cycle()
        except (ConnectionError, h11.LocalProtocolError):
            pass
        except asyncio.CancelledError:
            pass
        finally:
            self._connections.discard(task)
            writer.transport.abort()

    async def _read_request(
        self,
        connection: h11.Connection,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> Request | None:
        head: h11.Request | None = None
        body = bytearray()
        body_hash = hashlib.sha256()
        body_size = 0
        while True:
            event = connection.next_event()
            if event is h11.NEED_DATA:
                if connection.they_are_waiting_for_100_continue:
                    # curl asks before sending a large body; say yes instead of making it wait.
                    continue_head = h11.InformationalResponse(
                        status_code=100, headers=[], reason=b"Continue"
                    )
                    writer.write(connection.send(continue_head) or b"")
                data = await reader.read(_READ_SIZE)
                connection.receive_data(data)
                continue
            if isinstance(event, h11.ConnectionClosed):
                return None
            if isinstance(event, h11.Request):
                head = event
            elif isinstance(event, h11.Data):
                body_hash.update(event.data)
                body_size += len(event.data)
                room = _KEPT_BODY - len(body)
                if room > 0:
                    body += event.data[:room]
            elif isinstance(event, h11.EndOfMessage):
                assert head is not None
                target = head.target.decode("latin-1")
                path, _, query = target.partition("?")
                headers = {
                    name.decode("latin-1").lower(): value.decode("latin-1")
                    for name, value in head.headers
                }
                return Request(
                    method=head.method.decode("ascii").upper(),
                    path=path,
                    query=query,
                    headers=headers,
                    body=bytes(body),
                    body_size=body_size,
                    body_digest="sha256:" + body_hash.hexdigest(),
                )

    async def _send_bad_request(
        self, connection: h11.Connection, writer: asyncio.StreamWriter
    ) -> None:
        if connection.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return
        with contextlib.suppress(h11.LocalProtocolError, ConnectionError):
            body = b"400 Bad Request"
            data = connection.send(
                h11.Response(
                    status_code=400,
                    reason=b"Bad Request",
                    headers=[
                        ("Content-Type", "text/plain; charset=utf-8"),
                        ("Content-Length", str(len(body))),
                        ("Connection", "close"),
                    ],
                )
            )
            writer.write(data + (connection.send(h11.Data(data=body)) or b""))
            writer.write(connection.send(h11.EndOfMessage()) or b"")
            await writer.drain()

    async def _answer(
        self, connection: h11.Connection, writer: asyncio.StreamWriter, request: Request
    ) -> bool:
        """Apply faults, run the route, write the response; False to close the connection."""
        model = _requested_model(request) if self.faults.wants_model else None
        decision = self.faults.decide(request.method, request.path, model)
        if decision.delay > 0:
            await asyncio.sleep(decision.delay)
        rule = decision.terminal
        if rule is not None and rule.kind is FaultKind.HANG:
            await asyncio.Event().wait()
        if rule is not None and rule.kind is FaultKind.DROP:
            return False
        if rule is not None and rule.kind is FaultKind.ERROR:
            body = go_dumps({"error": rule.message}).encode("utf-8")
            response = Response(rule.status, JSON_TYPE, body)
        else:
            outcome = guard(
                request.method, request.headers, origins=self._origins, loopback=self._loopback
            )
            if outcome.status is not None:
                response = Response(outcome.status, None, b"", headers=list(outcome.headers))
            else:
                response = await self._dispatch(request)
                response.headers.extend(outcome.headers)
        cut_after = rule.lines if rule is not None and rule.kind is FaultKind.CUT else None
        return await self._write(connection, writer, request, response, cut_after)

    async def _dispatch(self, request: Request) -> Response:
        """Run the route; a defect in it becomes a 500 naming it, not a dead connection."""
        try:
            return await self.router.dispatch(request)
        except Exception as error:
            message = f"demo host failed on {request.method} {request.path}: {error!r}"
            return Response(500, JSON_TYPE, go_dumps({"error": message}).encode("utf-8"))

    async def _write(
        self,
        connection: h11.Connection,
        writer: asyncio.StreamWriter,
        request: Request,
        response: Response,
        cut_after: int | None,
    ) -> bool:
        headers: list[tuple[str, str]] = []
        if response.content_type is not None:
            headers.append(("Content-Type", response.content_type))
        headers.append(("Date", formatdate(time.time(), usegmt=True)))
        headers.extend(response.headers)
        if response.stream is None:
            headers.append(("Content-Length", str(len(response.body))))
        # One write per plain answer: the head, the body and the end go out together.
        out = bytearray(
            connection.send(
                h11.Response(
                    status_code=response.status, headers=headers, reason=_reason(response.status)
                )
            )
            or b""
        )
        if request.method == "HEAD":
            if response.stream is not None:
                await _close_stream(response)
            out += connection.send(h11.EndOfMessage()) or b""
            writer.write(out)
            await writer.drain()
            return True
        if response.stream is None:
            if cut_after is not None:
                lines = response.body.splitlines(keepends=True)[:cut_after]
                out += connection.send(h11.Data(data=b"".join(lines))) or b""
                writer.write(out)
                await writer.drain()
                return False
            if response.body:
                out += connection.send(h11.Data(data=response.body)) or b""
            out += connection.send(h11.EndOfMessage()) or b""
            writer.write(out)
            await writer.drain()
            return True
        writer.write(out)
        lines_sent = 0
        try:
            async for line in response.stream:
                if cut_after is not None and lines_sent >= cut_after:
                    await writer.drain()
                    return False
                writer.write(connection.send(h11.Data(data=line)) or b"")
                await writer.drain()
                lines_sent += 1
        finally:
            await _close_stream(response)
        if cut_after is not None and lines_sent >= cut_after:
            return False
        writer.write(connection.send(h11.EndOfMessage()) or b"")
        await writer.drain()
        return True


def _reason(status: int) -> bytes:
    """The reason phrase Go writes on the status line (`200 OK`, `404 Not Found`)."""
    try:
        return HTTPStatus(status).phrase.encode("ascii")
    except ValueError:
        return b""


async def _close_stream(response: Response) -> None:
    stream = response.stream
    closer = getattr(stream, "aclose", None)
    if closer is not None:
        await closer()


def _requested_model(request: Request) -> str | None:
    """The model a request body names (`model`, else `name`, any key case), for fault rules."""
    if not request.body or request.body[:1] not in (b"{", b" ", b"\n", b"\t", b"\r"):
        return None
    try:
        value = json.loads(request.body)
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    fields = {str(key).lower(): item for key, item in value.items()}
    for key in ("model", "name", "source"):
        item = fields.get(key)
        if isinstance(item, str) and item:
            return item
    return None


class DemoServerThread:
    """A `DemoServer` running in a background thread's own event loop.

    Use as a context manager, or call `start()`/`stop()`. `.url`, `.state` and `.faults` are
    usable from the calling thread (state and faults are lock-protected).
    """

    def __init__(
        self,
        state: DemoState | None = None,
        *,
        faults: FaultPlan | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.server = DemoServer(state, faults=faults)
        self._host = host
        self._port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def state(self) -> DemoState:
        return self.server.state

    @property
    def faults(self) -> FaultPlan:
        return self.server.faults

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> DemoServerThread:
        """Start the thread and wait until the server listens; raises what start raised."""
        if self._thread is not None:
            return self
        self._thread = threading.Thread(target=self._run, name="modelarium-demo-host", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            error, self._error = self._error, None
            self._thread.join()
            self._thread = None
            raise error
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self.server.start(self._host, self._port))
        except BaseException as error:  # reported to the starting thread
            self._error = error
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self.server.stop())
            loop.close()

    def stop(self) -> None:
        """Stop the server and join the thread."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        self._loop = None
        self._thread = None
        self._ready.clear()

    def __enter__(self) -> DemoServerThread:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


__all__ = ["DemoServer", "DemoServerThread", "FaultPlan", "FaultRule"]
