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
engine proposes up to 300 names that may be similar (FTS5 `trigram`: names sharing a
three-letter piece, by bm25; pg_trgm: names where every word passes `<%`, a necessary
condition of the similarity kept, newest first) and the similarity is computed here; the
results agree whenever no more than 300 names are proposed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    Select,
    any_,
    bindparam,
    case,
    column,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import InstrumentedAttribute, Session

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


@dataclass(frozen=True, slots=True)
class ElementFilter:
    """A search's filters as SQL on ElementRow, in the three forms the engines use.

    `exact`: conditions that always apply (kinds, hosts, models, knowledge records, and any
    tag condition the tokens cannot decide). `tag_checks`: `EXISTS` on element_tag for tag
    filters whose token is exact — no other stored tag has the same token — so a search that
    requires the tokens (`groups`) needs no per-row probe of element_tag for them. `groups`:
    filter-token alternatives every element must hold, one group per filter.
    """

    exact: tuple[ColumnElement[bool], ...] = ()
    tag_checks: tuple[ColumnElement[bool], ...] = ()
    groups: tuple[tuple[str, ...], ...] = ()

    @property
    def conditions(self) -> tuple[ColumnElement[bool], ...]:
        """Every condition as SQL (for a query that does not use the tokens)."""
        return (*self.exact, *self.tag_checks)

    def plus(self, condition: ColumnElement[bool]) -> ElementFilter:
        """The same filter with one more exact condition."""
        return ElementFilter((*self.exact, condition), self.tag_checks, self.groups)


