"""`from_base`: what a FROM value names (a model, local files, a weights blob), as Ollama's
create decides it, and the host-side `named_base` every "made FROM" question asks."""

from __future__ import annotations

from pathlib import Path

import pytest

from modelarium.modelfile import FromBase, from_base, from_commands, is_blob_path, scan_cached

DIGEST = "0123456789abcdef" * 4


@pytest.mark.parametrize(
    "value", ["llama3", "qwen3:8b", "ns/model:tag", "registry.local:5000/a/b:c"]
)
def test_a_name_is_a_model(value: str) -> None:
    found = from_base(value)
    assert found == FromBase("model", value)
    assert found.model == value


@pytest.mark.parametrize(
    "value",
    ["/models/x.gguf", "./weights", "../up/model.gguf", ".", "~", "~/m.gguf", "~nobody/m", "\\m"],
)
def test_path_forms_are_paths_even_when_nothing_is_there(value: str) -> None:
    found = from_base(value)
    assert found.kind == "path"
    assert found.model is None


@pytest.mark.parametrize(
    "value",
    [
        f"/usr/share/ollama/.ollama/models/blobs/sha256-{DIGEST}",
        f"/root/.ollama/models/blobs/sha256:{DIGEST}",
        f"C:\\Users\\me\\.ollama\\models\\blobs\\sha256-{DIGEST}",
        f"sha256:{DIGEST}",
        f"sha256-{DIGEST}",
        f"@sha256:{DIGEST}",
    ],
)
def test_blob_paths_and_digests_are_blobs(value: str) -> None:
    found = from_base(value)
    assert found.kind == "blob"
    assert found.model is None


def test_a_short_digest_is_not_a_blob() -> None:
    """Only a whole digest is a blob: `sha256:abc` is just a (bad) name the server judges."""
    assert from_base("sha256:abc").kind == "model"


@pytest.mark.parametrize("value", ["", "   ", "\t"])
def test_an_empty_value_names_nothing(value: str) -> None:
    assert from_base(value) == FromBase("none", value)


def test_a_name_that_exists_next_to_the_modelfile_is_local_files(tmp_path: Path) -> None:
    """Ollama's quirk: `FROM llama3` with a `llama3` folder next to the Modelfile uploads it."""
    (tmp_path / "llama3").mkdir()
    assert from_base("llama3", directory=tmp_path).kind == "path"
    assert from_base("qwen3", directory=tmp_path).kind == "model"
    assert from_base("llama3").kind == "model"  # no folder: the value is read as a name


def test_a_path_create_cannot_stat_is_still_a_path(tmp_path: Path) -> None:
    """A name too long to stat makes create fail reading it as a path, not send it as a name."""
    assert from_base("a" * 5000, directory=tmp_path).kind == "path"


@pytest.mark.parametrize(
    "value",
    [
        "qwen3:8b",
        "hf.co/org/repo:Q4_K_M",
        "registry.ollama.ai/library/llama3:8b",
        "llama3.2",
        "me/model-gguf:latest",
    ],
)
def test_names_of_every_form_are_models(value: str) -> None:
    assert from_base(value).model == value


@pytest.mark.parametrize(
    "value",
    [
        "./x.gguf",
        "/abs/path",
        "~/m.gguf",
        "C:\\m.gguf",
        "C:/models/m.gguf",
        "..\\x",
        "weights\\model.gguf",
        "x.gguf",
        "model.BIN",
        "model-00001-of-00002.safetensors",
    ],
)
def test_paths_windows_paths_and_weights_files_are_not_models(value: str) -> None:
    """No model name holds a `\\` or a drive; a weights file name with no folder to look in
    is the file it names (the editor's text has none)."""
    found = from_base(value)
    assert found.kind == "path"
    assert found.model is None


def test_a_weights_file_name_with_a_folder_is_decided_as_create_does(tmp_path: Path) -> None:
    """With the Modelfile's folder, create's rule decides: a file there is local files, a
    missing one goes to the server raw as a name."""
    (tmp_path / "here.gguf").write_bytes(b"GGUF")
    assert from_base("here.gguf", directory=tmp_path).kind == "path"
    assert from_base("gone.gguf", directory=tmp_path).kind == "model"
    assert from_base("C:\\m.gguf", directory=tmp_path).kind == "path"


@pytest.mark.parametrize(
    "value",
    [
        f"blobs/sha256-{DIGEST}",
        f"/root/.ollama/models/blobs/sha256-{DIGEST}",
        f"/usr/share/ollama/.ollama/models/blobs/sha256:{DIGEST}",
        f"C:\\Users\\me\\.ollama\\models\\blobs\\sha256-{DIGEST.upper()}",
        f"  /root/.ollama/models/blobs/sha256-{DIGEST}\n",
    ],
)
def test_host_blob_paths_are_blob_paths_and_blobs(value: str) -> None:
    assert is_blob_path(value)
    assert from_base(value).kind == "blob"


@pytest.mark.parametrize(
    "value",
    [
        f"sha256-{DIGEST}",  # a bare digest is a blob parent, not a path in a models folder
        f"sha256:{DIGEST}",
        f"/root/.ollama/models/blobs/sha256-{DIGEST[:-1]}",
        f"/root/.ollama/models/blobs/sha256-{DIGEST}0",
        f"/root/.ollama/models/other/sha256-{DIGEST}",
        f"/root/.ollama/models/myblobs/sha256-{DIGEST}",
        f"/root/.ollama/models/blobs/sha512-{DIGEST}",
        "qwen3:8b",
        "./x.gguf",
        "",
    ],
)
def test_other_values_are_not_blob_paths(value: str) -> None:
    assert not is_blob_path(value)


def test_a_relative_blob_path_is_a_blob_not_a_name() -> None:
    """`blobs/sha256-…` has no leading folder, yet it is a models folder's blob."""
    assert from_base(f"blobs/sha256-{DIGEST}").model is None


def test_from_commands_are_the_froms_read_before_a_parse_error_in_order() -> None:
    text = "# notes\nFROM llama3.1:8b\nPARAMETER top_k 20\nFROM ./mmproj.gguf\nPARAMETER bad\n"
    outcome = scan_cached(text)
    assert outcome.error is not None  # `PARAMETER bad`: the scan stops there
    assert [p.command.args for p in from_commands(outcome)] == ["llama3.1:8b", "./mmproj.gguf"]
    assert from_commands(scan_cached("PARAMETER top_k 20\n")) == ()
