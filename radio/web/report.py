"""The build report as `radio publish` reads it: typed, never a raw dict."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ReportSegment:
    kind: str            # speech, clip, jingle, bed, pause
    start_ms: int
    end_ms: int
    chapter: str = ""
    speaker: str = ""    # the label in the script (MC1)
    label: str = ""      # the speaker's name, or a recording's label
    text: str = ""       # as written
    spoken: str = ""     # as read aloud
    engine: str = ""     # espeak, gtts or take


@dataclass(frozen=True)
class ReportChapter:
    title: str
    start_ms: int


@dataclass(frozen=True)
class EpisodeReport:
    episode: str
    title: str
    number: int
    sample: bool
    duration_s: float
    chapters: tuple[ReportChapter, ...]
    segments: tuple[ReportSegment, ...]
    placeholders: int

    @property
    def duration_ms(self) -> int:
        return round(self.duration_s * 1000)

    @property
    def speech(self) -> tuple[ReportSegment, ...]:
        return tuple(s for s in self.segments if s.kind == "speech" and s.text)


def read_report(path: Path) -> EpisodeReport:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    fields = ReportSegment.__dataclass_fields__
    return EpisodeReport(
        episode=data["episode"], title=data["title"], number=int(data["number"]),
        sample=bool(data.get("sample")), duration_s=float(data["duration_s"]),
        chapters=tuple(ReportChapter(c["title"], int(c["start_ms"])) for c in data["chapters"]),
        segments=tuple(ReportSegment(**{k: v for k, v in s.items() if k in fields})
                       for s in data["segments"]),
        placeholders=int(data.get("placeholders", 0)))
