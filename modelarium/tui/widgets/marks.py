"""Check boxes whose state reads without colour: `▐X▌` ticked, `▐ ▌` not.

Textual draws `▐X▌` for both states and tells them apart by colour alone, which a monochrome
terminal, NO_COLOR or a colour-blind eye cannot read. These subclasses keep Textual's look for a
ticked box and blank the mark of an unticked one (one cell either way, so widths stay)."""

from __future__ import annotations

from typing import TypeVar

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist

UNTICKED = " "
"""The mark of a box that is not ticked (Textual's `X` stays for a ticked one)."""

SelectionType = TypeVar("SelectionType")


class MarkedSelectionList(SelectionList[SelectionType]):
    """A `SelectionList` whose unticked boxes show no `X`."""

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        segments = list(line)
        _, scroll_y = self.scroll_offset
        try:
            selection = self.get_option_at_index(scroll_y + y)
        except OptionDoesNotExist:  # a line past the options
            return line
        if selection.value in self._selected or len(segments) < 3:
            return line
        left, inner, right = segments[:3]
        if (left.text, inner.text, right.text) != (
            ToggleButton.BUTTON_LEFT,
            ToggleButton.BUTTON_INNER,
            ToggleButton.BUTTON_RIGHT,
        ):
            return line  # not the box Textual draws (guarded by a test)
        blank = Segment(UNTICKED, inner.style, inner.control)
        return Strip([left, blank, right, *segments[3:]], line.cell_length)


class MarkedCheckbox(Checkbox):
    """A `Checkbox` whose unticked box shows no `X`."""

    @property
    def _button(self) -> Content:
        # An instance attribute shadows the class's mark for Textual's own drawing.
        self.BUTTON_INNER = ToggleButton.BUTTON_INNER if self.value else UNTICKED
        return super()._button


__all__ = ["UNTICKED", "MarkedCheckbox", "MarkedSelectionList"]
