"""How `ollama ps` describes a loaded model: where it sits (GPU/CPU) and when it unloads.

Shared by the Models pane and `modelarium models ps`.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from modelarium.plural import counted


def processor_text(size: int, size_vram: int) -> str:
    """Where a loaded model sits, as `ollama ps` says it: `100% GPU`, `100% CPU`,
    `22%/78% CPU/GPU` (Go's rounding: halves away from zero), `Unknown`."""
    if size_vram == 0:
        return "100% CPU"
    if size_vram == size:
        return "100% GPU"
    if size_vram > size or size <= 0:
        return "Unknown"
    cpu_percent = math.floor((size - size_vram) / size * 100 + 0.5)
    return f"{cpu_percent}%/{100 - cpu_percent}% CPU/GPU"


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
