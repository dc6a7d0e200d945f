"""The PostgreSQL half of the store tests skips, with a reason, whenever no server can be
started here, for any reason, instead of erroring."""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import subprocess
from pathlib import Path
from typing import NoReturn

import pytest

from tests.integration.store import postgres_server
from tests.integration.store.postgres_server import PostgresServer, skip_reason, start_or_skip


@pytest.fixture
def fake_binaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Executable initdb and pg_ctl that are never run (each test decides what running does)."""
    for name in ("initdb", "pg_ctl"):
        program = tmp_path / name
        program.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
        program.chmod(0o755)
    monkeypatch.setattr(postgres_server, "find_server_binaries", lambda: tmp_path)
    return tmp_path


def _as_root_with_a_postgres_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(pwd, "getpwnam", lambda name: object())


def test_missing_binaries_are_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres_server, "find_server_binaries", lambda: None)
    reason = skip_reason()
    assert reason is not None and "no PostgreSQL server binaries" in reason


def test_root_without_runuser_is_a_reason(
    fake_binaries: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _as_root_with_a_postgres_user(monkeypatch)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    reason = skip_reason()
    assert reason is not None and "`runuser`" in reason


def test_root_without_a_postgres_user_is_a_reason(
    fake_binaries: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unknown(name: str) -> NoReturn:
        raise KeyError(name)

    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(pwd, "getpwnam", unknown)
    reason = skip_reason()
    assert reason is not None and "no `postgres` system user" in reason


def test_a_missing_driver_is_a_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    reason = skip_reason()
    assert reason is not None and "psycopg is not installed" in reason


@pytest.mark.parametrize(
    ("failure", "words"),
    [
        (
            subprocess.CalledProcessError(
                1, ["initdb"], stderr="initdb: could not access directory: Permission denied\n"
            ),
            "could not access directory: Permission denied",
        ),
        (FileNotFoundError(2, "No such file or directory", "runuser"), "runuser"),
        (PermissionError(13, "Permission denied", "/tmp/x"), "Permission denied"),
        (subprocess.TimeoutExpired(["pg_ctl"], 120), "timed out"),
    ],
    ids=["initdb-fails", "no-runuser", "no-permission", "timeout"],
)
def test_a_server_that_cannot_start_is_a_skip_with_its_reason(
    fake_binaries: Path, monkeypatch: pytest.MonkeyPatch, failure: Exception, words: str
) -> None:
    monkeypatch.setattr(postgres_server, "skip_reason", lambda: None)

    def fail(self: PostgresServer, *command: str) -> NoReturn:
        raise failure

    monkeypatch.setattr(PostgresServer, "_run", fail)
    with pytest.raises(pytest.skip.Exception) as skipped:
        start_or_skip()
    message = str(skipped.value)
    assert message.startswith("the PostgreSQL server could not be started here: ")
    assert words in message


def test_a_folder_the_server_user_cannot_own_is_a_skip(
    fake_binaries: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgres_server, "skip_reason", lambda: None)
    monkeypatch.setattr(os, "geteuid", lambda: 0)

    def refuse(*args: object) -> NoReturn:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(pwd, "getpwnam", lambda name: _User())
    monkeypatch.setattr(os, "chown", refuse)
    with pytest.raises(pytest.skip.Exception, match="Operation not permitted"):
        start_or_skip()


class _User:
    pw_uid = 12345
    pw_gid = 12345
