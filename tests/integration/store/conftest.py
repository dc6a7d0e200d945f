"""Store fixtures: one contract suite over SQLite and a real PostgreSQL server.

`library_url` is parametrised over both engines and yields a fresh, migrated and seeded
database per test (a copied SQLite file, or a PostgreSQL database cloned from a template).
The PostgreSQL half is skipped, with the reason, where no server can be started (no driver,
binaries, `runuser` as root, or a start that fails).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from modelarium.store import Library
from tests.integration.store.postgres_server import PostgresServer, start_or_skip

ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole session, with a seeded template database (skipped,
    with the reason, where no server can be started)."""
    server = start_or_skip()
    try:
        server.create_template()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, seeded SQLite library that tests copy."""
    path = tmp_path_factory.mktemp("sqlite-template") / "library.sqlite3"
    Library.open(f"sqlite:///{path}").close()
    return path


def fresh_url(
    engine: str, request: pytest.FixtureRequest, tmp_path: Path, *, seeded: bool = True
) -> str:
    """A URL to a fresh database of `engine` (seeded library, or empty)."""
    if engine == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgres_server")
        return server.new_database(from_template=seeded)
    target = tmp_path / f"library-{len(list(tmp_path.iterdir()))}.sqlite3"
    if seeded:
        template: Path = request.getfixturevalue("sqlite_template")
        shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    """The engine under test."""
    name: str = request.param
    return name


@pytest.fixture
def library_url(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh seeded library database of the engine under test."""
    return fresh_url(engine_name, request, tmp_path)


@pytest.fixture
def library(library_url: str) -> Iterator[Library]:
    """The library on a fresh seeded database of the engine under test."""
    opened = Library.open(library_url)
    try:
        yield opened
    finally:
        opened.close()
