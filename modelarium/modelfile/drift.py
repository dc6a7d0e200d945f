"""Derived models whose base was updated since they were made, and how to re-create them.

`ollama pull` replaces a base's weights; every model created FROM it keeps the old weights
blob. A derived model has drifted when its weights are not the base's current ones. Its own
lines — what it sets differently from the base — laid over the current base re-create it.
"""

from __future__ import annotations

from dataclasses import dataclass

from modelarium.modelfile.commands import Command
from modelarium.modelfile.model_facts import ModelFacts
from modelarium.modelfile.parser import scan
from modelarium.modelfile.render import render_commands


@dataclass(frozen=True, slots=True)
class Drift:
    """A derived model against its base's present state."""

    derived: str
    base: str
    old_weights: str
    new_weights: str
    modelfile: str
    """The derived model's own lines over `FROM <base>`: what a rebase creates."""
    notes: tuple[str, ...] = ()
    """What the rebase cannot carry over (adapters, projectors), one sentence each."""


def has_drifted(derived: ModelFacts, base: ModelFacts) -> bool:
    """True when both weights are known and differ (the base was updated or replaced)."""
    return bool(derived.weights and base.weights and derived.weights != base.weights)


def own_lines(derived: ModelFacts, base: ModelFacts) -> tuple[str, tuple[str, ...]]:
    """The derived model as a Modelfile over `FROM <base name>`: only what differs from the
    base (TEMPLATE, SYSTEM, parameters, messages, licenses beyond the base's), plus notes on
    what cannot be carried over by name. The old base is gone, so a value the derived model
    inherited from it and the update changed counts as its own: the re-created model behaves
    as the derived one did, and the preview shows each such line."""
    derived_commands = _commands(derived.modelfile)
    base_commands = _commands(base.modelfile)
    commands = [Command("model", base.name)]
    notes: list[str] = []
    froms = [c for c in derived_commands if c.name == "model"]
    if len(froms) > 1:
        notes.append(f"{derived.name} has {len(froms) - 1} more FROM (a projector): add it by hand")
    if any(c.name == "adapter" for c in derived_commands):
        notes.append(f"{derived.name} has an ADAPTER: add it again by hand")
    if derived.template and derived.template != base.template:
        commands.append(Command("template", derived.template))
    if derived.system and derived.system != base.system:
        commands.append(Command("system", derived.system))
    for name, value in derived.parameters.items():
        if base.parameters.get(name) == value:
            continue
        values = value if isinstance(value, tuple) else (value,)
        commands.extend(Command(name, item) for item in values)
    base_licenses = [c.args for c in base_commands if c.name == "license"]
    licenses = [c.args for c in derived_commands if c.name == "license"]
    if licenses[: len(base_licenses)] == base_licenses:
        licenses = licenses[len(base_licenses) :]
    commands.extend(Command("license", text) for text in licenses)
    messages = [c for c in derived_commands if c.name == "message"]
    if messages != [c for c in base_commands if c.name == "message"]:
        commands.extend(messages)
    for name in ("renderer", "parser", "requires"):
        own = [c for c in derived_commands if c.name == name]
        if own and own != [c for c in base_commands if c.name == name]:
            commands.append(own[-1])
    return render_commands(commands), tuple(notes)


def drift(derived: ModelFacts, base: ModelFacts) -> Drift | None:
    """The drift of `derived` from `base`, or None when it still has the base's weights."""
    if not has_drifted(derived, base):
        return None
    modelfile, notes = own_lines(derived, base)
    return Drift(derived.name, base.name, derived.weights, base.weights, modelfile, notes)


def _commands(modelfile: str) -> list[Command]:
    outcome = scan(modelfile)
    return [] if outcome.error is not None else [p.command for p in outcome.commands]
