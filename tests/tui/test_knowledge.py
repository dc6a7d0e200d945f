"""The curated settings view: one key from a model in the Models pane, side by side, on the demo
host over real HTTP."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from modelarium.demo import DemoServerThread, FaultPlan
from modelarium.tui.models.knowledge_dialog import KnowledgeScreen
from tests.tui.conftest import AppFactory, highlight_model, wait_for, wait_for_screen

Settle = Callable[[Pilot[None]], Awaitable[None]]
SIZE = (150, 45)


def text_of(screen: KnowledgeScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def loaded(app: object) -> bool:
    screen = getattr(app, "screen", None)
    return isinstance(screen, KnowledgeScreen) and screen.recommendation is not None


async def test_k_shows_vendor_ollama_engine_and_measured_side_by_side(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await highlight_model(pilot, "qwen3:8b")
        await pilot.press("k")
        await wait_for(pilot, lambda: loaded(app))
        screen = app.screen
        assert isinstance(screen, KnowledgeScreen)
        summary = text_of(screen, "#knowledge-summary")
        assert "series qwen3" in summary and "Ollama 0.33.0-rc2" in summary
        assert "measured here: no trials yet" in summary
        table = screen.query_one(DataTable)
        headers = [str(column.label) for column in table.columns.values()]
        assert headers[2:] == [
            "vendor recommends",
            "Ollama ships",
            "engine (0.33.0-rc2)",
            "measured",
        ]
        titles = [line.section.title for line in screen.lines if line.row is None]
        assert titles == ["thinking · general", "non-thinking · general"]
        # The non-thinking temperature differs (vendor 0.7, the tag ships 0.6): marked ≠.
        index = next(
            i
            for i, line in enumerate(screen.lines)
            if line.row is not None
            and line.section.mode == "non-thinking"
            and line.row.parameter == "temperature"
        )
        assert str(table.get_row_at(index)[0]) == "≠"
        assert [str(cell) for cell in table.get_row_at(index)[2:5]] == ["0.7", "0.6", "0.8"]
        table.move_cursor(row=index)
        await wait_for(pilot, lambda: "we suggest using" in text_of(screen, "#knowledge-detail"))
        detail = text_of(screen, "#knowledge-detail")
        assert "vendor-recommendation" in detail and "quickstart.md" in detail
        assert "Ollama ships: the model's own parameters" in detail
        await pilot.press("u")
        await wait_for(pilot, lambda: screen.use_case == "general")
        assert "use case: general" in text_of(screen, "#knowledge-summary")
        await pilot.press("escape")
        assert not isinstance(app.screen, KnowledgeScreen)


async def test_a_family_without_vendor_advice_and_a_failing_host(
    make_app: AppFactory, wait_settled: Settle, demo_faults: FaultPlan
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await highlight_model(pilot, "granite4:3b")
        await pilot.press("k")
        await wait_for(pilot, lambda: loaded(app))
        screen = app.screen
        assert isinstance(screen, KnowledgeScreen)
        assert "the vendor publishes no sampling values" in text_of(screen, "#knowledge-summary")
        # Said once (the summary), not again for the section and the row.
        shown = text_of(screen, "#knowledge-summary") + text_of(screen, "#knowledge-detail")
        assert shown.count("no sampling values") + shown.count("no vendor sampling") == 1
        await pilot.press("q")
        demo_faults.error("/api/show", 500, "boom", model="llama3.2:3b")
        await highlight_model(pilot, "llama3.2:3b")
        await pilot.press("k")
        failing = await wait_for_screen(pilot, KnowledgeScreen)
        await wait_for(
            pilot, lambda: "Cannot read the model" in text_of(failing, "#knowledge-summary")
        )
        assert "llama3.2:3b" in text_of(failing, "#knowledge-summary")


async def test_l_shows_the_models_curated_elements_in_the_library(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    from modelarium.store.seeding import KnowledgeFilter
    from modelarium.tui.library.pane import LibraryPane
    from modelarium.tui.state import services_of

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await highlight_model(pilot, "qwen3:8b")
        await pilot.press("k")
        await wait_for(pilot, lambda: loaded(app))
        screen = app.screen
        assert isinstance(screen, KnowledgeScreen) and screen.recommendation is not None
        ids = tuple(record.id for record in screen.recommendation.records)
        await pilot.press("l")  # the Library pane loads now, and gets the request once mounted
        await wait_for(pilot, lambda: bool(app.query(LibraryPane)))
        pane = app.query_one(LibraryPane)
        await wait_for(
            pilot,
            lambda: "for qwen3:8b on demo" in str(pane.query_one("#library-message").render()),
        )
        assert app.current_pane == "library"
        library = services_of(pane).library.get()
        expected = library.search("", knowledge=KnowledgeFilter(ids), limit=200)
        assert expected and [hit.id for hit in pane.hits] == [hit.id for hit in expected]
        assert all(library.get_element(hit.id).curated for hit in pane.hits)
        pane.query_one("#library-results").focus()
        await pilot.press("x")
        await wait_for(pilot, lambda: pane.for_model is None and len(pane.hits) > len(expected))


async def test_measured_here_shows_this_machines_trials(
    make_app: AppFactory,
    wait_settled: Settle,
    library_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from modelarium.cli import main

    monkeypatch.setenv("MODELARIUM_DATABASE_URL", library_url)
    trial = ["--demo", "trials", "run", "qwen3:8b", "--probes", "tools,json"]
    assert await asyncio.to_thread(main, trial) == 0  # the CLI runs its own event loop
    capsys.readouterr()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await highlight_model(pilot, "qwen3:8b")
        await pilot.press("k")
        await wait_for(pilot, lambda: loaded(app))
        screen = app.screen
        assert isinstance(screen, KnowledgeScreen)
        summary = text_of(screen, "#knowledge-summary")
        assert "measured here: as installed json: 2/2 passed" in summary
        assert "as installed tools: 3/3 passed" in summary


async def make_user_models(url: str) -> None:
    """Models made under names of their own, as a user makes them: mistral-code:7b with a
    Llama-Guard-like temperature 0, and a copy of qwen2.5-coder:7b with qwen3-coder's values."""
    from modelarium.config import HostConfig
    from modelarium.modelfile.overlay import overlay_create
    from modelarium.ollama.client import OllamaClient

    made = (
        ("PARAMETER temperature 0\n", "mistral:7b", "mistral-code:7b"),
        (
            "PARAMETER temperature 0.7\nPARAMETER top_p 0.8\n"
            "PARAMETER repeat_penalty 1.05\nPARAMETER num_ctx 32768\n",
            "qwen2.5-coder:7b",
            "qwen2.5-coder-copy:7b-code",
        ),
    )
    async with OllamaClient(HostConfig("demo", url), timeout=30) as client:
        for lines, base, name in made:
            async for _ in client.create(overlay_create(lines, base, name)):
                pass


