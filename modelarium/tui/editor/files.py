"""Reading and writing Modelfiles for the editor: size limit, decoding, atomic replace."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from modelarium import fileio
from modelarium.modelfile import decode
from modelarium.modelfile.render import file_text
from modelarium.tui.widgets.text_area import MAX_EDITOR_BYTES
from modelarium.wording import counted


class FileProblem(Exception):
    """A file cannot be opened or written; `str()` is one line naming the file and the reason."""


@dataclass(frozen=True, slots=True)
class LoadedFile:
    """Text read from a file plus a notice when it needed care (not UTF-8, BOM)."""

    text: str
    notice: str | None


def read_modelfile(path: Path) -> LoadedFile:
    """Read `path` for editing; FileProblem for a missing, huge, binary or unreadable file."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise FileProblem(f"{path}: no such file") from None
    except OSError as error:
        raise FileProblem(f"{path}: cannot open: {error.strerror or error}") from error
    if path.is_dir():
        raise FileProblem(f"{path}: is a folder, not a Modelfile")
    if size > MAX_EDITOR_BYTES:
        raise FileProblem(
            f"{path}: {size / 1_000_000:.1f} MB is larger than the editor's limit of "
            f"{MAX_EDITOR_BYTES / 1_000_000:.0f} MB; nothing was opened"
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FileProblem(f"{path}: cannot read: {error.strerror or error}") from error
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem(f"{path}: looks binary (it holds NUL bytes); nothing was opened")
    notice: str | None = None
    try:
        text = data.decode("utf-8")
        if text.startswith("\ufeff"):
            text = text[1:]
    except UnicodeDecodeError as error:
        text = decode(data)
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            notice = f"{path}: UTF-16 file; exporting writes UTF-8"
        else:
            replaced = text.count("\ufffd")
            notice = (
                f"{path}: not valid UTF-8 (first bad byte at offset {error.start}); "
                f"{counted(replaced, 'byte')} shown as \ufffd as Ollama reads them; "
                "the file is unchanged"
            )
    return LoadedFile(text, notice)


def write_atomically(path: Path, text: str) -> None:
    """Write the Modelfile `text` as UTF-8 to `path` atomically, ending in a newline (added
    when missing, nothing else changed); a failure becomes one FileProblem line."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise FileProblem(f"{path}: the folder {folder} does not exist")
    try:
        fileio.write_atomically(path, file_text(text).encode("utf-8"))
    except OSError as error:
        raise FileProblem(f"{path}: cannot write: {error.strerror or error}") from error
