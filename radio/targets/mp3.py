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
from typing import Iterator

import numpy as np

from ..audio.decode import ffmpeg_exe
from ..errors import BuildError
from ..i18n import _l
from ..procs import EncoderCore, child_options

# LAME's encoder delay as ffmpeg writes it plus a decoder's own (576 + 529 samples
# at 44.1 kHz): the programme starts this late in the raw MP3 stream, so chapter
# times move too, and a decoder that is not told the delay must drop this much.
ENCODER_DELAY_FRAMES = 1105
ENCODER_DELAY_MS = ENCODER_DELAY_FRAMES * 1000 / 44100


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
    samples): the MP3 is measured on one channel; *reference* spares its true
    peak some work; see :class:`Mp3Follower`.
    """

    def __init__(self, path: Path, bitrate_kbps: int = 192, measure: bool = False,
                 dual_mono: bool = False, reference: tuple | None = None):
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
        self._core = EncoderCore(self._proc.pid)   # LAME on a core of its own while it runs
        self._blocks: "queue.Queue[bytes | None]" = queue.Queue(maxsize=4)
        self._broken = False
        self._ended = False
        self.frames = 0
        self._writer = threading.Thread(target=self._write_all, name="mp3-writer", daemon=True)
        self._writer.start()
        self._follower = (Mp3Follower(path, self._proc, lambda: self.frames, dual_mono,
                                      reference) if measure else None)

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
        self._core.release()   # the meters that are behind finish on every core
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
        self._core.release()
        if self._follower:
            self._follower.abort()
        self._err.close()


# How the decoded followed MP3 lines up with the programme: the follower hides the
# file's first frame (ffmpeg's Xing/Info tag, whose delay and length are only filled
# in when the encoder finishes), so the decoder removes nothing and the programme
# starts ENCODER_DELAY_FRAMES in; the end padding follows the programme's last frame.
HOLD_BACK_FRAMES = 8192   # more than LAME ever pads: kept until the length is known
FOLLOW_POLL_S = 0.01
DECODED_BLOCK_FRAMES = 65536
READ_AHEAD_BYTES = 1 << 16
_BITRATES_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_TAG_SPAN = 192           # the first frame's header, side information and Xing/Info tag


def tag_frame_bytes(head: bytes) -> int:
    """The length of the Xing/Info frame that *head* starts with (an MPEG-1
    Layer III frame at 44.1 kHz, as LAME writes it), or 0 when it starts with
    anything else (audio: nothing to hide; not an MP3: the decoder says so)."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xFE != 0xFA:
        return 0
    index, rate = head[2] >> 4, (head[2] >> 2) & 3
    if not 0 < index < 15 or rate != 0:
        return 0
    if b"Xing" not in head[:_TAG_SPAN] and b"Info" not in head[:_TAG_SPAN]:
        return 0
    return 144 * _BITRATES_KBPS[index] * 1000 // 44100 + ((head[2] >> 1) & 1)


