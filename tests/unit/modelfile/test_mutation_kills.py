"""Behaviours the mutation run (`benchmarks/mutants.py`, docs/mutation.md) found unprotected:
each test fails under the one-line bug named in its docstring."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from modelarium.modelfile.commands import Command
from modelarium.modelfile.create import CreateRequestError, build_create_request
from modelarium.modelfile.diff import diff_modelfiles
from modelarium.modelfile.elements import (
    Element,
    ElementKind,
    Parameter,
    command_text,
    quote_value,
)
from modelarium.modelfile.format import format_modelfile
from modelarium.modelfile.parser import parse

ZWSP = "\u200b"
"""A rune Ollama drops from values: a line holding one takes the parser's rune-exact path."""


def test_a_tab_after_the_keyword_on_the_rune_exact_path() -> None:
    """Mutant: the rune-exact path accepts only a space after a keyword."""
    assert parse(f"FROM\tllama{ZWSP}3\n") == [Command("model", "llama3")]


def test_message_args_on_the_rune_exact_path_are_role_colon_blank_content() -> None:
    """Mutant: the rune-exact path joins role and content without the blank."""
    assert parse(f"FROM x\nMESSAGE\tuser hi{ZWSP} there\n") == [
        Command("model", "x"),
        Command("message", "user: hi there"),
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_model_folder_file_that_links_outside_the_folder_is_refused(tmp_path: Path) -> None:
    """Mutant: only absolute relative paths count as leaving the folder (`..` passes)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "weights.safetensors").write_bytes(b"\x00" * 16)
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "model.safetensors").symlink_to(outside / "weights.safetensors")
    with pytest.raises(CreateRequestError) as raised:
        build_create_request([Command("model", str(folder))], None)
    assert raised.value.message == "insecure path: ../outside/weights.safetensors"


def test_a_parameter_sets_plain_text_is_one_name_value_line_per_row() -> None:
    """Mutant: rows written `name=value` (the library's search body and the extract
    preview show this text)."""
    element = Element(
        ElementKind.PARAMETERS,
        parameters=(Parameter("temperature", "0.2"), Parameter("stop", "<|end|>")),
    )
    assert element.plain_text() == "temperature 0.2\nstop <|end|>"


def test_values_that_differ_only_in_edge_blanks_are_different_content() -> None:
    """Mutant: the content hash strips the text first. A trailing blank changes what
    Ollama stores (and how the value is quoted), so dedup must keep both."""
    plain = Element(ElementKind.SYSTEM, value="You are terse.")
    padded = Element(ElementKind.SYSTEM, value="You are terse. ")
    assert plain.content_hash != padded.content_hash


def test_the_same_text_as_another_kind_is_different_content() -> None:
    """Mutant: the content hash covers only the text, so a SYSTEM prompt and a TEMPLATE with
    the same text would be stored as one element."""
    system = Element(ElementKind.SYSTEM, value="{{ .Prompt }}")
    template = Element(ElementKind.TEMPLATE, value="{{ .Prompt }}")
    assert system.content_hash != template.content_hash


def test_a_changed_first_from_is_a_base_change_even_when_the_projector_is_the_same() -> None:
    """Mutant: only the last FROM is compared (a vision model's projector comes last)."""
    diff = diff_modelfiles("FROM llama3.2-vision\nFROM /p/proj\n", "FROM other\nFROM /p/proj\n")
    [change] = diff.changes
    assert change.element == "base" and change.change == "changed"
    assert change.before == ["llama3.2-vision", "/p/proj"]
    assert change.after == ["other", "/p/proj"]


def test_format_keeps_an_instruction_whose_canonical_text_would_read_back_differently(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Mutant: the per-command re-parse check of the slow path is skipped. `command_text`
    refuses every value it cannot write faithfully, so the check is a safety net; here it is
    made to write a wrong text, and the net must keep the original instruction."""
    written = command_text

    def faulty(command: Command) -> str:
        if command.name == "system":
            return 'SYSTEM """broken'
        return written(command)

    monkeypatch.setattr("modelarium.modelfile.format.command_text", faulty)
    source = "from llama3\nsystem   Be brief.\n"
    assert format_modelfile(source) == "FROM llama3\nsystem   Be brief.\n"


def test_several_licenses_are_compared_as_one_text_with_line_breaks() -> None:
    """Mutant: LICENSE texts are joined without a line break, so `ab` + `c` and `a` + `bc`
    would compare equal."""
    diff = diff_modelfiles("FROM m\nLICENSE ab\nLICENSE c\n", "FROM m\nLICENSE a\nLICENSE bc\n")
    [change] = diff.changes
    assert change.element == "license"
    assert change.before == "ab\nc" and change.after == "a\nbc"


def test_a_first_line_of_only_a_triple_quote_cannot_be_written() -> None:
    """Mutant: the six-rune check becomes seven, so `\"\"\"` alone on the first line is wrapped
    in triple quotes, which Ollama reads as an empty value closed at once. (A hypothesis
    property found this only on some runs; this case is fixed.)"""
    assert quote_value('"""\nx') is None
    assert quote_value('"""  \nx') is None
