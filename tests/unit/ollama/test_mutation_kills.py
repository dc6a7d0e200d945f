"""Client and name behaviours the mutation run (`benchmarks/mutants.py`, docs/mutation.md)
found unprotected: each test fails under the one-line bug named in its docstring."""

from __future__ import annotations

import asyncio
import socket
import time

import httpx
import pytest

from modelarium.config import HostConfig
from modelarium.modelfile import (
    Element,
    ElementKind,
    build_create_request,
    commands_from_elements,
    parameter_value_text,
)
from modelarium.ollama.client import OllamaClient
from modelarium.ollama.hosts import parse_ollama_host
from modelarium.ollama.names import ModelName
from modelarium.ollama.transport import _Connection
from modelarium.ollama.types import InvalidHostURL, NotOllama


def client_answering(status: int, body: object) -> OllamaClient:
    """A client whose host answers every request with `status` and the JSON `body`."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=body)

    transport = httpx.MockTransport(handler)
    return OllamaClient(HostConfig("box", "http://127.0.0.1:11434"), transport=transport)


async def test_a_redirect_is_not_an_answer_even_with_a_json_body() -> None:
    """Mutant: any status below 400 counts as success. Ollama never redirects its API; a
    3xx comes from something in front of it and must not read as an (empty) model list."""
    async with client_answering(302, {"models": []}) as client:
        with pytest.raises(NotOllama) as raised:
            await client.list_models()
    assert "HTTP 302" in str(raised.value)


async def test_a_boolean_size_is_not_a_size() -> None:
    """Mutant: `true` is taken as the integer 1 (Python's bool is an int)."""
    entry = {"name": "odd:latest", "size": True, "digest": "ab", "details": {}}
    async with client_answering(200, {"models": [entry]}) as client:
        [summary] = await client.list_models()
    assert summary.size == 0


def test_a_host_longer_than_350_characters_is_named_as_too_long() -> None:
    """Mutant: the host limit is 35 characters (Ollama's is 350)."""
    problem = ModelName.parse("h" * 351 + "/library/llama3:latest").problem
    assert problem == "the host is longer than 350 characters"
    assert ModelName.parse("h" * 350 + "/library/llama3:latest").problem is None


def test_the_port_range_ends_at_65535() -> None:
    """Mutant: 65536 accepted (the existing tests tried 70000, far from the edge)."""
    assert parse_ollama_host("gpu-box:65535") == "http://gpu-box:65535"
    with pytest.raises(InvalidHostURL, match="not a number from 1 to 65535"):
        parse_ollama_host("gpu-box:65536")


def test_a_fractional_value_of_an_integer_parameter_is_kept_as_written() -> None:
    """Mutant: `num_ctx 8192.5` is truncated to `8192`. Ollama's create refuses the value;
    extraction must not quietly turn it into a different, valid one."""
    assert parameter_value_text("num_ctx", "8192.5") == "8192.5"
    assert parameter_value_text("num_ctx", "1e+06") == "1000000"


class _Writer:
    """Just enough of an `asyncio.StreamWriter` for `_Connection.is_stale`."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def get_extra_info(self, name: str) -> socket.socket | None:
        return self.sock if name == "socket" else None


def test_a_keep_alive_connection_idle_past_the_expiry_is_stale() -> None:
    """Mutant: the expiry is ignored, so a connection the server has long dropped from its
    own keep-alive is reused (and the request fails on it)."""
    ours, theirs = socket.socketpair()
    try:
        connection = _Connection.__new__(_Connection)
        connection.writer = _Writer(ours)  # type: ignore[assignment]
        connection.idle_since = time.monotonic()
        assert not connection.is_stale(5.0)  # open, quiet, fresh: reusable
        connection.idle_since = time.monotonic() - 10.0
        assert connection.is_stale(5.0)
    finally:
        ours.close()
        theirs.close()


def test_the_named_base_is_the_last_from_as_ollama_create_keeps_it() -> None:
    """Mutant: the first named FROM is taken; Ollama's create keeps the last one. The create
    request built from extracted elements is what re-creates the model, so it is checked."""
    elements = [
        Element(ElementKind.BASE, value="llama3"),
        Element(ElementKind.BASE, value="llama3.2"),
    ]
    request = build_create_request(commands_from_elements(elements), None)
    assert request.body["from"] == "llama3.2"


async def test_a_client_with_its_defaults_has_at_most_eight_requests_in_flight() -> None:
    """Mutant: the default pool bound is 32. The README's host figures are taken at the
    client's default; eight is what a host sees from one Modelarium, however many reads wait."""
    in_flight = 0
    most = 0
    gate = asyncio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await gate.wait()
        in_flight -= 1
        return httpx.Response(200, json={"version": "0.33.0"})

    transport = httpx.MockTransport(handler)
    async with OllamaClient(HostConfig("box", "http://127.0.0.1:11434"), transport=transport) as c:
        reads = [asyncio.create_task(c.version()) for _ in range(20)]
        for _ in range(100):  # let every read that can get a connection reach the host
            await asyncio.sleep(0)
        assert most == 8
        gate.set()
        assert await asyncio.gather(*reads) == ["0.33.0"] * 20
    assert most == 8
