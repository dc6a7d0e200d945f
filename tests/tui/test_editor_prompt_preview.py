"""The editor's live prompt preview: F12 shows it, typing re-renders it, samples switch the
conversation, RENDERER says a preview does not apply; plus a snapshot."""

from __future__ import annotations

import time
from typing import Any

import pytest
from textual.pilot import Pilot

from modelarium.tui.editor import EditorPane
from modelarium.tui.editor.prompt_preview import (
    SPECIAL_STYLE,
    STOP_STYLE,
    PreviewResult,
    PromptPreview,
    highlighted,
)
from tests.tui.conftest import AppFactory, load_panes, wait_for
from tests.tui.test_editor import EditorApp
from tests.tui.test_editor_snapshots import editor_app

CHATML = (
    "FROM qwen2.5:7b\n"
    'PARAMETER stop "<|im_end|>"\n'
    'TEMPLATE """X{{ range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n'
    '{{ end }}{{ if .Tools }}TOOLS {{ .Tools }}{{ end }}<|im_start|>assistant\n"""\n'
)


def preview_of(app: EditorApp) -> PromptPreview:
    return app.query_one(EditorPane).query_one(PromptPreview)


async def show_preview(app: EditorApp, pilot: Pilot[None]) -> PromptPreview:
    await wait_for(pilot, lambda: app.query_one(EditorPane).text == CHATML)
    await pilot.press("f12")
    preview = preview_of(app)
    await wait_for(pilot, lambda: "<|im_start|>user" in preview.prompt_text)
    return preview


async def test_ctrl_g_shows_the_prompt_and_typing_changes_it(library_url: str) -> None:
    app = EditorApp(library_url, CHATML)
    async with app.run_test(size=(160, 45)) as pilot:
        pane = app.query_one(EditorPane)
        assert not preview_of(app).shown
        preview = await show_preview(app, pilot)
        assert preview.shown
        assert preview.prompt_text.startswith("X<|im_start|>system\nYou are a concise assistant.")
        # Type right after the opening quotes of TEMPLATE: the prompt follows.
        line = CHATML.splitlines().index(next(x for x in CHATML.splitlines() if "TEMPLATE" in x))
        pane.text_area.focus()
        pane.text_area.cursor_location = (line, len('TEMPLATE """'))
        await pilot.press("Y")
        await wait_for(pilot, lambda: preview.prompt_text.startswith("YX<|im_start|>"))
        await pilot.press("f12")
        assert not preview_of(app).shown


async def test_after_a_burst_of_keys_the_panel_shows_the_newest_text(library_url: str) -> None:
    """Keys typed faster than the debounce render nothing in between; once typing pauses the
    panel reaches the rendering of the text as it is now, never an older one."""
    app = EditorApp(library_url, CHATML)
    async with app.run_test(size=(160, 45)) as pilot:
        pane = app.query_one(EditorPane)
        preview = await show_preview(app, pilot)
        line = CHATML.splitlines().index(next(x for x in CHATML.splitlines() if "TEMPLATE" in x))
        pane.text_area.focus()
        pane.text_area.cursor_location = (line, len('TEMPLATE """'))
        await pilot.press(*"ABC")
        await wait_for(pilot, lambda: preview.up_to_date)
        assert preview.prompt_text.startswith("ABCX<|im_start|>")


async def test_a_late_rendering_of_older_text_is_not_shown(library_url: str) -> None:
    app = EditorApp(library_url, CHATML)
    async with app.run_test(size=(160, 45)) as pilot:
        pane = app.query_one(EditorPane)
        preview = await show_preview(app, pilot)
        await wait_for(pilot, lambda: preview.up_to_date)
        shown = preview.result
        before = preview._generation
        pane.text_area.insert("# a comment\n", (0, 0))  # a newer edit: the old one is stale
        await wait_for(pilot, lambda: preview._generation > before)
        preview.post_message(PromptPreview.Rendered(before, PreviewResult(None, "stale")))
        await wait_for(pilot, lambda: preview.up_to_date)
        assert preview.result is not None and preview.result.note != "stale"
        # A comment changes nothing the prompt is made of: the same rendering, not repainted.
        assert preview.result is shown


async def test_picking_the_tools_sample_shows_the_tools(library_url: str) -> None:
    app = EditorApp(library_url, CHATML)
    async with app.run_test(size=(160, 45)) as pilot:
        preview = await show_preview(app, pilot)
        assert "TOOLS" not in preview.prompt_text
        preview.pick_sample("tools")
        await wait_for(pilot, lambda: "get_current_weather" in preview.prompt_text)
        assert 'TOOLS [{"type":"function"' in preview.prompt_text


