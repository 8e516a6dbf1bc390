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
    while LAME encodes this one.  With ``measure``, an :class:`Mp3Follower`
    measures the MP3 as LAME writes it: ``finish`` returns the loudness of the
    finished file without reading it again, and nothing the measuring does can
    hold LAME back.  ``dual_mono`` (blocks whose two channels are the same
    samples): the MP3 is measured on one channel, see :class:`Mp3Follower`.
    """

    def __init__(self, path: Path, bitrate_kbps: int = 192, measure: bool = False,
                 dual_mono: bool = False):
        import queue
        import threading

        self.path = path
        self._err = tempfile.TemporaryFile()
        cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y",
               "-f", "s16le", "-ar", "44100", "-ac", "2", "-i", "pipe:0", "-map", "0:a",
               "-c:a", "libmp3lame", "-b:a", f"{bitrate_kbps}k", "-ar", "44100", "-ac", "2",
               "-map_metadata", "-1", "-id3v2_version", "0", "-write_id3v1", "0",
               "-fflags", "+bitexact", "-flags:a", "+bitexact", "-f", "mp3", str(path)]
        # It dies with the build, and stops by itself when its input pipe closes.
        self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                      stderr=self._err, **child_options())
        self._blocks: "queue.Queue[bytes | None]" = queue.Queue(maxsize=4)
        self._broken = False
        self._ended = False
        self.frames = 0
        self._writer = threading.Thread(target=self._write_all, name="mp3-writer", daemon=True)
        self._writer.start()
        self._follower = (Mp3Follower(path, self._proc, lambda: self.frames, dual_mono)
                          if measure else None)

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

    def write(self, block: np.ndarray) -> None:
        if self._broken:
            self.finish()   # raises ffmpeg's reason
            raise BuildError(_l("the MP3 encoder stopped before the end of the programme"))
        self.frames += len(block)
        self._blocks.put(np.ascontiguousarray(block, dtype="<i2").tobytes())

    def end_of_input(self) -> None:
        """Every block has been written: let LAME finish while we do something else."""
        if not self._ended:
            self._ended = True
            self._blocks.put(None)

    def finish(self):
        """Wait for the encoder; the MP3's Loudness with ``measure``, else None."""
        self.end_of_input()
        self._writer.join()
        code = self._proc.wait()
        if code != 0:
            if self._follower:
                self._follower.abort()
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
        return self._follower.finish() if self._follower else None

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
        self._proc.wait()
        if self._follower:
            self._follower.abort()
        self._err.close()


# How the decoder of a followed MP3 lines up with the programme: LAME's own delay
# (576 frames) is still at the start, because the file's header that says so is
# only completed when the encoder finishes (ffmpeg's decoder removes its own 529,
# ENCODER_DELAY_MS in all), and the end padding follows the programme's last frame.
LAME_DELAY_FRAMES = 576
HEADER_BYTES = 192        # the first frame's header, side information and Xing/Info tag
HOLD_BACK_FRAMES = 8192   # more than LAME ever pads: kept until the length is known
FOLLOW_POLL_S = 0.01


def finished_header(head: bytes) -> bool:
    """Whether the MP3 starting with *head* has its Xing/Info tag filled in (ffmpeg
    writes a placeholder with no frame count, and the real tag when it finishes):
    then a decoder knows LAME's delay and padding and removes them itself."""
    for name in (b"Xing", b"Info"):
        at = head.find(name, 0, HEADER_BYTES)
        if at >= 0 and len(head) >= at + 12:
            flags = int.from_bytes(head[at + 4:at + 8], "big")
            return bool(flags & 1) and int.from_bytes(head[at + 8:at + 12], "big") > 0
    return False


class _Programme:
    """What a decoder of a followed MP3 gives, passed to *meter* as the programme
    only: ``skip()`` frames of LAME's delay dropped first (asked when the first
    samples come, once the follower has read the header), and the last frames held
    back until ``end(frames)`` says where the programme stops."""

    def __init__(self, meter, skip):
        self._meter, self._skip = meter, skip
        self.channels = meter.channels
        self._to_skip: int | None = None
        self._fed = 0
        self._held = np.zeros((0, self.channels), dtype=np.float32)

    def feed(self, block: np.ndarray) -> None:
        if self._to_skip is None:
            self._to_skip = self._skip()
        cut = min(self._to_skip, len(block))
        self._to_skip -= cut
        self._held = np.concatenate([self._held, block[cut:]])
        ready = len(self._held) - HOLD_BACK_FRAMES
        if ready > 0:
            self._meter.feed(self._held[:ready])
            self._fed += ready
            self._held = self._held[ready:]

    def end(self, frames: int) -> None:
        self._meter.feed(self._held[:max(0, frames - self._fed)])


