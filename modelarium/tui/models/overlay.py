"""Batch apply: the same Modelfile lines laid over several models (the core's
`modelfile.overlay`), each created under a name made from a `{repo}:{tag}` pattern. Pure: the
dialog previews the plan as you type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from modelarium.modelfile import CreateRequestError, ModelCreate, ModelfileError, overlay_create
from modelarium.ollama.names import ModelName
from modelarium.ollama.types import ModelSummary

SAME_NAME = "{repo}:{tag}"
"""The name pattern that replaces each model in place."""

NEW_NAME = "{repo}:{tag}-custom"
"""The default name pattern: new models beside the originals (replacing is never the
default)."""


@dataclass(frozen=True, slots=True)
class OverlayItem:
    """What applying the lines to one model creates, or why it cannot."""

    row: ModelSummary
    target: str
    """The model name created (`{repo}`/`{tag}` filled in)."""
    create: ModelCreate | None
    """The exact create sent for this model (None with a problem)."""
    problem: str | None = None

    @property
    def body(self) -> Mapping[str, object] | None:
        """The `/api/create` body, exactly as sent (None with a problem)."""
        return None if self.create is None else self.create.body


def split_name(model: str) -> tuple[str, str]:
    """`mario/sql-reviewer:latest` -> (`mario/sql-reviewer`, `latest`); no tag -> `latest`."""
    name = ModelName.parse(model)
    return name.display.removesuffix(f":{name.tag}"), name.tag


def target_name(pattern: str, model: str) -> str:
    """`pattern` with `{repo}` and `{tag}` of `model` filled in (other text kept as typed)."""
    repo, tag = split_name(model)
    return pattern.replace("{repo}", repo).replace("{tag}", tag).strip()


def plan_overlay(rows: list[ModelSummary], lines: str, pattern: str) -> list[OverlayItem]:
    """One item per model: the target name and its exact create, or the problem."""
    items: list[OverlayItem] = []
    for row in rows:
        target = target_name(pattern, row.name)
        name_problem = ModelName.parse(target).problem if target else "the name is empty"
        if name_problem is not None:
            items.append(OverlayItem(row, target, None, f"invalid name {target!r}: {name_problem}"))
            continue
        try:
            create = overlay_create(lines, row.name, target)
        except (ModelfileError, CreateRequestError) as error:
            items.append(OverlayItem(row, target, None, str(error)))
            continue
        items.append(OverlayItem(row, target, create))

    def identity(item: OverlayItem) -> tuple[str, tuple[str, str, str, str]]:
        return item.row.host, ModelName.parse(item.target).key  # names ignore case

    taken: dict[tuple[str, tuple[str, str, str, str]], int] = {}
    for item in items:
        taken[identity(item)] = taken.get(identity(item), 0) + 1
    return [
        item
        if item.problem or taken[identity(item)] == 1
        else OverlayItem(item.row, item.target, None, "another selected model gets this name too")
        for item in items
    ]
