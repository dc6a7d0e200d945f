"""Small but real GGUF files for tests: a header with metadata and a tensor list, no tensor
data. The app only reads GGUF (`modelarium.demo.gguf.read_header`); writing one is a test's
need, so it lives here."""

from __future__ import annotations

import struct
from typing import Any

from modelarium.demo.gguf import GGUF_MAGIC

_UINT32, _FLOAT32, _BOOL, _STRING, _ARRAY, _INT64 = 4, 6, 7, 8, 9, 11
_FORMATS = {_UINT32: "<I", _FLOAT32: "<f", _BOOL: "<?", _INT64: "<q"}


def write_header(metadata: dict[str, Any], tensors: list[tuple[str, list[int], int]]) -> bytes:
    """A minimal GGUF v3 file with this metadata and tensor list (name, shape, GGML type id).

    Strings, ints, floats, bools and lists of those are written."""
    out = bytearray(GGUF_MAGIC)
    out += struct.pack("<IQQ", 3, len(tensors), len(metadata))
    for key, value in metadata.items():
        out += _encode_string(key)
        out += _encode_value(value)
    for name, shape, type_id in tensors:
        out += _encode_string(name)
        out += struct.pack("<I", len(shape))
        out += b"".join(struct.pack("<Q", dimension) for dimension in shape)
        out += struct.pack("<IQ", type_id, 0)
    return bytes(out)


def _encode_string(text: str) -> bytes:
    encoded = text.encode("utf-8")
    return struct.pack("<Q", len(encoded)) + encoded


def _type_of(value: Any) -> int:
    if isinstance(value, bool):
        return _BOOL
    if isinstance(value, int):
        return _UINT32 if 0 <= value < 2**32 else _INT64
    if isinstance(value, float):
        return _FLOAT32
    if isinstance(value, str):
        return _STRING
    if isinstance(value, list):
        return _ARRAY
    raise TypeError(f"cannot write {type(value).__name__} to GGUF")


def _encode_value(value: Any, *, with_type: bool = True) -> bytes:
    kind = _type_of(value)
    prefix = struct.pack("<I", kind) if with_type else b""
    if kind == _STRING:
        return prefix + _encode_string(value)
    if kind == _ARRAY:
        item_kind = _type_of(value[0]) if value else _STRING
        body = b"".join(_encode_value(item, with_type=False) for item in value)
        return prefix + struct.pack("<IQ", item_kind, len(value)) + body
    return prefix + struct.pack(_FORMATS[kind], value)
