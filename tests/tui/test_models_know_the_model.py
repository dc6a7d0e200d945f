"""The Models pane's views that know the model, on the demo host over real HTTP: effective
settings, compare with base / editor / another host, and the previewed re-create on the
current base."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable

from textual.pilot import Pilot
from textual.widgets import Static

from modelarium.config import HostConfig
from modelarium.demo import DemoServerThread
from modelarium.modelfile.create import build_create_request, model_create
from modelarium.modelfile.parser import parse
from modelarium.ollama.model_check import plan_rebase
from modelarium.tui.editor import EditorPane
from modelarium.tui.models import ModelsPane
from modelarium.tui.models.compare import CompareDialog
from modelarium.tui.models.details import ModelDetailsView
from modelarium.tui.models.rebase import RebaseDialog
from modelarium.tui.models.table import ModelsTable
from tests.tui.conftest import AppFactory, highlight_model, wait_for, wait_for_screen

Settle = Callable[[Pilot[None]], Awaitable[None]]
SIZE = (150, 45)


def rendered(widget: Static) -> str:
    """What a Static shows, as plain text (wide: no wrapping in the middle of a phrase)."""
    from rich.console import Console

    console = Console(width=400, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


def details_text(pilot: Pilot[None]) -> str:
    view = pilot.app.query_one(ModelsPane).query_one(ModelDetailsView)
    return rendered(view.query_one("#details-body", Static))


def shown(pilot: Pilot[None], name: str) -> bool:
    """Whether the details view shows `name`'s details (not a placeholder)."""
    text = details_text(pilot)
    return text.startswith(f"{name}  on ") and "Effective settings" in text


def notifications(pilot: Pilot[None]) -> list[str]:
    return [notification.message for notification in pilot.app._notifications]


async def test_details_show_effective_settings_with_the_running_context(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await highlight_model(pilot, "mario/sql-reviewer:latest")
        await wait_for(pilot, lambda: shown(pilot, "mario/sql-reviewer:latest"))
        text = details_text(pilot)
        assert "Effective settings" in text
        assert "trained context 32,768" in text
        assert "from qwen2.5-coder:7b" in text  # TEMPLATE inherited from the base
        assert "Ollama default" in text
        await highlight_model(pilot, "qwen2.5-coder:7b")
        await wait_for(pilot, lambda: shown(pilot, "qwen2.5-coder:7b"))
        assert "loaded with 8,192 tokens" in details_text(pilot)


async def test_compare_with_base_is_one_key(make_app: AppFactory, wait_settled: Settle) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await highlight_model(pilot, "mario/sql-reviewer:latest")
        await pilot.press("B")
        dialog = await wait_for_screen(pilot, CompareDialog)
        assert dialog.diff.before_label == "qwen2.5-coder:7b on demo (base)"
        assert dialog.diff.after_label == "mario/sql-reviewer:latest on demo"
        changed = {(c.element, c.name) for c in dialog.diff.changes}
        assert ("system", "") in changed and ("parameters", "temperature") in changed
        assert all(c.element != "template" for c in dialog.diff.changes)
        await pilot.press("escape")
        await highlight_model(pilot, "qwen3:8b")  # a base of its own: nothing to compare with
        await pilot.press("B")
        await wait_for(pilot, lambda: any("FROM" in n for n in notifications(pilot)))
        assert not isinstance(app.screen, CompareDialog)


async def test_compare_with_the_editors_text(make_app: AppFactory, wait_settled: Settle) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await pilot.press("f4")
        await wait_for(pilot, lambda: bool(app.query(EditorPane)))
        app.query_one(EditorPane).load_text(
            "FROM qwen2.5-coder:7b\nPARAMETER temperature 0.9\n", origin="test"
        )
        await pilot.press("f2")
        pane = app.query_one(ModelsPane)
        await wait_for(
            pilot, lambda: "mario/sql-reviewer:latest" in [r.name for r in pane.shown_rows]
        )
        await highlight_model(pilot, "mario/sql-reviewer:latest")
        await pilot.press("E")
        dialog = await wait_for_screen(pilot, CompareDialog)
        assert dialog.diff.after_label == "the editor's Modelfile"
        temperature = next(
            c for c in dialog.diff.changes if (c.element, c.name) == ("parameters", "temperature")
        )
        assert temperature.change == "changed" and temperature.after == "0.9"


async def test_one_name_on_two_hosts_says_whether_digests_differ(
    make_app: AppFactory,
    wait_settled: Settle,
    demo_server: DemoServerThread,
    second_demo_server: DemoServerThread,
) -> None:
    from modelarium.ollama.client import OllamaClient

    async with OllamaClient(HostConfig("lab", second_demo_server.url), timeout=30) as lab:
        request = build_create_request(parse("FROM qwen3:8b\nPARAMETER top_k 7\n"), None)
        async for _ in lab.create(model_create(request, "qwen3:8b")):
            pass
    app = make_app(HostConfig("demo", demo_server.url), HostConfig("lab", second_demo_server.url))
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: {r.host for r in pane.all_rows} == {"demo", "lab"})
        index = next(
            i
            for i, row in enumerate(pane.shown_rows)
            if (row.host, row.name) == ("demo", "qwen3:8b")
        )

        pane.query_one(ModelsTable).move_cursor(row=index)
        await pilot.press("equals_sign")
        dialog = await wait_for_screen(pilot, CompareDialog)
        assert dialog.note.startswith("Digests differ:")
        assert rendered(dialog.query_one("#compare-note", Static)).startswith("Digests differ")
        assert {c.name for c in dialog.diff.changes if c.element == "parameters"} == {"top_k"}


