"""The hosts screen (H): add, edit, reorder and remove the `[[hosts]]` of the settings file.

Changes are written with tomlkit (comments kept, checked before the atomic write) in a worker
thread; the app then reconnects to the new hosts when they are the ones it runs on (not under
`--host` or `--demo`). A token is written only to a settings file readable by its owner alone
(`config_file` makes it so), and the form says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Static

from modelarium import locations
from modelarium.config import ConfigError, HostConfig, Settings, load_settings
from modelarium.terminal_text import terminal_text
from modelarium.tui.keys import bindings_for

SAVE_HINT = "Enter / ^s save · Esc cancel"
KEYS_HINT = "a add · e/Enter edit · Del remove · K/J (^↑/^↓) move · Esc close"
TOKEN_NOTE = (
    "A token is sent as Authorization: Bearer. It is written to {path}, which is then made "
    "readable by you alone (mode 600)."
)


@dataclass
class HostsEdited(Message):
    """The settings file's hosts changed (the app reconnects when it runs on them)."""

    settings: Settings


def _check_url(text: str) -> str | None:
    # Deferred (start-up): loaded on first use, not with the screen.
    from modelarium.ollama.addresses import parse_ollama_host
    from modelarium.ollama.types import InvalidHostURL

    try:
        parse_ollama_host(text)
    except InvalidHostURL as error:
        return str(error)
    return None


def clear_text_warning(url: str, token: str) -> str | None:
    """A warning when `token` would go to `url` unencrypted: plain http:// to a host that is not
    this machine sends the bearer token in clear text to anyone on the path."""
    # Deferred (start-up): loaded on first use, not with the screen.
    from urllib.parse import urlsplit

    from modelarium.ollama.addresses import parse_ollama_host
    from modelarium.ollama.transport import is_loopback_host
    from modelarium.ollama.types import InvalidHostURL

    if not token.strip() or not url.strip():
        return None
    try:
        parts = urlsplit(parse_ollama_host(url.strip()))
    except (InvalidHostURL, ValueError):
        return None
    if parts.scheme != "http" or is_loopback_host(parts.hostname or ""):
        return None
    return (
        f"Warning: {parts.hostname} is reached over plain http://, so the token is sent in "
        "clear text; use https:// (e.g. through a TLS proxy) to keep it private."
    )


TOKEN_CLEAR_NOTE = "To remove the saved token, empty the token box (^u clears it) and save."


