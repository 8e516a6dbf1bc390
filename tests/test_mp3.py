"""The MP3 encoder: fed from a thread, measured while it encodes by a decoder
that follows the file as LAME writes it (and never holds LAME back), and an
encoder that dies.  The follower's figures are held to the finished file decoded
by the same decoder (sample for sample) and to ffmpeg's decoder (within a
rounding of the two decoders' arithmetic)."""
from __future__ import annotations

import numpy as np
import pytest

import os
import subprocess
import sys
import threading

from radio.audio.decode import ffmpeg_exe
from radio.audio.loudness import measure, measure_file
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


def read_back(path, frames: int):
    """The finished MP3's programme (*frames* long), decoded as the follower
    decodes, measured in one go: what the follower must have found."""
    return measure(mp3.decode_mp3(path)[:frames], RATE)


def assert_as_ffmpeg_reads_it(loudness, path):
    """ffmpeg's decoder (another arithmetic) gives the same figures, to far less
    than the reports' 0.01."""
    other = measure_file(path)
    assert loudness.integrated_lufs == pytest.approx(other.integrated_lufs, abs=1e-4)
    assert loudness.true_peak_dbtp == pytest.approx(other.true_peak_dbtp, abs=1e-3)
    assert loudness.range_lu == pytest.approx(other.range_lu, abs=1e-3)
    assert loudness.duration_s == other.duration_s


def test_mp3_measured_while_encoding_equals_the_finished_file_read_back(tmp_path):
    pcm = programme()
    loudness = encode(tmp_path / "a.mp3", pcm, measure=True)
    assert loudness == read_back(tmp_path / "a.mp3", len(pcm))
    assert_as_ffmpeg_reads_it(loudness, tmp_path / "a.mp3")
    assert -30 < loudness.integrated_lufs < -5 and loudness.duration_s == pytest.approx(12.0)


def test_a_dual_mono_mp3_is_measured_on_one_channel_with_the_same_figures(tmp_path):
    encoder = mp3.Mp3Encoder(tmp_path / "dm.mp3", 128, measure=True, dual_mono=True)
    assert encoder._follower.meter.channels == 1
    pcm = programme(8)
    for start in range(0, len(pcm), 10000):
        encoder.write(pcm[start:start + 10000])
    loudness = encoder.finish()
    assert loudness == read_back(tmp_path / "dm.mp3", len(pcm))
    assert_as_ffmpeg_reads_it(loudness, tmp_path / "dm.mp3")


def test_the_follower_lines_the_decoded_mp3_up_with_the_programme(tmp_path):
    # The follower hides the Xing/Info frame and drops the decoders' delay itself:
    # the result must start where ffmpeg's gapless decoding (which reads LAME's
    # delay from the finished tag) starts, sample for sample up to arithmetic.
    path, pcm = tmp_path / "align.mp3", programme(3)
    encode(path, pcm)
    ours = mp3.decode_mp3(path)[:len(pcm)]
    raw = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "f32le", "-ac",
                          "2", "-"], capture_output=True, check=True).stdout
    theirs = np.frombuffer(raw, dtype="<f4").reshape(-1, 2)[:len(pcm)]
    assert len(ours) == len(theirs) == len(pcm)
    assert np.abs(ours - theirs).max() < 1e-5
    assert np.abs(ours[1:] - theirs[:-1]).max() > 0.01   # one frame off is far off
    source = pcm[:, 0] / 32768.0

    def likeness(lag: int) -> float:   # the decoded programme against the source, shifted
        a, b = ours[max(lag, 0):, 0], source[max(-lag, 0):]
        return float(np.corrcoef(a[:len(b)], b[:len(a)])[0, 1])

    assert likeness(0) > 0.95
    assert likeness(0) > max(likeness(lag) for lag in (-1105, -576, -1, 1, 529, 1105))


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
    # The follower's decoder (libsndfile's mpg123) and ffmpeg's.
    for decoded in (mp3.decode_mp3(path), np.frombuffer(raw, dtype="<f4").reshape(-1, 2)):
        assert len(decoded) > 19 * RATE and np.abs(decoded).max() > 0.5
        assert np.array_equal(decoded[:, 0], decoded[:, 1])


