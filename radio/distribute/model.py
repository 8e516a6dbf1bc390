"""What the distribution stages share: the built programmes and a few formats."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

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
    """The build's report (JSON) as a Programme: the one place that reads it."""
    data = json.loads(Path(report_path).read_text(encoding="utf-8"))
    wav = data.get("loudness", {}).get("wav", {})
    targets = data["targets"]
    return Programme(
        name=data["episode"], number=int(data["number"]), title=data["title"],
        duration_s=float(data["duration_s"]), preset=data["preset"],
        wav_path=Path(report_path).with_name(data["files"]["wav"]),
        report_path=Path(report_path), integrated_lufs=wav.get("integrated_lufs"),
        true_peak_dbtp=wav.get("true_peak_dbtp"),
        placeholders=int(data.get("placeholders", 0)),
        target_lufs=float(targets["integrated_lufs"]),
        tolerance_lu=float(targets["tolerance_lu"]),
        ceiling_dbtp=float(targets["true_peak_dbtp"]))


def clock(seconds: float) -> str:
    """mm:ss (h:mm:ss from an hour)."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    text = f"{rest // 60:02d}:{rest % 60:02d}"
    return f"{hours}:{text}" if hours else text


def vi_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def vi_number(value: float, digits: int = 1) -> str:
    """A number as Vietnamese write it: decimal comma, a real minus sign."""
    text = f"{value:.{digits}f}".replace(".", ",")
    return text.replace("-", "\u2212")
