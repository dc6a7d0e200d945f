"""The import contract: the core stays pure, layers import downward, headless code never loads
Textual, no module takes part in an import cycle and every function-local import says why it
is deferred. The same contract runs in `.ci/run`; these tests also prove the checks can fail."""

from __future__ import annotations

import ast
import os
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
    "modelarium.knowledge",
    "modelarium.trials",
    "modelarium.logs",
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


def test_a_dialog_importing_a_pane_breaks_the_contract(lint_imports: Path, tmp_path: Path) -> None:
    """Shared dialogs import no pane, and panes import no other pane: a confirm dialog that
    reached into the Models pane, and a Library pane that reached into the editor, both fail."""
    shutil.copytree(
        ROOT / "modelarium",
        tmp_path / "modelarium",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    confirm = tmp_path / "modelarium" / "tui" / "dialogs" / "confirm.py"
    confirm.write_text(
        confirm.read_text(encoding="utf-8") + "\nimport modelarium.tui.models.rows  # noqa\n",
        encoding="utf-8",
    )
    library = tmp_path / "modelarium" / "tui" / "library" / "pane.py"
    library.write_text(
        library.read_text(encoding="utf-8") + "\nimport modelarium.tui.editor.compose  # noqa\n",
        encoding="utf-8",
    )
    result = run_contract(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "modelarium.tui.dialogs.confirm -> modelarium.tui.models.rows" in result.stdout
    assert "modelarium.tui.library.pane -> modelarium.tui.editor.compose" in result.stdout


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


def import_cycles(package: str = "modelarium") -> list[list[str]]:
    """Every import cycle among the package's modules: the strongly connected components (more
    than one module, or a module importing itself) of the graph of direct imports, counting
    function-local and TYPE_CHECKING imports too (grimp reads every import statement)."""
    import grimp

    graph = grimp.build_graph(package, cache_dir=None)
    edges = {
        module: sorted(
            imported
            for imported in graph.find_modules_directly_imported_by(module)
            if imported == package or imported.startswith(package + ".")
        )
        for module in sorted(graph.modules)
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for root in edges:
        if root in index:
            continue
        # Tarjan's algorithm, iteratively (the graph is deep enough to matter).
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = edges.get(node, [])
            if position < len(targets):
                work.append((node, position + 1))
                target = targets[position]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            for target in targets:
                if target in on_stack:
                    low[node] = min(low[node], low[target])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in targets:
                    cycles.append(sorted(component))
    return cycles


def test_no_import_cycle_anywhere() -> None:
    assert import_cycles() == []


def test_a_function_local_cycle_is_found(tmp_path: Path) -> None:
    """The check sees through an import hidden in a function body."""
    shutil.copytree(
        ROOT / "modelarium",
        tmp_path / "modelarium",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    plural = tmp_path / "modelarium" / "plural.py"
    plural.write_text(
        plural.read_text(encoding="utf-8")
        + "\n\ndef _hidden() -> None:\n    from modelarium.wording import human_bytes  # noqa\n",
        encoding="utf-8",
    )
    wording = tmp_path / "modelarium" / "wording.py"
    wording.write_text(
        wording.read_text(encoding="utf-8") + "\nimport modelarium.plural  # noqa\n",
        encoding="utf-8",
    )
    script = "from tests.unit.test_imports import import_cycles\nprint(import_cycles())\n"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={"PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[['modelarium.plural', 'modelarium.wording']]"


NOT_BEFORE_THE_FIRST_PAINT = (
    "modelarium.modelfile.parser",
    "modelarium.modelfile.document",
    "modelarium.tui.models.actions.compare",
    "modelarium.tui.models.actions.registry",
    "modelarium.store",
    "httpx",
)
"""Modules the app's start does not import: the Models pane's workflows (and the Modelfile
parser they pull in) load on their first key, the store and the HTTP client after the paint."""


def test_the_app_module_loads_no_workflow_parser_store_or_http_client() -> None:
    script = (
        "import sys\n"
        "import modelarium.tui.app\n"
        f"print(sorted(set({NOT_BEFORE_THE_FIRST_PAINT!r}) & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def _statement_lists(node: ast.AST) -> list[list[ast.stmt]]:
    lists = [
        value
        for field in ("body", "orelse", "finalbody")
        if isinstance(value := getattr(node, field, None), list)
        and value
        and isinstance(value[0], ast.stmt)
    ]
    lists.extend(handler.body for handler in getattr(node, "handlers", []) or [])
    return lists


def test_every_function_local_import_says_why() -> None:
    """A `from modelarium…` import inside a function defers loading (start-up) and says so in a
    comment on the line above its group of imports (or on its own line); nothing hides a
    cycle that way any more (test_no_import_cycle_anywhere)."""
    unexplained: list[str] = []
    for path in sorted((ROOT / "modelarium").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for function in ast.walk(ast.parse(source)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                for statements in _statement_lists(node):
                    group: list[ast.stmt] = []
                    for statement in [*statements, None]:
                        if isinstance(statement, ast.Import | ast.ImportFrom):
                            group.append(statement)
                            continue
                        ours = [
                            s
                            for s in group
                            if isinstance(s, ast.ImportFrom)
                            and s.level == 0
                            and (s.module or "").startswith("modelarium")
                        ]
                        if ours:
                            first = group[0].lineno
                            above = lines[first - 2].strip() if first >= 2 else ""
                            if not above.startswith("#") and "#" not in lines[first - 1]:
                                relative = path.relative_to(ROOT)
                                unexplained.append(f"{relative}:{ours[0].lineno}")
                        group = []
    assert unexplained == []
