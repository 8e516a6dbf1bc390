"""Atomic writes and the build lock."""
import errno
import os
import subprocess
import sys
import time

import pytest

from radio.errors import BuildError, UserError
from radio.fsio import BuildLock, atomic_open, clean_stale_temporaries, write_bytes


def test_atomic_write_replaces_only_on_success(tmp_path):
    target = tmp_path / "out.bin"
    write_bytes(target, b"good")
    with pytest.raises(RuntimeError):
        with atomic_open(target) as fh:
            fh.write(b"half")
            raise RuntimeError("killed")
    assert target.read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_disk_full_keeps_previous_output(tmp_path, monkeypatch):
    target = tmp_path / "out.bin"
    write_bytes(target, b"good")
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(BuildError, match="disk is full"):
        write_bytes(target, b"new")
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert target.read_bytes() == b"good"
    assert len(list(tmp_path.iterdir())) == 1


def test_read_only_folder_is_a_clear_error(tmp_path, monkeypatch):
    import tempfile

    def refuse(*a, **k):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(UserError, match="Read-only"):
        write_bytes(tmp_path / "x", b"1")


def test_stale_temporaries_are_cleaned(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / ".episode1.wav.radio-tmp-abc").write_bytes(b"x")
    (tmp_path / "a" / "episode1.wav").write_bytes(b"keep")
    assert clean_stale_temporaries(tmp_path) == 1
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["episode1.wav"]


def test_lock_makes_a_second_build_wait(tmp_path):
    lock_path = tmp_path / "lock"
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys,time; from radio.fsio import BuildLock\n"
                               f"l=BuildLock({str(lock_path)!r}); l.acquire(); print('held', flush=True);"
                               "time.sleep(1.5); l.release()"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    waited = []
    start = time.monotonic()
    lock = BuildLock(lock_path, timeout_s=10)
    lock.acquire(on_wait=lambda: waited.append(True))
    lock.release()
    holder.wait()
    assert waited and time.monotonic() - start > 0.5


def test_lock_timeout_says_what_to_do(tmp_path):
    first = BuildLock(tmp_path / "lock")
    first.acquire()
    try:
        other = subprocess.run([sys.executable, "-c",
                                "from radio.fsio import BuildLock\n"
                                f"BuildLock({str(tmp_path / 'lock')!r}, timeout_s=0.3).acquire()"],
                               capture_output=True, text=True)
        assert "another radio build of this production is running" in other.stderr
    finally:
        first.release()


def test_writeback_syncs_a_growing_file_behind_its_writer(tmp_path, monkeypatch):
    # Every `every` bytes handed to the system, a thread of its own syncs the file,
    # so the fsync that publishes it finds little left; an error there is left to
    # that fsync, and closing waits for the thread.
    import threading

    from radio.fsio import Writeback

    synced, real_fsync = [], os.fsync

    def fsync(fd):
        synced.append((threading.current_thread().name, os.fstat(fd).st_size))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with atomic_open(tmp_path / "big.wav") as fh, Writeback(fh, every=1000) as writeback:
        for block in range(10):
            fh.write(b"x" * 600)
            fh.flush()
            writeback.wrote(600 * (block + 1))
        for _ in range(200):   # the thread catches up
            if len([n for n, _ in synced if n == "writeback"]) >= 1 and \
                    max(size for _, size in synced) >= 5400:
                break
            time.sleep(0.01)
    background = [size for name, size in synced if name == "writeback"]
    assert background and max(background) >= 5400   # synced while being written
    assert synced[-2:][0][0] != "writeback"           # then published by atomic_path
    assert (tmp_path / "big.wav").read_bytes() == b"x" * 6000
    assert not any(t.name == "writeback" for t in threading.enumerate())


def _fsync_failing_once(monkeypatch, thread_name: str = "writeback"):
    """os.fsync as Linux reports a failed writeback: to the first fsync after it
    (here the first one from *thread_name*), then never again."""
    import threading

    real_fsync, failed = os.fsync, []

    def fsync(fd):
        if not failed and threading.current_thread().name == thread_name:
            failed.append(fd)
            raise OSError(errno.EIO, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return failed


def test_writeback_reports_a_failed_sync_to_the_writer(tmp_path, monkeypatch):
    # The system reports a failed writeback once: the final fsync would not see it,
    # so the thread hands it to the writer (its next block, or the close).
    from radio.fsio import Writeback

    failed = _fsync_failing_once(monkeypatch)
    with open(tmp_path / "f", "wb") as fh:
        writeback = Writeback(fh, every=1)
        writeback.wrote(10)
        for total in range(20, 420):   # the writer goes on until it hears of it
            try:
                writeback.wrote(total)
            except OSError as exc:
                assert "Input/output" in str(exc)
                break
            time.sleep(0.005)
        else:
            pytest.fail("the writer never heard of the failed fsync")
        assert failed
        with pytest.raises(OSError, match="Input/output"):
            writeback.close()


def test_a_failed_writeback_keeps_the_previous_output(tmp_path, monkeypatch):
    from radio.errors import BuildError
    from radio.fsio import Writeback

    target = tmp_path / "episode1.wav"
    target.write_bytes(b"the last good build")
    failed = _fsync_failing_once(monkeypatch)
    with pytest.raises(BuildError, match="episode1.wav"):
        with atomic_open(target) as fh, Writeback(fh, every=100) as writeback:
            fh.write(b"x" * 200)
            fh.flush()
            writeback.wrote(200)
            for _ in range(200):   # the thread meets the error while the writer goes on
                if failed:
                    break
                time.sleep(0.01)
            fh.write(b"y" * 10)   # then the writer closes: no later fsync reports it
    assert target.read_bytes() == b"the last good build"
    assert [p.name for p in tmp_path.iterdir()] == ["episode1.wav"]
