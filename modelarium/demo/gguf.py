"""Reading the header of a GGUF file (metadata and tensor list), for blobs a client uploads.

Only what `create` and `show` need: the key/value metadata (arrays kept whole) and the tensor
names, types and shapes. The tensor data itself is never read.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

GGUF_MAGIC = b"GGUF"

_SCALARS: dict[int, tuple[str, int]] = {
    0: ("<B", 1), 1: ("<b", 1), 2: ("<H", 2), 3: ("<h", 2), 4: ("<I", 4), 5: ("<i", 4),
    6: ("<f", 4), 7: ("<?", 1), 10: ("<Q", 8), 11: ("<q", 8), 12: ("<d", 8),
}  # fmt: skip
_STRING = 8
_ARRAY = 9

GGML_TYPES: dict[int, str] = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 6: "Q5_0", 7: "Q5_1", 8: "Q8_0", 9: "Q8_1",
    10: "Q2_K", 11: "Q3_K", 12: "Q4_K", 13: "Q5_K", 14: "Q6_K", 15: "Q8_K", 30: "BF16",
}  # fmt: skip


class GGUFError(ValueError):
    """The bytes are not a readable GGUF header."""


@dataclass(frozen=True, slots=True)
class GGUFHeader:
    """Metadata key/values and tensor descriptions of a GGUF file."""

    version: int
    metadata: dict[str, Any]
    tensors: list[dict[str, Any]]


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def take(self, size: int) -> bytes:
        end = self.offset + size
        if end > len(self.data):
            raise GGUFError("truncated GGUF header")
        chunk = self.data[self.offset : end]
        self.offset = end
        return chunk

    def unpack(self, fmt: str, size: int) -> Any:
        return struct.unpack(fmt, self.take(size))[0]

    def string(self) -> str:
        length = self.unpack("<Q", 8)
        return self.take(length).decode("utf-8", errors="replace")

    def value(self, kind: int) -> Any:
        if kind in _SCALARS:
            fmt, size = _SCALARS[kind]
            return self.unpack(fmt, size)
        if kind == _STRING:
            return self.string()
        if kind == _ARRAY:
            item_kind = self.unpack("<I", 4)
            count = self.unpack("<Q", 8)
            if count > len(self.data):
                raise GGUFError("GGUF array longer than the file")
            return [self.value(item_kind) for _ in range(count)]
        raise GGUFError(f"unknown GGUF value type {kind}")


def is_gguf(data: bytes) -> bool:
    """True when `data` starts with the GGUF magic."""
    return data[:4] == GGUF_MAGIC


def read_header(data: bytes) -> GGUFHeader:
    """Parse the metadata and tensor list; raises `GGUFError` on anything malformed."""
    if not is_gguf(data):
        raise GGUFError("not a GGUF file")
    reader = _Reader(data)
    reader.take(4)
    version = reader.unpack("<I", 4)
    tensor_count = reader.unpack("<Q", 8)
    metadata_count = reader.unpack("<Q", 8)
    metadata: dict[str, Any] = {}
    for _ in range(metadata_count):
        key = reader.string()
        metadata[key] = reader.value(reader.unpack("<I", 4))
    tensors: list[dict[str, Any]] = []
    for _ in range(min(tensor_count, 100_000)):
        name = reader.string()
        dimensions = reader.unpack("<I", 4)
        shape = [reader.unpack("<Q", 8) for _ in range(dimensions)]
        type_id = reader.unpack("<I", 4)
        reader.unpack("<Q", 8)
        tensors.append(
            {"name": name, "type": GGML_TYPES.get(type_id, str(type_id)), "shape": shape}
        )
    return GGUFHeader(version, metadata, tensors)
