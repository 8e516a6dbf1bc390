"""The report (JSON) and the cue sheet (text) a station technician reads.

The build writes them; every consumer of a build (the disc, the preview, the
excerpts) reads the report through ``Report.load``, never as a dictionary.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ..clock import timecode
from ..errors import UserError
from ..i18n import _l
from ..pipeline.plan import Chapter, Entry, Timeline


def _clock(ms: int) -> str:
    """A position or duration in ms as the cue sheet writes it (``MM:SS.d``)."""
    return timecode(ms / 1000, tenths=True)


def report_json(episode, timeline: Timeline, extra: dict) -> str:
    data = {
        "episode": episode.name,
        "script": episode.path,
        "title": episode.title,
        "number": episode.number,
        "sample": episode.sample,
        "duration_s": round(timeline.frames / 44100, 3),
        "chapters": [asdict(c) for c in timeline.chapters],
        "segments": [_row(e) for e in timeline.entries],
        **extra,
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def cue_sheet(episode, timeline: Timeline, extra: dict) -> str:
    lines = [f"{episode.title}", f"{episode.subtitle}".strip(),
             f"Chuyên đề số {episode.number} — thời lượng {_clock(timeline.duration_ms)}",
             f"Preset: {extra.get('preset', '')}   Loudness: "
             f"{extra.get('loudness', {}).get('wav', {}).get('integrated_lufs', '?')} LUFS", ""]
    lines = [l for l in lines if l is not None]
    lines.append(f"{'START':>9}  {'END':>9}  WHAT")
    for entry in timeline.entries:
        if entry.kind == "pause":
            continue
        if entry.kind == "speech":
            words = entry.text.split()
            what = f"{entry.speaker}: {' '.join(words[:10])}{' …' if len(words) > 10 else ''}"
        elif entry.kind == "bed":
            what = f"[nhạc nền] {entry.asset}"
        elif entry.kind == "pending":
            what = " ".join(w for w in ("[chờ / pending]", entry.asset, f"— {entry.label}") if w)
        else:
            label = f" — {entry.label}" if entry.label else ""
            what = f"[{'nhạc hiệu' if entry.kind == 'jingle' else 'băng'}] {entry.asset}{label}"
        lines.append(f"{_clock(entry.start_ms):>9}  {_clock(entry.end_ms):>9}  {what}")
    lines += ["", "CHƯƠNG / CHAPTERS"]
    lines += [f"{_clock(c.start_ms):>9}  {c.title}" for c in timeline.chapters]
    lines += ["", f"Tổng thời lượng / total: {_clock(timeline.duration_ms)}", ""]
    return "\n".join(lines)


@dataclass(frozen=True)
class Report:
    """A build's report (``EPISODE.json``) as its consumers read it: the disc, the
    preview and the excerpts read this, never the JSON's dictionaries."""

    path: Path                       # the report file itself
    episode: str
    script: str                      # the script, relative to the production's root
    title: str
    number: int
    sample: bool
    duration_s: float
    chapters: tuple[Chapter, ...]
    segments: tuple[Entry, ...]
    preset: str
    targets: dict
    loudness: dict                   # {"wav": {...}, "mp3": {...}} as measured
    files: dict[str, str]            # kind ("wav", "mp3", "json", "txt") -> file name
    engines: tuple[str, ...]
    paragraphs: dict[str, int]       # take / stale / synth counts
    placeholders: int
    pending_cues: int = 0            # cues awaiting their recording (counted in placeholders)

    @classmethod
    def load(cls, path: Path) -> "Report":
        """Read the report a build wrote; a missing or damaged one is a UserError."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                path=path, episode=data["episode"], script=data["script"],
                title=data["title"], number=data["number"], sample=bool(data["sample"]),
                duration_s=data["duration_s"],
                chapters=tuple(Chapter(**c) for c in data["chapters"]),
                segments=tuple(Entry(**s) for s in data["segments"]),
                preset=data["preset"], targets=dict(data["targets"]),
                loudness=dict(data["loudness"]), files=dict(data["files"]),
                engines=tuple(data["engines"]), paragraphs=dict(data["paragraphs"]),
                placeholders=int(data.get("placeholders", 0)),
                pending_cues=int(data.get("pending_cues", 0)))
        except OSError as exc:
            raise UserError(_l("cannot read the build report: {reason}", reason=exc.strerror),
                            path=path, hint=_l("build the episode again")) from None
        except (ValueError, KeyError, TypeError) as exc:
            raise UserError(_l("the build report is damaged or from another version ({what})",
                               what=str(exc)), path=path,
                            hint=_l("build the episode again")) from None

    @property
    def duration_ms(self) -> int:
        return round(self.duration_s * 1000)

    @property
    def speech(self) -> tuple[Entry, ...]:
        """The spoken paragraphs that have words (what transcripts and subtitles show)."""
        return tuple(s for s in self.segments if s.kind == "speech" and s.text)

    def file(self, kind: str) -> Path:
        """The output of *kind* (``wav``, ``mp3``, ``json``, ``txt``) beside the report."""
        return self.path.parent / self.files[kind]

    def segment_rows(self) -> list[dict]:
        """The segments as the report writes them (fields left empty are left out)."""
        return [_row(e) for e in self.segments]


def _row(entry: Entry) -> dict:
    return {k: v for k, v in asdict(entry).items() if v not in ("", None)}
