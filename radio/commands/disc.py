"""`radio disc`, `radio verify`, `radio burn`: from built episodes to a release.

`radio disc` builds what is out of date (incrementally), then hands the finished
episodes to the disc stage (radio.disc), which knows nothing about building.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..clock import build_date, build_epoch
from ..config import Production
from ..errors import UserError
from ..fsio import BuildLock
from ..i18n import _l
from ..log import Log
from ..pipeline.build import build, output_names
from ..pipeline.options import BuildOptions
from ..targets.report import Report

NOTES = ("Phát trên hệ thống truyền thanh cơ sở theo lịch của đài; mỗi chuyên đề là "
         "một bài (track) trên đĩa CD âm thanh và một tệp MP3 trên đĩa dữ liệu. "
         "Âm lượng đã chuẩn hóa: không cần chỉnh mức khi chuyển bài.")


def disc_spec(production: Production, reports: list[Report], preset: str):
    from ..disc import DiscChapter, DiscItem, DiscSpec

    settings = production.settings
    items = []
    for report in reports:
        paths = output_names(production, report.episode, preset)
        items.append(DiscItem(
            name=report.episode, number=report.number, title=report.title,
            performer=settings.production.publisher, wav_path=paths["wav"],
            mp3_path=paths["mp3"], script_path=production.root / report.script,
            duration_s=report.duration_s,
            chapters=tuple(DiscChapter(c.title, c.start_ms) for c in report.chapters),
            placeholders=report.placeholders, pending_cues=report.pending_cues))
    epoch = build_epoch(settings.production.date)
    draft = settings.production.status == "draft" or any(i.placeholders for i in items)
    return DiscSpec(label=settings.disc.label,
                    title=settings.disc.title or settings.production.title,
                    publisher=settings.production.publisher, date=build_date(epoch),
                    epoch=epoch, draft=draft, items=tuple(items),
                    track_gap_s=settings.disc.track_gap_s, tracks=settings.disc.tracks,
                    catalog=settings.disc.catalog, isrc_prefix=settings.disc.isrc_prefix,
                    notes=NOTES, language=settings.production.language)


def make_disc(production: Production, names: list[str] | None, options: BuildOptions,
              log: Log):
    from ..disc import write_disc
    from .capacity import refuse_what_cannot_fit

    refuse_what_cannot_fit(production, names)   # from check's durations, before building
    results = build(production, names, options, log)
    reports = [Report.load(r.report_path) for r in results]
    preset = options.preset_for(production).name
    spec = disc_spec(production, sorted(reports, key=lambda r: r.number), preset)
    with BuildLock(production.state_dir / "lock"):
        folder = production.output_dir / "disc"
        manifest = write_disc(spec, folder, log=log.info, shown=production.rel(folder))
    return manifest


def run_verify(image: Path, manifest: Path | None, log: Log) -> bool:
    from ..disc import verify_image

    if not image.exists():
        raise UserError(_l("{image} does not exist", image=image),
                        hint=_l("give the .iso, .cue, .bin or .toc path"))
    report = verify_image(image, manifest)
    for line in report.lines:
        if report.ok:
            log.info(line)
        else:
            click.echo(line, err=True)
    return report.ok
