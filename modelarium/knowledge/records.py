"""The packaged knowledge records (schema 2): typed, validated, in file order.

`data/family-settings-v2.json` holds the records for Llama, Mistral, Qwen, Granite and the
Ollama engine; `data/family-settings-v2-other.json` holds v1's Gemma, Phi and DeepSeek records
converted to the same shape (quote and verified_on null: not re-verified). See `data/NOTICE`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

DATA_FILES = ("family-settings-v2.json", "family-settings-v2-other.json")

KINDS = frozenset(
    {
        "sampling",
        "context",
        "template",
        "stop",
        "system",
        "tool_call_format",
        "engine_default",
        "note",
    }
)
ORIGINS = (
    "vendor-recommendation",
    "vendor-example",
    "vendor-code-default",
    "hosted-default",
    "ollama-shipped",
    "engine-default",
    "community",
)
"""Every origin, in the order the side-by-side view prefers them for the vendor column."""
VENDOR_ORIGINS = frozenset(
    {
        "vendor-recommendation",
        "vendor-example",
        "vendor-code-default",
        "hosted-default",
        "community",
    }
)
MODES = frozenset({"thinking", "non-thinking"})
TASKS = ("general", "code", "tools", "research", "reasoning")
TOOL_STYLES = frozenset(
    {
        "hermes-json",
        "xml-function",
        "pythonic-list",
        "json",
        "mistral-json-list",
        "mistral-name-args",
    }
)
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

Mode = Literal["thinking", "non-thinking"]


class KnowledgeError(ValueError):
    """A knowledge file that does not follow the schema (names the file and the record)."""


@dataclass(frozen=True, slots=True)
class Conditions:
    """When a record applies: mode, sizes, variant, task and runtime (None = any)."""

    mode: str | None = None
    sizes: tuple[str, ...] | None = None
    variant: str | None = None
    task: str | None = None
    runtime: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record's values were read: a page address or `owner/repo@commit:path`."""

    where: str
    quote: str | None
    retrieved: str

    @property
    def fetchable(self) -> bool:
        """Whether `where` is an http(s) address that `knowledge check` can fetch."""
        return self.where.startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True)
class KnowledgeRecord:
    """One curated statement: what value, for which model and conditions, from where."""

    id: str
    family: str
    model: str
    ollama_tags: tuple[str, ...]
    conditions: Conditions
    kind: str
    values: Any
    origin: str
    source: Source
    verified_on: str | None
    superseded_by: str | None
    pairs_with: str | None
    note: str

    @property
    def numbers(self) -> dict[str, float]:
        """The numeric values of a sampling, engine-default or context record (else empty)."""
        if not isinstance(self.values, Mapping):
            return {}
        return {
            str(name): float(value)
            for name, value in self.values.items()
            if isinstance(value, int | float) and not isinstance(value, bool)
        }

    def to_json(self) -> dict[str, Any]:
        """The record in the schema's JSON shape."""
        return {
            "id": self.id,
            "family": self.family,
            "model": self.model,
            "ollama_tags": list(self.ollama_tags),
            "conditions": {
                "mode": self.conditions.mode,
                "sizes": list(self.conditions.sizes) if self.conditions.sizes else None,
                "variant": self.conditions.variant,
                "task": self.conditions.task,
                "runtime": self.conditions.runtime,
            },
            "kind": self.kind,
            "values": self.values,
            "origin": self.origin,
            "source": {
                "where": self.source.where,
                "quote": self.source.quote,
                "retrieved": self.source.retrieved,
            },
            "verified_on": self.verified_on,
            "superseded_by": self.superseded_by,
            "pairs_with": self.pairs_with,
            "note": self.note,
        }

    @property
    def summary(self) -> str:
        """The values as one short line (for tables and notes)."""
        values = self.values
        if isinstance(values, Mapping):
            if self.kind == "tool_call_format":
                return f"tool calls: {values.get('style')}"
            return ", ".join(f"{name} {format_number(value)}" for name, value in values.items())
        if isinstance(values, list):
            return " ".join(json.dumps(value, ensure_ascii=False) for value in values)
        text = str(values)
        first = text.strip().splitlines()[0] if text.strip() else ""
        return first if len(first) <= 100 else first[:99] + "…"


