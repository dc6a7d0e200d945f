"""Startup: process start -> first paint of the Models pane on the demo host, against a bare
Textual hello-world measured in the same run. Target: median at most 1.3x the bare app.

A third variant, the Models pane's widget set (DataTable, Input, Footer, ...) in a plain Textual
app, shows how much of the difference those widgets cost by themselves.

Each variant runs N times as a fresh headless process that writes a marker on `App.on_ready`
(the first frame is painted then) and exits. For Modelarium the run is `modelarium --demo`
taken through the command's own steps (bare-command arguments, the garbage collector paused
until the first paint, the demo host started in-process); a second marker says when the demo
host's models are in the table.

    python benchmarks/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_RATIO = 1.3
SCRATCH = tempfile.mkdtemp(prefix="modelarium-startup-")
"""Data and config folder of the measured runs (no user settings, a throwaway library)."""

BARE_APP = """
import os
from textual.app import App, ComposeResult
from textual.widgets import Static


class Hello(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Hello, world")

    def on_ready(self) -> None:
        os.write(1, f"first-paint {sum(os.times()[:2])}\\n".encode())
        self.exit()


Hello().run(headless=True, size=(150, 42))
"""

SAME_WIDGETS_APP = """
import os
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import ContentSwitcher, DataTable, Footer, Input, Static


class SameWidgets(App[None]):
    BINDINGS = [(key, "bell", key) for key in "abcdefghijklmno"]

    def compose(self) -> ComposeResult:
        yield Static("hosts")
        with ContentSwitcher(initial="models"):
            with Vertical(id="models"):
                with Horizontal():
                    yield Static("Host")
                    yield Input(placeholder="filter")
                    yield Static("Sort")
                yield Static("banner")
                with Horizontal():
                    yield DataTable()
                    with VerticalScroll():
                        yield Static("details")
        yield Footer()

    def on_ready(self) -> None:
        os.write(1, f"first-paint {sum(os.times()[:2])}\\n".encode())
        self.exit()


SameWidgets().run(headless=True, size=(150, 42))
"""
"""The Models pane's widget set in a plain Textual app: what those widgets cost by themselves."""

MODELARIUM_APP = """
import gc
import os
from modelarium.cli import parse_app_arguments

args = parse_app_arguments(["--demo"])
gc.disable()  # what `modelarium` does next (modelarium.cli.tui.run_app)
from modelarium.tui.app import ModelariumApp, build_app
from modelarium.tui.models import ModelsPane


class Measured(ModelariumApp):
    def on_ready(self) -> None:
        os.write(1, f"first-paint {sum(os.times()[:2])}\\n".encode())
        self.set_interval(0.005, self._models_listed)

    def _models_listed(self) -> None:
        if self.query_one(ModelsPane).shown_rows:
            os.write(1, b"models-listed\\n")
            self.exit()


app = build_app(args, Measured)
app.run(headless=True, size=(150, 42))
"""
"""`modelarium --demo`'s own steps (`modelarium.cli.main` -> `tui.run_app` -> `tui.app.run`),
with the app subclassed to write the markers and run headless."""


def time_once(source: str) -> dict[str, float]:
    """Seconds from spawning the process to each marker line it writes; a marker may carry
    the process's CPU seconds so far (less sensitive to a busy machine), kept as `<marker> cpu`."""
    environment = dict(
        os.environ, PYTHONPATH=f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"
    )
    # Warm bytecode, as an installed package has: the caller may run with
    # PYTHONDONTWRITEBYTECODE (then every start would compile our sources again), so the
    # measured processes write and reuse .pyc files in a scratch folder instead.
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    environment["PYTHONPYCACHEPREFIX"] = os.path.join(SCRATCH, "pycache")
    environment["MODELARIUM_DATA_DIR"] = SCRATCH
    environment["MODELARIUM_CONFIG"] = os.path.join(SCRATCH, "config.toml")
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", source],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=REPO,
        env=environment,
    )
    assert process.stdout is not None
    marks: dict[str, float] = {}
    for raw in process.stdout:
        marker, _, cpu_seconds = raw.decode().strip().partition(" ")
        marks.setdefault(marker, time.perf_counter() - started)
        if cpu_seconds:
            marks.setdefault(f"{marker} cpu", float(cpu_seconds))
    process.wait(timeout=60)
    if "first-paint" not in marks:
        raise SystemExit(f"a benchmark process exited ({process.returncode}) without painting")
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per variant (default 15)")
    args = parser.parse_args()
    for source in (BARE_APP, SAME_WIDGETS_APP, MODELARIUM_APP):  # write the .pyc caches first
        time_once(source)
    bare: list[float] = []
    ours: list[float] = []
    same: list[float] = []
    bare_cpu: list[float] = []
    ours_cpu: list[float] = []
    same_cpu: list[float] = []
    listed: list[float] = []
    for _ in range(args.runs):  # interleaved, so machine noise hits all alike
        bare_marks = time_once(BARE_APP)
        bare.append(bare_marks["first-paint"])
        bare_cpu.append(bare_marks["first-paint cpu"])
        same_marks = time_once(SAME_WIDGETS_APP)
        same.append(same_marks["first-paint"])
        same_cpu.append(same_marks["first-paint cpu"])
        marks = time_once(MODELARIUM_APP)
        ours.append(marks["first-paint"])
        ours_cpu.append(marks["first-paint cpu"])
        if "models-listed" in marks:
            listed.append(marks["models-listed"])
    bare_median = statistics.median(bare)
    ours_median = statistics.median(ours)
    ratio = ours_median / bare_median
    print(f"runs per variant: {args.runs}")
    print(f"bare Textual hello-world, first paint: median {bare_median * 1000:.0f} ms "
          f"(min {min(bare) * 1000:.0f}, max {max(bare) * 1000:.0f})")  # fmt: skip
    print(f"modelarium --demo, first paint:        median {ours_median * 1000:.0f} ms "
          f"(min {min(ours) * 1000:.0f}, max {max(ours) * 1000:.0f})")  # fmt: skip
    print(f"same widgets, plain Textual, first paint: median "
          f"{statistics.median(same) * 1000:.0f} ms")  # fmt: skip
    if listed:
        print(f"modelarium --demo, models listed:      median "
              f"{statistics.median(listed) * 1000:.0f} ms")  # fmt: skip
    cpu_ratio = statistics.median(ours_cpu) / statistics.median(bare_cpu)
    print(f"CPU seconds to first paint: bare median {statistics.median(bare_cpu) * 1000:.0f} ms, "
          f"same widgets {statistics.median(same_cpu) * 1000:.0f} ms, "
          f"modelarium {statistics.median(ours_cpu) * 1000:.0f} ms "
          f"(ratio to bare {cpu_ratio:.2f}x)")  # fmt: skip
    same_ratio = ours_median / statistics.median(same)
    print(f"modelarium vs the same widgets in a plain Textual app: {same_ratio:.2f}x")
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    print(f"wall-clock ratio {ratio:.2f}x ({verdict} the {TARGET_RATIO}x target)")


if __name__ == "__main__":
    main()
