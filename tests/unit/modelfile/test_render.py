"""Rendering (`Modelfile.String()`) and the render → parse round trip."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelarium.modelfile.commands import MESSAGE_ROLES, Command, ModelfileError
from modelarium.modelfile.parser import parse
from modelarium.modelfile.render import quote_value, render_command, render_commands
from tests.unit.modelfile.reference_parser import reference_parse
from tests.unit.modelfile.test_parser import clean_modelfile_like_text, modelfile_like_text

_LINE_BREAK = re.compile(r"[\r\n]")


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("plain", "plain"),
        ("", ""),
        ("two\nlines", '"two\nlines"'),
        (" lead", '" lead"'),
        ("trail ", '"trail "'),
        ('say "hi"\nnow', '"""say "hi"\nnow"""'),
        ('"leading quote', '"leading quote'),
        ("\ttab edges\t", "\ttab edges\t"),
        ("lone\rcr", "lone\rcr"),
    ],
)
def test_quote_rule(value: str, quoted: str) -> None:
    assert quote_value(value) == quoted


@pytest.mark.parametrize(
    ("command", "line"),
    [
        (Command("model", " padded\n"), "FROM  padded\n"),
        (Command("system", ""), "SYSTEM "),
        (Command("draft", "./d.gguf"), "DRAFT ./d.gguf"),
        (Command("requires", "0.14.0"), "REQUIRES 0.14.0"),
        (Command("message", "user: a: b"), "MESSAGE user a: b"),
        (Command("message", "hello there"), "MESSAGE hello there "),
        (Command("message", "assistant:  x"), 'MESSAGE assistant " x"'),
        (Command("temperature", "0.5"), "PARAMETER temperature 0.5"),
        (Command("", "x"), "PARAMETER  x"),
        (Command("stop", " "), 'PARAMETER stop " "'),
    ],
)
def test_render_command(command: Command, line: str) -> None:
    assert render_command(command) == line


def test_render_commands_ends_every_line() -> None:
    commands = [Command("model", "llama3"), Command("license", "MIT\nText")]
    assert render_commands(commands) == 'FROM llama3\nLICENSE "MIT\nText"\n'
    assert render_commands([]) == ""


def _value_round_trips(value: str, *, raw: bool) -> bool:
    """Whether `value`, written after a keyword as String() writes it, parses back unchanged
    (semantics §7): only printable runes, TAB, CR and LF survive; a bare value must have no
    line break, no edge blanks and no leading quote; a quoted value must close exactly at its
    own closing quote."""
    if not all(char.isprintable() or char in "\t\r\n" for char in value):
        return False
    written = value if raw else quote_value(value)
    if written == value:
        return (
            _LINE_BREAK.search(value) is None
            and value == value.strip(" \t")
            and not value.startswith('"')
        )
    if written.startswith('"""'):
        lines = _LINE_BREAK.split(written)
        if len(lines) == 1:
            return True
        first = lines[0].rstrip(" \t")
        if len(first) >= 6 and first.endswith('"""'):
            return False
        return not any(line.rstrip(" \t").endswith('"""') for line in lines[1:-1])
    return True


def ollama_round_trips(commands: list[Command]) -> bool:
    """§7's round-trip rule: String() then parsing gives the same commands."""
    for command in commands:
        if command.name == "message":
            role, separator, content = command.args.partition(": ")
            if not separator or role not in MESSAGE_ROLES:
                return False
            if not _value_round_trips(content, raw=False):
                return False
        elif not _value_round_trips(command.args, raw=command.name == "model"):
            return False
    return any(command.name == "model" for command in commands)


def _parsed_or_none(text: str) -> list[Command] | None:
    try:
        return parse(text)
    except ModelfileError:
        return None


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(modelfile_like_text, clean_modelfile_like_text, st.text(max_size=120)))
def test_round_trip_wherever_ollama_round_trips(text: str) -> None:
    commands = _parsed_or_none(text)
    if commands is None:
        return
    rendered = render_commands(commands)
    reference = reference_parse(rendered)
    reparsed = _parsed_or_none(rendered)
    assert reparsed == reference.commands
    if ollama_round_trips(commands):
        assert reference.commands == commands
    if reference.commands == commands:
        assert reparsed == commands


names = st.sampled_from(
    ["model", "system", "template", "license", "adapter", "parser", "stop", "temperature", ""]
)
values = st.text(alphabet=st.sampled_from(list('ab "\t\r\n#:é')), max_size=12)


@settings(max_examples=400)
@given(st.lists(st.tuples(names, values), min_size=1, max_size=6))
def test_round_trip_predicate_matches_ollama_on_built_commands(
    pairs: list[tuple[str, str]],
) -> None:
    commands = [Command("model", "base")] + [Command(name, value) for name, value in pairs]
    rendered = render_commands(commands)
    reference = reference_parse(rendered)
    assert _parsed_or_none(rendered) == reference.commands
    if ollama_round_trips(commands):
        assert reference.commands == commands
