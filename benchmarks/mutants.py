"""A small mutation run over the Modelfile core and the Ollama client.

Each mutant is one deliberate one-line bug: a snippet of a module replaced by another (the
snippet must occur exactly once, so the list survives line moves; a mutant whose snippet is
gone is reported as stale, never silently counted). For each mutant the script writes the
mutated module into a scratch copy of the repository, runs that module's test subset there
(`pytest -x`, with a timeout) and counts the mutant killed when the tests fail or time out.
It prints each survivor and the kill rate per module, and exits 1 when any listed module is
below the target.

    python benchmarks/mutants.py [--only parser.py] [--timeout 300] [--jobs 1]

Nothing in the working tree is changed: the copy lives in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET = 0.90
CORE_TESTS = ("tests/unit/modelfile",)
CLIENT_TESTS = ("tests/integration/ollama",)


@dataclass(frozen=True, slots=True)
class Mutant:
    """One one-line bug: `old` (unique in `module`) becomes `new`."""

    module: str
    old: str
    new: str
    what: str


def _m(module: str, old: str, new: str, what: str) -> Mutant:
    return Mutant(module, old, new, what)


P = "modelarium/modelfile/parser.py"
R = "modelarium/modelfile/render.py"
C = "modelarium/modelfile/create.py"
PA = "modelarium/modelfile/params.py"
E = "modelarium/modelfile/elements.py"
D = "modelarium/modelfile/diff.py"
F = "modelarium/modelfile/format.py"
N = "modelarium/ollama/names.py"
CL = "modelarium/ollama/client.py"
H = "modelarium/ollama/hosts.py"
X = "modelarium/ollama/extract.py"
T = "modelarium/ollama/transport.py"

MUTANTS: tuple[Mutant, ...] = (
    # parser.py: decoding, keywords, values, quotes, errors
    _m(P, "return data[3:].decode(", "return data[2:].decode(", "UTF-8 BOM: drop 2 bytes"),
    _m(
        P,
        'if after != " " and after != "\\t":\n            return self.line_error(',
        'if after != " ":\n            return self.line_error(',
        "keyword may not end in TAB",
    ),
    _m(
        P,
        'if len(trimmed) >= 6 and trimmed.endswith(\'"""\'):',
        'if len(trimmed) >= 5 and trimmed.endswith(\'"""\'):',
        "triple quote: 5 runes close",
    ),
    _m(
        P,
        "if len(trimmed) >= 2 and trimmed.endswith('\"'):",
        "if trimmed.endswith('\"'):",
        "a lone quote closes itself",
    ),
    _m(
        P,
        'keyword: ("model" if keyword == "from" else keyword)',
        'keyword: ("from" if keyword == "from" else keyword)',
        "FROM named `from`, not `model`",
    ),
    _m(
        P,
        'return 1 + text.count("\\n", 0, offset + 1) + text.count("\\r", 0, offset + 1)',
        'return 1 + text.count("\\n", 0, offset) + text.count("\\r", 0, offset)',
        "error line excludes the triggering rune",
    ),
    _m(
        P,
        '        if command.name == "model":\n            return None\n    return NoFromLine',
        '        if command.name == "message":\n            return None\n    return NoFromLine',
        "a MESSAGE counts as FROM",
    ),
    _m(
        P,
        '        if role:\n            args = f"{role}: {args}"',
        '        if role:\n            args = f"{role}:{args}"',
        "MESSAGE args lose the blank",
    ),
    _m(P, '_TRIM_CHARS = " \\t\\r\\n"', '_TRIM_CHARS = " \\r\\n"', "values keep TABs"),
    # render.py: Ollama's String()
    _m(
        R,
        'if "\\n" in value or value.startswith(" ") or value.endswith(" "):',
        'if "\\n" in value or value.startswith(" "):',
        "trailing blank not quoted",
    ),
    _m(R, 'return f\'"""{value}"""\'', "return f'\"{value}\"'", "quotes inside a one-quote value"),
    _m(
        R,
        'return f"FROM {command.args}"',
        'return f"FROM {quote_value(command.args)}"',
        "FROM quoted",
    ),
    _m(
        R,
        'role, _, content = command.args.partition(": ")',
        'role, _, content = command.args.rpartition(": ")',
        "MESSAGE split at the last `: `",
    ),
    # create.py: typed parameters, paths, body
    _m(
        C,
        "if value < _INT64_MIN or value > _INT64_MAX:",
        "if value > _INT64_MAX:",
        "int64 underflow accepted",
    ),
    _m(
        C,
        "if isinstance(typed, list) and isinstance(existing, list):",
        "if isinstance(typed, list) and existing is None:",
        "stop values replace each other",
    ),
    _m(
        C,
        'requires = args if args.startswith("v") else "v" + args',
        'requires = "v" + args',
        "REQUIRES v1.0 becomes vv1.0",
    ),
    _m(
        C,
        'strings["requires"] = requires[1:]',
        'strings["requires"] = requires',
        "REQUIRES keeps its v",
    ),
    _m(
        C,
        'if strings.get("system"):\n        body["system"]',
        'if "system" in strings:\n        body["system"]',
        "an empty SYSTEM is sent",
    ),
    _m(
        C,
        'if part == "..":\n            if parts and parts[-1] != "..":',
        'if part == "..":\n            if parts:',
        "`..` eats `..` in Clean",
    ),
    _m(
        C,
        'if path.startswith(("/", "\\\\")):\n        return go_abs(path)',
        'if path.startswith("/"):\n        return go_abs(path)',
        "backslash path joined",
    ),
    _m(
        C,
        'warnings.append(f"warning: parameter {name} is deprecated")',
        'warnings.append(f"warning: parameter {name} is removed")',
        "deprecation text",
    ),
    _m(
        C,
        "        return shortest_float32(number)\n",
        "        return number\n",
        "floats not shortened to float32",
    ),
    _m(
        C,
        "if not _is_local(relative):",
        'if relative.startswith("/"):',
        "`..` escapes the model folder",
    ),
    # params.py: the catalogue
    _m(
        PA,
        'ParameterSpec("top_k", "int", 40, "run"',
        'ParameterSpec("top_k", "float", 40, "run"',
        "top_k typed as float",
    ),
    _m(
        PA,
        'ParameterSpec("temperature", "float", 0.8,',
        'ParameterSpec("temperature", "float", 0.7,',
        "temperature default",
    ),
    _m(
        PA,
        "return PARAMETERS.get(name) or DEPRECATED_PARAMETERS.get(name)",
        "return PARAMETERS.get(name.lower()) or DEPRECATED_PARAMETERS.get(name)",
        "names case-insensitive",
    ),
    _m(
        PA,
        '"penalize_newline", "bool", None, "run", "penalize newlines (removed)", deprecated=True',
        '"penalize_newline", "bool", None, "run", "penalize newlines (removed)", deprecated=False',
        "penalize_newline not deprecated",
    ),
    # elements.py: elements <-> commands
    _m(
        E,
        'return "\\n".join(f"{p.name} {p.value}" for p in self.parameters)',
        'return "\\n".join(f"{p.name}={p.value}" for p in self.parameters)',
        "parameter text changes identity",
    ),
    _m(
        E,
        'if len(first) >= 6 and first.endswith(\'"""\'):',
        'if len(first) >= 7 and first.endswith(\'"""\'):',
        "triple-quote survival check",
    ),
    _m(
        E,
        '        return Message(args, "")\n    return Message(role, content)',
        '        return Message(args, "")\n    return Message(content, role)',
        "MESSAGE role/content swapped",
    ),
    _m(
        E,
        'return hashlib.sha256(canonical.encode("utf-8")).hexdigest()',
        'return hashlib.sha256(canonical.strip().encode("utf-8")).hexdigest()',
        "hash ignores outer blanks",
    ),
    # diff.py
    _m(
        D,
        "if before == after:\n        return None",
        "if before.strip() == after.strip():\n        return None",
        "blank-only changes hidden",
    ),
    _m(
        D,
        'change = "added" if before is None else "removed" if after is None else "changed"',
        'change = "removed" if before is None else "added" if after is None else "changed"',
        "added/removed swapped",
    ),
    _m(
        D,
        "found = _text_change(name, old[-1] if old else None, new[-1] if new else None)",
        "found = _text_change(name, old[0] if old else None, new[0] if new else None)",
        "first instead of last value wins",
    ),
    _m(
        D,
        "if bases_before != bases_after:",
        "if bases_before[-1:] != bases_after[-1:]:",
        "only the last FROM compared",
    ),
    # format.py
    _m(
        F,
        'if not trivia.strip("\\r\\n"):\n        return trivia',
        "if not trivia.strip():\n        return trivia",
        "blank lines with spaces kept",
    ),
    _m(
        F,
        "if verify and [parsed.command for parsed in scan(canonical).commands] != [command]:",
        "if False and [parsed.command for parsed in scan(canonical).commands] != [command]:",
        "canonical text not verified",
    ),
    # names.py
    _m(N, 'HOST = ("host", 350)', 'HOST = ("host", 35)', "host length limit"),
    _m(
        N,
        'if char == "." and part is not NamePart.NAMESPACE:',
        'if char == ".":',
        "dots allowed in namespaces",
    ),
    _m(
        N,
        "return (self.host.lower(), self.namespace.lower(), self.model.lower(), self.tag.lower())",
        "return (self.host.lower(), self.namespace.lower(), self.model.lower(), self.tag)",
        "tags compare case-sensitively",
    ),
    _m(
        N,
        'if rest.rfind(":") > rest.rfind("/"):',
        'if rest.rfind(":") >= 0:',
        "a port taken for a tag",
    ),
    _m(
        N,
        "        elif self.namespace.lower() != DEFAULT_NAMESPACE:",
        "        elif self.namespace != DEFAULT_NAMESPACE:",
        "display: namespace case",
    ),
    # client.py
    _m(
        CL,
        "if isinstance(mapped, HostUnreachable) and attempt < len(delays):",
        "if isinstance(mapped, HostUnreachable) and attempt < 0:",
        "no retries at all",
    ),
    _m(
        CL,
        "delays = self._retry_delays if idempotent and retry else ()",
        "delays = self._retry_delays if retry else ()",
        "state changes retried",
    ),
    _m(
        CL,
        "RETRY_DELAYS: tuple[float, ...] = (0.1, 0.3)",
        "RETRY_DELAYS: tuple[float, ...] = (0.1,)",
        "one retry instead of two",
    ),
    _m(
        CL,
        "        max_connections: int = 8,",
        "        max_connections: int = 32,",
        "client pool default",
    ),
    _m(CL, "if 200 <= status < 300:", "if 200 <= status < 400:", "3xx taken as success"),
    _m(CL, "if status == 404:", "if status == 410:", "404 not a missing model"),
    _m(
        CL,
        'if text.startswith(("sha256:", "sha256-")):',
        'if text.startswith("sha256:"):',
        "sha256- digests doubled",
    ),
    _m(CL, "    if isinstance(value, bool):\n        return 0\n", "", "booleans count as sizes"),
    # hosts.py
    _m(
        H,
        'rank = {"up": 0, "unknown": 0, "degraded": 1, "down": 2}',
        'rank = {"up": 0, "unknown": 0, "degraded": 2, "down": 1}',
        "down tried before degraded",
    ),
    _m(
        H,
        "degraded_latency if degraded_latency is not None else max(1.0, timeout / 4)",
        "degraded_latency if degraded_latency is not None else max(3.0, timeout / 4)",
        "degraded threshold 3 s",
    ),
    _m(
        H,
        'state: HostState = "degraded" if latency > self.degraded_latency else "up"',
        'state: HostState = "up"',
        "never degraded",
    ),
    _m(
        H,
        "return min(max_backoff, interval * 2.0 ** (max(1, failures) - 1))",
        "return min(max_backoff, interval * 2.0 ** max(1, failures))",
        "backoff doubles too early",
    ),
    _m(
        H,
        "if not port_text.isdigit() or not 0 < int(port_text) <= 65535:",
        "if not port_text.isdigit() or not 0 < int(port_text) <= 65536:",
        "port 65536 accepted",
    ),
    _m(
        H,
        '    if state != "down":\n        return interval',
        '    if state == "up":\n        return interval',
        "degraded hosts back off",
    ),
    _m(
        H,
        'address = ipaddress.ip_address("::1" if address.version == 6 else "127.0.0.1")',
        "pass",
        "0.0.0.0 not mapped to loopback",
    ),
    # extract.py
    _m(
        X,
        'model_base = Command("model", name if is_blob_path(command.args) else command.args)',
        'model_base = Command("model", command.args)',
        "blob path kept as FROM",
    ),
    _m(
        X,
        "while len(self._entries) > self.max_entries:",
        "while len(self._entries) > self.max_entries + 1:",
        "cache grows past its bound",
    ),
    _m(
        X,
        'if "e" in value.lower() and number.is_integer() and abs(number) < 1e15:',
        'if "e" in value.lower() and abs(number) < 1e15:',
        "1.5e0 shown as 1",
    ),
    _m(
        X,
        "return str(int(number)) if number.is_integer() else value",
        "return str(int(number))",
        "int parameter truncated",
    ),
    # transport.py
    _m(
        T,
        "if time.monotonic() - self.idle_since > keepalive_expiry:",
        "if time.monotonic() - self.idle_since > keepalive_expiry * 1000:",
        "idle connections kept",
    ),
    _m(
        T,
        "if reusable and state.our_state is h11.DONE and state.their_state is h11.DONE:",
        "if state.our_state is h11.DONE and state.their_state is h11.DONE:",
        "`Connection: close` connections reused",
    ),
    _m(
        T,
        'if httpx.URL(url).scheme == "http":',
        'if httpx.URL(url).scheme in ("http", "https"):',
        "HTTPS through the plain pool",
    ),
)

