"""The Models pane: every model of every host, its details, and what can be done with it."""

from modelarium.tui.models.pane import ModelsPane

__all__ = ["ModelsPane"]
