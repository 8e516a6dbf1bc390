"""`make bench`: how fast and how lean `radio` is, as ratios measured side by side.

Everything is measured in one run on this machine, each figure against a reference
measured in the same run (the MP3 encoder alone, a naive pydub build), because the
machine is shared and noisy: read the ratios, not the seconds.

    python benchmarks/bench.py [--quick] [--only ROWS] [--keep] [--work DIR] [--json PATH]

1. episode 1 built from its script (speech cache warm, nothing else built) ÷ ffmpeg
   alone encoding its WAV master to MP3 (same bitrate): the encoder is the floor.
   Three builds, each followed by its encode; the ratio is the median of the pairs'
   ratios, so that a machine slowing down for a minute slows both sides of a pair
2. cold offline build of the demo (both episodes, empty cache, -j 2) ÷ two encodes in
   parallel (three builds, each in a fresh copy and paired with its encodes like row 1);
   with `radio disc` after the first, for information
3. no-op rebuild: `radio build --all` (a fresh process: Python start-up included)
4. rebuild after editing one paragraph of episode 1 ÷ ffmpeg alone encoding episode 1
   (three edits, paired with encodes like row 1)
5. peak RSS of a generated 60-minute episode built with -j 1, ÷ its 16-bit PCM size
   (with a fixed allowance) and ÷ a naive pydub build of the same episode
6. seconds per programme-minute at 10, 30 and 60 minutes
7. peer: our whole build of episode 1 from its script beside ffmpeg-normalize
   (two-pass EBU R128 to MP3) on episode 1's already mixed WAV
8. where the CPU goes in row 1's build: every thread and child process, running,
   waiting for a core, blocked (benchmarks/threads.py)

--quick: 10 and 30 minutes only, no pydub baseline.  --only ROW[,ROW...] runs some
rows (cold, episode, threads, edit, studio, noop, long, pydub, peer; all but peer
need cold, which runs first).  Results also go to output/bench.json.  Synthesis uses
the offline voice (espeak).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from measure import run_measured  # noqa: E402
from peer import normalize_command, write_mix  # noqa: E402
from production import copy_demo, edit_list, edit_one_paragraph, generate_episode  # noqa: E402

MB = 1_000_000
ALLOWANCE_BYTES = 200 * MB     # fixed allowance on top of the PCM size (interpreter, numpy...)
FLOOR_REPEATS = 3              # the encode floors are cheap: median of 3
NOOP_REPEATS = 5
TARGETS = {"episode": 1.5, "cold": 2.5, "noop_s": 1.0, "edit": 1.3, "rss_pcm": 1.0,
           "rss_pydub": 0.5, "scaling": 1.2}
EPISODE_REPEATS = 3            # row 1: median of 3 builds
COLD_REPEATS = 3               # row 2: median of 3 cold builds, each in a fresh copy


class BenchError(Exception):
    pass


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def radio_cmd() -> list[str]:
    script = Path(sys.executable).with_name("radio")
    return [str(script)] if script.exists() else [sys.executable, "-m", "radio.cli"]


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd: list[str], cwd: Path, log: Path, check: bool = True) -> tuple[float, str, int, float]:
    """Wall time, output (stdout + stderr), exit code and CPU time (with descendants) of *cmd*.

    The output also goes to *log*.  Run one at a time: the CPU time is the growth of
    this process's RUSAGE_CHILDREN while *cmd* ran.
    """
    cpu = children_cpu_s()
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          stdin=subprocess.DEVNULL, text=True)
    wall = time.perf_counter() - start
    cpu = children_cpu_s() - cpu
    log.write_text(proc.stdout, encoding="utf-8")
    if check and proc.returncode != 0:
        tail = "\n".join(proc.stdout.strip().splitlines()[-5:])
        raise BenchError(f"{' '.join(cmd[-6:])} failed ({proc.returncode}) in {cwd}:\n{tail}")
    return wall, proc.stdout, proc.returncode, cpu


def build_facts(output: str) -> dict:
    """What a `radio -v build/disc` said: speech counts, rebuilt and unchanged episodes."""
    counts = re.findall(r"speech cache: (\d+) hits, (\d+) synthesized", output)
    return {"speech_hits": sum(int(h) for h, _ in counts),
            "synthesized": sum(int(s) for _, s in counts),
            "rebuilt": sorted(set(re.findall(r"^(\S+): mastering", output, re.M))),
            "unchanged": sorted(set(re.findall(r"^(\S+): unchanged", output, re.M))),
            "disc_unchanged": "disc unchanged" in output}


def compile_package() -> None:
    """Write the package's bytecode first, as ``pip install`` does: the ``radio``
    processes measured then load it like a user's installed copy, instead of
    compiling some 70 modules (0.1 s) in every process where an editable install
    or ``PYTHONDONTWRITEBYTECODE`` leaves the cache empty."""
    import compileall

    compileall.compile_dir(REPO / "radio", quiet=1)


def ffmpeg() -> str:
    from radio.audio.decode import ffmpeg_exe

    return ffmpeg_exe()


def encode_floor(wavs: list[Path], jobs: int, bitrate: int, out_dir: Path,
                 repeats: int = FLOOR_REPEATS) -> dict:
    """ffmpeg alone encoding *wavs* to MP3, *jobs* at a time: median wall of a few runs."""
    out_dir.mkdir(parents=True, exist_ok=True)

    def encode(wav: Path) -> None:
        subprocess.run([ffmpeg(), "-hide_banner", "-nostdin", "-v", "error", "-y", "-i",
                        str(wav), "-c:a", "libmp3lame", "-b:a", f"{bitrate}k", "-f", "mp3",
                        str(out_dir / (wav.stem + ".mp3"))], check=True)

    walls, cpus = [], []
    for _ in range(repeats):
        cpu = children_cpu_s()
        start = time.perf_counter()
        with ThreadPoolExecutor(jobs) as pool:
            list(pool.map(encode, wavs))
        walls.append(time.perf_counter() - start)
        cpus.append(children_cpu_s() - cpu)
    return {"wall_s": statistics.median(walls), "runs_s": walls, "jobs": jobs,
            "cpu_s": statistics.median(cpus), "files": [w.name for w in wavs]}


def paired(builds: list[float], floors: list[dict]) -> dict:
    """Rows 1, 2 and 4: each build is followed at once by an encode of what it built
    (*floors*, as ``encode_floor`` measures them), and the ratio is the median of the
    pairs' ratios (a machine that slows down for a minute slows both sides of a pair);
    the floor shown is the median encode."""
    walls = [f["wall_s"] for f in floors]
    return {"ratio": statistics.median(b / f for b, f in zip(builds, walls)),
            "floor": {"wall_s": statistics.median(walls), "runs_s": walls,
                      "jobs": floors[0]["jobs"],
                      "cpu_s": statistics.median(f["cpu_s"] for f in floors),
                      "files": floors[0]["files"]}}


def meter_costs(wav: Path) -> dict:
    """CPU time of one loudness + true-peak measurement of *wav*, median of a few runs:
    ffmpeg's C meter (ebur128, true peak by resampling to 192 kHz) and radio's own
    (measure_file: ffmpeg decodes, numpy measures).  For scale against the encode floor:
    a build measures three times (the mix, the WAV, the MP3) and true-peak-limits once."""
    from radio.audio.loudness import measure_file

    def ffmpeg_meter() -> None:
        subprocess.run([ffmpeg(), "-hide_banner", "-nostdin", "-v", "error", "-i", str(wav),
                        "-af", "ebur128=peak=true", "-f", "null", "-"], check=True)

    def cpu_s(action) -> float:
        runs = []
        for _ in range(FLOOR_REPEATS):
            own, children = time.process_time(), children_cpu_s()
            action()
            runs.append(time.process_time() - own + children_cpu_s() - children)
        return statistics.median(runs)

    return {"ffmpeg_cpu_s": cpu_s(ffmpeg_meter), "radio_cpu_s": cpu_s(lambda: measure_file(wav))}


def pcm_bytes(duration_s: float) -> int:
    return round(duration_s * 44100) * 4      # 16-bit stereo at 44.1 kHz


class Bench:
    def __init__(self, work: Path, quick: bool):
        self.work = work
        self.quick = quick
        self.logs = work / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.cores = cores()
        self.jobs = self.cores
        self.radio = radio_cmd()
        self.data: dict = {}
        settings = tomllib.loads((REPO / "radio.toml").read_text(encoding="utf-8"))
        self.bitrate = settings.get("build", {}).get("mp3_bitrate_kbps", 192)

    def radio_run(self, args: list[str], cwd: Path, name: str, check: bool = True):
        return run([*self.radio, "-v", *args], cwd, self.logs / f"{name}.log", check)

    # 1 -----------------------------------------------------------------------
    def cold(self) -> None:
        """Both episodes from nothing (no speech cache, nothing decoded), each time in a
        fresh copy of the demo and followed by an encode of both masters (see
        :func:`paired`); then `radio disc` once, in the copy the other rows use."""
        say(f"cold build of the demo (-j {self.jobs}, empty cache; {COLD_REPEATS}x, each "
            "then both encodes)...")
        walls, cpus, floors = [], [], []
        for i in range(COLD_REPEATS):
            demo = copy_demo(REPO, self.work / ("demo" if i == 0 else f"demo-cold-{i}"))
            build_s, build_out, _, build_cpu = self.radio_run(
                ["build", "--all", "--offline", "-j", str(self.jobs)], demo, f"1-cold-build-{i}")
            wavs = [demo / "output" / n / f"{n}.wav" for n in ("episode1", "episode2")]
            floors.append(encode_floor(wavs, min(self.jobs, len(wavs)), self.bitrate,
                                       self.work / "floor", repeats=1))
            walls.append(build_s)
            cpus.append(build_cpu)
            if i == 0:
                self.demo, out, programme_s = demo, build_out, sum(_duration(w) for w in wavs)
            else:
                shutil.rmtree(demo, ignore_errors=True)
            say(f"  build {build_s:.1f} s, encode {floors[-1]['wall_s']:.1f} s")
        say("  disc...")
        disc_s, disc_out, code, disc_cpu = self.radio_run(
            ["disc", "--offline", "-j", str(self.jobs)], self.demo, "1-cold-disc", check=False)
        disc_error = None if code == 0 else disc_out.strip().splitlines()[-1]
        pairs = paired(walls, floors)
        build_s = statistics.median(walls)
        self.data["cold"] = {"build_s": build_s, "runs_s": walls, "disc_s": disc_s,
                             "disc_error": disc_error, "total_s": build_s + disc_s, **pairs,
                             "build_cpu_s": statistics.median(cpus), "disc_cpu_s": disc_cpu,
                             "programme_s": programme_s, "facts": build_facts(out),
                             "jobs": self.jobs}

    # 1 -----------------------------------------------------------------------
    def episode(self) -> None:
        """Episode 1 again from its script, its outputs and build state removed: the
        speech and the decoded recordings are in the cache, the rest is built.  Each
        build is followed by an encode of its WAV (see :func:`paired`)."""
        demo = self.demo
        say(f"episode 1 from its script, speech cache warm, each build then its encode "
            f"({EPISODE_REPEATS}x, -j 1)...")
        walls, cpus, floors = [], [], []
        wav = demo / "output" / "episode1" / "episode1.wav"
        for i in range(EPISODE_REPEATS):
            _forget_episode(demo, "episode1")
            wall, out, _, cpu = self.radio_run(["build", "episode1", "--offline", "-j", "1"],
                                               demo, f"1-episode1-{i}")
            walls.append(wall)
            cpus.append(cpu)
            floors.append(encode_floor([wav], 1, self.bitrate, self.work / "floor-episode",
                                       repeats=1))
        self.data["episode"] = {"build_s": statistics.median(walls), "runs_s": walls,
                                "cpu_s": statistics.median(cpus), **paired(walls, floors),
                                "facts": build_facts(out)}
        say(f"  {statistics.median(walls):.1f} s / "
            f"{self.data['episode']['floor']['wall_s']:.1f} s")

    # 8 -----------------------------------------------------------------------
    def threads(self) -> None:
        say("where the CPU goes: episode 1 from its script, sampled thread by thread...")
        _forget_episode(self.demo, "episode1")
        log = self.logs / "8-threads.log"
        proc = subprocess.run([sys.executable, str(HERE / "threads.py"), "--root",
                               str(self.demo), "--json", "-"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        log.write_text(proc.stdout, encoding="utf-8")
        if proc.returncode != 0:
            raise BenchError("benchmarks/threads.py failed:\n"
                             + "\n".join(proc.stdout.strip().splitlines()[-5:]))
        self.data["threads"] = json.loads(proc.stdout.strip().splitlines()[-1])

    # 3 -----------------------------------------------------------------------
    def edit(self) -> None:
        demo = self.demo
        say(f"rebuild after editing one paragraph of episode 1 ({EPISODE_REPEATS}x, "
            "another paragraph each time)...")
        walls, cpus, runs, floors = [], [], [], []
        wav = demo / "output" / "episode1" / "episode1.wav"
        for i in range(EPISODE_REPEATS):
            line = edit_one_paragraph(demo / "scripts" / "episode1.md", 10 + i)
            wall, out, _, cpu = self.radio_run(["build", "--all", "--offline"], demo,
                                               f"3-edit-build-{i}")
            walls.append(wall)
            cpus.append(cpu)
            runs.append(build_facts(out))
            floors.append(encode_floor([wav], 1, self.bitrate, self.work / "floor1",
                                       repeats=1))
        build_s, build_cpu = statistics.median(walls), statistics.median(cpus)
        disc_s, disc_out, code, _ = self.radio_run(["disc", "--offline"], demo, "3-edit-disc",
                                                   check=False)
        say("  for scale: one loudness + true-peak measurement of episode 1...")
        self.data["edit"] = {"meters": meter_costs(wav), "build_s": build_s, "runs_s": walls,
                             "disc_s": disc_s, "disc_ok": code == 0, "build_cpu_s": build_cpu,
                             **paired(walls, floors), "edited": line, "facts": runs[-1],
                             "runs_facts": runs,
                             "disc_facts": build_facts(disc_out)}

    # 3d/3e -------------------------------------------------------------------
    def studio(self) -> None:
        from studio_edit import measure

        say("studio: save one paragraph of episode 1, hear it, wait for the full mix...")
        self.data["studio"] = measure(self.demo)
        # The studio saved an edited script: bring the outputs up to date (untimed),
        # so that the no-op rows that follow find nothing to do.
        self.radio_run(["build", "--all", "--offline"], self.demo, "4d-studio-settle")

    # 2 -----------------------------------------------------------------------
    def noop(self) -> None:
        say(f"no-op rebuilds ({NOOP_REPEATS}x radio build --all, then radio disc)...")
        builds, discs, facts = [], [], []
        for i in range(NOOP_REPEATS):
            wall, out, _, _ = self.radio_run(["build", "--all", "--offline"], self.demo,
                                             f"2-noop-build-{i}")
            builds.append(wall)
            facts.append(build_facts(out))
            wall, out, code, _ = self.radio_run(["disc", "--offline"], self.demo,
                                                f"2-noop-disc-{i}", check=False)
            discs.append(wall if code == 0 else None)
        ok_discs = [d for d in discs if d is not None]
        self.data["noop"] = {
            "build_s": statistics.median(builds), "build_runs_s": builds,
            "disc_s": statistics.median(ok_discs) if ok_discs else None, "disc_runs_s": discs,
            "rebuilt": sorted({e for f in facts for e in f["rebuilt"]}),
            "synthesized": sum(f["synthesized"] for f in facts)}

    # 4, 5 --------------------------------------------------------------------
    def long_episodes(self) -> None:
        gen = self.work / "gen"
        (gen / "scripts").mkdir(parents=True)
        for name in ("radio.toml", "pronunciations.tsv"):
            shutil.copy2(self.demo / name, gen / name)
        shutil.copytree(self.demo / "audio_assets", gen / "audio_assets")
        # Pre-warmed: the generated episodes repeat the demo's paragraphs and assets.
        shutil.copytree(self.demo / ".radio" / "cache", gen / ".radio" / "cache")
        self.gen = gen
        minutes = (10, 30) if self.quick else (10, 30, 60)
        self.data["long"] = {}
        for m in minutes:
            text, estimate = generate_episode(self.demo, m * 60, number=m)
            (gen / "scripts" / f"long{m}.md").write_text(text, encoding="utf-8")
            self.data["long"][m] = {"estimate_s": estimate, "distinct_paragraphs":
                                    len({e["text"] for e in edit_list(text)
                                         if e["kind"] == "speech"}),
                                    "paragraphs": sum(e["kind"] == "speech"
                                                      for e in edit_list(text))}
        for m in minutes:
            say(f"{m}-minute episode, -j 1 (peak RSS from a fresh helper process)...")
            log = self.logs / f"5-long{m}.log"
            result = run_measured([*self.radio, "-v", "build", f"long{m}", "--offline",
                                   "-j", "1"], gen, log)
            if result["returncode"] != 0:
                raise BenchError(f"the {m}-minute build failed:\n"
                                 + "\n".join(log.read_text().splitlines()[-5:]))
            report = json.loads((gen / "output" / f"long{m}" / f"long{m}.json")
                                .read_text(encoding="utf-8"))
            entry = self.data["long"][m]
            entry.update(result, duration_s=report["duration_s"],
                         pcm_bytes=pcm_bytes(report["duration_s"]),
                         s_per_min=result["wall_s"] / (report["duration_s"] / 60),
                         facts=build_facts(log.read_text(encoding="utf-8")))
            say(f"  {result['wall_s']:.1f} s for {report['duration_s'] / 60:.1f} min, "
                f"peak RSS {result['maxrss_bytes'] / MB:.0f} MB")

    def pydub(self) -> None:
        m = max(self.data["long"])
        gen = self.gen
        script = (gen / "scripts" / f"long{m}.md").read_text(encoding="utf-8")
        events = edit_list(script)
        voices = self.work / "naive" / "speech"
        voices.mkdir(parents=True)
        speech = {}
        todo = []
        for event in events:
            if event["kind"] == "speech":
                key = f"{event['speaker']}\t{event['text']}"
                if key not in speech:
                    speech[key] = str(voices / f"p{len(speech):03d}.wav")
                    todo.append((event, speech[key]))
        say(f"naive pydub baseline: {len(todo)} paragraphs spoken with `radio say`...")

        def speak(item):
            event, path = item
            run([*self.radio, "say", event["text"], "-o", path, "--speaker", event["speaker"],
                 "--episode", f"long{m}"], gen, Path(path + ".log"))

        with ThreadPoolExecutor(self.cores) as pool:
            list(pool.map(speak, todo))
        settings = tomllib.loads((gen / "radio.toml").read_text(encoding="utf-8"))
        from radio.config import DuckingSettings, PacingSettings

        pacing = {**PacingSettings().__dict__, **settings.get("pacing", {})}
        ducking = {**DuckingSettings().__dict__, **settings.get("ducking", {})}
        edits = {"events": events, "speech": speech, "assets_dir": str(gen / "audio_assets"),
                 "pacing": pacing, "ducking": ducking, "target_dbfs": -20.0}
        edits_path = self.work / "naive" / "edits.json"
        edits_path.write_text(json.dumps(edits, ensure_ascii=False), encoding="utf-8")
        say(f"  naive pydub build of the {m}-minute episode (fresh helper process)...")
        log = self.logs / "4-naive-pydub.log"
        result = run_measured([sys.executable, str(HERE / "naive_pydub.py"), str(edits_path),
                               str(self.work / "naive" / "out")], self.work, log)
        if result["returncode"] != 0:
            raise BenchError("the naive pydub build failed:\n"
                             + "\n".join(log.read_text().splitlines()[-5:]))
        info = json.loads(log.read_text().strip().splitlines()[-1])
        result.update(duration_s=info["duration_s"], minutes=m,
                      pcm_bytes=pcm_bytes(info["duration_s"]))
        self.data["pydub"] = result
        say(f"  {result['wall_s']:.1f} s, peak RSS {result['maxrss_bytes'] / MB:.0f} MB")


    # 6 -----------------------------------------------------------------------
    def peer(self) -> None:
        from radio.audio.presets import PRESETS

        demo = copy_demo(REPO, self.work / "peer")
        say("peer: our build of episode 1 from its script (empty cache, -j 1)...")
        build_s, out, _, build_cpu = self.radio_run(
            ["build", "episode1", "--offline", "-j", "1"], demo, "6-peer-build")
        mix = self.work / "peer-mix" / "episode1.mix.wav"
        programme_s = write_mix(demo, "episode1", mix)
        preset = PRESETS[tomllib.loads((demo / "radio.toml").read_text(encoding="utf-8"))
                         .get("build", {}).get("preset", "loudspeaker")]
        say("peer: ffmpeg-normalize, two-pass EBU R128 to MP3, on the mixed WAV...")
        os.environ.setdefault("FFMPEG_PATH", ffmpeg())   # imageio-ffmpeg's: no ffmpeg on PATH
        mp3 = self.work / "peer-mix" / "episode1.normalized.mp3"
        peer_s, _, _, peer_cpu = run(normalize_command(mix, mp3, preset.target_lufs,
                                                       preset.ceiling_dbtp, self.bitrate),
                                     self.work, self.logs / "6-peer-ffmpeg-normalize.log")
        self.data["peer"] = {"build_s": build_s, "build_cpu_s": build_cpu, "peer_s": peer_s,
                             "peer_cpu_s": peer_cpu, "programme_s": programme_s,
                             "preset": preset.name, "facts": build_facts(out)}
        say(f"  ours {build_s:.1f} s, ffmpeg-normalize {peer_s:.1f} s")


def _forget_episode(root: Path, name: str) -> None:
    """Remove an episode's outputs and build state: the next build makes it again."""
    shutil.rmtree(root / "output" / name, ignore_errors=True)
    for state in (root / ".radio" / "build").glob(f"{name}.*"):
        state.unlink()


