"""Alembic environment for the library schema (shipped inside the package).

The application passes an open connection in `config.attributes["connection"]`; the `alembic`
command line (for development) uses `sqlalchemy.url` from its config, else the library URL
from the settings. The hand-written search objects are hidden from autogenerate.
"""

from __future__ import annotations

import warnings
from typing import Any

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SAWarning

from modelarium.store import trial_rows  # noqa: F401  (the trial tables join the metadata)
from modelarium.store.models import SEARCH_OBJECT_NAMES, Base

target_metadata = Base.metadata

# SQLite cannot reflect the hand-written lower(name) indexes; they are hidden anyway.
warnings.filterwarnings(
    "ignore",
    message="Skipped unsupported reflection of expression-based index ix_",
    category=SAWarning,
)


def include_object(
    schema_object: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Keep the search migration's tables, columns and indexes out of autogenerate and check."""
    return name not in SEARCH_OBJECT_NAMES


def run_with(connection: Connection) -> None:
    """Configure the migration context on `connection` and run the migrations."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run on the application's connection, or open one from the configured URL."""
    connection = context.config.attributes.get("connection")
    if isinstance(connection, Connection):
        run_with(connection)
        return
    # Deferred (command line): only `alembic upgrade` run by hand, without the app's
    # connection, needs the URL resolver; the app's own upgrade never reaches this line.
    from modelarium.store.engine import resolve_url

    url = context.config.get_main_option("sqlalchemy.url") or resolve_url(None)
    engine = create_engine(url)
    try:
        with engine.connect() as own_connection:
            run_with(own_connection)
            own_connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Modelarium migrations run online only (they branch on the dialect)")
run_migrations_online()
