"""A small mutation run over the Modelfile core and the Ollama client.

Each mutant is one deliberate one-line bug: a snippet of a module replaced by another. The
snippet must occur exactly once, so the list survives line moves; a mutant may name
alternative snippets for code that was rewritten (the first one found exactly once is used),
and a mutant none of whose snippets is found is reported as stale, never silently counted.

The script copies the package, its tests and what they read into a scratch folder once (from
the working tree, or from a git revision with `--ref`), checks that the unmutated tests pass
there, then for each mutant writes the mutated module, runs that module's test subset
(`pytest -x`, with a timeout) and restores the module. A mutant is killed when the tests fail
or time out. Mutants marked equivalent (no input can tell them from the original; the reason
is given) are run and listed but left out of the kill rate. It prints each outcome, the kill
rate per module, and exits 1 when a module is below the 90 % target or a mutant is stale.

    python benchmarks/mutants.py [--only hosts.py] [--ref BRANCH] [--timeout 300] [--list]

Nothing in the working tree is changed.
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
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET = 0.90
CORE_TESTS = ("tests/unit/modelfile",)
CLIENT_TESTS = ("tests/integration/ollama", "tests/unit/ollama")


@dataclass(frozen=True, slots=True)
class Mutant:
    """One one-line bug: `old` (unique in `module`) becomes `new`; `alternatives` are other
    (old, new) pairs for rewritten code; `equivalent` says why no input can tell it apart."""

    module: str
    old: str
    new: str
    what: str
    alternatives: tuple[tuple[str, str], ...] = ()
    equivalent: str = ""

    def apply(self, source: str) -> str | None:
        """The mutated source, or None when no snippet occurs exactly once."""
        for old, new in ((self.old, self.new), *self.alternatives):
            if source.count(old) == 1:
                return source.replace(old, new)
        return None


def _m(
    module: str,
    old: str,
    new: str,
    what: str,
    *,
    alternatives: tuple[tuple[str, str], ...] = (),
    equivalent: str = "",
) -> Mutant:
    return Mutant(module, old, new, what, alternatives, equivalent)


P = "modelarium/modelfile/parser.py"
R = "modelarium/modelfile/render.py"
C = "modelarium/modelfile/create.py"
GS = "modelarium/modelfile/golang/strconv.py"
GP = "modelarium/modelfile/golang/paths.py"
PA = "modelarium/modelfile/params.py"
E = "modelarium/modelfile/elements.py"
D = "modelarium/modelfile/diff.py"
F = "modelarium/modelfile/format.py"
N = "modelarium/ollama/names.py"
CL = "modelarium/ollama/client.py"
H = "modelarium/ollama/hosts.py"
HA = "modelarium/ollama/addresses.py"
X = "modelarium/ollama/extract.py"
T = "modelarium/ollama/transport.py"
TY = "modelarium/ollama/types.py"
L = "modelarium/modelfile/lint.py"
DO = "modelarium/modelfile/document.py"
LX = "modelarium/modelfile/lexer.py"

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
        GS,
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
        GP,
        'if part == "..":\n            if parts and parts[-1] != "..":',
        'if part == "..":\n            if parts:',
        "`..` eats `..` in Clean",
    ),
    _m(
        C,
        'if path.startswith(("/", "\\\\")):\n        return _abs(path)',
        'if path.startswith("/"):\n        return _abs(path)',
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
        'canonical = json.dumps(self.content_json(), ensure_ascii=False, separators=(",", ":"))',
        "canonical = self.plain_text()",
        "the hash forgets the kind",
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
    _m(
        F,
        'if body.lstrip(" \\t").startswith("#"):',
        'if body.startswith("#"):',
        "indented comments keep their indent",
    ),
    _m(
        D,
        '"\\n".join(licenses_before) if licenses_before else None,',
        '"".join(licenses_before) if licenses_before else None,',
        "several LICENSEs run together",
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
    _m(
        N,
        'return f"{prefix}{self.model}:{self.tag}"',
        'return f"{prefix}{self.model}"',
        "display drops the tag",
    ),
    # client.py
    _m(
        CL,
        "if isinstance(mapped, HostUnreachable) and attempt < len(delays):",
        "if isinstance(mapped, HostUnreachable) and attempt < 0:",
        "no retries at all",
        alternatives=(
            ("if retryable and attempt < len(delays):", "if retryable and attempt < 0:"),
        ),
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
    _m(TY, "    if isinstance(value, bool):\n        return 0\n", "", "booleans count as sizes"),
    # hosts.py
    _m(
        H,
        'rank = {"up": 0, "unknown": 0, "degraded": 1, "down": 2}',
        'rank = {"up": 0, "unknown": 0, "degraded": 2, "down": 1}',
        "down tried before degraded",
        alternatives=(
            (
                '{"up": 0, "unknown": 1, "degraded": 2, "down": 3}',
                '{"up": 0, "unknown": 1, "degraded": 3, "down": 2}',
            ),
        ),
    ),
    _m(
        H,
        "degraded_latency if degraded_latency is not None else max(1.0, timeout / 4)",
        "degraded_latency if degraded_latency is not None else max(3.0, timeout / 4)",
        "degraded threshold 3 s",
        alternatives=(("DEGRADED_LATENCY = 1.0", "DEGRADED_LATENCY = 3.0"),),
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
        HA,
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
        HA,
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
        "a body not read to its end still reused",
        equivalent="`reusable` is true exactly when the body reached h11's EndOfMessage, "
        "which is also when `their_state` becomes DONE: the condition holds in the same cases",
    ),
    _m(
        T,
        'if httpx.URL(url).scheme == "http":',
        'if httpx.URL(url).scheme in ("http", "https"):',
        "HTTPS through the plain pool",
        alternatives=(
            (
                'if httpx.URL(url).scheme == "http" and',
                'if httpx.URL(url).scheme in ("http", "https") and',
            ),
        ),
    ),
    # lint.py: rule conditions, positions, severity, fixes
    _m(
        L,
        "if letters.lower() in INSTRUCTIONS and offset > word_start:",
        "if letters.lower() in INSTRUCTIONS:",
        "a misspelt word taken for a keyword missing its blank",
        equivalent="an invalid-command error points at the word's first rune only for an "
        "unknown keyword, and then the word's leading letters are that keyword (or nothing, "
        "when its first rune is not a letter), never an instruction: every error whose "
        "letters are an instruction lies after the word's start",
    ),
    _m(
        L,
        "or name in DEPRECATED_PARAMETERS or len(occurrences) < 2:",
        "or name in DEPRECATED_PARAMETERS or len(occurrences) < 3:",
        "a parameter set twice not reported",
    ),
    _m(
        L,
        "end_line, end_column = self.source.position(max(end, start))",
        "end_line, end_column = self.source.position(start)",
        "every span empty",
    ),
    _m(L, "self.shift = len(self.bom)", "self.shift = 0", "positions after a BOM off by one"),
    _m(
        L,
        "if (low is not None and number < low) or",
        "if (low is not None and number <= low) or",
        "the range minimum itself out of range",
    ),
    _m(
        L,
        'that text is sent to the server; save the file with LF endings",\n'
        '                severity="warning",',
        'that text is sent to the server; save the file with LF endings",',
        "a CR kept in a value is only a note",
    ),
    _m(
        L,
        'Fix("drop the comment (put it on its own line above)", before.rstrip(" \\t")),',
        'Fix("drop the comment (put it on its own line above)", before),',
        "FROM comment fix keeps the blank before the #",
        equivalent="`_INLINE_COMMENT` starts at the first blank of the run before the `#` (its "
        "look-behind refuses a blank before the match), so the text before the match never "
        "ends with a blank and `rstrip` changes nothing",
    ),
    _m(
        L,
        "if error.offset is None or recovered >= _MAX_RECOVERED:",
        "if error.offset is None or recovered > _MAX_RECOVERED:",
        "one more recovered parse error than the bound",
    ),
    # document.py: scan memo, spans, value offsets, BOM
    _m(
        DO,
        "if len(_RECENT_SCANS) >= _RECENT_LIMIT:",
        "if len(_RECENT_SCANS) >= _RECENT_LIMIT * 1000:",
        "scan memo unbounded",
    ),
    _m(
        DO,
        "ParsedCommand(p.command, p.start + shift, p.end + shift) for p in outcome.commands",
        "ParsedCommand(p.command, p.start, p.end) for p in outcome.commands",
        "command spans ignore the BOM",
    ),
    _m(
        DO,
        'if text.startswith("\\r\\n", end):\n            end += 2',
        'if text.startswith("\\r\\n", end):\n            end += 1',
        "removing a CRLF line leaves its LF",
    ),
    _m(
        DO,
        '_NAME_PREFIX if keyword == "parameter" else',
        '_ROLE_PREFIX if keyword == "parameter" else',
        "value offset wrong after a name with digits",
    ),
    # lexer.py: token kinds the highlighter styles, line-start states
    _m(
        LX,
        '(r"[ \\t]stop[ \\t]", Name.Attribute, ("#pop", "value")),',
        '(r"[ \\t]stop[ \\t]", Name.Attribute, ("#pop", "number")),',
        "stop values lexed as numbers",
    ),
    _m(
        LX,
        '(r\'"""[ \\t]*\' + _NL, String.Delimiter, "#pop"),',
        '(r\'"""\' + _NL, String.Delimiter, "#pop"),',
        "a triple quote followed by blanks does not close",
    ),
    _m(
        LX,
        '                states = ["root"]\n',
        "",
        "a stray line break keeps the state",
        equivalent="every lexer state has a rule for a line break (`\\r\\n|[\\r\\n]`, or "
        "a `default` into a state that has one), so the fallback for a line break no rule "
        "matched, kept to mirror Pygments' algorithm, is never reached",
    ),
)

