"""Running the real command line in a test, checking that the sources stay untouched.

``run_radio`` runs ``python -m radio.cli`` and, around it, hashes every file of the
production's ``scripts/``, ``takes/`` and ``audio_assets/`` (and radio.toml): a
command that changes a byte of them fails the test.  (``takes/<episode>/ids.tsv``
and the takes' ``.json`` sidecars are the tool's own records, written atomically,
and are left out; every recording is hashed.)  ``unprivileged`` runs it as
an ordinary user even when the suite runs as root (as CI does), for whom file
permissions do not apply.  When that user cannot reach this interpreter or its
packages (a virtual environment under a private home, as on CI), the commands run
with a copy of the package and of the environment's packages in a world-readable
temporary folder, under a system interpreter of the same Python version.
"""
from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

SOURCES = ("scripts", "takes", "audio_assets")
NOBODY = 65534
PACKAGE = Path(__file__).resolve().parent.parent / "radio"
_REACHABLE: dict[int, tuple[str, dict[str, str]]] = {}   # uid -> (python, environment)
_PORTABLE: dict[str, str] = {}    # the environment of the package's portable copy, once made


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
            if name == "takes" and (path.name == "ids.tsv" or path.suffix == ".json"
                                    or ".radio-tmp-" in path.name):
                # The tool's own records beside the takes (paragraph ids, sidecars),
                # and such a record's temporary left by a killed build (the next removes it).
                continue
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
    python, reach = _REACHABLE.get(user, (sys.executable, {})) if user is not None \
        else (sys.executable, {})
    proc = subprocess.run([*as_user(user), python, "-m", "radio.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **reach, **(env or {})})
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
    _REACHABLE[NOBODY] = _reachable_python(spawns_python)
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


def _probe(python: str, env: dict[str, str], spawns_python: bool) -> str | None:
    """None when *python* runs `import radio.cli` (and a child) as NOBODY, else why not."""
    code = "import radio.cli"
    if spawns_python:   # a build starts its speech helper and workers with sys.executable
        code += "; import subprocess, sys; subprocess.run([sys.executable, '-c', ''], check=True)"
    proc = subprocess.run([*as_user(NOBODY), python, "-c", code], capture_output=True,
                          cwd=tempfile.gettempdir(), env={**os.environ, **env})
    if proc.returncode == 0:
        return None
    return (proc.stderr.decode(errors="replace").strip().splitlines() or [""])[-1][-160:]


def _reachable_python(spawns_python: bool) -> tuple[str, dict[str, str]]:
    """An interpreter and environment with which NOBODY runs this very package."""
    if _probe(sys.executable, {}, spawns_python) is None:
        return sys.executable, {}
    env = _portable_environment()
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [sys.executable, shutil.which(version), f"/usr/bin/{version}",
                  f"/usr/local/bin/{version}"]
    reasons = []
    for python in dict.fromkeys(c for c in candidates if c and os.path.exists(c)):
        why = _probe(python, env, spawns_python)
        if why is None:
            return python, env
        reasons.append(f"{python}: {why}")
    message = ("no Python an ordinary user can run was found (install "
               f"{version} system-wide): " + "; ".join(reasons))
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run the unprivileged tests: {message}")
    pytest.skip(message)


def _portable_environment() -> dict[str, str]:
    """PYTHONPATH for a copy of the package and (hard links to) the environment's
    packages in a world-readable temporary folder, made once per test session."""
    if _PORTABLE:
        return _PORTABLE
    folder = Path(tempfile.mkdtemp(prefix="radio-portable-"))
    atexit.register(shutil.rmtree, folder, True)
    shutil.copytree(PACKAGE, folder / "package" / "radio",
                    ignore=shutil.ignore_patterns("__pycache__"))
    ignore = shutil.ignore_patterns("__editable__*", "radio-*.dist-info", "radio.egg-link")
    paths = [folder / "package"]
    for index, site in enumerate(dict.fromkeys(sysconfig.get_paths()[k]
                                               for k in ("purelib", "platlib"))):
        if os.path.isdir(site):
            paths.append(folder / f"site{index}")
            shutil.copytree(site, paths[-1], ignore=ignore, copy_function=_link_or_copy,
                            symlinks=True)
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            os.chmod(path, 0o755)
    _PORTABLE.update(PYTHONPATH=os.pathsep.join(map(str, paths)), PYTHONNOUSERSITE="1")
    return _PORTABLE


def _link_or_copy(source: str, target: str) -> None:
    """A hard link when the file is already world-readable (fast, no disk), else a copy
    made readable."""
    mode = os.stat(source).st_mode
    if mode & 0o004:
        try:
            os.link(source, target)
            return
        except OSError:
            pass
    shutil.copy2(source, target)
    os.chmod(target, mode | 0o444 | (0o111 if mode & 0o100 else 0))
