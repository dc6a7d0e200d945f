"""Curated seed knowledge: per-family templates, stop lists, parameter sets and system prompts.

The packaged knowledge records (`modelarium.knowledge`, schema 2, see its `data/NOTICE`) become
read-only library elements tagged by family, use case, origin and mode. Each record has a
stable key; the `seed_record` table remembers the keys applied, with each record's id and
conditions as columns, so a newer seed adds only its new records and never touches the user's
own elements. Curated elements that only first-seed records named (marked "seed-v2" by
migration 0003) are retired once the v2 records are in: deleted, or kept and tagged
"superseded" while a Modelfile uses them. Records of kind "note" carry no Modelfile content:
their text is added to the notes (and so to the search keywords) of the elements seeded from
the same source document, else the same model, the same use case, or the family's vendor
advice.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, exists, select, update
from sqlalchemy.orm import Session, selectinload

from modelarium.knowledge.records import KnowledgeRecord
from modelarium.knowledge.records import load_records as knowledge_records
from modelarium.modelfile import Element, ElementKind, Parameter, parameter_spec, parameter_text
from modelarium.store.models import (
    ElementRow,
    ModelfileElementRow,
    ModelfileRow,
    SeedRecordRow,
    TagRow,
    utc_now,
)
from modelarium.store.rows import element_of, refresh_search_fields, set_content
from modelarium.store.types import Tag

SEED_VERSION = 2
"""Bumped whenever the packaged knowledge changes shape (1: family-settings.json, 2: v2)."""

RETIRED_BY_V2 = "seed-v2"
"""`superseded_by` of a first-seed record that the v2 knowledge replaced (migration 0003)."""

SOURCE_LABELS = {
    "ollama-library": "Ollama library",
    "vendor-card": "vendor recommendation",
    "vendor-config": "vendor config",
    "other": "third-party source",
    "vendor-recommendation": "vendor recommendation",
    "vendor-example": "vendor example",
    "vendor-code-default": "vendor code default",
    "hosted-default": "hosted default",
    "ollama-shipped": "Ollama ships",
    "engine-default": "Ollama engine default",
    "community": "third-party copy",
}

PARAMETER_ALIASES = {
    "repetition_penalty": "repeat_penalty",
    "max_tokens": "num_predict",
    "n_predict": "num_predict",
    "ctx_size": "num_ctx",
}
"""Vendor (transformers, llama.cpp, API) names -> the Ollama PARAMETER they mean."""

OLLAMA_PARAMETERS = frozenset(
    {
        "temperature",
        "top_k",
        "top_p",
        "min_p",
        "typical_p",
        "repeat_penalty",
        "repeat_last_n",
        "presence_penalty",
        "frequency_penalty",
        "num_ctx",
        "num_predict",
        "num_keep",
        "seed",
        "stop",
        "num_batch",
        "num_gpu",
        "num_thread",
    }
)


@dataclass(frozen=True, slots=True)
class SeedRecord:
    """One record of the seed file, with its stable key."""

    key: str
    family: str
    model: str
    use_case: str
    kind: str
    values: Any
    source_type: str
    source_where: str
    retrieved: str
    confidence: str
    note: str
    record_id: str | None = None
    mode: str | None = None
    sizes: tuple[str, ...] | None = None
    variant: str | None = None
    task: str | None = None
    runtime: str | None = None
    verified_on: str | None = None
    superseded_by: str | None = None
    quote: str | None = None
    ollama_tags: tuple[str, ...] = ()


def seed_record_of(record: KnowledgeRecord) -> SeedRecord:
    """The seed form of a knowledge record: sampling, engine-default and context numbers
    become parameter sets; notes and tool-call formats become notes of related elements."""
    kind = record.kind
    values: Any = record.values
    if kind in ("sampling", "engine_default"):
        kind = "parameters"
        values = {k: v for k, v in record.numbers.items() if k in OLLAMA_PARAMETERS}
    elif kind == "context":
        numbers = {k: v for k, v in record.numbers.items() if k in ("num_ctx", "num_predict")}
        kind, values = ("parameters", numbers) if numbers else ("note", {"text": record.summary})
    elif kind == "stop":
        values = {"stop": list(values) if isinstance(values, list) else [values]}
    elif kind == "tool_call_format":
        kind = "note"
        example = values.get("example", "") if isinstance(values, Mapping) else ""
        values = {"text": f"Tool calls: {record.summary.removeprefix('tool calls: ')} ({example})"}
    elif kind == "note":
        values = {"text": str(values)}
    return SeedRecord(
        key=hashlib.sha256(f"v2:{record.id}".encode()).hexdigest(),
        family=record.family,
        model=record.model,
        use_case=record.conditions.task or "general",
        kind=kind,
        values=values,
        source_type=record.origin,
        source_where=record.source.where,
        retrieved=record.source.retrieved,
        confidence=f"verified {record.verified_on}" if record.verified_on else "not re-verified",
        note=record.note,
        record_id=record.id,
        mode=record.conditions.mode,
        sizes=record.conditions.sizes,
        variant=record.conditions.variant,
        task=record.conditions.task,
        runtime=record.conditions.runtime,
        verified_on=record.verified_on,
        superseded_by=record.superseded_by,
        quote=record.source.quote,
        ollama_tags=record.ollama_tags,
    )


def load_records() -> list[SeedRecord]:
    """The packaged seed records (every knowledge record), in file order."""
    return [seed_record_of(record) for record in knowledge_records()]


def repair_curated_parameters(session: Session) -> int:
    """Rewrite curated parameter elements whose values are not in the form their parameter's
    kind needs (seeds before this rule wrote `top_k 20.0`, which create refuses), by the same
    core rule seeding uses now. The user's own elements are never touched. Returns how many
    elements were rewritten."""
    rows = session.scalars(
        select(ElementRow)
        .where(ElementRow.curated.is_(True), ElementRow.kind == ElementKind.PARAMETERS.value)
        .options(selectinload(ElementRow.parameters))
    ).all()
    repaired = 0
    for row in rows:
        element = element_of(row)
        fixed = tuple(
            Parameter(parameter.name, _seeded_text(parameter.name, parameter.value))
            for parameter in element.parameters
        )
        if fixed == element.parameters:
            continue
        replacement = Element(ElementKind.PARAMETERS, parameters=fixed)
        twin = session.scalar(
            select(ElementRow).where(
                ElementRow.curated.is_(True),
                ElementRow.content_hash == replacement.content_hash,
                ElementRow.id != row.id,
            )
        )
        if twin is not None:
            # Only a retired first-seed copy kept for a user's Modelfile can meet its live
            # twin here; it stays as it is (superseded), the twin holds the valid values.
            continue
        # Same names and positions, new values: updated in place (replacing the parameter
        # rows would insert before it deletes, against their unique position).
        for parameter_row, parameter in zip(row.parameters, fixed, strict=True):
            parameter_row.value = parameter.value
        row.body = replacement.plain_text()
        row.content_hash = replacement.content_hash
        row.updated_at = utc_now()
        repaired += 1
    session.flush()
    return repaired


def _seeded_text(name: str, text: str) -> str:
    """A stored curated value as seeding writes it now (older seeds wrote Python's `str` of
    the JSON number: `20.0`, `1.0`); text that is not a number is kept."""
    spec = parameter_spec(name)
    if spec is None or spec.kind not in ("int", "float"):
        return text  # a stop string such as "1.0" is text, not a number
    try:
        number = float(text)
    except ValueError:
        return text
    return parameter_text(name, number) if math.isfinite(number) else text


def element_for(record: SeedRecord) -> tuple[Element, str, list[str]] | None:
    """The element a record describes, its name and notes on how values were mapped."""
    label = SOURCE_LABELS.get(record.source_type, record.source_type)
    remarks: list[str] = []
    uses = [record.mode or "", "" if record.use_case == "general" else record.use_case]
    use = "".join(f" {part}" for part in uses if part)
    if record.kind == "template" and isinstance(record.values, str):
        return (
            Element(ElementKind.TEMPLATE, value=record.values),
            f"{record.model}{use} template ({label})",
            remarks,
        )
    if record.kind == "system" and isinstance(record.values, str):
        name = f"{record.model}{use} system prompt ({label})"
        return Element(ElementKind.SYSTEM, value=record.values), name, remarks
    if record.kind == "stop" and isinstance(record.values, Mapping):
        stops = record.values.get("stop", [])
        stop_parameters = tuple(Parameter("stop", str(stop)) for stop in stops)
        name = f"{record.model}{use} stop sequences ({label})"
        return Element(ElementKind.PARAMETERS, parameters=stop_parameters), name, remarks
    if record.kind == "parameters" and isinstance(record.values, Mapping):
        parameters: list[Parameter] = []
        for raw_name, value in record.values.items():
            name = PARAMETER_ALIASES.get(str(raw_name), str(raw_name))
            if name not in OLLAMA_PARAMETERS:
                remarks.append(
                    f"{raw_name}={parameter_text(str(raw_name), value)} has no Ollama"
                    " PARAMETER; left out"
                )
                continue
            if name != raw_name:
                remarks.append(f"source's {raw_name} is Ollama's {name}")
            if any(existing.name == name for existing in parameters):
                remarks.append(f"{raw_name} repeats {name}; the first value is kept")
                continue
            parameters.append(Parameter(name, parameter_text(name, value)))
        if not parameters:
            return None
        element = Element(ElementKind.PARAMETERS, parameters=tuple(parameters))
        return element, f"{record.model}{use} parameters ({label})", remarks
    return None


def source_line(record: SeedRecord) -> str:
    """Where a record comes from, for the element's notes."""
    line = (
        f"Source ({record.source_type}, {record.confidence}): {record.source_where}"
        f" (retrieved {record.retrieved})"
    )
    if record.record_id is not None:
        line += f" [record {record.record_id}]"
    if record.quote:
        line += f' quote: "{record.quote}"'
    return line


