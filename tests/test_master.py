"""Mastering: presets, the step contract, and the two-pass Master, checked with
ffmpeg's ebur128 on generated signals (10-32 s each, seeded)."""
from __future__ import annotations

import hashlib
import math

import numpy as np
import pytest

from radio.audio.loudness import LoudnessMeter, TruePeakMeter, measure
from radio.audio.master import (PRESETS, BandLimit, Chain, Dither16, DualMono, Gain, GainTrack,
                                HighPass, Master, Preset, TruePeakLimiter)

try:  # the signals and references of the loudness tests (tests/ is not a package)
    from test_loudness import (RATE, alternating, fade, ffmpeg_ebur128, in_blocks, pink_noise,
                               sine, speech_like, write_wav)
except ImportError:  # pragma: no cover - if tests/ becomes a package
    from test_loudness import (RATE, alternating, fade, ffmpeg_ebur128, in_blocks,
                                     pink_noise, sine, speech_like, write_wav)
from leveler import Leveler  # noqa: E402  (tests/leveler.py: the one-pass reference)


def percussive(rng: np.random.Generator, seconds: float = 10.0) -> np.ndarray:
    """Sparse decaying noise bursts plus a quarter-rate tone with intersample
    peaks: a high peak-to-loudness ratio that overshoots once normalised."""
    frames = int(seconds * RATE)
    out = np.zeros((frames, 2))
    decay = np.exp(-np.arange(int(0.15 * RATE)) / (0.03 * RATE))[:, None]
    noise = pink_noise(rng, frames)
    for start in range(0, frames - len(decay), int(0.45 * RATE)):
        out[start:start + len(decay)] += noise[start:start + len(decay)] * decay * 0.5
    out += sine(RATE / 4, seconds, 0.05, math.pi / 4)[:frames]
    return fade(out.astype(np.float32))


def scaled_to(samples: np.ndarray, lufs: float) -> np.ndarray:
    return (samples * 10 ** ((lufs - measure(samples).integrated_lufs) / 20)).astype(np.float32)


def master_render(preset: Preset, samples: np.ndarray, *, seed: int = 7, block: int = 65536,
                  ceiling_dbtp: float | None = None) -> np.ndarray:
    master = Master(preset, ceiling_dbtp=ceiling_dbtp)
    analysis = master.analyse(in_blocks(samples, block))
    # the second pass from the mixed programme (the pre-chain run again)
    out = list(master.finish(master.pre_chained(in_blocks(samples, block)), analysis, seed))
    for chunk in out:
        assert chunk.dtype == np.int16 and chunk.ndim == 2 and chunk.shape[1] == 2
    return np.concatenate(out) if out else np.zeros((0, 2), dtype=np.int16)


def digest(samples: np.ndarray) -> str:
    return hashlib.sha256(samples.tobytes()).hexdigest()


@pytest.fixture(scope="module")
def programmes():
    rng = np.random.default_rng(2024)
    return {
        "quiet_speech": scaled_to(speech_like(rng, 15), -30.0),   # needs +14 dB
        "percussive": scaled_to(percussive(rng), -20.0),          # overshoots after gain
    }


@pytest.fixture(scope="module")
def rendered(programmes):
    return {(preset, name): master_render(PRESETS[preset], samples)
            for preset in PRESETS for name, samples in programmes.items()}


# -- presets ------------------------------------------------------------------------
def test_presets():
    speaker, broadcast, web = PRESETS["loudspeaker"], PRESETS["broadcast"], PRESETS["web"]
    assert (speaker.target_lufs, broadcast.target_lufs, web.target_lufs) == (-16, -23, -16)
    assert all(p.ceiling_dbtp == -1.0 and p.tolerance_lu == 0.5 for p in PRESETS.values())
    assert speaker.highpass_hz == 150 and speaker.highpass_order == 4
    assert speaker.leveling and speaker.dual_mono and speaker.target_range_lu == 6.0
    assert not broadcast.dual_mono and not web.dual_mono
    assert all(p.mp3_headroom_db == 1.0 and p.max_boost_db == 12 for p in PRESETS.values())
    assert all(name == p.name for name, p in PRESETS.items())


