"""Batch apply: type Modelfile lines once, see what each selected model would become, apply.

The preview lists, per model, the name created and the settings sent (or the exact problem:
Ollama's parse or create error, a bad or clashing name); Apply is possible only when every
model is fine. New names (`{repo}:{tag}-custom`) are the default; `{repo}:{tag}` replaces
each model in place. The dialog returns the plan; the Models pane asks the hosts which
targets exist now, asks before replacing any, and sends each item's exact create.
"""

from __future__ import annotations

import json
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from modelarium.modelfile import overlay_problem
from modelarium.ollama.names import same_model
from modelarium.ollama.types import ModelSummary
from modelarium.terminal_text import terminal_text
from modelarium.tui.keys import bindings_for
from modelarium.tui.models.overlay import NEW_NAME, SAME_NAME, OverlayItem, plan_overlay
from modelarium.wording import counted

SENT_FIELDS = ("parameters", "system", "template", "messages", "license", "adapters", "requires")
"""Body fields worth showing in the preview (the rest is the base model and its name)."""


def item_line(item: OverlayItem) -> Text:
    """`qwen2.5-coder:7b -> qwen2.5-coder:7b-code  parameters {"temperature": 0.2}`."""
    line = Text(terminal_text(f"{item.row.name} on {item.row.host}"), style="bold")
    line.append(" -> ")
    line.append(terminal_text(item.target) or "(no name)", style="bold")
    if item.problem is not None:
        line.append(f"  {terminal_text(item.problem)}", style="red")
        return line
    assert item.body is not None
    for field in SENT_FIELDS:
        if field in item.body:
            value = terminal_text(json.dumps(item.body[field], ensure_ascii=False))
            line.append(f"  {field} ", style="dim")
            line.append(value if len(value) <= 160 else value[:159] + "…", style="green")
    return line


class ApplyLinesDialog(ModalScreen[list[OverlayItem] | None]):
    """Lines to lay over the selected models, a name pattern, and the per-model preview."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("apply-dialog"))

    def __init__(self, rows: list[ModelSummary], lines: str = "") -> None:
        super().__init__()
        self.rows = rows
        self.initial_lines = lines
        self.plan: list[OverlayItem] = []
        """The per-model plan for the current lines and name pattern."""
        self.problem: str | None = None
        """Why the lines cannot be applied at all (None when they can)."""

    def compose(self) -> ComposeResult:
        # Deferred (start-up): loaded on first use, not with the pane.
        from modelarium.tui.widgets.text_area import ModelfileTextArea

        with Vertical(classes="dialog wide-dialog"):
            yield Static(
                f"Apply Modelfile lines to {counted(len(self.rows), 'model')}",
                classes="dialog-title",
            )
            yield Label(
                "PARAMETER, SYSTEM, TEMPLATE, MESSAGE… lines (no FROM: each model is the base; "
                "parameters not named here keep their values):",
                classes="dialog-hint",
                id="apply-hint",
            )
            yield ModelfileTextArea(self.initial_lines, id="apply-lines")
            with Horizontal(id="apply-name-row"):
                yield Label("Create as ", classes="dialog-hint")
                yield Input(
                    NEW_NAME,
                    placeholder=f"{NEW_NAME}  ({SAME_NAME} replaces each model)",
                    id="apply-name",
                )
            with VerticalScroll(id="apply-preview"):
                yield Static("", id="apply-plan")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply (ctrl+s)", variant="primary", id="apply-go")
                yield Button("Cancel (Esc)", id="apply-cancel")

    def on_mount(self) -> None:
        self.query_one("#apply-lines", TextArea).focus()
        self._replan()

    @on(TextArea.Changed, "#apply-lines")
    @on(Input.Changed, "#apply-name")
    def _changed(self) -> None:
        self._replan()

    def _replan(self) -> None:
        lines = self.query_one("#apply-lines", TextArea).text
        pattern = self.query_one("#apply-name", Input).value
        self.problem = overlay_problem(lines)
        self.plan = [] if self.problem else plan_overlay(self.rows, lines, pattern)
        preview = Text()
        if self.problem is not None:
            preview.append(self.problem, style="red")
        else:
            in_place = sum(same_model(item.target, item.row.name) for item in self.plan)
            if in_place:
                preview.append(
                    f"{counted(in_place, 'model')} will be replaced in place.\n", style="yellow"
                )
            for item in self.plan:
                preview.append_text(item_line(item))
                preview.append("\n")
        self.query_one("#apply-plan", Static).update(preview)
        self.query_one("#apply-go", Button).disabled = not self.ready

    @property
    def ready(self) -> bool:
        """Whether every model can be created as planned."""
        return self.problem is None and all(item.problem is None for item in self.plan)

    def action_apply(self) -> None:
        """Create the planned models (only when every one of them is fine)."""
        if self.ready:
            self.dismiss(self.plan)

    def action_cancel(self) -> None:
        """Close without creating anything."""
        self.dismiss(None)

    @on(Button.Pressed, "#apply-go")
    def _apply_pressed(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#apply-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
