"""Batch apply: lay the same Modelfile lines (PARAMETERs, SYSTEM, …) over several models.

For each model the lines are joined with `FROM <model>` (placed last, so the lines keep their
own line numbers in errors) and turned into an `/api/create` body by the core, exactly as the
editor's create does. Ollama lays the new parameters over the base's key by key, so every
setting the lines do not name is kept. Pure functions: the dialog previews them as you type.
"""

from __future__ import annotations

from dataclasses import dataclass

from modelarium.modelfile.commands import ModelfileError
from modelarium.modelfile.create import CreateRequestError, build_create_request
from modelarium.modelfile.parser import parse
from modelarium.ollama.names import ModelName
from modelarium.tui.models.rows import ModelRow

SAME_NAME = "{repo}:{tag}"
"""The name pattern that replaces each model in place."""


@dataclass(frozen=True, slots=True)
class OverlayItem:
    """What applying the lines to one model creates, or why it cannot."""

    row: ModelRow
    target: str
    """The model name created (`{repo}`/`{tag}` filled in)."""
    body: dict[str, object] | None
    """The `/api/create` body (without `model`/`stream`, which the client sets)."""
    problem: str | None = None


def split_name(model: str) -> tuple[str, str]:
    """`mario/sql-reviewer:latest` -> (`mario/sql-reviewer`, `latest`); no tag -> `latest`."""
    repo, separator, tag = model.rpartition(":")
    if not separator or "/" in tag:
        return model, "latest"
    return repo, tag


def target_name(pattern: str, model: str) -> str:
    """`pattern` with `{repo}` and `{tag}` of `model` filled in (other text kept as typed)."""
    repo, tag = split_name(model)
    return pattern.replace("{repo}", repo).replace("{tag}", tag).strip()


def overlay_problem(lines: str) -> str | None:
    """Why `lines` cannot be laid over a model at all (None when they can)."""
    try:
        commands = parse(lines + ("" if lines.endswith("\n") or not lines else "\n") + "FROM x\n")
    except ModelfileError as error:
        return str(error)
    if sum(command.name == "model" for command in commands) > 1:
        return "the lines have a FROM of their own: each selected model is the base"
    if len(commands) == 1:
        return "nothing to apply: write PARAMETER, SYSTEM, TEMPLATE, MESSAGE… lines"
    return None


def plan_overlay(rows: list[ModelRow], lines: str, pattern: str) -> list[OverlayItem]:
    """One item per model: the target name and create body, or the problem."""
    joined = lines + ("" if lines.endswith("\n") or not lines else "\n")
    items: list[OverlayItem] = []
    for row in rows:
        target = target_name(pattern, row.name)
        name_problem = ModelName.parse(target).problem if target else "the name is empty"
        if name_problem is not None:
            items.append(OverlayItem(row, target, None, f"invalid name {target!r}: {name_problem}"))
            continue
        try:
            request = build_create_request(parse(joined + f"FROM {row.name}\n"), None)
        except (ModelfileError, CreateRequestError) as error:
            items.append(OverlayItem(row, target, None, str(error)))
            continue
        items.append(OverlayItem(row, target, dict(request.body)))
    taken: dict[tuple[str, str], int] = {}
    for item in items:
        key = (item.row.host, ModelName.parse(item.target).display)
        taken[key] = taken.get(key, 0) + 1
    return [
        item
        if item.problem or taken[(item.row.host, ModelName.parse(item.target).display)] == 1
        else OverlayItem(item.row, item.target, None, "another selected model gets this name too")
        for item in items
    ]
