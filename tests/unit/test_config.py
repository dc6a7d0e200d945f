"""Settings: file + environment, defaults, and one clear message per bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from modelarium.config import ConfigError, HostConfig, effective_hosts, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "missing.toml", environ={})
    assert settings.hosts == ()
    assert settings.database_url is None
    assert settings.clipboard == "auto"
    assert settings.request_timeout == 10.0
    assert settings.source is None


def test_hosts_in_priority_order_with_secrets_kept_out_of_repr(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[hosts]]\nname = "gpu"\nurl = "http://gpu:11434"\ntoken = "s3cret"\n'
        'headers = { "X-Key" = "k" }\n\n[[hosts]]\nurl = "127.0.0.1:11434"\n',
    )
    settings = load_settings(path, environ={})
    assert [h.name for h in settings.hosts] == ["gpu", "127.0.0.1:11434"]
    assert settings.hosts[0].token == "s3cret"
    assert settings.hosts[0].headers == {"X-Key": "k"}
    assert "s3cret" not in repr(settings) and "X-Key" not in repr(settings)
    assert settings.source == path


def test_environment_database_url_wins(tmp_path: Path) -> None:
    path = write(tmp_path, 'database_url = "sqlite:///a.db"\n')
    env = {"MODELARIUM_DATABASE_URL": "postgresql://me@db/lib"}
    assert load_settings(path, environ=env).database_url == "postgresql://me@db/lib"
    assert load_settings(path, environ={}).database_url == "sqlite:///a.db"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("hosts = 3\n", "hosts"),
        ("[[hosts]]\nname = 'x'\n", "hosts[0]"),
        ("[[hosts]]\nurl = 'u'\nheaders = { a = 1 }\n", "hosts[0].headers"),
        ("[[hosts]]\nurl = 'u'\ntoken = 5\n", "hosts[0].token"),
        ("clipboard = 'magic'\n", "clipboard"),
        ("theme = 1\n", "theme"),
        ("request_timeout = 0\n", "request_timeout"),
        ("request_timeout = true\n", "request_timeout"),
        ("database_url = 1\n", "database_url"),
    ],
)
def test_bad_values_name_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={})
    assert str(caught.value).startswith(f"{path}: {key}")


def test_unreadable_toml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "hosts = [\n")
    with pytest.raises(ConfigError, match="cannot read settings"):
        load_settings(path, environ={})


def test_effective_hosts_order_of_precedence() -> None:
    configured = load_settings(Path("/nonexistent/config.toml"), environ={})
    assert effective_hosts(configured, environ={}) == (
        HostConfig("local", "http://127.0.0.1:11434"),
    )
    assert effective_hosts(configured, environ={"OLLAMA_HOST": " 'gpu:1234' "}) == (
        HostConfig("OLLAMA_HOST", "gpu:1234"),
    )


def test_configured_hosts_beat_ollama_host(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, "[[hosts]]\nurl = 'a:1'\n"), environ={})
    assert [h.url for h in effective_hosts(settings, environ={"OLLAMA_HOST": "b:2"})] == ["a:1"]
