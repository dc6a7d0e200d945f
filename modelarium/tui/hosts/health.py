"""The host pool's `HostStatus` as the TUI's `HostHealth` (what panes and the status bar read)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from modelarium.tui.messages import HostHealth

if TYPE_CHECKING:
    from modelarium.ollama.types import HostStatus


def health_from_status(status: HostStatus) -> HostHealth:
    """Copy the fields the TUI shows."""
    return HostHealth(
        name=status.name,
        url=status.url,
        state=status.state,
        latency_ms=status.latency_ms,
        version=status.version,
        error=status.last_error,
    )
