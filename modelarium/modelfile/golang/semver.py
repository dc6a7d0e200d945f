"""`golang.org/x/mod/semver.IsValid`, which create applies to REQUIRES (after adding a `v`).
Pure."""

from __future__ import annotations


def _semver_number(text: str) -> tuple[bool, str]:
    """semver's parseInt: digits without a leading zero; returns (ok, rest)."""
    if not text or not "0" <= text[0] <= "9":
        return False, text
    index = 1
    while index < len(text) and "0" <= text[index] <= "9":
        index += 1
    if text[0] == "0" and index != 1:
        return False, text
    return True, text[index:]


def _semver_ident_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "-")


def _semver_bad_number(part: str) -> bool:
    return part.isascii() and part.isdigit() and len(part) > 1 and part[0] == "0"


def _semver_dotted(text: str, stop_at_plus: bool) -> tuple[bool, str]:
    """Pre-release (`-…`, numeric parts without leading zeros) or build (`+…`) identifiers."""
    index = 1
    start = 1
    while index < len(text) and not (stop_at_plus and text[index] == "+"):
        char = text[index]
        if not _semver_ident_char(char) and char != ".":
            return False, text
        if char == ".":
            if start == index or (stop_at_plus and _semver_bad_number(text[start:index])):
                return False, text
            start = index + 1
        index += 1
    if start == index or (stop_at_plus and _semver_bad_number(text[start:index])):
        return False, text
    return True, text[index:]


def is_valid_semver(version: str) -> bool:
    """`semver.IsValid`: `v` + major[.minor[.patch[-pre][+build]]], no leading zeros."""
    if not version.startswith("v"):
        return False
    rest = version[1:]
    for part in range(3):
        ok, rest = _semver_number(rest)
        if not ok:
            return False
        if not rest:
            return True
        if part < 2:
            if rest[0] != ".":
                return False
            rest = rest[1:]
    if rest.startswith("-"):
        ok, rest = _semver_dotted(rest, stop_at_plus=True)
        if not ok:
            return False
    if rest.startswith("+"):
        ok, rest = _semver_dotted(rest, stop_at_plus=False)
        if not ok:
            return False
    return rest == ""
