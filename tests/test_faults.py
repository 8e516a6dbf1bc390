"""Faults: builds killed at random moments, two builds at once, a full disk, a read-only
output folder.  Afterwards every file at a final path is complete and valid (or absent),
the caches are sound, no child process is left, and the next build gives exactly the
bytes of a clean build.

The kill trials are bounded (RADIO_KILL_TRIALS, default 20, on the small fixture); set
RADIO_KILL_SEED to replay a run (the seed is printed on failure).
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest

from clirun import run_radio, source_digest, unprivileged
from conftest import ROOTS, ffmpeg_exe
from radio.fsio import TMP_MARK

TRIALS = int(os.environ.get("RADIO_KILL_TRIALS", "20"))
SEED = int(os.environ.get("RADIO_KILL_SEED", str(int(time.time()) % 100000)))


# ------------------------------------------------------------------ helpers

def start(args, cwd) -> subprocess.Popen:
    """`radio ARGS` in its own process group (as a shell would run it)."""
    return subprocess.Popen([sys.executable, "-m", "radio.cli", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def group_members(pgid: int) -> list[tuple[int, str]]:
    """Live (not zombie) processes of a process group: (pid, command)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        state, group = fields[0], int(fields[2])
        if group == pgid and state not in ("Z", "X"):
            found.append((int(entry.name), cmdline.strip()[:120]))
    return found


