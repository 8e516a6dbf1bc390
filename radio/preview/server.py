"""The preview's HTTP server: 127.0.0.1 only, the page, a JSON API and the built files.

Routes (GET and HEAD):
  /                     the page (page.html), /static/{i18n,draw,preview}.js, preview.css
  /static/catalog.js    the page's messages in the interface language (texts.catalog_js)
  /api/status           {version, building, problems, ...}: the page polls it every second
  /api/data             the current build's peaks, loudness, segments (analysis.page_data)
  /files/v<N>/<name>    a file of build N, with HTTP Range (browsers seek audio with it)

Files are served only from inside the site folder: a path with ``..`` in any
spelling (raw, %2e%2e, double-encoded %252e%252e), a backslash, an absolute path
or a symlink leading out is refused with 403.  The Host header must name this
machine's loopback, so a web page elsewhere cannot read the preview through DNS
rebinding.
"""
from __future__ import annotations

import errno
import json
import os
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

from ..errors import UserError, os_reason
from ..i18n import _l
from .texts import catalog_js

HOST = "127.0.0.1"
HERE = Path(__file__).parent
STATIC = {
    "/": ("page.html", "text/html; charset=utf-8"),
    "/index.html": ("page.html", "text/html; charset=utf-8"),
    "/static/preview.js": ("preview.js", "text/javascript; charset=utf-8"),
    "/static/i18n.js": ("i18n.js", "text/javascript; charset=utf-8"),
    "/static/draw.js": ("draw.js", "text/javascript; charset=utf-8"),
    "/static/preview.css": ("preview.css", "text/css; charset=utf-8"),
}
TYPES = {".wav": "audio/wav", ".json": "application/json; charset=utf-8",
         ".txt": "text/plain; charset=utf-8"}
POLICY = ("default-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; "
          "style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'none'; "
          "frame-ancestors 'none'")
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


class PreviewHandler(BaseHTTPRequestHandler):
    server_version = "radio-preview"
    protocol_version = "HTTP/1.1"

    # -- plumbing ------------------------------------------------------------
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        if self.server.verbose:
            super().log_message(format, *args)

    def _send(self, status: int, body: bytes, content_type: str, head: bool = False,
              extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _error(self, status: int, message: str, head: bool = False) -> None:
        self._send(status, f"{status} {message}\n".encode(), "text/plain; charset=utf-8", head)

    def _json(self, data, head: bool) -> None:
        body = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()
        self._send(200, body, "application/json; charset=utf-8", head)

    def _host_ok(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        port = self.server.server_address[1]
        return host in {HOST, "localhost", f"{HOST}:{port}", f"localhost:{port}"}

    # -- routes --------------------------------------------------------------
    def do_HEAD(self) -> None:
        self._route(head=True)

    def do_GET(self) -> None:
        self._route(head=False)

    def _route(self, head: bool) -> None:
        try:
            path = self.path.split("#", 1)[0].split("?", 1)[0]
            if not self._host_ok():
                return self._error(403, "Forbidden: unexpected Host header", head)
            if looks_like_escape(path):
                return self._error(403, "Forbidden", head)
            app = self.server.app
            if path == "/static/catalog.js":   # the page's words, in the interface language
                return self._send(200, catalog_js(), "text/javascript; charset=utf-8", head)
            if path in STATIC:
                name, content_type = STATIC[path]
                extra = {"Content-Security-Policy": POLICY} if name.endswith(".html") else None
                return self._send(200, (HERE / name).read_bytes(), content_type, head, extra)
            if path == "/api/status":
                return self._json(app.state.status(), head)
            if path == "/api/data":
                data = app.state.data()
                if data is None:
                    return self._error(404, "Not Found: nothing built yet", head)
                return self._json(data, head)
            if path.startswith("/files/"):
                return self._file(app.site, path[len("/files/"):], head)
            return self._error(404, "Not Found", head)
        except Forbidden:
            self._error(403, "Forbidden", head)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _file(self, site: Path, rel_raw: str, head: bool) -> None:
        try:
            target = resolve_file(site, rel_raw)
        except UnicodeDecodeError:
            raise Forbidden(rel_raw) from None
        if target is None:
            return self._error(404, "Not Found", head)
        try:
            fh = open(target, "rb")
        except OSError:
            return self._error(404, "Not Found", head)
        with fh:
            size = os.fstat(fh.fileno()).st_size
            wanted = parse_range(self.headers.get("Range"), size)
            if wanted == "unsatisfiable":
                return self._send(416, b"", "text/plain", head,
                                  {"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes"})
            start, end = wanted if wanted else (0, size - 1)
            length = end - start + 1 if size else 0
            self.send_response(206 if wanted else 200)
            self.send_header("Content-Type", TYPES.get(target.suffix.lower(),
                                                       "application/octet-stream"))
            self.send_header("Content-Length", str(length))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Cache-Control", "no-store")
            if wanted:
                self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
            self.end_headers()
            if not head:
                fh.seek(start)
                _copy(fh, self.wfile, length)


def _copy(source, target, length: int) -> None:
    while length > 0:
        block = source.read(min(COPY_CHUNK, length))
        if not block:
            break
        target.write(block)
        length -= len(block)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, port: int, app, verbose: bool = False):
        self.app = app
        self.verbose = verbose
        try:
            super().__init__((HOST, port), PreviewHandler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UserError(_l("port {port} is already in use on {host}", port=port,
                                   host=HOST),
                                hint=_l("use another one, e.g. --port {other} (or --port 0 for "
                                        "any free port)", other=port + 1)) from None
            raise UserError(_l("cannot listen on {host}:{port}: {reason}", host=HOST, port=port,
                               reason=os_reason(exc))) from None

    def handle_error(self, request, client_address) -> None:
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError, TimeoutError)):
            return  # browsers drop audio requests all the time
        super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"
