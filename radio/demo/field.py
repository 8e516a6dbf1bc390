"""Room tone, synthesized ambience, and the "field recording" colour.

Interview clips in the demo are spoken by an offline voice; to sound like
reporters' recordings rather than studio narration they go through
:func:`field_recording`: a small room's reverb, background ambience (an
orchard with wind and distant birds, a market murmur, or an office room
tone), slow level drift as from a hand-held microphone, a little recorder
saturation, and a 150–6000 Hz band limit.  Deterministic from the seed.
"""
from __future__ import annotations

import numpy as np
import soxr
from scipy import signal

from .instruments import RATE, convolve, normalize, reverb_ir

AMBIENCES = ("orchard", "market", "office")


def _rng(seed: int, stream: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64([seed, stream]))


def _sos(order, cutoff, kind="lowpass"):
    return signal.butter(order, cutoff, kind, fs=RATE, output="sos")


def _slow(n: int, rate_hz: float, rng: np.random.Generator) -> np.ndarray:
    """A smooth random curve around 0 with unit deviation, varying at ~rate_hz."""
    points = rng.standard_normal(int(n / RATE * rate_hz) + 4)
    x = np.linspace(0, len(points) - 3, n)
    i = x.astype(int)
    f = x - i
    w = 0.5 - 0.5 * np.cos(np.pi * f)  # cosine interpolation
    return points[i] * (1 - w) + points[i + 1] * w


def room_tone(seconds: float, seed: int, level_dbfs: float = -58.0) -> np.ndarray:
    """Quiet stereo room tone: soft, dark, slightly decorrelated noise."""
    n = int(round(seconds * RATE))
    rng = _rng(seed, 1)
    white = rng.standard_normal((n, 2))
    white[:, 1] = 0.6 * white[:, 0] + 0.8 * white[:, 1]
    b, a = [0.049922035, -0.095993537, 0.050612699, -0.004408786], \
        [1, -2.494956002, 2.017265875, -0.522189400]  # pink-noise filter (Kellet)
    pink = signal.lfilter(b, a, white, axis=0)
    tone = signal.sosfilt(_sos(2, [70, 3500], "bandpass"), pink, axis=0)
    tone *= 10 ** (level_dbfs / 20) / (np.sqrt(np.mean(tone ** 2)) + 1e-12)
    return tone.astype(np.float32)


def _birds(n: int, rng: np.random.Generator) -> np.ndarray:
    """Distant birdsong: short phrases of chirps swept between 2.5 and 5 kHz."""
    out = np.zeros(n)
    at = int(rng.uniform(0.3, 1.5) * RATE)
    while at < n:
        base = rng.uniform(2600, 4200)
        for _ in range(int(rng.integers(2, 6))):
            length = int(rng.uniform(0.04, 0.12) * RATE)
            if at + length >= n:
                break
            sweep = base * (1 + rng.uniform(-0.25, 0.25) * np.linspace(0, 1, length))
            chirp = np.sin(2 * np.pi * np.cumsum(sweep) / RATE) * np.hanning(length)
            out[at:at + length] += chirp * rng.uniform(0.4, 1.0)
            at += length + int(rng.uniform(0.03, 0.12) * RATE)
        at += int(rng.uniform(1.2, 4.5) * RATE)
    return out


def _murmur(n: int, rng: np.random.Generator) -> np.ndarray:
    """A distant market: several voice-like noise streams with syllable rhythm."""
    out = np.zeros(n)
    for _ in range(7):
        centre = rng.uniform(350, 1100)
        voice = signal.sosfilt(_sos(2, [centre * 0.6, centre * 1.8], "bandpass"),
                               rng.standard_normal(n))
        syllables = np.clip(_slow(n, rng.uniform(4, 7), rng) + 0.3, 0, None)
        phrases = np.clip(_slow(n, 0.4, rng) + 0.5, 0, None)
        out += voice * syllables * phrases
    return signal.sosfilt(_sos(2, 2200), out)


