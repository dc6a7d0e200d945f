"""Session-level row helpers: the store's own rules for element, tag, provenance and
Modelfile rows inside one session (find by content, create, merge, compose, convert to the
frozen types). `library.py` (the public API), `exchange.py` (bundles, Modelfile import) and
`seeding.py` (curated records) all build on them, so none of them reaches into another's
private members."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from modelarium.modelfile import Element, ElementKind, Message, Parameter
from modelarium.store import search as search_module
from modelarium.store.errors import StoreError
from modelarium.store.models import (
    ElementRow,
    MessageRow,
    ModelfileElementRow,
    ModelfileRow,
    ParameterRow,
    ProvenanceRow,
    TagRow,
    utc_now,
)
from modelarium.store.types import (
    TAG_CATEGORIES,
    Draft,
    ModelfileEntry,
    NewElement,
    Provenance,
    StoredElement,
    StoredModelfile,
    Tag,
    TagCategory,
)


def aware(moment: datetime) -> datetime:
    """`moment` as an aware UTC datetime (SQLite hands back naive values)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def stored_element(row: ElementRow, *, used_by: tuple[str, ...]) -> StoredElement:
    """The frozen view of an element row (with its tags and provenance loaded)."""
    return StoredElement(
        id=row.id,
        element=element_of(row),
        name=row.name,
        tags=tuple(sorted(tag_of(tag) for tag in row.tags)),
        provenance=tuple(provenance_of(p) for p in row.provenance),
        notes=row.notes,
        curated=row.curated,
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
        used_by=used_by,
    )


def element_of(row: ElementRow) -> Element:
    """The `Element` an element row (with its parameter and message rows) holds."""
    kind = ElementKind(row.kind)
    if kind is ElementKind.PARAMETERS:
        return Element(kind, parameters=tuple(Parameter(p.name, p.value) for p in row.parameters))
    if kind is ElementKind.MESSAGES:
        return Element(kind, messages=tuple(Message(m.role, m.content) for m in row.messages))
    return Element(kind, value=row.body)


def tag_of(row: TagRow) -> Tag:
    """A `Tag` value from its row."""
    category: TagCategory = row.category if row.category in TAG_CATEGORIES else "free"
    return Tag(category, row.value)


def provenance_of(row: ProvenanceRow) -> Provenance:
    """A `Provenance` value from its row."""
    extracted = aware(row.extracted_at) if row.extracted_at is not None else None
    return Provenance(row.host, row.model, row.model_digest, extracted)


def keywords_for(tags: Iterable[Tag], notes: str) -> str:
    """The searchable keywords of an element: its tag values and its notes."""
    return "\n".join([" ".join(tag.value for tag in tags), notes]).strip()


def refresh_search_fields(row: ElementRow) -> None:
    """Recompute the derived search columns (keywords, filter terms) of an element row."""
    tags = [tag_of(tag) for tag in row.tags]
    row.keywords = keywords_for(tags, row.notes)
    row.filter_terms = search_module.element_filter_terms(
        row.kind, tags, [(p.host, p.model) for p in row.provenance]
    )


def checked_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise StoreError("a name is required (it was empty)")
    return cleaned[:300]


def checked_tags(tags: Iterable[Tag]) -> list[Tag]:
    wanted: list[Tag] = []
    for tag in tags:
        if tag.category not in TAG_CATEGORIES:
            raise StoreError(
                f"tag {tag.category}:{tag.value}: category must be one of "
                f"{', '.join(TAG_CATEGORIES)}"
            )
        value = " ".join(tag.value.split())
        if not value:
            raise StoreError(f"tag of category {tag.category} has an empty value")
        cleaned = Tag(tag.category, value[:200])
        if cleaned not in wanted:
            wanted.append(cleaned)
    return wanted


def find_by_hash(session: Session, content_hash: str) -> ElementRow | None:
    """The element holding this content: the user's own first, else the curated one."""
    return session.scalars(
        select(ElementRow)
        .where(ElementRow.content_hash == content_hash)
        .order_by(ElementRow.curated, ElementRow.id)
        .limit(1)
    ).first()


def tag_row(session: Session, tag: Tag) -> TagRow:
    row = session.scalar(
        select(TagRow).where(TagRow.category == tag.category, TagRow.value == tag.value)
    )
    if row is None:
        row = TagRow(category=tag.category, value=tag.value)
        session.add(row)
        session.flush()
    return row


def set_content(row: ElementRow, element: Element) -> None:
    row.kind = element.kind.value
    row.content_hash = element.content_hash
    row.body = element.plain_text()
    row.parameters = [
        ParameterRow(position=index, name=parameter.name, value=parameter.value)
        for index, parameter in enumerate(element.parameters)
    ]
    row.messages = [
        MessageRow(position=index, role=message.role, content=message.content)
        for index, message in enumerate(element.messages)
    ]


