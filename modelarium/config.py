"""User settings: read from TOML (tomllib), overridden by environment variables.

File (`locations.config_file()`):

    database_url = "postgresql://me@localhost/modelarium"   # optional; SQLite by default
    clipboard = "auto"            # auto | osc52 | system | off
    theme = "modelarium-dark"
    request_timeout = 10.0        # seconds, per Ollama request (connect and read)

    [[hosts]]                     # in priority order; the first healthy one serves reads
    name = "gpu-box"
    url = "http://gpu-box:11434"
    token = "..."                 # optional bearer token, never logged
    headers = { "X-Proxy-Key" = "..." }

Environment: `MODELARIUM_DATABASE_URL` overrides `database_url`; `OLLAMA_HOST` adds a host
named `OLLAMA_HOST` when no host is configured.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from modelarium import locations

ClipboardStrategy = Literal["auto", "osc52", "system", "off"]
CLIPBOARD_STRATEGIES: tuple[ClipboardStrategy, ...] = ("auto", "osc52", "system", "off")


class ConfigError(Exception):
    """The settings file cannot be read or holds a bad value; the message names file and key."""


@dataclass(frozen=True, slots=True)
class HostConfig:
    """One configured Ollama host as the user wrote it (ollama.hosts normalises the URL)."""

    name: str
    url: str
    token: str | None = field(default=None, repr=False)
    """Bearer token sent as `Authorization`; kept out of repr so it never reaches a log."""
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    """Extra request headers (e.g. for a reverse proxy); kept out of repr like the token."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable, with defaults that work on a fresh machine."""

    hosts: tuple[HostConfig, ...] = ()
    """Configured hosts in priority order (may be empty: see `effective_hosts`)."""
    database_url: str | None = None
    """SQLAlchemy URL of the library; None means SQLite in the data folder."""
    clipboard: ClipboardStrategy = "auto"
    """How copies reach the clipboard: auto (OSC 52 + local system), osc52, system, or off."""
    theme: str = "modelarium-dark"
    """The Textual theme name."""
    request_timeout: float = 10.0
    """Connect and read timeout for one Ollama request, in seconds."""
    source: Path | None = None
    """The file these settings came from, when one existed."""


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read settings from `path` (default: the XDG config file) and the environment."""
    env = os.environ if environ is None else environ
    config_path = path or locations.config_file()
    raw: dict[str, object] = {}
    source: Path | None = None
    if config_path.exists():
        import tomllib  # only with a settings file: a fresh start skips the import

        try:
            raw = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"{config_path}: cannot read settings: {error}") from error
        source = config_path

    def where(key: str) -> str:
        return f"{config_path}: {key}"

    hosts: list[HostConfig] = []
    raw_hosts = raw.get("hosts", [])
    if not isinstance(raw_hosts, list):
        raise ConfigError(f"{where('hosts')}: must be an array of tables ([[hosts]])")
    for index, entry in enumerate(raw_hosts):
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            raise ConfigError(f"{where(f'hosts[{index}]')}: needs a string `url`")
        headers = entry.get("headers", {})
        token = entry.get("token")
        if not isinstance(headers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
        ):
            raise ConfigError(f"{where(f'hosts[{index}].headers')}: must map strings to strings")
        if token is not None and not isinstance(token, str):
            raise ConfigError(f"{where(f'hosts[{index}].token')}: must be a string")
        name = entry.get("name") or entry["url"]
        hosts.append(HostConfig(str(name), entry["url"], token, dict(headers)))

    database_url = env.get("MODELARIUM_DATABASE_URL") or raw.get("database_url")
    if database_url is not None and not isinstance(database_url, str):
        raise ConfigError(f"{where('database_url')}: must be a string")

    clipboard = raw.get("clipboard", "auto")
    if clipboard not in CLIPBOARD_STRATEGIES:
        raise ConfigError(f"{where('clipboard')}: must be one of {', '.join(CLIPBOARD_STRATEGIES)}")
    theme = raw.get("theme", "modelarium-dark")
    if not isinstance(theme, str):
        raise ConfigError(f"{where('theme')}: must be a string")
    timeout = raw.get("request_timeout", 10.0)
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
        raise ConfigError(f"{where('request_timeout')}: must be a positive number of seconds")

    return Settings(
        hosts=tuple(hosts),
        database_url=database_url or None,
        clipboard=clipboard,
        theme=theme,
        request_timeout=float(timeout),
        source=source,
    )


def effective_hosts(
    settings: Settings, environ: Mapping[str, str] | None = None
) -> tuple[HostConfig, ...]:
    """Configured hosts; else `OLLAMA_HOST`; else Ollama's default 127.0.0.1:11434."""
    if settings.hosts:
        return settings.hosts
    env = os.environ if environ is None else environ
    ollama_host = env.get("OLLAMA_HOST", "").strip().strip("'\"")
    if ollama_host:
        return (HostConfig("OLLAMA_HOST", ollama_host),)
    return (HostConfig("local", "http://127.0.0.1:11434"),)
