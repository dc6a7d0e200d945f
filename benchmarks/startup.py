"""Start-up as the user sees it: process start -> first paint, and -> the models visible.

Every variant runs as the real command in a pseudo-terminal (150x42, `TERM=xterm-256color`),
so the figures are the time until the bytes of a frame reach the terminal, with nothing
subclassed or hooked:

- the bare app: a plain Textual app with a header, a 9-row table and a footer (its table is
  filled when it first paints);
- `modelarium --demo`: first paint (the Models pane's table header is on screen) and models
  visible (a demo model's row is on screen);
- `modelarium --host 127.0.0.1:P` against `modelarium demo serve --port P`, a separate host
  process started once before the rounds (an Ollama host that is already running): first
  paint and models visible.

The variants run interleaved, round after round (at least 7), so machine noise hits all alike;
each figure is the median over the rounds with its min-max, and each ratio divides a median by
the bare app's median of the same run. Warm bytecode caches, as an installed package has: the
measured processes write and reuse `.pyc` files in a scratch folder even when the caller sets
`PYTHONDONTWRITEBYTECODE`. Settings, library and data live in that scratch folder too.

    python benchmarks/startup.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from benchmarks.results import Spread, machine_line, record

REPO = Path(__file__).resolve().parents[1]
SIZE = (150, 42)
TIMEOUT = 30.0
PAINT_MARKER = "Capabilities"
"""On the first frame of the Models pane: its table's last column header."""
MODELS_MARKER = "qwen2.5-coder"
"""A seeded demo model: on screen once the host's list is in the table."""
TARGETS = {
    "startup_demo_paint": 1.3,
    "startup_demo_models": 1.5,
    "startup_host_paint": 1.3,
    "startup_host_models": 1.3,
}

BARE_APP = """
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header


class Bare(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Name", "Size", "Family")
        table.add_rows([(f"row {n}", f"{n} GB", "llama") for n in range(1, 10)])


Bare().run()
"""
"""The baseline: header, a 9-row table, footer."""

_ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=$ ]*[A-Za-z~@`]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.")


@dataclass(frozen=True, slots=True)
class Scratch:
    """Where the measured processes keep bytecode, settings and data."""

    folder: Path

    def environment(self) -> dict[str, str]:
        environment = dict(os.environ)
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        environment.update(
            PYTHONPATH=f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
            PYTHONPYCACHEPREFIX=str(self.folder / "pycache"),
            MODELARIUM_DATA_DIR=str(self.folder / "data"),
            MODELARIUM_CONFIG=str(self.folder / "config.toml"),
            TERM="xterm-256color",
            COLUMNS=str(SIZE[0]),
            LINES=str(SIZE[1]),
        )
        environment.pop("OLLAMA_HOST", None)
        return environment


def modelarium_command() -> list[str]:
    """The installed `modelarium` script beside this interpreter, else the same entry point."""
    script = Path(sys.executable).with_name("modelarium")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from modelarium.cli import main; sys.exit(main())"]


def time_in_terminal(
    command: Sequence[str], markers: Sequence[str], scratch: Scratch
) -> list[float]:
    """Seconds from spawning `command` in a pseudo-terminal to each marker's first appearance
    on the screen it draws (escape sequences removed); the process is then killed."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=scratch.folder,
        env=scratch.environment(),
        start_new_session=True,
    )
    os.close(slave)
    found: dict[str, float] = {}
    output = b""
    try:
        while len(found) < len(markers) and time.perf_counter() - started < TIMEOUT:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:
                break
            now = time.perf_counter() - started
            output += chunk
            screen = _ESCAPES.sub(b"", output).decode("utf-8", "replace")
            for marker in markers:
                if marker not in found and marker in screen:
                    found[marker] = now
    finally:
        process.kill()
        process.wait()
        os.close(master)
    missing = [marker for marker in markers if marker not in found]
    if missing:
        tail = _ESCAPES.sub(b"", output[-2000:]).decode("utf-8", "replace")
        raise SystemExit(f"{' '.join(command)}: never showed {missing!r}; last output: {tail!r}")
    return [found[marker] for marker in markers]


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_host(scratch: Scratch) -> tuple[subprocess.Popen[bytes], int]:
    """`modelarium demo serve --port P` in its own process, once it accepts connections."""
    port = free_port()
    process = subprocess.Popen(
        [*modelarium_command(), "demo", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=scratch.environment(),
        start_new_session=True,
    )
    deadline = time.perf_counter() + TIMEOUT
    while time.perf_counter() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, port
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit(f"the demo host on port {port} did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (at least 7)")
    args = parser.parse_args()
    rounds = max(7, args.rounds)
    folder = Path(tempfile.mkdtemp(prefix="modelarium-startup-"))
    scratch = Scratch(folder)
    host, port = start_host(scratch)
    bare_command = [sys.executable, "-c", BARE_APP]
    demo_command = [*modelarium_command(), "--demo"]
    host_command = [*modelarium_command(), "--host", f"127.0.0.1:{port}"]
    markers = [PAINT_MARKER, MODELS_MARKER]
    try:
        # Warm the bytecode caches (and the library file) before the measured rounds.
        time_in_terminal(bare_command, ["row 9"], scratch)
        time_in_terminal(demo_command, markers, scratch)
        time_in_terminal(host_command, markers, scratch)
        bare: list[float] = []
        demo: list[list[float]] = []
        on_host: list[list[float]] = []
        for _ in range(rounds):
            bare.extend(time_in_terminal(bare_command, ["row 9"], scratch))
            demo.append(time_in_terminal(demo_command, markers, scratch))
            on_host.append(time_in_terminal(host_command, markers, scratch))
    finally:
        os.killpg(host.pid, signal.SIGTERM)
        host.wait(10)
        shutil.rmtree(folder, ignore_errors=True)
    bare_spread = Spread.of([seconds * 1000 for seconds in bare])
    figures = {
        "startup_demo_paint": Spread.of([run[0] * 1000 for run in demo]),
        "startup_demo_models": Spread.of([run[1] * 1000 for run in demo]),
        "startup_host_paint": Spread.of([run[0] * 1000 for run in on_host]),
        "startup_host_models": Spread.of([run[1] * 1000 for run in on_host]),
    }
    labels = {
        "startup_demo_paint": "modelarium --demo, first paint",
        "startup_demo_models": "modelarium --demo, models visible",
        "startup_host_paint": "modelarium --host (running host), first paint",
        "startup_host_models": "modelarium --host (running host), models visible",
    }
    print(f"{rounds} interleaved rounds, in a {SIZE[0]}x{SIZE[1]} pseudo-terminal")
    print(f"{'bare Textual app (header, 9-row table, footer)':<50} {bare_spread.text(' ms', 0)}")
    for key, spread in figures.items():
        ratio = spread.median / bare_spread.median
        target = TARGETS[key]
        met = ratio <= target
        print(f"{labels[key]:<50} {spread.text(' ms', 0)}  = {ratio:.2f}x bare "
              f"({'meets' if met else 'MISSES'} {target}x)")  # fmt: skip
        record(
            key,
            measured=f"**{ratio:.2f}×**: {spread.text(' ms', 0)} vs bare "
            f"{bare_spread.median:.0f} ms ({bare_spread.low:.0f}–{bare_spread.high:.0f})",
            met=met,
            spread=spread,
            unit="ms",
            ratio=round(ratio, 2),
            bare_median=round(bare_spread.median, 1),
        )
    print(machine_line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
