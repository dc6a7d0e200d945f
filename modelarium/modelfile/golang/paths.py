"""Go's `path/filepath` on Unix (`Clean`, `Join`, `Abs`, `Glob`), the home folders `os/user`
finds, and Go's wording of an OS error. The only I/O is what Go's functions do: the working
directory, the password database and directory listings."""

from __future__ import annotations

import fnmatch
import os
import pwd


class GoError(Exception):
    """A Go call failed; `str()` is Go's error text (`getwd: no such file or directory`)."""


def os_reason(error: OSError) -> str:
    """Go's wording of an OS error: the C library text with a lower-case first letter."""
    reason = error.strerror or str(error)
    return reason[:1].lower() + reason[1:]


def path_error_text(operation: str, path: str, error: OSError) -> str:
    """A Go `*PathError` text: `stat /x: not a directory`."""
    return f"{operation} {path}: {os_reason(error)}"


def go_clean(path: str) -> str:
    """`filepath.Clean` on Unix: lexical `.`/`..`/`//` removal; "" becomes "."."""
    if not path:
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    cleaned = "/".join(parts)
    if rooted:
        return "/" + cleaned
    return cleaned or "."


def go_join(*elements: str) -> str:
    """`filepath.Join`: the non-empty elements joined by `/` and cleaned; "" if all empty."""
    present = [element for element in elements if element]
    if not present:
        return ""
    return go_clean("/".join(present))


def go_abs(path: str) -> str:
    """`filepath.Abs`: cleaned, and joined to the working directory when relative; raises
    GoError when the working directory is gone."""
    if not path.startswith("/"):
        try:
            working_directory = os.getcwd()
        except OSError as error:
            raise GoError(f"getwd: {os_reason(error)}") from None
        path = go_join(working_directory, path)
    return go_clean(path)


def home_directory() -> str:
    """The current user's home: `$HOME`, else the password database (Go's source); raises
    GoError when the user is unknown.

    One deliberate difference: Go asks the password database first; on a normal system both
    agree, and `$HOME` lets a sandbox redirect it.
    """
    home = os.environ.get("HOME")
    if home:
        return home
    user_id = os.getuid()
    try:
        return pwd.getpwuid(user_id).pw_dir
    except KeyError:
        raise GoError(f"failed to get current user: user: unknown userid {user_id}") from None


def user_home(user_name: str) -> str | None:
    """`user.Lookup(name).HomeDir`; None for an unknown user."""
    try:
        return pwd.getpwnam(user_name).pw_dir
    except KeyError:
        return None


def go_glob(pattern_directory: str, pattern: str) -> list[str]:
    """`filepath.Glob(dir/pattern)` for one-level patterns (`*` may appear in a middle part):
    sorted names per directory, hidden files included like Go."""
    parts = pattern.split("/")
    current = [pattern_directory]
    for part in parts:
        matched: list[str] = []
        for base in current:
            if not any(char in part for char in "*?["):
                candidate = go_join(base, part)
                if os.path.lexists(candidate):
                    matched.append(candidate)
                continue
            try:
                names = sorted(os.listdir(base))
            except OSError:
                continue
            matched.extend(go_join(base, name) for name in names if fnmatch.fnmatchcase(name, part))
        current = matched
    return current
