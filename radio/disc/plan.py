"""Planning the discs: names, track layout, capacity — before any file is written.

``plan_disc`` reads no audio.  Called with the spec alone it works from
``DiscItem.duration_s`` (so an over-long disc is refused at once); called with
the exact frame counts of the WAV masters (``write_disc`` does, after reading
only their headers) it gives the exact sector layout.
"""
from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping

from ..clock import timecode
from ..errors import Problem, raise_if_errors
from ..i18n import _, _l, language, lazy_ngettext
from .model import (ISO_SECTOR_BYTES, SAMPLE_RATE, SECTOR_FRAMES, SECTORS_PER_SECOND,
                    DiscItem, DiscPlan, DiscSpec, IsoEntry, PlannedTrack)
from .names import DRAFT_SUFFIX, ascii_fold, cd_text, long_name, short_stem, volume_label

PREGAP_SECTORS = 150                          # track 1's implicit 2-second pregap
AUDIO_LIMIT_SECTORS = (79 * 60 + 57) * SECTORS_PER_SECOND
AUDIO_WARN_SECTORS = 74 * 60 * SECTORS_PER_SECOND
DATA_LIMIT_BYTES = 700 * 1024 * 1024
DATA_OVERHEAD_BYTES = 512 * 1024              # descriptors, path tables, three directory trees
GENERATED_ESTIMATE_BYTES = 64 * 1024          # DOCTRUOC.TXT and the playlists
MIN_TRACK_S = 4
MAX_TRACKS = 99
SCRIPT_FOLDER_ISO = "KICHBAN"


def script_folder(lang: str) -> str:
    """The long name of the scripts' folder on the data disc, in the disc's language."""
    with language(lang):
        return _("Scripts")


def plan_disc(spec: DiscSpec, frames: Mapping[str, int] | None = None) -> DiscPlan:
    """Lay out both discs and check their capacity; raise ``UserError`` if they cannot be made."""
    problems: list[Problem] = []
    items = _sorted_items(spec, problems)
    draft = spec.draft or any(item.placeholders > 0 for item in items)
    label = volume_label(spec.label, draft)
    tracks = _layout(spec, items, frames or {}, problems)
    audio_sectors = PREGAP_SECTORS + sum(t.gap_sectors + t.length_sectors for t in tracks)
    _check_audio(audio_sectors, tracks, items, problems)
    files = _iso_files(items, script_folder(spec.language))
    data_bytes = _data_estimate(files)
    if data_bytes > DATA_LIMIT_BYTES:
        mib = 1024 * 1024
        problems.append(Problem(
            _l("the data disc would need {size:.1f} MB, {over:.1f} MB more than the 700 MB a "
               "CD-R holds", size=data_bytes / mib, over=(data_bytes - DATA_LIMIT_BYTES) / mib),
            hint=_l("put fewer episodes on this disc (name the ones to include) and make a "
                    "second disc, or lower [build] mp3_bitrate_kbps in radio.toml")))
    _check_codes(spec, problems)
    raise_if_errors(problems)
    warnings = []
    if audio_sectors > AUDIO_WARN_SECTORS:
        warnings.append(_l("the audio CD runs {duration}, more than 74:00: burn it on "
                           "80-minute (700 MB) blanks, 74-minute blanks are too short",
                           duration=timecode(audio_sectors / SECTORS_PER_SECOND)))
    full = re.sub(r"[^A-Z0-9]+", "_", ascii_fold(spec.label).upper()).strip("_")
    if full and full + (DRAFT_SUFFIX if draft else "") != label:
        warnings.append(_l("the volume label {full} was cut to {label} (at most 16 "
                           "characters on a CD)", full=full, label=label))
    return DiscPlan(label=label, draft=draft, tracks=tuple(tracks), files=files,
                    audio_sectors=audio_sectors, data_bytes=data_bytes,
                    warnings=tuple(warnings))


def _sorted_items(spec: DiscSpec, problems: list[Problem]) -> list[DiscItem]:
    items = sorted(spec.items, key=lambda item: (item.number, item.name))
    if not items:
        problems.append(Problem(_l("there are no episodes to put on the disc"),
                                hint=_l("build them first with `radio build --all`")))
    names = [item.name for item in items]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem(_l("episode {name} is listed twice for the disc", name=name)))
    if spec.tracks not in ("episode", "chapter"):
        problems.append(Problem(_l("[disc] tracks = {value!r} is not 'episode' or 'chapter'",
                                   value=spec.tracks), path="radio.toml"))
    return items


def _segments(item: DiscItem, total: int, mode: str) -> list[tuple[int, int, str]]:
    """(first_frame, frames, chapter title) of each track made from *item*.

    In "chapter" mode the first chapter also takes whatever precedes it, and
    later chapter starts are rounded to whole sectors so that the tracks of one
    episode follow each other without a single sample lost or added.
    """
    if mode != "chapter" or not item.chapters:
        return [(0, total, "")]
    chapters = sorted(item.chapters, key=lambda c: c.start_ms)
    starts = [0] + [round(c.start_ms * SAMPLE_RATE / 1000 / SECTOR_FRAMES) * SECTOR_FRAMES
                    for c in chapters[1:]]
    starts = [min(max(s, 0), total) for s in starts]
    ends = starts[1:] + [total]
    return [(s, e - s, c.title) for s, e, c in zip(starts, ends, chapters)]


