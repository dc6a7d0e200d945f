"""The fast parser against a literal port of Ollama's state machine, plus decoding, spans and
error positions."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelarium.modelfile.commands import (
    Command,
    InvalidCommandError,
    InvalidRoleError,
    ModelfileError,
    NoFromLineError,
    SourcePosition,
    UnexpectedEOFError,
)
from modelarium.modelfile.parser import (
    ParsedCommand,
    decode,
    human_position,
    parse,
    scan,
)
from tests.unit.modelfile.reference_parser import reference_decode_utf8, reference_parse

FRAGMENTS = (
    "FROM",
    "from",
    "FROM ",
    "SYSTEM",
    "system ",
    "TEMPLATE ",
    "PARAMETER",
    "PARAMETER ",
    "parameter stop ",
    "MESSAGE",
    "MESSAGE user ",
    "message assistant ",
    "LICENSE ",
    "REQUIRES ",
    "ADAPTER ",
    "user",
    "system",
    "assistant",
    "tool",
    "temperature",
    "0.5",
    "llama3",
    "x",
    "é",
    "🙂",
    " ",
    "  ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    '"',
    '""',
    '"""',
    '"a"',
    '"""a"""',
    "#",
    "# c\n",
    ":",
    "_",
    "-",
    "1",
    "'",
    "\\",
    "\x00",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x7f",
    "\x85",
    "\xa0",
    "\xad",
    "\u200b",
    "\u200d",
    "\u2028",
    "\u3000",
    "\ufeff",
    "\ufffd",
    "\U000e0001",
    "MEſſAGE ",
    "\u212a",
    "İ",
    "ı",
    "ß",
)
"""Pieces that exercise every state, quote form, line ending and non-printable class, plus
letters that Unicode case folding would confuse with ASCII ones (long s, Kelvin sign)."""

PRINTABLE_FRAGMENTS = tuple(
    fragment
    for fragment in FRAGMENTS
    if all(char.isprintable() or char in " \t\r\n" for char in fragment)
)
"""The fragments the fast path handles (no rune Ollama drops)."""

modelfile_like_text = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
clean_modelfile_like_text = st.lists(st.sampled_from(PRINTABLE_FRAGMENTS), max_size=40).map("".join)


def assert_same_as_reference(text: str) -> None:
    """scan(text) must equal the reference: commands (also before an error), spans, error
    text and Ollama's line number."""
    outcome = scan(text)
    reference = reference_parse(text)
    spans = [(parsed.start, parsed.end) for parsed in outcome.commands]
    assert spans == reference.spans
    if reference.error is None:
        assert outcome.error is None
        assert [parsed.command for parsed in outcome.commands] == reference.commands
    else:
        assert outcome.error is not None
        assert str(outcome.error) == reference.error
        assert outcome.error.ollama_line == reference.error_line
    for parsed in outcome.commands:
        assert 0 <= parsed.start <= parsed.end <= len(text)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(modelfile_like_text)
def test_matches_reference_on_modelfile_like_text(text: str) -> None:
    assert_same_as_reference(text)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(clean_modelfile_like_text)
def test_matches_reference_on_printable_modelfile_like_text(text: str) -> None:
    assert_same_as_reference(text)


@settings(max_examples=200)
@given(st.text(max_size=200))
def test_matches_reference_on_arbitrary_text(text: str) -> None:
    assert_same_as_reference(text)


@settings(max_examples=200)
@given(st.binary(max_size=200))
def test_matches_reference_on_arbitrary_bytes(data: bytes) -> None:
    outcome = scan(data)
    assert outcome.text == decode(data)
    assert_same_as_reference(outcome.text)


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300), modelfile_like_text))
def test_parse_raises_only_modelfile_errors(source: str | bytes) -> None:
    try:
        commands = parse(source)
    except ModelfileError as error:
        assert str(error)
        assert scan(source).error is not None
    else:
        assert any(command.name == "model" for command in commands)


