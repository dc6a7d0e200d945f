"""Go's `http.DetectContentType` for the signatures a model folder can hold (text vs binary,
zip, gzip, PDF, images, HTML/XML): create sniffs each weight and configuration file with it.
Pure."""

from __future__ import annotations

_BINARY_BYTES = frozenset([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_EXACT_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"%!PS-Adobe-", "application/postscript"),
    (b"\xfe\xff", "text/plain"),
    (b"\xff\xfe", "text/plain"),
    (b"\xef\xbb\xbf", "text/plain"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"\x89PNG\x0d\x0a\x1a\x0a", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"BM", "image/bmp"),
    (b"\x1f\x8b\x08", "application/x-gzip"),
    (b"PK\x03\x04", "application/zip"),
    (b"Rar!\x1a\x07\x00", "application/x-rar-compressed"),
    (b"Rar!\x1a\x07\x01\x00", "application/x-rar-compressed"),
    (b"\x00\x61\x73\x6d", "application/wasm"),
)
_HTML_PREFIXES = (
    b"<!DOCTYPE HTML",
    b"<HTML",
    b"<HEAD",
    b"<SCRIPT",
    b"<IFRAME",
    b"<H1",
    b"<DIV",
    b"<FONT",
    b"<TABLE",
    b"<A",
    b"<STYLE",
    b"<TITLE",
    b"<B",
    b"<BODY",
    b"<BR",
    b"<P",
    b"<!--",
)


def detect_content_type(head: bytes) -> str:
    """The media type (without parameters) Go's `http.DetectContentType` gives the first 512
    bytes of a file, for the signatures a model folder can hold: text vs binary, zip, gzip,
    PDF, images, HTML/XML."""
    data = head[:512]
    stripped = data.lstrip(b"\t\n\x0c\r ")
    upper = stripped[:14].upper()
    for prefix in _HTML_PREFIXES:
        if upper.startswith(prefix) and len(stripped) > len(prefix):
            terminator = stripped[len(prefix)]
            if terminator in b" >":
                return "text/html"
    if stripped.startswith(b"<?xml"):
        return "text/xml"
    for signature, media_type in _EXACT_SIGNATURES:
        if data.startswith(signature):
            return media_type
    if any(byte in _BINARY_BYTES for byte in data):
        return "application/octet-stream"
    return "text/plain"