def new_row(
    session: Session,
    candidate: NewElement,
    *,
    curated: bool,
    tag_cache: dict[Tag, TagRow] | None = None,
) -> ElementRow:
    tags = checked_tags(candidate.tags)
    now = utc_now()
    row = ElementRow(
        name=checked_name(candidate.name),
        notes=candidate.notes,
        curated=curated,
        keywords="",
        created_at=now,
        updated_at=now,
    )
    set_content(row, candidate.element)
    row.tags = [cached_tag_row(session, tag, tag_cache) for tag in tags]
    row.provenance = [provenance_row(candidate.provenance)] if candidate.provenance else []
    refresh_search_fields(row)
    session.add(row)
    return row


def cached_tag_row(session: Session, tag: Tag, tag_cache: dict[Tag, TagRow] | None) -> TagRow:
    if tag_cache is None:
        return tag_row(session, tag)
    if tag not in tag_cache:
        tag_cache[tag] = tag_row(session, tag)
    return tag_cache[tag]


def tag_rows(session: Session, tags: Sequence[Tag]) -> dict[Tag, TagRow]:
    """Rows for `tags` (created when missing), fetched in one query."""
    wanted = set(checked_tags(tags))
    cache: dict[Tag, TagRow] = {}
    if not wanted:
        return cache
    values = sorted({tag.value for tag in wanted})
    for row in session.scalars(select(TagRow).where(TagRow.value.in_(values))):
        tag = tag_of(row)
        if tag in wanted:
            cache[tag] = row
    for tag in wanted - set(cache):
        cache[tag] = TagRow(category=tag.category, value=tag.value)
        session.add(cache[tag])
    return cache


def rows_by_hash(session: Session, hashes: Sequence[str]) -> dict[str, ElementRow]:
    """Stored elements by content hash, the user's own winning over curated ones."""
    found: dict[str, ElementRow] = {}
    unique = sorted(set(hashes))
    for start in range(0, len(unique), 500):
        statement = (
            select(ElementRow)
            .where(ElementRow.content_hash.in_(unique[start : start + 500]))
            .order_by(ElementRow.curated.desc(), ElementRow.id.desc())
        )
        for row in session.scalars(statement):
            found[row.content_hash] = row
    return found


def provenance_row(provenance: Provenance) -> ProvenanceRow:
    return ProvenanceRow(
        host=provenance.host,
        model=provenance.model,
        model_digest=provenance.model_digest,
        extracted_at=provenance.extracted_at,
    )


def add_one(session: Session, candidate: NewElement, *, curated: bool = False) -> ElementRow:
    existing = find_by_hash(session, candidate.element.content_hash)
    if existing is None:
        row = new_row(session, candidate, curated=curated)
        session.flush()
        return row
    merge(session, existing, candidate)
    return existing


def merge(
    session: Session,
    row: ElementRow,
    candidate: NewElement,
    *,
    tag_cache: dict[Tag, TagRow] | None = None,
) -> None:
    """Add the candidate's provenance (and, for user elements, its tags) to `row`."""
    changed = False
    if candidate.provenance is not None:
        known = {(p.host, p.model, p.model_digest) for p in row.provenance}
        key = (
            candidate.provenance.host,
            candidate.provenance.model,
            candidate.provenance.model_digest,
        )
        if key not in known:
            row.provenance.append(provenance_row(candidate.provenance))
            changed = True
    if not row.curated:
        current = [tag_of(tag) for tag in row.tags]
        for tag in checked_tags(candidate.tags):
            if tag not in current:
                row.tags.append(cached_tag_row(session, tag, tag_cache))
                current.append(tag)
                changed = True
    if changed:
        refresh_search_fields(row)
        row.updated_at = utc_now()


def compose(session: Session, row: ModelfileRow, element_ids: Sequence[int]) -> None:
    row.entries.clear()
    session.flush()
    row.entries.extend(
        ModelfileElementRow(position=index, element_id=element_id)
        for index, element_id in enumerate(element_ids)
    )


def users(session: Session, element_id: int) -> list[tuple[int, str]]:
    statement = (
        select(ModelfileRow.id, ModelfileRow.name)
        .join(ModelfileElementRow, ModelfileElementRow.modelfile_id == ModelfileRow.id)
        .where(ModelfileElementRow.element_id == element_id)
        .distinct()
        .order_by(ModelfileRow.name, ModelfileRow.id)
    )
    return [(int(row_id), str(name)) for row_id, name in session.execute(statement)]


def stored_modelfile(session: Session, row: ModelfileRow) -> StoredModelfile:
    entries = session.scalars(
        select(ModelfileElementRow)
        .where(ModelfileElementRow.modelfile_id == row.id)
        .order_by(ModelfileElementRow.position)
        .options(
            selectinload(ModelfileElementRow.element).selectinload(ElementRow.parameters),
            selectinload(ModelfileElementRow.element).selectinload(ElementRow.messages),
        )
    )
    return StoredModelfile(
        id=row.id,
        name=row.name,
        description=row.description,
        entries=tuple(
            ModelfileEntry(entry.element_id, entry.element.name, element_of(entry.element))
            for entry in entries
        ),
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
    )


def draft(row: ModelfileRow) -> Draft:
    return Draft(
        id=row.id,
        name=row.name,
        origin=row.origin,
        text=row.source_text or "",
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
    )
