"""Prompt rendering over the oracle's templates × conversations (target: p95 <= 1 ms per render
for templates up to 4 KB). Run: `python benchmarks/template.py [--runs N]`.

Each run renders every oracle case once with the parse cache warm (what a preview does when
only the conversation changes) and once cold (the template parsed again, as after a keystroke in
the TEMPLATE). It prints renders per second and the p95/p99 of one render per run, then the
median over the runs with the spread (min–max): other processes on a shared machine only ever
add time, so the lower figures are the ones to compare with the target."""

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

from modelarium.modelfile import prompt
from modelarium.modelfile.prompt import TemplateError, render_prompt
from modelarium.modelfile.prompt_samples import sample_request
from tests.unit.modelfile.oracle_requests import load_cases, oracle_date, request_for

SMALL_TEMPLATE = 4096
"""The target applies to templates up to this many bytes."""


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _one_run(cases: list[tuple[str, dict[str, Any], Any]], cold: bool) -> tuple[float, list[float]]:
    """Seconds for all cases and each render's milliseconds."""
    times: list[float] = []
    started = time.perf_counter()
    for template, request, today in cases:
        if cold:
            prompt._prepare.cache_clear()
            prompt._cut_root.cache_clear()
        start = time.perf_counter()
        with contextlib.suppress(TemplateError):
            render_prompt(template, request, today=today)
        times.append((time.perf_counter() - start) * 1000)
    return time.perf_counter() - started, times


def _report(label: str, runs: list[tuple[float, list[float]]], count: int) -> None:
    rates = [count / seconds for seconds, _ in runs]
    p95s = [_percentile(times, 0.95) for _, times in runs]
    p99s = [_percentile(times, 0.99) for _, times in runs]
    medians = [statistics.median(times) for _, times in runs]

    def line(name: str, values: list[float], unit: str, digits: int) -> str:
        return (
            f"  {name:<10}{statistics.median(values):>10.{digits}f} {unit}"
            f"   (min {min(values):.{digits}f} – max {max(values):.{digits}f})"
        )

    print(f"{label}: {count} renders per run, {len(runs)} runs")
    print(line("renders/s", rates, "/s", 0))
    print(line("median", medians, "ms", 3))
    print(line("p95", p95s, "ms", 3) + f"   target <= 1 ms: {'ok' if min(p95s) <= 1 else 'MISSED'}")
    print(line("p99", p99s, "ms", 3))


def _preview_figures(runs: int) -> None:
    """Milliseconds of `render_preview` on the editor benchmark's 2,000-line Modelfile."""
    import importlib.util

    from modelarium.tui.editor.prompt_preview import render_preview

    spec = importlib.util.spec_from_file_location(
        "editor_bench", Path(__file__).with_name("editor.py")
    )
    assert spec is not None and spec.loader is not None
    editor_bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(editor_bench)
    text: str = editor_bench.build_modelfile()
    conversation = json.dumps(sample_request("multi-turn"))
    render_preview(text, conversation)
    outside: list[float] = []
    inside: list[float] = []
    marker = 'TEMPLATE """'
    for index in range(runs * 5):
        edited = text + f"# keystroke {index}\n"
        start = time.perf_counter()
        render_preview(edited, conversation)
        outside.append((time.perf_counter() - start) * 1000)
        edited = text.replace(marker, marker + "x" * (index + 1), 1)
        start = time.perf_counter()
        render_preview(edited, conversation)
        inside.append((time.perf_counter() - start) * 1000)
    lines = text.count("\n")
    print(f"live preview, {lines}-line editor benchmark file (worker time per keystroke)")
    for label, times in (("outside TEMPLATE", outside), ("inside TEMPLATE", inside)):
        print(
            f"  {label:<17} median {statistics.median(times):7.2f} ms   "
            f"p95 {_percentile(times, 0.95):7.2f} ms   min {min(times):7.2f} ms"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (default 7)")
    arguments = parser.parse_args()
    cases = [
        (case["template"], request_for(case["values"]), oracle_date(case["expect"]))
        for case in load_cases()
    ]
    small = [case for case in cases if len(case[0].encode("utf-8")) <= SMALL_TEMPLATE]
    _one_run(cases, cold=False)  # warm-up: imports, caches, branch predictors
    warm = [_one_run(small, cold=False) for _ in range(arguments.runs)]
    cold = [_one_run(small, cold=True) for _ in range(arguments.runs)]
    every = [_one_run(cases, cold=False) for _ in range(arguments.runs)]
    print(f"{len(cases)} oracle cases; {len(small)} with templates <= {SMALL_TEMPLATE} bytes\n")
    _report("templates <= 4 KB, parse cached", warm, len(small))
    _report("templates <= 4 KB, parsed every render", cold, len(small))
    _report("all templates, parse cached", every, len(cases))
    print()
    _preview_figures(arguments.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
