"""Search: one interface, an SQLite FTS5 and a PostgreSQL tsvector implementation.

Both match the same way: the query is split into words (runs of letters and digits,
lower-cased) and every word must prefix-match a word of the name, the content or the
keywords (tag values and notes) — SQLite `"word"*` terms, PostgreSQL `word:*` lexemes over the
`simple` configuration.

Ranking is done here, not by bm25 or ts_rank. Both engines hand over the same candidates:
every match when there are fewer than the window (twice the limit, at least 100); otherwise
the elements among the 5,000 newest whose *name* matches every word, filled up with the
newest matches anywhere. `shared_score` orders them (weights name 10, keywords 2,
content 1), ties by name and id, so order and scores are identical on both engines, and the
cost stays flat however many rows match (ranking 25,000 matches with bm25 took over 100 ms
at 100,000 elements).
Snippets are cut and highlighted here too, so both engines produce the same text with the
same « » markers.

When the words match nothing, names are matched by trigram similarity instead (typos): each
engine's trigram index proposes up to 300 names sharing a three-letter piece with the query
(FTS5 `trigram` ranked by bm25, pg_trgm ranked by word_similarity) and the similarity is
computed here; the results agree whenever no more than 300 names are proposed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    Select,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Session

from modelarium.model_names import split_tag
from modelarium.store.models import (
    ElementRow,
    ElementTagRow,
    ModelfileRow,
    ProvenanceRow,
    TagRow,
)
from modelarium.store.types import HIGHLIGHT_END, HIGHLIGHT_START, Tag

WORD = re.compile(r"[^\W_]+")
"""A word as both engines' indexes see it: letters and digits only."""

SNIPPET_WIDTH = 100
FUZZY_THRESHOLD = 0.4
FUZZY_CANDIDATE_LIMIT = 300
RECENT_ROWS = 5000
"""Name matches are preferred among the last this-many ids; PostgreSQL also looks there for
the newest matches before asking its GIN index."""


def query_words(query: str) -> list[str]:
    """The distinct lower-cased words of `query`, in order."""
    words: list[str] = []
    for match in WORD.finditer(query.lower()):
        if match.group() not in words:
            words.append(match.group())
    return words


def filter_token(prefix: str, value: str) -> str:
    """One filter token, e.g. `zztagfamilyqwen`: letters and digits only (both indexes keep
    it whole), empty when the value has none."""
    letters = "".join(WORD.findall(value.lower()))
    return f"zz{''.join(WORD.findall(prefix))}{letters}" if letters else ""


def element_filter_terms(
    kind: str, tags: Iterable[Tag], provenance: Iterable[tuple[str, str]]
) -> str:
    """The filter tokens of an element: its kind, each tag (by category and by value alone),
    each host and model (and the model without its tag)."""
    terms = {filter_token("kind", kind)}
    for tag in tags:
        terms.add(filter_token(f"tag{tag.category}", tag.value))
        terms.add(filter_token("tagany", tag.value))
    for host, model in provenance:
        terms.add(filter_token("host", host))
        terms.add(filter_token("model", model))
        terms.add(filter_token("model", split_tag(model)[0]))
    return " ".join(sorted(term for term in terms if term))


def filter_groups(filters: SearchFilters, kinds: Sequence[str]) -> list[list[str]]:
    """Token alternatives every candidate must hold, one group per filter. Tokens only narrow
    the full-text search (a value with no letters or digits adds no group); the exact
    conditions of `element_conditions` still decide."""
    groups: list[list[str]] = []
    if kinds:
        groups.append([filter_token("kind", kind) for kind in kinds])
    for tag in filters.tags:
        groups.append([filter_token(f"tag{tag.category or 'any'}", tag.value)])
    if filters.host:
        groups.append([filter_token("host", filters.host)])
    if filters.model:
        groups.append([filter_token("model", filters.model)])
    return [group for group in groups if all(group)]


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
    """How many matches are scored by `shared_score` to return `limit` hits."""
    return max(limit * 2, 100)


@lru_cache(maxsize=1024)
def _word_start(word: str) -> re.Pattern[str]:
    """Matches a place in lower-cased text where a word starting with `word` begins."""
    return re.compile(r"(?<![^\W_])" + re.escape(word))


@lru_cache(maxsize=1024)
def _whole_word(word: str) -> re.Pattern[str]:
    """Matches `word` as a whole word in lower-cased text."""
    return re.compile(r"(?<![^\W_])" + re.escape(word) + r"(?![^\W_])")


@lru_cache(maxsize=256)
def _matched_words(words: tuple[str, ...]) -> re.Pattern[str]:
    """Matches, case-insensitively, every whole word that starts with one of `words`."""
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(r"(?<![^\W_])(?:" + alternatives + r")[^\W_]*", re.IGNORECASE)


def has_match(text: str, words: Sequence[str]) -> bool:
    """Whether any query word prefix-matches a word of `text`."""
    return bool(words) and _matched_words(tuple(words)).search(text) is not None


