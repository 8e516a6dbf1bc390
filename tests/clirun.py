"""Running the real command line in a test, checking that the sources stay untouched.

``run_radio`` runs ``python -m radio.cli`` and, around it, hashes every file of the
production's ``scripts/``, ``takes/`` and ``audio_assets/`` (and radio.toml): a
command that changes a byte of them fails the test.  (``takes/<episode>/ids.tsv``
and the takes' ``.json`` sidecars are the tool's own records, written atomically,
and are left out; every recording is hashed.)  ``unprivileged`` runs it as
an ordinary user even when the suite runs as root (as CI does), for whom file
permissions do not apply.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

SOURCES = ("scripts", "takes", "audio_assets")
NOBODY = 65534


def production_root(cwd: Path) -> Path | None:
    for folder in (cwd, *cwd.parents):
        if (folder / "radio.toml").is_file():
            return folder
    return None


def source_digest(root: Path) -> dict[str, str]:
    """Every source file (and link) of a production -> its SHA-256 (or link target)."""
    found: dict[str, str] = {}
    if (root / "radio.toml").is_file():
        found["radio.toml"] = hashlib.sha256((root / "radio.toml").read_bytes()).hexdigest()
    for name in SOURCES:
        folder = root / name
        if not folder.exists():
            continue
        for path in sorted(folder.rglob("*")):
            key = str(path.relative_to(root))
            if name == "takes" and (path.name == "ids.tsv" or path.suffix == ".json"):
                continue   # the tool's own records beside the takes (paragraph ids, sidecars)
            if path.is_symlink():
                found[key] = "link:" + os.readlink(path)
            elif path.is_file():
                try:
                    found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
                except OSError as exc:
                    found[key] = f"unreadable:{exc.errno}"
    return found


def run_radio(args, cwd, *, user: int | None = None, env: dict | None = None,
              check_sources: bool = True, timeout: float = 300):
    """Run the real entry point in *cwd*; return (exit code, stdout, stderr)."""
    cwd = Path(cwd)
    root = production_root(cwd) if check_sources else None
    before = source_digest(root) if root else None
    proc = subprocess.run([*as_user(user), sys.executable, "-m", "radio.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})
    if root:
        assert source_digest(root) == before, f"`radio {' '.join(args)}` changed the sources"
    return proc.returncode, proc.stdout, proc.stderr


def as_user(uid: int | None) -> list[str]:
    """A command prefix that runs the command as *uid* without any capability."""
    if uid is None:
        return []
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all", "--"]


@contextmanager
def unprivileged(production: Path, spawns_python: bool = False):
    """A copy of *production* owned by an ordinary user, and that user's id.

    Under root the copy lives in a world-traversable temporary folder and belongs
    to 'nobody'; run commands in it with ``run_radio(..., user=uid)``.  As an
    ordinary user the copy is simply used as it is (uid None).  *spawns_python*:
    the command starts Python children (a build does), so that must work too.
    """
    if os.geteuid() != 0:
        yield production, None
        return
    if not shutil.which("setpriv"):
        pytest.skip("setpriv (util-linux) is needed to run a command as an ordinary user")
    code = "import radio.cli"
    if spawns_python:   # a build starts its speech helper and workers with sys.executable
        code += "; import subprocess, sys; subprocess.run([sys.executable, '-c', ''], check=True)"
    probe = subprocess.run([*as_user(NOBODY), sys.executable, "-c", code], capture_output=True,
                           cwd=tempfile.gettempdir())
    if probe.returncode != 0:
        pytest.skip("an unprivileged user cannot run this Python here (it lives in a private "
                    "folder): " + (probe.stderr.decode(errors="replace").strip().splitlines()
                                   or [""])[-1][-160:])
    folder = Path(tempfile.mkdtemp(prefix="radio-unprivileged-"))
    try:
        os.chmod(folder, 0o755)
        copy = folder / production.name
        shutil.copytree(production, copy, symlinks=True)
        for path in [copy, *copy.rglob("*")]:
            os.lchown(path, NOBODY, NOBODY)
        yield copy, NOBODY
    finally:
        shutil.rmtree(folder, ignore_errors=True)
