"""The client's transports: keep-alive reuse bounded by the client, a server-closed idle
connection noticed and replaced (not reused), and HTTPS left to httpx's verified transport."""

from __future__ import annotations

import asyncio
import socket

import pytest

from modelarium.config import HostConfig
from modelarium.ollama.client import OllamaClient
from modelarium.ollama.transport import socket_is_readable
from modelarium.ollama.types import HostUnreachable, OllamaError

from .fake_servers import AsyncServer, healthy


def test_socket_is_readable_sees_data_and_closed_peers() -> None:
    left, right = socket.socketpair()
    with left, right:
        assert not socket_is_readable(left)
        right.send(b"x")
        assert socket_is_readable(left)
        left.recv(1)
        right.close()
        assert socket_is_readable(left)  # EOF is readable
    assert socket_is_readable(None)


async def test_a_connection_the_server_closed_is_replaced_not_reused() -> None:
    server = AsyncServer(healthy(), close_after=True)
    async with server:
        config = HostConfig("closing", server.url)
        async with OllamaClient(config, retry_delays=()) as client:
            for _ in range(5):
                assert await client.version() == "0.33.0"
                await asyncio.sleep(0.02)  # let the close reach the idle pooled socket
    assert server.connections == 5


async def test_connections_are_kept_alive_and_bounded_by_the_client() -> None:
    async with AsyncServer(healthy()) as server:
        config = HostConfig("pooled", server.url)
        async with OllamaClient(config, max_connections=4) as client:
            for _ in range(10):
                await client.version()
            assert server.connections == 1
            await asyncio.gather(*(client.list_models() for _ in range(40)))
    assert server.connections <= 4
    assert len(server.requests) == 50


async def test_https_hosts_use_httpx_transport_with_tls_verification() -> None:
    from modelarium.ollama.transport import H11Transport

    async with OllamaClient(HostConfig("tls", "https://127.0.0.1:1")) as tls_client:
        transport = tls_client._http._transport
        assert not isinstance(transport, H11Transport)
        with pytest.raises(HostUnreachable):
            await tls_client.version(retry=False)
    async with OllamaClient(HostConfig("plain", "127.0.0.1:1")) as plain_client:
        assert isinstance(plain_client._http._transport, H11Transport)


async def test_token_and_extra_headers_reach_the_host_but_no_message() -> None:
    async with AsyncServer(healthy()) as server:
        config = HostConfig("secured", server.url, token="s3cret", headers={"X-Proxy-Key": "k"})
        async with OllamaClient(config) as client:
            await client.version()
            with pytest.raises(OllamaError) as caught:
                await client.show("missing")
    (first, second) = server.headers
    assert first["authorization"] == "Bearer s3cret"
    assert first["x-proxy-key"] == "k"
    assert first["user-agent"].startswith("modelarium/")
    assert second["content-type"] == "application/json"
    assert "s3cret" not in str(caught.value)
    assert "s3cret" not in repr(client)
