"""The Trials view: run the probes against the models selected in Models, with variants, and
read the variant × probe matrix (`screen.TrialsScreen`, `cell.TrialCellDialog`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App


def open_trials(app: App[None]) -> None:
    """Open the Trials view for the Models pane's selection (else its highlighted model)."""
    # Deferred (start-up): loaded on first use, not with the screen.
    from modelarium.tui.models.pane import ModelsPane
    from modelarium.tui.trials.screen import TrialsScreen

    panes = app.query(ModelsPane)
    rows = panes.first().target_rows() if panes else []
    if not rows:
        app.notify("Select models in Models first (Space), then press t.", severity="warning")
        return
    app.push_screen(TrialsScreen(rows))
