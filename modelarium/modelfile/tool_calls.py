"""Tool-call styles: which style a TEMPLATE asks the model to write tool calls in, and the
words of KN001 when that is none of the styles documented for the model.

Styles (the names the curated knowledge records use): `hermes-json`
(`<tool_call>{"name", "arguments"}`), `xml-function` (`<function=NAME><parameter=P>`),
`mistral-json-list` (`[TOOL_CALLS][{…}]`), `mistral-name-args` (`[TOOL_CALLS]name[ARGS]{…}`),
`pythonic-list` (`[f(a=1)]`) and `json` (a bare `{"name", "parameters"}` object). Reading a
TEMPLATE is a core rule; which styles a model documents is the curated knowledge's, handed in
as `ModelFacts.tool_call_styles`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

TOOL_CALL_CODE = "KN001"
"""Diagnostic code: the TEMPLATE's tool-call style differs from the model's documented one."""

_TOOLS = re.compile(r"\.Tools\b|\.ToolCalls\b")
_PYTHONIC = re.compile(r"\[func_name\d*\(|\[\w+\(\w+=")
_JSON = re.compile(r'"name":\s*(?:function name|"?<?[\w -]+>?"?)\s*,\s*"parameters"')


def tool_call_style(template: str) -> str | None:
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


@dataclass(frozen=True, slots=True)
class ToolCallMismatch:
    """A TEMPLATE asking for one tool-call style where the model documents others."""

    style: str
    """The style the TEMPLATE asks for."""
    documented: tuple[str, ...]
    """The styles documented for the model, sorted."""
    message: str
    """KN001's message, the same in lint, the editor and `knowledge check`."""


def tool_call_mismatch(
    template: str, documented: Iterable[str], *, model: str = "the model"
) -> ToolCallMismatch | None:
    """The mismatch when the TEMPLATE's style is none of the `documented` ones; None when it is
    one of them or when either side is unknown (no tools in the TEMPLATE, nothing documented)."""
    style = tool_call_style(template)
    styles = tuple(sorted(set(documented)))
    if style is None or not styles or style in styles:
        return None
    return ToolCallMismatch(
        style,
        styles,
        f"{model}: the TEMPLATE asks for {style} tool calls, but this model documents "
        f"{' or '.join(styles)}; tool calls may not be parsed",
    )
