"""Model-aware lint: what the text says checked against the model FROM names (`ModelFacts`).

`lint()` judges the text alone; these rules need the base model's facts, fetched by the hosts
layer, and run only when they are known (the editor for the FROM model on the selected host,
`modelarium modelfile lint --host`). Codes are MF1xx so that they never collide with the
text-only rules; every rule is documented in docs/lint-rules.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from modelarium.modelfile.create import CreateRequestError, expand_path
from modelarium.modelfile.document import scan_cached, split_bom, value_offset
from modelarium.modelfile.gguf_header import gguf_architecture
from modelarium.modelfile.lint import Diagnostic, Fix, Rule
from modelarium.modelfile.model_facts import ModelFacts, family_of
from modelarium.modelfile.parser import ParsedCommand
from modelarium.modelfile.positions import TextPositions
from modelarium.modelfile.prompt_lint import (
    assistant_turn_end,
    covered_by_stops,
    sample_prompts,
    turn_end_token,
)
from modelarium.modelfile.prompt_source import prompt_source
from modelarium.modelfile.template import check_template
from modelarium.modelfile.tool_calls import TOOL_CALL_CODE, tool_call_mismatch

MODEL_RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule(
            "MF101",
            "num-ctx-above-model",
            "warning",
            "num_ctx is larger than the context the model was trained for",
        ),
        Rule(
            "MF102",
            "tools-template-without-tools",
            "warning",
            "the TEMPLATE renders tools but the base model has no tools capability",
        ),
        Rule(
            "MF103",
            "template-drops-tools",
            "warning",
            "the base model supports tools but this TEMPLATE never renders them",
        ),
        Rule(
            "MF104",
            "thinking-without-thinking",
            "warning",
            "thinking settings on a model that has no thinking capability",
        ),
        Rule(
            "MF105",
            "template-drops-thinking",
            "warning",
            "the base model thinks but this TEMPLATE never renders its thinking",
        ),
        Rule(
            "MF106",
            "greedy-thinking-model",
            "warning",
            "greedy decoding (temperature 0) on a thinking model",
        ),
        Rule(
            "MF107",
            "repeats-inherited",
            "info",
            "a TEMPLATE or SYSTEM identical to what the base model already has",
        ),
        Rule(
            "MF108",
            "requires-newer-ollama",
            "error",
            "REQUIRES names a newer Ollama than the host runs",
        ),
        Rule(
            "MF109",
            "element-for-another-family",
            "warning",
            "settings from a library element made for another model family",
        ),
        Rule(
            "MF110",
            "stop-not-in-template",
            "warning",
            "a stop string that the effective TEMPLATE never produces",
        ),
        Rule(
            "MF111",
            "turn-end-not-a-stop",
            "warning",
            "the TEMPLATE ends turns with a token that is not a stop string",
        ),
        Rule(
            "MF113",
            "adapter-for-another-family",
            "warning",
            "an ADAPTER trained for another family than the base model's",
        ),
        Rule(
            "MF112",
            "remote-model-settings",
            "info",
            "load-time settings on a cloud model, which the host does not run",
        ),
    )
}

TOOL_CALL_RULE = Rule(
    TOOL_CALL_CODE,
    "tool-call-format",
    "warning",
    "the TEMPLATE asks for another tool-call style than the one documented for the model",
)
"""KN001: a curated-knowledge code, kept apart from the MF1xx rules above though it runs with
them (`ModelFacts.tool_call_styles`)."""

THINKING_FIELDS = ("Think", "Thinking", "ThinkLevel", "IsThinkSet")
_THINK_SWITCH = re.compile(r"(?<![\w/])/(?:no_)?think\b")

_SPECIAL_TOKEN = re.compile(r"^(?:<[^<>\s]+>|\[/?[A-Z_]+\])$")
"""Stops that are special tokens (`<|im_end|>`, `</s>`, `[/INST]`): they come from a template."""

LOAD_TIME_PARAMETERS = frozenset(
    {"num_ctx", "num_batch", "num_gpu", "main_gpu", "use_mmap", "num_thread"}
)


@dataclass(frozen=True, slots=True)
class ElementSpan:
    """Lines the editor filled from one library element made for `family` (1-based, inclusive)."""

    first_line: int
    last_line: int
    family: str
    label: str


def check_against_model(
    text: str,
    facts: ModelFacts,
    *,
    element_spans: Sequence[ElementSpan] = (),
    directory: Path | None = None,
    own_modelfile: bool = False,
) -> list[Diagnostic]:
    """Diagnostics for `text` laid over `facts`' model; [] when the text does not parse (the
    text-only lint reports that) or does not start from that model. `directory` is the
    Modelfile's folder, against which relative ADAPTER paths resolve (as create resolves them).

    `own_modelfile`: the text is the FROM model's own Modelfile (the host showed it for that
    model, and it was opened to re-create the model or make a variant of it). Its TEMPLATE and
    SYSTEM are then the model's own lines, not repeats of a base, so MF107 is not reported;
    every other rule runs as usual."""
    checker = _ModelChecker(text, facts, element_spans, directory, own_modelfile=own_modelfile)
    return checker.run()


class _ModelChecker:
    def __init__(
        self,
        text: str,
        facts: ModelFacts,
        spans: Sequence[ElementSpan],
        directory: Path | None = None,
        *,
        own_modelfile: bool = False,
    ) -> None:
        self.directory = directory
        self.own_modelfile = own_modelfile
        _, self.text = split_bom(text)
        self.facts = facts
        self.spans = spans
        self.outcome = scan_cached(self.text)
        self.found: list[Diagnostic] = []
        self.position = TextPositions(self.text).position

    def add(
        self,
        code: str,
        parsed: ParsedCommand,
        message: str,
        *,
        value_only: bool = False,
        fix: Fix | None = None,
    ) -> None:
        start = value_offset(self.text, parsed) if value_only else parsed.start
        line, column = self.position(start)
        end_line, end_column = self.position(parsed.end)
        rule = TOOL_CALL_RULE if code == TOOL_CALL_CODE else MODEL_RULES[code]
        self.found.append(
            Diagnostic(code, rule.severity, line, column, end_line, end_column, message, fix)
        )

    def last(self, name: str) -> ParsedCommand | None:
        return next((p for p in reversed(self.outcome.commands) if p.command.name == name), None)

    def run(self) -> list[Diagnostic]:
        if self.outcome.error is not None:
            return []
        self.context_length()
        template = self.last("template")
        effective_template = template.command.args if template else self.facts.template
        if not self.facts.renderer:
            self.tools(template)
            self.thinking(template)
            self.stops(effective_template)
            self.tool_calls(template, effective_template)
        self.greedy()
        self.repeats()
        self.requires()
        self.families()
        self.adapters()
        self.remote()
        self.found.sort(key=lambda d: (d.line, d.column, d.code))
        return self.found

    def context_length(self) -> None:
        limit = self.facts.context_length
        parsed = self.last("num_ctx")
        if limit is None or parsed is None:
            return
        try:
            value = int(parsed.command.args)
        except ValueError:
            return
        if value > limit:
            self.add(
                "MF101",
                parsed,
                f"num_ctx {value:,} is above {self.facts.name}'s context length {limit:,}: "
                "tokens past it were never trained on and answers degrade",
                value_only=True,
                fix=Fix(f"use {limit}", str(limit)),
            )

    def tools(self, template: ParsedCommand | None) -> None:
        if template is None:
            return
        uses_tools = check_template(template.command.args).uses_tools
        if uses_tools and not self.facts.supports("tools") and self.facts.capabilities:
            self.add(
                "MF102",
                template,
                f"this TEMPLATE renders tools, but {self.facts.name} lists no tools capability: "
                "the model was not made for tool calls and will seldom produce them",
            )
        elif not uses_tools and self.facts.supports("tools"):
            self.add(
                "MF103",
                template,
                f"{self.facts.name} supports tools, but this TEMPLATE never renders .Tools: "
                "tool definitions sent by clients will not reach the model",
            )

    def thinking(self, template: ParsedCommand | None) -> None:
        thinks = self.facts.supports("thinking")
        if template is not None:
            fields = check_template(template.command.args).root_fields
            renders_thinking = any(name in fields for name in THINKING_FIELDS)
            if renders_thinking and not thinks and self.facts.capabilities:
                self.add(
                    "MF104",
                    template,
                    f"this TEMPLATE renders thinking, but {self.facts.name} has no thinking "
                    "capability: the model will not think whatever the request says",
                )
            elif thinks and not renders_thinking:
                self.add(
                    "MF105",
                    template,
                    f"{self.facts.name} thinks, but this TEMPLATE never uses .Think or "
                    ".Thinking: think on/off from clients is ignored and earlier thinking is lost",
                )
        system = self.last("system")
        if system is not None and not thinks and self.facts.capabilities:
            switch = _THINK_SWITCH.search(system.command.args)
            if switch is not None:
                self.add(
                    "MF104",
                    system,
                    f"SYSTEM uses {switch[0]!r}, a thinking switch, but {self.facts.name} has no "
                    "thinking capability",
                )

    def tool_calls(self, template: ParsedCommand | None, effective_template: str) -> None:
        """KN001 when the effective TEMPLATE (this text's, else the base's) asks for another
        tool-call style than the curated records document for the model (Hermes JSON on
        Qwen3-Coder…), at the TEMPLATE line, or at the first FROM for an inherited TEMPLATE."""
        documented = self.facts.tool_call_styles
        anchor = template or next(
            (p for p in self.outcome.commands if p.command.name == "model"), None
        )
        if documented is None or anchor is None or not effective_template:
            return
        mismatch = tool_call_mismatch(effective_template, documented, model=self.facts.name)
        if mismatch is not None:
            self.add(TOOL_CALL_CODE, anchor, mismatch.message)

    def greedy(self) -> None:
        """Greedy decoding on a thinking model, only where a curated record warns against it
        (`ModelFacts.greedy_warning`): some vendors (Granite) ship greedy as their default."""
        warning = self.facts.greedy_warning
        if warning is None or not self.facts.supports("thinking"):
            return
        parsed = self.last("temperature")
        if parsed is None:
            return
        try:
            greedy = float(parsed.command.args) == 0
        except ValueError:
            return
        if greedy:
            self.add(
                "MF106",
                parsed,
                f"temperature 0 makes {self.facts.name}, a thinking model, decode greedily, "
                f"which the curated family settings warn against: {warning.cite()}",
                value_only=True,
            )

    def repeats(self) -> None:
        """MF107: a TEMPLATE or SYSTEM equal to the FROM model's, in a Modelfile built on that
        model; never in the model's own Modelfile, whose lines are the model itself."""
        if self.own_modelfile:
            return
        for name, inherited in (("template", self.facts.template), ("system", self.facts.system)):
            parsed = self.last(name)
            if parsed is None or not inherited or parsed.command.args != inherited:
                continue
            self.add(
                "MF107",
                parsed,
                f"this {name.upper()} is exactly what {self.facts.name} already has: the line "
                "can go, and the model keeps following its base when that changes",
                fix=Fix(f"remove the {name.upper()}", ""),
            )

    def requires(self) -> None:
        parsed = self.last("requires")
        running = self.facts.host_version
        if parsed is None or not running:
            return
        needed = _version_key(parsed.command.args)
        have = _version_key(running)
        if needed is not None and have is not None and needed > have:
            where = f" on {self.facts.host}" if self.facts.host else ""
            self.add(
                "MF108",
                parsed,
                f"REQUIRES {parsed.command.args} but the host{where} runs Ollama {running}: the "
                "model will be refused there until Ollama is updated",
                value_only=True,
            )

    def families(self) -> None:
        base = self.facts.family
        if not base:
            return
        for span in self.spans:
            family = family_of(span.family, span.family)
            if family and family != base:
                for parsed in self.outcome.commands:
                    line, _ = self.position(parsed.start)
                    if span.first_line <= line <= span.last_line:
                        self.add(
                            "MF109",
                            parsed,
                            f"{span.label} was made for {family} models, but "
                            f"{self.facts.name} is a {base} model: its values may not suit it",
                        )
                        break

    def stops(self, template: str) -> None:
        """Special-token stops that no prompt of the effective TEMPLATE (this file's, else the
        base's) contains, rendered against lint's sample conversations (MF110); and, with the
        inherited TEMPLATE, its turn-end token missing from a new stop list (MF111)."""
        if not template:
            return
        own = [p for p in self.outcome.commands if p.command.name == "stop"]
        if not own:
            return
        own_template = self.last("template")
        source = prompt_source(p.command for p in self.outcome.commands)
        if source.renders_in_code:
            return
        prompts = sample_prompts(
            template, system=source.system or self.facts.system, history=source.history_messages
        )
        if own_template is not None and prompts is None:
            return  # MF032/MF055 say why this file's TEMPLATE does not render
        token = assistant_turn_end(prompts) if prompts is not None else None
        where = (
            f"this file's TEMPLATE (line {self.position(own_template.start)[0]})"
            if own_template is not None
            else f"{self.facts.name}'s TEMPLATE"
        )
        for parsed in own:
            stop = parsed.command.args
            if not _SPECIAL_TOKEN.match(stop):
                continue
            if own_template is not None and stop in template:
                continue  # MF050: lint renders this file's TEMPLATE and says it of this line
            if prompts is None:
                if stop in template:
                    continue
                found = f"never appears in {where}"
            elif any(stop in prompt for prompt in prompts.values()):
                continue
            else:
                found = (
                    f"never occurs in the prompts {where} renders (plain, system, multi-turn "
                    "and tools samples)"
                )
            hint = (
                f"; that TEMPLATE ends turns with {token!r}"
                if token is not None and token != stop
                else " (is it another family's token?)"
            )
            self.add(
                "MF110",
                parsed,
                f"stop {stop!r} {found}: {self.facts.name} is unlikely to emit it, so it will "
                f"not end a turn{hint}",
                value_only=True,
            )
        if own_template is not None:
            return
        token = turn_end_token(template, system=self.facts.system)
        if token is not None and not covered_by_stops(token, [p.command.args for p in own]):
            self.add(
                "MF111",
                own[0],
                f"{self.facts.name}'s TEMPLATE ends turns with {token!r} but this stop list "
                "(which replaces the inherited one) does not include it: the model may run "
                "past its turn",
            )

    def adapters(self) -> None:
        """An ADAPTER file (a local GGUF) trained for another family than the base's."""
        base = self.facts.family
        if not base:
            return
        for parsed in self.outcome.commands:
            if parsed.command.name != "adapter":
                continue
            args = parsed.command.args
            if self.directory is None and not args.startswith(("/", "\\", "~")):
                continue  # a relative path with no folder to resolve it against
            try:  # the file create would upload, found as Ollama's expandPath finds it
                path = Path(expand_path(args, str(self.directory or ".")))
            except CreateRequestError:
                continue  # create reports the unknown user
            architecture = gguf_architecture(path)
            family = family_of(architecture or "")
            if architecture and family and family != base:
                self.add(
                    "MF113",
                    parsed,
                    f"this ADAPTER was trained on {architecture} ({family}), but "
                    f"{self.facts.name} is a {base} model: the weights will not fit",
                    value_only=True,
                )

    def remote(self) -> None:
        if not self.facts.is_remote:
            return
        for parsed in self.outcome.commands:
            if parsed.command.name in LOAD_TIME_PARAMETERS:
                self.add(
                    "MF112",
                    parsed,
                    f"{self.facts.name} is a cloud model: {parsed.command.name} is decided where "
                    "it runs, not on this host",
                )


_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?")


def _version_key(text: str) -> tuple[int, int, int, int, str] | None:
    """Semantic-version precedence: a pre-release sorts before its release."""
    match = _VERSION.match(text.strip())
    if match is None:
        return None
    major, minor, patch = (int(match[i] or 0) for i in (1, 2, 3))
    pre = match[4]
    return (major, minor, patch, 0 if pre else 1, pre or "")
