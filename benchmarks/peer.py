"""The peer row of `make bench`: ffmpeg-normalize beside our build of episode 1.

ffmpeg-normalize (PyPI) is the usual tool for the last step alone: two-pass EBU
R128 normalization (ffmpeg's loudnorm: measure, then correct) and MP3 encoding.
It gets episode 1 already mixed, the programme our build mixes before mastering,
written here from the speech and sources that our build left in its cache; our
side is the whole build of episode 1 from its script with an empty cache
(speech, mix, master, WAV + MP3 + report).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


def write_mix(root: Path, name: str, out: Path) -> float:
    """Episode *name*'s mixed programme (before mastering) as a 32-bit float WAV;
    return its duration in seconds.  Reads the cache a build of it left: no synthesis."""
    from radio.audio.decode import ffmpeg_exe
    from radio.config import load
    from radio.log import Log
    from radio.pipeline.build import load_lexicon, make_synthesizer
    from radio.pipeline.mix import mix_blocks
    from radio.pipeline.options import BuildOptions
    from radio.pipeline.prepare import load_episodes, prepare
    from radio.pipeline.sources import SourceStore
    from radio.takes import Takes

    production = load(root)
    episode = load_episodes(production, [name])[0]
    out.parent.mkdir(parents=True, exist_ok=True)
    with make_synthesizer(production, BuildOptions(offline=True)) as synth:
        synth.cache_only = True
        prepared = prepare(production, episode, synth,
                           SourceStore(production.cache_dir / "sources", read_only=True),
                           load_lexicon(production), Takes(production, Log(0)))
    timeline = prepared.timeline
    encoder = subprocess.Popen([ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y",
                                "-f", "f32le", "-ar", "44100", "-ac", "2", "-i", "-",
                                "-c:a", "pcm_f32le", str(out)], stdin=subprocess.PIPE)
    for block in mix_blocks(timeline):
        encoder.stdin.write(block.astype("<f4").tobytes())
    encoder.stdin.close()
    if encoder.wait() != 0:
        raise RuntimeError(f"ffmpeg could not write {out}")
    return timeline.frames / 44100


def normalize_command(mix: Path, out: Path, target_lufs: float, ceiling_dbtp: float,
                      bitrate_kbps: int) -> list[str]:
    """ffmpeg-normalize: two-pass EBU R128 (loudnorm) to *target_lufs* and *ceiling_dbtp*,
    encoded to MP3 at *bitrate_kbps* (44.1 kHz)."""
    script = Path(sys.executable).with_name("ffmpeg-normalize")
    program = [str(script)] if script.exists() else [shutil.which("ffmpeg-normalize")
                                                     or "ffmpeg-normalize"]
    return [*program, str(mix), "-f", "-nt", "ebu", "-t", str(target_lufs),
            "-tp", str(ceiling_dbtp), "-c:a", "libmp3lame", "-b:a", f"{bitrate_kbps}k",
            "-ar", "44100", "-ext", "mp3", "-o", str(out)]
