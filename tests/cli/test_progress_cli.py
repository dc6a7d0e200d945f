"""Pull/push/create progress: an in-place bar with size, rate and time left on a terminal,
plain lines when piped."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import time

from modelarium.cli.progress import BarPrinter, LinePrinter, progress_printer
from modelarium.ollama.types import Progress

MB = 1_000_000


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_bar_redraws_in_place_with_rate_and_time_left() -> None:
    out = io.StringIO()
    clock = Clock()
    printer = BarPrinter(out, clock=clock)
    printer(Progress("pulling manifest"))
    for second, done in enumerate((0, 100 * MB, 200 * MB, 300 * MB)):
        clock.now = 100.0 + second
        printer(Progress("pulling 8eeb52dfb3bb", "sha256:8eeb", 1000 * MB, done))
    printer(Progress("verifying sha256 digest"))
    printer(Progress("success"))
    text = out.getvalue()
    lines = text.split("\n")
    assert lines[0] == "\rpulling manifest\x1b[K"
    last_bar = lines[1].split("\r")[-1]
    assert last_bar.startswith("pulling 8eeb52dfb3bb █")
    assert " 30%  300 MB/1 GB  100 MB/s  ETA 7s\x1b[K" in last_bar
    assert lines[2] == "\rverifying sha256 digest\x1b[K"
    assert lines[3] == "\rsuccess\x1b[K" and lines[4] == ""


def test_piped_output_keeps_one_line_per_step() -> None:
    out = io.StringIO()
    printer = LinePrinter(out)
    for done in range(0, 101, 5):
        printer(Progress("pulling abc", "sha256:abc", 100, done))
    assert out.getvalue().count("\n") == 11
    assert "\r" not in out.getvalue()
    assert isinstance(progress_printer(io.StringIO()), LinePrinter)


def test_the_cli_draws_the_bar_on_a_terminal() -> None:
    """`modelarium --demo models pull` under a pseudo-terminal redraws in place."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "modelarium", "--demo", "models", "pull", "tinyllama:latest"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env={**os.environ, "COLUMNS": "100"},
    )
    os.close(follower)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1.0)
        if not ready:
            if process.poll() is not None:
                break
            continue
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(leader)
    text = b"".join(chunks).decode("utf-8", "replace")
    assert process.returncode == 0, text
    assert "\r" in text and "\x1b[K" in text
    assert "%" in text and "/s" in text
    assert "success" in text
