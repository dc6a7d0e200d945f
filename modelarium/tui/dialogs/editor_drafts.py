"""Drafts: resume or discard the autosaved texts of the editor and the wizard.

A draft resumes where it was written: an editor draft in the editor (the dialog dismisses with
its id and text), a wizard draft in the wizard at its saved step (the dialog asks the app with
`OpenWizard(draft=...)` and dismisses with None, so the editor's buffer is left alone).

Opened only by the user (the drafts key, or `d` in the Library); drafts left by an earlier
session are announced by a notice, never by this dialog. Discarding takes Del, never a letter:
a letter typed for other work must not lose a draft.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList
from textual.widgets.option_list import Option

from modelarium.store.types import Draft
from modelarium.tui.keys import bindings_for
from modelarium.tui.messages import OpenWizard
from modelarium.tui.state import services_of
from modelarium.tui.wizard_draft import WizardChoices
from modelarium.wording import counted


class DraftsDialog(ModalScreen[tuple[int, str] | None]):
    """Lists drafts, newest first; dismisses with (draft id, text) to resume an editor draft,
    or None (closed, or a wizard draft handed to the wizard)."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("drafts-dialog"))

    class Loaded(Message):
        """Drafts read from the library (or why they could not be)."""

        def __init__(self, drafts: tuple[Draft, ...], error: str | None) -> None:
            super().__init__()
            self.drafts = drafts
            self.error = error

    def __init__(self, title: str = "Autosaved drafts, newest first") -> None:
        super().__init__(classes="editor-dialog")
        self._title = title
        self.drafts: tuple[Draft, ...] = ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-body"):
            yield Label(self._title, classes="dialog-title", markup=False)
            yield OptionList(id="drafts-list")
            yield Label("Loading…", id="drafts-status", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Resume (Enter)", variant="primary", id="drafts-resume")
                yield Button("Discard (Del)", variant="warning", id="drafts-discard")
                yield Button("Close (Esc)", id="drafts-close")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#drafts-list", OptionList))
        self._load()

    @work(thread=True, exclusive=True, group="drafts", exit_on_error=False)
    def _load(self) -> None:
        try:
            drafts = services_of(self).library.get().list_drafts()
        except Exception as error:  # shown in the dialog
            self.post_message(self.Loaded((), f"Drafts cannot be read: {error}"))
            return
        self.post_message(self.Loaded(tuple(drafts), None))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.drafts = tuple(sorted(event.drafts, key=lambda draft: draft.updated_at, reverse=True))
        listing = self.query_one("#drafts-list", OptionList)
        listing.clear_options()
        listing.add_options(
            Option(Text(draft_label(draft)), id=str(draft.id)) for draft in self.drafts
        )
        status = event.error or (counted(len(self.drafts), "draft") if self.drafts else "No drafts")
        self.query_one("#drafts-status", Label).update(status)
        if self.drafts:
            listing.highlighted = 0

    def _current(self) -> Draft | None:
        index = self.query_one("#drafts-list", OptionList).highlighted
        return self.drafts[index] if index is not None and index < len(self.drafts) else None

    @on(OptionList.OptionSelected, "#drafts-list")
    @on(Button.Pressed, "#drafts-resume")
    def action_resume(self) -> None:
        """Resume the highlighted draft: in the wizard when the wizard wrote it, else in the
        editor."""
        draft = self._current()
        if draft is None:
            return
        if WizardChoices.from_origin(draft.origin) is not None:
            self.app.post_message(OpenWizard(draft=draft))
            self.dismiss(None)
            return
        self.dismiss((draft.id, draft.text))

    @on(Button.Pressed, "#drafts-discard")
    def action_discard(self) -> None:
        """Discard the highlighted draft."""
        draft = self._current()
        if draft is not None:
            self._discard(draft.id)

    @work(thread=True, exclusive=True, group="drafts", exit_on_error=False)
    def _discard(self, draft_id: int) -> None:
        try:
            library = services_of(self).library.get()
            library.discard_draft(draft_id)
            drafts = library.list_drafts()
        except Exception as error:  # shown in the dialog
            self.post_message(self.Loaded(self.drafts, f"Not discarded: {error}"))
            return
        self.post_message(self.Loaded(tuple(drafts), None))

    @on(Button.Pressed, "#drafts-close")
    def action_cancel(self) -> None:
        """Close without resuming."""
        self.dismiss(None)


def draft_label(draft: Draft) -> str:
    """`name · origin · updated 2026-11-24 21:40 · 12 lines`; a wizard draft's origin reads as
    its base, use case and step, never as the JSON it is stored as."""
    lines = draft.text.count("\n") + (0 if draft.text.endswith("\n") or not draft.text else 1)
    when = draft.updated_at.strftime("%Y-%m-%d %H:%M:%S")
    choices = WizardChoices.from_origin(draft.origin)
    if choices is not None:
        origin = f" · {choices.summary()}"
    else:
        origin = f" · {draft.origin}" if draft.origin and draft.origin != draft.name else ""
    return f"{draft.name}{origin} · saved {when} · {lines} lines"
