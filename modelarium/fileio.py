"""File writes that never leave a half-written file behind (shared by the CLI and the TUI)."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace `path` with `data` via a temporary file in the same folder and `os.replace`.

    With `mode` the file gets those permission bits (set before the data is visible, so a
    secret is never readable by others); otherwise an existing file keeps its bits and a new
    one gets 0o644 (mkstemp's owner-only mode suits temporaries, not Modelfiles and screenshots
    meant to be read by others). Raises OSError; the temporary file never survives a failure.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if mode is None:
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
