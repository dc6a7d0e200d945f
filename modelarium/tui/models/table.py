"""The models table: the rows the pane's state shows, as cells (terminal-safe text), in the
columns that fit its width, keeping the cursor on the model it was on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.measure import Measurement
from rich.text import Text
from textual.widgets import DataTable

from modelarium.terminal_text import terminal_text
from modelarium.tui.models.rows import (
    ellipsized,
    fit_columns,
    human_size,
    loaded_cell,
    row_key,
)
from modelarium.wording import relative_time

if TYPE_CHECKING:
    from datetime import datetime

    from rich.console import Console, ConsoleOptions, JustifyMethod, RenderResult

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


class Cell:
    """One table cell: terminal-safe text, a style and a justification, made a Rich `Text` only
    when drawn (the table draws the rows on screen; it holds a cell for every model).

    A `Text` per cell cost ~250 bytes (two lists and a copy of the string), ~2.5 KB a model
    over ten columns; this holds the row's own string (`terminal_text` returns it unchanged
    when it is safe) and two shared constants. It measures without building a `Text`, so
    adding 1,000 rows makes no `Text` at all.
    """

    __slots__ = ("justify", "style", "text")

    def __init__(self, text: str, style: str = "", justify: JustifyMethod | None = None) -> None:
        self.text = text
        self.style = style
        self.justify: JustifyMethod | None = justify
        """None as a plain `Text`: not padded, so a style colours the text only."""

    @property
    def cell_len(self) -> int:
        """Width of the text in terminal cells."""
        return cell_len(self.text)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Cell({self.text!r}, {self.style!r}, {self.justify!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Cell):
            return NotImplemented
        return (self.text, self.style, self.justify) == (other.text, other.style, other.justify)

    def __hash__(self) -> int:
        return hash((self.text, self.style, self.justify))

    def as_text(self) -> Text:
        """The cell as Rich `Text` (what is drawn)."""
        return Text(self.text, style=self.style, justify=self.justify)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.as_text()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest_word = max((cell_len(word) for word in self.text.split()), default=0)
        return Measurement(widest_word, self.cell_len)


def cell(value: str, style: str = "") -> Cell:
    """A cell showing text from a host (name, family, quantization, ...) terminal-safe and as
    plain text, never as markup."""
    return Cell(terminal_text(value), style)


BLANK = Cell(" ")
TICK = Cell("✓", "bold green")
CLOUD = Cell("cloud", "cyan")
NOT_LOADED = Cell("")
"""Cells shared by every row that shows them."""


def row_cells(state: ModelsState, row: ModelSummary, now: datetime) -> dict[str, Cell]:
    """The table's cells of one model, by column."""
    selected = state.is_selected(row)
    running = state.running_model(row)
    if row.is_remote:
        loaded = CLOUD
    elif running is None:
        loaded = NOT_LOADED
    else:
        loaded = Cell(loaded_cell(running.size, running.size_vram), "green")
    # Nearly every model has `completion`; the column shows what sets one apart.
    capabilities = ", ".join(c for c in row.capabilities if c != "completion") or "-"
    return {
        "": TICK if selected else BLANK,
        "Name": cell(row.name, "bold") if selected else cell(row.name),
        "Host": cell(row.host),
        "Size": Cell(human_size(row.size), justify="right"),
        "Family": cell(row.family),
        "Params": cell(row.parameter_size),
        "Quant": cell(row.quantization),
        "Loaded": loaded,
        "Modified": Cell(relative_time(row.modified_at, now)),
        "Capabilities": cell(capabilities),
    }


class ModelsTable(DataTable[Cell]):
    """The DataTable of the Models pane; `show` renders the state's shown rows."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._columns_shown: list[str] | None = None
        """The columns the table has now (those that fit its width)."""
        self._keys_shown: list[str] = []
        """The keys of the rows the table has now, in order (the table holds their cells)."""

    def _update_cells(self, columns: list[str], shown: list[tuple[str, tuple[Cell, ...]]]) -> None:
        """The same rows in the same order: only the cells that changed are replaced (a host's
        health check, `/api/ps` or a repeated listing changes one column of a few rows, and
        rebuilding 1,000 rows for it re-measured every cell and churned ~1 MB)."""
        for key, cells in shown:
            before = self.get_row(key)
            if list(cells) == before:
                continue
            for column, cell, old in zip(columns, cells, before, strict=True):
                if cell != old:
                    self.update_cell(key, column or "mark", cell, update_width=True)

    def _replace_rows(self, columns: list[str], shown: list[tuple[str, tuple[Cell, ...]]]) -> None:
        """Other rows, another order or other columns: the table is filled anew."""
        if self._columns_shown != columns:
            self.clear(columns=True)
            for column in columns:
                # A Text label, not a str: DataTable reads a str label as markup, and the
                # markup parser's emoji table import costs milliseconds before the first paint.
                self.add_column(Text(column), key=column or "mark")
            self._columns_shown = columns
        self.clear()
        for key, cells in shown:
            self.add_row(*cells, key=key)

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
        shown: list[tuple[str, tuple[Cell, ...]]] = []
        for row, cells in zip(rows, rows_cells, strict=True):
            name = cells["Name"]
            if name_width is not None and name.cell_len > name_width:
                cut = ellipsized(name.as_text(), name_width)
                cells["Name"] = Cell(cut.plain, name.style)
            shown.append((row_key(row), tuple(cells[column] for column in shown_columns)))
        del rows_cells
        keys = [key for key, _ in shown]
        if self._columns_shown == shown_columns and keys == self._keys_shown:
            self._update_cells(shown_columns, shown)
        else:
            self._replace_rows(shown_columns, shown)
        self._keys_shown = keys
        if keep is not None:
            for index, row in enumerate(rows):
                if row_key(row) == keep:
                    self.move_cursor(row=index, animate=False)
                    break