async def test_rebase_previews_each_model_then_re_creates_on_the_current_base(
    make_app: AppFactory, wait_settled: Settle, demo_server: DemoServerThread
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await highlight_model(pilot, "my-reviewer:latest")
        await wait_for(pilot, lambda: shown(pilot, "my-reviewer:latest"))
        assert "Base updated" in details_text(pilot)
        assert "llama3.1:8b was pulled or replaced" in details_text(pilot)
        await pilot.press("space")
        await highlight_model(pilot, "mario/sql-reviewer:latest")
        await pilot.press("space")
        await pilot.press("R")
        dialog = await wait_for_screen(pilot, RebaseDialog)
        assert [plan.model for plan in dialog.ready] == ["my-reviewer:latest"]
        preview = rendered(dialog.query_one("#rebase-plan", Static))
        assert "FROM llama3.1:8b" in preview and "PARAMETER temperature 0.3" in preview
        assert '"from": "llama3.1:8b"' in preview  # the exact create body
        assert "mario/sql-reviewer:latest on demo" in preview and "already on" in preview
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any("Re-created 1 model" in n for n in notifications(pilot)))
    from modelarium.ollama.client import OllamaClient

    async with OllamaClient(HostConfig("demo", demo_server.url), timeout=30) as client:
        plan = await plan_rebase(client, "my-reviewer:latest")
        assert plan.drift is None and plan.problem == "already on llama3.1:8b's weights"
        details = await client.show("my-reviewer:latest")
        assert "PARAMETER temperature 0.3" in details.modelfile
        assert "pull requests" in details.system


async def test_rebase_cancelled_replaces_nothing(
    make_app: AppFactory, wait_settled: Settle, demo_server: DemoServerThread
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await highlight_model(pilot, "my-reviewer:latest")
        await pilot.press("R")
        await wait_for_screen(pilot, RebaseDialog)
        await pilot.press("escape")
        await wait_for(pilot, lambda: any("Nothing re-created" in n for n in notifications(pilot)))
    from modelarium.ollama.client import OllamaClient

    async with OllamaClient(HostConfig("demo", demo_server.url), timeout=30) as client:
        assert (await plan_rebase(client, "my-reviewer:latest")).drift is not None


async def test_a_base_replaced_while_the_app_runs_shows_the_drift(
    make_app: AppFactory, wait_settled: Settle, demo_server: DemoServerThread
) -> None:
    from modelarium.ollama.client import OllamaClient

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await highlight_model(pilot, "mario/sql-reviewer:latest")
        await wait_for(pilot, lambda: shown(pilot, "mario/sql-reviewer:latest"))
        assert "Base updated" not in details_text(pilot)
        async with OllamaClient(HostConfig("demo", demo_server.url), timeout=30) as client:
            request = build_create_request(parse("FROM llama3.2:3b\n"), None)
            async for _ in client.create(model_create(request, "qwen2.5-coder:7b")):
                pass
        pane = app.query_one(ModelsPane)
        old = next(r.digest for r in pane.all_rows if r.name == "qwen2.5-coder:7b")
        await pilot.press("r")
        await wait_for(
            pilot,
            lambda: next(r.digest for r in pane.all_rows if r.name == "qwen2.5-coder:7b") != old,
        )
        await highlight_model(pilot, "qwen3:8b")
        await wait_for(pilot, lambda: shown(pilot, "qwen3:8b"))
        await highlight_model(pilot, "mario/sql-reviewer:latest")
        await wait_for(pilot, lambda: "Base updated" in details_text(pilot))


async def test_details_show_the_prompt_the_installed_template_renders(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await highlight_model(pilot, "llama3.1:8b")
        await wait_for(pilot, lambda: shown(pilot, "llama3.1:8b"))
        text = details_text(pilot)
        assert "Prompt preview (system sample, as Ollama renders it)" in text
        assert "<|start_header_id|>system<|end_header_id|>" in text
        assert "<|eot_id|>" in text
        await highlight_model(pilot, "qwen3:4b-mlx")
        await wait_for(pilot, lambda: shown(pilot, "qwen3:4b-mlx"))
        text = details_text(pilot)
        assert "no template preview applies" in text
        assert "Prompt preview" not in text


async def test_rebase_with_no_model_ready_offers_no_re_create(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await highlight_model(pilot, "mario/sql-reviewer:latest")  # already on its base
        await pilot.press("R")
        dialog = await wait_for_screen(pilot, RebaseDialog)
        assert isinstance(dialog, RebaseDialog) and dialog.ready == []
        title = rendered(dialog.query_one(".dialog-title", Static))
        assert title.startswith("Nothing to re-create: 1 model checked, none ready")
        assert not dialog.query_one("#rebase-go").display
        assert "apply" not in {b.binding.action for b in dialog.active_bindings.values()}
        await pilot.press("ctrl+s")  # nothing to re-create: the dialog stays
        assert isinstance(app.screen, RebaseDialog)
        await pilot.press("escape")
        await wait_for(pilot, lambda: any("Nothing re-created" in n for n in notifications(pilot)))
