"""`modelarium trials run|show`: measure settings on a host and read back what was measured.

`run` tries every model as installed, or one variant per `--set NAME=VALUE` (a runtime option
sent with each request) and per `--variant FILE` (a Modelfile, tried through a temporary
model), through the chosen probes, and stores every run in the library. `show` prints the
stored results aggregated over every trial so far. With `--json` each prints one JSON object
per line per model, variant and probe (the fields are documented in docs/trials.md and are
kept stable for scripts). Hosts are chosen as for `models` (`--host`, settings, OLLAMA_HOST);
trials go to the first one.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from modelarium.cli.hosts import CommandFailed, _add_host_arguments, _first_client, _run

if TYPE_CHECKING:
    from modelarium.ollama.hosts import HostPool
    from modelarium.store import Library
    from modelarium.store.trials import StoredResult
    from modelarium.trials.runner import Summary, Variant
    from modelarium.trials.session import ProbeUnit

LOAD_TIMEOUT = 300.0
"""Seconds a trial waits for an answer to start (loading a large model) unless `--timeout`."""


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `trials run` and `trials show`."""
    trials_parser = subparsers.add_parser(
        "trials", help="measure which settings work per model and probe, and show the results"
    )
    actions = trials_parser.add_subparsers(dest="trials_command", metavar="ACTION", required=True)
    run = actions.add_parser("run", help="run probes against models and variants on a host")
    run.add_argument("models", nargs="+", metavar="MODEL", help="installed models to try")
    _add_host_arguments(run)
    run.add_argument(
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a variant of every model with this runtime parameter (repeatable)",
    )
    run.add_argument(
        "--variant",
        dest="variants",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="a Modelfile variant of every model, tried through a temporary model (repeatable)",
    )
    run.add_argument(
        "--probes",
        default="tools,json,code,speed",
        metavar="LIST",
        help="comma-separated probes: tools, json, code, speed (default: all)",
    )
    run.add_argument("--repeat", type=int, default=1, metavar="N", help="runs of each task")
    run.add_argument("--think", choices=("on", "off"), help="send think on or off")
    run.add_argument("--json", action="store_true", help="one JSON object per line")
    run.add_argument("--database", metavar="URL", help="library database URL for the results")
    run.set_defaults(handler=run_trials)

    show = actions.add_parser("show", help="stored results, aggregated over every trial")
    show.add_argument("--model", metavar="MODEL", help="only this model")
    show.add_argument("--probe", metavar="PROBE", help="only this probe")
    show.add_argument("--json", action="store_true", help="one JSON object per line")
    show.add_argument("--database", metavar="URL", help="library database URL")
    show.set_defaults(handler=run_show)


# variants ------------------------------------------------------------------------------------


def option_variant(setting: str, think: bool | None) -> Variant:
    """`NAME=VALUE` as a variant whose value is typed by the core, as create types it."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.modelfile import overlay_request
    from modelarium.trials.runner import Variant

    name, equals, value = setting.partition("=")
    name = name.strip()
    if not equals or not name or not value.strip():
        raise CommandFailed(f"--set {setting!r}: write NAME=VALUE, e.g. num_ctx=8192")
    try:
        request = overlay_request(f"PARAMETER {name} {value.strip()}\n", "base")
    except Exception as error:  # the core's errors carry Ollama's own text
        raise CommandFailed(f"--set {setting}: {error}") from error
    parameters = request.body.get("parameters")
    if not isinstance(parameters, dict) or not parameters:
        raise CommandFailed(f"--set {setting}: not a runtime parameter")
    return Variant(f"{name}={value.strip()}", options=dict(parameters), think=think)


def file_variant(path: Path, think: bool | None) -> Variant:
    """A Modelfile variant from `path` (checked by the core before anything is sent); its FROM,
    if any, is replaced by each model under trial. Its elements' content hashes go into the
    variant's key, as they do for a variant made from library elements."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.modelfile import decode, parse
    from modelarium.trials.runner import Variant
    from modelarium.trials.session import variant_elements, variant_modelfile

    try:
        text = decode(path.read_bytes())
    except OSError as error:
        raise CommandFailed(f"{path}: cannot read the variant: {error.strerror}") from error
    try:
        parse(variant_modelfile(text, "base"))
    except Exception as error:  # ModelfileError: Ollama's text and line
        raise CommandFailed(f"{path}: {error}") from error
    variant = Variant(path.name, think=think, modelfile=text)
    hashes = tuple(element.content_hash for element in variant_elements(variant))
    return Variant(path.name, think=think, modelfile=text, element_hashes=hashes)


