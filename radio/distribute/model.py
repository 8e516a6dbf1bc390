"""What the distribution stages share: the built programmes and a few formats."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..i18n import local_number

DRAFT_MARK = "BẢN NHÁP"
DRAFT_LINE = "BẢN NHÁP — KHÔNG DÙNG ĐỂ PHÁT SÓNG"


@dataclass(frozen=True)
class Programme:
    """One built episode in one preset, as the distribution needs it."""

    name: str
    number: int
    title: str
    duration_s: float
    preset: str
    wav_path: Path
    report_path: Path
    integrated_lufs: float | None
    true_peak_dbtp: float | None
    placeholders: int
    target_lufs: float           # the preset's targets, as the build recorded them
    tolerance_lu: float
    ceiling_dbtp: float


def read_programme(report_path: Path) -> Programme:
    """A build's report as the distribution needs it (read through the typed Report)."""
    from ..targets.report import Report

    report = Report.load(report_path)
    wav = report.loudness.get("wav", {})
    return Programme(
        name=report.episode, number=report.number, title=report.title,
        duration_s=float(report.duration_s), preset=report.preset,
        wav_path=report.file("wav"), report_path=report.path,
        integrated_lufs=wav.get("integrated_lufs"), true_peak_dbtp=wav.get("true_peak_dbtp"),
        placeholders=report.placeholders,
        target_lufs=float(report.targets["integrated_lufs"]),
        tolerance_lu=float(report.targets["tolerance_lu"]),
        ceiling_dbtp=float(report.targets["true_peak_dbtp"]))


def vi_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def vi_number(value: float, digits: int = 1) -> str:
    """A number as Vietnamese write it: decimal comma, a real minus sign."""
    return local_number(f"{value:.{digits}f}", "vi")
