"""Models in memory (`/api/ps`) in the Models pane: the Loaded column, the details line, load
and unload, and a refresh that notices another client's load, on the demo host over HTTP."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot

from modelarium.demo import DemoServerThread, FaultPlan
from modelarium.tui.models import ModelsPane
from modelarium.tui.models.details import ModelDetailsView
from modelarium.tui.models.rows import row_key
from modelarium.tui.models.table import ModelsTable
from tests.tui.conftest import AppFactory, highlight_model, wait_for, wait_for_details
from tests.tui.test_models import details_text as details_of

Settle = Callable[[Pilot[None]], Awaitable[None]]
SIZE = (160, 40)


def loaded_column(pane: ModelsPane) -> dict[str, str]:
    """Model name -> the Loaded cell, for the loaded models shown."""
    table = pane.query_one(ModelsTable)
    cells = {row.name: str(table.get_cell(row_key(row), "Loaded")) for row in pane.shown_rows}
    return {name: cell for name, cell in cells.items() if cell}


def details_text(pilot: Pilot[None]) -> str:
    return details_of(pilot.app.query_one(ModelDetailsView))


async def test_loaded_models_show_where_they_sit(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: bool(loaded_column(pane)))
        assert loaded_column(pane) == {"llama3.2:3b": "GPU", "qwen2.5-coder:7b": "78% GPU"}
        await highlight_model(pilot, "qwen2.5-coder:7b")
        await wait_for(pilot, lambda: "In memory:" in details_text(pilot))
        line = next(row for row in details_text(pilot).splitlines() if "In memory:" in row)
        assert "In memory: 6.6 GB · 22%/78% CPU/GPU · context 8192 · " in line
        assert "unloads in 1 minute" in line or "unloads in 2 minutes" in line
        await highlight_model(pilot, "mistral:7b")
        await wait_for_details(pilot, "mistral:7b")
        assert "In memory:" not in details_text(pilot)


async def test_load_then_unload_from_the_table(make_app: AppFactory, wait_settled: Settle) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        await highlight_model(pilot, "mistral:7b")
        await pilot.press("u")  # not loaded: says so, changes nothing
        await wait_for(
            pilot,
            lambda: (
                bool(app._notifications)
                and list(app._notifications)[-1].message == "Not in memory: mistral:7b"
            ),
        )
        await pilot.press("l")
        await wait_for(pilot, lambda: "mistral:7b" in loaded_column(pane))
        assert loaded_column(pane)["mistral:7b"] == "GPU"
        await pilot.press("u")
        await wait_for(pilot, lambda: "mistral:7b" not in loaded_column(pane))
        messages = [notification.message for notification in app._notifications]
        assert "Loaded 1 model." in messages and "Unloaded 1 model." in messages


async def test_a_model_loaded_elsewhere_shows_up_on_the_next_check(
    make_app: AppFactory, wait_settled: Settle, demo_server: DemoServerThread
) -> None:
    app = make_app(health_interval=0.3)
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: bool(loaded_column(pane)))
        assert "granite4:3b" not in loaded_column(pane)
        await app.services.client("demo").load("granite4:3b")  # as another client would
        await wait_for(pilot, lambda: "granite4:3b" in loaded_column(pane))


async def test_a_host_that_cannot_say_what_is_loaded_still_lists_its_models(
    make_app: AppFactory, wait_settled: Settle, demo_faults: FaultPlan
) -> None:
    demo_faults.error("/api/ps", 500, "ps is broken")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        assert len(pane.shown_rows) >= 10
        assert loaded_column(pane) == {}
        assert "demo" not in pane.state.host_errors


def test_a_context_other_than_the_modelfile_asks_for_is_pointed_out() -> None:
    from datetime import UTC, datetime, timedelta

    from modelarium.modelfile.elements import Element, ElementKind, Parameter
    from modelarium.ollama.types import RunningModel
    from modelarium.tui.models.details import memory_line

    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    running = RunningModel(
        "demo", "sql:1", "ab" * 32, 6_600_000_000, 6_600_000_000, now + timedelta(minutes=4), 8192
    )

    def parameters(*pairs: tuple[str, str]) -> tuple[Element, ...]:
        return (
            Element(
                ElementKind.PARAMETERS,
                parameters=tuple(Parameter(name, value) for name, value in pairs),
            ),
        )

    line = memory_line(running, now, parameters(("num_ctx", "4096"), ("num_ctx", "16384")))
    assert line.plain == (
        "In memory: 6.6 GB · 100% GPU · context 8192 · unloads in 4 minutes\n"
        "Loaded with context 8192, but its Modelfile sets num_ctx 16384: a request's options "
        "or the server's OLLAMA_CONTEXT_LENGTH chose this one."
    )
    assert "\n" not in memory_line(running, now, parameters(("num_ctx", "8192"))).plain
    assert "\n" not in memory_line(running, now, parameters(("temperature", "0.2"))).plain
    assert "\n" not in memory_line(running, now, parameters(("NUM_CTX", "4096"))).plain
