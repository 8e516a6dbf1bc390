"""Time for the build and for people: the build clock, and the one time formatter.

The build clock: outputs never depend on when or where they were built.

SOURCE_DATE_EPOCH wins; otherwise the production's date (radio.toml) at noon UTC.
"""
from __future__ import annotations

import datetime as dt
import os

from .i18n import NumberText


def build_epoch(production_date: str) -> int:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    try:
        day = dt.date.fromisoformat(production_date)
    except ValueError:
        day = dt.date(2021, 11, 30)
    return int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc).timestamp())


def build_date(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).date().isoformat()


def timecode(seconds: float, *, tenths: bool = False, pad: bool = False,
             hours: bool = False) -> NumberText:
    """How every duration and position is written for people.

    ``M:SS`` rounded to the second (``MM:SS`` with *pad*; ``H:MM:SS`` from an
    hour on with *hours*, else ``80:00`` as a CD's length is said); with *tenths*,
    ``MM:SS.d`` cut to the tenth and ``H:MM:SS.d`` from an hour on (the report's
    cue sheet, the command line).  A message that shows it writes the tenths as
    its language does (``MM:SS,d`` in Vietnamese: :class:`~radio.i18n.NumberText`).
    """
    if tenths:
        whole, ms = divmod(int(round(seconds * 1000, 6)), 1000)
        minutes, secs = divmod(whole, 60)
        hour, minutes = divmod(minutes, 60)
        text = f"{minutes:02d}:{secs:02d}.{ms // 100}"
        return NumberText(f"{hour}:{text}" if hour else text)
    minutes, secs = divmod(int(round(seconds)), 60)
    if hours and minutes >= 60:
        return NumberText(f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}")
    return NumberText(f"{minutes:02d}:{secs:02d}" if pad else f"{minutes}:{secs:02d}")
