"""What the dashboard shows, as plain data and text (no Textual, no I/O): testable alone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from modelarium.ollama.running import STAYS_LOADED_AFTER, processor_text
from modelarium.ollama.types import RunningModel
from modelarium.wording import human_bytes

SPARK_BARS = "▁▂▃▄▅▆▇█"
SPARK_WIDTH = 20
"""Probes shown in a host's latency sparkline (the pool probes each host about every second,
so with the 5 s sampling of the dashboard this covers the last minutes)."""


def sparkline(values: Sequence[float | None], width: int = SPARK_WIDTH) -> str:
    """Latencies as bars scaled to the largest shown; a failed probe (None) is `·`."""
    shown = list(values)[-width:]
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


def memory_text(totals: HostTotals) -> str:
    """`6.6 GB (78% GPU)` or `—` when nothing is loaded."""
    if not totals.loaded:
        return "—"
    return f"{human_bytes(totals.memory)} ({processor_text(totals.memory, totals.vram)})"


def bytes_text(size: int | None) -> str:
    """A size for people, `?` when unknown."""
    return "?" if size is None else human_bytes(size)
