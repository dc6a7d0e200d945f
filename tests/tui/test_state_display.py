"""Issue 17 item 2-4: what the TUI shows is never stale or misleading.

A host alone while down is named as down (not "no model matches the filter"); selections a
filter hides are counted and never acted on; a failed pull's bar stops; counts read in
singular and plural; sort orders read in words; one palette key and one Theme entry; every
dialog shows its confirm and cancel keys; extracting content the library already holds records
the model and digest it was seen in (curated elements included).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Footer, Static

from modelarium.config import HostConfig
from modelarium.demo import FaultPlan
from modelarium.modelfile.elements import ElementKind
from modelarium.tui.models import ModelsPane
from modelarium.tui.models.details import ModelDetailsView
from modelarium.tui.models.extract import ExtractDialog
from modelarium.tui.models.rows import sort_wording
from modelarium.tui.models.transfer import TransferDialog
from tests.tui.conftest import AppFactory, wait_for, wait_for_screen
from tests.tui.test_models import details_text

Settle = Callable[[Pilot[None]], Awaitable[None]]
SIZE = (160, 45)


def toolbar(pane: ModelsPane, widget_id: str) -> str:
    """The text of one toolbar label."""
    return str(pane.query_one(widget_id, Static).content)


async def test_a_host_alone_while_down_says_so_not_that_a_filter_matches_nothing(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app(HostConfig("gpu-box", "http://127.0.0.1:9"))
    async with app.run_test(size=SIZE) as pilot:
        pane = app.query_one(ModelsPane)
        await wait_for(pilot, lambda: "gpu-box" in pane.state.host_errors)
        await wait_settled(pilot)
        shown = details_text(pane.query_one(ModelDetailsView))
        assert "No model matches the filter" not in shown
        assert "down or unreachable" in shown and "gpu-box" in shown


async def test_a_filter_matching_nothing_names_the_filter(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        await pilot.press("slash", *"zzz-none", "enter")
        await wait_for(pilot, lambda: not pane.shown_rows)
        assert "No model matches the filter “zzz-none”" in details_text(
            pane.query_one(ModelDetailsView)
        )


async def test_selections_hidden_by_the_filter_are_counted_and_not_acted_on(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        await pilot.press("a")  # select every model
        everything = len(pane.selected)
        assert toolbar(pane, "#models-selection") == f"{everything} selected"
        await pilot.press("slash", *"qwen3", "enter")
        await wait_for(pilot, lambda: len(pane.shown_rows) == 2)
        hidden = everything - 2
        assert toolbar(pane, "#models-selection") == f"2 selected, +{hidden} hidden (not acted on)"
        assert {row.name for row in pane.target_rows()} == {"qwen3:8b", "qwen3:4b-mlx"}
        assert len(pane.selected) == everything  # still selected, shown again without filter


async def test_a_failed_pull_stops_its_progress_bar(
    demo_faults: FaultPlan, make_app: AppFactory, wait_settled: Settle
) -> None:
    demo_faults.cut("/api/pull", after_lines=3, times=1)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        app.query_one(ModelsPane).start_pull("demo", "tinyllama")
        dialog = await wait_for_screen(pilot, TransferDialog)
        await wait_for(pilot, lambda: dialog.state == "failed")
        assert str(dialog.query_one("#transfer-status").render()).startswith("Failed:")
        assert not dialog.query_one("#transfer-bar").display
        await pilot.press("escape")


def test_sort_orders_read_in_words_the_same_way_for_every_key() -> None:
    assert sort_wording("name", False) == "name A→Z"
    assert sort_wording("name", True) == "name Z→A"
    assert sort_wording("size", False) == "size largest first"
    assert sort_wording("size", True) == "size smallest first"
    assert sort_wording("modified", False) == "modified newest first"


async def test_toolbar_sort_says_the_order(make_app: AppFactory, wait_settled: Settle) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        assert toolbar(pane, "#models-sort") == "Sort: name A→Z (s)"
        await pilot.press("s")
        assert toolbar(pane, "#models-sort") == "Sort: size largest first (s)"
        assert pane.shown_rows[0].size >= pane.shown_rows[-1].size


async def test_one_palette_key_in_the_footer_and_one_theme_entry_in_the_palette(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        assert app.query_one(Footer).show_command_palette is False
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Theme" not in titles and "Quit" not in titles


@pytest.mark.parametrize(
    ("module", "labels"),
    [
        ("library_delete", ("Delete (y)", "Keep it (Esc)")),
        ("library_copy", ("Copy (Enter)", "Cancel (Esc)")),
        ("library_tags", ("Save (Enter)", "Cancel (Esc)")),
    ],
)
async def test_library_dialogs_show_their_confirm_and_cancel_keys(
    module: str,
    labels: tuple[str, str],
    make_app: AppFactory,
    wait_settled: Settle,
) -> None:
    import importlib

    from modelarium.modelfile.elements import Element
    from modelarium.store.types import NewElement

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        library = app.services.library.get()
        (stored,) = library.add_elements(
            [NewElement(Element(ElementKind.SYSTEM, "Answer briefly."), "brief system")]
        )
        dialogs = importlib.import_module(
            {
                "library_delete": "modelarium.tui.library.delete_dialog",
                "library_copy": "modelarium.tui.library.copy_dialog",
                "library_tags": "modelarium.tui.library.tags_dialog",
            }[module]
        )
        dialog_class = {
            "library_delete": "DeleteElementDialog",
            "library_copy": "CopyCuratedDialog",
            "library_tags": "TagsDialog",
        }[module]
        dialog_type = getattr(dialogs, dialog_class)
        dialog = dialog_type(stored, "edited") if module == "library_copy" else dialog_type(stored)
        await app.push_screen(dialog)
        await wait_settled(pilot)
        shown = [str(button.label) for button in dialog.query(Button)]
        assert list(labels) == shown
        if module == "library_delete":
            await pilot.press("y")
            await wait_for(pilot, lambda: not library.search("brief system"))


async def test_extracting_content_the_library_has_records_every_model_and_digest(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    """Journey 4: an already-curated TEMPLATE extracted from the installed models keeps the
    model and digest it was seen in, so searching "tools" says where each came from."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        pane = app.query_one(ModelsPane)
        await pilot.press("a", "x")
        dialog = await wait_for_screen(pilot, ExtractDialog)
        present = [item for item in dialog.preview.items if item.status == "present"]
        library = app.services.library.get()
        curated_present = [
            item
            for item in present
            if item.existing_id is not None and library.get_element(item.existing_id).curated
        ]
        assert curated_present, "a demo model ships a TEMPLATE the library has curated"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, ExtractDialog))
        await wait_settled(pilot)
        for item in curated_present:
            assert item.existing_id is not None
            stored = library.get_element(item.existing_id)
            seen = {(p.host, p.model, p.model_digest) for p in stored.provenance}
            provenance = item.candidate.provenance
            assert provenance is not None
            assert (provenance.host, provenance.model, provenance.model_digest) in seen
        rows = {row.name: row for row in pane.all_rows}
        tools = [
            hit
            for hit in library.search("tools", limit=500)
            if hit.kind == ElementKind.TEMPLATE.value and hit.target != "modelfile"
        ]
        from_models = {
            (p.model, p.model_digest)
            for hit in tools
            for p in library.get_element(hit.id).provenance
        }
        for model, digest in from_models:
            assert model in rows and rows[model].digest.startswith(digest[:12])
        assert any(model == "llama3.1:8b" for model, _digest in from_models)
