"""Search: one interface, an SQLite FTS5 and a PostgreSQL tsvector implementation.

Both match the same way: the query is split into words (runs of letters and digits,
lower-cased) and every word must prefix-match a word of the name, the content or the
keywords (tag values and notes) — SQLite `"word"*` terms, PostgreSQL `word:*` lexemes over the
`simple` configuration. Each engine picks its best candidates with its own
ranking (bm25 with weights name 10, content 1, keywords 2; ts_rank with weights A, B, C);
those candidates (twice the limit, at least 100) are then scored here by `shared_score`, so
the order and the scores are the same on both engines; ties break by name and id. Snippets
are cut and highlighted here in Python, so both engines produce the same text with the same
« » markers. When the words match nothing, names are matched by trigram
similarity instead (typos), with candidates from each engine's trigram index and the score
computed here, identically for both.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Session

from modelarium.store.models import (
    ElementRow,
    ElementTagRow,
    ModelfileRow,
    ProvenanceRow,
    TagRow,
)
from modelarium.store.types import HIGHLIGHT_END, HIGHLIGHT_START

WORD = re.compile(r"[^\W_]+")
"""A word as both engines' indexes see it: letters and digits only."""

SNIPPET_WIDTH = 100
FUZZY_THRESHOLD = 0.4
FUZZY_CANDIDATE_LIMIT = 5000


