"""The speech engines by name: the one table that the command line, radio.toml,
the front matter and the synthesizer read.

Light on purpose (nothing is imported): the command line builds its choices
from it at start-up.
"""
from __future__ import annotations

from enum import StrEnum


class Engine(StrEnum):
    ESPEAK = "espeak"   # offline, deterministic: the default
    GTTS = "gtts"       # Google, online: the build fails when Google cannot be reached
    AUTO = "auto"       # Google when it answers, else espeak (one warning per build)


ENGINE_NAMES = tuple(e.value for e in Engine)
