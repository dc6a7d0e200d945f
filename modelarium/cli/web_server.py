"""textual-serve's server with a token check (imported only when the `[web]` extra is there)."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from textual_serve.server import Server

TOKEN_COOKIE = "modelarium_web_token"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def token_is_valid(given: str | None, token: str) -> bool:
    """Constant-time comparison of a presented token with the expected one."""
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


class TokenServer(Server):
    """Serves the app; with a token, every request must carry it (query once, then a cookie)."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        title: str,
        public_url: str | None,
        token: str | None,
    ) -> None:
        super().__init__(command, host=host, port=port, title=title, public_url=public_url)
        self.token = token

    def initialize_logging(self) -> None:
        """Keep textual-serve's console logging but never its access log (query strings)."""
        super().initialize_logging()
        logging.getLogger("aiohttp.access").disabled = True

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        if self.token is not None:
            app.middlewares.append(self._require_token)
        return app

    @web.middleware
    async def _require_token(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        token = self.token
        assert token is not None
        from_query = request.query.get("token")
        if not token_is_valid(from_query or request.cookies.get(TOKEN_COOKIE), token):
            raise web.HTTPUnauthorized(
                text="Modelarium: open the address printed where `modelarium web` started "
                "(it ends in ?token=…).\n"
            )
        response = await handler(request)
        if from_query is not None and not response.prepared:
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict")
        return response