class Mp3Follower:
    """Measures an MP3 while *encoder* (an ffmpeg process) writes it to *path*.

    A thread reads the file as it grows and passes it to a second ffmpeg that
    decodes it; a meter thread measures what that decoder gives, from the
    programme's first frame to its last (*frames* says how many there are once
    the encoder has them all).  The encoder never waits on any of this: it writes
    to its file, and only our side of the file is ever behind.  The decoder and
    the meter run at a lower priority than the build (``procs``), so LAME keeps
    its core.  ``finish`` gives what measuring the finished file gives
    (:func:`radio.audio.loudness.measure_file`), sample for sample.

    With ``dual_mono`` (LAME was given two identical channels) the decoder hands
    on the left channel only, and the meter counts it for both: LAME's joint
    stereo codes identical channels as mid alone, so they decode to the same
    samples (``tests/test_mp3.py`` holds it) and the figures are the same, for
    about a third less measuring work.
    """

    def __init__(self, path: Path, encoder: subprocess.Popen, frames, dual_mono: bool = False):
        import threading

        from ..audio.decode import DECODED_IN_FRAMES_OF
        from ..audio.loudness import LoudnessMeter
        from ..procs import lower_process_priority, measuring_child_options

        self.path, self._encoder, self._frames = path, encoder, frames
        self._err = tempfile.TemporaryFile()
        option, frames_of = DECODED_IN_FRAMES_OF
        channels = 1 if dual_mono else 2
        if dual_mono:
            frames_of = f"pan=mono|c0=c0,{frames_of}"
        self._decoder = subprocess.Popen(
            [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-f", "mp3", "-i",
             "pipe:0", "-map", "0:a:0", option, frames_of, "-f", "f32le",
             "-ac", str(channels), "-ar", "44100", "pipe:1"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._err,
            **measuring_child_options())
        lower_process_priority(self._decoder.pid)
        self.meter = LoudnessMeter(44100, channels, dual_mono=dual_mono)
        self._skip: int | None = None
        self._stop = threading.Event()
        self._errors: list[BaseException] = []
        self._threads = [threading.Thread(target=self._guard, args=(target,), name=name,
                                          daemon=True)
                         for target, name in ((self._follow, "mp3-follower"),
                                              (self._measure, "mp3-meter"))]
        for thread in self._threads:
            thread.start()

    def _guard(self, target) -> None:
        try:
            target()
        except BaseException as exc:   # reported by finish()
            self._errors.append(exc)
            self._stop.set()
            self._decoder.kill()

    def _follow(self) -> None:
        """Copy the file to the decoder as the encoder writes it, then close."""
        import time

        try:
            fh = None
            while fh is None and not self._stop.is_set():
                ended = self._encoder.poll() is not None
                try:
                    fh = open(self.path, "rb")
                except FileNotFoundError:
                    if ended:
                        return   # it never wrote a file: finish() reports the encoder
                    time.sleep(FOLLOW_POLL_S)
            with fh:
                head = b""
                while not self._stop.is_set():
                    ended = self._encoder.poll() is not None   # before reading: no last bytes lost
                    data = fh.read(1 << 16)
                    if self._skip is None:   # the first frame says how the decoder will start
                        head += data
                        if len(head) < HEADER_BYTES and not ended:
                            time.sleep(FOLLOW_POLL_S)
                            continue
                        self._skip = 0 if finished_header(head) else LAME_DELAY_FRAMES
                        data = head
                    if data:
                        self._decoder.stdin.write(data)
                    elif ended:
                        return
                    else:
                        time.sleep(FOLLOW_POLL_S)
        finally:
            try:
                self._decoder.stdin.close()
            except OSError:
                pass

    def _measure(self) -> None:
        from ..audio.loudness import feed_from
        from ..procs import lower_thread_priority

        lower_thread_priority()
        programme = _Programme(self.meter, lambda: self._skip)
        feed_from(programme, self._decoder.stdout)
        # The decoder has ended, so the encoder has too and counted every frame.
        programme.end(self._frames())

    def finish(self):
        for thread in self._threads:
            thread.join()
        code = self._decoder.wait()
        self._err.seek(0)
        message = self._err.read().decode(errors="replace").strip().splitlines()
        self._err.close()
        if self._errors:
            raise self._errors[0]
        if code != 0:
            raise BuildError(_l("the MP3 could not be measured: {reason}",
                                reason=message[-1] if message else str(code)))
        return self.meter.result()

    def abort(self) -> None:
        self._stop.set()
        self._decoder.kill()
        for thread in self._threads:
            thread.join()
        self._decoder.wait()
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
