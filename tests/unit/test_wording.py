"""Sizes worded as Ollama's `format.HumanBytes` prints them, for the CLI and the TUI alike."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelarium.wording import human_bytes


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 B"),
        (999, "999 B"),
        (1000, "1 KB"),
        (1234, "1.2 KB"),
        (9_960, "10.0 KB"),  # below 10 before rounding: one decimal, as Go's %.1f gives
        (10_999, "10 KB"),  # from 10 up the value is truncated, never rounded up
        (366_200_000, "366 MB"),
        (99_950_000, "99 MB"),
        (2_000_000_000, "2 GB"),
        (4_661_224_676, "4.7 GB"),
        (14_000_000_000, "14 GB"),
        (1_500_000_000_000, "1.5 TB"),
        (2_000_000_000_000_000, "2000 TB"),
    ],
)
def test_sizes_read_as_in_ollama_list(size: int, text: str) -> None:
    assert human_bytes(size) == text


@given(st.integers(min_value=0, max_value=10**16))
def test_every_size_has_a_number_and_a_unit(size: int) -> None:
    number, unit = human_bytes(size).split(" ")
    assert unit in ("B", "KB", "MB", "GB", "TB")
    assert float(number) <= size
    assert "." not in number or float(number) < 10.05
