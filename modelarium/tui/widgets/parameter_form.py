"""A form over a Modelfile's PARAMETER lines, grouped as Ollama groups them (load vs run).

Each parameter of the catalogue (`modelfile/params.py`) gets a typed input with its default,
its sensible range and, when known, the family's recommended value beside it. Values are
checked as they are typed; a valid value is written into the `ModelfileDocument` through its
minimal edits (`set_parameter`, `add_parameter`, `remove_parameter`), so comments, blank
lines and quoting elsewhere stay byte for byte. The wizard and the editor's side panel use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea

from modelarium.modelfile import (
    DEPRECATED_PARAMETERS,
    PARAMETERS,
    DocumentEditError,
    ModelfileDocument,
    NoFromLineError,
    ParameterSpec,
    parameter_spec,
)
from modelarium.modelfile.params import default_words

GROUP_TITLES = {
    "load": "Load time — read when the model is loaded (a change reloads it)",
    "run": "Run time — sampling, per request",
}
STOP_SEPARATOR = " | "
"""How the several `stop` values are shown and typed in one box."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the form says about a typed value: `error` blocks the edit, `warning` does not."""

    error: str = ""
    warning: str = ""


def check_value(spec: ParameterSpec, text: str) -> Verdict:
    """Check a typed value against the parameter's kind and range."""
    value = text.strip()
    if not value:
        return Verdict()
    if spec.kind == "int":
        try:
            number: float = int(value)
        except ValueError:
            return Verdict(error=f"{spec.name} takes a whole number")
    elif spec.kind == "float":
        try:
            number = float(value)
        except ValueError:
            return Verdict(error=f"{spec.name} takes a number")
    elif spec.kind == "bool":
        if value.lower() not in {"true", "false"}:
            return Verdict(error=f"{spec.name} takes true or false")
        return Verdict()
    else:
        if any(not part.strip() for part in value.split(STOP_SEPARATOR.strip())):
            return Verdict(error="an empty stop value")
        return Verdict()
    if spec.minimum is not None and number < spec.minimum:
        return Verdict(warning=f"below {spec.minimum:g}, almost certainly a mistake")
    if spec.maximum is not None and number > spec.maximum:
        return Verdict(warning=f"above {spec.maximum:g}, almost certainly a mistake")
    return Verdict()


def range_text(spec: ParameterSpec) -> str:
    """`0–1`, `≥ 0`, `≤ 1` or empty."""
    low, high = spec.minimum, spec.maximum
    if low is not None and high is not None:
        return f"{low:g}–{high:g}"
    if low is not None:
        return f"≥ {low:g}"
    if high is not None:
        return f"≤ {high:g}"
    return ""


def default_text(spec: ParameterSpec) -> str:
    """The default as Ollama applies it: `auto (0)` when it asks the server to choose,
    `unset` when there is none."""
    if spec.server_decides:
        return default_words(spec, short=True)
    if spec.default is None:
        return "unset"
    if isinstance(spec.default, bool):
        return "true" if spec.default else "false"
    return f"{spec.default:g}" if isinstance(spec.default, float) else str(spec.default)


def document_values(document: ModelfileDocument) -> dict[str, str]:
    """The value of each parameter the document sets (last wins; `stop` joined)."""
    values: dict[str, str] = {}
    stops: list[str] = []
    for command in document.commands:
        if parameter_spec(command.name) is None:
            continue
        if command.name == "stop":
            stops.append(command.args)
        else:
            values[command.name] = command.args
    if stops:
        values["stop"] = STOP_SEPARATOR.join(stops)
    return values


