"""Import dialog: a pasted Modelfile is parsed and previewed before it goes anywhere."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, ListItem, ListView

from modelarium.modelfile import Element, elements_from_commands, scan
from modelarium.terminal_text import terminal_text
from modelarium.tui.clipboard import looks_binary
from modelarium.tui.dialogs.style import framed_dialog_css
from modelarium.tui.keys import bindings_for, shown_key
from modelarium.tui.messages import LibraryChanged, OpenInEditor
from modelarium.tui.widgets.element_text import element_summary
from modelarium.tui.widgets.text_area import ModelfileTextArea
from modelarium.wording import counted

IMPORT_TITLE = "Import a Modelfile: paste it here (terminal paste), check the preview"
"""One line from 80 columns up (it was cut at 100: "... (your terminal's paste), check the")."""
IMPORT_MIN_WIDTH = 76
"""Cells the dialog keeps on a narrow terminal: its three buttons side by side, whole."""


class ImportDialog(ModalScreen[str | None]):
    """Shows the pasted text (paste more into it), its elements and any parse error.

    Dismisses with the text to open in the editor, or None.
    """

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("import-dialog"))
    DEFAULT_CSS = (
        framed_dialog_css("ImportDialog", min_width=IMPORT_MIN_WIDTH)
        + """
    ImportDialog > .dialog-body { height: 90%; }
    ImportDialog #import-body { height: 1fr; }
    ImportDialog #import-text { width: 1fr; }
    ImportDialog #import-side { width: 40; }
    ImportDialog #import-elements { height: 1fr; }
    ImportDialog #import-status { width: 1fr; }
    """
    )

    def __init__(self, text: str) -> None:
        super().__init__(classes="editor-dialog import-dialog")
        self._initial_text = text
        self.elements: tuple[Element, ...] = ()
        """The elements the preview shows."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-body"):
            yield Label(IMPORT_TITLE, classes="dialog-title")
            with Horizontal(id="import-body"):
                yield ModelfileTextArea(self._initial_text, id="import-text")
                with Vertical(id="import-side"):
                    yield Label("Elements", classes="editor-side-title")
                    yield ListView(id="import-elements")
                    yield Label("", id="import-status", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    f"Open in editor ({shown_key('import-dialog', 'accept')})",
                    variant="primary",
                    id="import-open",
                )
                yield Button(
                    f"Save to library ({shown_key('import-dialog', 'save_to_library')})",
                    id="import-save",
                )
                yield Button("Cancel (Esc)", id="import-cancel")

    def on_mount(self) -> None:
        area = self.query_one("#import-text", ModelfileTextArea)
        if self.app.is_headless:
            area.cursor_blink = False
        self.set_focus(area)
        self._preview()

    @on(ModelfileTextArea.Changed, "#import-text")
    def _changed(self, event: ModelfileTextArea.Changed) -> None:
        event.stop()
        self._preview()

    def _preview(self) -> None:
        text = self.query_one("#import-text", ModelfileTextArea).text
        outcome = scan(text)
        elements = elements_from_commands([parsed.command for parsed in outcome.commands])
        view = self.query_one("#import-elements", ListView)
        view.clear()
        view.extend(ListItem(Label(element_summary(e), markup=False)) for e in elements)
        status = self.query_one("#import-status", Label)
        if not text.strip():
            status.update(terminal_text("Nothing pasted yet"))
        elif outcome.error is not None:
            status.update(terminal_text(f"Does not parse: {outcome.error}"))
        else:
            status.update(terminal_text(f"Parses: {counted(len(elements), 'element')}"))
        self.elements = tuple(elements)

    @on(Button.Pressed, "#import-open")
    def action_accept(self) -> None:
        """Open the (possibly edited) text in the editor."""
        text = self.query_one("#import-text", ModelfileTextArea).text
        if not text.strip():
            self.notify("Nothing to import yet: paste a Modelfile first", severity="warning")
            return
        self.dismiss(text)

    @on(Button.Pressed, "#import-save")
    def action_save_to_library(self) -> None:
        """Preview and save the parsed elements to the library (the editor is not touched)."""
        # Deferred (start-up): loaded on first use, not with the pane.
        from modelarium.tui.dialogs.editor_save import SaveResult, SaveToLibraryDialog

        text = self.query_one("#import-text", ModelfileTextArea).text
        if not self.elements:
            self.notify("Nothing to save: no element parses yet", severity="warning")
            return
        outcome_error = scan(text).error

        def saved(result: SaveResult | None) -> None:
            if result is not None:
                self.notify(result.summary)
                self.post_message(LibraryChanged(result.summary))
                self.dismiss(None)

        self.app.push_screen(
            SaveToLibraryDialog(
                tuple(self.elements),
                text,
                default_name="imported",
                parse_error=str(outcome_error) if outcome_error else None,
            ),
            saved,
        )

    @on(Button.Pressed, "#import-cancel")
    def action_cancel(self) -> None:
        """Close; nothing is changed."""
        self.dismiss(None)


def import_pasted_text(app: App[Any], text: str) -> None:
    """Preview a bracketed paste in the import dialog; "open" sends it to the editor.

    Binary data is refused with a message. Any pane (or the app, for pastes nobody else
    takes) can hand a paste here.
    """
    if looks_binary(text):
        app.notify(
            "The pasted data is not text (binary or control characters); nothing was imported",
            severity="error",
        )
        return

    def chosen(result: str | None) -> None:
        if result is not None:
            app.post_message(OpenInEditor(text=result, origin="pasted Modelfile"))

    app.push_screen(ImportDialog(text), chosen)
