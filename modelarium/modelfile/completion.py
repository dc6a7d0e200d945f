"""Completion for Modelfile text: what may be typed at a cursor offset, and which text it replaces.

`complete(text, offset)` decides the context from the core's lexer: the lexer state stack at the
cursor says whether the cursor is inside a `{{ … }}` action of a TEMPLATE value (template fields
and actions), inside any other multi-line value (nothing to offer), or on an instruction line.
On an instruction line a look at the line's text before the cursor tells a keyword being typed
from a PARAMETER name, a boolean PARAMETER value, a MESSAGE role or a FROM model name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from modelarium.modelfile.commands import INSTRUCTIONS, MESSAGE_ROLES
from modelarium.modelfile.lexer import ROOT_STACK, lex_line
from modelarium.modelfile.params import (
    DEPRECATED_PARAMETERS,
    PARAMETERS,
    ParameterSpec,
    parameter_spec,
)


@dataclass(frozen=True, slots=True)
class CompletionItem:
    """One candidate: what the list shows, what is inserted, and a short explanation."""

    label: str
    insert_text: str
    detail: str


@dataclass(frozen=True, slots=True)
class Completion:
    """Candidates that replace `text[start:end]` (the word at the cursor)."""

    start: int
    end: int
    items: tuple[CompletionItem, ...]


INSTRUCTION_DETAILS: dict[str, str] = {
    "from": "base model, GGUF file or safetensors folder to build on",
    "license": "license text of the model",
    "template": "Go template that turns messages into the prompt",
    "system": "system message used when the request has none",
    "adapter": "LoRA / QLoRA adapter to apply to the base model",
    "draft": "draft model for speculative decoding",
    "renderer": "built-in renderer that formats the prompt instead of TEMPLATE",
    "parser": "built-in parser for the model's output (thinking, tool calls)",
    "parameter": "runtime option such as temperature or num_ctx",
    "message": "message history: MESSAGE <system|user|assistant> <text>",
    "requires": "minimum Ollama version the model needs",
}
"""What each instruction does, keyed like `INSTRUCTIONS` (lower case)."""

ROLE_DETAILS: dict[str, str] = {
    "system": "system message in the history",
    "user": "what the user said",
    "assistant": "what the model answered",
}

TEMPLATE_FIELDS: tuple[tuple[str, str], ...] = (
    (".System", "system message"),
    (".Prompt", "the user's prompt (generate requests)"),
    (".Response", "the model's response (generate requests)"),
    (".Suffix", "text after the insertion point (fill-in-the-middle)"),
    (".Messages", "chat messages; range over them"),
    (".Tools", "tools the request offers"),
    (".Think", "whether the request asks for thinking"),
    (".IsThinkSet", "whether the request set think at all"),
    (".Role", "a message's role (system, user, assistant, tool)"),
    (".Content", "a message's text"),
    (".Thinking", "a message's thinking text"),
    (".ToolCalls", "a message's tool calls; range over them"),
    (".ToolName", "name of the tool a tool message answers"),
    (".Images", "a message's images"),
    (".Function", "a tool call's or tool's function"),
    (".Function.Name", "the function's name"),
    (".Function.Arguments", "a tool call's arguments"),
    (".Function.Description", "a tool's description"),
    (".Function.Parameters", "a tool's parameter schema"),
    (".Type", "a tool's type (function)"),
)
"""Fields Ollama passes to a TEMPLATE, top level first, then per message and per tool."""

TEMPLATE_ACTIONS: tuple[tuple[str, str], ...] = (
    ("if", "run the block when the value is non-empty"),
    ("else", "the other branch of if / range / with"),
    ("else if", "another condition of an if"),
    ("end", "close if / range / with / define / block"),
    ("range", "repeat the block for each element"),
    ("with", "run the block with the value as dot when it is non-empty"),
    ("define", "define a named template"),
    ("template", "run a named template"),
    ("block", "define and run a named template"),
    ("break", "leave the innermost range"),
    ("continue", "next iteration of the innermost range"),
    ("json", "the value as JSON"),
    ("and", "first empty argument, or the last"),
    ("or", "first non-empty argument, or the last"),
    ("not", "boolean negation"),
    ("eq", "equal"),
    ("ne", "not equal"),
    ("lt", "less than"),
    ("le", "less than or equal"),
    ("gt", "greater than"),
    ("ge", "greater than or equal"),
    ("len", "length of the value"),
    ("index", "element at an index or key"),
    ("slice", "part of a string or list"),
    ("print", "the arguments as text"),
    ("printf", "formatted text"),
    ("currentDate", "today's date (Ollama function)"),
    ("toTypeScriptType", "a JSON schema as a TypeScript type (Ollama function)"),
)
"""Go template actions and functions usable inside `{{ … }}` in Ollama templates."""

_KEYWORD_WORD = re.compile(r"[ \t]*([A-Za-z]*)")
_PARAMETER_NAME = re.compile(r"[ \t]*(?i:parameter)[ \t]+([A-Za-z0-9_]*)")
_PARAMETER_VALUE = re.compile(r"[ \t]*(?i:parameter)[ \t]+([A-Za-z0-9_]+)[ \t]+([A-Za-z]*)")
_MESSAGE_ROLE = re.compile(r"[ \t]*(?i:message)[ \t]+([A-Za-z]*)")
_FROM_NAME = re.compile(r'[ \t]*(?i:from)[ \t]+([^ \t"]*)')
_ACTION_WORD = re.compile(r"[.$]?[A-Za-z0-9_.]*\Z")
_LETTERS_AFTER = re.compile(r"[A-Za-z]*")
_NAME_AFTER = re.compile(r"[A-Za-z0-9_]*")
_MODEL_AFTER = re.compile(r'[^ \t\r\n"]*')
_ACTION_AFTER = re.compile(r"[A-Za-z0-9_.]*")


def complete(text: str, offset: int, *, model_names: Sequence[str] = ()) -> Completion | None:
    """Candidates for the word at `offset` in `text`, or None when nothing fits there.

    `model_names` are offered after FROM. Candidates are filtered by the word typed so far
    (case-insensitively); the result replaces the whole word around the cursor.
    """
    offset = min(max(offset, 0), len(text))
    line_start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    _, stack_at_line = lex_line(text[:line_start]) if line_start else ([], ROOT_STACK)
    prefix = text[line_start:offset]
    _, stack_at_cursor = lex_line(prefix, stack_at_line)
    if stack_at_cursor[-1].startswith("action-"):
        return _template_completion(text, offset, prefix)
    if stack_at_line != ROOT_STACK:
        return None  # inside a multi-line value that is not a template action
    return _line_completion(text, offset, line_start, prefix, model_names)


def _line_completion(
    text: str, offset: int, line_start: int, prefix: str, model_names: Sequence[str]
) -> Completion | None:
    if match := _KEYWORD_WORD.fullmatch(prefix):
        items = (
            CompletionItem(name.upper(), name.upper(), INSTRUCTION_DETAILS[name])
            for name in INSTRUCTIONS
        )
        return _completion(text, offset, line_start + match.start(1), _LETTERS_AFTER, items)
    if match := _PARAMETER_NAME.fullmatch(prefix):
        specs = (*PARAMETERS.values(), *DEPRECATED_PARAMETERS.values())
        items = (CompletionItem(spec.name, spec.name, _parameter_detail(spec)) for spec in specs)
        return _completion(text, offset, line_start + match.start(1), _NAME_AFTER, items)
    if match := _PARAMETER_VALUE.fullmatch(prefix):
        spec = parameter_spec(match.group(1))
        if spec is None or spec.kind != "bool":
            return None
        items = (
            CompletionItem(value, value, f"{spec.name}: {value}") for value in ("true", "false")
        )
        return _completion(text, offset, line_start + match.start(2), _LETTERS_AFTER, items)
    if match := _MESSAGE_ROLE.fullmatch(prefix):
        items = (CompletionItem(role, role, ROLE_DETAILS[role]) for role in MESSAGE_ROLES)
        return _completion(text, offset, line_start + match.start(1), _LETTERS_AFTER, items)
    if match := _FROM_NAME.fullmatch(prefix):
        items = (
            CompletionItem(name, name, "installed model") for name in dict.fromkeys(model_names)
        )
        return _completion(text, offset, line_start + match.start(1), _MODEL_AFTER, items)
    return None


def _template_completion(text: str, offset: int, prefix: str) -> Completion | None:
    word_match = _ACTION_WORD.search(prefix)
    word_start = offset - (len(word_match.group()) if word_match else 0)
    fields = (CompletionItem(label, label, detail) for label, detail in TEMPLATE_FIELDS)
    actions = (CompletionItem(label, label, detail) for label, detail in TEMPLATE_ACTIONS)
    return _completion(text, offset, word_start, _ACTION_AFTER, (*fields, *actions))


def _parameter_detail(spec: ParameterSpec) -> str:
    default = "unset" if spec.default is None else str(spec.default).lower()
    detail = f"{spec.kind}, default {default}: {spec.description}"
    return f"deprecated, ignored by create; {detail}" if spec.deprecated else detail


def _completion(
    text: str,
    offset: int,
    start: int,
    word_after: re.Pattern[str],
    items: Iterable[CompletionItem],
) -> Completion | None:
    """Filter `items` by `text[start:offset]`; the word runs on past the cursor while
    `word_after` matches."""
    typed = text[start:offset].lower()
    after = word_after.match(text, offset)
    end = after.end() if after else offset
    chosen = tuple(item for item in items if _matches(item.label, typed))
    if not chosen:
        return None
    return Completion(start, end, chosen)


def _matches(label: str, typed: str) -> bool:
    """Prefix match; a field may be typed with or without its leading dot."""
    lowered = label.lower()
    if typed.startswith((".", "$")):
        return lowered.startswith(typed)
    return lowered.lstrip(".").startswith(typed)
