"""MP3 target: LAME through ffmpeg, fed block by block, then ID3 tags with mutagen.

ID3 v2.3 (UTF-16, best for hardware players) by default, v2.4 (UTF-8) by
setting: title, artist, album, track, year, genre, language, comment, cover
art, and one chapter (CHAP + CTOC) per heading.
"""
from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..audio.decode import ffmpeg_exe
from ..errors import BuildError
from ..procs import child_options

# LAME's encoder delay as ffmpeg writes it (576 + 529 samples at 44.1 kHz): the
# programme starts this late in the raw MP3 stream, so chapter times move too.
ENCODER_DELAY_MS = 1105 * 1000 / 44100


@dataclass(frozen=True)
class Tags:
    title: str
    artist: str
    album: str
    track: int
    year: str
    genre: str = "Speech"
    language: str = "vie"
    comment: str = ""
    cover_png: bytes = b""
    chapters: tuple[tuple[str, int, int], ...] = ()   # (title, start_ms, end_ms)


class Mp3Encoder:
    """An ffmpeg/libmp3lame process that encodes int16 stereo blocks to *path*."""

    def __init__(self, path: Path, bitrate_kbps: int = 192):
        self.path = path
        self._err = tempfile.TemporaryFile()
        cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y",
               "-f", "s16le", "-ar", "44100", "-ac", "2", "-i", "pipe:0",
               "-c:a", "libmp3lame", "-b:a", f"{bitrate_kbps}k", "-ar", "44100", "-ac", "2",
               "-map_metadata", "-1", "-id3v2_version", "0", "-write_id3v1", "0",
               "-fflags", "+bitexact", "-flags:a", "+bitexact", "-f", "mp3", str(path)]
        # It dies with the build, and stops by itself when its input pipe closes.
        self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                      stderr=self._err, **child_options())

    def write(self, block: np.ndarray) -> None:
        try:
            self._proc.stdin.write(np.ascontiguousarray(block, dtype="<i2").tobytes())
        except BrokenPipeError:
            self.finish()

    def finish(self) -> None:
        if self._proc.stdin and not self._proc.stdin.closed:
            try:
                self._proc.stdin.close()
            except BrokenPipeError:
                pass
        code = self._proc.wait()
        if code != 0:
            self._err.seek(0)
            message = self._err.read().decode(errors="replace").strip().splitlines()
            if any("No space left on device" in line for line in message):
                raise BuildError(f"the disk is full while writing {self.path}",
                                 hint="free some space and build again; the previous "
                                      "output is intact")
            raise BuildError("the MP3 encoder failed: " + (message[-1] if message else str(code)))
        self._err.close()

    def abort(self) -> None:
        self._proc.kill()
        self._proc.wait()
        self._err.close()


def _chapter_ordered_id3():
    """An ID3 tag that writes its frames in the order we added them.

    mutagen sorts frames by size before writing; players such as ffmpeg list CHAP
    frames in file order, so chapters would come out shuffled.  This overrides
    mutagen's private ``_write`` (mutagen is pinned in constraints.txt).
    """
    from mutagen.id3 import ID3
    from mutagen.id3._tags import save_frame

    class OrderedID3(ID3):
        def _write(self, config):
            frames = list(self.values())
            last = [f for f in frames if f.FrameID == "APIC"]
            first = [f for f in frames if f.FrameID != "APIC"]
            return bytearray().join(save_frame(f, config=config) for f in first + last)

    return OrderedID3()


def write_tags(path: Path, tags: Tags, id3_version: int = 3) -> None:
    from mutagen.id3 import (APIC, CHAP, COMM, CTOC, TALB, TCON, TDRC, TIT2, TLAN,
                             TPE1, TRCK, CTOCFlags, Encoding)

    enc = Encoding.UTF16 if id3_version == 3 else Encoding.UTF8
    id3 = _chapter_ordered_id3()
    id3.add(TIT2(encoding=enc, text=[tags.title]))
    id3.add(TPE1(encoding=enc, text=[tags.artist]))
    id3.add(TALB(encoding=enc, text=[tags.album]))
    id3.add(TRCK(encoding=enc, text=[str(tags.track)]))
    id3.add(TDRC(encoding=enc, text=[tags.year]))
    id3.add(TCON(encoding=enc, text=[tags.genre]))
    id3.add(TLAN(encoding=enc, text=[tags.language]))
    if tags.comment:
        id3.add(COMM(encoding=enc, lang=tags.language, desc="", text=[tags.comment]))
    if tags.cover_png:
        id3.add(APIC(encoding=enc, mime="image/png", type=3, desc="Cover",
                     data=tags.cover_png))
    ids = []
    for index, (title, start_ms, end_ms) in enumerate(tags.chapters):
        element = f"chp{index}"
        ids.append(element)
        id3.add(CHAP(element_id=element, start_time=round(start_ms + ENCODER_DELAY_MS),
                     end_time=round(end_ms + ENCODER_DELAY_MS),
                     start_offset=0xFFFFFFFF, end_offset=0xFFFFFFFF,
                     sub_frames=[TIT2(encoding=enc, text=[title])]))
    if ids:
        id3.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                     child_element_ids=ids, sub_frames=[TIT2(encoding=enc, text=[tags.title])]))
    id3.save(str(path), v2_version=id3_version, padding=lambda info: 0)
