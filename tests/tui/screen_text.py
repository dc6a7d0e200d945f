"""What the screen shows inside a widget, as text: for tests that a text is shown whole (wrapped,
never cut at an edge or ended with an ellipsis) at a given terminal size."""

from __future__ import annotations

import re

from textual.widget import Widget


def words(text: str) -> str:
    """The text with every run of white space as one space (wrapped lines read as one)."""
    return re.sub(r"\s+", " ", text).strip()


def shown_text(widget: Widget) -> str:
    """The characters the widget's screen shows within the part of the widget's content (inside
    its border and padding) that is visible (clipped by its parents and the screen), line
    after line."""
    screen = widget.screen
    visible = screen.find_widget(widget).visible_region.intersection(widget.content_region)
    strips = screen._compositor.render_strips()
    lines = [
        strips[y].crop(visible.x, visible.right).text
        for y in range(visible.y, visible.bottom)
        if 0 <= y < len(strips)
    ]
    return "\n".join(lines)


def shows_whole(widget: Widget, text: str) -> bool:
    """Whether `text` is on screen within the widget, every word of it, in order, with no
    ellipsis that the text itself does not have."""
    shown = shown_text(widget)
    if "…" in shown and "…" not in text:
        return False
    return words(text) in words(shown)


def assert_shows_whole(widget: Widget, text: str) -> None:
    """Fail with what the widget shows when `text` is not shown whole in it."""
    assert shows_whole(widget, text), f"{text!r} is not whole in {widget!r}: {shown_text(widget)!r}"
