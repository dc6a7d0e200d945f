"""Host addresses: every form `OLLAMA_HOST` takes, normalised as Ollama's `envconfig.Host()`.

Stricter only where Ollama would silently guess (an unparsable port, characters no host name
can hold): those raise `InvalidHostURL`, so a typo is reported instead of connecting somewhere
else. The client and the host pool both use it, so it lives apart from both.
"""

from __future__ import annotations

import ipaddress
import re

from modelarium.ollama.types import InvalidHostURL

DEFAULT_PORT = 11434
_HOST_NAME = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$")


def parse_ollama_host(value: str) -> str:
    """Normalise an `OLLAMA_HOST`-style address to `scheme://host:port[/path]`.

    `host`, `host:port`, `:port`, `http(s)://host[:port][/path]`, `ollama.com`, IPv6 literals
    with or without brackets; `0.0.0.0`/`::` (bind addresses) become `127.0.0.1`/`::1`.
    """
    raw = value
    text = value.strip().strip("\"'").strip()
    if not text:
        return f"http://127.0.0.1:{DEFAULT_PORT}"

    def bad(reason: str) -> InvalidHostURL:
        return InvalidHostURL(f"{raw!r} is not a host URL: {reason}", host=raw)

    scheme, separator, hostport = text.partition("://")
    default_port = DEFAULT_PORT
    if not separator:
        scheme, hostport = "http", text
        if text == "ollama.com":
            scheme, hostport = "https", "ollama.com:443"
    else:
        scheme = scheme.lower()
        if scheme == "http":
            default_port = 80
        elif scheme == "https":
            default_port = 443
        else:
            raise bad(f"the scheme must be http or https, not {scheme!r}")
    hostport, _, path = hostport.partition("/")
    host, port_text = _split_host_port(hostport)
    if host is None:
        raise bad("the host is malformed")
    if port_text is None:
        port = default_port
    else:
        if not port_text.isdigit() or not 0 < int(port_text) <= 65535:
            raise bad(f"the port {port_text!r} is not a number from 1 to 65535")
        port = int(port_text)
    if not host:
        host = "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if not _HOST_NAME.match(host):
            raise bad(f"{host!r} is not a host name or IP address") from None
        host_text = host
    else:
        if address.is_unspecified:
            address = ipaddress.ip_address("::1" if address.version == 6 else "127.0.0.1")
        host_text = f"[{address}]" if address.version == 6 else str(address)
    path = path.strip("/")
    if any(char.isspace() for char in path):
        raise bad("the path may not contain spaces")
    return f"{scheme}://{host_text}:{port}" + (f"/{path}" if path else "")


def _split_host_port(hostport: str) -> tuple[str | None, str | None]:
    """(host, port or None); host None when the text cannot be a host[:port]."""
    if hostport.startswith("["):
        closing = hostport.find("]")
        if closing < 0:
            return None, None
        host, rest = hostport[1:closing], hostport[closing + 1 :]
        if not rest:
            return host, None
        if not rest.startswith(":"):
            return None, None
        return host, rest[1:]
    if hostport.count(":") > 1:
        return hostport, None  # a bare IPv6 literal such as `::1`
    host, separator, port = hostport.partition(":")
    return host, (port if separator else None)