def element_filter(
    session: Session, filters: SearchFilters, kinds: Sequence[str]
) -> ElementFilter | None:
    """The filters as SQL (same SQL on both engines); None when a tag filter names no stored
    tag, so nothing can match.

    Tags are resolved to ids first, so each remaining tag condition is a primary-key probe
    per row (`element_tag` is keyed by element and tag) and listings can walk the name index.
    A tag filter's token is exact when the tags that share it are exactly the resolved ones
    (tokens keep only letters and digits, so `deepseek-r1` and `deepseekr1` share one).
    """
    exact: list[ColumnElement[bool]] = []
    tag_checks: list[ColumnElement[bool]] = []
    groups: list[tuple[str, ...]] = []
    if kinds:
        # `kind || ''`: a kind index would make SQLite test the full-text match row by row.
        exact.append(ElementRow.kind.concat("").in_(list(kinds)))
        kind_tokens = tuple(filter_token("kind", kind) for kind in kinds)
        if all(kind_tokens):
            groups.append(kind_tokens)
    all_tags: list[tuple[int, str, str, str]] = []
    if filters.tags:
        # The tag table is small: one query reads it, for every tag filter and its token.
        all_tags = [
            (int(row_id), str(category), str(value), str(lowered))
            for row_id, category, value, lowered in session.execute(
                select(TagRow.id, TagRow.category, TagRow.value, func.lower(TagRow.value))
            )
        ]
    for tag in filters.tags:
        # Compared with the database's own lower(), as a condition on the table would be.
        ids = {
            row_id
            for row_id, category, _value, lowered in all_tags
            if lowered == tag.value.lower() and tag.category in (None, category)
        }
        if not ids:
            return None
        check = exists().where(
            ElementTagRow.element_id == ElementRow.id, ElementTagRow.tag_id.in_(sorted(ids))
        )
        token = filter_token(f"tag{tag.category or 'any'}", tag.value)
        if not token:
            exact.append(check)
            continue
        groups.append((token,))
        sharing = {
            row_id
            for row_id, category, value, _lowered in all_tags
            if filter_token(f"tag{tag.category or 'any'}", value) == token
            and tag.category in (None, category)
        }
        (tag_checks if sharing == ids else exact).append(check)
    provenance: list[ColumnElement[bool]] = []
    if filters.host:
        provenance.append(ProvenanceRow.host == filters.host)
        groups.append((filter_token("host", filters.host),))
    if filters.model:
        provenance.append(
            or_(
                ProvenanceRow.model == filters.model,
                ProvenanceRow.model.startswith(f"{filters.model}:", autoescape=True),
            )
        )
        groups.append((filter_token("model", filters.model),))
    if provenance:
        exact.append(exists().where(ProvenanceRow.element_id == ElementRow.id, *provenance))
    return ElementFilter(
        tuple(exact), tuple(tag_checks), tuple(group for group in groups if all(group))
    )


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
        where: ElementFilter,
        limit: int,
        *,
        in_name: bool,
        newest: int,
    ) -> list[int]:
        """Ids of elements where every word prefix-matches and the filter holds, newest
        first. With `in_name`, only name matches among the `RECENT_ROWS` newest ids (`newest`
        is the highest id)."""
        ...

    def list_elements(self, session: Session, where: ElementFilter, limit: int) -> list[int]:
        """Ids of the elements the filter allows, by lower-cased name then id."""
        ...

    def match_modelfiles(self, session: Session, words: Sequence[str], limit: int) -> list[int]:
        """Ids of non-draft Modelfiles whose name or description match all words, newest
        first."""
        ...

    def fuzzy_element_candidates(
        self, session: Session, words: Sequence[str], pieces: Sequence[str], where: ElementFilter
    ) -> list[tuple[int, str]]:
        """(id, name) of elements the filter allows whose name may be trigram-similar to the
        words (every name `fuzzy_rank` keeps, up to `FUZZY_CANDIDATE_LIMIT`); `pieces` are the
        words' inner trigrams."""
        ...

    def fuzzy_modelfile_candidates(
        self, session: Session, words: Sequence[str], pieces: Sequence[str]
    ) -> list[tuple[int, str]]:
        """(id, name) of non-draft Modelfiles whose name may be trigram-similar to the words."""
        ...

    def id_in(
        self, id_column: InstrumentedAttribute[int], ids: Sequence[int]
    ) -> ColumnElement[bool]:
        """`id_column` is one of `ids`."""
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
        where: ElementFilter,
        limit: int,
        *,
        in_name: bool,
        newest: int,
    ) -> list[int]:
        fts = table("element_fts", column("rowid"))
        columns = "{name}" if in_name else "{name body keywords}"
        query = f"{columns} : ({self._fts_query(words)})"
        for group in where.groups:
            alternatives = " OR ".join(f'"{token}"' for token in group)
            query += f" AND {{filter_terms}} : ({alternatives})"
        clauses: list[ColumnElement[bool]] = [literal_column("element_fts").op("MATCH")(query)]
        if in_name:
            clauses.append(fts.c.rowid > newest - RECENT_ROWS)
        matched = select(fts.c.rowid).where(*clauses)
        if not where.exact:
            # FTS5 walks its index newest first and stops at the limit (the filter tokens,
            # part of the match, decide every tag filter here).
            return _ids(matched.order_by(fts.c.rowid.desc()).limit(limit), session)
        # With filters: still walk the matches newest first (the full-text table outermost,
        # which holds because no filter can use an index on element) and test each row's
        # filters by key until `limit` rows pass.
        statement = (
            select(ElementRow.id)
            .select_from(fts)
            .join(ElementRow, ElementRow.id == fts.c.rowid)
            .where(*clauses, *where.exact)
            .order_by(fts.c.rowid.desc())
            .limit(limit)
        )
        return _ids(statement, session)

    def list_elements(self, session: Session, where: ElementFilter, limit: int) -> list[int]:
        # The name index walked in order, each row's filters probed by key.
        statement = (
            select(ElementRow.id)
            .where(*where.conditions)
            .order_by(func.lower(ElementRow.name), ElementRow.id)
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
        self, session: Session, words: Sequence[str], pieces: Sequence[str], where: ElementFilter
    ) -> list[tuple[int, str]]:
        fts = table("element_name_trgm", column("rowid"), column("rank"))
        statement = (
            select(ElementRow.id, ElementRow.name)
            .join(fts, fts.c.rowid == ElementRow.id)
            .where(
                literal_column("element_name_trgm").op("MATCH")(self._trigram_query(pieces)),
                *where.conditions,
            )
            .order_by(fts.c.rank)
            .limit(FUZZY_CANDIDATE_LIMIT)
        )
        return [(int(row_id), str(name)) for row_id, name in session.execute(statement)]

    def fuzzy_modelfile_candidates(
        self, session: Session, words: Sequence[str], pieces: Sequence[str]
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

    def id_in(
        self, id_column: InstrumentedAttribute[int], ids: Sequence[int]
    ) -> ColumnElement[bool]:
        return id_column.in_(list(ids))

    @staticmethod
    def _fts_query(words: Sequence[str]) -> str:
        return " AND ".join(f'"{word}"*' for word in words)

    @staticmethod
    def _trigram_query(pieces: Sequence[str]) -> str:
        return " OR ".join(f'"{piece}"' for piece in pieces)


RECENT_NAME_MATCHES = "modelarium.search.recent_name_matches"
"""`Session.info` key: the name matches among the newest rows, noted by a full-text walk."""

TRIGRAM_THRESHOLD = 0.39
"""pg_trgm's `word_similarity_threshold` for the typo candidates, just under
`FUZZY_THRESHOLD`: a name word within `FUZZY_THRESHOLD` of a query word (Jaccard similarity of
their trigrams) shares at least that fraction of the query word's trigrams, so `word <% name`
holds for every name `fuzzy_rank` keeps (the margin covers pg_trgm's float4 arithmetic)."""


def _simple_tsquery(text_query: str) -> ColumnElement[Any]:
    return func.to_tsquery(literal_column("'simple'::regconfig"), text_query)


class PostgresSearch:
    """PostgreSQL: `word:*` tsquery over generated tsvectors (`name_vector` for name matches,
    `search_vector` for all, `filter_vector` for the filter tokens), pg_trgm for typos.

    The plans, per query shape (EXPLAIN ANALYZE at 100,000 elements, in docs/store.md):
    a prefix such as `dar:*` can match most of the table, and a GIN index answers it by
    merging the posting lists of every matching word (~10 ms), so the newest rows are tried
    first by walking the primary key backwards with the match as a plain filter (the
    function `ts_match_vq`, which no index can serve: at most `RECENT_ROWS` rows, ~2 ms, and
    one page when matches are frequent). Only when they hold fewer than the limit — the
    words are rare — is a GIN index asked, for the longest word (the most selective prefix)
    and the filter tokens, the whole query rechecked on the rows it returns. Id lists are
    one array parameter, so each statement's text is fixed and psycopg prepares it after its
    fifth use (its default `prepare_threshold`); SQLAlchemy caches the compiled SQL.
    """

    def __init__(self) -> None:
        self._has_trigrams: bool | None = None

    def match_elements(
        self,
        session: Session,
        words: Sequence[str],
        where: ElementFilter,
        limit: int,
        *,
        in_name: bool,
        newest: int,
    ) -> list[int]:
        query = _simple_tsquery(" & ".join(f"{word}:*" for word in words))
        vector: ColumnElement[Any] = literal_column(
            "element.name_vector" if in_name else "element.search_vector"
        )
        key = (tuple(words), id(where), newest, limit)
        if in_name:
            known = session.info.get(RECENT_NAME_MATCHES)
            if known is not None and known[0] == key:
                return list(known[1])
        tokens = self._filter_tokens(where)
        filter_vector: ColumnElement[Any] = literal_column("element.filter_vector")
        named: ColumnElement[Any] = func.ts_match_vq(literal_column("element.name_vector"), query)
        walk = (
            select(ElementRow.id, named)
            .where(
                ElementRow.id > newest - RECENT_ROWS,
                func.ts_match_vq(vector, query),
                *([func.ts_match_vq(filter_vector, tokens)] if tokens is not None else []),
                *where.exact,
            )
            .order_by(ElementRow.id.desc())
            .limit(limit)
        )
        rows = [(int(row_id), bool(in_name_too)) for row_id, in_name_too in session.execute(walk)]
        found = [row_id for row_id, _named in rows]
        if not in_name and len(found) < limit:
            # The walk saw every recent match, so the name matches among them are known:
            # the name search that may follow (`Library._element_candidates`) needs no walk.
            session.info[RECENT_NAME_MATCHES] = (key, [i for i, name_too in rows if name_too])
        if in_name or newest <= RECENT_ROWS or len(found) >= limit:
            return found
        longest = max(words, key=len)
        clauses: list[ColumnElement[bool]] = [vector.op("@@")(_simple_tsquery(f"{longest}:*"))]
        if len(words) > 1:
            clauses.append(func.ts_match_vq(vector, query))
        if tokens is not None:
            clauses.append(filter_vector.op("@@")(tokens))
        # `id + 0`: sorting the few matches beats walking the primary key past the rows
        # already found to be mostly non-matching.
        statement = (
            select(ElementRow.id)
            .where(*clauses, *where.exact)
            .order_by((ElementRow.id + 0).desc())
            .limit(limit)
        )
        return _ids(statement, session)

    def list_elements(self, session: Session, where: ElementFilter, limit: int) -> list[int]:
        tokens = self._filter_tokens(where) if where.tag_checks else None
        conditions: list[ColumnElement[bool]] = list(where.exact)
        if tokens is not None:
            filter_vector: ColumnElement[Any] = literal_column("element.filter_vector")
            conditions.append(filter_vector.op("@@")(tokens))
        else:
            conditions.extend(where.tag_checks)
        statement = (
            select(ElementRow.id)
            .where(*conditions)
            .order_by(func.lower(ElementRow.name), ElementRow.id)
            .limit(limit)
        )
        return _ids(statement, session)

    def match_modelfiles(self, session: Session, words: Sequence[str], limit: int) -> list[int]:
        query = _simple_tsquery(" & ".join(f"{word}:*" for word in words))
        vector: ColumnElement[Any] = literal_column("modelfile.search_vector")
        statement = (
            select(ModelfileRow.id)
            .where(vector.op("@@")(query), ModelfileRow.is_draft.is_(False))
            .order_by(ModelfileRow.id.desc())
            .limit(limit)
        )
        return _ids(statement, session)

    def fuzzy_element_candidates(
        self, session: Session, words: Sequence[str], pieces: Sequence[str], where: ElementFilter
    ) -> list[tuple[int, str]]:
        tokens = self._filter_tokens(where)
        conditions: list[ColumnElement[bool]] = list(where.exact)
        if tokens is not None:
            filter_vector: ColumnElement[Any] = literal_column("element.filter_vector")
            conditions.append(func.ts_match_vq(filter_vector, tokens))
        else:
            conditions.extend(where.tag_checks)
        return self._fuzzy(session, ElementRow.id, ElementRow.name, words, pieces, conditions)

    def fuzzy_modelfile_candidates(
        self, session: Session, words: Sequence[str], pieces: Sequence[str]
    ) -> list[tuple[int, str]]:
        return self._fuzzy(
            session,
            ModelfileRow.id,
            ModelfileRow.name,
            words,
            pieces,
            [ModelfileRow.is_draft.is_(False)],
        )

    def id_in(
        self, id_column: InstrumentedAttribute[int], ids: Sequence[int]
    ) -> ColumnElement[bool]:
        return id_column == any_(bindparam("ids", list(ids), type_=ARRAY(Integer)))

    def _fuzzy(
        self,
        session: Session,
        id_column: InstrumentedAttribute[int],
        name: InstrumentedAttribute[str],
        words: Sequence[str],
        pieces: Sequence[str],
        conditions: Sequence[ColumnElement[bool]],
    ) -> list[tuple[int, str]]:
        """Names that may be similar: with pg_trgm (and ASCII words, which its word splitting
        sees as Python does under any server locale), those where every word passes `<%`
        (its GIN index), newest first; otherwise those containing any piece, most pieces
        first."""
        if self.trigrams_available(session) and all(word.isascii() for word in words):
            session.execute(
                sql_text(f"SET LOCAL pg_trgm.word_similarity_threshold = {TRIGRAM_THRESHOLD}")
            )
            matched: list[ColumnElement[bool]] = [literal(word).op("<%")(name) for word in words]
            # Newest first: the planner walks the primary key backwards while similar
            # names are frequent, and asks the GIN index when they are rare.
            order: list[ColumnElement[Any]] = [id_column.desc()]
        else:
            matched = [or_(*(name.ilike(f"%{piece}%") for piece in pieces))]
            shared: ColumnElement[Any] = sum(
                (case((name.ilike(f"%{piece}%"), 1), else_=0) for piece in pieces[1:]),
                case((name.ilike(f"%{pieces[0]}%"), 1), else_=0),
            )
            order = [shared.desc(), id_column.desc()]
        statement = (
            select(id_column, name)
            .where(*matched, *conditions)
            .order_by(*order)
            .limit(FUZZY_CANDIDATE_LIMIT)
        )
        return [(int(row_id), str(value)) for row_id, value in session.execute(statement)]

    def trigrams_available(self, session: Session) -> bool:
        """Whether pg_trgm is installed in this database (asked once)."""
        if self._has_trigrams is None:
            installed = "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"
            self._has_trigrams = bool(session.scalar(sql_text(installed)))
        return self._has_trigrams

    @staticmethod
    def _filter_tokens(where: ElementFilter) -> ColumnElement[Any] | None:
        if not where.groups:
            return None
        tokens = " & ".join("(" + " | ".join(group) + ")" for group in where.groups)
        return _simple_tsquery(tokens)


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
