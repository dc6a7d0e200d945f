"""`EditorPane`: the Modelfile editor with live elements, lint, drafts, files and create.

Data flow: the TextArea's `Changed` restarts a short debounce; the analysis (parse, lint,
elements) runs in a thread worker and comes back as `AnalysisReady`, whose handler updates
the side panel. Drafts are throttled, not debounced, so a draft is at most
`DRAFT_INTERVAL` (plus the save itself) behind the editor even while typing continuously.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Label, ListItem, ListView, Static

from modelarium.modelfile import Element, ElementKind, ModelFacts, scan_cached
from modelarium.modelfile.document import split_bom
from modelarium.modelfile.model_facts import family_of
from modelarium.ollama.types import HostStatus
from modelarium.tui.clipboard import clipboard_for, looks_binary
from modelarium.tui.editor.analysis import Analysis, ProblemRow, analyse, from_values
from modelarium.tui.editor.completion import CompletionList
from modelarium.tui.editor.compose import FROM_KEYWORD, add_elements_to_text
from modelarium.tui.editor.files import FileProblem, read_modelfile, write_atomically
from modelarium.tui.editor.model_check import (
    ComposedElement,
    ModelAwareness,
    ModelFactsReady,
    with_model_problems,
)
from modelarium.tui.editor.prompt_preview import FromModel, PromptPreview
from modelarium.tui.editor.status import TextTitle
from modelarium.tui.keys import bindings_for, shown_key
from modelarium.tui.messages import (
    DeliverAddElements,
    DeliverHostsChanged,
    DeliverOpenInEditor,
    LibraryChanged,
    ShowPane,
)
from modelarium.tui.state import InstalledModels, LibraryUnavailable, services_of
from modelarium.tui.widgets.element_text import element_summary, text_for_elements
from modelarium.tui.widgets.text_area import MAX_EDITOR_BYTES, ModelfileTextArea
from modelarium.wording import counted

ANALYSIS_DELAY = 0.15
"""Seconds of quiet typing before the text is parsed and linted again."""
DRAFT_INTERVAL = 1.0
"""Seconds between the first unsaved change and its draft save (keeps drafts ≤ 2 s behind)."""

NARROW_EDITOR = 120
"""Below this width (cells) the side panels narrow, and make way for the prompt preview or the
parameter form, so that the text keeps the larger share."""


@dataclass(frozen=True, slots=True)
class DraftInfo:
    """The draft the editor writes to."""

    draft_id: int
    saved_at: datetime
    """When it was saved, on the app's clock (`Services.clock`)."""


class ElementItem(ListItem):
    """One element in the side panel."""

    def __init__(self, element: Element) -> None:
        super().__init__(Label(element_summary(element), markup=False))
        self.element = element


class ProblemItem(ListItem):
    """One lint diagnostic or parse error in the problems list."""

    def __init__(self, problem: ProblemRow) -> None:
        super().__init__(Label(problem.label, markup=False, classes=f"problem-{problem.severity}"))
        self.problem = problem