@pytest.mark.parametrize("seconds", [0.01, 0.05, 1.0])
def test_programmes_shorter_than_lames_first_frames_are_measured_too(tmp_path, seconds):
    # LAME writes nothing until it has ~1700 frames: the file, header and all,
    # appears only when the input ends.
    pcm = programme(seconds)
    loudness = encode(tmp_path / "short.mp3", pcm, measure=True)
    assert loudness == read_back(tmp_path / "short.mp3", len(pcm))
    assert loudness.duration_s == pytest.approx(seconds, abs=1 / RATE)
    assert_as_ffmpeg_reads_it(loudness, tmp_path / "short.mp3")


def test_a_file_already_finished_when_followed_is_measured_the_same(tmp_path):
    # The follower found the file after ffmpeg filled its tag in (the delay and
    # the length): it is hidden all the same, and the figures are the same.
    path, pcm = tmp_path / "done.mp3", programme(3)
    proc = subprocess.Popen([ffmpeg_exe(), "-v", "error", "-f", "s16le", "-ar", "44100", "-ac",
                             "2", "-i", "pipe:0", "-c:a", "libmp3lame", "-b:a", "128k", "-f",
                             "mp3", str(path)], stdin=subprocess.PIPE)
    proc.communicate(pcm.tobytes())
    follower = mp3.Mp3Follower(path, proc, lambda: len(pcm))
    assert follower.finish() == read_back(path, len(pcm))


def mpeg_frame(bitrate_index: int, tag: bytes = b"", padding: bool = False) -> bytes:
    """The start of an MPEG-1 Layer III frame at 44.1 kHz, with *tag* where LAME
    and ffmpeg put Xing/Info (after the 32 bytes of stereo side information)."""
    return bytes([0xFF, 0xFB, bitrate_index << 4 | int(padding) << 1, 0x00]) + bytes(32) + \
        tag + bytes(200)


def test_the_tag_frame_is_found_by_its_header_and_hidden_whole():
    # 192 kbit/s (index 11): 144 * 192000 / 44100 = 626 bytes; padded 627.
    assert mp3.tag_frame_bytes(mpeg_frame(11, b"Xing" + bytes(8))) == 626
    assert mp3.tag_frame_bytes(mpeg_frame(11, b"Info" + bytes(8), padding=True)) == 627
    assert mp3.tag_frame_bytes(mpeg_frame(9, b"Info" + bytes(8))) == 417        # 128 kbit/s
    assert mp3.tag_frame_bytes(mpeg_frame(11)) == 0                              # audio
    assert mp3.tag_frame_bytes(b"ID3\x03" + bytes(200)) == 0                    # not a frame
    assert mp3.tag_frame_bytes(b"\xff") == 0


def test_ffmpegs_mp3_starts_with_the_tag_frame_the_follower_hides(tmp_path):
    path = tmp_path / "tag.mp3"
    encode(path, programme(2))
    data = path.read_bytes()
    size = mp3.tag_frame_bytes(data[:400])
    assert size in (626, 627, 417, 418)
    assert data[size] == 0xFF and data[size + 1] & 0xFE == 0xFA   # the next frame


def test_a_libsndfile_that_cannot_read_mp3_says_what_to_do(tmp_path, monkeypatch):
    # libsndfile reads MP3 from 1.1 on (soundfile's own packages carry 1.2); a
    # system one that is older is named, with the way out.
    import soundfile

    path = tmp_path / "old.mp3"
    encode(path, programme(1))
    formats = {k: v for k, v in soundfile.available_formats().items() if k != "MP3"}
    monkeypatch.setattr(soundfile, "available_formats", lambda: formats)
    with pytest.raises(BuildError, match="cannot read MP3") as caught:
        mp3.decode_mp3(path)
    assert "pip install --force-reinstall soundfile" in str(caught.value.problem.hint)


def test_a_file_that_is_no_mp3_is_a_clear_error(tmp_path):
    path = tmp_path / "noise.mp3"
    path.write_bytes(np.random.default_rng(1).bytes(50000))
    with pytest.raises(BuildError, match="MP3 could not be measured"):
        mp3.decode_mp3(path)
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    with pytest.raises(BuildError, match="MP3 could not be measured"):
        mp3.Mp3Follower(path, done, lambda: 0).finish()


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
    assert encoder.finish() == read_back(path, len(pcm))


@pytest.mark.skipif(not sys.platform.startswith("linux"),
                    reason="a thread has its own nice value on Linux")
