"""Lint rules that render the TEMPLATE (MF050–MF055): what the model would actually receive.

The TEMPLATE is rendered as Ollama renders it (`prompt.render_prompt`, with the Modelfile's
SYSTEM and MESSAGEs) against the built-in conversations, with marker texts in place of the
message contents, and the prompts are checked for: stop strings that never occur, the token
that ends an assistant turn missing from the stops, tools sent but never shown, a system
message dropped, `<no value>` printed, and rendering that fails. `lint.py` adds the findings
to its own; the codes are documented in docs/lint-rules.md. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from modelarium.modelfile.parser import ParsedCommand
from modelarium.modelfile.prompt import TemplateError, TemplateExecError, render_prompt
from modelarium.modelfile.prompt_samples import sample_request
from modelarium.modelfile.prompt_source import prompt_source, special_token_spans

PROMPT_RULES: tuple[tuple[str, str, Literal["error", "warning", "info"], str], ...] = (
    (
        "MF050",
        "stop-never-rendered",
        "info",
        "a stop string never occurs in the prompts the TEMPLATE renders",
    ),
    (
        "MF051",
        "turn-end-not-stop",
        "warning",
        "the token that ends an assistant turn in the rendered prompt is not a stop string",
    ),
    (
        "MF052",
        "tools-not-rendered",
        "warning",
        "the TEMPLATE reads .Tools but a request's tools never reach the prompt",
    ),
    (
        "MF053",
        "system-dropped",
        "warning",
        "a system message of the conversation never reaches the prompt",
    ),
    ("MF054", "no-value-in-prompt", "warning", "the rendered prompt contains <no value>"),
    (
        "MF055",
        "render-error",
        "warning",
        "rendering the TEMPLATE fails for a conversation, so chats fail",
    ),
)
"""(code, name, severity, summary) of each rule, for lint's rule table."""

MAX_TEMPLATE = 32768
"""Longer TEMPLATEs are not rendered by lint (parsing one takes too long for every keystroke)."""

_SYSTEM_MARK = "SYSTEM-MARKER-7f3a"
_ASSISTANT_MARK = "ASSISTANT-MARKER-7f3a"
_TOOL_NAME = "lint_probe_tool_7f3a"
_NO_VALUE = "<no value>"
_FOLLOWING_TOKEN = re.compile(r"[ \t]*")

Finding = tuple[str, ParsedCommand, str]
"""(code, the command whose value the finding points at, message)."""


def _requests() -> dict[str, dict[str, object]]:
    """The conversations lint renders, with marker contents where it looks for them."""
    system = sample_request("system")
    system["messages"][0]["content"] = _SYSTEM_MARK
    turns = sample_request("multi-turn")
    turns["messages"][2]["content"] = _ASSISTANT_MARK
    tools = sample_request("tools")
    tools["tools"][0]["function"]["name"] = _TOOL_NAME
    return {"plain": sample_request("plain"), "system": system, "multi-turn": turns, "tools": tools}


def prompt_findings(parsed: Sequence[ParsedCommand]) -> list[Finding]:
    """The renderer's findings for a parsed Modelfile (none without a TEMPLATE that parses,
    or when RENDERER/PARSER makes Ollama ignore the TEMPLATE)."""
    templates = [command for command in parsed if command.command.name == "template"]
    if not templates:
        return []
    template_command = templates[-1]
    source = prompt_source(command.command for command in parsed)
    template = source.template
    if template is None or source.renders_in_code or len(template) > MAX_TEMPLATE:
        return []
    prompts: dict[str, str] = {}
    findings: list[Finding] = []
    for name, request in _requests().items():
        try:
            prompts[name] = render_prompt(
                template, request, system=source.system, history=source.history_messages
            )
        except TemplateExecError as error:
            findings.append(
                (
                    "MF055",
                    template_command,
                    f"rendering the {name} sample conversation fails as Ollama would "
                    f"fail the chat: {error}",
                )
            )
            return findings
        except TemplateError:
            return findings  # a parse error: MF032 reports it
    findings.extend(_stops(parsed, prompts, template))
    findings.extend(_turn_end(template_command, prompts["multi-turn"], source.stops))
    if "Tools" in template and _TOOL_NAME not in prompts["tools"]:
        findings.append(
            (
                "MF052",
                template_command,
                "the TEMPLATE mentions .Tools, but a request's tools never reach the "
                "prompt (rendered with the tools sample); the model cannot see them",
            )
        )
    if _SYSTEM_MARK not in prompts["system"]:
        findings.append(
            (
                "MF053",
                template_command,
                "a system message sent with the chat never reaches the prompt; use "
                ".System or the system messages in .Messages",
            )
        )
    for name, prompt in prompts.items():
        if _NO_VALUE in prompt and _NO_VALUE not in template:
            findings.append(
                (
                    "MF054",
                    template_command,
                    f"the prompt for the {name} sample contains <no value>: a field "
                    "the TEMPLATE reads does not exist there (check its spelling and "
                    "whether it belongs inside range .Messages)",
                )
            )
            break
    return findings


