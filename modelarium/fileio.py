"""File writes that never leave a half-written file behind (shared by the CLI and the TUI)."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_atomically(
    path: Path, data: bytes, *, through_symlink: bool = True, mode: int | None = None
) -> None:
    """Replace `path` with `data` via a temporary file in the same folder and `os.replace`.

    When `path` is a symbolic link, `through_symlink` (the default, as editors do) replaces the
    file the link points to and keeps the link; `through_symlink=False` replaces the link itself
    with a regular file and never writes where the link points (exports to a chosen name).
    With `mode` the file gets those permission bits (set before the data is visible, so a
    secret is never readable by others); otherwise an existing regular file keeps its bits and
    a new one gets 0o644 (mkstemp's owner-only mode suits temporaries, not Modelfiles and
    screenshots meant to be read by others). Raises OSError; the temporary file never survives
    a failure.
    """
    target = Path(os.path.realpath(path)) if through_symlink and path.is_symlink() else path
    folder = target.parent if str(target.parent) else Path(".")
    if mode is None:
        try:
            status = target.lstat()
        except FileNotFoundError:
            mode = 0o644
        else:
            mode = stat.S_IMODE(status.st_mode) if stat.S_ISREG(status.st_mode) else 0o644
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
