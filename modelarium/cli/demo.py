"""`modelarium demo serve`: run the simulated Ollama host in the foreground."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import Any


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `demo serve [--host H] [--port P] [--models N]`."""
    demo_parser = subparsers.add_parser("demo", help="the built-in demo Ollama host")
    demo_subparsers = demo_parser.add_subparsers(
        dest="demo_command", metavar="ACTION", required=True
    )
    serve = demo_subparsers.add_parser(
        "serve",
        help="serve the demo host until Ctrl-C (any Ollama client can use it)",
        description=(
            "Serve a simulated Ollama host with seeded Llama, Mistral, Qwen and Granite models. "
            "Point any Ollama client at the printed address."
        ),
    )
    serve.add_argument(
        "--port",
        type=int,
        default=11434,
        help="port to listen on (default 11434; 0 = any free port)",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument(
        "--models",
        type=int,
        default=0,
        metavar="N",
        help="add N synthetic models to the seed models (for load tests)",
    )
    serve.add_argument(
        "--progress-delay",
        type=float,
        default=0.05,
        metavar="SECONDS",
        help="pause between streamed pull/push/create progress lines (default 0.05)",
    )
    serve.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    """Serve until interrupted; 1 with a one-line message when the address is unusable."""
    if not 0 <= args.port <= 65535:
        print(f"modelarium demo serve: port {args.port} is out of range 0-65535", file=sys.stderr)
        return 1
    if args.models < 0:
        print(
            f"modelarium demo serve: --models must be 0 or more, not {args.models}", file=sys.stderr
        )
        return 1
    try:
        asyncio.run(_serve(args.host, args.port, args.models, args.progress_delay))
    except OSError as error:
        # Deferred (start-up): loaded only when this command runs.
        from modelarium.terminal_text import terminal_text

        reason = os.strerror(error.errno) if error.errno else str(error)
        print(
            terminal_text(
                f"modelarium demo serve: cannot listen on {args.host}:{args.port}: {reason}"
            ),
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("\ndemo host stopped", file=sys.stderr)
    return 0


async def _serve(host: str, port: int, extra_models: int, progress_delay: float) -> None:
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.demo import DemoServer, seeded_state
    from modelarium.wording import counted

    state = seeded_state(extra_models=extra_models, progress_delay=progress_delay)
    server = DemoServer(state)
    await server.start(host, port)
    # A wildcard bind address is not where clients connect: show the loopback address instead.
    url = server.url.replace("://0.0.0.0:", "://127.0.0.1:").replace("://[::]:", "://[::1]:")
    address = url.removeprefix("http://")
    models = counted(len(state.models), "model")
    print(f"Modelarium demo Ollama host on {url} ({models})", flush=True)
    print("Point a client at it, for example:", flush=True)
    print(f"  OLLAMA_HOST={address} ollama list", flush=True)
    print(f"  modelarium --host {url}", flush=True)
    print(
        f"  python -c \"import ollama; print(ollama.Client(host='{url}').list())\"",
        flush=True,
    )
    print("Press Ctrl-C to stop.", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()
