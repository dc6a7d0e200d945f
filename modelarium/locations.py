"""Where Modelarium keeps its files (XDG via platformdirs; overridable for tests and scripts)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path, user_state_path

APP_NAME = "modelarium"


def config_file() -> Path:
    """The TOML settings file: `$MODELARIUM_CONFIG`, else the XDG config folder's config.toml."""
    override = os.environ.get("MODELARIUM_CONFIG")
    if override:
        return Path(override).expanduser()
    return user_config_path(APP_NAME) / "config.toml"


def data_dir() -> Path:
    """The data folder (SQLite library, drafts): `$MODELARIUM_DATA_DIR`, else XDG data."""
    override = os.environ.get("MODELARIUM_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return user_data_path(APP_NAME)


def default_database_path() -> Path:
    """The SQLite library used when no database URL is configured."""
    return data_dir() / "library.sqlite3"


def state_dir() -> Path:
    """The state folder (log files, crash reports): `$MODELARIUM_STATE_DIR`, else XDG state."""
    override = os.environ.get("MODELARIUM_STATE_DIR")
    if override:
        return Path(override).expanduser()
    return user_state_path(APP_NAME)
