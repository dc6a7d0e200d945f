"""The `modelarium` entry point: the bare command (the TUI) skips the subcommand parsers and
pauses the garbage collector until the first paint; everything else reaches the full parser."""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelarium import cli
from modelarium.cli import build_parser, main, parse_app_arguments

WORDS = (
    "--demo",
    "--host",
    "--hos",
    "--de",
    "--h",
    "-h",
    "--help",
    "--version",
    "--",
    "http://gpu-box:11434",
    "127.0.0.1:11434",
    "hosts",
    "models",
    "list",
    "modelfile",
    "demo",
    "screenshot",
    "library",
    "--bogus",
    "",
)
"""Arguments a bare start, a subcommand, help, abbreviations and mistakes are made of."""


def full_parse(arguments: list[str]) -> argparse.Namespace | None:
    """What the full parser makes of `arguments`; None where it exits (help, version, error)."""
    try:
        return build_parser().parse_args(arguments)
    except SystemExit:
        return None


@given(st.lists(st.sampled_from(WORDS), max_size=5))
def test_the_bare_command_parses_as_the_full_parser_would(arguments: list[str]) -> None:
    quick = parse_app_arguments(arguments)
    full = full_parse(arguments)
    if quick is not None:
        assert full is not None and vars(quick) == vars(full)
    elif full is not None and full.command is None:
        # Only an abbreviated option (`--de`, `--hos`) is left to the full parser.
        assert any(word in ("--de", "--hos") for word in arguments)


QUIET = {"log": None, "verbose": False}


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ([], {"command": None, "demo": False, "hosts": None, **QUIET}),
        (["--demo"], {"command": None, "demo": True, "hosts": None, **QUIET}),
        (
            ["--host", "a:1", "--host", "b:2"],
            {"command": None, "demo": False, "hosts": ["a:1", "b:2"], **QUIET},
        ),
        (["--host", "hosts"], {"command": None, "demo": False, "hosts": ["hosts"], **QUIET}),
        (
            ["--log", "m.log", "-v"],
            {"command": None, "demo": False, "hosts": None, "log": Path("m.log"), "verbose": True},
        ),
    ],
)
def test_bare_starts(arguments: list[str], expected: dict[str, object]) -> None:
    parsed = parse_app_arguments(arguments)
    assert parsed is not None and vars(parsed) == expected


@pytest.mark.parametrize(
    "arguments",
    [["hosts", "list"], ["--help"], ["-h"], ["--version"], ["--host"], ["--de"], ["--demo", "x"]],
)
def test_anything_else_goes_to_the_full_parser(arguments: list[str]) -> None:
    assert parse_app_arguments(arguments) is None


@pytest.fixture
def no_full_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> argparse.ArgumentParser:
        raise AssertionError("the full parser was built for a bare start")

    monkeypatch.setattr(cli, "build_parser", refuse)


@pytest.fixture
def collector_restored() -> Iterator[None]:
    yield
    gc.enable()
    gc.unfreeze()


def test_a_bare_start_runs_the_tui_without_the_full_parser_and_with_collection_paused(
    monkeypatch: pytest.MonkeyPatch, no_full_parser: None, collector_restored: None
) -> None:
    from modelarium.tui import app as app_module

    seen: list[tuple[argparse.Namespace, bool]] = []

    def fake_run(args: argparse.Namespace) -> int:
        seen.append((args, gc.isenabled()))
        return 0

    monkeypatch.setattr(app_module, "run", fake_run)
    assert main(["--demo"]) == 0
    [(args, collecting)] = seen
    assert args.demo and args.command is None
    assert not collecting  # paused while the app starts
    assert gc.isenabled()  # and never left paused, whatever the app did


def test_the_collector_resumes_even_when_the_app_cannot_start(
    monkeypatch: pytest.MonkeyPatch, collector_restored: None
) -> None:
    from modelarium.tui import app as app_module

    def failing_run(args: argparse.Namespace) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(app_module, "run", failing_run)
    assert main([]) == 130
    assert gc.isenabled()


def test_resuming_at_the_first_paint_freezes_the_start_objects(collector_restored: None) -> None:
    from modelarium.tui.app import resume_garbage_collection

    gc.unfreeze()  # start from nothing frozen, so the count below is this call's doing
    assert gc.get_freeze_count() == 0
    gc.disable()
    resume_garbage_collection()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0


def test_resuming_leaves_a_running_collector_alone() -> None:
    from modelarium.tui.app import resume_garbage_collection

    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    resume_garbage_collection()
    assert gc.get_freeze_count() == frozen


def test_importing_the_command_loads_no_subcommand_module() -> None:
    probe = (
        "import sys, modelarium.cli;"
        "print(sorted(m for m in sys.modules if m.startswith('modelarium.cli.')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "['modelarium.cli.tui']"


def test_help_still_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    listed = capsys.readouterr().out
    for command in ("modelfile", "hosts", "models", "library", "db", "screenshot", "demo"):
        assert f"    {command} " in listed or f"    {command}\n" in listed