class HostForm(ModalScreen[HostConfig | None]):
    """Name, address and optional token of one host; Enter (once name and address are right)
    or ctrl+s saves."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("host-form"))

    def __init__(self, title: str, host: HostConfig | None, taken: set[str]) -> None:
        super().__init__()
        self.title_text = title
        self.host = host
        self.taken = taken

    def compose(self) -> ComposeResult:
        host = self.host
        with Vertical(classes="dialog", id="host-form"):
            yield Static(self.title_text, classes="dialog-title")
            yield Input(host.name if host else "", placeholder="name, e.g. gpu-box", id="host-name")
            yield Input(
                host.url if host else "",
                placeholder="address, e.g. http://gpu-box:11434 or gpu-box",
                id="host-url",
            )
            yield Input(
                host.token or "" if host else "",
                placeholder="bearer token (optional)",
                password=True,
                id="host-token",
            )
            yield Static(
                TOKEN_NOTE.format(path=terminal_text(str(locations.config_file()))),
                classes="dialog-hint",
            )
            if host is not None and host.token:
                yield Static(TOKEN_CLEAR_NOTE, id="host-token-clear", classes="dialog-hint")
            yield Static("", id="host-token-warning", classes="dialog-hint problem")
            yield Static("Enter / ^s save · Esc cancel", id="host-problem", classes="dialog-hint")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#host-name", Input))
        self._warn()

    def _warn(self) -> None:
        """Show or hide the clear-text token warning for the address and token as typed."""
        warning = clear_text_warning(
            self.query_one("#host-url", Input).value, self.query_one("#host-token", Input).value
        )
        box = self.query_one("#host-token-warning", Static)
        box.update(terminal_text(warning) if warning else "")
        box.display = warning is not None

    def problem(self) -> str | None:
        name = self.query_one("#host-name", Input).value.strip()
        url = self.query_one("#host-url", Input).value.strip()
        if not name:
            return "a name is required"
        if name in self.taken:
            return f"a host named {name!r} is already configured"
        if not url:
            return "an address is required"
        return _check_url(url)

    @on(Input.Changed)
    def _changed(self) -> None:
        problem = self.problem()
        hint = self.query_one("#host-problem", Static)
        hint.update(
            f"{terminal_text(problem)}  ·  Esc cancels"
            if problem
            else "Enter / ^s save · Esc cancel"
        )
        hint.set_class(problem is not None, "problem")
        self._warn()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter saves once name and address are right (the token is optional: Tab reaches
        it); until then it goes on to the next box, and in the last it says what is wrong."""
        if self.problem() is None or event.input.id == "host-token":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        if self.problem() is not None:
            self._changed()
            return
        token = self.query_one("#host-token", Input).value.strip() or None
        self.dismiss(
            HostConfig(
                self.query_one("#host-name", Input).value.strip(),
                self.query_one("#host-url", Input).value.strip(),
                token,
                dict(self.host.headers) if self.host else {},
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)


class HostsScreen(ModalScreen[None]):
    """The configured hosts in priority order, editable."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("hosts-screen"))

    def __init__(self, note: str = "") -> None:
        super().__init__()
        self.note = note
        self.hosts: tuple[HostConfig, ...] = ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="hosts-screen"):
            yield Static("Hosts (settings file, in priority order)", classes="dialog-title")
            yield DataTable(id="hosts-table", cursor_type="row", zebra_stripes=True)
            yield Static(self.note, id="hosts-session", classes="dialog-hint")
            yield Static("", id="hosts-note", classes="dialog-hint")
            yield Static(KEYS_HINT, classes="dialog-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "Name", "Address", "Token")
        self.load()

    @work(thread=True, exclusive=True, group="hosts-file")
    def load(self) -> None:
        try:
            settings = load_settings()
        except ConfigError as error:
            self.app.call_from_thread(self.say, str(error))
            return
        self.app.call_from_thread(self.show, settings, None)

    def show(self, settings: Settings, select: int | None) -> None:
        self.hosts = settings.hosts
        table = self.query_one(DataTable)
        table.clear()
        for index, host in enumerate(self.hosts, start=1):
            table.add_row(
                str(index),
                terminal_text(host.name),
                terminal_text(host.url),
                "set" if host.token else "—",
            )
        if not self.hosts:
            self.say(
                "No [[hosts]] in the settings file: the app uses OLLAMA_HOST, else "
                "127.0.0.1:11434. Press a to add one."
            )
        if select is not None and self.hosts:
            table.move_cursor(row=max(0, min(select, len(self.hosts) - 1)))
        table.focus()

    def say(self, text: str) -> None:
        self.query_one("#hosts-note", Static).update(terminal_text(text))

    def selected(self) -> int | None:
        table = self.query_one(DataTable)
        return table.cursor_row if self.hosts and 0 <= table.cursor_row < len(self.hosts) else None

    def action_add(self) -> None:
        # Deferred (start-up): loaded on first use, not with the screen.
        from modelarium.config_file import add_host

        def added(host: HostConfig | None) -> None:
            if host is not None:
                self.change(lambda _: add_host(host), len(self.hosts), f"added {host.name}")

        self.app.push_screen(HostForm("Add a host", None, {h.name for h in self.hosts}), added)

    def action_edit(self) -> None:
        index = self.selected()
        if index is None:
            return
        current = self.hosts[index]
        taken = {h.name for h in self.hosts} - {current.name}

        def edited(host: HostConfig | None) -> None:
            if host is not None:
                # Deferred (start-up): loaded on first use, not with the screen.
                from modelarium.config_file import replace_host

                self.change(lambda _: replace_host(index, host), index, f"saved {host.name}")

        self.app.push_screen(HostForm(f"Edit {current.name}", current, taken), edited)

    def action_remove(self) -> None:
        index = self.selected()
        if index is None:
            return
        # Deferred (start-up): loaded on first use, not with the screen.
        from modelarium.config_file import remove_host

        # Deferred (start-up): loaded on first use, not with the screen.
        from modelarium.tui.dialogs.confirm import ConfirmDialog

        host = self.hosts[index]

        def answered(answer: bool | None) -> None:
            if answer:
                self.change(lambda _: remove_host(index), index, f"removed {host.name}")

        self.app.push_screen(
            ConfirmDialog(
                f"Remove host {host.name}?",
                f"{host.name} ({host.url}) is removed from {locations.config_file()}; "
                "the models on it are not touched.",
                confirm_label="Remove",
            ),
            answered,
        )

    def action_move(self, step: int) -> None:
        index = self.selected()
        if index is None or not 0 <= index + step < len(self.hosts):
            return
        # Deferred (start-up): loaded on first use, not with the screen.
        from modelarium.config_file import move_host

        self.change(lambda _: move_host(index, index + step), index + step, "moved")

    def action_close(self) -> None:
        self.dismiss(None)

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_edit()

    @work(thread=True, exclusive=True, group="hosts-file")
    def change(self, write: Callable[[None], Settings], select: int, done: str) -> None:
        """Write the settings file off the event loop, then show and announce the result."""
        try:
            settings = write(None)
        except (ConfigError, OSError) as error:
            self.app.call_from_thread(self.say, f"not saved: {error}")
            return
        self.app.call_from_thread(self.saved, settings, select, done)

    def saved(self, settings: Settings, select: int, done: str) -> None:
        self.show(settings, select)
        self.say(f"{done}; written to {settings.source}")
        self.app.post_message(HostsEdited(settings))
