"""The curated parameter sets of another size of the base's series, offered as such.

When no vendor sampling record applies to the base (qwen2.5-coder:7b), the knowledge matcher
names the series' records for other sizes (`knowledge.match.other_sizes`: Qwen2.5-Coder-32B-
Instruct's), nearest first. The wizard offers the library sets seeded from those records
under a label that says whose size they are (`other size (32B, not 7.6B): ...`), after the
line that says no set matches the base itself: a choice the user makes knowingly, never a
match.

Blocking (the library is read): call from a thread.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from modelarium.knowledge.records import KnowledgeRecord
from modelarium.tui.parameter_sets import OfferedSet, record_label, seeded_sets

if TYPE_CHECKING:
    from modelarium.store import Library


def other_size_label(record: KnowledgeRecord, label: str, size: str) -> str:
    """`other size (32B, not 7.6B): Qwen2.5-Coder-32B-Instruct code parameters (third-party
    copy)`: the record's sizes and the base's, before the set's usual label."""
    sizes = "/".join(record.conditions.sizes or ())
    against = f", not {size}" if size else ""
    return f"other size ({sizes}{against}): {label}"


def other_size_sets(
    library: Library,
    records: Sequence[KnowledgeRecord],
    size: str,
    *,
    offered: Collection[int] = (),
) -> tuple[OfferedSet, ...]:
    """The library's parameter sets seeded from `records` (other sizes' sampling records,
    nearest first), labelled with their size and the base's `size`; a set already in
    `offered` (element ids) is left out."""
    found: list[OfferedSet] = []
    seen = set(offered)
    for record, element_id in seeded_sets(library, records):
        if element_id in seen:
            continue
        seen.add(element_id)
        element = library.get_element(element_id)
        label = other_size_label(record, record_label(record, element), size)
        found.append(OfferedSet(element, label))
    return tuple(found)
