"""The dashboard's hosts table as text: the sparkline shows as many recent probes as the width
leaves room for (it used to take 20 cells whatever the width and push Memory off an 80- or
100-column terminal), Memory drops the CPU/GPU split only when nothing else fits, and a long
host name gives way last."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest
from rich.cells import cell_len

from modelarium.tui.dashboard.view import (
    HOST_COLUMNS,
    PROBES_COLUMN,
    SPARK_WIDTH,
    HostLine,
    HostsFit,
    HostTotals,
    clip,
    fit_hosts,
    memory_text,
    spark_width,
    sparkline,
)

GB = 1_000_000_000
DEMO = HostLine(
    "demo",
    "up",
    "0.33.0-rc2",
    "2 ms",
    tuple(float(n) for n in range(1, 26)),
    HostTotals(models=15, disk=66 * GB, loaded=2, memory=9_500_000_000, vram=8_075_000_000),
)
"""The demo host as the dashboard shows it, with 25 probes recorded."""


def table_width(lines: Sequence[HostLine], fit: HostsFit, padding: int = 1) -> int:
    """Cells the hosts table takes under `fit`, as a DataTable lays it out (each column its
    widest text or header, plus `padding` either side)."""
    widths = [cell_len(header) for header in HOST_COLUMNS]
    for line in lines:
        widths = [
            max(known, cell_len(cell)) for known, cell in zip(widths, line.cells(fit), strict=True)
        ]
    return sum(widths) + 2 * padding * len(widths)


def test_the_sparkline_shows_the_latest_probes() -> None:
    values = [10.0, 20.0, None, 40.0]
    assert sparkline(values) == "▃▅·█"
    assert sparkline(values, 2) == "·█"
    assert sparkline(values, 0) == ""
    assert sparkline([None, None], 5) == "··"


def test_spark_width_takes_the_room_up_to_twenty_and_never_less_than_its_header() -> None:
    header = len("Probes")
    assert spark_width(200) == SPARK_WIDTH == 20
    assert spark_width(SPARK_WIDTH) == SPARK_WIDTH
    assert spark_width(13) == 13
    assert spark_width(header) == header
    assert spark_width(3) == header  # the header's cells are there anyway
    assert spark_width(-10) == header


def test_memory_says_the_split_unless_asked_not_to() -> None:
    assert memory_text(DEMO.totals) == "9.5 GB (15%/85% CPU/GPU)"
    assert memory_text(DEMO.totals, split=False) == "9.5 GB"
    nothing = HostTotals(1, GB, 0, 0, 0)
    assert memory_text(nothing) == memory_text(nothing, split=False) == "—"


@pytest.mark.parametrize(
    ("width", "fit"),
    [
        (220, HostsFit(20, split=True)),
        (160, HostsFit(20, split=True)),
        (100, HostsFit(15, split=True)),
        (80, HostsFit(13, split=False)),
    ],
)
def test_the_demo_host_fits_the_terminal_widths(width: int, fit: HostsFit) -> None:
    assert fit_hosts([DEMO], width) == fit
    assert table_width([DEMO], fit) <= width
    assert DEMO.cells(fit)[PROBES_COLUMN] == sparkline(DEMO.latencies[-fit.probes :])


def test_every_width_that_can_hold_the_columns_is_filled_but_not_passed() -> None:
    other = HostLine(
        "gpu-box", "degraded", "0.12.1", "140 ms", (None, 80.0), HostTotals(3, GB, 0, 0, 0)
    )
    lines = [DEMO, other, replace(DEMO, host="http://192.168.1.20:11434")]
    narrowest = table_width(lines, HostsFit(0, split=False, host=len("Host")))
    for width in range(narrowest, 240):
        fit = fit_hosts(lines, width)
        assert table_width(lines, fit) <= width, width
        if fit.probes < SPARK_WIDTH:  # the sparkline took all the room there was
            assert table_width(lines, fit) == width or fit.probes == len("Probes"), width
        if not fit.split:  # the split fits no more, even with the fewest probes
            assert table_width(lines, HostsFit(len("Probes"), split=True)) > width, width
        if fit.host is not None:  # whole names fit no more, even with the short Memory
            assert table_width(lines, HostsFit(len("Probes"), split=False)) > width, width
            assert table_width(lines, fit) == width, width


def test_clip_gives_the_end_way() -> None:
    assert clip("http://192.168.1.20:11434", 12) == "http://192.…"
    assert clip("gpu", 12) == clip("gpu", None) == "gpu"
    assert clip("日本語のホスト", 6) == "日本…"


def test_a_long_host_name_gives_way_last() -> None:
    """A host named by its URL (the name when the settings give none) at 80 columns: the
    split and the extra probes go first, then the name is clipped to what is left."""
    long = replace(DEMO, host="http://192.168.1.20:11434")
    fit = fit_hosts([long], 80)
    assert fit == HostsFit(len("Probes"), split=False, host=11)
    assert table_width([long], fit) == 80
    assert long.cells(fit)[0] == "http://192…"
    assert fit_hosts([long], 160) == HostsFit(SPARK_WIDTH, split=True)


def test_too_narrow_for_anything_keeps_the_fewest_probes_and_the_short_memory() -> None:
    assert fit_hosts([DEMO], 40) == HostsFit(len("Probes"), split=False, host=len("Host"))