class ParameterRow(Horizontal):
    """One parameter: name, typed input, and the hint (default, range, recommendation)."""

    def __init__(self, spec: ParameterSpec, value: str, recommended: str | None) -> None:
        super().__init__(classes="parameter-row", id=f"param-{spec.name}")
        self.spec = spec
        self.recommended = recommended
        self._value = value

    def compose(self) -> ComposeResult:
        spec = self.spec
        yield Label(spec.name, classes="parameter-name")
        input_type = {"int": "integer", "float": "number"}.get(spec.kind, "text")
        # "auto (0)" says it is Ollama's choice on its own, and fits the wizard's narrow boxes.
        placeholder = default_text(spec) if spec.server_decides else f"default {default_text(spec)}"
        yield Input(
            self._value,
            placeholder=placeholder,
            type=input_type,  # type: ignore[arg-type]
            id=f"param-input-{spec.name}",
            classes="parameter-input",
            compact=True,
            tooltip=spec.description + (f" ({spec.default_note})" if spec.default_note else ""),
        )
        yield Static(self.hint(Verdict()), classes="parameter-hint", markup=False)

    def about(self, verdict: Verdict) -> str:
        """The whole story of the parameter, for the form's about line: what it does, its
        default, then the hint (which the narrow hint column may cut)."""
        spec = self.spec
        if spec.default is None and not spec.server_decides:
            text = f"{spec.name}: {spec.description}; default {spec.default_note or 'unset'}"
        else:
            text = f"{spec.name}: {spec.description}; default {default_text(spec)}"
            if spec.default_note:
                text += f" ({spec.default_note})"
        hint = self.hint(verdict)
        return text if hint == spec.description else f"{text}\n{hint}"

    def hint(self, verdict: Verdict) -> str:
        """The text beside the input: the problem first, then range and recommendation."""
        spec = self.spec
        parts: list[str] = []
        if verdict.error:
            parts.append(f"✗ {verdict.error}")
        elif verdict.warning:
            parts.append(f"⚠ {verdict.warning}")
        if spec.deprecated:
            parts.append("deprecated: create skips it")
        span = range_text(spec)
        if span:
            parts.append(span)
        if self.recommended is not None:
            parts.append(f"family: {self.recommended}")
        if not parts:
            parts.append(spec.description)
        return " · ".join(parts)


ABOUT_NOTHING_FOCUSED = "Tab to a parameter to read what it does; an empty box keeps the default."
"""The about line before a parameter has the focus."""