def shared_score(fields: Sequence[tuple[str, float]], words: Sequence[str]) -> float:
    """The relevance every engine reports: for each query word and weighted field, the weight
    times (1 + log of how often a word there starts with it), plus half the weight again
    when a word equals it exactly. Computed here so ranking is identical on every engine."""
    total = 0.0
    for text, weight in fields:
        lowered = text.lower()
        for word in words:
            found = len(_word_start(word).findall(lowered))
            if not found:
                continue
            total += weight * (1.0 + math.log(found))
            if _whole_word(word).search(lowered):
                total += weight * 0.5
    return round(total, 6)


def make_snippet(text: str, words: Sequence[str], width: int = SNIPPET_WIDTH) -> str:
    """A one-line excerpt of `text` around the first matched word, matches in « »."""
    flat = " ".join(text.split())
    first = _matched_words(tuple(words)).search(flat) if words else None
    if first is None:
        return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"
    start = max(0, first.start() - width // 4)
    if start > 0:
        space = flat.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and first.start() - space <= width // 2 else start
    end = min(len(flat), start + width)
    pieces: list[str] = ["…" if start > 0 else ""]
    cursor = start
    for match in _matched_words(tuple(words)).finditer(flat, start, end):
        if match.start() < start or match.end() > end:
            continue
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


def element_conditions(
    session: Session, filters: SearchFilters, kinds: Sequence[str]
) -> list[ColumnElement[bool]] | None:
    """SQL conditions on ElementRow for the filters (same SQL on both engines); None when a
    tag filter names no stored tag, so nothing can match.

    Tags are resolved to ids first, so each condition is a primary-key probe per row
    (`element_tag` is keyed by element and tag) and listings can walk the name index.
    """
    conditions: list[ColumnElement[bool]] = []
    if kinds:
        # `kind || ''`: a kind index would make SQLite test the full-text match row by row.
        conditions.append(ElementRow.kind.concat("").in_(list(kinds)))
    for tag in filters.tags:
        tag_ids = select(TagRow.id).where(func.lower(TagRow.value) == tag.value.lower())
        if tag.category is not None:
            tag_ids = tag_ids.where(TagRow.category == tag.category)
        ids = list(session.scalars(tag_ids))
        if not ids:
            return None
        conditions.append(
            exists().where(ElementTagRow.element_id == ElementRow.id, ElementTagRow.tag_id.in_(ids))
        )
    provenance: list[ColumnElement[bool]] = []
    if filters.host:
        provenance.append(ProvenanceRow.host == filters.host)
    if filters.model:
        provenance.append(
            or_(
                ProvenanceRow.model == filters.model,
                ProvenanceRow.model.startswith(f"{filters.model}:", autoescape=True),
            )
        )
    if provenance:
        conditions.append(exists().where(ProvenanceRow.element_id == ElementRow.id, *provenance))
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
        *,
        in_name: bool,
        newest: int,
        groups: Sequence[Sequence[str]] = (),
    ) -> list[int]:
        """Ids of elements where every word prefix-matches, newest first. With `in_name`,
        only name matches among the `RECENT_ROWS` newest ids (`newest` is the highest id).
        Every group of `groups` must have one token in the element's filter terms."""
        ...

    def match_modelfiles(self, session: Session, words: Sequence[str], limit: int) -> list[int]:
        """Ids of non-draft Modelfiles whose name or description match all words, newest
        first."""
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


def _ids(statement: Select[int], session: Session) -> list[int]:
    return [int(row_id) for row_id in session.scalars(statement)]


