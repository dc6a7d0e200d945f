"""Create a model from the editor's Modelfile: the exact /api/create body first, then progress.

The body is what `build_create_request` produces from the parsed commands (Ollama's field
names, pretty JSON), with Ollama's warnings and any error; nothing is sent before the user
presses Create. Progress streams from the chosen host; success posts `ModelCreated`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select, TextArea

from modelarium.modelfile.commands import ModelfileError
from modelarium.modelfile.create import CreateRequest, CreateRequestError, build_create_request
from modelarium.modelfile.elements import elements_from_commands
from modelarium.modelfile.parser import parse
from modelarium.plural import counted
from modelarium.tui.messages import HostHealth, ModelCreated
from modelarium.tui.state import services_of


def prepare_request(text: str, directory: Path | None) -> tuple[CreateRequest | None, str | None]:
    """The create request for `text`, or None and the one-line reason it cannot be built."""
    try:
        commands = parse(text)
    except ModelfileError as error:
        return None, f"The Modelfile does not parse: {error}"
    try:
        return build_create_request(commands, directory), None
    except CreateRequestError as error:
        return None, str(error)


def exact_body(body: dict[str, object], model: str) -> str:
    """The JSON the client sends: the core's body with the model name and streaming set."""
    sent = dict(body)
    sent["model"] = model
    sent["stream"] = True
    return json.dumps(sent, indent=2, ensure_ascii=False)


class CreateModelDialog(ModalScreen[None]):
    """Preview the /api/create body, choose name and host, create with streamed progress."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(
        self,
        text: str,
        *,
        directory: Path | None,
        hosts: tuple[HostHealth, ...],
        default_name: str,
    ) -> None:
        super().__init__(classes="editor-dialog create-dialog")
        self._text = text
        self._directory = directory
        self._hosts = hosts
        self._default_name = default_name
        self.request, self.problem = prepare_request(text, directory)
        self.created: str | None = None
        """`model on host` once created."""

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
                    placeholder="new model name, e.g. my-model:latest",
                    id="create-name",
                )
                yield Select(
                    [(name, name) for name in host_names],
                    prompt="host",
                    value=host_names[0] if host_names else Select.BLANK,
                    id="create-host",
                    allow_blank=not host_names,
                )
            yield Label("POST /api/create body, exactly as sent:", classes="dialog-hint")
            body = exact_body(self.request.body, self._default_name) if self.request else ""
            yield TextArea(body, read_only=True, id="create-body", show_line_numbers=False)
            notes = []
            if self.problem:
                notes.append(f"Error: {self.problem}")
            if self.request is not None:
                notes.extend(f"Warning: {warning}" for warning in self.request.warnings)
                if self.request.local_files:
                    uploads = counted(len(self.request.local_files), "local file")
                    notes.append(f"Uploads {uploads} first")
            yield Label("\n".join(notes) or "No warnings", id="create-notes", markup=False)
            yield ProgressBar(id="create-progress", show_eta=False)
            yield Label("", id="create-status", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    "Create", variant="primary", id="create-go", disabled=self.request is None
                )
                yield Button("Close (esc)", id="create-close")

    def on_mount(self) -> None:
        self.query_one("#create-progress", ProgressBar).display = False
        self.query_one("#create-name", Input).focus()

    @on(Input.Changed, "#create-name")
    def _name_changed(self, event: Input.Changed) -> None:
        if self.request is not None:
            self.query_one("#create-body", TextArea).load_text(
                exact_body(self.request.body, event.value.strip())
            )

    @on(Input.Submitted, "#create-name")
    @on(Button.Pressed, "#create-go")
    def _go(self) -> None:
        if self.request is None:
            return
        name = self.query_one("#create-name", Input).value.strip()
        host = self.query_one("#create-host", Select).value
        status = self.query_one("#create-status", Label)
        if not name:
            status.update("Type a name for the new model")
            return
        if not isinstance(host, str):
            status.update("Choose a host")
            return
        self.query_one("#create-go", Button).disabled = True
        self.query_one("#create-progress", ProgressBar).display = True
        self._create(name, host)

    @work(exclusive=True, group="create-model", exit_on_error=False)
    async def _create(self, name: str, host: str) -> None:
        status = self.query_one("#create-status", Label)
        bar = self.query_one("#create-progress", ProgressBar)
        request = self.request
        assert request is not None
        try:
            client = services_of(self).client(host)
            if request.local_files:
                commands = parse(self._text)
                progress_stream = client.create_from_elements(
                    name, elements_from_commands(commands), self._directory
                )
            else:
                progress_stream = client.create(name, request.body)
            async for progress in progress_stream:
                total = getattr(progress, "total", None)
                completed = getattr(progress, "completed", None)
                if total:
                    bar.update(total=total, progress=completed or 0)
                status.update(str(getattr(progress, "status", progress)))
        except Exception as error:  # OllamaError's text names host and model
            status.update(f"Failed: {error}")
            self.query_one("#create-go", Button).disabled = False
            return
        bar.update(total=1, progress=1)
        self.created = f"{name} on {host}"
        status.update(f"Created {name} on {host}")
        self.post_message(ModelCreated(host, name))
        self.notify(f"Created {name} on {host}")

    @on(Button.Pressed, "#create-close")
    def action_close(self) -> None:
        """Close (a running create is cancelled with the dialog's worker)."""
        self.dismiss(None)
