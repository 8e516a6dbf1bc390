"""The studio's routes: the page, its JSON API, the live previews and the built files."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.routing import Mount, Route

from ..config import load
from ..errors import RadioError
from ..preview.server import HEADERS, file_response, preview_routes
from . import editor, messages
from .builds import Jobs
from .episodes import create_episode, list_episodes
from .routes_util import error, json_body, json_response, problems_response
from .security import SESSION_COOKIE

STATIC = Path(__file__).parent / "static"
STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
POLICY = ("default-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
          "connect-src 'self'; style-src 'self'; script-src 'self'; frame-src 'self'; "
          "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


@dataclass
class Services:
    root: Path
    live: object            # LivePreviews
    auditioner: object      # Auditioner
    jobs: Jobs
    audition_dir: Path


class StudioRoutes:
    """The studio's handlers (one method each) and its route table."""

    def __init__(self, services: Services):
        self.services = services

    def production(self):
        return load(self.services.root)   # every request: radio.toml may have changed

    def episode_name(self, request) -> str | None:
        name = request.path_params["name"]
        return name if name in self.production().episode_names() else None

    async def page(self, request):
        return Response((STATIC / "studio.html").read_bytes(), headers={
            **HEADERS, "Content-Security-Policy": POLICY}, media_type="text/html; charset=utf-8")

    async def static(self, request):
        name = request.path_params["name"]
        path = STATIC / name
        if name not in {p.name for p in STATIC.iterdir()} or path.suffix not in STATIC_TYPES:
            return Response(b"404 Not Found\n", 404, headers=HEADERS)
        return Response(path.read_bytes(), headers=HEADERS, media_type=STATIC_TYPES[path.suffix])

    async def session(self, request):
        s, app = request.state.session, request.app
        return json_response({
            "csrf": s.csrf, "authenticated": s.authenticated, "lang": request.state.lang,
            "login_required": app.state.guard.login_required,
            "max_upload_mb": app.state.config.max_upload_bytes // (1024 * 1024)})

    async def strings(self, request):
        lang = request.query_params.get("lang") or request.state.lang
        return json_response(messages.table(lang))

    async def set_lang(self, request):
        lang = messages.pick((await json_body(request, lang=str)).get("lang"))
        response = json_response({"lang": lang})
        response.set_cookie("radio_lang", lang, samesite="strict", httponly=True)
        return response

    async def login(self, request):
        guard = request.app.state.guard
        address = request.client.host if request.client else "?"
        wait = guard.wait_s(address)
        if wait:
            return error(request, 429, "login.limited", seconds=wait)
        password = str((await json_body(request, password=str)).get("password") or "")
        if not await run_in_threadpool(guard.login, address, password):
            return error(request, 403, "login.wrong")
        guard.drop(request.state.token)
        token, fresh = guard.new_session(authenticated=True)
        response = json_response({"csrf": fresh.csrf, "authenticated": True})
        secure = request.app.state.config.scheme == "https"
        response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict",
                            secure=secure)
        return response

    async def logout(self, request):
        request.app.state.guard.drop(request.state.token)
        return json_response({"authenticated": False})

    async def episodes(self, request):
        return json_response(await run_in_threadpool(list_episodes, self.production()))

    async def new_episode(self, request):
        body = await json_body(request, name=str, title=str)
        try:
            rel = await run_in_threadpool(create_episode, self.production(),
                                          str(body.get("name", "")), str(body.get("title", "")))
        except RadioError as exc:
            return problems_response(exc)
        return json_response({"script": rel}, 201)

    async def script(self, request):
        name = self.episode_name(request)
        if name is None:
            return error(request, 404, "error.episode", name=request.path_params["name"])
        production = self.production()
        try:
            text, sha = editor.read_script(production, name)
        except RadioError as exc:   # not UTF-8: what to do, as `radio check` says it
            return problems_response(exc)
        self.services.live.session(name)   # its preview starts building now
        return json_response({"name": name, "text": text, "sha": sha,
                              "path": production.rel(production.script_path(name))})

    async def check(self, request):
        name = self.episode_name(request)
        if name is None:
            return error(request, 404, "error.episode", name=request.path_params["name"])
        text = (await json_body(request, text=str)).get("text") or ""
        problems = await run_in_threadpool(editor.check_text, self.production(), name, text)
        return json_response({"problems": problems})

    async def save(self, request):
        name = self.episode_name(request)
        if name is None:
            return error(request, 404, "error.episode", name=request.path_params["name"])
        body = await json_body(request, ("text",), text=str, base_sha=str)
        if not body["text"].strip():   # one Ctrl-A, Delete, Ctrl-S must not wipe a script
            production = self.production()
            return error(request, 422, "error.empty_script",
                         path=production.rel(production.script_path(name)))
        try:
            saved = await run_in_threadpool(editor.save_script, self.production(), name,
                                            body["text"], body.get("base_sha"))
        except editor.Conflict as exc:
            return json_response({"conflict": True, "disk_text": exc.disk_text,
                                  "disk_sha": exc.disk_sha}, 409)
        except RadioError as exc:   # the file on disk is no longer UTF-8: nothing written
            return problems_response(exc)
        heard = []
        for paragraph in saved.changed[:3]:
            audition = await run_in_threadpool(
                self.services.auditioner.hear, saved.episode, paragraph,
                self.services.live.master_dir(name))
            if audition is not None:
                heard.append({**asdict(audition), "url": f"/audition/{audition.file}"})
        self.services.live.rebuild(name)
        return json_response({"sha": saved.sha, "auditions": heard})

    async def audition_file(self, request):
        return file_response(self.services.audition_dir, request.path_params["rel"], request)

    async def output_file(self, request):
        return file_response(self.production().output_dir, request.path_params["rel"], request)

    def live_session(self, request):
        name = request.path_params.get("name")
        if name not in self.production().episode_names():
            return None
        return self.services.live.session(name)

    def routes(self) -> list:
        from .actions import action_routes

        return [
            Route("/", self.page), Route("/index.html", self.page), Route("/login", self.page),
            Route("/studio-static/{name}", self.static),
            Route("/api/session", self.session), Route("/api/messages", self.strings),
            Route("/api/lang", self.set_lang, methods=["POST"]),
            Route("/api/login", self.login, methods=["POST"]),
            Route("/api/logout", self.logout, methods=["POST"]),
            Route("/api/episodes", self.episodes),
            Route("/api/episodes", self.new_episode, methods=["POST"]),
            Route("/api/episodes/{name}/script", self.script),
            Route("/api/episodes/{name}/script", self.save, methods=["POST"]),
            Route("/api/episodes/{name}/check", self.check, methods=["POST"]),
            Route("/audition/{rel:path}", self.audition_file, methods=["GET", "HEAD"]),
            Route("/output/{rel:path}", self.output_file, methods=["GET", "HEAD"]),
            Mount("/episodes/{name}/preview", routes=preview_routes(self.live_session)),
            *action_routes(self.services, self.production),
        ]


def studio_routes(services: Services) -> list:
    return StudioRoutes(services).routes()
