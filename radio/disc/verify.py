"""``verify_image``: check an ISO, a CUE/TOC/BIN, or a read-back disc image.

Every mismatch is one line that names the file, the track or the sectors; the
report is ``ok`` only when nothing differs.
"""
from __future__ import annotations

from pathlib import Path

import pycdlib

from ..errors import UserError
from ..i18n import _
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
        self.lines.append(f"ok    {text}")

    def fail(self, text: str) -> None:
        self.lines.append(f"FAIL  {text}")
        self.problems.append(text)

    def finish(self) -> VerifyReport:
        verdict = "everything matches the manifest" if not self.problems else \
            f"{len(self.problems)} problem(s) found"
        return VerifyReport(not self.problems, [*self.lines, verdict], list(self.problems),
                            self.offset, self.order)


def verify_image(path: Path, manifest_path: Path | None = None) -> VerifyReport:
    """Check *path* (``.iso``, ``.cue``, ``.toc`` or ``.bin``) against the manifest."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"there is no image {path}", hint="give the path of a .iso, .cue, "
                        ".toc or .bin made by `radio disc`")
    manifest_path = Path(manifest_path) if manifest_path else path.parent / "manifest.json"
    if not manifest_path.is_file():
        raise UserError(f"no manifest.json beside {path.name}", path=manifest_path,
                        hint="give the manifest that came with the disc")
    manifest = load_manifest(manifest_path)
    report = _Report()
    report.lines.append(f"edition {manifest.edition}" + (" (DRAFT)" if manifest.draft else ""))
    suffix = path.suffix.lower()
    if suffix == ".iso":
        _check_iso(path, manifest, report)
    elif suffix in (".cue", ".toc", ".bin"):
        _check_audio(path, manifest, report)
    else:
        raise UserError(f"cannot verify {path.name}", hint="give a .iso, .cue, .toc or .bin")
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
        span = f"sector {first} differs" if first == last else f"sectors {first}–{last} differ"
        report.fail(f"{name}: {span} ({where(first, last)})")
    if len(runs) > MAX_RANGE_LINES:
        report.fail(f"{name}: and {len(runs) - MAX_RANGE_LINES} more damaged ranges")


def _check_size(report: _Report, name: str, size: int, record: FileRecord) -> None:
    if size != record.size:
        report.fail(f"{name}: {size} bytes, the manifest says {record.size}")


# --- ISO ---------------------------------------------------------------------------

def _check_iso(path: Path, manifest: Manifest, report: _Report) -> None:
    record, name = manifest.file("iso"), path.name
    size = path.stat().st_size
    whole, blocks = block_digests(path, record.sector_bytes * record.block_sectors)
    extents: dict[str, tuple[int, int]] = {}
    try:
        with IsoReader(path) as reader:
            found = reader.files()
            extents = {p: (e, s) for p, (s, _, e) in found.items()}
            _check_iso_files(reader, found, manifest, name, report)
    except pycdlib.pycdlibexception.PyCdlibException as exc:
        report.fail(f"{name}: the ISO 9660 file system cannot be read ({exc})")
    if whole == record.sha256:
        report.ok(f"{name}: sha256 matches ({size} bytes)")
        return
    report.fail(f"{name}: sha256 differs from the manifest")
    _check_size(report, name, size, record)
    matches = [a == b for a, b in zip(blocks, record.blocks)]
    matches += [False] * abs(len(blocks) - len(record.blocks))
    runs = _bad_ranges(matches, record, -(-max(size, record.size) // record.sector_bytes))

    def where(first: int, last: int) -> str:
        hit = sorted(p.split(";")[0] for p, (extent, length) in extents.items()
                     if extent <= last and extent + -(-length // 2048) > first)
        return "inside " + ", ".join(hit) if hit else "file-system structures or padding"
    _report_ranges(report, name, runs, where)


def _check_iso_files(reader: IsoReader, found: dict, manifest: Manifest, name: str,
                     report: _Report) -> None:
    bad = 0
    for f in manifest.iso_files:
        shown = f"{f.iso_path.split(';')[0]} “{f.long_path}”"
        if f.iso_path not in found:
            report.fail(f"{name}: {shown} is missing")
            bad += 1
            continue
        size, digest, _ = found[f.iso_path]
        if (size, digest) != (f.size, f.sha256):
            report.fail(f"{name}: {shown} differs from the manifest "
                        f"({size} bytes, sha256 {digest[:12]}…)")
            bad += 1
        for namespace in reader.missing_long_names(f.long_path):
            report.fail(f"{name}: {shown} has no {namespace} name “{f.long_path}”")
            bad += 1
    known = {f.iso_path for f in manifest.iso_files}
    for extra in sorted(set(found) - known):
        report.fail(f"{name}: {extra.split(';')[0]} is not in the manifest")
        bad += 1
    if not bad:
        report.ok(f"{name}: all {len(manifest.iso_files)} files match, "
                  "with their Joliet and Rock Ridge names")


# --- audio CD ----------------------------------------------------------------------

def _check_audio(path: Path, manifest: Manifest, report: _Report) -> None:
    bin_record = manifest.file("bin")
    suffix = path.suffix.lower()
    if suffix == ".bin" and (path.name != bin_record.name
                             or path.stat().st_size != bin_record.size):
        _check_readback(path, manifest, report)
        return
    bins = {path} if suffix == ".bin" else set()
    for kind in (".cue", ".toc"):
        sheet = path if suffix == kind else path.with_suffix(kind)
        if sheet.is_file():
            bins.add(_check_sheet(sheet, kind, manifest, report))
    for bin_path in sorted(b for b in bins if b is not None):
        if not bin_path.is_file():
            report.fail(f"{bin_path.name}: missing (named in the cue sheet)")
            continue
        _check_bin(bin_path, manifest, report)


def _check_sheet(sheet: Path, kind: str, manifest: Manifest, report: _Report) -> Path | None:
    record = manifest.file(kind[1:])
    if record and sheet.name == record.name:
        digest = block_digests(sheet, 1 << 20)[0]
        if digest == record.sha256:
            report.ok(f"{sheet.name}: sha256 matches")
        else:
            report.fail(f"{sheet.name}: differs from the manifest (sha256)")
    try:
        text = sheet.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.fail(f"{sheet.name}: cannot be read ({exc})")
        return None
    parsed = parse_cue(text) if kind == ".cue" else parse_toc(text)
    for problem in parsed.problems:
        report.fail(f"{sheet.name}: {problem}")
    _compare_starts(sheet.name, parsed.starts, manifest, report)
    return sheet.parent / parsed.bin_name if parsed.bin_name else None


def _compare_starts(name: str, starts: list[tuple[int, int]], manifest: Manifest,
                    report: _Report) -> None:
    """*starts*: (gap start, INDEX 01) sectors per track, gap start = INDEX 01 if no gap."""
    if len(starts) != len(manifest.tracks):
        report.fail(f"{name}: {len(starts)} tracks, the manifest has {len(manifest.tracks)}")
    bad = 0
    for t, (gap_start, start) in zip(manifest.tracks, starts):
        if start != t.start_sector:
            report.fail(f"{name}: track {t.number} starts at sector {start} ({msf(start)}), "
                        f"the manifest says {t.start_sector} ({msf(t.start_sector)})")
            bad += 1
        elif gap_start != t.start_sector - t.gap_sectors:
            report.fail(f"{name}: the gap before track {t.number} starts at sector "
                        f"{gap_start}, the manifest says {t.start_sector - t.gap_sectors}")
            bad += 1
    if not bad and len(starts) == len(manifest.tracks):
        report.ok(f"{name}: {len(starts)} track starts match")


def _track_at(manifest: Manifest, first: int, last: int) -> str:
    parts = []
    for t in manifest.tracks:
        if t.start_sector - t.gap_sectors <= last and t.start_sector + t.length_sectors > first:
            gap = t.start_sector > first and t.start_sector - t.gap_sectors <= last
            parts.append(f"track {t.number}" + (" or the gap before it" if gap and
                                                 t.start_sector > last else ""))
    return ", ".join(parts) or "after the last track"


def _check_tracks(name: str, manifest: Manifest, result, report: _Report,
                  runs=()) -> None:
    """Each track's samples; *runs*: the damaged sector ranges found by the blocks."""
    for t in manifest.tracks:
        label = f"track {t.number} “{t.ascii_title}”"
        missing = result.missing_frames.get(("pcm", t.number), 0)
        if result.digests[("pcm", t.number)] == t.pcm_sha256:
            report.ok(f"{name}: {label} samples match ({t.duration_s:.1f} s)")
        elif missing:
            report.fail(f"{name}: {label}: {missing} samples are missing from the image")
        elif (first := _first_damage(t, runs)) is not None:
            report.fail(_("{name}: {label}: samples differ from the manifest from {into} into "
                          "the track ({disc} on the disc)", name=name, label=label,
                          into=msf(first - t.start_sector), disc=msf(first)))
        else:
            report.fail(f"{name}: {label}: samples differ from the manifest "
                        f"(from {msf(t.start_sector)} on the disc)")


