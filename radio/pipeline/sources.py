"""Render stage: every speech paragraph and recording as audio on disk.

Each item of an Episode becomes a ``Source``: float32 samples at 44.1 kHz in
``.radio/cache/sources/`` with its measured loudness, keyed by a hash of what
made it (the file's bytes and trim, or the engine, voice and spoken text).  The
plan then places sources in time; the mixer reads them block by block, so no
whole programme is ever held in memory.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from ..audio import decode as dec
from ..audio.wav import WavError, read_layout
from ..fsio import atomic_open, write_text
from ..i18n import _l

STORE_VERSION = "1"


@dataclass(frozen=True)
class Source:
    key: str
    path: Path
    channels: int
    frames: int
    loudness_lufs: float   # integrated loudness, as heard on both channels

    @property
    def duration_ms(self) -> int:
        return round(self.frames * 1000 / dec.RATE)


class SourceMiss(Exception):
    """A source a read-only store does not hold: it would have to be made first."""


class SourceStore:
    """Sources on disk by key.  A *read_only* store answers from what is stored and
    raises SourceMiss instead of decoding or resampling anything (to decide
    cheaply whether a build is current: a miss means it is not)."""

    def __init__(self, folder: Path, read_only: bool = False):
        self.folder = folder
        self.read_only = read_only

    def _paths(self, key: str) -> tuple[Path, Path]:
        base = self.folder / key[:2] / key
        return base.with_suffix(".f32"), base.with_suffix(".json")

    def get(self, key: str) -> Source | None:
        data_path, meta_path = self._paths(key)
        try:
            meta = json.loads(meta_path.read_text())
            size = data_path.stat().st_size
        except (OSError, ValueError):
            return None
        if size != meta["frames"] * meta["channels"] * 4:
            return None
        return Source(key, data_path, meta["channels"], meta["frames"], meta["loudness_lufs"])

    def missing(self, key: str) -> None:
        """Say that *key* must be made now (before decoding it): a read-only store refuses."""
        if self.read_only:
            raise SourceMiss(key)

    @contextlib.contextmanager
    def making(self, key: str) -> Iterator[Source | None]:
        """Hold *key*'s lock while it is made, and give what another process made
        meanwhile (None: make it).  Parallel builds of episodes that share
        recordings (jingles, beds) decode each of them once: the second waits for
        the first instead of doing the same work beside it.  The lock
        (``filelock``) is released by the system if the process dies."""
        from filelock import FileLock

        self.missing(key)
        data_path, _meta = self._paths(key)
        data_path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(data_path.with_suffix(".lock"), is_singleton=False):
            yield self.get(key)

    def put(self, key: str, samples: np.ndarray) -> Source:
        self.missing(key)
        samples = np.ascontiguousarray(samples, dtype="<f4")
        if samples.ndim == 1:
            samples = samples[:, None]
        from ..audio.loudness import measure

        # A mono source is heard on both channels: measured as dual mono.
        loudness = measure(samples, dec.RATE, true_peak=False,
                           dual_mono=samples.shape[1] == 1).integrated_lufs
        data_path, meta_path = self._paths(key)
        with atomic_open(data_path) as fh:
            fh.write(samples.tobytes())
        meta = {"channels": samples.shape[1], "frames": len(samples),
                "loudness_lufs": loudness if np.isfinite(loudness) else -200.0}
        write_text(meta_path, json.dumps(meta))
        return self.get(key)

    @staticmethod
    def read(source: Source, start: int, count: int) -> np.ndarray:
        """Frames [start, start+count) as float32 (count, channels), zero past the end."""
        first, last = max(start, 0), min(start + count, source.frames)
        chunk = np.zeros(0, dtype=np.float32)
        if last > first:
            with open(source.path, "rb") as fh:
                fh.seek(first * source.channels * 4)
                chunk = np.fromfile(fh, dtype="<f4", count=(last - first) * source.channels)
        if len(chunk) == count * source.channels:   # all inside (nearly always)
            return chunk.reshape(count, source.channels)
        out = np.zeros((count, source.channels), dtype=np.float32)
        out[first - start:first - start + len(chunk) // source.channels] = \
            chunk.reshape(-1, source.channels)
        return out


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _key(*parts) -> str:
    return hashlib.sha256(json.dumps([STORE_VERSION, *parts], ensure_ascii=False)
                          .encode()).hexdigest()


class AssetError(Exception):
    """A recording that cannot be used; the caller adds the script's file:line."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


def resolve_asset(assets_dir: Path, relative: str) -> Path:
    """The file a cue names, refusing anything outside audio_assets/ (symlinks too)."""
    from .fsnames import CaseTwins, NameTwins, find_nfc

    try:
        root = assets_dir.resolve()
        # a name stored decomposed (NFD, copied from a Mac) matches the script's NFC too
        path = (find_nfc(assets_dir, relative) or assets_dir / relative).resolve()
        is_dir, exists = path.is_dir(), path.exists()
    except NameTwins as twins:
        raise AssetError(_l("two files in {folder} are named '{name}': they differ only in "
                            "how their accents are stored ({first} and {second})",
                            folder=_shown(assets_dir, twins.folder), name=twins.name,
                            first=twins.forms[0], second=twins.forms[1]),
                         _l("keep one of them (the other was probably copied from a Mac): "
                            "delete or rename it")) from None
    except CaseTwins as twins:
        raise AssetError(_l("{folder} holds {names}: which one '{name}' means cannot be told "
                            "(their names differ only in letter case)",
                            folder=_shown(assets_dir, twins.folder), name=twins.name,
                            names=", ".join(twins.names)),
                         _l("write the name exactly as the file is named, or delete or rename "
                            "one of them")) from None
    except (OSError, RuntimeError, ValueError) as exc:   # loops, names too long, NUL bytes
        raise AssetError(_l("'{path}' cannot be opened: {reason}", path=relative,
                            reason=getattr(exc, "strerror", None) or exc),
                         _l("check the path, and any link along it, inside audio_assets/")) \
            from None
    if path != root and root not in path.parents:
        raise AssetError(_l("'{path}' points outside audio_assets/", path=relative),
                         _l("copy the recording into audio_assets/ and cue it from there"))
    if is_dir:
        raise AssetError(_l("'{path}' is a folder, not a recording", path=relative),
                         _l("name a file inside it, e.g. music/bed.ogg"))
    if not exists:
        near = _nearby(assets_dir, relative)
        raise AssetError(_l("audio_assets/{path} does not exist", path=relative),
                         _l("did you mean '{name}'?", name=near) if near else
                         _l("put the file in audio_assets/ or fix the path"))
    return path


