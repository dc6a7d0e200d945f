"""The v2 knowledge as the seed, on SQLite and PostgreSQL: a fresh library, and the upgrade of a
library written by the 0.1.0 release (schema 0002, v1 seed) keeping all of the user's work.

The v1 library is `tests/fixtures/library_v1/library-v1.sqlite3` (made by the release, see its
`make_library_v1.py`); for PostgreSQL its rows are copied into a database migrated to 0002.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, MetaData, Table, bindparam, create_engine, insert, select, text

from modelarium.knowledge.records import load_records as knowledge_records
from modelarium.store import Library
from modelarium.store.engine import alembic_config
from modelarium.store.seeding import (
    RETIRED_BY_V2,
    KnowledgeFilter,
    element_for,
    load_records,
)
from tests.integration.store.conftest import fresh_url

FIXTURE = Path(__file__).parents[2] / "fixtures" / "library_v1" / "library-v1.sqlite3"
TABLES = (
    "element",
    "parameter",
    "message",
    "tag",
    "element_tag",
    "provenance",
    "modelfile",
    "modelfile_element",
    "seed_record",
)
"""The 0002 tables in foreign-key order."""


def _copy_rows(source: Connection, target: Connection) -> None:
    """Copy every row of the library tables (naive SQLite times become UTC)."""
    source_meta, target_meta = MetaData(), MetaData()
    for name in TABLES:
        source_table = Table(name, source_meta, autoload_with=source)
        target_table = Table(name, target_meta, autoload_with=target)
        rows: list[dict[str, Any]] = []
        for row in source.execute(select(source_table)).mappings():
            values = {key: value for key, value in row.items() if key in target_table.c}
            for key, value in values.items():
                if isinstance(value, datetime) and value.tzinfo is None:
                    values[key] = value.replace(tzinfo=UTC)
            rows.append(values)
        if rows:
            target.execute(insert(target_table), rows)
        if "id" in target_table.c:
            target.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM {name}))"
                )
            )


def v1_library(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to a library as the 0.1.0 release left it."""
    if engine_name == "sqlite":
        target = tmp_path / "library-v1.sqlite3"
        shutil.copyfile(FIXTURE, target)
        return f"sqlite:///{target}"
    url = fresh_url("postgresql", request, tmp_path, seeded=False)
    engine = create_engine(url)
    source_engine = create_engine(f"sqlite:///{FIXTURE}")
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "0002")
        with source_engine.connect() as rows, engine.begin() as connection:
            _copy_rows(rows, connection)
    finally:
        engine.dispose()
        source_engine.dispose()
    return url


def _retired_content_element(connection: Connection) -> int:
    """A v1 curated element whose content no v2 record produces."""
    v2_hashes = set()
    for record in load_records():
        built = element_for(record)
        if built is not None:
            v2_hashes.add(built[0].content_hash)
    rows = connection.execute(
        text("SELECT id, content_hash FROM element WHERE curated ORDER BY id")
    ).all()
    return next(int(row.id) for row in rows if row.content_hash not in v2_hashes)


def _snapshot(connection: Connection) -> dict[str, Any]:
    """The user's side of the library, read with plain SQL."""
    user_ids = [
        int(i) for i in connection.scalars(text("SELECT id FROM element WHERE NOT curated"))
    ]
    return {
        "elements": {
            row.id: (row.kind, row.name, row.body, row.notes, row.content_hash)
            for row in connection.execute(
                text("SELECT id, kind, name, body, notes, content_hash FROM element")
            )
            if row.id in user_ids
        },
        "tags": sorted(
            tuple(row)
            for row in connection.execute(
                text(
                    "SELECT et.element_id, t.category, t.value FROM element_tag et "
                    "JOIN tag t ON t.id = et.tag_id"
                )
            )
            if row.element_id in user_ids
        ),
        "provenance": sorted(
            tuple(row)
            for row in connection.execute(
                text("SELECT element_id, host, model, model_digest FROM provenance")
            )
        ),
        "compositions": sorted(
            tuple(row)
            for row in connection.execute(
                text("SELECT modelfile_id, position, element_id FROM modelfile_element")
            )
        ),
        "modelfiles": sorted(
            tuple(row)
            for row in connection.execute(
                text("SELECT id, name, is_draft, source_text FROM modelfile")
            )
        ),
    }


