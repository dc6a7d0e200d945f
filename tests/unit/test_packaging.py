"""The distribution: named modelarium-tui, one version, a LICENSE in the wheel, full metadata."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

import modelarium

ROOT = Path(__file__).resolve().parents[2]


def project() -> dict[str, object]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    table: dict[str, object] = data["project"]
    return table


def test_metadata_is_complete_and_the_version_has_one_source() -> None:
    meta = project()
    assert meta["name"] == "modelarium-tui"
    assert meta["dynamic"] == ["version"]
    assert meta["license"] == "MIT" and meta["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    classifiers = meta["classifiers"]
    assert isinstance(classifiers, list)
    assert "Environment :: Console" in classifiers
    assert "Programming Language :: Python :: 3.11" in classifiers
    assert meta["keywords"] and meta["authors"]
    extras = meta["optional-dependencies"]
    assert isinstance(extras, dict) and {"postgres", "web", "dev"} <= set(extras)
    dependencies = meta["dependencies"]
    assert isinstance(dependencies, list)
    assert not any(dep.startswith("psycopg") for dep in dependencies), "psycopg is an extra"
    assert modelarium.__version__.count(".") == 2


@pytest.mark.slow
def test_the_wheel_carries_the_license_and_the_styles(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0 and "No matching distribution" in result.stderr:
        pytest.skip("the build backend cannot be installed here (no package index)")
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("modelarium_tui-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = Parser().parsestr(
            archive.read(next(n for n in names if n.endswith("/METADATA"))).decode()
        )
    assert any(name.endswith("licenses/LICENSE") for name in names)
    assert "modelarium/styles/app.tcss" in names
    assert "modelarium/py.typed" in names
    assert metadata["Name"] == "modelarium-tui"
    assert metadata["Version"] == modelarium.__version__
    assert metadata["License-Expression"] == "MIT"