def ambience(kind: str, n: int, seed: int) -> np.ndarray:
    """Mono background for a field recording, at about −45 dBFS RMS."""
    rng = _rng(seed, 2)
    bed = room_tone(n / RATE, seed, -55.0)[:, 0].astype(np.float64)
    if kind == "orchard":
        wind = signal.sosfilt(_sos(2, [200, 1600], "bandpass"), rng.standard_normal(n))
        gusts = 0.6 + 0.4 * np.tanh(_slow(n, 0.25, rng))
        wind *= gusts * 10 ** (-53 / 20) / (np.std(wind) + 1e-12)
        birds = _birds(n, rng) * 10 ** (-47 / 20)
        return bed + wind + birds
    if kind == "market":
        murmur = _murmur(n, rng)
        return bed + murmur * 10 ** (-50 / 20) / (np.std(murmur) + 1e-12)
    if kind == "office":
        return bed * 1.6
    raise ValueError(f"unknown ambience {kind!r}; choose one of {', '.join(AMBIENCES)}")


def _leveler(x: np.ndarray, threshold_db: float = -24.0, ratio: float = 3.0) -> np.ndarray:
    """A recorder's automatic level control: a smooth RMS compressor (mono in)."""
    def smooth(v, seconds):
        a = np.exp(-1.0 / (seconds * RATE))
        return signal.lfilter([1 - a], [1, -a], v)
    level_db = 10 * np.log10(smooth(x ** 2, 0.03) + 1e-12)
    cut_db = np.maximum(0.0, level_db - threshold_db) * (1 - 1 / ratio)
    return x * 10 ** (-smooth(cut_db, 0.06) / 20)


def field_recording(voice: np.ndarray, rate: int, seed: int, ambience_kind: str = "orchard",
                    lead_s: float = 0.6, tail_s: float = 0.9) -> np.ndarray:
    """Colour a clean voice as an on-location interview recording.

    *voice* is mono (int16 or float); the result is float32 stereo at 44.1 kHz
    with *lead_s* / *tail_s* of ambience before and after the speech.
    """
    x = np.asarray(voice)
    x = x.astype(np.float64) / (32768.0 if x.dtype == np.int16 else 1.0)
    if x.ndim > 1:
        x = x.mean(axis=1)
    if rate != RATE:
        x = soxr.resample(x, rate, RATE, quality="HQ")
    lead, tail = int(lead_s * RATE), int(tail_s * RATE)
    x = _leveler(x / (np.max(np.abs(x)) + 1e-12) * 0.3)
    x = np.concatenate([np.zeros(lead), x, np.zeros(tail)])
    n, rng = len(x), _rng(seed, 3)
    x *= 10 ** (1.2 * np.tanh(_slow(n, 0.35, rng)) / 20)  # hand-held level drift, ±1.2 dB
    room = reverb_ir(0.5, 0.32, rng, predelay_s=0.003, damping_hz=3500)
    wet = convolve(np.stack([x, x], axis=1), room, circular=False)
    mix = x[:, None] * np.array([1.0, 1.0]) + 0.22 * wet
    amb = ambience(ambience_kind, n, seed)
    mix += np.stack([amb, np.roll(amb, int(0.011 * RATE))], axis=1)
    presence = signal.iirpeak(2600, 1.2, fs=RATE)
    mix = mix + 0.3 * signal.lfilter(*presence, mix, axis=0)  # small-mic presence
    mix = np.tanh(mix * 1.6) / 1.6  # a touch of recorder saturation
    mix = signal.sosfilt(_sos(4, 150, "highpass"), mix, axis=0)
    mix = signal.sosfilt(_sos(8, 6000), mix, axis=0)
    ramp = np.minimum(1.0, np.minimum(np.arange(n), np.arange(n)[::-1]) / (0.08 * RATE))
    # lossy encoders overshoot limited peaks: leave them room
    return normalize(mix * ramp[:, None], -19.0, -3.0, limit=True)
