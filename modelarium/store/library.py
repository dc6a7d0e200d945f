"""The library repository: the one API the TUI and the CLI use to reach the store.

Every public method opens its own session (so it is safe from thread workers) and returns
frozen dataclasses from `modelarium.store.types`, never ORM objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from modelarium.modelfile.elements import (
    Element,
    ElementKind,
    Message,
    Parameter,
)
from modelarium.store import engine as engine_module
from modelarium.store import search as search_module
from modelarium.store.engine import (
    WRITE_TRANSACTION,
    connection_error,
    create_store_engine,
    display_url,
    migrate,
    parse_url,
    queue_writer,
    resolve_url,
    schema_lock,
)
from modelarium.store.errors import (
    CuratedElementError,
    DuplicateContent,
    ElementInUse,
    ElementNotFound,
    StoreError,
)
from modelarium.store.models import (
    ElementRow,
    ElementTagRow,
    MessageRow,
    ModelfileElementRow,
    ModelfileRow,
    ParameterRow,
    ProvenanceRow,
    TagRow,
    utc_now,
)
from modelarium.store.seeding import KnowledgeFilter
from modelarium.store.types import (
    MODELFILE_KIND,
    TAG_CATEGORIES,
    Draft,
    ImportPreview,
    ImportReport,
    ModelfileEntry,
    NewElement,
    PreviewItem,
    Provenance,
    SearchHit,
    StoredElement,
    StoredModelfile,
    Tag,
    TagCategory,
)

ElementRef = Element | int | StoredElement
"""What a Modelfile composition may name: new content, or an element already stored."""


def aware(moment: datetime) -> datetime:
    """`moment` as an aware UTC datetime (SQLite hands back naive values)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _stored_element(row: ElementRow, *, used_by: tuple[str, ...]) -> StoredElement:
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


def parse_tag_filter(tag: Tag | str) -> search_module.TagFilter:
    """A tag filter: `Tag` or "category:value" match that category; a bare value any category."""
    if isinstance(tag, Tag):
        return search_module.TagFilter(tag.category, tag.value)
    category, separator, value = tag.partition(":")
    if separator and category in TAG_CATEGORIES:
        return search_module.TagFilter(category, value.strip())
    return search_module.TagFilter(None, tag.strip())


