"""`radio studio`: the whole production in the browser, Vietnamese first.

One Starlette application (app.py) served by uvicorn (serve.py); `radio preview`
is its read-only mode.  The order of start-up matters (DESIGN.md, espeak): both
synthesizers' helper processes start before the first thread.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..config import Production, load
from ..errors import UserError
from ..i18n import _, _l
from ..log import Log
from ..pipeline.build import load_lexicon, make_synthesizer
from ..pipeline.options import BuildOptions


@dataclass(frozen=True)
class StudioOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    cert: Path | None = None
    key: Path | None = None
    open_browser: bool = False
    lang: str = "vi"
    allow_hosts: tuple[str, ...] = ()


def page_language() -> str:
    """The page's first language: the one chosen with --lang or [ui] language, else
    Vietnamese (the studio is Vietnamese first; the page's EN button switches)."""
    import sys

    from ..i18n import configured_language, current

    chosen = "--lang" in " ".join(sys.argv) or configured_language() is not None
    return current() if chosen and current() in ("vi", "en") else "vi"


def lan_addresses(host: str) -> list[str]:
    """This machine's address on the network for a bind to all addresses ("0.0.0.0" or
    "::"): the source address of its default route (a UDP "connect" sends nothing).
    The machine's name often resolves to 127.0.1.1 only, so it cannot say it."""
    import socket

    found = []
    probes = [(socket.AF_INET, "10.255.255.255")]
    if host == "::":
        probes.append((socket.AF_INET6, "2001:db8::1"))
    for family, target in probes:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect((target, 9))
                address = probe.getsockname()[0]
            except OSError:   # no route: not on a network
                continue
        if address and not address.startswith("127.") and address != "::1":
            found.append(address)
    return found


def allowed_hosts(host: str, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The Host headers the studio answers: loopback, the bound address, this machine's
    names and addresses when bound to all of them, and what --allow-host adds."""
    import socket

    hosts = {"127.0.0.1", "localhost", "::1", host, *extra}
    if host in ("0.0.0.0", "::"):
        names = {socket.gethostname(), socket.getfqdn()}
        hosts |= names | set(lan_addresses(host))   # what colleagues type: 192.168.1.20
        for name in names:
            try:
                hosts |= {info[4][0] for info in socket.getaddrinfo(name, None)}
            except OSError:
                pass
    hosts = {h for h in hosts if h and h not in ("0.0.0.0", "::")}
    # a Host header names an IPv6 address in brackets ("[::1]:8000"), as the URL does
    hosts |= {f"[{h.split('%')[0]}]" for h in hosts if ":" in h and not h.startswith("[")}
    return tuple(sorted(hosts))


def prepare(production: Production, options: StudioOptions, log: Log):
    """(listener, password hash or None): refuses a LAN bind without a password."""
    from .security import ENV_PASSWORD, is_loopback, stored_password
    from .serve import Listener
    from .tls import certificate, fingerprint

    password = stored_password(production.state_dir)
    if is_loopback(options.host):
        cert, key = options.cert, options.key
        if cert is not None or key is not None:   # checked before anything is served
            cert, key = certificate(production.state_dir, options.host, cert, key)
        return Listener(options.host, options.port, cert, key), password
    if password is None:
        raise UserError(_l("the studio will not listen on {host} without a password",
                           host=options.host),
                        hint=_l("set one with `radio studio --set-password` (or the {variable} "
                                "environment variable); without --host it listens on this "
                                "computer only", variable=ENV_PASSWORD))
    cert, key = certificate(production.state_dir, options.host, options.cert, options.key)
    log.info(_("HTTPS certificate: {cert} (SHA-256 fingerprint {fingerprint})",
               cert=production.rel(cert), fingerprint=fingerprint(cert)))
    return Listener(options.host, options.port, cert, key), password


def make_app(production: Production, config_values: dict, password: str | None,
             build_synth, ear_synth, workdir: Path, log: Log):
    """(the studio's application, its live previews): everything but the server."""
    from .app import StudioConfig, create_app
    from .audition import Auditioner
    from .builds import Jobs
    from .live import LivePreviews
    from .routes import Services, studio_routes
    from .security import Guard

    live = LivePreviews(production.root, BuildOptions(), build_synth, workdir / "live", log)
    services = Services(production.root, live,
                        Auditioner(ear_synth, workdir / "audition",
                                   lambda: load_lexicon(load(production.root))),
                        Jobs(production.root), workdir / "audition")
    config = StudioConfig(root=production.root, **config_values)
    return create_app(config, Guard(password), studio_routes(services)), live


def run_studio(production: Production, options: StudioOptions, log: Log) -> None:
    from .serve import Listener, Server

    listener, password = prepare(production, options, log)
    build_synth = make_synthesizer(production, BuildOptions()).start()
    ear_synth = make_synthesizer(production, BuildOptions()).start()   # before any thread
    workdir = Path(tempfile.mkdtemp(prefix="radio-studio-"))
    live = None
    try:
        app, live = make_app(production, {
            "scheme": listener.scheme, "lang": options.lang,
            "allowed_hosts": allowed_hosts(options.host, options.allow_hosts)},
            password, build_synth, ear_synth, workdir, log)
        server = Server(app, listener, verbose=log.verbosity >= 2)
        live.start()
        url = server.url
        if options.host in ("0.0.0.0", "::") and (lan := lan_addresses(options.host)):
            url = Listener(lan[0], server.port, listener.cert, listener.key).url(server.port)
        log.info(_("radio studio: {url}  (Ctrl-C to stop)", url=url))
        if password is not None:
            log.info(_("a password is needed to log in"))
        if options.open_browser:
            import webbrowser

            webbrowser.open(url)
        server.run()
    finally:
        if live is not None:
            live.stop()
        build_synth.close()
        ear_synth.close()
        shutil.rmtree(workdir, ignore_errors=True)


def set_password_interactive(production: Production, prompt, log: Log) -> None:
    from .security import set_password

    password = prompt()
    path = set_password(production.state_dir, password)
    log.info(_("the studio's password is set ({path}, a scrypt hash)", path=production.rel(path)))
