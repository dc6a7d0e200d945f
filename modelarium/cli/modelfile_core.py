"""`modelarium modelfile parse|render|request`: the Ollama-exact core on the command line.

Output shapes are stable (scripts rely on them):

- `parse --json`: one JSON array with one object per input, `{"file", "ok": true,
  "commands": [{"name", "args"}, …]}` or `{"file", "ok": false, "error": <Ollama's text>,
  "line": <Ollama's line or null>}`. Without `--json`: one command per line,
  `NAME<TAB>"ARGS"` (args as a JSON string), with a `==> FILE <==` header per input when
  there are several.
- `render`: Ollama's `Modelfile.String()` on stdout.
- `request --json`: one JSON array with one object per input, `{"file", "ok": true,
  "request": {…}, "warnings": […]}` or `{"file", "ok": false, "error": <Ollama's text>}`.
  Without `--json`: the body as indented JSON on stdout, Ollama's warnings on stderr.

Text from the inputs is printed terminal-safe (`cli.output`); JSON is one document per command.

Errors without `--json` go to stderr as `FILE:LINE:COL: message` (human line and column) or
`FILE: message`. Exit status: 0 when every input succeeded, 1 when any failed, 2 for usage.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from modelarium.cli.output import json_text, print_json, safe, write_data

MAX_INPUT_BYTES = 16 * 1024 * 1024
"""Inputs above this size are refused: no real Modelfile comes near it."""

STDIN_NAME = "-"


class InputError(Exception):
    """An input could not be read (missing, a folder, too large, unreadable)."""


@dataclass(frozen=True, slots=True)
class LoadedInput:
    """One input's raw bytes, its display name and the folder relative FROMs resolve in."""

    name: str
    data: bytes
    directory: Path


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `parse`, `render` and `request` to the `modelfile` group."""
    parse_parser = subparsers.add_parser(
        "parse",
        help="parse Modelfiles exactly as Ollama does and print the commands",
        description="Parse each Modelfile (or - for standard input) with Ollama's rules.",
    )
    parse_parser.add_argument("files", nargs="+", metavar="FILE", help="Modelfile path or -")
    parse_parser.add_argument(
        "--json", action="store_true", help="a JSON array: one object per input"
    )
    parse_parser.set_defaults(handler=run_parse)

    render_parser = subparsers.add_parser(
        "render",
        help="print a Modelfile as Ollama writes it back (Modelfile.String())",
        description="Parse a Modelfile and print Ollama's canonical text for it.",
    )
    render_parser.add_argument("file", metavar="FILE", help="Modelfile path or -")
    render_parser.set_defaults(handler=run_render)

    request_parser = subparsers.add_parser(
        "request",
        help="print the /api/create request body Ollama would send",
        description=(
            "Build the /api/create body for each Modelfile, resolving local paths against "
            "the Modelfile's folder."
        ),
    )
    request_parser.add_argument("files", nargs="+", metavar="FILE", help="Modelfile path or -")
    request_parser.add_argument(
        "--json", action="store_true", help="a JSON array: one object per input"
    )
    request_parser.set_defaults(handler=run_request)


def _safe_name(name: str) -> str:
    """A path as given, with undecodable bytes (surrogate escapes) shown as U+FFFD so it can
    always be printed and JSON-encoded."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _display_name(name: str) -> str:
    return "<stdin>" if name == STDIN_NAME else _safe_name(name)


def _os_reason(error: OSError) -> str:
    reason = error.strerror or str(error)
    return reason[:1].lower() + reason[1:]


def load_input(name: str) -> LoadedInput:
    """Read one input (a path or `-`), refusing folders and anything over MAX_INPUT_BYTES."""
    mebibyte = 1024 * 1024
    limit = (
        f"{MAX_INPUT_BYTES // mebibyte} MiB"
        if MAX_INPUT_BYTES % mebibyte == 0
        else f"{MAX_INPUT_BYTES} bytes"
    )
    limit_text = f"larger than {limit}; not a Modelfile"
    if name == STDIN_NAME:
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise InputError(f"input is {limit_text}")
        return LoadedInput(name, data, Path.cwd())
    path = Path(name)
    try:
        if path.is_dir():
            raise InputError("is a directory, not a Modelfile")
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(f"file is {limit_text}")
        with path.open("rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise InputError("no such file") from None
    except OSError as error:
        raise InputError(_os_reason(error)) from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"file is {limit_text}")
    return LoadedInput(name, data, path.resolve().parent)


def encoding_hint(data: bytes) -> str:
    """A hint for inputs that are clearly not UTF-8 text: UTF-16 without a byte order mark,
    or binary data. Empty when the input looks like text. The core's wording, so `parse` and
    `lint` say the same thing."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.modelfile import encoding_problem

    return encoding_problem(data)


def binary_data_hint(data: bytes) -> str:
    """The core's binary-data wording when the input looks like binary data (not UTF-16
    text); else empty."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.modelfile import BINARY_INPUT

    return BINARY_INPUT if encoding_hint(data) == BINARY_INPUT else ""


