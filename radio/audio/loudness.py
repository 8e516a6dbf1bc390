"""Block-wise loudness measurement: ITU-R BS.1770-4 and EBU Tech 3342.

:class:`LoudnessMeter` is fed float blocks of shape ``(n, channels)`` one after
the other and never keeps the audio: after K-weighting it keeps one float64
energy per 100 ms hop (36 000 numbers for an hour), from which it derives

* the integrated loudness: 400 ms blocks every 100 ms (75 % overlap), absolute
  gate -70 LUFS, relative gate -10 LU (BS.1770-4);
* the short-term loudness (3 s window) every 100 ms, used for the loudness
  range (EBU Tech 3342: absolute gate -70 LUFS, relative gate -20 LU, 95th minus
  10th percentile).  :meth:`LoudnessMeter.short_term_lufs` returns the series at
  any multiple of 100 ms; :class:`Loudness` keeps it **every 1 s** (the report
  does not need 36 000 points per hour).  Each point is stamped with the *end*
  of its window, the first at 3.0 s;
* the true peak, by :class:`TruePeakMeter` (4x oversampling), and the sample
  peak.

Only complete hops and windows count: a trailing part shorter than 100 ms does
not enter the integrated loudness (pyloudnorm and ffmpeg behave the same to
within 0.01 LU).  Silence (or anything quieter than -70 LUFS) has an integrated
loudness of ``-math.inf``; peaks of digital silence are ``-math.inf`` too, and
the loudness range is then 0.0.  Callers doing arithmetic on these values
must test ``math.isfinite`` first.

The K-weighting coefficients are computed for the meter's rate exactly as
pyloudnorm computes them; the results agree with pyloudnorm and with ffmpeg's
``ebur128`` filter to a few hundredths of a LU (see ``tests/test_loudness.py``).
"""
from __future__ import annotations

import math
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from radio.audio.dsp import Oversampler, Rechunker, SosFilter, gain_to_db, release_recursion
from radio.errors import BuildError, UserError
from radio.i18n import _l
from radio.procs import child_options

ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
LRA_RELATIVE_GATE_LU = -20.0
HOPS_PER_BLOCK = 4        # 400 ms momentary blocks
HOPS_PER_SHORT_TERM = 30  # 3 s short-term windows
SHORT_TERM_STEP_S = 1.0   # spacing of the series kept in Loudness
SILENT_MEAN_SQUARE = 1e-20  # -200 LUFS: digital silence
PIPE_RATE = 44100
PIPE_BLOCK_FRAMES = 65536


@dataclass(frozen=True)
class Loudness:
    """What a programme measures.  ``-inf`` marks silence (see module doc)."""

    integrated_lufs: float
    range_lu: float
    true_peak_dbtp: float
    sample_peak_dbfs: float
    duration_s: float
    short_term: tuple[tuple[float, float], ...] = ()


def k_weighting_sos(rate: float) -> np.ndarray:
    """The two BS.1770-4 K-weighting biquads for *rate*, as a (2, 6) SOS array.

    Coefficients are computed for any rate the way pyloudnorm does (RBJ
    cookbook): a +4 dB high shelf at 1500 Hz (Q = 1/sqrt 2), then a
    high pass at 38 Hz (Q = 0.5).
    """
    sections = []
    for kind, gain_db, q, fc in (("shelf", 4.0, 1.0 / math.sqrt(2.0), 1500.0),
                                 ("highpass", 0.0, 0.5, 38.0)):
        a_lin = 10.0 ** (gain_db / 40.0)
        w0 = 2.0 * math.pi * fc / rate
        cos_w, alpha = math.cos(w0), math.sin(w0) / (2.0 * q)
        if kind == "shelf":
            root = 2.0 * math.sqrt(a_lin) * alpha
            b = [a_lin * ((a_lin + 1) + (a_lin - 1) * cos_w + root),
                 -2 * a_lin * ((a_lin - 1) + (a_lin + 1) * cos_w),
                 a_lin * ((a_lin + 1) + (a_lin - 1) * cos_w - root)]
            a = [(a_lin + 1) - (a_lin - 1) * cos_w + root,
                 2 * ((a_lin - 1) - (a_lin + 1) * cos_w),
                 (a_lin + 1) - (a_lin - 1) * cos_w - root]
        else:
            b = [(1 + cos_w) / 2, -(1 + cos_w), (1 + cos_w) / 2]
            a = [1 + alpha, -2 * cos_w, 1 - alpha]
        sections.append([v / a[0] for v in b] + [v / a[0] for v in a])
    return np.array(sections, dtype=np.float64)


