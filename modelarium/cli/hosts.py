"""`modelarium hosts` and `modelarium models ...`: hosts, installed models, extraction, management.

Hosts come from the settings file, else `OLLAMA_HOST`, else `127.0.0.1:11434`; `--host` (repeatable;
a configured host's name or any `OLLAMA_HOST`-style address) replaces them. Reads are served by
the first host, in that order, that answers (failover on unreachable/timeout/not-Ollama/refused).
Every failure prints one line naming host and model on stderr and exits 1; no traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from modelarium.cli.output import fail, print_json, print_table, safe, write_data
from modelarium.config import HostConfig
from modelarium.wording import counted, human_bytes

if TYPE_CHECKING:
    from modelarium.modelfile import Element, ModelFacts
    from modelarium.ollama.client import OllamaClient
    from modelarium.ollama.facts import FactsSource
    from modelarium.ollama.hosts import HostPool
    from modelarium.ollama.types import ModelDetails, ModelSummary

ResultT = TypeVar("ResultT")


class CommandFailed(Exception):
    """A failure already phrased as the one line to print."""


def timeout_seconds(text: str) -> float:
    """`--timeout`: a finite number of seconds above 0 (argparse turns the error into exit 2).

    `inf` and `nan` parse as floats but would make a request wait forever, so they are refused
    here with the zero and negative values."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(
            f"must be a finite number of seconds above 0, not {text!r}"
        )
    return value


def _add_host_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        action="append",
        metavar="HOST",
        help="a configured host name or an address (host, host:port, http(s)://host:port/path);"
        " repeat for failover in order (default: configured hosts, else OLLAMA_HOST)",
    )
    parser.add_argument(
        "--timeout",
        type=timeout_seconds,
        metavar="SECONDS",
        help="connect/answer timeout per request, above 0 (default: request_timeout setting, 10)",
    )
    # Marks a command that talks to hosts: `modelarium --host H|--demo <command>` applies here.
    parser.set_defaults(host_options=True, use_demo=False)


