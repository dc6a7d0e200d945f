"""Opening an up-to-date library costs one query and no Alembic import (start-up time)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from modelarium.store.engine import HEAD_REVISION, MIGRATIONS, head_revision


def test_head_revision_constant_matches_the_migrations_folder() -> None:
    revisions: dict[str, str | None] = {}
    for path in (MIGRATIONS / "versions").glob("[0-9]*.py"):
        values: dict[str, str | None] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and isinstance(node.value, ast.Constant)
            ):
                values[node.target.id] = None if node.value.value is None else str(node.value.value)
        revisions[str(values["revision"])] = values.get("down_revision")
    parents = {parent for parent in revisions.values() if parent is not None}
    heads = [revision for revision in revisions if revision not in parents]
    assert heads == [HEAD_REVISION]
    assert head_revision() == HEAD_REVISION


def _open_in_fresh_interpreter(url: str) -> str:
    script = (
        "import sys\n"
        "from modelarium.store import Library\n"
        f"Library.open({url!r}).close()\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'alembic'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    return result.stdout.strip()


def test_an_up_to_date_library_opens_without_importing_alembic(library_url: str) -> None:
    assert _open_in_fresh_interpreter(library_url) == "[]"


def test_a_fresh_library_is_still_migrated(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    assert _open_in_fresh_interpreter(url) != "[]"  # created by Alembic's migrations
    assert _open_in_fresh_interpreter(url) == "[]"  # then recognised by one query