def wait_group_gone(pgid: int, timeout_s: float = 10.0) -> list:
    deadline = time.monotonic() + timeout_s
    while (left := group_members(pgid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def outputs(root: Path) -> dict[str, str]:
    """Every final file under output/ -> SHA-256 (temporaries left out)."""
    found = {}
    for path in sorted((root / "output").rglob("*")):
        if path.is_file() and TMP_MARK not in path.name:
            found[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def temporaries(root: Path) -> list[str]:
    return [str(p) for folder in ("output", ".radio") for p in (root / folder).rglob(f"*{TMP_MARK}*")]


def check_wav(path: Path) -> str | None:
    data = path.read_bytes()
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return "not a RIFF/WAVE file"
    if struct.unpack("<I", data[4:8])[0] + 8 != len(data):
        return f"RIFF length {struct.unpack('<I', data[4:8])[0] + 8} != file size {len(data)}"
    offset, seen = 12, set()
    while offset < len(data):
        if offset + 8 > len(data):
            return "a chunk header is cut"
        name, size = data[offset:offset + 4], struct.unpack("<I", data[offset + 4:offset + 8])[0]
        seen.add(name)
        offset += 8 + size + (size & 1)
        if offset > len(data):
            return f"chunk {name!r} runs past the end of the file"
    if b"data" not in seen or b"fmt " not in seen:
        return "no fmt or data chunk"
    return None


def check_mp3(path: Path) -> str | None:
    proc = subprocess.run([ffmpeg_exe(), "-v", "error", "-nostdin", "-i", str(path), "-f", "null",
                           "-"], capture_output=True, text=True)
    if proc.returncode != 0 or proc.stderr.strip():
        return "does not decode: " + proc.stderr.strip()[-200:]
    return None


def check_iso(path: Path) -> str | None:
    from radio.disc.iso import IsoReader

    try:
        with IsoReader(path) as reader:
            if not reader.files():
                return "an empty file system"
    except Exception as exc:   # pycdlib's errors, struct errors on a cut image...
        return f"pycdlib cannot read it: {exc!r}"
    return None


def check_disc_texts(path: Path) -> str | None:
    text = path.read_bytes().decode("ascii")
    folder = path.parent
    if path.suffix in (".cue", ".toc"):
        for line in text.splitlines():
            if line.strip().startswith("FILE"):
                name = line.split('"')[1]
                if not (folder / name).is_file():
                    return f"names {name}, which is not there"
    if path.name == "SHA256SUMS":
        for line in text.splitlines():
            digest, name = line.split(maxsplit=1)
            target = folder / name.lstrip("*")
            if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() != digest:
                return f"{name} does not match its sum"
    return None


def check_manifest(path: Path) -> str | None:
    data = json.loads(path.read_text(encoding="utf-8"))
    for record in data.get("files", []):
        target = path.parent / record["name"]
        if not target.is_file() or target.stat().st_size != record["size"]:
            return f"{record['name']} is missing or not the size the manifest records"
    return None


def check_final_files(root: Path) -> list[str]:
    """Every file at a final path must be complete and valid."""
    bad = []
    for path in sorted((root / "output").rglob("*")):
        if not path.is_file() or TMP_MARK in path.name:
            continue
        try:
            suffix = path.suffix
            if suffix == ".wav":
                problem = check_wav(path)
            elif suffix == ".mp3":
                problem = check_mp3(path)
            elif path.name == "manifest.json":
                problem = check_manifest(path)
            elif suffix == ".json":
                json.loads(path.read_text(encoding="utf-8"))
                problem = None
            elif suffix == ".iso":
                problem = check_iso(path)
            elif suffix == ".bin":
                size = path.stat().st_size
                problem = None if size and size % 2352 == 0 else f"{size} bytes"
            elif suffix in (".cue", ".toc") or path.name == "SHA256SUMS":
                problem = check_disc_texts(path)
            else:
                path.read_bytes().decode("utf-8")
                problem = None
        except (ValueError, UnicodeDecodeError) as exc:
            problem = repr(exc)
        if problem:
            bad.append(f"{path.relative_to(root)}: {problem}")
    return bad


def check_caches(root: Path) -> list[str]:
    """No cache entry is corrupt: speech WAVs, decoded sources, build state."""
    bad = []
    state = root / ".radio"
    for path in (state / "cache" / "speech").rglob("*.wav"):
        if TMP_MARK in path.name:
            continue
        try:
            with wave.open(str(path)) as wav:
                frames = wav.getnframes()
                if not frames or len(wav.readframes(frames)) != frames * 2:
                    bad.append(f"{path}: incomplete speech")
        except (wave.Error, EOFError) as exc:
            bad.append(f"{path}: {exc}")
    for meta in (state / "cache" / "sources").rglob("*.json"):
        if TMP_MARK in meta.name:
            continue
        try:
            info = json.loads(meta.read_text())
        except ValueError as exc:
            bad.append(f"{meta}: {exc}")
            continue
        data = meta.with_suffix(".f32")
        if data.exists() and data.stat().st_size != info["frames"] * info["channels"] * 4:
            bad.append(f"{data}: {data.stat().st_size} bytes for {info['frames']} frames")
    for path in (state / "build").rglob("*.json"):
        if TMP_MARK not in path.name:
            try:
                json.loads(path.read_text())
            except ValueError as exc:
                bad.append(f"{path}: {exc}")
    return bad


@pytest.fixture(scope="module")
def reference(tmp_path_factory, example_assets):
    """A clean `radio build --all` then `radio disc` of the mini production: its outputs,
    how long each took, and where it is."""
    root = tmp_path_factory.mktemp("reference") / "mini"
    shutil.copytree(ROOTS / "mini", root)
    shutil.copytree(example_assets, root / "audio_assets")
    durations = []
    for args in (["build", "--all"], ["disc"]):
        began = time.monotonic()
        code, out, err = run_radio(args, root)
        assert code == 0, err
        durations.append(time.monotonic() - began)
    return outputs(root), durations, root


def _json_differences(root: Path, reference_root: Path, names: list[str]) -> dict:
    """For a report that differs, the fields that do (what a failure must show)."""
    found = {}
    for name in names:
        if name.endswith(".json") and (reference_root / name).is_file() and (root / name).is_file():
            got = json.loads((root / name).read_text(encoding="utf-8"))
            want = json.loads((reference_root / name).read_text(encoding="utf-8"))
            keys = set(got) | set(want) if isinstance(got, dict) and isinstance(want, dict) else []
            found[name] = {k: (got.get(k), want.get(k)) for k in sorted(keys)
                           if got.get(k) != want.get(k)}
    return found


def fresh_copy(base: Path, example_assets: Path, name: str) -> Path:
    root = base / name
    shutil.copytree(ROOTS / "mini", root)
    shutil.copytree(example_assets, root / "audio_assets")
    return root


# ------------------------------------------------------------------ the kill trials

# What a trial starts from: everything to do (no cache), the masters to redo from the
# cache, or only the disc to write.
RESETS = {"cold": ("output", ".radio"), "warm": ("output",), "disc": ("output/disc",)}


def test_builds_killed_at_random_moments(tmp_path, example_assets, reference):
    """SIGKILL to the whole process group of `radio build --all` or `radio disc` at a
    random moment of its work; then the checks, then `radio disc` (which builds what
    is missing first) must give exactly the bytes of a clean build."""
    expected, (build_s, disc_s), reference_root = reference
    rng = random.Random(SEED)
    root = fresh_copy(tmp_path, example_assets, "mini")
    sources = source_digest(root)
    log = []
    began = time.monotonic()
    for trial in range(TRIALS):
        reset = rng.choice(sorted(RESETS))
        for folder in RESETS[reset]:
            shutil.rmtree(root / folder, ignore_errors=True)
        if reset == "disc":
            args, work_s = ["disc"], disc_s
        else:
            args = rng.choice([["build", "--all"], ["build", "--all", "-j", "2"], ["disc"]])
            work_s = build_s + (disc_s if args == ["disc"] else 0)
        delay = rng.uniform(0.3, work_s)
        proc = start(args, root)
        try:
            proc.wait(timeout=delay)
            outcome = f"finished first ({proc.returncode})"
            assert proc.returncode == 0, proc.stderr.read()
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            outcome = "killed"
        left = wait_group_gone(proc.pid)
        log.append(f"seed {SEED} trial {trial} ({reset}): {' '.join(args)} after {delay:.2f} s "
                   f"of ~{work_s:.1f} s: {outcome}; {len(temporaries(root))} temporaries left")
        assert not left, (log[-1], "processes outlived the build:", left)
        assert not check_final_files(root), (log[-1], check_final_files(root))
        assert not check_caches(root), (log[-1], check_caches(root))
        code, out, err = run_radio(["disc"], root)   # the next build, then the disc
        assert code == 0, (log[-1], err)
        assert not temporaries(root), (log[-1], temporaries(root))
        got = outputs(root)
        differing = sorted(k for k in set(got) | set(expected) if got.get(k) != expected.get(k))
        assert not differing, (log[-1], "not byte-identical to a clean build:", differing,
                               _json_differences(root, reference_root, differing))
        assert source_digest(root) == sources, (log[-1], "the sources changed")
    print(f"{TRIALS} kill trials in {time.monotonic() - began:.0f} s:\n" + "\n".join(log))
    assert sum("killed" in line for line in log) >= TRIALS // 2, log


def test_killing_only_the_build_stops_its_children(tmp_path, example_assets):
    """SIGKILL to the build process alone (not its group), while its workers, the speech
    helpers and ffmpeg run: all of them stop at once and nothing is written afterwards."""
    root = fresh_copy(tmp_path, example_assets, "mini")
    proc = start(["build", "--all", "-j", "2"], root)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        members = group_members(proc.pid)
        if len(members) >= 4 or proc.poll() is not None:   # build, 2 workers, helpers...
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the build ended before it had children to kill"
    children = [m for m in group_members(proc.pid) if m[0] != proc.pid]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    left = wait_group_gone(proc.pid, timeout_s=5)
    assert not left, ("children outlived the build", left, "had", children)
    snapshot = {str(p): (p.stat().st_size, p.stat().st_mtime_ns)
                for p in root.rglob("*") if p.is_file()}
    time.sleep(1.0)
    assert snapshot == {str(p): (p.stat().st_size, p.stat().st_mtime_ns)
                        for p in root.rglob("*") if p.is_file()}, "something kept writing"
    assert not check_final_files(root) and not check_caches(root)


# ------------------------------------------------------------------ two builds at once

def test_two_builds_at_once_wait_for_each_other(tmp_path, example_assets, reference):
    expected, _durations, _root = reference
    root = fresh_copy(tmp_path, example_assets, "mini")
    first = start(["build", "--all"], root)
    deadline = time.monotonic() + 30
    owner = root / ".radio" / "lock.owner"   # written once the first build holds the lock
    while time.monotonic() < deadline and not (owner.exists() and owner.read_text().strip()):
        time.sleep(0.02)
    second = start(["build", "--all", "-j", "2"], root)
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)
    assert first.returncode == 0 and second.returncode == 0, (err1, err2)
    assert "waiting for another build of this production" in out2 + err2
    assert "everything is up to date" in out2 + err2      # it built nothing twice
    code, out, err = run_radio(["disc"], root)
    assert code == 0, err
    got = outputs(root)
    assert got == expected, sorted(k for k in got if got[k] != expected.get(k))


def test_a_build_that_cannot_get_the_lock_says_why(production):
    from radio.fsio import BuildLock

    lock = BuildLock(production / ".radio" / "lock")
    lock.acquire()
    try:
        script = ("import sys, radio.fsio as f\n"
                  "f.BuildLock.__init__.__defaults__ = (0.5,)\n"
                  "from radio.cli import main\nsys.exit(main(['build', '--all']))\n")
        proc = subprocess.run([sys.executable, "-c", script], cwd=production,
                              capture_output=True, text=True, timeout=120)
    finally:
        lock.release()
    assert proc.returncode == 2, proc.stderr
    assert "another radio build of this production is running" in proc.stderr
    assert "wait for it to finish, then build again" in proc.stderr
    assert "Traceback" not in proc.stderr


# ------------------------------------------------------------------ disk full, read-only

# A sitecustomize.py that injects faults at the writer, in the build and in each of its
# worker processes: with RADIO_TEST_DISK_LEFT=N, every file the tool writes under a
# temporary name (the atomic writer's) fails with ENOSPC once N bytes went into it (the
# disk fills up); with RADIO_TEST_READ_ONLY=FOLDER, creating a file in FOLDER fails with
# EROFS (a read-only file system: root is refused too).
FAULTS = r"""
import builtins, errno, os, tempfile

LIMIT = int(os.environ.get("RADIO_TEST_DISK_LEFT", "-1"))
READ_ONLY = os.environ.get("RADIO_TEST_READ_ONLY")
real_open, real_mkstemp = builtins.open, tempfile.mkstemp


class Full:
    def __init__(self, fh):
        self._fh, self._written = fh, 0

    def write(self, data):
        self._written += len(data)
        if self._written > LIMIT:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self._fh.write(data)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()

    def __getattr__(self, name):
        return getattr(self._fh, name)


def filling_open(file, mode="r", *args, **kwargs):
    fh = real_open(file, mode, *args, **kwargs)
    if any(m in mode for m in "wax+") and ".radio-tmp-" in str(file):
        return Full(fh)
    return fh


def read_only_mkstemp(*args, dir=None, **kwargs):
    if dir is not None and os.path.realpath(dir) == os.path.realpath(READ_ONLY):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))
    return real_mkstemp(*args, dir=dir, **kwargs)


if LIMIT >= 0:
    builtins.open = filling_open
if READ_ONLY:
    tempfile.mkstemp = read_only_mkstemp
"""


def run_with_faults(args, cwd, tmp_path: Path, **faults):
    site = tmp_path / "faults-site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(FAULTS)
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(site),
                                                        os.environ.get("PYTHONPATH")])),
           **{f"RADIO_TEST_{key.upper()}": str(value) for key, value in faults.items()}}
    return run_radio(args, cwd, env=env)


