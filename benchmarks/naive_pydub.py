"""The baseline: the same programme made the way a pydub user would write it.

    python naive_pydub.py EDITS.json OUT_DIR

EDITS.json (written by the benchmark from a generated script) lists the events of
the script in order (speech, jingle, clip, pause, heading, bed on/off), the WAV file
of every paragraph's synthesized speech (made with `radio say`), the asset folder and
the production's pacing.  This file is deliberately what one writes with pydub alone:
an ``AudioSegment`` per clip, ``+``/``overlay`` to assemble, the beds looped with
``overlay(loop=True)`` under the speech at a lower gain, ``normalize``/``apply_gain``
for the level, then ``export`` to WAV and to MP3 (192 kbit/s).  No numpy, no blocks:
the whole programme lives in pydub segments, as the design notes warn against.
"""
from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import imageio_ffmpeg

warnings.filterwarnings("ignore", "Couldn't find ffmpeg")   # set just below
from pydub import AudioSegment, effects  # noqa: E402

AudioSegment.converter = imageio_ffmpeg.get_ffmpeg_exe()   # there is no ffprobe: codec=

_loaded: dict[str, AudioSegment] = {}


def load(path: str) -> AudioSegment:
    if path not in _loaded:
        if path.endswith(".wav"):
            segment = AudioSegment.from_wav(path)
        else:
            segment = AudioSegment.from_file(path, format=Path(path).suffix[1:],
                                             codec="vorbis" if path.endswith(".ogg") else None)
        _loaded[path] = segment.set_frame_rate(44100).set_channels(2).set_sample_width(2)
    return _loaded[path]


def silence(ms: int) -> AudioSegment:
    return AudioSegment.silent(duration=ms, frame_rate=44100).set_channels(2)


def make_programme(edits: dict) -> AudioSegment:
    pacing, ducking = edits["pacing"], edits["ducking"]
    assets = Path(edits["assets_dir"])
    programme = silence(pacing["lead_in_ms"])
    chapter = AudioSegment.empty()
    section = None          # what plays over the current music bed
    bed = None
    for event in edits["events"]:
        kind = event["kind"]
        if kind == "heading":
            programme += chapter
            chapter = silence(pacing["heading_pause_ms"])
            continue
        if kind == "bed_on":
            bed = load(str(assets / event["asset"])) + ducking["bed_gain_db"] \
                - ducking["depth_db"]
            section = AudioSegment.empty()
            continue
        if kind == "bed_off":
            if section is not None and len(section):
                under = bed
                while len(under) < len(section):
                    under += bed
                under = under[:len(section)].fade_in(2000).fade_out(event["fade_ms"])
                chapter += section.overlay(under)
            section = bed = None
            continue
        if kind == "speech":
            piece = load(edits["speech"][f"{event['speaker']}\t{event['text']}"]) \
                + silence(pacing["paragraph_pause_ms"])
        elif kind == "pause":
            piece = silence(event["ms"])
        else:               # jingle, clip
            clip = load(str(assets / event["asset"]))
            clip = clip[event.get("from_ms", 0):event.get("to_ms", len(clip))]
            piece = clip + silence(pacing["clip_pause_ms"])
        if section is not None:
            section += piece
        else:
            chapter += piece
    programme += chapter + silence(pacing["tail_ms"])
    return programme


def main(argv: list[str]) -> int:
    edits_path, out_dir = Path(argv[0]), Path(argv[1])
    edits = json.loads(edits_path.read_text(encoding="utf-8"))
    out_dir.mkdir(parents=True, exist_ok=True)
    programme = make_programme(edits)
    programme = effects.normalize(programme, headroom=1.0)
    gain = min(edits["target_dbfs"] - programme.dBFS, -1.0 - programme.max_dBFS)
    programme = programme.apply_gain(gain)
    programme.export(out_dir / "naive.wav", format="wav")
    programme.export(out_dir / "naive.mp3", format="mp3", bitrate="192k")
    print(json.dumps({"duration_s": len(programme) / 1000, "dbfs": programme.dBFS}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
