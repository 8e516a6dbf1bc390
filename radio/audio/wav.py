"""Streaming WAV writer: 44.1 kHz 16-bit stereo, optionally a BWF with `bext`.

The header is written first (the length is known from the timeline) and the
`bext` loudness fields are filled in after mastering, when they are measured.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

RATE = 44100
CHANNELS = 2
BEXT_SIZE = 602  # EBU Tech 3285 v2 fixed part, no coding history


@dataclass(frozen=True)
class BextInfo:
    description: str
    originator: str
    reference: str
    date: str            # yyyy-mm-dd
    time: str = "00:00:00"


def _ascii(text: str, size: int) -> bytes:
    from ..textfold import ascii_fold

    return ascii_fold(text).encode("ascii", "replace")[:size].ljust(size, b"\0")


def bext_chunk(info: BextInfo, loudness: dict | None) -> bytes:
    def centi(value, fallback=0x7FFF):
        return fallback if value is None or not np.isfinite(value) else int(round(value * 100))

    loud = loudness or {}
    body = (_ascii(info.description, 256) + _ascii(info.originator, 32)
            + _ascii(info.reference, 32) + info.date.encode()[:10].ljust(10, b"\0")
            + info.time.encode()[:8].ljust(8, b"\0") + struct.pack("<IIH", 0, 0, 2)
            + b"\0" * 64
            + struct.pack("<hhhhh", centi(loud.get("integrated_lufs")),
                          centi(loud.get("range_lu")), centi(loud.get("true_peak_dbtp")),
                          centi(loud.get("max_momentary_lufs")),
                          centi(loud.get("max_short_term_lufs")))
            + b"\0" * 180)
    assert len(body) == BEXT_SIZE
    return b"bext" + struct.pack("<I", BEXT_SIZE) + body


class WavWriter:
    """Write int16 stereo blocks to an open binary file."""

    def __init__(self, fh: BinaryIO, frames: int, bext: BextInfo | None = None):
        self.fh = fh
        self.frames = frames
        self.bext = bext
        self.written = 0
        data_size = frames * CHANNELS * 2
        extra = 8 + BEXT_SIZE if bext else 0
        fh.write(b"RIFF" + struct.pack("<I", 4 + 8 + 16 + extra + 8 + data_size) + b"WAVE")
        if bext:
            self._bext_at = fh.tell()
            fh.write(bext_chunk(bext, None))
        fh.write(b"fmt " + struct.pack("<IHHIIHH", 16, 1, CHANNELS, RATE,
                                       RATE * CHANNELS * 2, CHANNELS * 2, 16))
        fh.write(b"data" + struct.pack("<I", data_size))

    def write(self, block: np.ndarray) -> None:
        block = np.ascontiguousarray(block, dtype="<i2")
        self.fh.write(block.data)
        self.written += len(block)

    def finish(self, loudness: dict | None = None) -> None:
        if self.written != self.frames:
            raise RuntimeError(f"WAV length mismatch: {self.written} != {self.frames}")
        if self.bext:
            end = self.fh.tell()
            self.fh.seek(self._bext_at)
            self.fh.write(bext_chunk(self.bext, loudness))
            self.fh.seek(end)
