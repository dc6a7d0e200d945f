"""Ticked and unticked boxes read apart without colour: `▐X▌` and `▐ ▌`, in selection lists
and check boxes alike; and the segments replaced are the box Textual draws."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Checkbox, SelectionList
from textual.widgets._toggle_button import ToggleButton

from modelarium.tui.widgets.marks import UNTICKED, MarkedCheckbox, MarkedSelectionList
from tests.tui.conftest import wait_for

TICKED_BOX = ToggleButton.BUTTON_LEFT + ToggleButton.BUTTON_INNER + ToggleButton.BUTTON_RIGHT
EMPTY_BOX = ToggleButton.BUTTON_LEFT + UNTICKED + ToggleButton.BUTTON_RIGHT


class Boxes(App[None]):
    def compose(self) -> ComposeResult:
        yield MarkedSelectionList[int](("ticked", 1, True), ("not ticked", 2, False))
        yield MarkedCheckbox("whole Modelfile", value=False)


def _list_lines(app: Boxes) -> list[str]:
    selections = app.query_one(MarkedSelectionList)
    return [selections.render_line(y).text for y in range(2)]


async def test_a_selection_list_shows_its_ticks_without_colour() -> None:
    app = Boxes()
    async with app.run_test(size=(60, 10)) as pilot:
        await wait_for(pilot, lambda: _list_lines(app)[0].startswith(TICKED_BOX))
        assert _list_lines(app)[1].startswith(EMPTY_BOX + " not ticked")
        selections_lines = app.query_one(MarkedSelectionList)
        assert selections_lines.render_line(5).text.strip() == ""  # below the options
        selections = app.query_one(SelectionList)  # still a SelectionList to queries
        selections.toggle(2)
        selections.toggle(1)
        await wait_for(pilot, lambda: _list_lines(app)[1].startswith(TICKED_BOX))
        assert _list_lines(app)[0].startswith(EMPTY_BOX + " ticked")


async def test_a_checkbox_shows_its_tick_without_colour() -> None:
    app = Boxes()
    async with app.run_test(size=(60, 10)) as pilot:
        box = app.query_one(Checkbox)
        assert str(box.render()).startswith(EMPTY_BOX)
        box.value = True
        await wait_for(pilot, lambda: str(box.render()).startswith(TICKED_BOX))
        box.value = False
        await wait_for(pilot, lambda: str(box.render()).startswith(EMPTY_BOX))


async def test_textual_still_draws_the_box_as_the_first_three_segments() -> None:
    """The list blanks the middle one of the first three segments only when they are Textual's
    box; if Textual draws it otherwise, this fails rather than the mark silently staying."""
    app = Boxes()
    async with app.run_test(size=(60, 10)) as pilot:
        selections = app.query_one(MarkedSelectionList)
        await wait_for(pilot, lambda: bool(_list_lines(app)[0].strip()))
        plain = SelectionList.render_line(selections, 1)
        assert [segment.text for segment in list(plain)[:3]] == [
            ToggleButton.BUTTON_LEFT,
            ToggleButton.BUTTON_INNER,
            ToggleButton.BUTTON_RIGHT,
        ]
