"""Running probes against variants: one request per task and repeat, graded as it arrives.

The runner knows nothing of HTTP: it is handed a `chat` coroutine (the client's `/api/chat`)
and the name to send for each variant (the base model, or a temporary model created from the
variant's Modelfile). Runs go one at a time, so a host is never asked for two at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import statistics
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from modelarium.ollama.chat import ChatReply
from modelarium.trials.grading import Grade, grade
from modelarium.trials.probes import PROBES, ProbeName, Task

ChatFunction = Callable[[Mapping[str, Any]], Awaitable[ChatReply]]


@dataclass(frozen=True, slots=True)
class Variant:
    """A base model with settings: request options, think on/off, or a whole Modelfile
    (TEMPLATE, SYSTEM, stop…: what a request cannot carry), tried through a temporary model."""

    label: str
    options: Mapping[str, Any] = field(default_factory=dict)
    think: bool | None = None
    modelfile: str | None = None
    element_hashes: tuple[str, ...] = ()
    """Content hashes of the library elements the variant was made from, when it was."""

    @property
    def modelfile_hash(self) -> str:
        """sha256 of the Modelfile text ("" for a variant of options only)."""
        if self.modelfile is None:
            return ""
        return hashlib.sha256(self.modelfile.encode("utf-8")).hexdigest()

    def key(self) -> str:
        """What identifies the variant's settings in stored results."""
        options = ",".join(f"{name}={self.options[name]!r}" for name in sorted(self.options))
        think = "" if self.think is None else f"think={'on' if self.think else 'off'}"
        return "|".join((options, think, self.modelfile_hash, ",".join(self.element_hashes)))


@dataclass(frozen=True, slots=True)
class TaskRun:
    """One graded answer (or a host failure) of one task of one probe for one variant."""

    model: str
    variant: Variant
    probe: ProbeName
    probe_version: int
    task_id: str
    repeat: int
    grade: Grade
    reply: ChatReply | None
    started_at: datetime
    error: str = ""


def chat_request(
    model: str, probe: ProbeName, task: Task, variant: Variant, *, run_number: int
) -> dict[str, Any]:
    """The `/api/chat` body of one run. The task's own options win (the probe stays the same
    whatever the variant sets); the speed probe's prompt starts with the run number so no
    prompt cache makes a later run look faster."""
    prompt = task.prompt if probe != "speed" else f"Run {run_number}.\n{task.prompt}"
    messages: list[dict[str, Any]] = []
    if task.system:
        messages.append({"role": "system", "content": task.system})
    messages.append({"role": "user", "content": prompt})
    body: dict[str, Any] = {"model": model, "messages": messages, "stream": True}
    options = {**variant.options, **task.options}
    if options:
        body["options"] = options
    if variant.think is not None:
        body["think"] = variant.think
    if task.tools:
        body["tools"] = [dict(tool) for tool in task.tools]
    if task.format_schema is not None:
        body["format"] = dict(task.format_schema)
    return body


async def run_probes(
    chat: ChatFunction,
    *,
    model: str,
    send_as: str,
    variant: Variant,
    probes: Sequence[ProbeName],
    repeat: int = 1,
    on_run: Callable[[TaskRun], None] | None = None,
    failure_of: Callable[[Exception], str | None] = lambda error: None,
) -> list[TaskRun]:
    """Every task of `probes`, `repeat` times, for one variant of `model` (sent as `send_as`).

    A host failure is recorded as a `host_error` run with its message when `failure_of` says
    what it was (one line), and re-raised otherwise. Cancelling the task stops at once.
    """
    runs: list[TaskRun] = []
    number = 0
    for probe_name in probes:
        probe = PROBES[probe_name]
        for round_index in range(repeat):
            for task in probe.tasks:
                number += 1
                started = datetime.now(UTC)
                body = chat_request(send_as, probe_name, task, variant, run_number=number)
                try:
                    reply = await chat(body)
                except Exception as error:
                    message = failure_of(error)
                    if message is None:
                        raise
                    run = TaskRun(
                        model,
                        variant,
                        probe_name,
                        probe.version,
                        task.id,
                        round_index,
                        Grade.fail("host_error", message),
                        None,
                        started,
                        message,
                    )
                else:
                    run = TaskRun(
                        model,
                        variant,
                        probe_name,
                        probe.version,
                        task.id,
                        round_index,
                        # In a thread: the code probe runs the answer in a subprocess (up to
                        # its time limit), which must not hold up the caller's event loop.
                        await asyncio.to_thread(grade, probe_name, task, reply),
                        reply,
                        started,
                    )
                runs.append(run)
                if on_run is not None:
                    on_run(run)
    return runs


@dataclass(frozen=True, slots=True)
class Summary:
    """Runs of one model, variant and probe folded together (`trials run/show --json`)."""

    model: str
    variant: str
    probe: str
    runs: int
    passed: int
    tokens_per_second: float | None
    failures: Mapping[str, int]
    invalid: int = 0

    def to_json(self) -> dict[str, object]:
        return {
            "model": self.model,
            "variant": self.variant,
            "probe": self.probe,
            "runs": self.runs,
            "passed": self.passed,
            "tokens_per_second": self.tokens_per_second,
            "failures": dict(self.failures),
            "invalid": self.invalid,
        }


def summarise(runs: Iterable[TaskRun]) -> list[Summary]:
    """One summary per (model, variant label, probe), in the order first seen; tokens/s is the
    median over the valid runs that reported counters (None when none did)."""
    groups: dict[tuple[str, str, str], list[TaskRun]] = {}
    for run in runs:
        groups.setdefault((run.model, run.variant.label, run.probe), []).append(run)
    summaries: list[Summary] = []
    for (model, label, probe), members in groups.items():
        speeds = [
            speed
            for run in members
            if run.reply is not None and run.grade.valid
            for speed in [run.reply.tokens_per_second]
            if speed is not None
        ]
        failures = Counter(run.grade.failure for run in members if run.grade.failure)
        summaries.append(
            Summary(
                model=model,
                variant=label,
                probe=probe,
                runs=len(members),
                passed=sum(run.grade.passed for run in members),
                tokens_per_second=round(statistics.median(speeds), 2) if speeds else None,
                failures=dict(sorted(failures.items())),
                invalid=sum(not run.grade.valid for run in members),
            )
        )
    return summaries
