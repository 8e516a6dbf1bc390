"""Child processes that die with the build.

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
