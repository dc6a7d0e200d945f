"""`modelarium modelfile lint|format|diff|effective`: check, tidy, compare Modelfiles and
say what a Modelfile's model would run with.

Every command takes paths or `-` for standard input.

- `lint FILE… [--json]`: text lines `FILE:LINE:COL: severity CODE message`; with `--json`, one
  JSON array of findings `{"file", "code", "severity", "line", "column", "end_line",
  "end_column", "message", "fix"}` (`fix` is null or `{"description", "replacement"}`). Exit 0
  when no file has an error (warnings and notes allowed), 1 otherwise. With `--host HOST`
  (or `modelarium --host HOST|--demo modelfile lint …`) the rules that know the model
  (MF1xx) run too, against the facts of each file's FROM model on that host; without a host
  they are not run. A file that looks like
  binary data and does not parse is reported as `FILE: the file looks like binary data, not a
  Modelfile`, the words `modelfile parse` uses.
- `format FILE… [--check | --write]`: prints the formatted text (with a `==> FILE <==`
  header per file when there are several); `--check` lists files that would change and exits
  1 if any; `--write` rewrites changed files atomically (temporary file in the same folder,
  same permissions, `os.replace`); a symbolic link stays a link and the file it points to is
  rewritten. Files keep their encoding (UTF-8, UTF-8 or UTF-16 with BOM) and line endings.
- `diff A B [--json]`: the element-level differences (see `modelfile.diff`); exit status as
  `diff`'s: 0 when the two are the same, 1 when they differ, 2 when an input cannot be read
  or parsed.
- `effective FILE [--host HOST] [--json]`: every setting the model created from the file would
  run with and where its value comes from (`line N` of this file, inherited from the FROM model
  on the host, Ollama's default), from the core's `effective_settings`, the function the
  editor's view uses. Without a host the FROM model's values are unknown (said on stderr); a
  FROM model the host lacks is a note, not an error. Exit 1 when the file cannot be read or
  parsed or the host fails.

Problems with an input are reported on stderr as `FILE: message` (never a traceback).
"""

from __future__ import annotations

import argparse
import codecs
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from modelarium.cli.modelfile_core import (
    STDIN_NAME,
    InputError,
    LoadedInput,
    binary_data_hint,
    load_input,
)
from modelarium.cli.output import print_json, print_table, safe, write_data
from modelarium.fileio import write_atomically

if TYPE_CHECKING:
    from modelarium.modelfile import Diagnostic, ModelFacts
    from modelarium.ollama.hosts import HostPool

