"""The README and the docs say only what the repository can back.

- README's performance table is exactly what `benchmarks/run_all.py` renders from the figures
  the benchmarks recorded (`benchmarks/results.json`): every row measured, with median, range,
  date and load, and a missed target marked as missed; a row added since the figures were last
  taken says "not measured yet" and claims nothing.
- Every key in a key table of README.md or docs/*.md is bound in the key registry
  (`modelarium.tui.keys`), and every registered key of the app and its panes is in a table.
- Every relative link and every repository path named in README.md and docs/*.md exists;
  no document points at notes that are not in the repository.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

from benchmarks.results import ROWS, load_results
from benchmarks.run_all import BEGIN, END, render_table

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCUMENTS = [README, *sorted((ROOT / "docs").glob("*.md"))]


def _readme_table() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(BEGIN) + len(BEGIN)
    return text[start : text.index(END, start)].strip("\n")


# ---- performance figures --------------------------------------------------------------------


def test_the_readme_performance_table_is_the_recorded_figures() -> None:
    assert _readme_table() == render_table(load_results()), (
        "README.md's performance table differs from benchmarks/results.json: "
        "run `python benchmarks/run_all.py --table`"
    )


@pytest.mark.parametrize("row", ROWS, ids=[row.key for row in ROWS])
def test_every_row_is_measured_with_median_range_date_and_load(row: object) -> None:
    from benchmarks.results import Row

    assert isinstance(row, Row)
    assert (ROOT / row.script).is_file()
    figures = load_results().get(row.key)
    if figures is None:
        # A row added since the figures were last taken: README says so and claims nothing.
        line = next(x for x in _readme_table().splitlines() if x.startswith(f"| {row.what} |"))
        assert line.endswith("| not measured yet | — | — |"), f"{row.key}: never recorded"
        return
    assert figures["measured"].strip()
    assert figures["min"] <= figures["median"] <= figures["max"]
    assert figures["runs"] >= 3
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", figures["date"])
    assert figures["load"] >= 0 and figures["cores"] >= 1
    assert figures["met"] in (True, False, None)
    assert (figures["met"] is None) == (row.target == "—")


def test_a_missed_target_says_missed_and_a_met_one_says_met() -> None:
    results = load_results()
    lines = _readme_table().splitlines()[2:]
    assert len(lines) == len(ROWS)
    for row, line in zip(ROWS, lines, strict=True):
        verdict = line.rstrip(" |").split(" | ")[-2]
        met = results[row.key]["met"] if row.key in results else None  # None: not measured yet
        expected = {True: "met", False: "**missed**", None: "—"}[met]
        assert verdict == expected, row.key


def test_the_loaded_suite_runs_readmes_own_test_command() -> None:
    """The proof under load runs what CI runs: README's pytest line, workers and all."""
    import sys

    from benchmarks.suite_under_load import README, readme_pytest_command

    readme = README.read_text(encoding="utf-8")
    command = readme_pytest_command(readme)
    assert command[0] == sys.executable
    block = readme.split("<!-- test-command -->")[1].split("<!-- /test-command -->")[0]
    assert block.rstrip().removesuffix("```").rstrip().endswith(" ".join(command[1:]))
    assert " ".join(command[1:]).endswith("-p no:cacheprovider -n 3 --dist worksteal")


def test_a_terminated_loaded_run_ends_through_its_clean_up() -> None:
    """SIGTERM becomes SystemExit, so `run_once`'s `finally` stops the busy loops."""
    import os
    import signal

    from benchmarks.suite_under_load import exit_on_terminate

    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)
    try:
        exit_on_terminate()
        with pytest.raises(SystemExit) as leaving:
            os.kill(os.getpid(), signal.SIGTERM)
            signal.pause()  # the handler runs here at the latest
        assert leaving.value.code == 128 + signal.SIGTERM
    finally:
        signal.signal(signal.SIGTERM, before[0])
        signal.signal(signal.SIGHUP, before[1])


def test_start_up_is_measured_over_at_least_seven_interleaved_rounds() -> None:
    results = load_results()
    for key in ("startup_demo_paint", "startup_demo_models"):
        assert results[key]["runs"] >= 7
        assert results[key]["ratio"] == pytest.approx(
            results[key]["median"] / results[key]["bare_median"], abs=0.01
        )
    for key in ("startup_host_paint", "startup_host_models"):
        assert results[key]["runs"] >= 7


