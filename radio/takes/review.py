"""What `radio check` says about a take it could use: one far from the paragraph's length.

A take of 1.4 s registered for a paragraph that takes 25 s to read is a cut
recording or another paragraph's: the programme would be shorter without a word.
Narrators read faster or slower than the estimate (from the speaker's rate), so
only a take under half or over twice the expected length, and more than 3 s off,
is told.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..i18n import _l

FAR_RATIO = 2.0
FAR_MARGIN_MS = 3000


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


def take_path(takes, episode, pid: str, text: str) -> Path | None:
    take = takes.take_for(episode, pid, text)
    return take.path if take else None