def _json_result(results: list[dict[str, object]], payload: dict[str, object]) -> None:
    """Collect one input's result for the command's JSON array (its file name printable)."""
    name = payload.get("file")
    if isinstance(name, str):
        payload = {**payload, "file": _safe_name(name)}
    results.append(payload)


def _report(
    stderr: TextIO,
    name: str,
    message: str,
    line: int | None = None,
    column: int | None = None,
    hint: str = "",
) -> None:
    location = safe(_display_name(name))
    if line is not None and column is not None:
        location = f"{location}:{line}:{column}"
    suffix = f" ({hint})" if hint else ""
    stderr.write(f"{location}: {safe(message, lines='join')}{suffix}\n")


def run_parse(args: argparse.Namespace) -> int:
    """`modelfile parse`: commands per input, or Ollama's error."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.modelfile import ModelfileError, parse

    as_json: bool = args.json
    names: list[str] = args.files
    failed = False
    results: list[dict[str, object]] = []
    for index, name in enumerate(names):
        try:
            loaded = load_input(name)
        except InputError as error:
            failed = True
            if as_json:
                payload = {"file": name, "ok": False, "error": str(error), "line": None}
                _json_result(results, payload)
            else:
                _report(sys.stderr, name, str(error))
            continue
        try:
            commands = parse(loaded.data)
        except ModelfileError as error:
            failed = True
            if as_json:
                payload = {
                    "file": name,
                    "ok": False,
                    "error": str(error),
                    "line": error.ollama_line,
                }
                _json_result(results, payload)
            else:
                position = error.position
                _report(
                    sys.stderr,
                    name,
                    str(error),
                    position.line if position else None,
                    position.column if position else None,
                    encoding_hint(loaded.data),
                )
            continue
        if as_json:
            listed = [{"name": command.name, "args": command.args} for command in commands]
            _json_result(results, {"file": name, "ok": True, "commands": listed})
            continue
        if len(names) > 1:
            if index:
                sys.stdout.write("\n")
            sys.stdout.write(f"==> {safe(_display_name(name))} <==\n")
        for command in commands:
            sys.stdout.write(f"{command.name}\t{json_text(command.args, indent=None)}\n")
    if as_json:
        print_json(results)
    return 1 if failed else 0


def run_render(args: argparse.Namespace) -> int:
    """`modelfile render`: Ollama's `String()` of one input."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.modelfile import ModelfileError, parse, render_commands

    name: str = args.file
    try:
        loaded = load_input(name)
    except InputError as error:
        _report(sys.stderr, name, str(error))
        return 1
    try:
        commands = parse(loaded.data)
    except ModelfileError as error:
        position = error.position
        _report(
            sys.stderr,
            name,
            str(error),
            position.line if position else None,
            position.column if position else None,
            encoding_hint(loaded.data),
        )
        return 1
    write_data(render_commands(commands))
    return 0


def _request_failure(
    results: list[dict[str, object]], name: str, message: str, as_json: bool
) -> None:
    if as_json:
        _json_result(results, {"file": name, "ok": False, "error": message})
    else:
        _report(sys.stderr, name, message)


def run_request(args: argparse.Namespace) -> int:
    """`modelfile request`: the /api/create body per input."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.modelfile import CreateRequestError, ModelfileError, build_create_request, parse

    as_json: bool = args.json
    failed = False
    results: list[dict[str, object]] = []
    for name in args.files:
        try:
            loaded = load_input(name)
        except InputError as error:
            failed = True
            _request_failure(results, name, str(error), as_json)
            continue
        try:
            commands = parse(loaded.data)
        except ModelfileError as error:
            failed = True
            position = error.position
            if as_json or position is None:
                _request_failure(results, name, str(error), as_json)
            else:
                hint = encoding_hint(loaded.data)
                _report(sys.stderr, name, str(error), position.line, position.column, hint)
            continue
        try:
            request = build_create_request(commands, loaded.directory)
        except CreateRequestError as error:
            failed = True
            if not as_json:
                for warning in error.warnings:
                    sys.stderr.write(f"{safe(warning, lines='join')}\n")
            _request_failure(results, name, str(error), as_json)
            continue
        if as_json:
            payload = {
                "file": name,
                "ok": True,
                "request": request.body,
                "warnings": list(request.warnings),
            }
            _json_result(results, payload)
            continue
        for warning in request.warnings:
            sys.stderr.write(f"{safe(warning, lines='join')}\n")
        sys.stdout.write(json_text(request.body) + "\n")
    if as_json:
        print_json(results)
    return 1 if failed else 0
