"""The Library's dialogs at 80×24, 100×30 and 160×45, opened from the Library before the
Editor's stylesheet is read (as before the Editor is first shown) and after: each is framed
inside the terminal and shows its texts whole. The delete-curated answer's title and the
import dialog's title were cut at 100×30, and before the Editor had loaded both dialogs spread
unframed over the whole screen."""

from __future__ import annotations

from typing import Any

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button, Label, OptionList

from modelarium.tui.dialogs.import_paste import IMPORT_TITLE, ImportDialog
from modelarium.tui.library import LibraryPane
from modelarium.tui.library.copy_dialog import CopyCuratedDialog
from modelarium.tui.widgets.text_area import ModelfileTextArea
from tests.tui.conftest import wait_for, wait_for_screen
from tests.tui.screen_text import assert_shows_whole
from tests.tui.test_library import STYLES, LibraryApp, settle

SIZES = [(80, 24), (100, 30), (160, 45)]
IDS = [f"{width}x{height}" for width, height in SIZES]


class LibraryAfterTheEditor(LibraryApp):
    """The Library pane with the Editor's stylesheet read too (the Editor has been shown)."""

    def __init__(self, library_url: str) -> None:
        super().__init__(library_url)
        self.css_path = [STYLES / "library.tcss", STYLES / "editor.tcss"]


APPS = pytest.mark.parametrize(
    "app_class", [LibraryApp, LibraryAfterTheEditor], ids=["library-alone", "after-editor"]
)


def assert_framed(dialog: Screen[Any], size: tuple[int, int]) -> None:
    """The dialog's body sits inside the terminal with room around it: framed, not spread."""
    body = dialog.query_one(".dialog-body")
    assert Region(0, 0, *size).contains_region(body.region)
    assert body.region.width < size[0]
    assert body.styles.border_top[0] == "thick"


def assert_buttons_whole(dialog: Screen[Any]) -> None:
    """Every button's label is shown whole."""
    for button in dialog.query(Button):
        assert_shows_whole(button, str(button.label))


async def first_curated(app: LibraryApp, pilot: Pilot[None]) -> None:
    """Select the first result (a curated element in the seeded library)."""
    pane = app.query_one(LibraryPane)
    await settle(app, pilot)
    results = pane.query_one("#library-results", OptionList)
    results.focus()
    results.highlighted = 0
    await settle(app, pilot)
    assert pane.selected is not None and pane.selected.curated


@APPS
@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_deleting_a_curated_element_explains_itself_whole(
    size: tuple[int, int], app_class: type[LibraryApp], library_url: str
) -> None:
    app = app_class(library_url)
    async with app.run_test(size=size) as pilot:
        await first_curated(app, pilot)
        stored = app.query_one(LibraryPane).selected
        assert stored is not None
        await pilot.press("delete")
        dialog = await wait_for_screen(pilot, CopyCuratedDialog)
        await pilot.pause()
        assert_framed(dialog, size)
        title = dialog.query_one(".dialog-title", Label)
        assert_shows_whole(
            title, f"{stored.name} is curated and read-only, so it cannot be deleted."
        )
        assert_shows_whole(
            dialog.query_one(".dialog-hint", Label), "Make your own editable copy under this name:"
        )
        assert_buttons_whole(dialog)


@APPS
@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_the_import_dialog_shows_its_title_status_and_buttons_whole(
    size: tuple[int, int], app_class: type[LibraryApp], library_url: str
) -> None:
    app = app_class(library_url)
    async with app.run_test(size=size) as pilot:
        await first_curated(app, pilot)
        await pilot.press("i")
        dialog = await wait_for_screen(pilot, ImportDialog)
        await pilot.pause()
        assert_framed(dialog, size)
        assert IMPORT_TITLE.startswith("Import a Modelfile: paste it here")
        assert_shows_whole(dialog.query_one(".dialog-title", Label), IMPORT_TITLE)
        assert_shows_whole(dialog.query_one("#import-status", Label), "Nothing pasted yet")
        assert_buttons_whole(dialog)
        area = dialog.query_one("#import-text", ModelfileTextArea)
        assert area.size.width >= 24  # room to read a pasted line beside the elements
        area.insert("FROM mistral:7b\nBOGUS a command Ollama does not know\n")
        status = dialog.query_one("#import-status", Label)
        await wait_for(pilot, lambda: "Does not parse" in str(status.content))
        await pilot.pause()
        assert_shows_whole(status, str(status.content))
