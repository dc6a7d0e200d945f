"""What an installed model brings to a Modelfile that names it in FROM (pure data, no I/O).

The hosts layer fills `ModelFacts` from `/api/show` (and `/api/version`); the model-aware rules
(`model_rules.py`) and the effective settings (`effective.py`) read it. The inherited parts come
from the model's own Modelfile text as the host prints it, read with the exact parser, so they
are what Ollama's create lays the new Modelfile over.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from modelarium.modelfile.commands import Command
from modelarium.modelfile.diff import effective_parameters
from modelarium.modelfile.parser import scan
from modelarium.modelfile.positions import TextPositions

FAMILY_ALIASES: Mapping[str, str] = {
    "llama": "llama",
    "llama4": "llama",
    "mllama": "llama",
    "qwen": "qwen",
    "qwen2": "qwen",
    "qwen2moe": "qwen",
    "qwen3": "qwen",
    "qwen3moe": "qwen",
    "qwen35": "qwen",
    "qwen2vl": "qwen",
    "qwen25vl": "qwen",
    "qwen3vl": "qwen",
    "qwen3vlmoe": "qwen",
    "mistral": "mistral",
    "mistral3": "mistral",
    "pixtral": "mistral",
    "granite": "granite",
    "granitemoe": "granite",
    "granitehybrid": "granite",
    "gemma": "gemma",
    "gemma2": "gemma",
    "gemma3": "gemma",
    "phi": "phi",
    "phi2": "phi",
    "phi3": "phi",
    "deepseek2": "deepseek",
}
"""GGUF architecture names (what `/api/show` calls the family) -> the family users speak of."""

_FAMILY_FROM_NAME = re.compile(
    r"(?:^|/)(?P<family>llama|codellama|qwen|qwq|mistral|mixtral|magistral|ministral|devstral|"
    r"codestral|granite|gemma|phi|deepseek)",
    re.IGNORECASE,
)
_NAME_FAMILY: Mapping[str, str] = {
    "codellama": "llama",
    "qwq": "qwen",
    "mixtral": "mistral",
    "magistral": "mistral",
    "ministral": "mistral",
    "devstral": "mistral",
    "codestral": "mistral",
}


def family_of(architecture: str = "", model_name: str = "") -> str:
    """The family (llama, qwen, mistral, granite, …) of a GGUF architecture, else of a model
    name's first word; "" when neither says."""
    known = FAMILY_ALIASES.get(architecture.lower())
    if known:
        return known
    match = _FAMILY_FROM_NAME.search(model_name)
    if match is None:
        return architecture.lower()
    word = match["family"].lower()
    return _NAME_FAMILY.get(word, word)


@dataclass(frozen=True, slots=True)
class CuratedAdvice:
    """One statement of the curated family settings about a model, passed in by the hosts
    layer (the core does not read the knowledge records itself)."""

    record: str
    """The record's id (`qwen-qwen3-8b-general-note-thinking`)."""
    text: str
    """What it says, in the source's words when it quotes them."""
    source: str
    """Where it was read: a page address or `owner/repo@commit:path`."""
    origin: str = ""
    """Who says it, in words: `vendor recommendation`, `community`, …"""

    def cite(self) -> str:
        """`"text" (record id; origin, source)`: the advice with where it comes from."""
        where = "; ".join(part for part in (self.origin, self.source) if part)
        return f'"{self.text}" ({self.record}{"; " + where if where else ""})'