def _shown(assets_dir: Path, folder: Path) -> str:
    """*folder* (inside audio_assets/) as the user sees it: 'audio_assets/music/'."""
    inside = os.path.relpath(folder, assets_dir)
    return "audio_assets/" if inside == "." else f"audio_assets/{inside}/"


def _nearby(assets_dir: Path, relative: str) -> str | None:
    import difflib

    names = {str(p.relative_to(assets_dir)).casefold(): str(p.relative_to(assets_dir))
             for p in assets_dir.rglob("*") if p.is_file()}
    match = difflib.get_close_matches(relative.casefold(), list(names), n=1, cutoff=0.6)
    return names[match[0]] if match else None


def render_asset(store: SourceStore, path: Path, start_ms: int = 0,
                 end_ms: int | None = None) -> Source:
    """Decode a recording (trimmed) into the store."""
    try:
        key = _key("asset", file_digest(path), start_ms, end_ms)
        empty = path.stat().st_size == 0
    except OSError as exc:
        raise AssetError(_l("cannot read {name}: {reason}", name=path.name, reason=exc.strerror),
                         _l("make the file readable (check its permissions), or copy it "
                            "into audio_assets/ again")) from None
    if empty:
        raise AssetError(_l("{name} is empty (0 bytes)", name=path.name),
                         _l("copy or export the recording again; the copy may have failed"))
    if (cached := store.get(key)) is not None:
        return cached
    with store.making(key) as made:
        return made or _decode_asset(store, key, path, start_ms, end_ms)


def _decode_asset(store: SourceStore, key: str, path: Path, start_ms: int,
                  end_ms: int | None) -> Source:
    try:
        samples, info = dec.decode_with_info(path, 2)
        declared_s = info.duration_s if _states_its_length(info) else None
    except dec.DecodeError as exc:
        raise AssetError(_l("cannot decode {name}: {reason}", name=path.name, reason=exc),
                         _l("re-export the recording as WAV, FLAC or MP3")) from None
    total_ms = len(samples) * 1000 / dec.RATE
    if info.codec.startswith("pcm_") and (declared := _wav_declared_s(path)):
        declared_s = declared
    if declared_s and total_ms < declared_s * 1000 * 0.95 - 500:
        raise AssetError(_l("{name} is truncated: it holds {held:.1f} s of the {declared:.1f} s "
                            "its header announces", name=path.name, held=total_ms / 1000,
                            declared=declared_s),
                         _l("copy or export the recording again from the original"))
    if len(samples) < dec.RATE // 100:
        raise AssetError(_l("{name} has no audio (0 seconds)", name=path.name),
                         _l("record or export it again; a clip must last at least 10 ms"))
    if start_ms >= total_ms - 1:
        raise AssetError(_l("the trim từ={start:g}s starts past the end of {name} ({total:.2f}s)",
                            start=start_ms / 1000, name=path.name, total=total_ms / 1000),
                         _l("check từ= against the recording's length"))
    if end_ms is not None and end_ms > total_ms + 5:
        raise AssetError(_l("the trim đến={end:g}s is past the end of {name} ({total:.2f}s)",
                            end=end_ms / 1000, name=path.name, total=total_ms / 1000),
                         _l("shorten đến= or leave it out"))
    first = round(start_ms * dec.RATE / 1000)
    last = len(samples) if end_ms is None else round(end_ms * dec.RATE / 1000)
    samples = samples[first:last]
    if len(samples) < dec.RATE // 100:
        raise AssetError(_l("{name} has no audio (0 seconds)", name=path.name),
                         _l("record or export it again; a clip must last at least 10 ms"))
    return store.put(key, samples)


def _states_its_length(info) -> bool:
    """Whether the file's header states the length it was written with: WAV and
    FLAC do, and an MP3 with a Xing/Info header (LAME writes one) does; a truncated
    copy still announces the whole.  Of an MP3 without one, ffmpeg can only
    estimate the length from the size, which shrinks with the file."""
    if info.codec.startswith("pcm_") or info.codec == "flac":
        return True
    return info.codec == "mp3" and info.duration_s is not None and not info.duration_estimated


def _wav_declared_s(path: Path) -> float | None:
    """The length a WAV's data chunk announces (None for a streamed WAV without one)."""
    try:
        return read_layout(path).declared_s
    except (OSError, WavError):
        return None


def render_speech(store: SourceStore, samples: np.ndarray, rate: int, identity: str) -> Source:
    """Resample a synthesized or recorded voice (int16 mono) into the store."""
    key = _key("speech", identity, rate)
    if (cached := store.get(key)) is not None:
        return cached
    store.missing(key)
    audio = dec.to_rate(samples.astype(np.float32) / 32768.0, rate)
    return store.put(key, audio)
