"""The details view of the highlighted model: its elements, model info and capabilities.

Rendering is a pure function of the fetched `ModelDetails` and its extracted elements, so it is
cheap to re-render from the pane's digest-keyed cache when the cursor comes back to a model.
Everything the host sent is shown terminal-safe (`terminal_text`) in `Text` objects, never as
markup.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from modelarium.ollama.running import processor_text, unload_text
from modelarium.ollama.types import ModelSummary
from modelarium.terminal_text import terminal_text
from modelarium.tui.widgets.effective_text import effective_text
from modelarium.wording import human_bytes, relative_time

if TYPE_CHECKING:
    from modelarium.modelfile import EffectiveSetting, Element
    from modelarium.ollama.types import ModelDetails, RunningModel

MODEL_INFO_SUFFIXES: tuple[str, ...] = (
    "general.architecture",
    "general.parameter_count",
    "general.file_type",
    "general.quantization_version",
    ".context_length",
    ".embedding_length",
    ".block_count",
    ".attention.head_count",
    ".attention.head_count_kv",
    ".rope.freq_base",
    ".vocab_size",
    "tokenizer.ggml.model",
)
"""Model-info keys worth a line (the rest are GGUF internals)."""

LICENSE_PREVIEW_LINES = 6
LICENSE_PREVIEW_CHARACTERS = 480
"""A license can be pages long; the view shows its start and how much is left."""

TEXT_PREVIEW_CHARACTERS = 4000
"""Longer TEMPLATE/SYSTEM texts are cut here (the editor shows them whole)."""


def _parameter_defaults() -> Mapping[str, str]:
    """Each catalogue parameter's default, worded (imported lazily: the view works without
    it)."""
    try:
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.modelfile.params import PARAMETERS, default_words
    except ImportError:
        return {}
    return {name: default_words(spec) for name, spec in PARAMETERS.items()}


def default_text(name: str, defaults: Mapping[str, str]) -> str:
    """The catalogue default of a parameter, as shown beside its value: `0.8`, `none`, or
    `auto: Ollama chooses; 0` when the default asks Ollama to choose."""
    return defaults.get(name, "not in catalogue")


def parameters_text(element: Element, defaults: Mapping[str, str]) -> Text:
    """One line per PARAMETER: name, value, and the catalogue default (dim) it overrides."""
    width = max((len(parameter.name) for parameter in element.parameters), default=0)
    text = Text()
    for index, parameter in enumerate(element.parameters):
        if index:
            text.append("\n")
        text.append(f"  {terminal_text(parameter.name):<{width}}  ", style="bold")
        text.append(terminal_text(parameter.value))
        text.append(f"  (default {default_text(parameter.name, defaults)})", style="dim")
    return text


DISPLAY_ORDER: tuple[str, ...] = (
    "base",
    "adapter",
    "draft",
    "parameters",
    "system",
    "messages",
    "requires",
    "renderer",
    "parser",
    "template",
    "license",
)
"""Element kinds (`ElementKind` values), short ones first, so parameters and SYSTEM are visible
without scrolling past TEMPLATE."""


def element_renderables(
    elements: tuple[Element, ...], defaults: Mapping[str, str]
) -> list[RenderableType]:
    """One block per element: short kinds first (`DISPLAY_ORDER`), Modelfile order within."""
    blocks: list[RenderableType] = []
    ordered = sorted(
        elements,
        key=lambda element: (
            DISPLAY_ORDER.index(element.kind)
            if element.kind in DISPLAY_ORDER
            else len(DISPLAY_ORDER)
        ),
    )
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.modelfile.elements import KEYWORD_FOR_KIND

    for element in ordered:
        title = KEYWORD_FOR_KIND[element.kind]
        if element.kind == "parameters":
            blocks.append(Text(f"{title} ({len(element.parameters)})", style="bold"))
            blocks.append(parameters_text(element, defaults))
        elif element.kind == "messages":
            blocks.append(Text(f"{title} ({len(element.messages)})", style="bold"))
            for message in element.messages:
                line = Text(f"  {terminal_text(message.role)}: ", style="italic")
                line.append(terminal_text(message.content, lines="keep"))
                blocks.append(line)
        elif element.kind == "license":
            shown = "\n".join(element.value.splitlines()[:LICENSE_PREVIEW_LINES])
            shown = shown[:LICENSE_PREVIEW_CHARACTERS]
            blocks.append(Text(title, style="bold"))
            body = Text(terminal_text(shown, lines="keep"))
            if len(shown) < len(element.value):
                body.append(f"\n… {len(element.value) - len(shown):,} more characters", style="dim")
            blocks.append(body)
        elif element.kind == "base":
            line = Text(f"{title} ", style="bold")
            line.append(terminal_text(element.value))
            blocks.append(line)
        else:
            blocks.append(Text(title, style="bold"))
            body = Text(
                terminal_text(element.value[:TEXT_PREVIEW_CHARACTERS], lines="keep") or "(empty)"
            )
            if len(element.value) > TEXT_PREVIEW_CHARACTERS:
                more = len(element.value) - TEXT_PREVIEW_CHARACTERS
                body.append(f"\n… {more:,} more characters", style="dim")
            blocks.append(body)
        blocks.append(Text(""))
    return blocks


def model_info_table(model_info: Mapping[str, object]) -> Table:
    """The useful model-info keys, in catalogue order."""
    table = Table(box=None, show_header=False, padding=(0, 1))
    table.add_column("key", style="dim")
    table.add_column("value")
    for wanted in MODEL_INFO_SUFFIXES:
        for key, value in model_info.items():
            if (key == wanted or (wanted.startswith(".") and key.endswith(wanted))) and not (
                isinstance(value, list | dict) or value is None
            ):
                shown = f"{value:,}" if isinstance(value, int) else str(value)
                table.add_row(Text(terminal_text(key)), Text(terminal_text(shown)))
    return table


def modelfile_num_ctx(elements: tuple[Element, ...]) -> str | None:
    """The `num_ctx` the model's own Modelfile sets (as create reads it), if any."""
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.modelfile import commands_from_elements, effective_parameters

    value = effective_parameters(commands_from_elements(elements)).get("num_ctx")
    return value if isinstance(value, str) else None


