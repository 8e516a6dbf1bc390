"""A polling file watcher: no dependencies, no threads, nothing platform-specific.

It compares (modification time, size) of every file under the production's
sources every ``interval_s``; once something differs it waits until nothing
has changed for ``settle_s`` (editors save in several steps, copies of large
recordings take a while) and then reports the changed paths.
"""
from __future__ import annotations

import fnmatch
import os
import time
from pathlib import Path

from ..fsio import TMP_MARK

WATCHED_DIRS = ("scripts", "audio_assets", "takes")
WATCHED_FILES = ("radio.toml", "pronunciations.tsv")
# written by the build itself (paragraph ids, take sidecars): not an edit to rebuild for
BUILD_WRITES = ("takes/*/ids.tsv", "takes/*/p*.json")

Snapshot = dict[str, tuple[int, int]]


def _ignored(name: str) -> bool:
    """Editor swap files, backups and our own temporary files."""
    return (name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp"))
            or TMP_MARK in name)


class Watcher:
    def __init__(self, root: Path, settle_s: float = 0.5, interval_s: float = 0.25,
                 sleep=time.sleep):
        self.root = Path(root)
        self.settle_s = settle_s
        self.interval_s = interval_s
        self.sleep = sleep
        self.snapshot = self.scan()

    def scan(self) -> Snapshot:
        found: Snapshot = {}
        for name in WATCHED_FILES:
            self._add(found, self.root / name)
        for name in WATCHED_DIRS:
            top = self.root / name
            for folder, dirs, files in os.walk(top):
                dirs[:] = sorted(d for d in dirs if not _ignored(d))
                for file in files:
                    if not _ignored(file):
                        self._add(found, Path(folder) / file)
        return found

    def _add(self, found: Snapshot, path: Path) -> None:
        try:
            st = path.stat()
        except OSError:
            return
        found[path.relative_to(self.root).as_posix()] = (st.st_mtime_ns, st.st_size)

    def poll(self) -> list[str]:
        """Changed paths since the last report (not waiting for them to settle)."""
        return changed_paths(self.snapshot, self.scan())

    def absorb(self, patterns=BUILD_WRITES) -> None:
        """Accept the current state of the files the build writes (after a build)."""
        now = self.scan()
        for path in self.snapshot.keys() | now.keys():
            if any(fnmatch.fnmatchcase(path, pattern) for pattern in patterns):
                if path in now:
                    self.snapshot[path] = now[path]
                else:
                    self.snapshot.pop(path, None)

    def wait(self) -> list[str]:
        """Block until something changed and settled; return what changed."""
        while True:
            self.sleep(self.interval_s)
            now = self.scan()
            if now == self.snapshot:
                continue
            while True:
                self.sleep(self.settle_s)
                later = self.scan()
                if later == now:
                    break
                now = later
            changed = changed_paths(self.snapshot, now)
            self.snapshot = now
            if changed:
                return changed


def changed_paths(before: Snapshot, after: Snapshot) -> list[str]:
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
