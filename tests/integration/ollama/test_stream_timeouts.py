"""Pull/push/create streams obey their timeouts: no head within the timeout, or no line for
longer than it, ends the stream with one clear error naming the host and the model; the
silence Ollama keeps while it hashes or converts (after a slow-step status) is allowed longer.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator

import httpx
import pytest

from modelarium.config import HostConfig
from modelarium.demo import DemoServer, FaultPlan, seeded_state
from modelarium.modelfile.create import ModelCreate, build_create_request, model_create
from modelarium.modelfile.parser import parse
from modelarium.ollama.client import SLOW_STEP_STATUSES, STREAM_SLOW_STEP_TIMEOUT, OllamaClient
from modelarium.ollama.types import Progress, RequestTimeout, StreamError


class StallingServer:
    """Answers every request with a 200 ndjson head and `lines`, then sends nothing more while
    keeping the connection open; records when the client closes it."""

    def __init__(self, *lines: dict[str, object]) -> None:
        self.lines = lines
        self.client_closed = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []
        self.url = ""

    async def __aenter__(self) -> StallingServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in self._writers:
            writer.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.append(writer)
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            (
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ),
            0,
        )
        await reader.readexactly(length)
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        for line in self.lines:
            data = json.dumps(line).encode() + b"\n"
            writer.write(b"%x\r\n%s\r\n" % (len(data), data))
        await writer.drain()
        await reader.read()  # b"" once the client has closed the connection
        self.client_closed.set()
        writer.close()


GUARD = 60.0
"""Seconds after which a test gives up instead of hanging on a stream that never ends (a
broken idle timeout would otherwise wait for the 300 s slow-step limit)."""


async def collect(stream: AsyncIterator[Progress]) -> list[Progress]:
    async def drain() -> list[Progress]:
        return [progress async for progress in stream]

    return await asyncio.wait_for(drain(), GUARD)


def test_the_idle_timeout_is_the_request_timeout_by_default() -> None:
    client = OllamaClient(HostConfig("box", "127.0.0.1"), timeout=4)
    assert client.stream_idle_timeout == 4
    assert client.slow_step_timeout == STREAM_SLOW_STEP_TIMEOUT == 300.0
    assert "verifying sha256 digest" in SLOW_STEP_STATUSES


async def test_a_stream_silent_mid_way_ends_with_an_error_naming_host_and_model() -> None:
    got: list[str] = []
    async with StallingServer({"status": "pulling manifest"}) as server:
        config = HostConfig("gpu-box", server.url)
        # Long enough for the first line to arrive on a busy machine, short for the test.
        async with OllamaClient(config, timeout=1.5) as client:

            async def pull_all() -> None:
                async for progress in client.pull("llama3.2"):
                    got.append(progress.status)

            with pytest.raises(StreamError) as caught:
                await asyncio.wait_for(pull_all(), GUARD)
        await asyncio.wait_for(server.client_closed.wait(), 30)  # the response was closed
    assert got == ["pulling manifest"]
    message = str(caught.value)
    assert message.startswith(f"gpu-box ({client.url}): model 'llama3.2': ")
    assert "POST /api/pull stalled: no progress line for 1.5 s after 'pulling manifest'" in message


@pytest.mark.parametrize("route", ["pull", "push", "create"])
async def test_a_host_that_never_answers_a_stream_ends_it_within_the_timeout(route: str) -> None:
    faults = FaultPlan()
    faults.hang(f"/api/{route}")
    demo = DemoServer(seeded_state(), faults=faults)
    await demo.start()
    try:
        async with OllamaClient(HostConfig("stuck", demo.url), timeout=0.4) as client:
            if route == "create":
                stream = client.create(_create_call("me/new"))
            else:
                stream = getattr(client, route)("me/model")
            with pytest.raises(RequestTimeout) as caught:
                await collect(stream)
    finally:
        await demo.stop()
    message = str(caught.value)
    assert "stuck (" in message and "model 'me/" in message
    assert f"no answer to POST /api/{route} within 0.4 s" in message


Step = tuple[float, dict[str, object]]


class Scripted(httpx.AsyncByteStream):
    """ndjson lines with pauses between them: (seconds to wait first, line)."""

    def __init__(self, *steps: Step) -> None:
        self.steps = steps

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for pause, line in self.steps:
            if pause:
                await asyncio.sleep(pause)  # the host working silently, not the test waiting
            yield json.dumps(line).encode() + b"\n"


def scripted_client(*steps: Step, timeout: float) -> OllamaClient:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"content-type": "application/x-ndjson"}, stream=Scripted(*steps)
        )

    return OllamaClient(
        HostConfig("box", "127.0.0.1"),
        timeout=timeout,
        transport=httpx.MockTransport(handler),
        stream_read_timeout=60,
    )


async def test_silence_after_a_slow_step_status_is_allowed_longer() -> None:
    steps: tuple[Step, ...] = (
        (0.0, {"status": "pulling manifest"}),
        (0.0, {"status": "verifying sha256 digest"}),
        (0.6, {"status": "writing manifest"}),
        (0.0, {"status": "success"}),
    )
    async with scripted_client(*steps, timeout=0.2) as client:
        lines = await collect(client.pull("big"))
    assert [line.status for line in lines][-2:] == ["writing manifest", "success"]


async def test_the_same_silence_after_an_ordinary_status_is_an_error() -> None:
    steps: tuple[Step, ...] = (
        (0.0, {"status": "pulling manifest"}),
        (0.6, {"status": "pulling aaaaaaaaaaaa"}),
        (0.0, {"status": "success"}),
    )
    async with scripted_client(*steps, timeout=0.2) as client:
        expected = "no progress line for 0.2 s after 'pulling manifest'"
        with pytest.raises(StreamError, match=re.escape(expected)):
            await collect(client.pull("big"))


def _create_call(model: str) -> ModelCreate:
    """The core's create call for `FROM llama3.2` under `model` (no base licenses)."""
    return model_create(build_create_request(parse("FROM llama3.2\n"), None), model)
