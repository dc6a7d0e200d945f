"""A host that fails every model the same way is named once, with how many models it failed."""

from __future__ import annotations

from modelarium.tui.models.actions.base import joined_failures


def test_the_same_failure_is_said_once_with_its_count() -> None:
    failures = ["demo: connection refused"] * 15 + ["granite4:3b: model blob is corrupt"]
    assert joined_failures(failures) == (
        "demo: connection refused (×15); granite4:3b: model blob is corrupt"
    )
    assert joined_failures(["a", "b"]) == "a; b"
    assert joined_failures([]) == ""
