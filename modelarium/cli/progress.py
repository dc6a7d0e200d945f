"""Pull/push/create progress on stderr: an in-place bar on a terminal, plain lines when piped.

The bar shows the status, a percentage, completed/total size, the rate over the last seconds
and the time left; a new status starts a new line, so the scrollback keeps each step. Piped
(CI logs, `2>file`), each new status is one line and percentages are printed as they move by
10 %, as before.
"""

from __future__ import annotations

import shutil
import time
from collections import deque
from collections.abc import Callable
from typing import TextIO

from modelarium.cli.output import safe
from modelarium.ollama.types import Progress
from modelarium.wording import human_bytes

RATE_WINDOW = 3.0
"""Seconds of samples the rate is measured over."""


def progress_printer(
    out: TextIO, *, clock: Callable[[], float] = time.monotonic
) -> Callable[[Progress], None]:
    """The printer for `out`: a bar when it is a terminal, lines otherwise."""
    return BarPrinter(out, clock=clock) if out.isatty() else LinePrinter(out)


class LinePrinter:
    """Each new status once, percentages as they move by 10 %."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self._last: tuple[str, int] | None = None

    def __call__(self, progress: Progress) -> None:
        fraction = progress.fraction
        step = -1 if fraction is None else int(fraction * 10)
        key = (progress.status, step)
        if key == self._last:
            return
        self._last = key
        status = safe(progress.status)
        if fraction is None:
            self.out.write(f"{status}\n")
        else:
            self.out.write(
                f"{status}  {fraction * 100:3.0f}%"
                f"  {human_bytes(progress.completed)}/{human_bytes(progress.total)}\n"
            )
        self.out.flush()


class BarPrinter:
    """One line per status, redrawn in place with bar, size, rate and time left."""

    def __init__(self, out: TextIO, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.out = out
        self.clock = clock
        self._status: str | None = None
        self._samples: deque[tuple[float, int]] = deque()
        self._open = False

    def __call__(self, progress: Progress) -> None:
        now = self.clock()
        if progress.status != self._status:
            if self._open:
                self.out.write("\n")
            self._status = progress.status
            self._samples.clear()
            self._open = False
        fraction = progress.fraction
        if fraction is None:
            self.out.write(f"\r{safe(progress.status)}\x1b[K")
            self._open = True
            if progress.is_success:
                self.out.write("\n")
                self._open = False
            self.out.flush()
            return
        self._samples.append((now, progress.completed))
        while len(self._samples) > 2 and now - self._samples[0][0] > RATE_WINDOW:
            self._samples.popleft()
        self.out.write("\r" + self.line(progress, fraction) + "\x1b[K")
        self._open = True
        self.out.flush()

    def rate(self) -> float | None:
        """Bytes per second over the window; None until two samples apart in time."""
        (first_time, first_done), (last_time, last_done) = self._samples[0], self._samples[-1]
        if last_time - first_time <= 0 or last_done < first_done:
            return None
        return (last_done - first_done) / (last_time - first_time)

    def line(self, progress: Progress, fraction: float) -> str:
        rate = self.rate()
        left = progress.total - progress.completed
        eta = "" if not rate else f"  ETA {_duration(left / rate)}"
        speed = "" if not rate else f"  {human_bytes(int(rate))}/s"
        sizes = f"{human_bytes(progress.completed)}/{human_bytes(progress.total)}"
        status = safe(progress.status)
        tail = f" {fraction * 100:3.0f}%  {sizes}{speed}{eta}"
        width = shutil.get_terminal_size((80, 24)).columns - 1
        room = width - len(tail) - 2
        bar_width = max(0, min(30, room - len(status) - 1))
        if room < len(status):
            status = status[: max(0, room - 1)] + "…" if room > 1 else ""
        filled = round(bar_width * fraction)
        bar = " " + "█" * filled + "░" * (bar_width - filled) if bar_width else ""
        return f"{status}{bar}{tail}"


def _duration(seconds: float) -> str:
    """`45s`, `3m05s`, `1h02m` as download tools print time left."""
    whole = int(seconds + 0.5)
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
