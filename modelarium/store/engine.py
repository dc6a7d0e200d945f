"""Engines, URL checks, schema migration on start, and what lets many processes share one
library.

SQLite (default, in the data folder) gets WAL, foreign keys and a busy timeout on every
connection; its transactions are begun by SQLAlchemy (the driver's own implicit BEGIN is off),
a write transaction with `BEGIN IMMEDIATE` so it waits for the write lock up front instead of
failing with `database is locked` when it upgrades from reading. PostgreSQL is reached through
psycopg 3, which is imported only when a URL names it; its write transactions queue on a
transaction-scoped advisory lock. Migration and first seeding run under `schema_lock`: a lock
file beside the SQLite file, or a session advisory lock on PostgreSQL.

Alembic (a large share of the store's imports) loads only when a migration is due: an
up-to-date library is recognised by one query against `alembic_version`, compared with
`HEAD_REVISION`.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.pool import StaticPool

from modelarium import locations
from modelarium.config import load_settings
from modelarium.store.errors import (
    CorruptDatabase,
    DatabaseTooNew,
    DatabaseUnavailable,
    NotALibrary,
    StoreError,
    UnsupportedDatabaseURL,
)

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
WRITE_TRANSACTION = "modelarium_write"
"""Execution option marking a connection whose next transaction will write: on SQLite it
begins with `BEGIN IMMEDIATE` (see `_begin_sqlite`)."""
SCHEMA_LOCK_KEY = 0x6D6F64656C617269
"""PostgreSQL advisory lock key held while the schema is migrated and the seed applied."""
HEAD_REVISION = "0004"
"""The newest migration in `migrations/versions` (a test checks it against Alembic's head),
known without importing Alembic, so that opening an up-to-date library does not."""
WRITE_LOCK_KEY = 0x6D6F64656C617270
"""PostgreSQL advisory lock key each write transaction takes, so writers queue as on SQLite."""


def resolve_url(url: str | None) -> str:
    """The URL to use: `url`, else the settings' `database_url`, else the default SQLite file."""
    if url:
        return url
    configured = load_settings().database_url
    if configured:
        return configured
    return f"sqlite:///{locations.default_database_path()}"


POSTGRES_EXTRA = "pip install 'modelarium-tui[postgres]'"


def require_postgres_driver() -> None:
    """Raise `UnsupportedDatabaseURL` naming the extra to install when psycopg is missing (it
    is the optional `[postgres]` extra; SQLite needs nothing)."""
    import importlib.util

    if importlib.util.find_spec("psycopg") is None:
        raise UnsupportedDatabaseURL(
            "a PostgreSQL library needs the psycopg driver, which is not installed: "
            f"{POSTGRES_EXTRA}"
        )


def parse_url(url: str) -> URL:
    """Parse and normalise `url` (PostgreSQL goes through psycopg 3); unknown schemes fail."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise UnsupportedDatabaseURL(
            f"database URL {url!r} is not a URL (expected sqlite:///PATH or "
            "postgresql://USER@HOST/DB)"
        ) from error
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.get_driver_name() not in ("", "pysqlite"):
            raise UnsupportedDatabaseURL(
                f"database URL scheme {parsed.drivername!r} is not supported; use sqlite:///PATH"
            )
        return parsed.set(drivername="sqlite")
    if backend in ("postgresql", "postgres"):
        if parsed.get_driver_name() not in ("", "psycopg"):
            raise UnsupportedDatabaseURL(
                f"database URL scheme {parsed.drivername!r} is not supported; PostgreSQL is "
                "reached through psycopg 3 (postgresql:// or postgresql+psycopg://)"
            )
        require_postgres_driver()
        return parsed.set(drivername="postgresql+psycopg")
    raise UnsupportedDatabaseURL(
        f"database URL scheme {parsed.drivername!r} is not supported; "
        "use sqlite:///PATH or postgresql://USER@HOST/DB"
    )


def display_url(url: URL) -> str:
    """The URL with its password hidden, for messages."""
    return url.render_as_string(hide_password=True)


def sqlite_path(url: URL) -> Path | None:
    """The database file of a SQLite URL (None for an in-memory database)."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    try:
        return Path(database).expanduser()
    except RuntimeError:  # `~user` of an unknown user: reported as a folder that is not there
        return Path(database)


def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    """Every SQLite connection: foreign keys on, wait for writers, WAL journal; the driver's
    implicit BEGIN off, so `_begin_sqlite` decides how each transaction starts."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_sqlite(connection: Connection) -> None:
    """Start a SQLite transaction: `BEGIN IMMEDIATE` for a write (it waits up to the busy
    timeout for other writers, and its reads see the data it then changes), `BEGIN` for a
    read (WAL readers never wait)."""
    write = connection.get_execution_options().get(WRITE_TRANSACTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def queue_writer(connection: Connection) -> None:
    """In a write transaction on PostgreSQL, wait for the other writers' transactions to end
    (`pg_advisory_xact_lock`, released at commit or rollback), so a check-then-insert never
    races another process; SQLite's `BEGIN IMMEDIATE` already does this."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that exists but is not a SQLite database (it is never overwritten)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise CorruptDatabase(f"{path}: cannot read the library file: {error}") from error
    if header != SQLITE_HEADER:
        raise CorruptDatabase(
            f"{path}: not a SQLite database (corrupted or another kind of file); "
            "it was left untouched — move it away or set MODELARIUM_DATABASE_URL"
        )
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise CorruptDatabase(
            f"{path}: the SQLite library is corrupted ({error}); it was left untouched"
        ) from error
    if result is None or result[0] != "ok":
        detail = result[0] if result else "no answer"
        raise CorruptDatabase(
            f"{path}: the SQLite library is corrupted ({detail}); it was left untouched"
        )


def prepare_sqlite_folder(path: Path) -> None:
    """Create the default data folder when needed; any other library's folder must exist.

    A mistyped `sqlite:////no/such/dir/x.db` is reported, and nothing is created for it."""
    folder = path.parent
    if path == locations.default_database_path():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                f"{folder}: cannot create the data folder: {_os_reason(error)}"
            ) from error
        return
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise StoreError(
            f"{path}: the library's folder {folder} {what}; create it, or fix the database URL"
        )


