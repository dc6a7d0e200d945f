"""The models table: the rows the pane's state shows, as cells (terminal-safe text), in the
columns that fit its width, keeping the cursor on the model it was on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from modelarium.tui.models.rows import (
    cell,
    ellipsized,
    fit_columns,
    human_size,
    loaded_cell,
    relative_time,
    row_key,
)

if TYPE_CHECKING:
    from datetime import datetime

    from modelarium.ollama.types import ModelSummary
    from modelarium.tui.models.state import ModelsState

COLUMNS = (
    "",
    "Name",
    "Host",
    "Size",
    "Family",
    "Params",
    "Quant",
    "Loaded",
    "Modified",
    "Capabilities",
)
"""The table's columns in order (Host only with more than one host)."""


def row_cells(state: ModelsState, row: ModelSummary, now: datetime) -> dict[str, Text]:
    """The table's cells of one model, by column."""
    selected = state.is_selected(row)
    running = state.running_model(row)
    if row.is_remote:
        loaded = Text("cloud", style="cyan")
    elif running is None:
        loaded = Text("")
    else:
        loaded = Text(loaded_cell(running.size, running.size_vram), style="green")
    # Nearly every model has `completion`; the column shows what sets one apart.
    capabilities = ", ".join(c for c in row.capabilities if c != "completion") or "-"
    return {
        "": Text("✓", style="bold green") if selected else Text(" "),
        "Name": cell(row.name, "bold") if selected else cell(row.name),
        "Host": cell(row.host),
        "Size": Text(human_size(row.size), justify="right"),
        "Family": cell(row.family),
        "Params": cell(row.parameter_size),
        "Quant": cell(row.quantization),
        "Loaded": loaded,
        "Modified": Text(relative_time(row.modified_at, now)),
        "Capabilities": cell(capabilities),
    }


class ModelsTable(DataTable[Text]):
    """The DataTable of the Models pane; `show` renders the state's shown rows."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._columns_shown: list[str] | None = None
        """The columns the table has now (those that fit its width)."""

    def show(
        self,
        state: ModelsState,
        rows: list[ModelSummary],
        now: datetime,
        *,
        multi_host: bool,
        keep: str | None,
    ) -> None:
        """Show `rows`; the cursor goes back to the row keyed `keep` when it is still there."""
        columns = [column for column in COLUMNS if column != "Host" or multi_host]
        rows_cells = [row_cells(state, row, now) for row in rows]
        widths = {
            column: max([len(column), *(cells[column].cell_len for cells in rows_cells)])
            for column in columns
        }
        # The table's width less its vertical scrollbar; 0 before the first layout (all shown).
        available = self.size.width - self.styles.scrollbar_size_vertical
        if available > 0:
            shown_columns, name_width = fit_columns(columns, widths, available)
        else:
            shown_columns, name_width = columns, None
        if self._columns_shown != shown_columns:
            self.clear(columns=True)
            for column in shown_columns:
                # A Text label, not a str: DataTable reads a str label as markup, and the
                # markup parser's emoji table import costs milliseconds before the first paint.
                self.add_column(Text(column), key=column or "mark")
            self._columns_shown = shown_columns
        self.clear()
        for row, cells in zip(rows, rows_cells, strict=True):
            if name_width is not None:
                cells["Name"] = ellipsized(cells["Name"], name_width)
            self.add_row(*(cells[column] for column in shown_columns), key=row_key(row))
        if keep is not None:
            for index, row in enumerate(rows):
                if row_key(row) == keep:
                    self.move_cursor(row=index, animate=False)
                    break
