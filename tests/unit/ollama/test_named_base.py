"""`named_base`: the one answer to "which installed model was this made FROM", for `/api/show`
details and core facts alike."""

from __future__ import annotations

import pytest

from modelarium.modelfile import ModelFacts
from modelarium.ollama.facts import named_base
from modelarium.ollama.types import ModelDetails

BLOB = "/usr/share/ollama/.ollama/models/blobs/sha256-" + "ab" * 32


@pytest.mark.parametrize("kind", [ModelDetails, ModelFacts])
def test_a_named_parent_is_the_base(kind: type[ModelDetails] | type[ModelFacts]) -> None:
    model = kind(host="demo", name="mine:latest", parent_model="qwen3:8b")
    assert named_base(model) == "qwen3:8b"


@pytest.mark.parametrize(
    "parent", ["", "  ", "/srv/model.gguf", "./model", "~/m.gguf", BLOB, "sha256:" + "ab" * 32]
)
@pytest.mark.parametrize("kind", [ModelDetails, ModelFacts])
def test_no_parent_a_path_or_a_blob_is_no_base(
    kind: type[ModelDetails] | type[ModelFacts], parent: str
) -> None:
    assert named_base(kind(host="demo", name="mine:latest", parent_model=parent)) is None


@pytest.mark.parametrize("kind", [ModelDetails, ModelFacts])
def test_a_parent_that_is_the_model_itself_is_no_base(
    kind: type[ModelDetails] | type[ModelFacts],
) -> None:
    assert named_base(kind(host="demo", name="Qwen3:latest", parent_model="qwen3")) is None


def test_a_cloud_model_has_no_base() -> None:
    remote = ModelDetails(host="demo", name="m:latest", parent_model="b", remote_host="https://x")
    assert named_base(remote) is None
    assert named_base(ModelFacts(name="gpt-oss:120b-cloud", parent_model="gpt-oss")) is None
    assert named_base(ModelFacts(name="m", parent_model="b", remote_model="b")) is None


def test_the_parent_is_trimmed() -> None:
    assert named_base(ModelFacts(name="m", parent_model=" qwen3:8b ")) == "qwen3:8b"
