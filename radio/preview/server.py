"""The preview's routes (read-only): the page, a JSON API and the built files.

They are part of the studio's Starlette application (radio/studio/app.py): in
`radio preview` they are the whole site, in `radio studio` they are mounted under
``/episodes/<name>/preview/`` for each episode.  Routes (GET and HEAD):
  ./                    the page (page.html), ./static/{i18n,draw,preview}.js, preview.css
  ./static/catalog.js   the page's messages in the interface language (texts.catalog_js)
  ./api/status          {version, building, problems, ...}: the page polls it every second
  ./api/data            the current build's peaks, loudness, segments (analysis.page_data)
  ./files/v<N>/<name>   a file of build N, with HTTP Range (browsers seek audio with it)

Files are served only from inside the site folder: a path with ``..`` in any
spelling (raw, %2e%2e, double-encoded %252e%252e), a backslash, an absolute path
or a symlink leading out is refused with 403.  The Host header is checked by the
application (an allow-list), so a web page elsewhere cannot read it through DNS
rebinding.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from .texts import catalog_js

HERE = Path(__file__).parent
STATIC = {
    "preview.js": "text/javascript; charset=utf-8",
    "i18n.js": "text/javascript; charset=utf-8",
    "draw.js": "text/javascript; charset=utf-8",
    "preview.css": "text/css; charset=utf-8",
}
TYPES = {".wav": "audio/wav", ".json": "application/json; charset=utf-8",
         ".txt": "text/plain; charset=utf-8"}
POLICY = ("default-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; "
          "style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'none'; "
          "frame-ancestors 'self'")   # the studio shows the page in a frame of its own
COPY_CHUNK = 256 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class Forbidden(Exception):
    pass


def looks_like_escape(raw_path: str) -> bool:
    """True for any spelling of '..', backslashes or NULs, decoded up to three times."""
    text = raw_path
    for _ in range(3):
        if re.search(r"(^|/)\.\.(/|$)", text) or "\\" in text or "\0" in text:
            return True
        decoded = unquote(text)
        if decoded == text:
            return False
        text = decoded
    return True  # still encoded after three rounds: nothing honest looks like that


def resolve_file(site: Path, rel_raw: str) -> Path | None:
    """The file *rel_raw* (URL-encoded, relative) inside *site*; Forbidden if it leaves it."""
    rel = unquote(rel_raw, errors="strict")
    if "%" in rel or rel.startswith("/") or looks_like_escape(rel_raw):
        raise Forbidden(rel_raw)
    parts = rel.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise Forbidden(rel_raw)
    base = site.resolve()
    candidate = (base / rel).resolve()
    if not candidate.is_relative_to(base):
        raise Forbidden(rel_raw)
    return candidate if candidate.is_file() else None


def parse_range(header: str | None, size: int) -> tuple[int, int] | None | str:
    """(first, last) byte of a single 'bytes=' range; None to send it all;
    'unsatisfiable' for a range outside the file."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if not match or match.group(1) == match.group(2) == "":
        return None  # several ranges or another unit: answer with the whole file
    first, last = match.groups()
    if first == "":
        length = int(last)
        if length == 0 or size == 0:
            return "unsatisfiable"
        return max(0, size - length), size - 1
    start = int(first)
    end = size - 1 if last == "" else min(int(last), size - 1)
    if start >= size or end < start:
        return "unsatisfiable"
    return start, end


HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def file_response(site: Path, rel_raw: str, request):
    """The file *rel_raw* of *site* with HTTP Range; 403 outside *site*, 404 when absent."""
    from starlette.responses import PlainTextResponse, Response, StreamingResponse

    try:
        target = resolve_file(site, rel_raw)
    except (Forbidden, UnicodeDecodeError):
        return PlainTextResponse("403 Forbidden\n", 403, headers=HEADERS)
    if target is None:
        return PlainTextResponse("404 Not Found\n", 404, headers=HEADERS)
    try:
        size = target.stat().st_size
    except OSError:
        return PlainTextResponse("404 Not Found\n", 404, headers=HEADERS)
    wanted = parse_range(request.headers.get("range"), size)
    if wanted == "unsatisfiable":
        return Response(b"", 416, headers={**HEADERS, "Accept-Ranges": "bytes",
                                           "Content-Range": f"bytes */{size}"})
    start, end = wanted if wanted else (0, size - 1)
    length = end - start + 1 if size else 0
    headers = {**HEADERS, "Accept-Ranges": "bytes", "Content-Length": str(length)}
    if wanted:
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    media = TYPES.get(target.suffix.lower(), "application/octet-stream")
    status = 206 if wanted else 200
    if request.method == "HEAD":
        return Response(b"", status, headers=headers, media_type=media)
    return StreamingResponse(_chunks(target, start, length), status, headers=headers,
                             media_type=media)


def _chunks(path: Path, start: int, length: int):
    """The bytes [start, start + length) of *path*, a block at a time (the file is
    opened here: a later build renames new files over it, this keeps reading its own)."""
    with open(path, "rb") as fh:
        fh.seek(start)
        while length > 0:
            block = fh.read(min(COPY_CHUNK, length))
            if not block:
                break
            length -= len(block)
            yield block


def preview_routes(session_for) -> list:
    """The preview's routes; *session_for(request)* is the PreviewSession to show
    (None: 404).  Read-only: GET and HEAD only."""
    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import Route

    def missing():
        return PlainTextResponse("404 Not Found\n", 404, headers=HEADERS)

    def page(request):
        if session_for(request) is None:
            return missing()
        return Response((HERE / "page.html").read_bytes(), media_type="text/html; charset=utf-8",
                        headers={**HEADERS, "Content-Security-Policy": POLICY})

    def static(request):
        name = request.path_params["name"]
        if name == "catalog.js":   # the page's words, in the interface language
            return Response(catalog_js(), media_type=STATIC["preview.js"], headers=HEADERS)
        if name not in STATIC:
            return missing()
        return Response((HERE / name).read_bytes(), media_type=STATIC[name], headers=HEADERS)

    def status(request):
        session = session_for(request)
        if session is None:
            return missing()
        return Response(_json(session.state.status()), headers=HEADERS,
                        media_type="application/json; charset=utf-8")

    def data(request):
        session = session_for(request)
        body = session.state.data() if session is not None else None
        if body is None:
            return PlainTextResponse("404 Not Found: nothing built yet\n", 404, headers=HEADERS)
        return Response(body, headers=HEADERS, media_type="application/json; charset=utf-8")

    def files(request):
        session = session_for(request)
        if session is None:
            return missing()
        return file_response(session.site, request.path_params["rel"], request)

    methods = ["GET", "HEAD"]
    return [Route("/", page, methods=methods), Route("/index.html", page, methods=methods),
            Route("/static/{name}", static, methods=methods),
            Route("/api/status", status, methods=methods),
            Route("/api/data", data, methods=methods),
            Route("/files/{rel:path}", files, methods=methods)]


def _json(data) -> bytes:
    import json

    return json.dumps(data, ensure_ascii=False).encode()
