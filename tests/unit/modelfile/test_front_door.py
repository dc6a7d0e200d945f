"""The core's front door: `modelarium.modelfile` exports the public API, loads it lazily, and a
submodule named like a function never replaces the function on the package."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import modelarium.modelfile as core


def test_every_exported_name_resolves() -> None:
    for name in core.__all__:
        assert getattr(core, name) is not None, name
    assert len(set(core.__all__)) == len(core.__all__)
    assert set(core.__all__) <= set(dir(core))


def test_functions_named_like_their_modules_stay_functions() -> None:
    for name in ("lint", "drift", "prompt_source"):
        module = importlib.import_module(f"modelarium.modelfile.{name}")
        assert getattr(core, name) is getattr(module, name), name
        assert sys.modules[f"modelarium.modelfile.{name}"] is module
    from modelarium.modelfile import lint

    assert lint is core.lint


def test_the_front_door_and_the_submodules_give_the_same_objects() -> None:
    from modelarium.modelfile.create import model_create
    from modelarium.modelfile.parser import scan

    assert core.scan is scan
    assert core.model_create is model_create


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        _ = core.no_such_name
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("an unknown name resolved")


def test_importing_the_package_loads_no_submodule() -> None:
    """Start-up: the package itself is a list of names until one is used."""
    script = (
        "import sys, modelarium.modelfile as m\n"
        "print(sorted(n for n in sys.modules if n.startswith('modelarium.modelfile.')))\n"
        "m.parse\n"
        "print('modelarium.modelfile.lint' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["[]", "False"]


def _front_door_source() -> ast.Module:
    return ast.parse(Path(core.__file__).read_text(encoding="utf-8"))


def test_the_export_list_the_homes_and_the_type_checking_imports_agree() -> None:
    """A name added to one of the three lists but not the others would either fail on first
    use or be invisible to mypy."""
    assert set(core._HOME_OF) == set(core.__all__)
    typed: dict[str, str] = {}
    for node in ast.walk(_front_door_source()):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(core.__name__ + "."):
            for alias in node.names:
                typed[alias.asname or alias.name] = (node.module or "").rsplit(".", 1)[1]
    assert typed == core._HOME_OF


GO_RUNTIME = "modelarium.modelfile.golang."
"""The Go runtime emulation is its own subpackage, imported by submodule (its docstring)."""

KNOWN_BACK_DOORS = {
    ("modelarium/demo/operations.py", "modelarium.modelfile.template"),
}
"""Imports left on a submodule on purpose: the demo host words a refused template as create
does (`template.create_error`, not part of the core's public API)."""


def test_callers_outside_the_core_come_in_by_the_front_door() -> None:
    """Every package below the TUI imports the core's public API from `modelarium.modelfile`,
    never from one of its submodules (the TUI is converted separately)."""
    root = Path(core.__file__).parents[1]
    back_doors: set[tuple[str, str]] = set()
    for package in ("cli", "ollama", "store", "demo", "knowledge", "trials"):
        for path in sorted((root / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                module = node.module if isinstance(node, ast.ImportFrom) else None
                if module is None or not module.startswith(core.__name__ + "."):
                    continue
                if module.startswith(GO_RUNTIME):
                    continue
                back_doors.add((path.relative_to(root.parent).as_posix(), module))
    assert back_doors == KNOWN_BACK_DOORS
