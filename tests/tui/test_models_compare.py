"""Comparing two models in the Models pane, on the demo host over real HTTP."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot
from textual.widgets import Static

from modelarium.demo import FaultPlan
from modelarium.tui.models import ModelsPane
from modelarium.tui.models.compare import CompareDialog, diff_report
from tests.tui.conftest import AppFactory, highlight_model, wait_for, wait_for_screen

Settle = Callable[[Pilot[None]], Awaitable[None]]
SIZE = (150, 40)


def notifications(pilot: Pilot[None]) -> list[str]:
    return [notification.message for notification in pilot.app._notifications]


async def test_one_selected_and_one_highlighted_compare_element_by_element(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await highlight_model(pilot, "qwen2.5-coder:7b")
        await pilot.press("space")
        await highlight_model(pilot, "mario/sql-reviewer:latest")
        await pilot.press("equals_sign")
        dialog = await wait_for_screen(pilot, CompareDialog)
        diff = dialog.diff
        assert diff.before_label == "qwen2.5-coder:7b on demo"
        assert diff.after_label == "mario/sql-reviewer:latest on demo"
        changed = {(change.element, change.name, change.change) for change in diff.changes}
        assert ("system", "", "added") in changed
        assert ("parameters", "temperature", "changed") in changed or (
            "parameters",
            "temperature",
            "added",
        ) in changed
        assert ("messages", "1", "added") in changed
        assert all(change.element != "template" for change in diff.changes)  # inherited as is
        report = str(dialog.query_one("#compare-report", Static).render())
        assert "SYSTEM: added" in report and "senior SQL reviewer" in report
        summary = str(dialog.query_one("#compare-summary", Static).render())
        assert summary.startswith(f"{len(diff.changes)} differences")
        await pilot.press("escape")
        assert not isinstance(app.screen, CompareDialog)


async def test_two_names_of_one_model_describe_the_same_model(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        for name in ("llama3.2:3b", "llama3.2:latest"):
            await highlight_model(pilot, name)
            await pilot.press("space")
        await highlight_model(pilot, "qwen3:8b")  # the cursor does not matter with two selected
        await pilot.press("equals_sign")
        dialog = await wait_for_screen(pilot, CompareDialog)
        assert dialog.diff.identical
        assert {dialog.diff.before_label, dialog.diff.after_label} == {
            "llama3.2:3b on demo",
            "llama3.2:latest on demo",
        }
        summary = str(dialog.query_one("#compare-summary", Static).render())
        assert summary.startswith("They describe the same model")
        await pilot.press("q")
        assert not isinstance(app.screen, CompareDialog)


async def test_compare_needs_exactly_two_models(make_app: AppFactory, wait_settled: Settle) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await pilot.press("equals_sign")
        await wait_for(
            pilot,
            lambda: (
                bool(notifications(pilot))
                and notifications(pilot)[-1].startswith("Select two models with Space")
            ),
        )
        assert not isinstance(app.screen, CompareDialog)
        await pilot.press("a")  # every model selected
        await pilot.press("equals_sign")
        count = len(app.query_one(ModelsPane).shown_rows)
        await wait_for(
            pilot, lambda: notifications(pilot)[-1].endswith(f"; {count} models are selected.")
        )
        assert not isinstance(app.screen, CompareDialog)


async def test_a_model_that_cannot_be_read_is_named(
    make_app: AppFactory, wait_settled: Settle, demo_faults: FaultPlan
) -> None:
    demo_faults.error("/api/show", 500, "model blob is corrupt", model="granite4:3b")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await highlight_model(pilot, "granite3.3:8b")
        await pilot.press("space")
        await highlight_model(pilot, "granite4:3b")
        await wait_for(  # the details view's own fetch fails too
            pilot, lambda: "unavailable" in str(app.query_one("#details-body").render())
        )
        await pilot.press("equals_sign")
        await wait_for(pilot, lambda: any("Cannot compare" in m for m in notifications(pilot)))
        message = next(m for m in notifications(pilot) if "Cannot compare" in m)
        assert "model blob is corrupt" in message
        assert not isinstance(app.screen, CompareDialog)


def test_the_report_colours_additions_removals_and_changes() -> None:
    from modelarium.modelfile.diff import diff_modelfiles

    diff = diff_modelfiles(
        "FROM a\nPARAMETER temperature 0.2\nSYSTEM old\n",
        "FROM a\nPARAMETER temperature 0.7\nPARAMETER num_ctx 8192\nLICENSE MIT\n",
        before_label="left",
        after_label="right",
    )
    report = diff_report(diff)
    styles = {report.plain[span.start : span.end].strip(): str(span.style) for span in report.spans}
    assert styles["--- left"] == "bold"
    assert styles['PARAMETER temperature: "0.2" -> "0.7"'] == "yellow"
    assert styles['PARAMETER num_ctx: added "8192"'] == "green"
    assert styles['SYSTEM: removed "old"'] == "red"


def test_blob_paths_are_shown_by_their_digest() -> None:
    from modelarium.modelfile.diff import diff_modelfiles

    digest = "f1a70b15cce18d094467c7cafdc9fc7e4011fbb3181dc268849df0b474558e0a"
    diff = diff_modelfiles(
        "FROM qwen3:4b-mlx\n",
        f"FROM /usr/share/ollama/.ollama/models/blobs/sha256-{digest}\n",
        before_label="a",
        after_label="b",
    )
    lines = diff_report(diff).plain.splitlines()
    assert lines[2] == 'FROM: ["qwen3:4b-mlx"] -> ["sha256-f1a70b15cce1…"]'
