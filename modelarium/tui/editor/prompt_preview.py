"""`PromptPreview`: the editor's live prompt preview panel (F12 shows or hides it).

The Modelfile's TEMPLATE is rendered exactly as Ollama renders it (`modelfile.prompt`) against
a built-in conversation picked in the panel or the conversation typed in it (an `/api/chat`
body). Nothing of it runs on the key path: a keystroke only restarts a short debounce; once
typing pauses, the newest text is rendered in a thread worker and comes back as `Rendered`,
which is applied only if no edit came after it (a newer rendering is then on its way), and
paints only when the prompt or its note changed. The worker re-parses nothing that did not
change: the Modelfile's scan is shared with the editor's analysis, the TEMPLATE's parse tree is
kept per template text, and a rendering is reused while TEMPLATE, SYSTEM, MESSAGEs, stops and
conversation are all the same (a keystroke outside them renders nothing). A hidden panel
renders nothing. Special tokens and the Modelfile's stop strings are highlighted in the
prompt. Where RENDERER or PARSER is set the panel says that a template preview does not apply.
A Modelfile without TEMPLATE is previewed with its FROM model's, from the facts the editor
fetched of that model on the selected host (the model-aware check's), as create inherits it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Label, Select, Static, TextArea

from modelarium.modelfile.document import scan_cached, split_bom
from modelarium.modelfile.model_facts import ModelFacts
from modelarium.modelfile.prompt import TemplateError, render_prompt
from modelarium.modelfile.prompt_samples import (
    DEFAULT_SAMPLE,
    SAMPLE_NAMES,
    sample_description,
    sample_request,
)
from modelarium.modelfile.prompt_source import (
    PromptSource,
    inherit_model,
    prompt_source,
    special_token_spans,
    stop_spans,
)
from modelarium.tui.editor.model_check import facts_are_of

PREVIEW_DELAY = 0.12
"""Seconds of quiet typing before the prompt is rendered again."""

SPECIAL_STYLE = "bold cyan"
STOP_STYLE = "bold black on yellow"
CONTROL_STYLE = "dim"


@dataclass(frozen=True, slots=True)
class PreviewResult:
    """One rendering: the prompt (or None) and a one-line note to show above it."""

    prompt: Text | None
    note: str
    error: bool = False


def _visible(text: str, start: int, end: int, style: str | None, out: Text) -> None:
    """Append `text[start:end]` to `out`, control characters shown as escapes."""
    piece = text[start:end]
    if piece.replace("\n", "").replace("\t", "").isprintable():
        out.append(piece, style=style)
        return
    for char in piece:
        if char.isprintable() or char in "\n\t":
            out.append(char, style=style)
        else:
            out.append(f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}",
                       style=CONTROL_STYLE)  # fmt: skip


def highlighted(prompt: str, stops: tuple[str, ...]) -> Text:
    """The prompt as Rich text: stop strings and special tokens marked, controls escaped."""
    marks = [(start, end, STOP_STYLE) for start, end in stop_spans(prompt, stops)]
    taken = [(start, end) for start, end, _ in marks]
    for start, end in special_token_spans(prompt):
        if not any(start < other_end and other_start < end for other_start, other_end in taken):
            marks.append((start, end, SPECIAL_STYLE))
    marks.sort()
    out = Text(no_wrap=False)
    position = 0
    for start, end, style in marks:
        if start < position:
            continue
        _visible(prompt, position, start, None, out)
        _visible(prompt, start, end, style, out)
        position = end
    _visible(prompt, position, len(prompt), None, out)
    return out


@dataclass(frozen=True, slots=True)
class FromModel:
    """What the editor knows of the FROM model on the selected host."""

    facts: ModelFacts | None = None
    """Its facts, once fetched (None: not yet, or they could not be)."""
    note: str | None = None
    """Why there are none (`qwen3:9b is not installed on demo`)."""


def render_preview(
    modelfile: str, conversation: str, base: FromModel | None = None
) -> PreviewResult:
    """Parse the Modelfile, render its TEMPLATE (else its FROM model's, from `base`) against
    the conversation (JSON text).

    The scan is the editor analysis's own (`scan_cached`), and the rendering is reused while
    the prompt's inputs are unchanged, so a keystroke outside TEMPLATE, SYSTEM, MESSAGE and
    the stop strings costs a dictionary lookup."""
    _, body = split_bom(modelfile)
    outcome = scan_cached(body)
    if outcome.error is not None:
        return PreviewResult(None, f"The Modelfile does not parse: {outcome.error}", error=True)
    source = prompt_source(parsed.command for parsed in outcome.commands)
    if source.template is not None or source.renders_in_code:
        return _render_source(source, conversation)
    facts = base.facts if base is not None else None
    if source.base is None:
        return PreviewResult(None, "No TEMPLATE and no FROM: nothing to render a prompt with.")
    if facts is None or not facts_are_of(source.base, facts):
        why = base.note if base is not None and base.note else "waiting for the host"
        return PreviewResult(
            None,
            f"No TEMPLATE here: the model uses {source.base}'s, shown once the selected host "
            f"describes it ({why}).",
        )
    result = _render_source(inherit_model(source, facts), conversation)
    if result.error or result.prompt is None:
        return result
    where = f" on {facts.host}" if facts.host else ""
    return replace(
        result, note=f"{facts.name}'s TEMPLATE{where} (none in this Modelfile) · {result.note}"
    )


@functools.lru_cache(maxsize=16)
def _render_source(source: PromptSource, conversation: str) -> PreviewResult:
    """The preview of `source` against the conversation (JSON text); results are immutable
    and shared, so the panel can tell an unchanged one by identity."""
    try:
        request = json.loads(conversation)
    except ValueError as error:
        return PreviewResult(None, f"Conversation: not valid JSON ({error})", error=True)
    if not isinstance(request, dict):
        return PreviewResult(None, "Conversation: an /api/chat body is a JSON object", True)
    if source.renders_in_code:
        setting = "RENDERER" if source.renderer else "PARSER"
        return PreviewResult(
            None,
            f"{setting} is set: Ollama builds this model's prompt in Go code, not from "
            "TEMPLATE, so a template preview does not apply.",
        )
    if source.template is None:
        return PreviewResult(
            None,
            "No TEMPLATE here: the model will use its FROM model's template "
            "(`modelarium modelfile preview FILE --host URL` renders that one).",
        )
    try:
        prompt = render_prompt(
            source.template, request, system=source.system, history=source.history_messages
        )
    except TemplateError as error:
        return PreviewResult(None, f"TEMPLATE: {error}", error=True)
    stops = ", ".join(json.dumps(stop, ensure_ascii=False) for stop in source.stops)
    note = f"{len(prompt)} characters; stops: {stops or 'none'}"
    return PreviewResult(highlighted(prompt, source.stops), note)


def _sample_text(name: str) -> str:
    return json.dumps(sample_request(name), indent=2, ensure_ascii=False)


class PromptPreview(Vertical):
    """The live prompt preview panel."""

    DEFAULT_CSS = """
    PromptPreview {
        width: 1fr;
        height: 1fr;
        display: none;
    }
    PromptPreview.-shown {
        display: block;
    }
    PromptPreview #prompt-sample {
        height: auto;
    }
    PromptPreview #prompt-conversation {
        height: 9;
        border: round $panel-lighten-2;
    }
    PromptPreview #prompt-conversation:focus {
        border: round $primary;
    }
    PromptPreview #prompt-note {
        padding: 0 1;
        color: $text-muted;
    }
    PromptPreview #prompt-note.-error {
        color: $error;
    }
    PromptPreview #prompt-scroll {
        height: 1fr;
        border: round $panel-lighten-2;
    }
    PromptPreview #prompt-output {
        padding: 0 1;
    }
    """

    class Rendered(Message):
        """A rendering finished in the worker."""

        def __init__(self, generation: int, result: PreviewResult) -> None:
            super().__init__()
            self.generation = generation
            self.result = result

    def __init__(
        self,
        text_source: Callable[[], str],
        base_source: Callable[[], FromModel] = FromModel,
        *,
        id: str | None = "editor-prompt",  # noqa: A002 - Textual's name
    ) -> None:
        super().__init__(id=id)
        self.text_source = text_source
        """Reads the editor's Modelfile text; called only when a rendering starts, so a
        keystroke costs no copy of the text."""
        self.base_source = base_source
        """What the editor knows of the FROM model (for a Modelfile without TEMPLATE)."""
        self.result: PreviewResult | None = None
        """The newest rendering shown."""
        self._generation = 0
        """Counts changes of what is previewed (the text, the conversation, shown again)."""
        self._shown_generation = -1
        """The generation whose rendering is on screen."""
        self._preview_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Label("Prompt preview", classes="editor-side-title")
        yield Select(
            [(f"{name}: {sample_description(name)}", name) for name in SAMPLE_NAMES],
            value=DEFAULT_SAMPLE,
            allow_blank=False,
            id="prompt-sample",
        )
        yield TextArea(_sample_text(DEFAULT_SAMPLE), id="prompt-conversation", soft_wrap=True)
        yield Static("", id="prompt-note", markup=False)
        with VerticalScroll(id="prompt-scroll"):
            yield Static("", id="prompt-output", markup=False)

    @property
    def shown(self) -> bool:
        """Whether the panel is on screen."""
        return self.has_class("-shown")

    @property
    def conversation(self) -> str:
        """The conversation being previewed, as JSON text."""
        return self.query_one("#prompt-conversation", TextArea).text

    def toggle(self) -> None:
        """Show (rendering at once) or hide the panel."""
        self.set_class(not self.shown, "-shown")
        if self.shown:
            self._schedule(0.0)

    def source_changed(self) -> None:
        """The editor's text changed: render it after a short quiet spell (when shown)."""
        if self.shown:
            self._schedule(PREVIEW_DELAY)

    def pick_sample(self, name: str) -> None:
        """Preview built-in conversation `name`."""
        self.query_one("#prompt-sample", Select).value = name

    @on(Select.Changed, "#prompt-sample")
    def _sample_picked(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, str):
            self.query_one("#prompt-conversation", TextArea).text = _sample_text(event.value)

    @on(TextArea.Changed, "#prompt-conversation")
    def _conversation_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self.shown:
            self._schedule(PREVIEW_DELAY)

    @property
    def up_to_date(self) -> bool:
        """Whether the panel shows the rendering of the current text and conversation (the
        state a pause in typing reaches; tests wait for it)."""
        return self.shown and self._shown_generation == self._generation

    def _schedule(self, delay: float) -> None:
        """Note a change and (re)start the debounce: the keystroke's whole cost."""
        self._generation += 1
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(max(delay, 0.01), self._begin_render)

    def _begin_render(self) -> None:
        self._preview_timer = None
        if self.shown:
            self._render_in_worker(
                self.text_source(), self.conversation, self.base_source(), self._generation
            )

    @work(thread=True, exclusive=True, group="prompt-preview", exit_on_error=False)
    def _render_in_worker(
        self, modelfile: str, conversation: str, base: FromModel, generation: int
    ) -> None:
        result = render_preview(modelfile, conversation, base)
        self.post_message(self.Rendered(generation, result))

    @on(Rendered)
    def _rendered(self, event: Rendered) -> None:
        event.stop()
        if event.generation != self._generation:
            return  # an edit came after it: that edit's rendering follows
        self._shown_generation = event.generation
        result = event.result
        if result is self.result or result == self.result:
            return  # the same prompt and note: nothing to paint
        self.result = result
        note = self.query_one("#prompt-note", Static)
        note.update(result.note)
        note.set_class(result.error, "-error")
        self.query_one("#prompt-output", Static).update(
            result.prompt if result.prompt is not None else ""
        )

    @property
    def prompt_text(self) -> str:
        """The plain text of the prompt shown ("" when none is)."""
        result = self.result
        return result.prompt.plain if result is not None and result.prompt is not None else ""


__all__ = [
    "PREVIEW_DELAY",
    "FromModel",
    "PreviewResult",
    "PromptPreview",
    "highlighted",
    "render_preview",
]
