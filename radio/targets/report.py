"""The report (JSON) and the cue sheet (text) a station technician reads."""
from __future__ import annotations

import json
from dataclasses import asdict

from ..plan import Timeline


def clock(ms: int) -> str:
    seconds, ms = divmod(int(ms), 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{minutes:02d}:{seconds:02d}.{ms // 100}"
    return f"{hours}:{text}" if hours else text


def report_json(episode, timeline: Timeline, extra: dict) -> str:
    data = {
        "episode": episode.name,
        "script": episode.path,
        "title": episode.title,
        "number": episode.number,
        "sample": episode.sample,
        "duration_s": round(timeline.frames / 44100, 3),
        "chapters": [asdict(c) for c in timeline.chapters],
        "segments": [{k: v for k, v in asdict(e).items() if v not in ("", None)}
                     for e in timeline.entries],
        **extra,
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def cue_sheet(episode, timeline: Timeline, extra: dict) -> str:
    lines = [f"{episode.title}", f"{episode.subtitle}".strip(),
             f"Chuyên đề số {episode.number} — thời lượng {clock(timeline.duration_ms)}",
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
        lines.append(f"{clock(entry.start_ms):>9}  {clock(entry.end_ms):>9}  {what}")
    lines += ["", "CHƯƠNG / CHAPTERS"]
    lines += [f"{clock(c.start_ms):>9}  {c.title}" for c in timeline.chapters]
    lines += ["", f"Tổng thời lượng / total: {clock(timeline.duration_ms)}", ""]
    return "\n".join(lines)
