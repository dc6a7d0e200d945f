"""Curated settings for one installed model, side by side: what the vendor recommends, what the
model ships, the engine default on this host's Ollama version and what was measured here.

A worker asks the host for the model (`/api/show`) and its version (`/api/version`) and posts
the facts; the screen runs the pure matcher (`knowledge.match`) and fills the table, one block
per mode and use case, differences marked with ≠. The highlighted row's origin, source and
exact quote show below the table; `u` steps through the use cases.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from modelarium.knowledge.match import (
    NO_TRIALS,
    Cell,
    ModelFacts,
    Recommendation,
    Row,
    Section,
    facts_from_show,
    match,
    shipped_columns,
)
from modelarium.knowledge.records import (
    TASKS,
    VENDOR_ORIGINS,
    KnowledgeRecord,
    load_records,
)
from modelarium.knowledge.toolcall import ToolCallDiagnostic, diagnose
from modelarium.terminal_text import terminal_text
from modelarium.tui.keys import bindings_for
from modelarium.tui.state import services_of

if TYPE_CHECKING:
    from modelarium.store.trials import StoredResult


def one_line(text: str) -> str:
    """Outside or curated text as one terminal-safe line (messages, quotes, notes)."""
    return terminal_text(text, lines="join")


USE_CASES: tuple[str | None, ...] = (None, *TASKS)
"""The use-case filter's steps: every use case, then each one alone."""


@dataclass(frozen=True, slots=True)
class TableLine:
    """What one table row stands for: a section heading or a parameter row."""

    section: Section
    row: Row | None
    shipped: Cell | None = None
    """What Ollama's library ships for the parameter (`knowledge.match.shipped_columns`: the
    model's own values for a model as pulled, else the curated `ollama-shipped` records')."""
    own: Cell | None = None
    """The model's own value when it is not what Ollama ships (a model made under its own
    name), shown as "this model"."""


def vendor_said_nothing(recommendation: Recommendation) -> bool:
    """Whether the summary already says the vendor publishes no sampling values (said once)."""
    return recommendation.line is not None and not any(
        record.kind == "sampling" and record.origin in VENDOR_ORIGINS
        for record in recommendation.records
    )


def cell_text(cell: Cell | None, *, differs: bool = False) -> Text:
    """A table cell: the value, or a dim dash; a differing vendor value in bold."""
    if cell is None:
        return Text("—", style="dim")
    return Text(terminal_text(cell.text), style="bold yellow" if differs else "")


def describe_record(record: KnowledgeRecord, label: str) -> Text:
    """Origin, id, source, quote and verification of one record, for the detail panel."""
    text = Text()
    text.append(f"{label}: ", style="bold")
    text.append(f"{record.origin}", style="cyan")
    text.append(f"  {record.id}\n")
    text.append(f"  source: {terminal_text(record.source.where)}\n", style="dim")
    if record.source.quote:
        text.append(f'  "{one_line(record.source.quote)}"\n', style="italic")
    else:
        text.append("  no quote (carried from v1, not re-verified)\n", style="dim")
    verified = record.verified_on or "not re-verified"
    text.append(f"  verified: {verified}", style="dim")
    if record.note:
        text.append(f"\n  {one_line(record.note)}", style="dim")
    return text