class ParameterForm(VerticalScroll):
    """Edits the PARAMETER lines of a `ModelfileDocument` in place."""

    DEFAULT_CSS = """
    ParameterForm { height: 1fr; }
    ParameterForm .parameter-group { text-style: bold; color: $accent; margin-top: 1; }
    ParameterForm .parameter-about {
        dock: bottom; height: auto; max-height: 6; padding: 0 1; background: $boost;
    }
    ParameterForm .parameter-row { height: 1; }
    ParameterForm .parameter-name { width: 18; padding: 0 1 0 0; }
    ParameterForm .parameter-input { width: 18; }
    ParameterForm .parameter-hint { width: 1fr; padding: 0 0 0 1; color: $text-muted; }
    ParameterForm .parameter-row.-invalid .parameter-hint { color: $error; }
    ParameterForm .parameter-error { color: $error; }
    """

    class Changed(Message):
        """The document was edited through the form (its new text is `document.text`)."""

        def __init__(self, form: ParameterForm) -> None:
            super().__init__()
            self.form = form

        @property
        def control(self) -> ParameterForm:
            """The form that changed."""
            return self.form

    def __init__(
        self,
        document: ModelfileDocument,
        *,
        recommendations: Mapping[str, str] | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name
    ) -> None:
        super().__init__(id=id, classes="parameter-form")
        self.document = document
        """The document being edited; replaced by `load()`."""
        self.recommendations: dict[str, str] = dict(recommendations or {})
        """Recommended value per parameter name for the base's family (shown beside it)."""
        self.problems: dict[str, Verdict] = {}
        """Current verdict per parameter whose typed value has a problem."""

    def compose(self) -> ComposeResult:
        yield Static(ABOUT_NOTHING_FOCUSED, classes="parameter-about", markup=False)
        values = document_values(self.document)
        error = self.document.error
        if error is not None and not isinstance(error, NoFromLineError):
            yield Static(
                f"The Modelfile does not parse ({error}); fix it to use the form.",
                classes="parameter-error",
                markup=False,
            )
        for group in ("load", "run"):
            yield Static(GROUP_TITLES[group], classes="parameter-group", markup=False)
            for spec in PARAMETERS.values():
                if spec.group == group:
                    yield ParameterRow(
                        spec, values.get(spec.name, ""), self.recommendations.get(spec.name)
                    )
        present = [spec for name, spec in DEPRECATED_PARAMETERS.items() if name in values]
        if present:
            yield Static("Deprecated — create skips these", classes="parameter-group", markup=False)
            for spec in present:
                yield ParameterRow(spec, values[spec.name], None)

    def value_of(self, name: str) -> str:
        """What the input of parameter `name` holds now."""
        return self.query_one(f"#param-input-{name}", Input).value

    async def load(
        self, document: ModelfileDocument, recommendations: Mapping[str, str] | None = None
    ) -> None:
        """Show another document (and recommendations, when given)."""
        self.document = document
        if recommendations is not None:
            self.recommendations = dict(recommendations)
        self.problems.clear()
        await self.recompose()

    def refresh_values(self) -> None:
        """Bring the inputs in line with the document (after an edit elsewhere), leaving the
        focused input alone: that is where the user is typing."""
        values = document_values(self.document)
        for row in self.query(ParameterRow):
            box = row.query_one(Input)
            if box.has_focus:
                continue
            wanted = values.get(row.spec.name, "")
            if box.value != wanted:
                with box.prevent(Input.Changed):
                    box.value = wanted

    @on(Input.Changed, ".parameter-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        row = event.input.parent
        if not isinstance(row, ParameterRow):
            return
        spec = row.spec
        verdict = check_value(spec, event.value)
        if verdict.error:
            self.problems[spec.name] = verdict
        else:
            self.problems.pop(spec.name, None)
            try:
                self._write(spec, event.value.strip())
            except DocumentEditError as error:
                verdict = Verdict(error=str(error))
                self.problems[spec.name] = verdict
            else:
                if verdict.warning:
                    self.problems[spec.name] = verdict
                self.post_message(self.Changed(self))
        row.query_one(".parameter-hint", Static).update(row.hint(verdict))
        row.set_class(bool(verdict.error), "-invalid")
        self._tell_about(row)

    @on(events.DescendantFocus)
    def _focused(self, event: events.DescendantFocus) -> None:
        row = event.widget.parent
        if isinstance(row, ParameterRow):
            self._tell_about(row)

    def _tell_about(self, row: ParameterRow) -> None:
        """Show the whole text about `row` (the hint column is cut on a narrow form)."""
        verdict = self.problems.get(row.spec.name, Verdict())
        self.query_one(".parameter-about", Static).update(row.about(verdict))

    def _write(self, spec: ParameterSpec, value: str) -> None:
        document = self.document
        current = document_values(document).get(spec.name, "")
        if value == current:
            return
        if not value:
            document.remove_parameter(spec.name)
        elif spec.kind == "string_list":
            stops = [part.strip() for part in value.split(STOP_SEPARATOR.strip())]
            document.remove_parameter(spec.name)
            for stop in stops:
                document.add_parameter(spec.name, stop)
        else:
            document.set_parameter(spec.name, value)


class ParameterPanel(ParameterForm):
    """The form as the editor's side panel: it edits the text area's Modelfile in place.

    Each edit replaces the text area's text through one undoable edit; when the user comes
    back into the panel after typing in the text, the panel re-reads it first.
    """

    DEFAULT_CSS = """
    ParameterPanel { width: 64; border-left: solid $panel; }
    """

    def __init__(self, text_area: TextArea) -> None:
        super().__init__(ModelfileDocument(text_area.text), id="editor-parameters")
        self.text_area = text_area

    def follow_text(self) -> None:
        """Re-read the text area's Modelfile when it changed since the panel's last look."""
        if self.text_area.text != self.document.text:
            self.document = ModelfileDocument(self.text_area.text)
            self.refresh_values()

    def on_descendant_focus(self) -> None:
        self.follow_text()

    @on(ParameterForm.Changed)
    def _write_back(self, event: ParameterForm.Changed) -> None:
        event.stop()
        area = self.text_area
        new_text = self.document.text
        if area.text != new_text:
            area.replace(new_text, (0, 0), area.document.end)


async def toggle_parameter_panel(container: Widget, text_area: TextArea) -> ParameterPanel | None:
    """Show the parameter panel in `container` beside `text_area`, or hide it; returns the
    panel when it is now shown."""
    for panel in container.query(ParameterPanel):
        await panel.remove()
        text_area.focus()
        return None
    panel = ParameterPanel(text_area)
    await container.mount(panel)
    return panel