def _duration(wav: Path) -> float:
    import wave

    with wave.open(str(wav)) as fh:
        return fh.getnframes() / fh.getframerate()


# The table -------------------------------------------------------------------------

def verdict(ratio: float | None, target: float) -> str:
    if ratio is None:
        return "not measured"
    return "met" if ratio <= target else f"NOT met (gap {ratio - target:+.2f})"


def rows(data: dict) -> list[tuple[str, str, str, str, str]]:
    out = []
    episode = data.get("episode")
    if episode:
        floor = episode["floor"]["wall_s"]
        ratio = episode.get("ratio", episode["build_s"] / floor)
        out.append(("1", "episode 1 from its script (speech cache warm, -j 1) ÷ encoding "
                         "its WAV", f"{episode['build_s']:.1f} s (median of "
                    f"{len(episode['runs_s'])}) / {floor:.1f} s", _r(ratio),
                    f"≤ {TARGETS['episode']}", verdict(ratio, TARGETS["episode"])))
        cpu, floor_cpu = episode["cpu_s"], episode["floor"]["cpu_s"]
        out.append(("1a", "  CPU time (all processes): that build ÷ that encode",
                    f"{cpu:.1f} s / {floor_cpu:.1f} s", _r(cpu / floor_cpu), "(info)", ""))
    cold = data.get("cold")
    if cold:
        floor = cold["floor"]["wall_s"]
        ratio = cold.get("ratio", cold["build_s"] / floor)
        out.append(("2", f"cold demo build (empty cache, -j {cold['jobs']}) ÷ encoding both "
                         f"WAVs (-j {cold['floor']['jobs']})",
                    f"{cold['build_s']:.1f} s (median of {len(cold.get('runs_s', [0]))}) "
                    f"/ {floor:.1f} s", _r(ratio),
                    f"≤ {TARGETS['cold']}", verdict(ratio, TARGETS["cold"])))
        total = None if cold["disc_error"] else cold["total_s"] / floor
        measured = f"{cold['build_s']:.1f} s build + {cold['disc_s']:.1f} s disc / {floor:.1f} s"
        if cold["disc_error"]:
            measured += f" — DISC FAILED: {cold['disc_error']}"
        out.append(("2a", "  then `radio disc`: build + disc ÷ the same", measured, _r(total),
                    "(info)", ""))
        cpu, floor_cpu = cold["build_cpu_s"] + cold["disc_cpu_s"], cold["floor"]["cpu_s"]
        out.append(("2b", "  CPU time (all processes): build+disc ÷ encoding both",
                    f"{cpu:.1f} s / {floor_cpu:.1f} s", _r(cpu / floor_cpu), "(info)", ""))
    noop = data.get("noop")
    if noop:
        out.append(("3", "no-op `radio build --all` (fresh process, start-up incl.)",
                    f"median of {NOOP_REPEATS}", f"{noop['build_s']:.2f} s",
                    f"≤ {TARGETS['noop_s']} s", verdict(noop["build_s"], TARGETS["noop_s"])))
        if noop["disc_s"] is not None:
            out.append(("3a", "  no-op `radio disc` right after (checks the builds too)",
                        f"median of {NOOP_REPEATS}", f"{noop['disc_s']:.2f} s", "(info)", ""))
            out.append(("3b", "  no-op `radio build --all` + `radio disc` (make demo)", "",
                        f"{noop['build_s'] + noop['disc_s']:.2f} s", "(info)", ""))
    edit = data.get("edit")
    if edit:
        floor = edit["floor"]["wall_s"]
        ratio = edit.get("ratio", edit["build_s"] / floor)
        out.append(("4", "edit 1 paragraph of ep. 1: `radio build --all` ÷ encoding ep. 1",
                    f"{edit['build_s']:.1f} s (median of {len(edit.get('runs_s', [0]))}) "
                    f"/ {floor:.1f} s", _r(ratio),
                    f"≤ {TARGETS['edit']}", verdict(ratio, TARGETS["edit"])))
        cpu, floor_cpu = edit["build_cpu_s"], edit["floor"]["cpu_s"]
        out.append(("4a", "  CPU time (all processes): rebuild ÷ encoding ep. 1",
                    f"{cpu:.1f} s / {floor_cpu:.1f} s", _r(cpu / floor_cpu), "(info)", ""))
        if edit["disc_ok"]:
            out.append(("4b", "  then `radio disc` (rewrites the images)", "",
                        f"{edit['disc_s']:.1f} s", "(info)", ""))
        meters = edit["meters"]
        out.append(("4c", "  for scale: measuring ep. 1 once (loudness + true peak), CPU "
                          "÷ encoding it", f"ffmpeg's C ebur128 {meters['ffmpeg_cpu_s']:.1f} s, "
                          f"radio's meter {meters['radio_cpu_s']:.1f} s / {floor_cpu:.1f} s",
                    f"{meters['ffmpeg_cpu_s'] / floor_cpu:.2f}, "
                    f"{meters['radio_cpu_s'] / floor_cpu:.2f}", "(info)", ""))
    studio = data.get("studio")
    if studio:
        out.append(("4d", "studio: save → changed paragraph playable (episode 1)",
                    f"{studio['paragraph_s']:.1f} s paragraph", f"{studio['audible_s']:.2f} s",
                    "≤ 1.0 s", verdict(studio["audible_s"], 1.0)))
        out.append(("4e", "  studio: save → full mix replaced in the page", "",
                    f"{studio['replaced_s']:.2f} s", "(info)", ""))
    long = {m: e for m, e in (data.get("long") or {}).items() if "wall_s" in e}
    if long:
        m = max(long)
        big = long[m]
        peak, pcm = big["maxrss_bytes"], big["pcm_bytes"]
        limit = TARGETS["rss_pcm"] + ALLOWANCE_BYTES / pcm     # 1.0 × PCM + 200 MB
        out.append(("5", f"peak RSS, {m}-min episode -j 1 ÷ its 16-bit PCM size",
                    f"{peak / MB:.0f} MB / {pcm / MB:.0f} MB", _r(peak / pcm),
                    f"≤ {limit:.2f} (1.0 + {ALLOWANCE_BYTES // MB} MB)",
                    verdict(peak / pcm, limit)))
        tree = big["tree_peak_pss_bytes"]
        out.append(("5a", "  same, whole process tree (sum of PSS, sampled)",
                    f"{tree / MB:.0f} MB / {pcm / MB:.0f} MB", _r(tree / pcm), "(info)", ""))
        naive = data.get("pydub")
        if naive:
            ratio = peak / naive["maxrss_bytes"]
            out.append(("5b", f"peak RSS ÷ naive pydub build of the same {m}-min episode",
                        f"{peak / MB:.0f} MB / {naive['maxrss_bytes'] / MB:.0f} MB (pydub "
                        f"{naive['maxrss_bytes'] / naive['pcm_bytes']:.2f}× its PCM, "
                        f"{naive['wall_s']:.0f} s)", _r(ratio), f"≤ {TARGETS['rss_pydub']}",
                        verdict(ratio, TARGETS["rss_pydub"])))
        else:
            out.append(("5b", "peak RSS ÷ naive pydub build", "skipped (--quick)", "-",
                        f"≤ {TARGETS['rss_pydub']}", "not measured"))
        for minutes in sorted(long):
            e = long[minutes]
            out.append((f"6.{minutes}", f"  {minutes}-min episode (-j 1): s per programme-min",
                        f"{e['wall_s']:.1f} s ({e['cpu_s']:.0f} s CPU) for "
                        f"{e['duration_s'] / 60:.1f} min, peak {e['maxrss_bytes'] / MB:.0f} MB",
                        f"{e['s_per_min']:.2f}", "(info)", ""))
        ratio = big["s_per_min"] / long[min(long)]["s_per_min"]
        out.append(("6", f"scaling: s/min at {m} min ÷ s/min at {min(long)} min", "",
                    _r(ratio), f"≤ {TARGETS['scaling']}", verdict(ratio, TARGETS["scaling"])))
    peer = data.get("peer")
    if peer:
        out.append(("7", "peer: our whole build of ep. 1 from its script ÷ ffmpeg-normalize "
                         "(2-pass EBU R128 → MP3) of its mixed WAV",
                    f"{peer['build_s']:.1f} s / {peer['peer_s']:.1f} s",
                    _r(peer["build_s"] / peer["peer_s"]), "(info)", ""))
        out.append(("7a", "  CPU time (all processes): ours ÷ ffmpeg-normalize",
                    f"{peer['build_cpu_s']:.1f} s / {peer['peer_cpu_s']:.1f} s",
                    _r(peer["build_cpu_s"] / peer["peer_cpu_s"]), "(info)", ""))
    return out


