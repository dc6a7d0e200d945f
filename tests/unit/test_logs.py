"""Logging: --log and $MODELARIUM_LOG choose the file, the state folder is the default, old
logs rotate, and no token, URL password or token query value is ever written."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from modelarium import logs
from modelarium.cli import main


@pytest.fixture(autouse=True)
def reset_logger() -> Iterator[None]:
    yield
    logger = logging.getLogger("modelarium")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def flush() -> None:
    for handler in logging.getLogger("modelarium").handlers:
        handler.flush()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Bearer abc.def-123", "Authorization: Bearer ***"),
        ("https://me:s3cret@gpu-box/ollama", "https://me:***@gpu-box/ollama"),
        ("http://127.0.0.1:8000/?token=s3cret&x=1", "http://127.0.0.1:8000/?token=***&x=1"),
        ("HostConfig(token='s3cret')", "HostConfig(token='***')"),
        ("nothing secret here: 11434", "nothing secret here: 11434"),
    ],
)
def test_secrets_are_blanked(text: str, expected: str) -> None:
    assert logs.redact(text) == expected


def test_the_default_log_lives_in_the_state_folder(tmp_path: Path) -> None:
    path = logs.configure()
    assert path is not None
    assert path.parent.name == "state" and path.name == "modelarium.log"
    logging.getLogger("modelarium.ollama.client").info("demo: POST /api/copy with Bearer xyz")
    flush()
    assert path.read_text(encoding="utf-8").endswith(
        "INFO modelarium.ollama.client: demo: POST /api/copy with Bearer ***\n"
    )


def test_the_environment_and_the_option_choose_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODELARIUM_LOG", str(tmp_path / "env.log"))
    assert logs.configure() == tmp_path / "env.log"
    assert logs.configure(tmp_path / "option.log") == tmp_path / "option.log"


def test_a_large_log_rotates_at_start(tmp_path: Path) -> None:
    log = tmp_path / "m.log"
    for index in (3, 2, 1):
        (tmp_path / f"m.log.{index}").write_text(f"old {index}", encoding="utf-8")
    log.write_text("x" * 2_000_000, encoding="utf-8")
    logs.configure(log)
    assert not log.exists() or log.stat().st_size == 0
    assert (tmp_path / "m.log.1").stat().st_size == 2_000_000
    assert (tmp_path / "m.log.2").read_text(encoding="utf-8") == "old 1"
    assert (tmp_path / "m.log.3").read_text(encoding="utf-8") == "old 2"


def test_a_command_logs_what_it_changes_on_a_host(tmp_path: Path) -> None:
    log = tmp_path / "cli.log"
    assert main(["--log", str(log), "--verbose", "--demo", "models", "copy",
                 "llama3.2:3b", "mine:latest"]) == 0  # fmt: skip
    flush()
    text = log.read_text(encoding="utf-8")
    assert "demo: POST /api/copy llama3.2:3b" in text


def test_an_unwritable_log_leaves_the_command_working(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert logs.configure(blocker / "sub" / "m.log") is None
    assert main(["--log", str(blocker / "sub" / "m.log"), "config", "path"]) == 0


async def test_host_state_changes_are_logged(tmp_path: Path) -> None:
    from modelarium.config import HostConfig
    from modelarium.ollama.hosts import HostPool

    log = logs.configure(tmp_path / "pool.log")
    assert log is not None
    async with HostPool([HostConfig("nowhere", "http://127.0.0.1:9")], timeout=1) as pool:
        await pool.check_all()
    flush()
    assert "host nowhere (http://127.0.0.1:9) is down" in log.read_text(encoding="utf-8")
