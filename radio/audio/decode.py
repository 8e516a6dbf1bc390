"""Decoding recordings of any common format to float32 at 44.1 kHz with ffmpeg + soxr.

ffmpeg (the static binary from imageio-ffmpeg; there is no ffprobe) decodes to
float32 at the file's own rate; soxr resamples to 44.1 kHz (high quality).
"""
from __future__ import annotations

import functools
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soxr

from ..i18n import _l
from ..procs import child_options

#: ffmpeg hands decoded audio on in frames of this many samples instead of the
#: codec's (1152 for MP3): far fewer hand-offs between its threads and writes to
#: the pipe, about a third of a decoder's CPU; the samples are the same.
DECODED_IN_FRAMES_OF = ("-af", "asetnsamples=n=16384:p=0")

RATE = 44100
_STREAM = re.compile(r"Audio: (?P<codec>[^,\s]+).*?, (?P<rate>\d+) Hz, (?P<layout>[^,]+)")
_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")


@functools.cache
def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


class DecodeError(Exception):
    """A recording that ffmpeg cannot read; the message says why."""


@dataclass(frozen=True)
class AudioInfo:
    codec: str
    rate: int
    channels: int
    duration_s: float | None
    duration_estimated: bool = False   # ffmpeg guessed it from the bitrate


def probe(path: Path) -> AudioInfo:
    """Read the stream info that ffmpeg prints for an input (no ffprobe needed)."""
    proc = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)],
                          capture_output=True, text=True, errors="replace", **child_options())
    return _stream_info(proc.stderr)


def _stream_info(log: str) -> AudioInfo:
    """The input's stream info in ffmpeg's log (its first audio stream's line and
    its duration line); DecodeError with ffmpeg's reason when there is none."""
    match = _STREAM.search(log)
    if not match:
        last = [_unlevelled(line) for line in log.strip().splitlines() if line.strip()]
        reason = last[-1] if last else ""
        if not reason or "At least one output file" in reason:
            raise DecodeError(_l("no audio stream found"))
        raise DecodeError(reason.split(": ")[-1] if ": " in reason else reason)
    layout = match.group("layout").strip()
    channels = 1 if layout == "mono" else 2 if layout == "stereo" else \
        int(m.group(1)) if (m := re.match(r"(\d+)", layout)) else 2
    duration = None
    if dm := _DURATION.search(log):
        duration = int(dm.group(1)) * 3600 + int(dm.group(2)) * 60 + float(dm.group(3))
    return AudioInfo(match.group("codec"), int(match.group("rate")), channels, duration,
                     "Estimating duration from bitrate" in log)


#: ffmpeg's log lines with their level in front (``-v level+info``): "[error] ...".
_LEVELLED = re.compile(r"^(?:\[[^\]]*\] )*\[(?P<level>[a-z]+)\] ?", re.M)


def _unlevelled(line: str) -> str:
    return _LEVELLED.sub("", line.strip()).strip()


def decode(path: Path, channels: int = 2, start_ms: int = 0,
           end_ms: int | None = None) -> np.ndarray:
    """Decode *path* to float32 (frames, channels) at 44.1 kHz, trimmed to [start, end)."""
    return decode_with_info(path, channels, start_ms, end_ms)[0]


def decode_with_info(path: Path, channels: int = 2, start_ms: int = 0,
                     end_ms: int | None = None) -> tuple[np.ndarray, AudioInfo]:
    """:func:`decode`, and the stream info ffmpeg gave for the file: one ffmpeg, whose
    log (each line with its level) holds the input's stream info and any error."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-v", "level+info",
           "-i", str(path), "-vn", *DECODED_IN_FRAMES_OF, "-ac", str(channels),
           "-f", "f32le", "-"]
    proc = subprocess.run(cmd, capture_output=True, **child_options())
    log = proc.stderr.decode(errors="replace")
    errors = [_unlevelled(line) for line in log.splitlines()
              if (level := _LEVELLED.match(line)) and level.group("level") in ("error", "fatal",
                                                                            "panic")]
    if proc.returncode != 0 or (not proc.stdout and errors):
        if proc.returncode != 0 and not _STREAM.search(log):
            _stream_info(log)   # raises with the reason a probe would give
        raise DecodeError(errors[-1] if errors else f"ffmpeg exited with {proc.returncode}")
    info = _stream_info(log)
    audio = np.frombuffer(proc.stdout, dtype="<f4").reshape(-1, channels)
    if info.rate != RATE and len(audio):
        audio = soxr.resample(audio, info.rate, RATE, quality="HQ").astype(np.float32)
    first = round(start_ms * RATE / 1000)
    last = len(audio) if end_ms is None else round(end_ms * RATE / 1000)
    return np.ascontiguousarray(audio[first:last], dtype=np.float32), info


def to_rate(samples: np.ndarray, rate: int) -> np.ndarray:
    """Resample float32 samples to 44.1 kHz with soxr."""
    if rate == RATE:
        return samples.astype(np.float32, copy=False)
    return soxr.resample(samples, rate, RATE, quality="HQ").astype(np.float32)
