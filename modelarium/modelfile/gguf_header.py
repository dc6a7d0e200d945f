"""The architecture a GGUF file declares (`general.architecture`), read from its header.

Ollama's create reads ADAPTER files; the model-aware lint reads the same header to tell which
family an adapter was trained for. Only the metadata before the tensors is read, at most 1 MB.
"""

from __future__ import annotations

import struct
from pathlib import Path

MAGIC = b"GGUF"
HEADER_LIMIT = 1 << 20
_SCALARS = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
"""GGUF value type -> byte size of the fixed-size scalar types."""
_STRING, _ARRAY = 8, 9


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def take(self, size: int) -> bytes:
        if self.offset + size > len(self.data):
            raise ValueError("truncated GGUF header")
        chunk = self.data[self.offset : self.offset + size]
        self.offset += size
        return chunk

    def u32(self) -> int:
        value: int = struct.unpack("<I", self.take(4))[0]
        return value

    def u64(self) -> int:
        value: int = struct.unpack("<Q", self.take(8))[0]
        return value

    def string(self) -> str:
        return self.take(self.u64()).decode("utf-8", "replace")

    def skip(self, kind: int) -> None:
        if kind in _SCALARS:
            self.take(_SCALARS[kind])
        elif kind == _STRING:
            self.take(self.u64())
        elif kind == _ARRAY:
            inner, count = self.u32(), self.u64()
            for _ in range(count):
                self.skip(inner)
        else:
            raise ValueError(f"unknown GGUF value type {kind}")


def gguf_architecture(path: Path) -> str | None:
    """`general.architecture` of the GGUF file at `path`; None when the file cannot be read,
    is not GGUF, or does not say."""
    try:
        with path.open("rb") as handle:
            data = handle.read(HEADER_LIMIT)
    except OSError:
        return None
    if not data.startswith(MAGIC):
        return None
    reader = _Reader(data)
    try:
        reader.take(4)
        reader.u32()  # version
        reader.u64()  # tensor count
        pairs = reader.u64()
        for _ in range(min(pairs, 4096)):
            key = reader.string()
            kind = reader.u32()
            if key == "general.architecture" and kind == _STRING:
                return reader.string()
            reader.skip(kind)
    except (ValueError, struct.error):
        return None
    return None