DIFF_SAME, DIFF_DIFFERENT, DIFF_TROUBLE = 0, 1, 2
"""`modelfile diff` exit statuses, as `diff` and `cmp` use them."""


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `lint`, `format` and `diff` to the `modelfile` group."""
    lint_parser = subparsers.add_parser(
        "lint",
        help="check Modelfiles for errors Ollama would report and common mistakes",
        description=(
            "Lint each Modelfile (or - for standard input). Exit status 1 when any file has "
            "an error; warnings and notes alone exit 0. Rules: docs/lint-rules.md."
        ),
    )
    lint_parser.add_argument("files", nargs="+", metavar="FILE", help="Modelfile path or -")
    lint_parser.add_argument("--json", action="store_true", help="a JSON array of findings")
    # Deferred (start-up): loaded only when this runs.
    from modelarium.cli.hosts import add_host_arguments

    add_host_arguments(lint_parser)
    lint_parser.set_defaults(handler=run_lint)

    format_parser = subparsers.add_parser(
        "format",
        help="rewrite Modelfiles with canonical keywords and quoting, keeping comments",
        description=(
            "Format each Modelfile (or - for standard input): upper-case keywords, canonical "
            "quoting, comments and blank lines kept. Prints the result unless --check or "
            "--write is given."
        ),
    )
    format_parser.add_argument("files", nargs="+", metavar="FILE", help="Modelfile path or -")
    mode = format_parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--check", action="store_true", help="list files that would change; exit 1 if any"
    )
    mode.add_argument("--write", action="store_true", help="rewrite changed files in place")
    format_parser.set_defaults(handler=run_format)

    diff_parser = subparsers.add_parser(
        "diff",
        help="show what differs between two Modelfiles, element by element",
        description=(
            "Compare two Modelfiles (either may be - for standard input) by FROM, parameters, "
            "messages and text instructions, ignoring comments and layout. Exit status 0 when "
            "they are the same, 1 when they differ, 2 when an input cannot be read or parsed."
        ),
    )
    diff_parser.add_argument("before", metavar="A", help="Modelfile path or -")
    diff_parser.add_argument("after", metavar="B", help="Modelfile path or -")
    diff_parser.add_argument("--json", action="store_true", help="print the diff as JSON")
    diff_parser.set_defaults(handler=run_diff)

    effective_parser = subparsers.add_parser(
        "effective",
        help="every setting a Modelfile's model would run with, and where each comes from",
        description=(
            "Lay the Modelfile (or - for standard input) over its FROM model on the host and "
            "list TEMPLATE, SYSTEM and every parameter with its value and where it comes "
            "from: line N of this file, inherited from the FROM model, or Ollama's default. "
            "Without --host (or modelarium --demo) the FROM model's own values are not known."
        ),
    )
    effective_parser.add_argument("file", metavar="FILE", help="Modelfile path or -")
    effective_parser.add_argument("--json", action="store_true", help="print the settings as JSON")
    add_host_arguments(effective_parser)
    effective_parser.set_defaults(handler=run_effective)


def _display(name: str) -> str:
    return "<stdin>" if name == STDIN_NAME else name


def _fail(name: str, message: str) -> None:
    sys.stderr.write(f"{safe(_display(name))}: {safe(message, lines='join')}\n")


def _load(name: str) -> LoadedInput | None:
    try:
        return load_input(name)
    except InputError as error:
        _fail(name, str(error))
        return None


# --- lint -------------------------------------------------------------------------------


def run_lint(args: argparse.Namespace) -> int:
    """`modelfile lint`."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.modelfile import has_errors, lint, scan

    if list(args.files).count(STDIN_NAME) > 1:
        _fail(STDIN_NAME, "standard input can be read only once")
        return 1
    status = 0
    findings: list[dict[str, object]] = []
    files: list[tuple[str, LoadedInput]] = []
    for name in args.files:
        loaded = _load(name)
        if loaded is None:
            status = 1
            continue
        binary = binary_data_hint(loaded.data)
        if binary and scan(loaded.data).error is not None:
            # As `modelfile parse` says it: binary data that does not parse is no Modelfile.
            _fail(name, binary)
            status = 1
            continue
        files.append((name, loaded))
    model_findings: dict[str, list[Diagnostic]] = {}
    if files and (getattr(args, "host", None) or getattr(args, "use_demo", False)):
        checked = _model_checks(args, files)
        if checked is None:
            return 1
        model_findings = checked
    for name, loaded in files:
        diagnostics = lint(loaded.data, directory=loaded.directory)
        extra = model_findings.get(name, [])
        if extra:
            diagnostics = sorted([*diagnostics, *extra], key=lambda d: (d.line, d.column))
        if has_errors(diagnostics):
            status = 1
        display = _display(name)
        for diagnostic in diagnostics:
            if args.json:
                findings.append({"file": display, **diagnostic.to_json()})
            else:
                sys.stdout.write(
                    f"{safe(display)}:{diagnostic.line}:{diagnostic.column}: "
                    f"{diagnostic.severity} {diagnostic.code} "
                    f"{safe(diagnostic.message, lines='join')}\n"
                )
    if args.json:
        print_json(findings)
    return status


def _model_checks(
    args: argparse.Namespace, files: list[tuple[str, LoadedInput]]
) -> dict[str, list[Diagnostic]] | None:
    """The model-aware findings per file, against the first selected host (`--host`, or the
    demo host under `--demo`); None after a host failure was reported on stderr."""
    # Deferred (start-up): loaded only when this runs.
    from modelarium.cli.hosts import run_on_hosts
    from modelarium.modelfile import decode
    from modelarium.ollama.facts import FactsSource
    from modelarium.ollama.model_check import check_on_host

    found: dict[str, list[Diagnostic]] = {}

    async def work(pool: HostPool) -> int:
        client = pool.client(pool.names[0])
        source = FactsSource()
        for name, loaded in files:
            check = await check_on_host(
                client, decode(loaded.data), source=source, directory=loaded.directory
            )
            if check.note:
                _fail(name, f"model rules not run: {check.note}")
            found[name] = list(check.diagnostics)
        return 0

    return None if run_on_hosts(args, work) else found


# --- format -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Encoded:
    """A file's text and how to write it back (codec; the BOM stays in the text)."""

    text: str
    codec: str


def _decode_exact(data: bytes) -> _Encoded:
    """Decode losslessly (UTF-8, or UTF-8/UTF-16 with BOM); ValueError naming the bad byte."""
    if data.startswith(codecs.BOM_UTF16_LE):
        codec = "utf-16-le"
    elif data.startswith(codecs.BOM_UTF16_BE):
        codec = "utf-16-be"
    else:
        codec = "utf-8"
    try:
        return _Encoded(data.decode(codec), codec)
    except UnicodeDecodeError as error:
        raise ValueError(
            f"not valid {codec.upper()} (at byte offset {error.start}); format rewrites only "
            "files it can write back unchanged"
        ) from None


