"""Windows, simulated on Linux: no ``os.fork`` and no POSIX-only modules (``fcntl``...).

Every Python process of the run (the command, its spawned workers, the espeak-ng
helper) loads ``tests/windows_sim/sitecustomize.py``, which removes the fork calls and
makes ``import fcntl`` (and termios, pty, grp, pwd, resource) fail as on Windows, and
logs who tried.  Standard output is cp1258, as a redirected console is on Vietnamese
Windows.  A tiny production is checked, built with two workers, mastered and verified,
and must come out byte for byte as on Linux.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SIM = Path(__file__).parent / "windows_sim"
PACKAGE = Path(__file__).resolve().parent.parent / "radio"
OUTPUTS = ("output/episode1/episode1.wav", "output/episode1/episode1.mp3",
           "output/episode2/episode2.wav", "output/disc/THU_NGHIEM_NHAP.bin",
           "output/disc/THU_NGHIEM_NHAP.iso")


def radio(args, cwd: Path, env: dict, stdout=subprocess.PIPE):
    return subprocess.run([sys.executable, "-m", "radio.cli", *args], cwd=cwd, env=env,
                          stdout=stdout, stderr=subprocess.PIPE, timeout=600)


def windows_env(log: Path) -> dict:
    path = os.pathsep.join(p for p in (str(SIM), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path, "RADIO_SIM_LOG": str(log),
            "PYTHONIOENCODING": "cp1258", "LANG": "vi_VN.UTF-8"}


def digests(root: Path) -> dict[str, str]:
    return {name: hashlib.sha256((root / name).read_bytes()).hexdigest() for name in OUTPUTS}


@pytest.fixture
def linux_outputs(tmp_path, production) -> dict[str, str]:
    """The same production built and mastered the ordinary way (fork, fcntl)."""
    copy = tmp_path / "linux"
    shutil.copytree(production, copy)
    for args in (["build", "--all", "-j", "2"], ["disc"]):
        proc = radio(["-q", *args], copy, dict(os.environ))
        assert proc.returncode == 0, proc.stderr.decode()
    return digests(copy)


def test_the_simulation_takes_fork_and_fcntl_away(tmp_path):
    log = tmp_path / "imports.log"
    code = ("import os, sys\nassert not hasattr(os, 'fork')\n"
            "try:\n    import fcntl\nexcept ImportError:\n    sys.exit(0)\nsys.exit(3)\n")
    proc = subprocess.run([sys.executable, "-c", code], env=windows_env(log))
    assert proc.returncode == 0
    assert log.read_text(encoding="utf-8").startswith("fcntl\t")


def test_a_production_on_simulated_windows(tmp_path, production, linux_outputs):
    log = tmp_path / "imports.log"
    env = windows_env(log)
    with open(production / "log.txt", "wb") as out:   # radio check > log.txt
        proc = radio(["check"], production, env, stdout=out)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 0, err
    text = (production / "log.txt").read_text(encoding="utf-8")   # UTF-8, not cp1258
    assert "Cam Hà Tĩnh – thử nghiệm" in text and "Traceback" not in err
    for args in (["build", "--all", "-j", "2"], ["disc"],
                 ["verify", "output/disc/THU_NGHIEM_NHAP.cue"]):
        proc = radio(args, production, env)
        assert proc.returncode == 0, (args, proc.stderr.decode("utf-8"))
        proc.stdout.decode("utf-8")
    # the no-fork voice (one process per paragraph) and spawned workers: the same bytes
    assert digests(production) == linux_outputs
    tried = [line.split("\t") for line in log.read_text(encoding="utf-8").splitlines()]
    ours = [(module, where) for module, where in tried if where.startswith(str(PACKAGE))]
    assert not ours, ours
