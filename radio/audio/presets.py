"""The loudness presets: the one table of their names and targets.

Light on purpose (no numpy): the command line and radio.toml's validation read
the names from here, the master reads the targets.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    """A loudness preset.  ``target_range_lu`` (leveling only) is the loudness
    range the leveler aims to stay within; ``mp3_headroom_db`` is the extra
    ceiling margin for masters that will also be encoded to MP3."""

    name: str
    target_lufs: float
    tolerance_lu: float = 0.5
    ceiling_dbtp: float = -1.0
    highpass_hz: float | None = None
    highpass_order: int = 4
    leveling: bool = False
    max_boost_db: float = 12.0
    silence_lufs: float = -50.0
    dual_mono: bool = False
    mp3_headroom_db: float = 1.0
    target_range_lu: float | None = None
    bext: bool = False            # the WAV is a BWF carrying its loudness (EBU Tech 3285)


PRESETS: dict[str, Preset] = {
    # Commune horn speakers: loud, narrow range, no bass the horns cannot play.
    "loudspeaker": Preset("loudspeaker", -16.0, highpass_hz=150.0, highpass_order=4,
                          leveling=True, dual_mono=True, target_range_lu=6.0),
    # Programme exchange with radio stations: EBU R128, dynamics untouched.
    "broadcast": Preset("broadcast", -23.0, bext=True),
    # Web portal and phones.
    "web": Preset("web", -16.0),
}

PRESET_NAMES = tuple(PRESETS)
