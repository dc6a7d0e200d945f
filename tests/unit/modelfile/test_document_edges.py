"""Document edge cases: removing a CRLF line, and the bound of the shared parse memo.

Each test kills one mutant of `benchmarks/mutants.py` (named in its docstring)."""

from __future__ import annotations

from modelarium.modelfile.document import ModelfileDocument, clear_scan_cache, scan_cached


def test_removing_a_crlf_line_removes_both_characters_of_its_line_break() -> None:
    """Mutant: removing a CRLF line leaves its LF. The leftover LF would parse the same (a
    blank line), so only the text shows it: a stray LF-only line in a CRLF file."""
    document = ModelfileDocument.parse("FROM x\r\nPARAMETER seed 1\r\nSYSTEM hi\r\n")
    assert document.remove_parameter("seed") == 1
    assert document.dump() == "FROM x\r\nSYSTEM hi\r\n"


def test_removing_the_last_crlf_line_leaves_the_text_before_it() -> None:
    """Mutant: removing a CRLF line leaves its LF (the last line of the file)."""
    document = ModelfileDocument.parse("FROM x\r\nPARAMETER seed 1\r\n")
    document.remove_parameter("seed")
    assert document.dump() == "FROM x\r\n"


def test_the_parse_memo_keeps_only_the_last_few_texts() -> None:
    """Mutant: scan memo unbounded. The memo lets lint, format and the document share one
    parse of an editor buffer; every keystroke is a new text, so an unbounded memo would keep
    every version of the buffer alive. Four other texts push the first one out."""
    clear_scan_cache()
    first = scan_cached("FROM a\n")
    assert scan_cached("FROM a\n") is first
    for name in "bcde":
        scan_cached(f"FROM {name}\n")
    again = scan_cached("FROM a\n")
    assert again is not first
    assert again == first
    clear_scan_cache()
