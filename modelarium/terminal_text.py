"""Outside text made safe to show in a terminal: the one helper every printer and widget uses.

Model names, licenses, templates, error texts and file names come from hosts, bundles and
files; printed raw, an ESC sequence in them is executed by the user's terminal (colours, cursor
moves, a changed window title, OSC 52 clipboard writes), a carriage return overwrites the line,
and bidi overrides reorder what the user reads. `terminal_text` shows every such character as a
visible escape (`\\x1b`, `\\x9b`, `\\u202e`) instead, so the text stays readable and nothing in
it acts on the terminal. Pure: no I/O, no Textual or Rich.

Newlines depend on where the text goes (`lines=`):

- `"escape"` (the default): one line, as a table cell or a name needs; `\\n`, `\\r` and `\\t`
  are shown as those two characters.
- `"keep"`: a block of text (a license, a Modelfile); line breaks and tabs stay, CRLF becomes LF,
  a lone CR (which would overwrite the line) is escaped.
- `"join"`: one line for messages; each run of whitespace, line breaks included, becomes one
  space and the ends are trimmed.
"""

from __future__ import annotations

import re
from typing import Literal

LineMode = Literal["escape", "keep", "join"]

_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
"""Arabic letter mark, LRM/RLM, embeddings and overrides (LRE..RLO), isolates (LRI..PDI)."""

_ALWAYS = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 but TAB/LF/CR, DEL and C1 (CSI is \x9b)
    + _BIDI_CONTROLS
    + "\u2028\u2029"  # line and paragraph separators: line breaks some terminals honour
    + "\ufeff"  # a zero-width no-break space (a stray byte order mark) hides in names
    + "\ud800-\udfff"  # lone surrogates (undecodable file-name bytes) cannot be printed at all
)
_UNSAFE = {
    "escape": re.compile(f"[{_ALWAYS}\t\n\r]"),
    "keep": re.compile(f"[{_ALWAYS}]|\r(?!\n)"),
    "join": re.compile(f"[{_ALWAYS}]"),
}
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_WHITESPACE = re.compile(r"[ \t\n\r\x0b\x0c\x1c-\x1f\x85\xa0\u2028\u2029]+")


def _visible(match: re.Match[str]) -> str:
    character = match.group()
    named = _NAMED.get(character)
    if named is not None:
        return named
    code = ord(character)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_text(text: str, *, lines: LineMode = "escape") -> str:
    """`text` with every character that could act on a terminal shown as a visible escape.

    Text without such characters comes back unchanged (the common case costs one regex scan).
    """
    if lines == "join":
        text = _WHITESPACE.sub(" ", text).strip()
    elif lines == "keep" and "\r\n" in text:
        text = text.replace("\r\n", "\n")
    pattern = _UNSAFE[lines]
    if pattern.search(text) is None:
        return text
    return pattern.sub(_visible, text)