# -- the Master against ffmpeg ---------------------------------------------------
@pytest.mark.parametrize("preset", sorted(PRESETS))
@pytest.mark.parametrize("name", ["quiet_speech", "percussive"])
def test_master_hits_target_under_ceiling(preset, name, programmes, rendered, tmp_path):
    spec, out = PRESETS[preset], rendered[(preset, name)]
    assert len(out) == len(programmes[name])
    write_wav(tmp_path / "out.wav", out)
    ref = ffmpeg_ebur128(tmp_path / "out.wav")
    assert abs(ref["I_precise"] - spec.target_lufs) <= spec.tolerance_lu, ref
    assert abs(ref["I"] - spec.target_lufs) <= spec.tolerance_lu, ref
    assert ref["true_peak"] <= spec.ceiling_dbtp, ref
    ours = measure(out.astype(np.float32) / 32768.0)
    assert ours.true_peak_dbtp <= spec.ceiling_dbtp
    assert abs(ours.integrated_lufs - spec.target_lufs) <= 0.1


def test_inputs_really_need_the_limiter(programmes):
    for samples in programmes.values():
        for target in (-16.0,):
            loud = measure(samples)
            assert loud.true_peak_dbtp + (target - loud.integrated_lufs) > 0.0


def test_mp3_headroom_ceiling(programmes, tmp_path):
    preset = PRESETS["web"]
    ceiling = preset.ceiling_dbtp - preset.mp3_headroom_db
    out = master_render(preset, programmes["quiet_speech"], ceiling_dbtp=ceiling)
    write_wav(tmp_path / "mp3.wav", out)
    ref = ffmpeg_ebur128(tmp_path / "mp3.wav")
    assert ref["true_peak"] <= ceiling
    assert abs(ref["I_precise"] - preset.target_lufs) <= preset.tolerance_lu


def test_analysis_regains_for_another_ceiling(programmes):
    preset, samples = PRESETS["web"], programmes["percussive"]
    analysis = Master(preset).analyse(in_blocks(samples, 65536))
    stricter = Master(preset, ceiling_dbtp=-3.0)
    assert stricter.gain_for(analysis) > analysis.gain_db
    assert Master(preset).gain_for(analysis) == analysis.gain_db


# -- the loudspeaker preset -----------------------------------------------------
def test_loudspeaker_is_exact_dual_mono(rendered):
    for name in ("quiet_speech", "percussive"):
        out = rendered[("loudspeaker", name)]
        assert np.array_equal(out[:, 0], out[:, 1])


def test_loudspeaker_high_pass_cuts_hum():
    tones = sine(60, 10, 0.05) + sine(1000, 10, 0.05)
    out = master_render(PRESETS["loudspeaker"], fade(tones)).astype(np.float64)
    middle = out[3 * RATE:7 * RATE, 0] * np.hanning(4 * RATE)
    spectrum = np.abs(np.fft.rfft(middle))
    bin_of = lambda hz: int(round(hz * len(middle) / RATE))  # noqa: E731
    hum, voice = spectrum[bin_of(60) - 2:bin_of(60) + 3].max(), spectrum[bin_of(1000)]
    assert 20 * math.log10(voice / hum) >= 20.0


def test_loudspeaker_levels_loud_and_quiet_passages(tmp_path):
    samples = scaled_to(alternating(np.random.default_rng(9)), -20.0)
    write_wav(tmp_path / "in.wav", samples)
    assert ffmpeg_ebur128(tmp_path / "in.wav")["LRA"] > 12.0
    out = master_render(PRESETS["loudspeaker"], samples)
    write_wav(tmp_path / "out.wav", out)
    ref = ffmpeg_ebur128(tmp_path / "out.wav")
    assert ref["LRA"] <= 6.0, ref
    assert abs(ref["I_precise"] + 16.0) <= 0.5 and ref["true_peak"] <= -1.0, ref