def record_tags(record: SeedRecord) -> list[Tag]:
    """Family, use case and source tags, plus the library tag for Ollama-library records."""
    tags = [
        Tag("family", record.family),
        Tag("use_case", record.use_case),
        Tag("source", record.source_type),
    ]
    if record.source_type == "ollama-library":
        tags.append(Tag("free", record.model))
    tags.extend(Tag("free", tag) for tag in record.ollama_tags)
    if record.mode is not None:
        tags.append(Tag("free", record.mode))
    return tags


def condition_columns(record: SeedRecord) -> dict[str, str | None]:
    """The record's id and conditions as `seed_record` column values."""
    return {
        "record_id": record.record_id,
        "mode": record.mode,
        "sizes": ", ".join(record.sizes) if record.sizes else None,
        "variant": record.variant,
        "task": record.task,
        "runtime": record.runtime,
        "origin": record.source_type if record.record_id is not None else None,
        "verified_on": record.verified_on,
        "superseded_by": record.superseded_by,
    }


def _append_note(row: ElementRow, text: str) -> None:
    if text and text not in row.notes:
        row.notes = f"{row.notes}\n\n{text}".strip()


def _tag_row(session: Session, tag: Tag, cache: dict[Tag, TagRow]) -> TagRow:
    if tag in cache:
        return cache[tag]
    row = session.scalar(
        select(TagRow).where(TagRow.category == tag.category, TagRow.value == tag.value)
    )
    if row is None:
        row = TagRow(category=tag.category, value=tag.value)
        session.add(row)
    cache[tag] = row
    return row


