"""One look at a Modelfile text: the parse outcome, the elements and the lint diagnostics, all
from a single scan. The editor runs it on every pause in typing, so it must not parse twice.
Pure."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from modelarium.modelfile.commands import ModelfileError
from modelarium.modelfile.document import scan_cached, split_bom
from modelarium.modelfile.elements import Element, elements_from_commands
from modelarium.modelfile.lint import Diagnostic, lint
from modelarium.modelfile.parser import ParseOutcome


@dataclass(frozen=True, slots=True)
class TextAnalysis:
    """What the core says about one text."""

    outcome: ParseOutcome
    """The scan of the text after a leading U+FEFF (skipped, as Ollama's decoder does)."""
    elements: tuple[Element, ...]
    """Elements of the commands that parsed (everything before a parse error)."""
    diagnostics: tuple[Diagnostic, ...]
    """`lint(text)`, sorted by position."""

    @property
    def error(self) -> ModelfileError | None:
        """The first parse error, in Ollama's words; None when the text parses."""
        return self.outcome.error


def analyse(text: str, *, directory: Path | None = None) -> TextAnalysis:
    """Scan `text` once and derive its elements and diagnostics from that scan; never raises.
    `directory` is the Modelfile's folder (lint's local FROM checks)."""
    _, body = split_bom(text)
    outcome = scan_cached(body)
    elements = tuple(elements_from_commands([parsed.command for parsed in outcome.commands]))
    diagnostics = tuple(lint(text, directory=directory, outcome=outcome))
    return TextAnalysis(outcome, elements, diagnostics)
