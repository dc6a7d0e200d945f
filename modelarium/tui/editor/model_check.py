"""The editor's model-aware lint: the facts of the FROM model on the selected host, fetched in
an async worker (cached by digest in one `FactsSource`), and the MF1xx problems they add to
the editor's problem list.

The editor pane owns a `ModelAwareness`: after each analysis it asks for the facts of the
FROM model the analysis found (`want`); the worker posts `ModelFactsReady`, the pane hands it
to `accept` and re-analyses. The analysis thread calls `model_problems` with the facts then
known, so a problem appears as you type without any request on the UI thread. Library
elements the editor composed keep their family tag (`ComposedElement`), which MF109 reads as
`ElementSpan`s.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from textual.message import Message

from modelarium.modelfile.model_facts import ModelFacts
from modelarium.modelfile.model_rules import ElementSpan
from modelarium.ollama.facts import FactsSource
from modelarium.ollama.model_check import from_model, model_diagnostics
from modelarium.tui.editor.analysis import Analysis, ProblemRow, severity_name
from modelarium.tui.errors import one_line

if TYPE_CHECKING:
    from textual.widget import Widget

    from modelarium.ollama.types import HostStatus


@dataclass(frozen=True, slots=True)
class ComposedElement:
    """Lines the editor added from one library element made for `family`."""

    family: str
    label: str
    lines: frozenset[str]
    """The added lines' text (stripped): found again after edits move them."""


def added_lines(before: str, after: str) -> frozenset[str]:
    """The lines of `after` that are new or changed against `before` (stripped, non-blank)."""
    old, new = before.splitlines(), after.splitlines()
    found: set[str] = set()
    for tag, _, _, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if tag in ("insert", "replace"):
            found.update(line.strip() for line in new[j1:j2] if line.strip())
    return frozenset(found)


def element_spans(text: str, composed: Sequence[ComposedElement]) -> tuple[ElementSpan, ...]:
    """Where each composed element's lines are now (1-based, first..last line found)."""
    lines = [line.strip() for line in text.splitlines()]
    spans: list[ElementSpan] = []
    for element in composed:
        rows = [index + 1 for index, line in enumerate(lines) if line in element.lines]
        if rows:
            spans.append(ElementSpan(min(rows), max(rows), element.family, element.label))
    return tuple(spans)


def model_problems(
    text: str,
    facts: ModelFacts,
    spans: Sequence[ElementSpan] = (),
    *,
    own_modelfile: bool = False,
) -> tuple[ProblemRow, ...]:
    """The model-aware diagnostics of `text` over `facts` as problem rows (fixes included, so
    alt+f applies them as it applies the text-only lint's); `own_modelfile`: the text is the
    FROM model's own Modelfile (no MF107, see `check_against_model`)."""
    return tuple(
        ProblemRow(
            row=max(d.line - 1, 0),
            column=max(d.column - 1, 0),
            severity=severity_name(d),
            code=str(d.code),
            message=d.message,
            end_row=max(d.end_line - 1, 0),
            end_column=max(d.end_column - 1, 0),
            fix_description=d.fix.description if d.fix else None,
            fix_replacement=d.fix.replacement if d.fix else None,
        )
        for d in model_diagnostics(text, facts, element_spans=spans, own_modelfile=own_modelfile)
    )


def with_model_problems(
    analysis: Analysis,
    text: str,
    facts: ModelFacts | None,
    composed: Sequence[ComposedElement] = (),
    opened_from: str | None = None,
) -> Analysis:
    """`analysis` with the text's FROM model named and, when `facts` are of that model, the
    model-aware problems added. Runs in the analysis worker, so the pane never scans the text
    on the event loop (the FROM scan is the analysis's own, remembered by `scan_cached`).

    `opened_from` is the installed model whose Modelfile the text was opened as (`e` in
    Models): while the FROM still names that model, the text is the model's own Modelfile."""
    model = from_model(text)
    analysis = replace(analysis, from_model=model)
    if facts is None or not facts_are_of(model, facts):
        return analysis
    own = opened_from is not None and facts_are_of(opened_from, facts)
    extra = model_problems(text, facts, element_spans(text, composed), own_modelfile=own)
    analysis = replace(analysis, checked_with=facts.name)
    if not extra:
        return analysis
    problems = sorted([*analysis.problems, *extra], key=lambda p: (p.row, p.column))
    return replace(analysis, problems=tuple(problems))


