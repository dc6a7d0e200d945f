"""Editor snapshots: highlighted Modelfile with lint marks, the import preview, create preview."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot

from modelarium.config import HostConfig
from modelarium.tui.editor import EditorPane
from tests.tui.test_editor import EditorApp

FROZEN = datetime(2026, 11, 24, 12, 0, 0, tzinfo=UTC)

HIGHLIGHTED = """# Coding assistant — ünïcode comment
FROM qwen2.5-coder:7b
PARAMETER temperature 0.2
PARAMETER num_ctx 32768
PARAMETER stop "<|im_end|>"
TEMPLATE \"\"\"{{- if .System }}<|im_start|>system
{{ .System }}<|im_end|>
{{ end }}{{- range .Messages }}<|im_start|>{{ .Role }}
{{ .Content }}<|im_end|>
{{ end }}<|im_start|>assistant
\"\"\"
SYSTEM \"\"\"You write small, tested Python functions.\"\"\"
PARAMETER temprature 0.5
MESSAGE user Hello
"""


@pytest.fixture(autouse=True)
def utc_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Draft times in the status line print in UTC on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


def editor_app(library_url: str, text: str) -> EditorApp:
    app = EditorApp(library_url, text)
    app.services.clock = lambda: FROZEN
    return app


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause(1.5)  # analysis debounce and the first draft save
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_editor_snapshot(snap_compare: Any, library_url: str) -> None:
    assert snap_compare(
        editor_app(library_url, HIGHLIGHTED), terminal_size=(120, 30), run_before=settle
    )


def test_import_dialog_snapshot(snap_compare: Any, library_url: str) -> None:
    async def paste(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.query_one("#editor-elements").focus()
        await pilot.pause()
        pane = pilot.app.query_one(EditorPane)
        pane.query_one("#editor-elements").post_message(events.Paste(HIGHLIGHTED))
        await pilot.pause(0.3)

    assert snap_compare(editor_app(library_url, ""), terminal_size=(120, 30), run_before=paste)


def test_create_preview_snapshot(snap_compare: Any, library_url: str) -> None:
    text = 'FROM qwen2.5-coder:7b\nPARAMETER temperature 0.2\nSYSTEM """Be brief."""\n'

    async def open_create(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await pilot.pause(0.3)

    app = editor_app(library_url, text)
    app.services.hosts = (HostConfig("gpu-box", "http://127.0.0.1:9"),)  # never contacted
    assert snap_compare(app, terminal_size=(120, 34), run_before=open_create)
