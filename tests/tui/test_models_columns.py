"""The Models table's columns stay put: Loaded is fitted at its widest value from the start,
so `/api/ps` answering after the listing (or a model loading later) does not take Modified
away, and a column left out stays out at that width instead of coming and going."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta

import pytest
from textual.pilot import Pilot

from modelarium.tui.models import ModelsPane
from modelarium.tui.models.rows import LOADED_WIDTH, loaded_cell
from modelarium.tui.models.table import ModelsTable
from tests.tui.conftest import AppFactory, highlight_model, wait_for
from tests.tui.test_models_memory import loaded_column
from tests.tui.test_models_table import NOW, TableApp

Settle = Callable[[Pilot[None]], Awaitable[None]]


def test_the_loaded_column_is_fitted_to_its_widest_value() -> None:
    values = [loaded_cell(100, 100), loaded_cell(100, 0), loaded_cell(100, 78)]
    values += [loaded_cell(1000, 999), loaded_cell(1000, 1), loaded_cell(100, 200), "cloud"]
    assert max(len(value) for value in values) == LOADED_WIDTH


@pytest.mark.parametrize("size", [(150, 45), (160, 45), (100, 30), (80, 24)])
async def test_columns_do_not_change_as_the_loaded_models_arrive(
    size: tuple[int, int],
    make_app: AppFactory,
    wait_settled: Settle,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[int, tuple[str, ...]]] = []
    fit = ModelsTable._fit_columns

    def recording(table: ModelsTable, multi_host: bool) -> None:
        fit(table, multi_host)
        if table.size.width and table.row_count:
            seen.append((table.size.width, tuple(table.column_names)))

    monkeypatch.setattr(ModelsTable, "_fit_columns", recording)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        pane = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: bool(loaded_column(pane)))
        await wait_settled(pilot)
        await highlight_model(pilot, "mistral:7b")
        await pilot.press("l")  # one more loaded model, then none of it
        await wait_for(pilot, lambda: "mistral:7b" in loaded_column(pane))
        await pilot.press("u")
        await wait_for(pilot, lambda: "mistral:7b" not in loaded_column(pane))
        width = app.query_one(ModelsTable).size.width
        at_width = {columns for seen_width, columns in seen if seen_width == width}
        assert len(at_width) == 1, at_width
        if size[0] >= 150:
            assert "Loaded" in next(iter(at_width))


async def test_a_column_left_out_stays_out_while_the_width_and_rows_stay() -> None:
    app = TableApp(3)
    app.rows = [replace(row, modified_at=NOW - timedelta(days=1)) for row in app.rows]
    async with app.run_test(size=(160, 10)) as pilot:
        table = app.query_one(ModelsTable)
        table.show(app.state, app.rows, NOW, multi_host=False, keep=None)
        await pilot.pause()
        assert "Modified" in table.column_names  # `1 day ago`
        # Just wide enough for every column.
        snug = table.virtual_size.width + table.styles.scrollbar_size_vertical
        table.styles.width = snug
        await wait_for(pilot, lambda: table.size.width == snug)
        assert "Modified" in table.column_names
        # An hour earlier the same models read `23 hours ago`: Modified no longer fits.
        table.show(app.state, app.rows, NOW - timedelta(hours=1), multi_host=False, keep=None)
        assert "Modified" not in table.column_names
        left_out = table.column_names
        # `1 day ago` again: Modified stays out rather than coming back to go again.
        table.show(app.state, app.rows, NOW, multi_host=False, keep=None)
        assert table.column_names == left_out
        # Other rows (a filter) are fitted afresh, and so is another width.
        table.show(app.state, app.rows[:2], NOW, multi_host=False, keep=None)
        assert "Modified" in table.column_names
        table.show(app.state, app.rows, NOW - timedelta(hours=1), multi_host=False, keep=None)
        assert "Modified" not in table.column_names
        table.styles.width = snug + 3
        await wait_for(pilot, lambda: "Modified" in table.column_names)
