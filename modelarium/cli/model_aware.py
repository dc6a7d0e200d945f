"""`models show --effective`, `models diff` and `models rebase`: the CLI views that know the
model (its base, its effective settings, its drift from an updated base).

- `models show MODEL --effective [--json]`: every setting with where its value comes from
  (the model's own Modelfile line, inherited from its base, Ollama's default) and, for
  num_ctx, the context the loaded instance really has (`/api/ps`).
- `models diff A B [--json]` / `models diff A --against-base`: the core's element diff of two
  installed models (the same name given twice compares the first two hosts that have it, and
  says when their digests differ); exit 0 same, 1 differ, 2 trouble, as `modelfile diff`.
- `models rebase MODEL… [--yes]`: per model, the drift, the Modelfile of its own lines over
  the current base, the exact create body and the model-aware findings; nothing is
  re-created without `--yes` (or a `y` at the prompt on a terminal).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from modelarium.cli.output import print_json, print_table, safe
from modelarium.plural import counted

if TYPE_CHECKING:
    from modelarium.ollama.client import OllamaClient
    from modelarium.ollama.hosts import HostPool

DIFF_SAME, DIFF_DIFFERENT, DIFF_TROUBLE = 0, 1, 2


def register(actions: argparse._SubParsersAction[Any]) -> None:
    """Add `diff` and `rebase` to the `models` group (`--effective` is on `show`)."""
    from modelarium.cli.hosts import add_host_arguments

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
    add_host_arguments(diff_parser)
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
    add_host_arguments(rebase_parser)
    rebase_parser.set_defaults(handler=run_rebase)


# show --effective -----------------------------------------------------------------------


async def effective_of(pool: HostPool, model: str, *, as_json: bool = False) -> int:
    """Print the effective settings of `model` on the first host that has it."""
    from modelarium.modelfile.effective import effective_settings, settings_table
    from modelarium.modelfile.model_facts import ModelFacts
    from modelarium.ollama.facts import FactsSource
    from modelarium.ollama.names import same_model

    source = FactsSource()

    async def action(client: OllamaClient) -> tuple[ModelFacts, int | None]:
        facts = await source.facts(client, model)
        running = await client.running_models()
        loaded = next((r for r in running if same_model(r.name, facts.name)), None)
        return facts, (loaded.context_length if loaded is not None else None)

    served = await pool.first_with_model(model, action)
    facts, context = served.value
    settings = effective_settings(None, facts, running_context=context)
    if as_json:
        print_json(
            {
                "host": served.host,
                "model": facts.name,
                "context_length": facts.context_length,
                "running_context": context,
                "settings": [setting.to_json() for setting in settings],
            }
        )
        return 0
    sys.stdout.write(f"{safe(facts.name)}  on {safe(served.host)}: effective settings\n")
    rows = [(safe(n), safe(v), safe(o)) for n, v, o in settings_table(settings)]
    print_table(("SETTING", "VALUE", "FROM"), rows)
    return 0


def run_effective(args: argparse.Namespace) -> int:
    """`models show MODEL --effective [--json]`."""
    from modelarium.cli.hosts import run_on_hosts

    async def work(pool: HostPool) -> int:
        return await effective_of(pool, args.model, as_json=bool(args.json))

    return run_on_hosts(args, work, model=args.model)


# diff -------------------------------------------------------------------------------------


def run_models_diff(args: argparse.Namespace) -> int:
    """`models diff A B` / `models diff A --against-base`."""
    from modelarium.cli.hosts import CommandFailed, run_on_hosts
    from modelarium.modelfile.diff import DiffError, diff_modelfiles
    from modelarium.ollama.types import ModelDetails

    if args.against_base == (args.second is not None):
        sys.stderr.write("models diff: give two models (A B), or one model with --against-base\n")
        return DIFF_TROUBLE
    outcome: dict[str, int] = {}

    async def shown(pool: HostPool, model: str, host: str | None = None) -> ModelDetails:
        if host is not None:
            return await pool.client(host).show(model)
        served = await pool.first_with_model(model, lambda client: client.show(model))
        return served.value

    async def work(pool: HostPool) -> int:
        from modelarium.ollama.extract import find_summary

        first = await shown(pool, args.first)
        note = ""
        if args.against_base:
            if not first.parent_model or first.parent_model.startswith("/"):
                raise CommandFailed(
                    f"{first.host}: model {first.name!r} was not made FROM a named model"
                )
            second = await shown(pool, first.parent_model, first.host)
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
        outcome["status"] = DIFF_SAME if diff.identical else DIFF_DIFFERENT
        return 0

    if run_on_hosts(args, work, model=args.first):
        return DIFF_TROUBLE
    return outcome["status"]


def _same_name(first: str, second: str | None) -> bool:
    from modelarium.ollama.names import same_model

    return second is not None and same_model(first, second)


async def _has(pool: HostPool, host: str, model: str) -> bool:
    from modelarium.ollama.prepare import installed_model

    try:
        return await installed_model(pool.client(host), model) is not None
    except Exception:  # a host that cannot answer does not have it for this comparison
        return False


# rebase -----------------------------------------------------------------------------------


def run_rebase(args: argparse.Namespace) -> int:
    """`models rebase MODEL… [--yes]` on the first selected host."""
    from modelarium.cli.hosts import run_on_hosts
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

    return run_on_hosts(args, work)


def _confirmed(count: int) -> bool:
    """Ask on a terminal; never re-create unasked when the input is not one."""
    if not sys.stdin.isatty():
        return False
    sys.stderr.write(f"Re-create {counted(count, 'model')} on the current base? [y/N] ")
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() in ("y", "yes")