def build_variants(args: argparse.Namespace) -> list[Variant]:
    """The variants of `trials run`: one per `--set` and `--variant`, else the model as
    installed (with `--think` applied to each)."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.trials.runner import Variant
    from modelarium.trials.session import AS_INSTALLED

    think = None if args.think is None else args.think == "on"
    variants = [option_variant(setting, think) for setting in args.settings]
    variants += [file_variant(path, think) for path in args.variants]
    if not variants:
        label = AS_INSTALLED if think is None else f"{AS_INSTALLED}, think {args.think}"
        variants.append(Variant(label, think=think))
    return variants


def parse_probes(text: str) -> list[Any]:
    """`tools,json` -> the probe names, refusing unknown ones."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.trials.probes import PROBE_NAMES

    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in PROBE_NAMES]
    if unknown or not names:
        raise CommandFailed(
            f"--probes: unknown probe {', '.join(unknown) or '(none)'}; "
            f"choose from {', '.join(PROBE_NAMES)}"
        )
    return list(dict.fromkeys(names))


# output --------------------------------------------------------------------------------------


def _summary_json(summary: Summary, unit: ProbeUnit) -> dict[str, object]:
    data = summary.to_json()
    data.update(
        probe_version=unit.probe_version,
        host=unit.host,
        ollama_version=unit.ollama_version,
        digest=unit.base_digest,
        context_length=unit.context_length,
    )
    return data


def _failures_text(failures: dict[str, int] | Any) -> str:
    return ", ".join(f"{code} ×{count}" for code, count in failures.items()) or "-"


def _speed_text(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _line(
    model: str, variant: str, probe: str, passed: int, runs: int, speed: str, fails: str
) -> str:
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.terminal_text import terminal_text

    model, variant = terminal_text(model), terminal_text(variant)
    return f"{model:<24} {variant:<24} {probe:<6} {passed:>3}/{runs:<3} {speed:>9}  {fails}"


HEADER = f"{'MODEL':<24} {'VARIANT':<24} {'PROBE':<6} {'PASSED':<7} {'TOKENS/S':>9}  FAILURES"


# handlers ------------------------------------------------------------------------------------


def run_trials(args: argparse.Namespace) -> int:
    """`modelarium trials run MODEL…`: run, print as each unit finishes, store every run."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.store import StoreError
    from modelarium.store.trials import store_unit
    from modelarium.trials.runner import summarise
    from modelarium.trials.session import TrialAborted, run_trial

    if args.repeat < 1:
        return _fail("--repeat must be at least 1")
    try:
        probes = parse_probes(args.probes)
        variants = build_variants(args)
    except CommandFailed as error:
        return _fail(str(error))
    try:
        library = _open(args.database)
    except StoreError as error:
        return _fail(f"cannot store the results: {error}")

    async def work(pool: HostPool) -> int:
        # Deferred (start-up): loaded only when this command runs.
        import asyncio

        from modelarium.ollama.client import OllamaClient

        first = _first_client(pool)
        timeout = args.timeout if args.timeout is not None else max(first.timeout, LOAD_TIMEOUT)
        if not args.json:
            print(HEADER, flush=True)

        async def finished(unit: ProbeUnit) -> None:
            await asyncio.to_thread(store_unit, library, unit)
            for summary in summarise(unit.runs):
                if args.json:
                    print(json.dumps(_summary_json(summary, unit)), flush=True)
                else:
                    print(
                        _line(summary.model, summary.variant, summary.probe, summary.passed,
                              summary.runs, _speed_text(summary.tokens_per_second),
                              _failures_text(summary.failures)),
                        flush=True,
                    )  # fmt: skip

        async with OllamaClient(first.config, timeout=timeout) as client:
            try:
                await run_trial(
                    client, models=args.models, variants=variants, probes=probes,
                    repeat=args.repeat, on_unit=finished,
                )  # fmt: skip
            except TrialAborted as error:
                raise CommandFailed(
                    f"{error} (trial stopped; {error.units_done} finished probe results kept)"
                ) from error
        return 0

    try:
        return _run(args, work)
    finally:
        library.close()


def run_show(args: argparse.Namespace) -> int:
    """`modelarium trials show`: the stored results, aggregated over every run so far."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.store import StoreError
    from modelarium.store.trials import stored_results

    try:
        library = _open(args.database)
        try:
            results = stored_results(library, model=args.model, probe=args.probe)
        finally:
            library.close()
    except StoreError as error:
        return _fail(str(error))
    if args.json:
        for result in results:
            print(json.dumps(result.to_json()))
        return 0
    if not results:
        print("no trial results yet: run `modelarium trials run MODEL`")
        return 0
    print(f"{HEADER}  HOST  OLLAMA  LAST RUN")
    for result in results:
        print(_show_line(result))
    return 0


def _show_line(result: StoredResult) -> str:
    speed = _speed_text(result.tokens_per_second)
    failures = _failures_text(result.failures)
    line = _line(result.model, result.variant, result.probe, result.passed, result.runs, speed,
                 failures)  # fmt: skip
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.terminal_text import terminal_text

    where = terminal_text(f"{result.host}  {result.ollama_version}")
    return f"{line}  {where}  {result.last_run:%Y-%m-%d %H:%M}"


def _open(url: str | None) -> Library:
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.store import Library

    return Library.open(url)


def _fail(message: str) -> int:
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.terminal_text import terminal_text

    print(f"modelarium: {terminal_text(message, lines='join')}", file=sys.stderr)
    return 1
