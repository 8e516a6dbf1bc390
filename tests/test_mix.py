"""Plan + mix on generated signals: ducking, fades, crossfades, continuity."""
import numpy as np
import pytest

from radio.pipeline.mix import bed_envelope, duck_db, mix_blocks
from radio.config import DuckingSettings, PacingSettings
from radio.pipeline.plan import BedGroup, Rendered, plan
from radio.pipeline.sources import Source
from radio.script import parse_text

RATE = 44100
FRONT = "---\ntitle: T\nnumber: 1\nspeakers:\n  MC1: {voice: vi}\n---\n"


def make_source(tmp_path, name, samples, loudness=-20.0) -> Source:
    samples = np.ascontiguousarray(samples, dtype="<f4")
    if samples.ndim == 1:
        samples = samples[:, None]
    path = tmp_path / f"{name}.f32"
    path.write_bytes(samples.tobytes())
    return Source(name, path, samples.shape[1], len(samples), loudness)


def tone(seconds, freq=440.0, amp=0.1, channels=1):
    t = np.arange(int(seconds * RATE)) / RATE
    x = amp * np.sin(2 * np.pi * freq * t)
    return np.repeat(x[:, None], channels, axis=1) if channels > 1 else x


def render_all(timeline, block=4096):
    return np.concatenate(list(mix_blocks(timeline, block=block)))


def envelope_db(signal, window=441):
    power = np.convolve(signal[:, 0].astype(np.float64) ** 2, np.ones(window) / window, "same")
    return 10 * np.log10(power + 1e-20)


PACING = PacingSettings(paragraph_pause_ms=500, heading_pause_ms=800, clip_pause_ms=400,
                        lead_in_ms=0, tail_ms=0)


def test_ducking_depth_attack_release(tmp_path):
    duck = DuckingSettings(depth_db=12, attack_ms=150, release_ms=600, hold_ms=400,
                           bed_fade_in_ms=0, bed_fade_out_ms=0, bed_gain_db=0)
    ep = parse_text(FRONT + "[nhạc nền: bed.ogg | vào=0s]\n[dừng: 3s]\nMC1: a\n\n[dừng: 4s]\n",
                    "e", "e.md")
    bed = make_source(tmp_path, "bed", tone(20, 200, 0.1, 2), loudness=-20)
    silent_speech = make_source(tmp_path, "sp", np.zeros(2 * RATE), loudness=-20)
    rendered = [Rendered(bed), Rendered(), Rendered(silent_speech, "espeak"), Rendered()]
    timeline = plan(ep, rendered, PACING, duck)
    out = render_all(timeline)
    level = envelope_db(out)
    speech_start, speech_end = 3 * RATE, 5 * RATE
    full, ducked = level[int(1 * RATE)], level[int(4 * RATE)]
    assert ducked - full == pytest.approx(-12, abs=0.3)

    def crossing(fraction, lo, hi, falling):
        target = full - 12 * fraction if falling else full - 12 * (1 - fraction)
        seg = level[lo:hi]
        idx = np.argmax(seg <= target) if falling else np.argmax(seg >= target)
        return (lo + idx) / RATE

    attack = crossing(0.9, 2 * RATE, speech_start + RATE, True) - \
        crossing(0.1, 2 * RATE, speech_start + RATE, True)
    assert attack == pytest.approx(0.8 * 0.150, rel=0.1)
    release_lo = speech_end + int(0.4 * RATE)
    release = crossing(0.9, release_lo - 100, release_lo + RATE, False) - \
        crossing(0.1, release_lo - 100, release_lo + RATE, False)
    assert release == pytest.approx(0.8 * 0.600, rel=0.1)
    # the hold: still fully ducked 300 ms after the speech ends
    assert level[speech_end + int(0.3 * RATE)] == pytest.approx(ducked, abs=0.3)


