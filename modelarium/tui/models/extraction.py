"""Turning a model's extracted elements into library candidates (names, tags, provenance)."""

from __future__ import annotations

from datetime import datetime

from modelarium.modelfile import Element, ElementKind
from modelarium.ollama.types import ModelSummary
from modelarium.store.candidates import library_candidates
from modelarium.store.types import NewElement, Provenance, Tag


def candidates_for(
    row: ModelSummary, elements: tuple[Element, ...], now: datetime
) -> list[NewElement]:
    """One candidate per element of the model (`llama3.1:8b template`; an empty FROM left
    out), tagged with its family, with its provenance."""
    tags = (Tag("family", row.family),) if row.family else ()
    provenance = Provenance(
        host=row.host, model=row.name, model_digest=row.digest, extracted_at=now
    )
    kept = [
        element
        for element in elements
        if not (element.kind is ElementKind.BASE and not element.value)
    ]
    return list(library_candidates(kept, row.name, tags=tags, provenance=provenance))