def memory_line(running: RunningModel, now: datetime, elements: tuple[Element, ...] = ()) -> Text:
    """`In memory: 2.0 GB · 100% GPU · context 4096 · unloads in 4 minutes` (`ollama ps`),
    and a note when the loaded context is not the one the model's Modelfile asks for."""
    line = Text("In memory: ", style="bold green")
    facts = [human_bytes(running.size), processor_text(running.size, running.size_vram)]
    if running.context_length:
        facts.append(f"context {running.context_length}")
    facts.append(unload_text(running.expires_at, now))
    line.append(" · ".join(facts), style="green")
    asked = modelfile_num_ctx(elements)
    if running.context_length and asked is not None and asked != str(running.context_length):
        line.append(
            f"\nLoaded with context {running.context_length}, but its Modelfile sets num_ctx "
            f"{asked}: a request's options or the server's OLLAMA_CONTEXT_LENGTH chose this one.",
            style="yellow",
        )
    return line


def remote_line(details: ModelDetails) -> Text | None:
    """`Cloud model: runs on https://ollama.com as gpt-oss:120b …` for a remote model."""
    if not (details.remote_host or details.remote_model):
        return None
    line = Text("Cloud model: ", style="bold cyan")
    where = details.remote_host or "the cloud"
    line.append(
        terminal_text(
            f"runs on {where}"
            + (f" as {details.remote_model}" if details.remote_model else "")
            + "; this host holds no weights, so there is nothing to load, unload, push or "
            "extract weights from"
        ),
        style="cyan",
    )
    return line


def drift_line(base: str) -> Text:
    """The derived model still has weights its base `base` no longer has."""
    line = Text("Base updated: ", style="bold yellow")
    line.append(
        terminal_text(
            f"{base} was pulled or replaced since this model was made; it still runs the old "
            "weights. R re-creates it on the current base (preview first)."
        ),
        style="yellow",
    )
    return line


def model_effective_settings(
    details: ModelDetails,
    base: ModelDetails | None = None,
    running: RunningModel | None = None,
) -> tuple[EffectiveSetting, ...]:
    """The settings an installed model runs with and where each comes from: set by the model
    itself, inherited from its base `base` (when it is known), Ollama's default; num_ctx with
    the context the loaded instance really has (`running`, from `/api/ps`). The core's
    `model_settings`, as `models show --effective` prints it."""
    # Deferred (start-up): loaded only when this runs.
    from modelarium.modelfile.effective import model_settings
    from modelarium.ollama.facts import facts_from_details

    return model_settings(
        facts_from_details(details),
        facts_from_details(base) if base is not None else None,
        running_context=running.context_length if running is not None else None,
    )


def effective_renderables(
    details: ModelDetails,
    base: ModelDetails | None = None,
    running: RunningModel | None = None,
) -> list[RenderableType]:
    """`Effective settings`: one line per setting (name, value), the origin beneath it, so
    the list reads in a narrow pane."""
    settings = model_effective_settings(details, base, running)
    heading = Text("Effective settings", style="bold")
    if details.context_length:
        heading.append(f"  (trained context {details.context_length:,})", style="dim")
    body = effective_text(settings)
    return [heading, body, Text("")]


