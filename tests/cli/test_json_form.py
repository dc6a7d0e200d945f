"""Every `--json` output is one JSON document: an array for what lists, an object for one thing
(README, "Command line")."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from modelarium.cli import main
from modelarium.demo import seeded_state


@pytest.fixture(scope="module")
def demo_url() -> Iterator[str]:
    from modelarium.demo import DemoServerThread

    with DemoServerThread(seeded_state(progress_delay=0.0)) as server:
        yield server.url


def json_output(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    main(list(argv))
    return json.loads(capsys.readouterr().out)


def test_lists_are_json_arrays(
    capsys: pytest.CaptureFixture[str], demo_url: str, tmp_path: Path
) -> None:
    first = tmp_path / "A"
    first.write_text("FROM x\nrepeat_last_n 2048\n", encoding="utf-8")
    second = tmp_path / "B"
    second.write_text("FROM x\nPARAMETER temprature 0.7\n", encoding="utf-8")
    host = ("--host", demo_url)
    for argv in (
        ("hosts", "--json", *host),
        ("models", "list", "--json", *host),
        ("models", "ps", "--json", *host),
        ("models", "extract", "qwen3:8b", "--json", *host),
        ("library", "search", "qwen", "--json"),
        ("modelfile", "lint", "--json", str(first), str(second)),
        ("modelfile", "parse", "--json", str(first), str(second)),
        ("modelfile", "request", "--json", str(first), str(second)),
    ):
        document = json_output(capsys, *argv)
        assert isinstance(document, list) and document, argv
    findings = json_output(capsys, "modelfile", "lint", "--json", str(first), str(second))
    assert isinstance(findings, list)
    assert {finding["file"] for finding in findings} == {str(first), str(second)}


def test_one_thing_is_a_json_object(
    capsys: pytest.CaptureFixture[str], demo_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "A"
    path.write_text("FROM x\n", encoding="utf-8")
    for argv in (
        ("models", "show", "qwen3:8b", "--json", "--host", demo_url),
        ("modelfile", "diff", "--json", str(path), str(path)),
        ("library", "show", "1", "--json"),
    ):
        assert isinstance(json_output(capsys, *argv), dict), argv


def test_lint_with_nothing_to_say_is_an_empty_array(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    clean = tmp_path / "Clean"
    clean.write_text("FROM llama3.2\n", encoding="utf-8")
    assert json_output(capsys, "modelfile", "lint", "--json", str(clean)) == []
