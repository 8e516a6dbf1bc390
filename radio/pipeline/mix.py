"""Mix stage: Timeline -> programme, one block at a time (float32, 44.1 kHz stereo;
summed in float32, whose rounding stays 100 dB under the 16-bit output's).

Nothing here holds more than one block of the programme: each block reads only
the frames of the sources that overlap it.  The mastering stage mixes once, for
its first pass, and spools the filtered result for its second
(:mod:`radio.audio.spool`).
"""
from __future__ import annotations

import queue
import threading
from typing import Callable, Iterable, Iterator

import numpy as np

from .plan import BedGroup, Segment, Timeline
from .sources import SourceStore

BLOCK = 65536


def fade_curve(position: np.ndarray, length: int) -> np.ndarray:
    """Raised-cosine fade-in gain for positions 0..length (complements sum to 1)."""
    if length <= 0:
        return np.ones(len(position), dtype=np.float64)
    t = np.clip(position / length, 0.0, 1.0)
    return np.sin(t * np.pi / 2) ** 2


def segment_gain(seg: Segment, first: int, count: int) -> np.ndarray | float:
    """Gain of a segment over frames [first, first+count) from its start.

    A plain number where no fade applies (most of the time), so the mixer
    multiplies by a scalar instead of building arrays.
    """
    level = 10 ** (seg.gain_db / 20)
    fading_in = seg.fade_in and first < seg.fade_in
    fading_out = seg.fade_out and first + count > seg.length - seg.fade_out
    if not (fading_in or fading_out):
        return level
    rel = np.arange(first, first + count, dtype=np.float64)
    gain = np.full(count, level)
    if fading_in:
        gain *= fade_curve(rel + 0.5, seg.fade_in)
    if fading_out:
        gain *= fade_curve(seg.length - rel - 0.5, seg.fade_out)
    return gain[:, None]


def duck_db(bed: BedGroup, pos: np.ndarray) -> np.ndarray:
    """Ducking gain in dB at the frames *pos* (ascending): linear ramps in dB, down
    before speech, back up after hold.

    Each duck is ``-depth_db * min(down, up)`` with two clipped ramps; where both
    are 1 (most of a duck) that is ``-depth_db`` itself, so the ramps are only
    computed over their own frames: the same numbers for a fraction of the work.
    """
    gain = np.zeros(len(pos), dtype=np.float64)
    if len(pos) == 0:
        return gain
    lo, hi = pos[0], pos[-1]
    attack, release = max(bed.attack, 1), max(bed.release, 1)
    for start, end in bed.ducks:
        first, last = start - bed.attack, end + bed.hold + bed.release
        if first > hi or last < lo:
            continue
        # down == 1 from first + attack on, up == 1 until last - release.
        flat_from, flat_to = first + attack, last - release
        begin = np.searchsorted(pos, first, side="left")
        stop = np.searchsorted(pos, last, side="right")
        if flat_from > flat_to:
            spans = [(begin, stop)]
        else:
            flat_begin = np.searchsorted(pos, flat_from, side="left")
            flat_stop = np.searchsorted(pos, flat_to, side="right")
            np.minimum(gain[flat_begin:flat_stop], -bed.depth_db,
                       out=gain[flat_begin:flat_stop])
            spans = [(begin, flat_begin), (flat_stop, stop)]
        for a, b in spans:
            if a >= b:
                continue
            p = pos[a:b]
            down = np.clip((p - first) / attack, 0, 1)
            up = np.clip((last - p) / release, 0, 1)
            gain[a:b] = np.minimum(gain[a:b], -bed.depth_db * np.minimum(down, up))
    return gain


def exp_by_runs(values: np.ndarray) -> np.ndarray:
    """``np.exp(values)``, each run of equal values computed once (a bed's ducking
    is flat most of the time): the same numbers for a fraction of the work."""
    if len(values) < 2:
        return np.exp(values)
    starts = np.flatnonzero(values[1:] != values[:-1]) + 1
    if len(starts) > len(values) // 4:   # mostly ramps: no runs to speak of
        return np.exp(values)
    starts = np.concatenate([[0], starts])
    lengths = np.diff(np.concatenate([starts, [len(values)]]))
    return np.repeat(np.exp(values[starts]), lengths)