def apply_seed(session: Session, records: Sequence[SeedRecord] | None = None) -> int:
    """Add the seed records not applied yet; returns how many were applied."""
    all_records = list(records) if records is not None else load_records()
    applied: dict[str, int | None] = {
        str(key): element_id
        for key, element_id in session.execute(select(SeedRecordRow.key, SeedRecordRow.element_id))
    }
    pending = [record for record in all_records if record.key not in applied]
    if not pending:
        repair_curated_parameters(session)
        return 0
    tag_cache: dict[Tag, TagRow] = {}
    curated_by_hash: dict[str, ElementRow] = {
        row.content_hash: row
        for row in session.scalars(select(ElementRow).where(ElementRow.curated.is_(True)))
    }
    element_by_key: dict[str, ElementRow] = {}
    for key, element_id in applied.items():
        if element_id is not None:
            row = session.get(ElementRow, element_id)
            if row is not None:
                element_by_key[key] = row
    now = utc_now()
    stale = _replaced_element_ids(session)
    for record in pending:
        if record.kind == "note":
            continue
        built = element_for(record)
        if built is None:
            session.add(
                SeedRecordRow(
                    key=record.key,
                    seed_version=SEED_VERSION,
                    applied_at=now,
                    **condition_columns(record),
                )
            )
            continue
        element, name, remarks = built
        row = curated_by_hash.get(element.content_hash)
        if row is not None and row.id in stale:
            stale.discard(row.id)  # a first-seed element the new record names: start it afresh
            row.name, row.notes, row.updated_at = name, "", now
            row.tags.clear()
        if row is None:
            row = ElementRow(
                kind=element.kind.value,
                name=name,
                body=element.plain_text(),
                content_hash=element.content_hash,
                notes="",
                curated=True,
                created_at=now,
                updated_at=now,
            )
            set_content(row, element)
            session.add(row)
            curated_by_hash[element.content_hash] = row
        for tag in record_tags(record):
            tag_row = _tag_row(session, tag, tag_cache)
            if tag_row not in row.tags:
                row.tags.append(tag_row)
        _append_note(row, " ".join([record.note, *remarks]).strip())
        _append_note(row, source_line(record))
        element_by_key[record.key] = row
        session.flush()
        session.add(
            SeedRecordRow(
                key=record.key,
                seed_version=SEED_VERSION,
                element_id=row.id,
                applied_at=now,
                **condition_columns(record),
            )
        )
    by_key = {record.key: record for record in all_records}
    for record in pending:
        if record.kind != "note":
            continue
        text = record.values.get("text", "") if isinstance(record.values, Mapping) else ""
        targets = _note_targets(record, element_by_key, by_key)
        for row in targets:
            _append_note(row, f"{text} ({source_line(record)})")
        session.add(
            SeedRecordRow(
                key=record.key,
                seed_version=SEED_VERSION,
                applied_at=now,
                **condition_columns(record),
            )
        )
    for row in {id(row): row for row in element_by_key.values()}.values():
        refresh_search_fields(row)
    session.flush()
    retire_replaced(session)
    repair_curated_parameters(session)
    return len(pending)


