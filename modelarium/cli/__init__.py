"""Command line: `modelarium` opens the TUI; subcommands serve scripts and CI.

Each area registers its own subcommands (`register(subparsers)`), and every handler imports
what it needs lazily so that `modelarium --help` and the TUI start fast. A handler returns the
exit code: 0 success, 1 when an input or host failed, 2 on usage errors (argparse's own code).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from modelarium import __version__
from modelarium.cli import demo, hosts, library, modelfile_core, modelfile_tools, tui

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every area's subcommands registered."""
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = getattr(args, "handler", tui.run_app)
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # A closed pipe (`modelarium ... | head`) is the reader's choice, not an error.
        sys.stderr.close()
        return 0
