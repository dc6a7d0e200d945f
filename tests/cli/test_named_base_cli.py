"""Every CLI command that asks "which model was this made FROM" gets the same answer from
`named_base`: a parent that is a weights blob or a path is no base, for `models diff
--against-base`, `models show --effective` and `models rebase` alike."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import pytest

from modelarium.cli import main
from modelarium.demo import DemoServerThread
from modelarium.demo.names import parse_name

BLOB = "/usr/share/ollama/.ollama/models/blobs/sha256-" + "ab" * 32


@pytest.fixture
def server() -> Iterator[DemoServerThread]:
    with DemoServerThread() as running:
        yield running


def made_from(server: DemoServerThread, model: str, parent: str) -> None:
    """Give `model` on the demo host another recorded parent (its model layer's `from`)."""
    state = server.state
    installed = state.find(parse_name(model))
    assert installed is not None
    layers = tuple(
        replace(layer, source=parent) if layer.kind == "model" else layer
        for layer in installed.manifest.layers
    )
    state.install(installed.name, replace(installed.manifest, layers=layers), installed.modified_ns)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("parent", [BLOB, "./weights.gguf", "~/models/m.gguf"])
def test_a_blob_or_path_parent_is_no_named_base_anywhere(
    capsys: pytest.CaptureFixture[str], server: DemoServerThread, parent: str
) -> None:
    made_from(server, "mario/sql-reviewer", parent)
    host = ("--host", server.url)
    code, _, err = run(capsys, "models", "diff", "mario/sql-reviewer", "--against-base", *host)
    assert code == 2 and "was not made FROM a named model" in err
    code, out, err = run(
        capsys, "models", "show", "mario/sql-reviewer", "--effective", "--json", *host
    )
    assert code == 0, err
    assert json.loads(out)["base"] is None
    code, out, err = run(capsys, "models", "rebase", "mario/sql-reviewer", "--json", *host)
    assert code == 0, err
    (plan,) = json.loads(out)
    assert plan["problem"] == "it was not created from a named base"


def test_a_named_parent_is_the_base_everywhere(
    capsys: pytest.CaptureFixture[str], server: DemoServerThread
) -> None:
    host = ("--host", server.url)
    code, out, _ = run(
        capsys, "models", "diff", "mario/sql-reviewer", "--against-base", "--json", *host
    )
    assert code == 1 and json.loads(out)["before"] == f"qwen2.5-coder:7b on {server.url}"
    code, out, _ = run(
        capsys, "models", "show", "mario/sql-reviewer", "--effective", "--json", *host
    )
    assert code == 0 and json.loads(out)["base"] == "qwen2.5-coder:7b"
