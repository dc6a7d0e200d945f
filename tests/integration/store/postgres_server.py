"""A throwaway PostgreSQL server for the store tests, started from the installed binaries.

`initdb` refuses to run as root (as CI and these machines do), so as root the server runs as
the `postgres` system user through `runuser`. Its data folder and unix socket live in one
temporary folder owned by that user; it listens on a free TCP port on 127.0.0.1 only, with
fsync off (the data is disposable). Tests get a fresh database per test, cloned from a
template database that is already migrated and seeded (`CREATE DATABASE ... TEMPLATE`).
Where no server can run for any reason (no driver, no binaries, no `runuser`, a start that
fails), `start_or_skip` skips the tests with that reason.
"""

from __future__ import annotations

import contextlib
import glob
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

SUPERUSER = "postgres"
PASSWORD = "modelarium-test-password"
TEMPLATE_DATABASE = "modelarium_template"


def find_server_binaries() -> Path | None:
    """The bin folder holding initdb and pg_ctl (newest installed version), or None."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: (
            int(Path(path).parent.parent.name) if Path(path).parent.parent.name.isdigit() else 0
        ),
    )
    if candidates:
        return Path(candidates[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def skip_reason() -> str | None:
    """Why the PostgreSQL half cannot run here (None when it may: starting the server can
    still fail, which `start_or_skip` turns into a skip with the server's own reason)."""
    if importlib.util.find_spec("psycopg") is None:
        return (
            "the PostgreSQL driver psycopg is not installed; install the `postgres` extra to "
            "run the PostgreSQL half of the store tests"
        )
    bin_dir = find_server_binaries()
    if bin_dir is None or not all(
        os.access(bin_dir / name, os.X_OK) for name in ("initdb", "pg_ctl")
    ):
        return (
            "no PostgreSQL server binaries (initdb, pg_ctl) are installed; install Debian's "
            "`postgresql` package to run the PostgreSQL half of the store contract tests"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SUPERUSER)
        except KeyError:
            return "running as root but there is no `postgres` system user to run initdb as"
        if shutil.which("runuser") is None:
            return (
                "running as root, and `runuser` (util-linux) is not on PATH to run initdb as "
                "the `postgres` user"
            )
    return None


def start_or_skip(bin_dir: Path | None = None) -> PostgresServer:
    """A started server, or `pytest.skip` naming why none can run here: a missing driver,
    binaries, `runuser` or `postgres` user, or any failure while starting it (permissions,
    a port, shared memory, a timeout), with the first line of the server's reason."""
    import pytest

    reason = skip_reason()
    if reason is not None:
        pytest.skip(reason)
    found = bin_dir or find_server_binaries()
    assert found is not None
    server = PostgresServer(found)
    try:
        server.start()
    except RuntimeError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        pytest.skip(f"the PostgreSQL server could not be started here: {first_line}")
    return server


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class PostgresServer:
    """One running server; `start()`, then `new_database()` per test, `stop()` at the end."""

    bin_dir: Path
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="modelarium-pg-")))
    port: int = field(default_factory=free_port)
    settings: tuple[str, ...] = ()
    """Extra server settings (`name=value`), e.g. memory for the benchmark."""
    _numbers: count[int] = field(default_factory=lambda: count(1))
    started: bool = False

    @property
    def data_dir(self) -> Path:
        """The cluster's data folder."""
        return self.root / "data"

    def url(self, database: str, *, password: str = PASSWORD) -> str:
        """A SQLAlchemy URL for `database` over TCP on 127.0.0.1."""
        return f"postgresql+psycopg://{SUPERUSER}:{password}@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        argv = list(command)
        if os.geteuid() == 0:
            argv = ["runuser", "-u", SUPERUSER, "--", *argv]
        return subprocess.run(argv, check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        """initdb (password auth over TCP), then start the server and wait for it; any
        failure is a RuntimeError naming the cause (the temporary folder is removed)."""
        try:
            if os.geteuid() == 0:
                user = pwd.getpwnam(SUPERUSER)
                os.chown(self.root, user.pw_uid, user.pw_gid)
            password_file = self.root / "password"
            password_file.write_text(PASSWORD + "\n", encoding="utf-8")
            if os.geteuid() == 0:
                os.chown(password_file, pwd.getpwnam(SUPERUSER).pw_uid, -1)
        except (OSError, KeyError) as error:
            self.cleanup()
            raise RuntimeError(f"could not prepare {self.root} for PostgreSQL: {error}") from error
        try:
            self._run(
                str(self.bin_dir / "initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                SUPERUSER,
                "--pwfile",
                str(password_file),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            )
            options = (
                f"-k {self.root} -p {self.port} -h 127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
                + "".join(f" -c {setting}" for setting in self.settings)
            )
            self._run(
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.data_dir),
                "-o",
                options,
                "-l",
                str(self.root / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            )
        except subprocess.CalledProcessError as error:
            log = self.root / "server.log"
            try:
                tail = log.read_text(encoding="utf-8")[-2000:] if log.exists() else ""
            except OSError:
                tail = ""
            self.cleanup()
            detail = (error.stderr or str(error)).strip()
            raise RuntimeError(
                f"could not start PostgreSQL from {self.bin_dir}: {detail}\n{tail}"
            ) from error
        except (OSError, subprocess.SubprocessError) as error:
            self.cleanup()
            raise RuntimeError(
                f"could not start PostgreSQL from {self.bin_dir}: {error}"
            ) from error
        self.started = True

    def execute(self, sql: str, *, database: str = "postgres") -> None:
        """Run one statement in autocommit mode (CREATE/DROP DATABASE need it)."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=SUPERUSER,
            password=PASSWORD,
            dbname=database,
            autocommit=True,
        ) as connection:
            connection.execute(sql.encode())

    def create_template(self) -> None:
        """A migrated, seeded library database that every test database is cloned from."""
        from modelarium.store import Library

        self.execute(f"CREATE DATABASE {TEMPLATE_DATABASE}")
        Library.open(self.url(TEMPLATE_DATABASE)).close()

    def new_database(self, *, from_template: bool = True) -> str:
        """A fresh database (a seeded library clone, or empty); returns its URL."""
        name = f"modelarium_test_{next(self._numbers)}"
        template = f" TEMPLATE {TEMPLATE_DATABASE}" if from_template else ""
        self.execute(f"CREATE DATABASE {name}{template}")
        return self.url(name)

    def stop(self) -> None:
        """Stop the server immediately and remove its folder."""
        if self.started:
            with contextlib.suppress(subprocess.CalledProcessError):
                self._run(
                    str(self.bin_dir / "pg_ctl"),
                    "-D",
                    str(self.data_dir),
                    "-m",
                    "immediate",
                    "stop",
                )
            self.started = False
        self.cleanup()

    def cleanup(self) -> None:
        """Remove the temporary folder."""
        shutil.rmtree(self.root, ignore_errors=True)
