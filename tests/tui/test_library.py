"""Library pane flows: search-as-you-type, filters, element view, add/copy/tags/delete, drafts."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button, Input, OptionList, Select, Static
from textual.worker import WorkerCancelled

from modelarium.config import Settings
from modelarium.modelfile.elements import Element, ElementKind
from modelarium.store.tags import parse_tags
from modelarium.store.types import NewElement, Tag
from modelarium.tui.dialogs.editor_drafts import DraftsDialog
from modelarium.tui.library import LibraryPane
from modelarium.tui.library.copy_dialog import CopyCuratedDialog
from modelarium.tui.library.delete_dialog import DeleteElementDialog
from modelarium.tui.library.tags_dialog import TagsDialog
from modelarium.tui.messages import AddElementsToEditor, OpenInEditor
from modelarium.tui.state import LibraryHandle, Services
from tests.tui.conftest import wait_for

STYLES = Path(__file__).resolve().parents[2] / "styles"


class LibraryApp(App[None]):
    """The library pane alone, with the services the real app shares."""

    CSS_PATH = str(STYLES / "library.tcss")

    def __init__(self, library_url: str) -> None:
        super().__init__()
        self.services = Services(
            settings=Settings(database_url=library_url),
            hosts=(),
            library=LibraryHandle(library_url),
        )
        self.notices: list[tuple[str, str]] = []
        self.written: list[str] = []

    def compose(self) -> ComposeResult:
        yield LibraryPane(id="library")

    def notify(
        self, message: str, *, severity: SeverityLevel = "information", **options: Any
    ) -> None:
        self.notices.append((severity, message))
        super().notify(message, severity=severity, **options)


def top_screen(app: App[None]) -> Screen[Any]:
    """The active screen, typed loosely so successive isinstance checks are not narrowed."""
    return app.screen


async def wait_for_workers(pilot: Pilot[Any]) -> None:
    """Wait until no worker runs (a search replaced by a newer one counts as finished)."""
    for _ in range(50):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        await pilot.pause()
        if not any(worker.is_running for worker in pilot.app.workers):
            return


async def settle(app: LibraryApp, pilot: Pilot[None]) -> None:
    """Let debounced searches and their workers finish: the results shown answer the query
    and filters as they are now."""
    await pilot.pause()
    pane = app.query_one(LibraryPane)
    await wait_for(pilot, lambda: pane.results_current)
    await wait_for_workers(pilot)


async def test_search_as_you_type_and_filters(library_url: str) -> None:
    app = LibraryApp(library_url)
    async with app.run_test(size=(160, 45)) as pilot:
        pane = app.query_one(LibraryPane)
        await settle(app, pilot)
        everything = len(pane.hits)
        assert everything > 10
        pane.query_one("#library-search", Input).focus()
        await pilot.press(*"qwen")
        await settle(app, pilot)
        assert 0 < len(pane.hits) < everything
        assert all("qwen" in (hit.name + str(hit.tags) + hit.snippet).lower() for hit in pane.hits)
        pane.query_one("#library-kind", Select).value = "template"
        await settle(app, pilot)
        assert pane.hits and {hit.kind for hit in pane.hits} == {"template"}
        pane.query_one("#library-kind", Select).clear()
        pane.query_one("#library-family", Select).value = "qwen"
        pane.query_one("#library-use-case", Select).value = "code"
        await settle(app, pilot)
        assert pane.hits
        for hit in pane.hits:
            assert Tag("family", "qwen") in hit.tags and Tag("use_case", "code") in hit.tags


async def test_element_view_add_and_copy(library_url: str) -> None:
    sent: list[Message] = []
    app = LibraryApp(library_url)
    async with app.run_test(size=(160, 45), message_hook=sent.append) as pilot:
        assert app._driver is not None
        setattr(app._driver, "write", app.written.append)  # noqa: B010 - capture OSC 52
        pane = app.query_one(LibraryPane)
        pane.query_one("#library-search", Input).value = "qwen2.5-coder"
        await settle(app, pilot)
        results = pane.query_one("#library-results", OptionList)
        results.focus()
        results.highlighted = 0
        await settle(app, pilot)
        stored = pane.selected
        assert stored is not None and stored.curated
        meta = str(pane.query_one("#library-meta", Static).render())
        assert "curated" in meta and stored.name in meta
        await pilot.press("a")
        await pilot.pause()
        added = [m for m in sent if isinstance(m, AddElementsToEditor)]
        assert added and added[-1].elements == (stored.element,)
        await pilot.press("c")
        await pilot.pause()
        assert any(chunk.startswith("\x1b]52;c;") for chunk in app.written)
        osc = next(chunk for chunk in reversed(app.written) if chunk.startswith("\x1b]52;c;"))
        copied = base64.b64decode(osc[len("\x1b]52;c;") : -1]).decode("utf-8")
        assert copied == app.clipboard and copied.strip()


async def test_curated_elements_are_read_only_and_offer_a_copy(library_url: str) -> None:
    app = LibraryApp(library_url)
    async with app.run_test(size=(160, 45)) as pilot:
        pane = app.query_one(LibraryPane)
        await settle(app, pilot)
        results = pane.query_one("#library-results", OptionList)
        results.focus()
        results.highlighted = 0
        await settle(app, pilot)
        curated = pane.selected
        assert curated is not None and curated.curated
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(top_screen(app), CopyCuratedDialog)
        await pilot.press("escape")
        await pilot.pause()
        library = app.services.library.get()
        assert library.get_element(curated.id).curated  # nothing changed
        await pilot.press("t")
        await pilot.pause()
        dialog = top_screen(app)
        assert isinstance(dialog, CopyCuratedDialog)
        dialog.query_one("#copy-name", Input).value = "my stop sequences"
        await pilot.press("enter")
        await settle(app, pilot)
        copy = pane.selected
        assert copy is not None and not copy.curated and copy.name == "my stop sequences"
        assert copy.element == curated.element
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(top_screen(app), TagsDialog)  # the copy is editable


async def test_tags_and_safe_delete_of_a_user_element(library_url: str) -> None:
    app = LibraryApp(library_url)
    async with app.run_test(size=(160, 45)) as pilot:
        library = app.services.library.get()
        element = Element(ElementKind.SYSTEM, value="You are a pirate. Arr.")
        (stored,) = library.add_elements([NewElement(element, "pirate system")])
        library.save_modelfile("pirate", [stored])
        pane = app.query_one(LibraryPane)
        pane.query_one("#library-search", Input).value = "pirate"
        await settle(app, pilot)
        results = pane.query_one("#library-results", OptionList)
        results.focus()
        index = next(
            i for i, hit in enumerate(pane.hits) if hit.id == stored.id and hit.target == "element"
        )
        results.highlighted = index
        await settle(app, pilot)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TagsDialog)
        app.screen.query_one("#tags-input", Input).value = "family:llama use_case:roleplay fun"
        await pilot.press("enter")
        await settle(app, pilot)
        assert set(library.get_element(stored.id).tags) == {
            Tag("family", "llama"),
            Tag("use_case", "roleplay"),
            Tag("free", "fun"),
        }
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, DeleteElementDialog)
        used_by = str(app.screen.query_one("#delete-used-by").render())
        assert "pirate" in used_by
        app.screen.query_one("#delete-yes", Button).press()
        await settle(app, pilot)
        assert not isinstance(top_screen(app), DeleteElementDialog)
        assert all(hit.id != stored.id for hit in library.search("pirate", kinds=("system",)))


async def test_drafts_resume_and_discard(library_url: str) -> None:
    sent: list[Message] = []
    app = LibraryApp(library_url)
    async with app.run_test(size=(160, 45), message_hook=sent.append) as pilot:
        library = app.services.library.get()
        keep = library.save_draft("FROM llama3\n", name="kept", origin="test")
        library.save_draft("FROM mistral\n", name="dropped", origin="test")
        pane = app.query_one(LibraryPane)
        pane.query_one("#library-results", OptionList).focus()
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, DraftsDialog)
        assert [draft.name for draft in app.screen.drafts] == ["dropped", "kept"]
        await pilot.press("x")  # a letter never discards (issue 17: `x` lost drafts)
        await settle(app, pilot)
        assert [draft.name for draft in library.list_drafts()] == ["dropped", "kept"]
        await pilot.press("delete")
        await settle(app, pilot)
        assert [draft.name for draft in library.list_drafts()] == ["kept"]
        await pilot.press("enter")
        await pilot.pause()
        opened = [m for m in sent if isinstance(m, OpenInEditor)]
        assert opened and opened[-1].text == keep.text


async def test_unavailable_library_is_a_message_not_a_crash(tmp_path: Path) -> None:
    broken = tmp_path / "not-a-db.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    app = LibraryApp(f"sqlite:///{broken}")
    async with app.run_test(size=(160, 45)) as pilot:
        pane = app.query_one(LibraryPane)
        await settle(app, pilot)
        message = str(pane.query_one("#library-message", Static).render())
        assert "unavailable" in message and "not-a-db.sqlite3" in message
        assert pane.has_class("-unavailable")
        assert pane.hits == ()


def test_parse_tags() -> None:
    assert parse_tags("family:qwen, use_case:code  mine mine") == (
        Tag("family", "qwen"),
        Tag("use_case", "code"),
        Tag("free", "mine"),
    )


async def test_provenance_is_shown_and_the_host_filter_uses_it(library_url: str) -> None:
    from datetime import UTC, datetime

    from modelarium.store.types import Provenance

    app = LibraryApp(library_url)
    async with app.run_test(size=(160, 45)) as pilot:
        library = app.services.library.get()
        seen = Provenance(
            "gpu-box",
            "llama3.1:8b",
            "sha256:" + "ab" * 32,
            datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        )
        library.add_elements(
            [
                NewElement(
                    Element(ElementKind.SYSTEM, value="Extracted on the GPU box."),
                    "gpu system",
                    provenance=seen,
                )
            ]
        )
        pane = app.query_one(LibraryPane)
        pane._set_host_options(("gpu-box", "laptop"))
        pane.query_one("#library-host", Select).value = "gpu-box"
        await settle(app, pilot)
        assert [hit.name for hit in pane.hits] == ["gpu system"]
        results = pane.query_one("#library-results", OptionList)
        results.focus()
        results.highlighted = 0
        await settle(app, pilot)
        meta = str(pane.query_one("#library-meta", Static).render())
        assert "from llama3.1:8b on gpu-box (sha256:abababababab" in meta
        assert "2026-11-20 09:30" in meta
        pane.query_one("#library-host", Select).value = "laptop"
        await settle(app, pilot)
        assert pane.hits == ()


async def test_paste_in_the_library_previews_then_opens_in_the_editor(library_url: str) -> None:
    from textual import events

    from modelarium.tui.dialogs.import_paste import ImportDialog

    sent: list[Message] = []
    app = LibraryApp(library_url)
    async with app.run_test(size=(160, 45), message_hook=sent.append) as pilot:
        pane = app.query_one(LibraryPane)
        results = pane.query_one("#library-results", OptionList)
        results.focus()
        results.post_message(events.Paste("\x00\x01binary\x02\x03"))
        await pilot.pause()
        assert not isinstance(top_screen(app), ImportDialog)
        assert any("not text" in msg for sev, msg in app.notices if sev == "error")
        search = pane.query_one("#library-search", Input)
        search.focus()
        search.post_message(events.Paste("qwen"))
        await pilot.pause()
        assert search.value == "qwen" and not isinstance(top_screen(app), ImportDialog)
        results.focus()
        results.post_message(events.Paste("FROM mistral:7b\nSYSTEM Short answers.\n"))
        await pilot.pause()
        dialog = top_screen(app)
        assert isinstance(dialog, ImportDialog)
        assert [e.kind for e in dialog.elements] == [ElementKind.BASE, ElementKind.SYSTEM]
        await pilot.press("ctrl+s")
        await pilot.pause()
        opened = [m for m in sent if isinstance(m, OpenInEditor)]
        assert opened and opened[-1].text == "FROM mistral:7b\nSYSTEM Short answers.\n"


async def test_enter_on_a_modelfile_hit_opens_it_in_the_editor(library_url: str) -> None:
    sent: list[Message] = []
    app = LibraryApp(library_url)
    async with app.run_test(size=(160, 45), message_hook=sent.append) as pilot:
        library = app.services.library.get()
        elements = (
            Element(ElementKind.BASE, value="mistral:7b"),
            Element(ElementKind.SYSTEM, value="Answer like a sommelier."),
        )
        library.save_modelfile("sommelier", elements)
        pane = app.query_one(LibraryPane)
        pane.query_one("#library-kind", Select).value = "modelfile"
        pane.query_one("#library-search", Input).value = "sommelier"
        await settle(app, pilot)
        assert [(hit.target, hit.name) for hit in pane.hits] == [("modelfile", "sommelier")]
        results = pane.query_one("#library-results", OptionList)
        results.focus()
        results.highlighted = 0
        await pilot.press("enter")
        await settle(app, pilot)
        opened = [m for m in sent if isinstance(m, OpenInEditor)]
        assert opened and opened[-1].elements == elements
        assert opened[-1].origin == "library: sommelier"


async def test_no_results_empty_the_element_view(library_url: str) -> None:
    """A search that finds nothing leaves nothing in the element view (not the last element)."""
    from modelarium.tui.library.pane import NOTHING_TO_PREVIEW

    app = LibraryApp(library_url)
    async with app.run_test(size=(160, 45)) as pilot:
        pane = app.query_one(LibraryPane)
        await settle(app, pilot)
        await wait_for(pilot, lambda: pane.selected is not None)
        content = pane.query_one("#library-content")
        assert getattr(content, "text", "").strip()
        pane.query_one("#library-search", Input).focus()
        await pilot.press(*"granite3.3tools")
        await settle(app, pilot)
        assert pane.hits == ()
        assert str(pane.query_one("#library-message", Static).render()).startswith("0 results")
        assert pane.selected is None
        assert str(pane.query_one("#library-meta", Static).render()) == NOTHING_TO_PREVIEW
        assert getattr(content, "text", "x") == ""
