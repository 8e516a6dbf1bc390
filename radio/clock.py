"""The build clock: outputs never depend on when or where they were built.

SOURCE_DATE_EPOCH wins; otherwise the production's date (radio.toml) at noon UTC.
"""
from __future__ import annotations

import datetime as dt
import os


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
