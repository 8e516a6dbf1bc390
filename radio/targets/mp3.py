"""MP3 target: LAME through ffmpeg, fed block by block, then ID3 tags with mutagen.

ID3 v2.3 (UTF-16, best for hardware players) by default, v2.4 (UTF-8) by
setting: title, artist, album, track, year, genre, language, comment, cover
art, and one chapter (CHAP + CTOC) per heading.
"""
from __future__ import annotations

import functools
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..audio.decode import ffmpeg_exe
from ..errors import BuildError
from ..i18n import _l
from ..procs import child_options

# LAME's encoder delay as ffmpeg writes it (576 + 529 samples at 44.1 kHz): the
# programme starts this late in the raw MP3 stream, so chapter times move too.
ENCODER_DELAY_MS = 1105 * 1000 / 44100


ISO639_2 = {"vi": "vie", "en": "eng"}   # [production] language -> ID3's language codes


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
    """An ffmpeg/libmp3lame process that encodes int16 stereo blocks to *path*.

    Blocks go to ffmpeg from a thread, so the caller masters the next block
    while LAME encodes this one (the two take turns at a bare pipe).  With
    ``measure``, ffmpeg also decodes the MP3 it encodes (a loopback decoder,
    ffmpeg >= 7.1; the samples are those of decoding the finished file) and a
    LoudnessMeter measures them as they come: ``finish`` returns the MP3's
    loudness without reading the file again.  An older ffmpeg measures the
    file after encoding instead.
    """

    def __init__(self, path: Path, bitrate_kbps: int = 192, measure: bool = False):
        import queue
        import threading

        self.path = path
        self._measure = measure
        self._loopback = measure and loopback_decoding()
        self._err = tempfile.TemporaryFile()
        cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y",
               "-f", "s16le", "-ar", "44100", "-ac", "2", "-i", "pipe:0", "-map", "0:a",
               "-c:a", "libmp3lame", "-b:a", f"{bitrate_kbps}k", "-ar", "44100", "-ac", "2",
               "-map_metadata", "-1", "-id3v2_version", "0", "-write_id3v1", "0",
               "-fflags", "+bitexact", "-flags:a", "+bitexact", "-f", "mp3", str(path)]
        if self._loopback:
            cmd += LOOPBACK_PCM
        # It dies with the build, and stops by itself when its input pipe closes.
        self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE if self._loopback
                                      else subprocess.DEVNULL,
                                      stderr=self._err, **child_options())
        self._blocks: "queue.Queue[bytes | None]" = queue.Queue(maxsize=4)
        self._broken = False
        self._writer = threading.Thread(target=self._write_all, name="mp3-writer", daemon=True)
        self._writer.start()
        self._meter = self._reader = None
        self._meter_error: BaseException | None = None
        if self._loopback:
            from ..audio.loudness import LoudnessMeter

            self._meter = LoudnessMeter(44100, 2)
            self._reader = threading.Thread(target=self._measure_all, name="mp3-meter",
                                            daemon=True)
            self._reader.start()

    def _write_all(self) -> None:
        while (data := self._blocks.get()) is not None:
            if not self._broken:
                try:
                    self._proc.stdin.write(data)
                except (BrokenPipeError, OSError):
                    self._broken = True   # ffmpeg stopped: finish() reports why
        try:
            self._proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass

    def _measure_all(self) -> None:
        from ..audio.loudness import feed_from

        try:
            feed_from(self._meter, self._proc.stdout)
        except BaseException as exc:   # reported by finish()
            self._meter_error = exc
            while self._proc.stdout.read(1 << 16):
                pass   # keep draining, or ffmpeg would stall

    def write(self, block: np.ndarray) -> None:
        if self._broken:
            self.finish()   # raises ffmpeg's reason
            raise BuildError(_l("the MP3 encoder stopped before the end of the programme"))
        self._blocks.put(np.ascontiguousarray(block, dtype="<i2").tobytes())

    def finish(self):
        """Wait for the encoder; the MP3's Loudness with ``measure``, else None."""
        self._blocks.put(None)
        self._writer.join()
        if self._reader:
            self._reader.join()
        code = self._proc.wait()
        if code != 0:
            self._err.seek(0)
            message = self._err.read().decode(errors="replace").strip().splitlines()
            self._err.close()
            if any("No space left on device" in line for line in message):
                raise BuildError(_l("the disk is full while writing {path}", path=self.path),
                                 hint=_l("free some space and build again; the previous output "
                                         "is intact"))
            raise BuildError(_l("the MP3 encoder failed: {reason}",
                                reason=message[-1] if message else str(code)))
        self._err.close()
        if not self._measure:
            return None
        if self._meter is None:
            from ..audio.loudness import measure_file

            return measure_file(self.path)
        if self._meter_error is not None:
            raise self._meter_error
        return self._meter.result()

    def abort(self) -> None:
        import queue

        self._proc.kill()
        while True:   # unblock the writer, however full its queue is
            try:
                self._blocks.put_nowait(None)
                break
            except queue.Full:
                try:
                    self._blocks.get_nowait()
                except queue.Empty:
                    pass
        self._writer.join()
        if self._reader:
            self._reader.join()
        self._proc.wait()
        self._err.close()


# The loopback decoder: the encoded stream decoded again, out on stdout as float32.
LOOPBACK_PCM = ["-dec", "0:0", "-filter_complex",
                "[dec:0]aformat=sample_fmts=flt:sample_rates=44100:channel_layouts=stereo[pcm]",
                "-map", "[pcm]", "-f", "f32le", "pipe:1"]


@functools.cache
def loopback_decoding() -> bool:
    """Whether this ffmpeg decodes what it encodes (``-dec``, ffmpeg >= 7.1):
    tried once on 0.1 s of silence."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-f", "s16le", "-ar",
           "44100", "-ac", "2", "-i", "pipe:0", "-map", "0:a", "-c:a", "libmp3lame",
           "-f", "null", "-"] + LOOPBACK_PCM
    try:
        proc = subprocess.run(cmd, input=bytes(4 * 4410), capture_output=True, timeout=30,
                              **child_options())
    except (OSError, subprocess.SubprocessError):
        return False
    return proc.returncode == 0 and len(proc.stdout) > 0


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
    language = ISO639_2.get(tags.language, tags.language)   # ID3 wants three letters
    id3.add(TLAN(encoding=enc, text=[language]))
    if tags.comment:
        id3.add(COMM(encoding=enc, lang=language, desc="", text=[tags.comment]))
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
