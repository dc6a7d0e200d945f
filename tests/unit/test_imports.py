"""The import contract: the core stays pure, layers import downward, headless code never loads
Textual. The same contract runs in `.ci/run`; these tests also prove it can fail."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

HEADLESS_PACKAGES = (
    "modelarium.modelfile",
    "modelarium.ollama",
    "modelarium.demo",
    "modelarium.store",
    "modelarium.config",
)


def run_contract(root: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports with the project's contract over the package found under `root`."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def lint_imports() -> Path:
    if not LINT_IMPORTS.exists():
        pytest.skip(f"lint-imports is not installed beside {sys.executable} (dev extra)")
    return LINT_IMPORTS


def test_the_contract_holds(lint_imports: Path) -> None:
    result = run_contract(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_wrong_import_in_the_core_breaks_the_contract(lint_imports: Path, tmp_path: Path) -> None:
    shutil.copytree(
        ROOT / "modelarium",
        tmp_path / "modelarium",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    render = tmp_path / "modelarium" / "modelfile" / "render.py"
    render.write_text(
        render.read_text(encoding="utf-8") + "\nimport httpx  # noqa\n", encoding="utf-8"
    )
    result = run_contract(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "modelarium.modelfile.render -> httpx" in result.stdout


@pytest.mark.parametrize("package", HEADLESS_PACKAGES)
def test_headless_packages_never_load_textual(package: str) -> None:
    """Import every module of a headless package in a fresh interpreter."""
    script = (
        "import importlib, pkgutil, sys\n"
        f"pkg = importlib.import_module({package!r})\n"
        "for info in pkgutil.walk_packages(getattr(pkg, '__path__', []), pkg.__name__ + '.'):\n"
        "    if '.migrations' not in info.name:  # Alembic runs those itself\n"
        "        importlib.import_module(info.name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(len(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0", f"{package} loads Textual"
