"""Generate the demo production's audio assets, deterministically.

    python tools/make_assets.py [--out audio_assets] [--only music|jingles|interviews]

Jingles and music beds are synthesized by ``radio.demo.music``; the interview clips
listed in ``tools/interviews.yaml`` are spoken by the offline espeak-ng voice
and coloured as field recordings.  Everything is encoded as Ogg Vorbis with
ffmpeg in bit-exact mode, so running this twice gives byte-identical files
(with the same pinned versions: see constraints.txt).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from radio.demo import music as synth  # noqa: E402
from radio.fsio import atomic_path  # noqa: E402

RATE = 44100
MUSIC_QUALITY = 3  # libvorbis -q:a (≈ 112 kb/s stereo)
VOICE_QUALITY = 1  # ≈ 64 kb/s stereo, plenty for band-limited speech
SEED = 2021  # the year of the department's plan

JINGLES = [  # (file, kind, seconds)
    ("jingles/ident.ogg", "ident", 5.0),
    ("jingles/intro.ogg", "intro", 12.0),
    ("jingles/outro.ogg", "outro", 12.0),
    ("jingles/transition.ogg", "transition", 3.0),
]
BEDS = [  # (file, character, seconds: rounded to whole bars)
    ("music/bed_soft.ogg", "soft", 56.0),
    ("music/bed_bright.ogg", "bright", 55.0),
    ("music/bed_warm.ogg", "warm", 48.0),
]
AMBIENCE_WORDS = [  # words of a clip's role -> the background it is recorded in
    ("orchard", ("trồng", "vườn", "nông dân")),
    ("market", ("hợp tác xã", "chợ", "tiểu thương", "cơ sở")),
]


def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def encode_ogg(audio: np.ndarray, path: Path, quality: int) -> None:
    """Encode float32 stereo at 44.1 kHz as Ogg Vorbis, byte-reproducibly."""
    pcm = np.ascontiguousarray(audio, dtype="<f4")
    with atomic_path(path) as tmp:
        cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
               "-f", "f32le", "-ar", str(RATE), "-ac", str(pcm.shape[1]), "-i", "pipe:0",
               "-map_metadata", "-1", "-c:a", "libvorbis", "-q:a", str(quality),
               "-fflags", "+bitexact", "-flags:a", "+bitexact", "-serial_offset", "0",
               "-f", "ogg", str(tmp)]
        done = subprocess.run(cmd, input=pcm.tobytes(), capture_output=True)
        if done.returncode != 0:
            raise SystemExit(f"ffmpeg failed on {path}: {done.stderr.decode(errors='replace')}")


def report(out: Path, name: str, audio: np.ndarray) -> None:
    size = (out / name).stat().st_size
    print(f"{name:44s} {len(audio) / RATE:6.2f} s {size / 1024:8.1f} KiB", flush=True)


def make_jingles(out: Path) -> None:
    for i, (name, kind, seconds) in enumerate(JINGLES):
        audio = synth.jingle(kind, seconds, SEED + i)
        encode_ogg(audio, out / name, MUSIC_QUALITY)
        report(out, name, audio)


def make_music(out: Path) -> None:
    for i, (name, character, seconds) in enumerate(BEDS):
        audio = synth.music_bed(character, seconds, SEED + 100 + i)
        encode_ogg(audio, out / name, MUSIC_QUALITY)
        report(out, name, audio)


def ambience_for(clip: dict) -> str:
    if clip.get("ambience"):
        return clip["ambience"]
    role = str(clip.get("role", "")).lower()
    for kind, words in AMBIENCE_WORDS:
        if any(word in role for word in words):
            return kind
    return "office"


def make_interviews(out: Path, listing: Path) -> None:
    import yaml

    from radio.speech.espeak import EspeakEngine

    clips = yaml.safe_load(listing.read_text(encoding="utf-8"))["clips"]
    with EspeakEngine() as engine:
        for clip in clips:
            voice = clip.get("voice") or {}
            pcm, rate = engine.synthesize(" ".join(str(clip["text"]).split()),
                                          voice=voice.get("voice", "vi-vn-x-central"),
                                          rate_wpm=int(voice.get("rate", 150)),
                                          pitch=int(voice.get("pitch", 50)))
            seed = zlib.crc32(clip["file"].encode("utf-8"))
            audio = synth.field_recording(pcm, rate, seed, ambience_for(clip))
            encode_ogg(audio, out / clip["file"], VOICE_QUALITY)
            report(out, clip["file"], audio)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "audio_assets",
                        help="folder to write into (default: audio_assets)")
    parser.add_argument("--only", choices=("music", "jingles", "interviews"),
                        help="make only this group of files")
    parser.add_argument("--interviews", type=Path, default=REPO / "tools" / "interviews.yaml",
                        help="the list of interview clips (default: tools/interviews.yaml)")
    args = parser.parse_args(argv)
    makers = {"jingles": make_jingles, "music": make_music,
              "interviews": lambda out: make_interviews(out, args.interviews)}
    for group, make in makers.items():
        if args.only in (None, group):
            make(args.out)
    files = [p for p in args.out.rglob("*.ogg") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    print(f"{len(files)} files in {args.out}, {total / 1024 / 1024:.2f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