# -- lengths, silence, determinism ------------------------------------------------
@pytest.mark.parametrize("frames", [0, 1, 100, 4410 * 3 + 17, 5 * RATE + 1234])
def test_output_length_equals_input_length(frames):
    noise = np.random.default_rng(frames).standard_normal((frames, 2))
    samples = (noise * 0.05).astype(np.float32)
    for preset in PRESETS.values():
        assert len(master_render(preset, samples, block=4096)) == frames


def test_silence_in_gives_silence_out():
    silence = np.zeros((3 * RATE + 5, 2), dtype=np.float32)
    for preset in PRESETS.values():
        master = Master(preset)
        analysis = master.analyse(in_blocks(silence, 65536))
        assert analysis.loudness.integrated_lufs == -math.inf and analysis.gain_db == 0.0
        out = np.concatenate(list(master.finish(master.pre_chained(in_blocks(silence, 65536)),
                                                analysis, 1)))
        assert len(out) == len(silence) and not out.any()


def test_same_seed_same_bytes_other_seed_other_bytes(programmes):
    samples = programmes["quiet_speech"][:10 * RATE]
    preset = PRESETS["broadcast"]
    first, again = master_render(preset, samples, seed=1), master_render(preset, samples, seed=1)
    assert digest(first) == digest(again)
    assert digest(master_render(preset, samples, seed=2)) != digest(first)


@pytest.mark.parametrize("preset", ["loudspeaker", "web"])
def test_block_size_does_not_change_a_byte(preset, programmes):
    samples = programmes["quiet_speech"]
    small = master_render(PRESETS[preset], samples, block=4096)
    large = master_render(PRESETS[preset], samples, block=65536)
    odd = master_render(PRESETS[preset], samples[:8 * RATE], block=1000)
    assert digest(small) == digest(large)
    assert digest(odd) == digest(master_render(PRESETS[preset], samples[:8 * RATE]))


@pytest.mark.parametrize("preset", ["loudspeaker", "broadcast"])
def test_second_pass_from_the_spool_equals_the_second_pass_from_the_mix(preset, programmes,
                                                                         tmp_path):
    from radio.audio.spool import Spool

    samples = programmes["percussive"]
    master = Master(PRESETS[preset])
    assert master.channels == (1 if preset == "loudspeaker" else 2)   # dual mono: one
    with Spool(tmp_path, master.channels) as spool:
        analysis = master.analyse(in_blocks(samples, 4096), spool.write)
        assert spool.frames == len(samples)
        spooled = np.concatenate(list(master.finish(spool.blocks(30000), analysis, 7)))
        again = np.concatenate(list(master.finish(spool.blocks(), analysis, 7)))
    assert digest(spooled) == digest(again) == digest(master_render(PRESETS[preset], samples))
    assert spooled.shape == samples.shape and spooled.dtype == np.int16
    assert list(tmp_path.iterdir()) == []   # an anonymous file: nothing left behind


def test_spool_gives_back_what_it_was_given_and_refuses_other_shapes(tmp_path):
    from radio.audio.spool import Spool

    rng = np.random.default_rng(5)
    mono = rng.standard_normal((1000, 1)).astype(np.float32)
    with Spool(tmp_path, 1) as spool:
        spool.write(mono[:400])
        spool.write(mono[400:])
        assert np.array_equal(np.concatenate(list(spool.blocks(300))), mono)
        with pytest.raises(ValueError, match="1-channel spool"):
            spool.write(np.repeat(mono, 2, axis=1))


def test_spool_on_a_full_disk_is_a_clear_error(tmp_path):
    import errno

    from radio.audio.spool import Spool
    from radio.errors import BuildError

    class FullDisk:   # what the file system says when the disk fills up
        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self):
            pass

    with Spool(tmp_path, 1) as spool:
        spool._fh.close()
        spool._fh = FullDisk()
        with pytest.raises(BuildError, match="disk is full") as caught:
            spool.write(np.zeros((10, 1), dtype=np.float32))
    assert "free some space" in str(caught.value)


