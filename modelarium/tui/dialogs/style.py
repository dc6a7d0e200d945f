"""The framed dialogs' look, carried by each dialog itself (no Textual import).

The editor's stylesheet (`editor.tcss`, read when the Editor pane first loads) frames its
dialogs; the Library opens some of the same dialogs and its own before the Editor may have
loaded, where they showed unframed across the whole screen, their titles cut at the edge.
Each dialog's `DEFAULT_CSS` now holds the same frame (the stylesheet, once read, sets the same
values), and its texts wrap to the frame's width instead of being cut.
"""

from __future__ import annotations


def framed_dialog_css(screen: str, *, min_width: int = 0) -> str:
    """`DEFAULT_CSS` for the dialog screen class `screen`: centred, framed, 80 % of the
    terminal (at least `min_width` cells, where its buttons need them), texts wrapping."""
    least = f"min-width: {min_width};" if min_width else ""
    return f"""
    {screen} {{ align: center middle; }}
    {screen} > .dialog-body {{
        width: 80%; {least} max-width: 120; height: auto; max-height: 90%;
        padding: 1 2; background: $surface; border: thick $primary;
    }}
    {screen} .dialog-title {{ width: 1fr; text-style: bold; margin-bottom: 1; }}
    {screen} .dialog-hint, {screen} .dialog-problem, {screen} .dialog-text {{ width: 1fr; }}
    {screen} .dialog-buttons {{ height: auto; margin-top: 1; }}
    """
