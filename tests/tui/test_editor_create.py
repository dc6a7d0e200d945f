"""Editor in the real app on the demo host: create a model from the Modelfile over HTTP."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Button, Input, TextArea

from modelarium.demo import FaultPlan
from modelarium.tui.dialogs.editor_create import CreateModelDialog
from modelarium.tui.editor import EditorPane
from modelarium.tui.messages import DeliverOpenInEditor, ModelCreated, OpenInEditor
from tests.tui.conftest import AppFactory, wait_for, wait_for_screen

Settle = Callable[..., Awaitable[None]]

MODELFILE = 'FROM llama3.2:3b\nPARAMETER num_ctx 32768\nSYSTEM """Answer in one line."""\n'


async def test_create_model_previews_body_then_streams_and_announces(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    sent: list[Message] = []
    app = make_app()
    async with app.run_test(size=(150, 45), message_hook=sent.append) as pilot:
        dialog = await open_create_dialog(pilot, wait_settled)
        await wait_for(pilot, lambda: bool(dialog.query_one("#create-body", TextArea).text))
        body = json.loads(dialog.query_one("#create-body", TextArea).text)
        assert body["from"] == "llama3.2:3b"
        assert body["parameters"] == {"num_ctx": 32768}
        assert body["system"] == "Answer in one line."
        dialog.query_one("#create-name", Input).value = "terse:latest"
        await wait_for(
            pilot, lambda: '"terse:latest"' in dialog.query_one("#create-body", TextArea).text
        )
        sent_body = json.loads(dialog.query_one("#create-body", TextArea).text)
        assert sent_body["model"] == "terse:latest" and sent_body["stream"] is True
        dialog.query_one("#create-go", Button).press()
        await wait_for(pilot, lambda: dialog.created is not None)
        assert dialog.created == "terse:latest on demo"
        # The announcement is a message: it reaches the hook once the app has handled it.
        await wait_for(pilot, lambda: any(isinstance(m, ModelCreated) for m in sent))
        created = list(  # the hook sees a bubbling message once per node: count it once
            {id(m): m for m in sent if isinstance(m, ModelCreated)}.values()
        )
        assert [(m.host, m.model) for m in created] == [("demo", "terse:latest")]
        client = app.services.client("demo")
        details = await client.show("terse:latest")
        assert "num_ctx" in str(details)


async def test_create_refuses_a_modelfile_that_does_not_parse(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=(150, 45)) as pilot:
        await wait_settled(pilot)
        await pilot.press("f4")
        await wait_settled(pilot)
        editor = app.query_one(EditorPane)
        editor.load_text("PARAMETER temperature 0.2\n")
        await pilot.press("ctrl+r")
        await wait_settled(pilot)
        dialog = app.screen
        assert isinstance(dialog, CreateModelDialog)
        assert dialog.request is None and dialog.problem
        assert dialog.query_one("#create-go", Button).disabled


async def open_create_dialog(pilot: Pilot[None], wait_settled: Settle) -> CreateModelDialog:
    """The editor holding MODELFILE, then ctrl+r: its create dialog."""
    app = pilot.app
    await wait_settled(pilot)
    await pilot.press("f4")
    await wait_settled(pilot)
    editor = app.query_one(EditorPane)
    editor.post_message(DeliverOpenInEditor(OpenInEditor(text=MODELFILE, origin="test")))
    await wait_settled(pilot)
    await pilot.press("ctrl+r")
    dialog = await wait_for_screen(pilot, CreateModelDialog)
    return dialog


async def test_the_create_dialog_sends_the_chosen_quantize(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    from textual.widgets import Select

    app = make_app()
    async with app.run_test(size=(150, 45)) as pilot:
        dialog = await open_create_dialog(pilot, wait_settled)
        assert "quantize" not in json.loads(dialog.query_one("#create-body", TextArea).text)
        dialog.query_one("#create-quantize", Select).value = "q8_0"
        body = dialog.query_one("#create-body", TextArea)
        await wait_for(pilot, lambda: '"quantize": "q8_0"' in body.text)
        dialog.query_one("#create-name", Input).value = "terse:q8"
        await wait_for(pilot, lambda: '"model": "terse:q8"' in body.text)
        assert json.loads(body.text)["quantize"] == "q8_0"
        assert dialog.create is not None and dialog.create.body["quantize"] == "q8_0"


async def test_a_finished_create_offers_create_only_for_another_name(
    make_app: AppFactory, wait_settled: Settle, demo_faults: FaultPlan
) -> None:
    """Once created, Create is off and Enter closes; Enter pressed again mid-create (or after)
    never sends a second create; a new name offers Create again."""
    sent: list[Message] = []
    creates = demo_faults.delay("/api/create", 5.0)  # the create is in flight for a while
    app = make_app(request_timeout=60.0)
    async with app.run_test(size=(150, 45), message_hook=sent.append) as pilot:
        dialog = await open_create_dialog(pilot, wait_settled)
        name = dialog.query_one("#create-name", Input)
        name.value = "terse:latest"
        name.focus()
        go = dialog.query_one("#create-go", Button)
        await wait_for(pilot, lambda: not go.disabled)
        await pilot.press("enter")
        await wait_for(pilot, lambda: creates.hits == 1)
        await pilot.press("enter")  # while the create is in flight: nothing more is sent
        await wait_for(pilot, lambda: dialog.created is not None)
        assert creates.hits == 1
        assert go.disabled
        close = dialog.query_one("#create-close", Button)
        await wait_for(pilot, lambda: close.has_focus)  # focus() lands on the next idle
        name.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: "was just created" in str(status_of(dialog)))
        created = {id(m): m for m in sent if isinstance(m, ModelCreated)}
        assert len(created) == 1
        name.value = "terse:v2"
        await wait_for(pilot, lambda: not go.disabled)
        name.value = "terse:latest"
        await wait_for(pilot, lambda: go.disabled)


def status_of(dialog: CreateModelDialog) -> object:
    from textual.widgets import Label

    return dialog.query_one("#create-status", Label).render()


def test_a_refused_create_names_the_line_it_is_about() -> None:
    from modelarium.tui.dialogs.editor_create import prepare_request

    text = "FROM llama3.2:3b\nSYSTEM terse.\nPARAMETER num_ctx abc\n"
    request, problem = prepare_request(text, None)
    assert request is None
    assert problem == "line 3: num_ctx: invalid int value [abc]"