# ---- key tables -----------------------------------------------------------------------------

_DISPLAY_TO_KEY = {
    "del": "delete",
    "esc": "escape",
    "space": "space",
    "enter": "enter",
    "down": "down",
    "tab": "tab",
    "/": "slash",
    "?": "question_mark",
    "=": "equals_sign",
}
WIDGET_KEYS = frozenset({"enter"})
"""Keys a table names that a widget handles itself (Enter on a list item), not the registry."""
DOCUMENTED_SCOPES = ("app", "models", "library", "editor")
"""Scopes whose every key must be in a key table (dialogs are described in prose)."""


def _registry() -> dict[str, set[str]]:
    """Scope -> every key bound in it, after importing every TUI module (panes and dialogs
    register their actions at import time)."""
    import modelarium.tui

    for module in pkgutil.walk_packages(modelarium.tui.__path__, "modelarium.tui."):
        importlib.import_module(module.name)
    from modelarium.tui.keys import registered

    scopes: dict[str, set[str]] = {}
    for action in registered():
        scopes.setdefault(action.scope, set()).update(k for k in action.keys.split(",") if k)
    return scopes


def _key_name(token: str) -> str:
    """A key as a document writes it (`F2`, `` `?` ``, `Del`, `^s`) -> Textual's key name."""
    token = token.strip().strip("`").strip()
    if token.startswith("^"):
        token = "ctrl+" + token[1:]
    lowered = token.lower()
    if lowered in _DISPLAY_TO_KEY:
        return _DISPLAY_TO_KEY[lowered]
    if re.fullmatch(r"f\d+", lowered) or "+" in token:
        return lowered
    return token


def _key_cells() -> list[tuple[str, str]]:
    """(document, key cell) of every row of every table with a `key`/`keys` column."""
    cells: list[tuple[str, str]] = []
    for document in DOCUMENTS:
        column: int | None = None
        for line in document.read_text(encoding="utf-8").splitlines():
            if not line.startswith("|"):
                column = None
                continue
            parts = [part.strip() for part in line.strip().strip("|").split(" | ")]
            if column is None:
                names = [part.lower() for part in parts]
                column = next((i for i, name in enumerate(names) if name in ("key", "keys")), -1)
                continue
            if column < 0 or set(line) <= set("|- "):
                continue
            cells.append((document.name, parts[column]))
    return cells


def _keys_in(cell: str) -> list[str]:
    """The keys of one cell: `` `1` / F2, `2` / F3 ``, `Enter in Problems, F8`, `/`,
    `ctrl+e (alt+s)` (an extra key in brackets)."""
    keys = []
    for group in re.split(r",\s+|\s*\(\s*|\s*\)\s*", cell):
        for token in re.split(r"\s+/\s+", group):
            token = re.sub(r"(^|\s+)in\s+\w+$", "", token.strip())
            if token:
                keys.append(_key_name(token))
    return keys


def test_every_key_in_a_key_table_is_bound_in_the_registry() -> None:
    bound = set().union(*_registry().values())
    unknown = [
        (document, cell, key)
        for document, cell in _key_cells()
        for key in _keys_in(cell)
        if key not in bound and key not in WIDGET_KEYS
    ]
    assert _key_cells(), "no key tables found"
    assert unknown == []


def test_every_registered_key_of_the_app_and_its_panes_is_in_a_key_table() -> None:
    documented = {key for _, cell in _key_cells() for key in _keys_in(cell)}
    registry = _registry()
    missing = [
        (scope, key)
        for scope in DOCUMENTED_SCOPES
        for key in sorted(registry.get(scope, ()))
        if key not in documented and not key.startswith("ctrl+@")
    ]
    assert missing == []


# ---- links and paths ------------------------------------------------------------------------

_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
_CODE_PATH = re.compile(
    r"`((?:modelarium|tests|docs|benchmarks|styles|screenshots)/[A-Za-z0-9_./-]+)`"
)


