"""Library store benchmark: insert rate and search latency with 100,000 elements.

Runs on SQLite (a temporary file) and on PostgreSQL (a throwaway server started from the
installed binaries, as the tests do; skipped with a note when none is installed).
Targets: search p95 <= 20 ms on SQLite and <= 30 ms on PostgreSQL, with each engine's default
settings. The searches run in 5 passes of 300 queries over the same library; the figure is the
median of the passes' p95 (min-max beside it), printed with the date and the machine's load,
then p50 and p95 per query shape (which shape a change helps or hurts).

    python benchmarks/store.py [--elements 100000] [--queries 300] [--passes 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.results import Spread, machine_line, percentile, record  # noqa: E402
from modelarium.modelfile.elements import Element, ElementKind, Message, Parameter  # noqa: E402
from modelarium.store import Library, NewElement, Provenance, Tag  # noqa: E402

FAMILIES = ("llama", "qwen", "mistral", "granite", "gemma", "phi", "deepseek-r1")
USE_CASES = ("general", "code", "tools", "research", "thinking")
HOSTS = ("gpu-box", "laptop", "ci-runner")
TARGETS_MS = {"sqlite": 20.0, "postgresql": 30.0}
BATCH = 1000


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    """Pronounceable synthetic words plus the Modelfile words people search for."""
    syllables = ["ka", "lo", "mi", "ra", "te", "vu", "shi", "pon", "dar", "el", "qu", "zen"]
    words = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size)}
    words.update(
        [
            "temperature",
            "template",
            "assistant",
            "pirate",
            "reviewer",
            "python",
            "tools",
            "thinking",
            "system",
            "prompt",
            "concise",
            "careful",
            "chatml",
        ]
    )
    return sorted(words)


def make_element(rng: random.Random, words: list[str], number: int) -> NewElement:
    """One synthetic but realistic element (system prompt, template, parameters, messages)."""
    family = rng.choice(FAMILIES)
    use_case = rng.choice(USE_CASES)
    text = " ".join(rng.choice(words) for _ in range(rng.randint(8, 40)))
    choice = number % 4
    if choice == 0:
        element = Element(ElementKind.SYSTEM, value=f"You are {text}. {number}")
    elif choice == 1:
        element = Element(
            ElementKind.TEMPLATE,
            value=f"{{{{ if .System }}}}<|im_start|>system {text} {number}<|im_end|>{{{{ end }}}}",
        )
    elif choice == 2:
        element = Element(
            ElementKind.PARAMETERS,
            parameters=(
                Parameter("temperature", f"{rng.random():.3f}"),
                Parameter("top_k", str(rng.randint(1, 100))),
                Parameter("num_ctx", str(2 ** rng.randint(11, 17))),
                Parameter("stop", f"<|{rng.choice(words)}|>"),
                Parameter("seed", str(number)),
            ),
        )
    else:
        element = Element(
            ElementKind.MESSAGES,
            messages=(Message("user", text), Message("assistant", f"{rng.choice(words)} {number}")),
        )
    provenance = (
        Provenance(rng.choice(HOSTS), f"{family}:{rng.randint(1, 70)}b", f"sha256:{number:064x}")
        if number % 3 == 0
        else None
    )
    name = f"{rng.choice(words)} {rng.choice(words)} {element.kind.value} {number}"
    tags = (Tag("family", family), Tag("use_case", use_case))
    return NewElement(element, name, tags, provenance)


Query = tuple[str, dict[str, Any]]
SHAPES = ("prefix", "word", "two words", "prefix + family", "filters only", "word + kind + host")
"""The query shapes of `queries`, in the order each round of the mix holds them."""


def shape_of(index: int, mix_length: int) -> str:
    """The shape of query `index` of a mix made by `queries`."""
    return SHAPES[index % len(SHAPES)] if index < mix_length - 5 else "fixed"


def queries(rng: random.Random, words: list[str]) -> list[Query]:
    """A mix of what people type: prefixes, whole words, two words, filters, empty queries."""
    mix: list[Query] = []
    for _ in range(60):
        word = rng.choice(words)
        prefix = word[: rng.randint(3, max(3, len(word) - 1))]
        second = rng.choice(words)
        family = rng.choice(FAMILIES)
        use_case = rng.choice(USE_CASES)
        mix.extend(
            [
                (prefix, {}),
                (word, {}),
                (f"{word} {second[:3]}", {}),
                (prefix, {"family": family}),
                ("", {"family": family, "use_case": use_case}),
                (word, {"kinds": ("system",), "host": "gpu-box"}),
            ]
        )
    mix.extend(
        [
            ("temp", {}),
            ("temperature", {}),
            ("pirate reviewer", {}),
            ("templ", {"kinds": ("template",)}),
            ("tmplate", {}),
        ]
    )
    return mix


def run_engine(
    name: str,
    url: str,
    count: int,
    query_count: int,
    passes: int,
    after_insert: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Fill a fresh library with `count` elements, run `after_insert`, time `passes` passes
    of `query_count` searches."""
    rng = random.Random(7)
    words = vocabulary(rng)
    library = Library.open(url)
    try:
        started = time.perf_counter()
        for first in range(0, count, BATCH):
            batch = [make_element(rng, words, n) for n in range(first, min(first + BATCH, count))]
            library.add_elements(batch)
        insert_seconds = time.perf_counter() - started
        if after_insert is not None:
            after_insert()
        mix = queries(rng, words)
        for text, filters in mix[:20]:
            library.search(text, **filters)
        p50s: list[float] = []
        p95s: list[float] = []
        by_shape: dict[str, list[float]] = {}
        worst = 0.0
        for _ in range(passes):
            timings: list[float] = []
            for index in range(query_count):
                text, filters = mix[index % len(mix)]
                begin = time.perf_counter()
                library.search(text, **filters)
                timings.append((time.perf_counter() - begin) * 1000)
                by_shape.setdefault(shape_of(index % len(mix), len(mix)), []).append(timings[-1])
            p50s.append(statistics.median(timings))
            p95s.append(percentile(timings, 0.95))
            worst = max(worst, max(timings))
        return {
            "elements": library.count_elements(),
            "insert_per_second": count / insert_seconds,
            "p50": Spread.of(p50s),
            "p95": Spread.of(p95s),
            "max_ms": worst,
            "shapes": {
                shape: (statistics.median(t), percentile(t, 0.95)) for shape, t in by_shape.items()
            },
        }
    finally:
        library.close()


