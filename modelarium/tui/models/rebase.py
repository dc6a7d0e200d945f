"""Re-create derived models on their base's current weights, as a previewed batch.

`drifted_base` tells the details view whether a derived model's base was updated since it was
made. `RebaseDialog` shows, per model, the preview the CLI's `models rebase` prints (the
drift, the Modelfile of its own lines over the current base, the exact create body, the
model-aware findings) and returns the plans to send only when the user confirms; the Models
pane then sends each plan's exact `ModelCreate`, as batch apply does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from modelarium.terminal_text import terminal_text
from modelarium.tui.keys import bindings_for
from modelarium.wording import counted

if TYPE_CHECKING:
    from modelarium.ollama.client import OllamaClient
    from modelarium.ollama.model_check import RebasePlan
    from modelarium.ollama.types import ModelDetails


async def base_of(client: OllamaClient, details: ModelDetails) -> ModelDetails | None:
    """The `/api/show` of the model `details` was made FROM (`named_base`), on the same host;
    None for a base model, a path or blob parent, a cloud model, or a base that is gone or
    cannot be read (the details view must not fail on it)."""
    # Deferred (start-up): loaded only when this runs.
    from modelarium.ollama.facts import named_base

    base = named_base(details)
    if base is None:
        return None
    try:
        return await client.show(base)
    except Exception:  # a missing or unreadable base just means no base line
        return None


def drifted_base(details: ModelDetails, base: ModelDetails | None) -> str | None:
    """The base's name when its weights changed since `details`' model was made from it."""
    # Deferred (start-up): loaded only when this runs.
    from modelarium.modelfile import has_drifted
    from modelarium.ollama.facts import facts_from_details

    if base is None or not has_drifted(facts_from_details(details), facts_from_details(base)):
        return None
    return details.parent_model


def plan_report(plans: list[RebasePlan]) -> Text:
    """Every plan's preview, coloured: models re-created in bold, refusals in red."""
    report = Text()
    for plan in plans:
        for line in plan.preview_text().splitlines():
            style = (
                "bold"
                if line.startswith("== ")
                else "red"
                if line.startswith("not re-created")
                else "yellow"
                if line.startswith(("base ", "note: ", "  line "))
                else ""
            )
            report.append(terminal_text(line) + "\n", style=style)
        report.append("\n")
    return report


class RebaseDialog(ModalScreen["list[RebasePlan] | None"]):
    """The per-model preview of a batch re-create on the current bases; ctrl+s re-creates
    the ready ones, Esc leaves every model as it is."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("apply-dialog"))

    def __init__(self, plans: list[RebasePlan]) -> None:
        super().__init__()
        self.plans = plans
        self.ready = [plan for plan in plans if plan.ready]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Static(self._title(), classes="dialog-title", markup=False)
            yield Static(
                "Each model's own lines laid over its base as it is now; the same name is "
                "replaced. Nothing is sent until you confirm.",
                classes="dialog-hint",
                markup=False,
            )
            with VerticalScroll(id="rebase-preview"):
                yield Static(plan_report(self.plans), id="rebase-plan")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Re-create (ctrl+s)", variant="primary", id="rebase-go")
                yield Button("Cancel (esc)", id="rebase-cancel")

    def _title(self) -> str:
        if self.ready:
            return f"Re-create on the current base: {counted(len(self.ready), 'model')}"
        checked = counted(len(self.plans), "model")
        return f"Nothing to re-create: {checked} checked, none ready (the preview says why)"

    def on_mount(self) -> None:
        self.query_one("#rebase-go", Button).display = bool(self.ready)
        self.query_one("#rebase-preview", VerticalScroll).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Re-create is offered (footer, key) only when some model is ready."""
        return bool(self.ready) if action == "apply" else True

    def action_apply(self) -> None:
        """Re-create the models that are ready."""
        if self.ready:
            self.dismiss(self.ready)

    def action_cancel(self) -> None:
        """Close without re-creating anything."""
        self.dismiss(None)

    @on(Button.Pressed, "#rebase-go")
    def _go(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#rebase-cancel")
    def _cancel(self) -> None:
        self.action_cancel()
