"""The official `ollama` Python client works against the demo host (skipped when not installed).

The package is not a project dependency; install it with `pip install ollama` to run these.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from modelarium.demo import DemoServerThread
from tests.gguf_files import write_header

ollama: Any = pytest.importorskip("ollama")


@pytest.fixture
def official(demo: DemoServerThread) -> Any:
    return ollama.Client(host=demo.url)


def test_list_show_and_ps(official: Any) -> None:
    names = [model.model for model in official.list().models]
    assert "qwen3:8b" in names
    details = official.show("qwen3:8b")
    assert "thinking" in details.capabilities
    assert details.details.family == "qwen3"
    assert details.modelinfo["qwen3.context_length"] == 40960
    assert [model.model for model in official.ps().models] == ["llama3.2:3b", "qwen2.5-coder:7b"]


def test_pull_create_copy_delete_round(official: Any) -> None:
    progress = list(official.pull("tinyllama", stream=True))
    assert progress[0].status == "pulling manifest"
    assert progress[-1].status == "success"
    assert any(p.total and p.completed for p in progress)
    result = official.create(
        model="me/tiny", from_="tinyllama", system="Short answers.", parameters={"num_ctx": 4096}
    )
    assert result.status == "success"
    shown = official.show("me/tiny")
    assert "\nSYSTEM Short answers.\n" in shown.modelfile
    assert "PARAMETER num_ctx 4096" in shown.modelfile
    assert official.copy("me/tiny", "me/tiny2").status == "success"
    assert official.delete("me/tiny2").status == "success"
    assert "me/tiny2:latest" not in [model.model for model in official.list().models]


def test_create_from_an_uploaded_blob(official: Any, tmp_path: Path) -> None:
    data = write_header({"general.architecture": "llama", "general.file_type": 1}, [])
    weights = tmp_path / "model.gguf"
    weights.write_bytes(data)
    digest = official.create_blob(weights)
    assert digest == "sha256:" + hashlib.sha256(data).hexdigest()
    assert official.create(model="me/local", files={"model.gguf": digest}).status == "success"
    assert official.show("me/local").details.quantization_level == "F16"


def test_errors_come_back_as_response_errors(official: Any) -> None:
    with pytest.raises(ollama.ResponseError) as missing:
        official.show("nope")
    assert missing.value.status_code == 404
    assert missing.value.error == "model 'nope:latest' not found"
    with pytest.raises(ollama.ResponseError) as refused:
        list(official.push("qwen3:8b", stream=True))
    assert "unauthorized" in refused.value.error


def test_chat_and_embed_stand_ins(official: Any) -> None:
    reply = official.chat(model="llama3.2", messages=[{"role": "user", "content": "hi"}])
    assert "demo host" in reply.message.content
    streamed = "".join(
        part.message.content
        for part in official.chat(
            model="llama3.2", messages=[{"role": "user", "content": "hi"}], stream=True
        )
    )
    assert streamed == reply.message.content
    assert len(official.embed(model="nomic-embed-text", input="hi").embeddings[0]) == 8
