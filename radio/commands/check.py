"""`radio check`: lint the scripts and say how long the disc will be.

The linting itself is ``radio.pipeline.check`` (the build's dry run); this
module prints its findings and the disc's capacity.
"""
from __future__ import annotations

from ..clock import timecode
from ..config import Production
from ..errors import UserError
from ..i18n import _, _l, ngettext
from ..log import Log


def run_check(production: Production, names: list[str] | None, rewrites: bool, log: Log) -> None:
    from ..pipeline.build import load_lexicon
    from ..pipeline.check import CD74_SECONDS, CD_SECONDS, check
    from ..script.labels import continued_paragraphs
    from .capacity import discs_hint, refuse_an_episode_too_long
    from .takes import check_takes

    for stray in production.stray_script_warnings() if names is None else ():
        log.warn(str(stray))   # episode2.md.txt: a whole episode would be left out
    results = check(production, names, load_lexicon(production))
    total = 0.0
    placeholders = 0
    for result in results:
        ep = result.episode
        total += result.duration_s
        log.info(_("{path}: '{title}' — about {duration}, {paragraphs}, {chapters}",
                   path=ep.path, title=ep.title,
                   duration=timecode(result.duration_s, tenths=True),
                   paragraphs=ngettext("{n} paragraph", "{n} paragraphs", len(ep.paragraphs)),
                   chapters=ngettext("{n} chapter", "{n} chapters", len(ep.headings))))
        for warning in result.warnings:
            log.warn(str(warning))
        for note in continued_paragraphs(ep):
            log.info("  " + note)
        placeholders += check_takes(production, ep, log) + len(ep.pending)
        if rewrites and result.rewrites:
            log.info(ngettext("  read aloud ({n} rewrite):", "  read aloud ({n} rewrites):",
                              len(result.rewrites)))
            for line, rw in result.rewrites:
                mark = _(" (spelled out: not in the acronym list)") if rw.kind == "spelled" else ""
                log.info(f"  {ep.path}:{line}: {rw.written} → {rw.spoken}{mark}")
    gaps = 2.0 * max(len(results) - 1, 0) + 2.0
    disc = total + gaps
    log.info(_("disc: about {duration} of {capacity} on an 80-minute CD",
               duration=timecode(disc, tenths=True), capacity=timecode(CD_SECONDS, tenths=True)))
    refuse_an_episode_too_long(results)
    if disc > CD_SECONDS:
        raise UserError(_l("the episodes need about {duration}, {over} more than an 80-minute "
                           "CD holds", duration=timecode(disc, tenths=True),
                           over=timecode(disc - CD_SECONDS, tenths=True)),
                        hint=discs_hint(results))
    if disc > CD74_SECONDS:
        log.warn(_("the disc is longer than 74 minutes: use 80-minute blanks"))
    if placeholders:
        log.info(ngettext("takes: {n} placeholder (a paragraph still synthesized or a cue "
                          "awaiting its recording): a disc made now is marked as a draft",
                          "takes: {n} placeholders (paragraphs still synthesized, cues "
                          "awaiting their recording): a disc made now is marked as a draft",
                          placeholders))
    if log.warnings:   # a stale, clipped or misnamed take: told above, not "no problems"
        log.info(ngettext("no errors, {n} warning (see above)", "no errors, {n} warnings "
                          "(see above)", len(log.warnings)))
    else:
        log.info(_("no problems found"))
