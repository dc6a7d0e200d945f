"""Messages that cross panes: one pane asks, the app routes, the target pane acts.

Two kinds, so that no handler ever has to ask which one it holds:

- A request (`OpenInEditor`, `AddElementsToEditor`, `ModelCreated`, `ShowModel`,
  `OpenWizard`, `HostsChanged`, `LibraryChanged`, `ModelsListed`) is posted by a pane, a
  dialog or the app; it bubbles up to the app, and only the app handles it.
- A delivery (`Deliver…`, a `Delivery`) is what the app posts to the target pane (the editor,
  the Models pane) or, for `HostsChanged` and `LibraryChanged`, to every loaded pane. It
  carries the request and does not bubble, so it never reaches the app again.

The app switches to the target pane where that helps before delivering, and it delivers by
posting, so keys typed right after a request are handled in order behind it (a dialog the
request opens takes them; the app's key holding does the rest).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual.message import Message

if TYPE_CHECKING:
    from modelarium.modelfile import Element
    from modelarium.ollama.types import HostStatus
    from modelarium.store.types import Draft


PaneId = Literal["models", "library", "editor", "dashboard"]
"""The panes, by the id of their container in the app."""


class OpenInEditor(Message):
    """Open a Modelfile in the editor (replacing the buffer after the editor's own checks).

    Exactly one of `text` (Modelfile source) and `elements` is given.
    """

    def __init__(
        self,
        *,
        text: str | None = None,
        elements: tuple[Element, ...] = (),
        origin: str = "",
        model_name: str | None = None,
    ) -> None:
        if (text is None) == (not elements):
            raise ValueError("OpenInEditor takes either text or elements")
        super().__init__()
        self.text = text
        """Modelfile source to open, when opening text."""
        self.elements = elements
        """Elements to compose into a Modelfile, when opening elements."""
        self.origin = origin
        """Where it came from, for the editor's title (e.g. `llama3.1:8b on local`)."""
        self.model_name = model_name
        """The model it was taken from, a sensible default name for "create model"."""


class AddElementsToEditor(Message):
    """Add elements (from the library) to the Modelfile in the editor."""

    def __init__(
        self,
        elements: tuple[Element, ...],
        *,
        origin: str = "",
        family: str = "",
        tags: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.elements = elements
        self.origin = origin
        """Where they came from (e.g. `library: qwen2.5-coder code settings`)."""
        self.family = family
        """The model family the elements were made for (their `family:` tag), if any."""
        self.tags = tags
        """The elements' free tags: a curated set's name the Ollama models it was made for
        (`qwen3:8b`), from which the editor starts a text that has no FROM line."""


class ModelCreated(Message):
    """A model now exists on a host (create, copy or pull finished); the Models pane refreshes."""

    def __init__(self, host: str, model: str) -> None:
        super().__init__()
        self.host = host
        """The host's configured name."""
        self.model = model
        """The model's display name."""


class HostsChanged(Message):
    """Host health changed (or the set of hosts did, e.g. on switching to the demo host)."""

    def __init__(self, hosts: tuple[HostStatus, ...]) -> None:
        super().__init__()
        self.hosts = hosts
        """Every configured host in priority order, with its current health."""


class LibraryChanged(Message):
    """The library's content changed (elements saved, deleted, retagged); views reload."""

    def __init__(self, reason: str = "") -> None:
        super().__init__()
        self.reason = reason
        """What changed, for logs (e.g. `extracted 12 elements`)."""


class ShowPane(Message):
    """Ask the app to switch to a pane (and focus its main widget)."""

    def __init__(self, pane: PaneId) -> None:
        super().__init__()
        self.pane: PaneId = pane


class ShowModel(Message):
    """Show one model in the Models pane (switch to it and put the cursor on the model)."""

    def __init__(self, host: str, model: str) -> None:
        super().__init__()
        self.host = host
        """The host's configured name."""
        self.model = model
        """The model's display name."""


class OpenWizard(Message):
    """Open the model creation wizard, started from a base model, a library parameter set or
    a wizard draft (resumed at its saved step)."""

    def __init__(
        self,
        *,
        host: str | None = None,
        base: str | None = None,
        parameter_set: int | None = None,
        draft: Draft | None = None,
    ) -> None:
        super().__init__()
        self.host = host
        """The host the base model is on (the wizard's target host)."""
        self.base = base
        """The base model to start from (from a model in Models)."""
        self.parameter_set = parameter_set
        """A library parameters element's id to start from (from the Library)."""
        self.draft = draft
        """A wizard draft to resume (from the drafts dialog)."""


class ShowRecordsInLibrary(Message):
    """Show in the Library the curated elements seeded from these knowledge records. The
    knowledge view posts it to the app, which delivers it to the Library pane (loading it first
    when need be), whose `on_show_records_in_library` applies the filter; defined here so the
    view need not import the pane."""

    def __init__(self, label: str, record_ids: tuple[str, ...]) -> None:
        super().__init__()
        self.label = label
        self.record_ids = record_ids


class ModelsListed(Message):
    """A host's model list reached the Models pane (the app loads the other panes once the
    first one has): the pane's own listing messages stay the pane's."""

    def __init__(self, host: str) -> None:
        super().__init__()
        self.host = host


class Delivery(Message, bubble=False):
    """What the app hands a target pane: the request it routed there. It does not bubble, so
    the app never sees it again and the pane's handler acts on every one it gets (each
    subclass says `bubble=False` too: Textual sets it per class)."""


class DeliverOpenInEditor(Delivery, bubble=False):
    """The editor pane opens the Modelfile of an `OpenInEditor` request."""

    def __init__(self, request: OpenInEditor) -> None:
        super().__init__()
        self.request = request


class DeliverAddElements(Delivery, bubble=False):
    """The editor pane adds the elements of an `AddElementsToEditor` request."""

    def __init__(self, request: AddElementsToEditor) -> None:
        super().__init__()
        self.request = request


class DeliverModelCreated(Delivery, bubble=False):
    """The Models pane re-reads the host of a `ModelCreated` request."""

    def __init__(self, request: ModelCreated) -> None:
        super().__init__()
        self.request = request


class DeliverHostsChanged(Delivery, bubble=False):
    """Every loaded pane takes the hosts' new health (`HostsChanged`, broadcast)."""

    def __init__(self, request: HostsChanged) -> None:
        super().__init__()
        self.request = request


class DeliverLibraryChanged(Delivery, bubble=False):
    """Every loaded pane learns that the library changed (`LibraryChanged`, broadcast)."""

    def __init__(self, request: LibraryChanged) -> None:
        super().__init__()
        self.request = request
