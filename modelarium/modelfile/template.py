"""A Go `text/template` tokenizer and structure checker, good enough to lint a TEMPLATE.

It finds actions (`{{ … }}`, with `{{-`/`-}}` trim markers, comments `{{/* … */}}`, Go strings,
raw strings and character constants inside), checks that every action is closed, that
`if`/`range`/`with`/`define`/`block` each have an `end` and that `else`/`end` only appear where
Go allows them, and collects the `.Field` names and `$variables` the template uses. It does
not type-check pipelines: Ollama's server does that at create time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BLOCK_KEYWORDS: frozenset[str] = frozenset({"if", "range", "with", "define", "block"})
"""Actions that open a block closed by `{{ end }}`."""

_ELSE_ALLOWED_IN: frozenset[str] = frozenset({"if", "range", "with"})

_FIRST_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FIELD = re.compile(
    r"(?<![A-Za-z0-9_)\]\$])\.([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)"
)
_VARIABLE = re.compile(r"\$[A-Za-z0-9_]*")
_WELL_FORMED_ACTION = re.compile(
    r"""\{\{(?:[^"`'}/]++|"(?:\\.|[^"\\\r\n])*+"|`[^`]*+`|'(?:\\.|[^'\\\r\n])*+'"""
    r"""|/\*.*?\*/|/(?!\*)|\}(?!\}))*+\}\}""",
    re.S,
)
"""A complete action (the fast path); anything else goes through `_action_end` for the error."""
_LITERALS = re.compile(r'"(?:\\.|[^"\\])*"|`[^`]*`|\'(?:\\.|[^\'\\])*\'|/\*.*?\*/', re.S)


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    """A template error: `offset`/`end_offset` index the template text; line/column are 1-based
    (LF, CR and CRLF each end a line) and the end is exclusive."""

    message: str
    offset: int
    end_offset: int
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class Action:
    """One `{{ … }}` action: offsets of `{{` and just past `}}`, and its inner text (trim
    markers and delimiters removed, surrounding blanks stripped)."""

    start: int
    end: int
    body: str

    @property
    def keyword(self) -> str:
        """The action's first word (`if`, `end`, …) or "" for a pipeline like `.Prompt`."""
        if self.body.startswith("/*"):
            return ""
        found = _FIRST_WORD.match(self.body)
        return found.group() if found is not None else ""


@dataclass(frozen=True, slots=True)
class TemplateCheck:
    """What `check_template` found."""

    actions: tuple[Action, ...]
    problems: tuple[TemplateProblem, ...]
    fields: frozenset[str]
    """Field chains used, without the leading dot (`System`, `Function.Name`)."""
    variables: frozenset[str]
    """Variables used, with the `$` (`$`, `$i`, `$last`)."""

    @property
    def root_fields(self) -> frozenset[str]:
        """First component of each field chain (`Tools` for `.Tools`)."""
        return frozenset(field.split(".", 1)[0] for field in self.fields)

    @property
    def uses_tools(self) -> bool:
        """Whether the template reads `.Tools` or `.ToolCalls` (a tool-calling template)."""
        return bool({"Tools", "ToolCalls"} & self.root_fields)


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of `offset` (CRLF, CR and LF each end one line)."""
    before = text[:offset]
    line = 1 + before.count("\n") + before.count("\r") - before.count("\r\n")
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return line, offset - line_start + 1


def _problem(text: str, message: str, start: int, end: int) -> TemplateProblem:
    line, column = _position(text, start)
    end_line, end_column = _position(text, end)
    return TemplateProblem(message, start, end, line, column, end_line, end_column)


def _action_end(text: str, body_start: int) -> tuple[int, str | None]:
    """Scan an action's body from `body_start`; returns (offset just past `}}`, None) or
    (offset where scanning stopped, a reason the action is malformed)."""
    length = len(text)
    index = body_start
    while index < length:
        char = text[index]
        if char == "}" and text.startswith("}}", index):
            return index + 2, None
        if char == "/" and text.startswith("/*", index):
            close = text.find("*/", index + 2)
            if close < 0:
                return length, "unclosed comment"
            index = close + 2
            continue
        if char in "\"'":
            index += 1
            while index < length and text[index] != char:
                if text[index] in "\r\n":
                    kind = "string" if char == '"' else "character constant"
                    return index, f"unterminated {kind}"
                index += 2 if text[index] == "\\" else 1
            if index >= length:
                return length, "unterminated quoted string"
            index += 1
            continue
        if char == "`":
            close = text.find("`", index + 1)
            if close < 0:
                return length, "unterminated raw string"
            index = close + 1
            continue
        index += 1
    return length, "unclosed action"


def _strip_literals(body: str) -> str:
    """The body with string, raw-string, char and comment contents blanked (for field search)."""
    return _LITERALS.sub(" ", body)


def check_template(text: str) -> TemplateCheck:
    """Tokenize `text` as a Go template and report structural errors with positions."""
    actions: list[Action] = []
    problems: list[TemplateProblem] = []
    fields: set[str] = set()
    variables: set[str] = set()
    open_blocks: list[tuple[str, Action]] = []
    bodies: list[str] = []
    index = 0
    while True:
        start = text.find("{{", index)
        if start < 0:
            break
        body_start = start + 2
        if (
            text.startswith("- ", body_start)
            or text.startswith("-\t", body_start)
            or (text.startswith("-\n", body_start) or text.startswith("-\r", body_start))
        ):
            body_start += 1
        well_formed = _WELL_FORMED_ACTION.match(text, start)
        if well_formed is not None:
            end, reason = well_formed.end(), None
        else:
            end, reason = _action_end(text, body_start)
        if reason is not None:
            problems.append(
                _problem(text, f"{reason}: this {{{{ has no matching }}}}", start, start + 2)
            )
            break
        body_end = end - 2
        if (
            body_end - 1 >= body_start
            and text[body_end - 1] == "-"
            and (body_end - 2 >= body_start and text[body_end - 2] in " \t\r\n")
        ):
            body_end -= 1
        body = text[body_start:body_end].strip(" \t\r\n")
        action = Action(start, end, body)
        actions.append(action)
        index = end
        if not body:
            message = "missing value for command: empty action {{ }}"
            problems.append(_problem(text, message, start, end))
            continue
        bodies.append(body)
        keyword = action.keyword
        if keyword in BLOCK_KEYWORDS:
            open_blocks.append((keyword, action))
        elif keyword == "end":
            if not open_blocks:
                problems.append(_problem(text, "unexpected {{end}}: no block is open", start, end))
            else:
                open_blocks.pop()
        elif keyword in ("break", "continue"):
            if not any(block == "range" for block, _ in open_blocks):
                problems.append(
                    _problem(text, f"{{{{{keyword}}}}} outside {{{{range}}}}", start, end)
                )
        elif keyword == "else":
            if not open_blocks or open_blocks[-1][0] not in _ELSE_ALLOWED_IN:
                problems.append(
                    _problem(text, "unexpected {{else}}: not inside if, range or with", start, end)
                )
            else:
                # `{{ else if … }}` / `{{ else with … }}` continue the same block.
                rest = body[4:].strip()
                chained = _FIRST_WORD.match(rest)
                if chained is not None and chained.group() not in ("if", "with"):
                    problems.append(
                        _problem(text, f"unexpected {chained.group()!r} after else", start, end)
                    )
    for keyword, action in open_blocks:
        problems.append(
            _problem(
                text,
                f"{{{{{keyword}}}}} opened here has no {{{{end}}}}",
                action.start,
                action.end,
            )
        )
    problems.sort(key=lambda problem: problem.offset)
    searchable = _strip_literals("\x00".join(bodies))
    fields.update(_FIELD.findall(searchable))
    variables.update(_VARIABLE.findall(searchable))
    return TemplateCheck(tuple(actions), tuple(problems), frozenset(fields), frozenset(variables))


def literal_text(text: str) -> str:
    """The template's literal text outside actions (what it writes around the placeholders)."""
    pieces: list[str] = []
    index = 0
    for action in check_template(text).actions:
        pieces.append(text[index : action.start])
        index = action.end
    pieces.append(text[index:])
    return "".join(pieces)
