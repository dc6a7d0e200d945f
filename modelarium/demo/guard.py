"""Ollama's two request guards: CORS (`gin-contrib/cors` as Ollama configures it) and the Host
header check that protects a loopback server from DNS rebinding.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

_LOCAL_ORIGINS = tuple(
    f"{scheme}://{host}{port}"
    for host in ("localhost", "127.0.0.1", "0.0.0.0")
    for port in ("", ":*")
    for scheme in ("http", "https")
)
DEFAULT_ORIGINS: tuple[str, ...] = (
    *_LOCAL_ORIGINS, "app://*", "file://*", "tauri://*", "vscode-webview://*", "vscode-file://*",
)  # fmt: skip
"""Origins Ollama allows when `OLLAMA_ORIGINS` adds none."""

ALLOW_METHODS = "GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS"
ALLOW_HEADERS = ",".join(
    (
        "Authorization", "Content-Type", "User-Agent", "Accept", "X-Requested-With",
        "Openai-Beta", "X-Stainless-Arch", "X-Stainless-Async",
        "X-Stainless-Custom-Poll-Interval", "X-Stainless-Helper-Method", "X-Stainless-Lang",
        "X-Stainless-Os", "X-Stainless-Package-Version", "X-Stainless-Poll-Helper",
        "X-Stainless-Retry-Count", "X-Stainless-Runtime", "X-Stainless-Runtime-Version",
        "X-Stainless-Timeout",
    )
)  # fmt: skip
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal")


def origins_from_environment() -> tuple[str, ...]:
    """`OLLAMA_ORIGINS` entries (comma-separated) in front of the defaults."""
    extra = [item.strip() for item in os.environ.get("OLLAMA_ORIGINS", "").split(",")]
    return tuple(item for item in extra if item) + DEFAULT_ORIGINS


@dataclass(frozen=True, slots=True)
class GuardOutcome:
    """Either a complete answer (403/204) or headers to add to the normal answer."""

    status: int | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)


def _origin_allowed(origin: str, entries: Sequence[str]) -> tuple[bool, bool]:
    """(allowed, allowed by `*`)."""
    for raw in entries:
        entry = raw.strip().lower()
        if entry == "*":
            return True, True
        if "*" in entry:
            prefix, _, suffix = entry.partition("*")
            if origin.startswith(prefix) and origin.endswith(suffix):
                return True, False
        elif origin == entry:
            return True, False
    return False, False


def _split_host(host_header: str) -> str:
    if host_header.startswith("["):
        end = host_header.find("]")
        return host_header[1:end] if end > 0 else host_header
    if host_header.count(":") == 1:
        return host_header.split(":", 1)[0]
    return host_header


def _host_allowed(host_header: str) -> tuple[bool, bool]:
    """(allowed, allowed by name rather than by IP address)."""
    host = _split_host(host_header)
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None and (
        address.is_loopback or address.is_private or address.is_unspecified
    ):
        return True, False
    lowered = host.lower()
    if lowered in ("", "localhost") or lowered == socket.gethostname().lower():
        return True, True
    return lowered.endswith(_LOCAL_SUFFIXES), True


def guard(
    method: str,
    headers: Mapping[str, str],
    *,
    origins: Sequence[str],
    loopback: bool,
) -> GuardOutcome:
    """Apply CORS, then (on a loopback listener) the Host check, as Ollama's middleware does."""
    added: list[tuple[str, str]] = []
    origin = headers.get("origin")
    host = headers.get("host", "")
    if origin is not None and origin not in (f"http://{host}", f"https://{host}"):
        allowed, wildcard = _origin_allowed(origin, origins)
        if not allowed:
            return GuardOutcome(status=403)
        if method == "OPTIONS":
            return GuardOutcome(
                status=204,
                headers=[
                    ("Access-Control-Allow-Headers", ALLOW_HEADERS),
                    ("Access-Control-Allow-Methods", ALLOW_METHODS),
                    ("Access-Control-Allow-Origin", "*" if wildcard else origin),
                    ("Access-Control-Max-Age", "43200"),
                    (
                        "Vary",
                        "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
                    ),
                ],
            )
        if wildcard:
            added.append(("Access-Control-Allow-Origin", "*"))
        else:
            added += [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
    if loopback:
        allowed_host, by_name = _host_allowed(host)
        if not allowed_host:
            return GuardOutcome(status=403)
        if by_name and method == "OPTIONS":
            return GuardOutcome(status=204, headers=added)
    return GuardOutcome(headers=added)
