"""`modelarium demo serve`: runs in the foreground, prints where it listens, stops on Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from modelarium.cli import main
from modelarium.demo import DemoServerThread

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def serving() -> Iterator[tuple[subprocess.Popen[str], str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "modelarium", "demo", "serve", "--port", "0", "--models", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # Ctrl-C as at a terminal: a test run started in the background (`cmd &` in a script)
        # hands its children SIGINT ignored, and Python then leaves it ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    match = re.search(r"on (http://127\.0\.0\.1:\d+) \((\d+) models\)", first)
    try:
        assert match, first
        assert match[2] == "20"  # 15 seeded + 5 synthetic
        yield process, match[1]
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def test_serve_answers_and_stops_on_ctrl_c(serving: tuple[subprocess.Popen[str], str]) -> None:
    process, url = serving
    assert process.stdout is not None
    hints = [process.stdout.readline() for _ in range(5)]
    port = url.rsplit(":", 1)[1]
    assert f"  OLLAMA_HOST=127.0.0.1:{port} ollama list\n" in hints
    assert httpx.get(f"{url}/api/version", timeout=5).json() == {"version": "0.33.0-rc2"}
    names = [m["name"] for m in httpx.get(f"{url}/api/tags", timeout=5).json()["models"]]
    assert sum(name.startswith("bench/") for name in names) == 5
    process.send_signal(signal.SIGINT)
    # A bound for a hung process, not a speed target: on a loaded machine stopping is slow.
    _, stderr = process.communicate(timeout=120)
    assert process.returncode in (0, 130)
    assert "Traceback" not in stderr


def test_serve_on_a_busy_port_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    with DemoServerThread() as busy:
        port = busy.url.rsplit(":", 1)[1]
        assert main(["demo", "serve", "--port", port]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert error.startswith(f"modelarium demo serve: cannot listen on 127.0.0.1:{port}: ")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--port", "70000"], "modelarium demo serve: port 70000 is out of range 0-65535\n"),
        (["--models", "-1"], "modelarium demo serve: --models must be 0 or more, not -1\n"),
    ],
)
def test_bad_options(
    capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    assert main(["demo", "serve", *arguments]) == 1
    assert capsys.readouterr().err == message
