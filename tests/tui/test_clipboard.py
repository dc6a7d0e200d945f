"""Clipboard service: OSC 52 bytes, system clipboard probing, tmux hint, strategies."""

from __future__ import annotations

import base64
from collections.abc import Sequence

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from modelarium.tui.clipboard import (
    TMUX_HINT,
    ClipboardService,
    CommandResult,
    looks_binary,
    probe_system_clipboard,
    tmux_drops_osc52,
)


class ClipboardApp(App[None]):
    """A bare app that records what it writes to the terminal and what it notifies."""

    def __init__(self) -> None:
        super().__init__()
        self.written: list[str] = []
        self.notices: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("clipboard")

    def notify(self, message: str, **options: object) -> None:
        self.notices.append(message)


class FakeCommands:
    """Answers probe commands from a table and records the calls."""

    def __init__(self, answers: dict[str, CommandResult]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, ...]] = []

    def __call__(self, command: Sequence[str], timeout: float) -> CommandResult:
        self.calls.append(tuple(command))
        return self.answers.get(command[0], CommandResult(None))


def capture_writes(app: ClipboardApp) -> None:
    """Record every string the app writes to the terminal in `app.written`."""
    assert app._driver is not None
    setattr(app._driver, "write", app.written.append)  # noqa: B010 - replace a method


def osc52(text: str) -> str:
    return "\x1b]52;c;" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "\a"


async def test_copy_writes_osc52_bytes_and_keeps_app_clipboard() -> None:
    app = ClipboardApp()
    async with app.run_test() as pilot:
        capture_writes(app)
        service = ClipboardService(app, "osc52", environ={}, run=FakeCommands({}))
        service.copy('TEMPLATE """{{ .Prompt }} ü"""', "TEMPLATE")
        await pilot.pause()
    assert osc52('TEMPLATE """{{ .Prompt }} ü"""') in app.written
    assert app.clipboard == 'TEMPLATE """{{ .Prompt }} ü"""'
    assert app.notices[-1].startswith("Copied TEMPLATE")


async def test_tmux_without_set_clipboard_hints_once() -> None:
    app = ClipboardApp()
    commands = FakeCommands({"tmux": CommandResult(0, "external\n")})
    async with app.run_test() as pilot:
        capture_writes(app)
        service = ClipboardService(
            app, "osc52", environ={"TMUX": "/tmp/tmux-1/default,1,0"}, run=commands
        )
        service.copy("one")
        await app.workers.wait_for_complete()
        await pilot.pause()
        service.copy("two")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.notices.count(TMUX_HINT) == 1
    assert commands.calls == [("tmux", "show", "-gv", "set-clipboard")]
    assert osc52("two") in app.written


async def test_copies_in_quick_succession_hint_once_and_ask_tmux_once() -> None:
    """Copies made before the first copy's thread has run (a busy machine, a double press)
    still ask tmux once and show the hint once a session."""
    app = ClipboardApp()
    commands = FakeCommands({"tmux": CommandResult(0, "external\n")})
    async with app.run_test() as pilot:
        capture_writes(app)
        service = ClipboardService(
            app, "auto", environ={"TMUX": "/tmp/tmux-1/default,1,0"}, run=commands
        )
        service.copy("one")
        service.copy("two")
        await pilot.pause()
        service.copy("three")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.notices.count(TMUX_HINT) == 1
    assert commands.calls.count(("tmux", "show", "-gv", "set-clipboard")) == 1
    assert [n for n in app.notices if n.startswith("Copied")] == [
        "Copied text (3 characters)",
        "Copied text (3 characters)",
        "Copied text (5 characters)",
    ]
    assert osc52("three") in app.written


async def test_tmux_with_set_clipboard_on_says_nothing() -> None:
    app = ClipboardApp()
    commands = FakeCommands({"tmux": CommandResult(0, "on\n")})
    async with app.run_test() as pilot:
        service = ClipboardService(
            app, "auto", environ={"TMUX": "x", "SSH_TTY": "/dev/pts/1"}, run=commands
        )
        service.copy("text")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert TMUX_HINT not in app.notices


async def test_strategy_off_copies_nothing() -> None:
    app = ClipboardApp()
    async with app.run_test() as pilot:
        capture_writes(app)
        ClipboardService(app, "off", environ={}, run=FakeCommands({})).copy("secret")
        await pilot.pause()
    assert not any("\x1b]52;" in chunk for chunk in app.written)
    assert "off" in app.notices[-1]


async def test_system_strategy_uses_pyperclip_when_display_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    copied: list[str] = []
    chosen: list[str] = []
    monkeypatch.setattr("pyperclip.set_clipboard", chosen.append)
    monkeypatch.setattr("pyperclip.copy", copied.append)
    app = ClipboardApp()
    commands = FakeCommands({"xclip": CommandResult(0, "")})
    async with app.run_test() as pilot:
        capture_writes(app)
        service = ClipboardService(
            app,
            "system",
            environ={"DISPLAY": ":0"},
            run=commands,
            which=lambda tool: f"/usr/bin/{tool}",
        )
        service.copy("FROM llama3")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert copied == ["FROM llama3"] and chosen == ["xclip"]
    assert not any("\x1b]52;" in chunk for chunk in app.written)


def test_probe_refuses_remote_and_stale_displays() -> None:
    def which(tool: str) -> str:
        return f"/usr/bin/{tool}"

    stale = FakeCommands({"xclip": CommandResult(1, "", "Error: Can't open display: :77\n")})
    assert probe_system_clipboard({"DISPLAY": ":77"}, which=which, run=stale) is None
    assert (
        probe_system_clipboard(
            {"DISPLAY": ":0", "SSH_CONNECTION": "1 2 3 4"}, which=which, run=FakeCommands({})
        )
        is None
    )
    hanging = FakeCommands({})  # returncode None: timed out
    assert probe_system_clipboard({"DISPLAY": ":0"}, which=which, run=hanging) is None
    empty_clipboard = FakeCommands(
        {"xclip": CommandResult(1, "", "Error: target STRING not available")}
    )
    assert probe_system_clipboard({"DISPLAY": ":0"}, which=which, run=empty_clipboard) == "xclip"
    assert (
        probe_system_clipboard({"WAYLAND_DISPLAY": "wayland-0"}, which=which, run=FakeCommands({}))
        == "wl-clipboard"
    )
    assert probe_system_clipboard({}, which=which, run=FakeCommands({}), platform="linux") is None


def test_tmux_check_reads_the_option() -> None:
    assert tmux_drops_osc52({}, run=FakeCommands({})) is False
    assert tmux_drops_osc52({"TMUX": "x"}, run=FakeCommands({"tmux": CommandResult(0, "external")}))
    assert not tmux_drops_osc52({"TMUX": "x"}, run=FakeCommands({"tmux": CommandResult(0, "on")}))


def test_binary_detection() -> None:
    assert looks_binary("\x00\x01ELF")
    assert looks_binary("\x1b\x02\x03\x04 junk \x05\x06")
    assert looks_binary("\ufffd" * 10 + "abc")
    assert not looks_binary('FROM llama3\nTEMPLATE """\t{{ .Prompt }}"""\r\n')
    assert not looks_binary("")