def format_number(value: object) -> str:
    """A number as Modelfile text: integers without a point, floats in shortest form."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _record(raw: Mapping[str, Any], where: str) -> KnowledgeRecord:
    """One validated record (raises `KnowledgeError` naming the file and the id)."""
    rid = str(raw.get("id", "?"))

    def fail(reason: str) -> KnowledgeError:
        return KnowledgeError(f"{where}: record {rid}: {reason}")

    if not ID_PATTERN.match(rid):
        raise fail("id is not a slug")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise fail(f"unknown kind {kind!r}")
    origin = raw.get("origin")
    if origin not in ORIGINS:
        raise fail(f"unknown origin {origin!r}")
    conditions = raw.get("conditions")
    if not isinstance(conditions, Mapping):
        raise fail("conditions must be an object")
    mode = conditions.get("mode")
    if mode is not None and mode not in MODES:
        raise fail(f"unknown mode {mode!r}")
    task = conditions.get("task")
    if task is not None and task not in TASKS:
        raise fail(f"unknown task {task!r}")
    sizes = conditions.get("sizes")
    if sizes is not None and not (
        isinstance(sizes, list) and all(isinstance(size, str) for size in sizes)
    ):
        raise fail("sizes must be null or a list of strings")
    values = raw.get("values")
    if kind in ("sampling", "engine_default") and not (
        isinstance(values, Mapping)
        and values
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values.values())
    ):
        raise fail(f"{kind} values must be an object of numbers")
    if kind == "tool_call_format" and not (
        isinstance(values, Mapping) and values.get("style") in TOOL_STYLES
    ):
        raise fail("tool_call_format needs a known style")
    source = raw.get("source")
    if not isinstance(source, Mapping) or not source.get("where"):
        raise fail("source needs where")
    quote = source.get("quote")
    tags = raw.get("ollama_tags", [])
    if not isinstance(tags, list):
        raise fail("ollama_tags must be a list")
    return KnowledgeRecord(
        id=rid,
        family=str(raw["family"]),
        model=str(raw["model"]),
        ollama_tags=tuple(str(tag) for tag in tags),
        conditions=Conditions(
            mode=mode,
            sizes=tuple(sizes) if sizes is not None else None,
            variant=_optional(conditions.get("variant")),
            task=task,
            runtime=_optional(conditions.get("runtime")),
        ),
        kind=str(kind),
        values=values,
        origin=str(origin),
        source=Source(
            where=str(source["where"]),
            quote=str(quote) if quote is not None else None,
            retrieved=str(source.get("retrieved", "")),
        ),
        verified_on=_optional(raw.get("verified_on")),
        superseded_by=_optional(raw.get("superseded_by")),
        pairs_with=_optional(raw.get("pairs_with")),
        note=str(raw.get("note") or ""),
    )


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


def parse_records(text: str, where: str) -> list[KnowledgeRecord]:
    """The records of one knowledge file's text (schema 2)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise KnowledgeError(f"{where}: not JSON: {error}") from error
    if not isinstance(document, Mapping) or document.get("schema_version") != 2:
        raise KnowledgeError(f"{where}: schema_version must be 2")
    raw_records = document.get("records")
    if not isinstance(raw_records, list):
        raise KnowledgeError(f"{where}: records must be a list")
    return [_record(raw, where) for raw in raw_records]


def check_references(records: Sequence[KnowledgeRecord]) -> None:
    """Ids are unique and every `superseded_by` / `pairs_with` names a record."""
    seen: set[str] = set()
    for record in records:
        if record.id in seen:
            raise KnowledgeError(f"record {record.id}: duplicate id")
        seen.add(record.id)
    for record in records:
        for field_name, target in (
            ("superseded_by", record.superseded_by),
            ("pairs_with", record.pairs_with),
        ):
            if target is not None and target not in seen:
                raise KnowledgeError(f"record {record.id}: {field_name} names unknown {target}")


@cache
def load_records() -> tuple[KnowledgeRecord, ...]:
    """Every packaged record (the v2 file, then the converted v1 ones), validated once."""
    folder = resources.files("modelarium.knowledge").joinpath("data")
    records: list[KnowledgeRecord] = []
    for name in DATA_FILES:
        records.extend(parse_records(folder.joinpath(name).read_text(encoding="utf-8"), name))
    check_references(records)
    return tuple(records)
