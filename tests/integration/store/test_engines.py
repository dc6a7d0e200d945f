"""Engine-level behaviour: parity between SQLite and PostgreSQL, migrations, bad databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from modelarium.modelfile.elements import Element, ElementKind
from modelarium.store import (
    CorruptDatabase,
    DatabaseTooNew,
    DatabaseUnavailable,
    Library,
    NewElement,
    NotALibrary,
    Tag,
    UnsupportedDatabaseURL,
)
from modelarium.store.copy import copy_library
from modelarium.store.engine import alembic_config, head_revision
from modelarium.store.seeding import apply_seed, load_records
from tests.integration.store.conftest import fresh_url
from tests.integration.store.postgres_server import PostgresServer

PARITY_QUERIES = [
    "",
    "templ",
    "temperatur",
    "assistant",
    "qwen3 thinking",
    "im_start",
    "eom",
    "<|eot_id|>",
    "0.6",
    "pirate",
    "Pirat review",
    "grnite",
    "toools",
    "ünïcode",
    "zzzz-nothing",
]

PARITY_EXPECTED = {
    "": "pirate reviewer",
    "templ": "custom chat template",
    "temperatur": "Qwen3-8B thinking parameters (vendor recommendation)",
    "assistant": "custom chat template",
    "qwen3 thinking": "Qwen3-8B thinking parameters (vendor recommendation)",
    "im_start": "custom chat template",
    "eom": "Llama-3.1-8B-Instruct template (Ollama ships)",
    "<|eot_id|>": "Llama-3.1-8B-Instruct template (Ollama ships)",
    "0.6": "Qwen3-8B thinking parameters (vendor recommendation)",
    "pirate": "pirate reviewer",
    "Pirat review": "pirate",
    "grnite": "granite-3b-code-instruct code template (Ollama ships)",
    "toools": "Qwen2.5-7B-Instruct tools template (vendor example)",
    "ünïcode": "ünïcode words",
    "zzzz-nothing": None,
}
"""A hit each parity query must find on both engines (None: it must find nothing), so the
parity check cannot pass by both engines returning nothing."""

PARITY_FILTERS: list[tuple[dict[str, object], dict[str, str | None]]] = [
    ({"family": "qwen"}, {"": "Qwen3-8B thinking parameters (vendor recommendation)"}),
    ({"family": "llama", "use_case": "tools"}, {"": None, "temp": None, "stop": None}),
    (
        {"family": "custom", "use_case": "tools"},
        {"": "custom chat template", "temp": "custom chat template", "stop": None},
    ),
    ({"kinds": ["template"]}, {"": "custom chat template", "temp": "custom chat template"}),
    ({"kinds": ["modelfile"]}, {"": "pirate reviewer", "temp": None, "stop": None}),
    ({"tags": ["source:vendor-recommendation"]}, {}),
]
"""Filters checked for parity, with a hit each (filter, query) must find (None: nothing; ""
or a missing query: at least one hit of any name)."""

PARITY_DATA = [
    NewElement(Element(ElementKind.SYSTEM, value="You are a pirate who reviews code."), "pirate"),
    NewElement(Element(ElementKind.SYSTEM, value="Ünïcode café résumé naïve"), "ünïcode words"),
    NewElement(
        Element(ElementKind.TEMPLATE, value="{{ .System }} <|im_start|>assistant"),
        "custom chat template",
        (Tag("family", "custom"), Tag("use_case", "tools")),
    ),
]


def parity_view(library: Library, query: str, **filters: object) -> list[tuple[str, str, str]]:
    """What must be identical across engines: which hits, and their snippets."""
    hits = library.search(query, limit=500, **filters)  # type: ignore[arg-type]
    return sorted((hit.target, hit.name, hit.snippet) for hit in hits)


def _assert_expected(view: list[tuple[str, str, str]], expected: str | None, what: object) -> None:
    """`view` holds a hit named `expected` (any hit for "", none for None)."""
    names = [name for _target, name, _snippet in view]
    if expected is None:
        assert names == [], what
    elif expected == "":
        assert names, what
    else:
        assert expected in names, (what, names[:10])


def test_both_engines_return_the_same_hits(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_server: PostgresServer
) -> None:
    sqlite_library = Library.open(fresh_url("sqlite", request, tmp_path))
    postgres_library = Library.open(fresh_url("postgresql", request, tmp_path))
    try:
        for library in (sqlite_library, postgres_library):
            library.add_elements(PARITY_DATA)
            library.save_modelfile(
                "pirate reviewer", [PARITY_DATA[0].element], description="Reviews with an accent"
            )
        assert sorted(PARITY_EXPECTED) == sorted(PARITY_QUERIES)
        for query in PARITY_QUERIES:
            assert parity_view(sqlite_library, query) == parity_view(postgres_library, query), query
            _assert_expected(parity_view(sqlite_library, query), PARITY_EXPECTED[query], query)
        for filters, expected in PARITY_FILTERS:
            for query in ("", "temp", "stop"):
                assert parity_view(sqlite_library, query, **filters) == parity_view(
                    postgres_library, query, **filters
                ), (query, filters)
                view = parity_view(sqlite_library, query, **filters)
                _assert_expected(view, expected.get(query, ""), (query, filters))
        for query in ("pirate", "eom", "qwen3 thinking"):
            sqlite_top = sqlite_library.search(query, limit=1)
            postgres_top = postgres_library.search(query, limit=1)
            assert [hit.name for hit in sqlite_top] == [hit.name for hit in postgres_top], query
    finally:
        sqlite_library.close()
        postgres_library.close()


def test_alembic_check_finds_no_drift(library_url: str) -> None:
    engine = create_engine(library_url.replace("postgresql+psycopg", "postgresql+psycopg"))
    try:
        with engine.connect() as connection:
            command.check(alembic_config(connection))
    finally:
        engine.dispose()


def test_migrations_go_down_and_up_again(library_url: str) -> None:
    engine = create_engine(library_url)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "base")
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
            command.check(alembic_config(connection))
    finally:
        engine.dispose()


def test_an_older_sqlite_library_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.execute(
            text(
                "INSERT INTO element (id, kind, name, body, keywords, filter_terms, "
                "content_hash, notes, curated, created_at, updated_at) VALUES (1, 'system', "
                "'kept', 'old words', '', '', 'h', '', 0, '2026-01-01 00:00:00', "
                "'2026-01-01 00:00:00')"
            )
        )
    engine.dispose()
    library = Library.open(f"sqlite:///{path}", seed=False)
    try:
        assert library.backup_path == str(tmp_path / "library.sqlite3.bak-0001")
        assert [hit.name for hit in library.search("old")] == ["kept"]
    finally:
        library.close()
    backup = sqlite3.connect(tmp_path / "library.sqlite3.bak-0001")
    try:
        assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    finally:
        backup.close()


def test_a_database_from_a_newer_modelarium_is_refused(library_url: str) -> None:
    engine = create_engine(library_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(DatabaseTooNew, match="newer Modelarium"):
        Library.open(library_url)


def test_a_database_with_foreign_tables_is_refused(
    engine_name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = fresh_url(engine_name, request, tmp_path, seeded=False)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(NotALibrary, match="invoices"):
        Library.open(url)


def test_a_corrupted_sqlite_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(CorruptDatabase, match="not a SQLite database"):
        Library.open(f"sqlite:///{path}")
    assert path.read_bytes() == b"this is not a database at all" * 100
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library.sqlite3"]


def test_a_damaged_sqlite_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    Library.open(f"sqlite:///{path}").close()
    data = bytearray(path.read_bytes())
    data[4096 * 2 : 4096 * 6] = b"\xff" * (4096 * 4)
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptDatabase, match="corrupted"):
        Library.open(f"sqlite:///{path}")
    assert path.read_bytes() == bytes(data)


@pytest.mark.parametrize(
    "url",
    [
        "mysql://me@localhost/lib",
        "sqlite+aiosqlite:///x.db",
        "postgresql+asyncpg://h/db",
        "not a url",
    ],
)
def test_unknown_schemes_are_refused(url: str) -> None:
    with pytest.raises(UnsupportedDatabaseURL, match="not"):
        Library.open(url)


def test_wrong_password_is_reported_without_leaking_it(postgres_server: PostgresServer) -> None:
    url = postgres_server.url("postgres", password="wrong-secret")
    with pytest.raises(DatabaseUnavailable, match="password authentication failed") as caught:
        Library.open(url)
    assert "wrong-secret" not in str(caught.value)
    assert f"127.0.0.1:{postgres_server.port}/postgres" in str(caught.value)


def test_an_unreachable_server_is_reported() -> None:
    from tests.integration.store.postgres_server import free_port

    port = free_port()
    with pytest.raises(DatabaseUnavailable, match=f"127.0.0.1:{port}/lib.*refused"):
        Library.open(f"postgresql://me:pw@127.0.0.1:{port}/lib")


def test_a_missing_database_is_reported(postgres_server: PostgresServer) -> None:
    with pytest.raises(DatabaseUnavailable, match="does not exist"):
        Library.open(postgres_server.url("no_such_database"))


def test_the_default_library_lives_in_the_data_folder(tmp_path: Path) -> None:
    from modelarium import locations

    library = Library.open()
    try:
        assert library.dialect == "sqlite"
        assert locations.default_database_path().exists()
        journal = sqlite3.connect(locations.default_database_path())
        try:
            assert journal.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        finally:
            journal.close()
    finally:
        library.close()


def test_the_database_url_setting_is_honoured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "elsewhere.sqlite3"
    monkeypatch.setenv("MODELARIUM_DATABASE_URL", f"sqlite:///{path}")
    Library.open(seed=False).close()
    assert path.exists()


def test_reseeding_adds_new_records_only(library: Library) -> None:
    [mine] = library.add_elements(
        [NewElement(Element(ElementKind.SYSTEM, value="Mine."), "mine", (Tag("free", "own"),))]
    )
    before = library.count_elements()
    records = load_records()
    extra = records[0].__class__(
        key="test-new-record",
        family="llama",
        model="llama9:1b",
        use_case="code",
        kind="system",
        values="You write Llama 9 code.",
        source_type="vendor-card",
        source_where="https://example.invalid/card",
        retrieved="2026-12",
        confidence="stated",
        note="",
    )
    with library.writing() as session:
        assert apply_seed(session, records) == 0
        assert apply_seed(session, [*records, extra]) == 1
        assert apply_seed(session, [*records, extra]) == 0
    assert library.count_elements() == before + 1
    [hit] = library.search("llama 9 code", kinds=["system"])
    assert library.get_element(hit.id).curated
    assert library.get_element(mine.id) == mine


def test_db_copy_moves_everything_between_engines(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_server: PostgresServer
) -> None:
    sqlite_url = fresh_url("sqlite", request, tmp_path)
    postgres_url = fresh_url("postgresql", request, tmp_path, seeded=False)
    source = Library.open(sqlite_url)
    source.import_modelfile_text("FROM m\nSYSTEM copied across\n", "travelling", dry_run=False)
    source.save_draft("draft ✓", name="unsaved", origin="new")
    source.close()
    report = copy_library(sqlite_url, postgres_url)
    assert report.report.modelfiles_added == ("travelling",)
    assert report.report.drafts_added == ("unsaved",)
    again = copy_library(sqlite_url, postgres_url)
    assert not again.report.changed
    back_url = fresh_url("sqlite", request, tmp_path, seeded=False)
    copy_library(postgres_url, back_url)
    original, copied = Library.open(sqlite_url), Library.open(back_url)
    try:
        assert copied.count_elements() == original.count_elements()
        assert [m.name for m in copied.list_modelfiles()] == ["travelling"]
        assert (
            copied.modelfile_text(copied.list_modelfiles()[0].id)
            == "FROM m\nSYSTEM copied across\n"
        )
        assert [d.text for d in copied.list_drafts()] == ["draft ✓"]
        assert parity_view(copied, "copied") == parity_view(original, "copied")
    finally:
        original.close()
        copied.close()


def test_head_revision_is_the_trials_migration() -> None:
    assert head_revision() == "0004"


def test_a_role_without_create_rights_gets_a_clear_message(
    postgres_server: PostgresServer,
) -> None:
    from modelarium.store import StoreError

    postgres_server.execute(
        "DO $$ BEGIN CREATE ROLE limited_user LOGIN PASSWORD 'limited'; "
        "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    )
    url = postgres_server.new_database(from_template=False)
    limited = url.replace("postgres:modelarium-test-password@", "limited_user:limited@")
    with pytest.raises(StoreError, match="cannot create or upgrade the library schema"):
        Library.open(limited)


def test_sqlite_never_imports_psycopg(tmp_path: Path) -> None:
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'lib.sqlite3'}"
    script = (
        "import sys\n"
        "from modelarium.store import Library\n"
        f"Library.open({url!r}, seed=False).close()\n"
        "print('psycopg' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"


def test_both_engines_choose_the_same_hits_when_matches_overflow_the_window(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_server: PostgresServer
) -> None:
    many = [
        NewElement(
            Element(ElementKind.SYSTEM, value=f"Answer in the voice of a walrus, variant {n}."),
            f"walrus voice {n}" if n % 3 == 0 else f"sea creature {n}",
        )
        for n in range(260)
    ]
    libraries = [
        Library.open(fresh_url("sqlite", request, tmp_path)),
        Library.open(fresh_url("postgresql", request, tmp_path)),
    ]
    try:
        for library in libraries:
            library.add_elements(many)
        views = [
            [(hit.name, hit.score, hit.snippet) for hit in library.search("walrus", limit=20)]
            for library in libraries
        ]
        assert views[0] == views[1]
        assert all(name.startswith("walrus voice") for name, _score, _snippet in views[0])
        filtered = [
            [hit.name for hit in library.search("variant", kinds=["system"], limit=30)]
            for library in libraries
        ]
        assert filtered[0] == filtered[1] and len(filtered[0]) == 30
    finally:
        for library in libraries:
            library.close()


def test_a_postgresql_url_without_the_driver_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """psycopg is the optional [postgres] extra: without it, one line says what to install."""
    import importlib.util

    from modelarium.store.engine import parse_url
    from modelarium.store.errors import UnsupportedDatabaseURL

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *rest: None if name == "psycopg" else real_find_spec(name, *rest),
    )
    with pytest.raises(UnsupportedDatabaseURL, match=r"modelarium-tui\[postgres\]"):
        parse_url("postgresql://me@db.example/modelarium")
    assert str(parse_url("sqlite:///x.db")) == "sqlite:///x.db"


def test_tags_that_share_a_filter_token_are_told_apart_on_both_engines(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_server: PostgresServer
) -> None:
    """Filter tokens keep letters and digits only, so `deepseek-r1` and `deepseekr1` share
    one: the exact tag check must stay for them, and both engines keep it, for a listing, a
    full-text search and a typo search alike; a tag whose token is its own needs no check."""
    data = [
        NewElement(
            Element(ElementKind.SYSTEM, value=f"Reason step by step, variant {family}."),
            f"reasoning prompt {family}",
            (Tag("family", family), Tag("use_case", "thinking")),
        )
        for family in ("deepseek-r1", "deepseekr1", "qwen")
    ]
    libraries = [
        Library.open(fresh_url("sqlite", request, tmp_path)),
        Library.open(fresh_url("postgresql", request, tmp_path)),
    ]
    try:
        for library in libraries:
            library.add_elements(data)
        for query in ("", "reason", "reasonng"):
            for family, expected in (
                ("deepseek-r1", ["reasoning prompt deepseek-r1"]),
                ("deepseekr1", ["reasoning prompt deepseekr1"]),
                ("qwen", ["reasoning prompt qwen"]),
            ):
                views = [
                    sorted(
                        hit.name
                        for hit in library.search(query, family=family, use_case="thinking")
                    )
                    for library in libraries
                ]
                assert views[0] == views[1] == expected, (query, family, views)
    finally:
        for library in libraries:
            library.close()


def test_typo_search_without_pg_trgm_finds_what_sqlite_finds(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    postgres_server: PostgresServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server without the pg_trgm extension: typo candidates come from names containing a
    piece of the words (no index), and the hits are still those of SQLite."""
    from modelarium.store.search import PostgresSearch

    monkeypatch.setattr(PostgresSearch, "trigrams_available", lambda self, session: False)
    sqlite_library = Library.open(fresh_url("sqlite", request, tmp_path))
    postgres_library = Library.open(fresh_url("postgresql", request, tmp_path))
    try:
        for library in (sqlite_library, postgres_library):
            library.add_elements(PARITY_DATA)
        for query in ("grnite", "toools", "pirte", "custm chat"):
            view = parity_view(sqlite_library, query)
            assert view == parity_view(postgres_library, query), query
            assert view, query
    finally:
        sqlite_library.close()
        postgres_library.close()