class EditorPane(Vertical):
    """The Modelfile editor pane."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("editor"))

    class AnalysisReady(Message):
        """A background analysis finished."""

        def __init__(
            self, analysis: Analysis, loaded_from: tuple[int, tuple[str, ...] | None] | None
        ) -> None:
            super().__init__()
            self.analysis = analysis
            self.loaded_from = loaded_from
            """(document, FROM values of that document's text as loaded), when asked for."""

    class DraftSaved(Message):
        """A draft save finished (ok) or failed (error is the one-line reason)."""

        def __init__(
            self, draft_id: int | None, error: str | None, text: str, document: int
        ) -> None:
            super().__init__()
            self.document = document
            """Which loaded document the draft belongs to (see `EditorPane.load_text`)."""
            self.draft_id = draft_id
            self.error = error
            self.text = text

    def __init__(self, *, id: str | None = "editor") -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.analysis: Analysis | None = None
        """The newest analysis of the text (elements, problems)."""
        self.current_path: Path | None = None
        """The file the text was opened from or exported to."""
        self.model_name: str | None = None
        """Default model name for "create model" (the model the text came from)."""
        self.origin: str = ""
        """Where the text came from, shown in the status line."""
        self.title = TextTitle()
        """The status line's title for the text: the origin, marked once the FROM leaves it."""
        self._loaded_text: str | None = ""
        """The text as loaded, until the analysis worker has found its FROM values."""
        self.hosts: tuple[HostStatus, ...] = ()
        """Configured hosts and their health, from `HostsChanged`."""
        self.draft: DraftInfo | None = None
        self.draft_error: str | None = None
        self._draft_saved_text: str = ""
        self._generation = 0
        self._analysis_timer: Timer | None = None
        self._draft_timer: Timer | None = None
        self._document = 0
        """Counts loaded documents, so a late draft result cannot attach to a newer one."""
        self.model_check = ModelAwareness()
        """The FROM model's facts on the selected host, for the model-aware rules."""
        self._status = ""
        """The status line shown."""

    def compose(self) -> ComposeResult:
        text_area = ModelfileTextArea(id="editor-text")
        with Horizontal(id="editor-body"):
            yield text_area
            with Vertical(id="editor-side"):
                yield Label("Elements", classes="editor-side-title")
                yield ListView(id="editor-elements")
                yield Label("Problems", classes="editor-side-title")
                yield ListView(id="editor-problems")
            yield PromptPreview(lambda: self.text, self._from_model, id="editor-prompt")
        yield Static("", id="editor-status", markup=False)
        yield CompletionList(text_area, id="editor-completion")

    @property
    def text_area(self) -> ModelfileTextArea:
        """The editing widget."""
        return self.query_one("#editor-text", ModelfileTextArea)

    @property
    def text(self) -> str:
        """The Modelfile text being edited."""
        return self.text_area.text

    def on_mount(self) -> None:
        if not self.app.is_running:
            return  # mounted as the app closes: its children never arrive, nothing to set up
        switcher = self.parent
        if isinstance(switcher, ContentSwitcher) and switcher.current != self.id:
            self.display = False  # mounted into the switcher later than its other panes
        if self.app.is_headless:
            self.text_area.cursor_blink = False
        known_health = getattr(self.app, "host_health", ())
        if isinstance(known_health, tuple):  # health broadcast before this pane was mounted
            self.hosts = tuple(host for host in known_health if isinstance(host, HostStatus))
        self._schedule_analysis(0.0)
        self._update_status()

    # ---- text changes: analysis and drafts -------------------------------------------------

    @on(ModelfileTextArea.Changed, "#editor-text")
    def _text_changed(self, event: ModelfileTextArea.Changed) -> None:
        event.stop()
        self._generation += 1
        self._schedule_analysis(ANALYSIS_DELAY)
        self._schedule_draft()
        self._update_status()
        self.query_one(PromptPreview).source_changed()

    def _schedule_analysis(self, delay: float) -> None:
        if self._analysis_timer is not None:
            self._analysis_timer.stop()
        self._analysis_timer = self.set_timer(max(delay, 0.01), self._start_analysis)

    def _start_analysis(self) -> None:
        self._analysis_timer = None
        facts = self.model_check.facts
        composed = tuple(self.model_check.composed)
        loaded = None if self.title.known else self._loaded_text
        self._analyse(
            self.text,
            self._generation,
            self._directory(),
            facts,
            composed,
            self.model_name,
            (self._document, loaded),
        )

    def _directory(self) -> Path | None:
        return self.current_path.parent if self.current_path is not None else None

    @work(thread=True, exclusive=True, group="editor-analysis", exit_on_error=False)
    def _analyse(
        self,
        text: str,
        generation: int,
        directory: Path | None,
        facts: ModelFacts | None = None,
        composed: tuple[ComposedElement, ...] = (),
        opened_from: str | None = None,
        loaded: tuple[int, str | None] = (0, None),
    ) -> None:
        """Analyse `text` (with the model-aware rules when `facts` are known; `opened_from`:
        the model whose own Modelfile the text was opened as) and, while the title's baseline
        is unknown, the FROM values of document `loaded[0]`'s text as loaded (`loaded[1]`)."""
        analysis = with_model_problems(
            analyse(text, generation, directory), text, facts, composed, opened_from
        )
        document, loaded_text = loaded
        baseline = None
        if loaded_text is not None:
            values = (
                analysis.from_values
                if loaded_text == text
                else from_values(scan_cached(split_bom(loaded_text)[1]))
            )
            baseline = (document, values)
        self.post_message(self.AnalysisReady(analysis, baseline))

    @on(AnalysisReady)
    def _analysis_ready(self, event: AnalysisReady) -> None:
        event.stop()
        analysis = event.analysis
        if event.loaded_from is not None and event.loaded_from[0] == self._document:
            self.title.baseline(event.loaded_from[1])
            self._loaded_text = None
        if analysis.generation != self._generation:
            return  # the text changed since: its own analysis follows
        self.title.judge(analysis.from_values)
        previous, self.analysis = self.analysis, analysis
        self.text_area.set_diagnostic_lines(analysis.error_rows, analysis.warning_rows)
        # Lists are rebuilt only when they changed (mounting rows is the costly part).
        if previous is None or previous.elements != analysis.elements:
            elements_view = self.query_one("#editor-elements", ListView)
            elements_view.clear()
            elements_view.extend(ElementItem(element) for element in analysis.elements)
        if previous is None or previous.problems != analysis.problems:
            problems_view = self.query_one("#editor-problems", ListView)
            problems_view.clear()
            problems_view.extend(ProblemItem(problem) for problem in analysis.problems)
        self._update_status()
        self.model_check.want(self, analysis.from_model, self.hosts)

    @on(ModelFactsReady)
    def _model_facts_ready(self, message: ModelFactsReady) -> None:
        """The FROM model's facts arrived: analyse again with the model-aware rules."""
        message.stop()
        if self.model_check.accept(message):
            self._schedule_analysis(0.0)
        self._update_status()
        self.query_one(PromptPreview).source_changed()  # a Modelfile without TEMPLATE uses it

    def _from_model(self) -> FromModel:
        """What the model-aware check knows of the FROM model (the prompt preview's base)."""
        return FromModel(self.model_check.facts, self.model_check.note)

    def _schedule_draft(self) -> None:
        if self._draft_timer is None:
            self._draft_timer = self.set_timer(DRAFT_INTERVAL, self.flush_draft)

    def flush_draft(self) -> bool:
        """Save the current text as the draft now (in a thread worker) if it changed.

        Returns True when the text is (being) kept as a draft.
        """
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        text = self.text
        if text == self._draft_saved_text:
            return self.draft is not None
        self._save_draft(
            text,
            self.draft.draft_id if self.draft else None,
            self._draft_title(),
            self._document,
        )
        return True

    def _draft_title(self) -> str:
        if self.current_path is not None:
            return self.current_path.name
        if self.origin and not self.origin.startswith("draft #"):
            return self.title.shown
        if self.model_name:
            return self.model_name
        first = next(
            (line.strip() for line in self.text.splitlines() if line.strip()[:1] not in ("", "#")),
            "",
        )
        return (first[:48] + "…" if len(first) > 48 else first) or "untitled"

    @work(thread=True, group="editor-draft", exit_on_error=False)
    def _save_draft(self, text: str, draft_id: int | None, title: str, document: int) -> None:
        try:
            library = services_of(self).library.get()
            draft = library.save_draft(text, draft_id=draft_id, name=title, origin=title)
        except LibraryUnavailable as error:
            self.post_message(self.DraftSaved(None, str(error), text, document))
            return
        except Exception as error:  # the store's own errors carry a clear message
            self.post_message(self.DraftSaved(None, f"Draft not saved: {error}", text, document))
            return
        self.post_message(self.DraftSaved(draft.id, None, text, document))

    @on(DraftSaved)
    def _draft_saved(self, event: DraftSaved) -> None:
        event.stop()
        if event.document != self._document:
            return  # the draft of a document that has since been replaced
        if event.draft_id is None:
            if event.error != self.draft_error:
                self.notify(event.error or "Draft not saved", severity="warning")
            self.draft_error = event.error
        else:
            self.draft = DraftInfo(event.draft_id, services_of(self).clock())
            self.draft_error = None
            self._draft_saved_text = event.text
        self._update_status()

    def _update_status(self) -> None:
        parts: list[str] = []
        parts.append(str(self.current_path) if self.current_path else self.title.shown)
        analysis = self.analysis
        if analysis is not None:
            severities = [problem.severity for problem in analysis.problems]
            infos = severities.count("info")
            counts = f"{counted(severities.count('error'), 'error')}, " + counted(
                severities.count("warning"), "warning"
            )
            # Infos are advice, not warnings: named only when there are some.
            counts += f", {counted(infos, 'info')}" if infos else ""
            parts.append(counted(len(analysis.elements), "element"))
            # A blank text is left quiet (no problem rows yet), but it is not "clean": lint
            # and Ollama refuse it (MF009, no FROM line), exactly as text without a FROM.
            parts.append(
                counts
                if analysis.problems
                else "lint clean"
                if analysis.elements
                else "empty: needs FROM <model>"
            )
        if self.model_check.note:
            parts.append(f"model rules off: {self.model_check.note}")
        if self.draft_error:
            parts.append("draft: not saved")
        elif self.draft is not None:
            parts.append("draft saved " + self.draft.saved_at.astimezone().strftime("%H:%M:%S"))
        status = "  ·  ".join(parts)
        if status != self._status:  # an update lays the screen out again: only on a change
            self._status = status
            self.query_one("#editor-status", Static).update(status)

    # ---- loading text ----------------------------------------------------------------------

    def load_text(
        self,
        text: str,
        *,
        origin: str = "",
        path: Path | None = None,
        model_name: str | None = None,
    ) -> None:
        """Replace the buffer with `text` (the previous text is kept as a draft first).

        When drafts cannot be saved (the library is unavailable) and the current text is not
        in a file, the user is asked first, so the text is never dropped silently.
        """
        unsaved = self.text.strip() and self.text != self._draft_saved_text
        if self.draft_error is not None and unsaved and self.text != text:
            # Deferred (start-up): loaded on first use, not with the pane.
            from modelarium.tui.editor.file_dialogs import ConfirmDiscard

            def answered(replace: bool | None) -> None:
                if replace:
                    self._replace_text(text, origin=origin, path=path, model_name=model_name)

            self.app.push_screen(ConfirmDiscard(self.draft_error), answered)
            return
        self._replace_text(text, origin=origin, path=path, model_name=model_name)

    def _replace_text(
        self, text: str, *, origin: str, path: Path | None, model_name: str | None
    ) -> None:
        previous = self.text
        kept = self.flush_draft()
        if kept and previous.strip() and previous != text:
            self.notify(
                "The previous text is kept as a draft "
                f"({shown_key('app', 'show_drafts')} to resume it)"
            )
        self._document += 1
        self.draft = None
        self._draft_saved_text = ""
        self.current_path = path
        self.origin = origin
        self.title = TextTitle(origin)
        self._loaded_text = text
        self.model_name = model_name
        self.model_check.forget()
        self.text_area.load_text(text)
        self.text_area.move_cursor((0, 0))
        self._generation += 1
        self._schedule_analysis(0.0)
        self._schedule_draft()
        self._update_status()

    @on(DeliverOpenInEditor)
    def _open_in_editor(self, delivery: DeliverOpenInEditor) -> None:
        message = delivery.request
        if message.text is not None:
            text = message.text
        else:
            try:
                text = text_for_elements(message.elements)
            except ValueError as error:
                self.notify(
                    f"Cannot open {message.origin or 'elements'}: {error}", severity="error"
                )
                return
        self.load_text(text, origin=message.origin, model_name=message.model_name)
        self.text_area.focus()

    @on(DeliverAddElements)
    def _add_elements(self, delivery: DeliverAddElements) -> None:
        message = delivery.request
        installed = self._installed_models()
        made_for = _models_named(installed, message.tags)
        base = made_for[0] if len(made_for) == 1 else ""
        try:
            composed = add_elements_to_text(self.text, message.elements, base=base)
        except ValueError as error:
            self.notify(f"Cannot add {message.origin or 'elements'}: {error}", severity="error")
            return
        self.model_check.compose(self.text, composed.text, message.family, message.origin)
        self.text_area.replace(composed.text, (0, 0), self.text_area.document.end)
        self.text_area.focus()
        what = message.origin or counted(len(message.elements), "element")
        if composed.from_row is None:
            self.notify(f"Added {what} to the Modelfile")
        elif base:
            self.notify(f"Added {what} FROM {base}, the installed model it was made for")
        else:
            # The Modelfile had no FROM: the cursor waits after `FROM `, with the installed
            # models offered (those the set was made for first, then those of its family).
            self.text_area.move_cursor((composed.from_row, len(FROM_KEYWORD)))
            self.notify(f"Added {what}: name the model to run it on after FROM")
            if installed:
                offered = _offered_bases(installed, made_for, message.family)
                self.call_after_refresh(self._offer_models, offered)

    def _installed_models(self) -> list[str]:
        """Every installed model the app knows of (the Models pane's rows, every host)."""
        app = self.app
        return app.installed_model_names() if isinstance(app, InstalledModels) else []

    def _offer_models(self, names: list[str]) -> None:
        """Open the completion list of model names at the cursor (after a started FROM)."""
        self.query_one("#editor-completion", CompletionList).open(names)

    @on(DeliverHostsChanged)
    def _hosts_changed(self, delivery: DeliverHostsChanged) -> None:
        self.hosts = delivery.request.hosts
        model = self.analysis.from_model if self.analysis is not None else None
        self.model_check.want(self, model, self.hosts, retry=True)

    # ---- side panel ------------------------------------------------------------------------

    @on(ListView.Selected, "#editor-problems")
    def _problem_selected(self, event: ListView.Selected) -> None:
        event.stop()
        if isinstance(event.item, ProblemItem):
            self.jump_to(event.item.problem)

    @on(ListView.Selected, "#editor-elements")
    def _element_selected(self, event: ListView.Selected) -> None:
        event.stop()
        self.action_copy_element()

    def jump_to(self, problem: ProblemRow) -> None:
        """Move the cursor to a problem and focus the editor."""
        area = self.text_area
        row = min(problem.row, area.document.line_count - 1)
        column = min(problem.column, len(area.document.get_line(row)))
        area.move_cursor((row, column), center=True)
        area.focus()

    def action_apply_fix(self) -> None:
        """Apply the suggested fix of the highlighted problem, else of the one at the cursor."""
        problem = self._problem_for_fix()
        if problem is None or problem.fix_replacement is None:
            self.notify("No suggested fix here", severity="warning")
            return
        area = self.text_area
        end = (
            problem.end_row if problem.end_row is not None else problem.row,
            problem.end_column if problem.end_column is not None else problem.column,
        )
        area.replace(problem.fix_replacement, (problem.row, problem.column), end)
        area.focus()
        self.notify(f"Fixed: {problem.fix_description}")

    def _problem_for_fix(self) -> ProblemRow | None:
        problems_view = self.query_one("#editor-problems", ListView)
        item = problems_view.highlighted_child
        if problems_view.has_focus and isinstance(item, ProblemItem):
            return item.problem
        if self.analysis is None:
            return None
        row = self.text_area.cursor_location[0]
        on_row = [
            p for p in self.analysis.problems if p.row == row and p.fix_replacement is not None
        ]
        return on_row[0] if on_row else None

    def action_next_problem(self) -> None:
        """Jump to the first problem after the cursor (wrapping around)."""
        if self.analysis is None or not self.analysis.problems:
            self.notify("No problems")
            return
        cursor = self.text_area.cursor_location
        problems = self.analysis.problems
        following = [p for p in problems if (p.row, p.column) > cursor]
        self.jump_to(following[0] if following else problems[0])

    # ---- clipboard -------------------------------------------------------------------------

    def action_copy_modelfile(self) -> None:
        """Copy the whole Modelfile."""
        clipboard_for(self.app).copy(self.text, "the Modelfile")

    def action_copy_element(self) -> None:
        """Copy the element highlighted in the side panel, as Modelfile text."""
        item = self.query_one("#editor-elements", ListView).highlighted_child
        if not isinstance(item, ElementItem):
            self.notify("No element selected: focus the Elements list first", severity="warning")
            return
        try:
            text = text_for_elements((item.element,))
        except ValueError as error:
            self.notify(f"Cannot copy the element: {error}", severity="error")
            return
        clipboard_for(self.app).copy(text, item.element.kind.value.upper())

    def on_paste(self, event: events.Paste) -> None:
        """A bracketed paste into the side panel (not the text) opens the import dialog."""
        event.stop()
        self.import_pasted(event.text)

    def import_pasted(self, text: str) -> None:
        """Preview pasted text in the import dialog before it reaches the editor or library."""
        # Deferred (start-up): loaded on first use, not with the pane.
        from modelarium.tui.dialogs.import_paste import ImportDialog

        if looks_binary(text):
            self.notify(
                "The pasted data is not text (binary or control characters); nothing was imported",
                severity="error",
            )
            return

        def chosen(result: str | None) -> None:
            if result is not None:
                self.load_text(result, origin="pasted Modelfile")
                self.text_area.focus()

        self.app.push_screen(ImportDialog(text), chosen)

    def action_import_text(self) -> None:
        """Open the import dialog empty; the terminal's paste fills it."""
        self.import_pasted("")

    # ---- files -----------------------------------------------------------------------------

    def action_complete(self) -> None:
        """Open the completion list for the word at the cursor (FROM offers installed models)."""
        model_names = self._installed_models()
        completion_list = self.query_one("#editor-completion", CompletionList)
        if not completion_list.open(sorted(set(model_names))):
            self.notify("Nothing to complete here", timeout=2)

    def action_toggle_prompt_preview(self) -> None:
        """Show or hide the live prompt preview (F12)."""
        self.query_one(PromptPreview).toggle()
        self._arrange()

    def on_resize(self, event: events.Resize) -> None:
        """Narrow the side panels on a narrow terminal (see `NARROW_EDITOR`)."""
        self.set_class(event.size.width < NARROW_EDITOR, "-narrow")
        self._arrange()

    def _arrange(self) -> None:
        """Mark which panels share the row with the text (the stylesheet lays them out); when
        the side panels give way, the focus they held goes back to the text."""
        self.set_class(self.query_one(PromptPreview).shown, "-preview")
        self.set_class(bool(self.query("#editor-parameters")), "-parameters")
        side = self.query_one("#editor-side")
        beside = self.has_class("-preview") or self.has_class("-parameters")
        focused = self.screen.focused
        gave_way = self.has_class("-narrow") and beside
        if gave_way and focused is not None and side in focused.ancestors:
            self.text_area.focus()

    def action_show_effective(self) -> None:
        """Every setting this text would create a model with and where each value comes from,
        over the FROM model's facts when the selected host gave them (F7)."""
        # Deferred (start-up): loaded only when this runs.
        from modelarium.modelfile import effective_settings
        from modelarium.ollama.model_check import from_model
        from modelarium.tui.editor.effective_dialog import (
            EffectiveSettingsDialog,
            effective_heading,
        )

        text = self.text
        model = from_model(text)
        facts = self.model_check.facts_of(model)
        asked = self.model_check.asked
        heading = effective_heading(
            model,
            asked[0] if asked is not None else None,
            facts is not None,
            self.model_check.note,
        )
        self.app.push_screen(EffectiveSettingsDialog(heading, effective_settings(text, facts)))

    def action_new_modelfile(self) -> None:
        """Start an empty Modelfile (the current text stays available as a draft)."""
        self.load_text("", origin="untitled")
        self.text_area.focus()

    def action_open_file(self) -> None:
        """Ask for a path and open it."""
        # Deferred (start-up): loaded on first use, not with the pane.
        from modelarium.tui.editor.file_dialogs import PathDialog

        start = str(self.current_path) if self.current_path else str(Path.cwd()) + "/"

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.open_path(path)

        self.app.push_screen(PathDialog("Open a Modelfile", start, "Open"), chosen)

    def open_path(self, path: Path) -> bool:
        """Open `path` into the editor; a clear message (and no change) when it cannot be."""
        try:
            loaded = read_modelfile(path)
        except FileProblem as problem:
            self.notify(str(problem), severity="error", timeout=10)
            return False
        self.load_text(loaded.text, path=path)
        if loaded.notice:
            self.notify(loaded.notice, severity="warning", timeout=10)
        self.text_area.focus()
        return True

    def action_export_file(self) -> None:
        """Ask for a path and write the Modelfile there (asks before overwriting)."""
        # Deferred (start-up): loaded on first use, not with the pane.
        from modelarium.tui.editor.file_dialogs import ConfirmOverwrite, PathDialog

        start = str(self.current_path) if self.current_path else str(Path.cwd() / "Modelfile")

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            if path.exists():

                def confirmed(overwrite: bool | None) -> None:
                    if overwrite:
                        self.export_to(path)

                self.app.push_screen(ConfirmOverwrite(path), confirmed)
            else:
                self.export_to(path)

        self.app.push_screen(PathDialog("Export the Modelfile", start, "Export"), chosen)

    def export_to(self, path: Path) -> bool:
        """Write the text to `path` atomically; a clear message either way."""
        try:
            write_atomically(path, self.text)
        except FileProblem as problem:
            self.notify(str(problem), severity="error", timeout=10)
            return False
        self.current_path = path
        self.notify(f"Exported to {path}")
        self._retire_draft()
        self._update_status()
        return True

    def _retire_draft(self) -> None:
        """The text is safe elsewhere (a file, the library): its draft is no longer needed.

        The next edit starts a new draft, so unsaved work is always covered.
        """
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        self._document += 1  # a save still in flight must not revive the retired draft
        draft, self.draft = self.draft, None
        self._draft_saved_text = self.text
        if draft is not None:
            self._discard_draft(draft.draft_id)

    @work(thread=True, group="editor-draft", exit_on_error=False)
    def _discard_draft(self, draft_id: int) -> None:
        try:
            services_of(self).library.get().discard_draft(draft_id)
        except Exception:  # an unavailable library has no draft to discard
            return

    # ---- library and create ----------------------------------------------------------------

    def action_save_to_library(self) -> None:
        """Preview the parsed elements, then save the chosen ones (and the Modelfile)."""
        # Deferred (start-up): loaded on first use, not with the pane.
        from modelarium.tui.dialogs.editor_save import (
            SaveResult,
            SaveToLibraryDialog,
            default_save_name,
        )

        analysis = analyse(self.text, self._generation, self._directory())
        if not analysis.elements:
            self.notify("Nothing to save: no element parses yet", severity="warning")
            return

        def saved(result: SaveResult | None) -> None:
            if result is not None:
                self.notify(result.summary)
                self.post_message(LibraryChanged(result.summary))
                if result.modelfile_saved:
                    self._retire_draft()

        self.app.push_screen(
            SaveToLibraryDialog(
                analysis.elements,
                self.text,
                default_name=default_save_name(
                    self.model_name or (self.current_path.name if self.current_path else ""),
                    next((e.value for e in analysis.elements if e.kind is ElementKind.BASE), ""),
                ),
                parse_error=analysis.parse_error,
            ),
            saved,
        )

    def action_create_model(self) -> None:
        """Show the exact /api/create body, then create on the chosen host."""
        # Deferred (start-up): loaded on first use, not with the pane.
        from modelarium.tui.dialogs.editor_create import CreateModelDialog

        self.app.push_screen(
            CreateModelDialog(
                self.text,
                directory=self._directory(),
                hosts=self.hosts,
                # The opened model's name, while the text is still that model: once its FROM
                # names another base, creating under that name would replace the model with a
                # different one, so the user names the new model.
                default_name="" if self.title.departed else self.model_name or "",
            )
        )

    def action_show_drafts(self) -> None:
        """List drafts to resume or discard."""
        # Deferred (start-up): loaded on first use, not with the pane.
        from modelarium.tui.dialogs.editor_drafts import DraftsDialog

        def resumed(choice: tuple[int, str] | None) -> None:
            if choice is not None:
                draft_id, text = choice
                self.load_text(text, origin=f"draft #{draft_id}")
                self.draft = DraftInfo(draft_id, services_of(self).clock())
                self._draft_saved_text = text
                self.post_message(ShowPane("editor"))
                self.text_area.focus()

        self.app.push_screen(DraftsDialog(), resumed)

    async def action_toggle_parameters(self) -> None:
        """Show or hide the parameter form beside the text."""
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.tui.widgets.parameter_form import toggle_parameter_panel

        await toggle_parameter_panel(self.query_one("#editor-body"), self.text_area)
        self._arrange()


def _models_named(installed: list[str], tags: tuple[str, ...]) -> list[str]:
    """The installed models among `tags` (a curated set's tags name the models it was made
    for), by Ollama's name rules (`qwen3` is `qwen3:latest`), each once, in name order."""
    if not tags:
        return []
    # Deferred (start-up): loaded only when elements are added.
    from modelarium.ollama.names import same_model

    return sorted({name for name in installed if any(same_model(name, tag) for tag in tags)})


def _offered_bases(installed: list[str], made_for: list[str], family: str) -> list[str]:
    """Installed models to complete a FROM with: those a set was made for, then those of its
    family (`qwen2.5-coder:7b` for a Qwen set), then the rest, each group in name order."""
    rest = sorted(set(installed) - set(made_for))
    kin = [name for name in rest if family and family_of(model_name=name) == family.lower()]
    return [*made_for, *kin, *(name for name in rest if name not in kin)]


__all__ = ["MAX_EDITOR_BYTES", "EditorPane"]
