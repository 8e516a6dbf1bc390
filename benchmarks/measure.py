"""Run one command and measure it: wall time, peak RSS, peak memory of its process tree.

Run as a fresh helper process (``python measure.py OUT.json -- CMD ...``) so that
``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` covers only that command: on Linux
it is the peak resident set of the largest single process among the command and its
descendants (the build, the espeak helper, the ffmpeg encoder), not their sum.  A
sampling thread also records the peak of the *sum* over the whole process tree, as
PSS (shared pages divided among the processes sharing them, so forked espeak jobs are
not counted many times), every 0.1 s.  The sampler only reads /proc; it adds nothing
to the measured processes' RSS.

Imported, ``run_measured`` spawns that helper and returns its result as a dict.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

SAMPLE_S = 0.1


def _children_of() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # the command name may hold spaces and brackets: fields start after the last ')'
        fields = stat[stat.rfind(b")") + 2:].split()
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:   # no smaps_rollup (old kernel): RSS instead
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return 0


class TreeSampler(threading.Thread):
    """Peak of the summed PSS of a process and all its descendants."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.samples = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            tree = _children_of()
            pids, todo = [], [self.pid]
            while todo:
                pid = todo.pop()
                pids.append(pid)
                todo += tree.get(pid, [])
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in pids))
            self.samples += 1
            self._done.wait(SAMPLE_S)

    def stop(self) -> None:
        self._done.set()
        self.join()


def measure(cmd: list[str], cwd: str, log_path: str) -> dict:
    with open(log_path, "wb") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        code = proc.wait()
        wall = time.perf_counter() - start
        sampler.stop()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"returncode": code, "wall_s": wall, "maxrss_bytes": usage.ru_maxrss * 1024,
            "tree_peak_pss_bytes": sampler.peak_kb * 1024, "samples": sampler.samples,
            "cpu_s": usage.ru_utime + usage.ru_stime}


def run_measured(cmd: list[str], cwd: Path, log_path: Path) -> dict:
    """Measure *cmd* from a fresh helper process (only that command is its child)."""
    out = Path(str(log_path) + ".measure.json")
    subprocess.run([sys.executable, __file__, str(out), str(cwd), str(log_path), "--", *cmd],
                   check=True)
    return json.loads(out.read_text())


def main(argv: list[str]) -> int:
    out, cwd, log_path, sep, *cmd = argv
    assert sep == "--" and cmd, "usage: measure.py OUT.json CWD LOG -- CMD ..."
    Path(out).write_text(json.dumps(measure(cmd, cwd, log_path)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
