"""Running the TUI from the command line: `modelarium [--demo] [--host URL ...]`."""

from __future__ import annotations

import argparse
from typing import Any


def add_app_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the bare `modelarium` command (the TUI)."""
    parser.add_argument(
        "--demo", action="store_true", help="run on the built-in demo Ollama host"
    )
    parser.add_argument(
        "--host",
        dest="hosts",
        action="append",
        metavar="URL",
        help="an Ollama host to use (repeatable; overrides config and OLLAMA_HOST)",
    )


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add TUI-related subcommands (screenshots)."""


def run_app(args: argparse.Namespace) -> int:
    """Open the TUI."""
    from modelarium.tui.app import run

    return run(args)
