"""A failure about one model, worded to name the model once, then where (the host) and why.

Light on imports: the pane's details view uses it from the first paint."""

from __future__ import annotations

from modelarium.ollama.types import ModelNotFound, OllamaError, names_model
from modelarium.tui.errors import one_line


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