def _layout(spec: DiscSpec, items: list[DiscItem], frames: Mapping[str, int],
            problems: list[Problem]) -> list[PlannedTrack]:
    gap = round(spec.track_gap_s * SECTORS_PER_SECOND)
    performers = [cd_text(item.performer or spec.publisher) for item in items]
    fallback = next((p for p in performers if p), "")
    tracks: list[PlannedTrack] = []
    sector = 0
    for item, performer in zip(items, performers):
        total = frames.get(item.name, round(item.duration_s * SAMPLE_RATE))
        for index, (first, count, chapter) in enumerate(_segments(item, total, spec.tracks)):
            number = len(tracks) + 1
            gap_sectors = gap if number > 1 and index == 0 else 0
            sector += gap_sectors
            title = f"{item.title} – {chapter}" if chapter else item.title
            length = math.ceil(count / SECTOR_FRAMES)
            tracks.append(PlannedTrack(
                number=number, title=title, ascii_title=cd_text(title),
                performer=performer or fallback, source=item.name, chapter=chapter,
                first_frame=first, frames=count, gap_sectors=gap_sectors,
                start_sector=sector, length_sectors=length,
                isrc=_isrc(spec.isrc_prefix, item.number, index)))
            sector += length
            if count < MIN_TRACK_S * SAMPLE_RATE:
                seconds = count / SAMPLE_RATE
                problems.append(Problem(
                    _l("chapter “{chapter}” of {name} lasts {seconds:.1f} s; an audio-CD track "
                       "must last at least {minimum} s", chapter=chapter, name=item.name,
                       seconds=seconds, minimum=MIN_TRACK_S) if chapter else
                    _l("episode {name} lasts {seconds:.1f} s; an audio-CD track must last at "
                       "least {minimum} s", name=item.name, seconds=seconds,
                       minimum=MIN_TRACK_S),
                    path=str(item.script_path.name),
                    hint=_l("merge the chapter with its neighbour") if chapter
                    else _l("check that the episode built completely")))
    return tracks


def _check_audio(audio_sectors: int, tracks: list[PlannedTrack], items: list[DiscItem],
                 problems: list[Problem]) -> None:
    if len(tracks) > MAX_TRACKS:
        problems.append(Problem(_l("the audio CD would have {count} tracks; a CD holds at most "
                                   "{maximum}", count=len(tracks), maximum=MAX_TRACKS),
                                hint=_l("use [disc] tracks = \"episode\" or put fewer episodes "
                                        "on this disc (name the ones to include) and make a "
                                        "second disc")))
    if audio_sectors > AUDIO_LIMIT_SECTORS:
        over = math.ceil((audio_sectors - AUDIO_LIMIT_SECTORS) / SECTORS_PER_SECOND)
        longest = sorted(items, key=lambda i: -i.duration_s)[:3]
        names = ", ".join(f"{i.name} ({timecode(i.duration_s)})" for i in longest)
        problems.append(Problem(
            lazy_ngettext("the audio CD would run {duration} ({n} episode, gaps and the "
                          "2-second lead-in included), {over} more than the 79:57 an "
                          "80-minute CD holds",
                          "the audio CD would run {duration} ({n} episodes, gaps and the "
                          "2-second lead-in included), {over} more than the 79:57 an "
                          "80-minute CD holds", len(items),
                          duration=timecode(audio_sectors / SECTORS_PER_SECOND), over=timecode(over)),
            hint=_l("put fewer episodes on this disc (name the ones to include) and make a "
                    "second disc, or shorten the longest episodes: {names}", names=names)))


def _isrc(prefix: str, number: int, chapter_index: int) -> str:
    """ISRC = prefix (CC-XXX-YY) + designation: episode number (3 digits) + chapter (2)."""
    if not prefix:
        return ""
    return prefix.replace("-", "").upper() + f"{number % 1000:03d}{chapter_index % 100:02d}"


def _check_codes(spec: DiscSpec, problems: list[Problem]) -> None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", spec.date):
        problems.append(Problem(_l("the edition date {date!r} is not YYYY-MM-DD",
                                   date=spec.date), path="radio.toml",
                                hint=_l("for example date = \"2021-11-30\"")))
    if spec.catalog and not re.fullmatch(r"\d{12,13}", spec.catalog):
        problems.append(Problem(_l("[disc] catalog = {value!r} is not a 13-digit EAN or "
                                   "12-digit UPC", value=spec.catalog), path="radio.toml",
                                hint=_l("write digits only, or leave it empty")))
    if spec.isrc_prefix and not re.fullmatch(r"[A-Za-z]{2}-?[A-Za-z0-9]{3}-?\d{2}",
                                             spec.isrc_prefix):
        problems.append(Problem(_l("[disc] isrc_prefix = {value!r} is not of the form "
                                   "CC-XXX-YY (country, registrant, year)",
                                   value=spec.isrc_prefix),
                                path="radio.toml", hint=_l("for example VN-A12-21")))


def _iso_files(items: list[DiscItem], folder: str) -> tuple[IsoEntry, ...]:
    entries = []
    width = max(2, len(str(len(items))))
    for index, item in enumerate(items, 1):
        stem = short_stem(index, item.title, width)
        entries.append(IsoEntry(f"/{stem}.MP3;1", "/" + long_name(index, item.title, "mp3", width),
                                item.mp3_path, kind="mp3"))
    for index, item in enumerate(items, 1):
        stem = short_stem(index, item.title, width)
        entries.append(IsoEntry(f"/{SCRIPT_FOLDER_ISO}/{stem}.TXT;1",
                                f"/{folder}/" + long_name(index, item.title, "txt", width),
                                item.script_path, kind="script"))
    return tuple(entries)


def _data_estimate(files: tuple[IsoEntry, ...]) -> int:
    total = DATA_OVERHEAD_BYTES + GENERATED_ESTIMATE_BYTES
    for entry in files:
        try:
            size = os.stat(entry.source).st_size if entry.source else len(entry.data)
        except OSError:
            size = 0        # reported as missing by write_disc
        total += -(-size // ISO_SECTOR_BYTES) * ISO_SECTOR_BYTES
    return total
