"""`radio preview EPISODE`: build into a temporary folder, serve it, rebuild on edits.

The order matters (DESIGN.md, espeak facts): the espeak helper process is
started first, while this process has no thread; then the HTTP server thread
starts; then the main thread builds and watches.  Every build runs in the main
thread and speaks through the already running helper, so nothing ever forks
from this threaded process.

Each good build is published as ``site/v<N>/`` (hard links to the build's WAV,
report and cue sheet) with its page data; the page polls ``/api/status`` and
loads version N when it appears.  A failed build publishes nothing: the page
shows the problems (file:line, message, hint) and keeps playing the last good
version.  Ctrl-C (or SIGTERM) stops the server, closes the helper and removes
the temporary folder.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import threading
import time
import traceback
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import click

from ..config import Production, load
from ..errors import Problem, RadioError
from ..i18n import _, _l, ngettext
from ..log import Log
from ..pipeline.build import make_synthesizer
from ..pipeline.options import BuildOptions
from ..targets.report import Report
from .analysis import measure_master, page_data
from .master import build_preview, check_episode, quiet_log
from .watch import Watcher

KEEP_VERSIONS = 3   # earlier versions may still be playing in a tab for a moment


class PreviewState:
    """What the server threads read while the main thread builds (behind a lock)."""

    def __init__(self, episode: str):
        self._lock = threading.Lock()
        self._status = {"episode": episode, "version": 0, "building": False, "waiting": "",
                        "problems": [], "built_at": None, "build_s": None, "changed": []}
        self._data: bytes | None = None

    def status(self) -> dict:
        with self._lock:
            return dict(self._status)

    def data(self) -> bytes | None:
        with self._lock:
            return self._data

    @property
    def version(self) -> int:
        with self._lock:
            return self._status["version"]

    def update(self, **values) -> None:
        with self._lock:
            self._status.update(values)

    def publish(self, version: int, data: bytes) -> None:
        with self._lock:
            self._data = data
            self._status["version"] = version


def problem_dict(problem: Problem) -> dict:
    hint = problem.hint and str(problem.hint)   # in the language of this thread's user
    return {"path": problem.path, "line": problem.line, "message": str(problem.message),
            "hint": hint or None, "text": str(problem)}


class PreviewSession:
    """Builds the episode into the work folder and publishes good builds."""

    def __init__(self, root: Path, episode: str, options: BuildOptions, log: Log,
                 workdir: Path, debug: bool = False, prefix: str = "/"):
        self.root = root
        self.prefix = prefix   # where the preview's routes are mounted
        self.episode = episode
        self.options = options
        self.log = log
        self.debug = debug
        self.staging = workdir / "build"
        self.site = workdir / "site"
        self.site.mkdir(parents=True, exist_ok=True)
        self.state = PreviewState(episode)

    def rebuild(self, synth, changed: list[str] = ()) -> bool:
        """Build and publish; on failure keep the last good version and show why."""
        self.state.update(building=True, waiting="", changed=list(changed))
        started = time.monotonic()
        problems: list[Problem] = []
        rebuilt = False
        try:
            rebuilt = self._build(synth)
        except RadioError as exc:
            problems = getattr(exc, "problems", None) or [exc.problem]
        except Exception as exc:  # a bug in a stage: show it, keep serving the last mix
            if self.debug:
                traceback.print_exc()
            problems = [Problem(_l("internal error: {error}", error=repr(exc)),
                                hint=_l("run with --debug and report it to the developers"))]
        finally:
            seconds = round(time.monotonic() - started, 2)
            good = {"built_at": time.strftime("%H:%M:%S"), "build_s": seconds}
            self.state.update(building=False, waiting="",
                              problems=[problem_dict(p) for p in problems],
                              **({} if problems else good))
        if not problems:
            self.log.info(_("{episode}: version {version} ready ({seconds:.1f} s)",
                            episode=self.episode, version=self.state.version, seconds=seconds)
                          if rebuilt else
                          _("{episode}: nothing to rebuild ({seconds:.1f} s)",
                            episode=self.episode, seconds=seconds))
            return True
        for problem in problems:
            click.echo(_("error: {message}", message=problem) if problem.path is None
                       else str(problem), err=True)
        kept = self.state.version
        self.log.info(_("{episode}: the build failed; still serving version {version}",
                        episode=self.episode, version=kept) if kept else
                      _("{episode}: the build failed; nothing to serve yet",
                        episode=self.episode))
        return False

    def _build(self, synth) -> bool:
        production: Production = load(self.root)   # radio.toml may have changed
        result = build_preview(production, self.episode, synth, self.options, self.staging,
                               quiet_log(self.log), on_wait=self._waiting)
        if result.rebuilt or self.state.version == 0:
            self._publish(result.report_path)
        return result.rebuilt

    def _waiting(self) -> None:
        self.state.update(waiting=_("waiting for another radio build of this production to "
                                    "finish"))
        self.log.info(_("waiting for another radio build of this production to finish..."))

    def _publish(self, report_path: Path) -> None:
        report = Report.load(report_path)
        version = self.state.version + 1
        folder = self.site / f"v{version}"
        folder.mkdir(parents=True, exist_ok=True)
        for name in report.files.values():
            _link_or_copy(report_path.parent / name, folder / name)
        wav_name = report.files["wav"]
        measured = measure_master(folder / wav_name)
        audio = f"{self.prefix}files/v{version}/{quote(wav_name)}"
        data = page_data(report, measured, audio, version)
        self.state.publish(version, json.dumps(data, ensure_ascii=False,
                                               separators=(",", ":")).encode())
        for old in self.site.iterdir():
            number = old.name[1:]
            if old.name.startswith("v") and number.isdigit() and \
                    int(number) <= version - KEEP_VERSIONS:
                shutil.rmtree(old, ignore_errors=True)


def _link_or_copy(source: Path, target: Path) -> None:
    """Hard-link (the next build renames new files over the staging ones, so the
    link keeps this version's bytes); copy where links are not possible."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _serve(root: Path, session: PreviewSession, port: int, verbose: bool):
    """The studio's application in read-only mode, on loopback, in a thread."""
    from ..studio.app import StudioConfig, preview_app
    from ..studio.serve import Listener, Server

    from ..i18n import current

    config = StudioConfig(root=root, read_only=True, lang=current())   # the page's language
    return Server(preview_app(config, session), Listener("127.0.0.1", port), verbose).start()


@contextmanager
def _interrupt_on_sigterm():
    """SIGTERM and SIGHUP stop the preview like Ctrl-C does (cleanly)."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    names = [s for s in ("SIGTERM", "SIGHUP") if hasattr(signal, s)]
    previous = {name: signal.signal(getattr(signal, name), interrupt) for name in names}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)


def run_preview(production: Production, episode: str, options: BuildOptions, port: int,
                open_browser: bool, log: Log, debug: bool = False) -> None:
    check_episode(production, episode)
    synth = make_synthesizer(production, options)
    synth.start()   # the espeak helper: now, while this process has no thread
    workdir = server = None
    try:
        workdir = Path(tempfile.mkdtemp(prefix="radio-preview-"))
        log.detail(_("building into {folder}", folder=workdir))
        with _interrupt_on_sigterm():
            session = PreviewSession(production.root, episode, options, log, workdir, debug)
            server = _serve(production.root, session, port, verbose=log.verbosity >= 2)
            log.info(_("preview of {episode}: {url}  (Ctrl-C to stop)", episode=episode,
                       url=server.url))
            if open_browser:
                import webbrowser

                webbrowser.open(server.url)
            watcher = Watcher(production.root)
            session.rebuild(synth)
            while True:
                watcher.absorb()   # the build's own writes under takes/ are no edit
                changed = watcher.wait()
                shown = ", ".join(changed[:3])
                log.info(ngettext("changed: {files} and {n} more — rebuilding",
                                  "changed: {files} and {n} more — rebuilding",
                                  len(changed) - 3, files=shown) if len(changed) > 3 else
                         _("changed: {files} — rebuilding", files=shown))
                session.rebuild(synth, changed)
    except KeyboardInterrupt:
        log.info(_("stopping the preview"))
    finally:
        if server is not None:
            server.stop()
        synth.close()
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
