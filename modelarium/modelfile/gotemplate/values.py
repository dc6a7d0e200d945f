"""Go values as a template sees them, and how Go prints them (`fmt`) and encodes them (`json`).

Python values stand for Go's: `str`, `bool`, `int` (Go int), `float` (float64), `complex`,
`dict` (`map[string]interface {}`, from decoded JSON), `list` (`[]interface {}`), `bytes`
(`[]uint8`). `None` is a nil `interface {}` (the zero value a missing map key gives under
`missingkey=zero`); `INVALID` is reflect's invalid value (what a pipeline yields for it).
Typed values Ollama builds carry their Go type: `GoStruct`, `GoSlice`, `GoMap` subclasses and
`NilPointer`; those with a `String()` method print through it, as Go's `fmt` does. Pure.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable, Iterable
from typing import ClassVar

from modelarium.modelfile.golang.numbers import (
    exponent_form,
    fixed_form,
    format_complex,
    format_float,
    json_float,
    special_text,
)
from modelarium.modelfile.golang.strconv import quote, quote_rune


class _Invalid:
    """reflect's zero `Value`: no value at all."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "INVALID"


INVALID = _Invalid()


class GoStruct:
    """A Go struct value: `GO_FIELDS` in declaration order, `JSON` as (field, key, omitempty)."""

    __slots__ = ()
    GO_TYPE: ClassVar[str] = "struct {}"
    GO_FIELDS: ClassVar[tuple[str, ...]] = ()
    FIELD_SET: ClassVar[frozenset[str]] = frozenset()
    JSON: ClassVar[tuple[tuple[str, str, bool], ...]] = ()

    def __init_subclass__(cls) -> None:
        cls.FIELD_SET = frozenset(cls.GO_FIELDS)

    def go_string(self) -> str | None:
        """The `String()` method's result, or None for a type without one."""
        return None

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(
            getattr(self, name) == getattr(other, name) for name in self.GO_FIELDS
        )

    def __hash__(self) -> int:
        return id(self)


class GoSlice(list[object]):
    """A typed Go slice; `nil` marks a nil slice (prints `[]`, encodes `null`)."""

    __slots__ = ("nil",)
    GO_TYPE: ClassVar[str] = "[]interface {}"

    def __init__(self, items: Iterable[object] = (), *, nil: bool = False) -> None:
        super().__init__(items)
        self.nil = nil

    def go_string(self) -> str | None:
        """The `String()` method's result, or None for a type without one."""
        return None

    def go_json(self) -> str | None:
        """A `MarshalJSON` result, or None for Go's default encoding."""
        return None


class GoMap(dict[str, object]):
    """A typed Go map with string keys; `nil` marks a nil map."""

    __slots__ = ("nil",)
    GO_TYPE: ClassVar[str] = "map[string]interface {}"
    ORDERED: ClassVar[bool] = False
    """Encoded in insertion order (an ordered map type) rather than Go's sorted keys."""

    def __init__(self, items: Iterable[tuple[str, object]] = (), *, nil: bool = False) -> None:
        super().__init__(items)
        self.nil = nil

    def zero(self) -> object:
        """The element type's zero value (what a missing key gives under `missingkey=zero`)."""
        return None

    def go_string(self) -> str | None:
        """The `String()` method's result, or None for a type without one."""
        return None


class NilPointer:
    """A typed nil pointer (prints `<nil>`, encodes `null`)."""

    __slots__ = ("go_type",)

    def __init__(self, go_type: str) -> None:
        self.go_type = go_type

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NilPointer)

    def __hash__(self) -> int:
        return 0


def type_name(value: object) -> str:
    """Go's `%T` of a value."""
    if value is None or value is INVALID:
        return "<nil>"
    kind = type(value)
    if kind is str:
        return "string"
    if kind is bool:
        return "bool"
    if kind is int:
        return "int"
    if kind is float:
        return "float64"
    if kind is complex:
        return "complex128"
    if kind is dict:
        return "map[string]interface {}"
    if kind is list:
        return "[]interface {}"
    if kind is bytes:
        return "[]uint8"
    if isinstance(value, GoStruct | GoSlice | GoMap):
        return value.GO_TYPE
    if isinstance(value, NilPointer):
        return value.go_type
    return kind.__name__


def is_true(value: object) -> bool:
    """Go's `isTrue`: empty strings, collections and zero numbers are false, structs true."""
    if value is None or value is INVALID:
        return False
    kind = type(value)
    if kind is str or kind is list or kind is dict or kind is bytes:
        return len(value) > 0  # type: ignore[arg-type]
    if kind is bool:
        return value  # type: ignore[return-value]
    if kind is int or kind is float or kind is complex:
        return value != 0
    if isinstance(value, GoSlice | GoMap):
        return len(value) > 0
    return not isinstance(value, NilPointer)