TESTS: dict[str, tuple[str, ...]] = {
    P: CORE_TESTS, R: CORE_TESTS, C: CORE_TESTS, PA: CORE_TESTS, E: CORE_TESTS, D: CORE_TESTS,
    F: CORE_TESTS, N: CLIENT_TESTS, CL: CLIENT_TESTS, H: CLIENT_TESTS, X: CLIENT_TESTS,
    T: CLIENT_TESTS,
}  # fmt: skip
"""The test subset run for each module's mutants (-x: the first failure kills)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one mutant's run gave: killed, survived, or stale (snippet not found once)."""

    mutant: Mutant
    verdict: str
    seconds: float
    detail: str = ""


def scratch_copy() -> Path:
    """A copy of the package, its tests and what they read (docs, README), without bytecode
    caches."""
    folder = Path(tempfile.mkdtemp(prefix="modelarium-mutants-"))
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".venv")
    for name in ("modelarium", "tests", "docs", "benchmarks", "styles"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, folder / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, folder / name)
    return folder


def environment(folder: Path) -> dict[str, str]:
    """Imports come from the copy; no bytecode is written (a mutant of the same size written
    within the same second would otherwise run from a stale .pyc)."""
    env = dict(os.environ, PYTHONPATH=str(folder), PYTHONDONTWRITEBYTECODE="1")
    return env


