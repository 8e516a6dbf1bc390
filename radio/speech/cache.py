"""The speech cache: synthesized audio keyed by everything that shapes it.

Key = (engine, engine version, voice settings, spoken text).  It lives in
``.radio/cache/speech/`` (outside ``output/``) so cleaning the build does not
throw away online synthesis.  Entries are written atomically; a failed or
empty synthesis is never stored.
"""
from __future__ import annotations

import hashlib
import io
import json
import wave
from pathlib import Path

import numpy as np

from ..fsio import write_bytes


def speech_key(engine: str, version: str, settings: dict, text: str) -> str:
    blob = json.dumps({"engine": engine, "version": version, "settings": settings,
                       "text": text}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


class SpeechCache:
    """``enabled=False`` (``--no-cache``): never read, but fresh results are stored.

    ``folder=None``: nothing is ever read or stored (``radio say``).
    """

    def __init__(self, folder: Path | None, enabled: bool = True):
        self.folder = folder
        self.enabled = enabled
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.wav"

    def get(self, key: str) -> tuple[np.ndarray, int] | None:
        if not self.enabled or self.folder is None:
            return None
        path = self._path(key)
        try:
            with wave.open(str(path), "rb") as wav:
                rate, frames = wav.getframerate(), wav.getnframes()
                data = wav.readframes(frames)
        except (OSError, EOFError, wave.Error):
            return None  # missing or unreadable: synthesize again
        if frames == 0 or len(data) != frames * 2:
            return None
        self.hits += 1
        return np.frombuffer(data, dtype="<i2").copy(), rate

    def timings_path(self, key: str) -> Path:
        """espeak-ng's sentence and word events for the audio of *key*, beside it."""
        return self.folder / key[:2] / f"{key}.events.json"

    def get_timings(self, key: str) -> list | None:
        if self.folder is None:
            return None
        try:
            return json.loads(self.timings_path(key).read_text(encoding="utf-8"))["events"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put_timings(self, key: str, events: list) -> None:
        """Store the events of *key*'s audio; the audio itself is never rewritten."""
        if self.folder is None:
            return
        write_bytes(self.timings_path(key), json.dumps({"events": events}).encode())

    def put(self, key: str, samples: np.ndarray, rate: int) -> None:
        if len(samples) == 0:
            return
        self.misses += 1
        if self.folder is None:
            return
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(rate)
            wav.writeframes(np.asarray(samples, dtype="<i2").tobytes())
        write_bytes(self._path(key), buffer.getvalue())
