"""Productions for the benchmark: a copy of the demo, generated long episodes, an edit.

The long episodes are made of the demo's own chapters (narration, beds, jingles and
interview clips), cycled until the target length: they repeat the demo's distinct
paragraphs, so synthesis is done once per distinct text (the speech cache), and the
time that grows with the programme is mixing, mastering and encoding.
"""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

DEMO_FILES = ("radio.toml", "scripts", "audio_assets", "takes", "pronunciations.tsv")
_SPEECH = re.compile(r"^([A-Z][A-Z0-9_]*): (.+)$")
_CUE = re.compile(r"^\[([^:\]]+):\s*([^\]|]*?)\s*(?:\|(.*))?\]$")


def copy_demo(repo: Path, target: Path) -> Path:
    """The demo production's inputs (no output/, no .radio/) copied into *target*."""
    target.mkdir(parents=True)
    for name in DEMO_FILES:
        source = repo / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.is_file():
            shutil.copy2(source, target / name)
    return target


@dataclass
class Chapter:
    title: str
    lines: list[str]          # the heading line excluded
    duration_ms: int = 0      # as built in the demo


@dataclass
class Script:
    front_matter: list[str]   # between the --- lines
    preamble: list[str]       # before the first heading
    chapters: list[Chapter]
    preamble_ms: int = 0


def split_script(text: str) -> Script:
    lines = text.splitlines()
    assert lines[0].strip() == "---", "a script starts with front matter"
    end = lines.index("---", 1)
    script = Script(lines[1:end], [], [])
    for line in lines[end + 1:]:
        if line.startswith("# "):
            script.chapters.append(Chapter(line[2:].strip(), []))
        elif script.chapters:
            script.chapters[-1].lines.append(line)
        else:
            script.preamble.append(line)
    return script


def demo_chapters(root: Path) -> tuple[Script, list[Chapter], Chapter]:
    """Episode 1's script (front matter, opening), the chapters to cycle, the closing one.

    Chapter lengths come from the reports of a build of *root* (the demo copy).
    """
    scripts = []
    for name in ("episode1", "episode2"):
        script = split_script((root / "scripts" / f"{name}.md").read_text(encoding="utf-8"))
        report = json.loads((root / "output" / name / f"{name}.json").read_text(encoding="utf-8"))
        starts = [c["start_ms"] for c in report["chapters"]]
        assert len(starts) == len(script.chapters), f"{name}: chapters differ from the report"
        ends = starts[1:] + [round(report["duration_s"] * 1000)]
        for chapter, start, end in zip(script.chapters, starts, ends):
            chapter.duration_ms = end - start
        script.preamble_ms = starts[0]
        scripts.append(script)
    first = scripts[0]
    middle = [c for s in scripts for c in s.chapters[:-1]]
    return first, middle, first.chapters[-1]


def generate_episode(demo_root: Path, target_s: float, number: int) -> tuple[str, float]:
    """A script of about *target_s* seconds from the demo's chapters; its estimated length."""
    first, middle, closing = demo_chapters(demo_root)
    total = first.preamble_ms + closing.duration_ms
    body: list[str] = []
    index = 0
    while True:
        chapter = middle[index % len(middle)]
        if total + chapter.duration_ms / 2 > target_s * 1000:
            break
        body += [f"# Phần {index + 1}: {chapter.title}", *chapter.lines]
        total += chapter.duration_ms
        index += 1
    minutes = round(target_s / 60)
    front = [line if not line.startswith(("title:", "number:", "subtitle:", "description:"))
             else None for line in first.front_matter]
    front = [line for line in front if line is not None]
    text = "\n".join(["---", f'title: "Chương trình thử hiệu năng – {minutes} phút"',
                      f"number: {number}", *front, "---", *first.preamble, *body,
                      f"# {closing.title}", *closing.lines]) + "\n"
    return text, total / 1000


def edit_one_paragraph(script: Path, index: int = 10) -> str:
    """Change the text of the *index*-th paragraph (1-based); return the new line."""
    lines = script.read_text(encoding="utf-8").split("\n")
    seen = 0
    for number, line in enumerate(lines):
        if _SPEECH.match(line):
            seen += 1
            if seen == index:
                lines[number] = line + " Xin quý vị lưu ý điều này."
                script.write_text("\n".join(lines), encoding="utf-8")
                return lines[number]
    raise ValueError(f"{script} has fewer than {index} paragraphs")


def _ms(value: str) -> int:
    value = value.strip()
    if value.endswith("ms"):
        return int(float(value[:-2]))
    if ":" in value:
        minutes, seconds = value.split(":")
        return round((int(minutes) * 60 + float(seconds)) * 1000)
    return round(float(value.rstrip("s")) * 1000)


_KINDS = {"nhạc hiệu": "jingle", "jingle": "jingle", "nhạc nền": "bed", "bed": "bed",
          "băng": "clip", "clip": "clip", "dừng": "pause", "pause": "pause"}


def edit_list(script_text: str) -> list[dict]:
    """The script as a list of events, for the naive pydub baseline (demo grammar only)."""
    events: list[dict] = []
    lines = script_text.splitlines()
    end = lines.index("---", 1)
    for line in lines[end + 1:]:
        line = line.strip()
        if not line:
            continue
        if line.startswith("# "):
            events.append({"kind": "heading"})
        elif match := _SPEECH.match(line):
            events.append({"kind": "speech", "speaker": match[1], "text": match[2]})
        elif match := _CUE.match(line):
            kind = _KINDS[match[1].strip()]
            value = match[2].strip()
            options = dict(part.strip().split("=", 1) for part in (match[3] or "").split("|")
                           if "=" in part)
            if kind == "pause":
                events.append({"kind": "pause", "ms": _ms(value)})
            elif kind == "bed" and value in ("tắt", "off"):
                events.append({"kind": "bed_off", "fade_ms": _ms(options.get("ra", "2s"))})
            elif kind == "bed":
                events.append({"kind": "bed_on", "asset": value,
                               "fade_ms": _ms(options.get("vào", "1.5s"))})
            else:
                event = {"kind": kind, "asset": value}
                if "từ" in options:
                    event["from_ms"] = _ms(options["từ"])
                if "đến" in options:
                    event["to_ms"] = _ms(options["đến"])
                events.append(event)
        else:
            raise ValueError(f"the benchmark's edit list does not know this line: {line}")
    return events
