"""Text from hosts shown terminal-safe: control characters become visible escapes."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> str:
    """`text` with every control character but newline and tab as `\\xNN` (no escape sequence
    from a model's answer or a host's error reaches the terminal)."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
