"""Command line: `modelarium` opens the TUI; subcommands serve scripts and CI.

Each area registers its own subcommands (`register(subparsers)`), and every handler imports
what it needs lazily so that `modelarium --help` and the TUI start fast. The bare command
(`modelarium [--demo] [--host URL ...]`) does not build the subcommand parsers at all: that
would cost the TUI's first paint ~12 ms. A handler returns the exit code: 0 success, 1 when an
input or host failed, 2 on usage errors (argparse's own code).

`--host`/`--demo` before a subcommand name the hosts of that subcommand too: the `hosts` and
`models` commands use them (`--demo` runs a fresh demo host for the one command), `screenshot`
accepts `--demo` (it always runs on the demo host), and every other subcommand refuses them with
exit 2, as is `--demo` with `--host` — a host named on the command line is never silently
replaced by another.
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
    # Deferred (start-up): the bare command skips every subcommand's parser module.
    from modelarium.cli import (
        completion,
        demo,
        hosts,
        knowledge,
        library,
        modelfile_core,
        modelfile_preview,
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
    modelfile_preview.register(modelfile_subparsers)

    hosts.register(subparsers)
    library.register(subparsers)
    knowledge.register(subparsers)
    tui.register(subparsers)
    demo.register(subparsers)
    web.register(subparsers)
    settings.register(subparsers)
    completion.register(subparsers, parser)
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


def _command_words(args: argparse.Namespace) -> str:
    """The subcommand as typed (`models list`), for messages."""
    words = [args.command]
    for attribute in ("models_command", "modelfile_command", "library_command", "db_command",
                      "demo_command"):  # fmt: skip
        value = getattr(args, attribute, None)
        if isinstance(value, str):
            words.append(value)
    return " ".join(words)


def apply_top_level_hosts(args: argparse.Namespace) -> str | None:
    """Hand `--host`/`--demo` given before a subcommand to that subcommand.

    Host commands (`hosts`, `models …`: `args.host_options`) get the top-level hosts ahead of
    their own `--host` values; `--demo` sets `args.use_demo` (the handler's hosts become a fresh
    demo host). Returns the usage error to report (exit 2) when the combination means nothing
    for the subcommand, or names two different sets of hosts; None when all is well.
    """
    top_hosts: list[str] = list(args.hosts or [])
    demo = bool(args.demo)
    if args.command is None:
        if demo and top_hosts:
            return "--demo runs on the demo host; it cannot be combined with --host"
        return None
    if not (top_hosts or demo):
        return None
    command = _command_words(args)
    if getattr(args, "host_options", False):
        own_hosts: list[str] = list(getattr(args, "host", None) or [])
        if demo and (top_hosts or own_hosts):
            return "--demo runs a fresh demo host; it cannot be combined with --host"
        args.host = [*top_hosts, *own_hosts] or None
        args.use_demo = demo
        return None
    if args.command == "screenshot" and not top_hosts:
        return None  # screenshots are always taken on the demo host
    option = "--host" if top_hosts else "--demo"
    return (
        f"{option} before a subcommand applies to the TUI and to the `hosts` and `models` "
        f"commands; `{command}` does not use an Ollama host"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = parse_app_arguments(arguments)
    if args is None:
        parser = build_parser()
        args = parser.parse_args(arguments)
        problem = apply_top_level_hosts(args)
        if problem is not None:
            parser.error(problem)
    elif args.demo and args.hosts:  # the bare start's one refusal: build the parser to say it
        build_parser().error(apply_top_level_hosts(args) or "")
    # Deferred (start-up): `--help` and `--version` end before logging is set up.
    from modelarium import logs

    logs.configure(getattr(args, "log", None), verbose=getattr(args, "verbose", False))
    handler: Handler = getattr(args, "handler", tui.run_app)
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # A closed pipe (`modelarium ... | head`) is the reader's choice, not an error.
        sys.stderr.close()
        return 0