def test_a_fresh_library_is_seeded_from_the_v2_knowledge(library: Library) -> None:
    records = knowledge_records()
    url = str(library.url.render_as_string(hide_password=False))
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT record_id, mode, sizes, task, origin, verified_on FROM seed_record")
            ).all()
    finally:
        engine.dispose()
    by_id = {row.record_id: row for row in rows}
    assert set(by_id) == {record.id for record in records}
    small = by_id["qwen-qwen3-5-0-8b-general-sampling-thinking-community"]
    assert (small.mode, small.sizes, small.task, small.origin, small.verified_on) == (
        "thinking",
        "0.8B, 2B",
        "general",
        "community",
        "2026-12-04",
    )
    carried = by_id["gemma-gemma3-1b-general-sampling-ollama"]
    assert carried.origin == "ollama-shipped" and carried.verified_on is None
    [hit] = library.search(
        "", knowledge=KnowledgeFilter(record_ids=("granite-granite-4-0-general-template-ollama",))
    )
    assert hit.kind == "template" and library.get_element(hit.id).curated
    thinking = library.search("", family="qwen", knowledge=KnowledgeFilter(mode="thinking"))
    assert thinking and all(hit.target == "element" for hit in thinking)
    assert not library.search("", knowledge=KnowledgeFilter(record_ids=("no-such-record",)))
    worded = library.search(
        "temperature", knowledge=KnowledgeFilter(task="code", origin="community"), limit=200
    )
    assert worded and all(hit.kind == "parameters" for hit in worded)
    assert not library.search("temperature", kinds=["modelfile"], knowledge=KnowledgeFilter())


def test_a_v1_library_upgrades_keeping_every_user_element_tag_and_provenance(
    engine_name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = v1_library(engine_name, request, tmp_path)
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            retired = _retired_content_element(connection)
            now = datetime(2026, 11, 21, tzinfo=UTC)
            legacy = connection.execute(
                text(
                    "INSERT INTO modelfile (name, description, is_draft, source_text, origin, "
                    "created_at, updated_at) VALUES ('legacy', '', :no, NULL, '', :now, :now) "
                    "RETURNING id"
                ),
                {"no": False, "now": now},
            ).scalar_one()
            connection.execute(
                text(
                    "INSERT INTO modelfile_element (modelfile_id, position, element_id) "
                    "VALUES (:m, 0, :e)"
                ),
                {"m": legacy, "e": retired},
            )
            before = _snapshot(connection)
            v1_keys = set(connection.scalars(text("SELECT key FROM seed_record")))
            v1_curated = connection.scalar(text("SELECT count(*) FROM element WHERE curated"))
        assert len(before["elements"]) == 3 and len(before["provenance"]) == 2
        assert len(v1_keys) == 183

        library = Library.open(url)
        try:
            own = {stored.id: stored for stored in library.list_elements() if not stored.curated}
            assert set(own) == set(before["elements"])
            copy = next(stored for stored in own.values() if stored.name == "my qwen template")
            assert not copy.curated
            kept = library.get_element(retired)
            assert kept.curated and any(tag.value == "superseded" for tag in kept.tags)
            assert "legacy" in kept.notes
            reviewer = next(m for m in library.list_modelfiles() if m.name == "reviewer")
            assert "SYSTEM You review Rust code tersely." in library.modelfile_text(reviewer.id)
            assert [d.name for d in library.list_drafts()] == ["unsaved"]
            count = library.count_elements()
        finally:
            library.close()

        with engine.connect() as connection:
            after = _snapshot(connection)
            assert after == before
            retired_rows = connection.execute(
                text(
                    "SELECT key, superseded_by, record_id FROM seed_record WHERE key IN :keys"
                ).bindparams(bindparam("keys", expanding=True)),
                {"keys": sorted(v1_keys)},
            ).all()
            assert len(retired_rows) == 183
            assert {row.superseded_by for row in retired_rows} == {RETIRED_BY_V2}
            assert {row.record_id for row in retired_rows} == {None}
            v2_rows = connection.scalar(
                text("SELECT count(*) FROM seed_record WHERE record_id IS NOT NULL")
            )
            assert v2_rows == len(knowledge_records())
            curated = connection.scalar(text("SELECT count(*) FROM element WHERE curated"))
            assert curated != v1_curated
            revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
            assert revision == "0004"  # the upgrade runs on to head (0004: trials)

        again = Library.open(url)
        try:
            assert again.count_elements() == count
        finally:
            again.close()
    finally:
        engine.dispose()