def _note_targets(
    note: SeedRecord, element_by_key: Mapping[str, ElementRow], by_key: Mapping[str, SeedRecord]
) -> list[ElementRow]:
    """Elements a note belongs to, by the closest relation that has any: same source document,
    same model, same use case, else the family's vendor-sourced elements (all in one family)."""
    seeded = [(by_key[key], row) for key, row in element_by_key.items() if key in by_key]
    relations: list[Callable[[SeedRecord], bool]] = [
        lambda r: r.source_where == note.source_where and r.family == note.family,
        lambda r: r.family == note.family and r.model == note.model,
        lambda r: r.family == note.family and r.use_case == note.use_case,
        lambda r: (
            r.family == note.family and r.source_type not in ("ollama-library", "ollama-shipped")
        ),
    ]
    for matches in relations:
        rows = {id(row): row for record, row in seeded if matches(record)}
        if rows:
            return list(rows.values())
    return []


def _replaced_element_ids(session: Session) -> set[int]:
    """Curated elements whose every seed record was replaced by a newer seed."""
    named = select(SeedRecordRow.element_id).where(SeedRecordRow.element_id.is_not(None))
    live = named.where(
        (SeedRecordRow.superseded_by.is_(None)) | (SeedRecordRow.superseded_by != RETIRED_BY_V2)
    )
    replaced = named.where(SeedRecordRow.superseded_by == RETIRED_BY_V2)
    live_ids = {element_id for element_id in session.scalars(live) if element_id is not None}
    replaced_ids = {
        element_id for element_id in session.scalars(replaced) if element_id is not None
    }
    return replaced_ids - live_ids


def retire_replaced(session: Session) -> int:
    """Retire curated elements that only replaced (first-seed) records name: delete them, or,
    while a Modelfile uses one, keep it tagged "superseded" with a note. The user's own
    elements are never touched. Returns how many were deleted."""
    deleted = 0
    tag_cache: dict[Tag, TagRow] = {}
    for element_id in sorted(_replaced_element_ids(session)):
        row = session.get(ElementRow, element_id)
        if row is None or not row.curated:
            continue
        users = sorted(
            session.scalars(
                select(ModelfileRow.name)
                .join(ModelfileElementRow, ModelfileElementRow.modelfile_id == ModelfileRow.id)
                .where(ModelfileElementRow.element_id == element_id)
                .distinct()
            )
        )
        if users:
            tag_row = _tag_row(session, Tag("free", "superseded"), tag_cache)
            if tag_row not in row.tags:
                row.tags.append(tag_row)
                _append_note(
                    row,
                    "Superseded: the curated knowledge v2 replaced the record this element came "
                    f"from; kept because these Modelfiles use it: {', '.join(users)}.",
                )
                refresh_search_fields(row)
            continue
        session.execute(
            update(SeedRecordRow)
            .where(SeedRecordRow.element_id == element_id)
            .values(element_id=None)
        )
        session.delete(row)
        deleted += 1
    session.flush()
    return deleted


def record_condition(
    *,
    record_ids: Sequence[str] | None = None,
    mode: str | None = None,
    task: str | None = None,
    origin: str | None = None,
) -> ColumnElement[bool]:
    """A search condition: curated elements seeded from a live record with these ids (None:
    any) and conditions (a mode or task matches records for it and records free of it)."""
    conditions: list[ColumnElement[bool]] = [
        SeedRecordRow.element_id == ElementRow.id,
        SeedRecordRow.record_id.is_not(None),
    ]
    if record_ids is not None:
        conditions.append(SeedRecordRow.record_id.in_(list(record_ids)))
    if mode is not None:
        conditions.append((SeedRecordRow.mode == mode) | SeedRecordRow.mode.is_(None))
    if task is not None:
        conditions.append((SeedRecordRow.task == task) | SeedRecordRow.task.is_(None))
    if origin is not None:
        conditions.append(SeedRecordRow.origin == origin)
    return exists().where(*conditions)


@dataclass(frozen=True, slots=True)
class KnowledgeFilter:
    """A search filter on the knowledge records curated elements came from (`Library.search`)."""

    record_ids: tuple[str, ...] | None = None
    mode: str | None = None
    task: str | None = None
    origin: str | None = None

    def condition(self) -> ColumnElement[bool]:
        """The SQL condition on `ElementRow` (same on both engines)."""
        return record_condition(
            record_ids=self.record_ids, mode=self.mode, task=self.task, origin=self.origin
        )
