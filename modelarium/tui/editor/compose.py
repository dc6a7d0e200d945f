"""Adding library elements to the editor's Modelfile with minimal edits.

Single-valued instructions (FROM, TEMPLATE, SYSTEM, RENDERER, PARSER, REQUIRES) and
parameters other than `stop` replace the command already there, in place; everything else
(MESSAGE, LICENSE, ADAPTER, `stop`) is appended. Untouched text, comments included, stays
byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence

from modelarium.modelfile.commands import Command
from modelarium.modelfile.elements import Element, commands_from_elements, generate_modelfile
from modelarium.modelfile.parser import ParsedCommand, scan
from modelarium.modelfile.render import render_commands

_INSTRUCTION_NAMES = frozenset(
    {
        "model",
        "adapter",
        "license",
        "template",
        "system",
        "message",
        "requires",
        "renderer",
        "parser",
        "draft",
    }
)
_REPLACED_INSTRUCTIONS = frozenset(
    {"model", "template", "system", "renderer", "parser", "requires"}
)
_REPEATABLE_PARAMETERS = frozenset({"stop"})


def text_for_elements(elements: Sequence[Element]) -> str:
    """A complete Modelfile for `elements`; ValueError naming the element when impossible."""
    try:
        return generate_modelfile(tuple(elements))
    except Exception as error:  # GenerateError and the like carry the element's name
        raise ValueError(str(error)) from error


def _replaces(existing: Command, new: Command) -> bool:
    if new.name in _REPLACED_INSTRUCTIONS:
        return existing.name == new.name
    if new.name in _INSTRUCTION_NAMES or new.name.lower() in _REPEATABLE_PARAMETERS:
        return False
    return existing.name.lower() == new.name.lower()


def add_elements_to_text(text: str, elements: Sequence[Element]) -> str:
    """`text` with `elements` merged in (see the module docstring for the rules)."""
    if not text.strip():
        return text_for_elements(elements)
    try:
        new_commands = commands_from_elements(tuple(elements))
    except Exception as error:
        raise ValueError(str(error)) from error
    outcome = scan(text)
    source = outcome.text
    remaining: list[ParsedCommand] = list(outcome.commands)
    replacements: list[tuple[int, int, str]] = []
    prepended: list[str] = []
    appended: list[str] = []
    for command in new_commands:
        rendered = render_commands([command]).rstrip("\n")
        target = next((p for p in reversed(remaining) if _replaces(p.command, command)), None)
        if target is not None:
            replacements.append((target.start, target.end, rendered))
            remaining.remove(target)
        elif command.name == "model":
            prepended.append(rendered)
        else:
            appended.append(rendered)
    for start, end, rendered in sorted(replacements, reverse=True):
        source = source[:start] + rendered + source[end:]
    if prepended:
        source = "\n".join(prepended) + "\n" + source
    if appended:
        if source and not source.endswith("\n"):
            source += "\n"
        source += "\n".join(appended) + "\n"
    return source