def row_cells(screen: KnowledgeScreen, parameter: str) -> dict[str, str]:
    """The first row of `parameter`, by column header."""
    table = screen.query_one(DataTable)
    headers = [str(column.label) for column in table.columns.values()]
    index = next(
        i for i, line in enumerate(screen.lines) if line.row and line.row.parameter == parameter
    )
    return dict(zip(headers, (str(cell) for cell in table.get_row_at(index)), strict=True))


async def test_a_user_models_own_values_are_its_own_not_what_ollama_ships(
    make_app: AppFactory, wait_settled: Settle, demo_server: DemoServerThread
) -> None:
    await make_user_models(demo_server.url)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await highlight_model(pilot, "mistral-code:7b")
        await pilot.press("k")
        await wait_for(pilot, lambda: loaded(app))
        screen = app.screen
        assert isinstance(screen, KnowledgeScreen)
        temperature = row_cells(screen, "temperature")
        assert temperature["this model"] == "0" and temperature["Ollama ships"] == "—"
        summary = text_of(screen, "#knowledge-summary")
        shown = summary + text_of(screen, "#knowledge-detail")
        assert shown.count("no sampling values") + shown.count("no vendor sampling") == 1
        await pilot.press("q")
        await wait_for(pilot, lambda: not isinstance(app.screen, KnowledgeScreen))
        await highlight_model(pilot, "qwen2.5-coder-copy:7b-code")
        await pilot.press("k")
        await wait_for(pilot, lambda: loaded(app))
        copy = app.screen
        assert isinstance(copy, KnowledgeScreen)
        cells = {name: row_cells(copy, name) for name in ("temperature", "top_p", "num_ctx")}
        assert [cells[name]["this model"] for name in cells] == ["0.7", "0.8", "32768"]
        assert all(cells[name]["Ollama ships"] == "—" for name in cells)
        index = next(i for i, line in enumerate(copy.lines) if line.own is not None)
        copy.query_one(DataTable).move_cursor(row=index)
        await wait_for(pilot, lambda: "this model: its own" in text_of(copy, "#knowledge-detail"))
        assert "Ollama ships: the model's own" not in text_of(copy, "#knowledge-detail")
        await pilot.press("q")
        await wait_for(pilot, lambda: not isinstance(app.screen, KnowledgeScreen))
        # A model as pulled keeps its own values under "Ollama ships", no extra column.
        await highlight_model(pilot, "mistral:7b")
        await pilot.press("k")
        await wait_for(pilot, lambda: loaded(app))
        pulled = app.screen
        assert isinstance(pulled, KnowledgeScreen) and not pulled.own_column