def details_renderable(
    row: ModelSummary,
    details: ModelDetails,
    elements: tuple[Element, ...],
    now: datetime,
    defaults: Mapping[str, str] | None = None,
    running: RunningModel | None = None,
    *,
    drifted_from: str | None = None,
    base: ModelDetails | None = None,
) -> Group:
    """The whole details view of one model (`running`: its `/api/ps` entry when loaded;
    `drifted_from`: its base, when that base's weights changed since it was made; `base`: the
    base's `/api/show`, for where each effective setting comes from)."""
    header = Text(terminal_text(row.name), style="bold")
    header.append(f"  on {terminal_text(row.host)}", style="dim")
    facts = Text(
        terminal_text(
            f"{human_bytes(row.size)} · {details.family or row.family or 'unknown family'} · "
            f"{details.parameter_size or row.parameter_size or '?'} · "
            f"{details.quantization or row.quantization or '?'} · {details.format or '?'} · "
            f"modified {relative_time(row.modified_at, now)}"
        ),
        style="dim",
    )
    digest = Text(f"digest {terminal_text(row.digest[:12])}", style="dim")
    if details.parent_model:
        digest.append(f" · from {terminal_text(details.parent_model)}", style="dim")
    capabilities = Text("Capabilities: ", style="bold")
    capabilities.append(
        terminal_text(", ".join(details.capabilities or row.capabilities)) or "none listed"
    )
    parts: list[RenderableType] = [header, facts, digest, capabilities]
    remote = remote_line(details)
    if remote is not None:
        parts.append(remote)
    if drifted_from:
        parts.append(drift_line(drifted_from))
    if running is not None:
        parts.append(memory_line(running, now, elements))
    parts.append(Text(""))
    parts.extend(
        element_renderables(elements, _parameter_defaults() if defaults is None else defaults)
    )
    parts.extend(effective_renderables(details, base, running))
    if details.renderer or details.parser:
        parts.append(
            Text(
                "This model uses a built-in renderer/parser: its prompts are formatted by Ollama's "
                "Go code, so no template preview applies.",
                style="italic dim",
            )
        )
    else:
        parts.extend(prompt_preview_renderables(details))
    info = model_info_table(details.model_info)
    if info.row_count:
        parts.append(Text("Model info", style="bold"))
        parts.append(info)
    return Group(*parts)


PROMPT_SAMPLE = "system"
"""The sample conversation the details pane renders the installed TEMPLATE against."""


def prompt_preview_renderables(details: ModelDetails) -> list[RenderableType]:
    """The prompt this model receives for a short chat with a system message: its installed
    TEMPLATE, SYSTEM and MESSAGEs rendered exactly as Ollama renders them (special tokens
    highlighted), or Go's error when rendering fails."""
    # Deferred (start-up): not loaded before the first paint.
    from modelarium.modelfile import TemplateError, render_prompt, sample_request
    from modelarium.modelfile.prompt_source import special_token_spans

    title = Text(f"Prompt preview ({PROMPT_SAMPLE} sample, as Ollama renders it)", style="bold")
    history = [{"role": m.role, "content": m.content} for m in details.messages]
    try:
        prompt = render_prompt(
            details.template or "{{ .Prompt }}",
            sample_request(PROMPT_SAMPLE),
            system=details.system,
            history=history,
        )
    except TemplateError as error:
        return [title, Text(f"Rendering fails: {terminal_text(str(error))}", style="red"), Text("")]
    shown = Text()
    position = 0
    for start, end in special_token_spans(prompt):
        shown.append(terminal_text(prompt[position:start], lines="keep"))
        shown.append(terminal_text(prompt[start:end], lines="keep"), style="bold cyan")
        position = end
    shown.append(terminal_text(prompt[position:], lines="keep"))
    return [title, shown, Text("")]


class ModelDetailsView(VerticalScroll):
    """Scrollable details of one model; the pane tells it what to show."""

    can_focus = True

    def compose(self) -> ComposeResult:
        yield Static("Highlight a model to see its details.", id="details-body")

    def show_message(self, text: str) -> None:
        """A placeholder line (loading, error, nothing highlighted); host error texts in it are
        shown terminal-safe and never read as markup."""
        self.query_one("#details-body", Static).update(Text(terminal_text(text, lines="keep")))

    def show_details(
        self,
        row: ModelSummary,
        details: ModelDetails,
        elements: tuple[Element, ...],
        now: datetime,
        *,
        running: RunningModel | None = None,
        drifted_from: str | None = None,
        base: ModelDetails | None = None,
    ) -> None:
        """Render the details of `row` from its fetched `/api/show` and elements (and its
        base's, when known)."""
        self.query_one("#details-body", Static).update(
            details_renderable(
                row,
                details,
                elements,
                now,
                running=running,
                drifted_from=drifted_from,
                base=base,
            )
        )
        self.scroll_home(animate=False)

    def scroll_to_section(self, title: str) -> bool:
        """Scroll so the section headed `title` (`Effective settings`) is at the top; False
        when the view has no such section."""
        from rich.console import Console

        body = self.query_one("#details-body", Static)
        width = max(self.scrollable_content_region.width, 20)
        console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
        console.print(body.content)
        lines = console.export_text().splitlines()
        index = next((i for i, line in enumerate(lines) if line.startswith(title)), None)
        if index is None:
            return False
        self.scroll_to(y=index, animate=False)
        return True
