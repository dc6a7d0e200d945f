"""The demo host's simple routes and router behaviour, checked over HTTP against the API notes."""

from __future__ import annotations

import re
import socket

import httpx
import pytest

from modelarium.demo import DemoServerThread
from modelarium.demo.routes import Request, Response

RFC3339_NANO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$")
SEED_NAMES = {
    "llama3.1:8b", "llama3.2:3b", "llama3.2:latest", "llama3.2-vision:11b", "mistral:7b",
    "mistral-small:24b", "qwen2.5-coder:7b", "qwen3:8b", "granite3.3:8b", "granite4:3b",
    "nomic-embed-text:latest", "qwen3:4b-mlx", "mario/sql-reviewer:latest",
    "mario/llama-pirate:lora",
    "my-reviewer:latest",
}  # fmt: skip


def test_root_says_ollama_is_running(client: httpx.Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.text == "Ollama is running"
    assert response.headers["content-type"] == "text/plain; charset=utf-8"


def test_version(client: httpx.Client) -> None:
    response = client.get("/api/version")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == {"version": "0.33.0-rc2"}


def test_head_is_answered_without_a_body_where_ollama_accepts_it(client: httpx.Client) -> None:
    for path in ("/", "/api/version", "/api/tags"):
        response = client.head(path)
        assert response.status_code == 200, path
        assert response.content == b""
        assert int(response.headers["content-length"]) > 0
    assert client.head("/api/show").status_code == 405
    assert client.head("/api/ps").status_code == 405


def test_tags_lists_the_seed_models_newest_first(client: httpx.Client) -> None:
    models = client.get("/api/tags").json()["models"]
    assert {model["name"] for model in models} == SEED_NAMES
    stamps = [model["modified_at"] for model in models]
    assert all(RFC3339_NANO.match(stamp) for stamp in stamps)
    assert stamps == sorted(stamps, reverse=True)
    for model in models:
        assert model["name"] == model["model"]
        assert re.fullmatch(r"[0-9a-f]{64}", model["digest"])
        assert model["size"] > 0
        assert model["details"]["parent_model"] == ""
        assert set(model["details"]) >= {
            "parent_model", "format", "family", "families", "parameter_size", "quantization_level",
        }  # fmt: skip


def test_tags_details_and_capabilities_of_typical_models(client: httpx.Client) -> None:
    models = {model["name"]: model for model in client.get("/api/tags").json()["models"]}
    llama = models["llama3.2:3b"]
    assert llama["details"] == {
        "parent_model": "",
        "format": "gguf",
        "family": "llama",
        "families": ["llama"],
        "parameter_size": "3.2B",
        "quantization_level": "Q4_K_M",
        "context_length": 131072,
        "embedding_length": 3072,
    }
    assert set(llama["capabilities"]) == {"completion", "tools"}
    assert set(models["qwen2.5-coder:7b"]["capabilities"]) == {"completion", "tools", "insert"}
    assert set(models["qwen3:8b"]["capabilities"]) == {"completion", "tools", "thinking"}
    assert set(models["llama3.2-vision:11b"]["capabilities"]) == {"completion", "vision"}
    assert models["nomic-embed-text:latest"]["capabilities"] == ["embedding"]
    assert models["nomic-embed-text:latest"]["details"]["quantization_level"] == "F16"
    assert models["qwen3:4b-mlx"]["details"]["format"] == "safetensors"
    assert models["mistral:7b"]["capabilities"] == ["completion"]
    # A copy shares the manifest, so the digest is the same.
    assert models["llama3.2:latest"]["digest"] == llama["digest"]


def test_ps_reports_loaded_models_longest_keep_alive_first(client: httpx.Client) -> None:
    models = client.get("/api/ps").json()["models"]
    assert [model["name"] for model in models] == ["llama3.2:3b", "qwen2.5-coder:7b"]
    tags = {model["name"]: model for model in client.get("/api/tags").json()["models"]}
    for model in models:
        assert RFC3339_NANO.match(model["expires_at"])
        assert 0 < model["size_vram"] <= model["size"]
        assert model["context_length"] > 0
        assert model["digest"] == tags[model["name"]]["digest"]
    assert models[1]["size_vram"] < models[1]["size"]


def test_status_and_openai_models(client: httpx.Client) -> None:
    assert client.get("/api/status").json() == {"cloud": {"disabled": False, "source": "default"}}
    listing = client.get("/v1/models").json()
    assert listing["object"] == "list"
    ids = {entry["id"] for entry in listing["data"]}
    assert ids == SEED_NAMES
    owners = {entry["id"]: entry["owned_by"] for entry in listing["data"]}
    assert owners["mario/sql-reviewer:latest"] == "mario"
    assert owners["qwen3:8b"] == "library"
    one = client.get("/v1/models/qwen3:8b")
    assert one.status_code == 200
    assert one.json()["id"] == "qwen3:8b"
    missing = client.get("/v1/models/nope")
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == 'model "nope" not found'


def test_unknown_path_is_a_plain_text_404(client: httpx.Client) -> None:
    response = client.get("/api/nothing")
    assert response.status_code == 404
    assert response.text == "404 page not found"
    assert response.headers["content-type"] == "text/plain"


def test_wrong_method_is_a_plain_text_405(client: httpx.Client) -> None:
    for method, path in (("GET", "/api/show"), ("POST", "/api/tags"), ("POST", "/api/delete")):
        response = client.request(method, path)
        assert response.status_code == 405, (method, path)
        assert response.text == "405 method not allowed"


def test_trailing_slash_redirects_301_for_get_and_307_otherwise(client: httpx.Client) -> None:
    get = client.get("/api/tags/?x=1")
    assert get.status_code == 301
    assert get.headers["location"] == "/api/tags?x=1"
    post = client.post("/api/show/", json={"model": "qwen3:8b"})
    assert post.status_code == 307
    assert post.headers["location"] == "/api/show"
    followed = client.post("/api/show/", json={"model": "qwen3:8b"}, follow_redirects=True)
    assert followed.status_code == 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "missing request body"),
        (b"  \n ", "missing request body"),
        (b"{o", "invalid character 'o' looking for beginning of object key string"),
        (b'{"model": "x"', "unexpected EOF"),
        (b'{"model" "x"}', "invalid character '\"' after object key"),
        (b"[1 2]", "invalid character '2' after array element"),
        (b"nul", "unexpected EOF"),
        (b'{"model": tru}', "invalid character '}' in literal true (expecting 'e')"),
        (b'{"model": 1}',
         "json: cannot unmarshal number into Go struct field ShowRequest.model of type string"),
        (b'{"verbose": "yes"}',
         "json: cannot unmarshal string into Go struct field ShowRequest.verbose of type bool"),
        (b"[]", "json: cannot unmarshal array into Go value of type api.ShowRequest"),
        (b"{}", "model is required"),
        (b"null", "model is required"),
    ],
)  # fmt: skip
def test_bad_bodies_get_the_go_decoder_messages(
    client: httpx.Client, body: bytes, message: str
) -> None:
    response = client.post("/api/show", content=body)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == {"error": message}


