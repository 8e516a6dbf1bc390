"""The broadcast schedule (lịch phát sóng): a suggested table over the campaign.

Every day from ``[distribution] from`` to ``to``, at each time of
``[distribution.times]`` for a kind of recipient, one programme, in turn
(episode 1, 2, 1, 2...), so each is heard about as often, at every time of day.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from ..clock import timecode
from .model import Programme, vi_date
from .profile import Distribution

KIND_NAMES = {
    "ip": "Đài truyền thanh ứng dụng CNTT–VT (IP)",
    "cd": "Đài truyền thanh cấp xã (phát đĩa CD)",
    "province": "Đài Phát thanh – Truyền hình tỉnh bạn",
}


@dataclass(frozen=True)
class Slot:
    kind: str
    day: dt.date
    time: str
    programme: Programme


def plan_schedule(dist: Distribution, programmes: tuple[Programme, ...],
                  kinds: tuple[str, ...]) -> tuple[Slot, ...]:
    slots: list[Slot] = []
    ordered = sorted(programmes, key=lambda p: (p.number, p.name))
    for kind in kinds:
        times = dist.times[kind]
        # Shift by a day when the times per day are a multiple of the programmes,
        # or each programme would always fall at the same time of day.
        shift = len(times) % len(ordered) == 0 and len(ordered) > 1
        for day_index in range((dist.end - dist.start).days + 1):
            day = dist.start + dt.timedelta(days=day_index)
            for time_index, time in enumerate(times):
                index = day_index * len(times) + time_index + (day_index if shift else 0)
                slots.append(Slot(kind, day, time, ordered[index % len(ordered)]))
    return tuple(slots)


def slots_of(slots: tuple[Slot, ...], kind: str, name: str) -> list[dict]:
    """The slots of one programme for one kind, as the IP metadata lists them."""
    return [{"date": s.day.isoformat(), "time": s.time} for s in slots
            if s.kind == kind and s.programme.name == name]


HEADER = ["loai_dai", "ngay", "gio", "bai_so", "ten_bai", "thoi_luong"]


def schedule_csv(slots: tuple[Slot, ...], draft: bool) -> str:
    """UTF-8 with BOM (Excel opens it right), one row per slot."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if draft:
        writer.writerow(["# BẢN NHÁP — KHÔNG DÙNG ĐỂ PHÁT SÓNG"])
    writer.writerow(HEADER)
    for s in slots:
        writer.writerow([s.kind, s.day.isoformat(), s.time, s.programme.number,
                         s.programme.title, timecode(s.programme.duration_s, pad=True, hours=True)])
    return "\ufeff" + out.getvalue()


def schedule_table(slots: tuple[Slot, ...], kinds: tuple[str, ...]) -> list[list[str]]:
    """One printed row per day: the date, then for each kind "time  Bài n" per slot."""
    days: dict[dt.date, dict[str, list[str]]] = {}
    for s in slots:
        days.setdefault(s.day, {}).setdefault(s.kind, []).append(
            "{time}  Bài {number}".format(time=s.time, number=s.programme.number))
    return [[vi_date(day)] + ["    ".join(cells.get(kind, [])) for kind in kinds]
            for day, cells in days.items()]
