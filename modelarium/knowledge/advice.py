"""What the curated records say about one installed model, as the facts the core's model
rules read: the warning against greedy decoding (MF106, `ModelFacts.greedy_warning`) and the
documented tool-call styles (KN001, `ModelFacts.tool_call_styles`).

Reading the records' prose and data is this package's job; the hosts layer only hands the
fetched facts in (in a thread: the records are read and validated on first use), and the core
only reads the facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from modelarium.modelfile import CuratedAdvice, ModelFacts

if TYPE_CHECKING:
    from modelarium.knowledge.records import KnowledgeRecord

_AGAINST_GREEDY = re.compile(
    r"\b(?:never|do not|don't|avoid|instead of)\b[^.]*\bgreedy\b", re.IGNORECASE
)
"""A statement that warns against greedy decoding ("DO NOT use greedy decoding", "Use
Temperature=0.6 … instead of Greedy decoding"), not one that merely says a default is greedy."""
_COMMIT = re.compile(r"@([0-9a-f]{12})[0-9a-f]{28}\b")


def greedy_warning(records: Iterable[KnowledgeRecord]) -> CuratedAdvice | None:
    """The first of `records` (those that apply to one model) that warns against greedy
    decoding, as the core's `CuratedAdvice`; None when none does."""
    for record in records:
        quote = record.source.quote or ""
        values = record.values if isinstance(record.values, str) else ""
        text = next((t for t in (quote, values) if _AGAINST_GREEDY.search(t)), None)
        if text is None:
            continue
        return CuratedAdvice(
            record=record.id,
            text=text.strip().lstrip("-> ").strip(),
            source=_COMMIT.sub(r"@\1", record.source.where),
            origin=record.origin.replace("-", " "),
        )
    return None


def _applying(facts: ModelFacts) -> tuple[KnowledgeRecord, ...]:
    """The records that apply to the model of `facts`."""
    # Deferred (start-up): the curated records load only when a model's facts are fetched.
    from modelarium.knowledge.match import facts_from_core, select
    from modelarium.knowledge.records import load_records

    return tuple(select(load_records(), facts_from_core(facts)))


def _documented(records: Iterable[KnowledgeRecord]) -> tuple[str, ...]:
    # Deferred (start-up): loaded with the records, only when a model's facts are fetched.
    from modelarium.knowledge.toolcall import documented_styles

    return tuple(sorted(documented_styles(records)))


def with_tool_call_styles(facts: ModelFacts) -> ModelFacts:
    """`facts` with the tool-call styles documented for the model (`tool_call_styles`, read
    by KN001); facts that already carry them are returned as they are."""
    if facts.tool_call_styles is not None:
        return facts
    return replace(facts, tool_call_styles=_documented(_applying(facts)))


def with_curated_advice(facts: ModelFacts) -> ModelFacts:
    """`facts` with what the curated records say about the model: the documented tool-call
    styles (KN001) and, for a thinking model (the rule is about them), the warning against
    greedy decoding (MF106)."""
    records = _applying(facts)
    warning = greedy_warning(records) if facts.supports("thinking") else None
    return replace(
        facts,
        tool_call_styles=_documented(records),
        greedy_warning=warning or facts.greedy_warning,
    )
