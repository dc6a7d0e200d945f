"""Open a model elsewhere: its elements in the editor (through the app, `OpenInEditor`), and
the curated settings that apply to it (the knowledge view)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from modelarium.tui.messages import OpenInEditor
from modelarium.tui.models.actions.base import ModelsView, need_cursor

if TYPE_CHECKING:
    from modelarium.ollama.types import ModelSummary


def open_in_editor(view: ModelsView) -> None:
    """Open the highlighted model's elements in the editor."""
    row = need_cursor(view)
    if row is not None:
        view.start_work(partial(_open_in_editor, view, row), "open-in-editor", exclusive=True)


async def _open_in_editor(view: ModelsView, row: ModelSummary) -> None:
    fetched, failures = await view.details_for([row])
    if failures:
        view.notify(f"Cannot open {failures[0]}", severity="error")
        return
    _, details = fetched[0]
    view.post_message(
        OpenInEditor(
            elements=details.elements, origin=f"{row.name} on {row.host}", model_name=row.name
        )
    )


def knowledge(view: ModelsView) -> None:
    """Show the curated settings that apply to the highlighted model, side by side."""
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.tui.models.knowledge_dialog import KnowledgeScreen

    row = need_cursor(view)
    if row is not None:
        view.app.push_screen(KnowledgeScreen(row.host, row.name))