def test_dual_mono_meter_fed_one_channel_measures_the_two(programmes):
    samples = programmes["quiet_speech"]
    mono = (samples[:, :1] + samples[:, 1:]) * np.float32(0.5)
    both = LoudnessMeter(RATE, 2)
    one = LoudnessMeter(RATE, 1, dual_mono=True)
    for block in in_blocks(mono, 65536):
        both.feed(np.repeat(block, 2, axis=1))
        one.feed(block)
    assert one.result() == both.result()


# -- the steps ---------------------------------------------------------------------
def run_step(step, samples: np.ndarray, block: int) -> np.ndarray:
    outs = [step.process(b) for b in in_blocks(samples, block)] + [step.flush()]
    for out in outs:
        assert out.dtype == np.float32 and out.ndim == 2 and out.shape[1] == 2
    return np.concatenate(outs)


STEPS = {
    "highpass": lambda: HighPass(150.0, 4),
    "bandlimit": lambda: BandLimit(),
    "dualmono": lambda: DualMono(),
    "gain": lambda: Gain(6.0),
    "leveler": lambda: Leveler(-16.0, range_lu=6.0),
    "limiter": lambda: TruePeakLimiter(-1.0),
    "chain": lambda: Chain([HighPass(150.0), Leveler(-16.0), DualMono(), Gain(3.0),
                            TruePeakLimiter(-1.0)]),
}


@pytest.mark.parametrize("name", sorted(STEPS))
def test_step_contract_length_alignment_and_block_size(name):
    samples = speech_like(np.random.default_rng(11), 6.3, level=0.3)
    outputs = [run_step(STEPS[name](), samples, block) for block in (4096, 65536, 777)]
    assert all(len(out) == len(samples) for out in outputs)
    assert np.array_equal(outputs[0], outputs[1]) and np.array_equal(outputs[0], outputs[2])


def test_steps_without_latency_are_aligned():
    samples = speech_like(np.random.default_rng(12), 2, level=0.3)
    assert np.array_equal(run_step(Gain(0.0), samples, 1000), samples)
    # A limiter that never acts is a pure (compensated) delay: output == input.
    quiet = samples * np.float32(0.1)
    assert np.allclose(run_step(TruePeakLimiter(-1.0, band_limit=False), quiet, 1000), quiet,
                       atol=1e-7)


def test_limiter_holds_intersample_peaks(tmp_path):
    # +3 dBTP quarter-rate sine whose samples are only at 0 dBFS, plus clipped noise.
    hot = sine(RATE / 4, 6, 1.4, math.pi / 4)
    clipped = np.clip(pink_noise(np.random.default_rng(13), 6 * RATE) * 0.5, -1, 1)
    for samples in (hot, clipped.astype(np.float32)):
        out = run_step(TruePeakLimiter(-1.0), samples, 5000)
        meter = TruePeakMeter()
        meter.feed(out)
        assert meter.true_peak_dbtp() <= -1.0
        write_wav(tmp_path / "lim.wav", out)
        assert ffmpeg_ebur128(tmp_path / "lim.wav")["true_peak"] <= -1.0


def test_refined_peaks_gather_the_points_the_whole_line_holds():
    # The limiter refines only frames near its threshold, gathering each one's
    # points and their neighbours from the interpolator's phases; the reference
    # builds the whole line of points in time order (the last point of the
    # previous chunk first, the next chunk's first point last) and reads it.
    from radio.audio.dsp import _with_neighbours

    rng = np.random.default_rng(31)
    for channels, frames in ((1, 1), (1, 9), (2, 16)):
        phase0 = rng.standard_normal((channels, frames + 1)).astype(np.float32)
        inter = rng.standard_normal((channels, 3, frames)).astype(np.float32)
        last = rng.standard_normal((channels, 1)).astype(np.float32)
        points = np.concatenate([phase0[:, :frames, None], inter.transpose(0, 2, 1)], axis=2)
        line = np.concatenate([last, points.reshape(channels, 4 * frames), phase0[:, -1:]],
                              axis=1)
        chosen = np.unique(np.r_[0, frames - 1, rng.integers(0, frames, 5)])
        expected = np.stack([line[:, 4 * f:4 * f + 6] for f in chosen], axis=1)
        assert np.array_equal(_with_neighbours(phase0, inter, last, chosen), expected)


