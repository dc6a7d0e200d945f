"""CORS and the Host-header check, as Ollama's middleware applies them (API notes §4)."""

from __future__ import annotations

import httpx
import pytest

from modelarium.demo.guard import DEFAULT_ORIGINS, guard


def test_no_origin_means_no_cors_headers(client: httpx.Client) -> None:
    response = client.get("/api/version")
    assert "access-control-allow-origin" not in response.headers


def test_an_allowed_origin_is_echoed_with_vary(client: httpx.Client) -> None:
    response = client.get("/api/tags", headers={"Origin": "http://localhost:3000"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert response.headers["vary"] == "Origin"


def test_a_foreign_origin_is_refused_with_an_empty_403(client: httpx.Client) -> None:
    response = client.get("/api/tags", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert response.content == b""


def test_preflight_of_an_allowed_origin(client: httpx.Client) -> None:
    response = client.options(
        "/api/chat",
        headers={"Origin": "app://obsidian.md", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "app://obsidian.md"
    assert response.headers["access-control-allow-methods"] == (
        "GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS"
    )
    assert response.headers["access-control-max-age"] == "43200"
    assert "Authorization" in response.headers["access-control-allow-headers"]


def test_same_origin_as_the_host_skips_cors(client: httpx.Client) -> None:
    host = client.base_url.netloc.decode()
    response = client.get("/api/version", headers={"Origin": f"http://{host}"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("localhost:11434", 200),
        ("127.0.0.1", 200),
        ("192.168.1.20:11434", 200),
        ("[::1]:11434", 200),
        ("ollama.internal", 200),
        ("box.local:11434", 200),
        ("evil.example:11434", 403),
        ("rebind.attacker.com", 403),
    ],
)
def test_host_header_check_on_a_loopback_listener(
    client: httpx.Client, host: str, status: int
) -> None:
    response = client.get("/api/version", headers={"Host": host})
    assert response.status_code == status


def test_wildcards_and_the_star_entry() -> None:
    headers = {"origin": "chrome-extension://abc", "host": "127.0.0.1:11434"}
    assert guard("GET", headers, origins=DEFAULT_ORIGINS, loopback=True).status == 403
    allowed = guard("GET", headers, origins=("chrome-extension://*",), loopback=True)
    assert allowed.status is None
    assert ("Access-Control-Allow-Origin", "chrome-extension://abc") in allowed.headers
    star = guard("GET", headers, origins=("*",), loopback=True)
    assert star.headers == [("Access-Control-Allow-Origin", "*")]
    suffix = guard("GET", {**headers, "origin": "https://a.example.com"},
                   origins=("*.example.com",), loopback=True)  # fmt: skip
    assert suffix.status is None
    foreign_host = guard("GET", {"host": "evil.example"}, origins=DEFAULT_ORIGINS, loopback=False)
    assert foreign_host.status is None
