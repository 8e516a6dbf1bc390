"""The one WAV module: writing the masters and reading any PCM WAV without loading it.

Writing: ``WavWriter`` streams 16-bit blocks behind a header written first (the
length is known from the timeline), optionally as a BWF whose ``bext`` loudness
fields (EBU Tech 3285 v2) are filled in after mastering, when they are measured;
``header`` is the plain 44-byte header.  Reading: ``read_layout`` walks the chunk
headers to the format and the data, ``samples`` maps the data read-only,
``iter_frames`` streams it in blocks and ``copy_span`` cuts a span byte for byte.
Used by the build (masters), the disc (its audio track), the preview (excerpts,
waveform) and the sources (a recording's announced length).
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

import numpy as np

from ..errors import UserError
from ..i18n import _l

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


def header(frames: int, channels: int, rate: int) -> bytes:
    """The 44-byte header of a plain 16-bit PCM WAV holding *frames* frames."""
    data_size = frames * channels * 2
    return (b"RIFF" + struct.pack("<I", 36 + data_size) + b"WAVE"
            + b"fmt " + struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * channels * 2,
                                    channels * 2, 16)
            + b"data" + struct.pack("<I", data_size))


class WavWriter:
    """Write int16 stereo blocks to an open binary file.  Each block reaches the
    file before ``written`` counts it, so another thread may read the frames
    written so far back from the file (:class:`WrittenFrames`); *writeback* (an
    :class:`~radio.fsio.Writeback`) is told of each."""

    def __init__(self, fh: BinaryIO, frames: int, bext: BextInfo | None = None,
                 writeback=None):
        self.fh = fh
        self.frames = frames
        self.bext = bext
        self.written = 0
        self._writeback = writeback   # an fsio.Writeback told of every block
        extra = 8 + BEXT_SIZE if bext else 0
        head = header(frames, CHANNELS, RATE)
        fh.write(head[:4] + struct.pack("<I", 36 + extra + frames * CHANNELS * 2) + head[8:12])
        if bext:
            self._bext_at = fh.tell()
            fh.write(bext_chunk(bext, None))
        fh.write(head[12:])
        self.data_offset = fh.tell()

    def write(self, block: np.ndarray) -> None:
        block = np.ascontiguousarray(block, dtype="<i2")
        self.fh.write(block.data)
        self.fh.flush()
        self.written += len(block)
        if self._writeback is not None:
            self._writeback.wrote(self.data_offset + self.written * CHANNELS * 2)

    def finish(self, loudness: dict | None = None) -> None:
        if self.written != self.frames:
            raise RuntimeError(f"WAV length mismatch: {self.written} != {self.frames}")
        if self.bext:
            end = self.fh.tell()
            self.fh.seek(self._bext_at)
            self.fh.write(bext_chunk(self.bext, loudness))
            self.fh.seek(end)


class WrittenFrames:
    """The frames a :class:`WavWriter` has written so far, read back from its file
    (at *path*, through a handle of our own) on another thread."""

    def __init__(self, writer: WavWriter, path: str | Path):
        self._writer, self._path = writer, path
        self._fh: BinaryIO | None = None

    def read(self, first: int, count: int) -> np.ndarray | None:
        """Frames ``first .. first + count - 1`` as int16 ``(count, 2)``, or None
        while the writer has not written them all."""
        if first < 0 or first + count > self._writer.written:
            return None
        try:   # a reader that fails only costs the caller its shortcut
            if self._fh is None:
                self._fh = open(self._path, "rb")
            self._fh.seek(self._writer.data_offset + first * CHANNELS * 2)
            data = self._fh.read(count * CHANNELS * 2)
        except OSError:
            return None
        if len(data) != count * CHANNELS * 2:
            return None
        return np.frombuffer(data, dtype="<i2").reshape(count, CHANNELS)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


# reading ------------------------------------------------------------------------------

PCM = 1
EXTENSIBLE = 0xFFFE
_PCM_GUID_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
BLOCK_BYTES = 1 << 20


class WavError(UserError):
    """A file that is not the WAV it should be (its path and line are in the problem)."""


@dataclass(frozen=True)
class WavLayout:
    """Where a WAV's samples are and what they are, read from its chunk headers."""

    path: Path
    tag: int              # 1 = PCM (WAVE_FORMAT_EXTENSIBLE resolved to its sub-format)
    channels: int
    rate: int
    bits: int
    block_align: int      # bytes per frame, as the header states it
    data_offset: int      # byte offset of the first sample
    declared_bytes: int | None   # what the data chunk announces (None: streamed, no length)
    available_bytes: int  # what the file holds from data_offset on

    @property
    def frame_bytes(self) -> int:
        return self.block_align or self.channels * self.bits // 8

    @property
    def data_bytes(self) -> int:
        """The samples there are: the announced length, or the rest of a streamed WAV."""
        if self.declared_bytes is None:
            return self.available_bytes
        return min(self.declared_bytes, self.available_bytes)

    @property
    def frames(self) -> int:
        return self.data_bytes // self.frame_bytes if self.frame_bytes else 0

    @property
    def truncated(self) -> bool:
        return self.declared_bytes is not None and self.declared_bytes > self.available_bytes

    @property
    def declared_s(self) -> float | None:
        """The length the data chunk announces (None for a streamed WAV without one)."""
        if self.declared_bytes is None or not self.block_align or not self.rate:
            return None
        return self.declared_bytes / self.block_align / self.rate

    @property
    def duration_s(self) -> float:
        return self.frames / self.rate


