"""What the preview page draws, computed from a built master and its report.

* waveform peaks: min and max of every ~10 ms (coarser for long episodes, so the
  page never receives more than ``MAX_BINS`` pairs), scaled to -127..127;
* the short-term loudness (EBU 3 s window) every 0.5 s, by the build's meter;
* for every paragraph, the words the normalizer rewrites (written -> spoken).

The master is read through a memory map in blocks: an hour-long programme is
never held in memory.
"""
from __future__ import annotations

import difflib
import math
import unicodedata
from dataclasses import asdict
from pathlib import Path

import numpy as np

from ..audio.wav import read_layout, samples
from ..targets.report import Report

BIN_MS = 10
MAX_BINS = 30000
SHORT_TERM_STEP_S = 0.5
BLOCK_BINS = 2000


def measure_master(wav: Path) -> dict:
    """Peaks and short-term loudness of a 16-bit WAV master in one pass."""
    from ..audio.loudness import LoudnessMeter

    layout = read_layout(wav)
    data = samples(layout)
    bin_frames = max(round(layout.rate * BIN_MS / 1000),
                     math.ceil(layout.frames / MAX_BINS))
    # The page draws the short-term series: no true peak (the report has it; half the cost).
    meter = LoudnessMeter(layout.rate, layout.channels, true_peak=False) \
        if layout.channels in (1, 2) else None
    lows, highs = [], []
    step = bin_frames * BLOCK_BINS
    for start in range(0, layout.frames, step):
        block = np.asarray(data[start:start + step])
        if meter is not None:
            meter.feed(block.astype(np.float32) / 32768.0)
        low, high = _block_peaks(block, bin_frames)
        lows.append(low)
        highs.append(high)
    low = np.concatenate(lows) if lows else np.zeros(0, dtype=np.int16)
    high = np.concatenate(highs) if highs else np.zeros(0, dtype=np.int16)
    pairs = np.empty(2 * len(low), dtype=np.int64)
    pairs[0::2] = np.round(low.astype(np.float64) * 127 / 32768)
    pairs[1::2] = np.round(high.astype(np.float64) * 127 / 32767)
    series = meter.short_term_lufs(SHORT_TERM_STEP_S) if meter is not None else []
    return {
        "peaks": {"bin_s": bin_frames / layout.rate, "values": pairs.tolist()},
        "short_term": [[t, round(v, 2) if math.isfinite(v) else None] for t, v in series],
        "frames": layout.frames, "rate": layout.rate,
    }


def _block_peaks(block: np.ndarray, bin_frames: int) -> tuple[np.ndarray, np.ndarray]:
    """Min and max over all channels of every bin (the last bin may be short)."""
    if len(block) == 0:
        return np.zeros(0, dtype=np.int16), np.zeros(0, dtype=np.int16)
    full = len(block) // bin_frames
    lows, highs = [], []
    if full:
        bins = block[:full * bin_frames].reshape(full, -1)
        lows.append(bins.min(axis=1))
        highs.append(bins.max(axis=1))
    rest = block[full * bin_frames:]
    if len(rest):
        lows.append(rest.min(keepdims=True).reshape(1))
        highs.append(rest.max(keepdims=True).reshape(1))
    return np.concatenate(lows), np.concatenate(highs)


def rewrites(text: str, spoken: str) -> list[dict] | None:
    """Word runs of *text* and what is read aloud in their place; None when equal."""
    text, spoken = unicodedata.normalize("NFC", text), unicodedata.normalize("NFC", spoken)
    if not spoken or text == spoken:
        return None
    written_words, spoken_words = text.split(), spoken.split()
    matcher = difflib.SequenceMatcher(None, written_words, spoken_words, autojunk=False)
    runs = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        runs.append({"same": op == "equal", "written": " ".join(written_words[i1:i2]),
                     "spoken": " ".join(spoken_words[j1:j2])})
    return runs


def page_data(report: Report, measured: dict, audio_url: str, version: int) -> dict:
    """Everything the page shows for one build, as one JSON-able dict."""
    segments = []
    for index, segment in enumerate(report.segment_rows()):
        item = dict(segment, index=index)
        if segment.get("kind") == "speech":
            item["rewrites"] = rewrites(segment.get("text", ""), segment.get("spoken", ""))
        segments.append(item)
    wav_loudness = report.loudness.get("wav", {})
    return {
        "version": version,
        "episode": report.episode,
        "title": report.title,
        "script": report.script,
        "preset": report.preset,
        "duration_s": report.duration_s,
        "audio": audio_url,
        "chapters": [asdict(c) for c in report.chapters],
        "segments": segments,
        "loudness": dict(wav_loudness, short_term=measured["short_term"]),
        "targets": report.targets,
        "peaks": measured["peaks"],
        "paragraphs": report.paragraphs,
        "engines": list(report.engines),
    }
