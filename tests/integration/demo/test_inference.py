"""The inference stand-ins: fixed answers, and loading/unloading models the way clients do it."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.integration.demo.streams import ndjson


def loaded(client: httpx.Client) -> dict[str, str]:
    return {m["name"]: m["expires_at"] for m in client.get("/api/ps").json()["models"]}


def test_an_empty_generate_loads_and_keep_alive_zero_unloads(client: httpx.Client) -> None:
    assert "qwen3:8b" not in loaded(client)
    response = client.post("/api/generate", json={"model": "qwen3:8b"})
    assert response.status_code == 200
    body = response.json()
    assert (body["model"], body["response"], body["done"], body["done_reason"]) == (
        "qwen3:8b", "", True, "load",
    )  # fmt: skip
    assert "qwen3:8b" in loaded(client)
    gone = client.post("/api/generate", json={"model": "qwen3:8b", "keep_alive": 0}).json()
    assert gone["done_reason"] == "unload"
    assert "qwen3:8b" not in loaded(client)


def test_keep_alive_sets_the_expiry(client: httpx.Client) -> None:
    client.post("/api/chat", json={"model": "mistral:7b", "messages": [], "keep_alive": "2h"})
    client.post("/api/chat", json={"model": "granite4:3b", "messages": [], "keep_alive": -1})
    times = loaded(client)
    assert times["granite4:3b"].startswith("2")
    assert times["granite4:3b"][:4] > "2200"
    assert times["mistral:7b"] > times["llama3.2:3b"]
    names = list(loaded(client))
    assert names[0] == "granite4:3b"


@pytest.mark.parametrize(
    ("keep_alive", "message"),
    [
        ("-1", 'time: missing unit in duration "-1"'),
        ("soon", 'time: invalid duration "soon"'),
    ],
)
def test_bad_keep_alive(client: httpx.Client, keep_alive: str, message: str) -> None:
    response = client.post("/api/generate", json={"model": "qwen3:8b", "keep_alive": keep_alive})
    assert response.status_code == 400
    assert response.json() == {"error": message}


def test_chat_streams_a_fixed_answer_and_loads_the_model(client: httpx.Client) -> None:
    response = client.post(
        "/api/chat", json={"model": "llama3.2", "messages": [{"role": "user", "content": "hi"}]}
    )
    lines = ndjson(response)
    assert all(line["model"] == "llama3.2" for line in lines)
    assert lines[-1]["done"] is True
    assert lines[-1]["done_reason"] == "stop"
    text = "".join(line["message"]["content"] for line in lines)
    assert text.startswith("This is the Modelarium demo host.")
    assert "llama3.2:latest" in loaded(client)


def test_generate_without_streaming(client: httpx.Client) -> None:
    body = client.post(
        "/api/generate", json={"model": "qwen3:8b", "prompt": "hi", "stream": False}
    ).json()
    assert body["response"].startswith("This is the Modelarium demo host.")
    assert body["done"] is True


def test_inference_errors_and_embeddings(client: httpx.Client) -> None:
    missing = client.post("/api/chat", json={"model": "nope", "messages": []})
    assert missing.status_code == 404
    assert missing.json() == {"error": "model 'nope' not found"}
    assert client.post("/api/generate", json={}).json() == {"error": "model is required"}
    embed = client.post("/api/embed", json={"model": "nomic-embed-text", "input": "hi"}).json()
    assert embed["model"] == "nomic-embed-text:latest"
    assert len(embed["embeddings"][0]) == 8
    legacy = client.post("/api/embeddings", json={"model": "nomic-embed-text", "prompt": "hi"})
    assert len(legacy.json()["embedding"]) == 8


def test_a_model_whose_keep_alive_ran_out_is_no_longer_loaded(client: httpx.Client) -> None:
    client.post("/api/generate", json={"model": "qwen3:8b", "keep_alive": 0.2})
    assert "qwen3:8b" in loaded(client)
    time.sleep(0.3)
    assert "qwen3:8b" not in loaded(client)
