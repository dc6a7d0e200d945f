"""Environment proxies as the ecosystem reads them: `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY` for
non-loopback hosts (also through the h11 transport of plain-HTTP hosts), `NO_PROXY` respected,
loopback never proxied. The remote host is `ollama.internal`, a name only the test's proxy
resolves, so a request that bypassed the proxy could not have been answered.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from modelarium.config import HostConfig
from modelarium.demo import DemoServer, seeded_state
from modelarium.ollama.client import OllamaClient
from modelarium.ollama.transport import H11Transport, environment_proxy

from .proxy_servers import ForwardProxy

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
REMOTE = "ollama.internal"


@pytest.fixture(autouse=True)
def no_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Start every test without proxy variables (either case)."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    yield


@pytest.fixture
async def demo() -> AsyncIterator[DemoServer]:
    server = DemoServer(seeded_state())
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def proxy(demo: DemoServer) -> AsyncIterator[ForwardProxy]:
    async with ForwardProxy({REMOTE: demo.port}) as server:
        yield server


async def test_a_remote_plain_http_host_goes_through_http_proxy(
    proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    async with OllamaClient(HostConfig("remote", f"http://{REMOTE}:11434")) as client:
        assert client.proxy == httpx.URL(proxy.url)
        assert isinstance(client._http._transport, H11Transport)  # the h11 pool, proxied
        models = await client.list_models()
        details = await client.show(models[0].name)
    assert details.name
    assert proxy.requests[:2] == [
        ("GET", f"http://{REMOTE}:11434/api/tags"),
        ("POST", f"http://{REMOTE}:11434/api/show"),
    ]


async def test_all_proxy_applies_when_no_scheme_proxy_is_set(
    proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALL_PROXY", proxy.url)
    async with OllamaClient(HostConfig("remote", f"{REMOTE}:11434")) as client:
        assert await client.version()
    assert proxy.requests == [("GET", f"http://{REMOTE}:11434/api/version")]


async def test_proxy_credentials_are_sent_to_the_proxy_only(
    proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("http_proxy", proxy.url.replace("http://", "http://user:pa55@"))
    async with OllamaClient(HostConfig("remote", f"{REMOTE}:11434")) as client:
        await client.version()
        assert "pa55" not in repr(client)
    assert proxy.headers[0]["proxy-authorization"] == "Basic dXNlcjpwYTU1"


async def test_loopback_hosts_are_never_proxied(
    demo: DemoServer, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, proxy.url)
    for address in (demo.url, f"localhost:{demo.port}", f"http://[::1]:{demo.port}"):
        client = OllamaClient(HostConfig("local", address))
        assert client.proxy is None, address
        await client.aclose()
    async with OllamaClient(HostConfig("local", demo.url)) as client:
        assert await client.list_models()
    assert proxy.requests == []


async def test_no_proxy_names_the_host_so_it_is_not_proxied(
    proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "example.org, .internal")
    async with OllamaClient(HostConfig("remote", f"{REMOTE}:11434")) as client:
        assert client.proxy is None
    assert proxy.requests == []


@pytest.mark.parametrize(
    ("url", "no_proxy", "proxied"),
    [
        ("http://ollama.internal:11434", "", True),
        ("http://ollama.internal:11434", "*", False),
        ("http://ollama.internal:11434", "ollama.internal", False),
        ("http://gpu.ollama.internal:11434", "ollama.internal", False),
        ("http://gpu.ollama.internal:11434", ".ollama.internal", False),
        ("http://notollama.internal:11434", "ollama.internal", True),
        ("http://ollama.internal:11434", "ollama.internal:11434", False),
        ("http://ollama.internal:11434", "ollama.internal:8080", True),
        ("http://10.1.2.3:11434", "10.0.0.0/8", False),
        ("http://10.1.2.3:11434", "10.1.2.3", False),
        ("http://192.168.1.2:11434", "10.0.0.0/8,example.org", True),
        ("http://127.0.0.1:11434", "", False),
        ("http://localhost:11434", "", False),
        ("http://[::1]:11434", "", False),
    ],
)
def test_environment_proxy_choice(
    url: str, no_proxy: str, proxied: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:3128")
    monkeypatch.setenv("NO_PROXY", no_proxy)
    chosen = environment_proxy(url)
    assert (chosen is not None) is proxied
    if proxied:
        assert chosen == httpx.URL("http://127.0.0.1:3128")


def test_scheme_proxy_wins_over_all_proxy_and_a_bare_address_means_http(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ALL_PROXY", "http://all:1")
    monkeypatch.setenv("HTTPS_PROXY", "secure-proxy:3128")
    assert environment_proxy("https://gpu.example:443") == httpx.URL("http://secure-proxy:3128")
    assert environment_proxy("http://gpu.example:11434") == httpx.URL("http://all:1")
