"""`modelarium knowledge show MODEL` and `modelarium knowledge check`: curated settings matched
to an installed model, and the records' sources re-read.

`show` asks the host for the model (`/api/show`) and its version (`/api/version`), selects the
records that apply (`knowledge.match`) and prints, per mode and use case, what the vendor
recommends, what Ollama ships (and, for a model made under its own name, its own values), the
engine default on this host's version and what was measured here. `check` fetches each
record's source through the environment's proxy settings. Failures print one line on stderr
and exit 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from modelarium.cli.hosts import _add_host_arguments, _check_model_name, _run
from modelarium.knowledge.records import TASKS
from modelarium.terminal_text import terminal_text
from modelarium.wording import counted

if TYPE_CHECKING:
    from modelarium.knowledge.match import Cell, Recommendation, Section, ShippedCells
    from modelarium.knowledge.toolcall import ToolCallDiagnostic
    from modelarium.ollama.client import OllamaClient
    from modelarium.ollama.hosts import HostPool
    from modelarium.ollama.types import ModelDetails


def one_line(text: str) -> str:
    """Outside or curated text as one terminal-safe line (messages, quotes, notes)."""
    return terminal_text(text, lines="join")


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `knowledge show` and `knowledge check`."""
    parser = subparsers.add_parser(
        "knowledge", help="curated family settings: matched to a model, or checked at the source"
    )
    actions = parser.add_subparsers(dest="knowledge_command", metavar="ACTION", required=True)
    show = actions.add_parser(
        "show", help="vendor / Ollama / engine settings side by side for an installed model"
    )
    show.add_argument("model", help="an installed model, e.g. qwen3:8b")
    _add_host_arguments(show)
    show.add_argument(
        "--use-case", dest="use_case", choices=TASKS, help="only this use case (default: all)"
    )
    show.add_argument(
        "--mode", choices=("thinking", "non-thinking"), help="only this mode (default: both)"
    )
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=run_show)
    check = actions.add_parser(
        "check", help="fetch every record's source and report fresh, stale, moved, unreachable"
    )
    check.add_argument("--json", action="store_true", help="print a JSON array")
    check.add_argument(
        "--timeout", type=float, default=15.0, metavar="SECONDS", help="per request (default 15)"
    )
    check.set_defaults(handler=run_check)


# show ---------------------------------------------------------------------------------------


async def _show_and_version(pool: HostPool, model: str) -> tuple[ModelDetails, str | None]:
    """The model's `/api/show` on the first host that has it, and that host's version."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.ollama.types import OllamaError

    async def action(client: OllamaClient) -> tuple[ModelDetails, str | None]:
        details = await client.show(model)
        try:
            version: str | None = await client.version()
        except OllamaError:
            version = None
        return details, version

    _check_model_name(pool, model)
    served = await pool.first_with_model(model, action)
    return served.value


def _cell(cell: Cell | None) -> str:
    return "—" if cell is None else terminal_text(cell.text)


def _cell_json(cell: Cell | None) -> dict[str, object] | None:
    if cell is None:
        return None
    return {"value": cell.number, "text": cell.text, "from": cell.record_id}


def row_json(cells: ShippedCells, own_column: bool) -> dict[str, object]:
    """One parameter row as JSON: "ollama" is what Ollama ships, "this_model" (only for a
    model made under its own name, as the "this model" column) the model's own value."""
    row = cells.row
    data: dict[str, object] = {
        "parameter": row.parameter,
        "vendor": _cell_json(row.vendor),
        "ollama": _cell_json(cells.shipped),
    }
    if own_column:
        data["this_model"] = _cell_json(cells.own)
    data.update({"engine": _cell_json(row.engine), "measured": None, "differs": row.differs})
    return data


