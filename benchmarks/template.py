"""Prompt rendering over the oracle's templates × conversations (target: p95 <= 1 ms per render
for templates up to 4 KB). Run: `python benchmarks/template.py [--runs N]`.

Each run renders every oracle case with a template up to 4 KB once "parse cached" (the way
Ollama works: it parses a model's template once, at load; the editor's preview parses once per
template text) and once "cold" (every remembered parse forgotten before each render: the
template is lexed, checked, built and run, as after a keystroke in the TEMPLATE). It prints
renders per second and p50/p95/p99 of one render, as the median over the runs with the spread
(min–max): other processes on a shared machine only ever add time.

Then the live preview's own work per keystroke on the editor benchmark's 2,000-line Modelfile
(its 894-line, 52 KB TEMPLATE; the prompt has one line per MESSAGE): what the preview's worker
does after a pause in typing, for a keystroke outside the TEMPLATE (the prompt's inputs are
unchanged: nothing is rendered) and inside it (parsed again and rendered). What the shown
preview adds to key -> painted is measured by `benchmarks/editor.py`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.results import Spread, machine_line, percentile, record
from modelarium.modelfile.prompt import TemplateError, forget_parsed_templates, render_prompt
from modelarium.modelfile.prompt_samples import sample_request
from tests.unit.modelfile.oracle_requests import load_cases, oracle_date, request_for

SMALL_TEMPLATE = 4096
"""The target applies to templates up to this many bytes."""
TARGET_P95_MS = 1.0

Case = tuple[str, dict[str, Any], Any]


def _one_run(cases: list[Case], cold: bool) -> tuple[float, list[float]]:
    """Seconds for all cases and each render's milliseconds."""
    times: list[float] = []
    started = time.perf_counter()
    for template, request, today in cases:
        if cold:
            forget_parsed_templates()
        start = time.perf_counter()
        with contextlib.suppress(TemplateError):
            render_prompt(template, request, today=today)
        times.append((time.perf_counter() - start) * 1000)
    return time.perf_counter() - started, times


class Figures:
    """Per-run renders/s and p50/p95/p99 of one render."""

    def __init__(self, runs: list[tuple[float, list[float]]], count: int) -> None:
        self.count = count
        self.runs = len(runs)
        self.rates = Spread.of([count / seconds for seconds, _ in runs])
        self.p50 = Spread.of([statistics.median(times) for _, times in runs])
        self.p95 = Spread.of([percentile(times, 0.95) for _, times in runs])
        self.p99 = Spread.of([percentile(times, 0.99) for _, times in runs])

    def report(self, label: str, *, target: bool) -> None:
        print(f"{label}: {self.count} renders per run, {self.runs} runs")
        print(f"  renders/s {self.rates.text('/s', 0)}")
        for name, spread in (("p50", self.p50), ("p95", self.p95), ("p99", self.p99)):
            verdict = ""
            if target and name == "p95":
                met = spread.median <= TARGET_P95_MS
                verdict = f"   target <= {TARGET_P95_MS:g} ms: {'met' if met else 'MISSED'}"
            print(f"  {name}       {spread.text(' ms', 3)}{verdict}")

    def measured(self) -> str:
        """The README cell."""
        return (
            f"p95 {self.p95.text(' ms', 3)}; p50 {self.p50.median:.3f} ms, p99 "
            f"{self.p99.median:.3f} ms; {self.rates.median:,.0f} renders/s"
        )


def _preview_figures(runs: int) -> None:
    """Milliseconds of the preview worker's `render_preview` per keystroke on the editor
    benchmark's 2,000-line Modelfile."""
    from benchmarks.editor import build_modelfile
    from modelarium.tui.editor.prompt_preview import render_preview

    text = build_modelfile()
    conversation = json.dumps(sample_request("multi-turn"))
    first = render_preview(text, conversation)
    lines = text.split("\n")
    licence = next(index for index, line in enumerate(lines) if line.startswith("Clause "))
    template = next(index for index, line in enumerate(lines) if line.startswith("TEMPLATE"))
    outside: list[float] = []
    inside: list[float] = []
    for index in range(runs * 5):
        edited = lines.copy()
        edited[licence + index] += " x"
        start = time.perf_counter()
        render_preview("\n".join(edited), conversation)
        outside.append((time.perf_counter() - start) * 1000)
        edited = lines.copy()
        edited[template + 2] += "x" * (index + 1)
        start = time.perf_counter()
        render_preview("\n".join(edited), conversation)
        inside.append((time.perf_counter() - start) * 1000)
    print(
        f"live preview, {len(lines)}-line editor benchmark file ({first.note}): "
        "the worker's time per keystroke (after the debounce, off the key path)"
    )
    for label, times in (("outside TEMPLATE", outside), ("inside TEMPLATE", inside)):
        print(
            f"  {label:<17} p50 {statistics.median(times):7.2f} ms   "
            f"p95 {percentile(times, 0.95):7.2f} ms   min {min(times):7.2f} ms"
        )
    print("  (what the shown preview adds to key -> painted: benchmarks/editor.py)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (default 7)")
    arguments = parser.parse_args()
    cases = [
        (case["template"], request_for(case["values"]), oracle_date(case["expect"]))
        for case in load_cases()
    ]
    small = [case for case in cases if len(case[0].encode("utf-8")) <= SMALL_TEMPLATE]
    _one_run(cases, cold=False)  # warm-up: imports, caches
    warm = Figures([_one_run(small, cold=False) for _ in range(arguments.runs)], len(small))
    cold = Figures([_one_run(small, cold=True) for _ in range(arguments.runs)], len(small))
    every = Figures([_one_run(cases, cold=False) for _ in range(arguments.runs)], len(cases))
    print(f"{len(cases)} oracle cases; {len(small)} with templates <= {SMALL_TEMPLATE} bytes\n")
    warm.report("templates <= 4 KB, parse cached", target=True)
    cold.report("templates <= 4 KB, cold (parsed every render)", target=False)
    every.report("all templates, parse cached", target=False)
    print()
    _preview_figures(arguments.runs)
    print(machine_line())
    met = warm.p95.median <= TARGET_P95_MS
    record(
        "template_render",
        measured=warm.measured(),
        met=met,
        spread=warm.p95,
        unit="ms",
        p50=round(warm.p50.median, 4),
        p99=round(warm.p99.median, 4),
    )
    record(
        "template_cold",
        measured=cold.measured(),
        met=None,
        spread=cold.p95,
        unit="ms",
        p50=round(cold.p50.median, 4),
        p99=round(cold.p99.median, 4),
    )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
