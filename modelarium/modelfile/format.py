"""Canonical Modelfile formatting that keeps comments and blank lines.

`format_modelfile(text)` rewrites each instruction in canonical form (upper-case keyword, one
space, the quoting `elements.quote_value` picks: bare when that survives, `\"\"\"` for TEMPLATE,
LICENSE and multi-line values) and leaves everything between instructions as it was, except
that trailing blanks are removed, comments lose their indentation and the file ends with a
line break. Line endings are kept. An instruction whose canonical form would not read back to
the same command (e.g. `PARAMETER message …`) stays exactly as written.

The result always parses to exactly the same commands (checked on every call), and formatting
is idempotent.
"""

from __future__ import annotations

import re

from modelarium.modelfile.commands import Command, NoFromLineError
from modelarium.modelfile.document import ModelfileDocument, SegmentKind
from modelarium.modelfile.elements import GenerateError, command_text
from modelarium.modelfile.parser import scan

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


class FormatError(ValueError):
    """The text cannot be formatted (it does not parse); the message says why and where."""


def _canonical_command(original: str, command: Command, *, verify: bool) -> str:
    """The canonical text of one command, or `original` when there is none. `verify` also
    re-parses the canonical text on its own (the slow path, used only if the fast result
    ever failed the whole-file check)."""
    try:
        canonical = command_text(command)
    except GenerateError:
        return original
    if verify and [parsed.command for parsed in scan(canonical).commands] != [command]:
        return original
    return canonical


def _tidy_trivia(trivia: str, *, before_command: bool) -> str:
    """Trivia with trailing blanks removed from each line and comments unindented; the
    indentation in front of a following command is dropped."""
    if not trivia.strip("\r\n"):
        return trivia  # only line breaks: nothing to tidy
    pieces: list[str] = []
    for line in _LINE.findall(trivia):
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        body = body.rstrip(" \t")
        if body.lstrip(" \t").startswith("#"):
            body = body.lstrip(" \t")
        if not ending and before_command:
            body = body.strip(" \t")
        pieces.append(body + ending)
    return "".join(pieces)


def format_modelfile(text: str) -> str:
    """The canonical form of `text` (see the module docstring); FormatError if it does not
    parse."""
    document = ModelfileDocument.parse(text)
    if document.error is not None and not isinstance(document.error, NoFromLineError):
        position = document.error.position
        where = f"line {position.line}, column {position.column}: " if position else ""
        raise FormatError(f"cannot format a Modelfile Ollama rejects: {where}{document.error}")
    result = _render(document, verify=False)
    if ModelfileDocument.parse(result).commands != document.commands:
        result = _render(document, verify=True)
        if ModelfileDocument.parse(result).commands != document.commands:
            raise FormatError("formatting would change the commands; the text was left as it is")
    return result


def _render(document: ModelfileDocument, *, verify: bool) -> str:
    pieces: list[str] = []
    segments = document.segments()
    for index, segment in enumerate(segments):
        if segment.kind is SegmentKind.COMMAND and segment.parsed is not None:
            pieces.append(_canonical_command(segment.text, segment.parsed.command, verify=verify))
        else:
            following = segments[index + 1] if index + 1 < len(segments) else None
            before_command = following is not None and following.kind is SegmentKind.COMMAND
            pieces.append(_tidy_trivia(segment.text, before_command=before_command))
    result = "".join(pieces)
    body = result[1:] if result.startswith("\ufeff") else result
    if body and not body.endswith(("\n", "\r")):
        result += document.newline
    return result