async def test_up_and_down_move_the_highlight_and_show_that_rows_origin_and_quote(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await highlight_model(pilot, "qwen3:8b")
        await pilot.press("k", "down")  # typed at once: the table has the focus already
        await wait_for(pilot, lambda: loaded(app))
        screen = app.screen
        assert isinstance(screen, KnowledgeScreen)
        table = screen.query_one(DataTable)
        assert app.focused is table
        start = table.cursor_row

        def described() -> str:
            return text_of(screen, "#knowledge-detail")

        def parameter_at(row: int) -> str:
            found = screen.lines[row].row
            assert found is not None
            return found.parameter

        await pilot.press("down")
        await wait_for(pilot, lambda: table.cursor_row == start + 1)
        below = parameter_at(start + 1)
        await wait_for(pilot, lambda: described().startswith(below))
        assert "vendor-recommendation" in described() and '"' in described()
        assert "Ollama ships: the model's own parameters" in described()
        assert "engine: engine-default" in described()
        await pilot.press("up")
        await wait_for(pilot, lambda: table.cursor_row == start)
        await wait_for(pilot, lambda: described().startswith(parameter_at(start)))


async def test_l_replaces_earlier_library_filters_and_x_clears_from_where_it_lands(
    make_app: AppFactory, wait_settled: Settle
) -> None:
    from textual.widgets import Input, OptionList, Select

    from modelarium.store.seeding import KnowledgeFilter
    from modelarium.tui.library.pane import LibraryPane
    from modelarium.tui.state import services_of

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        await pilot.press("2")
        await wait_for(pilot, lambda: bool(app.query(LibraryPane)))
        pane = app.query_one(LibraryPane)
        family = pane.query_one("#library-family", Select)
        await wait_for(pilot, lambda: pane.results_current and len(family._options) > 1)
        family.value = "granite"
        pane.query_one("#library-use-case", Select).value = "code"
        pane.query_one("#library-search", Input).value = "granite"
        await wait_for(pilot, lambda: pane.results_current)
        await pilot.press("f2")  # the search box has the focus: 1 would be typed
        await highlight_model(pilot, "qwen3:8b")
        await pilot.press("k")
        await wait_for(pilot, lambda: loaded(app))
        screen = app.screen
        assert isinstance(screen, KnowledgeScreen) and screen.recommendation is not None
        ids = tuple(record.id for record in screen.recommendation.records)
        await pilot.press("l")
        await wait_for(pilot, lambda: app.current_pane == "library" and pane.results_current)
        message = str(pane.query_one("#library-message").render())
        assert "for qwen3:8b on demo" in message and not message.startswith("0 results")
        assert pane.query_one("#library-search", Input).value == ""
        assert all(select.is_blank() for select in pane.query(Select))
        library = services_of(pane).library.get()
        expected = library.search("", knowledge=KnowledgeFilter(ids), limit=200)
        assert [hit.id for hit in pane.hits] == [hit.id for hit in expected]
        await wait_for(pilot, lambda: app.focused is pane.query_one("#library-results", OptionList))
        await pilot.press("x")
        await wait_for(pilot, lambda: pane.for_model is None and len(pane.hits) > len(expected))
        assert pane.query_one("#library-search", Input).value == ""


def table_cells(screen: KnowledgeScreen) -> list[tuple[str, str, str, str | None]]:
    """Every parameter row of the settings view as (section, parameter, Ollama ships, this
    model), as the table shows them ("—" empty; None: no "this model" column)."""
    table = screen.query_one(DataTable)
    headers = [str(column.label) for column in table.columns.values()]
    found = []
    for index, line in enumerate(screen.lines):
        if line.row is None:
            continue
        cells = dict(zip(headers, (str(cell) for cell in table.get_row_at(index)), strict=True))
        own = cells.get("this model")
        found.append((line.section.title, line.row.parameter, cells["Ollama ships"], own))
    return found


def json_cells(data: dict[str, Any]) -> list[tuple[str, str, str, str | None]]:
    """The same of `knowledge show --json`'s answer."""

    def text(cell: dict[str, Any] | None) -> str:
        return "—" if cell is None else str(cell["text"])

    found = []
    for section in data["sections"]:
        title = " · ".join(part for part in (section["mode"], section["use_case"]) if part)
        for row in section["rows"]:
            own = text(row["this_model"]) if "this_model" in row else None
            found.append((title, row["parameter"], text(row["ollama"]), own))
    return found


async def test_the_settings_view_and_knowledge_show_give_the_same_cells(
    make_app: AppFactory,
    wait_settled: Settle,
    demo_server: DemoServerThread,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """One rule for both views: a model made under its own name (curated values under "Ollama
    ships", its own under "this model") and one as pulled (its own values as Ollama ships)."""
    from modelarium.cli import main
    from modelarium.config import HostConfig
    from modelarium.modelfile.overlay import overlay_create
    from modelarium.ollama.client import OllamaClient

    lines = "PARAMETER temperature 0.3\nPARAMETER top_p 0.8\n"
    async with OllamaClient(HostConfig("demo", demo_server.url), timeout=30) as client:
        async for _ in client.create(
            overlay_create(lines, "mistral-small:24b", "mistral-small-code:24b")
        ):
            pass
    models = {"mistral-small-code:24b": True, "qwen3:8b": False}
    shown: dict[str, list[tuple[str, str, str, str | None]]] = {}
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_settled(pilot)
        for model, own_column in models.items():
            await highlight_model(pilot, model)
            await pilot.press("k")
            await wait_for(pilot, lambda: loaded(app))
            screen = app.screen
            assert isinstance(screen, KnowledgeScreen) and screen.own_column is own_column
            shown[model] = table_cells(screen)
            await pilot.press("q")
            await wait_for(pilot, lambda: not isinstance(app.screen, KnowledgeScreen))
    # After the app: while it runs, Textual holds stdout, where the CLI writes its answer.
    capsys.readouterr()
    for model, own_column in models.items():
        argv = ["knowledge", "show", model, "--host", demo_server.url, "--json"]
        assert await asyncio.to_thread(main, argv) == 0  # the CLI runs its own event loop
        data = json.loads(capsys.readouterr().out)
        assert data["this_model_column"] is own_column
        assert json_cells(data) == shown[model]
        temperature = next(cells for cells in shown[model] if cells[1] == "temperature")
        assert temperature[2:] == (("0.15", "0.3") if own_column else ("0.6", None))