def test_the_mp3_is_decoded_and_measured_nicer_than_the_build(tmp_path):
    import time

    path = tmp_path / "nice.mp3"
    encoder = mp3.Mp3Encoder(path, 128, measure=True)
    try:
        thread = encoder._follower._thread
        assert thread.name == "mp3-meter"
        own = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        deadline = time.monotonic() + 10
        while os.getpriority(os.PRIO_PROCESS, thread.native_id) <= own:
            assert time.monotonic() < deadline, "the MP3's meter kept the build's priority"
            time.sleep(0.01)
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


def wav_bounds(pcm: np.ndarray):
    """OutputPeakBounds for *pcm* as the limiter would leave them: the measured 4x
    points of every 10 ms segment, and a gain of 1 recorded throughout."""
    from radio.audio.dsp import OutputPeakBounds
    from radio.audio.loudness import TruePeakMeter

    meter = TruePeakMeter(RATE, 2, segment_frames=441)
    meter.feed(pcm.astype(np.float32) / 32768)
    bounds = OutputPeakBounds()
    bounds.start(meter.segment_peaks(), 441)
    bounds.record(0, 1.0, len(pcm))
    return bounds


@pytest.mark.parametrize("dual_mono", [True, False])
def test_the_mp3_peak_bounded_by_the_wav_is_the_peak_measured_in_full(tmp_path, dual_mono):
    # The decoded MP3 is the WAV plus LAME's error: with the WAV's bounds and its
    # frames read back as they are written, the meter transforms only the windows
    # that could hold the true peak, and reads the same figures, bit for bit.
    from radio.audio.wav import WavWriter, WrittenFrames

    pcm = dual_mono_material(10)
    if not dual_mono:
        pcm = pcm.copy()
        pcm[:, 1] = pcm[:, 1] // 3   # two different channels
    bounds = wav_bounds(pcm)
    asked = {"frames": 0, "reaching": 0}
    original = mp3.DecodedPeakBounds.reaching

    def reaching(self, first, count, level):
        flags = original(self, first, count, level)
        asked["frames"] += count
        asked["reaching"] += int(flags.sum())
        return flags

    with open(tmp_path / "w.wav", "wb") as fh:
        writer = WavWriter(fh, len(pcm))
        encoder = mp3.Mp3Encoder(tmp_path / "bounded.mp3", 128, measure=True,
                                 dual_mono=dual_mono,
                                 reference=(bounds, WrittenFrames(writer, fh.name)))
        encoder._follower._bounds.reaching = reaching.__get__(encoder._follower._bounds)
        encoder._follower.meter._true_peak._bounds = encoder._follower._bounds.reaching
        for start in range(0, len(pcm), 10000):
            encoder.write(pcm[start:start + 10000])
            writer.write(pcm[start:start + 10000])
        bounded = encoder.finish()
    plain = encode(tmp_path / "plain.mp3", pcm, measure=True, dual_mono=dual_mono)
    assert bounded == plain
    assert 0 < asked["reaching"] < asked["frames"]   # some windows were spared

    # Every 4x point of the decoded MP3 is under its bound.
    decoded = mp3.decode_mp3(tmp_path / "bounded.mp3")[:len(pcm)]
    channels = 1 if dual_mono else 2
    check = mp3.DecodedPeakBounds(bounds, lambda first, count: pcm[first:first + count],
                                  channels)
    check.note(0, decoded[:, :channels])
    from radio.audio.loudness import TruePeakMeter
    exact = TruePeakMeter(RATE, channels, segment_frames=441)
    exact.feed(decoded[:, :channels])
    points = exact.segment_peaks()
    for segment in range(len(points)):
        frames = check.reaching(segment * 441, 441, points[segment])
        assert frames.all(), segment


def test_mp3_frames_the_wav_has_not_written_yet_have_no_bound():
    from radio.audio.dsp import OutputPeakBounds

    bounds = OutputPeakBounds()
    bounds.start(np.full(10, 0.01), 441)
    bounds.record(0, 1.0, 4410)
    decoded = mp3.DecodedPeakBounds(bounds, lambda first, count: None, 1)
    decoded.note(0, np.zeros((4410, 1), dtype=np.float32))
    assert decoded.reaching(0, 4410, 0.9).all()   # nothing known: everything computed
    known = mp3.DecodedPeakBounds(bounds, lambda first, count: np.zeros((count, 2), np.int16), 1)
    known.note(0, np.zeros((4410, 1), dtype=np.float32))
    assert not known.reaching(0, 4410, 0.9).any()
