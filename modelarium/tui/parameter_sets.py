"""Which library parameter sets suit a model: the wizard's suggestions and the Trials variants.

One rule, the Models pane's `k` view's: the knowledge matcher (`knowledge.match.select`) picks
the curated records that apply to the model by its series (from its name lineage, not Ollama's
coarse `family`: the demo's mistral reports `llama`), size, variant and mode, and the curated
sets offered are the ones seeded from those records. The engine-wide defaults ("Ollama server")
are left out: they are what runs when no set is applied, not a set for this model. The user's
own sets are offered when one of their `family` tags names the same series. A curated set is
named after the record that matched (the library keeps one element for equal values, named
after the first record that had them, which may be another model's). A set curated for
another model (a guard or vision model, another series) is never offered; when nothing
matches, `MatchedSets.note` says so in one line.

Blocking (the library is read): call from a thread.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from modelarium.knowledge.match import ModelFacts, line_of, model_line, select
from modelarium.knowledge.records import KnowledgeRecord, load_records
from modelarium.store.seeding import SOURCE_LABELS, KnowledgeFilter

if TYPE_CHECKING:
    from modelarium.store import Library
    from modelarium.store.types import StoredElement

ENGINE_FAMILY = "all"
"""The family of the engine-wide records (defaults of the Ollama server for every model)."""
SEARCH_LIMIT = 10_000


@dataclass(frozen=True, slots=True)
class OfferedSet:
    """One library parameter set offered for the model, with the name to show."""

    element: StoredElement
    label: str
    """`Llama-3.1-8B-Instruct parameters (vendor code default)`: after the matching record."""


@dataclass(frozen=True, slots=True)
class MatchedSets:
    """The parameter sets that suit the model(s), and a line saying why there are none."""

    sets: tuple[OfferedSet, ...]
    note: str
    """Empty when sets were found; else e.g. `No curated parameter set matches mistral:7b
    (series mistral) · code.`"""


def curated_records(
    facts: ModelFacts, *, use_case: str | None = None, mode: str | None = None
) -> tuple[KnowledgeRecord, ...]:
    """The curated records the matcher applies to the model, engine-wide ones left out (the
    `k` view's selection)."""
    return tuple(
        record
        for record in select(load_records(), facts, use_case=use_case, mode=mode)
        if record.family != ENGINE_FAMILY
    )


def record_label(record: KnowledgeRecord, element: StoredElement) -> str:
    """`Qwen3-8B thinking code parameters (vendor recommendation)`, as the record reads."""
    parts = [record.conditions.mode or "", record.conditions.task or ""]
    use = "".join(f" {part}" for part in parts if part and part != "general")
    stops_only = all(parameter.name == "stop" for parameter in element.element.parameters)
    what = "stop sequences" if stops_only else "parameters"
    origin = SOURCE_LABELS.get(record.origin, record.origin)
    return f"{record.model}{use} {what} ({origin})"


def seeded_sets(
    library: Library, records: Sequence[KnowledgeRecord]
) -> Iterator[tuple[KnowledgeRecord, int]]:
    """(record, element id) of each library parameter set seeded from `records`, in the
    records' order (a set seeded from two records comes twice)."""
    for record in records:
        hits = library.search(
            kinds=("parameters",),
            knowledge=KnowledgeFilter(record_ids=(record.id,)),
            limit=SEARCH_LIMIT,
        )
        for hit in hits:
            yield record, hit.id


def _curated_labels(
    library: Library, records: Sequence[KnowledgeRecord], by_id: dict[int, StoredElement]
) -> dict[int, str]:
    """Element id -> label, for the curated elements seeded from `records` (first wins)."""
    labels: dict[int, str] = {}
    for record, element_id in seeded_sets(library, records):
        element = by_id.get(element_id)
        if element is not None and element_id not in labels:
            labels[element_id] = record_label(record, element)
    return labels


def _own_set_suits(element: StoredElement, line: str | None) -> bool:
    return line is not None and any(
        tag.category == "family" and line_of(tag.value) == line for tag in element.tags
    )


def parameter_sets_for(
    library: Library,
    models: Sequence[ModelFacts],
    *,
    use_case: str | None = None,
    mode: str | None = None,
) -> MatchedSets:
    """The library's parameter sets that suit every one of `models` (a Trials variant runs
    on each), curated ones first; `use_case` and `mode` narrow the records as in `k`."""
    if not models:
        return MatchedSets((), "No model to match parameter sets to.")
    by_id = {element.id: element for element in library.list_elements(kinds=("parameters",))}
    chosen: dict[int, str] | None = None
    for facts in models:
        records = curated_records(facts, use_case=use_case, mode=mode)
        labels = _curated_labels(library, records, by_id)
        line = model_line(facts)
        for element in by_id.values():
            if not element.curated and _own_set_suits(element, line):
                labels.setdefault(element.id, element.name)
        chosen = labels if chosen is None else {k: v for k, v in chosen.items() if k in labels}
    offered = tuple(OfferedSet(by_id[key], label) for key, label in (chosen or {}).items())
    if offered:
        return MatchedSets(offered, "")
    return MatchedSets((), no_match_line(models, use_case))


def no_match_line(models: Sequence[ModelFacts], use_case: str | None = None) -> str:
    """`No curated parameter set matches mistral:7b (series mistral) · code.`"""
    named = ", ".join(f"{facts.name} (series {model_line(facts) or 'unknown'})" for facts in models)
    scope = "all of " if len(models) > 1 else ""
    case = f" · {use_case}" if use_case else ""
    return f"No curated parameter set matches {scope}{named}{case}."
