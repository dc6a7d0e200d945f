"""A whole trial on one host: every variant of every model through every probe.

Runtime options and think go on each `/api/chat` request. A variant with a Modelfile (TEMPLATE,
SYSTEM, stop, … — what a request cannot carry) is created on the host as a temporary model
through the client's one create path (`create_from_elements`, the core's create request),
tried, and deleted again, also when the trial fails or is cancelled.

Results come out per *unit*: one model × variant × probe with all its tasks and repeats. A unit
is awaited by `on_unit` (which stores it in one transaction) only once it is complete, so a
host that dies mid-trial leaves the units finished before it and nothing of the one it was in.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from modelarium.trials.probes import PROBES, ProbeName
from modelarium.trials.runner import TaskRun, Variant, run_probes

if TYPE_CHECKING:
    from modelarium.ollama.client import OllamaClient

TEMPORARY_NAMESPACE = "modelarium-trial"
"""Temporary variant models are created as `modelarium-trial/<base>:<hash>`."""

AS_INSTALLED = "as installed"
"""The label of the variant that sends no settings at all."""


class TrialAborted(Exception):
    """The host failed in a way that ends the trial (unreachable, timed out, cut off).

    `str()` is one line naming host, model and what happened; `units_done` counts the units
    completed (and handed on) before it."""

    def __init__(self, message: str, units_done: int) -> None:
        super().__init__(message)
        self.units_done = units_done


@dataclass(frozen=True, slots=True)
class ProbeUnit:
    """All runs of one probe for one variant of one model, with what they ran on."""

    model: str
    variant: Variant
    probe: ProbeName
    probe_version: int
    host: str
    ollama_version: str
    base_digest: str
    context_length: int | None
    runs: tuple[TaskRun, ...]


def temporary_name(model: str, variant: Variant) -> str:
    """`modelarium-trial/<base model, slugged>:<12 hex of the variant key>`: a valid Ollama
    name that still says which model it is built on."""
    base = model.rsplit("/", 1)[-1].replace(":", "-")
    base = re.sub(r"[^A-Za-z0-9_.-]", "-", base).strip("-.") or "model"
    digest = hashlib.sha256(f"{model}\n{variant.key()}".encode()).hexdigest()[:12]
    return f"{TEMPORARY_NAMESPACE}/{base[:60]}:{digest}"


def variant_modelfile(text: str, model: str) -> str:
    """The variant's Modelfile with `model` as its base: a FROM of its own is replaced, none
    is added (a variant file holds settings, the model under trial is the base)."""
    lines = [line for line in text.splitlines() if not re.match(r"^\s*from\s", line, re.IGNORECASE)]
    body = "\n".join(lines).rstrip("\n")
    return (body + "\n" if body else "") + f"FROM {model}\n"


def _abort_reason(error: Exception) -> str | None:
    """The one-line message when `error` means the host itself failed (the trial stops);
    None for an answer the host gave (recorded as that run's `host_error`)."""
    from modelarium.ollama.types import HostUnreachable, RequestTimeout, StreamError

    if isinstance(error, HostUnreachable | RequestTimeout | StreamError):
        return str(error)
    return None


def _run_failure(error: Exception) -> str | None:
    from modelarium.ollama.types import OllamaError

    if isinstance(error, OllamaError) and _abort_reason(error) is None:
        return str(error)
    return None


async def _effective_context(client: OllamaClient, sent_as: str) -> int | None:
    """The context the model was loaded with, from `/api/ps` (None when not listed)."""
    from modelarium.ollama.names import ModelName
    from modelarium.ollama.types import OllamaError

    try:
        running = await client.running_models()
    except OllamaError:
        return None
    wanted = ModelName.parse(sent_as).key
    return next(
        (item.context_length for item in running if ModelName.parse(item.name).key == wanted),
        None,
    )


async def _create_temporary(client: OllamaClient, name: str, model: str, text: str) -> None:
    from modelarium.modelfile.elements import elements_from_text
    from modelarium.ollama.types import OllamaError

    try:
        elements = elements_from_text(variant_modelfile(text, model))
    except Exception as error:  # the core's ModelfileError carries Ollama's own text
        message = f"the variant's Modelfile: {error}"
        raise OllamaError(message, host=client.name, model=model) from error
    async for _ in client.create_from_elements(name, elements):
        pass


async def _delete_quietly(client: OllamaClient, name: str) -> None:
    """Remove a temporary model; shielded so a cancelled trial still cleans up."""
    from modelarium.ollama.types import OllamaError

    with contextlib.suppress(OllamaError, asyncio.CancelledError):
        await asyncio.shield(client.delete(name))


async def run_trial(
    client: OllamaClient,
    *,
    models: Sequence[str],
    variants: Sequence[Variant],
    probes: Sequence[ProbeName],
    repeat: int = 1,
    on_run: Callable[[TaskRun], None] | None = None,
    on_unit: Callable[[ProbeUnit], Awaitable[None]] | None = None,
) -> list[ProbeUnit]:
    """Every variant of every model through `probes`, one request at a time on `client`.

    Raises `TrialAborted` when the host fails (nothing of the unit in progress is handed on),
    `OllamaError` when a model is missing or a temporary model cannot be created.
    """
    from modelarium.ollama.types import OllamaError

    units: list[ProbeUnit] = []
    version = await client.version()
    from modelarium.ollama.names import ModelName

    digests = {
        ModelName.parse(summary.name).key: summary.digest for summary in await client.list_models()
    }
    for model in models:
        details = await client.show(model)
        digest = details.digest or digests.get(ModelName.parse(model).key, "")
        for variant in variants:
            temporary = temporary_name(model, variant) if variant.modelfile is not None else None
            try:
                if temporary is not None:
                    assert variant.modelfile is not None
                    await _create_temporary(client, temporary, model, variant.modelfile)
                for probe in probes:
                    try:
                        runs = await run_probes(
                            client.chat,
                            model=model,
                            send_as=temporary or model,
                            variant=variant,
                            probes=(probe,),
                            repeat=repeat,
                            on_run=on_run,
                            failure_of=_run_failure,
                        )
                    except OllamaError as error:
                        reason = _abort_reason(error)
                        if reason is None:
                            raise
                        raise TrialAborted(reason, len(units)) from error
                    unit = ProbeUnit(
                        model=model,
                        variant=variant,
                        probe=probe,
                        probe_version=PROBES[probe].version,
                        host=client.name,
                        ollama_version=version,
                        base_digest=digest,
                        context_length=await _effective_context(client, temporary or model),
                        runs=tuple(runs),
                    )
                    if on_unit is not None:
                        await on_unit(unit)
                    units.append(unit)
            finally:
                if temporary is not None:
                    await _delete_quietly(client, temporary)
    return units
