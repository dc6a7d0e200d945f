"""A tiny local web server for `knowledge check` tests: fixture pages, a redirect and a 404 on
127.0.0.1. It also answers proxy-style requests (absolute URLs), so a test can point
HTTP_PROXY at it and see that the check went through the proxy."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Pages:
    """What the server answers: path -> HTML body; path -> redirect target."""

    bodies: Mapping[str, str]
    redirects: Mapping[str, str] = field(default_factory=dict)
    seen: list[str] = field(default_factory=list)
    """Every request target as received (absolute when it came through as a proxy)."""


@contextmanager
def serve(pages: Pages) -> Iterator[str]:
    """Serve `pages` on 127.0.0.1 (random port); yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            pages.seen.append(self.path)
            path = urlsplit(self.path).path or "/"
            if path in pages.redirects:
                self.send_response(301)
                self.send_header("Location", pages.redirects[path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = pages.bodies.get(path)
            if body is None:
                self.send_error(404)
                return
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
