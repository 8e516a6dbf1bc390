"""The block-wise loudness meter against pyloudnorm and ffmpeg's ebur128.

Generated signals only (seeded), 10-30 s each.  Tolerances: integrated
loudness within 0.1 LU of pyloudnorm and of ffmpeg, true peak within 0.2 dB
of ffmpeg, loudness range within 1 LU of ffmpeg.  pyloudnorm is a test
reference only; the package never imports it.
"""
from __future__ import annotations

import math
import re
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from radio.audio.loudness import (Loudness, LoudnessMeter, TruePeakMeter, measure,
                                  measure_file)

RATE = 44100


# -- generated signals --------------------------------------------------------
def pink_noise(rng: np.random.Generator, frames: int, channels: int = 2) -> np.ndarray:
    """Noise with a 1/f power spectrum, unit RMS per channel."""
    spectrum = np.fft.rfft(rng.standard_normal((frames, channels)), axis=0)
    freqs = np.fft.rfftfreq(frames, 1.0 / RATE)
    freqs[0] = freqs[1]
    noise = np.fft.irfft(spectrum / np.sqrt(freqs)[:, None], frames, axis=0)
    return noise / np.sqrt(np.mean(noise ** 2, axis=0))


def speech_like(rng: np.random.Generator, seconds: float, level: float = 0.1) -> np.ndarray:
    """Pink noise shaped into 'syllables' (120-250 ms) grouped in phrases of
    1.5-3 s separated by pauses of 0.2-0.7 s."""
    frames = int(seconds * RATE)
    envelope = np.zeros(frames)
    pos = 0
    while pos < frames:
        phrase_end = pos + int(rng.uniform(1.5, 3.0) * RATE)
        while pos < min(phrase_end, frames):
            length = int(rng.uniform(0.12, 0.25) * RATE)
            syllable = np.hanning(length) * rng.uniform(0.4, 1.0)
            take = min(length, frames - pos)
            envelope[pos:pos + take] = syllable[:take]
            pos += length
        pos += int(rng.uniform(0.2, 0.7) * RATE)
    return (pink_noise(rng, frames) * envelope[:, None] * level).astype(np.float32)


