"""Logging: one rotating log file per user (XDG state folder), secrets never written.

`configure(path=None, verbose=False)` is called once by the command line. The file is
`--log FILE`, else `$MODELARIUM_LOG`, else `<state folder>/modelarium.log`; a file over 1 MB is
rotated when a command starts (three old files kept: `.1` newest). Rotation at start keeps
`logging.handlers` (and what it imports) off the TUI's start-up path. Every record passes a
filter that blanks bearer tokens, passwords in URLs and `token=` query values, whatever module
logged them.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from modelarium import locations

LOG_ENVIRONMENT = "MODELARIUM_LOG"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_SECRETS = (
    (re.compile(r"(?i)(bearer\s+)[^\s'\"]+"), r"\1***"),
    (re.compile(r"(?i)(://[^/\s:@]+:)[^@\s/]+@"), r"\1***@"),
    (re.compile(r"(?i)([?&](?:token|password|key)=)[^&\s'\"]+"), r"\1***"),
    (
        re.compile(
            r"(?i)((?:^|[\s,{(])['\"]?(?:token|password)['\"]?\s*[:=]\s*['\"]?)[^\s'\",})]+"
        ),
        r"\1***",
    ),
)


def redact(text: str) -> str:
    """`text` with tokens, URL passwords and secret query values replaced by `***`."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Blanks secrets in the final message (arguments already merged in)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def rotate(target: Path, *, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> None:
    """Move a log over `max_bytes` to `.1` (and `.1` to `.2`, …), dropping the oldest."""
    if not target.exists() or target.stat().st_size <= max_bytes:
        return
    for index in range(backups, 0, -1):
        older = target.with_name(f"{target.name}.{index}")
        if index == backups:
            older.unlink(missing_ok=True)
        elif older.exists():
            older.replace(target.with_name(f"{target.name}.{index + 1}"))
    target.replace(target.with_name(f"{target.name}.1"))


def default_log_file() -> Path:
    """`$MODELARIUM_LOG`, else the state folder's modelarium.log."""
    configured = os.environ.get(LOG_ENVIRONMENT)
    if configured:
        return Path(configured).expanduser()
    return locations.state_dir() / "modelarium.log"


def configure(path: Path | None = None, *, verbose: bool = False) -> Path | None:
    """Send the `modelarium` loggers to the log file; returns it (None when it cannot be
    opened: logging then stays off rather than failing the command)."""
    target = path or default_log_file()
    logger = logging.getLogger("modelarium")
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        rotate(target)
        handler = logging.FileHandler(target, encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter())
    logger.addHandler(handler)
    logger.propagate = False
    return target
