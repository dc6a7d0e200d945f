"""Go's `strconv`: `Quote`/`QuoteRune` (the one copy in the project: create, the template
package and the demo host all print Go-quoted text in errors promised to be Ollama-exact) and
`ParseInt`/`ParseBool`/`ParseFloat(s, 32)` as create reads PARAMETER values.

Go keeps printable runes (`strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and
the ASCII space) and escapes the rest: `\\a \\b \\f \\n \\r \\t \\v`, `\\xNN` below U+0080,
`\\uNNNN` up to U+FFFF and `\\UNNNNNNNN` above it (U+E0001 is `"\\U000e0001"`). Pure.
"""

from __future__ import annotations

import math
import re

from modelarium.modelfile.golang.numbers import bounded_decimal, exact_float32, float32_via_double

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


# --- parsing -----------------------------------------------------------------------------------

_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1
_GO_DECIMAL_INT = re.compile(r"[+-]?[0-9]+")
_GO_BOOLS = {
    "1": True,
    "t": True,
    "T": True,
    "TRUE": True,
    "true": True,
    "True": True,
    "0": False,
    "f": False,
    "F": False,
    "FALSE": False,
    "false": False,
    "False": False,
}


def parse_go_int(text: str) -> int | None:
    """`strconv.ParseInt(text, 10, 64)`: sign, ASCII digits, int64 range; None on error."""
    if _GO_DECIMAL_INT.fullmatch(text) is None:
        return None
    significant = text.lstrip("+-").lstrip("0") or "0"
    if len(significant) > 19:
        return None  # beyond int64 (19 digits); int() would refuse over 4,300 digits anyway
    value = -int(significant) if text.startswith("-") else int(significant)
    if value < _INT64_MIN or value > _INT64_MAX:
        return None
    return value


def parse_go_bool(text: str) -> bool | None:
    """`strconv.ParseBool`: only Go's twelve spellings; None on error."""
    return _GO_BOOLS.get(text)


def _go_underscore_ok(text: str) -> bool:
    """strconv's `underscoreOK`: `_` only between digits (or after a base prefix)."""
    saw = "^"
    index = 0
    if text[:1] in ("+", "-"):
        text = text[1:]
    hexadecimal = False
    if len(text) >= 2 and text[0] == "0" and text[1].lower() in "box":
        index = 2
        saw = "0"
        hexadecimal = text[1].lower() == "x"
    while index < len(text):
        char = text[index]
        if "0" <= char <= "9" or (hexadecimal and "a" <= char.lower() <= "f"):
            saw = "0"
        elif char == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
        index += 1
    return saw != "_"


def _go_special_float(text: str) -> float | None:
    """strconv's `special`: [+-]inf, [+-]infinity, nan (no sign), any case."""
    body = text
    sign = 1.0
    if body[:1] in ("+", "-"):
        sign = -1.0 if body[0] == "-" else 1.0
        body = body[1:]
        if body.lower() in ("inf", "infinity"):
            return sign * math.inf
        return None
    if body.lower() in ("inf", "infinity"):
        return math.inf
    if body.lower() == "nan":
        return math.nan
    return None


def parse_go_float32(text: str) -> float | None:
    """`strconv.ParseFloat(text, 32)` as a float32 value; None on a syntax or range error.

    Accepts Go's syntax exactly: optional sign; decimal digits with an optional point and
    `e` exponent, or `0x` hex digits with a mandatory `p` exponent; underscores only where
    `underscoreOK` allows them; inf/infinity/nan in any case. Rounds correctly (ties to even),
    underflows silently to zero and refuses values that round beyond the float32 range.
    """
    if not text:
        return None
    special = _go_special_float(text)
    if special is not None:
        return special
    if not text.isascii():
        return None
    index = 0
    length = len(text)
    negative = False
    if text[0] in "+-":
        negative = text[0] == "-"
        index = 1
    base = 10
    if index + 2 < length and text[index] == "0" and text[index + 1].lower() == "x":
        base = 16
        index += 2
    digits: list[str] = []
    fraction_digits = 0
    saw_dot = False
    saw_digits = False
    underscores = False
    while index < length:
        char = text[index]
        if char == "_":
            underscores = True
        elif char == ".":
            if saw_dot:
                break
            saw_dot = True
        elif "0" <= char <= "9" or (base == 16 and "a" <= char.lower() <= "f"):
            saw_digits = True
            digits.append(char)
            if saw_dot:
                fraction_digits += 1
        else:
            break
        index += 1
    if not saw_digits:
        return None
    exponent = 0
    exponent_char = "p" if base == 16 else "e"
    if index < length and text[index].lower() == exponent_char:
        index += 1
        if index >= length:
            return None
        exponent_sign = 1
        if text[index] == "+":
            index += 1
        elif text[index] == "-":
            index += 1
            exponent_sign = -1
        if index >= length or not "0" <= text[index] <= "9":
            return None
        while index < length and ("0" <= text[index] <= "9" or text[index] == "_"):
            if text[index] == "_":
                underscores = True
            elif exponent < 10000:
                exponent = exponent * 10 + int(text[index])
            index += 1
        exponent *= exponent_sign
    elif base == 16:
        return None
    if index != length:
        return None
    if underscores and not _go_underscore_ok(text):
        return None
    value: float | None
    if base == 10:
        value = float32_via_double(float(text.replace("_", "")))
        if value is not None:
            return value
    if base == 10:
        digits, fraction_digits = bounded_decimal(digits, fraction_digits)
    mantissa = int("".join(digits), base)
    value = exact_float32(mantissa, base, exponent, fraction_digits)
    if value is None:
        return None
    return -value if negative else value
