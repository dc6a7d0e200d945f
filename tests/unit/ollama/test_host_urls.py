"""`OLLAMA_HOST` forms -> base URL, and clear `InvalidHostURL` errors for garbage."""

from __future__ import annotations

import pytest

from modelarium.ollama.addresses import parse_ollama_host
from modelarium.ollama.types import InvalidHostURL


@pytest.mark.parametrize(
    ("value", "url"),
    [
        ("", "http://127.0.0.1:11434"),
        ("   ", "http://127.0.0.1:11434"),
        ("gpu-box", "http://gpu-box:11434"),
        ("gpu-box:8080", "http://gpu-box:8080"),
        (":9999", "http://127.0.0.1:9999"),
        ("http://gpu-box", "http://gpu-box:80"),
        ("https://gpu-box", "https://gpu-box:443"),
        ("HTTPS://gpu-box:8443", "https://gpu-box:8443"),
        ("http://gpu-box:11434/ollama", "http://gpu-box:11434/ollama"),
        ("https://proxy.example/team/ollama/", "https://proxy.example:443/team/ollama"),
        ("gpu-box/ollama", "http://gpu-box:11434/ollama"),
        ("ollama.com", "https://ollama.com:443"),
        ("[::1]:11434", "http://[::1]:11434"),
        ("::1", "http://[::1]:11434"),
        ("[::1]", "http://[::1]:11434"),
        ("http://[fe80::1]:8080", "http://[fe80::1]:8080"),
        ("0.0.0.0", "http://127.0.0.1:11434"),
        ("0.0.0.0:8080", "http://127.0.0.1:8080"),
        ("::", "http://[::1]:11434"),
        ('"gpu-box:1"', "http://gpu-box:1"),
        (" 'gpu-box' ", "http://gpu-box:11434"),
        ("10.0.0.5", "http://10.0.0.5:11434"),
        ("http://", "http://127.0.0.1:80"),
        ("my_host.local", "http://my_host.local:11434"),
    ],
)
def test_every_ollama_host_form(value: str, url: str) -> None:
    assert parse_ollama_host(value) == url


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("not a url", "not a host name"),
        ("ftp://gpu-box", "scheme"),
        ("gpu-box:abc", "port"),
        ("gpu-box:70000", "port"),
        ("gpu-box:0", "port"),
        ("[::1", "malformed"),
        ("[::1]x", "malformed"),
        ("http://gpu box:1", "not a host name"),
        ("gpu-box/a b", "spaces"),
        ("-gpu", "not a host name"),
    ],
)
def test_garbage_is_a_clear_error(value: str, reason: str) -> None:
    with pytest.raises(InvalidHostURL) as caught:
        parse_ollama_host(value)
    message = str(caught.value)
    assert "\n" not in message
    assert repr(value) in message
    assert reason in message
