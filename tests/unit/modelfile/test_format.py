"""The formatter: canonical keywords and quoting, comments kept, commands never changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings

from modelarium.modelfile.document import ModelfileDocument
from modelarium.modelfile.elements import Element, GenerateError, generate_modelfile
from modelarium.modelfile.format import FormatError, format_modelfile
from modelarium.modelfile.parser import scan
from tests.unit.modelfile.test_elements_strategies import any_text, element_sets, oracle_texts

FIXTURES = Path(__file__).parents[2] / "fixtures" / "modelfiles"


def test_canonical_keywords_quoting_and_kept_comments() -> None:
    text = (
        "   # header comment   \n"
        "from llama3\n"
        "\n"
        "  parameter temperature 0.5  \n"
        'Parameter stop "<|eot_id|>"\n'
        "\t# sampling\n"
        'system "be brief"\n'
        "template {{ .Prompt }}\n"
        "message user hi"
    )
    assert format_modelfile(text) == (
        "# header comment\n"
        "FROM llama3\n"
        "\n"
        "PARAMETER temperature 0.5\n"
        "PARAMETER stop <|eot_id|>\n"
        "# sampling\n"
        "SYSTEM be brief\n"
        'TEMPLATE """{{ .Prompt }}"""\n'
        "MESSAGE user hi\n"
    )


def test_quotes_stay_where_they_are_needed() -> None:
    text = 'FROM x\nSYSTEM "  padded  "\nPARAMETER stop ""\nSYSTEM """multi\nline"""\n'
    formatted = format_modelfile(text)
    assert formatted == 'FROM x\nSYSTEM "  padded  "\nPARAMETER stop \nSYSTEM """multi\nline"""\n'


def test_crlf_and_bom_are_kept() -> None:
    text = '\ufefffrom x\r\nsystem """a\r\nb"""\r\n'
    assert format_modelfile(text) == '\ufeffFROM x\r\nSYSTEM """a\r\nb"""\r\n'


def test_instruction_that_cannot_be_canonical_stays_as_written() -> None:
    text = "FROM x\nPARAMETER message hello there\n"
    assert format_modelfile(text) == text


def test_parameter_named_like_an_instruction_becomes_the_instruction() -> None:
    assert format_modelfile("FROM x\nPARAMETER system hi\n") == "FROM x\nSYSTEM hi\n"


def test_refuses_text_ollama_rejects_with_the_position() -> None:
    with pytest.raises(FormatError, match=r"line 2, column 8: unexpected EOF"):
        format_modelfile('FROM x\nSYSTEM "open\n')


def test_a_file_without_from_can_still_be_formatted() -> None:
    assert format_modelfile("system hi\n") == "SYSTEM hi\n"


@pytest.mark.parametrize(("case_id", "text"), oracle_texts())
def test_oracle_cases_keep_their_commands_and_format_idempotently(case_id: str, text: str) -> None:
    try:
        formatted = format_modelfile(text)
    except FormatError:
        assert scan(text).error is not None, case_id
        return
    assert ModelfileDocument.parse(formatted).commands == ModelfileDocument.parse(text).commands
    assert format_modelfile(formatted) == formatted, case_id


def test_fixtures_keep_comments_blank_lines_and_commands() -> None:
    for path in sorted(FIXTURES.glob("*.Modelfile")):
        text = path.read_text(encoding="utf-8")
        formatted = format_modelfile(text)
        assert format_modelfile(formatted) == formatted
        assert ModelfileDocument.parse(formatted).commands == ModelfileDocument.parse(text).commands

        def layout(source: str) -> list[str]:
            return [line for line in source.splitlines() if line.startswith("#") or not line]

        assert layout(formatted) == layout(text), path.name
        assert len(formatted.splitlines()) == len(text.splitlines()), path.name


@settings(max_examples=400, deadline=None)
@given(any_text)
def test_formatting_never_changes_commands_and_is_idempotent(text: str) -> None:
    try:
        formatted = format_modelfile(text)
    except FormatError:
        return
    assert ModelfileDocument.parse(formatted).commands == ModelfileDocument.parse(text).commands
    assert format_modelfile(formatted) == formatted


@settings(max_examples=200, deadline=None)
@given(element_sets())
def test_generated_text_is_already_formatted(elements: tuple[Element, ...]) -> None:
    try:
        text = generate_modelfile(elements)
    except GenerateError:
        return
    assert format_modelfile(text) == text
