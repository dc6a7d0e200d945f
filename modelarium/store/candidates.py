"""The one naming rule for library candidates: an element offered to the library from a model,
the editor or an imported Modelfile is called `<name> <kind>`, numbered from the second element
of a kind (`llava:7b base`, `llava:7b base 2`)."""

from __future__ import annotations

from collections.abc import Iterable

from modelarium.modelfile import Element
from modelarium.store.types import NewElement, Provenance, Tag


def library_candidates(
    elements: Iterable[Element],
    name: str,
    *,
    tags: tuple[Tag, ...] = (),
    provenance: Provenance | None = None,
) -> tuple[NewElement, ...]:
    """One candidate per element, named after `name` (a model or a Modelfile), each with the
    same tags and provenance."""
    counts: dict[str, int] = {}
    candidates: list[NewElement] = []
    for element in elements:
        kind = element.kind.value
        counts[kind] = counts.get(kind, 0) + 1
        suffix = f" {counts[kind]}" if counts[kind] > 1 else ""
        candidates.append(
            NewElement(element, f"{name} {kind}{suffix}".strip(), tags, provenance=provenance)
        )
    return tuple(candidates)
