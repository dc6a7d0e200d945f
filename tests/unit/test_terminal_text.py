"""`terminal_text`: outside text shown with every terminal-acting character escaped visibly."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelarium.terminal_text import LineMode, terminal_text

MODES: tuple[LineMode, ...] = ("escape", "keep", "join")


def acts_on_a_terminal(character: str, mode: LineMode) -> bool:
    """Characters no shown text may carry raw in `mode`."""
    if mode == "keep" and character in "\n\t":
        return False
    category = unicodedata.category(character)
    return (
        category in ("Cc", "Cs", "Zl", "Zp")
        or character in "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff"
        or "\u2066" <= character <= "\u2069"
    )


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("llama3.2:latest", "llama3.2:latest"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("\x1b]52;c;ZWNobw==\x07", "\\x1b]52;c;ZWNobw==\\x07"),  # OSC 52 clipboard write
        ("\x9b2J", "\\x9b2J"),  # C1 CSI: clears the screen on 8-bit terminals
        ("abc\u202edcba", "abc\\u202edcba"),
        ("a\nb\tc\rd", "a\\nb\\tc\\rd"),
        ("x\x7fy\x00z", "x\\x7fy\\x00z"),
        ("caf\xe9 \u4e2d\u6587 \U0001f600", "caf\xe9 \u4e2d\u6587 \U0001f600"),
        ("file\udcff", "file\\udcff"),
    ],
)
def test_one_line_escapes(raw: str, shown: str) -> None:
    assert terminal_text(raw) == shown


def test_keep_mode_keeps_lines_and_tabs_and_escapes_a_lone_carriage_return() -> None:
    text = "MIT License\r\n\r\nCopyright\tme\rOVERWRITE\n\x1b[2J"
    assert terminal_text(text, lines="keep") == (
        "MIT License\n\nCopyright\tme\\rOVERWRITE\n\\x1b[2J"
    )


def test_join_mode_makes_one_trimmed_line() -> None:
    assert terminal_text("  host down:\n\tconnection\r\nrefused \x1b[1m ", lines="join") == (
        "host down: connection refused \\x1b[1m"
    )


@given(st.text(), st.sampled_from(MODES))
def test_nothing_that_acts_on_a_terminal_survives(text: str, mode: LineMode) -> None:
    shown = terminal_text(text, lines=mode)
    assert not any(acts_on_a_terminal(character, mode) for character in shown)
    if mode == "keep":
        assert "\r" not in shown
    if mode != "keep":
        assert "\n" not in shown
    shown.encode("utf-8")  # printable on any UTF-8 terminal: no lone surrogates left
    assert terminal_text(shown, lines=mode) == shown  # escaping twice changes nothing more


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Cf"))))
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert terminal_text(text) == text
