"""Run Modelarium in a real tmux, as a user over SSH does, and read what the screen shows.

Pilot sends keys straight into Textual; tmux sends the bytes a terminal sends (alt+d as Esc d,
ctrl+s as 0x13), through a real pseudo-terminal, so only this shows whether a key reaches the
app. Each `TmuxApp` has its own tmux server (its own socket, no user config), a pane of the
given size with no status line, and a temporary config and data folder:

    with TmuxApp.start(tmp_path, size=(160, 45)) as tui:
        tui.wait_for("llama3.1:8b")
        tui.press("3")
        tui.type("FROM llama3.2")
        screen = tui.wait_for("lint clean")

Waits poll `capture-pane` until the text appears, with a generous deadline (a busy machine only
makes them slower, never wrong); nothing here sleeps a fixed time. `require_tmux()` skips a
test, with the reason, where tmux is not installed (CI installs it).
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

WAIT_SECONDS = 30.0
"""Deadline of one wait: far above the ~1 s a step takes, so that only a real failure fails."""
START_SECONDS = 60.0
"""Deadline for the app's first screen (imports, the demo host, the first listing)."""
POLL_SECONDS = 0.05
"""Pause between two looks at the pane while waiting for a text."""

_sessions = itertools.count()


def require_tmux() -> str:
    """The tmux executable; skips the calling test (with the reason) when there is none."""
    found = shutil.which("tmux")
    if found is None:
        pytest.skip("tmux is not installed: the real-terminal key tests need it (CI installs it)")
    return found


NOT_PASSED_TO_THE_APP = frozenset(
    {"OLLAMA_HOST", "MODELARIUM_DATABASE_URL", "TMUX", "TMUX_PANE", "COLUMNS", "LINES"}
)
"""Variables of the test process the app must not see: a host or library of the user's, an
outer tmux, and COLUMNS/LINES (pytest-xdist sets them in its workers), which would override
the size of the tmux pane the app must measure, as it does for a user."""


class TmuxApp:
    """One `modelarium` process in a detached tmux session of its own server."""

    def __init__(self, tmux: str, socket: str, home: Path) -> None:
        self.tmux = tmux
        self.socket = socket
        """The `-L` socket name: this server only, never the user's."""
        self.home = home
        """The folder holding the app's config (`config.toml`), data (`data/`) and cwd."""
        self.last_screen = ""
        """The text the last wait saw (shown when a wait fails)."""

    @property
    def data_dir(self) -> Path:
        """`MODELARIUM_DATA_DIR` of the app (its SQLite library lives here)."""
        return self.home / "data"

    @property
    def config_path(self) -> Path:
        """`MODELARIUM_CONFIG` of the app."""
        return self.home / "config.toml"

    @classmethod
    @contextmanager
    def start(
        cls,
        home: Path,
        *,
        size: tuple[int, int] = (160, 45),
        args: Sequence[str] = ("--demo",),
        wait_for: str | None = "llama3.1:8b",
    ) -> Iterator[TmuxApp]:
        """Start `modelarium ARGS` in a `size` (columns, rows) pane; wait for `wait_for`.

        `home` holds the app's config, data and working folder. The tmux server is killed on
        exit, the app with it.
        """
        tmux = require_tmux()
        home.mkdir(parents=True, exist_ok=True)
        app = cls(tmux, f"modelarium-test-{os.getpid()}-{next(_sessions)}", home)
        app.data_dir.mkdir(exist_ok=True)
        tmux_conf = home / "tmux.conf"
        # No status line (the pane is the whole size); a crash stays on screen to be read.
        tmux_conf.write_text("set -g status off\nset -g remain-on-exit on\n", encoding="utf-8")
        environment = {
            key: value for key, value in os.environ.items() if key not in NOT_PASSED_TO_THE_APP
        }
        environment |= {
            "MODELARIUM_CONFIG": str(app.config_path),
            "MODELARIUM_DATA_DIR": str(app.data_dir),
            "TERM": environment.get("TERM", "xterm-256color") or "xterm-256color",
        }
        command = [sys.executable, "-m", "modelarium", *args]
        columns, rows = size
        socket_path = ""
        try:
            app._tmux(
                "-f",
                str(tmux_conf),
                "new-session",
                "-d",
                "-s",
                "app",
                "-x",
                str(columns),
                "-y",
                str(rows),
                "-c",
                str(home),
                *command,
                env=environment,
            )
            socket_path = app._tmux("display-message", "-p", "#{socket_path}").strip()
            if wait_for is not None:
                app.wait_for(wait_for, seconds=START_SECONDS)
            yield app
        finally:
            app._tmux("kill-server", check=False)
            if socket_path:  # tmux leaves the socket file behind
                Path(socket_path).unlink(missing_ok=True)

    def _tmux(self, *arguments: str, env: dict[str, str] | None = None, check: bool = True) -> str:
        done = subprocess.run(
            [self.tmux, "-L", self.socket, *arguments],
            capture_output=True,
            text=True,
            env=env,
            timeout=WAIT_SECONDS,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(arguments)} failed: {done.stderr.strip()}")
        return done.stdout

    def press(self, *keys: str) -> None:
        """Send keys by tmux's names, as a terminal would: `C-e`, `M-d`, `F6`, `Enter`, `x`.

        Several keys in one call arrive together (as when typed fast or pasted)."""
        self._tmux("send-keys", "-t", "app", *keys)

    def type(self, text: str) -> None:
        """Type `text` literally (no key names), in one burst."""
        self._tmux("send-keys", "-t", "app", "-l", text)

    def screen(self) -> str:
        """The pane's text now (no colours)."""
        self.last_screen = self._tmux("capture-pane", "-p", "-t", "app")
        return self.last_screen

    def wait_until(
        self, condition: Callable[[str], bool], what: str, *, seconds: float = WAIT_SECONDS
    ) -> str:
        """Poll the pane until `condition(screen)` holds; returns that screen.

        Fails after `seconds` with `what` and the last screen seen."""
        deadline = time.monotonic() + seconds
        while True:
            screen = self.screen()
            if condition(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"tmux: {what} not seen within {seconds:.0f} s; the screen was:\n{screen}"
                )
            time.sleep(POLL_SECONDS)

    def wait_for(self, *texts: str, seconds: float = WAIT_SECONDS) -> str:
        """Poll the pane until every one of `texts` is on it; returns that screen."""
        return self.wait_until(
            lambda screen: all(text in screen for text in texts),
            " and ".join(repr(text) for text in texts),
            seconds=seconds,
        )

    def wait_gone(self, *texts: str, seconds: float = WAIT_SECONDS) -> str:
        """Poll the pane until none of `texts` is on it, twice in a row on the same screen;
        returns that screen.

        A capture can catch the app halfway through drawing a frame: a text is then missing
        without being gone. A text that shows is there (a half-drawn frame draws what is new),
        so `wait_for` needs one capture; a text that is gone needs a finished frame. Wait on a
        dialog's title (top left), not on text a notification can cover (bottom right)."""
        previous: list[str] = []

        def gone_on_a_finished_frame(screen: str) -> bool:
            settled = previous == [screen]
            previous[:] = [screen]
            return settled and not any(text in screen for text in texts)

        return self.wait_until(
            gone_on_a_finished_frame,
            "no " + " nor ".join(repr(text) for text in texts),
            seconds=seconds,
        )
