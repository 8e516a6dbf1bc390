"""Mastering: a chain of block-wise steps and the two-pass driver (presets: ``presets``).

Every step has the same two methods (the pedalboard model):
``process(block) -> block`` takes float32 ``(n, channels)`` frames (two, or
one for a dual-mono master) and returns float32 frames, and ``flush() -> block`` returns what is still inside.  A step with
latency returns fewer frames at first and the rest at ``flush``: over a whole
stream every step, and so every :class:`Chain`, returns exactly as many frames
as it was given, time-aligned.  Output never depends on the block size.
Steps: HighPass, BandLimit, DualMono, Gain, TruePeakLimiter (in
:mod:`radio.audio.dsp`), Chain and GainTrack (here).

:class:`Master` masters a programme in two passes over its blocks (the caller
gives the second pass what the first kept, or the programme again; nothing is
kept in memory but 10 ms statistics):

1. ``analyse``: the pre-chain, DualMono -> HighPass -> BandLimit (as the
   preset says; the band limit always), measured by a LoudnessMeter, and
   handed to ``keep`` so that the caller can spool it.  With leveling, the
   leveler's gains (one per 100 ms) are then decided on the whole programme,
   riding toward the programme's *own* typical loudness, the middle of its
   loudness range (so passages are lifted or lowered relative to the rest, at
   most ``max_boost_db`` up, whatever the programme's level), and their
   effect on the 10 ms energies and peaks is computed.  The final gain to the
   target accounts for what the true-peak limiter will take away
   (:func:`~radio.audio.loudness.predict_limited_lufs`).
2. ``finish``: on the pre-chain's output, leveler (replaying those gains) ->
   Gain -> TruePeakLimiter -> TPDF dither to 16 bits, yielding int16 blocks
   whose total length is the input's (``pre_chained`` runs the pre-chain again
   when the caller kept the mixed programme instead).

A dual-mono preset is mastered on one channel (the one both will carry) from
the pre-chain's DualMono to the dither, which writes it to both.

Dither: TPDF of +-1 LSB, from ``numpy.random.Generator(PCG64(seed))``; two
uniform numbers (float32) are drawn per channel for *every* frame, in order (so
any block size gives the same stream).  Dual-mono presets draw for one channel
and use that dither value on both, so L = R exactly.  Frames whose samples are
all within 2**-24 (-144 dBFS) of zero are digital silence and are written as
zeros without dither: silence in gives silence out.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Iterator

import numpy as np

from radio.audio.dsp import (TAPS_PER_PHASE, BandLimit, DualMono, Gain, HighPass,
                            OutputPeakBounds, TruePeakLimiter, gained_peak_bounds)
from radio.audio.loudness import (BackgroundMeter, Loudness, SegmentStats, energy_to_lufs,
                                  predict_limited_lufs)
from radio.audio.presets import PRESETS, Preset

__all__ = ["Preset", "PRESETS", "HighPass", "BandLimit", "DualMono", "Rider", "GainTrack",
           "Gain", "TruePeakLimiter", "Chain", "Dither16", "Analysis", "Master", "leveling_gains"]

SILENCE_SAMPLE = 2.0 ** -24


class Chain:
    """Steps run one after the other; itself a step."""

    def __init__(self, steps: Iterable, channels: int = 2):
        self.steps = list(steps)
        self._channels = channels

    def process(self, block: np.ndarray) -> np.ndarray:
        block = np.asarray(block, dtype=np.float32)
        for step in self.steps:
            block = step.process(block)
        return block

    def flush(self) -> np.ndarray:
        """What is left in the steps, passed on through the steps after them
        (``channels``: the last step's; DualMono may change the count)."""
        tail = np.zeros((0, self._channels), dtype=np.float32)
        for index, step in enumerate(self.steps):
            passed = step.process(tail) if index and len(tail) else None
            rest = step.flush()
            tail = rest if passed is None else np.concatenate([passed, rest])
        return tail


class Rider:
    """The leveler's per-hop decision, made by :func:`leveling_gains` (and by the
    one-pass reference leveler of the tests, which checks it).

    Given the short-term loudness around a hop it returns the gain for the hop:
    if the levelled loudness (short-term + current gain) leaves
    ``reference +- band_lu`` the gain moves just enough to bring it back to
    the edge of the band (a dead band: inside it the gain does not move, so
    natural emphasis survives).  The gain stays within ``-max_cut_db`` ..
    ``+max_boost_db`` and moves by at most ``max_step_db`` per hop.  Below
    ``silence_lufs`` it never boosts: it glides back to 0 dB, so pauses and
    room tone are not pulled up.
    """

    def __init__(self, reference_lufs: float, band_lu: float, max_boost_db: float,
                 max_cut_db: float, silence_lufs: float, max_step_db: float):
        self.reference, self.band = reference_lufs, band_lu
        self.max_boost, self.max_cut = max_boost_db, max_cut_db
        self.silence, self.max_step = silence_lufs, max_step_db
        self.gain_db: float | None = None

    def step(self, short_term: float) -> float:
        previous = self.gain_db
        if short_term < self.silence:
            desired = 0.0
        else:
            level = short_term + (previous or 0.0)
            if previous is None:
                desired = self.reference - short_term
            elif level > self.reference + self.band:
                desired = self.reference + self.band - short_term
            elif level < self.reference - self.band:
                desired = self.reference - self.band - short_term
            else:
                desired = previous
            desired = min(self.max_boost, max(-self.max_cut, desired))
        if previous is not None:
            desired = previous + min(self.max_step, max(-self.max_step, desired - previous))
        self.gain_db = desired
        return desired


WINDOW_HOPS, LOOKAHEAD_HOPS = 30, 15   # 3 s short-term windows centred on the hop


def leveling_gains(hop_energy: np.ndarray, reference_lufs: float, *,
                   range_lu: float | None = None, max_boost_db: float = 12.0,
                   max_cut_db: float = 24.0, silence_lufs: float = -50.0,
                   max_step_db: float = 1.0) -> np.ndarray:
    """Leveler gains (dB, one per 100 ms hop) for a whole programme, from the
    mean-square K-weighted energy of every hop, riding toward *reference_lufs*
    (the middle of the programme's own loudness range when the Master uses
    it): 3 s short-term windows centred on each hop, decided by :class:`Rider`."""
    count = len(hop_energy)
    sums = np.concatenate([[0.0], np.cumsum(hop_energy)])
    hops = np.arange(count)
    low = np.maximum(0, hops - (WINDOW_HOPS - LOOKAHEAD_HOPS - 1))
    high = np.minimum(count, hops + LOOKAHEAD_HOPS + 1)
    energy = np.maximum(sums[high] - sums[low], 0.0) / np.maximum(high - low, 1)
    rider = Rider(reference_lufs, range_lu / 4.0 if range_lu else 0.0, max_boost_db,
                   max_cut_db, silence_lufs, max_step_db)
    return np.array([rider.step(energy_to_lufs(e)) for e in energy.tolist()], dtype=np.float64)


def track_amplitude(amps: np.ndarray, hop: int, frames: np.ndarray) -> np.ndarray:
    """Linear gain at absolute *frames* for per-hop gains *amps*: within hop k
    it ramps from hop k-1's value to hop k's, reaching it at the hop's last
    frame (hop 0 starts at its own value; after the last hop it holds)."""
    if len(amps) == 0:
        return np.ones(len(frames))
    # Piecewise linear through (each hop's last frame, its gain).
    ends = np.arange(1, len(amps) + 1, dtype=np.float64) * hop - 1.0
    return np.interp(frames, ends, amps)


class GainTrack:
    """Applies per-hop gains computed beforehand (the Master's leveler in its
    second pass): no latency, sample-accurate ramps, any block size."""

    def __init__(self, gains_db: np.ndarray, hop: int = 4410, channels: int = 2):
        self._amps = 10.0 ** (np.asarray(gains_db, dtype=np.float64) / 20.0)
        self._hop, self._channels, self._pos = hop, channels, 0
        # The ramp within hop k+1, from hop k's gain to its own: the slopes np.interp
        # finds in track_amplitude, and the frames' distances from hop k's last frame.
        self._slopes = np.diff(self._amps) / float(hop)
        self._steps = np.arange(hop, dtype=np.float64)

    @property
    def amps(self) -> np.ndarray:
        """The linear gain of every hop (reached at its last frame)."""
        return self._amps

    def process(self, block: np.ndarray) -> np.ndarray:
        block = np.asarray(block, dtype=np.float32)
        gain = self.amplitudes(self._pos, len(block)).astype(np.float32)
        self._pos += len(block)
        return block * gain[:, None]

    def amplitudes(self, start: int, count: int) -> np.ndarray:
        """``track_amplitude`` at frames ``start .. start+count-1``, bit for bit,
        computed a hop at a time (no search for each frame's hop)."""
        amps, hop = self._amps, self._hop
        if len(amps) == 0:
            return np.ones(count)
        out = np.empty(count)
        frame, end = start, start + count
        while frame < end:
            knot = (frame + 1) // hop - 1        # the hop whose last frame is at or before
            if knot >= len(amps) - 1:            # at or after the last hop's: it holds
                out[frame - start:] = amps[-1]
                break
            ramp_end = min(end, (knot + 2) * hop - 1)
            at = slice(frame - start, ramp_end - start)
            if knot < 0:                         # before the first hop's last frame
                out[at] = amps[0]
            else:
                first = frame + 1 - (knot + 1) * hop
                out[at] = self._slopes[knot] * self._steps[first:first + ramp_end - frame] \
                    + amps[knot]
            frame = ramp_end
        return out

    def flush(self) -> np.ndarray:
        return np.zeros((0, self._channels), dtype=np.float32)


class Dither16:
    """TPDF dither and rounding to int16 (see the module docstring)."""

    def __init__(self, seed: int, dual_mono: bool = False):
        self._rng = np.random.Generator(np.random.PCG64(seed))
        self.dual_mono = dual_mono

    def process(self, block: np.ndarray) -> np.ndarray:
        block = np.asarray(block, dtype=np.float32)
        if block.shape[1] == 1 and not self.dual_mono:
            raise ValueError("only a dual-mono dither takes one-channel blocks")
        width = 1 if self.dual_mono else 2
        noise = self._rng.random((len(block), 2 * width), dtype=np.float32)
        dither = noise[:, :width] - noise[:, width:]
        if block.shape[1] == 1:   # the one channel of a dual-mono master
            return np.repeat(_quantize(block, dither), 2, axis=1)
        if self.dual_mono and np.array_equal(block[:, 0], block[:, 1]):
            return np.repeat(_quantize(block[:, :1], dither), 2, axis=1)
        return _quantize(block, dither)


def _quantize(block: np.ndarray, dither: np.ndarray) -> np.ndarray:
    """float32 frames plus dither (broadcast over the channels) rounded to
    int16; digital silence stays zero."""
    scaled = block * np.float32(32768.0)
    scaled += dither
    silent = np.abs(block) <= SILENCE_SAMPLE
    silent = silent[:, 0] if silent.shape[1] == 1 else silent.all(axis=1)
    np.rint(scaled, out=scaled)          # in place: one array instead of four
    np.clip(scaled, -32768, 32767, out=scaled)
    scaled[silent] = 0.0
    return scaled.astype(np.int16)


@dataclass(frozen=True)
class Analysis:
    """First-pass result.

    ``loudness`` is measured on the pre-chain *before* leveling;
    ``leveled_lufs`` is the integrated loudness after leveling and
    ``predicted_lufs`` after gain and limiting (both predicted from 10 ms
    energies and true peaks, which are kept in ``stats``, about 4 MB per hour,
    so that a Master with another ceiling can re-solve the gain without a new
    analysis).  ``leveler_gains_db`` holds one gain per 100 ms hop (None
    without leveling)."""

    loudness: Loudness
    gain_db: float
    target_lufs: float
    ceiling_dbtp: float
    leveled_lufs: float
    predicted_lufs: float
    leveler_gains_db: np.ndarray | None = field(default=None, repr=False, compare=False)
    stats: SegmentStats | None = field(default=None, repr=False, compare=False)
    #: The pre-chain output's true peak per 10 ms segment, as measured (before any
    #: gain): the second pass's limiter skips what cannot reach its threshold.
    input_peaks: np.ndarray | None = field(default=None, repr=False, compare=False)


class Master:
    """Two-pass mastering driver for one preset (see the module docstring).

    ``ceiling_dbtp`` overrides the preset's ceiling (the build passes
    ``preset.ceiling_dbtp - preset.mp3_headroom_db`` for masters that will
    also be encoded to MP3).
    """

    def __init__(self, preset: Preset, rate: int = 44100, ceiling_dbtp: float | None = None):
        self.preset = preset
        self.rate = rate
        self.hop = int(round(rate / 10))
        self.ceiling_dbtp = preset.ceiling_dbtp if ceiling_dbtp is None else ceiling_dbtp
        # The channels between the pre-chain and the dither: a dual-mono
        # programme is worked on as the one channel that both will carry.
        self.channels = 1 if preset.dual_mono else 2

    def pre_chain(self) -> Chain:
        """DualMono -> HighPass -> BandLimit, each as the preset says (the band
        limit always): linear and time-invariant, no latency.  The filters run
        as one cascade; the output has ``self.channels`` channels."""
        p, c, steps = self.preset, self.channels, []
        if p.dual_mono:
            steps.append(DualMono(one_channel=True))
        filters = BandLimit(rate=self.rate, channels=c)
        if p.highpass_hz:
            filters = HighPass(p.highpass_hz, p.highpass_order, rate=self.rate,
                               channels=c).then(filters)
        return Chain(steps + [filters], channels=c)

    def limiter(self, peak_bounds: tuple[np.ndarray, int] | None = None,
                output_bounds: OutputPeakBounds | None = None) -> TruePeakLimiter:
        # The pre-chain already band-limits, so the limiter need not.
        return TruePeakLimiter(self.ceiling_dbtp, rate=self.rate, channels=self.channels,
                               band_limit=False, peak_bounds=peak_bounds,
                               output_bounds=output_bounds)

    def analyse(self, blocks: Iterable[np.ndarray],
                keep: Callable[[np.ndarray], None] | None = None) -> Analysis:
        """The first pass over the mixed programme; *keep* receives the
        pre-chain's output block by block (what :meth:`finish` takes)."""
        # Measured in two threads (energies, true peaks), while the next blocks are
        # mixed and filtered: the first pass has both cores to itself.
        background = BackgroundMeter(self.rate, self.channels, segment_ms=10,
                                     dual_mono=self.preset.dual_mono, split_peaks=True)
        try:
            for block in self.pre_chained(blocks):
                background.feed(block)
                if keep:
                    keep(block)
        finally:
            background.close()
        meter = background.finished()
        loudness = meter.result()
        stats = SegmentStats(meter.segment_energies(), meter.segment_peaks(),
                             meter.segment, meter.segments_per_hop, self.rate)
        gains, leveled, bounds = None, loudness.integrated_lufs, meter.range_bounds()
        if self.preset.leveling and bounds is not None:
            p, reference = self.preset, (bounds[0] + bounds[1]) / 2.0
            gains = leveling_gains(meter.hop_energies(), reference, range_lu=p.target_range_lu,
                                   max_boost_db=p.max_boost_db, silence_lufs=p.silence_lufs)
            gains.setflags(write=False)
            stats = _apply_track(stats, gains, self.hop)
            leveled = predict_limited_lufs(stats, 0.0, math.inf)
        gain_db, predicted = self._solve_gain(stats, leveled)
        return Analysis(loudness, gain_db, self.preset.target_lufs, self.ceiling_dbtp,
                        leveled, predicted, gains, stats, meter.segment_peaks())

    def _solve_gain(self, stats: SegmentStats, integrated: float) -> tuple[float, float]:
        """Gain that brings the limited programme to the target (a few
        Newton-like steps on the prediction; the limiter only ever lowers the
        loudness, so this converges from above)."""
        if not math.isfinite(integrated):
            return 0.0, integrated
        target = self.preset.target_lufs
        threshold = self.limiter().threshold
        gain_db, predicted = target - integrated, target
        for _ in range(6):
            predicted = predict_limited_lufs(stats, gain_db, threshold)
            error = target - predicted
            if not math.isfinite(error) or abs(error) < 0.005:
                break
            gain_db += error
        return round(gain_db, 6), predicted

    def gain_for(self, analysis: Analysis) -> float:
        """The analysis' gain, re-solved if this Master's ceiling differs."""
        if analysis.ceiling_dbtp == self.ceiling_dbtp or analysis.stats is None:
            return analysis.gain_db
        return self._solve_gain(analysis.stats, analysis.leveled_lufs)[0]

    def pre_chained(self, blocks: Iterable[np.ndarray]) -> Iterator[np.ndarray]:
        chain = self.pre_chain()
        for block in blocks:
            yield chain.process(_check(block))
        yield chain.flush()

    def finish(self, blocks: Iterable[np.ndarray], analysis: Analysis,
               seed: int, output_bounds: OutputPeakBounds | None = None
               ) -> Iterator[np.ndarray]:
        """The second pass from the pre-chain's output (as ``analyse`` kept it,
        ``self.channels`` channels): leveler -> Gain -> TruePeakLimiter ->
        dither, stereo int16 blocks out.  *output_bounds* (empty) is started
        and filled for the output's meter (:class:`OutputPeakBounds`)."""
        c, gain_db = self.channels, self.gain_for(analysis)
        if analysis.leveler_gains_db is not None:   # the leveler's gains and the gain, at once
            gain = GainTrack(analysis.leveler_gains_db + gain_db, self.hop, channels=c)
        else:
            gain = Gain(gain_db, channels=c)
        bounds = _limiter_bounds(analysis, gain, self.hop)
        if bounds is None:
            output_bounds = None
        elif output_bounds is not None:
            output_bounds.start(*bounds)
        chain = Chain([gain, self.limiter(bounds, output_bounds)], channels=c)
        dither = Dither16(seed, dual_mono=self.preset.dual_mono)
        for block in blocks:
            out = chain.process(_check(block, c))
            if len(out):
                yield dither.process(out)
        out = chain.flush()
        if len(out):
            yield dither.process(out)


def _apply_track(stats: SegmentStats, gains_db: np.ndarray, hop: int) -> SegmentStats:
    """Segment statistics as they will be after the leveler's gains (the gain
    moves slowly, so its value at the middle of each segment is enough)."""
    seg = stats.segment_frames
    middle = np.arange(len(stats.energies)) * seg + seg // 2
    amps = track_amplitude(10.0 ** (gains_db / 20.0), hop, middle)
    count = min(len(stats.peaks), len(amps))
    return replace(stats, energies=stats.energies * amps ** 2,
                   peaks=stats.peaks[:count] * amps[:count].astype(np.float32))


def _limiter_bounds(analysis: Analysis, gain, hop: int) -> tuple[np.ndarray, int] | None:
    """Upper bounds on the limiter's input's 4x points per segment (the
    analysis' measured peaks times the gain there), for ``TruePeakLimiter``."""
    peaks, stats = analysis.input_peaks, analysis.stats
    if peaks is None or stats is None or hop % stats.segment_frames:
        return None
    seg = stats.segment_frames
    if isinstance(gain, GainTrack):
        # Piecewise linear with its knots on hops' last frames, which are
        # segments' last frames: a segment's largest gain is at one of its ends.
        starts = np.arange(len(peaks), dtype=np.float64) * seg
        amps = gain.amps
        most = np.maximum(track_amplitude(amps, hop, starts),
                          track_amplitude(amps, hop, starts + seg - 1))
        # How far the gain moves within the interpolator's reach of a frame.
        reach = TAPS_PER_PHASE + 2
        spread = reach * float(np.abs(np.diff(amps)).max(initial=0.0)) / hop
        return gained_peak_bounds(peaks, most, spread), seg
    return gained_peak_bounds(peaks, gain.amplitude), seg


def _check(block: np.ndarray, channels: int = 2) -> np.ndarray:
    block = np.asarray(block, dtype=np.float32)
    if block.ndim != 2 or block.shape[1] != channels:
        raise ValueError(f"mastering expects float32 blocks of shape (n, {channels}), "
                         f"got {block.shape}")
    return block
