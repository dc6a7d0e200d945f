"""Re-create derived models on their base's current weights (a preview per model first,
nothing replaced without confirming it), and lay the same Modelfile lines over several models
(creating each; a name on its host now is replaced only after a yes)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from modelarium.tui.errors import model_failure, one_line
from modelarium.tui.models import compare_base
from modelarium.tui.models.actions.base import (
    ModelsView,
    confirm_then,
    joined_failures,
    listing,
    need_rows,
    report_finished,
)
from modelarium.tui.models.rows import find_row
from modelarium.wording import counted

if TYPE_CHECKING:
    from modelarium.modelfile import ModelCreate
    from modelarium.ollama.model_check import RebasePlan
    from modelarium.ollama.types import ModelSummary
    from modelarium.tui.models.overlay import OverlayItem
    from modelarium.tui.models.state import HostLists


def rebase_models(view: ModelsView) -> None:
    """Re-create the selected (or highlighted) derived models on their base's current
    weights: a preview per model first, nothing replaced without confirming it."""
    rows = need_rows(view)
    refusal = compare_base.remote_refusal(rows, "re-create")
    if refusal:
        view.notify(refusal, severity="warning")
    rows = [row for row in rows if not row.is_remote]
    if rows:
        view.notify(f"Checking {counted(len(rows), 'model')} against their bases…", timeout=2)
        view.start_work(partial(_prepare_rebase, view, rows), "rebase", exclusive=True)


async def _prepare_rebase(view: ModelsView, rows: list[ModelSummary]) -> None:
    # Deferred (start-up): loaded only when this runs.
    from modelarium.ollama.facts import FactsSource
    from modelarium.ollama.model_check import RebasePlan, plan_rebase

    source = FactsSource()
    plans: list[RebasePlan] = []
    for row in rows:
        try:
            client = view.client(row.host)
            plans.append(await plan_rebase(client, row.name, source=source))
        except Exception as error:  # one model's trouble is its line in the preview
            plans.append(RebasePlan(row.name, row.host, None, problem=one_line(error)))
    view.call_later(_preview_rebase, view, plans)


def _preview_rebase(view: ModelsView, plans: list[RebasePlan]) -> None:
    # Deferred (start-up): loaded only when this runs.
    from modelarium.tui.models.rebase import RebaseDialog

    def chosen(chosen_plans: list[RebasePlan] | None) -> None:
        if chosen_plans:
            view.notify(f"Re-creating {counted(len(chosen_plans), 'model')}…", timeout=2)
            view.start_work(partial(_rebase, view, chosen_plans), "model-action")
        elif chosen_plans is None:
            view.notify("Nothing re-created.")

    view.app.push_screen(RebaseDialog(plans), chosen)


async def _rebase(view: ModelsView, plans: list[RebasePlan]) -> None:
    await _create_in_turn(
        view,
        [(plan.host, plan.model, plan.create) for plan in plans],
        "Re-created {} on the current base",
    )


async def _create_in_turn(
    view: ModelsView,
    creates: list[tuple[str, str, ModelCreate | None]],
    done_wording: str,
) -> None:
    """Send each (host, model name, create request) one at a time (each create reads and
    writes the host's store), then report what was made and what failed, together."""
    done: list[str] = []
    failures: list[str] = []
    for host, name, create in creates:
        assert create is not None
        try:
            async for _ in view.client(host).create(create):
                pass
        except Exception as error:  # collected and reported together
            failures.append(model_failure(name, error))
            continue
        done.append(name)
    report = done_wording.format(counted(len(done), "model"))
    report += f": {', '.join(done)}." if done else "."
    if failures:
        report += " Failed: " + joined_failures(failures)
    hosts = tuple(sorted({host for host, _, _ in creates}))
    report_finished(view, report, hosts=hosts, error=bool(failures))


def apply_lines(view: ModelsView) -> None:
    """Lay the same Modelfile lines over the selected (or highlighted) models; replacing a
    model that is on its host now (asked of the host) asks first."""
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.tui.models.apply_lines import ApplyLinesDialog

    rows = need_rows(view)
    if not rows:
        return

    def chosen(plan: list[OverlayItem] | None) -> None:
        if plan:
            view.ask_hosts([item.row.host for item in plan], partial(decide, plan))

    def decide(plan: list[OverlayItem], lists: HostLists) -> None:
        """Create at once when no target exists on its host now; else ask first."""
        replaced = [
            (item, existing)
            for item in plan
            if (existing := find_row(lists[item.row.host], item.target)) is not None
        ]
        if not replaced:
            start(plan)
            return
        shown = listing([f"  • {existing.name} on {item.row.host}" for item, existing in replaced])
        confirm_then(
            view,
            f"Replace {counted(len(replaced), 'model')}?",
            f"These names are on the hosts now; creating them replaces them:\n{shown}",
            "Replace",
            partial(start, plan),
            declined="Nothing created.",
        )

    def start(plan: list[OverlayItem]) -> None:
        view.notify(f"Creating {counted(len(plan), 'model')}…", timeout=2)
        view.start_work(partial(_apply_lines, view, plan), "model-action")

    view.app.push_screen(ApplyLinesDialog(rows), chosen)


async def _apply_lines(view: ModelsView, plan: list[OverlayItem]) -> None:
    await _create_in_turn(
        view, [(item.row.host, item.target, item.create) for item in plan], "Created {}"
    )
