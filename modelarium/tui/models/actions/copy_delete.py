"""Copy a model under a new name, and delete models: each decided on the hosts' present state
(asked of them when the user confirms), replacing or deleting what changed only after a yes."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from modelarium.tui.errors import model_failure, one_line
from modelarium.tui.models.actions.base import (
    ModelsView,
    confirm_then,
    joined_failures,
    listing,
    need_cursor,
    need_rows,
    report_finished,
)
from modelarium.tui.models.rows import find_row, human_size, model_name_problem, row_key
from modelarium.wording import counted

if TYPE_CHECKING:
    from modelarium.ollama.types import ModelSummary
    from modelarium.tui.models.state import HostLists


def copy_model(view: ModelsView) -> None:
    """Copy the highlighted model under a new name (asked for). Whether the name is taken is
    asked of the host at that moment; replacing a model asks first."""
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.ollama.names import copy_name, same_model
    from modelarium.tui.dialogs.name_input import NameDialog

    row = need_cursor(view)
    if row is None:
        return

    def chosen(name: str | None) -> None:
        if name:
            view.ask_hosts([row.host], partial(decide, name))

    def decide(name: str, lists: HostLists) -> None:
        present = lists[row.host]
        if find_row(present, row.name) is None:
            view.notify(f"{row.name} is no longer on {row.host}.", severity="warning")
            return
        target = find_row(present, name)
        if target is None:
            start_copy(view, row, name)
            return
        existing = target.name
        if same_model(existing, row.name):
            view.notify(f"{name} is {row.name} itself; nothing to copy.", severity="warning")
            return
        confirm_then(
            view,
            f"Replace {existing} on {row.host}?",
            f"A model named {existing} exists on {row.host} now; copying "
            f"{row.name} there replaces it.",
            "Replace",
            partial(start_copy, view, row, name),
        )

    view.app.push_screen(
        NameDialog(
            f"Copy {row.name} on {row.host} to:",
            value=copy_name(row.name),
            check=model_name_problem,
        ),
        chosen,
    )


def start_copy(view: ModelsView, row: ModelSummary, destination: str) -> None:
    """Copy `row` to `destination` on its host, in a worker."""
    view.start_work(partial(_copy, view, row, destination), "model-action")


async def _copy(view: ModelsView, row: ModelSummary, destination: str) -> None:
    try:
        await view.client(row.host).copy(row.name, destination)
    except Exception as error:  # reported in a notification
        report_finished(view, f"Copy failed: {one_line(error)}", error=True)
        return
    report_finished(view, f"Copied {row.name} to {destination} on {row.host}.", hosts=(row.host,))


def delete_models(view: ModelsView) -> None:
    """Delete the selected (or highlighted) models, after confirmation."""
    rows = need_rows(view)
    if not rows:
        return
    shown = listing([f"  • {row.name} on {row.host} ({human_size(row.size)})" for row in rows])

    def present(lists: HostLists) -> None:
        """Delete what is on the hosts now: a model already gone is reported, one re-created
        since it was listed (another digest) is deleted only after a yes."""
        now = [(row, find_row(lists[row.host], row.name)) for row in rows]
        gone = [row for row, current in now if current is None]
        there = [current for _, current in now if current is not None]
        changed = [
            current for row, current in now if current is not None and current.digest != row.digest
        ]
        if not changed:
            start_delete(view, there, gone)
            return
        confirm_then(
            view,
            f"{counted(len(changed), 'model')} changed since listed",
            "\n".join(
                f"  • {row.name} on {row.host} is now {row.digest[:12]}" for row in changed[:15]
            )
            + "\n\nAnother client re-created them. Delete them as they are now?",
            "Delete",
            partial(start_delete, view, there, gone),
            declined="Nothing deleted.",
        )

    confirm_then(
        view,
        f"Delete {counted(len(rows), 'model')}?",
        f"{shown}\n\nThis cannot be undone.",
        "Delete",
        partial(view.ask_hosts, [row.host for row in rows], present),
    )


def start_delete(
    view: ModelsView, rows: list[ModelSummary], already_gone: list[ModelSummary]
) -> None:
    """Delete `rows` from their hosts, in a worker; `already_gone` are reported as such."""
    view.start_work(partial(_delete, view, rows, already_gone), "model-action")


async def _delete(
    view: ModelsView, rows: list[ModelSummary], already_gone: list[ModelSummary]
) -> None:
    async def one(row: ModelSummary) -> str | None:
        try:
            await view.client(row.host).delete(row.name)
        except Exception as error:  # collected and reported together
            return model_failure(row.name, error)
        return None

    outcomes = await asyncio.gather(*(one(row) for row in rows))
    failures = [error for error in outcomes if error]
    gone = tuple(row_key(row) for row, error in zip(rows, outcomes, strict=True) if error is None)
    report = f"Deleted {counted(len(gone), 'model')}."
    if already_gone:
        names = ", ".join(f"{row.name} on {row.host}" for row in already_gone)
        report += f" Already gone: {names}."
        gone += tuple(row_key(row) for row in already_gone)
    if failures:
        report += " Failed: " + joined_failures(failures)
    hosts = tuple(sorted({row.host for row in [*rows, *already_gone]}))
    report_finished(view, report, hosts=hosts, error=bool(failures), gone=gone)