TESTS: dict[str, tuple[str, ...]] = {
    P: CORE_TESTS, R: CORE_TESTS, C: CORE_TESTS, GS: CORE_TESTS, GP: CORE_TESTS,
    PA: CORE_TESTS, E: CORE_TESTS, D: CORE_TESTS, F: CORE_TESTS, N: CLIENT_TESTS,
    CL: CLIENT_TESTS, H: CLIENT_TESTS, HA: CLIENT_TESTS, X: CLIENT_TESTS, T: CLIENT_TESTS,
    TY: CLIENT_TESTS, L: CORE_TESTS, DO: CORE_TESTS, LX: CORE_TESTS,
}  # fmt: skip
"""The test subset run for each module's mutants (-x: the first failure kills)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one mutant's run gave: killed, survived, or stale (no snippet found once)."""

    mutant: Mutant
    verdict: str
    seconds: float
    detail: str = ""


COPIED = ("modelarium", "tests", "docs", "benchmarks", "styles", "pyproject.toml", "README.md")
"""The package, its tests and what they read (docs, README, styles)."""


def scratch_copy(ref: str | None) -> Path:
    """A copy of `COPIED` from the working tree, or from git revision `ref`, without
    bytecode caches."""
    folder = Path(tempfile.mkdtemp(prefix="modelarium-mutants-"))
    if ref is not None:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", ref, *COPIED],
            cwd=REPO, capture_output=True, check=True,
        )  # fmt: skip
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
        return folder
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".venv")
    for name in COPIED:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, folder / name, ignore=ignore)
        elif (REPO / name).exists():
            shutil.copy2(REPO / name, folder / name)
    return folder


