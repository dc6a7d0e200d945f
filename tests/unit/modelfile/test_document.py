"""The lossless document: byte-exact dump, parser-equal commands, minimal edits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from modelarium.modelfile.commands import Command
from modelarium.modelfile.document import (
    DocumentEditError,
    ModelfileDocument,
    SegmentKind,
)
from modelarium.modelfile.parser import parse, scan
from tests.unit.modelfile.test_elements_strategies import any_text, oracle_inputs, oracle_texts


def _file_commands(text: str) -> tuple[list[Command], str | None]:
    """What Ollama reads from `text` saved as a UTF-8 file: commands (before any error) and
    the error text."""
    outcome = scan(text.encode("utf-8"))
    return [p.command for p in outcome.commands], (
        None if outcome.error is None else str(outcome.error)
    )


@settings(max_examples=400, deadline=None)
@given(any_text)
def test_dump_of_parse_is_the_input(text: str) -> None:
    document = ModelfileDocument.parse(text)
    assert document.dump() == text
    assert "".join(segment.text for segment in document.segments()) == text


@settings(max_examples=400, deadline=None)
@given(any_text)
def test_document_commands_equal_the_parser(text: str) -> None:
    document = ModelfileDocument.parse(text)
    if not text.startswith("\ufeff"):
        outcome = scan(text)
        assert document.commands == [p.command for p in outcome.commands]
        assert str(document.error) == str(outcome.error)
    if any("\ud800" <= char <= "\udfff" for char in text):
        return  # lone surrogates cannot be saved as a UTF-8 file
    commands, error = _file_commands(text)
    assert document.commands == commands
    assert (None if document.error is None else str(document.error)) == error


@pytest.mark.parametrize(("case_id", "text"), oracle_texts())
def test_oracle_case_commands_match_parse(case_id: str, text: str) -> None:
    document = ModelfileDocument.parse(text)
    assert document.dump() == text
    outcome = scan(text)
    assert document.commands == [p.command for p in outcome.commands], case_id
    if outcome.error is None:
        assert document.commands == parse(text)


@pytest.mark.parametrize(("case_id", "data"), oracle_inputs())
def test_oracle_bytes_with_bom_kept_in_text(case_id: str, data: bytes) -> None:
    if not data.startswith(b"\xef\xbb\xbf"):
        return
    document = ModelfileDocument.parse(data.decode("utf-8"))
    assert document.has_bom
    assert document.commands == [p.command for p in scan(data).commands], case_id


def test_leading_bom_then_comment_reads_like_the_file() -> None:
    text = "\ufeff# a comment\nFROM llama3\n"
    document = ModelfileDocument.parse(text)
    assert document.error is None
    assert document.commands == parse(text.encode("utf-8")) == [Command("model", "llama3")]
    assert document.segments()[0].text == "\ufeff# a comment\n"


def test_error_keeps_text_and_commands_before_it() -> None:
    text = 'FROM llama3\r\nPARAMETER temperature 0.2\r\nSYSTEM "unclosed\r\nmore\r\n'
    document = ModelfileDocument.parse(text)
    assert document.dump() == text
    assert str(document.error) == "unexpected EOF"
    assert document.commands == [Command("model", "llama3"), Command("temperature", "0.2")]
    assert document.segments()[-1].kind is SegmentKind.UNPARSED


SAMPLE = (
    "# My model\n"
    "from llama3\n"
    "\n"
    "parameter temperature 0.5   \n"
    '\tPARAMETER stop "<|eot_id|>"\n'
    "# few-shot\n"
    "MESSAGE user Hello\n"
    "\n"
    "MESSAGE assistant Hi!\n"
    'TemPlate """{{ .Prompt }}"""\n'
)


def test_set_parameter_replaces_the_value_in_place() -> None:
    document = ModelfileDocument.parse(SAMPLE)
    document.set_parameter("temperature", "0.9")
    assert document.dump() == SAMPLE.replace("0.5   ", "0.9")


def test_set_parameter_keeps_quotes_when_they_still_read_back() -> None:
    document = ModelfileDocument.parse(SAMPLE)
    document.set_parameter("stop", "<|end|>")
    assert document.dump() == SAMPLE.replace('"<|eot_id|>"', '"<|end|>"')


def test_set_parameter_appends_after_the_last_parameter() -> None:
    document = ModelfileDocument.parse(SAMPLE)
    document.set_parameter("num_ctx", "8192")
    assert document.dump() == SAMPLE.replace(
        '"<|eot_id|>"\n', '"<|eot_id|>"\nPARAMETER num_ctx 8192\n'
    )


def test_set_parameter_on_a_file_without_parameters_goes_after_from() -> None:
    document = ModelfileDocument.parse("FROM x\nMESSAGE user hi\n")
    document.set_parameter("seed", "3")
    assert document.dump() == "FROM x\nPARAMETER seed 3\nMESSAGE user hi\n"


def test_add_parameter_repeats_stop() -> None:
    document = ModelfileDocument.parse(SAMPLE)
    document.add_parameter("stop", "<|end|>")
    assert [c.args for c in document.commands if c.name == "stop"] == ["<|eot_id|>", "<|end|>"]


def test_remove_parameter_removes_whole_lines_only() -> None:
    document = ModelfileDocument.parse(SAMPLE)
    assert document.remove_parameter("stop") == 1
    assert document.dump() == SAMPLE.replace('\tPARAMETER stop "<|eot_id|>"\n', "")
    assert document.remove_parameter("stop") == 0


def test_remove_the_last_line_without_newline() -> None:
    document = ModelfileDocument.parse("FROM x\nPARAMETER seed 1")
    document.remove_parameter("seed")
    assert document.dump() == "FROM x\n"


def test_set_text_keeps_keyword_case_and_quoting() -> None:
    document = ModelfileDocument.parse(SAMPLE)
    document.set_text("template", "{{ .System }}\n{{ .Prompt }}")
    assert document.dump() == SAMPLE.replace(
        '"""{{ .Prompt }}"""', '"""{{ .System }}\n{{ .Prompt }}"""'
    )


def test_set_text_adds_a_missing_instruction_after_the_header() -> None:
    document = ModelfileDocument.parse(SAMPLE)
    document.set_text("system", "Be brief.")
    assert document.dump() == SAMPLE + "SYSTEM Be brief.\n"


def test_set_text_picks_quoting_that_survives() -> None:
    document = ModelfileDocument.parse("FROM x\nSYSTEM plain\n")
    document.set_text("system", "  padded")
    assert document.dump() == 'FROM x\nSYSTEM "  padded"\n'
    assert document.commands[1] == Command("system", "  padded")


def test_set_text_refuses_an_unquotable_value_and_changes_nothing() -> None:
    document = ModelfileDocument.parse(SAMPLE)
    with pytest.raises(DocumentEditError, match="cannot be quoted"):
        document.set_text("template", 'x"\n"""\ny')
    assert document.dump() == SAMPLE