def _stops(
    parsed: Sequence[ParsedCommand], prompts: dict[str, str], template: str
) -> list[Finding]:
    found: list[Finding] = []
    for command in parsed:
        if command.command.name.lower() != "stop":
            continue
        stop = command.command.args
        if not stop.strip() or stop not in template:
            continue  # blank, or MF031 already says it is not in the TEMPLATE
        if not any(stop in prompt for prompt in prompts.values()):
            found.append(
                (
                    "MF050",
                    command,
                    f"stop {stop!r} occurs in the TEMPLATE but in none of the prompts it "
                    "renders; check the branch that writes it",
                )
            )
    return found


def _turn_end(template_command: ParsedCommand, prompt: str, stops: Sequence[str]) -> list[Finding]:
    """The special token right after an assistant's content should be a stop string."""
    token = _token_after_assistant(prompt)
    if token is None or covered_by_stops(token, stops):
        return []
    return [
        (
            "MF051",
            template_command,
            f"{token} ends an assistant turn in the rendered prompt but is not a stop "
            f"string; add PARAMETER stop {token} so generation ends there",
        )
    ]


def covered_by_stops(token: str, stops: Sequence[str]) -> bool:
    """Whether generation stops at `token`: a stop string holds it or is part of it."""
    return any(token in stop or stop in token for stop in stops if stop.strip())


def _token_after_assistant(prompt: str) -> str | None:
    position = prompt.find(_ASSISTANT_MARK)
    if position < 0:
        return None
    after = position + len(_ASSISTANT_MARK)
    after = _FOLLOWING_TOKEN.match(prompt, after).end()  # type: ignore[union-attr]
    for start, end in special_token_spans(prompt):
        if start == after:
            return prompt[start:end]
    return None


def sample_prompts(
    template: str, *, system: str = "", history: Sequence[dict[str, str]] = ()
) -> dict[str, str] | None:
    """The prompts `template` renders for the sample conversations lint uses (plain, system,
    multi-turn, tools), by name; None when it cannot be rendered (too long, a parse error, a
    conversation that fails). The model-aware MF110 asks it of the effective TEMPLATE."""
    if len(template) > MAX_TEMPLATE:
        return None
    try:
        return {
            name: render_prompt(template, request, system=system, history=history)
            for name, request in _requests().items()
        }
    except TemplateError:
        return None


def assistant_turn_end(prompts: dict[str, str]) -> str | None:
    """The special token that ends the assistant's turn in `sample_prompts`' multi-turn prompt."""
    prompt = prompts.get("multi-turn")
    return None if prompt is None else _token_after_assistant(prompt)


def turn_end_token(template: str, *, system: str = "") -> str | None:
    """The special token that ends an assistant turn when `template` renders the multi-turn
    sample (`<|im_end|>`, `<|eot_id|>`, …); None when there is none or rendering fails.
    The model-aware rules ask it of an inherited TEMPLATE."""
    if len(template) > MAX_TEMPLATE:
        return None
    try:
        prompt = render_prompt(template, _requests()["multi-turn"], system=system)
    except TemplateError:
        return None
    return _token_after_assistant(prompt)
