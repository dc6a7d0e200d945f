"""Pull/push progress in a modal: a bar with size and speed, Esc cancels, `r` retries a failure."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import ClassVar, Literal, Protocol

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from modelarium.terminal_text import terminal_text
from modelarium.tui.errors import one_line
from modelarium.tui.keys import bindings_for
from modelarium.wording import human_bytes


class ProgressLine(Protocol):
    """One streamed status line of a pull/push (`modelarium.ollama.Progress` fits)."""

    @property
    def status(self) -> str: ...
    @property
    def digest(self) -> str | None: ...
    @property
    def total(self) -> int | None: ...
    @property
    def completed(self) -> int | None: ...


TransferStream = Callable[[], AsyncIterator[ProgressLine]]
"""Starts the transfer afresh (so a failed one can be retried) and streams its progress."""

TransferState = Literal["running", "failed", "done"]


@dataclass
class TransferTracker:
    """Byte totals over every blob of a transfer and the recent speed."""

    totals: dict[str, int] = field(default_factory=dict)
    completed: dict[str, int] = field(default_factory=dict)
    status: str = "starting"
    samples: deque[tuple[float, int]] = field(default_factory=lambda: deque(maxlen=50))
    window: float = 3.0
    """Seconds of history the speed is averaged over."""

    def update(self, line: ProgressLine, now: float) -> None:
        """Take one progress line observed at monotonic time `now`."""
        self.status = line.status
        if line.digest and line.total:
            self.totals[line.digest] = line.total
            self.completed[line.digest] = min(line.completed or 0, line.total)
        self.samples.append((now, self.done_bytes))
        while len(self.samples) > 2 and now - self.samples[0][0] > self.window:
            self.samples.popleft()

    @property
    def total_bytes(self) -> int:
        return sum(self.totals.values())

    @property
    def done_bytes(self) -> int:
        return sum(self.completed.values())

    @property
    def speed(self) -> float | None:
        """Bytes per second over the recent window, None until two samples apart in time."""
        if len(self.samples) < 2:
            return None
        (first_time, first_bytes), (last_time, last_bytes) = self.samples[0], self.samples[-1]
        if last_time - first_time <= 0:
            return None
        return max(0.0, (last_bytes - first_bytes) / (last_time - first_time))

    def describe(self) -> str:
        """`1.2 GB of 4.7 GB · 85.3 MB/s` (or what is known so far)."""
        if not self.total_bytes:
            return ""
        text = f"{human_bytes(self.done_bytes)} of {human_bytes(self.total_bytes)}"
        speed = self.speed
        if speed is not None:
            text += f" · {human_bytes(int(speed))}/s"
        return text


class TransferDialog(ModalScreen[bool]):
    """Runs a pull or push and shows its progress; dismisses True when it succeeded."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("transfer-dialog"))

    class Advanced(Message, bubble=False):
        """The transfer moved on."""

        def __init__(self, status: str, done: int, total: int, detail: str) -> None:
            super().__init__()
            self.status = status
            self.done = done
            self.total = total
            self.detail = detail

    class Ended(Message, bubble=False):
        """The transfer finished (`failure` is None) or failed (`failure` says why)."""

        def __init__(self, failure: BaseException | None) -> None:
            super().__init__()
            self.failure = failure

        @property
        def error(self) -> str | None:
            """Why it failed, in one line (None: it finished)."""
            return _one_line_or_none(self.failure)

    def __init__(
        self,
        title: str,
        start: TransferStream,
        *,
        clock: Callable[[], float] = time.monotonic,
        close_on_failure: bool = False,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.start = start
        self.clock = clock
        self.close_on_failure = close_on_failure
        """Dismiss with False at a failure (its reason in `error`) instead of offering a retry:
        a batch records it and goes on."""
        self.state: TransferState = "running"
        self.failure: BaseException | None = None
        """Why the last attempt failed (a batch words it with the model's name once)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            # The host's words (status, error) are shown terminal-safe and never as markup.
            title = terminal_text(self.title_text)
            yield Static(title, classes="dialog-title", markup=False)
            yield Static("starting…", id="transfer-status", markup=False)
            yield ProgressBar(total=None, show_eta=False, id="transfer-bar")
            yield Static("", id="transfer-detail", markup=False)
            yield Static("Esc cancels", id="transfer-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        self.run_transfer()

    @work(exclusive=True, group="transfer", exit_on_error=False)
    async def run_transfer(self) -> None:
        """Stream the transfer, posting progress; a failure becomes a message, never a crash."""
        tracker = TransferTracker()
        try:
            async for line in self.start():
                tracker.update(line, self.clock())
                self.post_message(
                    self.Advanced(
                        tracker.status, tracker.done_bytes, tracker.total_bytes, tracker.describe()
                    )
                )
        except Exception as error:  # host died, connection cut, Ollama error line
            self.post_message(self.Ended(error))
        else:
            self.post_message(self.Ended(None))

    def on_transfer_dialog_advanced(self, message: Advanced) -> None:
        self.query_one("#transfer-status", Static).update(terminal_text(message.status))
        self.query_one("#transfer-detail", Static).update(message.detail)
        bar = self.query_one(ProgressBar)
        if message.total:
            bar.update(total=message.total, progress=message.done)

    @property
    def error(self) -> str | None:
        """Why the last attempt failed, in one line."""
        return _one_line_or_none(self.failure)

    def on_transfer_dialog_ended(self, message: Ended) -> None:
        if message.failure is None:
            self.state = "done"
            self.dismiss(True)
            return
        self.state = "failed"
        self.failure = message.failure
        if self.close_on_failure:
            self.dismiss(False)
            return
        self.query_one("#transfer-status", Static).update(
            terminal_text(f"Failed: {self.error}", lines="join")
        )
        self.query_one("#transfer-status").add_class("problem")
        # A bar still moving after "Failed:" would say the transfer goes on: it hides.
        self.query_one(ProgressBar).display = False
        self.query_one("#transfer-hint", Static).update("r retries, Esc closes")

    def action_cancel(self) -> None:
        """Stop a running transfer (or close after a failure)."""
        if self.state == "running":
            self.workers.cancel_group(self, "transfer")
        self.dismiss(False)

    def action_retry(self) -> None:
        """Start a failed transfer again."""
        if self.state != "failed":
            return
        self.state = "running"
        self.failure = None
        status = self.query_one("#transfer-status", Static)
        status.update("retrying…")
        status.remove_class("problem")
        self.query_one(ProgressBar).display = True
        self.query_one("#transfer-hint", Static).update("Esc cancels")
        self.run_transfer()


def _one_line_or_none(failure: BaseException | None) -> str | None:
    return None if failure is None else one_line(failure)
