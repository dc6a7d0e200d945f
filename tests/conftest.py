"""Test-wide isolation: no test reads the user's config, library or Ollama host."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point config and data at a fresh folder and clear host/database variables."""
    home = tmp_path_factory.mktemp("modelarium-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MODELARIUM_CONFIG", str(home / "config.toml"))
        patch.setenv("MODELARIUM_DATA_DIR", str(home / "data"))
        patch.setenv("MODELARIUM_STATE_DIR", str(home / "state"))
        patch.delenv("MODELARIUM_LOG", raising=False)
        patch.delenv("MODELARIUM_DATABASE_URL", raising=False)
        patch.delenv("OLLAMA_HOST", raising=False)
        yield home


def load_oracle_cases() -> list[dict[str, Any]]:
    """The 176 cases whose expected output came from Ollama's real Go parser."""
    cases: list[dict[str, Any]] = json.loads(
        (FIXTURES / "parser_cases.json").read_text(encoding="utf-8")
    )
    return cases
