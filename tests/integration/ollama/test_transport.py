"""The client's transport: the cheaper idle-connection check still notices a server that closed
a pooled keep-alive connection, so the next request reconnects instead of failing."""

from __future__ import annotations

import asyncio
import socket

from modelarium.config import HostConfig
from modelarium.ollama.client import OllamaClient
from modelarium.ollama.transport import socket_is_readable

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