# ---------------------------------------------------------------------------------------------
# fmt's %v


def format_value(value: object, plus: bool = False) -> str:
    """Go's `fmt.Sprint` of one operand (`%v`; `plus` for `%+v` field names)."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[return-value]
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        return format_float(value)  # type: ignore[arg-type]
    if value is None or value is INVALID:
        return "<nil>"
    if isinstance(value, GoStruct):
        text = value.go_string()
        if text is not None:
            return text
        if plus:
            return (
                "{"
                + " ".join(
                    f"{name}:{format_value(getattr(value, name), plus)}" for name in value.GO_FIELDS
                )
                + "}"
            )
        return "{" + " ".join(format_value(getattr(value, n)) for n in value.GO_FIELDS) + "}"
    if isinstance(value, GoSlice | GoMap):
        text = value.go_string()
        if text is not None:
            return text
    if isinstance(value, dict):
        return (
            "map["
            + " ".join(f"{key}:{format_value(value[key], plus)}" for key in sorted(value))
            + "]"
        )
    if isinstance(value, list):
        return "[" + " ".join(format_value(item, plus) for item in value) + "]"
    if isinstance(value, bytes):
        return "[" + " ".join(str(byte) for byte in value) + "]"
    if isinstance(value, NilPointer):
        return "<nil>"
    if kind is complex:
        return format_complex(value)  # type: ignore[arg-type]
    return str(value)


def print_value(value: object) -> str:
    """What `{{ value }}` writes: `<no value>` for nothing, else `%v`."""
    if value is INVALID or value is None:
        return "<no value>"
    return format_value(value)


def sprint(args: list[object]) -> str:
    """Go's `fmt.Sprint`: a space between operands when neither is a string."""
    pieces: list[str] = []
    previous_string = True
    for index, arg in enumerate(args):
        is_string = type(arg) is str
        if index > 0 and not is_string and not previous_string:
            pieces.append(" ")
        pieces.append(format_value(arg))
        previous_string = is_string
    return "".join(pieces)


def sprintln(args: list[object]) -> str:
    """Go's `fmt.Sprintln`: operands joined by spaces, then a newline."""
    return " ".join(format_value(arg) for arg in args) + "\n"


# ---------------------------------------------------------------------------------------------
# fmt's Sprintf


def _pad(text: str, width: int | None, minus: bool, zero: bool = False) -> str:
    if width is None or len(text) >= width:
        return text
    if minus:
        return text + " " * (width - len(text))
    if zero:
        sign = text[0] if text[:1] in ("-", "+") else ""
        body = text[len(sign) :]
        return sign + "0" * (width - len(text)) + body
    return " " * (width - len(text)) + text


def _bad_verb(verb: str, value: object) -> str:
    if value is None or value is INVALID:
        return f"%!{verb}(<nil>)"
    return f"%!{verb}({type_name(value)}={format_value(value)})"


def _format_int(value: int, verb: str, flags: str, precision: int | None) -> str:
    negative = value < 0
    magnitude = -value if negative else value
    if verb == "d" or verb == "v":
        body = str(magnitude)
    elif verb == "x":
        body = format(magnitude, "x")
        if "#" in flags:
            body = "0x" + body
    elif verb == "X":
        body = format(magnitude, "X")
        if "#" in flags:
            body = "0X" + body
    elif verb == "o":
        body = format(magnitude, "o")
        if "#" in flags:
            body = "0" + body
    elif verb == "O":
        body = "0o" + format(magnitude, "o")
    elif verb == "b":
        body = format(magnitude, "b")
    else:
        raise ValueError(verb)
    if precision is not None and len(body) < precision:
        body = "0" * (precision - len(body)) + body
    sign = "-" if negative else ("+" if "+" in flags else (" " if " " in flags else ""))
    return sign + body


def _format_float_verb(value: float, verb: str, flags: str, precision: int | None) -> str:
    special = special_text(value)
    if special is not None:
        text = special
        if text == "+Inf" and "+" not in flags:
            text = "Inf"
        return text
    sign = "-" if value < 0 or (value == 0 and math.copysign(1.0, value) < 0) else ""
    if not sign and "+" in flags:
        sign = "+"
    elif not sign and " " in flags:
        sign = " "
    magnitude = abs(value)
    lower = verb.lower()
    if lower == "f":
        body = f"{magnitude:.{6 if precision is None else precision}f}"
    elif lower == "e":
        body = f"{magnitude:.{6 if precision is None else precision}e}"
        if verb == "E":
            body = body.upper()
    else:  # g, G, v
        body = format_float(magnitude) if precision is None else _go_g(magnitude, precision)
        if verb == "G":
            body = body.upper()
    return sign + body


