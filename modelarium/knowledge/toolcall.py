"""Tool-call format per family: which style a TEMPLATE asks the model to write tool calls in,
and a warning when that is not the style the family documents.

Styles (as in the knowledge records): `hermes-json` (`<tool_call>{"name", "arguments"}`),
`xml-function` (`<function=NAME><parameter=P>`), `mistral-json-list` (`[TOOL_CALLS][{…}]`),
`mistral-name-args` (`[TOOL_CALLS]name[ARGS]{…}`), `pythonic-list` (`[f(a=1)]`) and `json`
(a bare `{"name", "parameters"}` object). Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from modelarium.knowledge.match import ModelFacts, select
from modelarium.knowledge.records import KnowledgeRecord

CODE = "KN001"
"""Diagnostic code: the TEMPLATE's tool-call style differs from the family's documented one."""

_TOOLS = re.compile(r"\.Tools\b|\.ToolCalls\b")
_PYTHONIC = re.compile(r"\[func_name\d*\(|\[\w+\(\w+=")
_JSON = re.compile(r'"name":\s*(?:function name|"?<?[\w -]+>?"?)\s*,\s*"parameters"')


@dataclass(frozen=True, slots=True)
class ToolCallDiagnostic:
    """A lint-like finding about a model's tool-call style (no position: it concerns the
    TEMPLATE as a whole)."""

    code: str
    severity: str
    message: str
    template_style: str
    documented: tuple[str, ...]
    record_ids: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "template_style": self.template_style,
            "documented": list(self.documented),
            "records": list(self.record_ids),
        }


def template_style(template: str) -> str | None:
    """The tool-call style a TEMPLATE asks for (None: it offers no tools or is not recognised)."""
    if not _TOOLS.search(template):
        return None
    if "<function=" in template:
        return "xml-function"
    if "[TOOL_CALLS]" in template:
        return "mistral-name-args" if "[ARGS]" in template else "mistral-json-list"
    if "<tool_call>" in template:
        return "hermes-json"
    if _PYTHONIC.search(template):
        return "pythonic-list"
    if _JSON.search(template):
        return "json"
    return None


def documented_styles(records: Iterable[KnowledgeRecord]) -> dict[str, list[str]]:
    """style -> ids of the applying `tool_call_format` records that document it."""
    styles: dict[str, list[str]] = {}
    for record in records:
        if record.kind == "tool_call_format" and isinstance(record.values, dict):
            styles.setdefault(str(record.values.get("style")), []).append(record.id)
    return styles


def check_tool_calls(
    template: str, records: Iterable[KnowledgeRecord], *, model: str = "the model"
) -> list[ToolCallDiagnostic]:
    """A warning when the TEMPLATE's style is none of the styles documented for the model
    (vendor's or Ollama's own); nothing when either side is unknown."""
    style = template_style(template)
    styles = documented_styles(records)
    if style is None or not styles or style in styles:
        return []
    documented = tuple(sorted(styles))
    ids = tuple(record_id for name in documented for record_id in styles[name])
    return [
        ToolCallDiagnostic(
            code=CODE,
            severity="warning",
            message=(
                f"{model}: the TEMPLATE asks for {style} tool calls, but this model documents "
                f"{' or '.join(documented)}; tool calls may not be parsed"
            ),
            template_style=style,
            documented=documented,
            record_ids=ids,
        )
    ]


def diagnose(records: Sequence[KnowledgeRecord], facts: ModelFacts) -> list[ToolCallDiagnostic]:
    """Tool-call findings for an installed model: its TEMPLATE against the tool-call formats
    documented for it (every use case, every mode)."""
    if not facts.template:
        return []
    return check_tool_calls(facts.template, select(records, facts), model=facts.name)
