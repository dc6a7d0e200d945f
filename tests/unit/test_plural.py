from __future__ import annotations

import pytest

from modelarium.plural import counted


@pytest.mark.parametrize(
    ("count", "noun", "plural", "expected"),
    [
        (0, "element", None, "0 elements"),
        (1, "element", None, "1 element"),
        (2, "element", None, "2 elements"),
        (1, "match", "matches", "1 match"),
        (3, "match", "matches", "3 matches"),
        (-1, "byte", None, "-1 bytes"),
    ],
)
def test_counted(count: int, noun: str, plural: str | None, expected: str) -> None:
    assert counted(count, noun, plural) == expected
