"""The MP3 encoder's core (Linux): while LAME runs it has the first core to itself
and the build's threads share the others; every thread gets every core back when
it ends, when it is aborted, and as soon as another program keeps it waiting on
its core.  Real processes and the kernel's own affinity masks throughout."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from radio import procs
from radio.targets import mp3

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
    reason="core affinity is set on Linux with two cores or more")

BUSY = [sys.executable, "-c", "while True: pass"]


def our_masks() -> set[frozenset[int]]:
    """The affinity of every thread of this process."""
    masks = set()
    for tid in os.listdir("/proc/self/task"):
        try:
            masks.add(frozenset(os.sched_getaffinity(int(tid))))
        except OSError:
            pass
    return masks


@pytest.fixture
def mask():
    before = os.sched_getaffinity(0)
    yield before
    procs._set_affinity(procs._tasks(os.getpid()), before)   # whatever a test did


def pcm(seconds: float) -> np.ndarray:
    rng = np.random.default_rng(1)
    return (rng.standard_normal((int(seconds * 44100), 2)) * 3000).astype(np.int16)


def test_lame_has_a_core_of_its_own_while_it_encodes(tmp_path, mask):
    encoder = mp3.Mp3Encoder(tmp_path / "a.mp3", 128, measure=True)
    lame = {min(mask)}
    try:
        assert os.sched_getaffinity(encoder._proc.pid) == lame
        assert our_masks() == {frozenset(mask - lame)}
        encoder.write(pcm(3))
    finally:
        encoder.finish()
    # The threads started meanwhile (the meter's, the writer's) too.
    assert our_masks() == {frozenset(mask)}


def test_an_aborted_encoder_gives_every_core_back(tmp_path, mask):
    encoder = mp3.Mp3Encoder(tmp_path / "b.mp3", 128, measure=True)
    encoder.write(pcm(1))
    encoder.abort()
    assert our_masks() == {frozenset(mask)}


def test_an_encoder_kept_waiting_on_its_core_gets_every_core_back(mask):
    # Another program busy on the encoder's core: the encoder waits for it about
    # half the time, and the build lets the scheduler place everything again.
    core = min(mask)
    hog = subprocess.Popen(BUSY)
    encoder = subprocess.Popen(BUSY)
    try:
        os.sched_setaffinity(hog.pid, {core})
        pinned = procs.EncoderCore(encoder.pid)
        assert pinned.active and os.sched_getaffinity(encoder.pid) == {core}
        deadline = time.monotonic() + 20
        while pinned.active:
            assert time.monotonic() < deadline, "the encoder kept a core it waits for"
            time.sleep(0.05)
        assert os.sched_getaffinity(encoder.pid) == mask
        assert our_masks() == {frozenset(mask)}
    finally:
        for child in (hog, encoder):
            child.kill()
            child.wait()


def test_release_is_idempotent_and_lets_the_encoder_end_first(mask):
    encoder = subprocess.Popen([sys.executable, "-c", "pass"])
    pinned = procs.EncoderCore(encoder.pid)
    encoder.wait()
    pinned.release()
    pinned.release()
    assert not pinned.active
    assert our_masks() == {frozenset(mask)}


def test_one_core_leaves_everything_where_it_is(mask):
    # A build restricted to one core (taskset -c 0) has no core to give.
    procs._set_affinity(procs._tasks(os.getpid()), {min(mask)})
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        pinned = procs.EncoderCore(child.pid)
        assert not pinned.active
        assert os.sched_getaffinity(child.pid) == {min(mask)}
        assert our_masks() == {frozenset({min(mask)})}
    finally:
        child.kill()
        child.wait()


def test_parallel_workers_leave_the_cores_to_the_scheduler():
    # Two workers, two encoders: pinning both to the first core would halve them.
    code = ("import os, subprocess, sys\n"
            "from radio import procs\n"
            "procs.worker_initializer(os.getppid())\n"
            "child = subprocess.Popen([sys.executable, '-c', 'pass'])\n"
            "print(procs.EncoderCore(child.pid).active)\n"
            "child.wait()\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_threads_started_while_pinned_are_pinned_and_released(mask):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        pinned = procs.EncoderCore(child.pid)
        seen = {}
        thread = threading.Thread(target=lambda: seen.update(
            mask=os.sched_getaffinity(threading.get_native_id())))
        thread.start()
        thread.join()
        assert seen["mask"] == mask - {min(mask)}
        pinned.release()
        assert our_masks() == {frozenset(mask)}
    finally:
        child.kill()
        child.wait()


def test_an_encoder_that_ends_unwaited_for_gives_every_core_back(mask):
    # Nobody calls release (a build that failed between): the watcher sees the
    # encoder end and gives the cores back by itself.
    encoder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.3)"])
    pinned = procs.EncoderCore(encoder.pid)
    assert pinned.active
    deadline = time.monotonic() + 20
    while pinned.active:
        assert time.monotonic() < deadline, "the cores stayed with an encoder that ended"
        time.sleep(0.05)
    assert our_masks() == {frozenset(mask)}
    encoder.wait()


def test_a_build_that_fails_after_the_last_block_stops_the_encoder_and_frees_the_cores(
        production, mask, monkeypatch):
    # The WAV's header cannot be finished (a full disk, say): LAME is stopped, not
    # left to finish alone, and the build's threads get every core back.
    from radio.audio.wav import WavWriter
    from radio.cli import main

    started = []
    original = mp3.Mp3Encoder.__init__

    def recorded(self, *args, **kwargs):
        original(self, *args, **kwargs)
        started.append(self)

    def full_disk(self, loudness=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(mp3.Mp3Encoder, "__init__", recorded)
    monkeypatch.setattr(WavWriter, "finish", full_disk)
    monkeypatch.chdir(production)
    assert main(["build", "episode1", "--offline", "-j", "1"]) != 0
    assert not (production / "output" / "episode1" / "episode1.mp3").exists()
    assert started and started[0]._proc.returncode is not None
    assert not started[0]._core.active
    assert our_masks() == {frozenset(mask)}


def test_a_second_encoder_while_the_first_holds_the_cores_gets_every_core(mask):
    # Two builds in one process (the studio): the second encoder is started from a
    # pinned thread; it must not stay on the build's side for its whole life.
    first = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    second = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        holder = procs.EncoderCore(first.pid)
        os.sched_setaffinity(second.pid, mask - {min(mask)})   # as if forked from us now
        other = procs.EncoderCore(second.pid)
        assert holder.active and not other.active
        assert os.sched_getaffinity(second.pid) == mask
        holder.release()
        other.release()
        assert our_masks() == {frozenset(mask)}
    finally:
        for child in (first, second):
            child.kill()
            child.wait()


def test_active_until_every_core_is_back(mask, monkeypatch):
    # Whoever sees the pinning inactive (a test, another encoder of the studio) finds
    # the cores already given back: it is not inactive while they are being given.
    encoder = subprocess.Popen(BUSY)
    try:
        pinned = procs.EncoderCore(encoder.pid)
        assert pinned.active
        seen, real = [], procs._set_affinity
        monkeypatch.setattr(procs, "_set_affinity",
                            lambda tids, cores: (seen.append(pinned.active), real(tids, cores)))
        pinned.release()
        assert seen and all(seen)
        assert not pinned.active and os.sched_getaffinity(encoder.pid) == mask
        assert our_masks() == {frozenset(mask)}
    finally:
        encoder.kill()
        encoder.wait()
