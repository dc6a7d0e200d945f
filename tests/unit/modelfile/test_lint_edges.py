"""Lint edge cases the rule tests did not reach: positions after a byte-order mark, the
severity of CRLF that reaches a value, and how many parse errors lint recovers from.

Each test kills one mutant of `benchmarks/mutants.py` (named in its docstring)."""

from __future__ import annotations

from modelarium.modelfile.lint import Diagnostic, lint


def _spanned(text: str, found: Diagnostic) -> str:
    """The text a one-line diagnostic covers (LF-only `text`, 1-based columns)."""
    assert found.line == found.end_line
    line = text.split("\n")[found.line - 1]
    return line[found.column - 1 : found.end_column - 1]


def test_a_span_on_the_first_line_after_a_bom_covers_the_value() -> None:
    """Mutant: positions after a BOM off by one. Ollama's decoder drops a leading BOM before
    parsing, so the parser's offsets are one short of the file's; lint adds the BOM back, and
    the editor's squiggle lands on the FROM value, not one character to its left."""
    text = "\ufeffFROM llama3 # base\n"
    (found,) = [d for d in lint(text) if d.code == "MF022"]
    assert (found.line, found.column, found.end_column) == (1, 7, 20)
    assert _spanned(text, found) == "llama3 # base"


def test_a_parse_error_after_a_bom_is_on_its_own_line() -> None:
    """Mutant: positions after a BOM off by one. The unknown keyword on line 2 is reported at
    line 2, column 1, over the word itself."""
    text = "\ufeffFROM x\nSYTEM hi\n"
    (found,) = [d for d in lint(text) if d.code == "MF001"]
    assert (found.line, found.column) == (2, 1)
    assert _spanned(text, found) == "SYTEM"


def test_crlf_kept_inside_a_value_is_a_warning() -> None:
    """Mutant: a CR kept in a value is only a note. Ollama keeps the CR of each CRLF inside a
    multi-line quoted value (oracle `crlf-triple-keeps-cr`) and sends it to the server, which
    changes the prompt; that is worth a warning, unlike CRLF between instructions (a note)."""
    (found,) = lint('FROM x\r\nSYSTEM """a\r\nb"""\r\n')
    assert (found.code, found.severity) == ("MF040", "warning")
    assert "SYSTEM value keeps a \\r" in found.message
    (between,) = lint("FROM x\r\nSYSTEM hi\r\n")
    assert (between.code, between.severity) == ("MF040", "info")


def test_lint_recovers_from_at_most_twenty_further_parse_errors() -> None:
    """Mutant: one more recovered parse error than the bound. Ollama stops at the first error;
    lint restarts on the next line to show more, but only 20 more, so a file of garbage gives
    a bounded list (the first error and 20 others) instead of one line per line."""
    text = "FROM x\n" + "SYTEM hi\n" * 30
    found = [d for d in lint(text) if d.code == "MF001"]
    assert [d.line for d in found] == list(range(2, 23))
    assert "Ollama:" in found[0].message
    assert not any("Ollama:" in d.message for d in found[1:])
