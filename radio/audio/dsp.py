"""Block-wise DSP helpers shared by the loudness meter and the mastering chain.

Everything here works on float ``(n, channels)`` blocks and carries its state
from one block to the next, so that a 60-minute programme is processed in a
few megabytes.  Results never depend on how the caller cut the stream into
blocks: sample-recursive filters (``sosfilt`` with carried ``zi``) give the same
samples whatever the cut, and the vectorised computations (FFT convolution,
running minimum, release recursion) run on a *fixed internal grid* of chunks
counted from the first frame (:class:`Rechunker`, :class:`GridStep`), so they
see exactly the same arrays whatever the caller's block size.
"""
from __future__ import annotations

import functools
import math
from typing import Iterator

import numpy as np

from radio.audio import kernels
from radio.audio.designs import band_limit_sos, highpass_sos, interpolator_prototype

#: Taps per phase of the 4x true-peak interpolator (the prototype has 4*48+1).
TAPS_PER_PHASE = 48
#: Transform length of the interpolator's overlap-save convolution (a power of 2).
FFT_LENGTH = 4096
#: Overshoot allowed for at an abrupt end of stream, over the last frames.
GIBBS, END_FRAMES = 1.09, 8
#: Added to filter inputs so that silence never makes the states subnormal.
ANTI_DENORMAL = np.float32(1e-20)
#: Kaiser window beta of the interpolator (about 80 dB stop band).
KAISER_BETA = 8.0


def db_to_gain(db: float) -> float:
    return 10.0 ** (db / 20.0)


def gain_to_db(gain: float) -> float:
    """Linear amplitude to dB; ``-inf`` for zero (callers must expect it)."""
    return 20.0 * math.log10(gain) if gain > 0.0 else -math.inf


class SosFilter:
    """A ``sosfilt`` that remembers its state between blocks (exact at any cut).

    Recursive filters fed digital silence decay into subnormal numbers, which
    x86 computes 50 times slower: a programme with pauses would crawl.  So a
    tiny signal (1e-20, -400 dBFS, on every other frame counted from the
    start) is added to the input; it keeps the states normal and changes
    nothing audible (dither treats it as silence).
    """

    def __init__(self, sos: np.ndarray, channels: int, dtype=np.float64):
        self.sos = np.asarray(sos, dtype=np.float64)
        self.dtype = dtype
        self.zi = np.zeros((self.sos.shape[0], 2, channels), dtype=np.float64)
        self._parity = 0

    def __call__(self, block: np.ndarray, collapse: bool = False) -> np.ndarray:
        """The filtered block; with *collapse*, a dual-mono block comes back as
        its one filtered channel, ``(n, 1)``."""
        if len(block) == 0:
            return np.zeros(block.shape, dtype=self.dtype)
        # float32 in: sosfilt computes in float64 anyway, and a float64 copy
        # made here would double the cost.
        block = np.array(block, dtype=np.float32)
        block[self._parity::2] += ANTI_DENORMAL
        self._parity = (self._parity + len(block)) % 2
        if _dual_mono(block) and np.array_equal(self.zi[..., 0], self.zi[..., 1]):
            # Identical channels in identical states: filter one, copy it (the
            # same arithmetic, so the same samples as filtering both).
            out, zi = kernels.sosfilt(self.sos, block[:, :1], self.zi[..., :1])
            self.zi = np.repeat(zi, 2, axis=2)
            out = out.astype(self.dtype, copy=False)
            return out if collapse else np.repeat(out, 2, axis=1)
        out, self.zi = kernels.sosfilt(self.sos, block, self.zi)
        return out.astype(self.dtype, copy=False)


def _dual_mono(block: np.ndarray) -> bool:
    """True for a stereo block whose two channels are the same samples."""
    return block.ndim == 2 and block.shape[1] == 2 and np.array_equal(block[:, 0], block[:, 1])


class Rechunker:
    """Collects frames given in blocks of any size and hands out fixed-size chunks.

    Chunk boundaries are counted from the first frame ever pushed, so the chunks
    are the same arrays whatever the caller's block size.
    """

    def __init__(self, chunk: int, channels: int, dtype=np.float32):
        self.chunk = chunk
        self._buf = np.zeros((chunk, channels), dtype=dtype)
        self.pending = 0

    def push(self, block: np.ndarray) -> Iterator[np.ndarray]:
        """Yield every chunk completed by *block* (a chunk is only valid until
        the next yield; copy it to keep it)."""
        pos, n = 0, len(block)
        while pos < n:
            if self.pending == 0 and n - pos >= self.chunk:
                yield block[pos:pos + self.chunk]
                pos += self.chunk
                continue
            take = min(self.chunk - self.pending, n - pos)
            self._buf[self.pending:self.pending + take] = block[pos:pos + take]
            self.pending += take
            pos += take
            if self.pending == self.chunk:
                self.pending = 0
                yield self._buf

    def peek(self) -> np.ndarray:
        """The frames waiting for a full chunk (a copy); does not consume them."""
        return self._buf[:self.pending].copy()


