"""uvicorn for the studio and the preview: our own listening socket (so the port is
known before serving, and 0 means any free port), HTTPS when a certificate is given."""
from __future__ import annotations

import errno
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ..i18n import _l


@dataclass(frozen=True)
class Listener:
    host: str
    port: int
    cert: Path | None = None
    key: Path | None = None

    @property
    def scheme(self) -> str:
        return "https" if self.cert else "http"

    def url(self, port: int) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{shown}:{port}/"


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UserError(_l("port {port} is already in use on {host}", port=port, host=host),
                            hint=_l("use another one, e.g. --port {other} (or --port 0 for any "
                                    "free port)", other=port + 1)) from None
        raise UserError(_l("cannot listen on {host}:{port}: {reason}", host=host, port=port,
                           reason=exc.strerror),
                        hint=_l("check the address given to --host")) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class Server:
    """A uvicorn server on a socket of ours, run in a thread or in the caller's."""

    def __init__(self, app, listener: Listener, verbose: bool = False):
        import uvicorn

        self.sock = bind(listener.host, listener.port)
        self.port = self.sock.getsockname()[1]
        self.url = listener.url(self.port)
        config = uvicorn.Config(app, log_level="info" if verbose else "warning",
                                access_log=verbose, lifespan="off", timeout_keep_alive=5,
                                ssl_certfile=str(listener.cert) if listener.cert else None,
                                ssl_keyfile=str(listener.key) if listener.key else None,
                                server_header=False,
                                timeout_graceful_shutdown=2)   # an idle player holds a stream open
        self.server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    def start(self) -> "Server":
        """Serve in a daemon thread; returns once it accepts connections."""
        self._thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                        name="studio-http", daemon=True)
        self._thread.start()
        import time

        for _ in range(200):
            if self.server.started or not self._thread.is_alive():
                break
            time.sleep(0.025)
        return self

    def run(self) -> None:
        """Serve in this thread until Ctrl-C (uvicorn handles the signals)."""
        self.server.run(sockets=[self.sock])

    def stop(self) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)
        self.sock.close()
