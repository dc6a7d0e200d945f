"""What the dashboard shows, as plain data and text (no Textual, no I/O): testable alone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len, set_cell_size

from modelarium.ollama.running import STAYS_LOADED_AFTER, processor_text
from modelarium.ollama.types import RunningModel
from modelarium.wording import human_bytes

SPARK_BARS = "▁▂▃▄▅▆▇█"
SPARK_WIDTH = 20
"""Probes shown in a host's latency sparkline (the pool probes each host about every second,
so with the 5 s sampling of the dashboard this covers the last minutes)."""


def sparkline(values: Sequence[float | None], width: int = SPARK_WIDTH) -> str:
    """The latest `width` latencies as bars scaled to the largest shown; a failed probe (None)
    is `·`."""
    shown = list(values)[-width:] if width > 0 else []
    answered = [value for value in shown if value is not None]
    if not answered:
        return "·" * len(shown)
    top = max(answered) or 1.0
    bars = []
    for value in shown:
        if value is None:
            bars.append("·")
            continue
        index = min(len(SPARK_BARS) - 1, int(value / top * (len(SPARK_BARS) - 1) + 0.5))
        bars.append(SPARK_BARS[index])
    return "".join(bars)


def countdown_text(expires_at: datetime, now: datetime) -> str:
    """Time left before a model leaves memory: `4:59`, `1:02:03`, `stays loaded`,
    `unloading`."""
    if expires_at - now > STAYS_LOADED_AFTER:
        return "stays loaded"
    left = int((expires_at - now).total_seconds())
    if left <= 0:
        return "unloading"
    hours, rest = divmod(left, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"


@dataclass(frozen=True, slots=True)
class ContextFacts:
    """A loaded model's context beside what the model allows and what its Modelfile asks."""

    maximum: int | None = None
    """The model's trained context length (`/api/show` model info)."""
    modelfile_num_ctx: str | None = None
    """The `num_ctx` its own Modelfile sets, if any."""


def context_text(running: RunningModel, facts: ContextFacts | None) -> str:
    """`8192 of 32768 · Modelfile 4096 ≠`: the loaded context, the maximum, the Modelfile's."""
    loaded = str(running.context_length) if running.context_length else "?"
    parts = [loaded]
    if facts is not None and facts.maximum:
        parts[0] = f"{loaded} of {facts.maximum}"
    if facts is not None and facts.modelfile_num_ctx is not None:
        differs = running.context_length and facts.modelfile_num_ctx != str(running.context_length)
        parts.append(f"Modelfile {facts.modelfile_num_ctx}{' ≠' if differs else ''}")
    return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class HostTotals:
    """One host's figures: models on disk and in memory."""

    models: int | None
    disk: int | None
    loaded: int
    memory: int
    vram: int


def host_totals(disk_sizes: Iterable[int] | None, running: Sequence[RunningModel]) -> HostTotals:
    """Sum a host's listed model sizes and its loaded models' memory."""
    sizes = None if disk_sizes is None else list(disk_sizes)
    return HostTotals(
        models=None if sizes is None else len(sizes),
        disk=None if sizes is None else sum(sizes),
        loaded=len(running),
        memory=sum(model.size for model in running),
        vram=sum(model.size_vram for model in running),
    )


def memory_text(totals: HostTotals, *, split: bool = True) -> str:
    """`6.6 GB (22%/78% CPU/GPU)`, `6.6 GB` without the split, or `—` when nothing is loaded."""
    if not totals.loaded:
        return "—"
    if not split:
        return human_bytes(totals.memory)
    return f"{human_bytes(totals.memory)} ({processor_text(totals.memory, totals.vram)})"


def bytes_text(size: int | None) -> str:
    """A size for people, `?` when unknown."""
    return "?" if size is None else human_bytes(size)


HOST_COLUMNS = (
    *("Host", "State", "Version", "Latency", "Probes"),
    *("Models", "Disk", "Loaded", "Memory"),
)
"""The hosts table's columns, left to right."""
HOST_COLUMN = HOST_COLUMNS.index("Host")
PROBES_COLUMN = HOST_COLUMNS.index("Probes")


def spark_width(room: int) -> int:
    """Probes a sparkline shows in `room` cells: as many recent ones as fit, at most
    SPARK_WIDTH, and never fewer than the column's header is wide (those cells are taken
    anyway)."""
    return max(cell_len(HOST_COLUMNS[PROBES_COLUMN]), min(SPARK_WIDTH, room))


