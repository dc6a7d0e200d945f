"""The one reading of tags typed by a person, for every dialog and command that takes them."""

from __future__ import annotations

from modelarium.store.types import Tag


def parse_tags(text: str) -> tuple[Tag, ...]:
    """Tags from user text, separated by commas and/or blanks, first mention first, each once:
    `use_case:code favourite, favourite` -> (Tag(use_case, code), Tag(free, favourite)).
    `category:value` for family/use_case/source, anything else a free tag; no tag holds a
    blank."""
    unique: dict[Tag, None] = {}
    for word in text.replace(",", " ").split():
        unique[Tag.parse(word)] = None
    return tuple(unique)
