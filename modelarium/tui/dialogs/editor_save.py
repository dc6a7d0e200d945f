"""Save the editor's Modelfile to the library: preview what is new or present, then save.

The preview comes from `Library.preview_import` (nothing is written); the user picks the
elements to keep, names them and adds tags; the save runs in a thread worker. The name box has
the focus first (a name typed at once lands there); Enter in the name or tags box, or ctrl+s
anywhere in the dialog, saves; Esc cancels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, SelectionList

from modelarium.modelfile import Element
from modelarium.store.candidates import library_candidates
from modelarium.store.tags import parse_tags
from modelarium.store.types import ImportPreview, NewElement, Tag
from modelarium.terminal_text import terminal_text
from modelarium.tui.keys import bindings_for, shown_key
from modelarium.tui.state import services_of
from modelarium.tui.widgets.element_text import element_summary
from modelarium.tui.widgets.marks import MarkedCheckbox, MarkedSelectionList
from modelarium.wording import counted


def default_save_name(own: str, base: str) -> str:
    """The name the save dialog offers: the draft's own name when it has one, else one derived
    from the FROM base that is not the base itself (the wizard's `suggested_name`, use case
    "custom": `qwen2.5-coder-custom:7b` for `qwen2.5-coder:7b`); saving under the base's own
    name would read as the base model. A file base (`./model.gguf`) gives `model-custom`."""
    if own.strip():
        return own.strip()
    base = base.strip()
    if not base:
        return ""
    # Deferred (start-up): loaded on first use, not with the dialog.
    from pathlib import PurePath

    from modelarium.model_names import suggested_name
    from modelarium.modelfile import from_base

    if from_base(base).model is None:
        stem = PurePath(base.replace("\\", "/")).stem
        return f"{stem or 'model'}-custom"
    return suggested_name(base, "custom")


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What the dialog saved."""

    summary: str
    """One line for a notification."""
    modelfile_saved: bool
    """True when the whole Modelfile was stored (the editor's draft is then redundant)."""


class SaveToLibraryDialog(ModalScreen[SaveResult | None]):
    """Dismisses with what was saved, or None."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("save-dialog"))

    class Previewed(Message):
        """The store's view of the candidates (or why it has none)."""

        def __init__(self, preview: ImportPreview | None, error: str | None) -> None:
            super().__init__()
            self.preview = preview
            self.error = error

    def __init__(
        self,
        elements: tuple[Element, ...],
        text: str,
        *,
        default_name: str,
        parse_error: str | None,
    ) -> None:
        super().__init__(classes="editor-dialog save-dialog")
        self._elements = elements
        self._text = text
        self._default_name = default_name or "untitled"
        self._parse_error = parse_error
        self.preview: ImportPreview | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-body"):
            yield Label("Save to the library", classes="dialog-title")
            if self._parse_error:
                yield Label(
                    f"Only the part before the parse error is offered: {self._parse_error}",
                    classes="dialog-problem",
                    markup=False,
                )
            with Horizontal(classes="save-fields"):
                yield Input(self._default_name, placeholder="name", id="save-name")
                yield Input("", placeholder="tags: family:qwen use_case:code …", id="save-tags")
            yield MarkedSelectionList[int](
                *[
                    (Text(element_summary(e)), index, True)
                    for index, e in enumerate(self._elements)
                ],
                id="save-elements",
            )
            yield MarkedCheckbox(
                "Also save the whole Modelfile under this name", True, id="save-modelfile"
            )
            yield Label("Checking the library…", id="save-status", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    f"Save ({shown_key('save-dialog', 'save')} / Enter)",
                    variant="primary",
                    id="save-go",
                )
                yield Button("Cancel (Esc)", id="save-cancel")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#save-name", Input))
        self._preview(library_candidates(self._elements, self._default_name))

    @work(thread=True, exclusive=True, group="save-preview", exit_on_error=False)
    def _preview(self, candidates: tuple[NewElement, ...]) -> None:
        try:
            preview = services_of(self).library.get().preview_import(candidates)
        except Exception as error:  # LibraryUnavailable and store errors: one line each
            self.post_message(self.Previewed(None, str(error)))
            return
        self.post_message(self.Previewed(preview, None))

    @on(Previewed)
    def _previewed(self, event: Previewed) -> None:
        status = self.query_one("#save-status", Label)
        if event.preview is None:
            status.update(terminal_text(f"Cannot save: {event.error}"))
            self.query_one("#save-go", Button).disabled = True
            return
        self.preview = event.preview
        selection: SelectionList[int] = self.query_one("#save-elements", SelectionList)
        selection.clear_options()
        for index, (element, item) in enumerate(
            zip(self._elements, event.preview.items, strict=False)
        ):
            marker = {
                "new": "new",
                "present": f"present as {item.existing_name}",
                "repeated": "repeated",
            }[item.status]
            prompt = Text(f"[{marker}] {element_summary(element)}")  # plain text, not markup
            selection.add_option((prompt, index, item.status == "new"))
        status.update(
            f"{event.preview.new_count} new, {event.preview.present_count} already in the library"
        )

    @on(Input.Submitted)
    @on(Button.Pressed, "#save-go")
    def action_save(self) -> None:
        """Save the ticked elements (and the whole Modelfile when ticked) under the name."""
        if self.query_one("#save-go", Button).disabled:
            return  # the library cannot be used, or a save is already under way
        chosen: list[int] = list(self.query_one("#save-elements", SelectionList).selected)
        name = self.query_one("#save-name", Input).value.strip() or self._default_name
        tags = parse_tags(self.query_one("#save-tags", Input).value)
        whole = self.query_one("#save-modelfile", Checkbox).value
        if not chosen and not whole:
            self.query_one("#save-status", Label).update("Nothing chosen to save")
            return
        self.query_one("#save-go", Button).disabled = True
        self._save(name, tags, tuple(sorted(chosen)), whole)

    @work(thread=True, exclusive=True, group="save-write", exit_on_error=False)
    def _save(self, name: str, tags: tuple[Tag, ...], chosen: tuple[int, ...], whole: bool) -> None:
        candidates = library_candidates(self._elements, name, tags=tags)
        try:
            library = services_of(self).library.get()
            added = library.add_elements(tuple(candidates[index] for index in chosen))
            if whole:
                library.save_modelfile(name, self._elements)
        except Exception as error:  # the store's message names what failed
            self.app.call_from_thread(self._failed, str(error))
            return
        parts = [counted(len(added), "element")] + ([f"Modelfile {name}"] if whole else [])
        summary = "Saved " + " and ".join(parts) + " to the library"
        self.app.call_from_thread(self.dismiss, SaveResult(summary, whole))

    def _failed(self, reason: str) -> None:
        self.query_one("#save-status", Label).update(terminal_text(f"Not saved: {reason}"))
        self.query_one("#save-go", Button).disabled = False

    @on(Button.Pressed, "#save-cancel")
    def action_cancel(self) -> None:
        """Close; nothing is saved."""
        self.dismiss(None)
