"""Instruments and a note renderer for the synthesized demo music.

Every instrument is a function ``(freq_hz, dur_s, vel, rng, ornament) -> mono``
returning float64 samples at :data:`RATE`.  The sounds are modelled on
Vietnamese folk instruments: the đàn tranh (a plucked zither: bright steel
strings with stretched, fast-decaying upper partials, as a Karplus–Strong
string would give, and pressed-string bends), the đàn bầu (a monochord played
in harmonics: a pure, singing tone with wide slides and vibrato) and the sáo
(a bamboo flute with breath noise), with a soft pad, a round bass and light
percussion (mõ woodblock, a small drum, a shaker, a gong).

Partials are kept below ~7.5 kHz, so nothing sounds harsh on horn speakers.
The only randomness is the ``numpy.random.Generator`` passed in by the caller.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import signal

RATE = 44100
TOP_HZ = 7500.0
TARGET_LUFS = -18.0
CEILING_DBFS = -1.5


def midi_hz(midi: float) -> float:
    return 440.0 * 2.0 ** ((midi - 69.0) / 12.0)


def _time(n: int) -> np.ndarray:
    return np.arange(n) / RATE


def _ramp_env(n: int, attack_s: float, release_s: float) -> np.ndarray:
    """Raised-cosine attack and release over *n* samples."""
    env = np.ones(n)
    a = min(n // 2, max(1, int(attack_s * RATE)))
    r = min(n - a, max(1, int(release_s * RATE)))
    env[:a] = 0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, a))
    env[n - r:] *= 0.5 + 0.5 * np.cos(np.linspace(0.0, np.pi, r))
    return env


def ornament_cents(name: str | None, n: int, rng: np.random.Generator) -> np.ndarray:
    """Pitch deviation in cents: the ornaments of Vietnamese string playing."""
    t = _time(n)
    cents = np.zeros(n)
    if not name:
        return cents
    if "slide" in name:  # luyến: slide into the note from a tone below
        cents += -200.0 * np.exp(-t / 0.045)
    if "bend" in name:  # nhấn: press the string, a tone up, and release
        up = np.clip((t - 0.35) / 0.12, 0.0, 1.0) - np.clip((t - 0.75) / 0.2, 0.0, 1.0)
        cents += 200.0 * (0.5 - 0.5 * np.cos(np.pi * up))
    if "vib" in name:  # rung: a delayed, growing vibrato
        depth = 28.0 * np.clip((t - 0.25) / 0.5, 0.0, 1.0)
        rate = 5.2 + 0.6 * rng.random()
        cents += depth * np.sin(2 * np.pi * rate * t)
    return cents


def _partials(freq: float, n: int, cents: np.ndarray, amps, rng: np.random.Generator,
              decay_s: float | None = None, slope: float = 0.0) -> np.ndarray:
    """Sum of harmonic partials following one pitch curve.

    With *decay_s*, partial k decays with the time constant
    ``decay_s / (1 + slope * (k - 1))``: upper partials die first, as on a
    real string.  Partials are rotated phasors (one complex multiply each).
    """
    phase = 2 * np.pi * np.cumsum(freq * 2.0 ** (cents / 1200.0)) / RATE
    z = np.exp(1j * phase)
    zk = np.ones(n, dtype=np.complex128)
    env = np.exp(-_time(n) / decay_s) if decay_s else np.ones(n)
    step = np.exp(-_time(n) * slope / decay_s) if decay_s and slope else None
    out = np.zeros(n)
    for k, amp in enumerate(amps, start=1):
        zk *= z
        if k > 1 and step is not None:
            env = env * step
        if freq * k > TOP_HZ:
            break
        if amp > 0:
            out += amp * env * (zk * np.exp(1j * rng.uniform(0, 0.3))).imag
    return out


def tranh(freq, dur, vel, rng, ornament=None):
    """Đàn tranh: a bright plucked steel string that rings on."""
    n = int(min(dur + 1.2, 3.2) * RATE)
    pos = 0.12 + 0.03 * rng.random()  # pluck position near the bridge: bright
    k = np.arange(1, 19)
    amps = np.abs(np.sin(np.pi * k * pos)) / k ** 0.9
    tau1 = 1.3 * (220.0 / freq) ** 0.4
    body = _partials(freq, n, ornament_cents(ornament, n, rng), amps, rng, tau1, 0.45)
    pick = rng.standard_normal(n) * np.exp(-_time(n) / 0.004)
    pick = signal.sosfilt(signal.butter(2, [1500, 5000], "bandpass", fs=RATE, output="sos"), pick)
    return vel * (0.8 * body + 0.3 * pick) * _ramp_env(n, 0.002, 0.08)


def bau(freq, dur, vel, rng, ornament="vib"):
    """Đàn bầu: a pure, singing harmonic tone with slides and vibrato."""
    n = int((dur + 0.7) * RATE)
    cents = ornament_cents(ornament or "vib", n, rng)
    body = _partials(freq, n, cents, [1.0, 0.3, 0.12, 0.05, 0.02], rng)
    t = _time(n)
    env = (0.25 + 0.75 * np.exp(-t / 1.4)) * _ramp_env(n, 0.012, 0.6)
    env[int(dur * RATE):] *= np.exp(-(t[int(dur * RATE):] - dur) / 0.18)
    return vel * 0.5 * body * env


def sao(freq, dur, vel, rng, ornament="vib"):
    """Sáo trúc: a bamboo flute, soft partials and a breath of noise."""
    n = int((dur + 0.15) * RATE)
    cents = ornament_cents(ornament or "vib", n, rng) * 0.5
    body = _partials(freq, n, cents, [1.0, 0.22, 0.08, 0.03], rng)
    lo, hi = freq * 0.8, min(freq * 3.0, 7000.0)
    breath = signal.sosfilt(signal.butter(2, [lo, hi], "bandpass", fs=RATE, output="sos"),
                            rng.standard_normal(n))
    swell = 0.85 + 0.15 * np.sin(np.pi * np.linspace(0, 1, n))
    env = swell * _ramp_env(n, 0.06, 0.14)
    return vel * 0.45 * (body + 0.05 * breath / (np.std(breath) + 1e-12)) * env


def pad(freq, dur, vel, rng, ornament=None):
    """A soft, slowly breathing pad voice (several play one chord)."""
    n = int((dur + 1.2) * RATE)
    k = np.arange(1, 9)
    cents = 4.0 * np.sin(2 * np.pi * (0.15 + 0.1 * rng.random()) * _time(n))
    body = _partials(freq, n, cents, 1.0 / k ** 1.6, rng)
    env = _ramp_env(n, min(0.7, dur * 0.5), 1.2)
    return vel * 0.12 * body * env


def bass(freq, dur, vel, rng, ornament=None):
    """A round plucked bass (đàn đáy-like)."""
    n = int((dur + 0.1) * RATE)
    t = _time(n)
    body = _partials(freq, n, np.zeros(n), [1.0, 0.4, 0.18, 0.08, 0.04], rng, 0.9, 0.6)
    return vel * 0.55 * body * _ramp_env(n, 0.008, 0.08) * (0.6 + 0.4 * np.exp(-t / 0.15))


def _modes(n: int, freqs, decays, amps, rng) -> np.ndarray:
    t = _time(n)
    out = np.zeros(n)
    for f, d, a in zip(freqs, decays, amps):
        if f < TOP_HZ:
            out += a * np.sin(2 * np.pi * f * t + rng.uniform(0, 0.2)) * np.exp(-t / d)
    return out


def mo(freq, dur, vel, rng, ornament=None):
    """Mõ: a wooden block, two or three short inharmonic modes."""
    n = int(0.25 * RATE)
    body = _modes(n, [freq, freq * 1.47, freq * 2.09], [0.045, 0.03, 0.015], [1.0, 0.5, 0.25], rng)
    return vel * 1.2 * body * _ramp_env(n, 0.0008, 0.02)


def drum(freq, dur, vel, rng, ornament=None):
    """A small hand drum (trống cơm-like): a membrane with a falling pitch."""
    n = int(0.6 * RATE)
    t = _time(n)
    sweep = freq * (1.0 + 0.5 * np.exp(-t / 0.03))
    body = np.sin(2 * np.pi * np.cumsum(sweep) / RATE) * np.exp(-t / 0.2)
    body += 0.35 * _modes(n, [freq * 1.59, freq * 2.14], [0.08, 0.05], [1.0, 0.6], rng)
    slap = signal.sosfilt(signal.butter(2, 1800, fs=RATE, output="sos"),
                          rng.standard_normal(n)) * np.exp(-t / 0.012)
    return vel * 0.6 * (body + 0.3 * slap) * _ramp_env(n, 0.001, 0.05)


def shaker(freq, dur, vel, rng, ornament=None):
    """A soft seed shaker: band-limited noise, never above ~7 kHz."""
    n = int(0.12 * RATE)
    t = _time(n)
    noise = signal.sosfilt(signal.butter(4, [2500, 6500], "bandpass", fs=RATE, output="sos"),
                           rng.standard_normal(n))
    env = (1 - np.exp(-t / 0.012)) * np.exp(-t / 0.035)
    return vel * 0.5 * noise * env


def gong(freq, dur, vel, rng, ornament=None):
    """A small gong / temple bell: inharmonic, slowly beating partials."""
    n = int(max(dur, 3.0) * RATE)
    ratios = [1.0, 1.003, 2.0, 2.41, 2.98, 4.07, 5.37]
    decays = [3.0, 2.8, 1.6, 1.2, 0.9, 0.6, 0.4]
    amps = [0.7, 0.5, 0.35, 0.3, 0.2, 0.12, 0.08]
    body = _modes(n, [freq * r for r in ratios], decays, amps, rng)
    return vel * 0.5 * body * _ramp_env(n, 0.004, 0.3)


INSTRUMENTS = {  # name -> (function, reverb send)
    "tranh": (tranh, 0.30), "bau": (bau, 0.40), "sao": (sao, 0.35), "pad": (pad, 0.5),
    "bass": (bass, 0.05), "mo": (mo, 0.20), "drum": (drum, 0.12), "shaker": (shaker, 0.2),
    "gong": (gong, 0.45),
}


@dataclass(frozen=True)
class Note:
    start_s: float
    midi: float
    dur_s: float
    vel: float
    inst: str
    pan: float = 0.0  # -1 left .. +1 right
    ornament: str | None = None


def render(notes: list[Note], n: int, rng: np.random.Generator,
           circular: bool) -> tuple[np.ndarray, np.ndarray]:
    """Render *notes* into stereo (dry, reverb send) buffers of *n* samples.

    With *circular*, sound that rings past the end wraps onto the start, so the
    result loops seamlessly.
    """
    spill = 5 * RATE
    dry = np.zeros((n + spill, 2))
    send = np.zeros((n + spill, 2))
    for note in sorted(notes, key=lambda x: (x.start_s, x.inst, x.midi)):
        func, send_level = INSTRUMENTS[note.inst]
        mono = func(midi_hz(note.midi), note.dur_s, note.vel, rng, note.ornament)
        start = int(round(note.start_s * RATE)) % (n if circular else n + spill)
        mono = mono[: n + spill - start]
        angle = (np.clip(note.pan, -1, 1) + 1) * np.pi / 4
        gains = np.array([np.cos(angle), np.sin(angle)]) * np.sqrt(2)
        dry[start:start + len(mono)] += mono[:, None] * gains
        send[start:start + len(mono)] += mono[:, None] * gains * send_level
    if circular:
        return fold(dry, n), fold(send, n)
    return dry[:n], send[:n]


def fold(x: np.ndarray, n: int) -> np.ndarray:
    """Wrap everything past sample *n* back onto the start (a circular buffer)."""
    out = x[:n].copy()
    for i in range(n, len(x), n):
        chunk = x[i:i + n]
        out[: len(chunk)] += chunk
    return out


def reverb_ir(seconds: float, rt60_s: float, rng: np.random.Generator,
              predelay_s: float = 0.012, damping_hz: float = 5000.0) -> np.ndarray:
    """A synthetic stereo impulse response: sparse early reflections, then a
    decaying noise tail whose highs die faster than its lows."""
    n = int(seconds * RATE)
    t = _time(n)
    tail = rng.standard_normal((n, 2)) * np.exp(-6.9 * t / rt60_s)[:, None]
    dark = signal.sosfilt(signal.butter(2, damping_hz / 4, fs=RATE, output="sos"), tail, axis=0)
    mix = np.clip(t / rt60_s * 2.5, 0, 1)[:, None]
    ir = (1 - mix) * signal.sosfilt(signal.butter(2, damping_hz, fs=RATE, output="sos"),
                                    tail, axis=0) + mix * dark
    ir *= np.clip(t / 0.02, 0, 1)[:, None]  # the diffuse tail builds up
    for _ in range(8):
        at = int(rng.uniform(0.004, 0.05) * RATE)
        ir[at, rng.integers(0, 2)] += rng.uniform(0.3, 0.8) * (1 if rng.random() < 0.5 else -1)
    ir = np.concatenate([np.zeros((int(predelay_s * RATE), 2)), ir])
    return ir / np.sqrt(np.sum(ir ** 2) / 2)


def convolve(x: np.ndarray, ir: np.ndarray, circular: bool) -> np.ndarray:
    """Stereo convolution (left with left, right with right)."""
    wet = np.stack([signal.fftconvolve(x[:, c], ir[:, c]) for c in range(2)], axis=1)
    return fold(wet, len(x)) if circular else wet[: len(x)]


def normalize(x: np.ndarray, target_lufs: float = TARGET_LUFS,
              ceiling_dbfs: float = CEILING_DBFS, limit: bool = False) -> np.ndarray:
    """Scale to *target_lufs* (BS.1770).  A peak that would pass
    *ceiling_dbfs* lowers the gain or, with *limit*, is limited.  float32 out."""
    from ..audio.loudness import measure

    x = np.asarray(x, dtype=np.float64)
    loud = measure(x if len(x) > RATE else np.tile(x, (2, 1)), RATE,
                   true_peak=False).integrated_lufs
    x = x * (10 ** ((target_lufs - loud) / 20) if np.isfinite(loud) else 1.0)
    ceiling = 10 ** (ceiling_dbfs / 20)
    if limit:
        x = limiter(x, ceiling)
    peak = np.max(np.abs(x))
    return (x * min(1.0, ceiling / peak) if peak > 0 else x).astype(np.float32)


def limiter(x: np.ndarray, ceiling: float, window_s: float = 0.01) -> np.ndarray:
    """A brick-wall peak limiter: the gain never lets a sample pass *ceiling*
    (the minimum gain over a window, then averaged over the same window)."""
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    peak = np.max(np.abs(x), axis=1) if x.ndim > 1 else np.abs(x)
    gain = np.minimum(1.0, ceiling / np.maximum(peak, 1e-12))
    w = max(1, int(window_s * RATE)) | 1
    gain = uniform_filter1d(minimum_filter1d(gain, w, mode="nearest"), w, mode="nearest")
    return x * (gain[:, None] if x.ndim > 1 else gain)