@settings(max_examples=300)
@given(st.binary(max_size=200))
def test_decode_replaces_each_invalid_byte_like_go(data: bytes) -> None:
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = b"x" + data
    assert decode(data) == reference_decode_utf8(data)


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"caf\xe9 cr\xe8me", "caf\ufffd cr\ufffdme"),
        (b"\xe2\x82A", "\ufffd\ufffdA"),  # a truncated 3-byte sequence: one U+FFFD per byte
        (b"\xed\xa0\x80", "\ufffd\ufffd\ufffd"),  # an encoded surrogate
        (b"\xc0\x80", "\ufffd\ufffd"),  # an overlong NUL
        (b"\xf4\x90\x80\x80", "\ufffd" * 4),  # above U+10FFFF
        (b"\xef\xbb\xbfFROM x", "FROM x"),
        (b"\xef\xbb\xbf\xef\xbb\xbfFROM x", "\ufeffFROM x"),
        ("FROM é".encode("utf-16-le"), "F\x00R\x00O\x00M\x00 \x00\ufffd\x00"),
        (codecs.BOM_UTF16_LE + "FROM é😀".encode("utf-16-le"), "FROM é😀"),
        (codecs.BOM_UTF16_BE + "FROM é😀".encode("utf-16-be"), "FROM é😀"),
        (codecs.BOM_UTF16_LE + b"A\x00\x00\xd8B\x00", "A\ufffdB"),  # lone lead surrogate
        (codecs.BOM_UTF16_LE + b"\x00\xdc\x00\xdc", "\ufffd"),  # trail + trail: one rune
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "\ufffd"),  # lead surrogate at the end
        (codecs.BOM_UTF16_LE + b"A\x00B", "A\ufffd"),  # odd final byte
        (codecs.BOM_UTF16_BE + b"\x00A\xdc\x00", "A\ufffd"),  # lone trail surrogate
        (b"\xff", "\ufffd"),
        (b"", ""),
    ],
)
def test_decode(data: bytes, text: str) -> None:
    assert decode(data) == text


def test_parse_accepts_str_and_bytes_alike() -> None:
    text = 'FROM llama3\nSYSTEM """be\nbrief"""\nMESSAGE user hi: there\n'
    expected = [
        Command("model", "llama3"),
        Command("system", "be\nbrief"),
        Command("message", "user: hi: there"),
    ]
    assert parse(text) == expected
    assert parse(text.encode()) == expected


@pytest.mark.parametrize(
    ("text", "error_type", "message", "ollama_line", "position", "offset"),
    [
        (
            "FROM x\nSYTEM y\n",
            InvalidCommandError,
            '(line 2): command must be one of "from", "license", "template", "system", '
            '"adapter", "draft", "renderer", "parser", "parameter", "message", or "requires"',
            2,
            SourcePosition(2, 1),
            7,
        ),
        (
            "FROM x\r\nFROM\r\n",
            InvalidCommandError,
            '(line 4): command must be one of "from", "license", "template", "system", '
            '"adapter", "draft", "renderer", "parser", "parameter", "message", or "requires"',
            4,
            SourcePosition(2, 5),
            12,
        ),
        (
            "FROM x\n  FROM: y\n",
            InvalidCommandError,
            '(line 2): command must be one of "from", "license", "template", "system", '
            '"adapter", "draft", "renderer", "parser", "parameter", "message", or "requires"',
            2,
            SourcePosition(2, 7),
            13,
        ),
        (
            "FROM x\nMESSAGE tool hi\n",
            InvalidRoleError,
            '(line 2): message role must be one of "system", "user", or "assistant"',
            2,
            SourcePosition(2, 9),
            15,
        ),
        (
            "FROM x\nPARAMETER num-ctx 1\n",
            UnexpectedEOFError,
            "unexpected EOF: num",
            None,
            SourcePosition(2, 14),
            20,
        ),
        (
            'FROM x\nSYSTEM """open\nstill open\n',
            UnexpectedEOFError,
            "unexpected EOF",
            None,
            SourcePosition(2, 8),
            14,
        ),
        (
            'FROM x\nSYSTEM \x0b  "open\n',
            UnexpectedEOFError,
            "unexpected EOF",
            None,
            SourcePosition(2, 11),
            17,
        ),
        ("FROM x\nSYSTEM", UnexpectedEOFError, "unexpected EOF", None, SourcePosition(2, 7), 13),
        ("# only a comment\n", NoFromLineError, "no FROM line", None, None, None),
    ],
)
def test_error_text_line_and_position(
    text: str,
    error_type: type[ModelfileError],
    message: str,
    ollama_line: int | None,
    position: SourcePosition | None,
    offset: int | None,
) -> None:
    with pytest.raises(error_type) as raised:
        parse(text)
    assert str(raised.value) == message
    assert raised.value.ollama_line == ollama_line
    assert raised.value.position == position
    assert raised.value.offset == offset


