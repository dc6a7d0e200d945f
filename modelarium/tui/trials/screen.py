"""The Trials view: models from the Models selection, variants and probes picked here, a run
with progress and cancel, and the variant × probe matrix that accumulates as units finish.

The screen owns the state (chosen models, offered variants, finished units, the running
worker); the trial runs in one async worker that posts a message per graded run and per
finished unit, and stores each unit in the library from a thread. Trials go one at a time per
host (`BUSY_HOSTS`); the status line says when a host is busy. From a matrix cell: Enter shows
its raw answers and failure codes, `s` saves the variant's settings as a library element, `e`
opens a Modelfile of them in the editor.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, ProgressBar, SelectionList, Static
from textual.widgets.selection_list import Selection
from textual.worker import Worker, WorkerState

from modelarium.terminal_text import terminal_text
from modelarium.trials.probes import PROBE_NAMES, PROBES, ProbeName
from modelarium.trials.runner import Summary, TaskRun, Variant, summarise
from modelarium.trials.session import AS_INSTALLED, ProbeUnit
from modelarium.tui.errors import one_line, report_failed_worker
from modelarium.tui.keys import bindings_for
from modelarium.tui.state import services_of
from modelarium.tui.widgets.footer import AppFooter
from modelarium.tui.widgets.marks import MarkedSelectionList
from modelarium.wording import counted

if TYPE_CHECKING:
    from modelarium.ollama.types import ModelSummary
    from modelarium.store import Library

LOAD_TIMEOUT = 300.0
"""Seconds a trial waits for an answer to start (a large model loading)."""

NO_SET = -1
"""The value of the disabled line saying that no library set suits the models."""

BUSY_HOSTS: set[str] = set()
"""Hosts with a trial running now (one at a time per host)."""


class TrialRunGraded(Message):
    """One task run of the trial was graded (progress)."""

    def __init__(self, run: TaskRun) -> None:
        super().__init__()
        self.run = run


class TrialUnitDone(Message):
    """One model × variant × probe finished (and was stored, unless `store_error`)."""

    def __init__(self, unit: ProbeUnit, store_error: str | None) -> None:
        super().__init__()
        self.unit = unit
        self.store_error = store_error


class TrialEnded(Message):
    """The trial finished, failed (`error`) or was cancelled."""

    def __init__(self, error: str | None = None, cancelled: bool = False) -> None:
        super().__init__()
        self.error = error
        self.cancelled = cancelled


@dataclass(frozen=True, slots=True)
class Plan:
    """What one run of the view tries."""

    host: str
    models: tuple[str, ...]
    variants: tuple[Variant, ...]
    probes: tuple[ProbeName, ...]

    @property
    def total_runs(self) -> int:
        per_variant = sum(len(PROBES[probe].tasks) for probe in self.probes)
        return per_variant * len(self.variants) * len(self.models)


def typed_setting(text: str) -> Variant:
    """`num_ctx=8192` as a variant (typed by the core as create types it); ValueError with
    Ollama's text otherwise."""
    # Deferred (start-up): loaded on first use, not with the screen.
    from modelarium.modelfile.overlay import overlay_request

    name, equals, value = text.partition("=")
    if not equals or not name.strip() or not value.strip():
        raise ValueError(f"{text!r}: write NAME=VALUE, e.g. num_ctx=8192")
    try:
        request = overlay_request(f"PARAMETER {name.strip()} {value.strip()}\n", "base")
    except Exception as error:  # the core's errors carry Ollama's own text
        raise ValueError(f"{text}: {error}") from error
    parameters = request.body.get("parameters")
    if not isinstance(parameters, dict) or not parameters:
        raise ValueError(f"{text}: not a runtime parameter")
    return Variant(f"{name.strip()}={value.strip()}", options=dict(parameters))


def cell_text(summary: Summary | None) -> Text:
    """A matrix cell: passed/runs coloured by rate, and tokens/s."""
    if summary is None:
        return Text("·", style="dim")
    rate = summary.passed / summary.runs if summary.runs else 0.0
    style = "green" if rate == 1 else "yellow" if rate > 0 else "red"
    text = Text(f"{summary.passed}/{summary.runs}", style=f"bold {style}")
    if summary.tokens_per_second is not None:
        text.append(f"  {summary.tokens_per_second:g} t/s", style="dim")
    return text


