"""Editor create in the real app on the demo host: an extracted model keeps its licenses, and
the body the host receives is the previewed body, byte for byte."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Button, Static, TextArea

from modelarium.demo import DemoServerThread
from modelarium.modelfile.create import licenses_of_modelfile
from modelarium.tui.dialogs.confirm import ConfirmDialog
from modelarium.tui.dialogs.editor_create import CreateModelDialog
from modelarium.tui.editor import EditorPane
from modelarium.tui.models import ModelsPane
from modelarium.tui.models.details import ModelDetailsView
from tests.tui.conftest import AppFactory, highlight_model, wait_for, wait_for_screen

Settle = Callable[[Pilot[None]], Awaitable[None]]
SIZE = (160, 45)


async def open_model_in_editor_and_create(
    pilot: Pilot[None], model: str, added: str
) -> CreateModelDialog:
    """Models -> `model` -> e -> add `added` at the end -> ctrl+r; the dialog once ready."""
    app = pilot.app
    await highlight_model(pilot, model)
    await pilot.press("e")
    editor = app.query_one(EditorPane)
    await wait_for(pilot, lambda: editor.text.startswith(f"FROM {model}"))
    text_area = editor.text_area
    text_area.move_cursor(text_area.document.end)
    text_area.insert(("" if editor.text.endswith("\n") else "\n") + added + "\n")
    await pilot.press("ctrl+r")
    dialog = await wait_for_screen(pilot, CreateModelDialog)
    await wait_for(pilot, lambda: not dialog.query_one("#create-go", Button).disabled)
    return dialog


async def test_editor_create_of_an_extracted_model_keeps_its_licenses_and_sends_the_preview(
    demo_server: DemoServerThread, make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        client = app.services.client("demo")
        before = await client.show("llama3.1:8b")
        assert len(licenses_of_modelfile(before.modelfile)) == 2
        dialog = await open_model_in_editor_and_create(
            pilot, "llama3.1:8b", "PARAMETER num_ctx 32768"
        )
        previewed = dialog.query_one("#create-body", TextArea).text
        assert '"license"' not in previewed
        assert "Keeping 2 licenses of llama3.1:8b" in str(
            dialog.query_one("#create-notes").render()
        )
        await pilot.press("enter")  # in the name box: Create
        confirm = await wait_for_screen(pilot, ConfirmDialog)
        assert confirm.title_text == "Replace llama3.1:8b on demo?"
        await pilot.press("y")
        await wait_for(pilot, lambda: dialog.created is not None)
        assert demo_server.state.last_create_body == previewed.encode("utf-8")
        after = await client.show("llama3.1:8b")
        assert len(licenses_of_modelfile(after.modelfile)) == 2
        assert "num_ctx" in after.parameters_text and "32768" in after.parameters_text


async def test_a_base_changed_since_the_preview_sends_nothing_until_seen(
    demo_server: DemoServerThread, make_app: AppFactory, wait_settled: Settle
) -> None:
    from modelarium.modelfile.overlay import overlay_create

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        dialog = await open_model_in_editor_and_create(
            pilot, "llama3.1:8b", "PARAMETER num_ctx 32768"
        )
        first = dialog.query_one("#create-body", TextArea).text
        assert '"license"' not in first
        # Another client gives the base a third license after the preview was built.
        client = app.services.client("demo")
        async for _ in client.create(
            overlay_create('LICENSE "extra"', "llama3.1:8b", "llama3.1:8b")
        ):
            pass
        demo_server.state.last_create_body = None
        await pilot.press("enter")
        status = dialog.query_one("#create-status")
        await wait_for(pilot, lambda: "changed on demo since the preview" in str(status.render()))
        assert demo_server.state.last_create_body is None  # nothing was sent
        second = dialog.query_one("#create-body", TextArea).text
        assert '"license"' in second  # no longer exactly the base's: sent, as Ollama expects
        await pilot.press("enter")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await wait_for(pilot, lambda: dialog.created is not None)
        assert demo_server.state.last_create_body == second.encode("utf-8")


async def test_a_host_that_cannot_say_what_the_base_carries_blocks_create(
    demo_server: DemoServerThread, make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await highlight_model(pilot, "llama3.1:8b")
        await pilot.press("e")
        editor = app.query_one(EditorPane)
        await wait_for(pilot, lambda: editor.text.startswith("FROM llama3.1:8b"))
        demo_server.faults.error("/api/show", 500, "blob store is on fire")
        await pilot.press("ctrl+r")
        dialog = await wait_for_screen(pilot, CreateModelDialog)
        notes = dialog.query_one("#create-notes")
        await wait_for(pilot, lambda: "Cannot prepare the create on demo" in str(notes.render()))
        assert "blob store is on fire" in str(notes.render())
        assert dialog.query_one("#create-go", Button).disabled
        assert dialog.create is None


async def test_declining_the_replacement_creates_nothing(
    demo_server: DemoServerThread, make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        dialog = await open_model_in_editor_and_create(pilot, "mistral:7b", "PARAMETER top_k 7")
        await pilot.press("enter")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is dialog)
        assert "Not created: mistral:7b on demo is kept." in str(
            dialog.query_one("#create-status").render()
        )
        assert demo_server.state.last_create_body is None
        assert not dialog.query_one("#create-go", Button).disabled


async def test_a_model_recreated_under_its_own_name_shows_its_new_digest_and_parameters(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        old = next(row for row in pane.all_rows if row.name == "llama3.1:8b")
        dialog = await open_model_in_editor_and_create(
            pilot, "llama3.1:8b", "PARAMETER num_ctx 32768"
        )
        await pilot.press("enter")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await wait_for(pilot, lambda: dialog.created is not None)
        await pilot.press("escape", "f2")
        new = await app.services.client("demo").list_models()
        digest = next(model.digest for model in new if model.name == "llama3.1:8b")
        assert digest != old.digest
        await wait_for(
            pilot,
            lambda: any(r.name == "llama3.1:8b" and r.digest == digest for r in pane.all_rows),
        )
        await highlight_model(pilot, "llama3.1:8b")
        view = app.query_one(ModelDetailsView)
        await wait_for(pilot, lambda: digest[:12] in view_text(view) and "32768" in view_text(view))


def view_text(view: ModelDetailsView) -> str:
    """Everything the details view shows, as plain text."""
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(view.query_one("#details-body", Static).content)
    return console.export_text()
