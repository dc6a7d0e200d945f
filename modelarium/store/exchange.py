"""Exchange: the versioned JSON bundle and plain Modelfile text, in and out.

Bundle (`"format": "modelarium-bundle", "version": 1`):

    {"format": "modelarium-bundle", "version": 1, "exported_at": ISO-8601,
     "elements": [{"id": 1, "name": "...", "content": {"kind": "parameters", ...},
                   "notes": "", "curated": false, "tags": [{"category": "family", "value": "qwen"}],
                   "provenance": [{"host": "...", "model": "...", "model_digest": "...",
                                   "extracted_at": ISO-8601 | null}],
                   "created_at": ISO-8601, "updated_at": ISO-8601}],
     "modelfiles": [{"name": "...", "description": "", "elements": [1, ...],
                     "created_at": ..., "updated_at": ...}],
     "drafts": [{"name": "...", "origin": "...", "text": "...", "created_at": ...,
                 "updated_at": ...}]}

`content` is `Element.content_json()`. Element ids are local to the bundle. A bundle is
validated completely before anything is written; importing deduplicates elements by content,
Modelfiles by name plus composition, drafts by name plus text. Curated elements arrive as the
user's own unless the same content is already curated here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from modelarium.modelfile import Element, ModelfileError, elements_from_text
from modelarium.store.candidates import library_candidates
from modelarium.store.errors import BundleError, ModelfileImportError
from modelarium.store.models import ElementRow, ModelfileRow, utc_now
from modelarium.store.rows import (
    add_one,
    aware,
    checked_name,
    compose,
    element_of,
    find_by_hash,
    merge,
    tag_of,
)
from modelarium.store.types import (
    TAG_CATEGORIES,
    ImportReport,
    NewElement,
    Provenance,
    Tag,
)

BUNDLE_FORMAT = "modelarium-bundle"
BUNDLE_VERSION = 1


@dataclass(frozen=True, slots=True)
class BundleElement:
    """One validated bundle element."""

    local_id: int
    element: Element
    name: str
    notes: str
    tags: tuple[Tag, ...]
    provenance: tuple[Provenance, ...]
    created_at: datetime | None
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class BundleModelfile:
    """One validated bundle Modelfile (element references are bundle-local ids)."""

    name: str
    description: str
    element_ids: tuple[int, ...]
    created_at: datetime | None
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class BundleDraft:
    """One validated bundle draft."""

    name: str
    origin: str
    text: str
    created_at: datetime | None
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class Bundle:
    """A validated bundle, ready to import."""

    elements: tuple[BundleElement, ...]
    modelfiles: tuple[BundleModelfile, ...]
    drafts: tuple[BundleDraft, ...]


def _iso(moment: datetime | None) -> str | None:
    return aware(moment).isoformat() if moment is not None else None


def export_bundle(session: Session) -> dict[str, Any]:
    """Everything in the library as a JSON-ready bundle."""
    elements: list[dict[str, Any]] = []
    for row in session.scalars(
        select(ElementRow)
        .order_by(ElementRow.id)
        .options(
            selectinload(ElementRow.parameters),
            selectinload(ElementRow.messages),
            selectinload(ElementRow.tags),
            selectinload(ElementRow.provenance),
        )
    ):
        elements.append(
            {
                "id": row.id,
                "name": row.name,
                "content": element_of(row).content_json(),
                "notes": row.notes,
                "curated": row.curated,
                "tags": [
                    {"category": tag.category, "value": tag.value}
                    for tag in sorted(tag_of(tag) for tag in row.tags)
                ],
                "provenance": [
                    {
                        "host": p.host,
                        "model": p.model,
                        "model_digest": p.model_digest,
                        "extracted_at": _iso(p.extracted_at),
                    }
                    for p in row.provenance
                ],
                "created_at": _iso(row.created_at),
                "updated_at": _iso(row.updated_at),
            }
        )
    modelfiles: list[dict[str, Any]] = []
    drafts: list[dict[str, Any]] = []
    for modelfile in session.scalars(
        select(ModelfileRow).order_by(ModelfileRow.id).options(selectinload(ModelfileRow.entries))
    ):
        if modelfile.is_draft:
            drafts.append(
                {
                    "name": modelfile.name,
                    "origin": modelfile.origin,
                    "text": modelfile.source_text or "",
                    "created_at": _iso(modelfile.created_at),
                    "updated_at": _iso(modelfile.updated_at),
                }
            )
        else:
            modelfiles.append(
                {
                    "name": modelfile.name,
                    "description": modelfile.description,
                    "elements": [entry.element_id for entry in modelfile.entries],
                    "created_at": _iso(modelfile.created_at),
                    "updated_at": _iso(modelfile.updated_at),
                }
            )
    return {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "exported_at": _iso(utc_now()),
        "elements": elements,
        "modelfiles": modelfiles,
        "drafts": drafts,
    }


# ----------------------------------------------------------------------------- validation


def _fail(where: str, problem: str) -> BundleError:
    return BundleError(f"bundle {where}: {problem}; nothing was imported")


def _object(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(where, f"must be a JSON object, not {type(value).__name__}")
    return value


def _list(container: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = container.get(key, [])
    if not isinstance(value, list):
        raise _fail(f"{where}.{key}", "must be a JSON array")
    return value


def _text(container: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    if key not in container or container[key] is None:
        if required:
            raise _fail(f"{where}.{key}", "is missing")
        return ""
    value = container[key]
    if not isinstance(value, str):
        raise _fail(f"{where}.{key}", "must be a string")
    return value


def _moment(container: Mapping[str, Any], key: str, where: str) -> datetime | None:
    value = container.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _fail(f"{where}.{key}", "must be an ISO-8601 date-time string or null")
    try:
        return datetime.fromisoformat(value)
    except ValueError as error:
        raise _fail(f"{where}.{key}", f"is not an ISO-8601 date-time ({value!r})") from error


def validate_bundle(data: object) -> Bundle:
    """Check a decoded bundle completely; raises BundleError naming the first bad field."""
    top = _object(data, "top level")
    if top.get("format") != BUNDLE_FORMAT:
        raise _fail("format", f"must be {BUNDLE_FORMAT!r} (got {top.get('format')!r})")
    version = top.get("version")
    if version != BUNDLE_VERSION or isinstance(version, bool):
        raise _fail(
            "version",
            f"{version!r} is not supported (this Modelarium reads version {BUNDLE_VERSION})",
        )
    elements: list[BundleElement] = []
    local_ids: set[int] = set()
    for index, raw in enumerate(_list(top, "elements", "top level")):
        where = f"elements[{index}]"
        item = _object(raw, where)
        local_id = item.get("id")
        if not isinstance(local_id, int) or isinstance(local_id, bool):
            raise _fail(f"{where}.id", "must be an integer")
        if local_id in local_ids:
            raise _fail(f"{where}.id", f"{local_id} is used twice")
        local_ids.add(local_id)
        try:
            element = Element.from_content_json(
                dict(_object(item.get("content"), f"{where}.content"))
            )
        except (KeyError, TypeError, ValueError) as error:
            raise _fail(f"{where}.content", f"is not an element ({error})") from error
        name = _text(item, "name", where, required=True)
        if not name.strip():
            raise _fail(f"{where}.name", "is empty")
        tags: list[Tag] = []
        for tag_index, raw_tag in enumerate(_list(item, "tags", where)):
            tag_where = f"{where}.tags[{tag_index}]"
            tag_item = _object(raw_tag, tag_where)
            category = _text(tag_item, "category", tag_where, required=True)
            if category not in TAG_CATEGORIES:
                raise _fail(f"{tag_where}.category", f"must be one of {', '.join(TAG_CATEGORIES)}")
            value = _text(tag_item, "value", tag_where, required=True)
            if not value.strip():
                raise _fail(f"{tag_where}.value", "is empty")
            tags.append(Tag(category, value))
        provenance: list[Provenance] = []
        for prov_index, raw_prov in enumerate(_list(item, "provenance", where)):
            prov_where = f"{where}.provenance[{prov_index}]"
            prov_item = _object(raw_prov, prov_where)
            provenance.append(
                Provenance(
                    host=_text(prov_item, "host", prov_where, required=True),
                    model=_text(prov_item, "model", prov_where, required=True),
                    model_digest=_text(prov_item, "model_digest", prov_where),
                    extracted_at=_moment(prov_item, "extracted_at", prov_where),
                )
            )
        elements.append(
            BundleElement(
                local_id=local_id,
                element=element,
                name=name,
                notes=_text(item, "notes", where),
                tags=tuple(tags),
                provenance=tuple(provenance),
                created_at=_moment(item, "created_at", where),
                updated_at=_moment(item, "updated_at", where),
            )
        )
    modelfiles: list[BundleModelfile] = []
    for index, raw in enumerate(_list(top, "modelfiles", "top level")):
        where = f"modelfiles[{index}]"
        item = _object(raw, where)
        refs = _list(item, "elements", where)
        for ref_index, ref in enumerate(refs):
            if not isinstance(ref, int) or isinstance(ref, bool) or ref not in local_ids:
                raise _fail(f"{where}.elements[{ref_index}]", f"{ref!r} names no bundle element")
        name = _text(item, "name", where, required=True)
        if not name.strip():
            raise _fail(f"{where}.name", "is empty")
        modelfiles.append(
            BundleModelfile(
                name=name,
                description=_text(item, "description", where),
                element_ids=tuple(refs),
                created_at=_moment(item, "created_at", where),
                updated_at=_moment(item, "updated_at", where),
            )
        )
    drafts: list[BundleDraft] = []
    for index, raw in enumerate(_list(top, "drafts", "top level")):
        where = f"drafts[{index}]"
        item = _object(raw, where)
        drafts.append(
            BundleDraft(
                name=_text(item, "name", where, required=True),
                origin=_text(item, "origin", where),
                text=_text(item, "text", where),
                created_at=_moment(item, "created_at", where),
                updated_at=_moment(item, "updated_at", where),
            )
        )
    return Bundle(tuple(elements), tuple(modelfiles), tuple(drafts))


# ----------------------------------------------------------------------------- import


def _store_element(
    session: Session, candidate: NewElement, provenance: Sequence[Provenance]
) -> tuple[ElementRow, bool]:
    """Store (or find) a candidate; returns the row and whether it was new."""
    existing = find_by_hash(session, candidate.element.content_hash)
    row = add_one(session, candidate)
    for extra in provenance:
        merge(session, row, NewElement(candidate.element, candidate.name, (), extra))
    return row, existing is None


def _store_modelfile(
    session: Session,
    name: str,
    description: str,
    element_ids: Sequence[int],
    created_at: datetime | None = None,
    updated_at: datetime | None = None,
) -> bool:
    """Add a Modelfile unless one with this name and composition exists; True when added."""
    checked = checked_name(name)
    for existing in session.scalars(
        select(ModelfileRow).where(ModelfileRow.name == checked, ModelfileRow.is_draft.is_(False))
    ):
        if [entry.element_id for entry in existing.entries] == list(element_ids):
            return False
    row = ModelfileRow(name=checked, description=description, is_draft=False)
    if created_at is not None:
        row.created_at = created_at
    if updated_at is not None:
        row.updated_at = updated_at
    session.add(row)
    session.flush()
    compose(session, row, element_ids)
    session.flush()
    return True


def import_bundle(session: Session, bundle: Bundle, *, dry_run: bool) -> ImportReport:
    """Import a validated bundle inside `session` (the caller commits or rolls back)."""
    added: list[str] = []
    present: list[str] = []
    stored_ids: dict[int, int] = {}
    for item in bundle.elements:
        candidate = NewElement(
            item.element,
            item.name,
            item.tags,
            item.provenance[0] if item.provenance else None,
            item.notes,
        )
        row, is_new = _store_element(session, candidate, item.provenance[1:])
        if is_new:
            if item.created_at is not None:
                row.created_at = item.created_at
            if item.updated_at is not None:
                row.updated_at = item.updated_at
            added.append(item.name)
        else:
            present.append(f"{item.name} (as {row.name!r}, id {row.id})")
        stored_ids[item.local_id] = row.id
    modelfiles_added: list[str] = []
    modelfiles_present: list[str] = []
    for modelfile in bundle.modelfiles:
        ids = [stored_ids[local_id] for local_id in modelfile.element_ids]
        if _store_modelfile(
            session,
            modelfile.name,
            modelfile.description,
            ids,
            modelfile.created_at,
            modelfile.updated_at,
        ):
            modelfiles_added.append(modelfile.name)
        else:
            modelfiles_present.append(modelfile.name)
    drafts_added: list[str] = []
    for draft in bundle.drafts:
        duplicate = session.scalar(
            select(ModelfileRow.id).where(
                ModelfileRow.is_draft.is_(True),
                ModelfileRow.name == draft.name,
                ModelfileRow.source_text == draft.text,
            )
        )
        if duplicate is not None:
            continue
        draft_row = ModelfileRow(
            name=draft.name, origin=draft.origin, source_text=draft.text, is_draft=True
        )
        if draft.created_at is not None:
            draft_row.created_at = draft.created_at
        if draft.updated_at is not None:
            draft_row.updated_at = draft.updated_at
        session.add(draft_row)
        drafts_added.append(draft.name)
    session.flush()
    return ImportReport(
        dry_run=dry_run,
        elements_added=tuple(added),
        elements_present=tuple(present),
        modelfiles_added=tuple(modelfiles_added),
        modelfiles_present=tuple(modelfiles_present),
        drafts_added=tuple(drafts_added),
    )


def modelfile_candidates(text: str, name: str) -> list[NewElement]:
    """The elements of a Modelfile text as import candidates named after the Modelfile."""
    try:
        elements = elements_from_text(text)
    except ModelfileError as error:
        raise ModelfileImportError(f"{name}: {error}; nothing was imported") from error
    if not elements:
        raise ModelfileImportError(f"{name}: holds no instructions; nothing was imported")
    return list(library_candidates(elements, name))


def import_modelfile_text(session: Session, text: str, name: str, *, dry_run: bool) -> ImportReport:
    """Import a Modelfile's elements (deduplicated) and a Modelfile composing them."""
    added: list[str] = []
    present: list[str] = []
    ids: list[int] = []
    for candidate in modelfile_candidates(text, name):
        row, is_new = _store_element(session, candidate, ())
        if is_new:
            added.append(candidate.name)
        else:
            present.append(f"{candidate.name} (as {row.name!r}, id {row.id})")
        ids.append(row.id)
    modelfile_added = _store_modelfile(session, name, "", ids)
    return ImportReport(
        dry_run=dry_run,
        elements_added=tuple(added),
        elements_present=tuple(present),
        modelfiles_added=(name,) if modelfile_added else (),
        modelfiles_present=() if modelfile_added else (name,),
    )


def parse_bundle_text(text: str, where: str) -> object:
    """Decode bundle JSON; malformed JSON raises BundleError naming file, line and column."""
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise BundleError(
            f"{where}: line {error.lineno}, column {error.colno}: malformed JSON ({error.msg}); "
            "nothing was imported"
        ) from error
