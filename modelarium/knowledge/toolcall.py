"""Tool-call format per family: the styles the curated records document for a model, and a
warning when a TEMPLATE asks for another one.

Which style a TEMPLATE asks for, and the warning's words, are the core's
(`modelarium.modelfile.tool_calls`): the model-aware lint (KN001) and `knowledge check` say
the same thing. Styles are listed there. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from modelarium.knowledge.match import ModelFacts, select
from modelarium.knowledge.records import KnowledgeRecord
from modelarium.modelfile import TOOL_CALL_CODE, tool_call_mismatch, tool_call_style

CODE = TOOL_CALL_CODE
"""Diagnostic code: the TEMPLATE's tool-call style differs from the family's documented one."""

template_style = tool_call_style
"""The tool-call style a TEMPLATE asks for (the core's rule, under the name callers know)."""


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
    styles = documented_styles(records)
    mismatch = tool_call_mismatch(template, styles, model=model)
    if mismatch is None:
        return []
    ids = tuple(record_id for name in mismatch.documented for record_id in styles[name])
    return [
        ToolCallDiagnostic(
            code=CODE,
            severity="warning",
            message=mismatch.message,
            template_style=mismatch.style,
            documented=mismatch.documented,
            record_ids=ids,
        )
    ]


def diagnose(records: Sequence[KnowledgeRecord], facts: ModelFacts) -> list[ToolCallDiagnostic]:
    """Tool-call findings for an installed model: its TEMPLATE against the tool-call formats
    documented for it (every use case, every mode)."""
    if not facts.template:
        return []
    return check_tool_calls(facts.template, select(records, facts), model=facts.name)
