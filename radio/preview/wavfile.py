"""Reading our own 16-bit PCM WAV masters without copying them into memory.

The build writes plain RIFF/WAVE files, or BWF files with a ``bext`` chunk
before ``fmt``; this walks the chunks, finds the format and the sample data,
and maps the data read-only with numpy.  Cutting a span copies its bytes
verbatim, so an excerpt holds exactly the samples of the master.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from ..errors import BuildError

COPY_CHUNK = 1 << 20


@dataclass(frozen=True)
class WavLayout:
    data_offset: int      # byte offset of the first sample
    frames: int
    channels: int
    rate: int
    sample_bytes: int = 2

    @property
    def frame_bytes(self) -> int:
        return self.channels * self.sample_bytes

    @property
    def duration_s(self) -> float:
        return self.frames / self.rate


def read_layout(path: str | Path) -> WavLayout:
    """Find the format and the data chunk of a 16-bit PCM WAV file."""
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise BuildError(f"{path.name} is not a WAV file")
        fmt = None
        while True:
            chunk = fh.read(8)
            if len(chunk) < 8:
                raise BuildError(f"{path.name} has no audio data chunk")
            kind, size = chunk[:4], struct.unpack("<I", chunk[4:])[0]
            if kind == b"fmt ":
                fmt = struct.unpack("<HHIIHH", fh.read(16))
                fh.seek(size - 16 + (size & 1), 1)
            elif kind == b"data":
                if fmt is None or fmt[0] != 1 or fmt[5] != 16:
                    raise BuildError(f"{path.name} is not 16-bit PCM")
                channels, rate = fmt[1], fmt[2]
                available = path.stat().st_size - fh.tell()
                frames = min(size, available) // (channels * 2)
                return WavLayout(fh.tell(), frames, channels, rate)
            else:
                fh.seek(size + (size & 1), 1)


def samples(path: str | Path, layout: WavLayout | None = None) -> np.ndarray:
    """The samples as a read-only ``(frames, channels)`` int16 memory map."""
    layout = layout or read_layout(path)
    if layout.frames == 0:
        return np.zeros((0, layout.channels), dtype="<i2")
    return np.memmap(path, dtype="<i2", mode="r", offset=layout.data_offset,
                     shape=(layout.frames, layout.channels))


def write_header(fh: BinaryIO, frames: int, channels: int, rate: int) -> None:
    data_size = frames * channels * 2
    fh.write(b"RIFF" + struct.pack("<I", 36 + data_size) + b"WAVE")
    fh.write(b"fmt " + struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * channels * 2,
                                   channels * 2, 16))
    fh.write(b"data" + struct.pack("<I", data_size))


def copy_span(source: str | Path, out: BinaryIO, start_frame: int, end_frame: int,
              layout: WavLayout | None = None) -> int:
    """Write a WAV holding frames [start_frame, end_frame) of *source*, byte for byte."""
    layout = layout or read_layout(source)
    start = max(0, min(start_frame, layout.frames))
    end = max(start, min(end_frame, layout.frames))
    write_header(out, end - start, layout.channels, layout.rate)
    with open(source, "rb") as fh:
        fh.seek(layout.data_offset + start * layout.frame_bytes)
        remaining = (end - start) * layout.frame_bytes
        while remaining:
            block = fh.read(min(COPY_CHUNK, remaining))
            if not block:
                raise BuildError(f"{Path(source).name} ended early")
            out.write(block)
            remaining -= len(block)
    return end - start
