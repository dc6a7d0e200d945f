"""The library repository: the one API the TUI and the CLI use to reach the store.

Every public method opens its own session (so it is safe from thread workers) and returns
frozen dataclasses from `modelarium.store.types`, never ORM objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from modelarium.modelfile import Element, generate_modelfile
from modelarium.store import engine as engine_module
from modelarium.store import rows as row_ops
from modelarium.store import search as search_module
from modelarium.store.candidates import library_candidates
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
from modelarium.store.exchange import (
    export_bundle,
    import_bundle,
    import_modelfile_text,
    validate_bundle,
)
from modelarium.store.models import (
    ElementRow,
    ElementTagRow,
    ModelfileElementRow,
    ModelfileRow,
    TagRow,
    utc_now,
)
from modelarium.store.rows import element_of, refresh_search_fields, tag_of
from modelarium.store.seeding import KnowledgeFilter, apply_seed
from modelarium.store.types import (
    MODELFILE_KIND,
    TAG_CATEGORIES,
    Draft,
    ImportPreview,
    ImportReport,
    NewElement,
    PreviewItem,
    SearchHit,
    StoredElement,
    StoredModelfile,
    Tag,
)

ElementRef = Element | int | StoredElement
"""What a Modelfile composition may name: new content, or an element already stored."""


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
                    with library.writing() as session:
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
    def reading(self) -> Iterator[Session]:
        """A session for reads, its database errors turned into one-line `StoreError`s.

        For store modules with tables of their own (`trials.py`): the library's rows go
        through the methods here; no ORM object may leave the `with` block."""
        try:
            with self._sessions() as session:
                yield session
        except DBAPIError as error:
            raise self._translate(error) from error

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session in a write transaction, committed when the block ends (rolled back on an
        error): it waits for other writers (in this or another process) up front, so its
        reads and writes never race theirs. For store modules with tables of their own, as
        `reading`."""
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
        with self.reading() as session:
            where = search_module.element_filter(session, filters, element_kinds)
            if where is None:
                want_elements = False
                where = search_module.ElementFilter()
            if knowledge is not None:
                where = where.plus(knowledge.condition())
                want_modelfiles = False
            element_hits: list[search_module.RawHit] = []
            modelfile_hits: list[search_module.RawHit] = []
            fuzzy = False
            if not words:
                if want_elements:
                    element_hits = [
                        search_module.RawHit(element_id, 0.0)
                        for element_id in self._search.list_elements(session, where, limit)
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
                            session, words, where, search_module.candidate_window(limit)
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
                                session, words, pieces, where
                            )
                            element_hits = search_module.fuzzy_rank(candidates, words, limit)
                        if want_modelfiles:
                            candidates = self._search.fuzzy_modelfile_candidates(
                                session, words, pieces
                            )
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
        where: search_module.ElementFilter,
        window: int,
    ) -> list[int]:
        """The same candidates on every engine: every match when there are fewer than
        `window`; else the name matches among the newest ids, filled up with the newest
        matches."""
        newest = session.scalar(select(func.max(ElementRow.id))) or 0
        anywhere = self._search.match_elements(
            session, words, where, window, in_name=False, newest=newest
        )
        if len(anywhere) < window:
            return anywhere
        in_name = self._search.match_elements(
            session, words, where, window, in_name=True, newest=newest
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
                select(*columns).where(self._search.id_in(ElementRow.id, [hit.id for hit in raw]))
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
            .where(self._search.id_in(ElementTagRow.element_id, list(tags_by_id)))
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
        with self.reading() as session:
            return self._stored(session, self._element_row(session, element_id))

    def list_elements(self, *, kinds: Sequence[str] = ()) -> list[StoredElement]:
        """Every element (optionally of some kinds), by name."""
        with self.reading() as session:
            statement = select(ElementRow).order_by(ElementRow.name, ElementRow.id)
            if kinds:
                statement = statement.where(ElementRow.kind.in_(list(kinds)))
            return [self._stored(session, row) for row in session.scalars(statement)]

    def preview_import(self, candidates: Sequence[NewElement]) -> ImportPreview:
        """What `add_elements(candidates)` would do, per candidate; nothing is written."""
        items: list[PreviewItem] = []
        seen: set[str] = set()
        with self.reading() as session:
            for candidate in candidates:
                content_hash = candidate.element.content_hash
                existing = row_ops.find_by_hash(session, content_hash)
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
        with self.writing() as session:
            tag_cache = row_ops.tag_rows(
                session, [tag for candidate in candidates for tag in candidate.tags]
            )
            by_hash = row_ops.rows_by_hash(
                session, [candidate.element.content_hash for candidate in candidates]
            )
            created: set[int] = set()
            rows: list[ElementRow] = []
            for candidate in candidates:
                content_hash = candidate.element.content_hash
                row = by_hash.get(content_hash)
                if row is None:
                    row = row_ops.new_row(session, candidate, curated=False, tag_cache=tag_cache)
                    by_hash[content_hash] = row
                    created.add(id(row))
                else:
                    row_ops.merge(session, row, candidate, tag_cache=tag_cache)
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
        with self.writing() as session:
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
                row_ops.set_content(row, element)
            if name is not None:
                row.name = row_ops.checked_name(name)
            if notes is not None:
                row.notes = notes
            refresh_search_fields(row)
            row.updated_at = utc_now()
            session.flush()
            return self._stored(session, row)

    def delete_element(self, element_id: int, *, force: bool = False) -> None:
        """Delete a user element. If Modelfiles use it, raise ElementInUse naming them, unless
        `force`, which removes it from those Modelfiles first."""
        with self.writing() as session:
            row = self._element_row(session, element_id)
            self._refuse_curated(row, "delete")
            users = row_ops.users(session, element_id)
            if users and not force:
                raise ElementInUse(row.id, row.name, [name for _id, name in users])
            for modelfile_id, _name in users:
                modelfile = session.get_one(ModelfileRow, modelfile_id)
                remaining = [
                    entry.element_id
                    for entry in modelfile.entries
                    if entry.element_id != element_id
                ]
                row_ops.compose(session, modelfile, remaining)
            session.delete(row)

    def set_tags(self, element_id: int, tags: Iterable[Tag]) -> StoredElement:
        """Replace a user element's tags."""
        with self.writing() as session:
            row = self._element_row(session, element_id)
            self._refuse_curated(row, "retag")
            wanted = row_ops.checked_tags(tags)
            row.tags = [row_ops.tag_row(session, tag) for tag in wanted]
            refresh_search_fields(row)
            row.updated_at = utc_now()
            session.flush()
            return self._stored(session, row)

    def copy_element(self, element_id: int, name: str) -> StoredElement:
        """A user-owned copy of an element (typically a curated one, to change it)."""
        with self.writing() as session:
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
            copy = row_ops.new_row(
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
        checked_name = row_ops.checked_name(name)
        with self.writing() as session:
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
            row_ops.compose(session, row, element_ids)
            session.flush()
            return row_ops.stored_modelfile(session, row)

    def list_modelfiles(self) -> list[StoredModelfile]:
        """Every stored Modelfile (drafts excluded), by name."""
        with self.reading() as session:
            rows = session.scalars(
                select(ModelfileRow)
                .where(ModelfileRow.is_draft.is_(False))
                .order_by(ModelfileRow.name, ModelfileRow.id)
            )
            return [row_ops.stored_modelfile(session, row) for row in rows]

    def get_modelfile(self, modelfile_id: int) -> StoredModelfile:
        """The stored Modelfile `modelfile_id`."""
        with self.reading() as session:
            return row_ops.stored_modelfile(session, self._modelfile_row(session, modelfile_id))

    def delete_modelfile(self, modelfile_id: int) -> None:
        """Delete a Modelfile; its elements stay in the library (others may use them)."""
        with self.writing() as session:
            session.delete(self._modelfile_row(session, modelfile_id))

    def modelfile_text(self, modelfile_id: int) -> str:
        """The Modelfile text of a stored composition (generated from its elements)."""
        text: str = generate_modelfile(self.get_modelfile(modelfile_id).elements)
        return text

    # ----------------------------------------------------------------- drafts

    def save_draft(
        self, text: str, *, draft_id: int | None = None, name: str, origin: str = ""
    ) -> Draft:
        """Save editor text losslessly (it need not parse); updates `draft_id` when it still
        exists, else creates a draft. The caller debounces (the TUI: at most every 2 s)."""
        with self.writing() as session:
            row = session.get(ModelfileRow, draft_id) if draft_id is not None else None
            if row is None or not row.is_draft:
                row = ModelfileRow(name=name, is_draft=True, description="")
                session.add(row)
            row.name = name
            row.origin = origin
            row.source_text = text
            row.updated_at = utc_now()
            session.flush()
            return row_ops.draft(row)

    def list_drafts(self) -> list[Draft]:
        """Every draft, most recently saved first."""
        with self.reading() as session:
            rows = session.scalars(
                select(ModelfileRow)
                .where(ModelfileRow.is_draft.is_(True))
                .order_by(ModelfileRow.updated_at.desc(), ModelfileRow.id.desc())
            )
            return [row_ops.draft(row) for row in rows]

    def get_draft(self, draft_id: int) -> Draft:
        """The draft `draft_id`."""
        with self.reading() as session:
            row = session.get(ModelfileRow, draft_id)
            if row is None or not row.is_draft:
                raise ElementNotFound(f"no draft with id {draft_id} in {self.location}")
            return row_ops.draft(row)

    def discard_draft(self, draft_id: int) -> None:
        """Delete a draft (no error if it is already gone)."""
        with self.writing() as session:
            session.execute(
                delete(ModelfileRow).where(
                    ModelfileRow.id == draft_id, ModelfileRow.is_draft.is_(True)
                )
            )

    # ----------------------------------------------------------------- exchange

    def export_bundle(self) -> dict[str, Any]:
        """Everything (elements, Modelfiles, drafts, tags, provenance) as a JSON-ready bundle."""
        with self.reading() as session:
            return export_bundle(session)

    def import_bundle(self, data: object, *, dry_run: bool) -> ImportReport:
        """Import a bundle (validated first: BundleError and nothing written when it is bad)."""
        bundle = validate_bundle(data)
        with self.writing() as session:
            report = import_bundle(session, bundle, dry_run=dry_run)
            if dry_run:
                session.rollback()
            return report

    def import_modelfile_text(self, text: str, name: str, *, dry_run: bool) -> ImportReport:
        """Import Modelfile text: its elements (deduplicated) and a Modelfile composing them."""
        with self.writing() as session:
            report = import_modelfile_text(session, text, name, dry_run=dry_run)
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
    def _stored_new(row: ElementRow) -> StoredElement:
        """A just-inserted element, built from what is in memory (no further queries)."""
        return row_ops.stored_element(row, used_by=())

    def _resolve_ref(self, session: Session, ref: ElementRef, modelfile_name: str) -> int:
        if isinstance(ref, StoredElement):
            ref = ref.id
        if isinstance(ref, int):
            return self._element_row(session, ref).id
        (candidate,) = library_candidates([ref], modelfile_name)
        return row_ops.add_one(session, candidate).id

    def _stored(self, session: Session, row: ElementRow) -> StoredElement:
        return row_ops.stored_element(
            row, used_by=tuple(name for _id, name in row_ops.users(session, row.id))
        )

    def count_elements(self) -> int:
        """How many elements the library holds (curated included)."""
        with self.reading() as session:
            return int(session.scalar(select(func.count()).select_from(ElementRow)) or 0)
