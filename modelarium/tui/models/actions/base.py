"""What a workflow uses of the Models pane (`ModelsView`), and the steps workflows share: the
rows to act on, and one confirm-then-act question."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from typing import TYPE_CHECKING, Any, Protocol

from modelarium.tui.models import compare_base

if TYPE_CHECKING:
    from textual.app import App
    from textual.message import Message
    from textual.notifications import SeverityLevel

    from modelarium.ollama.client import OllamaClient
    from modelarium.ollama.types import ModelSummary
    from modelarium.tui.models.state import FetchedDetails, HostLists, ModelsState
    from modelarium.tui.state import Services


class ModelsView(Protocol):
    """The Models pane as its workflows see it (`ModelsPane` is the one implementation)."""

    state: ModelsState

    @property
    def app(self) -> App[Any]:
        """The running app (dialogs are pushed on it)."""
        ...

    @property
    def services(self) -> Services:
        """The app's shared services (clients, library, clock)."""
        ...

    @property
    def cursor_row(self) -> ModelSummary | None:
        """The highlighted model."""
        ...

    def notify(
        self, message: str, *, severity: SeverityLevel = "information", timeout: float | None = None
    ) -> None:
        """Show a notification."""
        ...

    def post_message(self, message: Message) -> bool:
        """Post a message from the pane (it bubbles to the app)."""
        ...

    def call_later(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Run `callback` in the pane's turn, behind the messages already queued."""
        ...

    def client(self, host: str) -> OllamaClient:
        """The client of a configured host (HostNotAvailable when it is not connected)."""
        ...

    def start_work(
        self, work: Callable[[], Coroutine[Any, Any, None]], group: str, *, exclusive: bool = False
    ) -> None:
        """Run `work()` as the pane's worker (its errors are its own to report)."""
        ...

    def ask_hosts(self, hosts: Iterable[str], then: Callable[[HostLists], None]) -> None:
        """Ask each host for its model list now, then call `then(lists)`."""
        ...

    async def details_for(
        self, rows: list[ModelSummary]
    ) -> tuple[list[tuple[ModelSummary, FetchedDetails]], list[str]]:
        """Details of several models (cached or fetched) and the failures."""
        ...

    def reload(self, hosts: Iterable[str] | None = None) -> None:
        """Re-read the model list of the given hosts (default: all)."""
        ...

    def refresh_running(self, hosts: Iterable[str] | None = None) -> None:
        """Re-read which models the hosts hold in memory."""
        ...

    def finished(
        self,
        report: str,
        *,
        hosts: tuple[str, ...] = (),
        error: bool = False,
        gone: tuple[str, ...] = (),
    ) -> None:
        """A host action ended: report it, drop `gone` from the selection, reload `hosts`."""
        ...


def report_finished(
    view: ModelsView,
    report: str,
    *,
    hosts: tuple[str, ...] = (),
    error: bool = False,
    gone: tuple[str, ...] = (),
) -> None:
    """Hand a worker's outcome to the pane, in its turn (behind the messages queued)."""
    view.call_later(view.finished, report, hosts=hosts, error=error, gone=gone)


def need_rows(view: ModelsView) -> list[ModelSummary]:
    """The rows an action applies to, saying so when there are none."""
    rows = view.state.target_rows(view.cursor_row)
    if not rows:
        view.notify("No model highlighted or selected.", severity="warning")
    return rows


def need_cursor(view: ModelsView) -> ModelSummary | None:
    """The highlighted model, saying so when there is none."""
    row = view.cursor_row
    if row is None:
        view.notify("No model highlighted.", severity="warning")
    return row


def local_rows(view: ModelsView, rows: list[ModelSummary], verb: str) -> list[ModelSummary]:
    """`rows` without cloud models, saying which were left out (they hold no weights)."""
    refusal = compare_base.remote_refusal(rows, verb)
    if refusal:
        view.notify(refusal, severity="warning")
    return [row for row in rows if not row.is_remote]


def confirm_then(
    view: ModelsView,
    title: str,
    body: str,
    label: str,
    act: Callable[[], None],
    *,
    declined: str | None = None,
) -> None:
    """Ask one yes/no question; `act()` on yes, else say `declined` (when given). Every
    confirm-then-act step of the workflows (replace on copy, pull, apply; delete; delete what
    changed since listed) goes through here."""
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.tui.dialogs.confirm import ConfirmDialog

    def answered(answer: bool | None) -> None:
        if answer:
            act()
        elif declined is not None:
            view.notify(declined)

    view.app.push_screen(ConfirmDialog(title, body, confirm_label=label), answered)


def listing(lines: list[str], limit: int = 15) -> str:
    """Bullet lines for a dialog, the first `limit` of them and how many more."""
    text = "\n".join(lines[:limit])
    if len(lines) > limit:
        text += f"\n  … and {len(lines) - limit} more"
    return text


def joined_failures(failures: Iterable[str]) -> str:
    """Failures for one notification: each different text once, in order, with how many times
    it happened (a host that is down fails every model on it the same way)."""
    counts: dict[str, int] = {}
    for failure in failures:
        counts[failure] = counts.get(failure, 0) + 1
    return "; ".join(text if count == 1 else f"{text} (×{count})" for text, count in counts.items())
