"""Create a model from the editor's Modelfile: the exact /api/create body first, then progress.

The core builds the request from the parsed commands once (`build_create_request`); for the
chosen host and name it becomes one `ModelCreate` (`prepare_create` asks that host for the
base's licenses, so an extracted model's licenses are kept, not sent again). The text shown
is `ModelCreate.text`, and the client posts exactly those bytes. Nothing is sent before the
user presses Create; a name that is taken on the host (asked of the host at that moment)
is replaced only after a yes. Progress streams from the host; success posts `ModelCreated`.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select, TextArea

from modelarium.modelfile import ModelfileError, parse
from modelarium.modelfile.create import (
    QUANTIZE_TYPES,
    CreateRequest,
    CreateRequestError,
    ModelCreate,
    build_create_request,
    model_create,
)
from modelarium.ollama.types import HostStatus
from modelarium.terminal_text import terminal_text
from modelarium.tui.dialogs.style import framed_dialog_css
from modelarium.tui.errors import one_line
from modelarium.tui.messages import ModelCreated
from modelarium.tui.state import services_of
from modelarium.wording import counted


def prepare_request(text: str, directory: Path | None) -> tuple[CreateRequest | None, str | None]:
    """The create request for `text`, or None and the one-line reason it cannot be built."""
    try:
        commands = parse(text)
    except ModelfileError as error:
        return None, f"The Modelfile does not parse: {error}"
    try:
        return build_create_request(commands, directory), None
    except CreateRequestError as error:
        return None, _where(text, str(error))


def _where(text: str, refusal: str) -> str:
    """Ollama's refusal with the line it is about, as the editor's lint places it
    (`line 4: num_ctx: invalid int value [abc]`); the bare refusal when no finding says it."""
    from modelarium.modelfile import lint  # Deferred (start-up): only when create is refused

    for finding in lint(text):
        if finding.severity == "error" and refusal in finding.message:
            return f"line {finding.line}: {finding.message}"
    return refusal


NAME_PLACEHOLDER = "name, e.g. my-model:latest"
"""Whole in the name box from 80 columns up ("new model name, e.g. ..." was cut even at 100)."""
CREATE_MIN_WIDTH = 78
"""Cells the dialog keeps on a narrow terminal, so the name box holds its placeholder."""


class CreateModelDialog(ModalScreen[None]):
    """Preview the /api/create body, choose name and host, create with streamed progress."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]
    DEFAULT_CSS = (
        framed_dialog_css("CreateModelDialog", min_width=CREATE_MIN_WIDTH)
        + """
    CreateModelDialog #create-quantize { min-width: 24; }
    CreateModelDialog #create-notes, CreateModelDialog #create-status { width: 1fr; }
    """
    )
    """The frame; the quantize select keeps room for `quantize q4_K_M ▼` and the notes and
    the status wrap instead of running off the frame."""

    class Prepared(Message):
        """The create for one host is ready (or the host could not say what it needs)."""

        def __init__(
            self, host: str, create: ModelCreate | None, error: str | None, *, stale: bool = False
        ) -> None:
            super().__init__()
            self.host = host
            self.create = create
            self.error = error
            self.stale = stale
            """True when asked again at Create and the host's answer changed the body."""

    class TargetChecked(Message):
        """The host said whether the target name is taken (`existing`), or could not."""

        def __init__(
            self, create: ModelCreate, host: str, existing: str | None, error: str | None
        ) -> None:
            super().__init__()
            self.create = create
            self.host = host
            self.existing = existing
            self.error = error

    def __init__(
        self,
        text: str,
        *,
        directory: Path | None,
        hosts: tuple[HostStatus, ...],
        default_name: str,
    ) -> None:
        super().__init__(classes="editor-dialog create-dialog")
        self._text = text
        self._directory = directory
        self._hosts = hosts
        self._default_name = default_name
        self.request, self.problem = prepare_request(text, directory)
        self.create: ModelCreate | None = None
        """The create exactly as shown (for the chosen host and name); None until ready."""
        if self.request is not None and not self.request.needs_base_licenses:
            self.create = model_create(self.request, default_name)  # the same on every host
        self.prepared_for: str | None = None
        """The host `create` was prepared for."""
        self.sent: ModelCreate | None = None
        """The create last sent to a host."""
        self._created_on: tuple[ModelCreate, str] | None = None
        """The create last finished and its host: Create stays off until the name, host or
        quantize differs (it would make the same model again)."""
        self._busy = False
        """A create is being checked or streamed: Create (and Enter) wait for it."""

    def compose(self) -> ComposeResult:
        answering = [host.name for host in self._hosts if host.state == "up"]
        host_names = answering + [
            host.name for host in self._hosts if host.name not in answering
        ] or [host.name for host in services_of(self).hosts]
        with Vertical(classes="dialog-body"):
            yield Label("Create a model from this Modelfile", classes="dialog-title")
            with Horizontal(classes="create-target"):
                yield Input(
                    self._default_name,
                    placeholder=NAME_PLACEHOLDER,
                    id="create-name",
                )
                yield Select(
                    [(name, name) for name in host_names],
                    prompt="host",
                    value=host_names[0] if host_names else Select.BLANK,
                    id="create-host",
                    allow_blank=not host_names,
                )
                yield Select(
                    [(f"quantize {kind}", kind) for kind in QUANTIZE_TYPES],
                    prompt="no quantize",
                    id="create-quantize",
                )
            yield Label("POST /api/create body, exactly as sent:", classes="dialog-hint")
            yield TextArea(
                self.create.text if self.create is not None else "",
                read_only=True,
                id="create-body",
                show_line_numbers=False,
            )
            yield Label("", id="create-notes", markup=False)
            yield ProgressBar(id="create-progress", show_eta=False)
            yield Label("", id="create-status", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    "Create (Enter)",
                    variant="primary",
                    id="create-go",
                    disabled=self.create is None,
                )
                yield Button("Close (Esc)", id="create-close")

    def on_mount(self) -> None:
        self.query_one("#create-progress", ProgressBar).display = False
        self.query_one("#create-name", Input).focus()
        self._prepare_for_host()

    # The exact create --------------------------------------------------------------------

    @property
    def _model_name(self) -> str:
        return self.query_one("#create-name", Input).value.strip()

    @property
    def _chosen_host(self) -> str | None:
        host = self.query_one("#create-host", Select).value
        return host if isinstance(host, str) else None

    @property
    def _quantize(self) -> str:
        """The body's `quantize` (quantize F16/F32 FROM weights to it); "" for none."""
        value = self.query_one("#create-quantize", Select).value
        return value if isinstance(value, str) else ""

    @on(Select.Changed, "#create-quantize")
    def _quantize_changed(self) -> None:
        self._prepare_for_host()

    def _prepare_for_host(self) -> None:
        """Build the create for the chosen host: at once when no license decision is needed,
        else after asking the host for the base's licenses (Create waits for it)."""
        request = self.request
        self.create = None
        self.prepared_for = None
        host = self._chosen_host
        if request is None or host is None:
            self._show()
            return
        if not request.needs_base_licenses:
            self.create = model_create(request, self._model_name, quantize=self._quantize)
            self.prepared_for = host
            self._show()
            return
        self._show(f"Asking {host} for the licenses of {request.base}…")
        self._fetch_licenses(request, host)

    @work(exclusive=True, group="create-prepare", exit_on_error=False)
    async def _fetch_licenses(self, request: CreateRequest, host: str) -> None:
        # Deferred (start-up): loaded on first use, not with the pane.
        from modelarium.ollama.prepare import prepare_create

        try:
            create = await prepare_create(
                services_of(self).client(host), request, self._model_name, quantize=self._quantize
            )
        except Exception as error:  # the client's error names host and model
            self.post_message(self.Prepared(host, None, one_line(error)))
            return
        self.post_message(self.Prepared(host, create, None))

    @on(Prepared)
    def _prepared(self, message: Prepared) -> None:
        if message.host != self._chosen_host:
            return  # the user chose another host meanwhile
        if message.create is None:
            self._show(f"Cannot prepare the create on {message.host}: {message.error}")
            return
        self.create = message.create.named(self._model_name)
        self.prepared_for = message.host
        self._busy = self._busy and not message.stale  # asked again at Create: stopped there
        self._show()
        if message.stale:
            self.query_one("#create-status", Label).update(
                terminal_text(
                    f"{self.create.base} changed on {message.host} since the preview: nothing "
                    "was sent. Check the body and press Create again."
                )
            )

    def _show(self, waiting: str | None = None) -> None:
        """Show the current create's exact text, its notes, and whether Create can run."""
        create = self.create
        body = self.query_one("#create-body", TextArea)
        text = create.text if create is not None else ""
        if body.text != text:
            body.load_text(text)
        notes: list[str] = []
        if self.problem:
            notes.append(f"Error: {self.problem}")
        if waiting:
            notes.append(waiting)
        if create is not None:
            notes.extend(f"Warning: {warning}" for warning in create.warnings)
            if create.license_note:
                notes.append(create.license_note[:1].upper() + create.license_note[1:])
            if create.uploads:
                notes.append(f"Uploads {counted(len(create.uploads), 'local file')} first")
        self.query_one("#create-notes", Label).update(
            terminal_text("\n".join(notes), lines="keep") or "No warnings"
        )
        self.query_one("#create-go", Button).disabled = (
            create is None or self._busy or self._already_created(create)
        )

    @property
    def created(self) -> str | None:
        """`model on host` once created."""
        if self._created_on is None:
            return None
        create, host = self._created_on
        return f"{create.model} on {host}"

    def _already_created(self, create: ModelCreate) -> bool:
        """Whether this very create was made on the chosen host already."""
        return self._created_on == (create, self.prepared_for)

    @on(Input.Changed, "#create-name")
    def _name_changed(self, event: Input.Changed) -> None:
        if self.create is not None:
            self.create = self.create.named(event.value.strip())
            self._show()

    @on(Select.Changed, "#create-host")
    def _host_changed(self) -> None:
        if self._chosen_host != self.prepared_for:
            self._prepare_for_host()

    # Create ------------------------------------------------------------------------------

    @on(Input.Submitted, "#create-name")
    @on(Button.Pressed, "#create-go")
    def _go(self) -> None:
        create = self.create
        if create is None or self._busy:
            return
        status = self.query_one("#create-status", Label)
        host = self.prepared_for
        if not self._model_name:
            status.update(terminal_text("Type a name for the new model"))
            return
        if host is None:
            status.update(terminal_text("Choose a host"))
            return
        if self._already_created(create):
            status.update(terminal_text(f"{create.model} was just created on {host}"))
            return
        self._busy = True
        self.query_one("#create-go", Button).disabled = True
        status.update(terminal_text(f"Asking {host} whether {create.model} exists…"))
        self._check_target(create, host)

    @work(exclusive=True, group="create-model", exit_on_error=False)
    async def _check_target(self, create: ModelCreate, host: str) -> None:
        """Ask the host (not a cached list) whether the name is taken, and whether the base's
        licenses are still those the preview was built from (else show the new body)."""
        # Deferred (start-up): loaded on first use, not with the pane.
        from modelarium.ollama.prepare import installed_model, prepare_create

        request = self.request
        try:
            client = services_of(self).client(host)
            if request is not None and request.needs_base_licenses:
                fresh = await prepare_create(client, request, create.model, quantize=self._quantize)
                if fresh.text != create.text:
                    self.post_message(self.Prepared(host, fresh, None, stale=True))
                    return
            existing = await installed_model(client, create.model)
        except Exception as error:  # the client's error names the host
            self.post_message(self.TargetChecked(create, host, None, one_line(error)))
            return
        name = existing.name if existing is not None else None
        self.post_message(self.TargetChecked(create, host, name, None))

    @on(TargetChecked)
    def _target_checked(self, message: TargetChecked) -> None:
        # Deferred (start-up): loaded on first use, not with the pane.
        from modelarium.tui.dialogs.confirm import ConfirmDialog

        status = self.query_one("#create-status", Label)
        if message.error is not None:
            status.update(terminal_text(f"Failed: {message.error}"))
            self._ready_again()
            return
        if message.existing is None:
            self._start(message.create, message.host)
            return

        def confirmed(answer: bool | None) -> None:
            if answer:
                self._start(message.create, message.host)
            else:
                status.update(
                    terminal_text(f"Not created: {message.existing} on {message.host} is kept.")
                )
                self._ready_again()

        self.app.push_screen(
            ConfirmDialog(
                f"Replace {message.existing} on {message.host}?",
                f"A model named {message.existing} exists on {message.host} now; creating "
                f"{message.create.model} replaces it.",
                confirm_label="Replace",
            ),
            confirmed,
        )

    def _start(self, create: ModelCreate, host: str) -> None:
        self.query_one("#create-progress", ProgressBar).display = True
        self._create(create, host)

    @work(exclusive=True, group="create-model", exit_on_error=False)
    async def _create(self, create: ModelCreate, host: str) -> None:
        status = self.query_one("#create-status", Label)
        bar = self.query_one("#create-progress", ProgressBar)
        name = create.model
        try:
            client = services_of(self).client(host)
            self.sent = create
            async for progress in client.create(create):
                if progress.total:
                    bar.update(total=progress.total, progress=progress.completed)
                status.update(terminal_text(progress.status))
        except Exception as error:  # OllamaError's text names host and model
            status.update(terminal_text(f"Failed: {one_line(error)}"))
            self._ready_again()
            return
        bar.update(total=1, progress=1)
        self._created_on = (create, host)
        self._ready_again()
        status.update(
            terminal_text(f"Created {name} on {host}. Change the name to create another.")
        )
        self.query_one("#create-close", Button).focus()  # Enter now closes
        self.post_message(ModelCreated(host, name))
        self.notify(f"Created {name} on {host}")

    def _ready_again(self) -> None:
        """The check or create ended: Create is offered again where it would do something."""
        self._busy = False
        self._show()

    @on(Button.Pressed, "#create-close")
    def action_close(self) -> None:
        """Close (a running create is cancelled with the dialog's worker)."""
        self.dismiss(None)
