"""The MP3 encoder: fed from a thread, measured while it encodes by a decoder
that follows the file as LAME writes it (and never holds LAME back), and an
encoder that dies."""
from __future__ import annotations

import numpy as np
import pytest

import os
import subprocess
import threading

from radio.audio.decode import ffmpeg_exe
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
    loudness = encode(tmp_path / "a.mp3", programme(), measure=True)
    assert loudness == measure_file(tmp_path / "a.mp3")
    assert -30 < loudness.integrated_lufs < -5 and loudness.duration_s == pytest.approx(12.0)


def test_a_dual_mono_mp3_is_measured_on_one_channel_with_the_same_figures(tmp_path):
    encoder = mp3.Mp3Encoder(tmp_path / "dm.mp3", 128, measure=True, dual_mono=True)
    assert encoder._follower.meter.channels == 1
    pcm = programme(8)
    for start in range(0, len(pcm), 10000):
        encoder.write(pcm[start:start + 10000])
    assert encoder.finish() == measure_file(tmp_path / "dm.mp3")


def dual_mono_material(seconds: float) -> np.ndarray:
    """Harder than programme(): bursts of noise, chirps, clipping and silence."""
    rng = np.random.default_rng(11)
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    mono = 0.6 * np.sin(2 * np.pi * (200 + 4000 * t / seconds) * t)
    mono *= (np.sin(2 * np.pi * 1.3 * t) > 0)
    mono += rng.standard_normal(n) * np.repeat(rng.random(n // 2205 + 1), 2205)[:n] * 0.4
    mono[n // 3:n // 3 + RATE // 2] = 0.0
    pcm = np.clip(np.rint(mono * 32767), -32768, 32767).astype(np.int16)
    return np.repeat(pcm[:, None], 2, axis=1)


@pytest.mark.parametrize("bitrate", [64, 128, 192, 320])
def test_lame_codes_identical_channels_so_that_they_decode_identical(tmp_path, bitrate):
    # What measuring a dual-mono MP3 on one channel rests on (Mp3Follower).
    path = tmp_path / f"{bitrate}.mp3"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "s16le", "-ar", "44100", "-ac", "2",
                    "-i", "pipe:0", "-c:a", "libmp3lame", "-b:a", f"{bitrate}k", "-f", "mp3",
                    str(path)], input=dual_mono_material(20).tobytes(), check=True)
    raw = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "f32le", "-ac",
                          "2", "-"], capture_output=True, check=True).stdout
    decoded = np.frombuffer(raw, dtype="<f4").reshape(-1, 2)
    assert len(decoded) > 19 * RATE and np.abs(decoded).max() > 0.5
    assert np.array_equal(decoded[:, 0], decoded[:, 1])


@pytest.mark.parametrize("seconds", [0.01, 0.05, 1.0])
def test_programmes_shorter_than_lames_first_frames_are_measured_too(tmp_path, seconds):
    # LAME writes nothing until it has ~1700 frames: the file, header and all,
    # appears only when the input ends.
    loudness = encode(tmp_path / "short.mp3", programme(seconds), measure=True)
    assert loudness == measure_file(tmp_path / "short.mp3")
    assert loudness.duration_s == pytest.approx(seconds, abs=1 / RATE)


def test_a_file_already_finished_when_followed_is_measured_the_same(tmp_path):
    # The follower read the header after ffmpeg filled it in: the decoder then
    # removes LAME's delay itself, and the follower must not remove it again.
    path, pcm = tmp_path / "done.mp3", programme(3)
    proc = subprocess.Popen([ffmpeg_exe(), "-v", "error", "-f", "s16le", "-ar", "44100", "-ac",
                             "2", "-i", "pipe:0", "-c:a", "libmp3lame", "-b:a", "128k", "-f",
                             "mp3", str(path)], stdin=subprocess.PIPE)
    proc.communicate(pcm.tobytes())
    assert mp3.finished_header(path.read_bytes()[:mp3.HEADER_BYTES])
    follower = mp3.Mp3Follower(path, proc, lambda: len(pcm))
    assert follower.finish() == measure_file(path)


def test_the_header_ffmpeg_writes_first_is_told_from_the_finished_one():
    placeholder = bytes.fromhex("fffbb000") + bytes(32) + b"Xing" + bytes.fromhex("0000000f")
    assert not mp3.finished_header(placeholder + bytes(8) + bytes(100))
    finished = bytes.fromhex("fffbb000") + bytes(32) + b"Info" + bytes.fromhex("0000000f")
    assert mp3.finished_header(finished + (22532).to_bytes(4, "big") + bytes(100))
    assert not mp3.finished_header(b"\xff\xfb" + bytes(200))   # no tag at all


def test_the_encoder_never_waits_on_a_measuring_that_is_stuck(tmp_path, monkeypatch):
    # The meter is held up for the whole encode: LAME must still finish at its
    # own pace (it writes to its file, never into a pipe that we read), and the
    # measurement catches up afterwards.
    from radio.audio.loudness import LoudnessMeter

    release, encoded = threading.Event(), threading.Event()
    feed = LoudnessMeter.feed

    def slow_feed(self, block):
        release.wait(60)
        feed(self, block)

    monkeypatch.setattr(LoudnessMeter, "feed", slow_feed)
    path, pcm = tmp_path / "stuck.mp3", programme(40)
    encoder = mp3.Mp3Encoder(path, 128, measure=True)
    for start in range(0, len(pcm), 44100):
        encoder.write(pcm[start:start + 44100])
    encoder.end_of_input()

    def wait_for_lame():
        encoder._proc.wait()
        encoded.set()

    threading.Thread(target=wait_for_lame, daemon=True).start()
    assert encoded.wait(60), "LAME waited for the measuring"
    release.set()
    monkeypatch.setattr(LoudnessMeter, "feed", feed)
    assert encoder.finish() == measure_file(path)


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="POSIX priorities")
def test_the_measuring_decoder_runs_nicer_than_the_build(tmp_path):
    path = tmp_path / "nice.mp3"
    encoder = mp3.Mp3Encoder(path, 128, measure=True)
    decoder = encoder._follower._decoder
    try:
        assert os.getpriority(os.PRIO_PROCESS, decoder.pid) > os.getpriority(os.PRIO_PROCESS, 0)
    finally:
        encoder.write(programme(1))
        encoder.finish()


def test_an_unmeasured_encoder_returns_nothing(tmp_path):
    assert encode(tmp_path / "c.mp3", programme(4)) is None
    assert (tmp_path / "c.mp3").stat().st_size > 30000


def test_an_encoder_that_dies_is_reported(tmp_path):
    # ffmpeg cannot create its output and exits: the build says so, it does not hang.
    with pytest.raises(BuildError, match="MP3 encoder"):
        encode(tmp_path / "missing" / "d.mp3", programme(30), measure=True)


@pytest.mark.skipif(not os.uname().sysname == "Linux" if hasattr(os, "uname") else True,
                    reason="a thread has its own nice value on Linux")
def test_a_measuring_thread_gives_way_to_the_rest_of_the_build():
    from radio.procs import lower_thread_priority

    seen = {}

    def run():
        tid = threading.get_native_id()
        before = os.getpriority(os.PRIO_PROCESS, tid)
        lower_thread_priority()
        seen.update(before=before, after=os.getpriority(os.PRIO_PROCESS, tid))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert seen["after"] > seen["before"]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == seen["before"]
