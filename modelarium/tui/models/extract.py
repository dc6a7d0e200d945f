"""Preview of an extraction before anything is saved: which elements are new, which to keep,
which tags to add. Dismisses with an `ExtractChoice` (or None when cancelled)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from modelarium.store.tags import parse_tags
from modelarium.store.types import ImportPreview, NewElement, PreviewItem, Tag
from modelarium.terminal_text import terminal_text
from modelarium.tui.keys import bindings_for
from modelarium.tui.widgets.marks import MarkedSelectionList

PREVIEW_CHARACTERS = 1500
"""How much of a long element the preview shows."""


@dataclass(frozen=True, slots=True)
class ExtractChoice:
    """The candidates the user kept and the tags to add to each of them."""

    candidates: tuple[NewElement, ...]
    tags: tuple[Tag, ...]
    seen: tuple[NewElement, ...] = ()
    """Candidates whose content the library holds already (or that repeat a saved one): only
    their provenance (model, digest, host) is added, so the library knows every model an
    element was seen in, curated content included (issue 17)."""


def item_label(item: PreviewItem) -> Text:
    """`new      TEMPLATE  llama3.1:8b template` with the status coloured; names (from the
    hosts) terminal-safe."""
    status_styles = {"new": "bold green", "present": "dim", "repeated": "dim"}
    label = Text(f"{item.status:<9}", style=status_styles.get(item.status, ""))
    label.append(f"{item.candidate.element.kind.value:<11}", style="bold")
    label.append(terminal_text(item.candidate.name))
    if item.status == "present" and item.existing_name:
        label.append(f"  (in the library as {terminal_text(item.existing_name)})", style="dim")
    elif item.status == "repeated":
        label.append("  (same as another model's)", style="dim")
    # One line per element, cut with an ellipsis when the list is narrower than the line.
    label.no_wrap = True
    label.overflow = "ellipsis"
    return label


class ExtractDialog(ModalScreen[ExtractChoice | None]):
    """Lists every extracted element; new ones are ticked; Space toggles, ctrl+s saves."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("extract-dialog"))

    def __init__(self, preview: ImportPreview) -> None:
        super().__init__()
        self.preview = preview

    def compose(self) -> ComposeResult:
        preview = self.preview
        with Vertical(classes="dialog wide-dialog"):
            yield Static(
                f"Extract into the library: {preview.new_count} new, "
                f"{preview.present_count} already there (their model and digest are recorded)",
                classes="dialog-title",
            )
            with Horizontal(id="extract-body"):
                yield MarkedSelectionList[int](
                    *(
                        Selection(item_label(item), index, item.status == "new")
                        for index, item in enumerate(preview.items)
                    ),
                    id="extract-items",
                )
                yield Static("", id="extract-preview")
            yield Input(
                placeholder="tags to add, comma-separated (e.g. use_case:code, favourite)",
                id="extract-tags",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()
        if self.preview.items:
            self._show_preview(0)

    def _show_preview(self, index: int) -> None:
        item = self.preview.items[index]
        text = item.candidate.element.plain_text()
        if len(text) > PREVIEW_CHARACTERS:
            text = (
                text[:PREVIEW_CHARACTERS] + f"\n… {len(text) - PREVIEW_CHARACTERS} more characters"
            )
        provenance = item.candidate.provenance
        heading = Text(terminal_text(item.candidate.name), style="bold")
        if provenance is not None:
            source = terminal_text(f"from {provenance.model} on {provenance.host}")
            heading.append("\n" + source, style="dim")
        body = terminal_text(text, lines="keep") or "(empty)"
        self.query_one("#extract-preview", Static).update(Text.assemble(heading, "\n\n", body))

    @on(SelectionList.SelectionHighlighted)
    def _highlighted(self, event: SelectionList.SelectionHighlighted[int]) -> None:
        self._show_preview(event.selection.value)

    @property
    def chosen(self) -> tuple[NewElement, ...]:
        """The ticked candidates, in preview order."""
        ticked = set(self.query_one(SelectionList).selected)
        return tuple(
            item.candidate for index, item in enumerate(self.preview.items) if index in ticked
        )

    def action_save(self) -> None:
        """Save the ticked elements with the tags typed."""
        chosen = self.chosen
        if not chosen and not self.seen_elsewhere(chosen):
            self.notify(
                "Nothing is ticked: tick elements with Space, or Esc to cancel.", severity="warning"
            )
            return
        self.dismiss(
            ExtractChoice(
                chosen,
                parse_tags(self.query_one("#extract-tags", Input).value),
                self.seen_elsewhere(chosen),
            )
        )

    def seen_elsewhere(self, chosen: tuple[NewElement, ...]) -> tuple[NewElement, ...]:
        """The unticked candidates whose content is stored after saving `chosen`: those
        already in the library, and repeats of content that is there or being saved."""
        stored = {candidate.element.content_hash for candidate in chosen} | {
            item.candidate.element.content_hash
            for item in self.preview.items
            if item.status == "present"
        }
        picked = {id(candidate) for candidate in chosen}
        return tuple(
            item.candidate
            for item in self.preview.items
            if id(item.candidate) not in picked
            and item.candidate.provenance is not None
            and item.candidate.element.content_hash in stored
        )

    def action_cancel(self) -> None:
        """Close without saving anything."""
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