def clip(text: str, width: int | None) -> str:
    """`text` in at most `width` cells (None: all of it), its end given way to `…` (a wide
    character that would be cut is left out whole)."""
    if width is None or cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)).rstrip(" ") + "…"


LOADED_COLUMNS = ("Host", "Model", "Size", "Processor", "Context", "Unloads in")
LOADED_MODEL_COLUMN = LOADED_COLUMNS.index("Model")
LOADED_CONTEXT_COLUMN = LOADED_COLUMNS.index("Context")
LOADED_GIVING_WAY = (LOADED_MODEL_COLUMN, LOADED_CONTEXT_COLUMN)
"""The In memory columns that give way on a narrow screen: the model name and the context
note (`4096 of 32768 · Modelfile 16384 ≠`); the others are short already."""


def fit_loaded(rows: Sequence[Sequence[str]], width: int, padding: int = 1) -> dict[int, int]:
    """The most cells each giving-way column of the In memory table may take so the table, each
    column `padding` cells either side of its widest text, fits `width`: the wider of the
    model name and the context gives a cell at a time, neither narrower than its header
    (narrower still, the table overflows). Empty when every text fits whole."""
    widths = [
        max([cell_len(header), *(cell_len(row[index]) for row in rows)])
        for index, header in enumerate(LOADED_COLUMNS)
    ]
    over = sum(widths) + 2 * padding * len(widths) - width
    limits: dict[int, int] = {}
    while over > 0:
        able = [i for i in LOADED_GIVING_WAY if widths[i] > cell_len(LOADED_COLUMNS[i])]
        if not able:
            break
        column = max(able, key=lambda index: widths[index])
        widths[column] -= 1
        limits[column] = widths[column]
        over -= 1
    return limits


@dataclass(frozen=True, slots=True)
class HostsFit:
    """How the hosts table fits its width."""

    probes: int = SPARK_WIDTH
    """Probes each host's sparkline shows."""
    split: bool = True
    """Whether the Memory column says the CPU/GPU split (dropped when there is no room)."""
    host: int | None = None
    """Cells a host's name may take (None: all it needs); the last thing to give way."""


@dataclass(frozen=True, slots=True)
class HostLine:
    """One host's row of the hosts table, before it is fitted to the table's width."""

    host: str
    state: str
    version: str
    latency: str
    latencies: tuple[float | None, ...]
    totals: HostTotals

    def cells(self, fit: HostsFit) -> tuple[str, ...]:
        """The row's texts under `fit`, in `HOST_COLUMNS` order."""
        totals = self.totals
        return (
            clip(self.host, fit.host),
            self.state,
            self.version,
            self.latency,
            sparkline(self.latencies, fit.probes),
            "?" if totals.models is None else str(totals.models),
            bytes_text(totals.disk),
            str(totals.loaded),
            memory_text(totals, split=fit.split),
        )


def column_widths(lines: Sequence[HostLine], fit: HostsFit) -> list[int]:
    """Each column's widest text under `fit` (its header at least), in cells."""
    widths = [cell_len(header) for header in HOST_COLUMNS]
    for line in lines:
        cells = line.cells(fit)
        widths = [max(known, cell_len(cell)) for known, cell in zip(widths, cells, strict=True)]
    return widths


def fit_hosts(lines: Sequence[HostLine], width: int, padding: int = 1) -> HostsFit:
    """The fit of the hosts table in `width` cells, each column taking `padding` cells either
    side of its widest text. Memory keeps the CPU/GPU split while the other columns leave
    the Probes column its header's width, and the sparkline takes the room they leave (see
    `spark_width`); with no room even for the short Memory, the host names give way (down to
    their header's width: narrower still, the table overflows)."""
    header = cell_len(HOST_COLUMNS[PROBES_COLUMN])
    room = 0
    widths: list[int] = []
    for split in (True, False):
        widths = column_widths(lines, HostsFit(0, split))
        room = width - (sum(widths) - widths[PROBES_COLUMN]) - 2 * padding * len(widths)
        if room >= header:
            return HostsFit(spark_width(room), split)
    host = max(cell_len(HOST_COLUMNS[HOST_COLUMN]), widths[HOST_COLUMN] - (header - room))
    return HostsFit(header, split=False, host=host)
