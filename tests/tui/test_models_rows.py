"""Models table rows: human sizes, relative times, filtering and sorting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from modelarium.ollama.running import processor_text, unload_text
from modelarium.ollama.types import ModelSummary, Progress
from modelarium.tui.models.rows import (
    human_size,
    loaded_cell,
    matches,
    row_key,
    sort_rows,
    visible_rows,
)
from modelarium.tui.models.transfer import TransferTracker

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def row(
    name: str, host: str = "local", size: int = 1, days: float = 0.0, family: str = ""
) -> ModelSummary:
    return ModelSummary(
        host=host,
        name=name,
        size=size,
        digest=name.encode().hex().ljust(64, "0")[:64],
        modified_at=NOW - timedelta(days=days),
        family=family,
        parameter_size="8B",
        quantization="Q4_K_M",
        capabilities=("completion", "tools"),
    )


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 B"),
        (999, "999 B"),
        (1000, "1 KB"),  # Ollama's HumanBytes, as `ollama list` prints it (issue 16)
        (274_000_000, "274 MB"),
        (4_661_224_676, "4.7 GB"),
        (99_950_000, "99 MB"),
        (1_500_000_000_000, "1.5 TB"),
    ],
)
def test_human_size_uses_decimal_units_like_ollama(size: int, text: str) -> None:
    assert human_size(size) == text


def test_filter_needs_every_word_anywhere_in_the_row() -> None:
    qwen = row("qwen2.5-coder:7b", family="qwen2")
    assert matches(qwen, "QWEN tools")
    assert matches(qwen, "coder q4_k")
    assert not matches(qwen, "qwen vision")
    assert matches(qwen, "")


def test_sorting_by_each_key() -> None:
    rows = [
        row("b", size=10, days=1, family="llama"),
        row("a", size=30, days=3, family="qwen2"),
        row("c", size=20, days=2, family="granite"),
    ]
    assert [r.name for r in sort_rows(rows, "name")] == ["a", "b", "c"]
    assert [r.name for r in sort_rows(rows, "name", reverse=True)] == ["c", "b", "a"]
    assert [r.name for r in sort_rows(rows, "size")] == ["a", "c", "b"]
    assert [r.name for r in sort_rows(rows, "modified")] == ["b", "c", "a"]
    assert [r.name for r in sort_rows(rows, "family")] == ["c", "b", "a"]


def test_visible_rows_filter_by_host_and_text() -> None:
    rows = [row("a", host="laptop"), row("a", host="gpu"), row("b", host="gpu")]
    assert [
        (r.host, r.name) for r in visible_rows(rows, host="gpu", query="", sort_key="name")
    ] == [
        ("gpu", "a"),
        ("gpu", "b"),
    ]
    assert len(visible_rows(rows, host=None, query="a", sort_key="name")) == 2
    assert row_key(rows[0]) != row_key(rows[1])


def test_transfer_tracker_sums_blobs_and_measures_speed() -> None:
    tracker = TransferTracker()
    tracker.update(Progress("pulling manifest"), 0.0)
    assert tracker.describe() == ""
    tracker.update(Progress("pulling aaa", "sha256:a", 2_000_000, 0), 0.0)
    tracker.update(Progress("pulling bbb", "sha256:b", 1_000_000, 0), 0.0)
    tracker.update(Progress("pulling aaa", "sha256:a", 2_000_000, 1_000_000), 1.0)
    assert tracker.total_bytes == 3_000_000
    assert tracker.done_bytes == 1_000_000
    assert tracker.speed == pytest.approx(1_000_000)
    assert tracker.describe() == "1 MB of 3 MB · 1 MB/s"  # whole values as Ollama prints
    tracker.update(Progress("pulling aaa", "sha256:a", 2_000_000, 5_000_000), 2.0)
    assert tracker.done_bytes == 2_000_000  # completed never exceeds the blob's total


@pytest.mark.parametrize(
    ("size", "size_vram", "processor", "cell"),
    [
        (2_000_000_000, 2_000_000_000, "100% GPU", "GPU"),
        (2_000_000_000, 0, "100% CPU", "CPU"),
        (4_000_000_000, 3_120_000_000, "22%/78% CPU/GPU", "78% GPU"),
        (1000, 995, "1%/99% CPU/GPU", "99% GPU"),  # 0.5 rounds away from zero, as in Go
        (1000, 985, "2%/98% CPU/GPU", "98% GPU"),
        (1000, 2000, "Unknown", "Unknown"),
        (1000, 996, "0%/100% CPU/GPU", "GPU"),  # the short form is never wider than 7 cells
        (1000, 4, "100%/0% CPU/GPU", "CPU"),
    ],
)
def test_where_a_loaded_model_sits(size: int, size_vram: int, processor: str, cell: str) -> None:
    assert processor_text(size, size_vram) == processor
    assert loaded_cell(size, size_vram) == cell


@pytest.mark.parametrize(
    ("left", "expected"),
    [
        (timedelta(minutes=4, seconds=30), "unloads in 4 minutes"),
        (timedelta(seconds=1), "unloads in 1 second"),
        (timedelta(seconds=0.4), "unloads in 1 second"),
        (timedelta(hours=2), "unloads in 2 hours"),
        (timedelta(days=3), "unloads in 3 days"),
        (timedelta(seconds=-5), "unloading"),
        (timedelta(days=365 * 290), "stays loaded"),
    ],
)
def test_when_a_loaded_model_unloads(left: timedelta, expected: str) -> None:
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert unload_text(now + left, now) == expected
