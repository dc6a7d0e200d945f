"""TLS failures named for what they are: an untrusted certificate, a name mismatch, and an
https:// address pointing at plain HTTP each say so, with the host and how to trust a CA
(`SSL_CERT_FILE`); with `SSL_CERT_FILE` set the same host works, directly and through an
`HTTPS_PROXY` tunnel. Certificates are made by the `openssl` command (skipped without it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from modelarium.config import HostConfig
from modelarium.ollama.client import OllamaClient
from modelarium.ollama.hosts import HostPool
from modelarium.ollama.types import HostUnreachable, TLSError

from .fake_servers import healthy
from .proxy_servers import ForwardProxy, PlainBadRequest, TLSServer, self_signed_certificate

REMOTE = "ollama.internal"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    yield


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    made = self_signed_certificate(tmp_path, "localhost", REMOTE)
    if made is None:
        pytest.skip("the openssl command is not installed: no certificate to test TLS with")
    return made


async def test_an_untrusted_certificate_says_so_and_how_to_trust_a_ca(
    certificate: tuple[Path, Path],
) -> None:
    async with TLSServer(healthy(), *certificate) as server:
        config = HostConfig("secure", f"https://localhost:{server.port}")
        async with OllamaClient(config) as client:
            with pytest.raises(TLSError) as caught:
                await client.version()
    message = str(caught.value)
    assert isinstance(caught.value, HostUnreachable)  # a host that cannot serve: failover
    assert message.startswith(f"secure (https://localhost:{server.port}): TLS certificate of")
    assert "localhost is not trusted" in message
    assert "self-signed certificate" in message
    assert "SSL_CERT_FILE" in message
    assert "operation not permitted" not in message.lower()
    assert server.requests == []  # nothing was sent over the untrusted connection


async def test_ssl_cert_file_makes_the_same_host_trusted(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    async with TLSServer(healthy(), *certificate) as server:
        config = HostConfig("secure", f"https://localhost:{server.port}")
        async with OllamaClient(config) as client:
            assert await client.version() == "0.33.0"


async def test_a_certificate_for_another_name_is_a_mismatch(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    async with TLSServer(healthy(), *certificate) as server:
        config = HostConfig("secure", server.url)  # 127.0.0.1: not a name the certificate has
        async with OllamaClient(config) as client:
            with pytest.raises(TLSError) as caught:
                await client.version()
    assert "TLS certificate of 127.0.0.1 is not trusted" in str(caught.value)
    assert "mismatch" in str(caught.value).lower()
    assert "one of the names in its certificate" in str(caught.value)


async def test_https_to_a_plain_http_server_says_the_handshake_failed() -> None:
    async with PlainBadRequest() as server:
        config = HostConfig("plain", f"https://127.0.0.1:{server.port}")
        async with OllamaClient(config) as client:
            with pytest.raises(TLSError) as caught:
                await client.version()
    message = str(caught.value)
    assert "TLS handshake with 127.0.0.1 failed" in message
    assert "http://" in message  # the hint: write http:// for a plain-HTTP host


async def test_the_health_probe_reports_the_tls_failure(certificate: tuple[Path, Path]) -> None:
    async with TLSServer(healthy(), *certificate) as server:
        config = HostConfig("secure", f"https://localhost:{server.port}")
        async with HostPool([config]) as pool:
            (status,) = await pool.check_all()
    assert status.state == "down"
    assert (status.last_error or "").startswith("TLS certificate of localhost is not trusted")


async def test_an_unreadable_ssl_cert_file_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", "/no/such/ca.pem")
    async with HostPool([HostConfig("secure", "https://gpu.example")]) as pool:
        (status,) = pool.statuses()
    assert status.state == "down"
    assert "SSL_CERT_FILE=/no/such/ca.pem cannot be used" in (status.last_error or "")


async def test_https_through_a_proxy_tunnel(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    async with (
        TLSServer(healthy(), *certificate) as server,
        ForwardProxy({REMOTE: server.port}) as proxy,
    ):
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        config = HostConfig("remote", f"https://{REMOTE}:{server.port}")
        async with OllamaClient(config) as client:
            with pytest.raises(TLSError, match=r"through the proxy 127\.0\.0\.1"):
                await client.version()
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
        async with OllamaClient(config) as client:
            assert await client.version() == "0.33.0"
    assert proxy.requests == [("CONNECT", f"{REMOTE}:{server.port}")] * 2
