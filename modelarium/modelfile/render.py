"""Commands back to Modelfile text, byte for byte as Ollama's `Modelfile.String()` writes it.

Each command becomes one line ending in `\\n`. FROM (`model`) is written raw; the other
instruction names are upper-cased and their value passes through `quote_value`; MESSAGE args
are split at the first `": "`; every other name is a PARAMETER. Comments, keyword case and the
original quoting are not kept (Ollama does not keep them either).
"""

from __future__ import annotations

from collections.abc import Iterable

from modelarium.modelfile.commands import Command

_INSTRUCTION_NAMES = frozenset(
    ("license", "template", "system", "adapter", "renderer", "parser", "requires", "draft")
)


def quote_value(value: str) -> str:
    """Ollama's `quote`: wrap a value only if it holds an LF or starts/ends with an ASCII space.

    Such a value gets `\"\"\"…\"\"\"` when it contains a `"`, `"…"` otherwise; every other
    value (tabs, lone CRs, a leading quote, the empty string) is written bare.
    """
    if "\n" in value or value.startswith(" ") or value.endswith(" "):
        if '"' in value:
            return f'"""{value}"""'
        return f'"{value}"'
    return value


def render_command(command: Command) -> str:
    """One command as Ollama's `Command.String()` writes it (without the line break)."""
    name = command.name
    if name == "model":
        return f"FROM {command.args}"
    if name in _INSTRUCTION_NAMES:
        return f"{name.upper()} {quote_value(command.args)}"
    if name == "message":
        role, _, content = command.args.partition(": ")
        return f"MESSAGE {role} {quote_value(content)}"
    return f"PARAMETER {name} {quote_value(command.args)}"


def render_commands(commands: Iterable[Command]) -> str:
    """Ollama's `Modelfile.String()`: every command on its own line, each ending in `\\n`."""
    return "".join(f"{render_command(command)}\n" for command in commands)


def file_text(text: str) -> str:
    """`text` as a Modelfile file holds it: ending in a newline, as Ollama's `String()` ends
    every command with one. Added only when missing (a CRLF file gets `\\r\\n`); the text is
    otherwise kept byte for byte, and an empty text stays empty."""
    if not text or text.endswith("\n"):
        return text
    if text.endswith("\r"):
        return text + "\n"
    return text + ("\r\n" if "\r\n" in text else "\n")
