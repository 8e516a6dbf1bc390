"""Reading the WAV masters: RIFF chunks parsed by hand, samples streamed.

We never load a whole WAV: ``read_wav_info`` reads only the chunk headers
(skipping ``bext``, ``LIST``, ``JUNK``... wherever they sit), and
``iter_frames`` yields the PCM in blocks.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import UserError, os_reason
from ..i18n import _l
from .model import BYTES_PER_FRAME, SAMPLE_RATE

BLOCK_BYTES = 1 << 20
_PCM = 1
_EXTENSIBLE = 0xFFFE
_PCM_GUID_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
_HINT = _l("export the master as 44.1 kHz, 16-bit, stereo PCM WAV (radio build does)")


@dataclass(frozen=True)
class WavInfo:
    path: Path
    data_offset: int      # byte offset of the first sample
    frames: int           # stereo 16-bit frames in the data chunk


def read_wav_info(path: Path) -> WavInfo:
    """Find ``fmt `` and ``data``; refuse anything but 44.1 kHz 16-bit stereo PCM."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            size = fh.seek(0, 2)
            fh.seek(0)
            head = fh.read(12)
            if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                raise UserError(_l("not a RIFF/WAVE file"), path=path, hint=_HINT)
            fmt, data = _scan_chunks(fh, size, path)
    except OSError as exc:
        raise UserError(_l("cannot read the WAV master: {reason}", reason=os_reason(exc)),
                        path=path, hint=_l("build the episode again with `radio build`")) from None
    _check_format(fmt, path)
    offset, length = data
    if length % BYTES_PER_FRAME:
        length -= length % BYTES_PER_FRAME
    return WavInfo(path, offset, length // BYTES_PER_FRAME)


def _scan_chunks(fh, size: int, path: Path) -> tuple[bytes, tuple[int, int]]:
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
                raise UserError(_l("the WAV has its data before its format chunk"), path=path,
                                hint=_HINT)
            if chunk_size in (0, 0xFFFFFFFF) or body + chunk_size > size:
                if chunk_size not in (0, 0xFFFFFFFF):
                    raise UserError(_l("the WAV is truncated: its data chunk announces {size} "
                                       "bytes, the file holds {held}", size=chunk_size,
                                       held=size - body),
                                    path=path, hint=_l("build the episode again"))
                chunk_size = size - body       # streamed WAV: data runs to the end
            return fmt, (body, chunk_size)
        pos = body + chunk_size + (chunk_size & 1)   # chunks are word-aligned
    raise UserError(_l("the WAV has no data chunk") if fmt else _l("the WAV has no fmt chunk"),
                    path=path, hint=_HINT)


def _check_format(fmt: bytes, path: Path) -> None:
    if len(fmt) < 16:
        raise UserError(_l("the WAV format chunk is too short"), path=path, hint=_HINT)
    tag, channels, rate, _, align, bits = struct.unpack("<HHIIHH", fmt[:16])
    if tag == _EXTENSIBLE and len(fmt) >= 40 and fmt[26:40] == _PCM_GUID_TAIL:
        tag = struct.unpack("<H", fmt[24:26])[0]
    if (tag, channels, rate, bits, align) != (_PCM, 2, SAMPLE_RATE, 16, 4):
        raise UserError(_l("an audio CD needs 44.1 kHz 16-bit stereo PCM; this WAV is format "
                           "{tag}, {channels} channel(s), {rate} Hz, {bits}-bit", tag=tag,
                           channels=channels, rate=rate, bits=bits), path=path, hint=_HINT)


def iter_frames(info: WavInfo, first_frame: int, frames: int,
                block_bytes: int = BLOCK_BYTES) -> Iterator[bytes]:
    """Yield the little-endian PCM of *frames* frames from *first_frame*, in blocks."""
    remaining = frames * BYTES_PER_FRAME
    block_bytes -= block_bytes % BYTES_PER_FRAME
    with open(info.path, "rb") as fh:
        fh.seek(info.data_offset + first_frame * BYTES_PER_FRAME)
        while remaining:
            block = fh.read(min(block_bytes, remaining))
            if not block:
                raise UserError(_l("the WAV master ended {frames} frames early while being "
                                   "copied", frames=remaining // BYTES_PER_FRAME),
                                path=info.path,
                                hint=_l("do not change the masters while the disc is built"))
            remaining -= len(block)
            yield block
