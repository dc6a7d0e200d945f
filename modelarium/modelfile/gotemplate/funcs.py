"""Go's predefined template functions (`text/template/funcs.go`) with Go's rules and errors:
truthiness for `and`/`or`/`not`, `eq` against several values, ordered comparison only between
basic kinds of one family, `index`/`slice` bounds, `len` in bytes for strings, `print*` as
`fmt` prints, `html`/`js`/`urlquery` escaping. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping

from modelarium.modelfile.gotemplate.exec import ANY, STRING, VALUE, FuncError, Function
from modelarium.modelfile.gotemplate.values import (
    INVALID,
    GoMap,
    GoSlice,
    NilPointer,
    format_value,
    is_true,
    print_value,
    sprint,
    sprintf,
    sprintln,
    type_name,
)

_BAD_TYPE = "invalid type for comparison"
_INCOMPATIBLE = "incompatible types for comparison"
_NO_COMPARISON = "missing argument for comparison"


def _basic_kind(value: object) -> str:
    """Go's `basicKind`: bool, int, float, complex, string, or "" for anything else."""
    kind = type(value)
    if kind is bool:
        return "bool"
    if kind is int:
        return "int"
    if kind is float:
        return "float"
    if kind is complex:
        return "complex"
    if kind is str:
        return "string"
    return ""


def _is_nil(value: object) -> bool:
    if value is None or value is INVALID or isinstance(value, NilPointer):
        return True
    return isinstance(value, GoSlice | GoMap) and value.nil


def _eq(first: object, *others: object) -> bool:
    if not others:
        raise FuncError(_NO_COMPARISON)
    first_kind = _basic_kind(first)
    for other in others:
        other_kind = _basic_kind(other)
        if first_kind != other_kind:
            valid = first is not INVALID and first is not None
            if valid and other is not INVALID and other is not None:
                raise FuncError(_INCOMPATIBLE)
            truth = False
        elif first_kind:
            truth = first == other
        else:
            if _is_nil(first) or _is_nil(other):
                truth = _is_nil(first) == _is_nil(other)
            elif isinstance(first, list | dict) or isinstance(other, list | dict):
                raise FuncError(f"non-comparable type {format_value(other)}: {type_name(other)}")
            else:
                truth = first == other
        if truth:
            return True
    return False


def _lt(first: object, second: object) -> bool:
    first_kind = _basic_kind(first)
    if not first_kind:
        raise FuncError(_BAD_TYPE)
    second_kind = _basic_kind(second)
    if not second_kind:
        raise FuncError(_BAD_TYPE)
    if first_kind != second_kind:
        raise FuncError(_INCOMPATIBLE)
    if first_kind in ("bool", "complex"):
        raise FuncError(_BAD_TYPE)
    return bool(first < second)  # type: ignore[operator]


def _le(first: object, second: object) -> bool:
    return _lt(first, second) or _eq(first, second)


def _gt(first: object, second: object) -> bool:
    return not _le(first, second)


def _ge(first: object, second: object) -> bool:
    return not _lt(first, second)


def _ne(first: object, second: object) -> bool:
    return not _eq(first, second)


def _not(value: object) -> bool:
    return not is_true(value)


def _length(value: object) -> int:
    if value is INVALID:
        raise FuncError("reflect: call of reflect.Value.Type on zero Value")
    if value is None or isinstance(value, NilPointer):
        raise FuncError("len of nil pointer")
    if type(value) is str:
        return len(value.encode("utf-8", errors="surrogatepass"))
    if isinstance(value, list | dict | bytes):
        return len(value)
    raise FuncError(f"len of type {type_name(value)}")


def _index_arg(index: object, cap: int) -> int:
    if index is INVALID or index is None:
        raise FuncError("cannot index slice/array with nil")
    if type(index) is not int:
        raise FuncError(f"cannot index slice/array with type {type_name(index)}")
    if index < 0 or index > cap:
        raise FuncError(f"index out of range: {index}")
    return index


def _index(item: object, *indexes: object) -> object:
    if item is INVALID or item is None:
        raise FuncError("index of untyped nil")
    for index in indexes:
        if isinstance(item, NilPointer) or item is None or item is INVALID:
            raise FuncError("index of nil pointer")
        if isinstance(item, str):
            data = item.encode("utf-8", errors="surrogatepass")
            position = _index_arg(index, len(data))
            if position >= len(data):
                raise FuncError("reflect: string index out of range")
            item = data[position]
        elif isinstance(item, list | bytes):
            position = _index_arg(index, len(item))
            if position >= len(item):
                raise FuncError("reflect: slice index out of range")
            item = item[position]
        elif isinstance(item, dict):
            if index is INVALID or index is None:
                raise FuncError("value is nil; should be of type string")
            if type(index) is not str:
                raise FuncError(f"value has type {type_name(index)}; should be string")
            if index in item:
                item = item[index]
            else:
                item = item.zero() if isinstance(item, GoMap) else None
        else:
            raise FuncError(f"can't index item of type {type_name(item)}")
    return item


