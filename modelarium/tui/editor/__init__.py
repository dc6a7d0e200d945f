"""The Modelfile editor pane: highlighted TextArea, live elements and lint, save/create flows."""
