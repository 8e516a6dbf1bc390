"""A spool: mastered-so-far audio kept on disk between the two mastering passes.

The first pass filters the mixed programme (high-pass, dual mono, band limit)
to measure it; the spool keeps that result so the second pass starts from it
instead of mixing and filtering the whole programme again.  It is an anonymous
temporary file (nothing to clean up, even after a crash) holding float32
frames: one channel when the programme is dual mono (L = R exactly), so an hour
takes 635 MB of disk and nothing of the process's memory.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Iterator

import numpy as np

from ..fsio import explain_os_error

READ_FRAMES = 65536


class Spool:
    def __init__(self, folder: Path, mono: bool = False):
        self.mono = mono
        self.frames = 0
        self._folder = folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._fh = tempfile.TemporaryFile(dir=folder, prefix=".spool-")
        except OSError as exc:
            raise explain_os_error(exc, folder) from exc

    def write(self, block: np.ndarray) -> None:
        """Append float32 ``(n, 2)`` frames (with ``mono``, their left channel)."""
        block = np.asarray(block, dtype=np.float32)
        if self.mono:
            if not np.array_equal(block[:, 0], block[:, 1]):
                raise ValueError("a mono spool was given two different channels")
            block = block[:, 0]
        try:
            self._fh.write(np.ascontiguousarray(block, dtype="<f4").data)
        except OSError as exc:
            raise explain_os_error(exc, self._folder) from exc
        self.frames += len(block)

    def blocks(self, frames: int = READ_FRAMES) -> Iterator[np.ndarray]:
        """Every frame written so far, from the start, as float32 ``(n, 2)`` blocks
        (each a new array)."""
        width = 1 if self.mono else 2
        self._fh.flush()
        self._fh.seek(0)
        left = self.frames
        while left:
            count = min(frames, left)
            block = np.empty((count, width), dtype="<f4")
            got = self._fh.readinto(memoryview(block).cast("B"))
            if got != block.nbytes:
                raise OSError(f"the spool file ended {left - got // block.itemsize // width} "
                              "frames early")
            left -= count
            yield np.repeat(block, 2, axis=1) if self.mono else block

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> "Spool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
