"""Messages that cross panes: one pane asks, the app routes, the target pane acts.

A pane posts one of these (it bubbles up to the app). The app switches to the target pane
where that helps and re-posts a copy with `routed=True` to the target pane
(`EditorPane`, `LibraryPane`, `ModelsPane`), whose handler acts on it. A routed copy that
bubbles back to the app is ignored there, so a target pane may but need not `stop()` it.

`HostsChanged` and `LibraryChanged` are broadcast: the app re-posts them (routed) to every
pane.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from textual.message import Message

if TYPE_CHECKING:
    from modelarium.modelfile.elements import Element
    from modelarium.ollama.types import HostState


PaneId = Literal["models", "library", "editor", "dashboard"]
"""The panes, by the id of their container in the app."""


@dataclass(frozen=True, slots=True)
class HostHealth:
    """What the status bar shows about one configured host."""

    name: str
    """The host's configured name (`local`, `OLLAMA_HOST`, `demo`, a `[[hosts]]` name)."""
    url: str
    state: HostState
    latency_ms: float | None = None
    """Round trip of the last health check, when it answered."""
    version: str | None = None
    """Ollama's `/api/version`, when it answered."""
    error: str | None = None
    """One line saying why the host is down or degraded."""


class RoutedMessage(Message):
    """A cross-pane message; `routed` is True on the copy the app delivers to the target pane."""

    def __init__(self, *, routed: bool = False) -> None:
        super().__init__()
        self.routed = routed


class OpenInEditor(RoutedMessage):
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
        routed: bool = False,
    ) -> None:
        if (text is None) == (not elements):
            raise ValueError("OpenInEditor takes either text or elements")
        super().__init__(routed=routed)
        self.text = text
        """Modelfile source to open, when opening text."""
        self.elements = elements
        """Elements to compose into a Modelfile, when opening elements."""
        self.origin = origin
        """Where it came from, for the editor's title (e.g. `llama3.1:8b on local`)."""
        self.model_name = model_name
        """The model it was taken from, a sensible default name for "create model"."""

    def routed_copy(self) -> OpenInEditor:
        """The copy the app delivers to the editor pane."""
        return OpenInEditor(
            text=self.text,
            elements=self.elements,
            origin=self.origin,
            model_name=self.model_name,
            routed=True,
        )


class AddElementsToEditor(RoutedMessage):
    """Add elements (from the library) to the Modelfile in the editor."""

    def __init__(
        self,
        elements: tuple[Element, ...],
        *,
        origin: str = "",
        family: str = "",
        routed: bool = False,
    ) -> None:
        super().__init__(routed=routed)
        self.elements = elements
        self.origin = origin
        """Where they came from (e.g. `library: qwen2.5-coder code settings`)."""
        self.family = family
        """The model family the elements were made for (their `family:` tag), if any."""

    def routed_copy(self) -> AddElementsToEditor:
        """The copy the app delivers to the editor pane."""
        return AddElementsToEditor(
            self.elements, origin=self.origin, family=self.family, routed=True
        )


class ModelCreated(RoutedMessage):
    """A model now exists on a host (create, copy or pull finished); the Models pane refreshes."""

    def __init__(self, host: str, model: str, *, routed: bool = False) -> None:
        super().__init__(routed=routed)
        self.host = host
        """The host's configured name."""
        self.model = model
        """The model's display name."""

    def routed_copy(self) -> ModelCreated:
        """The copy the app delivers to the Models pane."""
        return ModelCreated(self.host, self.model, routed=True)


class HostsChanged(RoutedMessage):
    """Host health changed (or the set of hosts did, e.g. on switching to the demo host)."""

    def __init__(self, hosts: tuple[HostHealth, ...], *, routed: bool = False) -> None:
        super().__init__(routed=routed)
        self.hosts = hosts
        """Every configured host in priority order, with its current health."""

    def routed_copy(self) -> HostsChanged:
        """The copy the app delivers to each pane."""
        return HostsChanged(self.hosts, routed=True)


class LibraryChanged(RoutedMessage):
    """The library's content changed (elements saved, deleted, retagged); views reload."""

    def __init__(self, reason: str = "", *, routed: bool = False) -> None:
        super().__init__(routed=routed)
        self.reason = reason
        """What changed, for logs (e.g. `extracted 12 elements`)."""

    def routed_copy(self) -> LibraryChanged:
        """The copy the app delivers to each pane."""
        return LibraryChanged(self.reason, routed=True)


class ShowPane(Message):
    """Ask the app to switch to a pane (and focus its main widget)."""

    def __init__(self, pane: PaneId) -> None:
        super().__init__()
        self.pane: PaneId = pane


class ShowModel(RoutedMessage):
    """Show one model in the Models pane (switch to it and put the cursor on the model)."""

    def __init__(self, host: str, model: str, *, routed: bool = False) -> None:
        super().__init__(routed=routed)
        self.host = host
        """The host's configured name."""
        self.model = model
        """The model's display name."""

    def routed_copy(self) -> ShowModel:
        """The copy the app acts on."""
        return ShowModel(self.host, self.model, routed=True)


class OpenWizard(RoutedMessage):
    """Open the model creation wizard, started from a base model or a library parameter set."""

    def __init__(
        self,
        *,
        host: str | None = None,
        base: str | None = None,
        parameter_set: int | None = None,
        routed: bool = False,
    ) -> None:
        super().__init__(routed=routed)
        self.host = host
        """The host the base model is on (the wizard's target host)."""
        self.base = base
        """The base model to start from (from a model in Models)."""
        self.parameter_set = parameter_set
        """A library parameters element's id to start from (from the Library)."""

    def routed_copy(self) -> OpenWizard:
        """The copy the app acts on."""
        return OpenWizard(
            host=self.host, base=self.base, parameter_set=self.parameter_set, routed=True
        )


class ShowRecordsInLibrary(Message):
    """Show in the Library the curated elements seeded from these knowledge records. The
    knowledge view posts it straight to the Library pane (id `library`), whose
    `on_show_records_in_library` applies the filter; defined here so the view need not import
    the pane."""

    def __init__(self, label: str, record_ids: tuple[str, ...]) -> None:
        super().__init__()
        self.label = label
        self.record_ids = record_ids
