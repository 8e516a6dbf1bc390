"""Where a cold build's time goes: cProfile of `radio build episode1 -j 1 --offline`.

    python benchmarks/profile_build.py [EPISODE] [--top N] [--keep]

Copies the demo production into a temporary folder (empty cache), builds one episode
in this process under cProfile, and prints the top functions by own time (tottime)
and by cumulative time.  Work done in other processes — the espeak helper and its
forked jobs, the ffmpeg decoders and the MP3 encoder — shows up only as the time
this process spends waiting for them (pipe writes, reads, waits).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from production import copy_demo  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("episode", nargs="?", default="episode1")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="radio-profile-"))
    root = copy_demo(HERE.parent, work / "demo")
    from radio.cli import main as radio_main

    cwd = os.getcwd()
    os.chdir(root)
    profile = cProfile.Profile()
    start = time.perf_counter()
    try:
        code = profile.runcall(radio_main, ["build", args.episode, "-j", "1", "--offline"])
    finally:
        os.chdir(cwd)
    wall = time.perf_counter() - start
    print(f"cold build of {args.episode} (-j 1, in-process): {wall:.1f} s wall, exit {code}")
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(key).print_stats(args.top)
        lines = out.getvalue().splitlines()
        start_at = next(i for i, line in enumerate(lines) if "ncalls" in line)
        print(f"\n--- top {args.top} by {key} ---")
        print("\n".join(lines[start_at:]).rstrip())
    if args.keep:
        print(f"\nwork folder: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