def _go_g(magnitude: float, precision: int) -> str:
    precision = max(precision, 1)
    if magnitude == 0:
        return "0"
    rounded = f"{magnitude:.{precision - 1}e}"
    mantissa, _, exponent_text = rounded.partition("e")
    exponent = int(exponent_text)
    digits = mantissa.replace(".", "").rstrip("0") or "0"
    if exponent < -4 or exponent >= precision:
        return exponent_form(digits, exponent + 1)
    return fixed_form(digits, exponent + 1)


def _format_one(verb: str, value: object, flags: str, precision: int | None) -> str:
    """One `%verb` of one argument (no width applied)."""
    kind = type(value)
    if verb in ("v", "s") and isinstance(value, GoStruct | GoSlice | GoMap):
        method = value.go_string()
        if method is not None:
            return method
    if verb == "v":
        if kind is float:
            return _format_float_verb(value, "g", flags, precision)  # type: ignore[arg-type]
        if kind is int and ("+" in flags or " " in flags):
            return _format_int(value, "d", flags, None)  # type: ignore[arg-type]
        return format_value(value, "+" in flags)
    if isinstance(value, str):
        text = value
        if verb == "s":
            return text if precision is None else text[:precision]
        if verb == "q":
            if precision is not None:
                text = text[:precision]
            if "#" in flags and "`" not in text and all(c.isprintable() or c == "\t" for c in text):
                return "`" + text + "`"
            return quote(text)
        if verb in ("x", "X"):
            data = text.encode("utf-8", errors="surrogatepass")
            if precision is not None:
                data = data[:precision]
            hexed = data.hex()
            return hexed.upper() if verb == "X" else hexed
        return _bad_verb(verb, value)
    if kind is bool:
        if verb == "t":
            return "true" if value else "false"
        return _bad_verb(verb, value)
    if kind is int:
        number: int = value  # type: ignore[assignment]
        if verb in ("d", "x", "X", "o", "O", "b"):
            return _format_int(number, verb, flags, precision)
        if verb == "c":
            return chr(number) if 0 <= number <= 0x10FFFF else "\ufffd"
        if verb == "q":
            return quote_rune(chr(number)) if 0 <= number <= 0x10FFFF else "'\ufffd'"
        if verb == "U":
            text = f"U+{number:04X}"
            if "#" in flags and 0 <= number <= 0x10FFFF and chr(number).isprintable():
                text += f" '{chr(number)}'"
            return text
        if verb in ("e", "E", "f", "F", "g", "G"):
            return _bad_verb(verb, value)
        return _bad_verb(verb, value)
    if kind is float:
        if verb in ("e", "E", "f", "F", "g", "G"):
            return _format_float_verb(value, verb, flags, precision)  # type: ignore[arg-type]
        return _bad_verb(verb, value)
    if isinstance(value, list) and verb in ("s", "d", "q", "x", "X", "t", "f", "e", "g"):
        return "[" + " ".join(_format_one(verb, item, flags, precision) for item in value) + "]"
    if isinstance(value, dict):
        inner = " ".join(
            _format_one(verb, key, flags, precision)
            + ":"
            + _format_one(verb, value[key], flags, precision)
            for key in sorted(value)
        )
        return "map[" + inner + "]"
    if isinstance(value, bytes):
        if verb == "s":
            return value.decode("utf-8", errors="replace")
        if verb == "x":
            return value.hex()
        if verb == "X":
            return value.hex().upper()
        if verb == "q":
            return quote(value.decode("utf-8", errors="replace"))
    if isinstance(value, GoStruct) and verb in ("s", "d", "q", "x", "X", "t"):
        return (
            "{"
            + " ".join(
                _format_one(verb, getattr(value, n), flags, precision) for n in value.GO_FIELDS
            )
            + "}"
        )
    return _bad_verb(verb, value)


_TOO_LARGE = 1_000_000
"""fmt refuses widths and precisions beyond a million."""