@pytest.mark.parametrize("command", [["build", "--all"], ["disc"]])
def test_disk_full_is_a_clear_error_and_keeps_previous_outputs(production, command, tmp_path):
    code, out, err = run_radio(["build", "--all"], production)
    assert code == 0, err
    if command == ["disc"]:
        code, out, err = run_radio(["disc"], production)
        assert code == 0, err
    # An edit makes episode1 out of date (its title is in the tags) and so the disc.
    script = production / "scripts" / "episode1.md"
    script.write_text(script.read_text(encoding="utf-8").replace("thử nghiệm", "thử lại"),
                      encoding="utf-8")
    if command == ["disc"]:   # the disk fills up while the disc is written
        code, out, err = run_radio(["build", "--all"], production)
        assert code == 0, err
    before = outputs(production)
    code, out, err = run_with_faults(command, production, tmp_path, disk_left=200_000)
    assert code == 1, (out, err)
    assert "the disk is full while writing" in err and "the previous output is intact" in err
    assert "Traceback" not in err
    assert outputs(production) == before
    assert not temporaries(production), temporaries(production)
    assert not check_final_files(production) and not check_caches(production)


def _edit_and_build_first(root: Path, command, user=None) -> None:
    """Make episode1 out of date; for the disc, build the episodes first (the disc
    folder is the one that cannot be written)."""
    script = root / "scripts" / "episode1.md"
    script.write_text(script.read_text(encoding="utf-8").replace("thử nghiệm", "thử lại"),
                      encoding="utf-8")
    if command == ["disc"]:
        code, out, err = run_radio(["build", "--all"], root, user=user)
        assert code == 0, err