def _r(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def table(data: dict) -> str:
    header = ("#", "measure", "measured", "ratio", "target", "result")
    body = rows(data)
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    widths[2] = min(widths[2], 70)
    lines = []
    for r in [header, None, *body]:
        if r is None:
            lines.append("  ".join("-" * w for w in widths))
            continue
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    return "\n".join(lines)


def notes(data: dict) -> list[str]:
    env = data["environment"]
    out = [f"machine: {env['cores']} cores, Python {env['python']}, {env['platform']}; "
           f"radio {env['radio_version']} at {env['commit']}; ffmpeg libmp3lame "
           f"{env['bitrate_kbps']} kbit/s; speech: espeak (offline)",
           "times are wall clock of fresh `radio` processes (Python start-up included, "
           "with the package's bytecode compiled first, as `pip install` does); "
           f"encode floors are the median of {FLOOR_REPEATS} runs, except in rows 1, 2 and 4, "
           "where each build is followed by its encode(s) and the ratio is the median of the "
           "pairs' ratios (the seconds shown are medians); CPU rows (user + system "
           "time of a command and all its descendants) are less sensitive to other load "
           "on a shared machine than wall clock"]
    episode = data.get("episode")
    if episode:
        f = episode["facts"]
        out.append(f"1: `radio build episode1 --offline -j 1` after removing its outputs and "
                   f"build state, in the demo copy row 2 built ({f['speech_hits']} paragraphs "
                   "from the speech cache, the recordings already decoded): parse, plan, mix, "
                   "master, WAV + MP3 + report; runs "
                   + ", ".join(f"{w:.1f}" for w in episode["runs_s"]) + " s, each followed "
                   "by its encode: " + ", ".join(f"{w:.1f}" for w in episode["floor"]["runs_s"])
                   + " s")
    cold = data.get("cold")
    if cold:
        f = cold["facts"]
        runs = ", ".join(f"{r:.1f}" for r in cold.get("runs_s", []))
        encodes = ", ".join(f"{r:.1f}" for r in cold["floor"].get("runs_s", []))
        out.append(f"2: cold = `radio build --all --offline -j {cold['jobs']}` in a fresh copy "
                   f"of the demo with no cache (runs {runs} s, each followed by its two "
                   f"encodes: {encodes} s), then `radio disc` once; "
                   f"{cold['programme_s'] / 60:.1f} programme-minutes, {f['synthesized']} "
                   "paragraphs synthesized")
    edit = data.get("edit")
    if edit:
        f = edit["facts"]
        runs = ", ".join(f"{r:.1f}" for r in edit.get("runs_s", []))
        encodes = ", ".join(f"{r:.1f}" for r in edit["floor"]["runs_s"])
        out.append(f"4: each rebuild (after editing paragraph 10, then 11, then 12; runs "
                   f"{runs} s, each followed by its encode: {encodes} s) synthesized {f['synthesized']} paragraph(s), rebuilt "
                   f"{', '.join(f['rebuilt']) or 'nothing'}; unchanged: "
                   f"{', '.join(f['unchanged']) or 'none'}")
        out.append("4c: the floor is LAME alone; a build also measures the mix (to set the "
                   "gain), the WAV and the MP3, and limits the true peak: four passes "
                   "oversampled 4x (the limiter's, the WAV's and the MP3's only where a "
                   "peak could be), besides mixing and filtering.  Row 4c prices one full "
                   "measurement; radio's meter works on one channel when both are equal")
        if any(r["synthesized"] != 1 or r["rebuilt"] != ["episode1"]
               for r in edit.get("runs_facts", [f])):
            out.append("4: WARNING: expected exactly 1 paragraph synthesized and only "
                       "episode1 rebuilt")
    peer = data.get("peer")
    if peer:
        out.append(f"7: ours = `radio build episode1 --offline -j 1` in a copy of the demo "
                   f"with no cache ({peer['facts']['synthesized']} paragraphs synthesized, "
                   f"mixed, mastered to {peer['preset']}, WAV + MP3 + report); "
                   f"ffmpeg-normalize gets the {peer['programme_s'] / 60:.1f}-minute mix "
                   "ready-made (float WAV) and only normalizes and encodes it, to the same "
                   "target and ceiling")
    noop = data.get("noop")
    if noop and (noop["rebuilt"] or noop["synthesized"]):
        out.append(f"3: WARNING: a no-op run rebuilt {noop['rebuilt']} / synthesized "
                   f"{noop['synthesized']}")
    long = {m: e for m, e in (data.get("long") or {}).items() if "wall_s" in e}
    if long:
        e = long[max(long)]
        out.append(f"5/6: generated episodes REPEAT TEXT: {e['paragraphs']} paragraphs, only "
                   f"{e['distinct_paragraphs']} distinct (the demo's chapters cycled, with "
                   "their beds, jingles and clips); speech and decoded sources pre-warmed "
                   "from the demo build, so these time plan + mix + master + encode + write")
        synth = {m: v["facts"]["synthesized"] for m, v in long.items()}
        if any(synth.values()):
            out.append(f"5/6: note: paragraphs synthesized during the long builds: {synth}")
        out.append(f"5: allowance {ALLOWANCE_BYTES // MB} MB (MB = 10^6 bytes); peak RSS = "
                   "ru_maxrss of the largest process among the build's tree (getrusage "
                   "RUSAGE_CHILDREN in a helper running only that build)")
    return out


def environment(quick: bool) -> dict:
    import radio

    try:
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=REPO,
                                capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = "?"
    settings = tomllib.loads((REPO / "radio.toml").read_text(encoding="utf-8"))
    return {"cores": cores(), "python": platform.python_version(),
            "platform": platform.platform(terse=True), "radio_version": radio.__version__,
            "commit": commit or "?", "quick": quick,
            "bitrate_kbps": settings.get("build", {}).get("mp3_bitrate_kbps", 192),
            "date": time.strftime("%Y-%m-%d %H:%M:%S %z")}


ROWS = ("cold", "episode", "threads", "edit", "studio", "noop", "long", "pydub",
        "peer")   # in the order they run
NEEDS = {"episode": {"cold"}, "threads": {"cold"}, "edit": {"cold"}, "studio": {"cold"},
         "noop": {"cold"}, "long": {"cold"}, "pydub": {"cold", "long"}}


def _rows_wanted(text: str) -> set[str]:
    wanted = {w.strip() for w in text.split(",") if w.strip()}
    unknown = wanted - set(ROWS)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown row(s) {', '.join(sorted(unknown))}; "
                                         f"rows: {', '.join(ROWS)}")
    return wanted.union(*(NEEDS.get(w, set()) for w in wanted))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="10 and 30 minutes only, no pydub baseline")
    parser.add_argument("--only", type=_rows_wanted, default=set(ROWS),
                        help="comma-separated rows to run: " + ", ".join(ROWS))
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--work", type=Path, help="work folder (default: a temporary one)")
    parser.add_argument("--json", type=Path, default=REPO / "output" / "bench.json")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="radio-bench-"))
    if args.work and work.exists() and any(work.iterdir()):
        parser.error(f"{work} is not empty")
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    bench = Bench(work, args.quick)
    data = bench.data
    data["environment"] = environment(args.quick)
    say(f"work folder {work} ({bench.cores} cores)")
    compile_package()
    failed = None
    try:
        steps = {"cold": bench.cold, "episode": bench.episode, "threads": bench.threads,
                 "edit": bench.edit, "studio": bench.studio,
                 "noop": bench.noop, "long": bench.long_episodes, "pydub": bench.pydub,
                 "peer": bench.peer}
        for row in ROWS:
            if row in args.only and not (row == "pydub" and args.quick):
                steps[row]()
    except BenchError as exc:
        failed = str(exc)
        data["error"] = failed
    except Exception as exc:   # a bug here or there: still print what was measured
        import traceback

        traceback.print_exc()
        failed = f"{type(exc).__name__}: {exc}"
        data["error"] = failed
    finally:
        data["bench_wall_s"] = time.perf_counter() - started
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str),
                             encoding="utf-8")
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(f"radio benchmark — {bench.cores} cores — {data['environment']['date']}"
          + (" — QUICK" if args.quick else ""))
    print(table(data))
    if data.get("threads"):
        from threads import table as thread_table

        print("\n8. where the CPU goes in row 1's build (every thread of radio and of its "
              "children, sampled every 20 ms):")
        print(thread_table(data["threads"]))
    print()
    for line in notes(data):
        print(f"- {line}")
    print(f"- the benchmark took {data['bench_wall_s'] / 60:.1f} min; results in "
          f"{args.json}" + (f"; logs in {work / 'logs'}" if args.keep or args.work else ""))
    if failed:
        print(f"\nBENCHMARK INCOMPLETE: {failed}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
