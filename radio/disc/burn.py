"""``burn``: write the audio CD with cdrdao or the data disc with xorriso.

Per copy, run in the image's folder (so the TOC's relative ``FILE`` names
resolve):

audio CD (from ``<label>.toc``; a ``.cue``/``.bin`` means the ``.toc`` beside it)::

    cdrdao write --device DEV --driver generic-mmc:0x10 -n [--simulate] [--eject] LABEL.toc
    cdrdao read-cd --device DEV --driver generic-mmc:0x10 --read-raw \
        --datafile .readback/LABEL.copyN.bin .readback/LABEL.copyN.toc
    eject DEV

data disc (``<label>.iso``)::

    xorriso -as cdrecord -v dev=DEV [-dummy] [-eject] LABEL.iso
    dd if=DEV of=.readback/LABEL.copyN.iso bs=2048 count=SECTORS status=none
    eject DEV

Before the first command, the image is checked against the ``manifest.json``
beside it (``verify_image``): a damaged or cut-short image is refused, since
every copy would carry the damage.

``generic-mmc:0x10`` is cdrdao's generic MMC driver with option 0x10, which
enables writing CD-TEXT.  ``-n`` skips cdrdao's 10-second pause.  The disc is
read back and checked with ``verify_image`` before it is ejected, so the write
command carries ``--eject``/``-eject`` only when no read-back follows
(``--simulate`` writes nothing, or ``readback=False``).  Each copy appends a
line to ``burn.log`` beside the image (one line; wrapped here)::

    2021-12-02 08:15:00Z  device=/dev/sr0  copy=1/3  image=CAM_OCOP.toc
        edition=CAM_OCOP-2021-11-30-cd06e092  copy_id=CD-001  status=verified  <result>

``status`` (verified, unverified, simulated or failed) and ``edition`` (from the
disc's manifest.json) are for programs, whatever language the result is in;
``copy_id`` is there when the dispatch list named the copy.
"""
from __future__ import annotations

import datetime
import glob
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import BuildError, UserError, os_reason
from ..i18n import _, _l
from ..fsio import write_text
from .manifest import load_manifest
from .verify import verify_image

DEVICE_GLOB = "/dev/sr*"
CDRDAO_DRIVER = "generic-mmc:0x10"
READBACK_DIR = ".readback"
_INSTALL = {"cdrdao": "cdrdao", "xorriso": "xorriso", "eject": "eject"}


def _target(image: Path) -> tuple[str, Path]:
    """("audio", the .toc) or ("data", the .iso)."""
    suffix = image.suffix.lower()
    if suffix == ".iso":
        target, kind = image, "data"
    elif suffix in (".toc", ".cue", ".bin"):
        target, kind = image.with_suffix(".toc"), "audio"
    else:
        raise UserError(_l("cannot burn {name}", name=image.name),
                        hint=_l("give the .iso (data disc) or the .toc/.cue (audio CD) made by "
                                "`radio disc`"))
    if not target.is_file():
        raise UserError(_l("there is no {name} to burn", name=target.name), path=target,
                        hint=_l("make the disc images first with `radio disc`"))
    return kind, target


def _device(device: str | None, dry_run: bool, log) -> str:
    if device:
        return device
    found = sorted(glob.glob(DEVICE_GLOB))
    if found:
        return found[0]
    if dry_run:
        log(_("no CD burner found; showing the commands for /dev/sr0"))
        return "/dev/sr0"
    raise UserError(_l("no CD burner found (no /dev/sr* device)"),
                    hint=_l("connect a CD/DVD writer, or name it with --device"))


def _require(tool: str, name: str) -> None:
    if not shutil.which(tool):
        raise UserError(_l("{tool} is not installed, so {name} cannot be burned here",
                           tool=tool, name=name),
                        hint=_l("install it (Debian/Ubuntu: sudo apt install {package}) or burn "
                                "the image on a computer that has it", package=_INSTALL[tool]))


