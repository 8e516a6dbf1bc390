"""The synthesized demo audio: deterministic, loopable, unclipped, band-limited."""
from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest

from radio.demo import music as synth
from radio.demo.instruments import RATE

CEILING = 10 ** (-1 / 20)
ASSETS = Path(__file__).resolve().parent.parent / "audio_assets"


@functools.lru_cache(maxsize=None)
def _jingle(kind: str, seconds: float, seed: int) -> np.ndarray:
    return synth.jingle(kind, seconds, seed)


@functools.lru_cache(maxsize=None)
def _bed(character: str, seconds: float, seed: int) -> np.ndarray:
    return synth.music_bed(character, seconds, seed)


def _voice_like(seconds: float = 2.0, rate: int = 22050) -> np.ndarray:
    """A buzzy, syllabic test 'voice' with broadband noise, as int16 mono."""
    rng = np.random.Generator(np.random.PCG64(5))
    t = np.arange(int(seconds * rate)) / rate
    buzz = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 60) if 140 * k < rate / 2)
    x = (buzz * 0.2 + 0.1 * rng.standard_normal(len(t))) * (0.5 + 0.5 * np.sin(2 * np.pi * 4 * t))
    return (x / np.max(np.abs(x)) * 20000).astype(np.int16)


def _energy_above(x: np.ndarray, rate: int, hz: float) -> float:
    mono = x.mean(axis=1) if x.ndim > 1 else x
    spec = np.abs(np.fft.rfft(mono.astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(len(mono), 1 / rate)
    return float(spec[freqs > hz].sum() / spec.sum())


def test_same_seed_same_samples():
    assert np.array_equal(synth.jingle("transition", 3.0, 7), _jingle("transition", 3.0, 7))
    assert np.array_equal(synth.music_bed("bright", 5.0, 3), _bed("bright", 5.0, 3))
    voice = _voice_like()
    assert np.array_equal(synth.field_recording(voice, 22050, 9, "market"),
                          synth.field_recording(voice, 22050, 9, "market"))
    assert np.array_equal(synth.room_tone(1.0, 4), synth.room_tone(1.0, 4))


def test_another_seed_other_samples():
    assert not np.array_equal(_jingle("transition", 3.0, 7), _jingle("transition", 3.0, 8))


@pytest.mark.parametrize("kind,seconds", [("ident", 5.0), ("transition", 3.0)])
def test_jingle_shape_level_and_fades(kind, seconds):
    x = _jingle(kind, seconds, 1)
    assert x.dtype == np.float32 and x.shape == (round(seconds * RATE), 2)
    assert np.max(np.abs(x)) <= CEILING
    assert np.max(np.abs(x[:5])) < 1e-2, "starts from silence"
    assert np.max(np.abs(x[-int(0.01 * RATE):])) < 1e-3, "fades out to silence"
    assert abs(float(x.mean())) < 1e-3, "no DC"
    assert _energy_above(x, RATE, 8000) < 1e-3, "nothing harsh above 8 kHz"
    rms_db = 20 * np.log10(np.sqrt(np.mean(x.astype(np.float64) ** 2)))
    assert -26 < rms_db < -14


def test_unknown_names_are_refused():
    with pytest.raises(ValueError):
        synth.jingle("fanfare", 3.0, 1)
    with pytest.raises(KeyError):
        synth.music_bed("loud", 10.0, 1)


@pytest.mark.parametrize("character,seconds", [("soft", 7.0), ("bright", 5.0), ("warm", 6.0)])
def test_bed_is_whole_bars_and_loops_seamlessly(character, seconds):
    x = _bed(character, seconds, 3)
    bar_s = 4 * 60.0 / synth.STYLES[character]["bpm"]
    bars = round(len(x) / RATE / bar_s)
    assert bars >= 1 and len(x) == round(bars * bar_s * RATE)
    assert abs(len(x) / RATE - seconds) <= bar_s / 2 + 1e-6
    assert np.max(np.abs(x)) <= CEILING
    steps = np.abs(np.diff(x, axis=0))
    seam = np.abs(x[0] - x[-1])
    assert np.all(seam <= np.percentile(steps, 99, axis=0)), "a click where the bed loops"
    assert abs(float(x.mean())) < 1e-3


def test_field_recording_is_band_limited_and_padded():
    voice = _voice_like()
    out = synth.field_recording(voice, 22050, 2, "orchard", lead_s=0.5, tail_s=0.5)
    assert out.dtype == np.float32 and out.shape[1] == 2
    assert abs(len(out) - (len(voice) * 2 + RATE)) <= 2
    assert _energy_above(out, RATE, 8000) < 0.01 * _energy_above(voice, 22050, 8000)
    assert np.max(np.abs(out)) <= CEILING
    lead = out[: int(0.4 * RATE)]
    level_db = 20 * np.log10(np.sqrt(np.mean(lead.astype(np.float64) ** 2)))
    assert -70 < level_db < -30, "a quiet but audible ambience before the speech"


def test_room_tone_is_quiet():
    tone = synth.room_tone(2.0, 1)
    assert tone.shape == (2 * RATE, 2)
    assert 20 * np.log10(np.sqrt(np.mean(tone.astype(np.float64) ** 2))) < -50


def test_committed_assets_stay_small():
    files = [p for p in ASSETS.rglob("*") if p.is_file()] if ASSETS.is_dir() else []
    if not any(p.suffix == ".ogg" for p in files):
        pytest.skip("audio_assets/ has not been generated (make assets)")
    assert sum(p.stat().st_size for p in files) < 8 * 1024 * 1024
