"""Run the whole test suite with every core kept busy, to prove no test depends on speed.

    python benchmarks/suite_under_load.py               # the suite, one busy loop per core
    python benchmarks/suite_under_load.py --runs 2      # twice in a row
    python benchmarks/suite_under_load.py -- tests/tui  # only some tests

It starts one `while True: pass` process per core, runs pytest exactly as README's test
command does (the `python -m pytest ...` part of the line between README's test-command
markers, plus any arguments after `--`), stops the busy processes whatever happens, and prints
each run's outcome, wall time and the load average seen at its end. Exit status: the first
failing run's pytest status, else 0.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUSY_LOOP = "while True: pass"
README = ROOT / "README.md"


def readme_pytest_command(readme: str) -> tuple[str, ...]:
    """The pytest invocation of README's test command (the line `.ci/run` runs), with this
    interpreter in place of `python`."""
    block = readme.split("<!-- test-command -->", 1)[1].split("<!-- /test-command -->", 1)[0]
    line = next(text for text in block.splitlines() if text.strip() and not text.startswith("```"))
    pytest_part = next(part for part in line.split("&&") if part.split()[1:3] == ["-m", "pytest"])
    return (sys.executable, *shlex.split(pytest_part)[1:])


def start_busy_loops(count: int) -> list[subprocess.Popen[bytes]]:
    """`count` processes that each keep one core busy until stopped."""
    return [subprocess.Popen((sys.executable, "-c", BUSY_LOOP)) for _ in range(count)]


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Stop the busy processes and wait for them."""
    for process in processes:
        process.kill()
    for process in processes:
        process.wait()


def exit_on_terminate() -> None:
    """Make SIGTERM and SIGHUP end the script as Ctrl+C does, so `run_once`'s clean-up runs:
    pytest is stopped and no busy loop outlives the script (a killed run left two behind)."""

    def leave(signal_number: int, _frame: object) -> None:
        raise SystemExit(128 + signal_number)

    signal.signal(signal.SIGTERM, leave)
    signal.signal(signal.SIGHUP, leave)


def summary_line(output: str) -> str:
    """pytest's last line ("4808 passed, 12 skipped in 540.1s"), or a note that it is missing."""
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1] if lines else "(pytest printed nothing)"


def run_once(pytest_arguments: list[str], busy: int) -> tuple[int, float, str]:
    """One loaded run: (pytest's exit status, wall seconds, pytest's summary line)."""
    loops = start_busy_loops(busy)
    started = time.monotonic()
    try:
        finished = subprocess.run(
            (*readme_pytest_command(README.read_text(encoding="utf-8")), *pytest_arguments),
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        elapsed = time.monotonic() - started
        stop(loops)
    if finished.returncode not in (0, 5):
        sys.stdout.write(finished.stdout[-20_000:])
    return finished.returncode, elapsed, summary_line(finished.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="runs in a row (default 1)")
    parser.add_argument(
        "--busy", type=int, default=os.cpu_count() or 1, help="busy processes (default: cores)"
    )
    parser.add_argument("pytest_arguments", nargs="*", help="extra pytest arguments, after --")
    arguments = parser.parse_args()
    exit_on_terminate()
    status = 0
    for number in range(1, arguments.runs + 1):
        code, elapsed, line = run_once(arguments.pytest_arguments, arguments.busy)
        load = os.getloadavg()[0]
        minutes, seconds = divmod(round(elapsed), 60)
        print(
            f"run {number}: exit {code}, {minutes} min {seconds:02d} s, {arguments.busy} busy "
            f"processes on {os.cpu_count()} cores, load {load:.1f} at the end: {line}",
            flush=True,
        )
        if code not in (0, 5) and status == 0:
            status = code
    return status


if __name__ == "__main__":
    raise SystemExit(main())
