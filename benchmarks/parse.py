"""Throughput of the Modelfile core: parse, render and create-request building.

Run `python benchmarks/parse.py`. Workloads:

- realistic files: the oracle's `real-*` cases (Llama 3/3.1, Qwen 2.5, Gemma 2, Phi-3,
  DeepSeek-R1, CodeLlama), every file in `tests/fixtures/modelfiles` (Llama, Mistral, Qwen
  coder, Granite tools) and the `ollama show` Modelfile of every model the demo host is seeded
  with (Llama, Mistral, Mistral Small, Qwen, Granite 3.3 / 4, a vision and an embedding model);
- every file of at most 2 KB: the realistic ones that size and all the oracle's cases (most of
  those are ~100-byte edge cases, where the fixed cost of a call dominates);
- all oracle cases, and large synthetic files (an 800-line TEMPLATE, 150 stop values, a 40 KB
  and a 400 KB line, 5,000 PARAMETER lines).

Parse reads bytes (decoding included); MB/s is always measured against the Modelfile's size in
bytes, so the columns compare. Each figure is the median of 7 timed rounds of wall-clock time
(min–max beside it), printed with the date and the machine's load: on a busy machine the
figures are pessimistic, never flattering.
"""

from __future__ import annotations

import base64
import contextlib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.results import Spread, machine_line, record  # noqa: E402
from modelarium.modelfile.commands import Command, ModelfileError  # noqa: E402
from modelarium.modelfile.create import CreateRequestError, build_create_request  # noqa: E402
from modelarium.modelfile.parser import parse  # noqa: E402
from modelarium.modelfile.render import render_commands  # noqa: E402

NO_FOLDER = Path("/nonexistent/modelarium-benchmark")
ROUND_SECONDS = 0.05
"""Each timed round repeats the work until it lasts at least this long."""
ROUNDS = 7
TARGET_MB_S = 20.0
FIXTURES = ROOT / "tests" / "fixtures" / "modelfiles"


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


def realistic_inputs() -> list[tuple[str, bytes]]:
    """(name, bytes) of the realistic files: oracle `real-*`, fixtures, demo `show` output."""
    from modelarium.demo import seeded_state

    files = [(case, data) for case, data in oracle_inputs() if case.startswith("real-")]
    files.extend((path.name, path.read_bytes()) for path in sorted(FIXTURES.glob("*.Modelfile")))
    state = seeded_state()
    for model in state.list_models():
        text = state.view(model).modelfile(state)
        files.append((f"demo show {model.name.display}", text.encode("utf-8")))
    return files


def synthetic_inputs() -> dict[str, bytes]:
    """The large files the issue names."""
    template_lines = "\n".join(
        f'{{{{- if .System }}}}<|system|> line {index} "quoted" {{{{ .System }}}}{{{{ end }}}}'
        for index in range(800)
    )
    stops = "".join(f"PARAMETER stop <|tok{index}|>\n" for index in range(150))
    long_line = "word " * 8192
    longer_line = "word " * 81920
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
        "400 KB line": f"FROM llama3\nSYSTEM {longer_line}\n".encode(),
        "5,000 PARAMETER lines": f"FROM llama3\n{parameters}".encode(),
    }


def rates(work: Callable[[], object], batch_bytes: int, files: int) -> tuple[Spread, Spread]:
    """(MB/s, files/s) of `work` over `ROUNDS` timed rounds; one call of `work` handles
    `files` files of `batch_bytes` in all."""
    repeats = 1
    while True:  # calibrate (and warm up): how many calls make one round
        started = time.perf_counter()
        for _ in range(repeats):
            work()
        if time.perf_counter() - started >= ROUND_SECONDS:
            break
        repeats *= 2
    seconds: list[float] = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(repeats):
            work()
        seconds.append((time.perf_counter() - started) / repeats)
    megabytes = Spread.of([batch_bytes / each / 1e6 for each in seconds])
    per_file = Spread.of([files / each for each in seconds])
    return megabytes, per_file


@dataclass(frozen=True, slots=True)
class Workload:
    """One workload's figures: parse, render and create rates (MB/s and files/s)."""

    name: str
    files: int
    average_bytes: float
    parse_mb: Spread
    parse_files: Spread
    render_mb: Spread
    create_mb: Spread

    def cells(self) -> list[str]:
        """The printed table row."""
        return [
            self.name,
            f"{self.files}",
            f"{self.average_bytes / 1000:.1f} KB",
            self.parse_mb.text(""),
            f"{self.parse_files.median:,.0f}/s",
            self.render_mb.text(""),
            self.create_mb.text(""),
        ]


def measure(name: str, sources: list[bytes]) -> Workload:
    """Parse, render and create rates for `sources`."""
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

    parse_mb, parse_files = rates(parse_all, total, len(sources))
    render_mb, _ = rates(render_all, ok_total, len(parsed))
    create_mb, _ = rates(create_all, ok_total, len(parsed))
    return Workload(
        name, len(sources), total / len(sources), parse_mb, parse_files, render_mb, create_mb
    )


def main() -> None:
    oracle = oracle_inputs()
    realistic = realistic_inputs()
    small = [data for _, data in realistic + oracle if len(data) <= 2048]
    synthetic = synthetic_inputs()
    realistic_row = measure("realistic files", [data for _, data in realistic])
    small_row = measure("every file <= 2 KB", small)
    rows = [
        realistic_row,
        small_row,
        measure("oracle: all cases", [data for _, data in oracle]),
        measure("oracle: real-* only", [data for case, data in oracle if case.startswith("real-")]),
    ]
    synthetic_rows = {name: measure(name, [data]) for name, data in synthetic.items()}
    rows.extend(synthetic_rows.values())
    header = ["workload", "files", "avg size", "parse MB/s", "parse files", "render MB/s",
              "create MB/s"]  # fmt: skip
    table = [row.cells() for row in rows]
    widths = [max(len(row[column]) for row in [header, *table]) for column in range(len(header))]
    for row in [header, ["-" * width for width in widths], *table]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    sizes = sorted(len(data) for _, data in realistic)
    print(f"realistic files: {len(realistic)}, {sizes[0]} B to {sizes[-1] / 1000:.1f} KB; "
          f"files <= 2 KB: {len(small)}")  # fmt: skip
    print(f"median (min-max) of {ROUNDS} wall-clock rounds; {machine_line()}")

    for key, workload in (("parse_realistic", realistic_row), ("parse_small", small_row)):
        met = workload.parse_mb.median >= TARGET_MB_S
        record(
            key,
            measured=f"{workload.parse_mb.text(' MB/s')}, "
            f"{workload.parse_files.median:,.0f} files/s",
            met=met,
            spread=workload.parse_mb,
            unit="MB/s",
        )
    short, long = synthetic_rows["40 KB line"], synthetic_rows["400 KB line"]
    template = synthetic_rows["800-line TEMPLATE"]
    linear = long.parse_mb.median >= 0.5 * short.parse_mb.median
    record(
        "parse_long",
        measured=f"40 KB line {short.parse_mb.text(' MB/s')}; 400 KB line "
        f"{long.parse_mb.text(' MB/s')}; 800-line TEMPLATE {template.parse_mb.median:.0f} MB/s",
        met=linear,
        spread=long.parse_mb,
        unit="MB/s",
    )
    record(
        "render_create",
        measured=f"render {realistic_row.render_mb.text(' MB/s', 0)}; create body "
        f"{realistic_row.create_mb.text(' MB/s', 0)}",
        met=None,
        spread=realistic_row.render_mb,
        unit="MB/s",
    )


if __name__ == "__main__":
    main()