def facts_are_of(model: str | None, facts: ModelFacts) -> bool:
    """Whether `facts` describe the model named `model` (a FROM value)."""
    # Deferred (start-up): loaded only when this runs.
    from modelarium.ollama.names import same_model

    return model is not None and same_model(model, facts.name)


class ModelFactsReady(Message):
    """The facts of a FROM model on a host arrived (or why they could not)."""

    def __init__(
        self,
        host: str,
        model: str,
        facts: ModelFacts | None,
        note: str | None,
        *,
        host_trouble: bool = False,
    ) -> None:
        super().__init__()
        self.host = host
        self.model = model
        self.facts = facts
        self.note = note
        self.host_trouble = host_trouble
        """The host could not answer (asked again when the hosts' health changes)."""


class ModelAwareness:
    """The editor's model-aware state: the facts in use, what was asked, composed elements."""

    def __init__(self) -> None:
        self.source = FactsSource()
        self.facts: ModelFacts | None = None
        """The facts of the FROM model on the selected host, once fetched."""
        self.note: str | None = None
        """Why the model rules are not running (`qwen3:9b is not installed on demo`)."""
        self.asked: tuple[str, str] | None = None
        """(host, model) last asked for."""
        self.composed: list[ComposedElement] = []
        self.host_trouble = False

    def compose(self, before: str, after: str, family: str, label: str) -> None:
        """Remember the lines a library element added (only elements with a family tag)."""
        if family:
            lines = added_lines(before, after)
            if lines:
                self.composed.append(ComposedElement(family, label, lines))

    def spans(self, text: str) -> tuple[ElementSpan, ...]:
        """The composed elements' spans in `text`."""
        return element_spans(text, self.composed)

    def facts_of(self, model: str | None) -> ModelFacts | None:
        """The facts held, when they are those of `model` (the text's FROM model)."""
        return self.facts if self.facts is not None and facts_are_of(model, self.facts) else None

    def want(
        self,
        pane: Widget,
        model: str | None,
        hosts: Sequence[HostStatus],
        *,
        retry: bool = False,
    ) -> None:
        """Fetch the facts of FROM model `model` (the analysis names it) on the selected host
        unless already asked (`retry`: ask again after host trouble); the selected host is the
        first answering."""
        host = next((h.name for h in hosts if h.state in ("up", "degraded")), None)
        if model is None or host is None:
            self.asked = None
            self.facts = None
            self.note = None  # no FROM model, or no host yet: nothing to say
            return
        if self.asked == (host, model) and not (retry and self.host_trouble):
            return
        self.asked = (host, model)
        pane.run_worker(
            self._fetch(pane, host, model),
            group="editor-model-facts",
            exclusive=True,
            exit_on_error=False,
        )

    async def _fetch(self, pane: Widget, host: str, model: str) -> None:
        # Deferred (start-up): loaded only when this runs.
        from modelarium.ollama.types import InvalidModelName, ModelNotFound
        from modelarium.tui.state import services_of

        try:
            client = services_of(pane).client(host)
            facts = await self.source.facts(client, model)
        except (ModelNotFound, InvalidModelName):
            pane.post_message(
                ModelFactsReady(host, model, None, f"{model} is not installed on {host}")
            )
            return
        except Exception as error:  # host trouble: the rules wait, the editor says why
            pane.post_message(
                ModelFactsReady(host, model, None, one_line(error), host_trouble=True)
            )
            return
        pane.post_message(ModelFactsReady(host, model, facts, None))

    def accept(self, message: ModelFactsReady) -> bool:
        """Take fetched facts if they answer the latest question; True when the problems
        may change (facts arrived or went away), so the text is analysed again."""
        if self.asked != (message.host, message.model):
            return False
        changed = message.facts is not None or self.facts is not None
        self.facts = message.facts
        self.note = message.note
        self.host_trouble = message.host_trouble
        return changed

    def forget(self) -> None:
        """A new document: the composed elements and the question no longer apply."""
        self.composed.clear()
        self.asked = None
