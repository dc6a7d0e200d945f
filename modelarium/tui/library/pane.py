"""`LibraryPane`: search-as-you-type over the element library, filters, element view, actions.

Every store call runs in a thread worker and comes back as a message; the handlers own the
pane's state. A library that cannot be opened turns the pane into one clear message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from modelarium.modelfile import ElementKind
from modelarium.store.types import MODELFILE_KIND, SearchHit, StoredElement, Tag
from modelarium.terminal_text import terminal_text
from modelarium.tui.clipboard import clipboard_for
from modelarium.tui.keys import bindings_for, typing_in_text_box
from modelarium.tui.messages import (
    AddElementsToEditor,
    DeliverHostsChanged,
    DeliverLibraryChanged,
    LibraryChanged,
    OpenInEditor,
    ShowRecordsInLibrary,
)
from modelarium.tui.state import LibraryUnavailable, services_of
from modelarium.tui.widgets.element_text import text_for_elements
from modelarium.tui.widgets.text_area import ModelfileTextArea
from modelarium.wording import counted

SEARCH_DELAY = 0.12
"""Seconds of quiet typing before the search runs."""
SEARCH_LIMIT = 200
FILTERS_ON_ONE_ROW = 130
"""Columns from which the search box and the five filter selects share one row: the selects
take 90, leaving the search box 40."""


NOTHING_TO_PREVIEW = "Nothing to preview: no result matches."
"""The element view's text when the search found nothing."""

ANY = "any"
"""The Select value meaning "no filter"."""


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """What to search for: the query text and the chosen filters."""

    query: str
    kind: str
    family: str
    use_case: str
    tag: str
    host: str
    records: tuple[str, ...] | None = None
    """Knowledge record ids ("for this model", from the settings view); None: no such filter."""

    def tags(self) -> tuple[Tag, ...]:
        """The tag filters as store tags."""
        chosen: list[Tag] = []
        if self.family != ANY:
            chosen.append(Tag("family", self.family))
        if self.use_case != ANY:
            chosen.append(Tag("use_case", self.use_case))
        if self.tag != ANY:
            chosen.append(Tag.parse(self.tag))
        return tuple(chosen)


