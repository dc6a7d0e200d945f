"""Fault injection for the demo host: make chosen requests slow, fail, drop, cut or hang.

A `FaultPlan` holds rules matched by HTTP method, path (a glob such as `/api/*`) and optionally
the model named in the request body. Rules are applied a given number of times or forever, and
may be added or cleared at any time from any thread (the server reads them per request).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import Enum
from fnmatch import fnmatchcase

from modelarium.demo.names import parse_name


class FaultKind(Enum):
    """What a rule does to a matching request."""

    DELAY = "delay"
    """Wait `seconds` before answering normally (adds up with other delays)."""
    ERROR = "error"
    """Answer `status` with `{"error": message}` instead of the real answer."""
    DROP = "drop"
    """Close the connection without any response."""
    CUT = "cut"
    """Send the status line, headers and `lines` body lines, then close the connection."""
    HANG = "hang"
    """Accept the request and never answer (other connections are served normally)."""


@dataclass(slots=True)
class FaultRule:
    """One rule; `times` None means forever. `hits` counts the requests it applied to."""

    kind: FaultKind
    path: str = "*"
    method: str | None = None
    model: str | None = None
    seconds: float = 0.0
    status: int = 500
    message: str = "internal server error"
    lines: int = 0
    times: int | None = None
    hits: int = 0

    def matches(self, method: str, path: str, model: str | None) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method is not None and self.method.upper() != method.upper():
            return False
        if not fnmatchcase(path, self.path):
            return False
        if self.model is not None:
            return model is not None and _same_model(self.model, model)
        return True


def _same_model(wanted: str, requested: str) -> bool:
    return parse_name(wanted).key == parse_name(requested).key


@dataclass(frozen=True, slots=True)
class FaultDecision:
    """What the server does for one request: total delay, then at most one terminal fault."""

    delay: float
    terminal: FaultRule | None


class FaultPlan:
    """A thread-safe list of fault rules plus a base delay applied to every request."""

    def __init__(self, *, base_delay: float = 0.0) -> None:
        self._lock = threading.Lock()
        self._hit = threading.Condition(self._lock)
        """Notified whenever a rule applies to a request (`wait_for_hits`)."""
        self._rules: list[FaultRule] = []
        self._base_delay = base_delay

    @property
    def base_delay(self) -> float:
        """Seconds added before every answer (used by the benchmark)."""
        with self._lock:
            return self._base_delay

    @base_delay.setter
    def base_delay(self, seconds: float) -> None:
        with self._lock:
            self._base_delay = seconds

    @property
    def rules(self) -> tuple[FaultRule, ...]:
        with self._lock:
            return tuple(self._rules)

    @property
    def wants_model(self) -> bool:
        """Whether some rule matches on the model (only then is the request body read)."""
        with self._lock:
            return any(rule.model is not None for rule in self._rules)

    def add(self, rule: FaultRule) -> FaultRule:
        """Add a rule (checked after the ones already there); returns it for `hits`."""
        with self._lock:
            self._rules.append(rule)
        return rule

    def remove(self, rule: FaultRule) -> None:
        with self._lock:
            if rule in self._rules:
                self._rules.remove(rule)

    def clear(self) -> None:
        """Remove every rule (the base delay stays)."""
        with self._lock:
            self._rules.clear()

    def delay(
        self, path: str, seconds: float, *, method: str | None = None,
        model: str | None = None, times: int | None = None,
    ) -> FaultRule:  # fmt: skip
        """Answer matching requests `seconds` late."""
        return self.add(FaultRule(FaultKind.DELAY, path, method, model, seconds=seconds,
                                  times=times))  # fmt: skip

    def error(
        self, path: str, status: int, message: str, *, method: str | None = None,
        model: str | None = None, times: int | None = None,
    ) -> FaultRule:  # fmt: skip
        """Answer matching requests with `status` and an Ollama-style `{"error": message}`."""
        return self.add(FaultRule(FaultKind.ERROR, path, method, model, status=status,
                                  message=message, times=times))  # fmt: skip

    def drop(
        self, path: str, *, method: str | None = None, model: str | None = None,
        times: int | None = None,
    ) -> FaultRule:  # fmt: skip
        """Close the connection of matching requests without answering."""
        return self.add(FaultRule(FaultKind.DROP, path, method, model, times=times))

    def cut(
        self, path: str, after_lines: int, *, method: str | None = None,
        model: str | None = None, times: int | None = None,
    ) -> FaultRule:  # fmt: skip
        """Close matching responses after `after_lines` body lines (mid-stream)."""
        return self.add(FaultRule(FaultKind.CUT, path, method, model, lines=after_lines,
                                  times=times))  # fmt: skip

    def hang(
        self, path: str, *, method: str | None = None, model: str | None = None,
        times: int | None = None,
    ) -> FaultRule:  # fmt: skip
        """Never answer matching requests (the connection stays open until the server stops)."""
        return self.add(FaultRule(FaultKind.HANG, path, method, model, times=times))

    def decide(self, method: str, path: str, model: str | None) -> FaultDecision:
        """Consume one use of every matching rule and say what to do with the request."""
        with self._lock:
            delay = self._base_delay
            terminal: FaultRule | None = None
            for rule in self._rules:
                if not rule.matches(method, path, model):
                    continue
                if rule.kind is FaultKind.DELAY:
                    rule.hits += 1
                    delay += rule.seconds
                elif terminal is None:
                    rule.hits += 1
                    terminal = rule
            self._hit.notify_all()
            return FaultDecision(delay, terminal)

    def wait_for_hits(self, rule: FaultRule, count: int, timeout: float) -> bool:
        """Block until `rule` has applied to `count` requests (True), or `timeout` seconds
        passed (False): a test knows a hanging request has reached the host."""
        with self._hit:
            return self._hit.wait_for(lambda: rule.hits >= count, timeout)
