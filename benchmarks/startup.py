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

Memory: the peak resident size of the app's process (`VmHWM` in `/proc/PID/status`, which
counts every page it ever touched, so nothing allocated and freed again hides) once the
screen has shown its models and `SETTLE` seconds more have passed — what the app loads at
idle right after the start counts. The same for the bare app, for `modelarium --host` on the
seeded host, and on a second host serving 1,000 more models (`demo serve --models 1000`),
in the same interleaved rounds; each ratio divides medians of the same run. (`--demo`'s
figure is the app's process alone: its demo host runs in a child process.)

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
PAINT_MARKER = "Quant"
"""On the first frame of the Models pane: a column header of its table. (The last header,
"Capabilities", now appears only once the table has widened, 0.5-0.7 s after the models:
with it the first-paint rows measured later than the models-visible ones.)"""
MODELS_MARKER = "qwen2.5-coder"
"""A seeded demo model: on screen once the host's list is in the table."""
MANY_MODELS = 1000
MANY_MARKER = "bench/"
"""The synthetic models' prefix (`demo serve --models N`): they sort before the seed models."""
SETTLE = 3.0
"""Seconds after the models are visible before the peak memory is read (the Library and
Editor panes load within 1 s of the first listing)."""
TARGETS = {
    "startup_demo_paint": 1.3,
    "startup_demo_models": 1.5,
    "startup_host_paint": 1.3,
    "startup_host_models": 1.3,
}
MEMORY_TARGETS = {"memory_start": 1.6, "memory_1000_models": 1.6}

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


@dataclass(frozen=True, slots=True)
class Run:
    """One measured start: seconds to each marker, and the peak memory when asked for."""

    seconds: list[float]
    peak_mb: float | None = None


def peak_memory_mb(pid: int) -> float:
    """The peak resident set of process `pid` so far (`VmHWM`), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"no VmHWM in /proc/{pid}/status")


def time_in_terminal(
    command: Sequence[str],
    markers: Sequence[str],
    scratch: Scratch,
    *,
    settle: float | None = None,
) -> Run:
    """Seconds from spawning `command` in a pseudo-terminal to each marker's first appearance
    on the screen it draws (escape sequences removed); with `settle`, the process's peak
    memory that many seconds after the last marker (its output still read meanwhile). The
    process is then killed."""
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
    peak: float | None = None
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
        if settle is not None and len(found) == len(markers):
            until = time.perf_counter() + settle
            while time.perf_counter() < until and process.poll() is None:
                ready, _, _ = select.select([master], [], [], 0.05)
                if ready:
                    try:
                        os.read(master, 1 << 16)
                    except OSError:
                        break
            if process.poll() is None:
                peak = peak_memory_mb(process.pid)
    finally:
        process.kill()
        process.wait()
        os.close(master)
    missing = [marker for marker in markers if marker not in found]
    if missing:
        tail = _ESCAPES.sub(b"", output[-2000:]).decode("utf-8", "replace")
        raise SystemExit(f"{' '.join(command)}: never showed {missing!r}; last output: {tail!r}")
    if settle is not None and peak is None:
        raise SystemExit(f"{' '.join(command)}: ended before its memory could be read")
    return Run([found[marker] for marker in markers], peak)


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_host(scratch: Scratch, models: int = 0) -> tuple[subprocess.Popen[bytes], int]:
    """`modelarium demo serve --port P [--models N]` in its own process, once it accepts
    connections."""
    port = free_port()
    process = subprocess.Popen(
        [*modelarium_command(), "demo", "serve", "--port", str(port), "--models", str(models)],
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
    many_host, many_port = start_host(scratch, MANY_MODELS)
    bare_command = [sys.executable, "-c", BARE_APP]
    demo_command = [*modelarium_command(), "--demo"]
    host_command = [*modelarium_command(), "--host", f"127.0.0.1:{port}"]
    many_command = [*modelarium_command(), "--host", f"127.0.0.1:{many_port}"]
    markers = [PAINT_MARKER, MODELS_MARKER]
    try:
        # Warm the bytecode caches (and the library file) before the measured rounds.
        time_in_terminal(bare_command, ["row 9"], scratch)
        time_in_terminal(demo_command, markers, scratch, settle=SETTLE)
        time_in_terminal(host_command, markers, scratch)
        bare: list[Run] = []
        demo: list[Run] = []
        on_host: list[Run] = []
        many: list[Run] = []
        for _ in range(rounds):
            bare.append(time_in_terminal(bare_command, ["row 9"], scratch, settle=SETTLE))
            demo.append(time_in_terminal(demo_command, markers, scratch, settle=SETTLE))
            on_host.append(time_in_terminal(host_command, markers, scratch, settle=SETTLE))
            many.append(time_in_terminal(many_command, [MANY_MARKER], scratch, settle=SETTLE))
    finally:
        for process in (host, many_host):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(10)
        shutil.rmtree(folder, ignore_errors=True)
    bare_spread = Spread.of([run.seconds[0] * 1000 for run in bare])
    figures = {
        "startup_demo_paint": Spread.of([run.seconds[0] * 1000 for run in demo]),
        "startup_demo_models": Spread.of([run.seconds[1] * 1000 for run in demo]),
        "startup_host_paint": Spread.of([run.seconds[0] * 1000 for run in on_host]),
        "startup_host_models": Spread.of([run.seconds[1] * 1000 for run in on_host]),
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
    report_memory(bare, demo, on_host, many)
    print(machine_line())
    return 0


def _peaks(runs: Sequence[Run]) -> Spread:
    return Spread.of([run.peak_mb for run in runs if run.peak_mb is not None])


def report_memory(
    bare: Sequence[Run], demo: Sequence[Run], on_host: Sequence[Run], many: Sequence[Run]
) -> None:
    """Print the peak memory of each variant against the bare app's, and record the rows."""
    bare_peak = _peaks(bare)
    print(f"peak memory {SETTLE:g} s after the models are visible (VmHWM of the app's process)")
    print(f"{'bare Textual app':<50} {bare_peak.text(' MB', 1)}")
    demo_peak = _peaks(demo)
    print(f"{'modelarium --demo (the app; its host is a child)':<50} {demo_peak.text(' MB', 1)}"
          f"  = {demo_peak.median / bare_peak.median:.2f}x bare")  # fmt: skip
    rows = {
        "memory_start": ("modelarium --host (running host), seed models", _peaks(on_host)),
        "memory_1000_models": (f"modelarium --host, {MANY_MODELS:,} more models", _peaks(many)),
    }
    for key, (label, spread) in rows.items():
        ratio = spread.median / bare_peak.median
        target = MEMORY_TARGETS[key]
        met = ratio <= target
        print(f"{label:<50} {spread.text(' MB', 1)}  = {ratio:.2f}x bare "
              f"({'meets' if met else 'MISSES'} {target}x)")  # fmt: skip
        record(
            key,
            measured=f"**{ratio:.2f}×**: {spread.text(' MB', 1)} vs bare "
            f"{bare_peak.median:.1f} MB ({bare_peak.low:.1f}–{bare_peak.high:.1f})",
            met=met,
            spread=spread,
            unit="MB",
            ratio=round(ratio, 2),
            bare_median=round(bare_peak.median, 1),
        )


if __name__ == "__main__":
    raise SystemExit(main())
