"""``verify_image``: check an ISO, a CUE/TOC/BIN, or a read-back disc image.

Every mismatch is one line that names the file, the track or the sectors; the
report is ``ok`` only when nothing differs.
"""
from __future__ import annotations

from pathlib import Path

import pycdlib

from ..errors import UserError
from ..i18n import _, _l, ngettext
from .audiocd import msf
from .iso import IsoReader
from .manifest import block_digests, load_manifest
from .model import FileRecord, Manifest, VerifyReport
from .scan import block_matches, find_offset, scan_audio
from .sheets import parse_cue, parse_toc

MAX_RANGE_LINES = 8


class _Report:
    def __init__(self):
        self.lines: list[str] = []
        self.problems: list[str] = []
        self.offset: int | None = None
        self.order: str | None = None

    def ok(self, text: str) -> None:
        self.lines.append(_("ok    {text}", text=text))

    def fail(self, text: str) -> None:
        self.lines.append(_("FAIL  {text}", text=text))
        self.problems.append(text)

    def finish(self) -> VerifyReport:
        verdict = _("everything matches the manifest") if not self.problems else \
            ngettext("{n} problem found", "{n} problems found", len(self.problems))
        return VerifyReport(not self.problems, [*self.lines, verdict], list(self.problems),
                            self.offset, self.order)


def verify_image(path: Path, manifest_path: Path | None = None) -> VerifyReport:
    """Check *path* (``.iso``, ``.cue``, ``.toc`` or ``.bin``) against the manifest."""
    path = Path(path)
    if not path.is_file():
        raise UserError(_l("there is no image {path}", path=path),
                        hint=_l("give the path of a .iso, .cue, .toc or .bin made by "
                                "`radio disc`"))
    suffix = path.suffix.lower()
    if suffix not in (".iso", ".cue", ".toc", ".bin"):
        raise UserError(_l("cannot verify {name}", name=path.name),
                        hint=_l("give a .iso, .cue, .toc or .bin"))
    manifest_path = Path(manifest_path) if manifest_path else path.parent / "manifest.json"
    if not manifest_path.is_file():
        raise UserError(_l("no manifest.json beside {name}", name=path.name), path=manifest_path,
                        hint=_l("give the manifest that came with the disc"))
    manifest = load_manifest(manifest_path)
    report = _Report()
    report.lines.append(_("edition {edition} (DRAFT)", edition=manifest.edition) if manifest.draft
                        else _("edition {edition}", edition=manifest.edition))
    if suffix == ".iso":
        _check_iso(path, manifest, report)
    else:
        _check_audio(path, manifest, report)
    return report.finish()


def _bad_ranges(matches: list[bool], record: FileRecord, total_sectors: int):
    """(first, last) sector of each run of damaged blocks."""
    runs, start = [], None
    for index, good in enumerate(matches + [True]):
        if not good and start is None:
            start = index
        elif good and start is not None:
            runs.append((start * record.block_sectors,
                         min(index * record.block_sectors, total_sectors) - 1))
            start = None
    return runs


def _report_ranges(report: _Report, name: str, runs, where) -> None:
    for first, last in runs[:MAX_RANGE_LINES]:
        report.fail(_("{name}: sector {first} differs ({where})", name=name, first=first,
                      where=where(first, last)) if first == last else
                    _("{name}: sectors {first}–{last} differ ({where})", name=name, first=first,
                      last=last, where=where(first, last)))
    if len(runs) > MAX_RANGE_LINES:
        report.fail(ngettext("{name}: and {n} more damaged range",
                             "{name}: and {n} more damaged ranges",
                             len(runs) - MAX_RANGE_LINES, name=name))


def _check_size(report: _Report, name: str, size: int, record: FileRecord) -> None:
    if size < record.size:
        report.fail(_("{name}: the file is cut short: {size} bytes of the {expected} in the "
                      "manifest, the last {missing} are missing (an interrupted copy or "
                      "download); copy the whole file again", name=name, size=size,
                      expected=record.size, missing=record.size - size))
    elif size != record.size:
        report.fail(_("{name}: {size} bytes, the manifest says {expected}", name=name, size=size,
                      expected=record.size))


# --- ISO ---------------------------------------------------------------------------