def read_layout(path: str | Path, hint: str | None = None) -> WavLayout:
    """Walk the chunks (``bext``, ``LIST``, ``JUNK``... wherever they sit) to the
    format and the data; read no sample.  Raises WavError (with *hint*)."""
    path = Path(path)
    with open(path, "rb") as fh:
        size = fh.seek(0, 2)
        fh.seek(0)
        head = fh.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise WavError(_l("not a RIFF/WAVE file"), path=path, hint=hint)
        fmt: bytes | None = None
        pos = 12
        while pos + 8 <= size:
            fh.seek(pos)
            chunk_id, chunk_size = struct.unpack("<4sI", fh.read(8))
            body = pos + 8
            if chunk_id == b"fmt ":
                fmt = fh.read(min(chunk_size, 64))
            elif chunk_id == b"data":
                if fmt is None:
                    raise WavError(_l("the WAV has its data before its format chunk"), path=path,
                                   hint=hint)
                declared = None if chunk_size in (0, 0xFFFFFFFF) else chunk_size
                return _layout(path, fmt, body, declared, size - body, hint)
            pos = body + chunk_size + (chunk_size & 1)   # chunks are word-aligned
    missing = _l("the WAV has no data chunk") if fmt else _l("the WAV has no format chunk")
    raise WavError(missing, path=path, hint=hint)


def _layout(path: Path, fmt: bytes, offset: int, declared: int | None, available: int,
            hint: str | None) -> WavLayout:
    if len(fmt) < 16:
        raise WavError(_l("the WAV format chunk is too short"), path=path, hint=hint)
    tag, channels, rate, _, align, bits = struct.unpack("<HHIIHH", fmt[:16])
    if tag == EXTENSIBLE and len(fmt) >= 40 and fmt[26:40] == _PCM_GUID_TAIL:
        tag = struct.unpack("<H", fmt[24:26])[0]
    return WavLayout(path, tag, channels, rate, bits, align, offset, declared, available)


def require_pcm16(layout: WavLayout) -> WavLayout:
    """*layout*, when its samples are 16-bit PCM; else a WavError."""
    if layout.tag != PCM or layout.bits != 16 or layout.frame_bytes != 2 * layout.channels:
        raise WavError(_l("the WAV is not 16-bit PCM (format {tag}, {bits}-bit)",
                          tag=layout.tag, bits=layout.bits), path=layout.path,
                       hint=_l("export it as 16-bit PCM WAV, or build the episode again"))
    return layout


def samples(layout: WavLayout) -> np.ndarray:
    """The 16-bit samples as a read-only ``(frames, channels)`` memory map."""
    require_pcm16(layout)
    if layout.frames == 0:
        return np.zeros((0, layout.channels), dtype="<i2")
    return np.memmap(layout.path, dtype="<i2", mode="r", offset=layout.data_offset,
                     shape=(layout.frames, layout.channels))


def iter_frames(layout: WavLayout, first_frame: int, frames: int,
                block_bytes: int = BLOCK_BYTES) -> Iterator[bytes]:
    """Yield the bytes of *frames* frames from *first_frame*, in blocks of whole frames."""
    remaining = frames * layout.frame_bytes
    block_bytes -= block_bytes % layout.frame_bytes
    with open(layout.path, "rb") as fh:
        fh.seek(layout.data_offset + first_frame * layout.frame_bytes)
        while remaining:
            block = fh.read(min(block_bytes, remaining))
            if not block:
                raise WavError(_l("the WAV ended {frames} frames early while it was read",
                                  frames=remaining // layout.frame_bytes), path=layout.path,
                               hint=_l("do not change the file while it is read, and run "
                                       "the command again"))
            remaining -= len(block)
            yield block


def copy_span(layout: WavLayout, out: BinaryIO, start_frame: int, end_frame: int) -> int:
    """Write a WAV holding frames [start_frame, end_frame) of *layout*, byte for byte."""
    require_pcm16(layout)
    start = max(0, min(start_frame, layout.frames))
    end = max(start, min(end_frame, layout.frames))
    out.write(header(end - start, layout.channels, layout.rate))
    for block in iter_frames(layout, start, end - start):
        out.write(block)
    return end - start