class KnowledgeScreen(ModalScreen[None]):
    """The curated settings that apply to one model, side by side; Esc or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("knowledge-dialog"))
    DEFAULT_CSS = """
    KnowledgeScreen #knowledge-table {
        height: 1fr;
    }
    KnowledgeScreen #knowledge-detail {
        height: auto;
        max-height: 12;
        margin-top: 1;
    }
    """

    class Loaded(Message):
        """The model's facts arrived from its host."""

        def __init__(self, facts: ModelFacts, measured: list[StoredResult]) -> None:
            super().__init__()
            self.facts = facts
            self.measured = measured

    class Failed(Message):
        """The host could not be asked; `text` is the one-line reason."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, host: str, model: str) -> None:
        super().__init__()
        self.host = host
        self.model = model
        self.facts: ModelFacts | None = None
        self.use_case: str | None = None
        self.recommendation: Recommendation | None = None
        self.diagnostics: list[ToolCallDiagnostic] = []
        self.lines: list[TableLine] = []
        self.own_column = False
        """Whether the table has a "this model" column (a model made under its own name)."""
        self.measured: list[StoredResult] = []
        """This model's trial results (every probe); the summary shows the use case's."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Static(
                f"Settings for {terminal_text(self.model)} on {terminal_text(self.host)}",
                classes="dialog-title",
                markup=False,
            )
            yield Static("Asking the host…", id="knowledge-summary", markup=False)
            yield DataTable(id="knowledge-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="knowledge-detail", markup=False)
            yield Static(
                "↑↓ a row shows its origin and quote · u use case · l in the Library · Esc closes",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        # set_focus, not widget.focus(): that waits behind keys already queued, so ↑↓ typed
        # right after `k` would reach a screen with nothing focused and do nothing.
        self.set_focus(self.query_one(DataTable))
        self._load()

    @work(group="knowledge", exclusive=True, exit_on_error=False)
    async def _load(self) -> None:
        # Deferred (start-up): loaded on first use, not with the screen.
        from modelarium.ollama.types import OllamaError
        from modelarium.tui.state import HostNotAvailable

        try:
            client = services_of(self).client(self.host)
            details = await client.show(self.model)
            try:
                version: str | None = await client.version()
            except OllamaError:
                version = None
        except (OllamaError, HostNotAvailable) as error:
            self.post_message(self.Failed(" ".join(str(error).split())))
            return
        facts = facts_from_show(details, version)
        self.post_message(self.Loaded(facts, await asyncio.to_thread(self._measured, facts)))

    def _measured(self, facts: ModelFacts) -> list[StoredResult]:
        """Every stored trial result of this model (a worker thread; [] without a library)."""
        # Deferred (start-up): loaded on first use, not with the screen.
        from modelarium.store.errors import StoreError
        from modelarium.store.trials import measured_here

        try:
            return measured_here(services_of(self).library.get(), model=facts.name)
        except (StoreError, RuntimeError):
            return []

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.facts = message.facts
        self.measured = message.measured
        self.diagnostics = diagnose(load_records(), message.facts)
        self._show()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        summary = self.query_one("#knowledge-summary", Static)
        reason = one_line(message.text)
        summary.update(Text(f"Cannot read the model: {reason}", style="bold red"))

    def _show(self) -> None:
        """Match the records for the current use case and fill the table."""
        facts = self.facts
        if facts is None:
            return
        recommendation = match(load_records(), facts, use_case=self.use_case)
        self.recommendation = recommendation
        self.query_one("#knowledge-summary", Static).update(self._summary(recommendation))
        table = self.query_one(DataTable)
        table.clear(columns=True)
        version = facts.ollama_version or "?"
        columns = shipped_columns(recommendation)
        own_column = columns.own_column
        self.own_column = own_column
        table.add_columns(
            "",
            "parameter",
            "vendor recommends",
            "Ollama ships",
            *(("this model",) if own_column else ()),
            f"engine ({version})",
            "measured",
        )
        self.lines = []
        for section, cells in zip(recommendation.sections, columns.sections, strict=True):
            table.add_row(Text(""), Text(section.title, style="bold"), *[""] * (4 + own_column))
            self.lines.append(TableLine(section, None))
            for cell in cells:
                row = cell.row
                line = TableLine(section, row, cell.shipped, cell.own)
                table.add_row(
                    Text("≠", style="bold yellow") if row.differs else Text(""),
                    row.parameter,
                    cell_text(row.vendor, differs=row.differs),
                    cell_text(line.shipped),
                    *((cell_text(line.own),) if own_column else ()),
                    cell_text(row.engine),
                    Text("—", style="dim"),
                )
                self.lines.append(line)
        if self.lines:
            table.move_cursor(row=1 if len(self.lines) > 1 else 0)
        self._describe(table.cursor_row)

    def _summary(self, recommendation: Recommendation) -> Text:
        facts = recommendation.facts
        parts = [
            f"series {recommendation.line}" if recommendation.line else "series unknown",
            facts.parameter_size,
            "thinking" if facts.thinks else "no thinking",
            f"Ollama {facts.ollama_version or 'version unknown'}",
            f"use case: {self.use_case or 'all'}",
            f"measured here: {self._measured_text()}",
        ]
        text = Text(" · ".join(part for part in parts if part))
        for remark in recommendation.remarks:
            text.append(f"\n{remark}", style="yellow")
        for diagnostic in self.diagnostics:
            text.append(f"\n{diagnostic.code} {one_line(diagnostic.message)}", style="yellow")
        return text

    def _measured_text(self) -> str:
        # Deferred (start-up): loaded on first use, not with the screen.
        from modelarium.store.trials import USE_CASE_PROBES, measured_text

        probes = USE_CASE_PROBES.get(self.use_case or "general", USE_CASE_PROBES["general"])
        shown = [result for result in self.measured if result.probe in probes]
        return terminal_text(measured_text(shown) or NO_TRIALS)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe(event.cursor_row)

    def _describe(self, index: int) -> None:
        """Show where the highlighted row's values come from: the row's values first, then the
        origin, source and quote of the record behind each (a heading: its vendor record)."""
        detail = self.query_one("#knowledge-detail", Static)
        if not 0 <= index < len(self.lines):
            detail.update("")
            return
        line = self.lines[index]
        section = line.section
        row = line.row
        text = Text()
        if row is not None:
            text.append_text(self._row_values(line, row))
            text.append("\n")
        record = section.vendor_record
        if row is not None and row.vendor is None and record is not None:
            text.append(f"vendor: no {row.parameter} value in ", style="dim")
            text.append(f"{record.id}\n", style="dim")
        elif record is not None:
            text.append_text(describe_record(record, "vendor"))
            text.append("\n")
            for remark in section.remarks:
                text.append(f"{remark}\n", style="yellow")
        elif self.recommendation is None or not vendor_said_nothing(self.recommendation):
            # Without a vendor record the section's one remark says the same: shown once,
            # and not at all when the summary above already says it for the whole model.
            text.append("vendor: no sampling values published for this model\n", style="dim")
        if row is not None:
            for label, cell in (("Ollama ships", line.shipped), ("engine", row.engine)):
                text.append_text(self._cell_origin(label, cell))
            if line.own is not None:
                text.append("this model: its own parameters, not what Ollama ships\n", style="dim")
        text.rstrip()
        detail.update(text)

    @staticmethod
    def _row_values(line: TableLine, row: Row) -> Text:
        """The highlighted row in one line: its parameter and each column's value."""
        text = Text()
        text.append(f"{row.parameter}", style="bold")
        values = [("vendor", row.vendor), ("Ollama ships", line.shipped)]
        if line.own is not None:
            values.append(("this model", line.own))
        values.append(("engine", row.engine))
        for label, cell in values:
            text.append(f"  {label} ")
            text.append(terminal_text(cell.text) if cell is not None else "—")
        return text

    def _cell_origin(self, label: str, cell: Cell | None) -> Text:
        """One line on where a non-vendor value comes from, with its record's quote."""
        text = Text()
        if cell is None or cell.record_id is None:
            return text
        if cell.record_id == "model":
            text.append(f"{label}: the model's own parameters\n", style="dim")
            return text
        record = next((r for r in load_records() if r.id == cell.record_id), None)
        text.append(f"{label}: ", style="bold")
        if record is None:
            text.append(f"{cell.record_id}\n", style="dim")
            return text
        text.append(record.origin, style="cyan")
        text.append(f"  {record.id}", style="dim")
        if record.source.quote:
            text.append(f'  "{one_line(record.source.quote)}"', style="italic")
        text.append("\n")
        return text

    def action_cycle_use_case(self) -> None:
        """Show the next use case (all, general, code, tools, research, reasoning)."""
        position = USE_CASES.index(self.use_case)
        self.use_case = USE_CASES[(position + 1) % len(USE_CASES)]
        self._show()

    def action_show_in_library(self) -> None:
        """Open the Library filtered to the curated elements that apply to this model."""
        # Deferred (start-up): loaded on first use, not with the screen.
        from modelarium.tui.messages import ShowRecordsInLibrary

        if self.recommendation is None:
            self.notify("The settings are not loaded yet.", severity="warning")
            return
        ids = tuple(record.id for record in self.recommendation.records)
        self.dismiss(None)
        # The app delivers it to the Library pane (loading it first when need be) and shows it.
        self.app.post_message(ShowRecordsInLibrary(f"{self.model} on {self.host}", ids))

    def action_close(self) -> None:
        """Close the view."""
        self.dismiss(None)
