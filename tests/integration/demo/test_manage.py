"""Copy, delete, blobs, pull and push on the demo host: state changes, progress and error texts."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import pytest

from modelarium.demo import DemoServerThread
from modelarium.demo.names import parse_name
from tests.gguf_files import write_header
from tests.integration.demo.streams import ndjson, statuses


def tags(client: httpx.Client) -> dict[str, dict[str, Any]]:
    return {model["name"]: model for model in client.get("/api/tags").json()["models"]}


# -- copy ------------------------------------------------------------------------------------


def test_copy_shares_the_manifest_and_gets_a_fresh_time(client: httpx.Client) -> None:
    before = tags(client)["qwen3:8b"]
    response = client.post("/api/copy", json={"source": "qwen3:8b", "destination": "me/q:v1"})
    assert response.status_code == 200
    assert response.content == b""
    after = tags(client)
    assert after["me/q:v1"]["digest"] == before["digest"]
    assert after["me/q:v1"]["modified_at"] > before["modified_at"]
    assert next(iter(after)) == "me/q:v1"
    show = client.post("/api/show", json={"model": "me/q:v1"}).json()
    assert show["details"]["parent_model"] == ""
    assert show["modelfile"].count("# FROM me/q:v1\n") == 1


def test_copy_overwrites_and_onto_itself_is_a_no_op(client: httpx.Client) -> None:
    client.post("/api/copy", json={"source": "qwen3:8b", "destination": "mistral:7b"})
    assert tags(client)["mistral:7b"]["digest"] == tags(client)["qwen3:8b"]["digest"]
    assert client.post("/api/copy", json={"source": "qwen3:8b", "destination": "QWEN3:8B"}
                       ).status_code == 200  # fmt: skip
    assert "QWEN3:8B" not in tags(client)


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"source": "nope", "destination": "x"}, 404, 'model "nope" not found'),
        ({"source": "", "destination": "x"}, 400, 'source "" is invalid'),
        ({"source": "a:", "destination": "x"}, 400, 'source "a:" is invalid'),
        (
            {"source": "qwen3:8b", "destination": "bad name"},
            400,
            'destination "bad name" is invalid',
        ),
        ({"source": "qwen3:8b"}, 400, 'destination "" is invalid'),
    ],
)
def test_copy_errors(client: httpx.Client, body: dict[str, str], status: int, message: str) -> None:
    response = client.post("/api/copy", json=body)
    assert response.status_code == status
    assert response.json() == {"error": message}


# -- delete ----------------------------------------------------------------------------------


def test_delete_removes_the_name_and_unshared_blobs(
    client: httpx.Client, demo: DemoServerThread
) -> None:
    model = demo.state.find(parse_name("mistral-small:24b"))
    assert model is not None
    system_digest = next(layer.digest for layer in model.manifest.layers if layer.kind == "system")
    response = client.request("DELETE", "/api/delete", json={"model": "MISTRAL-SMALL:24b"})
    assert response.status_code == 200
    assert response.content == b""
    assert "mistral-small:24b" not in tags(client)
    assert client.head(f"/api/blobs/{system_digest}").status_code == 404


def test_delete_keeps_blobs_another_name_uses(client: httpx.Client, demo: DemoServerThread) -> None:
    shared = tags(client)["llama3.2:3b"]
    assert client.request("DELETE", "/api/delete", json={"model": "llama3.2:3b"}).status_code == 200
    still = tags(client)["llama3.2:latest"]
    assert still["digest"] == shared["digest"]
    assert client.post("/api/show", json={"model": "llama3.2"}).status_code == 200
    # A loaded model keeps running after delete.
    assert "llama3.2:3b" in {m["name"] for m in client.get("/api/ps").json()["models"]}


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"model": "nope"}, 404, "model 'nope' not found"),
        ({"model": "Nope:V1"}, 404, "model 'Nope:V1' not found"),
        ({"model": ""}, 400, "model is required"),
        ({"model": "a:"}, 400, 'name "a:" is invalid'),
    ],
)
def test_delete_errors(
    client: httpx.Client, body: dict[str, str], status: int, message: str
) -> None:
    response = client.request("DELETE", "/api/delete", json=body)
    assert response.status_code == status
    assert response.json() == {"error": message}


# -- blobs -----------------------------------------------------------------------------------


def test_blob_upload_and_head(client: httpx.Client) -> None:
    data = b"GGUF adapter bytes"
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    assert client.head(f"/api/blobs/{digest}").status_code == 404
    created = client.post(f"/api/blobs/{digest}", content=data)
    assert created.status_code == 201
    assert created.content == b""
    assert client.head(f"/api/blobs/{digest}").status_code == 200
    assert client.head(f"/api/blobs/sha256-{digest[7:]}").status_code == 200
    assert client.post(f"/api/blobs/{digest}", content=b"anything").status_code == 200


def test_blob_errors(client: httpx.Client) -> None:
    wrong = "sha256:" + "a" * 64
    mismatch = client.post(f"/api/blobs/{wrong}", content=b"data")
    assert mismatch.status_code == 400
    actual = "sha256:" + hashlib.sha256(b"data").hexdigest()
    assert mismatch.json() == {"error": f'digest mismatch, expected "{wrong}", got "{actual}"'}
    for bad in ("sha256:abc", "md5:" + "a" * 64, "sha256:" + "g" * 64):
        response = client.post(f"/api/blobs/{bad}", content=b"x")
        assert response.status_code == 400
        assert response.json() == {"error": "invalid digest format"}
        assert client.head(f"/api/blobs/{bad}").status_code == 400
    assert client.get(f"/api/blobs/{wrong}").status_code == 405


def test_seed_model_layers_exist_as_blobs(client: httpx.Client, demo: DemoServerThread) -> None:
    for model in demo.state.list_models():
        for layer in model.manifest.layers:
            assert client.head(f"/api/blobs/{layer.digest}").status_code == 200


# -- pull ------------------------------------------------------------------------------------


def test_pull_streams_progress_and_installs_the_model(client: httpx.Client) -> None:
    response = client.post("/api/pull", json={"model": "tinyllama"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-ndjson"
    lines = ndjson(response)
    assert lines[0] == {"status": "pulling manifest"}
    assert [line["status"] for line in lines[-3:]] == [
        "verifying sha256 digest", "writing manifest", "success",
    ]  # fmt: skip
    blob_lines = [line for line in lines if line["status"].startswith("pulling ")][1:]
    by_digest: dict[str, list[dict[str, Any]]] = {}
    for line in blob_lines:
        assert line["status"] == f"pulling {line['digest'][7:19]}"
        by_digest.setdefault(line["digest"], []).append(line)
    assert len(by_digest) >= 3
    downloaded = 0
    for progress in by_digest.values():
        totals = {line["total"] for line in progress}
        assert len(totals) == 1
        completed = [line.get("completed", 0) for line in progress]
        assert completed == sorted(completed)
        assert completed[-1] == progress[0]["total"]
        if len(progress) == 1:
            continue  # a blob the host already has (the shared Apache license)
        downloaded += 1
        assert "completed" not in progress[0]
        assert len(progress) > 2
    assert downloaded >= 2
    assert "tinyllama:latest" in tags(client)
    show = client.post("/api/show", json={"model": "tinyllama"}).json()
    assert show["details"]["parent_model"] == ""


def test_pulling_a_present_model_gives_one_line_per_blob(client: httpx.Client) -> None:
    lines = ndjson(client.post("/api/pull", json={"model": "qwen3:8b"}))
    blob_lines = [line for line in lines if line["status"].startswith("pulling ")][1:]
    assert blob_lines
    assert all(line["completed"] == line["total"] for line in blob_lines)
    assert len({line["digest"] for line in blob_lines}) == len(blob_lines)


def test_pull_again_after_delete_restores_the_model(client: httpx.Client) -> None:
    digest = tags(client)["granite4:3b"]["digest"]
    client.request("DELETE", "/api/delete", json={"model": "granite4:3b"})
    assert statuses(client.post("/api/pull", json={"model": "granite4:3b"}))[-1] == "success"
    assert tags(client)["granite4:3b"]["digest"] == digest


def test_pull_errors(client: httpx.Client) -> None:
    unknown = client.post("/api/pull", json={"model": "nothing-here"})
    assert unknown.status_code == 200
    assert ndjson(unknown) == [
        {"status": "pulling manifest"},
        {"error": "pull model manifest: file does not exist"},
    ]
    once = client.post("/api/pull", json={"model": "nothing-here", "stream": False})
    assert once.status_code == 500
    assert once.json() == {"error": "pull model manifest: file does not exist"}
    for body in ({"model": ""}, {"model": "a:"}, {}):
        invalid = client.post("/api/pull", json=body)
        assert invalid.status_code == 400
        assert invalid.json() == {"error": "invalid model name"}
    insecure = client.post("/api/pull", json={"model": "http://example.com/me/m"})
    assert insecure.status_code == 500
    assert insecure.json() == {"error": "insecure protocol http"}


def test_pull_stream_false_answers_success(client: httpx.Client) -> None:
    response = client.post("/api/pull", json={"model": "tinyllama", "stream": False})
    assert response.status_code == 200
    assert response.json() == {"status": "success"}


# -- push ------------------------------------------------------------------------------------


def test_push_to_an_own_namespace_streams_and_succeeds(client: httpx.Client) -> None:
    client.post("/api/create", json={"model": "mario/new", "from": "qwen3:8b", "system": "x"})
    lines = ndjson(client.post("/api/push", json={"model": "mario/new"}))
    assert lines[0] == {"status": "retrieving manifest"}
    assert [line["status"] for line in lines[-2:]] == ["pushing manifest", "success"]
    pushing = [line for line in lines if line["status"].startswith("pushing ") and "digest" in line]
    new_blob = [line for line in pushing if line.get("completed") != line["total"]]
    assert new_blob, "the new system layer is uploaded in several steps"
    assert all(line["status"] == f"pushing {line['digest'][7:19]}" for line in pushing)
    # What was pushed can be pulled again after a delete.
    client.request("DELETE", "/api/delete", json={"model": "mario/new"})
    assert statuses(client.post("/api/pull", json={"model": "mario/new"}))[-1] == "success"


def test_push_errors(client: httpx.Client) -> None:
    library = ndjson(client.post("/api/push", json={"model": "qwen3:8b"}))
    assert library[-2:] == [
        {"status": "pushing manifest"},
        {"error": "unauthorized: access denied"},
    ]
    missing = ndjson(client.post("/api/push", json={"model": "me/missing:v1"}))
    assert missing == [
        {"status": "retrieving manifest"},
        {"status": "couldn't retrieve manifest"},
        {
            "error": "open /usr/share/ollama/.ollama/models/manifests/registry.ollama.ai/me/"
            "missing/v1: no such file or directory"
        },
    ]
    empty = client.post("/api/push", json={"model": ""})
    assert empty.status_code == 400
    assert empty.json() == {"error": "model is required"}


def test_a_blob_larger_than_what_is_kept_keeps_its_head_and_full_size(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("modelarium.demo.server._KEPT_BODY", 4096)
    header = write_header({"general.architecture": "llama", "general.file_type": 1}, [])
    data = header + b"\x00" * 100_000
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    assert client.post(f"/api/blobs/{digest}", content=data).status_code == 201
    assert client.head(f"/api/blobs/{digest}").status_code == 200
    created = client.post("/api/create", json={"model": "me/big", "files": {"m.gguf": digest}})
    assert statuses(created)[-1] == "success"
    size = tags(client)["me/big:latest"]["size"]
    assert size > len(data)
    too_big = client.post("/api/show", content=b'{"model": "' + b"x" * 5000 + b'"}')
    assert too_big.status_code == 400
    assert too_big.json() == {"error": "request body of 5013 bytes is too large"}
