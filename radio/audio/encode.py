"""Encoding float32 audio to a compressed file with ffmpeg, byte-identically on every run."""
from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from ..errors import BuildError
from ..i18n import _l
from ..fsio import atomic_path
from ..procs import child_options
from .decode import RATE, ffmpeg_exe

CODECS = {
    ".ogg": ["-c:a", "libvorbis", "-q:a", "4", "-serial_offset", "0"],
    ".flac": ["-c:a", "flac", "-compression_level", "8"],
    ".mp3": ["-c:a", "libmp3lame", "-b:a", "192k"],
    ".wav": ["-c:a", "pcm_s16le"],
}


def write_audio(path: Path, samples: np.ndarray, extra: list[str] | None = None) -> None:
    """Write float32 (frames, channels) at 44.1 kHz to *path*, codec by extension."""
    samples = np.ascontiguousarray(samples, dtype="<f4")
    channels = 1 if samples.ndim == 1 else samples.shape[1]
    codec = CODECS[path.suffix.lower()] + (extra or [])
    fmt = {".ogg": "ogg", ".flac": "flac", ".mp3": "mp3", ".wav": "wav"}[path.suffix.lower()]
    with atomic_path(path) as tmp:
        cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y",
               "-f", "f32le", "-ar", str(RATE), "-ac", str(channels), "-i", "pipe:0",
               *codec, "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
               "-f", fmt, str(tmp)]
        proc = subprocess.run(cmd, input=samples.tobytes(), capture_output=True,
                              **child_options())
        if proc.returncode != 0:
            raise BuildError(_l("ffmpeg could not write {name}: {reason}", name=path.name,
                                reason=proc.stderr.decode(errors="replace").strip()[-200:]))
