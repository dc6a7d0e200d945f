"""The status bar: one entry per host with its health, latency and Ollama version."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from modelarium.ollama.types import HostStatus
from modelarium.terminal_text import terminal_text

STATE_MARKS = {"up": "●", "degraded": "◐", "down": "○", "unknown": "…"}
STATE_STYLES = {"up": "green", "degraded": "yellow", "down": "red", "unknown": "dim"}


def describe_host(health: HostStatus) -> Text:
    """`● local up 12 ms v0.33.0` / `○ gpu-box down: connection refused`; what the host sent
    (its version) is shown terminal-safe."""
    text = Text()
    text.append(STATE_MARKS[health.state] + " ", style=STATE_STYLES[health.state])
    text.append(terminal_text(health.name), style="bold")
    if health.state == "unknown":
        text.append(" checking…", style="dim")
    elif health.state == "down":
        text.append(" down", style=STATE_STYLES["down"])
    else:
        text.append(f" {health.state}", style=STATE_STYLES[health.state])
        if health.latency_ms is not None:
            text.append(f" {health.latency_ms:.0f} ms")
        if health.version:
            text.append(f" v{terminal_text(health.version)}", style="dim")
    return text


class HostStatusBar(Static):
    """Health of every host in one line; the app sets `hosts` from `HostsChanged`."""

    hosts: reactive[tuple[HostStatus, ...]] = reactive(tuple, always_update=True)

    def __init__(
        self,
        hosts: tuple[HostStatus, ...] = (),
        *,
        id: str | None = None,  # noqa: A002
    ) -> None:
        super().__init__(id=id)
        self.set_reactive(HostStatusBar.hosts, hosts)

    def render(self) -> Text:
        line = Text("Hosts: ", style="bold")
        for index, health in enumerate(self.hosts):
            if index:
                line.append("  │  ", style="dim")
            line.append_text(describe_host(health))
        if not self.hosts:
            line.append("none configured", style="red")
        return line

    def watch_hosts(self, hosts: tuple[HostStatus, ...]) -> None:
        """Tooltip carries the URLs and errors, which do not fit the line (as plain text: a
        host's error text is neither markup nor terminal codes)."""
        self.tooltip = Text(
            "\n".join(
                terminal_text(
                    f"{health.name} {health.url}: {health.state}"
                    + (f" ({health.last_error})" if health.last_error else ""),
                    lines="join",
                )
                for health in hosts
            )
        )