def bursts_and_lulls(rng: np.random.Generator) -> np.ndarray:
    """Starts and stops abruptly at full level; in between, loud bursts, speech,
    and long lulls (room tone at -60 dBFS) where nothing comes near a ceiling."""
    lull = pink_noise(rng, 9 * RATE) * 0.001
    parts = [sine(RATE / 4, 0.5, 0.9, math.pi / 4), lull, speech_like(rng, 4, 0.3), lull,
             pink_noise(rng, 2 * RATE) * 0.4, lull[:RATE], sine(1000.0, 0.5, 0.95)]
    return np.concatenate(parts).astype(np.float32)


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_limiter_skipping_what_cannot_reach_its_threshold_changes_no_byte(preset, programmes,
                                                                         monkeypatch):
    # The second pass's limiter takes the first pass's measured peaks (times the
    # gain) as bounds: segments that cannot reach its threshold are not
    # oversampled, and a chunk with none that can passes straight through.
    # Whatever it skips, the master is the one it makes without the bounds.
    from dataclasses import replace

    from radio.audio import dsp

    calls = {"pass_through": 0}
    original = dsp.TruePeakLimiter._pass_through

    def counted(self, chunk):
        calls["pass_through"] += 1
        return original(self, chunk)

    monkeypatch.setattr(dsp.TruePeakLimiter, "_pass_through", counted)
    signals = dict(programmes, lulls=bursts_and_lulls(np.random.default_rng(77)))
    for name, samples in signals.items():
        for ceiling in (None, -3.0):
            master = Master(PRESETS[preset], ceiling_dbtp=ceiling)
            analysis = master.analyse(in_blocks(samples, 30000))
            assert analysis.input_peaks is not None
            kept = list(master.pre_chained(in_blocks(samples, 30000)))
            bounded = np.concatenate(list(master.finish(iter(kept), analysis, 7)))
            plain = replace(analysis, input_peaks=None)
            unbounded = np.concatenate(list(master.finish(iter(kept), plain, 7)))
            assert digest(bounded) == digest(unbounded), (name, ceiling)
    assert calls["pass_through"] > 0   # the lulls went straight through


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_output_bounds_hold_and_the_bounded_meter_reads_the_same_true_peak(preset, programmes):
    # The limiter records the gain it applies; with the first pass's bounds on its
    # input, that bounds every 4x point of the 16-bit output per segment.  A meter
    # that skips the windows whose bound is under the largest point it has seen
    # reads the true peak it reads without the bounds, bit for bit, for less work.
    from radio.audio.dsp import OutputPeakBounds, Oversampler

    skipped = {"frames": 0, "all": 0}
    signals = dict(programmes, lulls=bursts_and_lulls(np.random.default_rng(77)))
    for name, samples in signals.items():
        for ceiling in (None, -3.0):
            master = Master(PRESETS[preset], ceiling_dbtp=ceiling)
            analysis = master.analyse(in_blocks(samples, 30000))
            bounds = OutputPeakBounds()
            kept = list(master.pre_chained(in_blocks(samples, 30000)))
            out = np.concatenate(list(master.finish(iter(kept), analysis, 7, bounds)))
            one = out[:, :master.channels].astype(np.float32) / 32768
            exact = TruePeakMeter(RATE, master.channels, segment_frames=bounds.segment)
            exact.feed(one)
            points = exact.segment_peaks()
            upper = bounds.upper(0, len(points) * bounds.segment)[::bounds.segment]
            assert np.all(points <= upper), (name, ceiling)

            def reaching(first, count, level):
                flags = bounds.reaching(first, count, level)
                skipped["frames"] += int((~flags).sum())
                skipped["all"] += count
                return flags

            plain = TruePeakMeter(RATE, master.channels)
            bounded = TruePeakMeter(RATE, master.channels, bounds=reaching)
            for start in range(0, len(one), 50000):
                plain.feed(one[start:start + 50000])
                bounded.feed(one[start:start + 50000])
            assert bounded.true_peak() == plain.true_peak(), (name, ceiling)
    assert 0 < skipped["frames"] < skipped["all"]
    # Before the limiter starts it, nothing is bounded.
    assert np.all(OutputPeakBounds().reaching(-Oversampler.delay, 100, 1.0))


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_limiter_chunks_with_nothing_to_hold_change_no_byte(preset, programmes, monkeypatch):
    # A chunk with no peak over the threshold, after one whose look-ahead holds
    # nothing either, computes only the release that is dying away
    # (release_alone): the master is the one the general path makes.
    from radio.audio import dsp

    taken = {"calm": 0}
    original = dsp.TruePeakLimiter._nothing_held

    def counted(self, over):
        calm = original(self, over)
        taken["calm"] += calm
        return calm

    signals = dict(programmes, lulls=bursts_and_lulls(np.random.default_rng(78)))
    for name, samples in signals.items():
        for ceiling in (None, -3.0):
            monkeypatch.setattr(dsp.TruePeakLimiter, "_nothing_held", counted)
            shortcut = master_render(PRESETS[preset], samples, ceiling_dbtp=ceiling, block=30000)
            monkeypatch.setattr(dsp.TruePeakLimiter, "_nothing_held", lambda self, over: False)
            general = master_render(PRESETS[preset], samples, ceiling_dbtp=ceiling, block=30000)
            assert digest(shortcut) == digest(general), (name, ceiling)
    assert taken["calm"] > 0


