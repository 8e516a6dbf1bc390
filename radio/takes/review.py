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
FULL_SCALE = 32766 / 32768   # full scale, as int16 (or beyond, as float)
CLIP_RUN = 3             # consecutive equal full-scale samples: a flat top, not a peak
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
    """How many flat tops the take's own samples (at its own rate, full scale 1.0) have:
    CLIP_RUN or more consecutive equal samples at full scale.  A take normalized to
    0 dBFS touches it once; a clipped one sits on it; a float take's sounds over 0 dBFS
    are not flat (nothing was cut off)."""
    x = np.asarray(samples, dtype=np.float32)
    flat = (np.abs(x[1:]) >= FULL_SCALE) & (x[1:] == x[:-1])   # sample i+1 equals sample i
    if not flat.any():
        return 0
    edges = np.diff(np.concatenate(([0], flat.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return int(np.count_nonzero(ends - starts >= CLIP_RUN - 1))


def own_samples(path: Path) -> np.ndarray:
    """The take's samples, mono, at its own rate (no resampling, which would round off a
    flat top): as float when it is stored as float, else as int16 (a lossy decoder's
    overshoot saturates there, as when it is played)."""
    import subprocess

    from ..audio import decode as dec
    from ..procs import child_options

    is_float = dec.probe(path).codec.startswith("pcm_f")
    proc = subprocess.run([dec.ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error",
                           "-i", str(path), "-vn", "-ac", "1", "-f",
                           "f32le" if is_float else "s16le", "-"],
                          capture_output=True, check=True, **child_options())
    if is_float:
        return np.frombuffer(proc.stdout, dtype="<f4")
    return np.frombuffer(proc.stdout, dtype="<i2").astype(np.float32) / 32768


def level_warnings(script: str, line: int, pid: str, shown: str, path: Path,
                   source) -> list[Problem]:
    """Warnings for a recorded take (*source*: trimmed, not yet levelled) that is clipped or
    far too quiet; it is still used."""
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
        places = clipped_places(own_samples(path))
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
