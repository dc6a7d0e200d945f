"""What the banner above the models table says: no host configured, none answering (with what
to do about it), models loading, or which hosts are down — from the pane's state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text

from modelarium import locations

if TYPE_CHECKING:
    from modelarium.config import HostConfig
    from modelarium.tui.models.state import ModelsState


@dataclass(frozen=True, slots=True)
class Banner:
    """The banner's content and whether it reports a problem (None content: hidden)."""

    content: str | Text | None
    problem: bool = False


def banner_for(state: ModelsState, hosts: tuple[HostConfig, ...], demo: bool) -> Banner:
    """The banner for the configured `hosts` (`demo`: the demo host is being started)."""
    if not hosts:
        return Banner(
            "Starting the built-in demo host…" if demo else "No host is configured.", not demo
        )
    if state.all_down():
        tried = "\n".join(f"  • {state.host_problem(host.name, host.url)}" for host in hosts)
        return Banner(
            Text.assemble(
                ("No Ollama host answers.\n", "bold"),
                f"Tried:\n{tried}\n",
                "Set a host with the OLLAMA_HOST environment variable (e.g. "
                "OLLAMA_HOST=gpu-box:11434), [[hosts]] entries in "
                f"{locations.config_file()}, or `modelarium --host URL`.\n",
                ("Press d (or F9) to use the built-in demo host.", "bold"),
            ),
            True,
        )
    problems = [
        f"{state.host_problem(host)} — its models are not shown" for host in state.down_hosts()
    ]
    if state.loading_hosts and not state.all_rows:
        return Banner("Loading models from " + ", ".join(sorted(state.loading_hosts)) + "…")
    if problems:
        return Banner("\n".join(problems), True)
    return Banner(None)
