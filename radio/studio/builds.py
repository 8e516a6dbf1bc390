"""Release actions from the page: the CLI's own functions, run one at a time in a thread.

A job's log lines, progress and problems (file:line) are kept for the page to
poll; its result files are listed relative to output/.  One job at a time: a
second browser asking for another gets "busy" (and a build from a terminal is
still kept out by the production's build lock, which the functions take).
"""
from __future__ import annotations

import threading
import time
import traceback
from dataclasses import dataclass, field

from ..config import Production, load
from ..errors import Problem, RadioError
from ..i18n import _, _l, ngettext
from ..log import Log
from .episodes import problem_dict, problems_of

KINDS = ("build", "disc", "verify")
PRESETS = ("loudspeaker", "broadcast", "web")
MAX_LINES = 500


class Busy(Exception):
    pass


@dataclass
class Job:
    number: int
    kind: str
    preset: str | None
    state: str = "running"            # running, done, failed
    lines: list[str] = field(default_factory=list)
    progress: float = 0.0             # 0..1 of the current audio pass
    problems: list[dict] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    seconds: float | None = None

    def view(self) -> dict:
        return {"number": self.number, "kind": self.kind, "preset": self.preset,
                "state": self.state, "lines": self.lines[-MAX_LINES:],
                "progress": round(self.progress, 3), "problems": self.problems,
                "files": self.files, "seconds": self.seconds}


class JobLog(Log):
    """A Log that writes into the job instead of the terminal."""

    def __init__(self, job: Job, lock: threading.Lock):
        super().__init__(1)
        self.job = job
        self.lock = lock
        self.show_progress = False

    def _add(self, line: str) -> None:
        with self.lock:
            self.job.lines.append(line)

    def info(self, message: str) -> None:
        self._add(message)

    def detail(self, message: str) -> None:
        pass

    def warn(self, message: str) -> None:
        self.warnings.append(message)
        self._add(f"⚠ {message}")

    def blocks(self, blocks, total_frames: int, label: str):
        done = 0
        for block in blocks:
            done += len(block)
            self.job.progress = min(1.0, done / total_frames) if total_frames else 0.0
            yield block


class Jobs:
    def __init__(self, root):
        self.root = root
        self._lock = threading.Lock()
        self._current: Job | None = None
        self._count = 0

    def current(self) -> dict | None:
        with self._lock:
            return self._current.view() if self._current else None

    def start(self, kind: str, preset: str | None, lang: str = "vi") -> dict:
        if kind not in KINDS or (preset is not None and preset not in PRESETS):
            raise ValueError(kind)
        with self._lock:
            if self._current is not None and self._current.state == "running":
                raise Busy()
            self._count += 1
            job = self._current = Job(self._count, kind, preset)
        threading.Thread(target=self._run, args=(job, lang), name=f"studio-job-{job.number}",
                         daemon=True).start()
        return job.view()

    def _run(self, job: Job, lang: str) -> None:
        from ..i18n import language

        with language(lang):   # the job's problems in the language of who started it
            self._work(job)

    def _work(self, job: Job) -> None:
        log = JobLog(job, self._lock)
        started = time.monotonic()
        try:
            production = load(self.root)
            job.files = RUNNERS[job.kind](production, job.preset, log)
            state = "done"
        except RadioError as exc:
            job.problems = problems_of(exc)
            state = "failed"
        except Exception as exc:   # a bug: say so on the page, keep the studio running
            traceback.print_exc()
            job.problems = [problem_dict(Problem(_l("internal error: {exc!r}", exc=exc),
                                                 hint=_l("report it to the developers")))]
            state = "failed"
        with self._lock:
            job.seconds = round(time.monotonic() - started, 1)
            job.progress = 1.0 if state == "done" else job.progress
            job.state = state


def _options(preset: str | None):
    from ..pipeline.options import BuildOptions
    from ..cli import default_jobs

    return BuildOptions.from_names(preset, jobs=default_jobs())


def _rel_outputs(production: Production, paths) -> list[str]:
    out = []
    for path in paths:
        try:
            out.append(path.resolve().relative_to(production.output_dir.resolve()).as_posix())
        except ValueError:
            continue
    return out


def run_build(production: Production, preset: str | None, log: Log) -> list[str]:
    from ..pipeline.build import build
    from ..targets.report import Report

    results = build(production, None, _options(preset), log)
    files = []
    for result in results:
        report = Report.load(result.report_path)
        files += [report.file(kind) for kind in report.files]
        state = _("built") if result.rebuilt else _("up to date")
        log.info(_("{name}: {state}, {seconds:.1f} s, {lufs:.1f} LUFS", name=result.name,
                   state=state, seconds=report.duration_s,
                   lufs=report.loudness["wav"]["integrated_lufs"]))
    log.info(ngettext("{n} episode ready", "{n} episodes ready", len(results)))
    return _rel_outputs(production, files)


def run_disc(production: Production, preset: str | None, log: Log) -> list[str]:
    from ..commands.disc import make_disc

    make_disc(production, None, _options(preset), log)
    folder = production.output_dir / "disc"
    return _rel_outputs(production, sorted(p for p in folder.iterdir() if p.is_file()))


def run_verify_all(production: Production, preset: str | None, log: Log) -> list[str]:
    from ..errors import BuildError, UserError
    from ..commands.disc import run_verify

    folder = production.output_dir / "disc"
    images = sorted(folder.glob("*.iso")) + sorted(folder.glob("*.cue"))
    if not images:
        raise UserError(_l("there is no disc image to verify"), path="output/disc/",
                        hint=_l("make the disc images first"))
    bad = [image.name for image in images if not run_verify(image, None, log)]
    if bad:
        raise BuildError(_l("{names} do not match the manifest (see the log)",
                            names=", ".join(bad)))
    return _rel_outputs(production, images)


RUNNERS = {"build": run_build, "disc": run_disc, "verify": run_verify_all}