def _locked_folders(root: Path, command) -> list[Path]:
    if command == ["disc"]:
        return [root / "output" / "disc"]
    return [root / "output" / "episode1"]


def _assert_refused(code, out, err, what: str) -> None:
    assert code == 2, (out, err)
    assert "cannot write" in err and what in err, err
    assert "make the output folder writable; the previous output is intact" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", [["build", "--all"], ["disc"]])
def test_read_only_output_folder_is_a_clear_error(production, command, tmp_path):
    """EROFS injected at the writer: even root cannot write there."""
    for args in (["build", "--all"], ["disc"]):
        code, out, err = run_radio(args, production)
        assert code == 0, err
    _edit_and_build_first(production, command)
    before = outputs(production)
    [folder] = _locked_folders(production, command)
    code, out, err = run_with_faults(command, production, tmp_path, read_only=folder)
    _assert_refused(code, out, err, "Read-only file system")
    assert outputs(production) == before
    assert not temporaries(production) and not check_final_files(production)


@pytest.mark.parametrize("command", [["build", "--all"], ["disc"]])
def test_unwritable_output_folder_as_an_ordinary_user(production, command):
    """The same with real permissions, as an ordinary user (CI runs as root)."""
    for args in (["build", "--all"], ["disc"]):
        code, out, err = run_radio(args, production)
        assert code == 0, err
    with unprivileged(production, spawns_python=True) as (copy, uid):
        _edit_and_build_first(copy, command, uid)
        before = outputs(copy)
        folders = _locked_folders(copy, command)
        for folder in folders:
            folder.chmod(0o555)
        try:
            code, out, err = run_radio(command, copy, user=uid)
        finally:
            for folder in folders:
                folder.chmod(0o755)
        _assert_refused(code, out, err, "Permission denied")
        assert outputs(copy) == before
        assert not check_final_files(copy)
