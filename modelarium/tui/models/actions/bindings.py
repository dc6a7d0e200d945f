"""`ModelActions`: the Models pane's key actions (`action_…`, bound from the keymap), each
running its workflow on the pane as a `ModelsView`.

Each workflow's module is imported when its key is first pressed: together they pull in the
Modelfile parser, diff and document model, which nothing needs before the first paint."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from modelarium.tui.models.actions.base import ModelsView


class ModelActions:
    """Mixed into `ModelsPane`: Textual finds a key's `action_…` method on the pane."""

    def action_open_in_editor(self: ModelsView) -> None:
        """Open the highlighted model's elements in the editor."""
        from modelarium.tui.models.actions import open_model  # Deferred (start-up)

        open_model.open_in_editor(self)

    def action_knowledge(self: ModelsView) -> None:
        """Show the curated settings that apply to the highlighted model, side by side."""
        from modelarium.tui.models.actions import open_model  # Deferred (start-up)

        open_model.knowledge(self)

    def action_copy_model(self: ModelsView) -> None:
        """Copy the highlighted model under a new name (replacing a model asks first)."""
        from modelarium.tui.models.actions import copy_delete  # Deferred (start-up)

        copy_delete.copy_model(self)

    def action_delete_models(self: ModelsView) -> None:
        """Delete the selected (or highlighted) models, after confirmation."""
        from modelarium.tui.models.actions import copy_delete  # Deferred (start-up)

        copy_delete.delete_models(self)

    def action_load_models(self: ModelsView) -> None:
        """Load the selected (or highlighted) models into memory now."""
        from modelarium.tui.models.actions import memory  # Deferred (start-up)

        memory.load_models(self)

    def action_unload_models(self: ModelsView) -> None:
        """Free the memory of the selected (or highlighted) models that are loaded."""
        from modelarium.tui.models.actions import memory  # Deferred (start-up)

        memory.unload_models(self)

    def action_pull_model(self: ModelsView) -> None:
        """Pull a model (name asked for) onto the shown host, with progress."""
        from modelarium.tui.models.actions import registry  # Deferred (start-up)

        registry.pull_model(self)

    def start_pull(self: ModelsView, host: str, name: str) -> None:
        """Show the pull progress dialog for `name` on `host`; reload that host when done."""
        from modelarium.tui.models.actions import registry  # Deferred (start-up)

        registry.start_pull(self, host, name)

    def action_update_models(self: ModelsView) -> None:
        """Pull the selected (or highlighted) models again, one after another."""
        from modelarium.tui.models.actions import registry  # Deferred (start-up)

        registry.update_models(self)

    def action_push_model(self: ModelsView) -> None:
        """Push the highlighted model to its registry, with progress."""
        from modelarium.tui.models.actions import registry  # Deferred (start-up)

        registry.push_model(self)

    def action_compare_models(self: ModelsView) -> None:
        """Compare two models element by element (FROM, parameters, template, messages, …)."""
        from modelarium.tui.models.actions import compare  # Deferred (start-up)

        compare.compare_models(self)

    def action_compare_with_base(self: ModelsView) -> None:
        """Compare the highlighted model with the model it was made FROM."""
        from modelarium.tui.models.actions import compare  # Deferred (start-up)

        compare.compare_with_base(self)

    def action_compare_with_editor(self: ModelsView) -> None:
        """Compare the highlighted model with the Modelfile in the editor."""
        from modelarium.tui.models.actions import compare  # Deferred (start-up)

        compare.compare_with_editor(self)

    def action_rebase_models(self: ModelsView) -> None:
        """Re-create the selected (or highlighted) derived models on their base's weights."""
        from modelarium.tui.models.actions import recreate  # Deferred (start-up)

        recreate.rebase_models(self)

    def action_apply_lines(self: ModelsView) -> None:
        """Lay the same Modelfile lines over the selected (or highlighted) models."""
        from modelarium.tui.models.actions import recreate  # Deferred (start-up)

        recreate.apply_lines(self)

    def action_extract(self: ModelsView) -> None:
        """Extract the selected models' elements; preview them before anything is saved."""
        from modelarium.tui.models.actions import extract  # Deferred (start-up)

        extract.extract(self)
