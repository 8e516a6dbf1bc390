"""Reading audio images back: one streaming pass hashes every track and block.

The same pass serves our own BIN (little-endian, no shift) and an image read
back from a burned disc (``cdrdao read-cd`` writes big-endian, and the drive's
read offset shifts every sample): positions are given in the BIN's own
coordinates and translated by the shift found with ``find_offset``.
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .audiocd import read_frames
from .manifest import BLOCK_HEX
from .model import BYTES_PER_FRAME, SECTOR_BYTES, FileRecord, Manifest, TrackRecord

MAX_OFFSET_FRAMES = 3000
MIN_MATCH = 0.9            # share of probe frames that must match exactly
CHUNK_BYTES = SECTOR_BYTES * 300


@dataclass
class _Range:
    key: tuple
    start: int             # byte offsets in the BIN's coordinates
    end: int
    digest: "hashlib._Hash" = field(default_factory=hashlib.sha256)
    missing: int = 0       # bytes not present in the image (hashed as zeros)


@dataclass(frozen=True)
class ScanResult:
    size: int
    sha256: str            # of the image file itself, as stored
    digests: dict          # key → hex digest
    missing_frames: dict   # key → frames absent from the image


def audio_ranges(manifest: Manifest) -> list[tuple[tuple, int, int]]:
    """Every range the manifest has a digest for, in BIN byte offsets."""
    ranges = []
    for t in manifest.tracks:
        first = t.start_sector * SECTOR_BYTES
        ranges.append((("pcm", t.number), first, first + t.frames * BYTES_PER_FRAME))
        ranges.append((("sectors", t.number), first, first + t.length_sectors * SECTOR_BYTES))
    record: FileRecord | None = manifest.file("bin")
    if record and record.blocks:
        block = record.block_sectors * record.sector_bytes
        for index in range(len(record.blocks)):
            ranges.append((("block", index), index * block,
                           min((index + 1) * block, record.size)))
    return ranges


def scan_audio(path: Path, manifest: Manifest, shift_frames: int = 0,
               big_endian: bool = False) -> ScanResult:
    """Hash *path* over the manifest's ranges; BIN frame f is image frame f + shift."""
    base = -shift_frames * BYTES_PER_FRAME      # BIN offset of the image's first byte
    ranges = sorted((_Range(k, s, e) for k, s, e in audio_ranges(manifest)),
                    key=lambda r: r.start)
    whole = hashlib.sha256()
    for r in ranges:                              # parts before the image: zeros
        _zeros(r, r.start, min(r.end, base))
    with open(path, "rb") as fh:
        size = fh.seek(0, 2)
        fh.seek(0)
        position, waiting, active = base, list(reversed(ranges)), []
        while chunk := fh.read(CHUNK_BYTES):
            whole.update(chunk)
            if big_endian:
                chunk = np.frombuffer(chunk[:len(chunk) // 2 * 2], ">i2").astype("<i2").tobytes()
            end = position + len(chunk)
            while waiting and waiting[-1].start < end:
                active.append(waiting.pop())
            for r in active:
                lo, hi = max(r.start, position), min(r.end, end)
                if lo < hi:
                    r.digest.update(chunk[lo - position:hi - position])
            active = [r for r in active if r.end > end]
            position = end
    for r in ranges:                              # parts after the image: zeros
        _zeros(r, max(r.start, position), r.end)
    return ScanResult(size, whole.hexdigest(),
                      {r.key: r.digest.hexdigest() for r in ranges},
                      {r.key: r.missing // BYTES_PER_FRAME for r in ranges})


def _zeros(r: _Range, lo: int, hi: int) -> None:
    while lo < hi:
        step = min(hi - lo, CHUNK_BYTES)
        r.digest.update(bytes(step))
        r.missing += step
        lo += step


def block_matches(result: ScanResult, record: FileRecord) -> list[bool]:
    return [result.digests.get(("block", i), "")[:BLOCK_HEX] == digest
            for i, digest in enumerate(record.blocks)]


@dataclass(frozen=True)
class Offset:
    frames: int            # BIN frame f is image frame f + frames
    big_endian: bool
    match: float           # share of the probe that matched exactly
    track: int             # the track whose probe was found


def find_offset(path: Path, manifest: Manifest,
                max_frames: int = MAX_OFFSET_FRAMES) -> Offset | None:
    """Find the read offset and byte order from the first track that is not silent."""
    with open(path, "rb") as fh:
        size = fh.seek(0, 2)
        for track in manifest.tracks:
            probe = np.frombuffer(base64.b64decode(track.probe_pcm), "<u4")
            if not probe.any():
                continue
            window = read_frames(fh, track.probe_frame - max_frames,
                                 len(probe) + 2 * max_frames, size)
            return _best_offset(window, probe, max_frames, track)
    return None


def _best_offset(window: bytes, probe: np.ndarray, max_frames: int,
                 track: TrackRecord) -> Offset | None:
    best: Offset | None = None
    for big in (False, True):
        samples = np.frombuffer(window, ">i2" if big else "<i2").astype("<i2")
        frames = samples.view("<u4")
        views = np.lib.stride_tricks.sliding_window_view(frames, len(probe))
        scores = (views == probe).sum(axis=1)
        index = int(np.argmax(scores))
        match = float(scores[index]) / len(probe)
        if best is None or match > best.match:
            best = Offset(index - max_frames, big, match, track.number)
    return best if best and best.match >= MIN_MATCH else None
