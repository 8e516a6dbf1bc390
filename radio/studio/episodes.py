"""The episodes list: each episode's state at a glance, and new episodes from a template."""
from __future__ import annotations

import json
import re
import time
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

from ..config import Production
from ..errors import Problem, RadioError, UserError
from ..fsio import write_text
from ..i18n import _l

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")

TEMPLATE = """\
---
title: {title}
number: {number}
speakers:
  MC1: {{name: "Người dẫn 1", voice: vi, pitch: 40, rate: 160}}
  MC2: {{name: "Người dẫn 2", voice: vi-vn-x-central, pitch: 70, rate: 160}}
---
# Mở đầu
MC1: Kính thưa quý vị và các bạn! Chào mừng quý vị đến với chuyên đề hôm nay.

MC2: Hãy viết lời dẫn ở đây. Mỗi đoạn bắt đầu bằng tên người đọc.

# Kết thúc
MC1: Cảm ơn quý vị đã lắng nghe. Xin chào và hẹn gặp lại!
"""


@dataclass(frozen=True)
class EpisodeStatus:
    name: str
    title: str
    script: str
    final: bool                  # every paragraph has a current take, no pending cue
    duration_s: float | None     # of the last build
    recorded: int
    missing: int
    stale: int
    built_at: str | None         # the last build's report time (local, ISO)
    integrated_lufs: float | None
    in_target: bool | None
    problems: tuple[dict, ...]


def problem_dict(problem: Problem) -> dict:
    """A problem for the page, rendered in the current language (the request's)."""
    return {"path": problem.path, "line": problem.line, "message": str(problem.message),
            "hint": str(problem.hint) if problem.hint else None,
            "severity": problem.severity, "text": str(problem)}


def problems_of(exc: RadioError) -> list[dict]:
    return [problem_dict(p) for p in (getattr(exc, "problems", None) or [exc.problem])]


def episode_status(production: Production, name: str) -> EpisodeStatus:
    from ..pipeline.prepare import load_episodes
    from ..takes import Takes

    script = production.rel(production.script_path(name))
    title, final, counts, problems = name, False, {"take": 0, "synth": 0, "stale": 0}, []
    try:
        episode = load_episodes(production, [name])[0]
        title = episode.title
        for state in Takes(production).states(episode):
            counts[state.state] += 1
        final = counts["synth"] == 0 and counts["stale"] == 0 and not episode.pending
    except RadioError as exc:
        problems = problems_of(exc)
    report = _last_report(production, name)
    loud = report.loudness.get("wav", {}) if report else {}
    targets = report.targets if report else {}
    lufs = loud.get("integrated_lufs")
    in_target = None if lufs is None else (
        abs(lufs - targets["integrated_lufs"]) <= targets["tolerance_lu"] + 1e-6
        and loud.get("true_peak_dbtp", 0) <= targets["true_peak_dbtp"] + 1e-6)
    built = _mtime(report.path) if report else None
    return EpisodeStatus(name, title, script, final, report.duration_s if report else None,
                         counts["take"], counts["synth"], counts["stale"],
                         time.strftime("%Y-%m-%d %H:%M", time.localtime(built)) if built else None,
                         lufs, in_target, tuple(problems))


def _last_report(production: Production, name: str):
    """The report of the episode's last build, or None (never built, or unreadable)."""
    from ..pipeline.build import output_names
    from ..targets.report import Report

    path = output_names(production, name, production.settings.build.preset)["json"]
    if not path.is_file():
        return None
    try:
        return Report.load(path)
    except UserError:
        return None


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def list_episodes(production: Production) -> list[dict]:
    return [asdict(episode_status(production, name)) for name in production.episode_names()]


def create_episode(production: Production, name: str, title: str) -> str:
    """scripts/<name>.md from the template, numbered after the others; never overwrites."""
    from ..pipeline.prepare import load_episodes

    if not NAME.match(name or ""):
        raise UserError(_l("'{name}' is not a valid episode name", name=name),
                        hint=_l("use lower-case letters without accents, digits, '_' and '-'"))
    path = production.script_path(name)
    if path.exists():
        raise UserError(_l("{path} already exists", path=production.rel(path)),
                        hint=_l("choose another name"))
    try:
        numbers = [e.number for e in load_episodes(production)]
    except RadioError:
        numbers = []
    # NFC, on one line, and quoted as JSON (a YAML double-quoted scalar): a backslash,
    # a quote or a colon in a title must not break the new script's front matter
    title = " ".join(unicodedata.normalize("NFC", title or name).split()) or name
    write_text(path, TEMPLATE.format(title=json.dumps(title, ensure_ascii=False),
                                     number=max(numbers, default=0) + 1))
    return production.rel(path)
