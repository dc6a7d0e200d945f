"""One matrix cell in detail: every run of one model × variant × probe with its verdict,
failure code and detail, the raw answer (text, thinking, tool calls) and its counters."""

from __future__ import annotations

import json
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from modelarium.terminal_text import terminal_text
from modelarium.trials.runner import summarise
from modelarium.trials.session import ProbeUnit
from modelarium.tui.keys import bindings_for


def cell_report(unit: ProbeUnit) -> Text:
    """Every run of the unit: verdict line, then the raw answer indented."""
    report = Text()
    for run in unit.runs:
        verdict = "passed" if run.grade.passed else f"failed: {run.grade.failure}"
        style = "bold green" if run.grade.passed else "bold red"
        report.append(f"{run.task_id} (run {run.repeat + 1}) ", style="bold")
        report.append(verdict + "\n", style=style)
        if run.grade.detail and not run.grade.passed:
            report.append(f"  {terminal_text(run.grade.detail, lines='join')}\n", style="yellow")
        reply = run.reply
        if reply is None:
            report.append(f"  {terminal_text(run.error, lines='join')}\n", style="red")
            continue
        if reply.thinking:
            report.append("  thinking: ", style="dim")
            report.append(
                terminal_text(reply.thinking, lines="keep").replace("\n", "\n    ") + "\n",
                style="dim",
            )
        for call in reply.tool_calls:
            arguments = json.dumps(dict(call.arguments), ensure_ascii=False)
            report.append(
                f"  tool call: {terminal_text(call.name)}({terminal_text(arguments)})\n",
                style="cyan",
            )
        if reply.content:
            report.append(
                "  " + terminal_text(reply.content, lines="keep").replace("\n", "\n  ") + "\n"
            )
        speed = reply.tokens_per_second
        report.append(
            f"  done_reason {reply.done_reason or '-'} · {reply.eval_count or 0} tokens"
            + (f" · {speed:.1f} tokens/s" if speed else "")
            + (
                f" · first token {reply.first_token_seconds:.2f} s"
                if reply.first_token_seconds is not None
                else ""
            )
            + "\n\n",
            style="dim",
        )
    return report


class TrialCellDialog(ModalScreen[None]):
    """The raw answers and failure codes behind one matrix cell; Esc or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("trial-cell-dialog"))

    def __init__(self, unit: ProbeUnit) -> None:
        super().__init__()
        self.unit = unit

    def compose(self) -> ComposeResult:
        unit = self.unit
        [summary] = summarise(unit.runs)
        failures = ", ".join(f"{code} ×{count}" for code, count in summary.failures.items())
        title = (
            f"{unit.model} · {unit.variant.label} · {unit.probe} v{unit.probe_version}: "
            f"{summary.passed}/{summary.runs} passed" + (f" ({failures})" if failures else "")
        )
        with Vertical(classes="dialog wide-dialog"):
            yield Static(Text(terminal_text(title)), classes="dialog-title", id="trial-cell-title")
            yield Static(
                Text(
                    terminal_text(
                        f"on {unit.host}, Ollama {unit.ollama_version}, context "
                        f"{unit.context_length or 'unknown'}, digest {unit.base_digest[:12]}"
                    )
                ),
                id="trial-cell-where",
            )
            with VerticalScroll(id="trial-cell-body"):
                yield Static(cell_report(unit), id="trial-cell-report")
            yield Static("Esc closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#trial-cell-body", VerticalScroll).focus()

    def action_close(self) -> None:
        """Close the answers."""
        self.dismiss(None)
