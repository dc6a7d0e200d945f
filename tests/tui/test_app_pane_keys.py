"""Keys typed after asking for a pane that is still loading wait for it: a Library search typed
right at the start reaches the Library's search field, not the Models table."""

from __future__ import annotations

import importlib
import threading
from types import ModuleType

import pytest
from textual.widgets import Input

from modelarium.tui.library import LibraryPane
from tests.tui.conftest import AppFactory, wait_for

SIZE = (160, 45)


async def test_a_library_search_typed_at_once_reaches_the_library(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The Library pane's import is held until the search has been typed, so the keys surely
    # arrive while it loads, however fast or slow the machine is.
    typed = threading.Event()
    import_module = importlib.import_module

    def held_import(name: str) -> ModuleType:
        if name == "modelarium.tui.library":
            typed.wait(timeout=30)
        return import_module(name)

    monkeypatch.setattr("modelarium.tui.app.importlib.import_module", held_import)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        # On the Models pane, e opens the editor, s sorts and p asks what to pull.
        await pilot.press("f3", *"deepseek")
        assert not app.panes_ready and not app.query("#library-search")
        typed.set()
        await wait_for(pilot, lambda: app.pane_loaded("library"))
        search = app.query_one("#library-search", Input)
        await wait_for(pilot, lambda: search.value == "deepseek" and app.focused is search)
        library = app.query_one(LibraryPane)
        await wait_for(pilot, lambda: any("deepseek" in hit.name.lower() for hit in library.hits))
        assert "deepseek" in library.hits[0].name.lower()
        assert app.current_pane == "library"
        assert len(app.screen_stack) == 1  # no key reached the Models pane
