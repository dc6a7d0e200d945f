"""The Dashboard pane: hosts, loaded models, unload countdowns (loaded after the first paint)."""

from modelarium.tui.dashboard.pane import DashboardPane

__all__ = ["DashboardPane"]
