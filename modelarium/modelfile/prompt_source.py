"""What a Modelfile gives the prompt renderer: TEMPLATE, SYSTEM, MESSAGEs, stop strings and
RENDERER/PARSER, taken as Ollama's create takes them (last TEMPLATE/SYSTEM/RENDERER/PARSER
wins, MESSAGEs and stops accumulate), optionally completed with what the FROM model already has.
Built once and handed to the CLI preview, the TUI panel and the renderer lint alike. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from modelarium.modelfile.commands import Command


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
