"""JSON the way Ollama's Go server reads and writes it.

Reading: only the first JSON value of a body counts; syntax errors carry the Go decoder's text
(`invalid character 'o' looking for beginning of object key string`, `unexpected EOF`); object
keys match struct fields case-insensitively; a value of the wrong type gives Go's
`json: cannot unmarshal <kind> into Go struct field <Struct>.<path> of type <type>`.

Writing: compact, `<`, `>`, `&`, U+2028 and U+2029 escaped, floats in Go's shortest form.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from modelarium.modelfile.golang.numbers import format_float, json_float
from modelarium.modelfile.golang.strconv import quote


class GoJSONError(ValueError):
    """A body Go's decoder rejects; `str()` is Go's message."""


class EmptyBodyError(GoJSONError):
    """No JSON value at all (Go's `io.EOF`), which Ollama answers with `missing request body`."""


# ---------------------------------------------------------------------------------------------
# Encoding


def _go_float(value: float) -> str:
    """`encoding/json`'s text of a float64; Inf/NaN are refused as Go refuses them."""
    text = json_float(value)
    if text is None:
        raise ValueError(f"json: unsupported value: {value}")
    return text


def go_dumps(value: object) -> str:
    """Serialise like Go's `json.Marshal` (dict order is kept: build maps with sorted keys).

    The C encoder does the work; floats are swapped for placeholders first (Go writes `0.00001`
    and `4096` where Python writes `1e-05` and `4096.0`) and put back formatted Go's way.
    """
    floats: list[float] = []
    prepared = _swap_floats(value, floats)
    text = _ENCODER.encode(prepared)
    if floats:
        text = _FLOAT_PLACEHOLDER.sub(lambda match: _restore_float(match, floats), text)
    if "<" in text or ">" in text or "&" in text or "\u2028" in text or "\u2029" in text:
        text = (
            text.replace("<", "\\u003c")
            .replace(">", "\\u003e")
            .replace("&", "\\u0026")
            .replace("\u2028", "\\u2028")
            .replace("\u2029", "\\u2029")
        )
    return text


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
_FLOAT_PLACEHOLDER = re.compile(r'"\\u0000F(\d+)\\u0000"')


def _restore_float(match: re.Match[str], floats: list[float]) -> str:
    index = int(match[1])
    return _go_float(floats[index]) if index < len(floats) else match[0]


def _swap_floats(value: object, floats: list[float]) -> object:
    """`value` with each float replaced by a placeholder string (the same object if none)."""
    if isinstance(value, float):
        floats.append(value)
        return f"\x00F{len(floats) - 1}\x00"
    if isinstance(value, dict):
        changed: dict[object, object] | None = None
        for key, item in value.items():
            swapped = _swap_floats(item, floats)
            if swapped is not item:
                if changed is None:
                    changed = dict(value)
                changed[key] = swapped
        return value if changed is None else changed
    if isinstance(value, list | tuple):
        items = [_swap_floats(item, floats) for item in value]
        if any(new is not old for new, old in zip(items, value, strict=True)):
            return items
        return value
    if isinstance(value, Mapping):
        return _swap_floats(dict(value), floats)
    return value


def go_sorted(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """A copy with keys in byte order, as Go marshals a map."""
    return {key: mapping[key] for key in sorted(mapping, key=lambda k: k.encode("utf-8"))}


# ---------------------------------------------------------------------------------------------
# Go's %v and %#v of values decoded from JSON (every number is a float64)


go_format_number = format_float
"""Go's `%v` of a float64 (`%g` with the shortest digits that round-trip, so `500000` but
`1e+06`): the core's one copy."""


def go_format_value(value: object) -> str:
    """Go's `%v` of a JSON-decoded value (as `show` prints PARAMETER values)."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return go_format_number(float(value))
    if value is None:
        return "<nil>"
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        inner = " ".join(f"{key}:{go_format_value(value[key])}" for key in sorted(value, key=str))
        return f"map[{inner}]"
    if isinstance(value, Sequence):
        return "[" + " ".join(go_format_value(item) for item in value) + "]"
    return str(value)


go_quote = quote
"""Go's `strconv.Quote` (what `%#v` and `%q` print for a string): the core's one copy."""


def go_format_sharp(value: object) -> str:
    """Go's `%#v` for the scalar values a params layer holds."""
    if isinstance(value, str):
        return go_quote(value)
    return go_format_value(value)


# ---------------------------------------------------------------------------------------------
# Decoding


def _quote_char(character: str) -> str:
    if character == "'":
        return "'\\''"
    if character == '"':
        return "'\"'"
    quoted = go_quote(character)
    return "'" + quoted[1:-1] + "'"


class _Scanner:
    """A port of the error paths of Go's `encoding/json` scanner for one top-level value."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0

    def _peek(self) -> str | None:
        return self.text[self.position] if self.position < len(self.text) else None

    def _skip_space(self) -> None:
        while self.position < len(self.text) and self.text[self.position] in " \t\r\n":
            self.position += 1

    def _error(self, character: str, context: str) -> GoJSONError:
        return GoJSONError(f"invalid character {_quote_char(character)} {context}")

    def _next(self) -> str:
        character = self._peek()
        if character is None:
            raise GoJSONError("unexpected EOF")
        self.position += 1
        return character

    def scan_document(self) -> int:
        self._skip_space()
        if self._peek() is None:
            raise EmptyBodyError("EOF")
        self._value()
        return self.position

    def _value(self) -> None:
        self._skip_space()
        character = self._next()
        if character == "{":
            self._object()
        elif character == "[":
            self._array()
        elif character == '"':
            self._string()
        elif character == "-" or (character.isdigit() and character.isascii()):
            self._number(character)
        elif character in "tfn":
            literal = {"t": "true", "f": "false", "n": "null"}[character]
            for expected in literal[1:]:
                got = self._next()
                if got != expected:
                    raise self._error(got, f"in literal {literal} (expecting '{expected}')")
        else:
            raise self._error(character, "looking for beginning of value")

    def _object(self) -> None:
        self._skip_space()
        character = self._next()
        if character == "}":
            return
        while True:
            if character != '"':
                raise self._error(character, "looking for beginning of object key string")
            self._string()
            self._skip_space()
            character = self._next()
            if character != ":":
                raise self._error(character, "after object key")
            self._value()
            self._skip_space()
            character = self._next()
            if character == "}":
                return
            if character != ",":
                raise self._error(character, "after object key:value pair")
            self._skip_space()
            character = self._next()

    def _array(self) -> None:
        self._skip_space()
        if self._peek() == "]":
            self.position += 1
            return
        while True:
            self._value()
            self._skip_space()
            character = self._next()
            if character == "]":
                return
            if character != ",":
                raise self._error(character, "after array element")

    def _string(self) -> None:
        while True:
            character = self._next()
            if character == '"':
                return
            if character == "\\":
                escape = self._next()
                if escape == "u":
                    for _ in range(4):
                        digit = self._next()
                        if digit not in "0123456789abcdefABCDEF":
                            raise self._error(digit, "in \\u hexadecimal character escape")
                elif escape not in '"\\/bfnrt':
                    raise self._error(escape, "in string escape code")
            elif ord(character) < 0x20:
                raise self._error(character, "in string literal")

    def _digits(self) -> int:
        count = 0
        while (character := self._peek()) is not None and "0" <= character <= "9":
            self.position += 1
            count += 1
        return count

    def _number(self, first: str) -> None:
        if first == "-":
            character = self._next()
            if not "0" <= character <= "9":
                raise self._error(character, "in numeric literal")
            first = character
        if first != "0":
            self._digits()
        if self._peek() == ".":
            self.position += 1
            character = self._next()
            if not "0" <= character <= "9":
                raise self._error(character, "after decimal point in numeric literal")
            self._digits()
        if self._peek() in ("e", "E"):
            self.position += 1
            character = self._next()
            if character in "+-":
                character = self._next()
            if not "0" <= character <= "9":
                raise self._error(character, "in exponent of numeric literal")
            self._digits()


def _reject_constant(name: str) -> object:
    raise GoJSONError(f"invalid character '{name[0]}' looking for beginning of value")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def decode_first_value(body: bytes) -> object:
    """The first JSON value of `body` (the rest is ignored, as Go's `Decoder` does).

    Raises `EmptyBodyError` for an empty or blank body, `GoJSONError` with Go's text otherwise.
    """
    text = body.decode("utf-8", errors="replace")
    start = 0
    while start < len(text) and text[start] in " \t\r\n":
        start += 1
    if start == len(text):
        raise EmptyBodyError("EOF")
    try:
        value, _ = _DECODER.raw_decode(text, start)
    except json.JSONDecodeError:
        _Scanner(text).scan_document()
        raise GoJSONError("unexpected EOF") from None
    return value


# ---------------------------------------------------------------------------------------------
# Typed request structs


@dataclass(frozen=True, slots=True)
class GoField:
    """One struct field: its JSON name and Go type (`string`, `bool`, `any`, `map`, ...)."""

    name: str
    go_type: str


MESSAGE_FIELDS: tuple[GoField, ...] = (
    GoField("role", "string"),
    GoField("content", "string"),
    GoField("thinking", "string"),
    GoField("images", "[]api.ImageData"),
    GoField("tool_name", "string"),
)


def _json_kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def decode_struct(value: object, struct_name: str, fields: Sequence[GoField]) -> dict[str, Any]:
    """Assign a decoded JSON value to a Go struct: returns field name -> value (nulls dropped).

    Keys match case-insensitively (a later duplicate wins, as in Go); unknown keys are ignored.
    Raises `GoJSONError` with Go's unmarshal-type message for the first mismatch.
    """
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise GoJSONError(
            f"json: cannot unmarshal {_json_kind(value)} into Go value of type api.{struct_name}"
        )
    by_name = {field.name.lower(): field for field in fields}
    result: dict[str, Any] = {}
    first_error: GoJSONError | None = None
    for key, item in value.items():
        field = by_name.get(key.lower())
        if field is None or item is None:
            continue
        try:
            result[field.name] = _convert(item, field.go_type, struct_name, field.name)
        except GoJSONError as error:
            first_error = first_error or error
    if first_error is not None:
        raise first_error
    return result


def _type_error(value: object, struct_name: str, path: str, go_type: str) -> GoJSONError:
    kind = _json_kind(value)
    if kind == "number" and go_type in ("int", "int64"):
        kind = f"number {value}"
    return GoJSONError(
        f"json: cannot unmarshal {kind} into Go struct field {struct_name}.{path} of type {go_type}"
    )


def _convert(value: object, go_type: str, struct_name: str, path: str) -> Any:
    if go_type == "any":
        return value
    if go_type == "string":
        if not isinstance(value, str):
            raise _type_error(value, struct_name, path, "string")
        return value
    if go_type == "bool":
        if not isinstance(value, bool):
            raise _type_error(value, struct_name, path, "bool")
        return value
    if go_type == "int":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _type_error(value, struct_name, path, "int")
        if isinstance(value, float) and not value.is_integer():
            raise _type_error(value, struct_name, path, "int")
        return int(value)
    if go_type == "map[string]interface {}":
        if not isinstance(value, dict):
            raise _type_error(value, struct_name, path, go_type)
        return value
    if go_type == "map[string]string":
        if not isinstance(value, dict):
            raise _type_error(value, struct_name, path, go_type)
        converted: dict[str, str] = {}
        for key, item in value.items():
            if item is None:
                converted[key] = ""
                continue
            converted[key] = _convert(item, "string", struct_name, f"{path}.{key}")
        return converted
    if go_type == "[]api.Message":
        if not isinstance(value, list):
            raise _type_error(value, struct_name, path, go_type)
        messages: list[dict[str, Any]] = []
        for item in value:
            if item is None:
                messages.append({})
                continue
            if not isinstance(item, dict):
                raise _type_error(item, struct_name, path, "api.Message")
            messages.append(_decode_nested(item, "Message", MESSAGE_FIELDS, path))
        return messages
    if go_type == "[]api.ImageData":
        if not isinstance(value, list):
            raise _type_error(value, struct_name, path, go_type)
        return value
    raise TypeError(f"unknown Go type {go_type}")


def _decode_nested(
    value: dict[str, Any], struct_name: str, fields: Sequence[GoField], prefix: str
) -> dict[str, Any]:
    by_name = {field.name.lower(): field for field in fields}
    result: dict[str, Any] = {}
    for key, item in value.items():
        field = by_name.get(key.lower())
        if field is None or item is None:
            continue
        result[field.name] = _convert(item, field.go_type, struct_name, f"{prefix}.{field.name}")
    return result