def run_tests(folder: Path, tests: Sequence[str], timeout: float) -> tuple[bool, str]:
    """(passed, last line of pytest's output) for `tests` in the copy."""
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
               "-p", "no:randomly", *tests]  # fmt: skip
    try:
        done = subprocess.run(
            command, cwd=folder, env=environment(folder), capture_output=True, text=True,
            timeout=timeout,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return False, f"timed out after {timeout:g} s"
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return done.returncode == 0, lines[-1] if lines else f"exit {done.returncode}"


def run_mutant(mutant: Mutant, timeout: float) -> Outcome:
    """Apply `mutant` in its own scratch copy, run its tests, report."""
    source = (REPO / mutant.module).read_text(encoding="utf-8")
    if source.count(mutant.old) != 1:
        return Outcome(mutant, "stale", 0.0, f"snippet found {source.count(mutant.old)} times")
    folder = scratch_copy()
    try:
        (folder / mutant.module).write_text(source.replace(mutant.old, mutant.new), "utf-8")
        started = time.perf_counter()
        passed, last = run_tests(folder, TESTS[mutant.module], timeout)
        seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return Outcome(mutant, "survived" if passed else "killed", seconds, last)


def check_baseline(modules: set[str], timeout: float) -> None:
    """The unmutated tests must pass, and import the copy, or no verdict means anything."""
    folder = scratch_copy()
    try:
        probe = subprocess.run(
            [sys.executable, "-c", "import modelarium; print(modelarium.__file__)"],
            cwd=folder, env=environment(folder), capture_output=True, text=True, check=True,
        )  # fmt: skip
        if not probe.stdout.strip().startswith(str(folder)):
            raise SystemExit(f"the copy is not what gets imported: {probe.stdout.strip()}")
        for tests in sorted({TESTS[module] for module in modules}):
            passed, last = run_tests(folder, tests, timeout)
            if not passed:
                raise SystemExit(f"baseline fails before any mutation ({' '.join(tests)}): {last}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run only the mutants of modules whose path contains this")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per mutant's tests")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once (default 1)")
    parser.add_argument("--list", action="store_true", help="print the mutants and exit")
    args = parser.parse_args()
    chosen = [m for m in MUTANTS if args.only is None or args.only in m.module]
    if args.list:
        for mutant in chosen:
            print(f"{mutant.module}: {mutant.what}")
        print(f"{len(chosen)} mutants")
        return 0
    started = time.perf_counter()
    check_baseline({m.module for m in chosen}, args.timeout)
    outcomes: list[Outcome] = []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for outcome in pool.map(lambda m: run_mutant(m, args.timeout), chosen):
            outcomes.append(outcome)
            mark = {"killed": "killed  ", "survived": "SURVIVED", "stale": "STALE   "}
            print(f"{mark[outcome.verdict]} {outcome.seconds:6.1f} s  "
                  f"{outcome.mutant.module}: {outcome.mutant.what}  [{outcome.detail}]",
                  flush=True)  # fmt: skip
    print()
    print(f"{'module':<36} {'killed':>6} / {'run':<4} rate")
    below = False
    for module in dict.fromkeys(m.module for m in chosen):
        mine = [o for o in outcomes if o.mutant.module == module and o.verdict != "stale"]
        killed = sum(o.verdict == "killed" for o in mine)
        rate = killed / len(mine) if mine else 0.0
        below = below or rate < TARGET
        print(f"{module:<36} {killed:>6} / {len(mine):<4} {rate:.0%}")
    ran = [o for o in outcomes if o.verdict != "stale"]
    total_killed = sum(o.verdict == "killed" for o in ran)
    stale = len(outcomes) - len(ran)
    print(f"{'all':<36} {total_killed:>6} / {len(ran):<4} {total_killed / max(1, len(ran)):.0%}"
          f"   ({stale} stale; {time.perf_counter() - started:.0f} s; load "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")  # fmt: skip
    for outcome in outcomes:
        if outcome.verdict != "killed":
            print(f"{outcome.verdict}: {outcome.mutant.module}: {outcome.mutant.what}")
    return 1 if below or stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