def environment(folder: Path) -> dict[str, str]:
    """Imports come from the copy; no bytecode is written (a mutant of the same size written
    within the same second would otherwise run from a stale .pyc)."""
    return dict(os.environ, PYTHONPATH=str(folder), PYTHONDONTWRITEBYTECODE="1")


def run_tests(folder: Path, tests: Sequence[str], timeout: float) -> tuple[bool, str]:
    """(passed, last line of pytest's output) for `tests` in the copy."""
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    try:
        done = subprocess.run(
            command, cwd=folder, env=environment(folder), capture_output=True, text=True,
            timeout=timeout,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return False, f"timed out after {timeout:g} s"
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return done.returncode == 0, lines[-1] if lines else f"exit {done.returncode}"


def run_mutant(folder: Path, mutant: Mutant, timeout: float) -> Outcome:
    """Write `mutant` into the copy, run its tests, restore the module, report."""
    path = folder / mutant.module
    source = path.read_text(encoding="utf-8")
    mutated = mutant.apply(source)
    if mutated is None:
        return Outcome(mutant, "stale", 0.0, "no snippet found exactly once")
    path.write_text(mutated, encoding="utf-8")
    try:
        started = time.perf_counter()
        passed, last = run_tests(folder, TESTS[mutant.module], timeout)
        seconds = time.perf_counter() - started
    finally:
        path.write_text(source, encoding="utf-8")
    return Outcome(mutant, "survived" if passed else "killed", seconds, last)


def check_baseline(folder: Path, modules: set[str], timeout: float) -> None:
    """The unmutated tests must pass, and import the copy, or no verdict means anything."""
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


def report(outcomes: Sequence[Outcome], seconds: float) -> bool:
    """Print the kill rate per module and the survivors; True when every module meets the
    target and nothing is stale."""
    print()
    print(f"{'module':<36} {'killed':>6} / {'run':<4} rate   (equivalent mutants left out)")
    good = True
    counted = [o for o in outcomes if o.verdict != "stale" and not o.mutant.equivalent]
    for module in dict.fromkeys(o.mutant.module for o in outcomes):
        mine = [o for o in counted if o.mutant.module == module]
        killed = sum(o.verdict == "killed" for o in mine)
        rate = killed / len(mine) if mine else 1.0
        good = good and rate >= TARGET
        print(f"{module:<36} {killed:>6} / {len(mine):<4} {rate:.0%}")
    killed = sum(o.verdict == "killed" for o in counted)
    stale = sum(o.verdict == "stale" for o in outcomes)
    equivalent = sum(bool(o.mutant.equivalent) for o in outcomes)
    print(f"{'all':<36} {killed:>6} / {len(counted):<4} {killed / max(1, len(counted)):.0%}"
          f"   ({equivalent} equivalent, {stale} stale; {seconds:.0f} s; load "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")  # fmt: skip
    for outcome in outcomes:
        if outcome.mutant.equivalent:
            print(f"equivalent ({outcome.verdict}): {outcome.mutant.module}: "
                  f"{outcome.mutant.what}: {outcome.mutant.equivalent}")  # fmt: skip
        elif outcome.verdict != "killed":
            print(f"{outcome.verdict}: {outcome.mutant.module}: {outcome.mutant.what}")
    return good and not stale


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run only the mutants of modules whose path contains this")
    parser.add_argument("--ref", help="mutate this git revision instead of the working tree")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per mutant's tests")
    parser.add_argument("--list", action="store_true", help="print the mutants and exit")
    args = parser.parse_args()
    chosen = [m for m in MUTANTS if args.only is None or args.only in m.module]
    if args.list:
        for mutant in chosen:
            print(f"{mutant.module}: {mutant.what}")
        print(f"{len(chosen)} mutants")
        return 0
    started = time.perf_counter()
    folder = scratch_copy(args.ref)
    try:
        check_baseline(folder, {m.module for m in chosen}, args.timeout)
        outcomes: list[Outcome] = []
        marks = {"killed": "killed  ", "survived": "SURVIVED", "stale": "STALE   "}
        for mutant in chosen:
            outcome = run_mutant(folder, mutant, args.timeout)
            outcomes.append(outcome)
            mark = "equiv.  " if mutant.equivalent else marks[outcome.verdict]
            print(f"{mark} {outcome.seconds:6.1f} s  {mutant.module}: {mutant.what}  "
                  f"[{outcome.detail}]", flush=True)  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if report(outcomes, time.perf_counter() - started) else 1


if __name__ == "__main__":
    raise SystemExit(main())