class LibraryPane(Vertical):
    """Search, filter and act on library elements and Modelfiles."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("library"))

    class SearchDone(Message):
        """Results of one search (or why it could not run)."""

        def __init__(self, serial: int, hits: tuple[SearchHit, ...], error: str | None) -> None:
            super().__init__()
            self.serial = serial
            self.hits = hits
            self.error = error

    class ElementLoaded(Message):
        """The full stored element behind a hit."""

        def __init__(
            self, element: StoredElement | None, error: str | None, element_id: int
        ) -> None:
            super().__init__()
            self.element = element
            self.error = error
            self.element_id = element_id

    class FacetsLoaded(Message):
        """Tag values present in the library, per category, for the filter menus."""

        def __init__(self, values: dict[str, tuple[str, ...]]) -> None:
            super().__init__()
            self.values = values

    def __init__(self, *, id: str | None = "library") -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.hits: tuple[SearchHit, ...] = ()
        """The results shown, in order."""
        self._listed = False
        """Whether the first listing has been asked for (when the pane is first shown)."""
        self.selected: StoredElement | None = None
        """The element shown in the element view."""
        self.unavailable: str | None = None
        """Why the library cannot be used, when it cannot."""
        self._serial = 0
        self._asked: SearchRequest | None = None
        """The request of the newest search (serial `_serial`)."""
        self._answered: SearchRequest | None = None
        """The request whose results are shown."""
        self._answered_serial = 0
        self._wanted_element: int | None = None
        self._search_timer: Timer | None = None
        self.for_model: tuple[str, tuple[str, ...]] | None = None
        """"For this model": the model's label and the ids of the records that apply to it."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="library-filters"):
            yield Input(placeholder="Search elements and Modelfiles…", id="library-search")
            yield Select(
                [(kind.value, kind.value) for kind in ElementKind]
                + [("modelfile", MODELFILE_KIND)],
                prompt="kind",
                id="library-kind",
                allow_blank=True,
            )
            yield Select([], prompt="family", id="library-family", allow_blank=True)
            yield Select([], prompt="use case", id="library-use-case", allow_blank=True)
            yield Select([], prompt="tag", id="library-tag", allow_blank=True)
            yield Select([], prompt="host", id="library-host", allow_blank=True)
        with Horizontal(id="library-body"):
            yield OptionList(id="library-results")
            with Vertical(id="library-view"):
                with VerticalScroll(id="library-meta-box"):
                    yield Static("", id="library-meta", markup=False)
                yield ModelfileTextArea(
                    "", id="library-content", read_only=True, show_line_numbers=False
                )
        yield Static("", id="library-message", markup=False)

    def on_resize(self, event: events.Resize) -> None:
        """Below `FILTERS_ON_ONE_ROW` columns the five filters wrap under the search box,
        which then has the whole width (at 100 columns one row left it 4 characters)."""
        self.set_class(event.size.width < FILTERS_ON_ONE_ROW, "-narrow")

    def on_mount(self) -> None:
        if not self.app.is_running:
            return  # mounted as the app closes: its children never arrive, nothing to set up
        switcher = self.parent
        if isinstance(switcher, ContentSwitcher) and switcher.current != self.id:
            self.display = False  # mounted into the switcher later than its other panes
        if self.app.is_headless:
            self.query_one("#library-content", ModelfileTextArea).cursor_blink = False
        self._set_host_options(tuple(host.name for host in services_of(self).hosts))

    def on_show(self) -> None:
        """The first time the pane is shown: list the library and its facets. Not at mount,
        which comes at idle after the start: the store (SQLAlchemy) then loads only for a
        user who opens the Library."""
        if not self._listed:
            self._listed = True
            self.run_search()
            self._load_facets()

    # ---- search ----------------------------------------------------------------------------

    def _request(self) -> SearchRequest:
        def chosen(select_id: str) -> str:
            value = self.query_one(select_id, Select).value
            return value if isinstance(value, str) else ANY

        return SearchRequest(
            query=self.query_one("#library-search", Input).value.strip(),
            kind=chosen("#library-kind"),
            family=chosen("#library-family"),
            use_case=chosen("#library-use-case"),
            tag=chosen("#library-tag"),
            host=chosen("#library-host"),
            records=self.for_model[1] if self.for_model else None,
        )

    @on(Input.Changed, "#library-search")
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self.run_search)

    @on(Input.Submitted, "#library-search")
    def _query_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.run_search()
        self.query_one("#library-results", OptionList).focus()

    @on(Select.Changed)
    def _filter_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.run_search()

    @property
    def results_current(self) -> bool:
        """Whether the results shown answer the query and filters as they are now (no search
        waiting for its delay or its worker)."""
        return (
            self._listed
            and self._search_timer is None
            and self._answered_serial == self._serial
            and self._answered == self._request()
        )

    def run_search(self) -> None:
        """Search now with the current query and filters."""
        self._search_timer = None
        self._serial += 1
        self._asked = self._request()
        self._search(self._serial, self._asked)

    @work(thread=True, exclusive=True, group="library-search", exit_on_error=False)
    def _search(self, serial: int, request: SearchRequest) -> None:
        # Deferred (start-up): loaded on first use, not with the pane.
        from modelarium.store.seeding import KnowledgeFilter

        try:
            library = services_of(self).library.get()
            hits = library.search(
                request.query,
                kinds=() if request.kind == ANY else (request.kind,),
                tags=request.tags(),
                host=None if request.host == ANY else request.host,
                limit=SEARCH_LIMIT,
                knowledge=None if request.records is None else KnowledgeFilter(request.records),
            )
        except LibraryUnavailable as error:
            self.post_message(self.SearchDone(serial, (), str(error)))
            return
        except Exception as error:  # the store's errors carry a complete one-line message
            self.post_message(self.SearchDone(serial, (), f"Search failed: {error}"))
            return
        self.post_message(self.SearchDone(serial, tuple(hits), None))

    @on(SearchDone)
    def _search_done(self, event: SearchDone) -> None:
        event.stop()
        if event.serial != self._serial:
            return
        self._answered, self._answered_serial = self._asked, event.serial
        message = self.query_one("#library-message", Static)
        if event.error is not None:
            self.unavailable = event.error if "unavailable" in event.error else None
            error = terminal_text(event.error, lines="keep")
            message.update(
                f"{error}\n\nThe Models and Editor panes keep working without it. "
                "Check `database_url` in the settings file or MODELARIUM_DATABASE_URL, "
                "then restart Modelarium."
                if self.unavailable
                else error
            )
            self.add_class("-unavailable" if self.unavailable else "-failed")
            self.hits = ()
            self.query_one("#library-results", OptionList).clear_options()
            self._clear_view()
            return
        self.remove_class("-unavailable", "-failed")
        self.unavailable = None
        self.hits = event.hits
        results = self.query_one("#library-results", OptionList)
        results.clear_options()
        results.add_options(
            Option(Text(_hit_label(hit)), id=f"{hit.target}:{hit.id}") for hit in self.hits
        )
        message.update(
            counted(len(self.hits), "result")
            + (" (first 200)" if len(self.hits) >= SEARCH_LIMIT else "")
            + (f" for {self.for_model[0]} (x in the list clears)" if self.for_model else "")
        )
        if self.hits:
            results.highlighted = 0
        else:
            self._clear_view()

    @work(thread=True, exclusive=True, group="library-facets", exit_on_error=False)
    def _load_facets(self) -> None:
        try:
            library = services_of(self).library.get()
            hits = library.search("", limit=10_000)
        except Exception:  # the search itself reports an unavailable library
            return
        values: dict[str, set[str]] = {"family": set(), "use_case": set(), "tag": set()}
        for hit in hits:
            for tag in hit.tags:
                if tag.category in ("family", "use_case"):
                    values[tag.category].add(tag.value)
                values["tag"].add(str(tag))
        self.post_message(self.FacetsLoaded({k: tuple(sorted(v)) for k, v in values.items()}))

    @on(FacetsLoaded)
    def _facets_loaded(self, event: FacetsLoaded) -> None:
        event.stop()
        for category, select_id in (
            ("family", "#library-family"),
            ("use_case", "#library-use-case"),
            ("tag", "#library-tag"),
        ):
            select: Select[str] = self.query_one(select_id, Select)
            current = select.value
            select.set_options(
                (terminal_text(value), value) for value in event.values.get(category, ())
            )
            if isinstance(current, str) and current in event.values.get(category, ()):
                select.value = current

    def _set_host_options(self, names: tuple[str, ...]) -> None:
        select: Select[str] = self.query_one("#library-host", Select)
        select.set_options((terminal_text(name), name) for name in names)

    @on(DeliverHostsChanged)
    def _hosts_changed(self, delivery: DeliverHostsChanged) -> None:
        self._set_host_options(tuple(host.name for host in delivery.request.hosts))

    @on(DeliverLibraryChanged)
    def _library_changed(self) -> None:
        self.run_search()
        self._load_facets()

    # ---- element view ----------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#library-results")
    def _hit_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        hit = self._hit_for(event.option.id)
        if hit is not None and hit.target == "element":
            self._load_element(hit.id)
        elif hit is not None:
            self._show_modelfile_hit(hit)

    @on(OptionList.OptionSelected, "#library-results")
    def _hit_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        hit = self._hit_for(event.option.id)
        if hit is not None and hit.target == "modelfile":
            self._open_modelfile(hit.id)

    def _hit_for(self, option_id: str | None) -> SearchHit | None:
        return next((hit for hit in self.hits if f"{hit.target}:{hit.id}" == option_id), None)

    def _load_element(self, element_id: int) -> None:
        """Show element `element_id` once it is read (a later request wins over this one)."""
        self._wanted_element = element_id
        self._read_element(element_id)

    @work(thread=True, exclusive=True, group="library-element", exit_on_error=False)
    def _read_element(self, element_id: int) -> None:
        try:
            stored = services_of(self).library.get().get_element(element_id)
        except Exception as error:  # shown in the view, one line
            self.post_message(
                self.ElementLoaded(None, f"Cannot show element #{element_id}: {error}", element_id)
            )
            return
        self.post_message(self.ElementLoaded(stored, None, element_id))

    @on(ElementLoaded)
    def _element_loaded(self, event: ElementLoaded) -> None:
        event.stop()
        if event.element_id != self._wanted_element:
            return  # a slower read of an element the user has already moved past
        meta = self.query_one("#library-meta", Static)
        content = self.query_one("#library-content", ModelfileTextArea)
        self.selected = event.element
        if event.element is None:
            meta.update(terminal_text(event.error or "", lines="keep"))
            content.load_text("")
            return
        meta.update(describe_element(event.element))
        try:
            content.load_text(
                terminal_text(text_for_elements((event.element.element,)), lines="keep")
            )
        except ValueError as error:
            content.load_text(terminal_text(f"# cannot show as Modelfile text: {error}"))

    def _clear_view(self) -> None:
        """Nothing listed, nothing previewed: the element view is emptied (and an element read
        still under way is ignored) so it never shows a result that is no longer there."""
        self.selected = None
        self._wanted_element = None
        self.query_one("#library-meta", Static).update(NOTHING_TO_PREVIEW)
        self.query_one("#library-content", ModelfileTextArea).load_text("")

    def _show_modelfile_hit(self, hit: SearchHit) -> None:
        self.selected = None
        self.query_one("#library-meta", Static).update(
            f"Modelfile {terminal_text(hit.name)}\nEnter opens it in the editor."
        )
        self.query_one("#library-content", ModelfileTextArea).load_text(
            terminal_text(hit.snippet.replace("«", "").replace("»", ""), lines="keep")
        )

    @work(thread=True, exclusive=True, group="library-open", exit_on_error=False)
    def _open_modelfile(self, modelfile_id: int) -> None:
        try:
            stored = services_of(self).library.get().get_modelfile(modelfile_id)
        except Exception as error:  # reported as a notification
            self.app.call_from_thread(
                self.notify, f"Cannot open Modelfile #{modelfile_id}: {error}", severity="error"
            )
            return
        self.post_message(OpenInEditor(elements=stored.elements, origin=f"library: {stored.name}"))

    # ---- actions ---------------------------------------------------------------------------

    def _require_element(self) -> StoredElement | None:
        if self.selected is None:
            self.notify("Select an element first", severity="warning")
        return self.selected

    def action_focus_search(self) -> None:
        """Focus the search box at once (the keys typed next belong to it). In a text box `/`
        is just typed, except in the empty search box itself, where it is the usual gesture."""
        search = self.query_one("#library-search", Input)
        focused = self.screen.focused
        if focused is search and not search.value:
            return
        if typing_in_text_box(focused):
            raise SkipAction
        self.screen.set_focus(search)

    def action_focus_results(self) -> None:
        """Down in the search box: into the results at once. Anywhere else Down is the focused
        widget's own (a priority binding, so the keys typed right behind it follow it)."""
        if self.screen.focused is not self.query_one("#library-search", Input):
            raise SkipAction
        self.screen.set_focus(self.query_one("#library-results", OptionList))

    def action_clear_filters(self) -> None:
        """Reset the query and every filter."""
        self.query_one("#library-search", Input).value = ""
        for select in self.query(Select):
            select.clear()
        self.for_model = None
        self.run_search()

    def on_show_records_in_library(self, message: ShowRecordsInLibrary) -> None:
        """Show the curated elements seeded from the records that apply to one model: the
        query and the other filters are cleared (earlier ones would hide them), and the
        results list takes the focus, where the advertised `x` clears (in the search box it
        would be typed)."""
        self.for_model = (message.label, message.record_ids)
        self.query_one("#library-search", Input).value = ""
        for select in self.query(Select):
            select.clear()
        self.run_search()
        results = self.query_one("#library-results", OptionList)
        if results.focusable:
            self.screen.set_focus(results)

    def focus_default(self) -> None:
        """Focus the pane's main widget when it is shown: the results list while it shows one
        model's elements (so `x` clears that), else the search box."""
        target: Input | OptionList = (
            self.query_one("#library-results", OptionList)
            if self.for_model
            else self.query_one("#library-search", Input)
        )
        self.screen.set_focus(target)

    def action_add_to_editor(self) -> None:
        """Send the element to the editor's Modelfile."""
        stored = self._require_element()
        if stored is not None:
            self.post_message(
                AddElementsToEditor(
                    (stored.element,),
                    origin=f"{stored.kind.value.upper()} {stored.name}",
                    family=next((t.value for t in stored.tags if t.category == "family"), ""),
                    tags=tuple(t.value for t in stored.tags if t.category == "free"),
                )
            )

    def action_copy_element(self) -> None:
        """Copy the element as Modelfile text."""
        stored = self._require_element()
        if stored is None:
            return
        try:
            text = text_for_elements((stored.element,))
        except ValueError as error:
            self.notify(f"Cannot copy {stored.name}: {error}", severity="error")
            return
        clipboard_for(self.app).copy(text, f"{stored.kind.value.upper()} {stored.name}")

    def action_edit_tags(self) -> None:
        """Edit the element's tags (curated elements are read-only)."""
        # Deferred (start-up): loaded on first use, not with the pane.
        from modelarium.tui.library.tags_dialog import TagsDialog

        stored = self._require_element()
        if stored is None:
            return
        if stored.curated:
            self._offer_copy(stored, "retagged")
            return

        def done(changed: bool | None) -> None:
            if changed:
                self._load_element(stored.id)
                self.post_message(LibraryChanged(f"tags of {stored.name}"))

        self.app.push_screen(TagsDialog(stored), done)

    def action_delete_element(self) -> None:
        """Delete the element after showing what uses it."""
        # Deferred (start-up): loaded on first use, not with the pane.
        from modelarium.tui.library.delete_dialog import DeleteElementDialog

        stored = self._require_element()
        if stored is None:
            return
        if stored.curated:
            self._offer_copy(stored, "deleted")
            return

        def done(deleted: bool | None) -> None:
            if deleted:
                self.selected = None
                self.post_message(LibraryChanged(f"deleted {stored.name}"))

        self.app.push_screen(DeleteElementDialog(stored), done)

    def _offer_copy(self, stored: StoredElement, wanted: str) -> None:
        """Curated elements are read-only: offer an editable copy instead of the change."""
        # Deferred (start-up): loaded on first use, not with the pane.
        from modelarium.tui.library.copy_dialog import CopyCuratedDialog

        def copied(new_id: int | None) -> None:
            if new_id is not None:
                self.notify(f"Copied {stored.name}; the copy is yours to change")
                self.post_message(LibraryChanged(f"copied {stored.name}"))
                self._load_element(new_id)

        self.app.push_screen(CopyCuratedDialog(stored, wanted), copied)

    def action_show_drafts(self) -> None:
        """Resume or discard autosaved drafts."""
        # Deferred (start-up): loaded on first use, not with the pane.
        from modelarium.tui.dialogs.editor_drafts import DraftsDialog

        def resumed(choice: tuple[int, str] | None) -> None:
            if choice is not None:
                draft_id, text = choice
                self.post_message(OpenInEditor(text=text, origin=f"draft #{draft_id}"))

        self.app.push_screen(DraftsDialog(), resumed)

    def action_import_text(self) -> None:
        """Open the import dialog; the terminal's paste fills it."""
        self._import("")

    def on_paste(self, event: events.Paste) -> None:
        """A bracketed paste outside the search box goes to the import dialog."""
        event.stop()
        if self.query_one("#library-search", Input).has_focus:
            return  # the search box took it as typed text
        self._import(event.text)

    def _import(self, text: str) -> None:
        # Deferred (start-up): loaded on first use, not with the pane.
        from modelarium.tui.dialogs.import_paste import import_pasted_text

        import_pasted_text(self.app, text)


