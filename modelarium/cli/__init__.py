"""Command line: `modelarium` opens the TUI; subcommands serve scripts and CI.

Each area registers its own subcommands (`register(subparsers)`), and every handler imports
what it needs lazily so that `modelarium --help` and the TUI start fast. The bare command
(`modelarium [--demo] [--host URL ...]`) does not build the subcommand parsers at all: that
would cost the TUI's first paint ~12 ms. A handler returns the exit code: 0 success, 1 when an
input or host failed, 2 on usage errors (argparse's own code).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from modelarium import __version__
from modelarium.cli import tui

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every area's subcommands registered."""
    from modelarium.cli import (
        completion,
        demo,
        hosts,
        library,
        modelfile_core,
        modelfile_tools,
        settings,
        trials,
        web,
    )

    parser = argparse.ArgumentParser(
        prog="modelarium",
        description="A keyboard-driven terminal workbench for Ollama models and Modelfiles.",
    )
    parser.add_argument("--version", action="version", version=f"modelarium {__version__}")
    tui.add_app_arguments(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")

    modelfile_parser = subparsers.add_parser(
        "modelfile", help="parse, render, lint, format and diff Modelfiles"
    )
    modelfile_subparsers = modelfile_parser.add_subparsers(
        dest="modelfile_command", metavar="ACTION", required=True
    )
    modelfile_core.register(modelfile_subparsers)
    modelfile_tools.register(modelfile_subparsers)

    hosts.register(subparsers)
    library.register(subparsers)
    tui.register(subparsers)
    demo.register(subparsers)
    web.register(subparsers)
    settings.register(subparsers)
    completion.register(subparsers)
    trials.register(subparsers)
    return parser


def parse_app_arguments(arguments: Sequence[str]) -> argparse.Namespace | None:
    """The options of the bare `modelarium` command (the TUI) when `arguments` holds nothing
    else; None when it names a subcommand, asks for help or the version, abbreviates an option
    or is wrong, so that the full parser handles (and explains) it."""
    parser = argparse.ArgumentParser(
        prog="modelarium", add_help=False, allow_abbrev=False, exit_on_error=False
    )
    tui.add_app_arguments(parser)
    try:
        args, unparsed = parser.parse_known_args(arguments)
    except argparse.ArgumentError:
        return None
    if unparsed:
        return None
    args.command = None
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = parse_app_arguments(arguments)
    if args is None:
        args = build_parser().parse_args(arguments)
    handler: Handler = getattr(args, "handler", tui.run_app)
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # A closed pipe (`modelarium ... | head`) is the reader's choice, not an error.
        sys.stderr.close()
        return 0
