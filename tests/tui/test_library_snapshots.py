"""Library snapshots: filtered curated results with an element view, and the unavailable DB."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select

from modelarium.store import Library
from modelarium.store.errors import CorruptDatabase
from modelarium.tui.state import LibraryHandle
from tests.tui.test_library import LibraryApp


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause(0.4)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_library_filtered_snapshot(snap_compare: Any, library_url: str) -> None:
    async def filter_qwen_code(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.query_one("#library-search", Input).value = "coder"
        pilot.app.query_one("#library-family", Select).value = "qwen"
        pilot.app.query_one("#library-use-case", Select).value = "code"
        await settle(pilot)
        results = pilot.app.query_one("#library-results", OptionList)
        results.focus()
        results.highlighted = 0
        await settle(pilot)

    assert snap_compare(
        LibraryApp(library_url), terminal_size=(140, 36), run_before=filter_qwen_code
    )


def test_library_unavailable_snapshot(snap_compare: Any, tmp_path: Path) -> None:
    def refuse(url: str | None) -> Library:
        raise CorruptDatabase(f"{url}: file is not a database (left untouched)")

    async def wait(pilot: Pilot[Any]) -> None:
        await settle(pilot)

    app = LibraryApp(f"sqlite:///{tmp_path / 'unused.sqlite3'}")
    app.services.library = LibraryHandle("sqlite:////srv/models/library.sqlite3", opener=refuse)
    assert snap_compare(app, terminal_size=(120, 20), run_before=wait)