def sine(freq: float, seconds: float, amplitude: float, phase: float = 0.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    tone = amplitude * np.sin(2 * np.pi * freq * t + phase)
    return np.repeat(tone[:, None], 2, axis=1).astype(np.float32)


def fade(samples: np.ndarray, seconds: float = 0.05) -> np.ndarray:
    ramp = np.minimum(1.0, np.arange(len(samples)) / (seconds * RATE))
    return (samples * np.minimum(ramp, ramp[::-1])[:, None]).astype(np.float32)


def alternating(rng: np.random.Generator, passages: int = 4, seconds: float = 8.0,
                spread_db: float = 8.0, level: float = 0.1) -> np.ndarray:
    """Speech-like passages alternately +spread_db and -spread_db."""
    parts = [speech_like(rng, seconds, level) * 10 ** (sign * spread_db / 20)
             for _ in range(passages // 2) for sign in (1, -1)]
    return np.concatenate(parts).astype(np.float32)


SIGNALS = {
    "sine_1k": lambda rng: sine(1000, 10, 0.1),
    "sine_fs4_intersample": lambda rng: fade(sine(RATE / 4, 10, 0.5, math.pi / 4)),
    "pink": lambda rng: fade((pink_noise(rng, 15 * RATE) * 0.05).astype(np.float32)),
    "speech": lambda rng: speech_like(rng, 20),
    "alternating": lambda rng: alternating(rng),
}


@pytest.fixture(scope="module", params=sorted(SIGNALS))
def signal(request):
    rng = np.random.default_rng(sorted(SIGNALS).index(request.param) + 10)
    return request.param, SIGNALS[request.param](rng)


# -- references -----------------------------------------------------------------
def write_wav(path: Path, samples: np.ndarray) -> np.ndarray:
    """Write 16-bit stereo; return the float samples exactly as written."""
    if samples.dtype != np.int16:
        samples = np.clip(np.round(samples * 32768.0), -32768, 32767).astype(np.int16)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.astype("<i2").tobytes())
    return samples.astype(np.float32) / 32768.0


def ffmpeg_ebur128(path: Path) -> dict:
    """ffmpeg's ebur128 Summary (I, LRA, sample and true peak), plus the last
    per-frame integrated value, which has three decimals instead of one."""
    import imageio_ffmpeg

    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-nostats", "-hide_banner", "-i", str(path),
               "-af", "ebur128=peak=true+sample:metadata=1,ametadata=mode=print:file=-",
               "-f", "null", "-"]
    run = subprocess.run(command, capture_output=True, text=True, check=True)
    summary = run.stderr[run.stderr.rindex("Summary:"):]

    def number(pattern: str, text: str = summary) -> float:
        value = re.search(pattern, text).group(1)
        return -math.inf if value == "-inf" else float(value)

    peaks = re.findall(r"Peak:\s+(-?[\d.]+|-inf)", summary)
    integrated = re.findall(r"lavfi\.r128\.I=(-?[\d.]+)", run.stdout)
    return {"I": number(r"I:\s+(-?[\d.]+|-inf) LUFS"), "LRA": number(r"LRA:\s+(-?[\d.]+) LU"),
            "sample_peak": float(peaks[0]), "true_peak": float(peaks[1]),
            "I_precise": float(integrated[-1]) if integrated else math.nan}


def pyloudnorm_integrated(samples: np.ndarray) -> float:
    pyloudnorm = pytest.importorskip("pyloudnorm")
    return pyloudnorm.Meter(RATE).integrated_loudness(samples.astype(np.float64))


def in_blocks(samples: np.ndarray, size: int):
    return (samples[i:i + size] for i in range(0, len(samples), size))


# -- tests ----------------------------------------------------------------------
def test_integrated_matches_pyloudnorm(signal):
    name, samples = signal
    ours = measure(samples).integrated_lufs
    assert abs(ours - pyloudnorm_integrated(samples)) <= 0.1, name


def test_matches_ffmpeg_ebur128(signal, tmp_path):
    name, samples = signal
    written = write_wav(tmp_path / f"{name}.wav", samples)
    ours = measure(written)
    ref = ffmpeg_ebur128(tmp_path / f"{name}.wav")
    assert abs(ours.integrated_lufs - ref["I_precise"]) <= 0.1, (name, ours, ref)
    assert abs(ours.integrated_lufs - ref["I"]) <= 0.1 + 0.05, (name, ours, ref)  # 1 decimal
    assert abs(ours.true_peak_dbtp - ref["true_peak"]) <= 0.2, (name, ours, ref)
    assert abs(ours.sample_peak_dbfs - ref["sample_peak"]) <= 0.06, (name, ours, ref)
    assert abs(ours.range_lu - ref["LRA"]) <= 1.0, (name, ours, ref)


def test_result_is_the_same_whatever_the_block_size(signal):
    name, samples = signal
    results = {size: measure(samples, block_frames=size) for size in (4096, 65536, 1000)}
    assert results[4096] == results[65536] == results[1000], name


@pytest.mark.parametrize("split", [False, True])
def test_a_background_meter_measures_what_the_meter_does(signal, split):
    # With split_peaks a second thread measures the true peak: the same figures,
    # energies and segment peaks, bit for bit.
    from radio.audio.loudness import BackgroundMeter, LoudnessMeter

    name, samples = signal
    samples = samples if samples.ndim == 2 else samples[:, None]
    channels = samples.shape[1]
    plain = LoudnessMeter(RATE, channels, segment_ms=10)
    background = BackgroundMeter(RATE, channels, segment_ms=10, split_peaks=split)
    assert len(background._threads) == (2 if split else 1)
    for block in in_blocks(samples.astype(np.float32), 5000):
        plain.feed(block)
        background.feed(block)
    meter = background.finished()
    assert meter.result() == plain.result(), name
    assert np.array_equal(meter.segment_energies(), plain.segment_energies()), name
    assert np.array_equal(meter.segment_peaks(), plain.segment_peaks()), name


def test_an_error_in_a_split_background_meter_is_raised(monkeypatch):
    from radio.audio.loudness import BackgroundMeter, TruePeakMeter

    def broken(self, block):
        raise RuntimeError("peak meter broke")

    monkeypatch.setattr(TruePeakMeter, "feed", broken)
    background = BackgroundMeter(RATE, 2, split_peaks=True)
    background.feed(np.zeros((1000, 2), dtype=np.float32))
    with pytest.raises(RuntimeError, match="peak meter broke"):
        background.finished()


def test_loudness_without_true_peak_is_the_same_loudness(signal):
    name, samples = signal
    full, quick = measure(samples), measure(samples, true_peak=False)
    assert math.isnan(quick.true_peak_dbtp), name
    assert (quick.integrated_lufs, quick.range_lu, quick.short_term, quick.sample_peak_dbfs) == \
        (full.integrated_lufs, full.range_lu, full.short_term, full.sample_peak_dbfs), name


def test_true_peak_of_intersample_sine():
    # A quarter-rate sine at 45 degrees: every sample is 3 dB under the peak.
    samples = fade(sine(RATE / 4, 5, 0.5, math.pi / 4))
    meter = TruePeakMeter()
    for block in in_blocks(samples, 3000):
        meter.feed(block)
    assert abs(meter.true_peak_dbtp() - 20 * math.log10(0.5)) < 0.02
    sample_peak = 20 * math.log10(0.5) - 3.01
    assert measure(samples).sample_peak_dbfs == pytest.approx(sample_peak, abs=0.02)


def test_true_peak_meter_can_be_read_while_feeding():
    samples = speech_like(np.random.default_rng(3), 3)
    meter = TruePeakMeter()
    meter.feed(samples[:50000])
    early = meter.true_peak_dbtp()
    meter.feed(samples[50000:])
    whole = TruePeakMeter()
    whole.feed(samples)
    assert early <= meter.true_peak_dbtp() == whole.true_peak_dbtp()


def test_silence_is_minus_infinity_and_safe():
    result = measure(np.zeros((5 * RATE, 2), dtype=np.float32))
    assert result.integrated_lufs == -math.inf
    assert result.true_peak_dbtp == -math.inf and result.sample_peak_dbfs == -math.inf
    assert result.range_lu == 0.0
    assert result.duration_s == 5.0
    assert all(value == -math.inf for _, value in result.short_term)


def test_short_term_series_every_second():
    samples = sine(1000, 10, 0.1)
    meter = LoudnessMeter()
    meter.feed(samples)
    result = meter.result()
    times = [t for t, _ in result.short_term]
    assert times == [3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    assert all(abs(v - result.integrated_lufs) < 0.01 for _, v in result.short_term)
    fine = meter.short_term_lufs(0.1)
    assert fine[0][0] == 3.0 and fine[1][0] == 3.1 and len(fine) == 71


def test_loudness_range_of_alternating_passages_is_wide():
    samples = alternating(np.random.default_rng(4))
    assert measure(samples).range_lu > 12.0


def test_meter_keeps_energies_not_audio():
    meter = LoudnessMeter()
    block = np.random.default_rng(5).standard_normal((65536, 2)).astype(np.float32) * 0.1
    for _ in range(40):  # one minute
        meter.feed(block)

    def array_bytes(obj, seen=None) -> int:
        seen = seen if seen is not None else set()
        if id(obj) in seen:
            return 0
        seen.add(id(obj))
        if isinstance(obj, np.ndarray):
            return obj.nbytes
        if isinstance(obj, (list, tuple)):
            return sum(array_bytes(item, seen) for item in obj)
        if hasattr(obj, "__dict__"):
            return sum(array_bytes(value, seen) for value in vars(obj).values())
        return 0

    # 600 hop energies, plus the true-peak meter's one-chunk buffer and history.
    assert array_bytes(meter) < 400_000


def test_mono_meter_accepts_one_dimensional_blocks():
    tone = sine(1000, 5, 0.1)[:, 0]
    meter = LoudnessMeter(channels=1)
    meter.feed(tone)
    assert math.isfinite(meter.integrated_lufs())


def test_measure_file_pipes_through_ffmpeg(tmp_path):
    samples = speech_like(np.random.default_rng(6), 12)
    written = write_wav(tmp_path / "speech.wav", samples)
    from_file = measure_file(tmp_path / "speech.wav")
    direct = measure(written)
    assert isinstance(from_file, Loudness)
    assert from_file.integrated_lufs == pytest.approx(direct.integrated_lufs, abs=1e-6)
    assert from_file.true_peak_dbtp == pytest.approx(direct.true_peak_dbtp, abs=1e-6)
    assert from_file.duration_s == pytest.approx(12.0)


def test_measure_file_reports_missing_and_bad_files(tmp_path):
    from radio.errors import RadioError

    with pytest.raises(RadioError, match="no such file"):
        measure_file(tmp_path / "missing.wav")
    (tmp_path / "bad.wav").write_bytes(b"not audio at all")
    with pytest.raises(RadioError, match="ffmpeg could not decode"):
        measure_file(tmp_path / "bad.wav")


def test_measuring_code_does_not_import_pyloudnorm():
    audio = Path(__file__).resolve().parent.parent / "radio" / "audio"
    importing = re.compile(r"^\s*(import|from)\s+pyloudnorm\b|import_module\(.pyloudnorm", re.M)
    for source in (audio / "loudness.py", audio / "master.py", audio / "dsp.py"):
        assert not importing.search(source.read_text(encoding="utf-8")), source
