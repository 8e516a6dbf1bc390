"""Where a build's CPU goes, thread by thread and process by process (Linux).

    python benchmarks/threads.py [EPISODE] [--root DIR] [--json -]

Runs `radio build EPISODE --offline -j 1` in this process while a sampler reads, every
20 ms, the scheduler's accounting of every thread of this process and of every
process it starts (``/proc/<pid>/task/<tid>/schedstat``: time on a CPU and time
waiting for one).  Each thread or child gets a row: how long it lived, how long it
ran, how long it was runnable but waiting for a core, and the rest, how long it was
blocked (on a pipe, a queue, a lock or the GIL's condition variable).  Without
--root, a copy of the demo is built twice: once to fill the caches, then again from
its script with the speech cache warm (row 8 of `make bench`).  A child that lives
less than one sampling interval may be missed, and a thread's last 20 ms too: the
figures are a little low, never high.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
INTERVAL_S = 0.02
NOT_PYTHON = "thread (not Python's)"
TICK_NS = 1e9 / os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 1e7


@dataclass
class Task:
    label: str
    first: float                   # perf_counter when first seen
    last: float = 0.0              # when last seen
    run_ns: int = 0
    wait_ns: int = 0
    threads: set = field(default_factory=set)

    def row(self) -> dict:
        life = max(self.last - self.first, 0.0)
        run, wait = self.run_ns / 1e9, self.wait_ns / 1e9
        return {"label": self.label, "life_s": life, "run_s": run, "wait_s": wait,
                "blocked_s": max(life - run - wait, 0.0)}


def _schedstat(path: Path) -> tuple[int, int] | None:
    try:
        run, wait, _ = path.read_text().split()
        return int(run), int(wait)
    except (OSError, ValueError):
        return None


def _children(pid: int) -> list[int]:
    out = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            out += [int(c) for c in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
        except OSError:
            pass
    return out


def child_label(pid: int) -> str:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return f"process {pid}"
    words = [a.decode(errors="replace") for a in argv if a]
    name = Path(words[0]).name if words else "?"
    if name.startswith("ffmpeg"):
        if "libmp3lame" in words:
            return "ffmpeg: MP3 encoder (LAME)" + (" + loopback decoder" if "-dec" in words
                                                   else "")
        return "ffmpeg: decoding a source"
    return name


class Sampler:
    """Samples this process's threads and its descendants until stopped."""

    def __init__(self, interval: float = INTERVAL_S):
        self.interval = interval
        self.tasks: dict[tuple, Task] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sampler", daemon=True)
        self._own_tid = 0

    def __enter__(self) -> "Sampler":
        self.started = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.finished = time.perf_counter()

    def _run(self) -> None:
        self._own_tid = threading.get_native_id()
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)
        self.sample()

    def sample(self) -> None:
        now = time.perf_counter()
        names = {t.native_id: t.name for t in threading.enumerate()}
        pid = os.getpid()
        for tid in os.listdir(f"/proc/{pid}/task"):
            if int(tid) == self._own_tid:
                continue
            stat = _schedstat(Path(f"/proc/{pid}/task/{tid}/schedstat"))
            if stat is not None:
                label = names.get(int(tid), NOT_PYTHON)
                self._update(("thread", int(tid)), label, now, [stat], {int(tid)})
        todo, seen = _children(pid), set()
        while todo:
            child = todo.pop()
            if child in seen:
                continue
            seen.add(child)
            todo += _children(child)
            try:
                tids = os.listdir(f"/proc/{child}/task")
            except OSError:
                continue
            # Read each time: a child is our own copy until it has exec'd its program.
            label = child_label(child)
            for tid in tids:
                stat = _schedstat(Path(f"/proc/{child}/task/{tid}/schedstat"))
                if stat is None:
                    continue
                try:
                    comm = Path(f"/proc/{child}/task/{tid}/comm").read_text().strip()
                except OSError:
                    comm = "?"
                self._update(("process", child, int(tid)), f"{label} [{comm}]", now, [stat],
                             {int(tid)})

    def _update(self, key, label, now, stats, tids) -> None:
        task = self.tasks.get(key)
        if task is None:
            task = self.tasks[key] = Task(label, now)
        # A Python thread leaves threading.enumerate() a moment before it ends:
        # keep the name it had.
        task.last = now
        if label != NOT_PYTHON or task.label == NOT_PYTHON:
            task.label = label
        task.threads |= tids
        run, wait = sum(s[0] for s in stats), sum(s[1] for s in stats)
        # A process's threads may end: keep the largest sum seen.
        task.run_ns, task.wait_ns = max(task.run_ns, run), max(task.wait_ns, wait)

    def rows(self) -> list[dict]:
        """One row per kind of task (threads of the same name and children of the same
        kind summed), the main thread first."""
        merged: dict[str, dict] = {}
        for task in sorted(self.tasks.values(), key=lambda t: t.first):
            row = task.row()
            into = merged.setdefault(row["label"], {**row, "count": 0,
                                                    **{k: 0.0 for k in row if k != "label"}})
            into["count"] += 1
            for k in ("life_s", "run_s", "wait_s", "blocked_s"):
                into[k] += row[k]
        order = sorted(merged.values(), key=lambda r: (r["label"] != "MainThread", -r["run_s"]))
        return order


