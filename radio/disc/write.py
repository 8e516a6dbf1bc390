"""``write_disc``: plan, check the inputs, then write all disc files at once.

Every output goes through ``fsio.atomic_path``; the six paths are opened
together and published together only when all of them were written, the
manifest last, so ``output/disc/`` never holds a half-made disc.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
from pathlib import Path
from typing import Callable

from ..audio.wav import PCM, WavLayout, read_layout
from ..clock import timecode
from ..errors import Problem, UserError, raise_if_errors
from ..fsio import atomic_path, sha256_file
from ..i18n import _, _l, ngettext, render
from .audiocd import cue_text, toc_text, track_records, write_bin
from .iso import write_iso
from .manifest import (edition_id, file_record, input_fingerprint, load_manifest,
                       manifest_json, sha256sums_text)
from .model import (BYTES_PER_FRAME, ISO_SECTOR_BYTES, SAMPLE_RATE, SECTOR_BYTES, DiscPlan,
                    DiscSpec, IsoFileRecord, Manifest)
from .plan import plan_disc
from .texts import generated_files

MANIFEST = "manifest.json"
MASTER_HINT = _l("export the master as 44.1 kHz, 16-bit, stereo PCM WAV (radio build does)")
SUMS = "SHA256SUMS"


def write_disc(spec: DiscSpec, out_dir: Path, log: Callable[[str], None] = print,
               shown: str | None = None) -> Manifest:
    """Build ``<label>.iso``, ``.bin``, ``.cue``, ``.toc``, SHA256SUMS and manifest.json.

    Refuses (``UserError``) before writing anything when the discs cannot be
    made (capacity, track lengths, missing or unsuitable inputs).  When
    ``manifest.json`` records the same input fingerprint and the images are
    still there, nothing is written and the old manifest comes back with
    ``unchanged=True``.  Image files of a previous build with another label
    (e.g. the draft's ``…_NHAP.iso``) are removed.
    """
    out_dir = Path(out_dir)
    plan_disc(spec)                    # capacity from the durations, before reading anything
    wavs = _check_inputs(spec)
    plan = plan_disc(spec, {name: info.frames for name, info in wavs.items()})
    fingerprint = input_fingerprint(spec)
    old = _previous(out_dir / MANIFEST)
    if old and old.fingerprint == fingerprint and _outputs_present(old, out_dir):
        log(_("disc unchanged: {edition} in {folder}", edition=old.edition,
              folder=shown or out_dir))
        return dataclasses.replace(old, unchanged=True)
    for warning in plan.warnings:
        log(_("warning: {message}", message=warning))
    edition = edition_id(plan, spec, fingerprint)
    manifest = _write_all(spec, plan, wavs, edition, fingerprint, out_dir)
    if old:
        _remove_stale(old, manifest, out_dir)
    _report(spec, plan, manifest, shown or out_dir, log)
    return manifest


def _check_inputs(spec: DiscSpec) -> dict[str, WavLayout]:
    problems: list[Problem] = []
    wavs: dict[str, WavLayout] = {}
    for item in spec.items:
        for message, path in (
                (_l("the WAV master of {name} is missing", name=item.name), item.wav_path),
                (_l("the MP3 of {name} is missing", name=item.name), item.mp3_path),
                (_l("the script of {name} is missing", name=item.name), item.script_path)):
            if not Path(path).is_file():
                problems.append(Problem(message, str(path),
                                        hint=_l("build the episode with `radio build`")))
        if not Path(item.wav_path).is_file():
            continue
        try:
            wavs[item.name] = read_master(item.wav_path)
        except UserError as exc:
            problems.append(exc.problem)
        try:
            Path(item.script_path).read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(_l("the script is not UTF-8 text"), str(item.script_path),
                                    hint=_l("save it as UTF-8 in your editor")))
        except OSError:
            pass
    raise_if_errors(problems)
    return wavs


def read_master(path: Path) -> WavLayout:
    """A WAV master's layout; anything but whole 44.1 kHz 16-bit stereo PCM is refused."""
    try:
        layout = read_layout(path, hint=MASTER_HINT)
    except OSError as exc:
        raise UserError(_l("cannot read the WAV master: {reason}", reason=exc.strerror),
                        path=path, hint=_l("build the episode again with `radio build`")) \
            from None
    if (layout.tag, layout.channels, layout.rate, layout.bits, layout.block_align) != \
            (PCM, 2, SAMPLE_RATE, 16, BYTES_PER_FRAME):
        raise UserError(_l("an audio CD needs 44.1 kHz 16-bit stereo PCM; this WAV is format "
                           "{tag}, {channels} channel(s), {rate} Hz, {bits}-bit",
                           tag=layout.tag, channels=layout.channels, rate=layout.rate,
                           bits=layout.bits), path=path, hint=MASTER_HINT)
    if layout.truncated:
        raise UserError(_l("the WAV is truncated: its data chunk announces {declared} bytes, "
                           "the file holds {held}", declared=layout.declared_bytes,
                           held=layout.available_bytes),
                        path=path, hint=_l("build the episode again"))
    return layout


def _previous(path: Path) -> Manifest | None:
    if not path.is_file():
        return None
    try:
        return load_manifest(path)
    except UserError:
        return None          # damaged or older: simply build again


def _outputs_present(manifest: Manifest, out_dir: Path) -> bool:
    if not (out_dir / SUMS).is_file():
        return False
    for record in manifest.files:
        path = out_dir / record.name
        if not path.is_file() or path.stat().st_size != record.size:
            return False
    return True


def _write_all(spec: DiscSpec, plan: DiscPlan, wavs: dict[str, WavLayout], edition: str,
               fingerprint: str, out_dir: Path) -> Manifest:
    names = plan.output_names()
    with contextlib.ExitStack() as stack:
        # Entered first, published last: the manifest marks a complete disc.
        tmp_manifest = stack.enter_context(atomic_path(out_dir / MANIFEST))
        tmp_sums = stack.enter_context(atomic_path(out_dir / SUMS))
        tmp = {role: stack.enter_context(atomic_path(out_dir / names[role]))
               for role in ("toc", "cue", "iso", "bin")}
        with open(tmp["bin"], "wb") as fh:
            written = write_bin(plan, wavs, fh)
        tracks = track_records(written, tmp["bin"])
        tmp["cue"].write_text(cue_text(spec, plan, edition), encoding="ascii")
        tmp["toc"].write_text(toc_text(spec, plan, edition), encoding="ascii")
        entries = plan.files + generated_files(spec, plan, edition)
        write_iso(spec, plan.label, entries, tmp["iso"])
        files = (file_record(tmp["iso"], names["iso"], "iso", ISO_SECTOR_BYTES),
                 file_record(tmp["bin"], names["bin"], "bin", SECTOR_BYTES),
                 file_record(tmp["cue"], names["cue"], "cue"),
                 file_record(tmp["toc"], names["toc"], "toc"))
        manifest = Manifest(
            edition=edition, label=plan.label, title=spec.title, publisher=spec.publisher,
            date=spec.date, draft=plan.draft, fingerprint=fingerprint,
            audio_sectors=plan.audio_sectors, files=files,
            iso_files=tuple(_iso_record(entry) for entry in
                            sorted(entries, key=lambda e: e.iso_path)),
            tracks=tuple(tracks),
            warnings=tuple(render(w, spec.language) for w in plan.warnings))
        tmp_manifest.write_text(manifest_json(manifest), encoding="utf-8")
        sums = [*files, file_record(tmp_manifest, MANIFEST, "manifest")]
        tmp_sums.write_text(sha256sums_text(sums), encoding="ascii")
    return manifest


def _iso_record(entry) -> IsoFileRecord:
    if entry.source is not None:
        return IsoFileRecord(entry.iso_path, entry.long_path, Path(entry.source).stat().st_size,
                             sha256_file(entry.source), Path(entry.source).name)
    return IsoFileRecord(entry.iso_path, entry.long_path, len(entry.data),
                         hashlib.sha256(entry.data).hexdigest(), "")


def _remove_stale(old: Manifest, new: Manifest, out_dir: Path) -> None:
    """Delete image files of the previous build that this one did not replace."""
    current = {record.name for record in new.files}
    for record in old.files:
        if record.name not in current:
            with contextlib.suppress(OSError):
                (out_dir / record.name).unlink()


def _report(spec: DiscSpec, plan: DiscPlan, manifest: Manifest, folder, log) -> None:
    iso = manifest.file("iso")
    log(ngettext("disc {edition}: audio CD {n} track, {duration}; data disc {size:.1f} MB; "
                 "in {folder}",
                 "disc {edition}: audio CD {n} tracks, {duration}; data disc {size:.1f} MB; "
                 "in {folder}", len(plan.tracks), edition=manifest.edition,
                 duration=timecode(plan.audio_s), size=iso.size / 1024 / 1024, folder=folder))
    if plan.draft:
        if spec.draft:
            log(_('this disc is a DRAFT (radio.toml says status = "draft"): volume label '
                  "{label}, marked in DOCTRUOC.TXT, the CD-TEXT and the manifest — do not send "
                  "it to the stations", label=plan.label))
        waiting = sum(item.placeholders for item in spec.items)
        if waiting:
            log(ngettext("this disc is a DRAFT ({n} synthesized placeholder paragraph still "
                         "awaits its recorded take): volume label {label}, marked in "
                         "DOCTRUOC.TXT, the CD-TEXT and the manifest — do not send it to the "
                         "stations",
                         "this disc is a DRAFT ({n} synthesized placeholder paragraphs still "
                         "await recorded takes): volume label {label}, marked in DOCTRUOC.TXT, "
                         "the CD-TEXT and the manifest — do not send it to the stations",
                         waiting, label=plan.label))
