"""The Models pane's action workflows, one module per workflow: copy and delete, load and
unload, pull, update and push, compare, re-create on the base, apply lines, extract, open in the
editor. Each is a function of the pane as a `ModelsView` (what a workflow uses of it), so the
workflows import no pane and the pane only binds keys to them."""