def energy_to_lufs(mean_square: float) -> float:
    """LUFS of a K-weighted mean square; ``-inf`` at or below -200 LUFS (the
    filters' anti-denormal signal, see :class:`~radio.audio.dsp.SosFilter`)."""
    if mean_square <= SILENT_MEAN_SQUARE:
        return -math.inf
    return -0.691 + 10.0 * math.log10(mean_square)


def _lufs_array(mean_square: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        loud = -0.691 + 10.0 * np.log10(mean_square)
    return np.where(mean_square <= SILENT_MEAN_SQUARE, -np.inf, loud)


def gated_integrated(block_energy: np.ndarray) -> float:
    """BS.1770-4 gated mean of 400 ms block energies (mean squares), in LUFS."""
    loud = _lufs_array(block_energy)
    kept = block_energy[loud >= ABSOLUTE_GATE_LUFS]
    if len(kept) == 0:
        return -math.inf
    relative = energy_to_lufs(float(np.mean(kept))) + RELATIVE_GATE_LU
    kept = block_energy[(loud >= ABSOLUTE_GATE_LUFS) & (loud > relative)]
    return energy_to_lufs(float(np.mean(kept))) if len(kept) else -math.inf


def range_bounds(short_term_lufs: np.ndarray) -> tuple[float, float] | None:
    """EBU Tech 3342 gated 10th and 95th percentiles of a short-term series
    sampled at >= 10 Hz (None if nothing passes the gates)."""
    values = short_term_lufs[short_term_lufs >= ABSOLUTE_GATE_LUFS]
    if len(values) == 0:
        return None
    power = np.mean(10.0 ** (values / 10.0))
    values = values[values >= 10.0 * math.log10(power) + LRA_RELATIVE_GATE_LU]
    if len(values) == 0:
        return None
    low, high = np.percentile(values, [10.0, 95.0])
    return float(low), float(high)


def loudness_range(short_term_lufs: np.ndarray) -> float:
    """EBU Tech 3342 loudness range (LU) of a short-term series."""
    bounds = range_bounds(short_term_lufs)
    return bounds[1] - bounds[0] if bounds else 0.0


@dataclass(frozen=True)
class SegmentStats:
    """K-weighted energy (sum over the frames) and linear true peak of every
    short segment of a programme, for :func:`predict_limited_lufs`."""

    energies: np.ndarray
    peaks: np.ndarray
    segment_frames: int
    segments_per_hop: int
    rate: int


def predict_limited_lufs(stats: SegmentStats, gain_db: float, threshold: float,
                         release_ms: float = 80.0) -> float:
    """Integrated loudness after a gain and a true-peak limiter at *threshold*
    (linear), predicted from per-segment energies and true peaks.

    Each segment gets the gain reduction its own peak needs, released
    exponentially into the next segments as the limiter does; its energy is
    scaled by the square of that gain.  Slightly pessimistic (the whole
    segment is taken at the reduced gain).
    """
    count = min(len(stats.energies), len(stats.peaks))
    factor = 10.0 ** (gain_db / 20.0)
    scaled = stats.peaks[:count].astype(np.float64) * factor
    with np.errstate(divide="ignore"):
        floor = np.where(scaled > threshold, 1.0 - threshold / scaled, 0.0)
    coeff = math.exp(-stats.segment_frames / (release_ms * stats.rate / 1000.0))
    depth, prev = np.empty(count), 0.0
    for start in range(0, count, 256):
        part = release_recursion(floor[start:start + 256], coeff, prev)
        depth[start:start + 256], prev = part, float(part[-1])
    energy = stats.energies[:count] * (factor * (1.0 - depth)) ** 2
    per_hop = stats.segments_per_hop
    hops = count // per_hop
    if hops < HOPS_PER_BLOCK:
        return -math.inf
    hop_energy = energy[:hops * per_hop].reshape(hops, per_hop).sum(axis=1)
    hop_energy /= stats.segment_frames * per_hop
    blocks = np.convolve(hop_energy, np.ones(HOPS_PER_BLOCK), mode="valid") / HOPS_PER_BLOCK
    return gated_integrated(blocks)


class TruePeakMeter:
    """Maximum of the 4x-oversampled signal (BS.1770-4 Annex 2), in dBTP.

    Blocks are regrouped into fixed chunks so that the value does not depend on
    the block size.  ``segment_frames`` (optional) also records the true peak of
    every segment of that many frames, for the mastering loudness predictor.
    ``bounds(first, count, level)`` (optional, without segments) says which of
    the frames ``first .. first + count - 1`` have 4x points that could reach
    *level* (:meth:`~radio.audio.dsp.OutputPeakBounds.reaching`): the windows
    that cannot hold the maximum are skipped, and the true peak is the same,
    bit for bit.
    """

    chunk = 32768

    def __init__(self, rate: int = 44100, channels: int = 2, segment_frames: int | None = None,
                 bounds: Callable[[int, int, float], np.ndarray] | None = None):
        self.rate = rate
        self.channels = channels
        self._bounds = bounds if not segment_frames else None
        self._chunks = 0
        self._grid = Rechunker(self.chunk, channels)
        self._over = Oversampler(channels)
        self._peak = 0.0
        self._segment = segment_frames
        self._seg_parts: list[np.ndarray] = []
        self._seg_pending = np.zeros(0, dtype=np.float32)
        self._skip = Oversampler.delay
        self._frames = 0

    def feed(self, block: np.ndarray) -> None:
        block = _as_frames(block, self.channels)
        self._frames += len(block)
        worth = self._worth_computing(block)
        for index, chunk in enumerate(self._grid.push(block)):
            if worth is None:
                self._take(self._over.frame_peaks(chunk))
            else:
                only = worth[index * self.chunk:(index + 1) * self.chunk]
                self._peak = max(self._peak, self._over.max_point(chunk, only))
            self._chunks += 1

    def _worth_computing(self, block: np.ndarray) -> np.ndarray | None:
        """With ``bounds``, for the chunks *block* completes: the frames whose 4x
        points could pass the largest point seen so far, the block's own samples
        included (each is a 4x point).  The others cannot change the maximum,
        and their windows are not transformed."""
        if self._bounds is None:
            return None
        count = (self._grid.pending + len(block)) // self.chunk * self.chunk
        if count == 0:
            return np.zeros(0, dtype=bool)
        level = max(self._peak, float(np.abs(block).max()))
        # A chunk's frame i gives the points of the frame `delay` before it.
        return self._bounds(self._chunks * self.chunk - Oversampler.delay, count, level)

    def _take(self, peaks: np.ndarray) -> None:
        if len(peaks):
            self._peak = max(self._peak, float(peaks.max()))
        if self._segment:
            self._seg_pending, self._skip = self._segments(self._seg_pending, peaks, self._skip,
                                                           self._seg_parts)

    def _segments(self, pending, peaks, skip, parts):
        """Append the maxima of the segments completed by *peaks* to *parts*.

        Frame peaks lag the input by the interpolator delay, so the first
        ``delay`` values (the time before the stream started) are skipped."""
        cut = min(skip, len(peaks))
        peaks = np.concatenate([pending, peaks[cut:].astype(np.float32)])
        full = len(peaks) // self._segment * self._segment
        if full:
            parts.append(peaks[:full].reshape(-1, self._segment).max(axis=1))
        return peaks[full:], skip - cut

    def _tail_peaks(self) -> np.ndarray:
        """Peaks of the frames still waiting in the chunk grid plus the filter
        tail, computed on a copy so the meter can go on being fed."""
        over = self._over.copy()
        pending = self._grid.peek()
        tail = np.zeros((Oversampler.delay + 1, self.channels), dtype=np.float32)
        return over.frame_peaks(np.concatenate([pending, tail]))

    def true_peak(self) -> float:
        """Linear true peak (1.0 = full scale)."""
        return max(self._peak, float(self._tail_peaks().max()))

    def true_peak_dbtp(self) -> float:
        return gain_to_db(self.true_peak())

    def segment_peaks(self) -> np.ndarray:
        """Linear true peak of every segment (the last one may be partial).

        Segment k covers the intervals between frames k*segment_frames and
        (k+1)*segment_frames."""
        if not self._segment:
            raise ValueError("TruePeakMeter was created without segment_frames")
        parts = list(self._seg_parts)
        pending, _ = self._segments(self._seg_pending, self._tail_peaks(), self._skip, parts)
        done = sum(len(p) for p in parts) * self._segment
        rest = pending[:max(0, self._frames - done)]
        if len(rest):
            parts.append(np.array([rest.max()], dtype=np.float32))
        peaks = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
        count = -(-self._frames // self._segment)  # the last segment may be partial
        return peaks[:count]


class LoudnessMeter:
    """Block-wise BS.1770-4 / EBU Tech 3342 meter (see the module docstring).

    ``segment_ms`` (10 or 100; default 100) is the resolution at which energies
    are kept; the mastering predictor asks for 10 ms segments.  Without
    ``true_peak`` the meter skips the 4x oversampling (most of its cost) and
    reports a true peak of NaN; ``peak_bounds`` goes to its
    :class:`TruePeakMeter`.  With ``dual_mono`` the meter is fed one
    channel that stands for both channels of a dual-mono programme (L = R): it
    measures what the two-channel programme would measure.
    """

    def __init__(self, rate: int = 44100, channels: int = 2, *, segment_ms: int = 100,
                 true_peak: bool = True, dual_mono: bool = False,
                 peak_bounds: Callable[[int, int, float], np.ndarray] | None = None):
        if channels not in (1, 2):
            raise ValueError("LoudnessMeter measures mono or stereo programmes")
        if dual_mono and channels != 1:
            raise ValueError("a dual-mono meter is fed the one channel")
        self._weight = 2.0 if dual_mono else 1.0
        self.rate = rate
        self.channels = channels
        self.hop = int(round(rate / 10))
        per_hop = 100 // segment_ms if segment_ms in (10, 100) else 0
        if not per_hop or self.hop % per_hop:
            raise ValueError(f"segment_ms={segment_ms} does not divide a hop at {rate} Hz")
        self.segments_per_hop = per_hop
        self.segment = self.hop // per_hop
        self._filter = SosFilter(k_weighting_sos(rate), channels)
        self._pending = np.zeros(0, dtype=np.float64)
        self._parts: list[np.ndarray] = []
        self._frames = 0
        self._sample_peak = 0.0
        self._true_peak = TruePeakMeter(rate, channels, segment_frames=self.segment
                                        if per_hop > 1 else None,
                                        bounds=peak_bounds) if true_peak else None

    def feed(self, block: np.ndarray) -> None:
        self.feed_energy(block)
        self.feed_peaks(block)

    # The two halves of feed() keep disjoint state: two threads may run them side by
    # side, each given every block in order (BackgroundMeter with split_peaks).
    def feed_peaks(self, block: np.ndarray) -> None:
        """The true peak's half of :meth:`feed`."""
        if self._true_peak:
            self._true_peak.feed(_as_frames(block, self.channels))

    def feed_energy(self, block: np.ndarray) -> None:
        """Everything but the true peak: K-weighted energy, sample peak, duration."""
        block = _as_frames(block, self.channels)
        if len(block) == 0:
            return
        self._frames += len(block)
        weighted, weight = self._filter(block, collapse=True), self._weight
        if weighted.shape[1] < block.shape[1]:   # dual mono: one channel says it all
            block, weight = block[:, :1], 2.0
        if weighted.shape[1] == 1:
            power = weight * np.square(weighted[:, 0])
        else:
            power = np.einsum("ij,ij->i", weighted, weighted)
        self._sample_peak = max(self._sample_peak, float(np.abs(block).max()))
        power = np.concatenate([self._pending, power])
        full = len(power) // self.segment * self.segment
        if full:
            self._parts.append(power[:full].reshape(-1, self.segment).sum(axis=1))
        self._pending = power[full:]

    # -- derived series ---------------------------------------------------
    def segment_energies(self) -> np.ndarray:
        """Sum of K-weighted power over every complete segment (float64)."""
        if len(self._parts) != 1:
            self._parts = [np.concatenate(self._parts) if self._parts else np.zeros(0)]
        return self._parts[0]

    def hop_energies(self) -> np.ndarray:
        """Mean square of every complete 100 ms hop (channels summed)."""
        seg = self.segment_energies()
        hops = len(seg) // self.segments_per_hop
        per = seg[:hops * self.segments_per_hop].reshape(hops, self.segments_per_hop)
        return per.sum(axis=1) / self.hop

    def _window_means(self, hops: int) -> np.ndarray:
        energy = self.hop_energies()
        if len(energy) < hops:
            return np.zeros(0)
        sums = np.convolve(energy, np.ones(hops), mode="valid")
        return np.maximum(sums, 0.0) / hops

    def integrated_lufs(self) -> float:
        return gated_integrated(self._window_means(HOPS_PER_BLOCK))

    def _short_term_all(self) -> np.ndarray:
        return _lufs_array(self._window_means(HOPS_PER_SHORT_TERM))

    def short_term_lufs(self, interval_s: float = 0.1) -> list[tuple[float, float]]:
        """(end of the 3 s window in s, LUFS), every *interval_s* (a multiple of 0.1 s)."""
        values = self._short_term_all()
        step = max(1, int(round(interval_s * 10)))
        first = HOPS_PER_SHORT_TERM
        series = []
        for index in range((step - first % step) % step, len(values), step):
            hop_end = index + first
            series.append((round(hop_end * self.hop / self.rate, 3), float(values[index])))
        return series

    def loudness_range_lu(self) -> float:
        return loudness_range(self._short_term_all())

    def range_bounds(self) -> tuple[float, float] | None:
        """The loudness range's low and high ends in LUFS (see :func:`range_bounds`)."""
        return range_bounds(self._short_term_all())

    def true_peak_dbtp(self) -> float:
        return self._true_peak.true_peak_dbtp() if self._true_peak else math.nan

    def sample_peak_dbfs(self) -> float:
        return gain_to_db(self._sample_peak)

    def segment_peaks(self) -> np.ndarray:
        return self._true_peak.segment_peaks()

    @property
    def duration_s(self) -> float:
        return self._frames / self.rate

    def result(self) -> Loudness:
        return Loudness(
            integrated_lufs=self.integrated_lufs(),
            range_lu=self.loudness_range_lu(),
            true_peak_dbtp=self.true_peak_dbtp(),
            sample_peak_dbfs=self.sample_peak_dbfs(),
            duration_s=self.duration_s,
            short_term=tuple(self.short_term_lufs(SHORT_TERM_STEP_S)),
        )


def _as_frames(block: np.ndarray, channels: int) -> np.ndarray:
    block = np.asarray(block)
    if block.ndim == 1 and channels == 1:
        block = block[:, None]
    if block.ndim != 2 or block.shape[1] != channels:
        raise ValueError(f"expected blocks of shape (n, {channels}), got {block.shape}")
    return block


def measure(samples: np.ndarray, rate: int = 44100,
            block_frames: int = PIPE_BLOCK_FRAMES, **options) -> Loudness:
    """Measure a whole array ``(n, channels)`` (fed to the meter in blocks;
    *options* go to the :class:`LoudnessMeter`)."""
    samples = np.asarray(samples)
    channels = 1 if samples.ndim == 1 else samples.shape[1]
    meter = LoudnessMeter(rate, channels, **options)
    for start in range(0, len(samples), block_frames):
        meter.feed(samples[start:start + block_frames])
    return meter.result()


def measure_file(path: str | Path) -> Loudness:
    """Decode any audio file with ffmpeg to float32 stereo 44.1 kHz through a
    pipe and measure it block by block (the file is never held in memory)."""
    import imageio_ffmpeg

    from radio.audio.decode import DECODED_IN_FRAMES_OF

    path = Path(path)
    if not path.is_file():
        raise UserError(_l("cannot measure {path}: no such file", path=path), path=path)
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-v", "error", "-i", str(path),
               "-map", "0:a:0", *DECODED_IN_FRAMES_OF, "-f", "f32le", "-ac", "2",
               "-ar", str(PIPE_RATE), "-"]
    meter = LoudnessMeter(PIPE_RATE, 2)
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          **child_options()) as proc:
        feed_from(meter, proc.stdout)
        error = proc.stderr.read().decode("utf-8", "replace").strip()
        code = proc.wait()
    if code != 0:
        reason = error.splitlines()[-1] if error else f"exit code {code}"
        raise BuildError(_l("ffmpeg could not decode {path}: {reason}", path=path, reason=reason),
                         path=path, hint=_l("check that the file is a readable audio file"))
    return meter.result()


