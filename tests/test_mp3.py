"""The MP3 encoder: fed from a thread, measured while it encodes (ffmpeg's
loopback decoder), the read-back fallback for an ffmpeg without one, and an
encoder that dies."""
from __future__ import annotations

import numpy as np
import pytest

from radio.audio.loudness import measure_file
from radio.errors import BuildError
from radio.targets import mp3

RATE = 44100


def programme(seconds: float = 12.0) -> np.ndarray:
    """Dual-mono int16: a swelling tone over noise."""
    rng = np.random.default_rng(3)
    t = np.arange(int(seconds * RATE)) / RATE
    mono = 0.3 * np.sin(2 * np.pi * 440 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 0.5 * t))
    mono += 0.05 * rng.standard_normal(len(t))
    pcm = np.clip(np.rint(mono * 32767), -32768, 32767).astype(np.int16)
    return np.repeat(pcm[:, None], 2, axis=1)


def encode(path, pcm: np.ndarray, **options):
    encoder = mp3.Mp3Encoder(path, 128, **options)
    for start in range(0, len(pcm), 10000):
        encoder.write(pcm[start:start + 10000])
    return encoder.finish()


def test_mp3_measured_while_encoding_equals_the_finished_file_read_back(tmp_path):
    assert mp3.loopback_decoding()   # the ffmpeg that constraints.txt pins has it
    loudness = encode(tmp_path / "a.mp3", programme(), measure=True)
    assert loudness == measure_file(tmp_path / "a.mp3")
    assert -30 < loudness.integrated_lufs < -5 and loudness.duration_s == pytest.approx(12.0)


def test_without_a_loopback_decoder_the_file_is_measured_after(tmp_path, monkeypatch):
    monkeypatch.setattr(mp3, "loopback_decoding", lambda: False)
    loudness = encode(tmp_path / "b.mp3", programme(), measure=True)
    assert loudness == measure_file(tmp_path / "b.mp3")


def test_an_unmeasured_encoder_returns_nothing(tmp_path):
    assert encode(tmp_path / "c.mp3", programme(4)) is None
    assert (tmp_path / "c.mp3").stat().st_size > 30000


def test_an_encoder_that_dies_is_reported(tmp_path):
    # ffmpeg cannot create its output and exits: the build says so, it does not hang.
    with pytest.raises(BuildError, match="MP3 encoder"):
        encode(tmp_path / "missing" / "d.mp3", programme(30), measure=True)