add_host_arguments = _add_host_arguments
"""`--host`/`--timeout` on a subcommand that talks to hosts (`modelfile lint`, `models diff`)."""


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `hosts` and `models` with its actions."""
    hosts_parser = subparsers.add_parser(
        "hosts", help="each host's state (up/degraded/down), Ollama version, latency, last error"
    )
    _add_host_arguments(hosts_parser)
    hosts_parser.add_argument("--json", action="store_true", help="print a JSON array")
    hosts_parser.set_defaults(handler=run_hosts)

    models_parser = subparsers.add_parser(
        "models", help="list, show, extract and manage the models installed on Ollama hosts"
    )
    actions = models_parser.add_subparsers(dest="models_command", metavar="ACTION", required=True)

    list_parser = actions.add_parser("list", help="installed models of the first answering host")
    _add_host_arguments(list_parser)
    list_parser.add_argument(
        "--all", action="store_true", help="list every host's models, not only the first's"
    )
    list_parser.add_argument("--json", action="store_true", help="print a JSON array")
    list_parser.set_defaults(handler=run_list)

    show_parser = actions.add_parser("show", help="a model's details and extracted elements")
    show_parser.add_argument("model", metavar="MODEL")
    _add_host_arguments(show_parser)
    show_parser.add_argument("--json", action="store_true", help="print details and elements")
    show_parser.add_argument(
        "--effective",
        action="store_true",
        help="every setting the model runs with and where its value comes from",
    )
    show_parser.set_defaults(handler=run_show)

    extract_parser = actions.add_parser(
        "extract", help="the model's Modelfile regenerated from its elements (FROM <name>)"
    )
    extract_parser.add_argument("model", metavar="MODEL")
    _add_host_arguments(extract_parser)
    extract_parser.add_argument("--json", action="store_true", help="print the elements")
    extract_parser.set_defaults(handler=run_extract)

    copy_parser = actions.add_parser("copy", help="copy a model under another name")
    copy_parser.add_argument("source", metavar="SOURCE")
    copy_parser.add_argument("destination", metavar="DESTINATION")
    _add_host_arguments(copy_parser)
    copy_parser.set_defaults(handler=run_copy)

    delete_parser = actions.add_parser("delete", help="delete a model")
    delete_parser.add_argument("model", metavar="MODEL")
    _add_host_arguments(delete_parser)
    delete_parser.set_defaults(handler=run_delete)

    ps_parser = actions.add_parser(
        "ps", help="the models the first answering host holds in memory (as `ollama ps`)"
    )
    _add_host_arguments(ps_parser)
    ps_parser.add_argument("--json", action="store_true", help="print a JSON array")
    ps_parser.set_defaults(handler=run_ps)

    load_parser = actions.add_parser("load", help="load a model into memory now")
    load_parser.add_argument("model", metavar="MODEL")
    load_parser.add_argument(
        "--keep-alive",
        metavar="DURATION",
        help="how long it stays loaded: a Go duration (30m, 2h) or seconds; -1 keeps it",
    )
    _add_host_arguments(load_parser)
    load_parser.set_defaults(handler=run_load)

    unload_parser = actions.add_parser("unload", help="free a model's memory (keep_alive 0)")
    unload_parser.add_argument("model", metavar="MODEL")
    _add_host_arguments(unload_parser)
    unload_parser.set_defaults(handler=run_unload)

    for verb, helptext in (("pull", "download a model"), ("push", "upload a model")):
        stream_parser = actions.add_parser(verb, help=f"{helptext} (progress on stderr)")
        stream_parser.add_argument("model", metavar="MODEL")
        stream_parser.add_argument(
            "--insecure", action="store_true", help="allow an http:// registry"
        )
        _add_host_arguments(stream_parser)
        stream_parser.set_defaults(handler=run_pull if verb == "pull" else run_push)

    create_parser = actions.add_parser("create", help="create a model from a Modelfile")
    create_parser.add_argument("model", metavar="MODEL")
    create_parser.add_argument(
        "-f",
        "--file",
        type=Path,
        default=Path("Modelfile"),
        metavar="MODELFILE",
        help="the Modelfile (default: ./Modelfile); local FROM/ADAPTER files are uploaded",
    )
    create_parser.add_argument(
        "--quantize",
        metavar="TYPE",
        default="",
        help="quantize F16/F32 FROM weights to TYPE (q4_K_M, q4_K_S, q8_0)",
    )
    _add_host_arguments(create_parser)
    create_parser.set_defaults(handler=run_create)

    register_model_aware(actions)


# host selection ---------------------------------------------------------------------------


def address_host(address: str) -> HostConfig:
    """A host given by its address, named by its normalised URL (`http://127.0.0.1:11434`), so
    that the CLI names a host one way whichever of `--host`, `OLLAMA_HOST` or the default gave
    it; an address that does not parse keeps the text as given (the pool reports the error)."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.ollama.hosts import parse_ollama_host
    from modelarium.ollama.types import InvalidHostURL

    try:
        url = parse_ollama_host(address)
    except InvalidHostURL:
        return HostConfig(address, address)
    return HostConfig(url, url)