def _os_reason(error: OSError) -> str:
    return error.strerror or str(error)


def create_store_engine(url: URL) -> Engine:
    """An engine for `url` (already checked by `parse_url`)."""
    if url.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is None:
            engine = create_engine(
                url, poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        else:
            prepare_sqlite_folder(path)
            check_sqlite_file(path)
            engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 5, "application_name": "modelarium"},
    )


def connection_error(url: URL, error: DBAPIError) -> StoreError:
    """A one-line message for a failed connection, naming the server and database."""
    detail = [line.strip() for line in str(error.orig).strip().splitlines() if line.strip()]
    reason = detail[0] if detail else type(error.orig).__name__
    for line in detail:
        if "failed: " in line:
            reason = line.rsplit("failed: ", 1)[1]
            break
    reason = reason.removeprefix("FATAL:").strip()
    if url.get_backend_name() == "sqlite":
        return CorruptDatabase(f"{url.database}: cannot open the SQLite library: {reason}")
    where = f"{url.host or 'local socket'}:{url.port or 5432}/{url.database or ''}"
    return DatabaseUnavailable(
        f"cannot connect to PostgreSQL at {where} as {url.username or 'current user'}: {reason}"
    )


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations (and at `connection`, if given)."""
    from alembic.config import Config

    # Alembic's default output stream is the sys.stdout of the moment Alembic was imported,
    # which may have been replaced (and closed) since: pass the one in use now.
    config = Config(stdout=sys.stdout)
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration this version of Modelarium knows, as Alembic reads the migrations
    folder (`HEAD_REVISION` says the same without importing Alembic)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise StoreError("the packaged migrations have no head revision")
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (None for a database without the schema)."""
    from alembic.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def backup_sqlite(path: Path, revision: str) -> Path:
    """Copy the SQLite library aside (WAL included, via the backup API) before a migration."""
    target = path.with_name(f"{path.name}.bak-{revision}")
    source = sqlite3.connect(path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target


@contextmanager
def schema_lock(engine: Engine, url: URL) -> Iterator[None]:
    """Hold the library's cross-process lock while the schema is migrated and the seed is
    applied, so processes opening a fresh library at once do it one after the other (the
    others then find it done). SQLite: `flock` on `<file>.lock` beside the database (created
    once, never removed; the kernel releases it when a process dies). PostgreSQL: a session
    advisory lock on its own connection. An in-memory SQLite database needs none."""
    if url.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is None:
            yield
            return
        lock_path = path.with_name(path.name + ".lock")
        try:
            descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise StoreError(
                f"{lock_path}: cannot create the library's lock file: {_os_reason(error)}"
            ) from error
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)  # closing the only descriptor releases the lock
        return
    try:
        connection = engine.connect()
        connection.exec_driver_sql(f"SELECT pg_advisory_lock({SCHEMA_LOCK_KEY})")
        connection.commit()
    except DBAPIError as error:
        raise connection_error(url, error) from error
    try:
        yield
    finally:
        try:
            connection.exec_driver_sql(f"SELECT pg_advisory_unlock({SCHEMA_LOCK_KEY})")
            connection.commit()
        except DBAPIError:
            connection.invalidate()  # a dropped connection has released the lock already
        finally:
            connection.close()


