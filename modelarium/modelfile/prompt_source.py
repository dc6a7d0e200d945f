"""What a Modelfile gives the prompt renderer: TEMPLATE, SYSTEM, MESSAGEs, stop strings and
RENDERER/PARSER, taken as Ollama's create takes them (last TEMPLATE/SYSTEM/RENDERER/PARSER
wins, MESSAGEs and stops accumulate), optionally completed with what the FROM model already has.
Built once and handed to the CLI preview, the TUI panel and the renderer lint alike. Pure."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from modelarium.modelfile.commands import Command, ModelfileError
from modelarium.modelfile.parser import parse

if TYPE_CHECKING:
    from modelarium.modelfile.model_facts import ModelFacts


@dataclass(frozen=True, slots=True)
class PromptSource:
    """The inputs of a prompt preview for one model."""

    template: str | None
    """TEMPLATE, or None when neither the Modelfile nor (when asked) its FROM model has one."""
    system: str = ""
    history: tuple[tuple[str, str], ...] = ()
    """MESSAGE role/content pairs, which Ollama puts before the conversation."""
    stops: tuple[str, ...] = ()
    renderer: str = ""
    parser: str = ""
    base: str | None = None
    """The FROM value."""
    inherited: bool = False
    """The template came from the FROM model (`show`), not from the Modelfile."""

    @property
    def renders_in_code(self) -> bool:
        """RENDERER or PARSER is set: Ollama builds the prompt in Go code, not with TEMPLATE."""
        return bool(self.renderer or self.parser)

    @property
    def history_messages(self) -> list[dict[str, str]]:
        """The MESSAGEs as `/api/chat` messages."""
        return [{"role": role, "content": content} for role, content in self.history]


def prompt_source(commands: Iterable[Command]) -> PromptSource:
    """The prompt inputs of a parsed Modelfile."""
    template: str | None = None
    system = ""
    renderer = parser = ""
    base: str | None = None
    history: list[tuple[str, str]] = []
    stops: list[str] = []
    for command in commands:
        name = command.name
        if name == "template":
            template = command.args
        elif name == "system":
            system = command.args
        elif name == "message":
            role, _, content = command.args.partition(": ")
            history.append((role, content))
        elif name == "renderer":
            renderer = command.args
        elif name == "parser":
            parser = command.args
        elif name == "model":
            base = command.args
        elif name.lower() == "stop":
            stops.append(command.args)
    return PromptSource(template, system, tuple(history), tuple(stops), renderer, parser, base)


def inherit(
    source: PromptSource,
    *,
    template: str,
    system: str,
    history: Sequence[tuple[str, str]],
    renderer: str = "",
    parser: str = "",
    stops: Sequence[str] = (),
) -> PromptSource:
    """`source` completed with the FROM model's own values where the Modelfile sets none (as
    Ollama's create inherits them)."""
    return replace(
        source,
        template=source.template if source.template is not None else template,
        system=source.system or system,
        history=source.history or tuple(history),
        renderer=source.renderer or renderer,
        parser=source.parser or parser,
        stops=source.stops or tuple(stops),
        inherited=source.template is None,
    )


def inherit_model(source: PromptSource, facts: ModelFacts) -> PromptSource:
    """`source` completed with an installed FROM model's TEMPLATE, SYSTEM, MESSAGEs, stops,
    RENDERER and PARSER where the Modelfile sets none (`inherit`)."""
    return inherit(
        source,
        template=facts.template,
        system=facts.system,
        history=_messages_of(facts.modelfile),
        renderer=facts.renderer,
        parser=facts.parser,
        stops=facts.stops,
    )


@functools.lru_cache(maxsize=8)
def _messages_of(modelfile: str) -> tuple[tuple[str, str], ...]:
    """The MESSAGE pairs of a model's Modelfile as its host prints it (none if it does not
    parse)."""
    try:
        return prompt_source(parse(modelfile)).history
    except ModelfileError:
        return ()


_SPECIAL_TOKEN = re.compile(
    r"<\|[^|<>\s]{1,48}\|>"  # <|im_start|>, <|start_header_id|>, <|eot_id|>
    r"|<\|[^|<>\s]{1,48}>"  # <|start_of_role> (a common slip)
    r"|</?s>"  # <s>, </s>
    r"|<(?:start|end)_of_[a-z_]{1,16}>"  # <start_of_turn>, <end_of_turn>
    r"|</?(?:think|tool_call|tool_response|tools|SYSTEM|INST)>"
    r"|\[/?(?:INST|SYSTEM_PROMPT|AVAILABLE_TOOLS|TOOL_CALLS|TOOL_RESULTS|THINK)\]"
    r"|<(?:PRE|SUF|MID|EOT)>|<fim_(?:prefix|suffix|middle)>"
)
"""Spellings of the special tokens chat templates write around turns."""


def special_token_spans(prompt: str) -> list[tuple[int, int]]:
    """Where special tokens (`<|im_start|>`, `[INST]`, `<start_of_turn>`, `</s>` …) are in a
    rendered prompt: (start, end) offsets in order."""
    return [match.span() for match in _SPECIAL_TOKEN.finditer(prompt)]


def stop_spans(prompt: str, stops: Iterable[str]) -> list[tuple[int, int]]:
    """Every occurrence of every non-empty stop string in a rendered prompt, in order."""
    spans: list[tuple[int, int]] = []
    for stop in {stop for stop in stops if stop}:
        start = prompt.find(stop)
        while start >= 0:
            spans.append((start, start + len(stop)))
            start = prompt.find(stop, start + len(stop))
    return sorted(spans)
