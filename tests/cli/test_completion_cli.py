"""`modelarium completion SHELL`: scripts generated from the parser, which the shells accept."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from modelarium.cli import build_parser, main
from modelarium.cli.completion import completion_script


def script(shell: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["completion", shell]) == 0
    return capsys.readouterr().out


def test_bash_completes_subcommands_and_options(capsys: pytest.CaptureFixture[str]) -> None:
    text = script("bash", capsys)
    probe = (
        text
        + "\nCOMP_WORDS=(modelarium mod); COMP_CWORD=1; _shtab_modelarium;"
        + ' printf "%s\\n" "${COMPREPLY[@]}"; echo ---;'
        + " COMP_WORDS=(modelarium models pu); COMP_CWORD=2; _shtab_modelarium;"
        + ' printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(
        ["bash", "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    top, _, models = result.stdout.partition("---")
    assert set(top.split()) == {"modelfile", "models"}
    assert {"pull", "push"} <= set(models.split())


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_accept_their_scripts(shell: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = script(shell, capsys)
    assert "modelarium" in text and "modelfile" in text and "completion" in text
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed: the script's syntax is not checked")
    check = ["zsh", "-n"] if shell == "zsh" else ["fish", "--no-execute"]
    result = subprocess.run(
        [*check, "/dev/stdin"], input=text, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr


def test_fish_completes_nested_subcommands_and_options() -> None:
    text = completion_script(build_parser(), "fish")
    assert (
        "complete -c modelarium -n '__fish_seen_subcommand_from models; and not "
        "__fish_seen_subcommand_from" in text
    )
    assert "-a pull" in text
    assert "-l json" in text
    assert "%(default)s" not in text


def test_completion_costs_the_bare_start_nothing() -> None:
    """The bare command never imports the completion generator."""
    code = (
        "import sys; from modelarium.cli import parse_app_arguments; "
        "parse_app_arguments(['--demo']); print('shtab' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.strip() == "False"
