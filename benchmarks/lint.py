"""Lint + format of a 2,000-line Modelfile (target <= 20 ms), lexing it for highlighting
(target <= 15 ms), and lint of one 128 KB line that once took seconds (a `<` followed by a long
run of words, a long run of blanks before a `#`; target well under 500 ms: the rules are
linear). Run: `python benchmarks/lint.py`.

Each action runs cold (the shared scan cache cleared, as after an edit) 25 times after one
warm-up (the 128 KB lines 5 times); the figure compared with the target is the median
wall-clock time, printed with the min-max range, the date and the machine's load (a busy
machine makes it pessimistic)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from benchmarks.results import Spread, machine_line, record
from modelarium.modelfile.document import clear_scan_cache
from modelarium.modelfile.format import format_modelfile
from modelarium.modelfile.lexer import ModelfileLexer, lex_lines
from modelarium.modelfile.lint import lint

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "modelfiles"
TARGET_LINES = 2000
LONG_LINE = 128 * 1024


def build_modelfile() -> str:
    """A realistic 2,000-line Modelfile: the granite tool-calling TEMPLATE repeated inside one
    block, comments, parameters, a long SYSTEM prompt and many few-shot MESSAGEs."""
    granite = (FIXTURES / "granite-tools.Modelfile").read_text(encoding="utf-8")
    template = granite[granite.index('TEMPLATE """') + len('TEMPLATE """') :]
    template = template[: template.index('"""')]
    lines = ["# Benchmark Modelfile", "FROM granite3.3:8b", ""]
    body = template
    while body.count("\n") < 900:
        body += "\n" + template
    lines.append(f'TEMPLATE """{body}"""')
    lines.append("")
    lines.append("# Sampling")
    lines.extend(
        [
            "PARAMETER temperature 0.2",
            "PARAMETER top_p 0.9",
            "PARAMETER top_k 40",
            "PARAMETER num_ctx 16384",
            "PARAMETER stop <|end_of_text|>",
            "PARAMETER stop <|start_of_role|>",
        ]
    )
    system = "\n".join(f"Rule {n}: answer precisely and cite the document." for n in range(300))
    lines.append(f'SYSTEM """{system}"""')
    count = 0
    while sum(part.count("\n") + 1 for part in lines) < TARGET_LINES:
        lines.append(f"# example {count}")
        lines.append(f"MESSAGE user What is item {count}?")
        lines.append(f'MESSAGE assistant "Item {count} is described in document {count % 7}."')
        count += 1
    return "\n".join(lines) + "\n"


def measure(action: Callable[[], object], repeat: int = 25) -> Spread:
    """Wall-clock milliseconds of `action` over `repeat` runs (after one warm-up run)."""
    action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return Spread.of(times)


def show(label: str, figures: Spread, target: float | None = None) -> None:
    """One result line: median, range and the target when there is one."""
    verdict = ""
    if target is not None:
        verdict = f"  target <= {target:.0f} ms: {'met' if figures.median <= target else 'MISSED'}"
    print(f"{label:<16}median {figures.text(' ms', 2)}{verdict}")


def record_row(key: str, figures: Spread, target: float, note: str = "") -> None:
    """Store one README row (the median against the target)."""
    met = figures.median <= target
    record(
        key,
        measured=figures.text(" ms") + note,
        met=met,
        spread=figures,
        unit="ms",
    )


def main() -> int:
    text = build_modelfile()
    line_count = text.count("\n")
    lines = text.splitlines(keepends=True)
    lexer = ModelfileLexer(stripnl=False, ensurenl=False)

    def cold_lint() -> object:
        clear_scan_cache()
        return lint(text)

    def cold_format() -> object:
        clear_scan_cache()
        return format_modelfile(text)

    def cold_both() -> object:
        clear_scan_cache()  # one parse shared by lint and format, as in the editor
        return lint(text), format_modelfile(text)

    lint_ms = measure(cold_lint)
    format_ms = measure(cold_format)
    both_ms = measure(cold_both)
    lex_ms = measure(lambda: list(lexer.get_tokens_unprocessed(text)))
    lines_ms = measure(lambda: list(lex_lines(lines)))
    long_words = "FROM x\nPARAMETER stop <" + "word " * (LONG_LINE // 5) + "\n"
    long_blanks = "FROM llama3" + " " * LONG_LINE + "# base\n"
    words_ms = measure(lambda: lint(long_words), repeat=5)
    blanks_ms = measure(lambda: lint(long_blanks), repeat=5)
    print(f"Modelfile: {line_count} lines, {len(text)} characters")
    show("lint", lint_ms)
    show("format", format_ms)
    show("lint + format", both_ms, 20)
    show("lex (whole)", lex_ms, 15)
    show("lex (per line)", lines_ms)
    show("128 KB < words", words_ms, 500)
    show("128 KB blanks", blanks_ms, 500)
    print(machine_line())
    record_row("lint_format", both_ms, 20, f"; lint alone {lint_ms.median:.1f} ms")
    record_row("lex", lex_ms, 15)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