class Oversampler:
    """4x polyphase interpolator for true-peak estimation (BS.1770-4 Annex 2).

    The prototype low-pass is a Kaiser-windowed sinc of 4*TAPS_PER_PHASE+1 taps
    cut at the original Nyquist frequency (flat to about 21 kHz at 44.1 kHz).
    It is a Nyquist filter, so phase 0 is the input itself (delayed) and only
    phases 1..3 are computed, by FFT convolution in float32 (overlap-save, see
    ``_interpolate``) with the last TAPS_PER_PHASE input frames carried over.
    Feed it fixed-size chunks (see :class:`Rechunker`) for results independent
    of block size.

    ``frame_peaks(chunk)`` returns, for each frame of the chunk, the largest
    absolute value over the channels of the four interpolated points at times
    m, m+1/4, m+1/2, m+3/4 where ``m = frame - delay`` (the BS.1770 reading).
    With ``refine_above`` each point that is a local extreme is replaced by the
    vertex of the parabola through it and its two neighbours: this recovers
    the peaks that fall between the 4x points (up to 0.7 dB near Nyquist),
    which the limiter needs so that finer meters (ffmpeg resamples to
    192 kHz) never read more than it aimed at.  Only frames that could reach
    ``refine_above`` are refined (a vertex is at most 1.5 times the largest of
    its three points), so the result is exact where it matters and cheap.
    """

    delay = TAPS_PER_PHASE // 2

    def __init__(self, channels: int):
        taps = TAPS_PER_PHASE
        proto = interpolator_prototype(taps, KAISER_BETA)
        self._phases = np.stack([proto[r::4][:taps] for r in (1, 2, 3)]).astype(np.float32)
        self._spectra = kernels.rfft(self._phases, FFT_LENGTH)   # (3, bins)
        self._history = np.zeros((channels, taps), dtype=np.float32)
        self._last_point = np.zeros((channels, 1), dtype=np.float32)

    def copy(self) -> "Oversampler":
        """An independent interpolator in the same state (to peek at a tail)."""
        twin = object.__new__(Oversampler)
        twin.__dict__.update(self.__dict__)
        twin._history, twin._last_point = self._history.copy(), self._last_point.copy()
        return twin

    def frame_peaks(self, chunk: np.ndarray, refine_above: float | None = None,
                    only: np.ndarray | None = None) -> np.ndarray:
        taps, n = self._history.shape[1], len(chunk)
        ext = self._extend(chunk)
        last = self._last_point
        if len(ext) == 2 and np.array_equal(ext[0], ext[1]) and last[0, 0] == last[1, 0]:
            ext, last = ext[:1], last[:1]  # dual mono: one channel says it all
        inter = self._interpolate(ext, only)   # (channels, 3, n): the chunk's frames
        start = taps - self.delay
        phase0 = ext[:, start:start + n]
        if n:
            self._last_point = np.broadcast_to(inter[:, 2, -1:], self._last_point.shape).copy()
        peaks = np.maximum(np.maximum(np.abs(phase0), np.abs(inter[:, 0])),
                           np.maximum(np.abs(inter[:, 1]), np.abs(inter[:, 2]))).max(axis=0)
        if refine_above is None or n == 0:
            return peaks
        near = around(peaks)
        # Neighbours at the edges: the last point of the previous chunk, and the
        # next frame's phase 0, which is already in ext because delay >= 1.
        after = ext[:, start + n:start + n + 1]
        near[0] = max(near[0], float(np.abs(last).max()))
        near[-1] = max(near[-1], float(np.abs(after).max()))
        frames = np.flatnonzero(near * REFINE_MAX >= refine_above)
        if len(frames):
            # Only the few frames that could reach the threshold are refined: their
            # four points, with the point before (the previous chunk's last one for
            # the first frame) and the next frame's phase 0 (in ext: delay >= 1).
            points = _with_neighbours(ext[:, start:start + n + 1], inter, last, frames)
            refined = _parabolic_peaks(points[..., :4], points[..., 1:5], points[..., 2:])
            peaks[frames] = _max4(refined).max(axis=0)
        return peaks

    def max_point(self, chunk: np.ndarray, only: np.ndarray | None = None) -> float:
        """``frame_peaks(chunk).max()`` (0 for no frames), computing the windows
        that hold a frame flagged in *only* and no others (their samples, phase 0,
        still count): for a meter that needs the largest point alone."""
        taps, n = self._history.shape[1], len(chunk)
        ext = self._extend(chunk)
        self._last_point = np.zeros_like(self._last_point)   # no refining after this
        if n == 0:
            return 0.0
        start = taps - self.delay
        best = float(np.abs(ext[:, start:start + n]).max())
        if only is not None and not only.any():
            return best
        step = FFT_LENGTH - taps
        pieces = max(1, -(-n // step))
        chosen = range(pieces)
        if only is not None:
            flags = np.zeros(pieces * step, dtype=bool)
            flags[:n] = only[:n]
            chosen = np.flatnonzero(flags.reshape(pieces, step).any(axis=1))
        # The windows of _interpolate's overlap-save, the chosen ones only.
        windows = np.zeros((len(ext), len(chosen), FFT_LENGTH), dtype=np.float32)
        for at, piece in enumerate(chosen):
            part = ext[:, piece * step:piece * step + FFT_LENGTH]
            windows[:, at, :part.shape[1]] = part
        out = kernels.irfft(kernels.rfft(windows)[:, :, None, :] * self._spectra,
                            FFT_LENGTH)[..., taps:]
        for at, piece in enumerate(chosen):   # the last window's end is padding
            frames = min(step, n - piece * step)
            best = max(best, float(np.abs(out[:, at, :, :frames]).max()))
        return best

    def skip(self, chunk: np.ndarray) -> None:
        """Take *chunk* in without computing its points, as ``frame_peaks`` with no
        frame flagged in *only* does (the next chunk's first frame then has no
        point before it: only for frames whose peaks nobody reads)."""
        self._extend(chunk)
        self._last_point = np.zeros_like(self._last_point)

    def _extend(self, chunk: np.ndarray) -> np.ndarray:
        """The carried input frames followed by *chunk*, channels first; the
        last ``taps`` of them are carried to the next chunk."""
        taps = self._history.shape[1]
        ext = np.concatenate([self._history, np.asarray(chunk, dtype=np.float32).T], axis=1)
        self._history = ext[:, ext.shape[1] - taps:].copy()
        return ext

    def _interpolate(self, ext: np.ndarray, only: np.ndarray | None = None) -> np.ndarray:
        """Phases 1..3 at the frames of ext[:, taps:] (channels, 3, n).

        Overlap-save: ext is cut into windows of FFT_LENGTH frames that overlap
        by ``taps``, all transformed in one batch; in each window's circular
        convolution the outputs from ``taps`` on are the linear ones.  With
        *only* (one flag per frame), just the windows holding a flagged frame
        are transformed (the same windows, so the same values) and the other
        frames are left at zero."""
        taps, width = self._phases.shape[1], ext.shape[1]
        n, step = width - taps, FFT_LENGTH - taps
        pieces = max(1, -(-n // step))
        padded = np.zeros((len(ext), (pieces - 1) * step + FFT_LENGTH), dtype=np.float32)
        padded[:, :width] = ext
        windows = np.lib.stride_tricks.as_strided(   # (channels, pieces, FFT_LENGTH), read only
            padded, (len(ext), pieces, FFT_LENGTH), (padded.strides[0], step * 4, 4),
            writeable=False)
        chosen = None
        if only is not None:
            flags = np.zeros(pieces * step, dtype=bool)
            flags[:n] = only[:n]
            chosen = np.flatnonzero(flags.reshape(pieces, step).any(axis=1))
            if len(chosen) == 0:
                return np.zeros((len(ext), 3, n), dtype=np.float32)
            if len(chosen) == pieces:
                chosen = None
            else:
                windows = windows[:, chosen]
        spectrum = kernels.rfft(windows)                             # (channels, pieces, bins)
        out = kernels.irfft(spectrum[:, :, None, :] * self._spectra, FFT_LENGTH)[..., taps:]
        if chosen is not None:
            inter = np.zeros((len(ext), 3, n), dtype=np.float32)
            for at, piece in enumerate(chosen.tolist()):
                frames = min(step, n - piece * step)
                inter[:, :, piece * step:piece * step + frames] = out[:, at, :, :frames]
            return inter
        out = out.transpose(0, 2, 1, 3).reshape(len(ext), 3, pieces * step)
        return out[:, :, :n]


def _with_neighbours(phase0: np.ndarray, inter: np.ndarray, last: np.ndarray,
                     frames: np.ndarray) -> np.ndarray:
    """``(channels, len(frames), 6)``: for each of *frames*, the point before it,
    its four points in time order (phase 0, then *inter*'s three) and the next
    frame's phase 0.  *phase0* has one frame more than *inter* (the next chunk's
    first); *last* is the point before frame 0."""
    points = np.empty((len(phase0), len(frames), 6), dtype=np.float32)
    points[:, :, 0] = np.where(frames == 0, last, inter[:, 2, frames - 1])
    points[:, :, 1] = phase0[:, frames]
    points[:, :, 2:5] = inter[:, :, frames].transpose(0, 2, 1)
    points[:, :, 5] = phase0[:, frames + 1]
    return points


def _max4(values: np.ndarray) -> np.ndarray:
    """Maximum over a last axis of length 4 (faster than a reduction)."""
    return np.maximum(np.maximum(values[..., 0], values[..., 1]),
                      np.maximum(values[..., 2], values[..., 3]))


def _parabolic_peaks(before: np.ndarray, here: np.ndarray, after: np.ndarray) -> np.ndarray:
    """|here|, raised to the vertex of the parabola through (before, here,
    after) where *here* is a local extreme and the vertex lies within one step."""
    slope = after - before
    curve = after - 2.0 * here + before
    extreme = (curve * here < 0.0) & (np.abs(slope) <= 2.0 * np.abs(curve))
    with np.errstate(divide="ignore", invalid="ignore"):
        vertex = np.abs(here - slope * slope / (8.0 * curve))
    return np.where(extreme, np.maximum(vertex, np.abs(here)), np.abs(here))


#: A refined point is at most this many times the largest of the points around it
#: (the parabola's vertex: |here| + slope**2 / (8 |curve|) <= |here| + |slope| / 4).
REFINE_MAX = 1.5
#: Allowance for float32 rounding between two computations of the same 4x points
#: (other FFT windows, a gain multiplied in first), relative to the loudest.
ROUNDING = 1e-4


def gained_peak_bounds(peaks: np.ndarray, gains: np.ndarray, spread: float = 0.0) -> np.ndarray:
    """Upper bounds on the 4x points of ``gain * x``, per segment, from *peaks*,
    the largest 4x point of x in each segment (``TruePeakMeter.segment_peaks``),
    and *gains*, the largest gain at any frame of the segment.

    The gain may move: a point is a weighted sum of the frames within the
    interpolator's reach, ``sum h[k] g[k] x[k] = g[m] sum h[k] x[k] + sum h[k]
    (g[k] - g[m]) x[k]``, so with *spread* the most the gain moves between two
    frames that close, the second term is at most ``spread * sum |h| * max |x|``
    (the frames of the neighbouring segments included)."""
    peaks = np.asarray(peaks, dtype=np.float64)
    gained = peaks * np.broadcast_to(np.asarray(gains, dtype=np.float64), peaks.shape)
    moving = spread * taps_l1() * around(peaks) if spread else 0.0
    # An FFT's rounding follows the largest values in its window, not each point's.
    rounding = ROUNDING * float(gained.max(initial=0.0))
    return (gained + moving + rounding) * (1.0 + ROUNDING)


def segment_reduce(ufunc: np.ufunc, values: np.ndarray, first: int, segment: int,
                   segments: int) -> tuple[slice, np.ndarray]:
    """*ufunc* (``np.maximum``, ``np.minimum``) over *values* (those of frames
    ``first ..``) in each segment of *segment* frames they touch, up to segment
    ``segments - 1``: (the segments, one value each).  Frames before 0 or past
    the last segment are left out."""
    start, end = max(first, 0), min(first + len(values), segments * segment)
    if start >= end:
        return slice(0, 0), np.zeros(0)
    part = values[start - first:end - first]
    cuts = np.arange(-(-start // segment) * segment, end, segment) - start
    cuts = np.concatenate([[0], cuts[cuts > 0]])
    reduced = ufunc.reduceat(part, cuts)
    return slice(start // segment, start // segment + len(reduced)), reduced


def per_frame(per_segment, segment: int, first: int, count: int) -> np.ndarray:
    """The values of frames ``first .. first + count - 1``, each its segment's:
    *per_segment(low, high)* gives those of segments ``low .. high - 1``."""
    low = first // segment
    at = first - low * segment
    return np.repeat(per_segment(low, -(-(first + count) // segment)), segment)[at:at + count]


def _segments_touched(first: int, count: int, segment: int, segments: int) -> slice:
    """The segments that frames ``first .. first + count - 1`` touch (within the
    programme's *segments*)."""
    start, end = max(first, 0), min(first + count, segments * segment)
    if start >= end:
        return slice(0, 0)
    return slice(start // segment, -(-end // segment))


#: How far a 16-bit output sample may lie from the limiter's float output: the
#: rounding (half a step), the TPDF dither (under one step) and the clip at full
#: scale (one step), in units of full scale.
QUANTIZATION = 3.0 / 32768.0
#: An absolute allowance for a meter's own FFT rounding (-80 dBFS).
METER_ROUNDING = 1e-4


class OutputPeakBounds:
    """Upper bounds on the 4x points of a limiter's 16-bit output, per segment,
    for a meter that needs only their largest value (the report's true peak).

    Its input's points are bounded beforehand (:func:`gained_peak_bounds`, from
    the first pass); the limiter records, as it goes, the smallest gain it
    applies in each segment (:meth:`record`; the gain is at most 1, so it moves
    by at most 1 minus that).  A point of the output is
    ``sum h[k] g[k] u[k]`` over the interpolator's reach (``g`` <= 1, the
    limiter's gain; ``u`` its input), that is ``g[m] sum h[k] u[k] + sum h[k]
    (g[k] - g[m]) u[k]``: at most the input's bound plus ``sum |h|`` times the
    gain's spread times the largest input sample near it (the segment and its
    neighbours: the reach is shorter than a segment); the dither and rounding
    to 16 bits add at most ``sum |h| * QUANTIZATION``.  :meth:`upper` gives the
    bound of every frame, :meth:`reaching` which frames could reach a level; a
    meter may skip the frames whose bound is under the largest point it has
    already seen: the maximum is the same, bit for bit.
    The limiter records a frame's gain before the frame leaves it, so a meter
    fed the output (on another thread) asks only about recorded frames.
    """

    def __init__(self):
        self.segment = 1
        self._near = self._low = np.zeros(0)   # nothing known: no bound

    def start(self, input_bounds: np.ndarray, segment: int) -> None:
        """Bounds on the limiter's input's 4x points per segment of *segment* frames
        (:func:`gained_peak_bounds`); before this, nothing is bounded."""
        bounds = np.asarray(input_bounds, dtype=np.float64)
        self.segment = segment
        self._near = around(bounds)              # the input's bound, neighbours included
        self._low = np.full(len(bounds), np.inf)     # the smallest gain recorded per segment

    def record(self, first: int, gain: np.ndarray | float, count: int) -> None:
        """The limiter applied *gain* (per frame, or one value) to the output
        frames ``first .. first + count - 1``."""
        if np.isscalar(gain):
            at = _segments_touched(first, count, self.segment, len(self._low))
            np.minimum(self._low[at], float(gain), out=self._low[at])
            return
        at, low = segment_reduce(np.minimum, np.asarray(gain, dtype=np.float64)[:count], first,
                                 self.segment, len(self._low))
        np.minimum(self._low[at], low, out=self._low[at])

    @property
    def segments(self) -> int:
        return len(self._near)

    def reaching(self, first: int, count: int, level: float) -> np.ndarray:
        """Which of the frames ``first .. first + count - 1`` have 4x points that
        could reach *level* (all of them outside the programme's segments)."""
        return per_frame(lambda low, high: self.segment_upper(low, high) >= level,
                         self.segment, first, count)

    def upper(self, first: int, count: int) -> np.ndarray:
        """Bounds for the 4x points of frames ``first .. first + count - 1``
        (infinite outside the programme's segments)."""
        return per_frame(self.segment_upper, self.segment, first, count)

    def segment_upper(self, low_seg: int, high_seg: int) -> np.ndarray:
        """The bound of segments ``low_seg .. high_seg - 1``."""
        segments = np.arange(low_seg, high_seg)
        inside = (segments >= 0) & (segments < len(self._near))
        per_segment = np.full(len(segments), np.inf)
        if inside.any():
            ids = segments[inside]
            lo, hi = max(int(ids[0]) - 1, 0), int(ids[-1]) + 2   # with the neighbours
            # The gain is at most 1: it moves by at most 1 - its least value.
            spread = 1.0 + around(-self._low[lo:hi])[ids - lo]   # nothing recorded: -inf
            spread = np.where(np.isfinite(spread), np.maximum(spread, 0.0), np.inf)
            bound = self._near[ids] * (1.0 + taps_l1() * spread) + taps_l1() * QUANTIZATION
            per_segment[inside] = bound * (1.0 + ROUNDING) + METER_ROUNDING
        return per_segment


def around(values: np.ndarray) -> np.ndarray:
    """Each value and its two neighbours' largest."""
    out = values.copy()
    out[1:] = np.maximum(out[1:], values[:-1])
    out[:-1] = np.maximum(out[:-1], values[1:])
    return out


@functools.lru_cache(maxsize=1)
def taps_l1() -> float:
    """The largest sum of |coefficients| of the interpolator's phases."""
    proto = interpolator_prototype(TAPS_PER_PHASE, KAISER_BETA)
    return float(max(np.abs(proto[r::4]).sum() for r in range(4)))


class GridStep:
    """Base of mastering steps that compute on a fixed grid of ``chunk`` frames.

    A subclass implements ``_compute(chunk) -> ndarray`` returning exactly
    ``chunk`` frames delayed by ``self.latency`` frames (the first ``latency``
    frames of the stream are start-up output and are dropped here).  The step as
    a whole is latency-compensated: the frames returned by all ``process`` calls
    plus ``flush`` are exactly the input frames, time-aligned.  Subclasses may
    override ``_end_of_stream(total)`` to learn the true length before the
    zero padding of the flush is fed through.
    """

    chunk = 8192
    latency = 0

    def __init__(self, channels: int = 2):
        self.channels = channels
        self._grid = Rechunker(self.chunk, channels)
        self._frames_in = 0
        self._frames_out = 0
        self._to_skip = self.latency

    def process(self, block: np.ndarray) -> np.ndarray:
        block = np.asarray(block, dtype=np.float32)
        self._frames_in += len(block)
        outs = [self._emit(self._compute(c)) for c in self._grid.push(block)]
        return self._join(outs)

    def flush(self) -> np.ndarray:
        total = self._frames_in
        self._end_of_stream(total)
        outs = []
        zeros = np.zeros((self.chunk, self.channels), dtype=np.float32)
        while self._frames_out < total:
            for c in self._grid.push(zeros[:self.chunk - self._grid.pending]):
                outs.append(self._emit(self._compute(c), limit=total))
        return self._join(outs)

    def _emit(self, out: np.ndarray, limit: int | None = None) -> np.ndarray:
        if self._to_skip:
            cut = min(self._to_skip, len(out))
            out, self._to_skip = out[cut:], self._to_skip - cut
        if limit is not None:
            out = out[:max(0, limit - self._frames_out)]
        self._frames_out += len(out)
        return out

    def _join(self, outs: list[np.ndarray]) -> np.ndarray:
        if not outs:
            return np.zeros((0, self.channels), dtype=np.float32)
        return np.concatenate(outs).astype(np.float32, copy=False)

    def _end_of_stream(self, total: int) -> None:
        pass

    def _compute(self, chunk: np.ndarray) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError


def release_recursion(floor: np.ndarray, coeff: float, prev: float) -> np.ndarray:
    """Vectorised ``u[j] = max(floor[j], coeff * u[j-1])`` with ``u[-1] = prev``.

    It is a peak hold with exponential decay (the limiter's release, on the
    gain-reduction depth ``1 - gain``).  Solved with a running maximum on
    ``floor[k] * coeff**-k``; *floor* should stay below a few thousand frames'
    worth of decay (``coeff**-len`` must not overflow), which the fixed chunks
    guarantee.
    """
    decay = _decay(coeff, len(floor))
    scaled = floor / decay
    scaled[0] = max(scaled[0], prev * coeff)
    return np.maximum.accumulate(scaled) * decay


def release_alone(coeff: float, prev: float, length: int) -> np.ndarray:
    """``release_recursion(np.zeros(length), coeff, prev)`` for less: with a floor
    of zeros the running maximum is its first value throughout, so the depth
    is that value times the decay (the same numbers, bit for bit)."""
    return (prev * coeff) * _decay(coeff, length)


@functools.lru_cache(maxsize=16)
def _decay(coeff: float, length: int) -> np.ndarray:
    """``coeff ** k`` for k < length (read-only: the limiter asks for the same
    chunk length every time)."""
    decay = coeff ** np.arange(length, dtype=np.float64)
    decay.setflags(write=False)
    return decay


class TruePeakLimiter(GridStep):
    """Look-ahead limiter on the 4x-oversampled peak, so the output's *true*
    peak stays at or below ``ceiling_dbtp``.

    With ``band_limit`` the programme is first low-passed by
    :func:`band_limit_sos` (flat to 18 kHz): between 20 kHz and Nyquist every
    practical interpolator disagrees with the ideal reconstruction (and with
    ffmpeg's), and a limiter can only hold down the peaks it sees.  Peaks are
    then estimated on the 4x grid, refined by parabolic interpolation between
    grid points (see :class:`Oversampler`); an abrupt start or end of the
    stream counts 9 % higher (Gibbs ringing in finer meters).  For every frame the required gain is
    ``threshold / peak`` around it (the larger of the two oversampled intervals
    touching the frame); the threshold is the ceiling minus ``margin_db``
    (0.1 dB, for the 16-bit dither and the small differences with other
    meters).  The gain is the running minimum of that over the look-ahead,
    released exponentially (``release_ms`` time constant), then smoothed by a
    moving average as long as the look-ahead, which makes the attack a ramp
    that reaches the required gain exactly at the peak.  The same gain is
    applied to every channel (dual mono stays L = R).  Latency: interpolator
    delay (24 frames) + look-ahead (5 ms); compensated.

    ``output_bounds``: an :class:`OutputPeakBounds` in which the limiter records
    the gain it applies, for the output's meter.

    ``peak_bounds`` (bounds, segment frames): upper bounds on the input's 4x
    points per segment, known beforehand (the master's first pass measured
    them, see :func:`gained_peak_bounds`).  Only the segments that could reach
    the threshold (:func:`hot_segments`) are oversampled, and a chunk with none,
    once every release has died away, passes straight through: the output is
    the same, bit for bit, for a fraction of the work on quiet programmes.
    """

    chunk = 16384

    def __init__(self, ceiling_dbtp: float = -1.0, lookahead_ms: float = 5.0,
                 release_ms: float = 80.0, *, rate: int = 44100, channels: int = 2,
                 margin_db: float = 0.1, band_limit: bool = True,
                 peak_bounds: tuple[np.ndarray, int] | None = None,
                 output_bounds: OutputPeakBounds | None = None):
        self.lookahead = max(1, int(round(lookahead_ms * rate / 1000.0)))
        self.latency = Oversampler.delay + self.lookahead
        super().__init__(channels)
        self.ceiling_dbtp = ceiling_dbtp
        self.threshold = db_to_gain(ceiling_dbtp - margin_db)
        self._coeff = math.exp(-1.0 / max(1.0, release_ms * rate / 1000.0))
        self._lowpass = None
        if band_limit:
            self._lowpass = SosFilter(band_limit_sos(rate), channels, dtype=np.float32)
        self._over = Oversampler(channels)
        self._q_prev = 0.0
        self._r_tail = np.ones(self.lookahead)
        self._u_prev = 0.0
        self._e_tail = np.ones(self.lookahead)
        self._x_hist = np.zeros((self.latency, channels), dtype=np.float32)
        self._computed = 0
        self._end: int | None = None
        self._hot = None
        self._output_bounds = output_bounds
        if peak_bounds is not None:
            if band_limit:
                raise ValueError("peak bounds describe the limiter's input: not with band_limit")
            bounds, self._segment = peak_bounds
            self._hot = hot_segments(bounds, self.threshold)

    def _segment_flags(self, flags: np.ndarray, first: int, n: int) -> np.ndarray:
        """Per-frame flags for the times ``first .. first + n - 1`` from per-segment
        ones; times outside the segments are flagged."""
        seg = self._segment
        low, high = first // seg, -(-(first + n) // seg)
        segments = np.arange(low, high)
        inside = (segments >= 0) & (segments < len(flags))
        per_segment = np.ones(len(segments), dtype=bool)
        per_segment[inside] = flags[segments[inside]]
        at = first - low * seg
        return np.repeat(per_segment, seg)[at:at + n]

    def _end_of_stream(self, total: int) -> None:
        self._end = total

    def _compute(self, chunk: np.ndarray) -> np.ndarray:
        size = self.lookahead + 1
        start = self._computed
        self._computed += len(chunk)
        if self._lowpass is not None:
            chunk = self._lowpass(chunk)
            if self._end is not None:
                # The output stops at the end of the input: the filter's tail
                # is cut off, and the peaks must be judged on what is kept.
                chunk[max(0, self._end - start):] = 0.0
        first = start - Oversampler.delay
        hot = None
        if self._hot is not None:
            hot = self._segment_flags(self._hot, first, len(chunk))
        if hot is not None and not hot.any():   # nothing here can reach the threshold
            self._over.skip(chunk)
            if self._settled():
                if self._output_bounds is not None:
                    self._output_bounds.record(start - self.latency, 1.0, len(chunk))
                return self._pass_through(chunk)
            q = np.zeros(len(chunk))
        else:
            q = self._over.frame_peaks(chunk, self.threshold / GIBBS, hot).astype(np.float64)
        if hot is not None:
            q[~hot] = 0.0   # at most the threshold: no gain reduction either way
        # A programme that starts or stops abruptly rings in any reconstruction
        # (Gibbs: up to 9 % past the edge), and finer meters see more of it.
        q[:max(0, END_FRAMES - first)] *= GIBBS
        if self._end is not None:
            q[max(0, self._end - END_FRAMES - first):max(0, self._end - first)] *= GIBBS
        peak = np.maximum(q, np.concatenate([[self._q_prev], q[:-1]]))
        self._q_prev = float(q[-1])
        over = peak > self.threshold
        if self._nothing_held(over):
            depth = release_alone(self._coeff, self._u_prev, len(chunk))   # nothing to hold
        else:
            with np.errstate(divide="ignore"):
                need = np.where(over, self.threshold / peak, 1.0)
            ext = np.concatenate([self._r_tail, need])
            self._r_tail = ext[-self.lookahead:]
            held = kernels.running_minimum(ext, size)
            depth = release_recursion(1.0 - held, self._coeff, self._u_prev)
        self._u_prev = float(depth[-1])
        ext = np.concatenate([self._e_tail, 1.0 - depth])
        self._e_tail = ext[-self.lookahead:]
        sums = np.concatenate([[0.0], np.cumsum(ext)])
        gain = (sums[size:] - sums[:-size]) / size
        if self._output_bounds is not None:
            self._output_bounds.record(start - self.latency, gain, len(chunk))
        audio = np.concatenate([self._x_hist, chunk])
        self._x_hist = audio[len(chunk):].copy()
        return (audio[:len(chunk)] * gain[:, None]).astype(np.float32)

    def _nothing_held(self, over: np.ndarray) -> bool:
        """No peak over the threshold in the chunk (*over*) nor in the look-ahead
        carried from the last one: the held gain is 1 throughout."""
        return not over.any() and bool(np.all(self._r_tail == 1.0))

    def _settled(self) -> bool:
        """Whether a chunk with no peak over the threshold comes out at a gain of
        exactly 1: nothing held, no release under way that 1 - depth can still
        show in float64 (half a unit in the last place: 2**-54)."""
        return (self._u_prev * self._coeff < 2.0 ** -54 and bool(np.all(self._r_tail == 1.0))
                and bool(np.all(self._e_tail == 1.0)))

    def _pass_through(self, chunk: np.ndarray) -> np.ndarray:
        """What the general path gives for such a chunk (the same bits), for less:
        the input delayed, and the release's state decayed as it computes it."""
        self._q_prev = 0.0
        self._u_prev = float(self._u_prev * self._coeff * _decay(self._coeff, len(chunk))[-1])
        audio = np.concatenate([self._x_hist, chunk])
        self._x_hist = audio[len(chunk):].copy()
        return audio[:len(chunk)].astype(np.float32)


def hot_segments(bounds: np.ndarray, threshold: float) -> np.ndarray:
    """Which segments the limiter must look at, from upper bounds on its input's
    4x points (:func:`gained_peak_bounds`): those where a frame's peak, refined
    from its own points and its neighbours' (which may lie in the next segment
    or the one before), could pass the threshold; the first and last segment
    always (the edges count more).  A frame that could pass has its neighbours
    in hot segments too, so every point its peak is made of is computed."""
    hot = around(np.asarray(bounds, dtype=np.float64)) * REFINE_MAX >= threshold
    if len(hot):
        hot[0] = hot[-1] = True
    return hot


# -- simple steps (see radio.audio.master for the step contract) ---------------
class Filter:
    """A fixed IIR filter as a mastering step (SOS sections, state carried)."""

    def __init__(self, sos: np.ndarray, channels: int = 2):
        self.sos = np.asarray(sos, dtype=np.float64)
        self._filter = SosFilter(self.sos, channels, dtype=np.float32)

    def then(self, other: "Filter") -> "Filter":
        """One filter that is this one followed by *other* (a single pass over
        the audio; both must be fresh)."""
        return Filter(np.concatenate([self.sos, other.sos]), self._filter.zi.shape[2])

    def process(self, block: np.ndarray) -> np.ndarray:
        return self._filter(np.asarray(block, dtype=np.float32))

    def flush(self) -> np.ndarray:
        return np.zeros((0, self._filter.zi.shape[2]), dtype=np.float32)


class HighPass(Filter):
    """Butterworth high-pass (``scipy.signal.butter`` SOS)."""

    def __init__(self, cutoff_hz: float, order: int = 4, *, rate: int = 44100, channels: int = 2):
        super().__init__(highpass_sos(cutoff_hz, order, rate), channels)


class BandLimit(Filter):
    """The low-pass of :func:`band_limit_sos` (flat to 18 kHz).  The master ends
    its pre-chain with it, so that the loudness it measures is the loudness of
    what the limiter (then without its own band limit) shapes."""

    def __init__(self, *, rate: int = 44100, channels: int = 2):
        super().__init__(band_limit_sos(rate), channels)


class DualMono:
    """L = R = mean of the two channels (exactly equal samples); with
    ``one_channel`` that mean alone, ``(n, 1)``, for steps that then work on one
    channel standing for both."""

    def __init__(self, one_channel: bool = False):
        self._out = 1 if one_channel else 2

    def process(self, block: np.ndarray) -> np.ndarray:
        block = np.asarray(block, dtype=np.float32)
        mono = (block[:, 0] + block[:, 1]) * np.float32(0.5)
        return mono[:, None] if self._out == 1 else np.repeat(mono[:, None], 2, axis=1)

    def flush(self) -> np.ndarray:
        return np.zeros((0, self._out), dtype=np.float32)


class Gain:
    """A fixed gain in dB."""

    def __init__(self, gain_db: float, channels: int = 2):
        self.gain_db = gain_db
        self._factor = np.float32(db_to_gain(gain_db))
        self._channels = channels

    @property
    def amplitude(self) -> float:
        """The linear gain applied (as float32 applies it)."""
        return float(self._factor)

    def process(self, block: np.ndarray) -> np.ndarray:
        return np.asarray(block, dtype=np.float32) * self._factor

    def flush(self) -> np.ndarray:
        return np.zeros((0, self._channels), dtype=np.float32)