def feed_from(meter: LoudnessMeter, stream) -> None:
    """Feed *meter* the float32 little-endian frames read from *stream* (a pipe
    from ffmpeg) until it ends; a partial frame at the very end is dropped."""
    frame_bytes, leftover = 4 * meter.channels, b""
    while data := stream.read(PIPE_BLOCK_FRAMES * frame_bytes):
        data = leftover + data
        usable = len(data) // frame_bytes * frame_bytes
        leftover = data[usable:]
        meter.feed(np.frombuffer(data[:usable], dtype="<f4").reshape(-1, meter.channels))


GIVING_WAY_DEPTH = 32   # blocks a meter that gives way may have waiting (a few MB)


class BackgroundMeter:
    """A LoudnessMeter fed from a worker thread, so measuring the output of one
    pass overlaps the mastering itself (numpy and scipy's filters release the
    GIL).  The queue is short: at most a few blocks wait, so memory stays bounded.
    Blocks may be int16 (scaled to full scale) or float; the caller must not
    change a block after feeding it.  *options* go to the LoudnessMeter.

    With ``gives_way`` the thread runs at a lower priority than the build (for a
    meter that must not take a core from the MP3 encoder; its queue is then
    longer, so that it can fall behind without holding the caller up).  With
    ``split_peaks`` the true peak is measured by a second thread beside the
    first (for a pass that has both cores to itself): the same figures, sooner.
    """

    def __init__(self, rate: int = 44100, channels: int = 2, depth: int = 4,
                 gives_way: bool = False, split_peaks: bool = False, **options):
        import queue
        import threading

        self.meter = LoudnessMeter(rate, channels, **options)
        self._gives_way = gives_way
        depth = max(depth, GIVING_WAY_DEPTH) if gives_way else depth
        feeds = [self.meter.feed]
        if split_peaks and self.meter._true_peak is not None:
            feeds = [self.meter.feed_energy, self.meter.feed_peaks]
        self._queues: list["queue.Queue"] = [queue.Queue(maxsize=depth) for _ in feeds]
        self._error: BaseException | None = None
        self._threads = [threading.Thread(target=self._run, args=(feed, q), daemon=True,
                                          name="loudness-meter" if i == 0 else "true-peak-meter")
                         for i, (feed, q) in enumerate(zip(feeds, self._queues))]
        for thread in self._threads:
            thread.start()

    def _run(self, feed, blocks) -> None:
        if self._gives_way:
            from radio.procs import lower_thread_priority

            lower_thread_priority()
        while (block := blocks.get()) is not None:
            if self._error is None:
                try:
                    if block.dtype == np.int16:
                        block = np.multiply(block, np.float32(1 / 32768), dtype=np.float32)
                    feed(block)
                except BaseException as exc:  # reported by result()
                    self._error = exc

    def feed(self, block: np.ndarray) -> None:
        for blocks in self._queues:
            blocks.put(block)

    def close(self) -> None:
        for blocks, thread in zip(self._queues, self._threads):
            if thread.is_alive():
                blocks.put(None)
        for thread in self._threads:
            thread.join()

    def finished(self) -> LoudnessMeter:
        """The meter, once every block fed has been measured."""
        self.close()
        if self._error is not None:
            raise self._error
        return self.meter

    def result(self) -> "Loudness":
        return self.finished().result()
