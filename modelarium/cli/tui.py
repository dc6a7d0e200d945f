"""Running the TUI from the command line: `modelarium [--demo] [--host URL ...]`, and
`modelarium screenshot [--out DIR]` (SVGs of each pane on the demo host)."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import Any


def add_app_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the bare `modelarium` command (the TUI)."""
    parser.add_argument("--demo", action="store_true", help="run on the built-in demo Ollama host")
    parser.add_argument(
        "--host",
        dest="hosts",
        action="append",
        metavar="URL",
        help="an Ollama host to use (repeatable; overrides config and OLLAMA_HOST)",
    )
    parser.add_argument(
        "--log",
        type=Path,
        metavar="FILE",
        help="write the log here (default: $MODELARIUM_LOG, else modelarium.log in the state "
        "folder; tokens are never written)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail too")


def _size(text: str) -> tuple[int, int]:
    columns, separator, rows = text.lower().partition("x")
    if not separator or not columns.isdigit() or not rows.isdigit():
        raise argparse.ArgumentTypeError(f"size {text!r} must look like 150x42")
    if int(columns) < 60 or int(rows) < 20:
        raise argparse.ArgumentTypeError(f"size {text!r} is too small (at least 60x20)")
    return int(columns), int(rows)


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add TUI-related subcommands (screenshots)."""
    parser = subparsers.add_parser(
        "screenshot",
        help="write SVG screenshots of each pane, taken on the demo host",
        description="Run the app headless on the built-in demo host and write one SVG per "
        "view (models, details, library, editor, help, dashboard, wizard).",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("screenshots"), help="folder for the SVGs (created)"
    )
    parser.add_argument("--force", action="store_true", help="replace SVGs already in the folder")
    parser.add_argument(
        "--size", type=_size, default=None, metavar="COLSxROWS", help="terminal size (150x42)"
    )
    parser.add_argument(
        "--theme",
        choices=("modelarium-dark", "modelarium-light"),
        default=None,
        help="theme of the screenshots (default: dark)",
    )
    parser.set_defaults(handler=run_screenshot)


def run_app(args: argparse.Namespace) -> int:
    """Open the TUI.

    The cyclic garbage collector is paused from here to the first paint (the app resumes it):
    importing Textual and building the first screen allocate ~85k long-lived objects, and
    the collections they trigger cost ~15 % of the start while freeing almost nothing."""
    gc.disable()
    try:
        # Before the UI imports: the hosts' lists are asked (and the demo host started) now,
        # so that they arrive while Textual imports (`modelarium.tui.early`); the app takes
        # them from `args.early_start`.
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.tui.early import start_early

        try:
            args.early_start = start_early(bool(args.demo), args.hosts)
        except OSError:  # the demo host's process could not start: the app starts its own
            args.early_start = None
        try:
            # Deferred (start-up): loaded only when this command runs.
            from modelarium.tui.app import run

            return run(args)
        finally:
            if args.early_start is not None and args.early_start.demo is not None:
                args.early_start.demo.stop()  # (the app stops it too; stopping twice is fine)
    finally:
        gc.enable()


def run_screenshot(args: argparse.Namespace) -> int:
    """Write the screenshots; prints each path written. SVGs already in the folder are
    replaced only with `--force` (the command names them and stops otherwise)."""
    # Deferred (start-up): loaded only when this command runs.
    import asyncio

    from modelarium.cli.output import safe
    from modelarium.tui.screenshots import SCREEN_SIZE, write_screenshots

    out: Path = args.out
    existing = sorted(path.name for path in out.glob("*.svg")) if out.is_dir() else []
    if existing and not args.force:
        print(
            safe(
                f"modelarium screenshot: {out} already holds {', '.join(existing)}; "
                "add --force to replace them"
            ),
            file=sys.stderr,
        )
        return 1

    try:
        paths = asyncio.run(
            write_screenshots(args.out, size=args.size or SCREEN_SIZE, theme=args.theme)
        )
    except OSError as error:
        print(safe(f"modelarium screenshot: cannot write to {args.out}: {error}"), file=sys.stderr)
        return 1
    for path in paths:
        print(safe(str(path)))
    return 0
