"""Two models side by side, element by element: what a model built from each would differ in
(the core's `diff_modelfiles` over the Modelfiles the hosts report)."""

from __future__ import annotations

import re
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from modelarium.modelfile import ModelfileDiff
from modelarium.terminal_text import terminal_text
from modelarium.tui.keys import bindings_for
from modelarium.wording import counted


def line_style(line: str) -> str:
    """Colour of one line of `ModelfileDiff.to_text()`."""
    if line.startswith(("--- ", "+++ ")):
        return "bold"
    if line.startswith("    @@"):
        return "cyan"
    if line.startswith("    +"):
        return "green"
    if line.startswith("    -"):
        return "red"
    if ": added " in line:
        return "green"
    if ": removed " in line:
        return "red"
    if line.startswith("    "):
        return "dim"
    return "yellow"


BLOB_PATH = re.compile(r"[^\s\"\[\]]*[/\\]blobs[/\\]sha256[-:]([0-9a-f]{12})[0-9a-f]{52}")
"""A host's blob path in a FROM line (`/usr/share/ollama/.ollama/models/blobs/sha256-…`)."""


def short_blob_paths(line: str) -> str:
    """Blob paths as `sha256-<first 12>…`: the digest is what tells weights apart."""
    return BLOB_PATH.sub(lambda match: f"sha256-{match.group(1)}…", line)


def diff_report(diff: ModelfileDiff) -> Text:
    """The diff as coloured text, one line per change (unified diff lines for long text),
    terminal-safe (model names and values come from the hosts)."""
    report = Text()
    for line in diff.to_text().splitlines():
        report.append(terminal_text(short_blob_paths(line)) + "\n", style=line_style(line))
    return report


class CompareDialog(ModalScreen[None]):
    """The element-level differences between two models; Esc or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("compare-dialog"))

    def __init__(self, diff: ModelfileDiff, *, note: str = "") -> None:
        super().__init__()
        self.diff = diff
        self.note = note
        """Said above the summary (`Digests differ: …` for one name on two hosts)."""

    def compose(self) -> ComposeResult:
        diff = self.diff
        summary = (
            "They describe the same model: same weights, parameters, template and messages."
            if diff.identical
            else f"{counted(len(diff.changes), 'difference')}, element by element "
            "(comments and layout ignored)."
        )
        with Vertical(classes="dialog wide-dialog"):
            yield Static(
                terminal_text(f"Compare {diff.before_label}  ↔  {diff.after_label}"),
                classes="dialog-title",
                markup=False,
            )
            if self.note:
                yield Static(terminal_text(self.note), id="compare-note", markup=False)
            yield Static(summary, id="compare-summary", markup=False)
            with VerticalScroll(id="compare-body"):
                yield Static(diff_report(diff), id="compare-report")
            yield Static("Esc closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#compare-body", VerticalScroll).focus()

    def action_close(self) -> None:
        """Close the comparison."""
        self.dismiss(None)
