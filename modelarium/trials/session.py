"""A whole trial on one host: every variant of every model through every probe.

Runtime options and think go on each `/api/chat` request. A variant with a Modelfile (TEMPLATE,
SYSTEM, stop, … — what a request cannot carry) is created on the host as a temporary model
through the one create path `models create -f` uses (the core's create request,
`prepare_create`, `client.create`), tried, and deleted again, also when the trial fails or
is cancelled.

Results come out per *unit*: one model × variant × probe with all its tasks and repeats. A unit
is awaited by `on_unit` (which stores it in one transaction) only once it is complete, so a
host that dies mid-trial leaves the units finished before it and nothing of the one it was in.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from modelarium.trials.probes import PROBES, ProbeName
from modelarium.trials.runner import TaskRun, Variant, run_probes

if TYPE_CHECKING:
    from modelarium.modelfile import Element
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
    # Deferred (start-up): host and core modules load with the first trial, not the view.
    from modelarium.ollama.types import HostUnreachable, RequestTimeout, StreamError

    if isinstance(error, HostUnreachable | RequestTimeout | StreamError):
        return str(error)
    return None


def _run_failure(error: Exception) -> str | None:
    # Deferred (start-up): host and core modules load with the first trial, not the view.
    from modelarium.ollama.types import OllamaError

    if isinstance(error, OllamaError) and _abort_reason(error) is None:
        return str(error)
    return None


async def _effective_context(client: OllamaClient, sent_as: str) -> int | None:
    """The context the model was loaded with, from `/api/ps` (None when not listed)."""
    # Deferred (start-up): host and core modules load with the first trial, not the view.
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
    """Create the variant's temporary model the way `models create -f` does: the core builds
    the create request, `prepare_create` settles it for this host, the client sends it."""
    # Deferred (start-up): host and core modules load with the first trial, not the view.
    from modelarium.modelfile import CreateRequestError, ModelfileError, build_create_request, parse
    from modelarium.ollama.prepare import prepare_create
    from modelarium.ollama.types import OllamaError

    try:
        request = build_create_request(parse(variant_modelfile(text, model)), None)
    except (ModelfileError, CreateRequestError) as error:  # Ollama's own text
        message = f"the variant's Modelfile: {error}"
        raise OllamaError(message, host=client.name, model=model) from error
    create = await prepare_create(client, request, name)
    async for _ in client.create(create):
        pass


async def _delete_quietly(client: OllamaClient, name: str) -> None:
    """Remove a temporary model. The delete is shielded: a cancel arriving meanwhile goes on
    (re-raised) while the delete still finishes; a failed delete is not the trial's failure."""
    # Deferred (start-up): host and core modules load with the first trial, not the view.
    from modelarium.ollama.types import OllamaError

    deletion = asyncio.ensure_future(client.delete(name))
    deletion.add_done_callback(_retrieve)
    with contextlib.suppress(OllamaError):
        await asyncio.shield(deletion)


def _retrieve(task: asyncio.Future[None]) -> None:
    """Read a finished delete's outcome so an unawaited failure is never reported."""
    if not task.cancelled():
        task.exception()


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
    # Deferred (start-up): host and core modules load with the first trial, not the view.
    from modelarium.ollama.types import OllamaError

    units: list[ProbeUnit] = []
    version = await client.version()
    # Deferred (start-up): host and core modules load with the first trial, not the view.
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


def _parameter_lines(options: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Options as PARAMETER (name, value) lines: lists one line per item, bools Go-style."""
    lines: list[tuple[str, str]] = []
    for name, value in options.items():
        for item in value if isinstance(value, list | tuple) else (value,):
            text = ("true" if item else "false") if isinstance(item, bool) else str(item)
            lines.append((name, text))
    return lines


def variant_elements(variant: Variant) -> tuple[Element, ...]:
    """What the variant sets, as library elements (no FROM): its options as one parameters
    element, or its Modelfile's elements. Think is a request setting, not an element."""
    # Deferred (start-up): host and core modules load with the first trial, not the view.
    from modelarium.modelfile import Element, ElementKind, Parameter, elements_from_text

    if variant.modelfile is not None:
        elements = elements_from_text(variant_modelfile(variant.modelfile, "base"))
        return tuple(element for element in elements if element.kind is not ElementKind.BASE)
    if not variant.options:
        return ()
    parameters = tuple(Parameter(name, value) for name, value in _parameter_lines(variant.options))
    return (Element(ElementKind.PARAMETERS, parameters=parameters),)


def modelfile_for(model: str, variant: Variant) -> str:
    """A Modelfile that builds `model` with the variant's settings (for the editor); think,
    which only a request carries, is noted in a comment."""
    # Deferred (start-up): host and core modules load with the first trial, not the view.
    from modelarium.modelfile import Element, ElementKind, generate_modelfile

    note = (
        ""
        if variant.think is None
        else f"# think {'on' if variant.think else 'off'} (a request setting, not a line)\n"
    )
    return note + generate_modelfile((Element(ElementKind.BASE, model), *variant_elements(variant)))


def variant_from_elements(
    label: str, elements: Sequence[Element], *, think: bool | None = None
) -> Variant:
    """A variant named after library elements: parameters only travel as request options
    (typed by the core, as create types them); any other element (SYSTEM, TEMPLATE, …) makes
    it a Modelfile variant, tried through a temporary model. Keeps the elements' hashes."""
    # Deferred (start-up): host and core modules load with the first trial, not the view.
    from modelarium.modelfile import (
        Element,
        ElementKind,
        build_create_request,
        commands_from_elements,
        generate_modelfile,
    )

    hashes = tuple(element.content_hash for element in elements)
    if all(element.kind is ElementKind.PARAMETERS for element in elements):
        commands = commands_from_elements([Element(ElementKind.BASE, "base"), *elements])
        parameters = build_create_request(commands, None).body.get("parameters") or {}
        assert isinstance(parameters, dict)
        return Variant(label, options=parameters, think=think, element_hashes=hashes)
    return Variant(
        label, think=think, modelfile=generate_modelfile(elements), element_hashes=hashes
    )