def _check_iso(path: Path, manifest: Manifest, report: _Report) -> None:
    record, name = manifest.file("iso"), path.name
    size = path.stat().st_size
    whole, blocks = block_digests(path, record.sector_bytes * record.block_sectors)
    extents: dict[str, tuple[int, int]] = {}
    try:
        with IsoReader(path) as reader:
            found = reader.files()
            extents = {p: (e, s) for p, (s, _digest, e) in found.items()}
            _check_iso_files(reader, found, manifest, name, report)
    except pycdlib.pycdlibexception.PyCdlibException as exc:
        report.fail(_("{name}: the ISO 9660 file system cannot be read ({reason})", name=name,
                      reason=exc))
    if whole == record.sha256:
        report.ok(_("{name}: sha256 matches ({size} bytes)", name=name, size=size))
        return
    report.fail(_("{name}: sha256 differs from the manifest", name=name))
    _check_size(report, name, size, record)
    matches = [a == b for a, b in zip(blocks, record.blocks)]
    matches += [False] * abs(len(blocks) - len(record.blocks))
    runs = _bad_ranges(matches, record, -(-max(size, record.size) // record.sector_bytes))

    def where(first: int, last: int) -> str:
        hit = sorted(p.split(";")[0] for p, (extent, length) in extents.items()
                     if extent <= last and extent + -(-length // 2048) > first)
        return (_("inside {files}", files=", ".join(hit)) if hit
                else _("file-system structures or padding"))
    _report_ranges(report, name, runs, where)


def _check_iso_files(reader: IsoReader, found: dict, manifest: Manifest, name: str,
                     report: _Report) -> None:
    bad = 0
    for f in manifest.iso_files:
        shown = f"{f.iso_path.split(';')[0]} “{f.long_path}”"
        if f.iso_path not in found:
            report.fail(_("{name}: {file} is missing", name=name, file=shown))
            bad += 1
            continue
        size, digest, _extent = found[f.iso_path]
        if (size, digest) != (f.size, f.sha256):
            report.fail(_("{name}: {file} differs from the manifest ({size} bytes, sha256 "
                          "{digest}…)", name=name, file=shown, size=size, digest=digest[:12]))
            bad += 1
        for namespace in reader.missing_long_names(f.long_path):
            report.fail(_("{name}: {file} has no {namespace} name “{long_name}”", name=name,
                          file=shown, namespace=namespace, long_name=f.long_path))
            bad += 1
    known = {f.iso_path for f in manifest.iso_files}
    for extra in sorted(set(found) - known):
        report.fail(_("{name}: {file} is not in the manifest", name=name,
                      file=extra.split(";")[0]))
        bad += 1
    if not bad:
        report.ok(_("{name}: all {count} files match, with their Joliet and Rock Ridge names",
                    name=name, count=len(manifest.iso_files)))


# --- audio CD ----------------------------------------------------------------------

def _check_audio(path: Path, manifest: Manifest, report: _Report) -> None:
    bin_record = manifest.file("bin")
    suffix = path.suffix.lower()
    # Our own BIN cut short keeps its name; a read-back has another name or is longer.
    if suffix == ".bin" and (path.name != bin_record.name
                             or path.stat().st_size > bin_record.size):
        _check_readback(path, manifest, report)
        return
    bins = {path} if suffix == ".bin" else set()
    for kind in (".cue", ".toc"):
        sheet = path if suffix == kind else path.with_suffix(kind)
        if sheet.is_file():
            bins.add(_check_sheet(sheet, kind, manifest, report))
    for bin_path in sorted(b for b in bins if b is not None):
        if not bin_path.is_file():
            report.fail(_("{name}: missing (named in the cue sheet)", name=bin_path.name))
            continue
        _check_bin(bin_path, manifest, report)


def _check_sheet(sheet: Path, kind: str, manifest: Manifest, report: _Report) -> Path | None:
    record = manifest.file(kind[1:])
    if record:      # under any name: the sheet of another edition must not pass for this one
        digest = block_digests(sheet, 1 << 20)[0]
        if digest == record.sha256:
            report.ok(_("{name}: sha256 matches", name=sheet.name))
        else:
            report.fail(_("{name}: differs from the manifest (sha256)", name=sheet.name))
    try:
        text = sheet.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.fail(_("{name}: cannot be read ({reason})", name=sheet.name, reason=exc))
        return None
    parsed = parse_cue(text) if kind == ".cue" else parse_toc(text)
    for problem in parsed.problems:
        report.fail(_("{name}: {problem}", name=sheet.name, problem=problem))
    _compare_starts(sheet.name, parsed.starts, manifest, report)
    return sheet.parent / parsed.bin_name if parsed.bin_name else None


def _compare_starts(name: str, starts: list[tuple[int, int]], manifest: Manifest,
                    report: _Report) -> None:
    """*starts*: (gap start, INDEX 01) sectors per track, gap start = INDEX 01 if no gap."""
    if len(starts) != len(manifest.tracks):
        report.fail(_("{name}: {count} tracks, the manifest has {expected}", name=name,
                      count=len(starts), expected=len(manifest.tracks)))
    bad = 0
    for t, (gap_start, start) in zip(manifest.tracks, starts):
        if start != t.start_sector:
            report.fail(_("{name}: track {number} starts at sector {start} ({start_msf}), the "
                          "manifest says {expected} ({expected_msf})", name=name,
                          number=t.number, start=start, start_msf=msf(start),
                          expected=t.start_sector, expected_msf=msf(t.start_sector)))
            bad += 1
        elif gap_start != t.start_sector - t.gap_sectors:
            report.fail(_("{name}: the gap before track {number} starts at sector {start}, the "
                          "manifest says {expected}", name=name, number=t.number,
                          start=gap_start, expected=t.start_sector - t.gap_sectors))
            bad += 1
    if not bad and len(starts) == len(manifest.tracks):
        report.ok(_("{name}: {count} track starts match", name=name, count=len(starts)))


def _track_at(manifest: Manifest, first: int, last: int) -> str:
    parts = []
    for t in manifest.tracks:
        if t.start_sector - t.gap_sectors <= last and t.start_sector + t.length_sectors > first:
            gap = t.start_sector > first and t.start_sector - t.gap_sectors <= last
            parts.append(_("track {number} or the gap before it", number=t.number)
                         if gap and t.start_sector > last else _("track {number}", number=t.number))
    return ", ".join(parts) or _("after the last track")


def _check_tracks(name: str, manifest: Manifest, result, report: _Report,
                  runs=()) -> None:
    """Each track's samples; *runs*: the damaged sector ranges found by the blocks."""
    for t in manifest.tracks:
        missing = result.missing_frames.get(("pcm", t.number), 0)
        track = dict(name=name, number=t.number, title=t.ascii_title)
        if result.digests[("pcm", t.number)] == t.pcm_sha256:
            report.ok(_("{name}: track {number} “{title}” samples match ({seconds:.1f} s)",
                        seconds=t.duration_s, **track))
        elif missing:
            report.fail(_("{name}: track {number} “{title}”: {missing} samples are missing from "
                          "the image", missing=missing, **track))
        elif (first := _first_damage(t, runs)) is not None:
            report.fail(_("{name}: track {number} “{title}”: samples differ from the manifest "
                          "from {into} into the track ({disc} on the disc)",
                          into=msf(first - t.start_sector), disc=msf(first), **track))
        else:
            report.fail(_("{name}: track {number} “{title}”: samples differ from the manifest "
                          "(from {position} on the disc)", position=msf(t.start_sector),
                          **track))


def _first_damage(track, runs) -> int | None:
    """The first damaged sector inside *track* (its gap excluded), or None."""
    end = track.start_sector + track.length_sectors
    firsts = [max(first, track.start_sector) for first, last in runs
              if first < end and last >= track.start_sector]
    return min(firsts) if firsts else None


def _check_bin(path: Path, manifest: Manifest, report: _Report) -> None:
    record, name = manifest.file("bin"), path.name
    result = scan_audio(path, manifest)
    _check_size(report, name, result.size, record)      # a cut-short file: said first
    if result.size % 2352:
        report.fail(_("{name}: {size} bytes is not a whole number of 2352-byte sectors "
                      "({over} bytes over)", name=name, size=result.size,
                      over=result.size % 2352))
    runs = []
    if result.sha256 == record.sha256:
        report.ok(_("{name}: sha256 matches ({sectors} sectors)", name=name,
                    sectors=result.size // 2352))
    else:
        report.fail(_("{name}: sha256 differs from the manifest", name=name))
        # A block the file does not reach is damaged, even where the disc is silent there.
        matches = [good and not result.missing_frames.get(("block", index))
                   for index, good in enumerate(block_matches(result, record))]
        runs = _bad_ranges(matches, record, -(-record.size // 2352))
        _report_ranges(report, name, runs, lambda a, b: _track_at(manifest, a, b))
    _check_tracks(name, manifest, result, report, runs)


def _check_readback(path: Path, manifest: Manifest, report: _Report) -> None:
    name = path.name
    offset = find_offset(path, manifest)
    if offset is None:
        report.fail(_("{name}: the opening samples of the tracks are nowhere within ±3000 "
                      "samples of their place, in either byte order: this is not an image of "
                      "{edition}", name=name, edition=manifest.edition))
        return
    order = "big" if offset.big_endian else "little"
    report.offset, report.order = offset.frames, order
    report.ok(_("{name}: read back from a disc: big-endian, read offset {offset:+d} samples "
                "(found at track {track}, {exact:.0%} exact)", name=name,
                offset=offset.frames, track=offset.track, exact=offset.match)
              if offset.big_endian else
              _("{name}: read back from a disc: little-endian, read offset {offset:+d} samples "
                "(found at track {track}, {exact:.0%} exact)", name=name,
                offset=offset.frames, track=offset.track, exact=offset.match))
    result = scan_audio(path, manifest, offset.frames, offset.big_endian)
    record = manifest.file("bin")
    runs = _bad_ranges(block_matches(result, record), record, -(-record.size // 2352))
    _report_ranges(report, name, runs, lambda a, b: _track_at(manifest, a, b))
    _check_tracks(name, manifest, result, report)

