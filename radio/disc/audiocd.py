"""The audio CD: a raw BIN written by us, with a CUE sheet and a cdrdao TOC.

Layout (Red Book, as DESIGN.md says): 16-bit little-endian 44.1 kHz stereo,
each track zero-padded to whole 2352-byte sectors; the gap before tracks 2..n
is silence inside the BIN (CUE ``INDEX 00``/``INDEX 01``, TOC ``START``);
track 1's 2-second pregap is implicit (no ``PREGAP``: cdrdao would add 150
more blocks).  cdrdao reads raw files as big-endian, so every TOC ``FILE``
says ``SWAP``.
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

from ..audio.wav import WavLayout, iter_frames
from ..fsio import update_both
from ..i18n import _, language
from .model import (BYTES_PER_FRAME, SECTOR_BYTES, SECTOR_FRAMES, DiscPlan, DiscSpec,
                    PlannedTrack, TrackRecord)
from .names import CD_TEXT_MAX, cd_text

SILENCE_THRESHOLD = 64      # |sample| at or above this is "not silent" (about −54 dBFS)
PROBE_LEAD_FRAMES = 32      # frames before the first loud one kept in the probe
PROBE_FRAMES = 512          # frames in a probe


@dataclass(frozen=True)
class WrittenTrack:
    track: PlannedTrack
    pcm_sha256: str
    sectors_sha256: str
    onset_frame: int        # first loud frame, counted from the start of the BIN


def write_bin(plan: DiscPlan, wavs: dict[str, WavLayout],
              out: BinaryIO) -> list[WrittenTrack]:
    """Stream every track (gap, samples, padding) into *out*; hash as we go."""
    written = []
    for track in plan.tracks:
        out.write(bytes(track.gap_sectors * SECTOR_BYTES))
        pcm, sectors = hashlib.sha256(), hashlib.sha256()
        onset, done = None, 0
        for block in iter_frames(wavs[track.source], track.first_frame, track.frames):
            out.write(block)
            update_both(pcm, sectors, block)
            if onset is None:
                loud = _first_loud(block)
                onset = None if loud is None else done + loud
            done += len(block) // BYTES_PER_FRAME
        padding = bytes(track.length_sectors * SECTOR_BYTES - track.frames * BYTES_PER_FRAME)
        out.write(padding)
        sectors.update(padding)
        start = track.start_sector * SECTOR_FRAMES
        written.append(WrittenTrack(track, pcm.hexdigest(), sectors.hexdigest(),
                                    start + (onset or 0)))
    return written


def _first_loud(block: bytes) -> int | None:
    samples = np.frombuffer(block, dtype="<i2").astype(np.int32)
    loud = np.flatnonzero(np.abs(samples) >= SILENCE_THRESHOLD)
    return int(loud[0]) // 2 if loud.size else None


def read_frames(fh: BinaryIO, first: int, count: int, size: int) -> bytes:
    """*count* frames from frame *first* of a raw file, zeros outside it."""
    out = bytearray(count * BYTES_PER_FRAME)
    lo, hi = max(first, 0), min(first + count, size // BYTES_PER_FRAME)
    if hi > lo:
        fh.seek(lo * BYTES_PER_FRAME)
        data = fh.read((hi - lo) * BYTES_PER_FRAME)
        at = (lo - first) * BYTES_PER_FRAME
        out[at:at + len(data)] = data
    return bytes(out)


def track_records(written: list[WrittenTrack], bin_path) -> list[TrackRecord]:
    """Manifest records; the probes are read back from the finished BIN."""
    records = []
    with open(bin_path, "rb") as fh:
        size = fh.seek(0, 2)
        for item in written:
            t = item.track
            probe_frame = item.onset_frame - PROBE_LEAD_FRAMES
            probe = read_frames(fh, probe_frame, PROBE_FRAMES, size)
            records.append(TrackRecord(
                number=t.number, title=t.title, ascii_title=t.ascii_title,
                performer=t.performer, source=t.source, chapter=t.chapter,
                duration_s=round(t.duration_s, 3), frames=t.frames,
                gap_sectors=t.gap_sectors, start_sector=t.start_sector,
                length_sectors=t.length_sectors, pcm_sha256=item.pcm_sha256,
                sectors_sha256=item.sectors_sha256, probe_frame=probe_frame,
                probe_pcm=base64.b64encode(probe).decode("ascii"), isrc=t.isrc))
    return records


def msf(sectors: int) -> str:
    """Sectors as ``mm:ss:ff`` (75 frames per second)."""
    return f"{sectors // 4500:02d}:{sectors // 75 % 60:02d}:{sectors % 75:02d}"


def disc_text(spec: DiscSpec, plan: DiscPlan) -> tuple[str, str]:
    """CD-TEXT disc TITLE and PERFORMER (ASCII), the draft mark included."""
    title = cd_text(spec.title or plan.label)
    if plan.draft:
        with language(spec.language):
            mark = " " + cd_text(_("(DRAFT)"))
        title = cd_text(spec.title or plan.label, CD_TEXT_MAX - len(mark)) + mark
    performer = cd_text(spec.publisher) or next((t.performer for t in plan.tracks), "")
    return title, performer


def catalog_code(catalog: str) -> str:
    return catalog.zfill(13) if catalog else ""


def cue_text(spec: DiscSpec, plan: DiscPlan, edition: str) -> str:
    title, performer = disc_text(spec, plan)
    lines = [f"REM DATE {spec.date}", f'REM COMMENT "{cd_text(edition)}"']
    if spec.catalog:
        lines.append(f"CATALOG {catalog_code(spec.catalog)}")
    if performer:
        lines.append(f'PERFORMER "{performer}"')
    lines += [f'TITLE "{title}"', f'FILE "{plan.label}.bin" BINARY']
    for t in plan.tracks:
        lines += [f"  TRACK {t.number:02d} AUDIO", f'    TITLE "{t.ascii_title}"']
        if t.performer:
            lines.append(f'    PERFORMER "{t.performer}"')
        if t.isrc:
            lines.append(f"    ISRC {t.isrc}")
        if t.gap_sectors:
            lines.append(f"    INDEX 00 {msf(t.start_sector - t.gap_sectors)}")
        lines.append(f"    INDEX 01 {msf(t.start_sector)}")
    return "\n".join(lines) + "\n"


def _cd_text_block(indent: str, title: str, performer: str, language_map: bool) -> list[str]:
    lines = [f"{indent}CD_TEXT {{"]
    if language_map:
        lines += [f"{indent}  LANGUAGE_MAP {{", f"{indent}    0 : EN", f"{indent}  }}"]
    lines += [f"{indent}  LANGUAGE 0 {{", f'{indent}    TITLE "{title}"']
    if performer:
        lines.append(f'{indent}    PERFORMER "{performer}"')
    return lines + [f"{indent}  }}", f"{indent}}}"]


def toc_text(spec: DiscSpec, plan: DiscPlan, edition: str) -> str:
    """The cdrdao TOC: same layout as the CUE, samples read with SWAP."""
    title, performer = disc_text(spec, plan)
    lines = [f"// {cd_text(edition)} - {spec.date}", "CD_DA", ""]
    if spec.catalog:
        lines += [f'CATALOG "{catalog_code(spec.catalog)}"', ""]
    lines += _cd_text_block("", title, performer, True)
    for t in plan.tracks:
        lines += ["", f"// Track {t.number}", "TRACK AUDIO"]
        if t.isrc:
            lines.append(f'ISRC "{t.isrc}"')
        lines += _cd_text_block("", t.ascii_title, t.performer, False)
        begin = t.start_sector - t.gap_sectors
        lines.append(f'FILE "{plan.label}.bin" SWAP {msf(begin)} '
                     f"{msf(t.gap_sectors + t.length_sectors)}")
        if t.gap_sectors:
            lines.append(f"START {msf(t.gap_sectors)}")
    return "\n".join(lines) + "\n"
