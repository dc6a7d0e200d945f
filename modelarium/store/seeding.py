"""Curated seed knowledge: per-family templates, stop lists, parameter sets and system prompts.

`seed/family-settings.json` (183 sourced records, see `seed/NOTICE`) becomes read-only library
elements tagged by family, use case and source. Each record has a stable key; the
`seed_record` table remembers the keys applied, so a newer seed adds only its new records and
never touches the user's own elements. Records of kind "note" carry no Modelfile content:
their text is added to the notes (and so to the search keywords) of the elements seeded from
the same source document, else the same model, the same use case, or the family's vendor
advice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from modelarium.modelfile.elements import Element, ElementKind, Parameter
from modelarium.store.models import ElementRow, SeedRecordRow, TagRow, utc_now
from modelarium.store.types import Tag

SEED_VERSION = 1
"""Bumped whenever `family-settings.json` gains records."""

SOURCE_LABELS = {
    "ollama-library": "Ollama library",
    "vendor-card": "vendor recommendation",
    "vendor-config": "vendor config",
    "other": "third-party source",
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


def load_records() -> list[SeedRecord]:
    """The packaged seed records, in file order."""
    text = (
        resources.files("modelarium.store")
        .joinpath("seed/family-settings.json")
        .read_text(encoding="utf-8")
    )
    records: list[SeedRecord] = []
    for raw in json.loads(text):
        source = raw.get("source", {})
        identity = json.dumps(
            [
                raw["family"],
                raw["model"],
                raw["use_case"],
                raw["kind"],
                source.get("where"),
                raw["values"],
            ],
            sort_keys=True,
            ensure_ascii=False,
        )
        records.append(
            SeedRecord(
                key=hashlib.sha256(identity.encode("utf-8")).hexdigest(),
                family=str(raw["family"]),
                model=str(raw["model"]),
                use_case=str(raw["use_case"]),
                kind=str(raw["kind"]),
                values=raw["values"],
                source_type=str(source.get("type", "other")),
                source_where=str(source.get("where", "")),
                retrieved=str(source.get("retrieved", "")),
                confidence=str(raw.get("confidence", "")),
                note=str(raw.get("note", "")),
            )
        )
    return records


def parameter_value(value: object) -> str:
    """A JSON value as PARAMETER text (true/false, integers, shortest float form)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def element_for(record: SeedRecord) -> tuple[Element, str, list[str]] | None:
    """The element a record describes, its name and notes on how values were mapped."""
    label = SOURCE_LABELS.get(record.source_type, record.source_type)
    remarks: list[str] = []
    if record.kind == "template" and isinstance(record.values, str):
        return (
            Element(ElementKind.TEMPLATE, value=record.values),
            f"{record.model} template ({label})",
            remarks,
        )
    if record.kind == "system" and isinstance(record.values, str):
        name = f"{record.model} system prompt ({label})"
        return Element(ElementKind.SYSTEM, value=record.values), name, remarks
    if record.kind == "stop" and isinstance(record.values, Mapping):
        stops = record.values.get("stop", [])
        stop_parameters = tuple(Parameter("stop", str(stop)) for stop in stops)
        name = f"{record.model} stop sequences ({label})"
        return Element(ElementKind.PARAMETERS, parameters=stop_parameters), name, remarks
    if record.kind == "parameters" and isinstance(record.values, Mapping):
        parameters: list[Parameter] = []
        for raw_name, value in record.values.items():
            name = PARAMETER_ALIASES.get(str(raw_name), str(raw_name))
            if name not in OLLAMA_PARAMETERS:
                remarks.append(
                    f"{raw_name}={parameter_value(value)} has no Ollama PARAMETER; left out"
                )
                continue
            if name != raw_name:
                remarks.append(f"source's {raw_name} is Ollama's {name}")
            if any(existing.name == name for existing in parameters):
                remarks.append(f"{raw_name} repeats {name}; the first value is kept")
                continue
            parameters.append(Parameter(name, parameter_value(value)))
        if not parameters:
            return None
        use = "" if record.use_case == "general" else f" {record.use_case}"
        element = Element(ElementKind.PARAMETERS, parameters=tuple(parameters))
        return element, f"{record.model}{use} parameters ({label})", remarks
    return None


def source_line(record: SeedRecord) -> str:
    """Where a record comes from, for the element's notes."""
    return (
        f"Source ({record.source_type}, {record.confidence}): {record.source_where}"
        f" (retrieved {record.retrieved})"
    )


def record_tags(record: SeedRecord) -> list[Tag]:
    """Family, use case and source tags, plus the library tag for Ollama-library records."""
    tags = [
        Tag("family", record.family),
        Tag("use_case", record.use_case),
        Tag("source", record.source_type),
    ]
    if record.source_type == "ollama-library":
        tags.append(Tag("free", record.model))
    return tags


def _append_note(row: ElementRow, text: str) -> None:
    if text and text not in row.notes:
        row.notes = f"{row.notes}\n\n{text}".strip()


def _refresh_keywords(row: ElementRow) -> None:
    from modelarium.store.library import refresh_search_fields

    refresh_search_fields(row)


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
    for record in pending:
        if record.kind == "note":
            continue
        built = element_for(record)
        if built is None:
            session.add(SeedRecordRow(key=record.key, seed_version=SEED_VERSION, applied_at=now))
            continue
        element, name, remarks = built
        row = curated_by_hash.get(element.content_hash)
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
            from modelarium.store.library import Library

            Library._set_content(row, element)
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
                key=record.key, seed_version=SEED_VERSION, element_id=row.id, applied_at=now
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
        session.add(SeedRecordRow(key=record.key, seed_version=SEED_VERSION, applied_at=now))
    for row in {id(row): row for row in element_by_key.values()}.values():
        _refresh_keywords(row)
    session.flush()
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
        lambda r: r.family == note.family and r.source_type != "ollama-library",
    ]
    for matches in relations:
        rows = {id(row): row for record, row in seeded if matches(record)}
        if rows:
            return list(rows.values())
    return []
