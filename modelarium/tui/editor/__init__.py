"""The Modelfile editor pane: highlighted TextArea, live elements and lint, save/create flows."""

from modelarium.tui.editor.pane import EditorPane

__all__ = ["EditorPane"]
