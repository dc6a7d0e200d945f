"""`modelarium modelfile preview FILE|- [--chat REQUEST.json] [--sample NAME] [--host URL]
[--json]`: the exact prompt a model built from a Modelfile would receive.

The Modelfile's TEMPLATE is rendered as Ollama renders it (`modelfile.prompt.render_prompt`)
against a built-in conversation (`--sample`, default multi-turn) or a real `/api/chat` body
(`--chat`). The Modelfile's SYSTEM and MESSAGEs apply as Ollama's chat handler applies them.
With `--host`, whatever the Modelfile does not set (TEMPLATE, SYSTEM, MESSAGEs, stops) comes
from the FROM model on that host (`/api/show`), as `ollama create` would inherit it.

Output: the prompt itself (control characters shown as `\\xNN` escapes when writing to a
terminal, raw when piped), or with `--json` one object `{"file", "sample", "template_from",
"prompt", "stop"}`. Problems go to stderr as `FILE: message`; exit 1 then. Where RENDERER or
PARSER is set, Ollama builds the prompt in Go code, so a template preview does not apply: the
command says so and exits 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from modelarium.cli.modelfile_core import STDIN_NAME, InputError, load_input


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `preview` to the `modelfile` group."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.modelfile import DEFAULT_SAMPLE, SAMPLE_NAMES

    preview = subparsers.add_parser(
        "preview",
        help="print the exact prompt a model built from a Modelfile would receive",
        description=(
            "Render the Modelfile's TEMPLATE exactly as Ollama does against a sample "
            "conversation or a real /api/chat request body."
        ),
    )
    preview.add_argument("file", metavar="FILE", help="Modelfile path or -")
    source = preview.add_mutually_exclusive_group()
    source.add_argument(
        "--chat", metavar="REQUEST.json", help="an /api/chat (or /api/generate) body, or -"
    )
    source.add_argument(
        "--sample",
        choices=SAMPLE_NAMES,
        default=None,
        help=f"a built-in conversation (default: {DEFAULT_SAMPLE})",
    )
    preview.add_argument(
        "--host", metavar="URL", help="take what the Modelfile lacks from the FROM model there"
    )
    preview.add_argument("--json", action="store_true", help="print one JSON object")
    preview.set_defaults(handler=run_preview)


class _Failed(Exception):
    """One line for stderr."""


def _display(name: str) -> str:
    return "<stdin>" if name == STDIN_NAME else name


def terminal_safe(text: str) -> str:
    """`text` with control characters other than newline and tab shown as escapes, so that a
    TEMPLATE cannot drive the terminal."""
    return "".join(
        char
        if char in "\n\t" or (char.isprintable() and char != "\x7f")
        else f"\\x{ord(char):02x}"
        if ord(char) < 0x100
        else f"\\u{ord(char):04x}"
        for char in text
    )


def _request(args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    """The conversation's label and request body."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.modelfile import DEFAULT_SAMPLE, sample_request

    if args.chat is None:
        name = args.sample or DEFAULT_SAMPLE
        return name, sample_request(name)
    if args.chat == STDIN_NAME and args.file == STDIN_NAME:
        raise _Failed(f"{_display(STDIN_NAME)}: standard input can be read only once")
    try:
        data = load_input(args.chat).data
    except InputError as error:
        raise _Failed(f"{_display(args.chat)}: {error}") from None
    try:
        body = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise _Failed(f"{_display(args.chat)}: not a JSON request body ({error})") from None
    if not isinstance(body, dict):
        raise _Failed(f"{_display(args.chat)}: the request body must be a JSON object")
    return _display(args.chat), body


def _from_host(host: str, base: str) -> Any:
    """`/api/show` of `base` on `host` (a URL or a configured host's name)."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.cli.hosts import select_hosts
    from modelarium.ollama.client import OllamaClient

    hosts, timeout = select_hosts([host])

    async def show() -> Any:
        async with OllamaClient(hosts[0], timeout=timeout) as client:
            return await client.show(base)

    return asyncio.run(show())


def _source(args: argparse.Namespace) -> Any:
    """The Modelfile's prompt inputs, completed from the host when `--host` is given."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.modelfile import ModelfileError, inherit, parse, prompt_source

    name = _display(args.file)
    try:
        loaded = load_input(args.file)
    except InputError as error:
        raise _Failed(f"{name}: {error}") from None
    try:
        commands = parse(loaded.data)
    except ModelfileError as error:
        position = error.position
        where = f"{name}:{position.line}:{position.column}" if position else name
        raise _Failed(f"{where}: {error}") from None
    source = prompt_source(commands)
    if args.host is None:
        return source
    if source.base is None:
        raise _Failed(f"{name}: no FROM line to look up on {args.host}")
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.config import ConfigError
    from modelarium.ollama.types import OllamaError

    try:
        details = _from_host(args.host, source.base)
    except OllamaError as error:
        if error.model is None:
            error.model = source.base
        raise _Failed(str(error)) from None
    except ConfigError as error:
        raise _Failed(str(error)) from None
    try:
        inherited = prompt_source(parse(details.modelfile)) if details.modelfile else None
    except ModelfileError:
        inherited = None
    history = (
        inherited.history
        if inherited is not None
        else tuple((message.role, message.content) for message in details.messages)
    )
    return inherit(
        source,
        template=details.template,
        system=details.system,
        history=history,
        renderer=details.renderer,
        parser=details.parser,
        stops=inherited.stops if inherited is not None else (),
    )


def run_preview(args: argparse.Namespace) -> int:
    """`modelfile preview`."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.modelfile import TemplateError, render_prompt

    name = _display(args.file)
    try:
        label, request = _request(args)
        source = _source(args)
        if source.renders_in_code:
            setting = "RENDERER" if source.renderer else "PARSER"
            raise _Failed(
                f"{name}: {setting} is set, so Ollama builds this model's prompt in Go code, not "
                "from TEMPLATE; a template preview does not apply"
            )
        if source.template is None:
            hint = "" if args.host else "; pass --host URL to use the FROM model's template"
            raise _Failed(f"{name}: the Modelfile has no TEMPLATE{hint}")
        try:
            prompt = render_prompt(
                source.template, request, system=source.system, history=source.history_messages
            )
        except TemplateError as error:
            where = f"{source.base} on {args.host}" if source.inherited else name
            raise _Failed(f"{where}: TEMPLATE: {error}") from None
    except _Failed as failure:
        sys.stderr.write(terminal_safe(str(failure)) + "\n")
        return 1
    if args.json:
        payload = {
            "file": name,
            "sample": label,
            "template_from": "host" if source.inherited else "modelfile",
            "prompt": prompt,
            "stop": list(source.stops),
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
    elif sys.stdout.isatty():
        sys.stdout.write(terminal_safe(prompt))
        if not prompt.endswith("\n"):
            sys.stdout.write("\n")
    else:
        sys.stdout.write(prompt)
    return 0
