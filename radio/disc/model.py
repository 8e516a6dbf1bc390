"""Plain, immutable data at the boundaries of the disc stage.

``DiscSpec`` is what the caller (``radio disc``) hands in: the finished
episodes and the disc settings.  ``DiscPlan`` is what ``plan_disc`` computes
from it without reading any audio.  ``Manifest`` is what ``write_disc`` wrote
(it is also ``manifest.json``), and ``VerifyReport`` what ``verify_image``
found.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_RATE = 44100
BYTES_PER_FRAME = 4              # 16-bit stereo
SECTOR_BYTES = 2352              # one audio-CD sector (block)
SECTOR_FRAMES = SECTOR_BYTES // BYTES_PER_FRAME   # 588 stereo frames
SECTORS_PER_SECOND = 75
ISO_SECTOR_BYTES = 2048


@dataclass(frozen=True)
class DiscChapter:
    title: str
    start_ms: int


@dataclass(frozen=True)
class DiscItem:
    name: str            # episode id, e.g. "episode1"
    number: int          # episode number (track order)
    title: str           # Vietnamese, NFC
    performer: str
    wav_path: Path       # 44.1 kHz 16-bit stereo PCM WAV master
    mp3_path: Path       # tagged MP3
    script_path: Path    # the UTF-8 script, copied onto the data disc
    duration_s: float
    chapters: tuple[DiscChapter, ...] = ()
    placeholders: int = 0   # synthesized paragraphs awaiting takes + pending cues
    pending_cues: int = 0   # of those, cues awaiting their recording (chờ=có)


@dataclass(frozen=True)
class DiscSpec:
    label: str           # volume label from settings
    title: str           # disc title (Vietnamese)
    publisher: str
    date: str            # edition date YYYY-MM-DD
    epoch: int           # pinned clock for every timestamp in the images
    draft: bool
    items: tuple[DiscItem, ...]
    track_gap_s: float = 2.0
    tracks: str = "episode"   # or "chapter"
    catalog: str = ""         # optional 12/13-digit UPC/EAN
    isrc_prefix: str = ""     # optional CC-XXX-YY
    notes: str = ""           # broadcast notes for DOCTRUOC.TXT
    language: str = "vi"      # of the texts and names on the disc: [production] language


@dataclass(frozen=True)
class PlannedTrack:
    """One audio-CD track, placed in the BIN.

    Sectors count from the start of the BIN, which is LBA 0 on the disc
    (track 1's INDEX 01).  The gap before a track (INDEX 00 .. INDEX 01) is
    silence stored in the BIN just before ``start_sector``; track 1 has none
    in the BIN because its 2-second pregap is implicit.
    """

    number: int
    title: str            # NFC, for the manifest and DOCTRUOC.TXT
    ascii_title: str      # CD-TEXT
    performer: str        # CD-TEXT (ASCII); "" when no track has one
    source: str           # DiscItem.name
    chapter: str          # chapter title in "chapter" mode, else ""
    first_frame: int      # first stereo frame taken from the source WAV
    frames: int           # stereo frames taken from the source WAV
    gap_sectors: int
    start_sector: int
    length_sectors: int   # INDEX 01 to the end of the track's zero padding
    isrc: str = ""

    @property
    def duration_s(self) -> float:
        return self.frames / SAMPLE_RATE


@dataclass(frozen=True)
class IsoEntry:
    """One file on the data disc, under its three names."""

    iso_path: str         # ISO 9660 level 1, e.g. "/KICHBAN/01CAMHAT.TXT;1"
    long_path: str        # Joliet and Rock Ridge path (NFC), e.g. "/Kịch bản/01 Cam….txt"
    source: Path | None   # the input file, or None for generated text
    data: bytes = b""     # generated content when source is None
    kind: str = ""        # "mp3", "script", "playlist", "readme"


@dataclass(frozen=True)
class DiscPlan:
    label: str                      # final volume label (draft suffix included)
    draft: bool
    tracks: tuple[PlannedTrack, ...]
    files: tuple[IsoEntry, ...]     # input files for the data disc (MP3s, scripts)
    audio_sectors: int              # incl. track 1's 150-sector pregap and the gaps
    data_bytes: int                 # estimated size of the ISO image
    warnings: tuple = ()            # Messages: shown to the user, written in the manifest

    @property
    def audio_s(self) -> float:
        return self.audio_sectors / SECTORS_PER_SECOND

    @property
    def bin_sectors(self) -> int:
        last = self.tracks[-1]
        return last.start_sector + last.length_sectors

    def output_names(self) -> dict[str, str]:
        return {kind: f"{self.label}.{kind}" for kind in ("iso", "bin", "cue", "toc")}


@dataclass(frozen=True)
class FileRecord:
    """An output image file, with digests to locate damage by sector."""

    name: str
    role: str             # "iso", "bin", "cue", "toc"
    size: int
    sha256: str
    sector_bytes: int = 0         # 2048 (ISO) or 2352 (BIN); 0 for text files
    block_sectors: int = 0        # sectors per entry of ``blocks``
    blocks: tuple[str, ...] = ()  # truncated sha256 of each block of sectors


@dataclass(frozen=True)
class IsoFileRecord:
    iso_path: str
    long_path: str
    size: int
    sha256: str
    source: str           # input file name (no folder), or "" when generated


@dataclass(frozen=True)
class TrackRecord:
    """One track as written.

    ``pcm_sha256`` hashes the track's own samples (little-endian, unpadded:
    exactly ``frames`` stereo frames); ``sectors_sha256`` hashes the
    ``length_sectors`` sectors from INDEX 01, i.e. the samples plus their
    zero padding, as they sit in the BIN.  ``probe_frame``/``probe_pcm`` are a
    short excerpt (base64, little-endian) around the first non-silent
    samples, used to find a burned disc's read offset.
    """

    number: int
    title: str
    ascii_title: str
    performer: str
    source: str
    chapter: str
    duration_s: float
    frames: int
    gap_sectors: int
    start_sector: int
    length_sectors: int
    pcm_sha256: str
    sectors_sha256: str
    probe_frame: int
    probe_pcm: str
    isrc: str = ""


@dataclass(frozen=True)
class Manifest:
    edition: str
    label: str
    title: str
    publisher: str
    date: str
    draft: bool
    fingerprint: str
    audio_sectors: int
    files: tuple[FileRecord, ...]
    iso_files: tuple[IsoFileRecord, ...]
    tracks: tuple[TrackRecord, ...]
    warnings: tuple[str, ...] = ()
    unchanged: bool = field(default=False, compare=False)  # not saved

    def file(self, role: str) -> FileRecord | None:
        return next((f for f in self.files if f.role == role), None)


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    lines: list[str]                  # the whole report, problems included
    problems: list[str] = field(default_factory=list)   # one line per mismatch
    offset_samples: int | None = None  # read offset found in a read-back image
    byte_order: str | None = None      # "little" or "big" for a read-back image
