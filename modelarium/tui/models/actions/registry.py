"""Pull a model onto a host, update installed models (pull them again, one after another) and
push one to its registry, each with the progress dialog (`models.transfer`)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from modelarium.tui.errors import model_failure
from modelarium.tui.models.actions.base import (
    ModelsView,
    confirm_then,
    listing,
    local_rows,
    need_cursor,
    need_rows,
)
from modelarium.tui.models.rows import find_row, model_name_problem
from modelarium.wording import counted

if TYPE_CHECKING:
    from modelarium.ollama.types import ModelSummary
    from modelarium.tui.models.state import HostLists


def pull_model(view: ModelsView) -> None:
    """Pull a model (name asked for) onto the shown host, with progress; a name that is on the
    host now (asked of the host) is replaced only after a yes."""
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.tui.dialogs.name_input import NameDialog

    host = view.state.transfer_host()
    if host is None:
        view.notify("No host to pull to.", severity="warning")
        return
    current = view.cursor_row

    def chosen(name: str | None) -> None:
        if name:
            view.ask_hosts([host], partial(decide, name))

    def decide(name: str, lists: HostLists) -> None:
        existing = find_row(lists[host], name)
        if existing is None:
            start_pull(view, host, name)
            return
        confirm_then(
            view,
            f"Replace {existing.name} on {host}?",
            f"{existing.name} is on {host} now; pulling {name} replaces it with the "
            "registry's version (U updates installed models).",
            "Pull",
            partial(start_pull, view, host, name),
        )

    view.app.push_screen(
        NameDialog(
            f"Pull a model to {host}:",
            value=current.name if current is not None and current.host == host else "",
            placeholder="e.g. llama3.2:3b",
            check=model_name_problem,
        ),
        chosen,
    )


def start_pull(view: ModelsView, host: str, name: str) -> None:
    """Show the pull progress dialog for `name` on `host`; reload that host when done."""
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.tui.models.transfer import TransferDialog

    def finished(succeeded: bool | None) -> None:
        if succeeded:
            view.notify(f"Pulled {name} to {host}.")
        view.reload([host])  # a cancelled pull may still have finished on the host

    # The client is looked up when the transfer starts (and on retry), inside the dialog's
    # error handling: a host that is gone becomes a message there.
    view.app.push_screen(
        TransferDialog(f"Pulling {name} to {host}", lambda: view.client(host).pull(name)),
        finished,
    )


def update_models(view: ModelsView) -> None:
    """Pull the selected (or highlighted) models again, one after another: each gets the
    registry's newest version. A failure is noted and the batch goes on; Esc stops it."""
    rows = need_rows(view)
    if not rows:
        return
    hosts = sorted({row.host for row in rows})
    confirm_then(
        view,
        f"Update {counted(len(rows), 'model')} on {', '.join(hosts)}?",
        "Pulls each again from its registry, replacing the installed version:\n"
        + listing([f"{row.name} on {row.host}" for row in rows]),
        "Update",
        partial(_update_next, view, rows, 0, [], []),
    )


def _update_next(
    view: ModelsView, rows: list[ModelSummary], index: int, updated: list[str], failed: list[str]
) -> None:
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.tui.models.transfer import TransferDialog

    hosts = sorted({row.host for row in rows[:index]})
    if index == len(rows):
        _report_update(view, updated, failed, stopped_at=None)
        view.reload(hosts)
        return
    row = rows[index]
    dialog = TransferDialog(
        f"Updating {row.name} on {row.host} ({index + 1} of {len(rows)})",
        lambda: view.client(row.host).pull(row.name),
        close_on_failure=True,
    )

    def finished(succeeded: bool | None) -> None:
        if succeeded:
            updated.append(row.name)
        elif dialog.state == "failed" and dialog.failure is not None:
            failed.append(model_failure(row.name, dialog.failure))
        else:  # cancelled: the rest is left as it is
            _report_update(view, updated, failed, stopped_at=row.name)
            view.reload(sorted({row.host for row in rows[: index + 1]}))
            return
        _update_next(view, rows, index + 1, updated, failed)

    view.app.push_screen(dialog, finished)


def _report_update(
    view: ModelsView, updated: list[str], failed: list[str], stopped_at: str | None
) -> None:
    report = f"Updated {counted(len(updated), 'model')}"
    report += f": {', '.join(updated)}." if updated else "."
    if failed:
        report += " Failed: " + "; ".join(failed)
    if stopped_at is not None:
        report += f" Stopped at {stopped_at}."
    view.notify(report, severity="error" if failed else "information")


def push_model(view: ModelsView) -> None:
    """Push the highlighted model to its registry, with progress."""
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.tui.models.transfer import TransferDialog

    row = need_cursor(view)
    if row is None or not local_rows(view, [row], "push"):
        return

    def finished(succeeded: bool | None) -> None:
        if succeeded:
            view.notify(f"Pushed {row.name} from {row.host}.")

    def start() -> None:
        view.app.push_screen(
            TransferDialog(
                f"Pushing {row.name} from {row.host}",
                lambda: view.client(row.host).push(row.name),
            ),
            finished,
        )

    confirm_then(
        view,
        f"Push {row.name} from {row.host}?",
        f"Uploads {row.name} from {row.host} to its registry, replacing what is there "
        "under that name.",
        "Push",
        start,
    )