def bed_envelope(bed: BedGroup, pos: np.ndarray) -> np.ndarray:
    env = exp_by_runs(duck_db(bed, pos) * (np.log(10.0) / 20.0))   # dB to gain
    if bed.fade_in and pos[0] < bed.start + bed.fade_in:
        env *= fade_curve(pos - bed.start + 0.5, bed.fade_in)
    if bed.fade_out and pos[-1] >= bed.end - bed.fade_out:
        env *= fade_curve(bed.end - pos - 0.5, bed.fade_out)
    env[(pos < bed.start) | (pos >= bed.end)] = 0.0
    return env


def mix_blocks(timeline: Timeline, block: int = BLOCK,
               read: Callable = SourceStore.read) -> Iterator[np.ndarray]:
    """The programme, *block* frames at a time; *read* gives a fresh array for
    each call (the mixer scales it in place)."""
    segments = sorted(timeline.segments, key=lambda s: s.start)
    beds = {b.group: b for b in timeline.beds}
    first_open = 0
    for b0 in range(0, timeline.frames, block):
        n = min(block, timeline.frames - b0)
        out = np.zeros((n, 2), dtype=np.float32)
        layers: dict[int, np.ndarray] = {}
        while first_open < len(segments) and \
                segments[first_open].start + segments[first_open].length <= b0:
            first_open += 1
        for seg in segments[first_open:]:
            if seg.start >= b0 + n:
                break
            s0, s1 = max(seg.start, b0), min(seg.start + seg.length, b0 + n)
            if s1 <= s0:
                continue
            audio = read(seg.source, seg.offset + s0 - seg.start, s1 - s0)
            gain = segment_gain(seg, s0 - seg.start, s1 - s0)
            target = out if seg.group == 0 else layers.setdefault(
                seg.group, np.zeros((n, 2), dtype=np.float32))
            if isinstance(gain, np.ndarray):
                gain = gain.astype(np.float32)
            else:
                gain = np.float32(gain)
            audio *= gain   # a fresh array: scaled where it is
            target[s0 - b0:s1 - b0] += audio   # mono broadcasts to both channels
        if layers:
            pos = np.arange(b0, b0 + n, dtype=np.float64)
            for group, buf in layers.items():   # (the layer is ours: scaled in place)
                buf *= bed_envelope(beds[group], pos).astype(np.float32)[:, None]
                out += buf
        yield out


AHEAD_BLOCKS = 16   # mixed blocks that may wait for the mastering (8 MB)


class Ahead:
    """*blocks*, produced by a thread of their own from the moment this is made,
    while the caller works on the previous ones (the mixer on one core, the first
    pass's filters on the other).  Iterating gives the same blocks in the same
    order; an error in the producer is raised there.  ``close`` (or the end of a
    ``with``) stops the producer, however far the caller got."""

    _DONE = object()

    def __init__(self, blocks: Iterable[np.ndarray], depth: int = AHEAD_BLOCKS,
                 name: str = "mixer"):
        self._items: "queue.Queue" = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._produce, args=(blocks,), name=name,
                                        daemon=True)
        self._thread.start()

    def _produce(self, blocks: Iterable[np.ndarray]) -> None:
        try:
            for block in blocks:
                if not self._put(block):
                    return
            self._put(self._DONE)
        except BaseException as exc:   # raised in the consumer
            self._put(exc)

    def _put(self, item) -> bool:
        while not self._stop.is_set():
            try:
                self._items.put(item, timeout=0.1)
                return True
            except queue.Full:
                pass
        return False

    def __iter__(self) -> Iterator[np.ndarray]:
        while (item := self._items.get()) is not self._DONE:
            if isinstance(item, BaseException):
                raise item
            yield item

    def close(self) -> None:
        self._stop.set()
        self._thread.join()

    def __enter__(self) -> "Ahead":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