@pytest.mark.parametrize("coeff", [math.exp(-1.0 / 3528.0), math.exp(-1.0 / 441.0),
                                   math.exp(-1.0 / 44.1)])   # 80, 10 and 1 ms
def test_release_alone_is_the_release_of_a_floor_of_zeros(coeff):
    from radio.audio.dsp import release_alone, release_recursion

    rng = np.random.default_rng(5)
    for prev in [0.0, 5e-324, 1e-300, 2.0 ** -54, *rng.random(20).tolist(), 1.0]:
        for length in (1, 7, 16384):
            fast = release_alone(coeff, prev, length)
            slow = release_recursion(np.zeros(length), coeff, prev)
            assert fast.tobytes() == slow.tobytes(), (prev, length)


def test_peak_bounds_hold_under_a_moving_gain():
    # The bounds the limiter trusts: the first pass's 4x peaks per 10 ms times the
    # largest gain there, plus what a gain moving under the interpolator can add.
    from radio.audio.dsp import hot_segments
    from radio.audio.master import _limiter_bounds

    rng = np.random.default_rng(5)
    samples = alternating(rng, passages=6, seconds=3.0, spread_db=12.0, level=0.2)[:, :1]
    samples = np.ascontiguousarray(samples)
    analysis_meter = TruePeakMeter(channels=1, segment_frames=441)
    analysis_meter.feed(samples)
    peaks = analysis_meter.segment_peaks()
    hops = -(-len(samples) // 4410)
    gains_db = np.cumsum(rng.choice([-6.0, 0.0, 6.0], hops))   # steps of 6 dB a hop
    track = GainTrack(np.clip(gains_db - gains_db.mean(), -18, 18), 4410, channels=1)
    gained = np.concatenate([track.process(b) for b in in_blocks(samples, 7000)])
    meter = TruePeakMeter(channels=1, segment_frames=441)
    meter.feed(gained)
    actual = meter.segment_peaks().astype(np.float64)

    class Stats:
        segment_frames = 441

    class Analysis:
        input_peaks, stats = peaks, Stats

    bounds, segment = _limiter_bounds(Analysis, track, 4410)
    assert segment == 441 and len(bounds) == len(actual)
    assert np.all(actual <= bounds)
    loud = actual > actual.max() / 10
    assert np.median(bounds[loud] / actual[loud]) < 1.2   # a bound, not a blanket
    hot = hot_segments(bounds, threshold=float(actual.max()) * 0.9)
    assert hot[0] and hot[-1] and 0.02 < hot.mean() < 0.9


def test_oversampler_asked_for_some_frames_computes_theirs_exactly():
    # Asked for some frames only, the interpolator transforms just the FFT windows
    # that hold them: those frames come out as a full computation gives them; with
    # none asked for, each frame's peak is its own sample (the delayed input).
    from radio.audio.dsp import Oversampler

    rng = np.random.default_rng(41)
    chunks = [rng.standard_normal((16384, 1)).astype(np.float32) for _ in range(3)]
    full, some = Oversampler(1), Oversampler(1)
    for index, chunk in enumerate(chunks):
        wanted = np.zeros(len(chunk), dtype=bool)
        if index == 1:
            wanted[[5, 9000, 16383]] = True
        expected = full.frame_peaks(chunk, 0.5)
        got = some.frame_peaks(chunk, 0.5, wanted)
        if index == 1:
            assert np.array_equal(got[wanted], expected[wanted])
        else:   # nothing asked for: no window transformed
            delayed = np.concatenate([chunks[index - 1][-Oversampler.delay:, 0] if index
                                      else np.zeros(Oversampler.delay, np.float32),
                                      chunk[:-Oversampler.delay, 0]])
            assert np.array_equal(got, np.abs(delayed))
            assert np.all(got <= expected)


def test_leveler_caps_boost_and_leaves_silence_alone():
    rng = np.random.default_rng(14)
    very_quiet = scaled_to(speech_like(rng, 8), -45.0)   # would need +29 dB
    out = run_step(Leveler(-16.0, max_boost_db=12.0), very_quiet, 4096)
    gain = measure(out).integrated_lufs - measure(very_quiet).integrated_lufs
    assert 11.0 <= gain <= 12.01
    hiss = scaled_to(pink_noise(rng, 8 * RATE).astype(np.float32), -60.0)  # under -50 LUFS
    out = run_step(Leveler(-16.0, silence_lufs=-50.0), hiss, 4096)
    assert np.max(np.abs(out)) <= np.max(np.abs(hiss)) * 1.0001


def test_dither_is_per_frame_and_keeps_dual_mono():
    rng = np.random.default_rng(15)
    mono = (rng.standard_normal(20000) * 0.01).astype(np.float32)
    block = np.repeat(mono[:, None], 2, axis=1)
    block[5000:6000] = 0.0
    whole = Dither16(99, dual_mono=True).process(block)
    dither = Dither16(99, dual_mono=True)
    pieces = np.concatenate([dither.process(b) for b in in_blocks(block, 333)])
    assert np.array_equal(whole, pieces)
    assert np.array_equal(whole[:, 0], whole[:, 1])
    assert not whole[5000:6000].any()                       # silence stays silent
    error = whole[:, 0] / 32768.0 - mono
    assert abs(np.std(error[:5000]) * 32768 - math.sqrt(1 / 4)) < 0.05  # TPDF + rounding
    stereo = Dither16(99).process(np.full((1000, 2), 0.001, dtype=np.float32))
    assert not np.array_equal(stereo[:, 0], stereo[:, 1])


@pytest.mark.parametrize("dual_mono,channels", [(False, 2), (True, 2), (True, 1)])
def test_dither_is_the_rule_it_states(dual_mono, channels):
    # The rule, written plainly: scale, add this frame's TPDF (drawn in order,
    # one pair per channel, or per frame for dual mono), round, clip; frames
    # of digital silence are zero.  Loud, clipping, silent and tiny frames.
    rng = np.random.default_rng(16)
    block = (rng.standard_normal((5000, channels)) * 0.5).astype(np.float32)
    block[100:200] = 0.0
    block[300:310] = 2.0 ** -25                           # under -144 dBFS: silence
    block[400:410, 0] = 1.5                                # clips
    if dual_mono and channels == 2:
        block[:, 1] = block[:, 0]
    out = Dither16(5, dual_mono=dual_mono).process(block)
    width = 1 if dual_mono else 2
    noise = np.random.Generator(np.random.PCG64(5)).random((5000, 2 * width), dtype=np.float32)
    tpdf = noise[:, :width] - noise[:, width:]
    expected = np.clip(np.rint(block * np.float32(32768.0) + tpdf), -32768, 32767)
    expected[np.all(np.abs(block) <= 2.0 ** -24, axis=1)] = 0
    expected = np.broadcast_to(expected.astype(np.int16), (5000, 2) if channels == 1 else
                               expected.shape)
    assert out.dtype == np.int16 and np.array_equal(out, expected)


def test_two_pass_leveler_replays_the_one_pass_decisions():
    from radio.audio.master import leveling_gains

    samples = scaled_to(alternating(np.random.default_rng(16), passages=2, seconds=6), -20.0)
    streamed = run_step(Leveler(-22.0, range_lu=6.0), samples, 4096)
    meter = LoudnessMeter()
    meter.feed(samples)
    gains = leveling_gains(meter.hop_energies(), -22.0, range_lu=6.0)
    replayed = run_step(GainTrack(gains), samples, 4096)
    assert np.allclose(streamed, replayed, rtol=1e-5, atol=1e-7)
    assert gains.max() - gains.min() > 10.0   # quiet passages lifted relative to loud ones


@pytest.mark.parametrize("hops", [0, 1, 2, 7, 40])
def test_gain_track_ramps_are_track_amplitude_bit_for_bit(hops):
    """GainTrack computes its ramps hop by hop; they are np.interp's (track_amplitude),
    before the first hop's end, across every hop, and held after the last, in
    blocks of any size that start anywhere."""
    from radio.audio.master import track_amplitude

    rng = np.random.default_rng(hops)
    hop = 441
    gains = rng.uniform(-30.0, 12.0, hops)
    track = GainTrack(gains, hop)
    amps = 10.0 ** (gains / 20.0)
    starts = [0, hop - 2, hop - 1, hop, max(hops - 1, 0) * hop - 1, hops * hop - 1, hops * hop]
    starts += rng.integers(0, (hops + 2) * hop, 40).tolist()
    for start in starts:
        for count in (0, 1, 2, hop - 1, hop, hop + 1, 3 * hop + 5, int(rng.integers(1, 5000))):
            start = max(start, 0)
            want = track_amplitude(amps, hop, np.arange(start, start + count))
            got = track.amplitudes(start, count)
            assert got.dtype == np.float64 and np.array_equal(got, want), (start, count)
    samples = rng.standard_normal(((hops + 3) * hop, 2)).astype(np.float32)
    whole = track_amplitude(amps, hop, np.arange(len(samples))).astype(np.float32)
    for size in (1, 97, hop, 4096):
        assert np.array_equal(run_step(GainTrack(gains, hop), samples, size),
                              samples * whole[:, None])


def test_pauses_of_digital_silence_stay_silent_and_fast():
    rng = np.random.default_rng(17)
    pause = np.zeros((3 * RATE, 2), dtype=np.float32)
    samples = np.concatenate([speech_like(rng, 4), pause, speech_like(rng, 4)])
    out = master_render(PRESETS["loudspeaker"], scaled_to(samples, -30.0))
    assert not out[int(4.7 * RATE):int(6.8 * RATE)].any()   # tails die out, then zeros
    # Silence must not drive the recursive filters into (very slow) subnormals.
    step = HighPass(150.0)
    step.process(samples[:4 * RATE])
    for block in in_blocks(pause, 441):
        step.process(block)
        state = np.abs(step._filter.zi)
        assert np.all((state == 0) | (state >= np.finfo(np.float64).tiny))
