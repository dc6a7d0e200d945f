"""Compare models element by element: two models (selected, or the same name on another host),
a model and its base, a model and the editor's Modelfile — all shown in one `CompareDialog`."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from modelarium.tui.errors import one_line
from modelarium.tui.models import compare_base
from modelarium.tui.models.actions.base import ModelsView, joined_failures, need_cursor
from modelarium.tui.models.rows import row_key
from modelarium.wording import counted

if TYPE_CHECKING:
    from modelarium.modelfile import ModelfileDiff
    from modelarium.ollama.types import ModelSummary


def show_diff(view: ModelsView, diff: ModelfileDiff, note: str = "") -> None:
    """Open the comparison dialog (in the pane's turn, once the diff is ready)."""
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.tui.models.compare import CompareDialog

    view.app.push_screen(CompareDialog(diff, note=note))


def compare_models(view: ModelsView) -> None:
    """Compare two models element by element (FROM, parameters, template, messages, …)."""
    state = view.state
    current = view.cursor_row
    pair = state.compare_pair(current)
    if pair is None and not state.selected and current is not None:
        elsewhere = compare_base.same_name_elsewhere(current, state.all_rows)
        pair = (current, elsewhere) if elsewhere is not None else None
    if pair is None:
        count = len(state.selected)
        view.notify(
            "Select two models with Space to compare them (or one, then highlight the other)"
            + (f"; {counted(count, 'model is', 'models are')} selected." if count else "."),
            severity="warning",
        )
        return
    view.start_work(partial(_compare_pair, view, pair), "compare", exclusive=True)


async def _compare_pair(view: ModelsView, pair: tuple[ModelSummary, ModelSummary]) -> None:
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.modelfile import DiffError, diff_modelfiles

    fetched, failures = await view.details_for(list(pair))
    if failures:
        view.notify("Cannot compare: " + joined_failures(failures), severity="error")
        return
    modelfiles = {row_key(row): details.details.modelfile for row, details in fetched}
    before, after = pair
    try:
        diff = await asyncio.to_thread(
            diff_modelfiles,
            modelfiles[row_key(before)],
            modelfiles[row_key(after)],
            before_label=f"{before.name} on {before.host}",
            after_label=f"{after.name} on {after.host}",
        )
    except DiffError as error:
        view.notify(f"Cannot compare: {error}", severity="error")
        return
    view.call_later(show_diff, view, diff, compare_base.digest_note(before, after))


def compare_with_base(view: ModelsView) -> None:
    """Compare the highlighted model with the model it was made FROM."""
    row = need_cursor(view)
    if row is not None:
        view.start_work(partial(_compare_with_base, view, row), "compare", exclusive=True)


async def _compare_with_base(view: ModelsView, row: ModelSummary) -> None:
    # Deferred (start-up): loaded only when this runs.
    from modelarium.modelfile import DiffError
    from modelarium.ollama.facts import named_base

    fetched, failures = await view.details_for([row])
    if failures:
        view.notify("Cannot compare: " + joined_failures(failures), severity="error")
        return
    details = fetched[0][1].details
    base = named_base(details)
    if base is None:
        view.notify(f"{row.name} was not made FROM a named model.", severity="warning")
        return
    try:
        base_details = await view.client(row.host).show(base)
        comparison = compare_base.compare_texts(
            base_details.modelfile,
            details.modelfile,
            f"{base_details.name} on {row.host} (base)",
            f"{row.name} on {row.host}",
        )
    except DiffError as error:
        view.notify(f"Cannot compare: {error}", severity="error")
        return
    except Exception as error:  # the base is gone or the host failed: say which
        view.notify(f"Cannot compare with base {base}: {one_line(error)}", severity="error")
        return
    view.call_later(show_diff, view, comparison.diff)


def compare_with_editor(view: ModelsView) -> None:
    """Compare the highlighted model with the Modelfile in the editor."""
    row = view.cursor_row
    editors = view.app.query("#editor")
    text = getattr(editors.first(), "text", None) if editors else None
    if row is None or not isinstance(text, str) or not text.strip():
        view.notify(
            "Highlight a model, and have a Modelfile in the editor, to compare them.",
            severity="warning",
        )
        return
    view.start_work(partial(_compare_with_editor, view, row, text), "compare", exclusive=True)


async def _compare_with_editor(view: ModelsView, row: ModelSummary, text: str) -> None:
    # Deferred (start-up): loaded only when this runs.
    from modelarium.modelfile import DiffError

    fetched, failures = await view.details_for([row])
    if failures:
        view.notify("Cannot compare: " + joined_failures(failures), severity="error")
        return
    try:
        comparison = await asyncio.to_thread(
            compare_base.compare_texts,
            fetched[0][1].details.modelfile,
            text,
            f"{row.name} on {row.host}",
            "the editor's Modelfile",
        )
    except DiffError as error:
        view.notify(f"Cannot compare: {error}", severity="error")
        return
    view.call_later(show_diff, view, comparison.diff)
