"""Changes to the settings file, written with tomlkit so the user's comments and layout stay.

Every change is checked by reading the new text back with `config.load_settings` before the
file is replaced (atomically): a bad value never reaches the disk. A file that holds a host
token is kept readable by its owner alone (0600); the file is made so when a token is written.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import AoT, Table
from tomlkit.toml_document import TOMLDocument

from modelarium import locations
from modelarium.config import ConfigError, HostConfig, Settings, load_settings
from modelarium.fileio import write_atomically

SCALAR_KEYS = ("database_url", "clipboard", "theme", "request_timeout")
"""Top-level settings `set_value` may change (hosts have their own functions)."""

OWNER_ONLY = 0o600


def read_document(path: Path) -> TOMLDocument:
    """The settings file as a tomlkit document (empty when the file does not exist)."""
    if not path.exists():
        return tomlkit.document()
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.TOMLKitError) as error:
        raise ConfigError(f"{path}: cannot read settings: {error}") from error


def get_value(key: str, path: Path | None = None) -> object:
    """The value `key` has once defaults apply (what the app uses), by its settings name."""
    if key not in (*SCALAR_KEYS, "hosts"):
        raise ConfigError(f"unknown setting {key!r}; known: {', '.join((*SCALAR_KEYS, 'hosts'))}")
    settings = load_settings(path, environ={})
    value: object = getattr(settings, key)
    return value


def parse_scalar(key: str, text: str) -> object:
    """A value typed on the command line, as the TOML type the key takes."""
    if key == "request_timeout":
        try:
            return float(text)
        except ValueError:
            raise ConfigError(f"request_timeout: {text!r} is not a number of seconds") from None
    return text


def set_value(key: str, value: object, path: Path | None = None) -> Settings:
    """Set one top-level setting (`None` removes it); returns the settings now in force."""
    if key not in SCALAR_KEYS:
        raise ConfigError(f"unknown setting {key!r}; known: {', '.join(SCALAR_KEYS)}")

    def change(document: TOMLDocument) -> None:
        if value is None:
            document.pop(key, None)
        else:
            document[key] = value

    return _update(change, path)


def host_tables(document: TOMLDocument) -> AoT:
    """The document's `[[hosts]]` array of tables, created empty when missing."""
    hosts = document.get("hosts")
    if hosts is None:
        hosts = tomlkit.aot()
        document.append("hosts", hosts)
    if not isinstance(hosts, AoT):
        raise ConfigError("hosts: must be an array of tables ([[hosts]])")
    return hosts


def _host_table(host: HostConfig) -> Table:
    table = tomlkit.table()
    table["name"] = host.name
    table["url"] = host.url
    if host.token:
        table["token"] = host.token
    if host.headers:
        table["headers"] = dict(host.headers)
    return table


def add_host(host: HostConfig, path: Path | None = None) -> Settings:
    """Append a host (lowest priority)."""
    return _update(lambda document: host_tables(document).append(_host_table(host)), path)


def replace_host(index: int, host: HostConfig, path: Path | None = None) -> Settings:
    """Change the host at `index`, keeping any other keys its table holds."""

    def change(document: TOMLDocument) -> None:
        table = _existing(host_tables(document), index)
        table["name"] = host.name
        table["url"] = host.url
        for key, value in (("token", host.token), ("headers", dict(host.headers))):
            if value:
                table[key] = value
            else:
                table.pop(key, None)

    return _update(change, path)


def remove_host(index: int, path: Path | None = None) -> Settings:
    """Remove the host at `index`."""

    def change(document: TOMLDocument) -> None:
        hosts = host_tables(document)
        _existing(hosts, index)
        del hosts[index]

    return _update(change, path)


def move_host(index: int, new_index: int, path: Path | None = None) -> Settings:
    """Move the host at `index` to `new_index` (priority order)."""

    def change(document: TOMLDocument) -> None:
        hosts = host_tables(document)
        tables = [_existing(hosts, i) for i in range(len(hosts))]
        if not 0 <= new_index < len(tables):
            raise ConfigError(f"hosts: there is no position {new_index + 1}")
        moved = tables.pop(index)
        tables.insert(new_index, moved)
        while len(hosts):
            del hosts[0]
        for table in tables:
            hosts.append(table)

    return _update(change, path)


def _existing(hosts: AoT, index: int) -> Table:
    if not 0 <= index < len(hosts):
        raise ConfigError(f"hosts: there is no host number {index + 1}")
    table: Table = hosts[index]
    return table


def _update(change: Callable[[TOMLDocument], Any], path: Path | None) -> Settings:
    """Apply `change` to the document, validate the result, then replace the file."""
    target = path or locations.config_file()
    document = read_document(target)
    change(document)
    text = tomlkit.dumps(document)
    with tempfile.TemporaryDirectory() as folder:
        trial = Path(folder) / "config.toml"
        trial.write_text(text, encoding="utf-8")
        settings = load_settings(trial, environ={})
    holds_token = any(host.token for host in settings.hosts)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, text.encode("utf-8"), mode=OWNER_ONLY if holds_token else None)
    return load_settings(target, environ={})
