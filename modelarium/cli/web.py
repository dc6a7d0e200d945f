"""`modelarium web`: the TUI in a web browser, served by textual-serve (the `[web]` extra).

Loopback by default. Bound to any other address the page and its websocket need a token (given,
from MODELARIUM_WEB_TOKEN, or generated and printed once), since whoever reaches the page
drives the app with the user's hosts and library. The token never reaches a log line.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import secrets
import shlex
import sys
from typing import Any

TOKEN_ENVIRONMENT = "MODELARIUM_WEB_TOKEN"
INSTALL_HINT = "pip install 'modelarium-tui[web]'"


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `web [--bind ADDRESS] [--port N] [--token T] [--demo] [--host URL]…`."""
    web = subparsers.add_parser(
        "web",
        help="serve the TUI in a web browser (needs the [web] extra)",
        description=(
            "Serve the Modelarium TUI in a web browser through textual-serve. Loopback only "
            "by default; bound elsewhere, the page asks for a token."
        ),
    )
    web.add_argument(
        "--bind",
        default="127.0.0.1",
        metavar="ADDRESS",
        help="address to listen on (default 127.0.0.1)",
    )
    web.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    web.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, when it is not http://ADDRESS:PORT (a reverse proxy)",
    )
    web.add_argument(
        "--token",
        help=(
            f"token the page asks for (default ${TOKEN_ENVIRONMENT}); required off loopback, "
            "where one is generated and printed when none is given"
        ),
    )
    web.add_argument(
        "--demo",
        dest="web_demo",
        action="store_true",
        help="the served app uses the demo host (as `modelarium --demo web`)",
    )
    web.add_argument(
        "--host",
        action="append",
        default=[],
        metavar="URL",
        help="an Ollama host for the served app (repeatable)",
    )
    web.set_defaults(handler=run_web, host_options=True)


def is_loopback(address: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost, the addresses only this machine reaches."""
    if address.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each browser session."""
    words = [sys.executable, "-m", "modelarium"]
    if getattr(args, "use_demo", False) or args.web_demo:
        words.append("--demo")
    for host in args.host or ():
        words += ["--host", host]
    return shlex.join(words)


def run_web(args: argparse.Namespace) -> int:
    """Serve until interrupted; 1 with one line when the extra or the address is missing."""
    if not 0 < args.port <= 65535:
        print(f"modelarium web: port {args.port} is out of range 1-65535", file=sys.stderr)
        return 2
    if (getattr(args, "use_demo", False) or args.web_demo) and args.host:
        print(
            "modelarium web: --demo runs on the demo host; it cannot be combined with --host",
            file=sys.stderr,
        )
        return 2
    try:
        # Deferred (start-up): loaded only when this command runs.
        from modelarium.cli.web_server import TokenServer
    except ImportError as error:
        print(
            f"modelarium web: needs the web extra ({error.name} is missing): {INSTALL_HINT}",
            file=sys.stderr,
        )
        return 1
    token: str | None = args.token or os.environ.get(TOKEN_ENVIRONMENT) or None
    loopback = is_loopback(args.bind)
    if not loopback:
        print(
            f"modelarium web: listening on {args.bind}, not loopback: anyone who reaches this "
            "address can drive the app with your hosts and library; the page needs the token.",
            file=sys.stderr,
        )
        if token is None:
            token = secrets.token_urlsafe(24)
    server = TokenServer(
        app_command(args),
        host=args.bind,
        port=args.port,
        title="Modelarium",
        public_url=args.public_url,
        token=token,
    )
    address = server.public_url + (f"/?token={token}" if token else "/")
    print(f"Modelarium in a browser: {address}", flush=True)
    print("Press Ctrl-C to stop.", flush=True)
    try:
        server.serve()
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        print(
            f"modelarium web: cannot listen on {args.bind}:{args.port}: {reason}", file=sys.stderr
        )
        return 1
    return 0