async def test_an_edited_conversation_and_a_broken_one(library_url: str) -> None:
    app = EditorApp(library_url, CHATML)
    async with app.run_test(size=(160, 45)) as pilot:
        preview = await show_preview(app, pilot)
        conversation = preview.query_one("#prompt-conversation")
        conversation.text = '{"messages": [{"role": "user", "content": "custom words"}]}'  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: "custom words" in preview.prompt_text)
        conversation.text = "{not json"  # type: ignore[attr-defined]
        await wait_for(
            pilot,
            lambda: preview.result is not None and preview.result.note.startswith("Conversation"),
        )
        assert preview.result is not None and preview.result.error


async def test_renderer_says_a_template_preview_does_not_apply(library_url: str) -> None:
    text = "FROM qwen3\nRENDERER qwen3-coder\nTEMPLATE {{ .Prompt }}\n"
    app = EditorApp(library_url, text)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: app.query_one(EditorPane).text == text)
        await pilot.press("f12")
        preview = preview_of(app)
        await wait_for(pilot, lambda: preview.result is not None)
        assert preview.result is not None
        assert "a template preview does not apply" in preview.result.note
        assert preview.prompt_text == ""


def test_special_tokens_and_stops_are_marked() -> None:
    text = highlighted("<|im_start|>user\nhi<|im_end|>\x1b", ("<|im_end|>",))
    assert text.plain == "<|im_start|>user\nhi<|im_end|>\\x1b"
    styles = {text.plain[span.start : span.end]: str(span.style) for span in text.spans}
    assert styles["<|im_start|>"] == SPECIAL_STYLE
    assert styles["<|im_end|>"] == STOP_STYLE


@pytest.fixture
def utc_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Draft times in the status line print in UTC on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


@pytest.mark.usefixtures("utc_clock")
def test_prompt_preview_snapshot(snap_compare: Any, library_url: str) -> None:
    async def open_preview(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, EditorApp)
        pane = app.query_one(EditorPane)
        await show_preview(app, pilot)
        await wait_for(pilot, lambda: pane.draft is not None)
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(
        editor_app(library_url, CHATML), terminal_size=(150, 40), run_before=open_preview
    )


# A Modelfile without TEMPLATE: its FROM model's --------------------------------------------


def test_without_template_the_from_models_template_is_rendered() -> None:
    from modelarium.modelfile.model_facts import ModelFacts
    from modelarium.tui.editor.prompt_preview import FromModel, render_preview

    facts = ModelFacts(
        "qwen2.5:7b",
        host="gpu",
        template="<|im_start|>{{ range .Messages }}{{ .Content }}{{ end }}",
        system="Be brief.",
        parameters={"stop": ("<|im_end|>",)},
        modelfile='FROM /b/sha256-1\nMESSAGE user "earlier"\n',
    )
    conversation = '{"messages": [{"role": "user", "content": "hi"}]}'
    result = render_preview("FROM qwen2.5:7b\n", conversation, FromModel(facts))
    # SYSTEM and MESSAGE come from the FROM model too; Ollama joins two user turns in a row.
    assert result.prompt is not None
    assert result.prompt.plain == "<|im_start|>Be brief.earlier\n\nhi"
    assert result.note.startswith("qwen2.5:7b's TEMPLATE on gpu (none in this Modelfile) · ")
    # The Modelfile's own TEMPLATE wins; another model's facts are not used.
    own_template = 'FROM qwen2.5:7b\nTEMPLATE "{{ .Prompt }}!"\n'
    own = render_preview(own_template, conversation, FromModel(facts))
    assert own.prompt is not None and own.prompt.plain == "hi!"
    other = render_preview("FROM llama3.2\n", conversation, FromModel(facts))
    assert other.prompt is None and "llama3.2's" in other.note
    missing = render_preview(
        "FROM qwen3:9b\n", conversation, FromModel(None, "qwen3:9b is not installed on demo")
    )
    assert missing.prompt is None
    assert missing.note == (
        "No TEMPLATE here: the model uses qwen3:9b's, shown once the selected host describes "
        "it (qwen3:9b is not installed on demo)."
    )


async def test_f12_without_template_shows_the_installed_from_models_prompt(
    make_app: AppFactory,
) -> None:
    from modelarium.tui.messages import DeliverOpenInEditor, OpenInEditor

    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await load_panes(pilot, "editor")
        await pilot.press("f4")
        pane = app.query_one(EditorPane)
        text = "FROM qwen3:8b\nSYSTEM Answer in one word.\n"
        pane.post_message(DeliverOpenInEditor(OpenInEditor(text=text, origin="test")))
        await wait_for(pilot, lambda: pane.text == text)
        await pilot.press("f12")
        preview = pane.query_one(PromptPreview)
        await wait_for(
            pilot,
            lambda: (
                preview.result is not None
                and preview.result.note.startswith("qwen3:8b's TEMPLATE on demo")
            ),
        )
        # qwen3:8b's ChatML template (the sample conversation brings its own system message).
        assert "<|im_start|>user\nHello!<|im_end|>" in preview.prompt_text
