"""Lexer edge cases: a numeric stop value, and a closing triple quote followed by blanks.

Each test kills one mutant of `benchmarks/mutants.py` (named in its docstring)."""

from __future__ import annotations

from pygments.token import Number, String

from modelarium.modelfile.lexer import ROOT_STACK, ModelfileLexer, lex_line


def _kinds(text: str) -> list[tuple[object, str]]:
    """(token type, text without surrounding blanks) of the non-blank tokens."""
    lexer = ModelfileLexer(stripnl=False, ensurenl=False)
    return [(k, v.strip()) for _, k, v in lexer.get_tokens_unprocessed(text) if v.strip()]


def test_a_numeric_stop_value_is_a_string() -> None:
    """Mutant: stop values lexed as numbers. `stop` is a list of strings for Ollama, so
    `PARAMETER stop 42` stops at the text "42": it is highlighted as a string, like
    `PARAMETER stop </s>`, while `num_ctx 42` is a number."""
    kinds = _kinds("PARAMETER stop 42\nPARAMETER num_ctx 42\n")
    assert (String, "42") in kinds
    assert (Number, "42") in kinds
    assert kinds.count((String, "42")) == 1


def test_a_triple_quote_followed_by_blanks_closes_the_value() -> None:
    """Mutant: a triple quote followed by blanks does not close. Ollama trims the buffer
    before its closing check, so blanks after the closing `\"\"\"` still close the value, and
    the next line is an instruction again."""
    _, stack = lex_line('SYSTEM """a"""  \n')
    assert stack == ROOT_STACK
    _, stack = lex_line('SYSTEM """first\n')
    assert stack == ("root", "triple")
    tokens, stack = lex_line('last"""\t \n', stack)
    assert stack == ROOT_STACK
    assert (String.Delimiter, '"""\t ') in [(kind, text) for _, kind, text in tokens]
