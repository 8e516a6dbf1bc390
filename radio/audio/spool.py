"""A spool: mastered-so-far audio kept on disk between the two mastering passes.

The first pass filters the mixed programme (dual mono, high-pass, band limit)
to measure it; the spool keeps that result so the second pass starts from it
instead of mixing and filtering the whole programme again.  It is an anonymous
temporary file (nothing to clean up, even after a crash) holding float32
frames as they were written: one channel for a dual-mono programme (the master
works on that one channel), so an hour takes 635 MB of disk and nothing of the
process's memory.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Iterator

import numpy as np

from ..fsio import explain_os_error

READ_FRAMES = 65536


class Spool:
    def __init__(self, folder: Path, channels: int = 2):
        self.channels = channels
        self.frames = 0
        self._folder = folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._fh = tempfile.TemporaryFile(dir=folder, prefix=".spool-")
        except OSError as exc:
            raise explain_os_error(exc, folder) from exc

    def write(self, block: np.ndarray) -> None:
        """Append float32 ``(n, channels)`` frames."""
        block = np.asarray(block, dtype=np.float32)
        if block.ndim != 2 or block.shape[1] != self.channels:
            raise ValueError(f"a {self.channels}-channel spool was given {block.shape}")
        try:
            self._fh.write(np.ascontiguousarray(block, dtype="<f4").data)
        except OSError as exc:
            raise explain_os_error(exc, self._folder) from exc
        self.frames += len(block)

    def blocks(self, frames: int = READ_FRAMES) -> Iterator[np.ndarray]:
        """Every frame written so far, from the start, as float32 ``(n, channels)``
        blocks (each a new array)."""
        self._fh.flush()
        self._fh.seek(0)
        left = self.frames
        while left:
            count = min(frames, left)
            block = np.empty((count, self.channels), dtype="<f4")
            got = self._fh.readinto(memoryview(block).cast("B"))
            if got != block.nbytes:
                short = left - got // (4 * self.channels)
                raise OSError(f"the spool file ended {short} frames early")
            left -= count
            yield block

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> "Spool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
