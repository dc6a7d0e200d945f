"""Turning failures into one-line notifications: the app never shows a traceback.

Workers catch the errors they expect and report them in words. `report_failed_worker` is the
safety net for the rest: a widget that runs workers forwards its `Worker.StateChanged` here, and
a worker that ended in an error becomes a notification naming what failed.
"""

from __future__ import annotations

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState


def one_line(error: BaseException) -> str:
    """An error as one line of text (our errors already name host, model or file)."""
    text = " ".join(str(error).split())
    return text or type(error).__name__


def report_failed_worker(node: DOMNode, event: Worker.StateChanged) -> None:
    """Notify when a worker of `node` ended with an unexpected error."""
    if event.state is not WorkerState.ERROR or event.worker.error is None:
        return
    what = event.worker.name or "a background task"
    node.app.notify(
        f"Unexpected error in {what}: {one_line(event.worker.error)}",
        severity="error",
        timeout=15,
    )
