"""Counts in messages ("1 element", "2 matches"): `modelarium.wording.counted`, kept importable
from here for callers not yet moved to the one wording module."""

from __future__ import annotations

from modelarium.wording import counted

__all__ = ["counted"]