def stored_revision(connection: Connection) -> str | None:
    """The revision in `alembic_version` by one query, without Alembic; None when the table is
    missing or holds no single row (then `migrate` asks Alembic)."""
    try:
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:
        return None  # no table yet (or the connection failed: Alembic's path reports it)
    finally:
        connection.rollback()  # end the read transaction either way
    return str(rows[0][0]) if len(rows) == 1 else None


def migrate(engine: Engine, url: URL) -> str | None:
    """Bring the schema to head; returns the backup path's text when one was made.

    Refuses a database whose revision this version does not know (made by a newer
    Modelarium) and a database with tables but no schema version (not a library). A library
    already at `HEAD_REVISION` costs one query, and Alembic is not imported.
    """
    where = display_url(url)
    try:
        with engine.connect() as connection:
            if stored_revision(connection) == HEAD_REVISION:
                return None
    except DBAPIError as error:
        raise connection_error(url, error) from error
    from alembic import command
    from alembic.script import ScriptDirectory

    head = head_revision()
    script = ScriptDirectory.from_config(alembic_config())
    try:
        with engine.connect() as connection:
            current = current_revision(connection)
            tables = set(inspect(connection).get_table_names())
    except DBAPIError as error:
        raise connection_error(url, error) from error
    if current == head:
        return None
    if current is not None:
        try:
            script.get_revision(current)
        except Exception as error:
            raise DatabaseTooNew(
                f"{where}: the library was written by a newer Modelarium (schema {current}, "
                f"this version knows up to {head}); upgrade Modelarium to open it"
            ) from error
    elif tables - {"alembic_version"}:
        raise NotALibrary(
            f"{where}: the database holds tables ({', '.join(sorted(tables)[:5])}) but no "
            "Modelarium schema version; use an empty database for the library"
        )
    backup: str | None = None
    path = sqlite_path(url) if url.get_backend_name() == "sqlite" else None
    if path is not None and current is not None:
        backup = str(backup_sqlite(path, current))
    try:
        with engine.connect() as connection:
            connection.execution_options(**{WRITE_TRANSACTION: True})
            with connection.begin():
                command.upgrade(alembic_config(connection), "head")
    except OperationalError as error:
        raise connection_error(url, error) from error
    except DBAPIError as error:
        first_line = str(error.orig).strip().splitlines()[0] if str(error.orig).strip() else ""
        raise StoreError(
            f"{where}: cannot create or upgrade the library schema: {first_line}"
            + (
                " (PostgreSQL: the role needs CREATE rights and the pg_trgm extension)"
                if url.get_backend_name() == "postgresql"
                else ""
            )
        ) from error
    return backup
