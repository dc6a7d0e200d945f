"""Lay Modelfile lines (PARAMETER, SYSTEM, TEMPLATE, MESSAGE, …) over an installed model.

`<lines>` + `FROM <base>` is an ordinary Modelfile: create turns it into a request whose new
parameters Ollama lays over the base's key by key, so every setting the lines do not name is
kept. FROM goes last, so errors keep the lines' own line numbers.

`overlay_create` is the exact create for one model: the lines carry none of the base's
licenses, so the license decision is "send the lines' own" (Ollama adds them to the base's).
"""

from __future__ import annotations

from modelarium.modelfile.commands import ModelfileError
from modelarium.modelfile.create import (
    CreateRequest,
    ModelCreate,
    build_create_request,
    model_create,
)
from modelarium.modelfile.parser import parse

FROM_COMMAND = "model"
"""The command name the parser gives a FROM line."""


def _with_base(lines: str, base: str) -> str:
    return lines + ("" if lines.endswith("\n") or not lines else "\n") + f"FROM {base}\n"


def overlay_problem(lines: str) -> str | None:
    """Why `lines` cannot be laid over a model at all (Ollama's parse error, a FROM of their
    own, nothing to apply); None when they can."""
    try:
        commands = parse(_with_base(lines, "base"))
    except ModelfileError as error:
        return str(error)
    if sum(command.name == FROM_COMMAND for command in commands) > 1:
        return "the lines have a FROM of their own: each selected model is the base"
    if len(commands) == 1:
        return "nothing to apply: write PARAMETER, SYSTEM, TEMPLATE, MESSAGE… lines"
    return None


def overlay_request(lines: str, base: str) -> CreateRequest:
    """The create request for `lines` over `base`; raises ModelfileError or
    CreateRequestError with Ollama's text."""
    return build_create_request(parse(_with_base(lines, base)), None)


def overlay_create(lines: str, base: str, model: str) -> ModelCreate:
    """The exact create of `lines` over `base` under the name `model` (shown and sent as is);
    raises ModelfileError or CreateRequestError with Ollama's text."""
    return model_create(overlay_request(lines, base), model)
