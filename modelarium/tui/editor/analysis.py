"""What the editor shows about its text: parsed elements, parse error and lint diagnostics.

Pure and blocking (no Textual): the editor runs it on a debounce, in a thread worker, and
applies a result only while the text is still the one analysed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from modelarium.modelfile import from_commands
from modelarium.modelfile.analysis import analyse as analyse_text
from modelarium.modelfile.commands import NoFromLineError
from modelarium.modelfile.elements import Element
from modelarium.modelfile.lint import Diagnostic
from modelarium.modelfile.parser import ParseOutcome

FIX_KEY = "^f"
"""The editor's apply-fix key as the footer shows it (registered in `editor/pane.py`; kept
here as text because this module stays free of Textual; a test keeps the two equal)."""


@dataclass(frozen=True, slots=True)
class ProblemRow:
    """One problem in the list: 0-based position to jump to, severity and one-line text."""

    row: int
    column: int
    severity: str
    """`error`, `warning` or `info`."""
    code: str
    message: str
    end_row: int | None = None
    """0-based end of the span (exclusive), when the problem has a span."""
    end_column: int | None = None
    fix_description: str | None = None
    """What the suggested fix does (`replace with temperature`), when lint offers one."""
    fix_replacement: str | None = None
    """The text that replaces the span to apply the fix."""

    @property
    def label(self) -> str:
        """The list entry: `12:5 error M001 message (fix: ...)`."""
        fix = f"  [{FIX_KEY}: {self.fix_description}]" if self.fix_description else ""
        return f"{self.row + 1}:{self.column + 1} {self.severity} {self.code} {self.message}{fix}"


@dataclass(frozen=True, slots=True)
class Analysis:
    """The result of analysing one version of the editor text."""

    generation: int
    """Which edit this belongs to; older results are dropped."""
    elements: tuple[Element, ...]
    """Elements of the commands that parsed (everything before a parse error)."""
    problems: tuple[ProblemRow, ...]
    parse_error: str | None
    """Ollama's own error text when the text does not parse."""
    from_model: str | None = None
    """The installed model the text's FROM names, when the editor's worker looked
    (`model_check.with_model_problems`); the pane asks a host for its facts."""
    checked_with: str | None = None
    """The model whose facts the model-aware problems were found with (None: the text-only
    lint alone, the facts not fetched yet or of another model)."""
    from_values: tuple[str, ...] | None = ()
    """The text's FROM values in order (stripped); None while a syntax error hides what the
    text starts from (the status line then keeps its last word on the title)."""

    @property
    def error_rows(self) -> frozenset[int]:
        """Rows holding an error."""
        return frozenset(p.row for p in self.problems if p.severity == "error")

    @property
    def warning_rows(self) -> frozenset[int]:
        """Rows holding a warning or a hint."""
        return frozenset(p.row for p in self.problems if p.severity != "error")


def severity_name(diagnostic: Diagnostic) -> str:
    """Normalise the diagnostic's severity (an enum or a string) to error|warning|info."""
    raw = getattr(diagnostic.severity, "value", diagnostic.severity)
    text = str(raw).lower()
    if text.startswith("err"):
        return "error"
    if text.startswith("warn"):
        return "warning"
    return "info"


def analyse(text: str, generation: int, directory: Path | None = None) -> Analysis:
    """Parse and lint `text` from one scan (never raises on any text); an empty text has no
    problems yet."""
    if not text.strip():
        return Analysis(generation, (), (), None)
    core = analyse_text(text, directory=directory)
    outcome = core.outcome
    problems = [
        ProblemRow(
            row=max(diagnostic.line - 1, 0),
            column=max(diagnostic.column - 1, 0),
            severity=severity_name(diagnostic),
            code=str(diagnostic.code),
            message=diagnostic.message,
            end_row=max(diagnostic.end_line - 1, 0),
            end_column=max(diagnostic.end_column - 1, 0),
            fix_description=diagnostic.fix.description if diagnostic.fix else None,
            fix_replacement=diagnostic.fix.replacement if diagnostic.fix else None,
        )
        for diagnostic in core.diagnostics
    ]
    parse_error = str(outcome.error) if outcome.error is not None else None
    if parse_error is not None and not any(p.severity == "error" for p in problems):
        row = _error_row(outcome.error)
        problems.insert(0, ProblemRow(row, 0, "error", "parse", parse_error))
    problems.sort(key=lambda problem: (problem.row, problem.column))
    return Analysis(
        generation, core.elements, tuple(problems), parse_error, from_values=from_values(outcome)
    )


def from_values(outcome: ParseOutcome) -> tuple[str, ...] | None:
    """The FROM values of a scanned text, in order; None when a syntax error stops the scan
    (a FROM may follow it). A text that parses but has no FROM has none: `()`."""
    if outcome.error is not None and not isinstance(outcome.error, NoFromLineError):
        return None
    return tuple(parsed.command.args.strip() for parsed in from_commands(outcome))


def _error_row(error: object) -> int:
    """0-based row of a parse error, from its `position` when it carries one."""
    position = getattr(error, "position", None)
    line = getattr(position, "line", None)
    if isinstance(line, int) and line > 0:
        return line - 1
    return 0