def measure(root: Path, episode: str = "episode1") -> dict:
    """Build *episode* of the production at *root* in this process, sampled.  Rows:
    the threads of this process by name (Python's thread names), then each child's
    threads by the child's role and the thread's own name (ffmpeg names its
    threads: ``enc0:0:libmp3lame`` is LAME)."""
    from radio.cli import main as radio_main

    cwd = os.getcwd()
    os.chdir(root)
    try:
        with Sampler() as sampler:
            code = radio_main(["build", episode, "--offline", "-j", "1"])
    except SystemExit as exc:
        code = exc.code
    finally:
        os.chdir(cwd)
    return {"wall_s": sampler.finished - sampler.started, "code": code, "rows": sampler.rows()}


SHOWN_RUN_S = 0.05   # threads that ran less than this are summed in one line


def table(result: dict) -> str:
    head = (f"{'thread or process [its thread]':60} {'n':>3} {'lived':>7} {'running':>8} "
            f"{'wait core':>9} {'blocked':>8}")
    lines, rest = [head, "-" * len(head)], {"count": 0, "run_s": 0.0, "wait_s": 0.0}
    for r in result["rows"]:
        if r["run_s"] < SHOWN_RUN_S and r["label"] != "MainThread":
            rest["count"] += r["count"]
            rest["run_s"] += r["run_s"]
            rest["wait_s"] += r["wait_s"]
            continue
        lines.append(f"{r['label'][:60]:60} {r['count']:>3} {r['life_s']:6.2f}s "
                     f"{r['run_s']:7.2f}s {r['wait_s']:8.2f}s {r['blocked_s']:7.2f}s")
    if rest["count"]:
        lines.append(f"{'the others (each under %.2f s)' % SHOWN_RUN_S:60} {rest['count']:>3} "
                     f"{'':7} {rest['run_s']:7.2f}s {rest['wait_s']:8.2f}s")
    total = sum(r["run_s"] for r in result["rows"])
    lines.append(f"{'all of them':60} {'':3} {'':7} {total:7.2f}s   (wall {result['wall_s']:.2f} s, "
                 f"exit {result['code']})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("episode", nargs="?", default="episode1")
    parser.add_argument("--root", type=Path, help="a production already built once")
    parser.add_argument("--json", help="'-': print the result as JSON (one last line), "
                                       "not as a table")
    args = parser.parse_args(argv)
    if not Path("/proc/self/schedstat").exists():
        print("this needs Linux's /proc/<pid>/schedstat")
        return 1
    work = None
    root = args.root
    if root is None:
        sys.path.insert(0, str(HERE))
        from production import copy_demo

        work = Path(tempfile.mkdtemp(prefix="radio-threads-"))
        root = copy_demo(HERE.parent, work / "demo")
        measure(root, args.episode)
    shutil.rmtree(root / "output" / args.episode, ignore_errors=True)
    for state in (root / ".radio" / "build").glob(f"{args.episode}.*"):
        state.unlink()
    result = measure(root, args.episode)
    if args.json == "-":
        import json

        print(json.dumps(result))
    else:
        print(table(result))
    if work:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if result["code"] in (0, None) else 1


if __name__ == "__main__":
    sys.exit(main())
