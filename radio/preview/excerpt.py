"""`radio preview EPISODE --from 1:30 --to 2:45 -o excerpt.wav` (or `--segment N`).

An excerpt must sound exactly as that span of the whole programme: mastering
(leveling, gain, limiter) depends on the whole episode, so we master the whole
episode (incrementally, WAV only) and copy the span out of it sample for
sample.  ``--final`` cuts from the finished build of ``radio build`` instead
(same WAV as the release, MP3 headroom included), building it if needed.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from ..audio.wav import copy_span, read_layout
from ..clock import timecode
from ..config import Production
from ..errors import UserError
from ..i18n import _, _l, lazy_ngettext
from ..fsio import atomic_open
from ..log import Log
from ..pipeline.build import make_synthesizer
from ..pipeline.options import BuildOptions
from ..targets.report import Report
from .master import build_preview, check_episode, quiet_log

_TIME = re.compile(r"^(?:(?:(\d+):)?(\d+):)?(\d+(?:[.,]\d+)?)s?$")


@dataclass(frozen=True)
class ExcerptRequest:
    output: Path | None = None
    start: str | None = None     # "1:30", "90", "1:02:03.5"
    end: str | None = None
    segment: int | None = None   # 1-based index into the report's segments
    final: bool = False          # cut from `radio build`'s WAV instead of a preview master

    @property
    def wanted(self) -> bool:
        return any(v is not None for v in (self.output, self.start, self.end, self.segment))


def parse_time(text: str, option: str) -> float:
    """Seconds from '90', '90.5', '1:30', '1:30,5' or '1:02:03'."""
    match = _TIME.match(text.strip())
    if not match:
        raise UserError(_l("{option} {text!r} is not a time", option=option, text=text),
                        hint=_l("write seconds (90), minutes:seconds (1:30) or h:mm:ss "
                                "(1:02:03)"))
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds.replace(",", "."))


def validate(request: ExcerptRequest) -> None:
    if request.output is None:
        raise UserError(_l("an excerpt needs an output file"),
                        hint=_l("add -o excerpt.wav, e.g. radio preview episode1 --from 1:30 "
                                "--to 2:45 -o excerpt.wav"))
    if request.output.suffix.lower() != ".wav":
        raise UserError(_l("excerpts are written as WAV, not '{suffix}'",
                           suffix=request.output.suffix),
                        hint=_l("use -o {name}", name=request.output.with_suffix(".wav").name))
    if request.segment is not None and (request.start or request.end):
        raise UserError(_l("give either --segment N or --from/--to, not both"))
    if request.segment is None and request.start is None and request.end is None:
        raise UserError(_l("say which part to cut"),
                        hint=_l("--from 1:30 --to 2:45, or --segment 3 (see the report's "
                                "segments)"))


def span_frames(request: ExcerptRequest, report: Report, rate: int, frames: int) -> tuple[int, int]:
    """The excerpt's [start, end) in frames of the master."""
    if request.segment is not None:
        segments = report.segments
        if not 1 <= request.segment <= len(segments):
            raise UserError(lazy_ngettext("--segment {segment}: {episode} has {n} segment",
                                          "--segment {segment}: {episode} has {n} segments",
                                          len(segments), segment=request.segment,
                                          episode=report.episode),
                            hint=_l("use 1 to {count}", count=len(segments)))
        chosen = segments[request.segment - 1]
        return round(chosen.start_ms * rate / 1000), round(chosen.end_ms * rate / 1000)
    duration = frames / rate
    start_s = parse_time(request.start, "--from") if request.start else 0.0
    end_s = parse_time(request.end, "--to") if request.end else duration
    if start_s >= duration:
        raise UserError(_l("--from {start} is after the end of the episode ({duration})",
                           start=request.start, duration=timecode(duration, tenths=True)))
    if end_s <= start_s:
        raise UserError(_l("--to {end} is not after --from {start}", end=request.end,
                           start=request.start or "0"))
    return round(start_s * rate), min(frames, round(end_s * rate))


def cut_excerpt(report_path: Path, request: ExcerptRequest) -> tuple[int, int, int]:
    """Write the excerpt; return (start frame, end frame, rate)."""
    report = Report.load(report_path)
    layout = read_layout(report.file("wav"))
    start, end = span_frames(request, report, layout.rate, layout.frames)
    with atomic_open(request.output) as out:
        copy_span(layout, out, start, end)
    return start, end, layout.rate


def refuse_sources(production: Production, output: Path) -> None:
    """An excerpt is a new file: it never replaces a recording (audio_assets/, takes/) or a
    file of a build (output/), and nothing new goes into takes/, where it would be a take."""
    target = output.resolve()
    folder = production.source_or_built(target)
    if folder and (target.exists() or folder == production.takes_dir):
        raise UserError(_l("{path} is a recording or a built file of the production: an excerpt "
                           "never replaces it", path=production.rel(target)),
                        hint=_l("write the excerpt under another name, e.g. -o excerpt.wav"))


def run_excerpt(production: Production, name: str, options: BuildOptions,
                request: ExcerptRequest, log: Log) -> Path:
    validate(request)
    refuse_sources(production, request.output)
    check_episode(production, name)
    from .early import check_early

    check_early(production, name, request)   # --segment 999: refused before mastering
    if request.final:
        from ..pipeline.build import build

        log.info(_("{name}: bringing the finished build up to date (radio build {name})...",
                   name=name))
        result = build(production, [name], replace(options, wav_only=False, output_dir=None,
                                                   jobs=1), log)[0]
        return _done(result.report_path, request, True, log)
    folder = Path(tempfile.mkdtemp(prefix="radio-excerpt-"))
    try:
        log.info(_("{name}: mastering the whole episode (WAV only), then cutting the "
                   "excerpt...", name=name))
        synth = make_synthesizer(production, options)
        with synth:
            synth.start()
            result = build_preview(production, name, synth, options, folder, quiet_log(log))
        return _done(result.report_path, request, False, log)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _done(report_path: Path, request: ExcerptRequest, final: bool, log: Log) -> Path:
    start, end, rate = cut_excerpt(report_path, request)
    span = dict(path=request.output, start=timecode(start / rate, tenths=True),
                end=timecode(end / rate, tenths=True), seconds=(end - start) / rate)
    log.info(_("wrote {path}: {start}–{end} ({seconds:.1f} s), cut from the finished build",
               **span) if final else
             _("wrote {path}: {start}–{end} ({seconds:.1f} s), cut from the preview master",
               **span))
    return request.output
