"""Go's `strconv.Quote`, the one copy in the project: create, the template parser and the
demo host all print Go-quoted text in errors promised to be Ollama-exact.

Go keeps printable runes (`strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and
the ASCII space) and escapes the rest: `\\a \\b \\f \\n \\r \\t \\v`, `\\xNN` below U+0080,
`\\uNNNN` up to U+FFFF and `\\UNNNNNNNN` above it (U+E0001 is `"\\U000e0001"`). Pure.
"""

from __future__ import annotations

_SHORT_ESCAPES: dict[str, str] = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    '"': '\\"',
    "\\": "\\\\",
}


def _escape(char: str, quote: str) -> str:
    """One rune as Go writes it inside a `quote`-delimited literal."""
    if char == quote or char == "\\":
        return "\\" + char
    if char.isprintable():
        return char
    short = _SHORT_ESCAPES.get(char)
    if short is not None and char not in "\"'":
        return short
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        # A lone surrogate is not valid UTF-8: Go sees the bad byte(s) as U+FFFD's escape.
        return "\\ufffd"
    if code < 0x80:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def quote(text: str) -> str:
    """Go's `strconv.Quote(text)` (also `%q` of a string)."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    return '"' + "".join(_escape(char, '"') for char in text) + '"'


def quote_rune(char: str) -> str:
    """Go's `strconv.QuoteRune` (also `%q` of a rune): `'a'`, `'\\''`, `'\\n'`."""
    return "'" + _escape(char, "'") + "'"