def _hit_label(hit: SearchHit) -> str:
    """One result line, terminal-safe (names and tags may come from an imported bundle)."""
    kind = "MODELFILE" if hit.target == "modelfile" else hit.kind.upper()
    families = ",".join(tag.value for tag in hit.tags if tag.category == "family")
    suffix = f"  [{families}]" if families else ""
    return terminal_text(f"{kind:<10} {hit.name}{suffix}")


def describe_element(stored: StoredElement) -> str:
    """The element view's header: name, kind, curated marker, tags, provenance, users; each
    line terminal-safe (a bundle can carry any text), notes keeping their line breaks."""
    return "\n".join(_element_lines(stored))


def _element_lines(stored: StoredElement) -> list[str]:
    lines = [
        terminal_text(stored.kind.value.upper() + "  " + stored.name)
        + ("  ★ curated (read-only)" if stored.curated else "")
    ]
    if stored.tags:
        lines.append(terminal_text("tags: " + ", ".join(str(tag) for tag in stored.tags)))
    sources = [tag.value for tag in stored.tags if tag.category == "source"]
    if sources:
        lines.append(terminal_text("sources: " + "; ".join(sources)))
    for seen in stored.provenance:
        when = seen.extracted_at.strftime("%Y-%m-%d %H:%M") if seen.extracted_at else "unknown time"
        digest = seen.model_digest[:19] if seen.model_digest else "no digest"
        lines.append(terminal_text(f"from {seen.model} on {seen.host} ({digest}, {when})"))
    if stored.notes:
        lines.append(terminal_text(stored.notes, lines="keep"))
    if stored.used_by:
        lines.append(terminal_text("used by: " + ", ".join(stored.used_by)))
    return lines
