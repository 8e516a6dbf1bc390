"""Hear an edit within a second: the changed paragraph alone, at the master's level.

The full mix takes seconds to rebuild; a paragraph takes milliseconds to speak.
After a save the paragraph is synthesized alone (through the studio's own,
already running espeak helper, and the speech cache) and leveled so that it
sounds as loud as the same speaker sounds in the current master: the master's
gain, measured on that speaker's nearest paragraph in the master, is applied.
Without a master yet, it is leveled to the preset's target loudness.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..audio.decode import to_rate
from ..audio.loudness import LoudnessMeter
from ..audio.wav import header, read_layout, samples
from ..fsio import atomic_open
from ..script.model import Paragraph
from ..targets.report import Report

RATE = 44100
CEILING = 10 ** (-1.0 / 20)    # sample peak at most -1 dBFS
DEFAULT_LUFS = -16.0


@dataclass(frozen=True)
class Audition:
    line: int
    speaker: str
    file: str          # name inside the audition folder
    duration_s: float
    gain_db: float
    ms: int            # how long synthesizing and leveling took


def _lufs(block: np.ndarray) -> float:
    meter = LoudnessMeter(RATE, block.shape[1], true_peak=False)
    meter.feed(block.astype(np.float32))
    return meter.integrated_lufs()


def master_level(master_dir: Path | None, speaker: str, line: int) -> float | None:
    """Loudness (LUFS) of *speaker*'s paragraph nearest to *line* in the master in
    *master_dir* (a published preview version: report + WAV), or None."""
    if master_dir is None:
        return None
    reports = sorted(master_dir.glob("*.json"))
    if not reports:
        return None
    report = Report.load(reports[0])
    speech = [s for s in report.segments if s.kind == "speech"]
    same = [s for s in speech if s.speaker == speaker] or speech
    if not same:
        return None
    nearest = min(same, key=lambda s: abs(s.line - line))
    layout = read_layout(report.file("wav"))
    data = samples(layout)
    first, last = (round(ms * layout.rate / 1000) for ms in (nearest.start_ms, nearest.end_ms))
    block = np.asarray(data[first:last], dtype=np.float32) / 32768.0
    value = _lufs(block) if len(block) > layout.rate // 2 else float("-inf")
    return value if np.isfinite(value) else None


class Auditioner:
    """Speaks changed paragraphs into *folder* with its own synthesizer (started
    before the server's threads); one paragraph at a time."""

    def __init__(self, synth, folder: Path, lexicon_for):
        self.synth = synth
        self.folder = folder
        self.lexicon_for = lexicon_for     # () -> the production's current lexicon
        self._lock = threading.Lock()
        self._count = 0
        folder.mkdir(parents=True, exist_ok=True)

    def hear(self, episode, paragraph: Paragraph, master_dir: Path | None,
             target_lufs: float = DEFAULT_LUFS) -> Audition | None:
        from ..pipeline.prepare import voice_of
        from ..speech.sayable import has_words, strip_unsayable
        from ..speech.normalize import normalize

        started = time.monotonic()
        spoken = strip_unsayable(normalize(paragraph.text, self.lexicon_for()))
        if not has_words(spoken):
            return None
        with self._lock:
            speech = self.synth.speak(spoken, voice_of(episode, paragraph.speaker))
            self._count += 1
            name = f"{episode.name}-{self._count:04d}-l{paragraph.line}.wav"
        pcm16 = np.asarray(speech.samples).reshape(-1)   # int16 mono
        mono = to_rate(pcm16.astype(np.float32) / 32768.0, speech.rate)
        stereo = np.repeat(mono[:, None], 2, axis=1)
        level = _lufs(stereo) if len(stereo) > RATE // 2 else float("-inf")
        wanted = master_level(master_dir, paragraph.speaker, paragraph.line)
        gain_db = ((wanted if wanted is not None else target_lufs) - level) \
            if np.isfinite(level) else 0.0
        out = stereo * np.float32(10 ** (gain_db / 20))
        peak = float(np.max(np.abs(out))) if len(out) else 0.0
        if peak > CEILING:   # a sample-peak ceiling: this is a quick listen, not the master
            out *= np.float32(CEILING / peak)
        pcm = np.clip(np.round(out * 32767), -32768, 32767).astype("<i2")
        with atomic_open(self.folder / name) as fh:
            fh.write(header(len(pcm), 2, RATE))
            fh.write(pcm.tobytes())
        self._prune()
        return Audition(paragraph.line, paragraph.speaker, name, len(pcm) / RATE,
                        round(gain_db, 2), round((time.monotonic() - started) * 1000))

    def _prune(self, keep: int = 20) -> None:
        files = sorted(self.folder.glob("*.wav"), key=lambda p: p.stat().st_mtime)
        for old in files[:-keep]:
            old.unlink(missing_ok=True)
