"""Routes for recordings, pronunciations and release jobs."""
from __future__ import annotations

import unicodedata

from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from ..errors import RadioError
from ..fsio import write_text
from . import editor, uploads
from .builds import Busy
from .routes_util import error, json_body, json_response, problems_response


class ActionRoutes:
    """Recordings, pronunciations, the booth and release jobs: one method per route."""

    def __init__(self, services, production):
        self.services = services
        self.production = production   # () -> the production, read again per request

    async def assets(self, request):
        return json_response(await run_in_threadpool(uploads.list_assets,
                                                     self.production().assets_dir))

    async def upload(self, request):
        limit = request.app.state.config.max_upload_bytes
        length = request.headers.get("content-length")
        if not length or not length.isdigit():
            return error(request, 411, "error.length")
        if int(length) > limit + 64 * 1024:   # the form's own bytes around the file
            return error(request, 413, "error.too_big", mb=limit // (1024 * 1024))
        async with request.form(max_files=1, max_fields=4) as form:
            upload_file = form.get("file")
            if upload_file is None or isinstance(upload_file, str):
                return error(request, 415, "error.type", name="?")
            try:
                target = uploads.target_path(self.production().assets_dir, str(form.get("folder")),
                                             upload_file.filename or "")
                size = await run_in_threadpool(uploads.save_upload, target, upload_file.file,
                                               limit)
            except uploads.Refused as exc:
                return error(request, exc.status, exc.key, **exc.values)
        rel = target.relative_to(self.production().root).as_posix()
        return json_response({"path": rel, "bytes": size}, 201)

    async def pronunciations(self, request):
        production = self.production()
        try:
            text = _read_pronunciations(production.pronunciations_path, production)
        except RadioError as exc:   # saved by Excel as "Unicode text" (UTF-16), or ANSI
            return problems_response(exc)
        return json_response({"text": text, "sha": editor.sha(text)})

    async def save_pronunciations(self, request):
        body = await json_body(request, ("text",), text=str, base_sha=str)
        production = self.production()
        path = production.pronunciations_path
        text = unicodedata.normalize("NFC", body["text"].replace("\r\n", "\n"))
        try:
            await run_in_threadpool(_lexicon_of, text)
        except RadioError as exc:
            return problems_response(exc)

        def compare_and_write() -> str | None:   # one step, as a script's save (editor.py)
            with editor.SAVE_LOCK:
                disk = _read_pronunciations(path, production)
                if text != disk and body.get("base_sha") != editor.sha(disk):
                    return disk
                write_text(path, text)
                return None

        try:
            disk = await run_in_threadpool(compare_and_write)
        except RadioError as exc:   # the file on disk is not UTF-8: nothing written
            return problems_response(exc)
        if disk is not None:
            return json_response({"conflict": True, "disk_text": disk,
                                  "disk_sha": editor.sha(disk)}, 409)
        return json_response({"sha": editor.sha(text)})

    async def spoken(self, request):
        body = await json_body(request, tsv=str, text=str)
        try:
            lexicon = await run_in_threadpool(_lexicon_of, str(body.get("tsv", "")))
        except RadioError as exc:
            return problems_response(exc)
        from ..speech.normalize import normalize

        return json_response({"spoken": normalize(str(body.get("text", "")), lexicon)})

    async def start_job(self, request):
        body = await json_body(request, kind=str, preset=str)
        preset = body.get("preset") or None
        try:
            job = self.services.jobs.start(str(body.get("kind", "")), preset, request.state.lang)
        except Busy:
            return error(request, 409, "error.busy")
        except ValueError:
            return error(request, 400, "error.path", path=str(body.get("kind")))
        return json_response(job, 202)

    async def current_job(self, request):
        return json_response({"job": self.services.jobs.current()})

    async def booth(self, request):
        from .booth import booth_rows

        name = request.path_params["name"]
        if name not in self.production().episode_names():
            return error(request, 404, "error.episode", name=name)
        try:
            return json_response(await run_in_threadpool(booth_rows, self.production(), name))
        except RadioError as exc:
            return problems_response(exc)

    async def take(self, request):
        from .booth import accept_take

        name, pid = request.path_params["name"], request.path_params["pid"]
        if name not in self.production().episode_names():
            return error(request, 404, "error.episode", name=name)
        limit = request.app.state.config.max_upload_bytes
        length = request.headers.get("content-length")
        if not length or not length.isdigit():
            return error(request, 411, "error.length")
        if int(length) > limit:
            return error(request, 413, "error.too_big", mb=limit // (1024 * 1024))
        data = await request.body()
        if len(data) > limit:
            return error(request, 413, "error.too_big", mb=limit // (1024 * 1024))
        suffix = "." + request.query_params.get("type", "wav").lstrip(".")
        try:
            state = await run_in_threadpool(accept_take, self.production(), name, pid, suffix, data)
        except uploads.Refused as exc:
            return error(request, exc.status, exc.key, **exc.values)
        except RadioError as exc:
            return problems_response(exc)
        self.services.live.rebuild(name)
        return json_response({"pid": pid, "state": state}, 201)

    def routes(self) -> list:
        return [
            Route("/api/episodes/{name}/booth", self.booth),
            Route("/api/episodes/{name}/takes/{pid}", self.take, methods=["POST"]),
            Route("/api/assets", self.assets), Route("/api/assets", self.upload, methods=["POST"]),
            Route("/api/pronunciations", self.pronunciations),
            Route("/api/pronunciations", self.save_pronunciations, methods=["POST"]),
            Route("/api/normalize", self.spoken, methods=["POST"]),
            Route("/api/jobs", self.start_job, methods=["POST"]),
            Route("/api/jobs/current", self.current_job),
        ]


def action_routes(services, production) -> list:
    return ActionRoutes(services, production).routes()


def _read_pronunciations(path, production) -> str:
    """pronunciations.tsv's text ("" when there is none); ProblemsError, worded as the
    build words it, when it is not UTF-8."""
    from ..errors import Problem, ProblemsError
    from ..i18n import _l

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return ""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProblemsError([Problem(_l("not UTF-8 text ({reason})", reason=exc.reason),
                                     production.rel(path), None,
                                     _l("save the file as UTF-8"))]) from None


def _lexicon_of(tsv: str):
    """The built-in lexicon plus *tsv* (the page's unsaved pronunciations)."""
    import tempfile
    from pathlib import Path

    from ..speech.normalize import load_lexicon

    # A scratch copy under the production file's name: its problems name pronunciations.tsv.
    with tempfile.TemporaryDirectory(prefix="radio-pron-") as folder:
        path = Path(folder) / "pronunciations.tsv"
        path.write_text(tsv, encoding="utf-8")
        return load_lexicon(path)
