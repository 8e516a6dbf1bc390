"""The studio's live previews: `radio preview`'s session for every episode opened.

One thread rebuilds them, with one synthesizer started before any thread (the
espeak facts in DESIGN.md): an episode is rebuilt when it is first opened, when
the studio saves it, and when a watched file changes on disk (an edit in a text
editor, a new take or recording) — as `radio preview` does.
"""
from __future__ import annotations

import queue
import threading
from pathlib import Path

from ..log import Log
from ..preview.session import PreviewSession
from ..preview.watch import Watcher


class LivePreviews:
    def __init__(self, root: Path, options, synth, workdir: Path, log: Log):
        self.root = root
        self.options = options
        self.synth = synth
        self.workdir = workdir
        self.log = Log(0) if log.verbosity < 2 else log
        self._sessions: dict[str, PreviewSession] = {}
        self._lock = threading.Lock()
        self._wanted: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    def session(self, name: str) -> PreviewSession:
        """The episode's session (made, and its first build asked for, on first use)."""
        with self._lock:
            found = self._sessions.get(name)
            if found is None:
                found = PreviewSession(self.root, name, self.options, self.log,
                                       self.workdir / name, prefix=f"/episodes/{name}/preview/")
                self._sessions[name] = found
                self._wanted.put(name)
        return found

    def existing(self, name: str) -> PreviewSession | None:
        with self._lock:
            return self._sessions.get(name)

    def master_dir(self, name: str) -> Path | None:
        """The folder of the episode's last good preview build (report + WAV)."""
        session = self.existing(name)
        if session is None or not session.state.version:
            return None
        return session.site / f"v{session.state.version}"

    def rebuild(self, name: str) -> None:
        self.session(name)
        self._wanted.put(name)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="studio-rebuild", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._wanted.put(None)

    def _loop(self) -> None:
        watcher = Watcher(self.root)
        while True:
            wanted: set[str] = set()
            try:
                first = self._wanted.get(timeout=0.5)
                if first is None:
                    return
                wanted.add(first)
                while not self._wanted.empty():
                    more = self._wanted.get_nowait()
                    if more is None:
                        return
                    wanted.add(more)
            except queue.Empty:
                pass
            changed = watcher.poll()
            if wanted or changed:
                watcher.snapshot = watcher.scan()   # our own saves are no outside edit
            if changed:
                with self._lock:
                    wanted |= set(self._sessions)
            for name in sorted(wanted):
                session = self.existing(name)
                if session is not None:
                    session.state.update(building=True)
                    session.rebuild(self.synth)
            watcher.absorb()