def _anchors(document: Path) -> set[str]:
    """GitHub's heading anchors of a Markdown file."""
    anchors = set()
    for line in document.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return anchors


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.name for d in DOCUMENTS])
def test_every_relative_link_resolves_inside_the_repository(document: Path) -> None:
    broken = []
    for target in _LINK.findall(document.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue  # http(s), mailto: not a repository file
        path_text, _, anchor = target.partition("#")
        path = (document.parent / path_text).resolve() if path_text else document
        if (
            not path.exists()
            or ROOT not in (path, *path.parents)
            or (anchor and path.suffix == ".md" and anchor not in _anchors(path))
        ):
            broken.append(target)
    assert broken == []


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.name for d in DOCUMENTS])
def test_every_repository_path_named_exists(document: Path) -> None:
    missing = [
        path
        for path in _CODE_PATH.findall(document.read_text(encoding="utf-8"))
        if not (ROOT / path.rstrip("/.")).exists()
    ]
    assert missing == []


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.name for d in DOCUMENTS])
def test_no_document_points_at_notes_outside_the_repository(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    for phrase in ("reference notes", "API notes", "semantics §", "/work/", "../shared"):
        assert phrase not in text, f"{document.name} refers to {phrase!r}"
    # A Markdown file named in code style must be in the repository (`guide/architecture.md`
    # was a design note that is not).
    for name in re.findall(r"`([A-Za-z0-9_./-]+\.md)`", text):
        found = (document.parent / name).exists() or (ROOT / name).exists()
        assert found, f"{document.name} names {name}, which is not in the repository"


_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_OUTSIDE_FOLDERS = ("guide/", "shared/", "reference/")
"""First segments of paths that name the notes a project like this is built from, not files
of the repository (a `guide/architecture.md` has no copy here)."""
_OUTSIDE_PHRASES = re.compile(
    r"reference notes|API notes|semantics §|/work/|\b(?:the|our) guide\b|\bguide's\b",
    re.IGNORECASE,
)
"""Wordings that send the reader to documents outside the repository."""


def _in_repository(document: Path, path_text: str) -> bool:
    """Whether `path_text` names an existing file or folder of the repository, read from the
    root, from the document's folder or from the package (docs write `store/rows.py`)."""
    path_text = path_text.rstrip("/.") or "."
    for base in (ROOT, document.parent, ROOT / "modelarium"):
        path = (base / path_text).resolve()
        if path.exists() and ROOT in (path, *path.parents):
            return True
    return False


def outside_references(document: Path) -> list[str]:
    """Every place in `document` that points at something outside the repository: a named
    Markdown file that is not one of ours, a path that climbs out (`../shared/…`) or starts in
    a folder of outside notes (`guide/…`), and wordings such as "reference notes" or "the
    guide". Each as `line N: text`."""
    found: list[str] = []
    for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), 1):
        candidates = [*_CODE_SPAN.findall(line), *_LINK.findall(line)]
        for candidate in candidates:
            if re.match(r"[a-z]+:", candidate):
                continue  # a URL, not a file
            path_text = candidate.partition("#")[0]
            named_markdown = path_text.endswith(".md") and " " not in path_text
            climbs_out = re.match(r"\.\./[A-Za-z]", path_text) is not None
            outside_folder = path_text.startswith(_OUTSIDE_FOLDERS)
            if (named_markdown or climbs_out or outside_folder) and not _in_repository(
                document, path_text
            ):
                found.append(f"line {number}: {candidate}")
        found.extend(f"line {number}: {m.group(0)}" for m in _OUTSIDE_PHRASES.finditer(line))
    return found


def test_outside_references_are_found(tmp_path: Path) -> None:
    """The check itself: each kind of reference outside the repository is reported, and
    references to the repository's own files are not."""
    document = tmp_path / "notes.md"
    document.write_text(
        "Follows `guide/architecture.md` and the [notes](../shared/reference/api.md).\n"
        "See `../shared/hooks/run`, the reference notes and the guide's rooms.\n"
        "Our own: `docs/store.md`, `store/rows.py`, [README](README.md), `../…`, `/api/show`.\n",
        encoding="utf-8",
    )
    (tmp_path / "README.md").write_text("", encoding="utf-8")
    assert outside_references(document) == [
        "line 1: guide/architecture.md",
        "line 1: ../shared/reference/api.md",
        "line 2: ../shared/hooks/run",
        "line 2: reference notes",
        "line 2: the guide",
    ]


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.name for d in DOCUMENTS])
def test_no_document_refers_to_files_outside_the_repository(document: Path) -> None:
    assert outside_references(document) == []
