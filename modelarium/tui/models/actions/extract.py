"""Extract models' elements into the library: read them, preview what is new before anything
is saved, then save the chosen ones with the typed tags (recording where known content was seen
too)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from modelarium.tui.errors import one_line
from modelarium.tui.messages import LibraryChanged
from modelarium.tui.models.actions.base import (
    ModelsView,
    joined_failures,
    local_rows,
    need_rows,
    report_finished,
)
from modelarium.tui.state import LibraryUnavailable
from modelarium.wording import counted

if TYPE_CHECKING:
    from datetime import datetime

    from modelarium.ollama.types import ModelSummary
    from modelarium.store.types import ImportPreview, NewElement, Tag
    from modelarium.tui.models.extract import ExtractChoice
    from modelarium.tui.models.state import FetchedDetails
    from modelarium.tui.state import Services


def extract(view: ModelsView) -> None:
    """Extract the selected models' elements; preview them before anything is saved."""
    rows = local_rows(view, need_rows(view), "extract weights of")
    if rows:
        view.notify(f"Reading {counted(len(rows), 'model')}…", timeout=2)
        view.start_work(partial(_prepare_extract, view, rows), "extract", exclusive=True)


async def _prepare_extract(view: ModelsView, rows: list[ModelSummary]) -> None:
    fetched, failures = await view.details_for(rows)
    if not fetched:
        view.notify("Nothing to extract: " + joined_failures(failures), severity="error")
        return
    services = view.services
    now = services.clock()
    try:
        preview = await asyncio.to_thread(preview_candidates, services, fetched, now)
    except LibraryUnavailable as error:
        view.notify(str(error), severity="error")
        return
    except Exception as error:  # a store error, reported
        view.notify(f"Cannot preview the extraction: {one_line(error)}", severity="error")
        return
    view.call_later(_show_preview, view, preview, tuple(failures))


def preview_candidates(
    services: Services, fetched: list[tuple[ModelSummary, FetchedDetails]], now: datetime
) -> ImportPreview:
    """Build the candidates and ask the library what is new (runs in a thread)."""
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.tui.models.extraction import candidates_for

    library = services.library.get()
    candidates: list[NewElement] = []
    for row, details in fetched:
        candidates.extend(candidates_for(row, details.elements, now))
    return library.preview_import(candidates)


def _show_preview(view: ModelsView, preview: ImportPreview, failures: tuple[str, ...]) -> None:
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.tui.models.extract import ExtractDialog

    if failures:
        view.notify(
            "Some models could not be read: " + joined_failures(failures), severity="warning"
        )

    def chosen(choice: ExtractChoice | None) -> None:
        if choice is not None and (choice.candidates or choice.seen):
            view.start_work(
                partial(_save, view, choice.candidates, choice.tags, choice.seen), "extract-save"
            )

    view.app.push_screen(ExtractDialog(preview), chosen)


async def _save(
    view: ModelsView,
    candidates: tuple[NewElement, ...],
    tags: tuple[Tag, ...],
    seen: tuple[NewElement, ...] = (),
) -> None:
    """Save the chosen candidates (with the typed tags) and record where the content already
    stored was seen too: `add_elements` merges a candidate whose content is there into that
    element (its provenance added), curated ones included. The store runs in a thread."""
    services = view.services

    def save() -> None:
        library = services.library.get()
        tagged = [replace(candidate, tags=(*candidate.tags, *tags)) for candidate in candidates]
        library.add_elements([*tagged, *seen])

    try:
        await asyncio.to_thread(save)
    except Exception as error:  # store errors and an unavailable library, reported
        report_finished(view, f"Saving to the library failed: {one_line(error)}", error=True)
        return
    count = len(candidates)
    view.post_message(LibraryChanged(f"extracted {counted(count, 'element')}"))
    report = f"Saved {counted(count, 'element')} to the library."
    if seen:
        report += f" Recorded the model and digest of {counted(len(seen), 'element')} it had."
    report_finished(view, report)
