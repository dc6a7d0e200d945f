"""The Trials view on the demo host over real HTTP: opened from the Models selection with `t`,
a run with progress that fills the variant × probe matrix and stores its results, a cell's raw
answers and failure codes, cancel (temporary models removed, host no longer busy), saving a
cell's settings to the library and opening them in the editor; one snapshot of the matrix."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, SelectionList, Static

from modelarium.demo import DemoServerThread, FaultPlan
from modelarium.store.trials import stored_results
from modelarium.trials.runner import Variant
from modelarium.tui.app import ModelariumApp
from modelarium.tui.trials.cell import TrialCellDialog
from modelarium.tui.trials.screen import BUSY_HOSTS, TrialsScreen
from tests.tui.conftest import (
    AppFactory,
    highlight_model,
    load_panes,
    settle,
    wait_for,
    wait_for_screen,
)

Settle = Callable[[Pilot[None]], Awaitable[None]]
SnapCompare = Callable[..., bool]
SIZE = (150, 40)


async def open_trials(pilot: Pilot[None], *models: str) -> TrialsScreen:
    await settle(pilot)
    for model in models:
        await highlight_model(pilot, model)
        await pilot.press("space")
    await pilot.press("t")
    return await wait_for_screen(pilot, TrialsScreen)


def status(screen: TrialsScreen) -> str:
    return screen.status


def only_probes(screen: TrialsScreen, *probes: str) -> None:
    selection = screen.query_one("#trials-probes", SelectionList)
    selection.deselect_all()
    for probe in probes:
        selection.select(probe)


def cell(screen: TrialsScreen, row: int, column: int) -> str:
    return str(screen.query_one("#trials-matrix", DataTable).get_cell_at(Coordinate(row, column)))


def bar_shown(screen: TrialsScreen) -> bool:
    return screen.query_one("#trials-progress").display


async def test_run_fills_the_matrix_stores_results_and_shows_answers(
    make_app: AppFactory, demo_server: DemoServerThread
) -> None:
    demo_server.state.progress_delay = 0.0
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_trials(pilot, "mistral:7b", "llama3.1:8b")
        assert screen.models == ("llama3.1:8b", "mistral:7b")  # the Models table's order
        assert not bar_shown(screen)  # nothing runs yet: no bar
        only_probes(screen, "json", "code")
        screen.query_one("#trials-set", Input).value = "temperature=1.6"
        screen.query_one("#trials-matrix", DataTable).focus()
        shown: list[tuple[str, bool]] = []
        original = screen._show_status

        def record(text: str) -> None:
            shown.append((text, "demo" in BUSY_HOSTS))
            original(text)

        screen._show_status = record  # type: ignore[method-assign]
        await pilot.press("r")
        await wait_for(pilot, lambda: status(screen).startswith("Done"), seconds=30)
        assert "demo" not in BUSY_HOSTS
        assert bar_shown(screen)
        assert ("demo: busy — 1/20: llama3.1:8b · as installed · json book passed", True) in shown
        matrix = screen.query_one("#trials-matrix", DataTable)
        assert matrix.row_count == 4
        assert cell(screen, 0, 0) == "llama3.1:8b · as installed"
        assert cell(screen, 0, 3).startswith("3/3") and "t/s" in cell(screen, 0, 3)
        assert cell(screen, 1, 0) == "llama3.1:8b · temperature=1.6"
        assert cell(screen, 1, 3).startswith("0/3")
        assert cell(screen, 2, 0) == "mistral:7b · as installed"
        assert cell(screen, 2, 2).startswith("1/2")  # json: the missing year
        assert cell(screen, 2, 3).startswith("2/3")  # code: FizzBuzz off by one
        assert cell(screen, 2, 1) == "·"  # tools was not picked
        matrix.move_cursor(row=2, column=2)
        await pilot.press("enter")
        await wait_for_screen(pilot, TrialCellDialog)
        report = str(app.screen.query_one("#trial-cell-report", Static).render())
        assert "failed: schema_mismatch" in report and "'year' is a required property" in report
        assert '"title": "Dune"' in report
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        library = app.services.library.get()
        stored = {(r.model, r.variant, r.probe): r for r in stored_results(library)}
        assert stored[("mistral:7b", "as installed", "json")].failures == {"schema_mismatch": 1}
        assert len(stored) == 8


async def test_cancel_removes_the_temporary_model_and_frees_the_host(
    make_app: AppFactory, demo_server: DemoServerThread, demo_faults: FaultPlan
) -> None:
    demo_server.state.progress_delay = 0.0
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        before = {m.name.display for m in demo_server.state.list_models()}
        screen = await open_trials(pilot, "granite4:3b")
        only_probes(screen, "code")
        screen.offered.append(Variant("brief", modelfile="SYSTEM Be brief.\n"))
        selection = screen.query_one("#trials-variants", SelectionList)
        selection.deselect_all()
        selection.add_option(("brief", len(screen.offered) - 1, True))
        screen.query_one("#trials-matrix", DataTable).focus()
        demo_faults.hang("/api/chat")  # the host stops answering: the run waits until cancelled
        await pilot.press("r")
        await wait_for(pilot, lambda: "demo" in BUSY_HOSTS and screen.worker is not None)
        await wait_for(
            pilot,
            lambda: any(
                m.name.display.startswith("modelarium-trial/granite4-3b:")
                for m in demo_server.state.list_models()
            ),
        )
        await pilot.press("escape")
        await wait_for(pilot, lambda: status(screen).startswith("Cancelled"))
        await wait_for(
            pilot, lambda: {m.name.display for m in demo_server.state.list_models()} == before
        )
        assert "demo" not in BUSY_HOSTS
        assert screen.worker is None and screen.units == []
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, TrialsScreen))


async def test_save_settings_and_open_in_editor_from_a_cell(
    make_app: AppFactory, demo_server: DemoServerThread
) -> None:
    demo_server.state.progress_delay = 0.0
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app, ModelariumApp)
        await load_panes(pilot)
        screen = await open_trials(pilot, "llama3.1:8b")
        only_probes(screen, "speed")
        screen.query_one("#trials-variants", SelectionList).deselect_all()
        screen.query_one("#trials-set", Input).value = "num_ctx=8192"
        screen.query_one("#trials-matrix", DataTable).focus()
        await pilot.press("r")
        await wait_for(pilot, lambda: status(screen).startswith("Done"), seconds=30)
        screen.query_one("#trials-matrix", DataTable).move_cursor(row=0, column=4)
        await pilot.press("s")
        library = app.services.library.get()
        await wait_for(
            pilot,
            lambda: any(
                element.name.startswith("num_ctx=8192 (llama3.1:8b, speed 1/1)")
                for element in library.list_elements(kinds=("parameters",))
            ),
        )
        await pilot.press("e")
        await wait_for(pilot, lambda: not isinstance(app.screen, TrialsScreen))
        from modelarium.tui.editor.pane import EditorPane

        editor = app.query_one(EditorPane)
        await wait_for(pilot, lambda: "PARAMETER num_ctx 8192" in editor.text)
        assert "FROM llama3.1:8b" in editor.text


def offered_labels(screen: TrialsScreen) -> list[str]:
    selection = screen.query_one("#trials-variants", SelectionList)
    return [str(selection.get_option_at_index(i).prompt) for i in range(selection.option_count)]


async def test_variants_offered_suit_the_models(make_app: AppFactory) -> None:
    """Think on/off only for thinking models; library sets only of the models' own series
    (the `k` view's matcher), and a line saying so when none suits."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_trials(pilot, "granite3.3:8b")
        await wait_for(pilot, lambda: screen.sets_note is not None)
        granite = offered_labels(screen)
        assert granite[:3] == ["as installed", "think on", "think off"]
        # Its one curated set: offered, or (while its values do not type) said to be left out.
        assert granite[3:] in (
            ["granite-3.3-8b-instruct parameters (hosted default)"],
            [
                "Left out, Ollama would refuse: granite-3.3-8b-instruct parameters (hosted "
                "default): invalid int value [512.0]"
            ],
        )
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, TrialsScreen))
        await highlight_model(pilot, "granite3.3:8b")
        await pilot.press("space")  # unselect it

        screen = await open_trials(pilot, "mistral:7b")
        await wait_for(pilot, lambda: screen.sets_note is not None)
        mistral = offered_labels(screen)
        assert mistral == [
            "as installed",
            "Mistral-7B-Instruct stop sequences (Ollama ships)",
        ]
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, TrialsScreen))

        screen = await open_trials(pilot, "qwen2.5-coder:7b")  # with mistral:7b still chosen
        await wait_for(pilot, lambda: screen.sets_note is not None)
        assert offered_labels(screen) == [
            "as installed",
            "No curated parameter set matches all of mistral:7b (series mistral), "
            "qwen2.5-coder:7b (series qwen2.5-coder).",
        ]


def test_matrix_snapshot(
    snap_compare: SnapCompare, make_app: AppFactory, demo_server: DemoServerThread
) -> None:
    demo_server.state.progress_delay = 0.0

    async def run_before(pilot: Pilot[None]) -> None:
        screen = await open_trials(pilot, "qwen2.5-coder:7b", "mistral:7b")
        await wait_for(pilot, lambda: screen.sets_note is not None)
        screen.query_one("#trials-matrix", DataTable).focus()
        await pilot.press("r")
        await wait_for(pilot, lambda: status(screen).startswith("Done"), seconds=60)
        screen.query_one("#trials-matrix", DataTable).move_cursor(row=0, column=1)
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
