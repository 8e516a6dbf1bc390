"""Safe file output: every file the tool writes goes through here.

A file at its final path is always complete: we write a temporary file in the
same folder, flush and fsync it, then rename it over the target.  A killed
build leaves only ``.<name>.radio-tmp-*`` files, which the next build removes.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
from pathlib import Path
from typing import IO, Iterator

from .errors import BuildError, UserError, os_reason
from .i18n import _l

TMP_MARK = ".radio-tmp-"


def explain_os_error(exc: OSError, path: Path) -> BuildError | UserError:
    if exc.errno == errno.ENOSPC:
        return BuildError(_l("the disk is full while writing {path}", path=path),
                          hint=_l("free some space and build again; the previous output is "
                                  "intact"))
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return UserError(_l("cannot write {path}: {reason}", path=path, reason=os_reason(exc)),
                         hint=_l("make the output folder writable; the previous output is "
                                 "intact"))
    return BuildError(_l("cannot write {path}: {reason}", path=path, reason=os_reason(exc)))


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside *path*; rename it over *path* on success.

    For tools (ffmpeg, pycdlib) that want a file name rather than a file object.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}{TMP_MARK}", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise explain_os_error(exc, path) from exc
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
        _fsync_folder(path.parent)   # the rename itself survives a power cut
    except OSError as exc:
        _unlink_quietly(tmp_path)
        raise explain_os_error(exc, path) from exc
    except BaseException:
        _unlink_quietly(tmp_path)
        raise


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "wb",
                encoding: str | None = None, newline: str | None = None) -> Iterator[IO]:
    """Open a temporary file beside *path* for writing; publish it on success."""
    with atomic_path(path) as tmp:
        try:
            with open(tmp, mode, encoding=encoding, newline=newline) as fh:
                yield fh
                fh.flush()
        except OSError as exc:
            raise explain_os_error(exc, Path(path)) from exc


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike) -> Iterator[Path]:
    """Yield an empty temporary folder beside *path*; put it in place of *path* (a
    folder, replaced whole) on success.  Until then *path* keeps its old content, and
    a failure leaves it untouched: a folder that is used as one (an upload package)
    is never half old and half new."""
    import shutil

    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}{TMP_MARK}", dir=path.parent))
    except OSError as exc:
        raise explain_os_error(exc, path) from exc
    try:
        yield tmp
        os.chmod(tmp, 0o755)
        old = None
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}{TMP_MARK}old-", dir=path.parent))
            os.replace(path, old / path.name)
        try:
            os.replace(tmp, path)
        except OSError:
            if old is not None:
                os.replace(old / path.name, path)
            raise
        _fsync_folder(path.parent)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise explain_os_error(exc, path) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def remove_stale_folders(parent: str | os.PathLike) -> None:
    """Temporary folders of ``atomic_folder`` that a killed run left in *parent*."""
    import shutil

    for tmp in Path(parent).glob(f".*{TMP_MARK}*"):
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_open(path, "wb") as fh:
        fh.write(data)


def write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8",
               newline: str | None = "\n") -> None:
    with atomic_open(path, "w", encoding=encoding, newline=newline) as fh:
        fh.write(text)


WRITEBACK_BYTES = 16 << 20


class Writeback:
    """Puts a large file that is being written onto the disk as it goes, from a
    thread of its own, so that the fsync that publishes it (``atomic_path``)
    finds little left to write: a 10-minute WAV is 100 MB, which the system
    otherwise keeps in memory until that fsync, at the end of the build.

    The writer calls :meth:`wrote` with the bytes it has handed to the system so
    far; every *every* bytes the thread syncs the file while the writer goes on.
    An error there is raised to the writer, by its next :meth:`wrote` or by
    :meth:`close`: the system reports a failed writeback once (Linux marks it
    seen), so the fsync that publishes the file would not report it again.
    :meth:`close` (or the end of a ``with``) waits for the thread: call it
    before the file is closed.
    """

    def __init__(self, fh, every: int = WRITEBACK_BYTES):
        import threading

        self._fd, self._every = fh.fileno(), every
        self._synced = self._asked = 0
        self._wake = threading.Condition()
        self._closed = False
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._run, name="writeback", daemon=True)
        self._thread.start()

    def wrote(self, total: int) -> None:
        if self._error is not None:
            raise self._error
        if total - self._asked >= self._every:
            with self._wake:
                self._asked = total
                self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._asked == self._synced and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
                self._synced = self._asked
            try:
                os.fsync(self._fd)
            except OSError as exc:   # for the writer: nobody else will hear of it
                self._error = exc
                return

    def close(self) -> None:
        """Wait for the thread; raise the error its fsync met, if any."""
        with self._wake:
            self._closed = True
            self._wake.notify()
        self._thread.join()
        if self._error is not None:
            raise self._error

    def __enter__(self) -> "Writeback":
        return self

    def __exit__(self, kind, *exc) -> None:
        try:
            self.close()
        except OSError:
            if kind is None:   # else the error already under way goes on
                raise


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def clean_stale_temporaries(root: str | os.PathLike) -> int:
    """Remove temporary files that a killed build left under *root*."""
    removed = 0
    root = Path(root)
    if not root.exists():
        return 0
    for tmp in root.rglob(f"*{TMP_MARK}*"):
        if tmp.is_file():
            _unlink_quietly(tmp)
            removed += 1
    return removed


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


_HASHER = None


def update_both(first, second, data: bytes) -> None:
    """``first.update(data)`` and ``second.update(data)`` at the same time, on two
    cores (hashlib lets go of the GIL for large buffers): the disc hashes the
    same bytes twice in several places (whole file and block, samples and
    sectors)."""
    global _HASHER
    if len(data) < 1 << 16:
        first.update(data)
        second.update(data)
        return
    if _HASHER is None:
        from concurrent.futures import ThreadPoolExecutor

        _HASHER = ThreadPoolExecutor(1, thread_name_prefix="hash")
    done = _HASHER.submit(first.update, data)
    second.update(data)
    done.result()


class BuildLock:
    """An exclusive lock on the production's build state (``filelock``: ``flock`` on
    POSIX, ``msvcrt`` locking on Windows; the system releases it when a build dies).

    Two builds of one production never interleave: the second waits (up to
    *timeout_s*) and then says so.  The holder's process id is written beside the
    lock (``lock.owner``), for a person looking at a stuck production.
    """

    def __init__(self, path: str | os.PathLike, timeout_s: float = 600.0):
        self.path = Path(path)
        self.timeout_s = timeout_s
        self._lock = None

    @property
    def owner_path(self) -> Path:
        return self.path.with_name(self.path.name + ".owner")

    def acquire(self, on_wait=None) -> None:
        from filelock import FileLock, Timeout

        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self.path, is_singleton=False)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if on_wait:
                on_wait()
            try:
                lock.acquire(timeout=self.timeout_s, poll_interval=0.1)
            except Timeout:
                raise UserError(_l("another radio build of this production is running"),
                                path=self.path,
                                hint=_l("wait for it to finish, then build again")) from None
        self._lock = lock
        with contextlib.suppress(OSError):
            write_text(self.owner_path, f"{os.getpid()}\n")

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> "BuildLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def read_input(path: Path, shown: str | Path | None = None, noun: str = "file") -> bytes:
    """The bytes of a file the user gave us, or a UserError that says why not."""
    try:
        return Path(path).read_bytes()
    except IsADirectoryError:
        message = (_l("this is a folder, not a script") if noun == "script" else
                   _l("this is a folder, not a file"))
        raise UserError(message, path=shown or path) from None
    except OSError as exc:
        message = (_l("cannot read the script: {reason}", reason=os_reason(exc))
                   if noun == "script" else
                   _l("cannot read the file: {reason}", reason=os_reason(exc)))
        raise UserError(message, path=shown or path) from None
