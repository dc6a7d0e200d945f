"""The model-aware checks against one host: which model a Modelfile starts FROM, its facts,
the drift of derived models, and the re-create previews built on the one create path.

The editor (in a worker), `modelfile lint --host`, `models show --effective` and
`models rebase` all call these, so they fetch the same facts and report the same codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from modelarium.modelfile import (
    CreateRequestError,
    Diagnostic,
    Drift,
    ElementSpan,
    ModelCreate,
    ModelFacts,
    ModelfileError,
    build_create_request,
    check_against_model,
    drift,
    from_base,
    from_commands,
    parse,
    scan_cached,
)
from modelarium.ollama.client import OllamaClient
from modelarium.ollama.facts import FactsSource, named_base
from modelarium.ollama.prepare import prepare_create
from modelarium.ollama.types import InvalidModelName, ModelNotFound


def from_model(text: str) -> str | None:
    """The installed model a Modelfile's (last) FROM names, by the core's FROM rule
    (`from_base`, no folder: the text alone decides); None for local files, blob paths or no
    FROM. FROMs read before a parse error still count: the editor checks a half-typed text
    (the text-only lint reports the error)."""
    outcome = scan_cached(text)  # the editor's analysis scanned this very text just before
    froms = from_commands(outcome)
    if not froms:
        return None
    return from_base(froms[-1].command.args.strip()).model


@dataclass(frozen=True, slots=True)
class ModelCheck:
    """The model-aware findings for one text on one host."""

    model: str | None
    """The FROM model checked against (None: the text names no installed model)."""
    facts: ModelFacts | None
    diagnostics: tuple[Diagnostic, ...] = ()
    note: str | None = None
    """Why the rules did not run (`qwen3:9b is not installed on demo`), else None."""


async def check_on_host(
    client: OllamaClient,
    text: str,
    *,
    source: FactsSource | None = None,
    element_spans: tuple[ElementSpan, ...] = (),
    directory: Path | None = None,
) -> ModelCheck:
    """Fetch the facts of the text's FROM model on the client's host (`from_model_facts`)
    and run the rules. Host errors other than a missing model (down, timeout) are raised."""
    fetched = await from_model_facts(client, text, source=source)
    if fetched.facts is None:
        return fetched
    found = model_diagnostics(text, fetched.facts, element_spans=element_spans, directory=directory)
    return replace(fetched, diagnostics=tuple(found))


async def from_model_facts(
    client: OllamaClient, text: str, *, source: FactsSource | None = None
) -> ModelCheck:
    """The text's FROM model and its facts on the client's host, no rules run: what
    `check_on_host` lays the rules on and `modelfile effective` lays the settings on.

    A model the host does not have (or an invalid name) is a note, not an error: the text may
    be meant for another host. Other host errors (down, timeout) are raised."""
    model = from_model(text)
    if model is None:
        return ModelCheck(None, None)
    try:
        facts = await (source or FactsSource()).facts(client, model)
    except (ModelNotFound, InvalidModelName):
        return ModelCheck(model, None, (), f"{model} is not installed on {client.name}")
    return ModelCheck(model, facts)


def model_diagnostics(
    text: str,
    facts: ModelFacts,
    *,
    element_spans: Sequence[ElementSpan] = (),
    directory: Path | None = None,
    own_modelfile: bool = False,
) -> list[Diagnostic]:
    """The core's model-aware rules (MF1xx, and KN001 from the tool-call styles the curated
    knowledge documents for the model): what the editor and `lint --host` report. Facts not
    fetched by `FactsSource` get their tool-call styles looked up here. `own_modelfile`: the
    text is the FROM model's own Modelfile (see `check_against_model`)."""
    # Deferred (start-up): the curated records load only when a model-aware check runs.
    from modelarium.knowledge.advice import with_tool_call_styles

    facts = with_tool_call_styles(facts)
    return check_against_model(
        text,
        facts,
        element_spans=element_spans,
        directory=directory,
        own_modelfile=own_modelfile,
    )


@dataclass(frozen=True, slots=True)
class RebasePlan:
    """What re-creating one derived model on its base's current weights sends, or why not."""

    model: str
    host: str
    drift: Drift | None
    create: ModelCreate | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    problem: str | None = None

    @property
    def ready(self) -> bool:
        """Whether there is a create to send."""
        return self.create is not None and self.problem is None

    def preview_text(self) -> str:
        """The preview of this re-create, as the CLI prints it and the TUI shows it: the
        drift, the Modelfile of the model's own lines over the current base, the exact
        create body and the model-aware findings (or why it is not re-created)."""
        lines = [f"== {self.model} on {self.host} =="]
        if self.drift is not None:
            old, new = (short_weights(w) for w in (self.drift.old_weights, self.drift.new_weights))
            lines.append(f"base {self.drift.base} was updated: weights {old} -> {new}")
        if self.problem is not None or self.drift is None or self.create is None:
            lines.append(f"not re-created: {self.problem or 'nothing to do'}")
            return "\n".join(lines) + "\n"
        lines.extend(f"note: {note}" for note in self.drift.notes)
        lines.append("Modelfile (its own lines over the current base):")
        lines.extend(f"  {line}" for line in self.drift.modelfile.splitlines())
        lines.append("POST /api/create")
        lines.extend(f"  {line}" for line in self.create.text.splitlines())
        if self.diagnostics:
            lines.append("Model-aware findings for this Modelfile:")
        lines.extend(
            f"  line {d.line}: {d.severity} {d.code} {d.message}" for d in self.diagnostics
        )
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, object]:
        """The plan as JSON data (`models rebase --json`)."""
        found = self.drift
        return {
            "model": self.model,
            "host": self.host,
            "drifted": found is not None,
            "base": found.base if found else None,
            "old_weights": found.old_weights if found else None,
            "new_weights": found.new_weights if found else None,
            "modelfile": found.modelfile if found else None,
            "notes": list(found.notes) if found else [],
            "create": dict(self.create.body) if self.create else None,
            "findings": [d.to_json() for d in self.diagnostics],
            "problem": self.problem,
        }


def short_weights(weights: str) -> str:
    """A weights blob path as `sha256-<first 12>`: the digest tells weights apart."""
    _, separator, digest = weights.rpartition("sha256-")
    return f"sha256-{digest[:12]}" if separator else weights


async def plan_rebase(
    client: OllamaClient, model: str, *, source: FactsSource | None = None
) -> RebasePlan:
    """The drift of `model` from its base on the client's host and, when drifted, the exact
    create of its own lines over the current base (the one create path), with the model-aware
    findings for that Modelfile."""
    facts_source = source or FactsSource()
    derived = await facts_source.facts(client, model)
    if derived.is_remote:
        return RebasePlan(model, client.name, None, problem="a cloud model has no base weights")
    base_name = named_base(derived)
    if base_name is None:
        return RebasePlan(model, client.name, None, problem="it was not created from a named base")
    try:
        base = await facts_source.facts(client, base_name)
    except (ModelNotFound, InvalidModelName):
        return RebasePlan(
            model, client.name, None, problem=f"its base {base_name} is not installed"
        )
    found = drift(derived, base)
    if found is None:
        return RebasePlan(model, client.name, None, problem=f"already on {base_name}'s weights")
    try:
        request = build_create_request(parse(found.modelfile), None)
    except (ModelfileError, CreateRequestError) as error:
        return RebasePlan(model, client.name, found, problem=str(error))
    create = await prepare_create(client, request, model)
    findings = tuple(check_against_model(found.modelfile, base))
    return RebasePlan(model, client.name, found, create, findings)
