"""How `ollama ps` describes a loaded model: where it sits (GPU/CPU) and when it unloads.

Shared by the Models pane and `modelarium models ps`.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from modelarium.wording import counted


def cpu_percent(size: int, size_vram: int) -> int | None:
    """The share of a loaded model held in system memory, as `ollama ps` rounds it (Go's
    rounding: halves away from zero); None when the sizes make no sense."""
    if size_vram > size or size <= 0:
        return None
    return math.floor((size - size_vram) / size * 100 + 0.5)


def processor_text(size: int, size_vram: int) -> str:
    """Where a loaded model sits, as `ollama ps` says it: `100% GPU`, `100% CPU`,
    `22%/78% CPU/GPU`, `Unknown`."""
    if size_vram == 0:
        return "100% CPU"
    if size_vram == size:
        return "100% GPU"
    cpu = cpu_percent(size, size_vram)
    return "Unknown" if cpu is None else f"{cpu}%/{100 - cpu}% CPU/GPU"


STAYS_LOADED_AFTER = timedelta(days=365 * 100)
"""An expiry this far ahead means `keep_alive` < 0: Ollama keeps the model loaded."""


def unload_text(expires_at: datetime, now: datetime) -> str:
    """When a loaded model leaves memory: `unloads in 4 minutes`, `stays loaded`,
    `unloading`."""
    left = (expires_at - now).total_seconds()
    if expires_at - now > STAYS_LOADED_AFTER:
        return "stays loaded"
    if left <= 0:
        return "unloading"
    for limit, size, unit in ((60, 1, "second"), (3600, 60, "minute"), (86400, 3600, "hour")):
        if left < limit:
            count = max(1, int(left // size))
            return f"unloads in {counted(count, unit)}"
    count = int(left // 86400)
    return f"unloads in {counted(count, 'day')}"