def test_short_pause_does_not_bring_the_bed_back(tmp_path):
    duck = DuckingSettings(bed_fade_in_ms=0, bed_gain_db=0, hold_ms=0, min_gap_ms=500)
    pacing = PacingSettings(paragraph_pause_ms=450, lead_in_ms=0, tail_ms=0)
    ep = parse_text(FRONT + "[nhạc nền: bed.ogg]\nMC1: a\n\nMC1: b\n", "e", "e.md")
    bed = make_source(tmp_path, "bed", tone(20, 200, 0.1, 2))
    speech = make_source(tmp_path, "sp", np.zeros(RATE))
    timeline = plan(ep, [Rendered(bed), Rendered(speech), Rendered(speech)], pacing, duck)
    level = envelope_db(render_all(timeline))
    gap_middle = int((1.0 + 0.225) * RATE)
    assert level[gap_middle] == pytest.approx(level[int(0.5 * RATE)], abs=0.3)


def test_no_discontinuity_at_clip_boundaries_and_block_independence(tmp_path):
    ep = parse_text(FRONT + "[băng: a.ogg | chồng=200ms]\n[băng: b.ogg]\nMC1: x\n", "e", "e.md")
    a = make_source(tmp_path, "a", tone(2, 300, 0.3, 2))
    b = make_source(tmp_path, "b", tone(2, 500, 0.3, 2))
    c = make_source(tmp_path, "c", tone(1, 400, 0.3, 1))
    timeline = plan(ep, [Rendered(a), Rendered(b), Rendered(c)], PACING, DuckingSettings())
    out_small, out_big = render_all(timeline, 1000), render_all(timeline, 65536)
    assert np.array_equal(out_small, out_big)
    steps = np.abs(np.diff(out_small[:, 0]))
    max_step_in_tone = 0.3 * 2 * np.pi * 500 / RATE
    assert steps.max() <= max_step_in_tone * 1.05


def test_crossfade_length_as_asked(tmp_path):
    ep = parse_text(FRONT + "[băng: a.ogg | chồng=250ms]\n[băng: b.ogg]\nMC1: x\n", "e", "e.md")
    a = make_source(tmp_path, "a", np.full((RATE, 2), 0.5))
    b = make_source(tmp_path, "b", np.full((RATE, 2), 0.5))
    c = make_source(tmp_path, "c", np.zeros(100))
    timeline = plan(ep, [Rendered(a), Rendered(b), Rendered(c)], PACING, DuckingSettings())
    out = render_all(timeline)[: 2 * RATE - int(0.25 * RATE)]
    second = timeline.segments[1]
    assert second.start == RATE - int(0.25 * RATE) and second.fade_in == int(0.25 * RATE)
    # equal-gain raised-cosine crossfade of two constant signals stays constant
    assert np.allclose(out[:, 0], 0.5, atol=1e-4)


def test_trim_points_accurate_to_a_millisecond(tmp_path):
    from radio.audio.encode import write_audio
    from radio.pipeline.sources import SourceStore, render_asset

    ramp = (np.arange(5 * RATE) / (5 * RATE)).astype(np.float32) * 0.5
    path = tmp_path / "ramp.wav"
    write_audio(path, np.repeat(ramp[:, None], 2, axis=1))
    source = render_asset(SourceStore(tmp_path / "store"), path, 1250, 3500)
    data = SourceStore.read(source, 0, source.frames)
    assert abs(source.frames - int(2.25 * RATE)) <= RATE // 1000
    first_value_time = data[0, 0] / 0.5 * 5
    assert first_value_time == pytest.approx(1.25, abs=0.001)


