"""Rows of the models table: the client's `ModelSummary` (one installed model on one host)
as the table keys, sorts, filters and words it.

Pure functions over the client's frozen results (no copy of them), so the pane's behaviour is
testable without a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from rich.text import Text

from modelarium.ollama.running import cpu_percent
from modelarium.wording import human_bytes

if TYPE_CHECKING:
    from modelarium.ollama.types import ModelSummary

SortKey = Literal["name", "size", "modified", "family"]
SORT_KEYS: tuple[SortKey, ...] = ("name", "size", "modified", "family")


def row_key(model: ModelSummary) -> str:
    """Unique per host and model: the table's row key and the selection's member."""
    return f"{model.host}\x1f{model.name}"


human_size = human_bytes
"""Sizes as Ollama prints them (`modelarium.wording.human_bytes`), under the table's name."""


def matches(row: ModelSummary, query: str) -> bool:
    """Every word of `query` appears (case-insensitively) in the row's name, family, quant,
    parameter size, capabilities or host."""
    haystack = " ".join(
        (row.name, row.family, row.quantization, row.parameter_size, row.host, *row.capabilities)
    ).lower()
    return all(word in haystack for word in query.lower().split())


def sort_rows(
    rows: Iterable[ModelSummary], key: SortKey, reverse: bool = False
) -> list[ModelSummary]:
    """Rows in table order; ties broken by name then host. `modified` sorts newest first."""
    by_name = sorted(rows, key=lambda row: (row.name.lower(), row.host))
    if key == "name":
        return by_name[::-1] if reverse else by_name
    if key == "size":
        return sorted(by_name, key=lambda row: row.size, reverse=not reverse)
    if key == "modified":
        return sorted(
            by_name,
            key=lambda row: row.modified_at.timestamp() if row.modified_at else 0.0,
            reverse=not reverse,
        )
    return sorted(by_name, key=lambda row: row.family.lower(), reverse=reverse)


def visible_rows(
    rows: Iterable[ModelSummary],
    *,
    host: str | None,
    query: str,
    sort_key: SortKey,
    reverse: bool = False,
) -> list[ModelSummary]:
    """The rows the table shows: of one host (None: all), matching the filter, sorted."""
    chosen = (row for row in rows if (host is None or row.host == host) and matches(row, query))
    return sort_rows(chosen, sort_key, reverse)


LOADED_WIDTH = len("78% GPU")
"""Cells the Loaded column needs for its widest value (`78% GPU`, `Unknown`; `cloud`):
the table fits its columns to this from the start, so a model loading later, or `/api/ps`
answering after the listing, never takes another column's room."""


def loaded_cell(size: int, size_vram: int) -> str:
    """The table's short form of `processor_text`: `GPU`, `CPU`, `78% GPU` (a share that
    rounds to all of it, `0%/100% CPU/GPU`, reads as `GPU`: the column is never wider than
    `LOADED_WIDTH`)."""
    cpu = cpu_percent(size, size_vram)
    if size_vram == 0 or cpu == 100:
        return "CPU"
    if size_vram == size or cpu == 0:
        return "GPU"
    return "Unknown" if cpu is None else f"{100 - cpu}% GPU"


SORT_WORDS: dict[SortKey, tuple[str, str]] = {
    "name": ("A→Z", "Z→A"),
    "size": ("largest first", "smallest first"),
    "modified": ("newest first", "oldest first"),
    "family": ("A→Z", "Z→A"),
}
"""How each sort key's order reads, (as sorted, reversed): words, not arrows, which read as
A→Z for names and as largest-first for sizes (issue 17)."""


def sort_wording(key: SortKey, reverse: bool) -> str:
    """`name A→Z`, `size largest first`, `modified oldest first`: the order the table shows."""
    return f"{key} {SORT_WORDS[key][1 if reverse else 0]}"


def ellipsized(text: Text, width: int) -> Text:
    """`text` cut to `width` cells with a `…` at the cut (never cut mid-word without one)."""
    if text.cell_len <= width:
        return text
    cut = text.copy()
    cut.truncate(max(width - 1, 0))
    cut.append("…")
    return cut


COLUMN_PRIORITY: tuple[str, ...] = (
    "Host",
    "Params",
    "Family",
    "Loaded",
    "Quant",
    "Capabilities",
    "Modified",
)
"""Columns after the mark, Name and Size, kept in this order while the table has room: on a
narrow terminal the last ones are hidden rather than cut (issue 17)."""
CELL_PADDING = 2
"""Cells a DataTable column adds to its content (one each side)."""
NAME_MIN_WIDTH = 12
"""Below this many cells a name shows too little to tell models apart: columns go first."""


def fit_columns(
    columns: list[str], widths: dict[str, int], available: int
) -> tuple[list[str], int | None]:
    """Which of `columns` the table shows in `available` cells, in their order, and the width
    the Name column is cut to (None: it fits).

    The mark, Name and Size always show; the others by `COLUMN_PRIORITY` while they fit whole.
    """
    always = [column for column in columns if column not in COLUMN_PRIORITY]
    used = sum(widths[column] + CELL_PADDING for column in always)
    shown = set(always)
    for column in COLUMN_PRIORITY:
        if column in columns and used + widths[column] + CELL_PADDING <= available:
            shown.add(column)
            used += widths[column] + CELL_PADDING
    name_width: int | None = None
    if "Name" in widths and used > available:
        name_width = max(widths["Name"] - (used - available), NAME_MIN_WIDTH)
    return [column for column in columns if column in shown], name_width


def find_row(rows: Iterable[ModelSummary], name: str) -> ModelSummary | None:
    """The row `name` denotes (Ollama's name rules: case ignored, default tag applied)."""
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.ollama.names import same_model

    return next((row for row in rows if same_model(row.name, name)), None)


def model_name_problem(name: str) -> str | None:
    """Why Ollama would refuse `name` as a model name, or None."""
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.ollama.names import ModelName

    return ModelName.parse(name).problem
