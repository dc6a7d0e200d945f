"""The Models table draws only the rows on screen, and keeps DataTable's keys, cursor and
messages: the pane's details, selection and actions rely on them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.app import App, ComposeResult
from textual.message import Message

from modelarium.ollama.types import ModelSummary
from modelarium.tui.models import table as table_module
from modelarium.tui.models.rows import row_key
from modelarium.tui.models.state import ModelsState
from modelarium.tui.models.table import ModelsTable
from tests.tui.conftest import wait_for

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def summary(number: int) -> ModelSummary:
    return ModelSummary(
        "demo",
        f"bench/model-{number:04d}:8b",
        f"{number:064x}",
        4_900_000_000,
        NOW,
        family="llama",
        parameter_size="8.0B",
        quantization="Q4_K_M",
        capabilities=("completion", "tools"),
    )


class TableApp(App[None]):
    """The table alone, filled with `count` models; every message it posts is kept."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.state = ModelsState(lambda: ("demo",))
        self.rows = [summary(number) for number in range(count)]
        self.posted: list[Message] = []

    def compose(self) -> ComposeResult:
        yield ModelsTable(id="models-table")

    def on_mount(self) -> None:
        self.query_one(ModelsTable).show(self.state, self.rows, NOW, multi_host=False, keep=None)
        self.query_one(ModelsTable).focus()

    def on_models_table_row_highlighted(self, message: ModelsTable.RowHighlighted) -> None:
        self.posted.append(message)

    def on_models_table_row_selected(self, message: ModelsTable.RowSelected) -> None:
        self.posted.append(message)


def highlighted(app: TableApp) -> list[int]:
    return [
        m.cursor_row
        for m in app.posted
        if isinstance(m, ModelsTable.RowHighlighted) and not isinstance(m, ModelsTable.RowSelected)
    ]


async def test_keys_move_the_cursor_and_say_which_model_is_highlighted() -> None:
    app = TableApp(100)
    async with app.run_test(size=(100, 12)) as pilot:
        table = app.query_one(ModelsTable)
        await wait_for(pilot, lambda: highlighted(app) == [0])
        await pilot.press("down", "down")
        await wait_for(pilot, lambda: table.cursor_row == 2 and highlighted(app)[-1] == 2)
        await pilot.press("up")
        await wait_for(pilot, lambda: table.cursor_row == 1)
        await pilot.press("end")
        await wait_for(pilot, lambda: table.cursor_row == 99)
        assert table.scroll_y > 0  # the last row is in view
        await pilot.press("home")
        await wait_for(pilot, lambda: table.cursor_row == 0 and table.scroll_y == 0)
        await pilot.press("pagedown")
        page = table.scrollable_content_region.height - 1
        await wait_for(pilot, lambda: table.cursor_row == page)
        await pilot.press("pageup")
        await wait_for(pilot, lambda: table.cursor_row == 0)
        await pilot.press("up")  # already at the top: stays, says nothing new
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.posted[-1], ModelsTable.RowSelected))
        selected = app.posted[-1]
        assert isinstance(selected, ModelsTable.RowSelected)
        assert selected.row_key == row_key(app.rows[0])
        assert highlighted(app)[-1] == 0


async def test_a_click_highlights_a_row_and_a_second_click_chooses_it() -> None:
    app = TableApp(20)
    async with app.run_test(size=(100, 12)) as pilot:
        table = app.query_one(ModelsTable)
        await wait_for(pilot, lambda: highlighted(app) == [0])
        await pilot.click(ModelsTable, offset=(5, 4))  # the header is line 0: row 3
        await wait_for(pilot, lambda: table.cursor_row == 3)
        assert not any(isinstance(m, ModelsTable.RowSelected) for m in app.posted)
        await pilot.click(ModelsTable, offset=(5, 4))
        await wait_for(pilot, lambda: isinstance(app.posted[-1], ModelsTable.RowSelected))
        await pilot.click(ModelsTable, offset=(5, 0))  # the header chooses nothing
        assert table.cursor_row == 3


async def test_show_keeps_the_cursor_on_its_model() -> None:
    app = TableApp(10)
    async with app.run_test(size=(100, 12)) as pilot:
        table = app.query_one(ModelsTable)
        table.move_cursor(row=4)
        kept = row_key(app.rows[4])
        # Another order: the cursor follows the model it was on.
        reordered = app.rows[::-1]
        table.show(app.state, reordered, NOW, multi_host=False, keep=kept)
        assert table.cursor_row == 5
        # The same models: the cursor stays where it is.
        table.show(app.state, reordered, NOW, multi_host=False, keep=None)
        assert table.cursor_row == 5
        # Other models, the kept one gone: back to the top.
        table.show(app.state, app.rows[:3], NOW, multi_host=False, keep=kept)
        assert table.cursor_row == 0
        await wait_for(pilot, lambda: highlighted(app)[-1] == 0)
        table.show(app.state, [], NOW, multi_host=False, keep=None)
        assert table.row_count == 0
        table.action_cursor_down()  # nothing to move over
        table.action_select_cursor()
        await pilot.pause()
        assert not any(isinstance(m, ModelsTable.RowSelected) for m in app.posted)


async def test_a_frame_draws_only_the_rows_on_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    app = TableApp(1000)
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(ModelsTable)
        await wait_for(pilot, lambda: table.row_count == 1000)
        drawn: list[str] = []
        real_cells = table_module.row_cells

        def counted(state: ModelsState, row: ModelSummary, now: datetime) -> object:
            drawn.append(row.name)
            return real_cells(state, row, now)

        monkeypatch.setattr(table_module, "row_cells", counted)
        lines = [table.render_line(y).text for y in range(table.size.height)]
        assert len(drawn) == table.size.height - 1  # every line but the header is a row
        assert "Name" in lines[0] and "bench/model-0000:8b" in lines[1]
        assert [str(cell) for cell in table.get_row_at(999)][1] == "bench/model-0999:8b"
        assert str(table.get_cell(row_key(app.rows[7]), "Size")) == "4.9 GB"


async def test_a_long_name_is_cut_where_the_columns_do_not_fit() -> None:
    app = TableApp(3)
    app.rows[1] = ModelSummary(
        "demo", "registry.example.com/team/" + "very-long-name-" * 5 + ":8b", "f" * 64, 1, NOW
    )
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(ModelsTable)
        table.show(app.state, app.rows, NOW, multi_host=False, keep=None)
        await pilot.pause()
        name = str(table.get_row_at(1)[1])
        assert name.endswith("…")
        assert table.virtual_size.width <= table.size.width
        assert name[:-1] in table.render_line(2).text


async def test_columns_fit_again_when_the_table_widens() -> None:
    """A banner above the table going away (the first-run notice, when the demo host is
    chosen) widens the table: the columns left out at the narrow width come back."""
    app = TableApp(3)
    async with app.run_test(size=(160, 10)) as pilot:
        table = app.query_one(ModelsTable)
        table.styles.width = 40
        await wait_for(pilot, lambda: table.size.width == 40)
        table.show(app.state, app.rows, NOW, multi_host=False, keep=None)
        narrow = table.column_names
        table.styles.width = "100%"
        await wait_for(pilot, lambda: table.size.width == 160)
        await wait_for(pilot, lambda: len(table.column_names) > len(narrow))
        assert "Family" in table.column_names and "Family" not in narrow