def test_only_the_first_json_value_counts(client: httpx.Client) -> None:
    response = client.post("/api/show", content=b'{"model": "qwen3:8b"} trailing garbage')
    assert response.status_code == 200


def test_keys_match_case_insensitively_and_name_is_a_fallback(client: httpx.Client) -> None:
    assert client.post("/api/show", json={"MODEL": "qwen3:8b"}).status_code == 200
    assert client.post("/api/show", json={"Name": "qwen3:8b"}).status_code == 200
    assert client.post("/api/show", json={"model": "", "name": "qwen3:8b"}).status_code == 200


def test_keep_alive_serves_many_requests_on_one_connection(demo: DemoServerThread) -> None:
    with httpx.Client(base_url=demo.url) as http:
        for _ in range(20):
            assert http.get("/api/version").status_code == 200
        for _ in range(5):
            assert http.post("/api/show", json={"model": "qwen3:8b"}).status_code == 200


def test_json_output_escapes_html_characters_like_go(client: httpx.Client) -> None:
    raw = client.post("/api/show", json={"model": "llama3.1:8b"}).text
    assert "<|eot_id|>" not in raw
    assert "\\u003c|eot_id|\\u003e" in raw


def _raw_exchange(demo: DemoServerThread, request: bytes) -> bytes:
    port = int(demo.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
        return received


def test_a_malformed_request_gets_400_and_the_connection_closes(demo: DemoServerThread) -> None:
    answer = _raw_exchange(demo, b"GARBAGE\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert answer.endswith(b"\r\n\r\n400 Bad Request")


def test_chunked_request_bodies_and_http_1_0(demo: DemoServerThread) -> None:
    body = b'{"model":"qwen3:8b"}'
    chunked = _raw_exchange(
        demo,
        b"POST /api/show HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + f"{len(body):x}\r\n".encode() + body
        + b"\r\n0\r\n\r\n",
    )  # fmt: skip
    assert chunked.startswith(b"HTTP/1.1 200 OK\r\n")
    old = _raw_exchange(demo, b"GET /api/version HTTP/1.0\r\n\r\n")
    assert old.startswith(b"HTTP/1.1 200 OK\r\n")
    assert old.endswith(b'{"version":"0.33.0-rc2"}')


def test_a_defect_in_a_route_is_a_500_naming_it(
    demo: DemoServerThread, client: httpx.Client
) -> None:
    async def broken(request: Request) -> Response:
        raise KeyError("details")

    demo.server.router.routes["/api/version"]["GET"] = broken
    response = client.get("/api/version")
    assert response.status_code == 500
    assert response.json() == {"error": "demo host failed on GET /api/version: KeyError('details')"}
    assert client.get("/api/tags").status_code == 200
