"""`from_model`: the installed model a Modelfile's last FROM names, by the core's FROM rule,
which the editor and `modelfile lint --host` check the text against."""

from __future__ import annotations

import pytest

from modelarium.ollama.model_check import from_model

DIGEST = "0123456789abcdef" * 4


@pytest.mark.parametrize(
    "value",
    ["qwen3:8b", "hf.co/org/repo:Q4_K_M", "registry.ollama.ai/library/llama3:8b"],
)
def test_a_model_name_is_the_model(value: str) -> None:
    assert from_model(f"FROM {value}\nSYSTEM hi\n") == value


@pytest.mark.parametrize(
    "value",
    [
        "./x.gguf",
        "/abs/path",
        "~/m.gguf",
        "C:\\m.gguf",
        "..\\x",
        "x.safetensors",
        f"blobs/sha256-{DIGEST}",
        f"/root/.ollama/models/blobs/sha256-{DIGEST}",
        f"sha256:{DIGEST}",
    ],
)
def test_files_and_blobs_name_no_model(value: str) -> None:
    assert from_model(f"FROM {value}\n") is None


def test_the_last_from_wins_and_its_blanks_are_dropped() -> None:
    assert from_model("FROM ./x.gguf\nFROM   qwen3:8b  \n") == "qwen3:8b"
    assert from_model("FROM qwen3:8b\nFROM ./x.gguf\n") is None


@pytest.mark.parametrize("text", ["", "SYSTEM hi\n", '# FROM qwen3\nSYSTEM """open\n'])
def test_no_from_names_no_model(text: str) -> None:
    assert from_model(text) is None


def test_a_from_before_a_parse_error_still_counts() -> None:
    """The editor checks the model while the rest of the text is still being typed."""
    assert from_model('FROM qwen3:8b\nSYSTEM """open\n') == "qwen3:8b"