def run_format(args: argparse.Namespace) -> int:
    """`modelfile format`."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.modelfile import FormatError, format_modelfile

    names: list[str] = list(args.files)
    if names.count(STDIN_NAME) > 1:
        _fail(STDIN_NAME, "standard input can be read only once")
        return 1
    if args.write and STDIN_NAME in names:
        _fail(STDIN_NAME, "--write needs a file; standard input cannot be rewritten")
        return 1
    status = 0
    for name in names:
        loaded = _load(name)
        if loaded is None:
            status = 1
            continue
        try:
            encoded = _decode_exact(loaded.data)
            formatted = format_modelfile(encoded.text)
        except (ValueError, FormatError) as error:
            _fail(name, str(error))
            status = 1
            continue
        changed = formatted != encoded.text
        if args.check:
            if changed:
                sys.stdout.write(f"{safe(_display(name))}: would reformat\n")
                status = 1
        elif args.write:
            if changed:
                try:
                    write_atomically(Path(name), formatted.encode(encoded.codec))
                except OSError as error:
                    _fail(name, f"cannot write: {error.strerror or error}")
                    status = 1
                    continue
                sys.stderr.write(f"{safe(_display(name))}: reformatted\n")
        else:
            if len(names) > 1:
                sys.stdout.write(f"==> {safe(_display(name))} <==\n")
            write_data(formatted)
    return status


# --- diff -------------------------------------------------------------------------------


def run_diff(args: argparse.Namespace) -> int:
    """`modelfile diff`: 0 same, 1 different, 2 trouble (as `diff`)."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.modelfile import DiffError, decode, diff_modelfiles

    if args.before == STDIN_NAME and args.after == STDIN_NAME:
        _fail(STDIN_NAME, "standard input can be read only once")
        return DIFF_TROUBLE
    before = _load(args.before)
    after = _load(args.after)
    if before is None or after is None:
        return DIFF_TROUBLE
    try:
        result = diff_modelfiles(
            decode(before.data),
            decode(after.data),
            before_label=_display(args.before),
            after_label=_display(args.after),
        )
    except DiffError as error:
        sys.stderr.write(f"{safe(str(error), lines='join')}\n")
        return DIFF_TROUBLE
    if args.json:
        print_json(result.to_json())
    else:
        sys.stdout.write(safe(result.to_text(), lines="keep"))
    return DIFF_SAME if result.identical else DIFF_DIFFERENT


# --- effective --------------------------------------------------------------------------


def run_effective(args: argparse.Namespace) -> int:
    """`modelfile effective`: the file laid over its FROM model's facts on the host."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.modelfile import decode, effective_settings, scan, settings_table
    from modelarium.ollama.model_check import from_model

    loaded = _load(args.file)
    if loaded is None:
        return 1
    text = decode(loaded.data)
    error = scan(text).error
    if error is not None:
        _fail(args.file, f"does not parse, so its settings cannot be told: {error}")
        return 1
    model = from_model(text)
    facts: ModelFacts | None = None
    host: str | None = None
    note: str | None = None
    if getattr(args, "host", None) or getattr(args, "use_demo", False):
        fetched = _from_model_facts(args, text)
        if fetched is None:
            return 1
        host, facts, note = fetched
    else:
        note = (
            "no --host: the FROM model's own values are not known; what this file does not "
            "set shows Ollama's default"
        )
    if note is not None:
        _fail(args.file, note)
    settings = effective_settings(text, facts)  # the words the editor's F7 view shows
    display = _display(args.file)
    if args.json:
        print_json(
            {
                "file": display,
                "from": model,
                "host": host,
                "base": facts.name if facts is not None else None,
                "note": note,
                "settings": [setting.to_json() for setting in settings],
            }
        )
        return 0
    over = f" over {facts.name} on {host}" if facts is not None and host else ""
    sys.stdout.write(f"{safe(display)}{safe(over)}: effective settings\n")
    rows = [(safe(n), safe(v), safe(o)) for n, v, o in settings_table(settings)]
    print_table(("SETTING", "VALUE", "FROM"), rows)
    return 0


def _from_model_facts(
    args: argparse.Namespace, text: str
) -> tuple[str, ModelFacts | None, str | None] | None:
    """(host, facts of the text's FROM model there or None, a note saying why not) on the
    first selected host, fetched as `lint --host` and the editor fetch them
    (`from_model_facts`); None after a host failure was reported on stderr."""
    # Deferred (start-up): loaded only when this runs.
    from modelarium.cli.hosts import run_on_hosts
    from modelarium.ollama.model_check import from_model_facts

    found: list[tuple[str, ModelFacts | None, str | None]] = []

    async def work(pool: HostPool) -> int:
        client = pool.client(pool.names[0])
        fetched = await from_model_facts(client, text)
        if fetched.model is None:
            found.append((client.name, None, "FROM names no installed model: nothing inherited"))
        elif fetched.facts is None:
            found.append((client.name, None, f"{fetched.note}: its own values are not known"))
        else:
            found.append((client.name, fetched.facts, None))
        return 0

    return None if run_on_hosts(args, work) or not found else found[0]
