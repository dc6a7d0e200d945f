"""Batch apply: the pure plan (names, bodies, problems) and the flow in the Models pane on the
demo host over real HTTP."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static, TextArea

from modelarium.modelfile.overlay import overlay_problem
from modelarium.ollama.types import ModelSummary
from modelarium.tui.dialogs.confirm import ConfirmDialog
from modelarium.tui.models import ModelsPane
from modelarium.tui.models.apply_lines import ApplyLinesDialog
from modelarium.tui.models.overlay import SAME_NAME, plan_overlay, split_name, target_name
from tests.tui.conftest import AppFactory, highlight_model, wait_for, wait_for_screen

Settle = Callable[[Pilot[None]], Awaitable[None]]
SIZE = (160, 44)


def row(name: str, host: str = "demo") -> ModelSummary:
    return ModelSummary(host, name, "ab" * 32, 1, datetime(2026, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("model", "repo", "tag"),
    [
        ("qwen2.5-coder:7b", "qwen2.5-coder", "7b"),
        ("mario/sql-reviewer:latest", "mario/sql-reviewer", "latest"),
        ("registry.local:5000/team/model", "registry.local:5000/team/model", "latest"),
        ("llama3.2", "llama3.2", "latest"),
    ],
)
def test_names_split_into_repository_and_tag(model: str, repo: str, tag: str) -> None:
    assert split_name(model) == (repo, tag)
    assert target_name(SAME_NAME, model) == f"{repo}:{tag}"
    assert target_name("{repo}:{tag}-code", model) == f"{repo}:{tag}-code"


def test_the_plan_names_each_model_and_sends_only_the_lines() -> None:
    plan = plan_overlay(
        [row("qwen2.5-coder:7b"), row("granite4:3b")],
        'PARAMETER temperature 0.2\nSYSTEM """Review SQL."""',
        "{repo}:{tag}-code",
    )
    assert [(item.target, item.problem) for item in plan] == [
        ("qwen2.5-coder:7b-code", None),
        ("granite4:3b-code", None),
    ]
    assert plan[0].body is not None
    assert plan[0].body["from"] == "qwen2.5-coder:7b"
    assert plan[0].body["parameters"] == {"temperature": 0.2}
    assert plan[0].body["system"] == "Review SQL."
    assert "template" not in plan[0].body  # the base's own is kept


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        ("", "nothing to apply"),
        ("# only a comment\n", "nothing to apply"),
        ("PARAMETER temperature", "unexpected EOF: temperature"),
        ("FROM llama3.2\nPARAMETER top_k 5", "have a FROM of their own"),
        ("SYTEM hi", "(line 1): command must be one of"),
    ],
)
def test_lines_that_cannot_be_applied_say_why(lines: str, problem: str) -> None:
    found = overlay_problem(lines)
    assert found is not None and problem in found


def test_per_model_problems_are_ollamas_own_and_names_must_not_clash() -> None:
    (bad_value,) = plan_overlay([row("a:1")], "PARAMETER temperature warm", SAME_NAME)
    assert bad_value.problem == "invalid float value [warm]" and bad_value.body is None
    (bad_name,) = plan_overlay([row("a:1")], "PARAMETER top_k 5", "bad name:{tag}")
    assert bad_name.problem is not None and bad_name.problem.startswith("invalid name 'bad name:1'")
    clash = plan_overlay([row("a:1"), row("b:1")], "PARAMETER top_k 5", "same:{tag}")
    assert all(item.problem == "another selected model gets this name too" for item in clash)
    by_case = plan_overlay([row("A:1"), row("a:1")], "PARAMETER top_k 5", "{repo}:{tag}-k")
    assert all(item.problem == "another selected model gets this name too" for item in by_case)
    apart = plan_overlay([row("a:1", "h1"), row("a:1", "h2")], "PARAMETER top_k 5", "x:{tag}")
    assert all(item.problem is None for item in apart)  # one name on two hosts is fine


async def open_dialog(pilot: Pilot[None], *names: str) -> ApplyLinesDialog:
    for name in names:
        await highlight_model(pilot, name)
        await pilot.press("space")
    await pilot.press("b")
    return await wait_for_screen(pilot, ApplyLinesDialog)


async def test_apply_parameters_to_two_models_as_new_ones(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        dialog = await open_dialog(pilot, "qwen2.5-coder:7b", "granite4:3b")
        assert dialog.query_one("#apply-go", Button).disabled  # nothing typed yet
        dialog.query_one("#apply-lines", TextArea).text = "PARAMETER temperature warm\n"
        await pilot.pause()
        preview = str(dialog.query_one("#apply-plan", Static).render())
        assert "invalid float value [warm]" in preview
        await pilot.press("ctrl+s")  # refused while any model has a problem
        assert app.screen is dialog
        dialog.query_one(
            "#apply-lines", TextArea
        ).text = "PARAMETER temperature 0.2\nPARAMETER num_ctx 16384\n"
        dialog.query_one("#apply-name", Input).value = "{repo}:{tag}-code"
        await pilot.pause()
        preview = str(dialog.query_one("#apply-plan", Static).render())
        assert "qwen2.5-coder:7b on demo -> qwen2.5-coder:7b-code" in preview
        assert '"temperature": 0.2' in preview
        await pilot.press("ctrl+s")
        pane = app.query_one(ModelsPane)
        await wait_for(
            pilot,
            lambda: (
                {"qwen2.5-coder:7b-code", "granite4:3b-code"}
                <= {row.name for row in pane.shown_rows}
            ),
        )
        client = app.services.client("demo")
        created = await client.show("granite4:3b-code")
        assert "temperature" in created.parameters_text and "0.2" in created.parameters_text
        assert "num_ctx" in created.parameters_text
        original = await client.show("granite4:3b")
        assert created.template == original.template  # everything not named is the base's
        for line in original.parameters_text.splitlines():
            if line.split() and line.split()[0] not in ("temperature", "num_ctx"):
                assert line in created.parameters_text
        messages = [notification.message for notification in app._notifications]
        assert (
            "Created 2 models: granite4:3b-code, qwen2.5-coder:7b-code." in messages
        )  # table order


async def test_apply_in_place_replaces_the_model(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        dialog = await open_dialog(pilot, "mistral:7b")
        dialog.query_one("#apply-lines", TextArea).text = 'SYSTEM "Answer in French."\n'
        dialog.query_one("#apply-name", Input).value = SAME_NAME  # new names are the default
        await pilot.pause()
        preview = str(dialog.query_one("#apply-plan", Static).render())
        assert preview.startswith("1 model will be replaced in place.")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ConfirmDialog)  # asked first
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: any(n.message.startswith("Created 1 model") for n in app._notifications),
        )
        assert (await app.services.client("demo").show("mistral:7b")).system == (
            "Answer in French."
        )


async def test_escape_creates_nothing(make_app: AppFactory, wait_settled: Settle) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        before = {row.name for row in app.query_one(ModelsPane).shown_rows}
        dialog = await open_dialog(pilot, "mistral:7b")
        dialog.query_one("#apply-lines", TextArea).text = "PARAMETER top_k 5\n"
        dialog.query_one("#apply-name", Input).value = "{repo}:{tag}-k5"
        await pilot.pause()
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ApplyLinesDialog))
        assert {row.name for row in app.query_one(ModelsPane).shown_rows} == before
