"""Full-text search objects, written by hand per dialect (hidden from autogenerate).

Both engines index the same text the same way: words are maximal runs of letters and digits,
lower-cased, no stemming, no stop words (SQLite FTS5 `unicode61`, PostgreSQL the `simple`
configuration over text whose other characters were turned into spaces). Name typos are
served by trigram indexes (FTS5 `trigram`, pg_trgm `gin_trgm_ops` where the server has the
extension: without it the library works, typo search reading the names in full). FTS5's
`rank` is set to bm25 with the weights name 10, body 1, keywords 2; `lower(name)` indexes
serve listings sorted by name.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCHED_COLUMNS = {"element": ("name", "body", "keywords"), "modelfile": ("name", "description")}
FILTER_COLUMN = {"element": "filter_terms"}
"""Tokens of kind, tags, hosts and models (`search.element_filter_terms`), indexed apart."""
WEIGHTS = ("A", "B", "C")


def _sqlite_fts(
    table: str, columns: Sequence[str], suffix: str, tokenizer: str, options: str = ""
) -> list[str]:
    """An external-content FTS5 table over `table` plus the triggers that keep it current."""
    fts = f"{table}_{suffix}"
    names = ", ".join(columns)
    new_values = ", ".join(f"new.{column}" for column in columns)
    old_values = ", ".join(f"old.{column}" for column in columns)
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new_values});"
    delete = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old_values});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{table}', "
        f"content_rowid='id', tokenize='{tokenizer}'{options})",
        f"CREATE TRIGGER {fts}_after_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_after_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {fts}_after_update AFTER UPDATE OF {names} ON {table} "
        f"BEGIN {delete} {insert} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def _pg_words(column: str) -> str:
    """PostgreSQL expression: the column's words as the SQLite tokenizer sees them."""
    return f"to_tsvector('simple', regexp_replace(lower({column}), '[^[:alnum:]]+', ' ', 'g'))"


def _trigram_extension() -> bool:
    """Whether pg_trgm is installed, installing it when the server offers it and the role may
    (a trusted extension since PostgreSQL 13); False leaves typo search without its index."""
    bind = op.get_bind()
    installed = "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"
    if bind.execute(sa.text(installed)).scalar():
        return True
    offered = "SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'"
    if not bind.execute(sa.text(offered)).scalar():
        return False
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        return False
    return True


def upgrade() -> None:
    """Create the search objects of the current dialect."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table, columns in SEARCHED_COLUMNS.items():
            # Prefix indexes answer "shi"* from one list instead of merging every word.
            indexed = (*columns, FILTER_COLUMN[table]) if table in FILTER_COLUMN else columns
            for statement in _sqlite_fts(
                table, indexed, "fts", "unicode61 remove_diacritics 0", ", prefix='2 3 4'"
            ):
                op.execute(statement)
            for statement in _sqlite_fts(table, ("name",), "name_trgm", "trigram"):
                op.execute(statement)
            op.execute(f"CREATE INDEX ix_{table}_name_lower ON {table} (lower(name))")
        weights = ", ".join(["10.0", "1.0", "2.0"][: len(SEARCHED_COLUMNS["element"])])
        op.execute(f"INSERT INTO element_fts(element_fts, rank) VALUES ('rank', 'bm25({weights})')")
        op.execute(
            "INSERT INTO modelfile_fts(modelfile_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0)')"
        )
        return
    trigrams = _trigram_extension()
    for table, columns in SEARCHED_COLUMNS.items():
        vector = " || ".join(
            f"setweight({_pg_words(column)}, '{weight}')"
            for column, weight in zip(columns, WEIGHTS, strict=False)
        )
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({vector}) STORED"
        )
        op.execute(f"CREATE INDEX ix_{table}_search_vector ON {table} USING gin (search_vector)")
        if table == "element":
            # Name matches without weight checks, which would force a recheck of every row.
            op.execute(
                "ALTER TABLE element ADD COLUMN name_vector tsvector "
                f"GENERATED ALWAYS AS ({_pg_words('name')}) STORED"
            )
            op.execute("CREATE INDEX ix_element_name_vector ON element USING gin (name_vector)")
            op.execute(
                "ALTER TABLE element ADD COLUMN filter_vector tsvector "
                "GENERATED ALWAYS AS (to_tsvector('simple', filter_terms)) STORED"
            )
            op.execute("CREATE INDEX ix_element_filter_vector ON element USING gin (filter_vector)")
        if trigrams:
            op.execute(
                f"CREATE INDEX ix_{table}_name_trgm ON {table} USING gin (name gin_trgm_ops)"
            )
        op.execute(f"CREATE INDEX ix_{table}_name_lower ON {table} (lower(name))")


def downgrade() -> None:
    """Drop the search objects of the current dialect."""
    dialect = op.get_bind().dialect.name
    for table in SEARCHED_COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_name_lower")
    if dialect == "sqlite":
        for table in SEARCHED_COLUMNS:
            for suffix in ("fts", "name_trgm"):
                fts = f"{table}_{suffix}"
                for event in ("insert", "delete", "update"):
                    op.execute(f"DROP TRIGGER IF EXISTS {fts}_after_{event}")
                op.execute(f"DROP TABLE IF EXISTS {fts}")
        return
    for table in SEARCHED_COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_name_trgm")
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_vector")
        op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
    op.execute("DROP INDEX IF EXISTS ix_element_filter_vector")
    op.execute("ALTER TABLE element DROP COLUMN IF EXISTS filter_vector")
    op.execute("DROP INDEX IF EXISTS ix_element_name_vector")
    op.execute("ALTER TABLE element DROP COLUMN IF EXISTS name_vector")
