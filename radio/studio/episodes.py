"""The episodes list: each episode's state at a glance, and new episodes from a template."""
from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass

from ..config import Production
from ..errors import Problem, RadioError, UserError
from ..fsio import write_text

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")

TEMPLATE = """\
---
title: "{title}"
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
    from ..episode import load_episodes
    from ..takes import Takes

    script = production.rel(production.script_path(name))
    title, final, counts, problems = name, False, {"take": 0, "synth": 0, "stale": 0}, []
    try:
        episode = load_episodes(production, [name])[0]
        title = episode.title
        for state in Takes(production, save=False).states(episode):
            counts[state.state] += 1
        pending = any(getattr(item, "pending", False) for item in episode.items)
        final = counts["synth"] == 0 and counts["stale"] == 0 and not pending
    except RadioError as exc:
        problems = problems_of(exc)
    report = _last_report(production, name)
    loud = (report or {}).get("loudness", {}).get("wav", {})
    targets = (report or {}).get("targets", {})
    lufs = loud.get("integrated_lufs")
    in_target = None if lufs is None else (
        abs(lufs - targets["integrated_lufs"]) <= targets["tolerance_lu"] + 1e-6
        and loud.get("true_peak_dbtp", 0) <= targets["true_peak_dbtp"] + 1e-6)
    built = report.get("_mtime") if report else None
    return EpisodeStatus(name, title, script, final, (report or {}).get("duration_s"),
                         counts["take"], counts["synth"], counts["stale"],
                         time.strftime("%Y-%m-%d %H:%M", time.localtime(built)) if built else None,
                         lufs, in_target, tuple(problems))


def _last_report(production: Production, name: str) -> dict | None:
    from ..build import output_names

    path = output_names(production, name, production.settings.build.preset)["json"]
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
        report["_mtime"] = path.stat().st_mtime
        return report
    except (OSError, ValueError):
        return None


def list_episodes(production: Production) -> list[dict]:
    return [asdict(episode_status(production, name)) for name in production.episode_names()]


def create_episode(production: Production, name: str, title: str) -> str:
    """scripts/<name>.md from the template, numbered after the others; never overwrites."""
    from ..episode import load_episodes

    if not NAME.match(name or ""):
        raise UserError(f"'{name}' is not a valid episode name",
                        hint="use lower-case letters without accents, digits, '_' and '-'")
    path = production.script_path(name)
    if path.exists():
        raise UserError(f"{production.rel(path)} already exists", hint="choose another name")
    try:
        numbers = [e.number for e in load_episodes(production)]
    except RadioError:
        numbers = []
    title = (title or name).replace('"', "'").strip()
    write_text(path, TEMPLATE.format(title=title, number=max(numbers, default=0) + 1))
    return production.rel(path)
