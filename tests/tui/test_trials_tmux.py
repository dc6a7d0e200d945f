"""The Trials view through a real tmux (as over SSH): `t` opens it on the highlighted model,
`r` runs, Tab reaches the matrix, Enter opens a cell's answers, Esc closes each in turn."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.tmux import TmuxApp

pytestmark = pytest.mark.slow


def test_trials_run_and_read_through_tmux(tmp_path: Path) -> None:
    with TmuxApp.start(tmp_path / "home") as tui:
        tui.press("/")
        tui.type("mistral:7b")
        tui.press("Down")
        tui.press("t")
        tui.wait_for("Trials on demo: mistral:7b", "Variant × probe")
        tui.press("r")
        tui.wait_for("Done: 4 probe results", seconds=60)
        tui.wait_for("mistral:7b · as installed", "2/3", "1/2")
        tui.press("Tab", "Tab", "Tab")  # variants -> probes -> settings -> matrix
        tui.press("Enter")
        tui.wait_for("tools v1: 2/3 passed (markup_leaked ×1)", "failed: markup_leaked")
        tui.press("Escape")
        tui.wait_gone("failed: markup_leaked")
        tui.press("Escape")
        tui.wait_gone("Variant × probe")
        tui.wait_for("/ Filter", "mistral:7b")  # back on the Models pane