def copy_commands(kind: str, target: Path, device: str, simulate: bool, copy: int,
                  readback: bool) -> list[list[str]]:
    """The commands for one copy, in order: write, [read back, eject]."""
    stem = f"{READBACK_DIR}/{target.stem}.copy{copy}"
    verify = readback and not simulate
    if kind == "audio":
        write = ["cdrdao", "write", "--device", device, "--driver", CDRDAO_DRIVER, "-n",
                 *(["--simulate"] if simulate else []), *([] if verify else ["--eject"]),
                 target.name]
        back = ["cdrdao", "read-cd", "--device", device, "--driver", CDRDAO_DRIVER,
                "--read-raw", "--datafile", f"{stem}.bin", f"{stem}.toc"]
    else:
        write = ["xorriso", "-as", "cdrecord", "-v", f"dev={device}",
                 *(["-dummy"] if simulate else []), *([] if verify else ["-eject"]),
                 target.name]
        sectors = -(-target.stat().st_size // 2048)
        back = ["dd", f"if={device}", f"of={stem}.iso", "bs=2048", f"count={sectors}",
                "status=none"]
    return [write, back, ["eject", device]] if verify else [write]


def burn(image: Path, device: str | None, copies: int, simulate: bool, dry_run: bool,
         log: Callable[[str], None] = print, prompt: Callable[[str], str] = input,
         *, readback: bool = True, assign: Callable[[], object] | None = None) -> list[str]:
    """Burn *copies* discs from *image*; return the commands (run, or shown by *dry_run*).

    *assign*, when given, names each copy before it is burned (an object with
    ``copy_id`` and ``message``, e.g. from the dispatch list); the id goes into
    ``burn.log`` with the copy's result."""
    image = Path(image)
    kind, target = _target(image)
    tool = "cdrdao" if kind == "audio" else "xorriso"
    _require(tool, target.name)
    if copies < 1:
        raise UserError(_l("--copies must be at least 1, not {copies}", copies=copies))
    dev = _device(device, dry_run, log)          # no burner: said before a long check
    _check_before_burning(target, log)
    folder = target.parent
    if dry_run:
        log(_("dry run: these commands would run in {folder}", folder=folder))
    shown: list[str] = []
    for copy in range(1, copies + 1):
        steps = copy_commands(kind, target, dev, simulate, copy, readback)
        shown += [shlex.join(step) for step in steps]
        if dry_run:
            for step in steps:
                log(shlex.join(step))
            continue
        if copy > 1:
            _ask(prompt, _("Take out copy {previous}, put a blank disc for copy {copy} of "
                           "{copies} into {device}, then press Enter (Ctrl+C to stop): ",
                           previous=copy - 1, copy=copy, copies=copies, device=dev))
        assigned = assign() if assign else None
        if assigned:
            log(assigned.message)
        failed, status, result = _run_copy(steps, folder, log)
        _append_log(folder / "burn.log", LogEntry(
            dev, copy, copies, target.name, simulate, status, result,
            assigned.copy_id if assigned else None, _edition(folder)))
        log(_("copy {copy} of {copies}: {result}", copy=copy, copies=copies, result=result))
        if failed:
            raise BuildError(_l("copy {copy} of {name} failed: {result}", copy=copy,
                                name=target.name, result=result),
                             hint=_l("see {log}; try another blank disc",
                                     log=folder / "burn.log"))
    return shown


def _check_before_burning(target: Path, log) -> None:
    """Refuse an image that does not match its manifest: every copy would carry the damage."""
    manifest = target.parent / "manifest.json"
    if not manifest.is_file():
        log(_("warning: no manifest.json beside {name}: neither the image nor the copies can "
              "be checked", name=target.name))
        return
    report = verify_image(target, manifest)
    if report.ok and load_manifest(manifest).draft:
        log(_("warning: {name} is a DRAFT disc (BẢN NHÁP): burn it for listening tests, do "
              "not send it to the stations", name=target.name))
    if not report.ok:
        raise UserError(_l("{name} does not match its manifest.json ({problem}); every copy "
                           "would carry the damage", name=target.name,
                           problem=report.problems[0]),
                        hint=_l("see every difference with `radio verify {name}`, then make "
                                "the images again with `radio disc` or copy them again",
                                name=target.name))


def _ask(prompt, text: str) -> None:
    try:
        prompt(text)
    except EOFError:
        raise UserError(_l("stopped: no answer to the prompt to change discs"),
                        hint=_l("run burn from a terminal, or with --copies 1")) from None


def _run(step: list[str], folder: Path, log) -> int:
    log("$ " + shlex.join(step))
    try:
        return subprocess.run(step, cwd=folder).returncode
    except OSError as exc:
        log(_("{tool} could not run: {reason}", tool=step[0], reason=os_reason(exc)))
        return 127


def _run_copy(steps: list[list[str]], folder: Path, log) -> tuple[bool, str, str]:
    """Run one copy's commands; (failed, status, a short result for the burn log)."""
    write, rest = steps[0], steps[1:]
    code = _run(write, folder, log)
    if code:
        return True, FAILED, _("FAILED: {tool} exited with status {code}", tool=write[0],
                               code=code)
    if not rest:
        if "--simulate" in write or "-dummy" in write:
            return False, SIMULATED, _("simulated, not verified")
        return False, UNVERIFIED, _("written, not verified")
    back, eject = rest
    readback_file = folder / (back[-2] if back[0] == "cdrdao" else back[2][3:])
    readback_file.parent.mkdir(exist_ok=True)
    for old in readback_file.parent.glob(readback_file.stem + ".*"):
        old.unlink()
    if _run(back, folder, log):
        failed, status = False, UNVERIFIED
        result = _("written; the drive could not read it back, not verified")
    else:
        failed, status, result = _verify_copy(readback_file, folder)
    if shutil.which(eject[0]):
        _run(eject, folder, log)
    else:
        log(_("take the disc out of {device}", device=eject[1]))
    return failed, status, result


def _verify_copy(readback_file: Path, folder: Path) -> tuple[bool, str, str]:
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return False, UNVERIFIED, _("written; no manifest.json beside the image, not verified")
    report = verify_image(readback_file, manifest)
    if report.ok:
        for leftover in readback_file.parent.glob(readback_file.stem + ".*"):
            leftover.unlink()
        if report.offset_samples is None:
            return False, VERIFIED, _("verified")
        return False, VERIFIED, _("verified (read offset {offset:+d} samples)",
                                  offset=report.offset_samples)
    return True, FAILED, _("FAILED verification: {problem} (read-back kept in {path})",
                           problem=report.problems[0], path=readback_file)


# A copy's status in burn.log, for programs (the result beside it is in the user's language).
VERIFIED, UNVERIFIED, SIMULATED, FAILED = "verified", "unverified", "simulated", "failed"


@dataclass(frozen=True)
class LogEntry:
    device: str
    copy: int
    copies: int
    image: str
    simulate: bool
    status: str                 # VERIFIED, UNVERIFIED, SIMULATED or FAILED
    result: str
    copy_id: str | None = None
    edition: str | None = None  # the disc's edition, from its manifest.json


def _edition(folder: Path) -> str | None:
    try:
        return load_manifest(folder / "manifest.json").edition
    except UserError:
        return None


def _append_log(path: Path, entry: LogEntry) -> None:
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%SZ")
    fields = [stamp, f"device={entry.device}",
              f"copy={entry.copy}/{entry.copies}" + (" simulate" if entry.simulate else ""),
              f"image={entry.image}"]
    fields += [f"edition={entry.edition}"] if entry.edition else []
    fields += [f"copy_id={entry.copy_id}"] if entry.copy_id else []
    fields += [f"status={entry.status}", entry.result]
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    write_text(path, old + "  ".join(fields) + "\n")
