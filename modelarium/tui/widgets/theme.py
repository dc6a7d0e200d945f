"""The editor's own TextArea themes: a style for every highlight name the highlighter emits."""

from __future__ import annotations

from rich.style import Style
from textual.widgets.text_area import TextAreaTheme

from modelarium.tui.widgets.highlight import HIGHLIGHT_NAMES

DIAGNOSTIC_ERROR = "diagnostic.error"
"""Highlight name of a line carrying a lint error (a tinted line background)."""
DIAGNOSTIC_WARNING = "diagnostic.warning"
"""Highlight name of a line carrying a lint warning or hint."""

DARK_THEME_NAME = "modelarium"
LIGHT_THEME_NAME = "modelarium-light"

_DARK_STYLES: dict[str, Style] = {
    "comment": Style(color="#8b93a1", italic=True),
    "keyword": Style(color="#d291f0", bold=True),
    "constant": Style(color="#e5a86b"),
    "property": Style(color="#6cb6f5"),
    "variable": Style(color="#e8c77b"),
    "function": Style(color="#5fcfd9"),
    "tag": Style(color="#ef7f87"),
    "label": Style(color="#e8c77b"),
    "name": Style(color="#dfe3ea"),
    "escape": Style(color="#5fcfd9", bold=True),
    "interpolation": Style(color="#ef7f87"),
    "string": Style(color="#a4d38a"),
    "number": Style(color="#e5a86b"),
    "operator": Style(color="#c0c6d0"),
    "punctuation": Style(color="#9aa2b0"),
    "error": Style(color="#ff6b6b", underline=True),
    DIAGNOSTIC_ERROR: Style(bgcolor="#4a1f24"),
    DIAGNOSTIC_WARNING: Style(bgcolor="#3d3719"),
}

_LIGHT_STYLES: dict[str, Style] = {
    "comment": Style(color="#6a737d", italic=True),
    "keyword": Style(color="#8a2bb8", bold=True),
    "constant": Style(color="#b35900"),
    "property": Style(color="#0b5cad"),
    "variable": Style(color="#8a6100"),
    "function": Style(color="#00707a"),
    "tag": Style(color="#b3262f"),
    "label": Style(color="#8a6100"),
    "name": Style(color="#24292f"),
    "escape": Style(color="#00707a", bold=True),
    "interpolation": Style(color="#b3262f"),
    "string": Style(color="#2f7a1f"),
    "number": Style(color="#b35900"),
    "operator": Style(color="#3b4048"),
    "punctuation": Style(color="#57606a"),
    "error": Style(color="#d00000", underline=True),
    DIAGNOSTIC_ERROR: Style(bgcolor="#ffd8d8"),
    DIAGNOSTIC_WARNING: Style(bgcolor="#fff2c2"),
}

EDITOR_THEMES: tuple[TextAreaTheme, ...] = (
    TextAreaTheme(DARK_THEME_NAME, syntax_styles=_DARK_STYLES),
    TextAreaTheme(LIGHT_THEME_NAME, syntax_styles=_LIGHT_STYLES),
)
"""Both editor themes; each styles every name in `HIGHLIGHT_NAMES` and the diagnostics."""

STYLED_NAMES: frozenset[str] = HIGHLIGHT_NAMES | {DIAGNOSTIC_ERROR, DIAGNOSTIC_WARNING}


def editor_theme_name(dark: bool) -> str:
    """The editor theme that fits an app theme of the given darkness."""
    return DARK_THEME_NAME if dark else LIGHT_THEME_NAME