class Library:
    """The element library on one database (SQLite file or PostgreSQL)."""

    def __init__(self, engine: Engine, url: URL, *, backup_path: str | None = None) -> None:
        self._engine = engine
        self.url = url
        self.backup_path = backup_path
        """Where the SQLite file was copied before this start's migration (None if none)."""
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._search = search_module.backend_for(engine.dialect.name)

    # ----------------------------------------------------------------- lifecycle

    @classmethod
    def open(cls, url: str | None = None, *, seed: bool = True) -> Library:
        """Open (creating and migrating as needed) the library at `url`.

        `url` defaults to the configured `database_url`, else SQLite in the data folder.
        `seed=False` skips loading the curated seed records (benchmarks and some tests).
        """
        parsed = parse_url(resolve_url(url))
        engine = create_store_engine(parsed)
        try:
            with schema_lock(engine, parsed):
                backup = migrate(engine, parsed)
                library = cls(engine, parsed, backup_path=backup)
                if seed:
                    from modelarium.store.seeding import apply_seed

                    with library._write() as session:
                        apply_seed(session)
        except BaseException:
            engine.dispose()
            raise
        return library

    def close(self) -> None:
        """Release every connection."""
        self._engine.dispose()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def dialect(self) -> str:
        """The engine's dialect name: "sqlite" or "postgresql"."""
        return self._engine.dialect.name

    @property
    def location(self) -> str:
        """The database URL with any password hidden."""
        return display_url(self.url)

    @contextmanager
    def _read(self) -> Iterator[Session]:
        try:
            with self._sessions() as session:
                yield session
        except DBAPIError as error:
            raise self._translate(error) from error

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """A session in a write transaction: it waits for other writers (in this or another
        process) up front, so its reads and writes never race theirs."""
        try:
            with self._sessions() as session, session.begin():
                queue_writer(session.connection(execution_options={WRITE_TRANSACTION: True}))
                yield session
        except IntegrityError as error:
            raise StoreError(
                f"{self.location}: the change conflicts with stored data: "
                f"{str(error.orig).splitlines()[0]}"
            ) from error
        except DBAPIError as error:
            raise self._translate(error) from error

    def _translate(self, error: DBAPIError) -> StoreError:
        if error.connection_invalidated or "connect" in str(error.orig).lower():
            return connection_error(self.url, error)
        first_line = str(error.orig).strip().splitlines()[0] if str(error.orig).strip() else ""
        if first_line == "database is locked":
            return StoreError(
                f"{self.location}: another process kept the library busy for over "
                f"{engine_module.BUSY_TIMEOUT_MS / 1000:g} s (database is locked); try again"
            )
        return StoreError(f"{self.location}: database error: {first_line}")

    # ----------------------------------------------------------------- search

    def search(
        self,
        query: str = "",
        *,
        kinds: Sequence[str] = (),
        tags: Sequence[Tag | str] = (),
        family: str | None = None,
        use_case: str | None = None,
        host: str | None = None,
        model: str | None = None,
        limit: int = 50,
        knowledge: KnowledgeFilter | None = None,
    ) -> list[SearchHit]:
        """Elements and Modelfiles matching `query` (every word, as a prefix) and the filters.

        An empty query lists everything the filters allow, by name. `kinds` takes element
        kinds and "modelfile"; tag, family, use case, host and model filters apply to elements
        only, so they leave Modelfiles out. Matched words in snippets are wrapped in « ».
        `knowledge` keeps curated elements seeded from the records it names (ids, mode, task,
        origin; "for this model" passes the matcher's record ids).
        """
        if limit <= 0:
            return []
        tag_filters = [parse_tag_filter(tag) for tag in tags]
        if family:
            tag_filters.append(search_module.TagFilter("family", family))
        if use_case:
            tag_filters.append(search_module.TagFilter("use_case", use_case))
        filters = search_module.SearchFilters(
            kinds=tuple(kinds), tags=tuple(tag_filters), host=host, model=model
        )
        element_kinds = [kind for kind in kinds if kind != MODELFILE_KIND]
        want_elements = not kinds or bool(element_kinds)
        want_modelfiles = (not kinds or MODELFILE_KIND in kinds) and not filters.restricts_elements
        words = search_module.query_words(query)
        with self._read() as session:
            found_conditions = search_module.element_conditions(session, filters, element_kinds)
            if found_conditions is None:
                want_elements = False
            conditions = found_conditions or []
            if knowledge is not None:
                conditions.append(knowledge.condition())
                want_modelfiles = False
            element_hits: list[search_module.RawHit] = []
            modelfile_hits: list[search_module.RawHit] = []
            fuzzy = False
            if not words:
                if want_elements:
                    statement = (
                        select(ElementRow.id)
                        .where(*conditions)
                        .order_by(func.lower(ElementRow.name), ElementRow.id)
                        .limit(limit)
                    )
                    element_hits = [
                        search_module.RawHit(i, 0.0) for i in session.scalars(statement)
                    ]
                if want_modelfiles:
                    statement = (
                        select(ModelfileRow.id)
                        .where(ModelfileRow.is_draft.is_(False))
                        .order_by(func.lower(ModelfileRow.name), ModelfileRow.id)
                        .limit(limit)
                    )
                    modelfile_hits = [
                        search_module.RawHit(i, 0.0) for i in session.scalars(statement)
                    ]
            else:
                if want_elements:
                    element_hits = [
                        search_module.RawHit(element_id, 0.0)
                        for element_id in self._element_candidates(
                            session,
                            words,
                            conditions,
                            search_module.candidate_window(limit),
                            search_module.filter_groups(filters, element_kinds),
                        )
                    ]
                if want_modelfiles:
                    modelfile_hits = [
                        search_module.RawHit(modelfile_id, 0.0)
                        for modelfile_id in self._search.match_modelfiles(
                            session, words, search_module.candidate_window(limit)
                        )
                    ]
                fuzzy = not element_hits and not modelfile_hits
                if fuzzy:
                    pieces = search_module.inner_trigrams(words)
                    if pieces:
                        if want_elements:
                            candidates = self._search.fuzzy_element_candidates(
                                session, pieces, conditions
                            )
                            element_hits = search_module.fuzzy_rank(candidates, words, limit)
                        if want_modelfiles:
                            candidates = self._search.fuzzy_modelfile_candidates(session, pieces)
                            modelfile_hits = search_module.fuzzy_rank(candidates, words, limit)
            rerank = bool(words) and not fuzzy
            hits = self._element_hits(session, element_hits, words, limit, rerank=rerank)
            hits += self._modelfile_hits(session, modelfile_hits, words, limit, rerank=rerank)
        if words:
            hits.sort(key=lambda hit: (-hit.score, hit.name.lower(), hit.target, hit.id))
        else:
            hits.sort(key=lambda hit: (hit.name.lower(), hit.target, hit.id))
        return hits[:limit]

    def _element_candidates(
        self,
        session: Session,
        words: Sequence[str],
        conditions: Sequence[ColumnElement[bool]],
        window: int,
        groups: Sequence[Sequence[str]],
    ) -> list[int]:
        """The same candidates on every engine: every match when there are fewer than
        `window`; else the name matches among the newest ids, filled up with the newest
        matches."""
        newest = session.scalar(select(func.max(ElementRow.id))) or 0
        anywhere = self._search.match_elements(
            session, words, conditions, window, in_name=False, newest=newest, groups=groups
        )
        if len(anywhere) < window:
            return anywhere
        in_name = self._search.match_elements(
            session, words, conditions, window, in_name=True, newest=newest, groups=groups
        )
        chosen = set(in_name)
        extra = [element_id for element_id in anywhere if element_id not in chosen]
        return in_name + extra[: window - len(in_name)]

    def _element_hits(
        self,
        session: Session,
        raw: Sequence[search_module.RawHit],
        words: Sequence[str],
        limit: int,
        *,
        rerank: bool,
    ) -> list[SearchHit]:
        """Hits for matched element ids: re-scored identically on every engine when `rerank`,
        cut to `limit`, with tags and snippets."""
        if not raw:
            return []
        columns = (
            ElementRow.id,
            ElementRow.kind,
            ElementRow.name,
            ElementRow.body,
            ElementRow.keywords,
        )
        rows = {
            int(row.id): row
            for row in session.execute(
                select(*columns).where(ElementRow.id.in_([hit.id for hit in raw]))
            )
        }
        scored = [
            (
                search_module.shared_score(
                    ((row.name, 10.0), (row.keywords, 2.0), (row.body, 1.0)), words
                )
                if rerank
                else hit.score,
                row,
            )
            for hit in raw
            for row in (rows[hit.id],)
        ]
        scored.sort(key=lambda item: (-item[0], item[1].name.lower(), item[1].id))
        scored = scored[:limit]
        tags_by_id: dict[int, list[Tag]] = {int(row.id): [] for _score, row in scored}
        for element_id, category, value in session.execute(
            select(ElementTagRow.element_id, TagRow.category, TagRow.value)
            .join(TagRow, TagRow.id == ElementTagRow.tag_id)
            .where(ElementTagRow.element_id.in_(list(tags_by_id)))
        ):
            tags_by_id[element_id].append(Tag.parse(f"{category}:{value}"))
        hits: list[SearchHit] = []
        for score, row in scored:
            source = row.body
            if (
                words
                and not search_module.has_match(row.body, words)
                and search_module.has_match(row.keywords, words)
            ):
                source = row.keywords
            hits.append(
                SearchHit(
                    id=int(row.id),
                    kind=row.kind,
                    name=row.name,
                    tags=tuple(sorted(tags_by_id[int(row.id)])),
                    snippet=search_module.make_snippet(source, words),
                    score=score,
                    target="element",
                )
            )
        return hits

    def _modelfile_hits(
        self,
        session: Session,
        raw: Sequence[search_module.RawHit],
        words: Sequence[str],
        limit: int,
        *,
        rerank: bool,
    ) -> list[SearchHit]:
        """Hits for matched Modelfile ids, scored like `_element_hits`."""
        if not raw:
            return []
        rows = {
            row.id: row
            for row in session.scalars(
                select(ModelfileRow)
                .where(ModelfileRow.id.in_([hit.id for hit in raw]))
                .options(
                    selectinload(ModelfileRow.entries).selectinload(ModelfileElementRow.element)
                )
            )
        }
        scored = [
            (
                search_module.shared_score(((row.name, 10.0), (row.description, 1.0)), words)
                if rerank
                else hit.score,
                row,
            )
            for hit in raw
            for row in (rows[hit.id],)
        ]
        scored.sort(key=lambda item: (-item[0], item[1].name.lower(), item[1].id))
        hits: list[SearchHit] = []
        for score, row in scored[:limit]:
            summary = row.description or ", ".join(entry.element.name for entry in row.entries)
            hits.append(
                SearchHit(
                    id=row.id,
                    kind=MODELFILE_KIND,
                    name=row.name,
                    tags=(),
                    snippet=search_module.make_snippet(summary, words),
                    score=score,
                    target="modelfile",
                )
            )
        return hits

    # ----------------------------------------------------------------- elements

    def get_element(self, element_id: int) -> StoredElement:
        """The stored element `element_id` (ElementNotFound if there is none)."""
        with self._read() as session:
            return self._stored(session, self._element_row(session, element_id))

    def list_elements(self, *, kinds: Sequence[str] = ()) -> list[StoredElement]:
        """Every element (optionally of some kinds), by name."""
        with self._read() as session:
            statement = select(ElementRow).order_by(ElementRow.name, ElementRow.id)
            if kinds:
                statement = statement.where(ElementRow.kind.in_(list(kinds)))
            return [self._stored(session, row) for row in session.scalars(statement)]

    def preview_import(self, candidates: Sequence[NewElement]) -> ImportPreview:
        """What `add_elements(candidates)` would do, per candidate; nothing is written."""
        items: list[PreviewItem] = []
        seen: set[str] = set()
        with self._read() as session:
            for candidate in candidates:
                content_hash = candidate.element.content_hash
                existing = self._find_by_hash(session, content_hash)
                if existing is not None:
                    items.append(PreviewItem(candidate, "present", existing.id, existing.name))
                elif content_hash in seen:
                    items.append(PreviewItem(candidate, "repeated"))
                else:
                    items.append(PreviewItem(candidate, "new"))
                seen.add(content_hash)
        return ImportPreview(tuple(items))

    def add_elements(self, candidates: Sequence[NewElement]) -> list[StoredElement]:
        """Store the candidates; content already present is merged (tags, provenance), not
        duplicated. Returns one stored element per candidate, in order."""
        with self._write() as session:
            tag_cache = self._tag_rows(
                session, [tag for candidate in candidates for tag in candidate.tags]
            )
            by_hash = self._rows_by_hash(
                session, [candidate.element.content_hash for candidate in candidates]
            )
            created: set[int] = set()
            rows: list[ElementRow] = []
            for candidate in candidates:
                content_hash = candidate.element.content_hash
                row = by_hash.get(content_hash)
                if row is None:
                    row = self._new_row(session, candidate, curated=False, tag_cache=tag_cache)
                    by_hash[content_hash] = row
                    created.add(id(row))
                else:
                    self._merge(session, row, candidate, tag_cache=tag_cache)
                rows.append(row)
            session.flush()
            return [
                self._stored_new(row) if id(row) in created else self._stored(session, row)
                for row in rows
            ]

    def update_element(
        self,
        element_id: int,
        *,
        element: Element | None = None,
        name: str | None = None,
        notes: str | None = None,
    ) -> StoredElement:
        """Change a user element's content, name or notes (curated elements are read-only)."""
        with self._write() as session:
            row = self._element_row(session, element_id)
            self._refuse_curated(row, "edit")
            if element is not None and element.content_hash != row.content_hash:
                clash = session.scalar(
                    select(ElementRow).where(
                        ElementRow.content_hash == element.content_hash,
                        ElementRow.curated.is_(False),
                    )
                )
                if clash is not None:
                    raise DuplicateContent(
                        f"element {clash.id} ({clash.name!r}) already holds this content"
                    )
                self._set_content(row, element)
            if name is not None:
                row.name = self._checked_name(name)
            if notes is not None:
                row.notes = notes
            refresh_search_fields(row)
            row.updated_at = utc_now()
            session.flush()
            return self._stored(session, row)

    def delete_element(self, element_id: int, *, force: bool = False) -> None:
        """Delete a user element. If Modelfiles use it, raise ElementInUse naming them, unless
        `force`, which removes it from those Modelfiles first."""
        with self._write() as session:
            row = self._element_row(session, element_id)
            self._refuse_curated(row, "delete")
            users = self._users(session, element_id)
            if users and not force:
                raise ElementInUse(row.id, row.name, [name for _id, name in users])
            for modelfile_id, _name in users:
                modelfile = session.get_one(ModelfileRow, modelfile_id)
                remaining = [
                    entry.element_id
                    for entry in modelfile.entries
                    if entry.element_id != element_id
                ]
                self._compose(session, modelfile, remaining)
            session.delete(row)

    def set_tags(self, element_id: int, tags: Iterable[Tag]) -> StoredElement:
        """Replace a user element's tags."""
        with self._write() as session:
            row = self._element_row(session, element_id)
            self._refuse_curated(row, "retag")
            wanted = self._checked_tags(tags)
            row.tags = [self._tag_row(session, tag) for tag in wanted]
            refresh_search_fields(row)
            row.updated_at = utc_now()
            session.flush()
            return self._stored(session, row)

    def copy_element(self, element_id: int, name: str) -> StoredElement:
        """A user-owned copy of an element (typically a curated one, to change it)."""
        with self._write() as session:
            source = self._element_row(session, element_id)
            clash = session.scalar(
                select(ElementRow).where(
                    ElementRow.content_hash == source.content_hash,
                    ElementRow.curated.is_(False),
                )
            )
            if clash is not None:
                raise DuplicateContent(
                    f"element {clash.id} ({clash.name!r}) is already a user element with this "
                    "content; edit that one"
                )
            tags = [tag_of(tag) for tag in source.tags]
            copy = self._new_row(
                session,
                NewElement(element_of(source), name, tuple(tags), None, source.notes),
                curated=False,
            )
            session.flush()
            return self._stored(session, copy)

    # ----------------------------------------------------------------- Modelfiles

    def save_modelfile(
        self,
        name: str,
        elements: Sequence[ElementRef],
        *,
        description: str = "",
        modelfile_id: int | None = None,
    ) -> StoredModelfile:
        """Store a Modelfile as an ordered composition. Elements given as content are stored
        (or found by content hash); ints and StoredElements name stored elements."""
        checked_name = self._checked_name(name)
        with self._write() as session:
            element_ids = [self._resolve_ref(session, ref, checked_name) for ref in elements]
            if modelfile_id is None:
                row = ModelfileRow(name=checked_name, description=description, is_draft=False)
                session.add(row)
                session.flush()
            else:
                row = self._modelfile_row(session, modelfile_id)
                row.name = checked_name
                row.description = description
                row.updated_at = utc_now()
            self._compose(session, row, element_ids)
            session.flush()
            return self._stored_modelfile(session, row)

    def list_modelfiles(self) -> list[StoredModelfile]:
        """Every stored Modelfile (drafts excluded), by name."""
        with self._read() as session:
            rows = session.scalars(
                select(ModelfileRow)
                .where(ModelfileRow.is_draft.is_(False))
                .order_by(ModelfileRow.name, ModelfileRow.id)
            )
            return [self._stored_modelfile(session, row) for row in rows]

    def get_modelfile(self, modelfile_id: int) -> StoredModelfile:
        """The stored Modelfile `modelfile_id`."""
        with self._read() as session:
            return self._stored_modelfile(session, self._modelfile_row(session, modelfile_id))

    def delete_modelfile(self, modelfile_id: int) -> None:
        """Delete a Modelfile; its elements stay in the library (others may use them)."""
        with self._write() as session:
            session.delete(self._modelfile_row(session, modelfile_id))

    def modelfile_text(self, modelfile_id: int) -> str:
        """The Modelfile text of a stored composition (generated from its elements)."""
        from modelarium.modelfile.elements import generate_modelfile

        text: str = generate_modelfile(self.get_modelfile(modelfile_id).elements)
        return text

    # ----------------------------------------------------------------- drafts

    def save_draft(
        self, text: str, *, draft_id: int | None = None, name: str, origin: str = ""
    ) -> Draft:
        """Save editor text losslessly (it need not parse); updates `draft_id` when it still
        exists, else creates a draft. The caller debounces (the TUI: at most every 2 s)."""
        with self._write() as session:
            row = session.get(ModelfileRow, draft_id) if draft_id is not None else None
            if row is None or not row.is_draft:
                row = ModelfileRow(name=name, is_draft=True, description="")
                session.add(row)
            row.name = name
            row.origin = origin
            row.source_text = text
            row.updated_at = utc_now()
            session.flush()
            return self._draft(row)

    def list_drafts(self) -> list[Draft]:
        """Every draft, most recently saved first."""
        with self._read() as session:
            rows = session.scalars(
                select(ModelfileRow)
                .where(ModelfileRow.is_draft.is_(True))
                .order_by(ModelfileRow.updated_at.desc(), ModelfileRow.id.desc())
            )
            return [self._draft(row) for row in rows]

    def get_draft(self, draft_id: int) -> Draft:
        """The draft `draft_id`."""
        with self._read() as session:
            row = session.get(ModelfileRow, draft_id)
            if row is None or not row.is_draft:
                raise ElementNotFound(f"no draft with id {draft_id} in {self.location}")
            return self._draft(row)

    def discard_draft(self, draft_id: int) -> None:
        """Delete a draft (no error if it is already gone)."""
        with self._write() as session:
            session.execute(
                delete(ModelfileRow).where(
                    ModelfileRow.id == draft_id, ModelfileRow.is_draft.is_(True)
                )
            )

    # ----------------------------------------------------------------- exchange

    def export_bundle(self) -> dict[str, Any]:
        """Everything (elements, Modelfiles, drafts, tags, provenance) as a JSON-ready bundle."""
        from modelarium.store.exchange import export_bundle

        with self._read() as session:
            return export_bundle(session)

    def import_bundle(self, data: object, *, dry_run: bool) -> ImportReport:
        """Import a bundle (validated first: BundleError and nothing written when it is bad)."""
        from modelarium.store.exchange import import_bundle, validate_bundle

        bundle = validate_bundle(data)
        with self._write() as session:
            report = import_bundle(self, session, bundle, dry_run=dry_run)
            if dry_run:
                session.rollback()
            return report

    def import_modelfile_text(self, text: str, name: str, *, dry_run: bool) -> ImportReport:
        """Import Modelfile text: its elements (deduplicated) and a Modelfile composing them."""
        from modelarium.store.exchange import import_modelfile_text

        with self._write() as session:
            report = import_modelfile_text(self, session, text, name, dry_run=dry_run)
            if dry_run:
                session.rollback()
            return report

    # ----------------------------------------------------------------- internals

    def _element_row(self, session: Session, element_id: int) -> ElementRow:
        row = session.get(ElementRow, element_id)
        if row is None:
            raise ElementNotFound(f"no element with id {element_id} in {self.location}")
        return row

    def _modelfile_row(self, session: Session, modelfile_id: int) -> ModelfileRow:
        row = session.get(ModelfileRow, modelfile_id)
        if row is None or row.is_draft:
            raise ElementNotFound(f"no Modelfile with id {modelfile_id} in {self.location}")
        return row

    @staticmethod
    def _refuse_curated(row: ElementRow, action: str) -> None:
        if row.curated:
            raise CuratedElementError(
                f"element {row.id} ({row.name!r}) is curated (read-only): cannot {action} it; "
                "copy it and change the copy"
            )

    @staticmethod
    def _checked_name(name: str) -> str:
        cleaned = " ".join(name.split())
        if not cleaned:
            raise StoreError("a name is required (it was empty)")
        return cleaned[:300]

    @staticmethod
    def _checked_tags(tags: Iterable[Tag]) -> list[Tag]:
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

    @staticmethod
    def _find_by_hash(session: Session, content_hash: str) -> ElementRow | None:
        """The element holding this content: the user's own first, else the curated one."""
        return session.scalars(
            select(ElementRow)
            .where(ElementRow.content_hash == content_hash)
            .order_by(ElementRow.curated, ElementRow.id)
            .limit(1)
        ).first()

    @staticmethod
    def _tag_row(session: Session, tag: Tag) -> TagRow:
        row = session.scalar(
            select(TagRow).where(TagRow.category == tag.category, TagRow.value == tag.value)
        )
        if row is None:
            row = TagRow(category=tag.category, value=tag.value)
            session.add(row)
            session.flush()
        return row

    @staticmethod
    def _set_content(row: ElementRow, element: Element) -> None:
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

    def _new_row(
        self,
        session: Session,
        candidate: NewElement,
        *,
        curated: bool,
        tag_cache: dict[Tag, TagRow] | None = None,
    ) -> ElementRow:
        tags = self._checked_tags(candidate.tags)
        now = utc_now()
        row = ElementRow(
            name=self._checked_name(candidate.name),
            notes=candidate.notes,
            curated=curated,
            keywords="",
            created_at=now,
            updated_at=now,
        )
        self._set_content(row, candidate.element)
        row.tags = [self._cached_tag_row(session, tag, tag_cache) for tag in tags]
        row.provenance = (
            [self._provenance_row(candidate.provenance)] if candidate.provenance else []
        )
        refresh_search_fields(row)
        session.add(row)
        return row

    def _cached_tag_row(
        self, session: Session, tag: Tag, tag_cache: dict[Tag, TagRow] | None
    ) -> TagRow:
        if tag_cache is None:
            return self._tag_row(session, tag)
        if tag not in tag_cache:
            tag_cache[tag] = self._tag_row(session, tag)
        return tag_cache[tag]

    def _tag_rows(self, session: Session, tags: Sequence[Tag]) -> dict[Tag, TagRow]:
        """Rows for `tags` (created when missing), fetched in one query."""
        wanted = set(self._checked_tags(tags))
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

    @staticmethod
    def _rows_by_hash(session: Session, hashes: Sequence[str]) -> dict[str, ElementRow]:
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

    @staticmethod
    def _stored_new(row: ElementRow) -> StoredElement:
        """A just-inserted element, built from what is in memory (no further queries)."""
        return _stored_element(row, used_by=())

    @staticmethod
    def _provenance_row(provenance: Provenance) -> ProvenanceRow:
        return ProvenanceRow(
            host=provenance.host,
            model=provenance.model,
            model_digest=provenance.model_digest,
            extracted_at=provenance.extracted_at,
        )

    def _add_one(
        self, session: Session, candidate: NewElement, *, curated: bool = False
    ) -> ElementRow:
        existing = self._find_by_hash(session, candidate.element.content_hash)
        if existing is None:
            row = self._new_row(session, candidate, curated=curated)
            session.flush()
            return row
        self._merge(session, existing, candidate)
        return existing

    def _merge(
        self,
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
                row.provenance.append(self._provenance_row(candidate.provenance))
                changed = True
        if not row.curated:
            current = [tag_of(tag) for tag in row.tags]
            for tag in self._checked_tags(candidate.tags):
                if tag not in current:
                    row.tags.append(self._cached_tag_row(session, tag, tag_cache))
                    current.append(tag)
                    changed = True
        if changed:
            refresh_search_fields(row)
            row.updated_at = utc_now()

    def _resolve_ref(self, session: Session, ref: ElementRef, modelfile_name: str) -> int:
        if isinstance(ref, StoredElement):
            ref = ref.id
        if isinstance(ref, int):
            return self._element_row(session, ref).id
        candidate = NewElement(ref, f"{modelfile_name} {ref.kind.value}")
        return self._add_one(session, candidate).id

    @staticmethod
    def _compose(session: Session, row: ModelfileRow, element_ids: Sequence[int]) -> None:
        row.entries.clear()
        session.flush()
        row.entries.extend(
            ModelfileElementRow(position=index, element_id=element_id)
            for index, element_id in enumerate(element_ids)
        )

    @staticmethod
    def _users(session: Session, element_id: int) -> list[tuple[int, str]]:
        statement = (
            select(ModelfileRow.id, ModelfileRow.name)
            .join(ModelfileElementRow, ModelfileElementRow.modelfile_id == ModelfileRow.id)
            .where(ModelfileElementRow.element_id == element_id)
            .distinct()
            .order_by(ModelfileRow.name, ModelfileRow.id)
        )
        return [(int(row_id), str(name)) for row_id, name in session.execute(statement)]

    def _stored(self, session: Session, row: ElementRow) -> StoredElement:
        return _stored_element(
            row, used_by=tuple(name for _id, name in self._users(session, row.id))
        )

    @staticmethod
    def _stored_modelfile(session: Session, row: ModelfileRow) -> StoredModelfile:
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

    @staticmethod
    def _draft(row: ModelfileRow) -> Draft:
        return Draft(
            id=row.id,
            name=row.name,
            origin=row.origin,
            text=row.source_text or "",
            created_at=aware(row.created_at),
            updated_at=aware(row.updated_at),
        )

    def count_elements(self) -> int:
        """How many elements the library holds (curated included)."""
        with self._read() as session:
            return int(session.scalar(select(func.count()).select_from(ElementRow)) or 0)
