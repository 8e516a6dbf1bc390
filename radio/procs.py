"""Child processes that die with the build, and how the build shares the CPU
with them (the meters' lower priority, the encoder's core: see the end).

Every helper the build starts (the espeak-ng helper, ffmpeg, the parallel
workers) must stop when the build stops, even when the build is killed with
SIGKILL and has no chance to clean up: a child that outlived it could go on
writing into ``output/`` or ``.radio/`` behind the back of the next build.

On Linux each child asks the kernel for ``PR_SET_PDEATHSIG`` = SIGKILL: it is
killed as soon as its parent dies.  Besides, the pipes of ffmpeg and of the
speech helper close when the build dies, and both stop at the end of their
input.  On other systems only that second mechanism applies.

The death signal follows the *thread* that started the child, so it is only
requested from the main thread (the build's); children started from another
thread (the preview server's) rely on their pipes alone.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1


def _prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
        prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                          ctypes.c_ulong]
        prctl.restype = ctypes.c_int
        return prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl()


def die_with_parent(parent_pid: int | None = None) -> None:
    """Ask to be killed when the parent process dies (Linux; elsewhere nothing).

    Called in a freshly started child.  When the parent is already gone (it died
    between the fork and this call), exit at once.
    """
    if _PRCTL is None:
        return
    _PRCTL(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(1)


def child_options() -> dict:
    """Keyword arguments for ``subprocess.Popen``/``run``: the child dies with us.

    Empty off Linux and in threads other than the main one (see the module doc).
    """
    if _PRCTL is None or threading.current_thread() is not threading.main_thread():
        return {}
    parent = os.getpid()
    return {"preexec_fn": lambda: die_with_parent(parent)}


def worker_initializer(parent_pid: int) -> None:
    """``ProcessPoolExecutor(initializer=..., initargs=(os.getpid(),))``: a worker
    dies with the build, and writes its warnings in UTF-8 like the build does."""
    from .i18n import utf8_streams

    utf8_streams()
    die_with_parent(parent_pid)
    global _ENCODER_CORES
    _ENCODER_CORES = False   # the other workers' encoders need the cores too


# Measuring gives way to encoding: the build's meters (the MP3's decoder
# included: it decodes on its meter's thread) run this much nicer than the
# build, so that LAME, which sets the pace of the second pass, has a core
# whenever it can run.  (Lowering our own work needs no privilege; raising
# LAME's would.)
MEASURING_NICENESS = 10
THREAD_PRIORITY_BELOW_NORMAL = -1   # Windows' SetThreadPriority level


def lower_thread_priority() -> None:
    """Make the calling thread :data:`MEASURING_NICENESS` nicer than the rest of
    the build (Linux, where a thread has its own nice value), or below normal
    priority (Windows); elsewhere nothing."""
    if sys.platform == "win32":
        try:
            import ctypes

            kernel32 = ctypes.WinDLL("kernel32")   # our own prototypes, not windll's
            kernel32.GetCurrentThread.restype = ctypes.c_void_p
            kernel32.SetThreadPriority.argtypes = (ctypes.c_void_p, ctypes.c_int)
            kernel32.SetThreadPriority(kernel32.GetCurrentThread(),
                                       THREAD_PRIORITY_BELOW_NORMAL)
        except (OSError, AttributeError):
            pass
        return
    if not sys.platform.startswith("linux"):
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid,
                       min(19, os.getpriority(os.PRIO_PROCESS, tid) + MEASURING_NICENESS))
    except OSError:
        pass


# The encoder gets a core of its own (Linux): while LAME runs, it is the only
# program of the build on the first core this process may use, and the build's
# own threads (mastering, meters, the MP3's decoder) share the others.  LAME
# then never waits for a core behind our work, nor do the threads of ffmpeg
# that hand it its input.  Not in parallel workers (two encoders would share
# one core), and given up as soon as the encoder waits for its core more than
# ENCODER_STARVED of the time (another program busy on it): then the
# scheduler places everything again.
ENCODER_CHECK_S = 0.1
ENCODER_WINDOW = 2          # checks
ENCODER_STARVED = 0.3
_ENCODER_CORES = True
_pinning: "EncoderCore | None" = None   # the one that holds the cores, in this process
_pinning_lock = threading.Lock()


class EncoderCore:
    """Give the encoder process *pid* a core of its own until :meth:`release`
    (see above; elsewhere than on Linux, or with one core, nothing)."""

    def __init__(self, pid: int):
        self._pid = pid
        self._mask: set[int] | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()
        if not (_ENCODER_CORES and sys.platform.startswith("linux")
                and hasattr(os, "sched_setaffinity")):
            return
        try:
            mask = os.sched_getaffinity(0)
        except OSError:
            return
        global _pinning
        with _pinning_lock:
            if _pinning is not None and _pinning.active:
                # Another build of this process holds the cores (the studio): this
                # encoder, started from a pinned thread, gets them all instead.
                _set_affinity(_tasks(pid), _pinning._mask)
                return
            if len(mask) < 2:
                return
            self._mask = mask
            self._encoder = {min(mask)}
            self._ours = mask - self._encoder
            _set_affinity(_tasks(pid), self._encoder)   # its threads to come inherit it
            _set_affinity(_tasks(os.getpid()), self._ours)
            _pinning = self
        threading.Thread(target=self._watch, name="encoder-core", daemon=True).start()

    @property
    def active(self) -> bool:
        return self._mask is not None and not self._done.is_set()

    def _watch(self) -> None:
        """Give up the core when the encoder starves on it (over the last
        ENCODER_WINDOW checks); pin the threads ffmpeg starts meanwhile."""
        seen: list[tuple[float, dict[int, tuple[int, int]]]] = []
        while not self._done.wait(ENCODER_CHECK_S):
            with self._lock:
                if self._done.is_set():
                    return
                _set_affinity(_tasks(self._pid), self._encoder)
            now = _schedstats(self._pid)
            if not now or _ended(self._pid):   # whoever was to release it did not
                self.release()
                return
            seen = (seen + [(time.monotonic(), now)])[-ENCODER_WINDOW - 1:]
            busiest = max(now, key=lambda tid: now[tid][0])
            since, then = seen[0]
            if busiest in then and len(seen) > ENCODER_WINDOW:
                waited = (now[busiest][1] - then[busiest][1]) / 1e9
                if waited > ENCODER_STARVED * (seen[-1][0] - since):
                    self.release()
                    return

    def release(self) -> None:
        """Every thread of ours (and the encoder's, if it still runs) back on
        every core; at once, and idempotent."""
        with self._lock:
            if self._mask is None or self._done.is_set():
                return
            _set_affinity(_tasks(os.getpid()), self._mask)
            _set_affinity(_tasks(self._pid), self._mask)
            self._done.set()   # not active any more once the cores are back, not before


def _tasks(pid: int) -> list[int]:
    try:
        return [int(t) for t in os.listdir(f"/proc/{pid}/task")]
    except OSError:
        return []


def _set_affinity(tids: list[int], cores: set[int]) -> None:
    for tid in tids:
        try:
            os.sched_setaffinity(tid, cores)
        except OSError:   # it ended meanwhile
            pass


def _ended(pid: int) -> bool:
    """Whether process *pid* has ended (a zombie that nobody has waited for yet)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (OSError, IndexError):
        return True


def _schedstats(pid: int) -> dict[int, tuple[int, int]]:
    """Thread id -> (ns on a CPU, ns waiting for one) for each thread of *pid*,
    from the scheduler's accounting."""
    stats = {}
    for tid in _tasks(pid):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as fh:
                run, wait, _ = (int(v) for v in fh.read().split())
        except (OSError, ValueError):
            continue
        stats[tid] = (run, wait)
    return stats