def _slice(item: object, *indexes: object) -> object:
    if item is INVALID or item is None:
        raise FuncError("slice of untyped nil")
    if len(indexes) > 3:
        raise FuncError(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str):
        if len(indexes) == 3:
            raise FuncError("cannot 3-index slice a string")
        data = item.encode("utf-8", errors="surrogatepass")
        bounds = _bounds(len(data), indexes)
        return data[bounds[0] : bounds[1]].decode("utf-8", errors="replace")
    if isinstance(item, list):
        bounds = _bounds(len(item), indexes)
        part = item[bounds[0] : bounds[1]]
        if isinstance(item, GoSlice):
            return type(item)(part)
        return part
    if isinstance(item, bytes):
        bounds = _bounds(len(item), indexes)
        return item[bounds[0] : bounds[1]]
    raise FuncError(f"can't slice item of type {type_name(item)}")


def _bounds(length: int, indexes: tuple[object, ...]) -> list[int]:
    bounds = [0, length, length]
    for position, index in enumerate(indexes):
        bounds[position] = _index_arg(index, length)
    if bounds[0] > bounds[1]:
        raise FuncError(f"invalid slice index: {bounds[0]} > {bounds[1]}")
    if len(indexes) == 3 and bounds[1] > bounds[2]:
        raise FuncError(f"invalid slice index: {bounds[1]} > {bounds[2]}")
    return bounds


def _printable_args(args: tuple[object, ...]) -> str:
    """Go's `evalArgs` for html/js/urlquery: one string as is, else `fmt.Sprint`."""
    if len(args) == 1 and type(args[0]) is str:
        return args[0]
    if any(arg is None for arg in args):
        return sprint([print_value(arg) if arg is None else arg for arg in args])
    return sprint(list(args))


_HTML_ESCAPES = {"&": "&amp;", "'": "&#39;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "\0": "\ufffd"}


def _html(*args: object) -> str:
    text = _printable_args(args)
    return "".join(_HTML_ESCAPES.get(char, char) for char in text)


def _js(*args: object) -> str:
    text = _printable_args(args)
    pieces: list[str] = []
    for char in text:
        if char == "\\":
            pieces.append("\\\\")
        elif char == "'":
            pieces.append("\\'")
        elif char == '"':
            pieces.append('\\"')
        elif char in "<>&=" or char < " " or (not char.isprintable() and ord(char) >= 0x80):
            pieces.append(f"\\u{ord(char):04X}")
        else:
            pieces.append(char)
    return "".join(pieces)


_URL_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def _urlquery(*args: object) -> str:
    text = _printable_args(args)
    pieces: list[str] = []
    for byte in text.encode("utf-8", errors="surrogatepass"):
        char = chr(byte)
        if char in _URL_SAFE:
            pieces.append(char)
        elif char == " ":
            pieces.append("+")
        else:
            pieces.append(f"%{byte:02X}")
    return "".join(pieces)


def _print(*args: object) -> str:
    return sprint(list(args))


def _printf(format_text: str, *args: object) -> str:
    return sprintf(format_text, list(args))


def _println(*args: object) -> str:
    return sprintln(list(args))


def _call(function: object, *args: object) -> object:
    if function is INVALID or function is None:
        raise FuncError("call of nil")
    raise FuncError(f"non-function of type {type_name(function)}")


def _and(first: object, *rest: object) -> object:
    """Evaluated in the executor (it short-circuits); this body is never reached."""
    return first


BUILTINS: Mapping[str, Function] = {
    "and": Function((VALUE,), VALUE, _and, builtin=True),
    "or": Function((VALUE,), VALUE, _and, builtin=True),
    "not": Function((VALUE,), None, _not, builtin=True),
    "len": Function((VALUE,), None, _length, builtin=True),
    "index": Function((VALUE,), VALUE, _index, builtin=True),
    "slice": Function((VALUE,), VALUE, _slice, builtin=True),
    "print": Function((), ANY, _print, builtin=True),
    "printf": Function((STRING,), ANY, _printf, builtin=True),
    "println": Function((), ANY, _println, builtin=True),
    "html": Function((), ANY, _html, builtin=True),
    "js": Function((), ANY, _js, builtin=True),
    "urlquery": Function((), ANY, _urlquery, builtin=True),
    "call": Function((VALUE,), VALUE, _call, builtin=True),
    "eq": Function((VALUE,), VALUE, _eq, builtin=True),
    "ne": Function((VALUE, VALUE), None, _ne, builtin=True),
    "lt": Function((VALUE, VALUE), None, _lt, builtin=True),
    "le": Function((VALUE, VALUE), None, _le, builtin=True),
    "gt": Function((VALUE, VALUE), None, _gt, builtin=True),
    "ge": Function((VALUE, VALUE), None, _ge, builtin=True),
}
"""Go's builtins by name."""
