"""The one wording module: sizes as Ollama's `format.HumanBytes` prints them, counts,
relative times and one-line element summaries, for the CLI and the TUI alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelarium import plural
from modelarium.wording import counted, element_summary, human_bytes, relative_time

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


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


@pytest.mark.parametrize(
    ("count", "noun", "plural_form", "expected"),
    [
        (0, "element", None, "0 elements"),
        (1, "element", None, "1 element"),
        (2, "element", None, "2 elements"),
        (1, "match", "matches", "1 match"),
        (3, "match", "matches", "3 matches"),
        (-1, "byte", None, "-1 bytes"),
    ],
)
def test_counted(count: int, noun: str, plural_form: str | None, expected: str) -> None:
    assert counted(count, noun, plural_form) == expected


def test_counts_have_one_home() -> None:
    """`modelarium.plural` re-exports the same function rather than a second copy."""
    assert plural.counted is counted


@pytest.mark.parametrize(
    ("age", "text"),
    [
        (timedelta(seconds=5), "just now"),
        (timedelta(seconds=59.9), "just now"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(minutes=59), "59 minutes ago"),
        (timedelta(hours=3), "3 hours ago"),
        (timedelta(days=1), "1 day ago"),
        (timedelta(days=29, hours=23), "29 days ago"),
        (timedelta(days=45), "1 month ago"),
        (timedelta(days=364), "12 months ago"),
        (timedelta(days=800), "2 years ago"),
        (timedelta(seconds=-30), "in the future"),
    ],
)
def test_relative_time_reads_like_a_person(age: timedelta, text: str) -> None:
    assert relative_time(NOW - age, NOW) == text


def test_relative_time_of_unknown_moment_is_a_dash() -> None:
    assert relative_time(None, NOW) == "-"


@given(st.floats(min_value=0, max_value=10**10, allow_nan=False))
def test_every_past_moment_reads_as_now_or_some_units_ago(seconds: float) -> None:
    text = relative_time(NOW - timedelta(seconds=seconds), NOW)
    assert text == "just now" or (text.endswith(" ago") and int(text.split(" ")[0]) >= 1)


@pytest.mark.parametrize(
    ("kind", "text", "summary"),
    [
        ("system", "You are terse.", "SYSTEM  You are terse."),
        ("system", "\n  First words\nsecond\nthird", "SYSTEM  First words  (4 lines)"),
        ("template", "", "TEMPLATE  "),
        ("license", "x" * 48, "LICENSE  " + "x" * 48),
        ("license", "x" * 49, "LICENSE  " + "x" * 47 + "…"),
        ("base", "qwen3:8b", "BASE  qwen3:8b"),
        # A stored element's name, as the library lists it.
        ("adapter", "my lora", "ADAPTER  my lora"),
    ],
)
def test_text_element_summary_is_kind_and_first_line(kind: str, text: str, summary: str) -> None:
    assert element_summary(kind, text) == summary


def test_element_summary_cut_only_when_asked() -> None:
    name = "a long element name " * 4
    assert element_summary("system", name, width=None) == "SYSTEM  " + name.strip()
    assert element_summary("system", "abcdef", width=4) == "SYSTEM  abc…"


def test_parameters_summary_shows_four_and_counts_the_rest() -> None:
    pairs = [("temperature", "0.7"), ("num_ctx", "4096")]
    assert element_summary("parameters", parameters=pairs) == (
        "PARAMETERS  temperature 0.7, num_ctx 4096"
    )
    six = [(f"stop{i}", str(i)) for i in range(6)]
    assert element_summary("parameters", parameters=six) == (
        "PARAMETERS  stop0 0, stop1 1, stop2 2, stop3 3 +2"
    )
    assert element_summary("parameters", parameters=[]) == "PARAMETERS  "


def test_messages_summary_counts_and_shows_six_roles() -> None:
    roles = ["user", "assistant"] * 4
    assert element_summary("messages", roles=roles) == (
        "MESSAGES  8: user assistant user assistant user assistant"
    )
    assert element_summary("messages", roles=[]) == "MESSAGES  0: "