def query_words(query: str) -> list[str]:
    """The distinct lower-cased words of `query`, in order."""
    words: list[str] = []
    for match in WORD.finditer(query.lower()):
        if match.group() not in words:
            words.append(match.group())
    return words


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigram set: each word lower-cased, padded with two spaces before, one after."""
    grams: set[str] = set()
    for word in WORD.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[index : index + 3] for index in range(len(padded) - 2))
    return grams


def trigram_similarity(left: str, right: str) -> float:
    """Shared trigrams over all trigrams (pg_trgm's `similarity`)."""
    left_grams, right_grams = trigrams(left), trigrams(right)
    union = left_grams | right_grams
    return len(left_grams & right_grams) / len(union) if union else 0.0


def inner_trigrams(words: Sequence[str]) -> list[str]:
    """The unpadded three-character pieces of the words (what both trigram indexes can find)."""
    pieces: list[str] = []
    for word in words:
        for index in range(len(word) - 2):
            piece = word[index : index + 3]
            if piece not in pieces:
                pieces.append(piece)
    return pieces


def candidate_window(limit: int) -> int:
    """How many best engine-ranked matches are re-scored by `shared_score` for `limit` hits."""
    return max(limit * 2, 100)


def _word_start(word: str) -> re.Pattern[str]:
    """Matches a place in lower-cased text where a word starting with `word` begins."""
    return re.compile(r"(?<![^\W_])" + re.escape(word))


def has_match(text: str, words: Sequence[str]) -> bool:
    """Whether any query word prefix-matches a word of `text`."""
    lowered = text.lower()
    return any(_word_start(word).search(lowered) for word in words)


def shared_score(fields: Sequence[tuple[str, float]], words: Sequence[str]) -> float:
    """The relevance every engine reports: for each query word and weighted field, the weight
    times (1 + log of how often a word there starts with it), plus half the weight again
    when a word equals it exactly. Computed here so ranking is identical on every engine."""
    total = 0.0
    for text, weight in fields:
        lowered = text.lower()
        for word in words:
            found = _word_start(word).findall(lowered)
            if not found:
                continue
            total += weight * (1.0 + math.log(len(found)))
            if re.search(r"(?<![^\W_])" + re.escape(word) + r"(?![^\W_])", lowered):
                total += weight * 0.5
    return round(total, 6)


def make_snippet(text: str, words: Sequence[str], width: int = SNIPPET_WIDTH) -> str:
    """A one-line excerpt of `text` around the first matched word, matches in « »."""
    flat = " ".join(text.split())
    matches = [
        match
        for match in WORD.finditer(flat)
        if words and any(match.group().lower().startswith(word) for word in words)
    ]
    if not matches:
        return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"
    start = max(0, matches[0].start() - width // 4)
    if start > 0:
        space = flat.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and matches[0].start() - space <= width // 2 else start
    end = min(len(flat), start + width)
    pieces: list[str] = ["…" if start > 0 else ""]
    cursor = start
    for match in matches:
        if match.start() < start:
            continue
        if match.end() > end:
            break
        pieces.append(flat[cursor : match.start()])
        pieces.append(f"{HIGHLIGHT_START}{match.group()}{HIGHLIGHT_END}")
        cursor = match.end()
    pieces.append(flat[cursor:end])
    if end < len(flat):
        pieces.append("…")
    return "".join(pieces)


@dataclass(frozen=True, slots=True)
class TagFilter:
    """One tag condition: a value, in one category or (category None) in any."""

    category: str | None
    value: str


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """What a search is restricted to."""

    kinds: tuple[str, ...] = ()
    tags: tuple[TagFilter, ...] = ()
    host: str | None = None
    model: str | None = None

    @property
    def restricts_elements(self) -> bool:
        """Whether any filter only elements can satisfy (which rules Modelfiles out)."""
        return bool(self.tags or self.host or self.model)


def element_conditions(filters: SearchFilters, kinds: Sequence[str]) -> list[ColumnElement[bool]]:
    """SQL conditions on ElementRow for the filters (same SQL on both engines)."""
    conditions: list[ColumnElement[bool]] = []
    if kinds:
        conditions.append(ElementRow.kind.in_(list(kinds)))
    for tag in filters.tags:
        tag_match = [
            ElementTagRow.element_id == ElementRow.id,
            TagRow.id == ElementTagRow.tag_id,
            func.lower(TagRow.value) == tag.value.lower(),
        ]
        if tag.category is not None:
            tag_match.append(TagRow.category == tag.category)
        conditions.append(exists().where(and_(*tag_match)))
    provenance: list[ColumnElement[bool]] = []
    if filters.host:
        provenance.append(func.lower(ProvenanceRow.host) == filters.host.lower())
    if filters.model:
        model = filters.model.lower()
        provenance.append(
            or_(
                func.lower(ProvenanceRow.model) == model,
                func.lower(ProvenanceRow.model).like(f"{model}:%"),
            )
        )
    if provenance:
        conditions.append(
            exists().where(and_(ProvenanceRow.element_id == ElementRow.id, *provenance))
        )
    return conditions


@dataclass(frozen=True, slots=True)
class RawHit:
    """A matched row before tags and snippet are attached."""

    id: int
    score: float


class SearchBackend(Protocol):
    """Full-text matching for one engine; everything else about search is shared."""

    def match_elements(
        self,
        session: Session,
        words: Sequence[str],
        conditions: Sequence[ColumnElement[bool]],
        limit: int,
    ) -> list[RawHit]:
        """Elements whose words prefix-match all `words`, best first."""
        ...

    def match_modelfiles(self, session: Session, words: Sequence[str], limit: int) -> list[RawHit]:
        """Non-draft Modelfiles whose name or description match all `words`, best first."""
        ...

    def fuzzy_element_candidates(
        self, session: Session, pieces: Sequence[str], conditions: Sequence[ColumnElement[bool]]
    ) -> list[tuple[int, str]]:
        """(id, name) of elements whose name contains any of `pieces`."""
        ...

    def fuzzy_modelfile_candidates(
        self, session: Session, pieces: Sequence[str]
    ) -> list[tuple[int, str]]:
        """(id, name) of non-draft Modelfiles whose name contains any of `pieces`."""
        ...


def _ranked(statement: Select[int, float], session: Session) -> list[RawHit]:
    return [RawHit(int(row_id), float(score)) for row_id, score in session.execute(statement)]


class SqliteSearch:
    """SQLite FTS5: `"word"*` prefix terms, bm25 ranking, trigram FTS5 tables for typos."""

    def match_elements(
        self,
        session: Session,
        words: Sequence[str],
        conditions: Sequence[ColumnElement[bool]],
        limit: int,
    ) -> list[RawHit]:
        fts = table("element_fts", column("rowid"))
        score: ColumnElement[Any] = literal_column("-bm25(element_fts, 10.0, 1.0, 2.0)")
        statement = (
            select(ElementRow.id, score.label("score"))
            .join(fts, fts.c.rowid == ElementRow.id)
            .where(literal_column("element_fts").op("MATCH")(self._fts_query(words)), *conditions)
            .order_by(score.desc(), ElementRow.name, ElementRow.id)
            .limit(limit)
        )
        return _ranked(statement, session)

    def match_modelfiles(self, session: Session, words: Sequence[str], limit: int) -> list[RawHit]:
        fts = table("modelfile_fts", column("rowid"))
        score: ColumnElement[Any] = literal_column("-bm25(modelfile_fts, 10.0, 1.0)")
        statement = (
            select(ModelfileRow.id, score.label("score"))
            .join(fts, fts.c.rowid == ModelfileRow.id)
            .where(
                literal_column("modelfile_fts").op("MATCH")(self._fts_query(words)),
                ModelfileRow.is_draft.is_(False),
            )
            .order_by(score.desc(), ModelfileRow.name, ModelfileRow.id)
            .limit(limit)
        )
        return _ranked(statement, session)

    def fuzzy_element_candidates(
        self, session: Session, pieces: Sequence[str], conditions: Sequence[ColumnElement[bool]]
    ) -> list[tuple[int, str]]:
        fts = table("element_name_trgm", column("rowid"))
        statement = (
            select(ElementRow.id, ElementRow.name)
            .join(fts, fts.c.rowid == ElementRow.id)
            .where(
                literal_column("element_name_trgm").op("MATCH")(self._trigram_query(pieces)),
                *conditions,
            )
            .limit(FUZZY_CANDIDATE_LIMIT)
        )
        return [(int(row_id), str(name)) for row_id, name in session.execute(statement)]

    def fuzzy_modelfile_candidates(
        self, session: Session, pieces: Sequence[str]
    ) -> list[tuple[int, str]]:
        fts = table("modelfile_name_trgm", column("rowid"))
        statement = (
            select(ModelfileRow.id, ModelfileRow.name)
            .join(fts, fts.c.rowid == ModelfileRow.id)
            .where(
                literal_column("modelfile_name_trgm").op("MATCH")(self._trigram_query(pieces)),
                ModelfileRow.is_draft.is_(False),
            )
            .limit(FUZZY_CANDIDATE_LIMIT)
        )
        return [(int(row_id), str(name)) for row_id, name in session.execute(statement)]

    @staticmethod
    def _fts_query(words: Sequence[str]) -> str:
        return " AND ".join(f'"{word}"*' for word in words)

    @staticmethod
    def _trigram_query(pieces: Sequence[str]) -> str:
        return " OR ".join(f'"{piece}"' for piece in pieces)


class PostgresSearch:
    """PostgreSQL: `word:*` tsquery over generated tsvectors, ts_rank, pg_trgm for typos."""

    def match_elements(
        self,
        session: Session,
        words: Sequence[str],
        conditions: Sequence[ColumnElement[bool]],
        limit: int,
    ) -> list[RawHit]:
        query = self._tsquery(words)
        vector: ColumnElement[Any] = literal_column("element.search_vector")
        score = func.ts_rank(vector, query)
        statement = (
            select(ElementRow.id, score.label("score"))
            .where(vector.op("@@")(query), *conditions)
            .order_by(score.desc(), ElementRow.name, ElementRow.id)
            .limit(limit)
        )
        return _ranked(statement, session)

    def match_modelfiles(self, session: Session, words: Sequence[str], limit: int) -> list[RawHit]:
        query = self._tsquery(words)
        vector: ColumnElement[Any] = literal_column("modelfile.search_vector")
        score = func.ts_rank(vector, query)
        statement = (
            select(ModelfileRow.id, score.label("score"))
            .where(vector.op("@@")(query), ModelfileRow.is_draft.is_(False))
            .order_by(score.desc(), ModelfileRow.name, ModelfileRow.id)
            .limit(limit)
        )
        return _ranked(statement, session)

    def fuzzy_element_candidates(
        self, session: Session, pieces: Sequence[str], conditions: Sequence[ColumnElement[bool]]
    ) -> list[tuple[int, str]]:
        statement = (
            select(ElementRow.id, ElementRow.name)
            .where(or_(*(ElementRow.name.ilike(f"%{piece}%") for piece in pieces)), *conditions)
            .limit(FUZZY_CANDIDATE_LIMIT)
        )
        return [(int(row_id), str(name)) for row_id, name in session.execute(statement)]

    def fuzzy_modelfile_candidates(
        self, session: Session, pieces: Sequence[str]
    ) -> list[tuple[int, str]]:
        statement = (
            select(ModelfileRow.id, ModelfileRow.name)
            .where(
                or_(*(ModelfileRow.name.ilike(f"%{piece}%") for piece in pieces)),
                ModelfileRow.is_draft.is_(False),
            )
            .limit(FUZZY_CANDIDATE_LIMIT)
        )
        return [(int(row_id), str(name)) for row_id, name in session.execute(statement)]

    @staticmethod
    def _tsquery(words: Sequence[str]) -> ColumnElement[object]:
        text = " & ".join(f"{word}:*" for word in words)
        return func.to_tsquery(literal_column("'simple'::regconfig"), text)


def backend_for(dialect_name: str) -> SearchBackend:
    """The search implementation for an engine dialect."""
    if dialect_name == "sqlite":
        return SqliteSearch()
    return PostgresSearch()


def fuzzy_score(name: str, words: Sequence[str]) -> float:
    """How well `name` matches the query words despite typos: for each query word its best
    trigram similarity to a word of the name; the weakest word decides."""
    name_words = WORD.findall(name.lower())
    if not name_words or not words:
        return 0.0
    return min(
        max(trigram_similarity(word, name_word) for name_word in name_words) for word in words
    )


def fuzzy_rank(
    candidates: Sequence[tuple[int, str]], words: Sequence[str], limit: int
) -> list[RawHit]:
    """Candidates whose name is trigram-similar to the query words, most similar first."""
    scored = [(fuzzy_score(name, words), name, row_id) for row_id, name in candidates]
    kept = sorted(
        (item for item in scored if item[0] >= FUZZY_THRESHOLD),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    return [RawHit(row_id, score) for score, _name, row_id in kept[:limit]]
