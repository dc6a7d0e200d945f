"""Plain frozen values the store hands out: never live ORM objects, safe across threads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from modelarium.modelfile import Element, ElementKind

TagCategory = Literal["family", "use_case", "source", "free"]
TAG_CATEGORIES: tuple[TagCategory, ...] = ("family", "use_case", "source", "free")

SearchTarget = Literal["element", "modelfile"]

MODELFILE_KIND = "modelfile"
"""The `kind` a Modelfile search hit carries (and a `kinds` filter value that selects them)."""

HIGHLIGHT_START = "«"
HIGHLIGHT_END = "»"
"""Markers around matched words in `SearchHit.snippet`, identical on every engine."""


@dataclass(frozen=True, slots=True, order=True)
class Tag:
    """A label on an element: a category (family, use_case, source, free) and a value."""

    category: TagCategory
    value: str

    def __str__(self) -> str:
        return f"{self.category}:{self.value}"

    @classmethod
    def parse(cls, text: str) -> Tag:
        """`family:qwen` -> Tag("family", "qwen"); text without a known category is a free tag."""
        category, separator, value = text.partition(":")
        if separator and category in TAG_CATEGORIES and value.strip():
            return cls(category, value.strip())
        return cls("free", text.strip())


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where an element was seen: the Ollama host, the model, its digest and when."""

    host: str
    model: str
    model_digest: str = ""
    extracted_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class NewElement:
    """An element offered to the library (from an import, an extraction or the editor)."""

    element: Element
    name: str
    tags: tuple[Tag, ...] = ()
    provenance: Provenance | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class StoredElement:
    """An element as stored, with its labels and the Modelfiles that use it (by name)."""

    id: int
    element: Element
    name: str
    tags: tuple[Tag, ...]
    provenance: tuple[Provenance, ...]
    notes: str
    curated: bool
    created_at: datetime
    updated_at: datetime
    used_by: tuple[str, ...] = ()

    @property
    def kind(self) -> ElementKind:
        """The element's kind."""
        return self.element.kind


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: an element or a Modelfile, with a highlighted snippet."""

    id: int
    kind: str
    """The element kind, or "modelfile" for a Modelfile hit."""
    name: str
    tags: tuple[Tag, ...]
    snippet: str
    """A short excerpt; matched words are wrapped in « and »."""
    score: float
    """Relevance within one search (higher is better); 0 when the query is empty."""
    target: SearchTarget


PreviewStatus = Literal["new", "present", "repeated"]


@dataclass(frozen=True, slots=True)
class PreviewItem:
    """What importing one candidate would do: add it, or find it already present."""

    candidate: NewElement
    status: PreviewStatus
    """new: would be added; present: stored already (existing_id); repeated: same content as
    an earlier candidate of the same import."""
    existing_id: int | None = None
    existing_name: str | None = None


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """Per-candidate outcome of an import, computed without writing anything."""

    items: tuple[PreviewItem, ...]

    @property
    def new_count(self) -> int:
        """How many candidates would be added."""
        return sum(1 for item in self.items if item.status == "new")

    @property
    def present_count(self) -> int:
        """How many candidates are stored already (or repeat an earlier candidate)."""
        return len(self.items) - self.new_count


@dataclass(frozen=True, slots=True)
class ModelfileEntry:
    """One position of a stored Modelfile's composition."""

    element_id: int
    name: str
    element: Element


@dataclass(frozen=True, slots=True)
class StoredModelfile:
    """A stored Modelfile: a name, a description and an ordered list of element references."""

    id: int
    name: str
    description: str
    entries: tuple[ModelfileEntry, ...]
    created_at: datetime
    updated_at: datetime

    @property
    def elements(self) -> tuple[Element, ...]:
        """The composed elements in order."""
        return tuple(entry.element for entry in self.entries)


@dataclass(frozen=True, slots=True)
class Draft:
    """Editor text saved automatically (losslessly: it need not parse)."""

    id: int
    name: str
    origin: str
    """Where the text came from (a file path, a model name, "new"...), shown on resume."""
    text: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import added (or, with dry_run, would add); `lines()` reads well in a terminal."""

    dry_run: bool
    elements_added: tuple[str, ...] = ()
    elements_present: tuple[str, ...] = ()
    modelfiles_added: tuple[str, ...] = ()
    modelfiles_present: tuple[str, ...] = ()
    drafts_added: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def changed(self) -> bool:
        """Whether the import adds anything."""
        return bool(self.elements_added or self.modelfiles_added or self.drafts_added)

    def lines(self) -> list[str]:
        """A human summary, one fact per line."""
        verb = "would add" if self.dry_run else "added"
        lines: list[str] = []
        for name in self.elements_added:
            lines.append(f"{verb} element {name}")
        for name in self.elements_present:
            lines.append(f"already present: element {name}")
        for name in self.modelfiles_added:
            lines.append(f"{verb} Modelfile {name}")
        for name in self.modelfiles_present:
            lines.append(f"already present: Modelfile {name}")
        for name in self.drafts_added:
            lines.append(f"{verb} draft {name}")
        lines.extend(self.notes)
        return lines