def _first_damage(track, runs) -> int | None:
    """The first damaged sector inside *track* (its gap excluded), or None."""
    end = track.start_sector + track.length_sectors
    firsts = [max(first, track.start_sector) for first, last in runs
              if first < end and last >= track.start_sector]
    return min(firsts) if firsts else None


def _check_bin(path: Path, manifest: Manifest, report: _Report) -> None:
    record, name = manifest.file("bin"), path.name
    result = scan_audio(path, manifest)
    if result.size % 2352:
        report.fail(f"{name}: {result.size} bytes is not a whole number of 2352-byte "
                    f"sectors ({result.size % 2352} bytes over)")
    runs = []
    if result.sha256 == record.sha256:
        report.ok(f"{name}: sha256 matches ({result.size // 2352} sectors)")
    else:
        report.fail(f"{name}: sha256 differs from the manifest")
        _check_size(report, name, result.size, record)
        runs = _bad_ranges(block_matches(result, record), record, -(-record.size // 2352))
        _report_ranges(report, name, runs, lambda a, b: _track_at(manifest, a, b))
    _check_tracks(name, manifest, result, report, runs)


def _check_readback(path: Path, manifest: Manifest, report: _Report) -> None:
    name = path.name
    offset = find_offset(path, manifest)
    if offset is None:
        report.fail(f"{name}: the opening samples of the tracks are nowhere within ±3000 "
                    f"samples of their place, in either byte order: this is not an image "
                    f"of {manifest.edition}")
        return
    order = "big" if offset.big_endian else "little"
    report.offset, report.order = offset.frames, order
    report.ok(f"{name}: read back from a disc: {order}-endian, read offset "
              f"{offset.frames:+d} samples (found at track {offset.track}, "
              f"{offset.match:.0%} exact)")
    result = scan_audio(path, manifest, offset.frames, offset.big_endian)
    record = manifest.file("bin")
    runs = _bad_ranges(block_matches(result, record), record, -(-record.size // 2352))
    _report_ranges(report, name, runs, lambda a, b: _track_at(manifest, a, b))
    _check_tracks(name, manifest, result, report)

