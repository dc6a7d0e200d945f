"""Throughput of the Modelfile core: parse, render and create-request building.

Run `python benchmarks/parse.py`. Workloads: the oracle cases (all of them, the ones of at most
2 KB, and the realistic `real-*` files) and large synthetic files (an 800-line TEMPLATE, 150
stop values, a 40 KB line, 5,000 PARAMETER lines). Parse reads bytes (decoding included);
MB/s is always measured against the Modelfile's size in bytes, so the columns compare.
Each figure is the best of several rounds of CPU time (`time.process_time`), so other
processes on a busy machine do not skew it.
"""

from __future__ import annotations

import base64
import contextlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from modelarium.modelfile.commands import Command, ModelfileError  # noqa: E402
from modelarium.modelfile.create import CreateRequestError, build_create_request  # noqa: E402
from modelarium.modelfile.parser import parse  # noqa: E402
from modelarium.modelfile.render import render_commands  # noqa: E402

NO_FOLDER = Path("/nonexistent/modelarium-benchmark")
TARGET_SECONDS = 0.25
ROUNDS = 5


def oracle_inputs() -> list[tuple[str, bytes]]:
    """(id, bytes) for every oracle case."""
    cases = json.loads((ROOT / "tests" / "fixtures" / "parser_cases.json").read_text("utf-8"))
    inputs: list[tuple[str, bytes]] = []
    for case in cases:
        if "input" in case:
            inputs.append((case["id"], case["input"].encode("utf-8")))
        else:
            inputs.append((case["id"], base64.b64decode(case["input_b64"])))
    return inputs


def synthetic_inputs() -> dict[str, bytes]:
    """The large files the issue names."""
    template_lines = "\n".join(
        f'{{{{- if .System }}}}<|system|> line {index} "quoted" {{{{ .System }}}}{{{{ end }}}}'
        for index in range(800)
    )
    stops = "".join(f"PARAMETER stop <|tok{index}|>\n" for index in range(150))
    long_line = "word " * 8192
    parameters = "".join(
        f"PARAMETER {name} {value}\n"
        for index in range(1250)
        for name, value in (
            ("temperature", f"0.{index % 10}"),
            ("top_k", str(index)),
            ("stop", f"<|s{index}|>"),
            ("seed", str(index)),
        )
    )
    return {
        "800-line TEMPLATE": f'FROM llama3\nTEMPLATE """{template_lines}"""\n'.encode(),
        "150 stop values": f"FROM llama3\n{stops}".encode(),
        "40 KB line": f"FROM llama3\nSYSTEM {long_line}\n".encode(),
        "5,000 PARAMETER lines": f"FROM llama3\n{parameters}".encode(),
    }


def best_rate(work: Callable[[], object], batch_bytes: int, files: int) -> tuple[float, float]:
    """(MB/s, files/s) of `work`, one call of which handles `files` files of `batch_bytes`."""
    repeats = 1
    while True:
        started = time.process_time()
        for _ in range(repeats):
            work()
        elapsed = time.process_time() - started
        if elapsed >= TARGET_SECONDS / ROUNDS:
            break
        repeats *= 2
    best = elapsed / repeats
    for _ in range(ROUNDS - 1):
        started = time.process_time()
        for _ in range(repeats):
            work()
        best = min(best, (time.process_time() - started) / repeats)
    return batch_bytes / best / 1e6, files / best


def measure(name: str, sources: list[bytes]) -> list[str]:
    """One table row: parse, render and create rates for `sources`."""
    parsed: list[list[Command]] = []
    parse_ok: list[bytes] = []
    for source in sources:
        try:
            parsed.append(parse(source))
            parse_ok.append(source)
        except ModelfileError:
            continue
    total = sum(len(source) for source in sources)
    ok_total = sum(len(source) for source in parse_ok)

    def parse_all() -> None:
        for source in sources:
            with contextlib.suppress(ModelfileError):
                parse(source)

    def render_all() -> None:
        for commands in parsed:
            render_commands(commands)

    def create_all() -> None:
        for commands in parsed:
            with contextlib.suppress(CreateRequestError):
                build_create_request(commands, NO_FOLDER)

    parse_mb, parse_files = best_rate(parse_all, total, len(sources))
    render_mb, render_files = best_rate(render_all, ok_total, len(parsed))
    create_mb, create_files = best_rate(create_all, ok_total, len(parsed))
    average = total / len(sources)
    return [
        name,
        f"{len(sources)}",
        f"{average / 1000:.1f} KB",
        f"{parse_mb:.1f} MB/s",
        f"{parse_files:,.0f}/s",
        f"{render_mb:.1f} MB/s",
        f"{render_files:,.0f}/s",
        f"{create_mb:.1f} MB/s",
        f"{create_files:,.0f}/s",
    ]


def main() -> None:
    oracle = oracle_inputs()
    rows = [
        measure("oracle: all cases", [data for _, data in oracle]),
        measure("oracle: cases <= 2 KB", [data for _, data in oracle if len(data) <= 2048]),
        measure(
            "oracle: real-* files", [data for case, data in oracle if case.startswith("real-")]
        ),
    ]
    rows.extend(measure(name, [data]) for name, data in synthetic_inputs().items())
    header = [
        "workload",
        "files",
        "avg size",
        "parse",
        "parse files",
        "render",
        "render files",
        "create",
        "create files",
    ]
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    for row in [header, ["-" * width for width in widths], *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
