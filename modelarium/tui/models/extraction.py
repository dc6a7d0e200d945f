"""Turning a model's extracted elements into library candidates (names, tags, provenance)."""

from __future__ import annotations

from datetime import datetime

from modelarium.modelfile.elements import Element, ElementKind
from modelarium.store.types import NewElement, Provenance, Tag
from modelarium.tui.models.rows import ModelRow


def candidate_name(row: ModelRow, element: Element) -> str:
    """`llama3.1:8b template`, `qwen2.5-coder:7b parameters`."""
    return f"{row.name} {element.kind.value}"


def candidates_for(row: ModelRow, elements: tuple[Element, ...], now: datetime) -> list[NewElement]:
    """One candidate per element of the model, tagged with its family, with its provenance."""
    tags = (Tag("family", row.family),) if row.family else ()
    provenance = Provenance(
        host=row.host, model=row.name, model_digest=row.digest, extracted_at=now
    )
    return [
        NewElement(
            element=element,
            name=candidate_name(row, element),
            tags=tags,
            provenance=provenance,
        )
        for element in elements
        if not (element.kind is ElementKind.BASE and not element.value)
    ]
