"""The two Modelarium themes (dark and light), registered by the app; `ctrl+t` toggles them."""

from __future__ import annotations

from textual.theme import Theme

DARK_THEME = Theme(
    name="modelarium-dark",
    primary="#5FA8D3",
    secondary="#9D8CDB",
    accent="#F2A541",
    warning="#F2C14E",
    error="#E5534B",
    success="#57AB5A",
    foreground="#E6EDF3",
    background="#10151C",
    surface="#161C24",
    panel="#1F2733",
    dark=True,
)

LIGHT_THEME = Theme(
    name="modelarium-light",
    primary="#1F6FA8",
    secondary="#6A4FC2",
    accent="#B96A00",
    warning="#9A6700",
    error="#C4302B",
    success="#2D7D32",
    foreground="#1F2328",
    background="#F6F8FA",
    surface="#FFFFFF",
    panel="#E8EDF2",
    dark=False,
)

THEMES: tuple[Theme, ...] = (DARK_THEME, LIGHT_THEME)