class TrialsScreen(Screen[None]):
    """Pick variants and probes for the chosen models, run, read the matrix."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("trials-screen"))
    DEFAULT_CSS = """
    TrialsScreen { layout: vertical; }
    TrialsScreen #trials-title { text-style: bold; color: $primary; padding: 0 1; }
    TrialsScreen #trials-pickers { height: 12; }
    TrialsScreen #trials-variants { width: 2fr; height: 100%; border: round $primary; }
    TrialsScreen #trials-probes { width: 1fr; height: 100%; border: round $primary; }
    TrialsScreen #trials-set { margin: 0 0; }
    TrialsScreen #trials-run { height: auto; }
    TrialsScreen #trials-status { padding: 0 1; height: auto; }
    TrialsScreen #trials-progress { padding: 0 1; }
    TrialsScreen #trials-matrix { height: 1fr; border: round $primary; }
    """

    def __init__(self, rows: Sequence[ModelSummary]) -> None:
        super().__init__()
        self.host = rows[0].host
        self.models = tuple(row.name for row in rows if row.host == self.host)
        self.offered: list[Variant] = [Variant(AS_INSTALLED)]
        """Variants offered: as installed; think on/off and the library's sets once the
        models' facts say they suit (`_load_parameter_sets`)."""
        self.sets_note: str | None = None
        """None until the suitable variants are known; then "" or why no set is offered."""
        self.units: list[ProbeUnit] = []
        self.worker: Worker[None] | None = None
        self.plan: Plan | None = None
        self.graded = 0
        self.status = ""
        self.others = len(rows) - len(self.models)

    # composition ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        names = ", ".join(self.models)
        skipped = (
            f" ({counted(self.others, 'model')} on other hosts left out)" if self.others else ""
        )
        yield Static(
            Text(terminal_text(f"Trials on {self.host}: {names}{skipped}")), id="trials-title"
        )
        with Horizontal(id="trials-pickers"):
            variants = MarkedSelectionList[int](
                *[Selection(v.label, index, index == 0) for index, v in enumerate(self.offered)],
                id="trials-variants",
            )
            variants.border_title = "Variants (Space picks; library parameter sets below)"
            yield variants
            probes = MarkedSelectionList[str](
                *[
                    Selection[str](f"{name}: {PROBES[name].summary}", str(name), True)
                    for name in PROBE_NAMES
                ],
                id="trials-probes",
            )
            probes.border_title = "Probes"
            yield probes
        yield Input(
            placeholder="More variants, one per NAME=VALUE: num_ctx=8192 temperature=0.2",
            id="trials-set",
        )
        with Vertical(id="trials-run"):
            yield Static(id="trials-status")
            yield ProgressBar(id="trials-progress", show_eta=False)
        matrix = DataTable[Text](id="trials-matrix", cursor_type="cell", zebra_stripes=True)
        matrix.border_title = "Variant × probe (Enter: raw answers and failure codes)"
        yield matrix
        yield AppFooter()

    def on_mount(self) -> None:
        matrix = self.query_one("#trials-matrix", DataTable)
        matrix.add_column("model · variant", key="variant")
        for probe in PROBE_NAMES:
            matrix.add_column(probe, key=probe)
        # Shown once a run starts: before it, an empty bar would animate as if something ran.
        self.query_one("#trials-progress", ProgressBar).display = False
        self._show_status(
            f"{self.host} is busy with another trial"
            if self.host in BUSY_HOSTS
            else "Ready: r runs"
        )
        self.query_one("#trials-variants", SelectionList).focus()
        self.run_worker(self._load_parameter_sets(), group="trial-sets", exit_on_error=False)

    async def _load_parameter_sets(self) -> None:
        """Offer the variants that suit every chosen model: think on/off for thinking models,
        and the library's parameter sets the `k` view's matcher gives them (by series, size
        and mode; a set for another series or model is never offered)."""
        # Deferred (start-up): loaded on first use, not with the screen.
        from modelarium.knowledge.match import facts_from_show
        from modelarium.knowledge.records import KnowledgeError
        from modelarium.ollama.types import OllamaError
        from modelarium.trials.session import variant_from_elements
        from modelarium.tui.parameter_sets import parameter_sets_for
        from modelarium.tui.state import HostNotAvailable, LibraryUnavailable

        services = services_of(self)
        try:
            client = services.client(self.host)
            try:
                version: str | None = await client.version()
            except OllamaError:
                version = None
            facts = [facts_from_show(await client.show(name), version) for name in self.models]
        except (OllamaError, HostNotAvailable) as error:
            self.post_message(ParameterSetsLoaded((), f"No variants: {one_line(error)}"))
            return
        think = (
            (Variant("think on", think=True), Variant("think off", think=False))
            if facts and all(one.thinks for one in facts)
            else ()
        )
        try:
            library = await asyncio.to_thread(services.library.get)
            matched = await asyncio.to_thread(parameter_sets_for, library, facts)
        except (LibraryUnavailable, KnowledgeError) as error:
            self.notify(one_line(error), severity="warning")
            self.post_message(ParameterSetsLoaded(think, f"No library sets: {one_line(error)}"))
            return
        variants = list(think)
        refused: list[str] = []
        for offered in matched.sets:
            try:
                variants.append(variant_from_elements(offered.label, (offered.element.element,)))
            except Exception as error:  # a set Ollama would refuse is not offered: said
                refused.append(f"{offered.label}: {one_line(error)}")
        note = matched.note
        if refused:
            note = f"Left out, Ollama would refuse: {'; '.join(refused)}"
        self.post_message(ParameterSetsLoaded(tuple(variants), note))

    # state changes ------------------------------------------------------------------------

    def on_parameter_sets_loaded(self, message: ParameterSetsLoaded) -> None:
        selection = self.query_one("#trials-variants", SelectionList)
        for variant in message.variants:
            self.offered.append(variant)
            selection.add_option(Selection(variant.label, len(self.offered) - 1, False))
        if message.note:
            selection.add_option(
                Selection(terminal_text(message.note), NO_SET, False, disabled=True)
            )
        self.sets_note = message.note

    def _show_status(self, text: str) -> None:
        self.status = text
        self.query_one("#trials-status", Static).update(Text(terminal_text(text, lines="join")))

    def _chosen_plan(self) -> Plan:
        variants_list = self.query_one("#trials-variants", SelectionList)
        chosen = [self.offered[index] for index in sorted(variants_list.selected)]
        typed = self.query_one("#trials-set", Input).value.split()
        chosen += [typed_setting(text) for text in typed]
        probes = [
            p for p in PROBE_NAMES if p in self.query_one("#trials-probes", SelectionList).selected
        ]
        if not chosen:
            raise ValueError("pick at least one variant")
        if not probes:
            raise ValueError("pick at least one probe")
        return Plan(self.host, self.models, tuple(chosen), tuple(probes))

    def action_run(self) -> None:
        """Start the trial (one at a time per host)."""
        if self.worker is not None:
            self.notify("A trial is running: Esc cancels it first.", severity="warning")
            return
        if self.host in BUSY_HOSTS:
            self.notify(f"{self.host} is busy with another trial.", severity="warning")
            return
        try:
            plan = self._chosen_plan()
        except ValueError as error:
            self.notify(one_line(error), severity="error")
            return
        self.plan = plan
        self.graded = 0
        BUSY_HOSTS.add(plan.host)
        bar = self.query_one("#trials-progress", ProgressBar)
        bar.update(total=plan.total_runs, progress=0)
        bar.display = True
        self._show_status(
            f"{plan.host}: busy — running {counted(plan.total_runs, 'task run')} "
            f"({counted(len(plan.variants), 'variant')} × {counted(len(plan.models), 'model')})"
        )
        self.worker = self.run_worker(
            self._trial(plan), group="trial", exclusive=True, exit_on_error=False
        )

    @on(Input.Submitted, "#trials-set")
    def _set_submitted(self) -> None:
        self.action_run()

    def action_cancel_or_close(self) -> None:
        """Cancel a running trial; close the view when none runs."""
        if self.worker is not None:
            self.worker.cancel()
            self._show_status(f"{self.host}: cancelling (removing temporary models)…")
            return
        self.dismiss(None)

    async def _trial(self, plan: Plan) -> None:
        """The worker: run the plan on a dedicated client, store each finished unit."""
        # Deferred (start-up): loaded on first use, not with the screen.
        from modelarium.ollama.client import OllamaClient
        from modelarium.ollama.types import OllamaError
        from modelarium.store import StoreError
        from modelarium.store.trials import store_unit
        from modelarium.trials.session import TrialAborted, run_trial
        from modelarium.tui.state import LibraryUnavailable

        services = services_of(self)
        library: Library | None = None
        library_error: str | None = None
        try:
            library = await asyncio.to_thread(services.library.get)
        except LibraryUnavailable as error:
            library_error = one_line(error)

        async def finished(unit: ProbeUnit) -> None:
            error = library_error
            if library is not None:
                try:
                    await asyncio.to_thread(store_unit, library, unit)
                except StoreError as failure:
                    error = one_line(failure)
            self.post_message(TrialUnitDone(unit, error))

        try:
            config = services.client(plan.host).config
            timeout = max(services.settings.request_timeout, LOAD_TIMEOUT)
            async with OllamaClient(config, timeout=timeout) as client:
                await run_trial(
                    client,
                    models=plan.models,
                    variants=plan.variants,
                    probes=plan.probes,
                    on_run=self._graded,
                    on_unit=finished,
                )
        except asyncio.CancelledError:
            self.post_message(TrialEnded(cancelled=True))
            raise
        except (TrialAborted, OllamaError, LookupError) as error:
            self.post_message(TrialEnded(error=one_line(error)))
            return
        self.post_message(TrialEnded())

    def _graded(self, run: TaskRun) -> None:
        self.post_message(TrialRunGraded(run))

    def on_trial_run_graded(self, message: TrialRunGraded) -> None:
        self.graded += 1
        self.query_one("#trials-progress", ProgressBar).update(progress=self.graded)
        run = message.run
        total = self.plan.total_runs if self.plan is not None else self.graded
        self._show_status(
            f"{self.host}: busy — {self.graded}/{total}: {run.model} · {run.variant.label} · "
            f"{run.probe} {run.task_id} {'passed' if run.grade.passed else run.grade.failure}"
        )

    def on_trial_unit_done(self, message: TrialUnitDone) -> None:
        unit = message.unit
        self.units = [
            known
            for known in self.units
            if (known.model, known.variant.key(), known.probe)
            != (unit.model, unit.variant.key(), unit.probe)
        ] + [unit]
        self._render_matrix()
        if message.store_error:
            self.notify(f"Not stored: {message.store_error}", severity="warning")

    def on_trial_ended(self, message: TrialEnded) -> None:
        if self.plan is not None:
            BUSY_HOSTS.discard(self.plan.host)
        self.worker = None
        if message.cancelled:
            self._show_status(f"Cancelled; {counted(len(self.units), 'probe result')} kept")
        elif message.error:
            self._show_status(f"Trial stopped: {message.error}")
            self.notify(message.error, severity="error", timeout=10)
        else:
            self._show_status(
                f"Done: {counted(len(self.units), 'probe result')}; Enter on a cell: its answers"
            )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "trial" and event.state is WorkerState.CANCELLED:
            if self.plan is not None:
                BUSY_HOSTS.discard(self.plan.host)
            self.worker = None
        report_failed_worker(self, event)

    def on_unmount(self) -> None:
        if self.worker is not None and self.plan is not None:
            self.worker.cancel()
            BUSY_HOSTS.discard(self.plan.host)

    # the matrix -------------------------------------------------------------------------

    def _row_keys(self) -> list[tuple[str, str]]:
        keys: list[tuple[str, str]] = []
        for unit in self.units:
            key = (unit.model, unit.variant.key())
            if key not in keys:
                keys.append(key)
        return keys

    def _unit(self, model: str, variant_key: str, probe: str) -> ProbeUnit | None:
        return next(
            (
                unit
                for unit in self.units
                if (unit.model, unit.variant.key(), unit.probe) == (model, variant_key, probe)
            ),
            None,
        )

    def _render_matrix(self) -> None:
        matrix = self.query_one("#trials-matrix", DataTable)
        cursor = matrix.cursor_coordinate
        matrix.clear()
        for model, variant_key in self._row_keys():
            label = next(
                u.variant.label
                for u in self.units
                if (u.model, u.variant.key()) == (model, variant_key)
            )
            cells = [Text(terminal_text(f"{model} · {label}"))]
            for probe in PROBE_NAMES:
                unit = self._unit(model, variant_key, probe)
                cells.append(cell_text(summarise(unit.runs)[0] if unit and unit.runs else None))
            matrix.add_row(*cells, key=f"{model}\x1f{variant_key}")
        if matrix.row_count:
            matrix.cursor_coordinate = Coordinate(
                min(cursor.row, matrix.row_count - 1), max(cursor.column, 1)
            )

    def highlighted_unit(self) -> ProbeUnit | None:
        """The unit under the matrix cursor (None on the label column or an empty cell)."""
        matrix = self.query_one("#trials-matrix", DataTable)
        keys = self._row_keys()
        coordinate = matrix.cursor_coordinate
        if not keys or coordinate.row >= len(keys) or coordinate.column < 1:
            return None
        model, variant_key = keys[coordinate.row]
        return self._unit(model, variant_key, PROBE_NAMES[coordinate.column - 1])

    @on(DataTable.CellSelected, "#trials-matrix")
    def _cell_selected(self) -> None:
        # Deferred (start-up): loaded on first use, not with the screen.
        from modelarium.tui.trials.cell import TrialCellDialog

        unit = self.highlighted_unit()
        if unit is not None:
            self.app.push_screen(TrialCellDialog(unit))

    def action_save_settings(self) -> None:
        """Save the highlighted cell's variant as a library element (a thread worker)."""
        # Deferred (start-up): loaded on first use, not with the screen.
        from modelarium.trials.session import variant_elements

        unit = self.highlighted_unit()
        if unit is None:
            self.notify("Highlight a result cell first.", severity="warning")
            return
        if not variant_elements(unit.variant):
            self.notify(
                "This variant sets nothing a library element can hold (as installed, or think "
                "only).",
                severity="warning",
            )
            return
        self.run_worker(
            lambda: self._save(unit), thread=True, group="trial-save", exit_on_error=False
        )

    def _save(self, unit: ProbeUnit) -> None:
        # Deferred (start-up): loaded on first use, not with the screen.
        from modelarium.store import NewElement, StoreError, Tag
        from modelarium.trials.session import variant_elements
        from modelarium.tui.messages import LibraryChanged
        from modelarium.tui.state import LibraryUnavailable

        [summary] = summarise(unit.runs)
        speed = f", {summary.tokens_per_second:g} tokens/s" if summary.tokens_per_second else ""
        notes = (
            f"Measured on {unit.host} (Ollama {unit.ollama_version}) with {unit.model}: "
            f"{unit.probe} {summary.passed}/{summary.runs} passed{speed}."
        )
        candidates = [
            NewElement(
                element,
                f"{unit.variant.label} ({unit.model}, {unit.probe} "
                f"{summary.passed}/{summary.runs})",
                tags=(Tag("source", "trials"),),
                notes=notes,
            )
            for element in variant_elements(unit.variant)
        ]
        try:
            library = services_of(self).library.get()
            saved = library.add_elements(candidates)
        except (LibraryUnavailable, StoreError) as error:
            self.app.call_from_thread(self.notify, one_line(error), severity="error")
            return
        self.app.call_from_thread(
            self.notify, f"Saved {counted(len(saved), 'element')} to the library."
        )
        self.app.call_from_thread(self.app.post_message, LibraryChanged("saved trial settings"))

    def action_open_in_editor(self) -> None:
        """Open a Modelfile of the highlighted cell's model and variant in the editor."""
        # Deferred (start-up): loaded on first use, not with the screen.
        from modelarium.trials.session import modelfile_for
        from modelarium.tui.messages import OpenInEditor

        unit = self.highlighted_unit()
        if unit is None:
            self.notify("Highlight a result cell first.", severity="warning")
            return
        text = modelfile_for(unit.model, unit.variant)
        self.dismiss(None)
        self.app.post_message(
            OpenInEditor(text=text, origin=f"trial: {unit.model} · {unit.variant.label}")
        )


class ParameterSetsLoaded(Message):
    """The variants that suit the chosen models (think on/off, library parameter sets)."""

    def __init__(self, variants: tuple[Variant, ...], note: str = "") -> None:
        super().__init__()
        self.variants = variants
        self.note = note
        """Why no library set is offered (empty when some are)."""