def report(name: str, figures: dict[str, Any]) -> None:
    """Print one engine's figures, whether the p95 target holds, and record the row."""
    target = TARGETS_MS[name]
    p50: Spread = figures["p50"]
    p95: Spread = figures["p95"]
    met = p95.median <= target
    print(
        f"{name:<11} {int(figures['elements']):>7} elements  "
        f"insert {figures['insert_per_second']:>6.0f}/s  search p50 {p50.median:6.2f} ms  "
        f"p95 {p95.text(' ms', 2)}  max {figures['max_ms']:6.1f} ms  "
        f"({'meets' if met else 'MISSES'} p95 <= {target:.0f} ms)"
    )
    for shape, (shape_p50, shape_p95) in figures["shapes"].items():
        print(f"{'':<11} {shape:<20} p50 {shape_p50:6.2f} ms  p95 {shape_p95:6.2f} ms")
    record(
        f"store_{name}",
        measured=f"{int(figures['elements']):,} elements: search p50 {p50.median:.1f} ms, "
        f"p95 {p95.text(' ms')} of {p95.runs} passes; insert "
        f"{figures['insert_per_second']:,.0f} elements/s",
        met=met,
        spread=p95,
        unit="ms",
    )


def main() -> int:
    """Run both engines and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elements", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="modelarium-bench-") as folder:
        if args.engine in ("sqlite", "both"):
            url = f"sqlite:///{Path(folder) / 'library.sqlite3'}"
            report("sqlite", run_engine("sqlite", url, args.elements, args.queries, args.passes))
    if args.engine in ("postgresql", "both"):
        from tests.integration.store.postgres_server import (
            PostgresServer,
            find_server_binaries,
            skip_reason,
        )

        reason = skip_reason()
        bin_dir = find_server_binaries()
        if reason is not None or bin_dir is None:
            print(f"postgresql  skipped: {reason}")
            return 0
        server = PostgresServer(bin_dir)
        server.start()
        try:
            server.execute("CREATE DATABASE modelarium_bench")
            # Autovacuum analyses a table after a bulk insert at some point; do it now so the
            # planner's statistics (and so the figures) do not depend on when that happens.
            figures = run_engine(
                "postgresql",
                server.url("modelarium_bench"),
                args.elements,
                args.queries,
                args.passes,
                after_insert=lambda: server.execute("ANALYZE", database="modelarium_bench"),
            )
            report("postgresql", figures)
        finally:
            server.stop()
    print(machine_line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
