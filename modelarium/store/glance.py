"""A glance at a SQLite library without the database layer: how many drafts it holds.

The editor offers the drafts an earlier session left as soon as the app has started. Asking
`Library` would load SQLAlchemy (~20 MB) and migrate and seed the library at idle, before
anyone asked for it; the standard library's `sqlite3` reads the one count in a read-only
connection instead. Anything else — a PostgreSQL library, no file yet, a file this cannot
read — answers None, and the caller asks the library itself.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

SQLITE_PREFIXES = ("sqlite:///", "sqlite+pysqlite:///")


def sqlite_file(url: str | None) -> Path | None:
    """The SQLite file a library URL names (the configured one, else the default, when `url`
    is None), or None for any other database or an in-memory one."""
    # Deferred (start-up): the settings are read only when the glance is taken.
    from modelarium import locations
    from modelarium.config import load_settings

    resolved = url or load_settings().database_url
    if not resolved:
        return locations.default_database_path()
    for prefix in SQLITE_PREFIXES:
        if resolved.startswith(prefix):
            database = resolved[len(prefix) :].split("?", 1)[0]
            if not database or database == ":memory:" or database.startswith("file:"):
                return None
            try:
                return Path(database).expanduser()
            except RuntimeError:
                return None
    return None


def drafts_waiting(url: str | None) -> int | None:
    """How many drafts the SQLite library at `url` holds: 0 when its file does not exist yet,
    None when this cannot tell (then ask `Library.list_drafts`)."""
    try:
        path = sqlite_file(url)
    except Exception:  # unreadable settings: the library's own opening reports them
        return None
    if path is None:
        return None
    if not path.exists():
        return 0
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1.0)
        try:
            row = connection.execute("SELECT count(*) FROM modelfile WHERE is_draft = 1").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return int(row[0]) if row is not None else None