def section_json(
    section: Section,
    cells: Sequence[ShippedCells],
    measured: str | None = None,
    *,
    own_column: bool = False,
) -> dict[str, object]:
    """One side-by-side section as JSON (`cells`: its rows' "Ollama ships" and "this model"
    cells from `knowledge.match.shipped_columns`; `measured`: the trial results of its use
    case)."""
    vendor = section.vendor_record
    return {
        "mode": section.mode,
        "use_case": section.task,
        "measured": measured,
        "vendor_record": None
        if vendor is None
        else {
            "id": vendor.id,
            "origin": vendor.origin,
            "where": vendor.source.where,
            "quote": vendor.source.quote,
            "verified_on": vendor.verified_on,
        },
        "alternatives": [record.id for record in section.alternatives],
        "remarks": list(section.remarks),
        "rows": [row_json(row_cells, own_column) for row_cells in cells],
    }


def recommendation_json(
    recommendation: Recommendation,
    host: str,
    diagnostics: list[ToolCallDiagnostic],
    measured: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """The whole answer of `knowledge show --json` ("this_model" in the rows and
    "this_model_column" true only for a model made under its own name with its own values)."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.knowledge.match import shipped_columns

    facts = recommendation.facts
    columns = shipped_columns(recommendation)
    return {
        "model": facts.name,
        "host": host,
        "ollama_version": facts.ollama_version,
        "series": recommendation.line,
        "parameter_size": facts.parameter_size,
        "capabilities": list(facts.capabilities),
        "thinking": facts.thinks,
        "remarks": list(recommendation.remarks),
        "measured": (measured or {}).get("general") or "no trials yet",
        "this_model_column": columns.own_column,
        "sections": [
            section_json(
                section,
                cells,
                (measured or {}).get(section.task or "general"),
                own_column=columns.own_column,
            )
            for section, cells in zip(recommendation.sections, columns.sections, strict=True)
        ],
        "tool_calls": [diagnostic.to_json() for diagnostic in diagnostics],
        "records": [record.to_json() for record in recommendation.records],
    }


def write_recommendation(
    out: TextIO,
    recommendation: Recommendation,
    host: str,
    diagnostics: list[ToolCallDiagnostic],
    measured: Mapping[str, str] | None = None,
) -> None:
    """The readable form: one table per section, then tool calls, notes and the records."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.knowledge.match import NO_TRIALS, shipped_columns

    facts = recommendation.facts
    columns = shipped_columns(recommendation)
    own_column = columns.own_column
    version = facts.ollama_version or "unknown version"
    out.write(f"{terminal_text(facts.name)}  on {terminal_text(host)} (Ollama {version})\n")
    described = [
        f"series {recommendation.line}" if recommendation.line else "series unknown",
        facts.parameter_size,
        "thinking" if facts.thinks else "no thinking",
    ]
    out.write("  " + " · ".join(part for part in described if part) + "\n")
    for remark in recommendation.remarks:
        out.write(f"  note: {remark}\n")
    engine_title = f"engine default ({facts.ollama_version or '?'})"
    for section, cells in zip(recommendation.sections, columns.sections, strict=True):
        out.write(f"\n{section.title}\n")
        header = (
            "",
            "parameter",
            "vendor recommends",
            "Ollama ships",
            *(("this model",) if own_column else ()),
            engine_title,
            "measured",
        )
        rows = [header] + [
            (
                "≠" if row_cells.row.differs else "",
                row_cells.row.parameter,
                _cell(row_cells.row.vendor),
                _cell(row_cells.shipped),
                *((_cell(row_cells.own),) if own_column else ()),
                _cell(row_cells.row.engine),
                "—",
            )
            for row_cells in cells
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        for row in rows:
            out.write(
                "  " + "  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True))
            )
            out.write("\n")
        if own_column and any(row_cells.own is not None for row_cells in cells):
            out.write("  this model: its own parameters, not what Ollama ships\n")
        vendor = section.vendor_record
        if vendor is not None:
            quote = f' "{one_line(vendor.source.quote)}"' if vendor.source.quote else ""
            out.write(f"  vendor: {vendor.id} ({vendor.origin}){quote}\n")
            out.write(f"          {terminal_text(vendor.source.where)}\n")
        for other in section.alternatives:
            out.write(f"  also: {other.id} ({other.origin}): {one_line(other.summary)}\n")
        for remark in section.remarks:
            out.write(f"  note: {remark}\n")
        if measured:
            found = measured.get(section.task or "general") or NO_TRIALS
            out.write(f"  measured here: {terminal_text(found)}\n")
    if recommendation.sections and not measured:
        out.write(f"\nmeasured here: {NO_TRIALS}\n")
    formats = recommendation.of_kind("tool_call_format")
    if formats or diagnostics:
        out.write("\nTool calls\n")
        for record in formats:
            out.write(f"  {record.summary.removeprefix('tool calls: ')}  ({record.id})\n")
        for diagnostic in diagnostics:
            message = one_line(diagnostic.message)
            out.write(f"  {diagnostic.severity} {diagnostic.code}: {message}\n")
    notes = recommendation.of_kind("note")
    if notes:
        out.write("\nNotes\n")
        for record in notes:
            out.write(f"  - {one_line(record.summary)} ({record.id})\n")
    out.write(f"\n{counted(len(recommendation.records), 'record')} apply\n")
    for record in recommendation.records:
        out.write(f"  {record.kind:<16} {record.origin:<22} {record.id}\n")


def run_show(args: argparse.Namespace) -> int:
    """`modelarium knowledge show MODEL`."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.knowledge.match import facts_from_show, match
    from modelarium.knowledge.records import load_records
    from modelarium.knowledge.toolcall import diagnose

    async def work(pool: HostPool) -> int:
        details, version = await _show_and_version(pool, args.model)
        facts = facts_from_show(details, version)
        recommendation = match(load_records(), facts, use_case=args.use_case, mode=args.mode)
        diagnostics = diagnose(load_records(), facts)
        tasks = {section.task or "general" for section in recommendation.sections}
        measured = await asyncio.to_thread(_measured, facts.name, tasks | {"general"})
        if args.json:
            data = recommendation_json(recommendation, details.host, diagnostics, measured)
            json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
        else:
            write_recommendation(sys.stdout, recommendation, details.host, diagnostics, measured)
        return 0

    return _run(args, work, model=args.model)


def _measured(model: str, use_cases: set[str]) -> dict[str, str]:
    """The trial results stored for `model`, as one line per use case ({} without a library
    or results: the view then says there are no trials yet)."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.store import Library, StoreError
    from modelarium.store.trials import measured_here, measured_text

    try:
        library = Library.open()
    except StoreError:
        return {}
    try:
        lines = {
            use_case: measured_text(measured_here(library, model=model, use_case=use_case))
            for use_case in sorted(use_cases)
        }
    finally:
        library.close()
    return {use_case: line for use_case, line in lines.items() if line}


# check --------------------------------------------------------------------------------------


def run_check(args: argparse.Namespace) -> int:
    """`modelarium knowledge check`: exit 1 when a record is stale, moved or unreachable."""
    # Deferred (start-up): loaded only when this command runs.
    from modelarium.knowledge.check import PROBLEMS, STATUSES, check_records
    from modelarium.knowledge.records import load_records

    if args.timeout <= 0:
        print("modelarium: --timeout must be a positive number of seconds", file=sys.stderr)
        return 1
    results = asyncio.run(check_records(load_records(), timeout=args.timeout))
    if args.json:
        json.dump([result.to_json() for result in results], sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        counts = Counter(result.status for result in results)
        summary = ", ".join(f"{counts[status]} {status}" for status in STATUSES if counts[status])
        sys.stdout.write(f"{counted(len(results), 'record')}: {summary}\n")
        for status in STATUSES:
            if status in ("fresh", "not fetchable", "no quote"):
                continue
            for result in results:
                if result.status == status:
                    detail = f"  ({one_line(result.detail)})" if result.detail else ""
                    sys.stdout.write(f"  {status:<12} {result.record_id}  {result.url}{detail}\n")
    return 1 if any(result.status in PROBLEMS for result in results) else 0
