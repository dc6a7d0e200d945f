"""The Dockerfile and compose.yaml: the app in web mode as a non-root user, PostgreSQL with a
health check and a named volume, the app waiting for a healthy database."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    logical: list[str] = []
    pending = ""
    for raw in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in logical]


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return data


def test_the_image_runs_web_mode_as_a_non_root_user() -> None:
    instructions = dockerfile_instructions()
    names = [name for name, _ in instructions]
    assert names[0] == "FROM" and instructions[0][1].startswith("python:3.11")
    user_at = names.index("USER")
    assert instructions[user_at][1] not in ("root", "0")
    assert names.index("CMD") > user_at
    command = json.loads(dict(instructions)["CMD"])
    assert command[:2] == ["modelarium", "web"]
    assert command[command.index("--port") + 1] == "8000"
    assert "8000" in dict(instructions)["EXPOSE"].split()
    assert "HEALTHCHECK" in names
    install = next(arguments for name, arguments in instructions if "pip install" in arguments)
    assert "[postgres,web]" in install


def test_compose_waits_for_a_healthy_database_with_a_named_volume() -> None:
    spec = compose()
    services = spec["services"]
    assert set(services) == {"db", "app"}
    database = services["db"]
    assert database["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(database["healthcheck"]["test"])
    volume, _, mount = database["volumes"][0].partition(":")
    assert volume in spec["volumes"]
    assert mount == "/var/lib/postgresql/data"

    app = services["app"]
    assert app["build"] == "."
    assert app["depends_on"] == {"db": {"condition": "service_healthy"}}
    environment = app["environment"]
    assert environment["MODELARIUM_DATABASE_URL"].startswith("postgresql://")
    assert "@db:5432/" in environment["MODELARIUM_DATABASE_URL"]
    assert "OLLAMA_HOST" in environment
    assert ":?" in environment["MODELARIUM_WEB_TOKEN"], "the token must be required"
    assert all(port.startswith("127.0.0.1:") for port in app["ports"])
    assert "healthcheck" in app


def compose_command() -> list[str] | None:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker"):
        probe = subprocess.run(
            ["docker", "compose", "version"], capture_output=True, text=True, check=False
        )
        if probe.returncode == 0:
            return ["docker", "compose"]
    return None


def test_docker_compose_accepts_the_file() -> None:
    command = compose_command()
    if command is None:
        pytest.skip("neither docker-compose nor the docker compose plugin is installed")
    result = subprocess.run(
        [*command, "-f", str(ROOT / "compose.yaml"), "config"],
        capture_output=True,
        text=True,
        env={"MODELARIUM_WEB_TOKEN": "t", "PATH": "/usr/local/bin:/usr/bin:/bin"},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"{shlex.join(command)} config: {result.stderr}"
    assert "service_healthy" in result.stdout