def select_hosts(
    requested: Sequence[str] | None, *, demo_url: str | None = None
) -> tuple[tuple[HostConfig, ...], float]:
    """The hosts to use, in order, and the request timeout.

    `demo_url` (under `--demo`) is the only host; else `--host` values (configured names or
    addresses); else the configured hosts, else `OLLAMA_HOST`, else Ollama's default. A host is
    shown by its configured name, or by its normalised URL when it was given as an address."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.config import effective_hosts, load_settings

    settings = load_settings()
    if demo_url is not None:
        return (HostConfig("demo", demo_url),), settings.request_timeout
    if not requested:
        if settings.hosts:
            return settings.hosts, settings.request_timeout
        fallback = tuple(
            HostConfig(address_host(host.url).name, host.url, host.token, host.headers)
            for host in effective_hosts(settings)
        )
        return fallback, settings.request_timeout
    configured = {host.name: host for host in settings.hosts}
    chosen: list[HostConfig] = []
    for value in requested:
        host = configured.get(value) or address_host(value)
        if any(existing.name == host.name for existing in chosen):
            continue
        chosen.append(host)
    return tuple(chosen), settings.request_timeout


def _build_pool(args: argparse.Namespace, demo_url: str | None = None) -> HostPool:
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.ollama.hosts import HostPool

    hosts, timeout = select_hosts(args.host, demo_url=demo_url)
    if args.timeout is not None:
        timeout = args.timeout
    return HostPool(hosts, timeout=timeout)


@contextmanager
def _demo_host(args: argparse.Namespace) -> Iterator[str | None]:
    """Under `modelarium --demo <command>`: a fresh demo host for this one command (its URL);
    otherwise None."""
    if not getattr(args, "use_demo", False):
        yield None
        return
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.demo import DemoServerThread

    with DemoServerThread() as server:
        yield server.url


def _run(
    args: argparse.Namespace,
    work: Callable[[HostPool], Awaitable[int]],
    *,
    model: str | None = None,
) -> int:
    """Build the pool, run `work`, and turn every expected failure into one line on stderr."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.config import ConfigError
    from modelarium.ollama.types import OllamaError

    async def main(demo_url: str | None) -> int:
        pool = _build_pool(args, demo_url)
        async with pool:
            return await work(pool)

    try:
        with _demo_host(args) as demo_url:
            return asyncio.run(main(demo_url))
    except OllamaError as error:
        if error.model is None and model is not None:
            error.model = model
        return _fail(str(error))
    except (ConfigError, CommandFailed) as error:
        return _fail(str(error))


def _fail(message: str) -> int:
    return fail(message)


def run_on_hosts(
    args: argparse.Namespace,
    work: Callable[[HostPool], Awaitable[int]],
    *,
    model: str | None = None,
) -> int:
    """Run `work` on the hosts `args` selects (for commands outside this module); failures
    become one line on stderr (naming `model` when the error does not) and exit status 1."""
    return _run(args, work, model=model)


# hosts --------------------------------------------------------------------------------------


def run_hosts(args: argparse.Namespace) -> int:
    """`modelarium hosts`: probe every host concurrently and report."""

    async def work(pool: HostPool) -> int:
        statuses = await pool.check_all()
        if args.json:
            print_json([status.to_json() for status in statuses])
        else:
            rows = [
                (
                    status.name,
                    status.url,
                    status.state,
                    status.version or "-",
                    "-" if status.latency_ms is None else f"{status.latency_ms:.0f} ms",
                    status.last_error or "",
                )
                for status in statuses
            ]
            print_table(("NAME", "URL", "STATE", "VERSION", "LATENCY", "LAST ERROR"), rows)
        return 0 if any(status.state in ("up", "degraded") for status in statuses) else 1

    return _run(args, work)


# models list/show/extract -------------------------------------------------------------------


def run_list(args: argparse.Namespace) -> int:
    """`modelarium models list`: the first answering host's models (or every host's)."""

    async def work(pool: HostPool) -> int:
        # Deferred (start-up): loaded only when this command runs.
        from modelarium.ollama.types import OllamaError

        models: list[ModelSummary] = []
        failed = False
        if args.all:
            for result in (await pool.list_all()).values():
                if isinstance(result, OllamaError):
                    fail(str(result))
                    failed = True
                else:
                    models.extend(result)
        else:
            served = await pool.read_any(lambda client: client.list_models())
            models.extend(served.value)
        if args.json:
            print_json([model.to_json() for model in models])
        else:
            rows = [
                (
                    m.name,
                    m.host,
                    m.digest[:12],
                    "cloud" if m.is_remote else human_bytes(m.size),
                    m.family,
                    m.parameter_size,
                    m.quantization,
                    ",".join(m.capabilities),
                    m.modified_at.strftime("%Y-%m-%d %H:%M"),
                )
                for m in models
            ]
            print_table(
                (
                    "NAME",
                    "HOST",
                    "ID",
                    "SIZE",
                    "FAMILY",
                    "PARAMS",
                    "QUANT",
                    "CAPABILITIES",
                    "MODIFIED",
                ),
                rows,
            )
        return 1 if failed and not models else 0

    return _run(args, work)


