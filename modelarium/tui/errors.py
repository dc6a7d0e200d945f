"""Turning failures into one-line notifications: the app never shows a traceback.

Workers catch the errors they expect and report them in words; `model_failure` words one about
a model so that the model is named once, then the host and why. `report_failed_worker` is the
safety net for the rest: a widget that runs workers forwards its `Worker.StateChanged` here, and
a worker that ended in an error becomes a notification naming what failed.
"""

from __future__ import annotations

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

from modelarium.ollama.types import ModelNotFound, OllamaError, names_model


def one_line(error: BaseException) -> str:
    """An error as one line of text (our errors already name host, model or file)."""
    text = " ".join(str(error).split())
    return text or type(error).__name__


def failure_reason(model: str, error: BaseException) -> str:
    """Why something failed for `model`, leaving the model for the caller to name once: an
    Ollama error's host and reason (`demo (http://…): not found (HTTP 404)` when the host
    has no such model, rather than Ollama's `model 'x' not found` after the name), any other
    error its one line."""
    if not isinstance(error, OllamaError):
        return one_line(error)
    reason = error.reason
    if isinstance(error, ModelNotFound) and names_model(error.message, model):
        reason = "not found" + (f" (HTTP {error.status})" if error.status is not None else "")
    return f"{error.where}: {reason}"


def model_failure(model: str, error: BaseException) -> str:
    """A failure about `model` in one line that names it once, then where and why:
    `mistral:7b: demo (http://…): not found (HTTP 404)`."""
    return f"{model}: {failure_reason(model, error)}"


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
