"""Library snapshots: filtered curated results with an element view, and the unavailable DB."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from modelarium.modelfile.elements import Element, ElementKind, Parameter
from modelarium.store import Library
from modelarium.store.errors import CorruptDatabase
from modelarium.store.types import NewElement, Provenance, Tag
from modelarium.tui.library import LibraryPane
from modelarium.tui.state import LibraryHandle
from tests.tui.conftest import wait_for
from tests.tui.test_library import LibraryApp, wait_for_workers


async def settle(pilot: Pilot[Any]) -> None:
    """The results answer the query as it is now, and the element view has loaded."""
    await pilot.pause()
    pane = pilot.app.query_one(LibraryPane)
    await wait_for(pilot, lambda: pane.results_current)
    await wait_for_workers(pilot)


def test_library_filtered_snapshot(snap_compare: Any, library_url: str) -> None:
    async def search_own_elements(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        library = pilot.app.services.library.get()  # type: ignore[attr-defined]
        seen = Provenance(
            "gpu-box",
            "zanzibar:7b",
            "sha256:" + "5e" * 32,
            datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        )
        tags = (Tag("family", "zanzibar"), Tag("use_case", "code"))
        library.add_elements(
            [
                NewElement(
                    Element(ElementKind.SYSTEM, value="You are Zanzibar, a terse code reviewer."),
                    "zanzibar reviewer system",
                    tags,
                    seen,
                ),
                NewElement(
                    Element(
                        ElementKind.PARAMETERS,
                        parameters=(Parameter("temperature", "0.1"), Parameter("num_ctx", "16384")),
                    ),
                    "zanzibar code parameters",
                    tags,
                    seen,
                ),
            ]
        )
        pilot.app.query_one("#library-search", Input).value = "zanzibar"
        await settle(pilot)
        results = pilot.app.query_one("#library-results", OptionList)
        results.focus()
        results.highlighted = [option.id for option in results._options].index(
            f"element:{library.search('zanzibar reviewer')[0].id}"
        )
        await settle(pilot)

    assert snap_compare(
        LibraryApp(library_url), terminal_size=(140, 36), run_before=search_own_elements
    )


def test_library_unavailable_snapshot(snap_compare: Any, tmp_path: Path) -> None:
    def refuse(url: str | None) -> Library:
        raise CorruptDatabase(f"{url}: file is not a database (left untouched)")

    async def wait(pilot: Pilot[Any]) -> None:
        await settle(pilot)

    app = LibraryApp(f"sqlite:///{tmp_path / 'unused.sqlite3'}")
    app.services.library = LibraryHandle("sqlite:////srv/models/library.sqlite3", opener=refuse)
    assert snap_compare(app, terminal_size=(120, 20), run_before=wait)
