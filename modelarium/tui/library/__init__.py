"""The element library pane: search, filters, element view with provenance, tags, drafts."""

from modelarium.tui.library.pane import LibraryPane

__all__ = ["LibraryPane"]
