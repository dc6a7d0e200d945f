"""The benchmarks' shared bookkeeping: median and spread, the machine's state, `results.json`.

Every README performance row is one entry of `ROWS` (what is measured, by which script, against
which target). A benchmark measures, prints, and calls `record(key, ...)`, which stores the
figures with the date and the machine's load in `benchmarks/results.json`;
`benchmarks/run_all.py` runs every script and writes the README table from that file, and
`tests/test_claims.py` checks that the README says exactly what the file holds.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS_FILE = Path(__file__).resolve().with_name("results.json")


@dataclass(frozen=True, slots=True)
class Row:
    """One README performance row: what it measures, the script, and the target."""

    key: str
    what: str
    script: str
    target: str


ROWS: tuple[Row, ...] = (
    Row(
        "parse_realistic",
        "parse realistic Modelfiles (Llama, Mistral, Qwen, Granite, Gemma, Phi, DeepSeek: the "
        "oracle's `real-*` files, tests/fixtures/modelfiles, the demo host's `show` output; "
        "82 B–7.9 KB)",
        "benchmarks/parse.py",
        "≥ 20 MB/s",
    ),
    Row(
        "parse_small",
        "parse every file ≤ 2 KB: the realistic ones and the oracle's edge cases (most "
        "≈ 100 bytes, where the fixed cost per call dominates)",
        "benchmarks/parse.py",
        "≥ 20 MB/s",
    ),
    Row(
        "parse_long",
        "parse long values: a 40 KB and a 400 KB SYSTEM line (an 800-line TEMPLATE alongside)",
        "benchmarks/parse.py",
        "linear: the 10× longer line at ≥ 0.5× the rate",
    ),
    Row(
        "render_create",
        "render (`String()`) / build the create body of the realistic files",
        "benchmarks/parse.py",
        "—",
    ),
    Row(
        "lint_format",
        "lint + format of a 2,000-line Modelfile",
        "benchmarks/lint.py",
        "≤ 20 ms",
    ),
    Row("lex", "lex that file for highlighting", "benchmarks/lint.py", "≤ 15 ms"),
    Row(
        "editor_keystroke",
        "keystroke in the editor pane → screen painted, 2,000-line file (the key as a "
        "terminal delivers it, edit, re-highlight, lint and draft scheduling, the frame "
        "rendered; Textual paints at most 60 frames/s)",
        "benchmarks/editor.py",
        "p95 ≤ 8 ms",
    ),
    Row(
        "preview_keystroke",
        "the same keystrokes with the live prompt preview shown (its 894-line TEMPLATE "
        "re-rendered after each pause in typing): what it adds to key → painted p95",
        "benchmarks/editor.py",
        "adds ≤ 16 ms",
    ),
    Row(
        "template_render",
        "render a TEMPLATE for a conversation: the oracle's templates ≤ 4 KB × its 15 "
        "conversations, parse cached (Ollama parses a model's template once, at load; the "
        "preview once per template text); per render",
        "benchmarks/template.py",
        "p95 ≤ 1 ms",
    ),
    Row(
        "template_cold",
        "the same, cold: every render parses its template again (as after a keystroke in "
        "the TEMPLATE)",
        "benchmarks/template.py",
        "—",
    ),
    Row(
        "hosts",
        "list + show 1,014 models, 10 ms per request, the client's default pool",
        "benchmarks/hosts.py",
        "≥ 8× sequential, ≤ 1.5 s",
    ),
    Row(
        "store_sqlite",
        "library of 100,000 elements on SQLite: search latency, insert rate",
        "benchmarks/store.py",
        "search p95 ≤ 20 ms",
    ),
    Row(
        "store_postgresql",
        "the same on PostgreSQL (server defaults)",
        "benchmarks/store.py",
        "search p95 ≤ 30 ms",
    ),
    Row(
        "startup_demo_paint",
        "`modelarium --demo`: start → first paint, as a ratio to a bare Textual app "
        "(header, 9-row table, footer) in the same run",
        "benchmarks/startup.py",
        "≤ 1.3×",
    ),
    Row(
        "startup_demo_models",
        "`modelarium --demo`: start → the demo models visible in the table, same ratio",
        "benchmarks/startup.py",
        "≤ 1.5×",
    ),
    Row(
        "startup_host_paint",
        "`modelarium --host` on a running host (`modelarium demo serve` in its own process): "
        "start → first paint, same ratio",
        "benchmarks/startup.py",
        "≤ 1.3×",
    ),
    Row(
        "startup_host_models",
        "`modelarium --host` on a running host: start → its models visible, same ratio",
        "benchmarks/startup.py",
        "≤ 1.3×",
    ),
    Row(
        "memory_start",
        "peak memory (VmHWM) of `modelarium --host` on a running host, 3 s after its models "
        "are visible, as a ratio to the bare Textual app's in the same run",
        "benchmarks/startup.py",
        "≤ 1.6×",
    ),
    Row(
        "memory_1000_models",
        "the same with 1,000 more models listed (`demo serve --models 1000`)",
        "benchmarks/startup.py",
        "≤ 1.6×",
    ),
    Row(
        "demo_host",
        "demo host start (seed + thread start, what `--demo` waits for)",
        "benchmarks/demo_host.py",
        "< 100 ms",
    ),
)
ROW_KEYS = {row.key: row for row in ROWS}


@dataclass(frozen=True, slots=True)
class Spread:
    """Median, minimum and maximum of several runs."""

    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        """The spread of `values` (at least one)."""
        if not values:
            raise ValueError("no values to summarise")
        return cls(statistics.median(values), min(values), max(values), len(values))

    def text(self, unit: str, digits: int = 1) -> str:
        """`12.3 ms (11.8–14.0, 7 runs)`: median first, then the range."""
        return (
            f"{self.median:.{digits}f}{unit} ({self.low:.{digits}f}–{self.high:.{digits}f}, "
            f"{self.runs} runs)"
        )


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of `values` (`fraction` 0.95 for p95)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def machine() -> dict[str, Any]:
    """When and under what load the figures were taken."""
    one, five, _ = os.getloadavg()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load": round(one, 1),
        "load_5min": round(five, 1),
        "cores": os.cpu_count() or 1,
    }


def machine_line() -> str:
    """One printable line: date, load average and cores."""
    state = machine()
    return (
        f"{state['date']}, load average {state['load']} (5 min {state['load_5min']}) "
        f"on {state['cores']} cores"
    )


def load_results(path: Path = RESULTS_FILE) -> dict[str, dict[str, Any]]:
    """The recorded rows, by key (empty when nothing was recorded yet)."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = data.get("rows", {})
    return rows if isinstance(rows, dict) else {}


def record(
    key: str,
    *,
    measured: str,
    met: bool | None,
    spread: Spread,
    unit: str,
    path: Path | None = None,
    **extra: float | str,
) -> None:
    """Store one row's figures (replacing its previous ones) with the date and the load.

    `measured` is the README cell; `met` None means the row has no numeric target. Does
    nothing when the environment sets `MODELARIUM_BENCH_NO_RECORD` (a trial run)."""
    if key not in ROW_KEYS:
        raise KeyError(f"unknown benchmark row {key!r}")
    if os.environ.get("MODELARIUM_BENCH_NO_RECORD") and path is None:
        return
    target = RESULTS_FILE if path is None else path
    rows = load_results(target)
    rows[key] = {
        "measured": measured,
        "met": met,
        "median": spread.median,
        "min": spread.low,
        "max": spread.high,
        "runs": spread.runs,
        "unit": unit,
        "timestamp": round(time.time()),
        **machine(),
        **extra,
    }
    ordered = {row.key: rows[row.key] for row in ROWS if row.key in rows}
    target.write_text(
        json.dumps({"rows": ordered}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
