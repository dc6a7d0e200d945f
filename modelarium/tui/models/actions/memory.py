"""Load models into memory now (for the server's keep_alive), and free the memory of loaded
ones; cloud models hold no weights and are left out, saying so."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from modelarium.tui.errors import model_failure
from modelarium.tui.models.actions.base import (
    ModelsView,
    joined_failures,
    local_rows,
    need_rows,
    report_finished,
)
from modelarium.wording import counted

if TYPE_CHECKING:
    from modelarium.ollama.types import ModelSummary


def load_models(view: ModelsView) -> None:
    """Load the selected (or highlighted) models into memory now."""
    rows = local_rows(view, need_rows(view), "load")
    if rows:
        view.notify(f"Loading {counted(len(rows), 'model')} into memory…", timeout=2)
        view.start_work(partial(_change_memory, view, rows, load=True), "model-action")


def unload_models(view: ModelsView) -> None:
    """Free the memory of the selected (or highlighted) models that are loaded."""
    rows = local_rows(view, need_rows(view), "unload")
    loaded = [row for row in rows if view.state.running_model(row) is not None]
    if rows and not loaded:
        names = ", ".join(row.name for row in rows[:3]) + (" …" if len(rows) > 3 else "")
        view.notify(f"Not in memory: {names}", severity="warning")
    if loaded:
        view.start_work(partial(_change_memory, view, loaded, load=False), "model-action")


async def _change_memory(view: ModelsView, rows: list[ModelSummary], *, load: bool) -> None:
    async def one(row: ModelSummary) -> str | None:
        client = view.client(row.host)
        try:
            await (client.load(row.name) if load else client.unload(row.name))
        except Exception as error:  # collected and reported together
            return model_failure(row.name, error)
        return None

    outcomes = await asyncio.gather(*(one(row) for row in rows))
    failures = [error for error in outcomes if error]
    done = len(rows) - len(failures)
    report = f"{'Loaded' if load else 'Unloaded'} {counted(done, 'model')}."
    if failures:
        report += " Failed: " + joined_failures(failures)
    report_finished(view, report, error=bool(failures))
    view.refresh_running(sorted({row.host for row in rows}))
