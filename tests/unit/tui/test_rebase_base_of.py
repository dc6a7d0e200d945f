"""The details view's `base_of` shows the base `named_base` names, and asks the host for
nothing when the parent is a blob, a path, a cloud model or the model itself."""

from __future__ import annotations

from typing import cast

import pytest

from modelarium.ollama.client import OllamaClient
from modelarium.ollama.types import ModelDetails, ModelNotFound
from modelarium.tui.models.rebase import base_of

BLOB = "/usr/share/ollama/.ollama/models/blobs/sha256-" + "cd" * 32


class Shows:
    """A client stand-in that records which models were shown."""

    def __init__(self, installed: tuple[str, ...] = ()) -> None:
        self.installed = installed
        self.asked: list[str] = []

    async def show(self, model: str) -> ModelDetails:
        self.asked.append(model)
        if model not in self.installed:
            raise ModelNotFound(f"model {model!r} not found", host="demo", model=model)
        return ModelDetails(host="demo", name=model)


async def test_a_named_parent_is_shown() -> None:
    client = Shows(("qwen3:8b",))
    details = ModelDetails(host="demo", name="mine:latest", parent_model="qwen3:8b")
    base = await base_of(cast(OllamaClient, client), details)
    assert base is not None and base.name == "qwen3:8b"
    assert client.asked == ["qwen3:8b"]


@pytest.mark.parametrize(
    "details",
    [
        ModelDetails(host="demo", name="mine:latest", parent_model=BLOB),
        ModelDetails(host="demo", name="mine:latest", parent_model="./weights"),
        ModelDetails(host="demo", name="mine:latest", parent_model="~/m.gguf"),
        ModelDetails(host="demo", name="mine:latest", parent_model=""),
        ModelDetails(host="demo", name="mine:latest", parent_model="mine"),
        ModelDetails(host="demo", name="m:latest", parent_model="b", remote_model="b"),
    ],
)
async def test_no_named_parent_asks_nothing(details: ModelDetails) -> None:
    client = Shows(("b", "mine:latest"))
    assert await base_of(cast(OllamaClient, client), details) is None
    assert client.asked == []


async def test_a_base_that_is_gone_is_no_base() -> None:
    client = Shows()
    details = ModelDetails(host="demo", name="mine:latest", parent_model="qwen3:8b")
    assert await base_of(cast(OllamaClient, client), details) is None
