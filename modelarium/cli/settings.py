"""`modelarium config path|get|set`: the settings file from scripts, comments kept."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from modelarium.config_file import SCALAR_KEYS


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `config path`, `config get KEY [--json]` and `config set KEY VALUE|--unset`."""
    config_parser = subparsers.add_parser("config", help="show or change the settings file")
    actions = config_parser.add_subparsers(dest="config_command", metavar="ACTION", required=True)

    path = actions.add_parser("path", help="print where the settings file is (or would be)")
    path.set_defaults(handler=run_path)

    get = actions.add_parser("get", help="print a setting as the app uses it (defaults applied)")
    get.add_argument("key", choices=(*SCALAR_KEYS, "hosts"))
    get.add_argument("--json", action="store_true", help="print JSON")
    get.set_defaults(handler=run_get)

    change = actions.add_parser(
        "set",
        help="change a setting; comments and layout of the file are kept",
        description="Change one setting. Hosts are edited in the TUI's hosts screen.",
    )
    change.add_argument("key", choices=SCALAR_KEYS)
    value = change.add_mutually_exclusive_group(required=True)
    value.add_argument("value", nargs="?", help="the new value")
    value.add_argument("--unset", action="store_true", help="remove the setting (default again)")
    change.set_defaults(handler=run_set)


def run_path(args: argparse.Namespace) -> int:
    # Deferred (start-up): loaded only when this command runs.
    from modelarium import locations

    print(locations.config_file())
    return 0


def run_get(args: argparse.Namespace) -> int:
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.config import ConfigError
    from modelarium.config_file import get_value

    try:
        value = get_value(args.key)
    except ConfigError as error:
        print(f"modelarium config: {error}", file=sys.stderr)
        return 1
    if args.key == "hosts":
        hosts = [{"name": host.name, "url": host.url} for host in value]  # type: ignore[attr-defined]
        if args.json:
            print(json.dumps(hosts))
        else:
            for host in hosts:
                print(f"{host['name']}\t{host['url']}")
        return 0
    if args.json:
        print(json.dumps(value))
    elif value is not None:
        print(value)
    return 0


def run_set(args: argparse.Namespace) -> int:
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.config import ConfigError
    from modelarium.config_file import parse_scalar, set_value

    try:
        value = None if args.unset else parse_scalar(args.key, args.value)
        settings = set_value(args.key, value)
    except ConfigError as error:
        print(f"modelarium config: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"modelarium config: cannot write the settings: {error}", file=sys.stderr)
        return 1
    print(f"{args.key} = {getattr(settings, args.key)!r} ({settings.source})")
    return 0
