"""Reproducible builds of the demo production (the repository's own scripts and assets).

SLOW: two complete builds of the two ~10-minute demo episodes plus their discs, run
side by side; about 3-4 minutes on a 2-core machine.  Deselect it with
``-m "not slow"`` while working; CI runs it.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clirun import source_digest

REPO = Path(__file__).resolve().parent.parent
DEMO = ("radio.toml", "pronunciations.tsv", "scripts", "audio_assets", "takes")
MUST_MATCH = (".wav", ".mp3", ".iso", ".bin", ".cue", ".toc")


def copy_demo(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in DEMO:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, symlinks=True)
        elif source.exists():
            shutil.copy2(source, target / name)
    return target


def locale_other_than_c() -> str:
    """A Vietnamese locale when one is installed, else a name glibc does not know."""
    found = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.split()
    for name in found:
        if name.lower().replace("-", "").startswith("vi_vn.utf8"):
            return name
    return "vi_VN.UTF-8"


def environment(tz: str, **locale) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE", "TZ",
                                                   "SOURCE_DATE_EPOCH")}
    return {**env, "TZ": tz, **locale}


def digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "output").rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_demo_builds_are_byte_identical_across_folders_time_zones_locales_and_jobs(tmp_path):
    runs = [
        (copy_demo(tmp_path / "a" / "cam-ocop"), ".", "1",
         environment("Asia/Ho_Chi_Minh", LC_ALL="C.UTF-8")),
        (copy_demo(tmp_path / "b" / "nested" / "folder" / "Chuyên đề"), "scripts", "2",
         environment("America/Los_Angeles", LANG=locale_other_than_c())),
    ]
    before = [source_digest(root) for root, *_ in runs]
    commands = []
    for root, cwd, jobs, env in runs:   # side by side: they must not disturb each other
        script = (f"{sys.executable} -m radio.cli build --all -j {jobs} && "
                  f"{sys.executable} -m radio.cli disc -j {jobs}")
        commands.append(subprocess.Popen(["sh", "-c", script], cwd=root / cwd, env=env,
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         text=True))
    for proc in commands:
        out, err = proc.communicate(timeout=1200)
        assert proc.returncode == 0, err
    assert [source_digest(root) for root, *_ in runs] == before
    first, second = (digests(root) for root, *_ in runs)
    assert first.keys() == second.keys()
    required = [name for name in first if name.endswith(MUST_MATCH)]
    assert {Path(name).suffix for name in required} == set(MUST_MATCH)
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, f"these outputs differ between the two builds: {differing}"


def test_espeak_variant_voices_are_the_same_from_one_helper_to_the_next():
    """A variant (f2: breath, roughness) draws random numbers that espeak-ng seeded from
    the clock: two helpers started in different seconds gave different audio."""
    import time

    from radio.speech.espeak import EspeakEngine

    text = "Cam Hà Tĩnh được quảng bá rộng rãi trên khắp cả nước."
    digests = []
    for attempt in range(2):
        if attempt:
            time.sleep(1.1)
        with EspeakEngine() as engine:
            samples, _rate = engine.synthesize(text, "vi-vn-x-central", 145, 75, 50,
                                               variant="f2")
        digests.append(hashlib.sha256(samples.tobytes()).hexdigest())
    assert digests[0] == digests[1]
