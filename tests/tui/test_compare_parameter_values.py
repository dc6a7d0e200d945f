"""Compare words a parameter's value as the details pane shows it: the demo's
mario/sql-reviewer:latest has `seed 1000000`, which `ollama show` prints as `1e+06`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot
from textual.widgets import Static

from modelarium.tui.models.compare import CompareDialog
from tests.tui.conftest import AppFactory, highlight_model, wait_for, wait_for_screen
from tests.tui.test_models_know_the_model import details_text, shown

Settle = Callable[[Pilot[None]], Awaitable[None]]
SIZE = (150, 45)


async def test_compare_with_base_shows_the_seed_as_the_details_do(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await highlight_model(pilot, "mario/sql-reviewer:latest")
        await wait_for(pilot, lambda: shown(pilot, "mario/sql-reviewer:latest"))
        assert "1000000" in details_text(pilot)
        await pilot.press("B")
        dialog = await wait_for_screen(pilot, CompareDialog)
        seed = [c for c in dialog.diff.changes if (c.element, c.name) == ("parameters", "seed")]
        assert [(c.change, c.after) for c in seed] == [("added", "1000000")]
        report = str(dialog.query_one("#compare-report", Static).render())
        assert 'PARAMETER seed: added "1000000"' in report
        assert "1e+06" not in report