@pytest.mark.parametrize(
    ("text", "offset", "position"),
    [
        ("abc", 0, SourcePosition(1, 1)),
        ("abc", 3, SourcePosition(1, 4)),
        ("a\r\nb", 3, SourcePosition(2, 1)),
        ("a\r\nb", 2, SourcePosition(1, 3)),  # the LF of a CRLF stays on the CR's line
        ("a\rb\nc", 4, SourcePosition(3, 1)),
        ("a\n\nb", 3, SourcePosition(3, 1)),
        ("é🙂x", 2, SourcePosition(1, 3)),
    ],
)
def test_human_position(text: str, offset: int, position: SourcePosition) -> None:
    assert human_position(text, offset) == position


def test_spans_cover_keyword_to_committing_newline() -> None:
    text = '  FROM llama3  \r\n# c\n\x0cSYSTEM """a\nb"""\nPARAMETER stop \nMESSAGE user hi'
    outcome = scan(text)
    assert outcome.error is None
    assert [text[parsed.start : parsed.end] for parsed in outcome.commands] == [
        "FROM llama3  ",
        '\x0cSYSTEM """a\nb"""',
        "PARAMETER stop ",
        "MESSAGE user hi",
    ]
    assert outcome.commands[0] == ParsedCommand(Command("model", "llama3"), 2, 15)


def test_scan_reports_commands_before_the_error() -> None:
    outcome = scan("FROM x\nSYSTEM hi\nBOGUS y\nSYSTEM never\n")
    assert [parsed.command for parsed in outcome.commands] == [
        Command("model", "x"),
        Command("system", "hi"),
    ]
    assert isinstance(outcome.error, InvalidCommandError)


def test_scan_of_bytes_uses_decoded_offsets() -> None:
    outcome = scan(b"\xef\xbb\xbfFROM caf\xe9\n")
    assert outcome.text == "FROM caf\ufffd\n"
    assert outcome.commands == (ParsedCommand(Command("model", "caf\ufffd"), 0, 9),)


def test_long_values_parse_in_linear_time() -> None:
    body = "\n".join(f'line {index} with "quotes" and {{{{ .Prompt }}}}' for index in range(4000))
    text = f'FROM x\nTEMPLATE """{body}"""\nSYSTEM {"word " * 20000}\n'
    commands = parse(text)
    assert commands[1] == Command("template", body)
    assert commands[2] == Command("system", ("word " * 20000).strip())


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS + PRINTABLE_FRAGMENTS * 3), min_size=200, max_size=800))
def test_matches_reference_on_long_documents(fragments: list[str]) -> None:
    assert_same_as_reference("FROM base\n" + "".join(fragments))


def test_one_dropped_rune_keeps_the_rest_on_the_fast_path() -> None:
    """A stray ZWSP or NBSP only sends its own instruction down the rune-exact path; the rest
    of the document still parses the same as the reference."""
    lines = [f"PARAMETER stop s{index}" for index in range(300)]
    lines[150] = "PARAMETER stop s\u200b150"
    lines[200] = 'SYSTEM "multi\xa0\nline"'
    text = "FROM x\u200b\n" + "\n".join(lines) + "\n"
    assert_same_as_reference(text)
    commands = parse(text)
    assert commands[151] == Command("stop", "s150")
    assert commands[201] == Command("system", "multi\nline")
