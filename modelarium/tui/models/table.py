"""The models table: the rows the pane's state shows, as cells (terminal-safe text), in the
columns that fit its width, keeping the cursor on the model it was on.

It draws only the rows on screen: a host's 1,000 models cost their summaries and nothing
per row here (a DataTable held each row's cells, keys and measured renderables, ~5.5 KB a
model at the memory peak of the start)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from modelarium.terminal_text import terminal_text
from modelarium.tui.models.rows import (
    CELL_PADDING,
    LOADED_WIDTH,
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
HEADER_HEIGHT = 1
"""Lines above the rows: the column names."""


class Cell:
    """One table cell: terminal-safe text, a style and a justification, made a Rich `Text` only
    when drawn. It measures without building a `Text`, so fitting the columns to 1,000 models
    makes no `Text` at all."""

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


class ModelsTable(ScrollView, can_focus=True):
    """The Models pane's table: a header and the state's shown rows, drawn on demand, with a
    row cursor. `show` hands it the rows; it posts `RowHighlighted` when the cursor lands on
    another model and `RowSelected` on Enter (or a click on the highlighted row).

    It keeps DataTable's look (its component classes and colours) and keys.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "datatable--header",
        "datatable--cursor",
        "datatable--even-row",
        "datatable--odd-row",
        "datatable--hover",
    }
    DEFAULT_CSS = """
    ModelsTable {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .datatable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .datatable--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .datatable--even-row {
            background: $surface-darken-1 40%;
        }
        & > .datatable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .datatable--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .datatable--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .datatable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .datatable--hover {
            background: $block-hover-background;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "cursor_first", "First", show=False),
        Binding("end,ctrl+end", "cursor_last", "Last", show=False),
    ]

    class RowHighlighted(Message):
        """The cursor is on another model (or the rows under it changed)."""

        def __init__(self, table: ModelsTable, cursor_row: int, row_key: str) -> None:
            super().__init__()
            self.table = table
            self.cursor_row = cursor_row
            self.row_key = row_key

        @property
        def control(self) -> ModelsTable:
            return self.table

    class RowSelected(RowHighlighted):
        """Enter on the highlighted model, or a click on it."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self._state: ModelsState | None = None
        self._rows: list[ModelSummary] = []
        """The shown rows, in order (the pane's list: nothing is copied)."""
        self._now: datetime | None = None
        self._columns: list[str] = []
        """The columns shown (those that fit the width), in order."""
        self._widths: dict[str, int] = {}
        """Each shown column's content width in cells (padding not included)."""
        self._name_width: int | None = None
        """Cells a name is cut to (None: every name fits)."""
        self.cursor_row = 0
        """Index of the highlighted row in the shown rows."""
        self._highlighted_key: str | None = None
        self._multi_host = False
        self._fitted_width = 0
        """The width the columns were fitted to (a resize to another width fits them again)."""
        self._left_out: set[str] = set()
        """Columns left out for the width, host mode and rows in `_left_out_for`: they stay
        out while those hold, so a column never comes and goes as live values change."""
        self._left_out_for: tuple[int, bool, int] | None = None
        self._hover_row: int | None = None

    # What the pane and the tests read -----------------------------------------------------

    @property
    def row_count(self) -> int:
        """How many rows the table shows."""
        return len(self._rows)

    @property
    def column_names(self) -> list[str]:
        """The columns shown, in order (the mark column's name is empty)."""
        return list(self._columns)

    def get_row_at(self, index: int) -> list[Cell]:
        """The shown cells of the row at `index`, as drawn (a long name cut with `…`)."""
        cells = self._cells(index)
        return [cells[column] for column in self._columns]

    def get_cell(self, key: str, column: str) -> Cell:
        """The cell of the row keyed `key` (`row_key`) in `column`; KeyError if not shown."""
        for index, row in enumerate(self._rows):
            if row_key(row) == key:
                return self._cells(index)[column]
        raise KeyError(key)

    # Filling ------------------------------------------------------------------------------

    def show(
        self,
        state: ModelsState,
        rows: list[ModelSummary],
        now: datetime,
        *,
        multi_host: bool,
        keep: str | None,
    ) -> None:
        """Show `rows`; the cursor goes back to the row keyed `keep` when it is still there,
        else stays where it was when the rows are the same models, else goes to the top."""
        before = [row_key(row) for row in self._rows]
        self._state, self._rows, self._now = state, rows, now
        self._multi_host = multi_host
        self._fit_columns(multi_host)
        keys = [row_key(row) for row in rows]
        if keep is not None and keep in keys:
            cursor = keys.index(keep)
        elif keys == before:
            cursor = self.cursor_row
        else:
            cursor = 0
        self._hover_row = None
        self._place_cursor(min(cursor, max(len(rows) - 1, 0)), post=True)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        """Fit the columns to the new width (a banner above came or went, the pane resized)."""
        if self._state is not None and event.size.width != self._fitted_width:
            self._fit_columns(self._multi_host)
            self.refresh()

    def _fit_columns(self, multi_host: bool) -> None:
        """The columns that fit the width and each one's width, measured over every row (one
        row's cells at a time: none is kept).

        Loaded is measured at its widest value (`LOADED_WIDTH`), so models loading or
        unloading change no column. A column left out stays out while the width, the host
        mode and the rows shown stay the same: a value that narrows again (`23 hours ago`
        became `1 day ago`) does not bring it back for the next one to take away. Other rows
        (a filter, another host, a new listing) are fitted afresh."""
        columns = [column for column in COLUMNS if column != "Host" or multi_host]
        widths = {column: len(column) for column in columns}
        widths["Loaded"] = LOADED_WIDTH
        for index in range(len(self._rows)):
            cells = self._cells(index, cut=False)
            for column in columns:
                widths[column] = max(widths[column], cells[column].cell_len)
        # The table's width less its vertical scrollbar; 0 before the first layout (all shown).
        self._fitted_width = self.size.width
        available = self.size.width - self.styles.scrollbar_size_vertical
        if available > 0:
            fitted_for = (available, multi_host, hash(tuple(map(row_key, self._rows))))
            if fitted_for != self._left_out_for:
                self._left_out, self._left_out_for = set(), fitted_for
            candidates = [column for column in columns if column not in self._left_out]
            self._columns, self._name_width = fit_columns(candidates, widths, available)
            self._left_out.update(set(candidates) - set(self._columns))
        else:
            self._columns, self._name_width = columns, None
        if self._name_width is not None:
            widths["Name"] = self._name_width
        self._widths = {column: widths[column] for column in self._columns}
        table_width = sum(width + CELL_PADDING for width in self._widths.values())
        self.virtual_size = Size(table_width, len(self._rows) + HEADER_HEIGHT)

    def _cells(self, index: int, *, cut: bool = True) -> dict[str, Cell]:
        """The cells of the row at `index`, by column; a long name cut to the shown width."""
        assert self._state is not None and self._now is not None
        cells = row_cells(self._state, self._rows[index], self._now)
        name = cells["Name"]
        if cut and self._name_width is not None and name.cell_len > self._name_width:
            cells["Name"] = Cell(ellipsized(name.as_text(), self._name_width).plain, name.style)
        return cells

    # The cursor ---------------------------------------------------------------------------

    def move_cursor(self, *, row: int, animate: bool = False) -> None:
        """Put the cursor on `row` (clamped to the rows shown) and scroll it into view."""
        self._place_cursor(min(max(row, 0), max(len(self._rows) - 1, 0)), post=True)
        self._scroll_cursor_into_view(animate=animate)

    def _place_cursor(self, row: int, *, post: bool) -> None:
        before = self.cursor_row
        self.cursor_row = row
        if before != row:
            self._refresh_row(before)
            self._refresh_row(row)
        key = row_key(self._rows[row]) if self._rows else None
        if post and key is not None and (key != self._highlighted_key or before != row):
            self.post_message(self.RowHighlighted(self, row, key))
        self._highlighted_key = key

    def _refresh_row(self, row: int) -> None:
        y = row + HEADER_HEIGHT - round(self.scroll_y)
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def _scroll_cursor_into_view(self, *, animate: bool = False) -> None:
        region = Region(round(self.scroll_x), self.cursor_row + HEADER_HEIGHT, 1, 1)
        self.scroll_to_region(
            region, animate=animate, spacing=Spacing(top=HEADER_HEIGHT), force=True
        )

    def _move_by(self, rows: int) -> None:
        self._set_hover(None)
        if self._rows:
            self.move_cursor(row=self.cursor_row + rows)

    @property
    def _page(self) -> int:
        return max(self.scrollable_content_region.height - HEADER_HEIGHT, 1)

    def action_cursor_up(self) -> None:
        """One row up."""
        self._move_by(-1)

    def action_cursor_down(self) -> None:
        """One row down."""
        self._move_by(1)

    def action_page_up(self) -> None:
        """One screen of rows up."""
        self._move_by(-self._page)

    def action_page_down(self) -> None:
        """One screen of rows down."""
        self._move_by(self._page)

    def action_cursor_first(self) -> None:
        """The first row."""
        self._move_by(-len(self._rows))

    def action_cursor_last(self) -> None:
        """The last row."""
        self._move_by(len(self._rows))

    def action_select_cursor(self) -> None:
        """Enter: the highlighted model is chosen."""
        if self._rows:
            key = row_key(self._rows[self.cursor_row])
            self.post_message(self.RowSelected(self, self.cursor_row, key))

    # The mouse ----------------------------------------------------------------------------

    def _row_under(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < HEADER_HEIGHT:
            return None
        row = offset.y - HEADER_HEIGHT + round(self.scroll_y)
        return row if row < len(self._rows) else None

    def _set_hover(self, row: int | None) -> None:
        if row != self._hover_row:
            for changed in (self._hover_row, row):
                if changed is not None:
                    self._refresh_row(changed)
            self._hover_row = row

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._row_under(event))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def on_click(self, event: events.Click) -> None:
        row = self._row_under(event)
        if row is None:
            return
        event.stop()
        if row == self.cursor_row:
            self.action_select_cursor()
        else:
            self.move_cursor(row=row)

    # Drawing ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Line `y` of the widget: the header, or the row scrolled to it."""
        width = self.size.width
        scroll_x = round(self.scroll_x)
        base = self.rich_style
        if y < HEADER_HEIGHT:
            header = self.get_component_styles("datatable--header").rich_style
            segments = [
                self._padded(Text(column), column, base + header, Style.null())
                for column in self._columns
            ]
            fill = base + header
        else:
            row = y - HEADER_HEIGHT + round(self.scroll_y)
            if row >= len(self._rows):
                return Strip.blank(width, base)
            fill, post = self._row_styles(row, base)
            cells = self._cells(row)
            segments = [
                self._padded(cells[column].as_text(), column, fill, post)
                for column in self._columns
            ]
        line = Strip([segment for cell in segments for segment in cell])
        return line.crop_extend(scroll_x, scroll_x + width, fill).simplify()

    def _row_styles(self, row: int, base: Style) -> tuple[Style, Style]:
        """(The style under the row's cells, the colour over them): zebra stripes, then the
        hover and the cursor, whose foreground wins over a cell's own colour (DataTable's
        `cursor_foreground_priority="css"`)."""
        stripe = "datatable--odd-row" if row % 2 else "datatable--even-row"
        style = base + self.get_component_styles(stripe).rich_style
        component = Style()
        if row == self._hover_row:
            component += self.get_component_rich_style("datatable--hover")
        if row == self.cursor_row:
            component += self.get_component_rich_style("datatable--cursor")
        post = Style.from_color(color=component.color) if component.color else Style.null()
        return style + component, post

    def _padded(self, text: Text, column: str, under: Style, over: Style) -> list[Segment]:
        """A cell drawn in its column: one space each side, cut or padded to the width."""
        width = self._widths[column]
        text.truncate(width)
        gap = " " * (width - text.cell_len)
        text = Text.assemble(gap, text) if text.justify == "right" else Text.assemble(text, gap)
        padded = Text.assemble(" ", text, " ")
        return [
            Segment(segment.text, under + segment.style + over if segment.style else under + over)
            for segment in padded.render(self.app.console, end="")
        ]