async def _extract_on_pool(pool: HostPool, model: str) -> tuple[ModelDetails, tuple[Element, ...]]:
    """Show and extract `model` on the first answering host that has it."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.ollama.extract import extract

    async def action(client: OllamaClient) -> tuple[ModelDetails, tuple[Element, ...]]:
        return await extract(client, model)

    _check_model_name(pool, model)
    served = await pool.first_with_model(model, action)
    return served.value


def _check_model_name(pool: HostPool, model: str) -> None:
    """Reject a bad name before any request, naming the host that would have served."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.ollama.names import ModelName
    from modelarium.ollama.types import InvalidModelName

    problem = ModelName.parse(model).problem if model.strip() else "the name is empty"
    if problem is not None:
        first = pool.statuses()[0]
        raise InvalidModelName(
            f"invalid model name: {problem}", host=first.name, model=model, url=first.url
        )


def _element_preview(element: Element) -> str:
    """One safe line summing up an element: parameters, message roles, or the first line of
    text that is not blank (a license often starts with an empty line) and how many follow."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.modelfile import ElementKind

    if element.kind is ElementKind.PARAMETERS:
        return safe(", ".join(f"{p.name} {p.value!r}" for p in element.parameters))
    if element.kind is ElementKind.MESSAGES:
        roles = ", ".join(message.role for message in element.messages)
        return safe(f"{counted(len(element.messages), 'message')}: {roles}")
    lines = element.value.splitlines()
    first = next((line.strip() for line in lines if line.strip()), "")
    if not first:
        return "(empty)"
    shown = safe(first[:70]) + ("…" if len(first) > 70 else "")
    more = f"  (+{counted(len(lines) - 1, 'line')})" if len(lines) > 1 else ""
    return f"{shown}{more}"


def run_show(args: argparse.Namespace) -> int:
    """`modelarium models show MODEL`: details and elements, readable (or JSON);
    `--effective`: the effective settings instead."""
    if getattr(args, "effective", False):
        return run_effective(args)

    async def work(pool: HostPool) -> int:
        details, elements = await _extract_on_pool(pool, args.model)
        if args.json:
            data = {
                "host": details.host,
                "name": details.name,
                "digest": details.digest,
                "format": details.format,
                "family": details.family,
                "families": list(details.families),
                "parameter_size": details.parameter_size,
                "quantization": details.quantization,
                "parent_model": details.parent_model,
                "context_length": details.context_length,
                "capabilities": list(details.capabilities),
                "remote_host": details.remote_host,
                "remote_model": details.remote_model,
                "modified_at": details.modified_at.isoformat(),
                "elements": [element.content_json() for element in elements],
            }
            print_json(data)
            return 0
        out = sys.stdout
        client = pool.client(details.host)
        where = details.host if details.host == client.url else f"{details.host} ({client.url})"
        out.write(f"{safe(details.name)}  on {safe(where)}\n")
        facts = (
            ("digest", details.digest or ""),
            ("format", details.format),
            ("family", ", ".join(details.families) or details.family),
            ("parameters", details.parameter_size),
            ("quantization", details.quantization),
            ("context", "" if details.context_length is None else str(details.context_length)),
            ("capabilities", ", ".join(details.capabilities)),
            ("parent", details.parent_model),
            (
                "cloud",
                " on ".join(v for v in (details.remote_model, details.remote_host) if v),
            ),
            ("modified", details.modified_at.isoformat(timespec="seconds")),
        )
        for label, value in facts:
            if value:
                out.write(f"  {label:<13} {safe(value)}\n")
        out.write("\nElements\n")
        for element in elements:
            out.write(f"  {element.kind.value:<11} {_element_preview(element)}\n")
        return 0

    return _run(args, work, model=args.model)


def run_extract(args: argparse.Namespace) -> int:
    """`modelarium models extract MODEL`: the regenerated Modelfile (or the elements as JSON)."""

    async def work(pool: HostPool) -> int:
        # Deferred (start-up): loaded only when this command runs.
        from modelarium.modelfile import generate_modelfile

        details, elements = await _extract_on_pool(pool, args.model)
        if args.json:
            print_json([element.content_json() for element in elements])
            return 0
        try:
            text = generate_modelfile(elements)
        except Exception as error:  # the generator's error names the element
            raise CommandFailed(
                f"{details.host}: model {details.name!r}: cannot generate the Modelfile: {error}"
            ) from error
        write_data(text if text.endswith("\n") else text + "\n")
        return 0

    return _run(args, work, model=args.model)


# management ---------------------------------------------------------------------------------


def _first_client(pool: HostPool) -> OllamaClient:
    """Changes go to the first selected host (never failed over: the user picks the host)."""
    return pool.client(pool.names[0])


def _change_on_first_host(
    args: argparse.Namespace,
    model: str,
    change: Callable[[OllamaClient], Awaitable[None]],
    done: str,
) -> int:
    """Run one change on the first selected host and print `<done> on <host>`."""

    async def work(pool: HostPool) -> int:
        client = _first_client(pool)
        await change(client)
        print(safe(f"{done} on {client.name}"))
        return 0

    return _run(args, work, model=model)


def run_copy(args: argparse.Namespace) -> int:
    """`modelarium models copy SOURCE DESTINATION` on the first selected host."""
    return _change_on_first_host(
        args,
        args.source,
        lambda client: client.copy(args.source, args.destination),
        f"copied {args.source} to {args.destination}",
    )


def run_delete(args: argparse.Namespace) -> int:
    """`modelarium models delete MODEL` on the first selected host."""
    return _change_on_first_host(
        args, args.model, lambda client: client.delete(args.model), f"deleted {args.model}"
    )


def run_ps(args: argparse.Namespace) -> int:
    """`modelarium models ps`: NAME, ID, SIZE, PROCESSOR, CONTEXT, UNTIL (as `ollama ps`)."""

    async def work(pool: HostPool) -> int:
        # Deferred (start-up): loaded only when this command runs.
        from datetime import UTC, datetime

        from modelarium.ollama.running import processor_text, unload_text

        served = await pool.read_any(lambda client: client.running_models())
        if args.json:
            rows_json = [
                {
                    "name": model.name,
                    "host": model.host,
                    "digest": model.digest,
                    "size": model.size,
                    "size_vram": model.size_vram,
                    "processor": processor_text(model.size, model.size_vram),
                    "context_length": model.context_length,
                    "expires_at": model.expires_at.isoformat(),
                }
                for model in served.value
            ]
            print_json(rows_json)
            return 0
        now = datetime.now(UTC)
        rows = [
            (
                model.name,
                model.digest[:12],
                human_bytes(model.size),
                processor_text(model.size, model.size_vram),
                str(model.context_length or "-"),
                unload_text(model.expires_at, now),
            )
            for model in served.value
        ]
        print_table(("NAME", "ID", "SIZE", "PROCESSOR", "CONTEXT", "UNTIL"), rows)
        return 0

    return _run(args, work)


def _keep_alive(value: str | None) -> str | int | None:
    """`--keep-alive`: whole seconds as a number (Ollama refuses a unitless string)."""
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return value


def run_load(args: argparse.Namespace) -> int:
    """`modelarium models load MODEL` on the first answering host that has it."""

    async def work(pool: HostPool) -> int:
        _check_model_name(pool, args.model)
        keep_alive = _keep_alive(args.keep_alive)
        served = await pool.first_with_model(
            args.model, lambda client: client.load(args.model, keep_alive)
        )
        print(safe(f"loaded {args.model} on {served.host}"))
        return 0

    return _run(args, work, model=args.model)


def run_unload(args: argparse.Namespace) -> int:
    """`modelarium models unload MODEL` on the first selected host."""
    return _change_on_first_host(
        args, args.model, lambda client: client.unload(args.model), f"unloaded {args.model}"
    )


async def _follow(stream: Any) -> None:
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.cli.progress import progress_printer

    printer = progress_printer(sys.stderr)
    async for progress in stream:
        printer(progress)


def run_pull(args: argparse.Namespace) -> int:
    """`modelarium models pull MODEL` on the first selected host."""

    async def work(pool: HostPool) -> int:
        await _follow(_first_client(pool).pull(args.model, insecure=args.insecure))
        return 0

    return _run(args, work, model=args.model)


def run_push(args: argparse.Namespace) -> int:
    """`modelarium models push MODEL` on the first selected host."""

    async def work(pool: HostPool) -> int:
        await _follow(_first_client(pool).push(args.model, insecure=args.insecure))
        return 0

    return _run(args, work, model=args.model)


def run_create(args: argparse.Namespace) -> int:
    """`modelarium models create MODEL -f Modelfile` on the first selected host: the core
    builds the create (body, files, license decision) and the client sends it unchanged."""

    async def work(pool: HostPool) -> int:
        # Deferred (start-up): loaded only when this command runs.
        from modelarium.modelfile import (
            CreateRequestError,
            ModelfileError,
            build_create_request,
            decode,
            parse,
            quantize_problem,
        )
        from modelarium.ollama.prepare import prepare_create

        path: Path = args.file
        quantize: str = getattr(args, "quantize", "") or ""
        problem = quantize_problem(quantize)
        if problem is not None:
            raise CommandFailed(f"--quantize: {problem}")
        try:
            text = decode(path.read_bytes())
        except OSError as error:
            raise CommandFailed(f"{path}: cannot read the Modelfile: {error.strerror}") from error
        try:
            commands = parse(text)
            request = await asyncio.to_thread(build_create_request, commands, path.resolve().parent)
        except (ModelfileError, CreateRequestError) as error:  # Ollama's exact text
            raise CommandFailed(f"{path}: {error}") from error
        client = _first_client(pool)
        create = await prepare_create(client, request, args.model, quantize=quantize)
        for note in create.notes:  # what `ollama create` prints before the progress
            print(note, file=sys.stderr)
        await _follow(client.create(create))
        return 0

    return _run(args, work, model=args.model)


# models show --effective, models diff, models rebase ---------------------------------------
# `models show --effective`, `models diff` and `models rebase`: the CLI views that know the
# model (its base, its effective settings, its drift from an updated base).
#
# - `models show MODEL --effective [--json]`: every setting with where its value comes from
#   (the model's own Modelfile line, inherited from its base, Ollama's default) and, for
#   num_ctx, the context the loaded instance really has (`/api/ps`).
# - `models diff A B [--json]` / `models diff A --against-base`: the core's element diff of two
#   installed models (the same name given twice compares the first two hosts that have it, and
#   says when their digests differ); exit 0 same, 1 differ, 2 trouble, as `modelfile diff`.
# - `models rebase MODEL… [--yes]`: per model, the drift, the Modelfile of its own lines over
#   the current base, the exact create body and the model-aware findings; nothing is
#   re-created without `--yes` (or a `y` at the prompt on a terminal).


MODELS_DIFF_SAME, MODELS_DIFF_DIFFERENT, MODELS_DIFF_TROUBLE = 0, 1, 2


def register_model_aware(actions: argparse._SubParsersAction[Any]) -> None:
    """Add `diff` and `rebase` to the `models` group (`--effective` is on `show`)."""
    diff_parser = actions.add_parser(
        "diff",
        help="compare two installed models element by element (exit 0 same, 1 differ, 2 trouble)",
    )
    diff_parser.add_argument("first", metavar="A")
    diff_parser.add_argument("second", metavar="B", nargs="?")
    diff_parser.add_argument(
        "--against-base", action="store_true", help="compare A with the model it was made FROM"
    )
    diff_parser.add_argument("--json", action="store_true", help="print the diff as JSON")
    _add_host_arguments(diff_parser)
    diff_parser.set_defaults(handler=run_models_diff)

    rebase_parser = actions.add_parser(
        "rebase",
        help="re-create derived models on their base's current weights (preview first)",
    )
    rebase_parser.add_argument("models", nargs="+", metavar="MODEL")
    rebase_parser.add_argument(
        "--yes", action="store_true", help="re-create without asking (after the preview)"
    )
    rebase_parser.add_argument("--json", action="store_true", help="print the plans as JSON")
    _add_host_arguments(rebase_parser)
    rebase_parser.set_defaults(handler=run_rebase)


# show --effective -----------------------------------------------------------------------


async def effective_of(pool: HostPool, model: str, *, as_json: bool = False) -> int:
    """Print the effective settings of `model` on the first host that has it: what the model
    sets itself told from what its base (when the host has it) gives, as the details pane."""
    # Deferred (start-up): loaded only when this runs.
    from modelarium.modelfile import model_settings, settings_table
    from modelarium.ollama.facts import FactsSource
    from modelarium.ollama.names import same_model

    source = FactsSource()

    async def action(client: OllamaClient) -> tuple[ModelFacts, ModelFacts | None, int | None]:
        facts = await source.facts(client, model)
        base = await _base_facts(client, source, facts)
        running = await client.running_models()
        loaded = next((r for r in running if same_model(r.name, facts.name)), None)
        return facts, base, (loaded.context_length if loaded is not None else None)

    served = await pool.first_with_model(model, action)
    facts, base, context = served.value
    settings = model_settings(facts, base, running_context=context)
    if as_json:
        print_json(
            {
                "host": served.host,
                "model": facts.name,
                "base": base.name if base is not None else None,
                "context_length": facts.context_length,
                "running_context": context,
                "settings": [setting.to_json() for setting in settings],
            }
        )
        return 0
    over = f" (over {safe(base.name)})" if base is not None else ""
    sys.stdout.write(f"{safe(facts.name)}  on {safe(served.host)}: effective settings{over}\n")
    rows = [(safe(n), safe(v), safe(o)) for n, v, o in settings_table(settings)]
    print_table(("SETTING", "VALUE", "FROM"), rows)
    return 0


async def _base_facts(
    client: OllamaClient, source: FactsSource, facts: ModelFacts
) -> ModelFacts | None:
    """The facts of the model `facts` was created FROM (`named_base`), when the host still has
    it; else None."""
    # Deferred (start-up): loaded only when this runs.
    from modelarium.ollama.facts import named_base
    from modelarium.ollama.types import InvalidModelName, ModelNotFound

    parent = named_base(facts)
    if parent is None:
        return None
    try:
        return await source.facts(client, parent)
    except (ModelNotFound, InvalidModelName):
        return None


def run_effective(args: argparse.Namespace) -> int:
    """`models show MODEL --effective [--json]`."""

    async def work(pool: HostPool) -> int:
        return await effective_of(pool, args.model, as_json=bool(args.json))

    return _run(args, work, model=args.model)


# diff -------------------------------------------------------------------------------------


def run_models_diff(args: argparse.Namespace) -> int:
    """`models diff A B` / `models diff A --against-base`."""
    # Deferred (start-up): loaded only when this runs.
    from modelarium.modelfile import DiffError, diff_modelfiles

    if args.against_base == (args.second is not None):
        sys.stderr.write("models diff: give two models (A B), or one model with --against-base\n")
        return MODELS_DIFF_TROUBLE
    outcome: dict[str, int] = {}

    async def shown(pool: HostPool, model: str, host: str | None = None) -> ModelDetails:
        if host is not None:
            return await pool.client(host).show(model)
        served = await pool.first_with_model(model, lambda client: client.show(model))
        return served.value

    async def work(pool: HostPool) -> int:
        # Deferred (start-up): loaded only when this runs.
        from modelarium.ollama.extract import find_summary
        from modelarium.ollama.facts import named_base

        first = await shown(pool, args.first)
        note = ""
        if args.against_base:
            base = named_base(first)
            if base is None:
                raise CommandFailed(
                    f"{first.host}: model {first.name!r} was not made FROM a named model"
                )
            second = await shown(pool, base, first.host)
        elif _same_name(args.first, args.second) and len(pool.names) > 1:
            other = None
            for name in pool.names:
                if name != first.host and await _has(pool, name, args.first):
                    other = name
                    break
            if other is None:
                raise CommandFailed(f"no other host has {args.first}")
            second = await shown(pool, args.second, other)
            digests = []
            for details in (first, second):
                summary = await find_summary(pool.client(details.host), details.name)
                digests.append(summary.digest)
            note = (
                "same digest on both hosts"
                if digests[0] == digests[1]
                else f"digests differ: {digests[0][:12]} on {first.host}, "
                f"{digests[1][:12]} on {second.host}"
            )
        else:
            second = await shown(pool, args.second)
        before, after = (second, first) if args.against_base else (first, second)
        try:
            diff = diff_modelfiles(
                before.modelfile,
                after.modelfile,
                before_label=f"{before.name} on {before.host}",
                after_label=f"{after.name} on {after.host}",
            )
        except DiffError as error:
            raise CommandFailed(str(error)) from error
        if args.json:
            data = diff.to_json()
            if note:
                data["note"] = note
            print_json(data)
        else:
            if note:
                sys.stdout.write(f"{safe(note)}\n")
            sys.stdout.write(safe(diff.to_text(), lines="keep"))
        outcome["status"] = MODELS_DIFF_SAME if diff.identical else MODELS_DIFF_DIFFERENT
        return 0

    if _run(args, work, model=args.first):
        return MODELS_DIFF_TROUBLE
    return outcome["status"]


def _same_name(first: str, second: str | None) -> bool:
    # Deferred (start-up): loaded only when this runs.
    from modelarium.ollama.names import same_model

    return second is not None and same_model(first, second)


async def _has(pool: HostPool, host: str, model: str) -> bool:
    # Deferred (start-up): loaded only when this runs.
    from modelarium.ollama.prepare import installed_model

    try:
        return await installed_model(pool.client(host), model) is not None
    except Exception:  # a host that cannot answer does not have it for this comparison
        return False


# rebase -----------------------------------------------------------------------------------


def run_rebase(args: argparse.Namespace) -> int:
    """`models rebase MODEL… [--yes]` on the first selected host."""
    # Deferred (start-up): loaded only when this runs.
    from modelarium.ollama.facts import FactsSource
    from modelarium.ollama.model_check import plan_rebase

    async def work(pool: HostPool) -> int:
        client = pool.client(pool.names[0])
        source = FactsSource()
        plans = [await plan_rebase(client, model, source=source) for model in args.models]
        ready = [plan for plan in plans if plan.ready]
        if args.json:
            print_json([plan.to_json() for plan in plans])
        else:
            for plan in plans:
                sys.stdout.write(safe(plan.preview_text(), lines="keep"))
        if not ready:
            return 0 if all(plan.drift is None for plan in plans) else 1
        if not args.yes and not _confirmed(len(ready)):
            sys.stderr.write(
                f"nothing re-created ({counted(len(ready), 'model')} would be): "
                "pass --yes to re-create\n"
            )
            return 0
        for plan in ready:
            assert plan.create is not None
            async for _ in client.create(plan.create):
                pass
            sys.stderr.write(f"re-created {safe(plan.model)} on {safe(plan.host)}\n")
        return 0 if len(ready) == len([p for p in plans if p.drift is not None]) else 1

    return _run(args, work)


def _confirmed(count: int) -> bool:
    """Ask on a terminal; never re-create unasked when the input is not one."""
    if not sys.stdin.isatty():
        return False
    sys.stderr.write(f"Re-create {counted(count, 'model')} on the current base? [y/N] ")
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() in ("y", "yes")