@dataclass(frozen=True, slots=True)
class ModelFacts:
    """One installed model as a base: metadata, capabilities and what it passes on."""

    name: str
    host: str = ""
    digest: str = ""
    family: str = ""
    """The family users speak of (`family_of`), not the raw GGUF architecture."""
    architecture: str = ""
    parameter_size: str = ""
    quantization: str = ""
    context_length: int | None = None
    capabilities: frozenset[str] = frozenset()
    template: str = ""
    system: str = ""
    parameters: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    """Inherited PARAMETERs: last value per name, `stop` as the whole ordered list."""
    parameter_lines: Mapping[str, int] = field(default_factory=dict)
    """1-based line of each inherited parameter in `modelfile` (for "where from")."""
    renderer: str = ""
    parser: str = ""
    parent_model: str = ""
    requires: str = ""
    remote_host: str = ""
    remote_model: str = ""
    host_version: str | None = None
    modelfile: str = ""
    weights: str = ""
    """The first FROM of the host's Modelfile: the weights blob path (or a name for MLX)."""
    greedy_warning: CuratedAdvice | None = None
    """The curated family record that warns against greedy decoding (temperature 0) for this
    model, when one applies; filled by the hosts layer from the knowledge records (MF106)."""
    tool_call_styles: tuple[str, ...] | None = None
    """The tool-call styles the curated records document for this model, sorted (KN001 warns
    when the effective TEMPLATE asks for another); filled by the hosts layer from the knowledge
    records. None: not looked up, so KN001 does not run; (): none documented."""

    @property
    def stops(self) -> tuple[str, ...]:
        """The inherited stop list."""
        stops = self.parameters.get("stop", ())
        return stops if isinstance(stops, tuple) else (stops,)

    @property
    def is_remote(self) -> bool:
        """A cloud model: the host forwards requests elsewhere and holds no weights."""
        return bool(self.remote_host or self.remote_model) or self.name.endswith(
            (":cloud", "-cloud")
        )

    def supports(self, capability: str) -> bool:
        """Whether `/api/show` lists `capability` (completion, tools, thinking, vision, …)."""
        return capability in self.capabilities


def inherited_parameters(commands: Sequence[Command]) -> dict[str, str | tuple[str, ...]]:
    """Parameters as create stores them: the last value per name, every `stop` in order."""
    return {
        name: tuple(value) if isinstance(value, list) else value
        for name, value in effective_parameters(commands).items()
    }


def facts_from_modelfile(
    name: str,
    modelfile: str,
    *,
    host: str = "",
    digest: str = "",
    architecture: str = "",
    parameter_size: str = "",
    quantization: str = "",
    context_length: int | None = None,
    capabilities: Sequence[str] = (),
    template: str | None = None,
    system: str | None = None,
    renderer: str = "",
    parser: str = "",
    parent_model: str = "",
    requires: str = "",
    remote_host: str = "",
    remote_model: str = "",
    host_version: str | None = None,
) -> ModelFacts:
    """Facts from a model's Modelfile as its host prints it plus `/api/show` metadata.

    `template`/`system` given by the host win over the Modelfile text's (they are the same on a
    real host; the fields are exact where the printed Modelfile had to quote). A Modelfile the
    parser refuses contributes no parameters: metadata still gives the rest.
    """
    outcome = scan(modelfile)
    commands = [] if outcome.error is not None else [p.command for p in outcome.commands]
    parameters = inherited_parameters(commands)
    lines: dict[str, int] = {}
    positions = TextPositions(outcome.text)
    for parsed in outcome.commands if parameters else ():
        key = parsed.command.name
        if key in parameters and not (key == "stop" and key in lines):
            lines[key] = positions.line(parsed.start)
    text_template = next((c.args for c in reversed(commands) if c.name == "template"), "")
    text_system = next((c.args for c in reversed(commands) if c.name == "system"), "")
    return ModelFacts(
        name=name,
        host=host,
        digest=digest,
        family=family_of(architecture, parent_model or name),
        architecture=architecture,
        parameter_size=parameter_size,
        quantization=quantization,
        context_length=context_length,
        capabilities=frozenset(capabilities),
        template=text_template if template is None else template,
        system=text_system if system is None else system,
        parameters=parameters,
        parameter_lines=lines,
        renderer=renderer,
        parser=parser,
        parent_model=parent_model,
        requires=requires,
        remote_host=remote_host,
        remote_model=remote_model,
        host_version=host_version,
        modelfile=modelfile,
        weights=next((c.args for c in commands if c.name == "model"), ""),
    )