def test_crlf_documents_get_crlf_lines() -> None:
    text = "FROM x\r\nPARAMETER seed 1\r\n"
    document = ModelfileDocument.parse(text)
    document.set_parameter("top_k", "20")
    assert document.dump() == "FROM x\r\nPARAMETER seed 1\r\nPARAMETER top_k 20\r\n"


def test_set_from_changes_only_the_first_from() -> None:
    document = ModelfileDocument.parse("FROM /blobs/model\nFROM /blobs/projector\n")
    document.set_from("llava")
    assert document.dump() == "FROM llava\nFROM /blobs/projector\n"
    with pytest.raises(DocumentEditError, match="FROM"):
        document.set_from("two\nlines")


def test_set_from_on_a_file_without_from() -> None:
    document = ModelfileDocument.parse("# header\nSYSTEM hi\n")
    document.set_from("llama3")
    assert document.dump() == "# header\nFROM llama3\nSYSTEM hi\n"
    assert document.error is None


def test_messages_add_remove_move() -> None:
    document = ModelfileDocument.parse(SAMPLE)
    document.move_message(0, 1)
    assert document.dump() == SAMPLE.replace("MESSAGE user Hello", "@").replace(
        "MESSAGE assistant Hi!", "MESSAGE user Hello"
    ).replace("@", "MESSAGE assistant Hi!")
    document.add_message("user", "Again?", 1)
    assert [m.content for m in document.messages] == ["Hi!", "Again?", "Hello"]
    document.remove_message(0)
    assert [m.content for m in document.messages] == ["Again?", "Hello"]
    with pytest.raises(DocumentEditError, match="out of range"):
        document.remove_message(5)
    with pytest.raises(DocumentEditError, match="role"):
        document.add_message("tool", "x")


def test_edits_refuse_a_document_that_does_not_parse() -> None:
    document = ModelfileDocument.parse("FROM x\nBOGUS y\n")
    with pytest.raises(DocumentEditError, match="does not parse"):
        document.set_parameter("seed", "1")


def test_edits_refuse_instruction_names_as_parameters() -> None:
    document = ModelfileDocument.parse("FROM x\n")
    with pytest.raises(DocumentEditError, match="instruction"):
        document.set_parameter("system", "hi")
    with pytest.raises(DocumentEditError, match="letters"):
        document.set_parameter("num-ctx", "1")


def test_elements_follow_the_commands() -> None:
    document = ModelfileDocument.parse(SAMPLE)
    kinds = [element.kind.value for element in document.elements]
    assert kinds == ["base", "parameters", "messages", "template"]


def _changed_region(before: str, after: str) -> tuple[int, int]:
    """(start, end) in `before` of the one region an edit replaced."""
    prefix = 0
    while prefix < min(len(before), len(after)) and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < min(len(before), len(after)) - prefix
        and before[len(before) - 1 - suffix] == after[len(after) - 1 - suffix]
    ):
        suffix += 1
    return prefix, len(before) - suffix


@pytest.mark.parametrize(("case_id", "text"), oracle_texts())
def test_edits_on_oracle_cases_touch_only_their_line(case_id: str, text: str) -> None:
    document = ModelfileDocument.parse(text)
    if document.error is not None or text.startswith("\ufeff"):
        return
    seeds = [p for p in document.parsed if p.command.name == "seed"]
    try:
        document.set_parameter("seed", "42")
    except DocumentEditError:
        return
    after = document.dump()
    start, end = _changed_region(text, after)
    if seeds:
        target = seeds[-1]
        assert target.start <= start and end <= target.end, case_id
    else:
        assert end - start == 0, case_id  # a pure insertion
    assert [c for c in document.commands if c.name == "seed"][-1] == Command("seed", "42")
    document.remove_parameter("seed")
    assert all(c.name != "seed" for c in document.commands)
    others = [c for c in ModelfileDocument.parse(text).commands if c.name != "seed"]
    assert document.commands == others, case_id