class GrowingMp3:
    """The MP3 an encoder is writing, as a file object for a decoder
    (``soundfile.SoundFile``) that reads it as it grows: a read waits until the
    encoder has written that far or has ended.  The first frame, ffmpeg's
    Xing/Info tag, is hidden (see ENCODER_DELAY_FRAMES).  The length the decoder
    is told is far beyond any programme, so it never looks for the end; what it
    reads there (looking for an ID3v1 tag) is zeros."""

    FAR = 1 << 40

    def __init__(self, path: Path, ended, stop):
        self._path, self._ended, self._stop = path, ended, stop
        self._fh = None
        self._start: int | None = None   # the file offset shown as offset 0
        self._pos = 0
        # The decoder reads each frame's header, then its body: what was read
        # ahead of it in one go (at offset _buffer_at of the shown stream).
        self._buffer, self._buffer_at = b"", 0

    # The file object protocol soundfile uses (seek, tell, read, readinto).
    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos, self.FAR)[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            size = self.FAR - self._pos
        if self._pos >= self.FAR // 2:        # the decoder's look at "the end"
            data = bytes(max(0, min(size, self.FAR - self._pos)))
        else:
            data = self._wait_for(self._pos, size)
        self._pos += len(data)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()

    def _wait_for(self, offset: int, size: int) -> bytes:
        """*size* bytes at *offset* of the shown stream, or fewer once the
        encoder has ended (or the measuring is stopped)."""
        import time

        ahead = offset - self._buffer_at
        if 0 <= ahead and ahead + size <= len(self._buffer):   # read before
            return self._buffer[ahead:ahead + size]
        while True:
            ended = self._ended()          # before reading: no last bytes missed
            if self._opened():
                self._fh.seek(self._start + offset)
                data = self._fh.read(max(size, READ_AHEAD_BYTES))
                if len(data) >= size or ended or self._stop.is_set():
                    self._buffer, self._buffer_at = data, offset
                    return data[:size]
            elif ended or self._stop.is_set():
                return b""
            time.sleep(FOLLOW_POLL_S)

    def _opened(self) -> bool:
        """Whether the file is open and its first frame known (then hidden)."""
        if self._start is not None:
            return True
        if self._fh is None:
            try:
                self._fh = open(self._path, "rb")
            except FileNotFoundError:
                return False
        self._fh.seek(0)
        head = self._fh.read(_TAG_SPAN)
        if len(head) < _TAG_SPAN and not self._ended():
            return False
        self._start = tag_frame_bytes(head) if head else 0
        return True


class DecodedPeakBounds:
    """Upper bounds on the 4x points of the decoded MP3, from the WAV's.

    The decoded programme is the WAV plus LAME's coding error, ``d = y + e``, and
    the interpolator is linear: a point of ``d`` is at most the WAV's point
    (*wav_bounds*, :class:`~radio.audio.dsp.OutputPeakBounds`) plus ``sum |h|``
    times the largest ``|e|`` within its reach (the segment and its neighbours).
    :meth:`note` takes each decoded block before the meter does and compares it
    with the WAV's frames (*wav_frames*: ``(first, count) -> int16 frames`` or
    None while they are not written, :class:`~radio.audio.wav.WrittenFrames`);
    frames the WAV does not have yet have no bound.  :meth:`reaching` is the
    MP3 meter's ``bounds``: its true peak is the same, bit for bit, with a
    fraction of the transforms (the coding error is 30 dB or more under the
    programme).
    """

    def __init__(self, wav_bounds, wav_frames, channels: int):
        self._wav, self._frames, self._channels = wav_bounds, wav_frames, channels
        self._errors: np.ndarray | None = None   # the largest |e| per segment; -inf: not seen

    def note(self, first: int, block: np.ndarray) -> None:
        """The decoded programme's frames ``first ..`` (before the meter gets them)."""
        from ..audio.dsp import segment_reduce

        seg, count = self._wav.segment, self._wav.segments
        if len(block) == 0 or count == 0:
            return
        if self._errors is None:
            self._errors = np.full(count, -np.inf)
        wav = self._frames(first, len(block))
        if wav is None:   # not written yet: these segments have no bound
            error = np.full(len(block), np.inf)
        elif self._channels == 1:
            error = np.abs(block[:, 0] - wav[:, 0] * np.float32(1 / 32768))
        else:
            error = np.abs(block - wav * np.float32(1 / 32768)).max(axis=1)
        at, maxima = segment_reduce(np.maximum, error, first, seg, count)
        np.maximum(self._errors[at], maxima, out=self._errors[at])

    def reaching(self, first: int, count: int, level: float) -> np.ndarray:
        """Which of the frames ``first .. first + count - 1`` have 4x points that
        could reach *level*."""
        from ..audio.dsp import per_frame

        return per_frame(lambda low, high: self.segment_upper(low, high) >= level,
                         self._wav.segment, first, count)

    def segment_upper(self, low: int, high: int) -> np.ndarray:
        """The bound of segments ``low .. high - 1`` (infinite where LAME's error
        is not known)."""
        from ..audio.dsp import METER_ROUNDING, around, taps_l1

        errors = np.full(high - low, np.inf)
        if self._errors is not None:
            ids = np.arange(low, high)
            inside = (ids >= 0) & (ids < len(self._errors))
            if inside.any():
                lo = max(low - 1, 0)
                near = around(self._errors[lo:high + 1])[ids[inside] - lo]
                errors[inside] = np.where(np.isfinite(near), near, np.inf)   # not seen
        return self._wav.segment_upper(low, high) + taps_l1() * errors + METER_ROUNDING


class _Programme:
    """What the decoder of a followed MP3 gives, passed to *meter* as the programme
    only: the decoders' delay dropped first, and the last frames held back until
    ``end(frames)`` says where the programme stops.  *bounds* (a
    :class:`DecodedPeakBounds`) notes every frame before the meter gets it."""

    def __init__(self, meter, bounds: DecodedPeakBounds | None = None):
        self._meter, self._bounds = meter, bounds
        self.channels = meter.channels
        self._to_skip = ENCODER_DELAY_FRAMES
        self._fed = 0
        self._held = np.zeros((0, self.channels), dtype=np.float32)

    def feed(self, block: np.ndarray) -> None:
        cut = min(self._to_skip, len(block))
        self._to_skip -= cut
        self._held = np.concatenate([self._held, block[cut:, :self.channels]])
        ready = len(self._held) - HOLD_BACK_FRAMES
        if ready > 0:
            self._pass(self._held[:ready])
            self._held = self._held[ready:]

    def end(self, frames: int) -> None:
        self._pass(self._held[:max(0, frames - self._fed)])

    def _pass(self, frames: np.ndarray) -> None:
        if self._bounds is not None:
            self._bounds.note(self._fed, frames)
        self._meter.feed(frames)
        self._fed += len(frames)


class Mp3Follower:
    """Measures an MP3 while *encoder* (an ffmpeg process) writes it to *path*.

    A thread decodes the file as it grows (libsndfile's mpg123, through
    ``soundfile``, reading a :class:`GrowingMp3`) and measures the programme, from
    its first frame to its last (*frames* says how many there are once the
    encoder has them all).  The encoder never waits on any of this: it writes to
    its file, and only our side of the file is ever behind.  The thread runs at a
    lower priority than the build (``procs``), so LAME keeps its core, and the
    decoder lets go of the GIL while it decodes.  ``finish`` gives what decoding
    the finished file with the same decoder gives (:func:`decode_mp3`), sample
    for sample.

    With ``dual_mono`` (LAME was given two identical channels) the meter takes
    the left channel only and counts it for both: LAME's joint stereo codes
    identical channels as mid alone, so they decode to the same samples
    (``tests/test_mp3.py`` holds it) and the figures are the same, for less
    measuring work.  *reference* ``(wav_bounds, wav_frames)``: the WAV's peak
    bounds and its frames as written, so that the true peak is computed only
    where it could be (:class:`DecodedPeakBounds`).
    """

    def __init__(self, path: Path, encoder: subprocess.Popen, frames, dual_mono: bool = False,
                 reference: tuple | None = None):
        import threading

        from ..audio.loudness import LoudnessMeter

        self.path, self._encoder, self._frames = path, encoder, frames
        channels = 1 if dual_mono else 2
        self._written, self._bounds = None, None
        if reference is not None:
            wav_bounds, self._written = reference
            self._bounds = DecodedPeakBounds(wav_bounds, self._written.read, channels)
        self.meter = LoudnessMeter(44100, channels, dual_mono=dual_mono,
                                   peak_bounds=self._bounds.reaching if self._bounds else None)
        self._stop = threading.Event()
        self._errors: list[BaseException] = []
        self._thread = threading.Thread(target=self._measure, name="mp3-meter", daemon=True)
        self._thread.start()

    def _measure(self) -> None:
        from ..procs import lower_thread_priority

        lower_thread_priority()
        programme = _Programme(self.meter, self._bounds)
        growing = GrowingMp3(self.path, lambda: self._encoder.poll() is not None, self._stop)
        try:
            for block in decoded_blocks(growing):
                if self._stop.is_set():
                    return
                programme.feed(block)
            # The decoder has read to the end, so the encoder has ended and counted
            # every frame.
            programme.end(self._frames())
        except BaseException as exc:   # reported by finish()
            self._errors.append(exc)
        finally:
            growing.close()
            if self._written is not None:
                self._written.close()

    def finish(self):
        self._thread.join()
        if self._errors:
            error = self._errors[0]
            if isinstance(error, BuildError):
                raise error
            raise BuildError(_l("the MP3 could not be measured: {reason}",
                                reason=str(error) or type(error).__name__)) from error
        return self.meter.result()

    def abort(self) -> None:
        self._stop.set()
        self._thread.join()


def decoded_blocks(source) -> Iterator[np.ndarray]:
    """float32 ``(frames, channels)`` blocks of the MP3 *source* (a path or a file
    object), as libsndfile's mpg123 decodes it.  A file that is not an MP3 a decoder can
    read raises BuildError."""
    import soundfile

    if "MP3" not in soundfile.available_formats():   # a libsndfile older than 1.1
        raise BuildError(_l("the MP3 could not be measured: {reason}",
                            reason=_l("this libsndfile ({version}) cannot read MP3",
                                      version=soundfile.__libsndfile_version__)),
                         hint=_l("reinstall with `pip install --force-reinstall soundfile` "
                                 "(its packages include a libsndfile that reads MP3)"))
    try:
        with soundfile.SoundFile(source) as mp3_file:
            while len(block := mp3_file.read(DECODED_BLOCK_FRAMES, dtype="float32",
                                             always_2d=True)):
                yield block
    except (soundfile.LibsndfileError, RuntimeError, ValueError) as exc:
        raise BuildError(_l("the MP3 could not be measured: {reason}", reason=str(exc))) \
            from exc


def decode_mp3(path: Path) -> np.ndarray:
    """A whole MP3 file decoded as :class:`Mp3Follower` decodes it (the stream
    after its Xing/Info frame, the decoders' delay removed, the end padding kept)."""
    import threading

    stop = threading.Event()
    growing = GrowingMp3(path, lambda: True, stop)
    try:
        blocks = list(decoded_blocks(growing))
    finally:
        growing.close()
    audio = np.concatenate(blocks) if blocks else np.zeros((0, 2), dtype=np.float32)
    return audio[ENCODER_DELAY_FRAMES:]


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
