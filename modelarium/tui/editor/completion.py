"""`CompletionList`: the editor's completion pop-up, fed by `modelarium.modelfile.completion`.

The list floats under the cursor and takes the focus while open: Up/Down choose, Enter or Tab
inserts through the TextArea's `replace` (one undoable edit), Esc closes. Typed characters and
Backspace go on to the text and the list is refiltered (or closes when nothing fits any more),
so typing is never lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import OptionList, TextArea
from textual.widgets.option_list import Option
from textual.widgets.text_area import Document

from modelarium.modelfile import Completion, CompletionItem, complete

DETAIL_WIDTH = 56
"""Characters of an item's detail shown after its label."""


class CompletionList(OptionList):
    """Completion candidates for the word at the cursor of `text_area`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "accept", "Insert", show=False),
        Binding("escape", "close", "Close", show=False),
    ]

    def __init__(self, text_area: TextArea, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.text_area = text_area
        self.completion: Completion | None = None
        """What is shown; None while closed."""
        self.model_names: tuple[str, ...] = ()
        """Model names offered after FROM, as given to `open`."""
        self.display = False

    @property
    def is_open(self) -> bool:
        """Whether the list is shown."""
        return self.completion is not None

    def _document(self) -> Document:
        document = self.text_area.document
        if not isinstance(document, Document):  # TextArea always builds a Document
            raise TypeError(f"the editor's document is a {type(document).__name__}")
        return document

    def _cursor_offset(self) -> int:
        return self._document().get_index_from_location(self.text_area.cursor_location)

    def open(self, model_names: Sequence[str] = ()) -> bool:
        """Show the candidates for the cursor's word; False (and closed) when there are none."""
        self.model_names = tuple(model_names)
        return self.refilter()

    def refilter(self) -> bool:
        """Recompute the candidates after the text or cursor changed; closes when none fit."""
        found = complete(self.text_area.text, self._cursor_offset(), model_names=self.model_names)
        if found is None:
            self.close()
            return False
        self.completion = found
        self.set_options(_option(item) for item in found.items)
        self.highlighted = 0
        self._place()
        self.display = True
        self.focus()
        return True

    def _place(self) -> None:
        """Put the list under the cursor (position: absolute, relative to the parent)."""
        parent = self.parent
        cursor_x, cursor_y = self.text_area.cursor_screen_offset
        if not isinstance(parent, Widget):
            return
        origin = parent.content_region.offset
        self.styles.offset = (max(cursor_x - origin.x - 1, 0), max(cursor_y - origin.y + 1, 0))

    def close(self) -> None:
        """Hide the list and give the focus back to the text."""
        was_open = self.completion is not None
        self.completion = None
        self.display = False
        if was_open:
            self.text_area.focus()

    def action_close(self) -> None:
        """Esc: close without inserting."""
        self.close()

    def action_accept(self) -> None:
        """Insert the highlighted candidate in place of the word at the cursor."""
        completion = self.completion
        index = self.highlighted
        if completion is None or index is None or not 0 <= index < len(completion.items):
            self.close()
            return
        item = completion.items[index]
        document = self._document()
        start = document.get_location_from_index(completion.start)
        end = document.get_location_from_index(completion.end)
        self.close()
        self.text_area.replace(item.insert_text, start, end, maintain_selection_offset=False)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.highlighted = event.option_index
        self.action_accept()

    def on_blur(self) -> None:
        """Clicking or tabbing elsewhere closes the list."""
        if self.completion is not None:
            self.completion = None
            self.display = False

    async def _on_key(self, event: events.Key) -> None:
        """Typing goes on into the text; the list follows it."""
        if not self.is_open:
            return
        if event.key == "backspace":
            event.stop()
            event.prevent_default()
            self.text_area.action_delete_left()
        elif event.is_printable and event.character is not None:
            event.stop()
            event.prevent_default()
            self.text_area.insert(event.character)
        else:
            return
        self.refilter()


def _option(item: CompletionItem) -> Option:
    detail = (
        item.detail if len(item.detail) <= DETAIL_WIDTH else item.detail[: DETAIL_WIDTH - 1] + "…"
    )
    label = Text(item.label, style="bold")
    label.append("  ")
    label.append(detail, style="dim")
    return Option(label)
