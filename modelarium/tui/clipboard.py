"""Clipboard service: OSC 52 through the terminal always, the system clipboard when it is real.

Copy goes to `App.copy_to_clipboard` (an OSC 52 sequence: the terminal on the user's machine
sets its clipboard, which works over SSH) and, only in a local graphical session with a
clipboard tool that answers, also through pyperclip in a thread worker. Inside tmux, OSC 52
is dropped unless `set-clipboard` is `on`; the service asks tmux once and says how to fix it.
Paste is the terminal's bracketed paste (`events.Paste`); `looks_binary` guards it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pyperclip
from textual.app import App

from modelarium.config import ClipboardStrategy

CommandRunner = Callable[[Sequence[str], float], "CommandResult"]
"""Runs a command with a timeout in seconds; injectable so tests need no real tools."""

SystemMechanism = Literal["pbcopy", "wl-clipboard", "xclip", "xsel"]
"""The pyperclip mechanisms used for a local system clipboard."""

PROBE_TIMEOUT = 1.0
"""Seconds a clipboard tool or tmux may take to answer a probe."""

TMUX_HINT = (
    "tmux is dropping clipboard copies (OSC 52): add `set -g set-clipboard on` to "
    "~/.tmux.conf and run `tmux source-file ~/.tmux.conf`"
)


@dataclass(frozen=True, slots=True)
class CommandResult:
    """Exit status and output of a probe command (returncode None: it could not run in time)."""

    returncode: int | None
    stdout: str = ""
    stderr: str = ""


def run_command(command: Sequence[str], timeout: float) -> CommandResult:
    """Run `command`, capturing text output; never raises."""
    try:
        completed = subprocess.run(
            list(command),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return CommandResult(None)
    return CommandResult(completed.returncode, completed.stdout, completed.stderr)


def is_remote_session(environ: Mapping[str, str]) -> bool:
    """True when the app runs over SSH (the system clipboard there is not the user's)."""
    return bool(environ.get("SSH_CONNECTION") or environ.get("SSH_TTY"))


def probe_system_clipboard(
    environ: Mapping[str, str],
    *,
    which: Callable[[str], str | None] = shutil.which,
    run: CommandRunner = run_command,
    platform: str = sys.platform,
) -> SystemMechanism | None:
    """The pyperclip mechanism that really reaches a local clipboard, or None.

    Blocking (it may start a probe process): call it from a thread worker.
    """
    if is_remote_session(environ):
        return None
    if platform == "darwin":
        return "pbcopy" if which("pbcopy") else None
    if environ.get("WAYLAND_DISPLAY") and which("wl-copy"):
        return "wl-clipboard"
    if not environ.get("DISPLAY"):
        return None
    # A stale DISPLAY makes xclip fail silently on copy, so ask the display first.
    probes: tuple[tuple[SystemMechanism, tuple[str, ...]], ...] = (
        ("xclip", ("xclip", "-selection", "clipboard", "-o")),
        ("xsel", ("xsel", "--clipboard", "--output")),
    )
    for tool, probe in probes:
        if which(tool) is None:
            continue
        result = run(probe, PROBE_TIMEOUT)
        if result.returncode is None or "open display" in result.stderr.lower():
            return None
        return tool
    return None


def tmux_drops_osc52(environ: Mapping[str, str], *, run: CommandRunner = run_command) -> bool:
    """True inside tmux when `set-clipboard` is not `on` (blocking: call from a thread)."""
    if not environ.get("TMUX"):
        return False
    result = run(("tmux", "show", "-gv", "set-clipboard"), PROBE_TIMEOUT)
    if result.returncode != 0:
        return False
    return result.stdout.strip() != "on"


def looks_binary(text: str) -> bool:
    """True for pasted data that is not text: NUL bytes, many control or replacement chars."""
    if not text:
        return False
    if "\x00" in text:
        return True
    suspicious = sum(
        1
        for char in text
        if char == "\ufffd" or (ord(char) < 32 and char not in "\t\n\r\x0c") or char == "\x7f"
    )
    return suspicious > max(2, len(text) // 100)


class ClipboardService:
    """Copies text for the app according to `Settings.clipboard` (auto|osc52|system|off)."""

    def __init__(
        self,
        app: App[Any],
        strategy: ClipboardStrategy = "auto",
        *,
        environ: Mapping[str, str] | None = None,
        run: CommandRunner = run_command,
        which: Callable[[str], str | None] = shutil.which,
    ) -> None:
        self._app = app
        self.strategy: ClipboardStrategy = strategy
        self._environ = os.environ if environ is None else environ
        self._run = run
        self._which = which
        self._mechanism: SystemMechanism | None = None
        self._mechanism_probed = False
        self._tmux_checked = False
        self.last_copied: str | None = None
        """The text of the most recent copy (what OSC 52 carried)."""

    def copy(self, text: str, what: str = "text") -> None:
        """Copy `text`; `what` names it in the confirmation ("the Modelfile", "TEMPLATE")."""
        if self.strategy == "off":
            self._app.notify('Copying is off (settings: clipboard = "off")', severity="warning")
            return
        self.last_copied = text
        if self.strategy in ("auto", "osc52"):
            self._app.copy_to_clipboard(text)
        # Decided here, on the event loop, not in a thread: a second copy made before the
        # first one's thread has run must not ask tmux (and show the hint) a second time. The
        # check has a worker of its own, which a later copy's exclusive worker cannot cancel.
        if self._needs_tmux_check():
            self._tmux_checked = True
            self._app.run_worker(
                self._check_tmux_in_thread,
                thread=True,
                group="clipboard-tmux",
                exit_on_error=False,
                name="clipboard tmux check",
            )
        if self.strategy in ("auto", "system"):
            self._app.run_worker(
                lambda: self._copy_in_thread(text),
                thread=True,
                group="clipboard",
                exclusive=True,
                exit_on_error=False,
                name="clipboard copy",
            )
        self._app.notify(f"Copied {what} ({len(text):,} characters)")

    def _needs_tmux_check(self) -> bool:
        return not self._tmux_checked and self.strategy in ("auto", "osc52")

    def _check_tmux_in_thread(self) -> None:
        """Ask tmux whether it passes OSC 52 on; say how to fix it when not (once a session)."""
        if tmux_drops_osc52(self._environ, run=self._run):
            self._app.call_from_thread(
                self._app.notify, TMUX_HINT, title="Clipboard", severity="warning", timeout=12
            )

    def _copy_in_thread(self, text: str) -> None:
        """Blocking half of a copy: the system clipboard, when there is a local one."""
        if not self._mechanism_probed:
            self._mechanism = probe_system_clipboard(
                self._environ, which=self._which, run=self._run
            )
            self._mechanism_probed = True
        if self._mechanism is None:
            if self.strategy == "system":
                self._app.call_from_thread(
                    self._app.notify,
                    "No system clipboard here (remote or headless session); "
                    'use clipboard = "auto" to copy through the terminal',
                    severity="warning",
                )
            return
        try:
            pyperclip.set_clipboard(self._mechanism)
            pyperclip.copy(text)
        except (pyperclip.PyperclipException, OSError) as error:
            self._app.call_from_thread(
                self._app.notify,
                f"System clipboard ({self._mechanism}) failed: {error}",
                severity="warning",
            )


_services: weakref.WeakKeyDictionary[App[Any], ClipboardService] = weakref.WeakKeyDictionary()


def clipboard_for(app: App[Any]) -> ClipboardService:
    """The app's one clipboard service, following `Settings.clipboard` of `app.services`."""
    service = _services.get(app)
    if service is None:
        settings = getattr(getattr(app, "services", None), "settings", None)
        strategy: ClipboardStrategy = getattr(settings, "clipboard", "auto")
        service = ClipboardService(app, strategy)
        _services[app] = service
    return service