def test_a_source_reads_as_zeros_outside_itself_and_as_a_fresh_array(tmp_path):
    from radio.pipeline.sources import SourceStore

    samples = np.arange(20, dtype=np.float32).reshape(10, 2)
    source = make_source(tmp_path, "s", samples)
    assert np.array_equal(SourceStore.read(source, 2, 3), samples[2:5])
    before = SourceStore.read(source, -2, 4)
    assert np.array_equal(before, np.concatenate([np.zeros((2, 2)), samples[:2]]))
    after = SourceStore.read(source, 8, 5)
    assert np.array_equal(after, np.concatenate([samples[8:], np.zeros((3, 2))]))
    assert np.array_equal(SourceStore.read(source, 12, 2), np.zeros((2, 2)))
    assert SourceStore.read(source, 0, 0).shape == (0, 2)
    # The mixer scales what it reads in place: a read never shares memory.
    one = SourceStore.read(source, 0, 10)
    one *= 0
    assert np.array_equal(SourceStore.read(source, 0, 10), samples)
    assert one.flags.writeable


def test_bed_loops_with_crossfade_under_long_speech(tmp_path):
    duck = DuckingSettings(bed_fade_in_ms=0, bed_fade_out_ms=0, bed_gain_db=0, depth_db=0,
                           loop_crossfade_ms=500)
    ep = parse_text(FRONT + "[nhạc nền: bed.ogg]\nMC1: a\n", "e", "e.md")
    bed = make_source(tmp_path, "bed", np.full((2 * RATE, 2), 0.25))
    speech = make_source(tmp_path, "sp", np.zeros(7 * RATE))
    timeline = plan(ep, [Rendered(bed), Rendered(speech)], PACING, duck)
    out = render_all(timeline)
    assert len([s for s in timeline.segments if s.group == 1]) >= 4
    assert np.allclose(out[: 7 * RATE, 0], 0.25, atol=1e-4)


def test_bed_fade_mode_stops_with_a_fade(tmp_path):
    duck = DuckingSettings(bed_fade_in_ms=0, bed_fade_out_ms=500, bed_gain_db=0, depth_db=0,
                           bed_loop="fade")
    ep = parse_text(FRONT + "[nhạc nền: bed.ogg]\nMC1: a\n", "e", "e.md")
    bed = make_source(tmp_path, "bed", np.full((2 * RATE, 2), 0.25))
    speech = make_source(tmp_path, "sp", np.zeros(5 * RATE))
    timeline = plan(ep, [Rendered(bed), Rendered(speech)], PACING, duck)
    out = render_all(timeline)
    assert abs(out[2 * RATE + 10:, 0]).max() == 0.0
    assert out[2 * RATE - 1, 0] < 0.01


# -- Ahead: the mixer on a thread of its own ------------------------------------

def test_blocks_mixed_ahead_are_the_same_blocks_in_the_same_order():
    from radio.pipeline.mix import Ahead

    blocks = [np.full((7, 2), i, dtype=np.float32) for i in range(50)]
    with Ahead(iter(blocks), depth=3) as ahead:
        got = list(ahead)
    assert len(got) == 50 and all(np.array_equal(a, b) for a, b in zip(got, blocks))


def test_an_error_while_mixing_ahead_is_raised_to_the_caller():
    from radio.pipeline.mix import Ahead

    def broken():
        yield np.zeros((4, 2), dtype=np.float32)
        raise OSError("a source vanished")

    with Ahead(broken()) as ahead, pytest.raises(OSError, match="vanished"):
        list(ahead)


def test_closing_stops_a_mixer_that_is_ahead_of_its_caller():
    import threading

    from radio.pipeline.mix import Ahead

    made = []

    def endless():
        while True:
            made.append(1)
            yield np.zeros((4, 2), dtype=np.float32)

    ahead = Ahead(endless(), depth=2)
    next(iter(ahead))
    ahead.close()   # returns: the producer saw the stop while its queue was full
    count = len(made)
    assert count <= 5 and not any(t.name == "mixer" for t in threading.enumerate())


