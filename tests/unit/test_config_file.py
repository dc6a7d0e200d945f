"""Saving settings: tomlkit keeps every comment and the layout; bad values never reach the
disk; a file with a token is readable by its owner alone."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from modelarium.cli import main
from modelarium.config import ConfigError, HostConfig, load_settings
from modelarium.config_file import (
    add_host,
    get_value,
    move_host,
    remove_host,
    replace_host,
    set_value,
)

ORIGINAL = """\
# My Modelarium settings.
theme = "modelarium-dark"   # the dark one, for now

clipboard = "osc52"  # I work over SSH

# Hosts, best first.
[[hosts]]
name = "laptop"   # this machine
url = "127.0.0.1"

[[hosts]]
name = "gpu-box"
url = "http://gpu-box:11434"
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(ORIGINAL, encoding="utf-8")
    path.chmod(0o644)
    return path


def test_setting_the_theme_changes_one_value_and_keeps_the_rest(config: Path) -> None:
    settings = set_value("theme", "modelarium-light", config)
    assert settings.theme == "modelarium-light"
    assert config.read_text(encoding="utf-8") == ORIGINAL.replace(
        'theme = "modelarium-dark"', 'theme = "modelarium-light"'
    )


def test_a_new_setting_on_a_fresh_machine(tmp_path: Path) -> None:
    path = tmp_path / "folder" / "config.toml"
    set_value("request_timeout", 4.5, path)
    assert load_settings(path, environ={}).request_timeout == 4.5
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_bad_value_is_refused_and_the_file_is_untouched(config: Path) -> None:
    with pytest.raises(ConfigError, match="clipboard"):
        set_value("clipboard", "carrier-pigeon", config)
    with pytest.raises(ConfigError, match="unknown setting"):
        set_value("colour", "red", config)
    assert config.read_text(encoding="utf-8") == ORIGINAL


def test_unset_returns_to_the_default(config: Path) -> None:
    assert set_value("clipboard", None, config).clipboard == "auto"
    assert "# I work over SSH" not in config.read_text(encoding="utf-8")
    assert "# Hosts, best first." in config.read_text(encoding="utf-8")


def test_hosts_are_added_edited_reordered_and_removed(config: Path) -> None:
    settings = add_host(HostConfig("spare", "http://spare:11434"), config)
    assert [h.name for h in settings.hosts] == ["laptop", "gpu-box", "spare"]
    settings = move_host(2, 0, config)
    assert [h.name for h in settings.hosts] == ["spare", "laptop", "gpu-box"]
    settings = replace_host(2, HostConfig("gpu", "https://gpu.example/ollama"), config)
    assert settings.hosts[2] == HostConfig("gpu", "https://gpu.example/ollama")
    settings = remove_host(0, config)
    assert [h.name for h in settings.hosts] == ["laptop", "gpu"]
    text = config.read_text(encoding="utf-8")
    assert text.startswith("# My Modelarium settings.\n")
    assert 'name = "laptop"   # this machine' in text
    with pytest.raises(ConfigError, match="no host number 9"):
        remove_host(8, config)


def test_a_token_makes_the_file_owner_only(config: Path) -> None:
    assert stat.S_IMODE(config.stat().st_mode) & 0o044  # group or others may read it
    add_host(HostConfig("secure", "https://secure.example", token="s3cret"), config)
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert not stat.S_IMODE(config.stat().st_mode) & 0o044
    assert load_settings(config, environ={}).hosts[-1].token == "s3cret"


def test_get_applies_defaults(config: Path) -> None:
    assert get_value("clipboard", config) == "osc52"
    assert get_value("request_timeout", config) == 10.0


def test_the_config_command(
    config: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MODELARIUM_CONFIG", str(config))
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(config)
    assert main(["config", "set", "theme", "textual-light"]) == 0
    assert "textual-light" in capsys.readouterr().out
    assert main(["config", "get", "theme"]) == 0
    assert capsys.readouterr().out == "textual-light\n"
    assert main(["config", "get", "hosts", "--json"]) == 0
    assert capsys.readouterr().out.strip() == (
        '[{"name": "laptop", "url": "127.0.0.1"}, '
        '{"name": "gpu-box", "url": "http://gpu-box:11434"}]'
    )
    assert main(["config", "set", "request_timeout", "soon"]) == 1
    assert "not a number" in capsys.readouterr().err
    assert main(["config", "set", "clipboard", "--unset"]) == 0
    assert "# Hosts, best first." in config.read_text(encoding="utf-8")
