"""Take files on disk: finding them, their sidecars, and turning them into sources.

A take is ``takes/<episode>/<id>.<ext>`` in any format ffmpeg reads, at any
rate.  Its sidecar ``<id>.json`` says what it was recorded for::

    {"id": "p003", "file": "p003.wav", "file_sha256": "...",
     "speaker": "MC1", "text": "the paragraph as written", "text_hash": "...",
     "frozen": false}

and, for a frozen take, also ``engine``, ``voice``, ``spoken`` and ``rate``.
The take is *stale* when the paragraph's current ``text_hash`` (speaker +
text) differs.  A take with no sidecar, or whose bytes no longer match
``file_sha256`` (it was recorded again), is registered for the paragraph's
current text the first time a command sees it.

A recorded take is trimmed of silence (keeping a margin) before it is leveled
like narration by the plan; a frozen take is used exactly as the synthesizer
made it, so freezing never changes the programme.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..audio import decode as dec
from ..errors import BuildError, message_of
from ..fsio import atomic_path, sha256_file, write_text
from ..i18n import _l
from ..pipeline.sources import AssetError, Source, SourceStore, render_speech
from ..procs import child_options
from .ids import ID_PATTERN

AUDIO_EXTENSIONS = (".wav", ".flac", ".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus",
                    ".wma", ".aif", ".aiff", ".caf", ".webm", ".mka")
TRIM_VERSION = "1"
SILENT_PEAK = 1e-4       # a take without a sample at -80 dBFS or above has nothing to hear
WINDOW_MS = 10
KEEP_BEFORE_MS = 120     # margin kept before the first sound
KEEP_AFTER_MS = 250      # and after the last (breaths and decays die out slowly)
EDGE_FADE_MS = 5         # where the take is cut inside its own noise
BELOW_PEAK_DB = 50.0     # a clean take: sound is anything within 50 dB of the peak
ABOVE_FLOOR_DB = 10.0    # a noisy take: sound is 10 dB above the noise floor...
MIN_BELOW_PEAK_DB = 30.0  # ...but never a threshold closer than 30 dB to the peak


@dataclass(frozen=True)
class Sidecar:
    pid: str
    file: str
    file_sha256: str
    speaker: str
    text: str
    text_hash: str
    frozen: bool = False
    extra: tuple = ()         # (key, value) pairs: engine, voice, spoken, rate

    def to_json(self) -> str:
        data = {"id": self.pid, "file": self.file, "file_sha256": self.file_sha256,
                "speaker": self.speaker, "text": self.text, "text_hash": self.text_hash,
                "frozen": self.frozen, **dict(self.extra)}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def sidecar_path(folder: Path, pid: str) -> Path:
    return folder / f"{pid}.json"


def read_sidecar(folder: Path, pid: str) -> Sidecar | None:
    try:
        data = json.loads(sidecar_path(folder, pid).read_text(encoding="utf-8"))
        known = {"id", "file", "file_sha256", "speaker", "text", "text_hash", "frozen"}
        return Sidecar(data["id"], data["file"], data["file_sha256"], data["speaker"],
                       data["text"], data["text_hash"], bool(data.get("frozen", False)),
                       tuple((k, v) for k, v in data.items() if k not in known))
    except (OSError, ValueError, KeyError, TypeError):
        return None   # missing or damaged: the take is registered again


def write_sidecar(folder: Path, sidecar: Sidecar) -> None:
    write_text(sidecar_path(folder, sidecar.pid), sidecar.to_json())


def take_files(folder: Path) -> dict[str, list[Path]]:
    """Every audio file named like an id (in any case) in *folder*: id -> files (normally one)."""
    found: dict[str, list[Path]] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        pid = path.stem.lower()   # P003.WAV from a recorder is p003's take
        if path.is_file() and path.suffix.lower() in AUDIO_EXTENSIONS \
                and ID_PATTERN.match(pid) and not path.name.startswith("."):
            found.setdefault(pid, []).append(path)
    return found


def _key(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def take_source(store: SourceStore, path: Path, file_sha256: str, frozen: bool) -> Source:
    """The take as a speech source: frozen exactly as synthesized, recorded trimmed."""
    if path.stat().st_size == 0:
        raise AssetError(_l("the take {name} is empty (0 bytes)", name=path.name),
                         _l("record or export it again (the copy may have failed), or delete it "
                            "to use the synthesized voice"))
    try:
        if frozen:
            pcm, rate = read_pcm16(path)
            return render_speech(store, pcm, rate, f"take:{file_sha256}")
        key = _key("take", TRIM_VERSION, file_sha256)
        if (cached := store.get(key)) is not None:
            return cached
        store.missing(key)
        samples = dec.decode(path, 1)[:, 0]
    except dec.DecodeError as exc:
        raise AssetError(_l("cannot decode the take {name}: {reason}", name=path.name,
                            reason=message_of(exc)),
                         _l("export the recording again as WAV or FLAC")) from None
    trimmed = trim_silence(samples)
    # All silence (a muted microphone) is kept whole by the trim, which finds no sound.
    if len(trimmed) < dec.RATE // 10 or not np.any(np.abs(samples) >= SILENT_PEAK):
        raise AssetError(_l("the take {name} is silent or shorter than 0.1 s", name=path.name),
                         _l("record it again, or delete it to use the synthesized voice"))
    return store.put(key, trimmed)


def trim_silence(samples: np.ndarray, rate: int = dec.RATE) -> np.ndarray:
    """Cut leading/trailing silence, keeping KEEP_BEFORE_MS/KEEP_AFTER_MS around the sound.

    "Sound" is a 10 ms window whose RMS is within BELOW_PEAK_DB of the loudest
    window and at least ABOVE_FLOOR_DB over the noise floor (the 10th
    percentile of the windows), capped at MIN_BELOW_PEAK_DB below the peak so
    that soft word endings always count as sound.
    """
    x = np.asarray(samples, dtype=np.float32)
    window = rate * WINDOW_MS // 1000
    count = len(x) // window
    if count < 3:
        return x
    frames = x[:count * window].astype(np.float64).reshape(count, window)
    level = 10 * np.log10(np.mean(frames ** 2, axis=1) + 1e-20)
    peak, floor = float(level.max()), float(np.percentile(level, 10))
    threshold = max(peak - BELOW_PEAK_DB, min(floor + ABOVE_FLOOR_DB, peak - MIN_BELOW_PEAK_DB))
    loud = np.flatnonzero(level > threshold)
    if len(loud) == 0:
        return x[:0]
    start = max(0, loud[0] * window - rate * KEEP_BEFORE_MS // 1000)
    end = min(len(x), (loud[-1] + 1) * window + rate * KEEP_AFTER_MS // 1000)
    out = x[start:end].copy()
    fade = min(rate * EDGE_FADE_MS // 1000, len(out) // 2)
    if fade and start > 0:
        out[:fade] *= np.linspace(0.0, 1.0, fade, dtype=np.float32)
    if fade and end < len(x):
        out[-fade:] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)
    return out


def read_pcm16(path: Path) -> tuple[np.ndarray, int]:
    """A (frozen, lossless) take as int16 mono at its own rate: no resampling here."""
    info = dec.probe(path)
    proc = subprocess.run([dec.ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error",
                           "-i", str(path), "-vn", "-ac", "1", "-f", "s16le", "-"],
                          capture_output=True, **child_options())
    if proc.returncode != 0:
        message = proc.stderr.decode(errors="replace").strip().splitlines()
        raise dec.DecodeError(message[-1] if message else f"ffmpeg exited {proc.returncode}")
    return np.frombuffer(proc.stdout, dtype="<i2").copy(), info.rate


def write_flac16(path: Path, samples: np.ndarray, rate: int) -> str:
    """Store int16 mono *samples* at *rate* losslessly; returns the file's SHA-256."""
    pcm = np.ascontiguousarray(samples, dtype="<i2")
    with atomic_path(path) as tmp:
        cmd = [dec.ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y",
               "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0",
               "-c:a", "flac", "-compression_level", "8", "-map_metadata", "-1",
               "-fflags", "+bitexact", "-flags:a", "+bitexact", "-f", "flac", str(tmp)]
        proc = subprocess.run(cmd, input=pcm.tobytes(), capture_output=True, **child_options())
        if proc.returncode != 0:
            raise BuildError(_l("ffmpeg could not write {name}: {reason}", name=path.name,
                                reason=proc.stderr.decode(errors="replace").strip()[-200:]))
        back, back_rate = read_pcm16(tmp)
        if back_rate != rate or not np.array_equal(back, pcm):
            raise BuildError(_l("{name} does not read back bit-exact", name=path.name),
                             hint=_l("report this to the developers with your ffmpeg version"))
    return sha256_file(path)
