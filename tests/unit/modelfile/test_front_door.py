"""The core's front door: `modelarium.modelfile` exports the public API, loads it lazily, and a
submodule named like a function never replaces the function on the package."""

from __future__ import annotations

import importlib
import subprocess
import sys

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
