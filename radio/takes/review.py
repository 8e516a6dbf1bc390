"""What `radio check` says about a take it could use: one far from the paragraph's
length, one clipped when it was recorded, one recorded far too quietly.

A take of 1.4 s registered for a paragraph that takes 25 s to read is a cut
recording or another paragraph's: the programme would be shorter without a word.
Narrators read faster or slower than the estimate (from the speaker's rate), so
only a take under half or over twice the expected length, and more than 3 s off,
is told.

Levelling makes every take as loud as the narration, but it cannot undo what the
recording lost: a take clipped at full scale keeps its distortion (levelled down,
it only sounds quieter and still cracks), and a take whose voice peaks below
-40 dBFS is raised by 30 dB or more, its hiss and room noise with it.  Both are
told (the same limits as the booth's meter), and both are still used.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import Problem
from ..i18n import _l

FAR_RATIO = 2.0
FAR_MARGIN_MS = 3000
QUIET_PEAK = 0.01        # -40 dBFS: the booth calls a take this quiet silent
CLIP_SUSPECT = 0.9       # only a take peaking above -1 dBFS is decoded again for clipping
FULL_SCALE = 32766       # int16 at (or beyond) full scale
CLIP_RUN = 3             # consecutive full-scale samples: a flat top, not a normalized peak
CLIP_PLACES = 3          # flat tops before a take is called clipped


def length_warning(script: str, line: int, pid: str, shown: str, take_ms: int,
                   expected_ms: int) -> Problem | None:
    """A warning when the (trimmed) take is far from the *expected_ms* of its paragraph."""
    if abs(take_ms - expected_ms) < FAR_MARGIN_MS:
        return None
    if expected_ms / FAR_RATIO <= take_ms <= expected_ms * FAR_RATIO:
        return None
    return Problem(
        _l("the take of {pid} lasts {take:.1f} s, but the paragraph takes about {expected:.0f} s "
           "to read: is it the right recording?", pid=pid, take=take_ms / 1000,
           expected=expected_ms / 1000),
        script, line, _l("listen to {path}; record it again if it is cut short or belongs to "
                         "another paragraph", path=shown), "warning")


def clipped_places(samples: np.ndarray) -> int:
    """How many flat tops (CLIP_RUN or more consecutive int16 samples at full scale) the
    take's own samples have: a take normalized to 0 dBFS touches it once, a clipped one
    sits on it."""
    full = np.abs(np.asarray(samples, dtype=np.int32)) >= FULL_SCALE
    if not full.any():
        return 0
    edges = np.diff(np.concatenate(([0], full.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return int(np.count_nonzero(ends - starts >= CLIP_RUN))


def level_warnings(script: str, line: int, pid: str, shown: str, path: Path,
                   source) -> list[Problem]:
    """Warnings for a recorded take (*source*: trimmed, not yet levelled) that is clipped or
    far too quiet; it is still used."""
    from .files import read_pcm16

    if not source.frames:
        return []
    peak = float(np.abs(np.memmap(source.path, dtype="<f4", mode="r")).max())
    if peak < QUIET_PEAK:
        db = 20 * np.log10(max(peak, 1e-6))
        return [Problem(
            _l("the take of {pid} is very quiet (its loudest sound is at {db:.0f} dBFS): "
               "levelling raises its noise with the voice", pid=pid, db=db), script, line,
            _l("record {path} again nearer the microphone or with a higher input level "
               "(loudest sounds around -6 dBFS)", path=shown), "warning")]
    if peak < CLIP_SUSPECT:
        return []
    try:
        places = clipped_places(read_pcm16(path)[0])
    except Exception:   # the take was decoded once already; the build reports what fails
        return []
    if places < CLIP_PLACES:
        return []
    return [Problem(
        _l("the take of {pid} is clipped (too loud when recorded) in {count} places: the "
           "distortion stays after levelling", pid=pid, count=places), script, line,
        _l("record {path} again with a lower input level (loudest sounds around -6 dBFS)",
           path=shown), "warning")]


def take_warnings(production, episode, takes, item, done) -> list:
    """What `radio check` and `radio build` say about the take *done* (a rendered
    paragraph *item*) that they use: its length against the paragraph's, clipping, a
    very low level."""
    from ..speech.voice import estimated_speech_ms

    take = takes.take_for(episode, done.paragraph_id, item.text)
    if take is None:
        return []
    shown = production.rel(take.path)
    expected_ms = estimated_speech_ms(len(done.spoken.split()),
                                      episode.speaker(item.speaker).rate_wpm)
    found = [length_warning(episode.path, item.line, done.paragraph_id, shown,
                            done.source.duration_ms, expected_ms)]
    if not take.frozen:   # a frozen take is the synthesizer's own sound
        found += level_warnings(episode.path, item.line, done.paragraph_id, shown, take.path,
                                done.source)
    return [p for p in found if p is not None]
