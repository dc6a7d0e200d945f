"""The Pygments lexer: token kinds, Ollama's quoting, and incremental re-lexing."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from pygments.token import Comment, Error, Keyword, Name, Number, Punctuation, String

from modelarium.modelfile.lexer import ROOT_STACK, ModelfileLexer, lex_line, lex_lines
from tests.unit.modelfile.test_elements_strategies import any_text, oracle_texts

FIXTURES = Path(__file__).parents[2] / "fixtures" / "modelfiles"


def _lines(text: str) -> list[str]:
    return re.findall(r"[^\n]*\n|[^\n]+", text)


def _whole(text: str) -> list[tuple[int, object, str]]:
    lexer = ModelfileLexer(stripnl=False, ensurenl=False)
    return list(lexer.get_tokens_unprocessed(text))


def _incremental(text: str) -> list[tuple[int, object, str]]:
    tokens: list[tuple[int, object, str]] = []
    base = 0
    lines = _lines(text)
    for line, (line_tokens, _stack) in zip(lines, lex_lines(lines), strict=True):
        tokens.extend((base + offset, kind, value) for offset, kind, value in line_tokens)
        base += len(line)
    return tokens


def _kinds(text: str) -> list[tuple[object, str]]:
    """(token type, text without surrounding blanks) of the non-blank tokens."""
    return [(kind, value.strip()) for _, kind, value in _whole(text) if value.strip()]


def test_instructions_parameters_numbers_and_comments() -> None:
    kinds = _kinds("# c\nFROM llama3\nPARAMETER temperature 0.7\nPARAMETER temprature 1\n")
    assert (Comment.Single, "# c") in kinds
    assert (Keyword, "FROM") in kinds
    assert (Name.Namespace, "llama3") in kinds
    assert (Name.Attribute, "temperature") in kinds
    assert (Number, "0.7") in kinds
    assert (Name.Other, "temprature") in kinds


def test_deprecated_parameter_and_roles() -> None:
    kinds = _kinds("PARAMETER mirostat 1\nMESSAGE user hi\nMESSAGE User hi\n")
    assert (Name.Exception, "mirostat") in kinds
    assert (Name.Label, "user") in kinds
    assert (Error, "User hi") in kinds


def test_template_actions_inside_triple_quotes() -> None:
    text = 'TEMPLATE """{{ if .System }}<|sys|>{{ $x := .Tools }}\n{{ end }}"""\nSYSTEM hi\n'
    kinds = _kinds(text)
    assert (Keyword, "if") in kinds
    assert (Name.Attribute, ".System") in kinds
    assert (Name.Variable, "$x") in kinds
    assert (Keyword, "end") in kinds
    assert (String, "<|sys|>") in kinds
    assert (Keyword, "SYSTEM") in kinds
    assert kinds.count((String.Delimiter, '"""')) == 2


def test_triple_quote_follows_ollama_closing_rule() -> None:
    # `"""a""" b` does not close (text after the quote); the value goes on to the next line.
    _, stack = lex_line('SYSTEM """a""" b\n')
    assert stack == ("root", "triple")
    _, stack = lex_line('still inside"""\n', stack)
    assert stack == ROOT_STACK
    _, stack = lex_line('SYSTEM """"\n')
    assert stack == ("root", "triple")
    _, stack = lex_line('SYSTEM """"""\n')
    assert stack == ROOT_STACK


def test_multi_line_action_keeps_its_state() -> None:
    _, stack = lex_line('TEMPLATE """{{ if (and\n')
    assert stack == ("root", "template-triple", "action-triple")
    _, stack = lex_line("  .System) }}x\n", stack)
    assert stack == ("root", "template-triple")


def test_multi_line_template_comment_is_a_comment() -> None:
    tokens, stack = lex_line('TEMPLATE """{{- /*\n')
    assert stack == ("root", "template-triple", "action-triple", "comment-triple")
    tokens, stack = lex_line("------ MESSAGE PARSING ------\n", stack)
    assert [kind for _, kind, _ in tokens] == [Comment.Multiline]
    _, stack = lex_line("*/}}\n", stack)
    assert stack == ("root", "template-triple")
    # Ollama's closing quote still ends the TEMPLATE inside an unfinished comment.
    _, stack = lex_line('end """\n', ("root", "template-triple", "action-triple", "comment-triple"))
    assert stack == ROOT_STACK


def test_unquoted_values_end_at_the_line() -> None:
    _, stack = lex_line("TEMPLATE {{ .Prompt\n")
    assert stack == ROOT_STACK


@pytest.mark.parametrize(("case_id", "text"), oracle_texts())
def test_incremental_equals_whole_on_oracle_cases(case_id: str, text: str) -> None:
    assert _incremental(text) == _whole(text), case_id


def test_incremental_equals_whole_on_fixtures() -> None:
    for path in sorted(FIXTURES.glob("*.Modelfile")):
        text = path.read_text(encoding="utf-8")
        assert _incremental(text) == _whole(text), path.name
        assert not [v for _, kind, v in _whole(text) if kind is Error], path.name


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_incremental_equals_whole_on_any_text(text: str) -> None:
    assert _incremental(text) == _whole(text)


def test_restarting_from_a_saved_stack_matches() -> None:
    text = (FIXTURES / "llama3.1-tools.Modelfile").read_text(encoding="utf-8")
    lines = _lines(text)
    results = list(lex_lines(lines))
    middle = len(lines) // 2
    restarted = list(lex_lines(lines[middle:], results[middle - 1][1]))
    assert restarted == results[middle:]


def test_tokens_cover_the_text() -> None:
    text = (FIXTURES / "granite-tools.Modelfile").read_text(encoding="utf-8")
    assert "".join(value for _, _, value in _whole(text)) == text


def test_registered_as_the_pygments_entry_point() -> None:
    pyproject = tomllib.loads((Path(__file__).parents[3] / "pyproject.toml").read_text("utf-8"))
    entry = pyproject["project"]["entry-points"]["pygments.lexers"]["modelfile"]
    assert entry == f"{ModelfileLexer.__module__}:{ModelfileLexer.__name__}"


def test_registered_names() -> None:
    assert ModelfileLexer.aliases == ["modelfile"]
    assert "Modelfile" in ModelfileLexer.filenames
    assert (Punctuation, "{{") in _kinds('TEMPLATE """{{ .Prompt }}"""\n')
