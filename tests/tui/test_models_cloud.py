"""Cloud (remote) models in the Models pane: marked as such in the table and the details, and
never offered load, unload, push, extract or re-create."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime

from rich.console import Console
from textual.pilot import Pilot

from modelarium.ollama.types import ModelDetails, ModelSummary
from modelarium.tui.models import ModelsPane
from modelarium.tui.models.compare_base import remote_refusal
from modelarium.tui.models.details import details_renderable
from modelarium.tui.models.table import ModelsTable
from tests.tui.conftest import AppFactory, wait_for

Settle = Callable[[Pilot[None]], Awaitable[None]]
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
CLOUD = ModelSummary(
    host="demo",
    name="gpt-oss:120b-cloud",
    size=384,
    digest="a" * 64,
    modified_at=NOW,
    family="gptoss",
    capabilities=("completion", "tools", "thinking"),
    remote_host="https://ollama.com:443",
    remote_model="gpt-oss:120b",
)


def test_a_cloud_row_is_refused_what_it_cannot_do() -> None:
    local = replace(CLOUD, name="qwen3:8b", remote_host="", remote_model="")
    assert CLOUD.is_remote and not local.is_remote
    assert remote_refusal([local], "load") is None
    assert remote_refusal([CLOUD, local], "push") == (
        "Cannot push 1 cloud model (gpt-oss:120b-cloud): it runs remotely"
    )


def test_the_details_say_where_a_cloud_model_runs() -> None:
    details = ModelDetails(
        host="demo",
        name=CLOUD.name,
        modelfile="FROM gpt-oss:120b-cloud\n",
        family="gptoss",
        capabilities=CLOUD.capabilities,
        remote_host=CLOUD.remote_host,
        remote_model=CLOUD.remote_model,
    )
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(details_renderable(CLOUD, details, (), NOW))
    text = console.export_text()
    assert "Cloud model: runs on https://ollama.com:443 as gpt-oss:120b" in text
    assert "nothing to load, unload, push or extract" in text


async def test_the_table_marks_a_cloud_model_and_load_skips_it(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        rows = (*pane.state.rows_by_host["demo"], CLOUD)
        pane.post_message(ModelsPane.HostListed("demo", rows, None))
        await wait_for(pilot, lambda: CLOUD.name in [r.name for r in pane.shown_rows])
        table = pane.query_one(ModelsTable)
        index = [r.name for r in pane.shown_rows].index(CLOUD.name)
        assert "cloud" in [str(cell) for cell in table.get_row_at(index)]
        table.move_cursor(row=index)
        await pilot.press("l")
        await wait_for(
            pilot,
            lambda: any("Cannot load 1 cloud model" in n.message for n in pilot.app._notifications),
        )
        assert not any("Loading" in n.message for n in pilot.app._notifications)
