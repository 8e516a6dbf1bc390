"""Writing the site: a file is rewritten only when its bytes change."""
from __future__ import annotations

from pathlib import Path

from ..fsio import atomic_open, write_bytes


class SiteWriter:
    def __init__(self, root: Path):
        self.root = root
        self.written: list[str] = []
        self.unchanged: list[str] = []
        self.removed: list[str] = []

    def _same(self, path: Path, data: bytes) -> bool:
        try:
            return path.stat().st_size == len(data) and path.read_bytes() == data
        except OSError:
            return False

    def write(self, relative: str, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        path = self.root / relative
        if self._same(path, data):
            self.unchanged.append(relative)
            return
        write_bytes(path, data)
        self.written.append(relative)

    def remove(self, relative: str) -> None:
        """Remove a file this site no longer has, and its folder once empty."""
        path = self.root / relative
        try:
            path.unlink()
        except FileNotFoundError:
            return
        self.removed.append(relative)
        if path.parent != self.root:
            try:
                path.parent.rmdir()
            except OSError:   # something else is still in it (a file someone put there)
                pass

    def copy(self, relative: str, source: Path) -> None:
        """Copy a (large) file in chunks, unless the copy already has its bytes."""
        path = self.root / relative
        if _same_file(path, source):
            self.unchanged.append(relative)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(source, "rb") as src, atomic_open(path) as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
        self.written.append(relative)


def _same_file(first: Path, second: Path) -> bool:
    try:
        if first.stat().st_size != second.stat().st_size:
            return False
        with open(first, "rb") as a, open(second, "rb") as b:
            while True:
                x, y = a.read(1 << 20), b.read(1 << 20)
                if x != y:
                    return False
                if not x:
                    return True
    except OSError:
        return False