class SqliteSearch:
    """SQLite FTS5: `"word"*` prefix terms (`{name} : (...)` for name matches), trigram FTS5
    tables for typos."""

    def match_elements(
        self,
        session: Session,
        words: Sequence[str],
        conditions: Sequence[ColumnElement[bool]],
        limit: int,
        *,
        in_name: bool,
        newest: int,
        groups: Sequence[Sequence[str]] = (),
    ) -> list[int]:
        fts = table("element_fts", column("rowid"))
        columns = "{name}" if in_name else "{name body keywords}"
        query = f"{columns} : ({self._fts_query(words)})"
        for group in groups:
            alternatives = " OR ".join(f'"{token}"' for token in group)
            query += f" AND {{filter_terms}} : ({alternatives})"
        clauses: list[ColumnElement[bool]] = [literal_column("element_fts").op("MATCH")(query)]
        if in_name:
            clauses.append(fts.c.rowid > newest - RECENT_ROWS)
        matched = select(fts.c.rowid).where(*clauses)
        if not conditions:
            # FTS5 walks its index newest first and stops at the limit.
            return _ids(matched.order_by(fts.c.rowid.desc()).limit(limit), session)
        # With filters: still walk the matches newest first (the full-text table outermost,
        # which holds because no filter can use an index on element) and test each row's
        # filters by key until `limit` rows pass.
        statement = (
            select(ElementRow.id)
            .select_from(fts)
            .join(ElementRow, ElementRow.id == fts.c.rowid)
            .where(*clauses, *conditions)
            .order_by(fts.c.rowid.desc())
            .limit(limit)
        )
        return _ids(statement, session)

    def match_modelfiles(self, session: Session, words: Sequence[str], limit: int) -> list[int]:
        fts = table("modelfile_fts", column("rowid"))
        statement = (
            select(ModelfileRow.id)
            .join(fts, fts.c.rowid == ModelfileRow.id)
            .where(
                literal_column("modelfile_fts").op("MATCH")(self._fts_query(words)),
                ModelfileRow.is_draft.is_(False),
            )
            .order_by(ModelfileRow.id.desc())
            .limit(limit)
        )
        return _ids(statement, session)

    def fuzzy_element_candidates(
        self, session: Session, pieces: Sequence[str], conditions: Sequence[ColumnElement[bool]]
    ) -> list[tuple[int, str]]:
        fts = table("element_name_trgm", column("rowid"), column("rank"))
        statement = (
            select(ElementRow.id, ElementRow.name)
            .join(fts, fts.c.rowid == ElementRow.id)
            .where(
                literal_column("element_name_trgm").op("MATCH")(self._trigram_query(pieces)),
                *conditions,
            )
            .order_by(fts.c.rank)
            .limit(FUZZY_CANDIDATE_LIMIT)
        )
        return [(int(row_id), str(name)) for row_id, name in session.execute(statement)]

    def fuzzy_modelfile_candidates(
        self, session: Session, pieces: Sequence[str]
    ) -> list[tuple[int, str]]:
        fts = table("modelfile_name_trgm", column("rowid"), column("rank"))
        statement = (
            select(ModelfileRow.id, ModelfileRow.name)
            .join(fts, fts.c.rowid == ModelfileRow.id)
            .where(
                literal_column("modelfile_name_trgm").op("MATCH")(self._trigram_query(pieces)),
                ModelfileRow.is_draft.is_(False),
            )
            .order_by(fts.c.rank)
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
    """PostgreSQL: `word:*` tsquery over generated tsvectors (`name_vector` for name matches,
    `search_vector` for all), pg_trgm for typos."""

    def match_elements(
        self,
        session: Session,
        words: Sequence[str],
        conditions: Sequence[ColumnElement[bool]],
        limit: int,
        *,
        in_name: bool,
        newest: int,
        groups: Sequence[Sequence[str]] = (),
    ) -> list[int]:
        query = self._tsquery(words)
        vector: ColumnElement[Any] = literal_column(
            "element.name_vector" if in_name else "element.search_vector"
        )
        clauses: list[ColumnElement[bool]] = [vector.op("@@")(query)]
        if groups:
            tokens = " & ".join("(" + " | ".join(group) + ")" for group in groups)
            filter_vector: ColumnElement[Any] = literal_column("element.filter_vector")
            clauses.append(
                filter_vector.op("@@")(
                    func.to_tsquery(literal_column("'simple'::regconfig"), tokens)
                )
            )
        matching = (
            select(ElementRow.id)
            .where(*clauses, *conditions)
            .order_by(ElementRow.id.desc())
            .limit(limit)
        )
        recent = matching.where(ElementRow.id > newest - RECENT_ROWS)
        if in_name:
            return _ids(recent, session)
        # PostgreSQL cannot walk a GIN index newest first, and scanning the primary key
        # backwards tests every row when matches are rare. So: look among the newest rows
        # first; if they hold enough matches, those are the newest; else ask the GIN index.
        if newest > RECENT_ROWS:
            found = _ids(recent, session)
            if len(found) >= limit:
                return found
        return _ids(matching.order_by(None).order_by((ElementRow.id + 0).desc()), session)

    def match_modelfiles(self, session: Session, words: Sequence[str], limit: int) -> list[int]:
        query = self._tsquery(words)
        vector: ColumnElement[Any] = literal_column("modelfile.search_vector")
        statement = (
            select(ModelfileRow.id)
            .where(vector.op("@@")(query), ModelfileRow.is_draft.is_(False))
            .order_by(ModelfileRow.id.desc())
            .limit(limit)
        )
        return _ids(statement, session)

    def fuzzy_element_candidates(
        self, session: Session, pieces: Sequence[str], conditions: Sequence[ColumnElement[bool]]
    ) -> list[tuple[int, str]]:
        statement = (
            select(ElementRow.id, ElementRow.name)
            .where(or_(*(ElementRow.name.ilike(f"%{piece}%") for piece in pieces)), *conditions)
            .order_by(func.word_similarity(" ".join(pieces), ElementRow.name).desc())
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
            .order_by(func.word_similarity(" ".join(pieces), ModelfileRow.name).desc())
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
    name_grams = [_word_trigrams(word) for word in set(WORD.findall(name.lower()))]
    if not name_grams or not words:
        return 0.0
    weakest = 1.0
    for word in words:
        query_grams = _word_trigrams(word)
        best = max(len(query_grams & grams) / len(query_grams | grams) for grams in name_grams)
        weakest = min(weakest, best)
    return weakest


@lru_cache(maxsize=65536)
def _word_trigrams(word: str) -> frozenset[str]:
    """pg_trgm's trigrams of one lower-cased word."""
    padded = f"  {word} "
    return frozenset(padded[index : index + 3] for index in range(len(padded) - 2))


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