def sprintf(format_text: str, args: list[object]) -> str:
    """Go's `fmt.Sprintf` for the verbs templates use (flags, width, precision, `*`,
    `%!verb(type=value)`, `%!v(MISSING)`, `%!(EXTRA …)`)."""
    out: list[str] = []
    index = 0
    argument = 0
    length = len(format_text)
    while index < length:
        percent = format_text.find("%", index)
        if percent < 0:
            out.append(format_text[index:])
            break
        out.append(format_text[index:percent])
        index = percent + 1
        flags = ""
        while index < length and format_text[index] in "+-# 0":
            flags += format_text[index]
            index += 1
        width: int | None = None
        if index < length and format_text[index] == "*":
            index += 1
            star = args[argument] if argument < len(args) else None
            if type(star) is int and abs(star) <= _TOO_LARGE:
                width = abs(star)
                if star < 0:
                    flags += "-"
            else:
                out.append("%!(BADWIDTH)")
            argument += 1
        else:
            start = index
            while index < length and format_text[index].isdigit():
                index += 1
            if index > start:
                width = int(format_text[start:index])
                if width > _TOO_LARGE:
                    out.append("%!(BADWIDTH)")
                    width = None
        precision: int | None = None
        if index < length and format_text[index] == ".":
            index += 1
            if index < length and format_text[index] == "*":
                index += 1
                star = args[argument] if argument < len(args) else None
                if type(star) is int and abs(star) <= _TOO_LARGE:
                    precision = star if star >= 0 else None
                else:
                    out.append("%!(BADPREC)")
                argument += 1
            else:
                start = index
                while index < length and format_text[index].isdigit():
                    index += 1
                precision = int(format_text[start:index] or "0")
                if precision > _TOO_LARGE:
                    out.append("%!(BADPREC)")
                    precision = None
        if index >= length:
            out.append("%!(NOVERB)")
            break
        verb = format_text[index]
        index += 1
        if verb == "%":
            out.append("%")
            continue
        if argument >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        value = args[argument]
        argument += 1
        text = _format_one(verb, value, flags, precision)
        numeric = type(value) in (int, float) and verb not in ("s", "q", "c")
        out.append(_pad(text, width, "-" in flags, "0" in flags and numeric))
    if argument < len(args):
        extra = ", ".join(
            "<nil>" if arg is None or arg is INVALID else f"{type_name(arg)}={format_value(arg)}"
            for arg in args[argument:]
        )
        out.append(f"%!(EXTRA {extra})")
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# encoding/json


_JSON_ESCAPES: dict[str, str] = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def json_string(text: str) -> str:
    """Go's JSON string: HTML-safe (`<`, `>`, `&` escaped), U+2028/9 and controls escaped."""
    pieces = ['"']
    for char in text:
        escaped = _JSON_ESCAPES.get(char)
        if escaped is not None:
            pieces.append(escaped)
        elif char < " ":
            pieces.append(f"\\u{ord(char):04x}")
        elif "\ud800" <= char <= "\udfff":
            pieces.append("\ufffd")
        else:
            pieces.append(char)
    pieces.append('"')
    return "".join(pieces)


class JSONError(ValueError):
    """A value Go's `json.Marshal` refuses (NaN or an infinity)."""


def _is_empty(value: object) -> bool:
    """Go's `isEmptyValue` for `omitempty`."""
    if value is None or value is INVALID or isinstance(value, NilPointer):
        return True
    if isinstance(value, str | list | dict | bytes):
        return len(value) == 0
    if type(value) is bool:
        return not value
    if isinstance(value, int | float):
        return value == 0
    return False


def to_json(value: object) -> str:
    """Go's `json.Marshal` of a value (JSONError for NaN/Inf)."""
    pieces: list[str] = []
    _encode(value, pieces.append)
    return "".join(pieces)


def _encode(value: object, write: Callable[[str], object]) -> None:
    kind = type(value)
    if kind is str:
        write(json_string(value))  # type: ignore[arg-type]
    elif kind is bool:
        write("true" if value else "false")
    elif kind is int:
        write(str(value))
    elif kind is float:
        text = json_float(value)  # type: ignore[arg-type]
        if text is None:
            message = f"json: unsupported value: {format_float(value)}"  # type: ignore[arg-type]
            raise JSONError(message)
        write(text)
    elif value is None or value is INVALID or isinstance(value, NilPointer):
        write("null")
    elif isinstance(value, GoStruct):
        write("{")
        first = True
        for name, key, omitempty in value.JSON:
            item = getattr(value, name)
            if omitempty and _is_empty(item):
                continue
            if not first:
                write(",")
            first = False
            write(json_string(key))
            write(":")
            _encode(item, write)
        write("}")
    elif isinstance(value, GoSlice):
        custom = value.go_json()
        if custom is not None:
            write(custom)
        elif value.nil:
            write("null")
        else:
            _encode_list(value, write)
    elif isinstance(value, dict):
        if isinstance(value, GoMap) and value.nil:
            write("null")
            return
        keys = list(value) if isinstance(value, GoMap) and value.ORDERED else sorted(value)
        write("{")
        for index, key in enumerate(keys):
            if index:
                write(",")
            write(json_string(key))
            write(":")
            _encode(value[key], write)
        write("}")
    elif isinstance(value, list):
        _encode_list(value, write)
    elif isinstance(value, bytes):
        write('"' + base64.b64encode(value).decode("ascii") + '"')
    elif kind is complex:
        raise JSONError("json: unsupported type: complex128")
    else:
        write("null")


def _encode_list(items: list[object], write: Callable[[str], object]) -> None:
    write("[")
    for index, item in enumerate(items):
        if index:
            write(",")
        _encode(item, write)
    write("]")
