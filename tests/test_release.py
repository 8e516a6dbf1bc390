"""The release side of a build: the typed Report the disc and the preview read, and the
disc's specification made from the reports (radio.commands.disc)."""
from __future__ import annotations

import json

import pytest

from radio.commands.disc import disc_spec
from radio.config import load
from radio.errors import UserError
from radio.targets.report import Report

REPORT = {
    "episode": "episode1", "script": "scripts/episode1.md", "title": "Cam Hà Tĩnh",
    "number": 1, "sample": True, "duration_s": 61.5,
    "chapters": [{"title": "Mở đầu", "start_ms": 0, "line": 9},
                 {"title": "Kết thúc", "start_ms": 40000, "line": 20}],
    "segments": [{"kind": "jingle", "start_ms": 0, "end_ms": 5000, "line": 7,
                  "asset": "jingles/intro.ogg"},
                 {"kind": "speech", "start_ms": 5200, "end_ms": 9000, "line": 10,
                  "speaker": "MC1", "text": "Kính thưa quý vị!", "engine": "espeak"}],
    "preset": "loudspeaker", "targets": {"integrated_lufs": -16.0},
    "loudness": {"wav": {"integrated_lufs": -16.0}}, "engines": ["espeak"],
    "files": {"wav": "episode1.wav", "mp3": "episode1.mp3", "json": "episode1.json",
              "txt": "episode1.txt"},
    "paragraphs": {"take": 0, "stale": 0, "synth": 2}, "placeholders": 2,
}


def write_report(folder, data=REPORT):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{data['episode']}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_report_loads_typed_and_writes_its_rows_back(tmp_path):
    report = Report.load(write_report(tmp_path / "out"))
    assert report.title == "Cam Hà Tĩnh" and report.chapters[1].start_ms == 40000
    assert report.segments[1].speaker == "MC1" and report.segments[0].text == ""
    assert report.segment_rows() == REPORT["segments"]
    assert report.file("wav") == tmp_path / "out" / "episode1.wav"


@pytest.mark.parametrize("damage", ["{not json", json.dumps({"episode": "episode1"})])
def test_a_damaged_report_is_one_error_naming_it(tmp_path, damage):
    path = tmp_path / "episode1.json"
    path.write_text(damage, encoding="utf-8")
    with pytest.raises(UserError, match="damaged or from another version") as caught:
        Report.load(path)
    assert caught.value.problem.path == str(path)
    with pytest.raises(UserError, match="cannot read the build report"):
        Report.load(tmp_path / "missing.json")


def test_disc_spec_from_reports(copy_root, tmp_path):
    production = load(copy_root("mini"))
    second = dict(REPORT, episode="episode2", number=2, title="OCOP", placeholders=0,
                  script="scripts/episode2.md", chapters=[])
    reports = [Report.load(write_report(tmp_path / "r1")),
               Report.load(write_report(tmp_path / "r2", second))]
    spec = disc_spec(production, reports, "broadcast")
    first = spec.items[0]
    assert [i.name for i in spec.items] == ["episode1", "episode2"]
    assert first.wav_path == production.output_dir / "episode1" / "episode1.broadcast.wav"
    assert first.script_path == production.root / "scripts" / "episode1.md"
    assert [(c.title, c.start_ms) for c in first.chapters] == [("Mở đầu", 0),
                                                               ("Kết thúc", 40000)]
    assert spec.draft and first.placeholders == 2 and spec.label == "THU_NGHIEM"
