"""The one Starlette application behind `radio studio` and `radio preview`.

Middleware, outermost first: the Host allow-list (TrustedHostMiddleware), then
the Gate (session cookie, login, CSRF token and Origin on every state change,
read-only mode for the preview).  The routes are in routes.py (the studio) and
radio/preview/server.py (the preview's page, data and files).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import JSONResponse

from . import messages
from .security import SAFE_METHODS, SESSION_COOKIE, Guard, origin_ok

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
PUBLIC = ("/", "/index.html", "/login", "/studio-static/", "/api/session", "/api/messages",
          "/api/login", "/api/lang")


@dataclass(frozen=True)
class StudioConfig:
    root: Path
    scheme: str = "http"
    allowed_hosts: tuple[str, ...] = ("127.0.0.1", "localhost")
    read_only: bool = False                 # `radio preview`
    lang: str = "vi"
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    services: dict = field(default_factory=dict, compare=False)


class Gate:
    """Sessions, login, CSRF and Origin for every request (a plain ASGI middleware)."""

    def __init__(self, app, config: StudioConfig, guard: Guard):
        self.app = app
        self.config = config
        self.guard = guard

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        from starlette.requests import Request

        request = Request(scope)
        lang = messages.pick(request.cookies.get("radio_lang"), self.config.lang)
        token = request.cookies.get(SESSION_COOKIE)
        session = self.guard.session(token)
        new_cookie = None
        if session is None:
            token, session = self.guard.new_session(authenticated=False)
            new_cookie = token
        scope.setdefault("state", {})
        scope["state"].update(session=session, token=token, lang=lang)
        refusal = self._refusal(request, session, lang)
        if refusal is not None:
            return await refusal(scope, receive, send)

        async def send_with_cookie(message):
            if new_cookie and message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"].append((b"set-cookie", self.cookie(new_cookie).encode()))
            await send(message)

        from ..i18n import language

        with language(lang):   # errors and warnings are rendered in the page's language
            await self.app(scope, receive, send_with_cookie)

    def cookie(self, token: str) -> str:
        secure = "; Secure" if self.config.scheme == "https" else ""
        return f"{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}"

    def _refusal(self, request, session, lang: str):
        path = request.url.path
        if request.method not in SAFE_METHODS:
            if self.config.read_only:
                return _refuse(405, lang, "error.readonly")
            origin = request.headers.get("origin")
            if not origin_ok(origin, self.config.scheme, request.headers.get("host")):
                return _refuse(403, lang, "error.origin", origin=origin or "?")
            if request.headers.get("x-csrf-token") != session.csrf:
                return _refuse(403, lang, "error.csrf")
        public = path in PUBLIC or path.startswith("/studio-static/")
        if self.guard.login_required and not session.authenticated and not public:
            return _refuse(401, lang, "error.login")
        return None


def _refuse(status: int, lang: str, key: str, **values) -> JSONResponse:
    return JSONResponse({"error": messages.text(lang, key, **values), "code": key}, status,
                        headers={"Cache-Control": "no-store"})


def create_app(config: StudioConfig, guard: Guard, routes: list) -> Starlette:
    hosts = list(config.allowed_hosts)
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=hosts),
                  Middleware(Gate, config=config, guard=guard)]
    from .routes_util import BadBody, bad_body

    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={BadBody: bad_body})
    app.state.config = config
    app.state.guard = guard
    return app


def preview_app(config: StudioConfig, session) -> Starlette:
    """`radio preview`: the preview's routes at the root, read-only, loopback."""
    from ..preview.server import preview_routes

    return create_app(config, Guard(None), preview_routes(lambda _: session))