def test_a_recording_another_build_is_decoding_is_waited_for_not_decoded_twice(
        tmp_path, monkeypatch):
    """Parallel builds of episodes that share a jingle decode it once: the second
    waits for the first's lock and takes what it stored."""
    import threading
    import time
    import wave

    from radio.audio import decode as dec
    from radio.pipeline import sources

    asset = tmp_path / "jingle.wav"
    with wave.open(str(asset), "wb") as fh:
        fh.setnchannels(2)
        fh.setsampwidth(2)
        fh.setframerate(44100)
        fh.writeframes((tone(0.5, channels=2) * 32767).astype("<i2").tobytes())
    store = sources.SourceStore(tmp_path / "sources")
    key = sources._key("asset", sources.file_digest(asset), 0, None)
    result = {}
    waiter = threading.Thread(target=lambda: result.update(
        source=sources.render_asset(sources.SourceStore(tmp_path / "sources"), asset)))
    with store.making(key) as made:
        assert made is None
        waiter.start()
        time.sleep(0.5)
        assert waiter.is_alive()                 # held up by the lock, not decoding
        first = sources._decode_asset(store, key, asset, 0, None)

        def decode_again(*args, **kwargs):
            raise AssertionError("decoded a second time")

        monkeypatch.setattr(dec, "decode_with_info", decode_again)
    waiter.join(10)
    assert result["source"] == first
    with store.making(key) as made:              # and a later caller just finds it
        assert made == first


def _reference_duck_db(bed: BedGroup, pos: np.ndarray) -> np.ndarray:
    """The ducking gain computed over every frame for every duck (the definition)."""
    gain = np.zeros(len(pos), dtype=np.float64)
    for start, end in bed.ducks:
        down = np.clip((pos - (start - bed.attack)) / max(bed.attack, 1), 0, 1)
        up = np.clip((end + bed.hold + bed.release - pos) / max(bed.release, 1), 0, 1)
        gain = np.minimum(gain, -bed.depth_db * np.minimum(down, up))
    return gain


@pytest.mark.parametrize("seed", range(40))
def test_ducking_computed_on_the_ramps_only_is_the_same_numbers(seed):
    # duck_db skips the frames where a duck is flat; the envelope must not move.
    rng = np.random.default_rng(seed)
    ducks, at = [], int(rng.integers(0, 3000))
    for _ in range(int(rng.integers(0, 6))):
        start = at + int(rng.integers(0, 4000))
        end = start + int(rng.integers(0, 5000))
        ducks.append((start, end))
        at = end + int(rng.integers(-2000, 3000))
    bed = BedGroup(group=1, start=0, end=60000, fade_in=0, fade_out=0, ducks=tuple(ducks),
                   depth_db=float(rng.choice([0.0, 6.0, 12.5])),
                   attack=int(rng.choice([0, 1, 7, 660])), release=int(rng.choice([0, 1, 2646])),
                   hold=int(rng.choice([0, 3, 1764])))
    for b0 in range(0, 40000, int(rng.choice([997, 4096, 65536]))):
        pos = np.arange(b0, min(b0 + 4096, 40000), dtype=np.float64)
        got, want = duck_db(bed, pos), _reference_duck_db(bed, pos)
        assert np.array_equal(got, want)
        assert np.array_equal(bed_envelope(bed, pos), np.exp(want * (np.log(10.0) / 20.0)))


def test_exp_by_runs_is_exp_bit_for_bit():
    # Each run of equal values takes one exp: the envelope is the same numbers.
    from radio.pipeline.mix import exp_by_runs

    rng = np.random.default_rng(5)
    ramp = np.linspace(0.0, -1.4, 3000)
    cases = [np.zeros(0), np.array([-0.7]), np.zeros(65536), np.full(100, -1.38),
             np.concatenate([np.zeros(500), ramp, np.full(7000, -1.4), ramp[::-1], np.zeros(3)]),
             rng.normal(size=4096), np.tile([0.0, -0.5], 2000)]
    for values in cases:
        assert np.array_equal(exp_by_runs(values), np.exp(values))
