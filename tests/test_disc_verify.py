"""verify_image on fresh, damaged and read-back images; burn with fake tools on PATH."""
from __future__ import annotations

import importlib
import shutil
import sys
from pathlib import Path

import numpy as np
import pycdlib
import pytest

from radio.disc import burn, verify_image, write_disc
from radio.errors import UserError
from test_disc import items, make_spec  # noqa: F401  (module-scoped fixture)

burn_module = importlib.import_module("radio.disc.burn")   # the package re-exports burn()


@pytest.fixture(scope="module")
def disc(items, tmp_path_factory):  # noqa: F811
    out = tmp_path_factory.mktemp("verify")
    manifest = write_disc(make_spec(items), out, log=lambda line: None)
    return out, manifest


@pytest.fixture
def copy(disc, tmp_path):
    """A private copy of the disc folder, safe to damage."""
    out, manifest = disc
    target = tmp_path / "disc"
    shutil.copytree(out, target)
    return target, manifest


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x5A
    path.write_bytes(bytes(data))


def read_back(bin_path: Path, shift_frames: int) -> bytes:
    """What `cdrdao read-cd` might give: big-endian, shifted by the drive's offset."""
    swapped = np.frombuffer(bin_path.read_bytes(), "<i2").astype(">i2").tobytes()
    if shift_frames >= 0:
        return bytes(4 * shift_frames) + swapped
    return swapped[-4 * shift_frames:]


@pytest.mark.parametrize("ext", ["iso", "cue", "toc", "bin"])
def test_fresh_image_verifies(disc, ext):
    out, manifest = disc
    report = verify_image(out / f"{manifest.label}.{ext}")
    assert report.ok, report.lines
    assert not report.problems and report.lines[-1] == "everything matches the manifest"


@pytest.mark.parametrize("shift", [347, -250, 0])
def test_simulated_read_back_verifies(disc, tmp_path, shift):
    out, manifest = disc
    image = tmp_path / "readback.bin"
    image.write_bytes(read_back(out / f"{manifest.label}.bin", shift))
    report = verify_image(image, out / "manifest.json")
    assert report.ok, report.lines
    assert report.offset_samples == shift and report.byte_order == "big"
    assert f"read offset {shift:+d} samples" in "\n".join(report.lines)


def test_damaged_read_back_names_the_track(disc, tmp_path):
    out, manifest = disc
    data = bytearray(read_back(out / f"{manifest.label}.bin", 120))
    track = manifest.tracks[2]
    data[(track.start_sector * 588 + 120 + 30000) * 4] ^= 0x40
    image = tmp_path / "readback.bin"
    image.write_bytes(bytes(data))
    report = verify_image(image, out / "manifest.json")
    assert not report.ok
    assert any("track 3" in p and "samples differ" in p for p in report.problems)
    assert all("track 1 " not in p and "track 2 " not in p for p in report.problems)


def test_foreign_image_is_not_a_read_back(disc, tmp_path):
    out, _ = disc
    noise = np.random.default_rng(5).integers(-3000, 3000, 600000, dtype="<i2")
    image = tmp_path / "other.bin"
    image.write_bytes(noise.tobytes())
    report = verify_image(image, out / "manifest.json")
    assert not report.ok and "not an image of" in report.problems[0]


def test_flipped_byte_in_iso_names_the_file(copy):
    out, manifest = copy
    iso_path = out / f"{manifest.label}.iso"
    reader = pycdlib.PyCdlib()
    reader.open(str(iso_path))
    extent = reader.get_record(iso_path="/02SANPHA.MP3;1").extent_location()
    reader.close()
    flip(iso_path, extent * 2048 + 5000)
    report = verify_image(iso_path)
    assert not report.ok
    assert any("/02SANPHA.MP3" in p and "differs from the manifest" in p and "Sản phẩm" in p
               for p in report.problems), report.problems
    sector = extent + 5000 // 2048
    assert any(f"sector {sector} differs (inside /02SANPHA.MP3)" in p for p in report.problems)


def test_flipped_byte_in_iso_structures_names_the_sector(copy):
    out, manifest = copy
    iso_path = out / f"{manifest.label}.iso"
    flip(iso_path, 16 * 2048 + 820)       # the primary volume descriptor
    report = verify_image(iso_path)
    assert not report.ok
    assert any("sector 16 differs" in p for p in report.problems), report.problems


def test_flipped_byte_in_bin_names_track_and_sector(copy):
    out, manifest = copy
    track = manifest.tracks[1]
    sector = track.start_sector + 100
    flip(out / f"{manifest.label}.bin", sector * 2352 + 17)
    for ext in ("bin", "cue"):
        report = verify_image(out / f"{manifest.label}.{ext}")
        assert not report.ok
        assert f"{manifest.label}.bin: sector {sector} differs (track 2)" in report.problems
        assert any("track 2 " in p and "samples differ" in p for p in report.problems)


def test_toc_without_swap_and_moved_track_fail(copy):
    out, manifest = copy
    toc = out / f"{manifest.label}.toc"
    toc.write_text(toc.read_text().replace(" SWAP ", " ", 1))
    cue = out / f"{manifest.label}.cue"
    cue.write_text(cue.read_text().replace("INDEX 01 00:08:", "INDEX 01 00:09:"))
    report = verify_image(toc)
    problems = "\n".join(report.problems)
    assert "without SWAP" in problems and f"{manifest.label}.toc: differs" in problems
    assert f"{manifest.label}.cue: track 2 starts at sector" in problems


def test_sheets_of_another_edition_do_not_pass(disc, tmp_path, items):  # noqa: F811
    """The draft's CUE/TOC (CD-TEXT "BAN NHAP", another label) verified against the final
    disc's manifest said "everything matches": the samples are the same, and a sheet whose
    name was not the manifest's was never compared."""
    import dataclasses

    out, manifest = disc
    draft = write_disc(dataclasses.replace(make_spec(items), draft=True), tmp_path,
                       log=lambda line: None)
    assert draft.label != manifest.label
    for ext in ("cue", "toc"):
        report = verify_image(tmp_path / f"{draft.label}.{ext}", out / "manifest.json")
        assert not report.ok, report.lines
        for sheet in ("cue", "toc"):
            assert f"{draft.label}.{sheet}: differs from the manifest (sha256)" in report.problems


def test_truncated_bin_is_not_sector_aligned(copy):
    out, manifest = copy
    path = out / f"{manifest.label}.bin"
    path.write_bytes(path.read_bytes()[:-100])
    report = verify_image(out / f"{manifest.label}.cue")
    assert any("not a whole number of 2352-byte sectors" in p for p in report.problems)


@pytest.mark.parametrize("ext", ["bin", "iso"])
def test_cut_short_image_says_so_and_names_every_missing_sector(copy, ext):
    """An interrupted copy: the missing end is named as such, and no sector the file
    does not reach counts as matching (the silence between tracks used to)."""
    out, manifest = copy
    path = out / f"{manifest.label}.{ext}"
    data = path.read_bytes()
    sector = 2352 if ext == "bin" else 2048
    keep = (manifest.tracks[1].start_sector - 50) * sector if ext == "bin" else len(data) // 2
    path.write_bytes(data[:keep])
    report = verify_image(path)
    assert not report.ok
    cut = [p for p in report.problems if "cut short" in p]
    assert cut == [f"{path.name}: the file is cut short: {keep} bytes of the {len(data)} in the "
                   f"manifest, the last {len(data) - keep} are missing (an interrupted copy or "
                   f"download); copy the whole file again"]
    if ext == "bin":
        ranges = [p for p in report.problems if "sectors" in p and "differ (" in p]
        first, last = keep // sector, len(data) // sector - 1
        assert ranges == [f"{path.name}: sectors {first}–{last} differ (track 2, track 3)"], report.problems


@pytest.mark.parametrize("name", ["episode1.md", "episode1.mp3", "kich ban.docx"])
def test_a_file_that_is_no_disc_image_is_named_as_such(tmp_path, name):
    """Not "no manifest.json beside it": the file is the wrong kind, whatever lies beside it."""
    path = tmp_path / name
    path.write_bytes(b"not an image")
    with pytest.raises(UserError, match=f"cannot verify {name}") as info:
        verify_image(path)
    assert "give a .iso, .cue, .toc or .bin" in str(info.value.problem.hint)


def test_missing_manifest_is_a_user_error(disc, tmp_path):
    out, manifest = disc
    lonely = tmp_path / "x.iso"
    shutil.copy(out / f"{manifest.label}.iso", lonely)
    with pytest.raises(UserError, match="no manifest.json"):
        verify_image(lonely)


# --- burn ---------------------------------------------------------------------------

FAKE = """#!{python}
import sys, pathlib
log = pathlib.Path({log!r})
log.write_text(log.read_text() + " ".join(sys.argv[1:]) + "\\n" if log.exists()
               else " ".join(sys.argv[1:]) + "\\n")
{body}
"""
# The fake cdrdao "reads back" the disc it "burned": the BIN, big-endian, offset +6 samples.
READ_CD = """
if sys.argv[1] == "read-cd":
    import numpy as np
    data = np.frombuffer(pathlib.Path({bin!r}).read_bytes(), "<i2").astype(">i2").tobytes()
    pathlib.Path(sys.argv[sys.argv.index("--datafile") + 1]).write_bytes(bytes(24) + data)
"""


@pytest.fixture
def fake_tools(tmp_path, monkeypatch, copy):
    out, manifest = copy
    bindir = tmp_path / "bin"
    bindir.mkdir()
    calls = tmp_path / "calls.txt"
    bodies = {"cdrdao": READ_CD.format(bin=str(out / f"{manifest.label}.bin")),
              "xorriso": "", "eject": ""}
    for name, body in bodies.items():
        tool = bindir / name
        tool.write_text(FAKE.format(python=sys.executable, log=str(calls), body=body))
        tool.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}:{Path(sys.executable).parent}:/usr/bin:/bin")
    return out, manifest, calls


def test_burn_dry_run_prints_exact_commands(fake_tools):
    out, manifest, calls = fake_tools
    shown: list[str] = []
    label = manifest.label
    commands = burn(out / f"{label}.cue", "/dev/sr1", 2, False, True, log=shown.append)
    assert commands == [
        f"cdrdao write --device /dev/sr1 --driver generic-mmc:0x10 -n {label}.toc",
        f"cdrdao read-cd --device /dev/sr1 --driver generic-mmc:0x10 --read-raw "
        f"--datafile .readback/{label}.copy1.bin .readback/{label}.copy1.toc",
        "eject /dev/sr1",
        f"cdrdao write --device /dev/sr1 --driver generic-mmc:0x10 -n {label}.toc",
        f"cdrdao read-cd --device /dev/sr1 --driver generic-mmc:0x10 --read-raw "
        f"--datafile .readback/{label}.copy2.bin .readback/{label}.copy2.toc",
        "eject /dev/sr1"]
    assert all(c in shown for c in commands)
    simulated = burn(out / f"{label}.toc", "/dev/sr1", 1, True, True, log=shown.append)
    assert simulated == [f"cdrdao write --device /dev/sr1 --driver generic-mmc:0x10 -n "
                         f"--simulate --eject {label}.toc"]
    data = burn(out / f"{label}.iso", "/dev/sr0", 1, True, True, log=shown.append)
    assert data == [f"xorriso -as cdrecord -v dev=/dev/sr0 -dummy -eject {label}.iso"]
    sectors = (out / f"{label}.iso").stat().st_size // 2048
    assert burn(out / f"{label}.iso", "/dev/sr0", 1, False, True, log=shown.append) == [
        f"xorriso -as cdrecord -v dev=/dev/sr0 {label}.iso",
        f"dd if=/dev/sr0 of=.readback/{label}.copy1.iso bs=2048 count={sectors} status=none",
        "eject /dev/sr0"]
    assert not calls.exists()                 # a dry run runs nothing


def test_burn_runs_reads_back_verifies_and_logs(fake_tools):
    out, manifest, calls = fake_tools
    prompts: list[str] = []
    lines: list[str] = []
    burn(out / f"{manifest.label}.toc", "/dev/sr1", 2, False, False, log=lines.append,
         prompt=prompts.append)
    assert len(prompts) == 1 and "copy 2 of 2" in prompts[0]
    ran = calls.read_text().splitlines()
    assert ran[0] == f"write --device /dev/sr1 --driver generic-mmc:0x10 -n {manifest.label}.toc"
    assert ran[2] == "/dev/sr1" and len(ran) == 6
    log = (out / "burn.log").read_text().splitlines()
    assert len(log) == 2
    assert all("device=/dev/sr1" in line and "verified (read offset +6 samples)" in line
               for line in log)
    assert "copy=2/2" in log[1]
    assert not list((out / ".readback").iterdir())     # read-backs removed once verified


@pytest.mark.parametrize("ext,damage", [("toc", "flip"), ("cue", "cut"), ("iso", "flip"),
                                         ("iso", "cut")])
def test_burn_refuses_an_image_that_does_not_match_its_manifest(fake_tools, ext, damage):
    """A damaged image is refused before any drive command, in a dry run too: no blank is
    spent, no copy logged, and the technician is not told to "try another blank disc"."""
    out, manifest, calls = fake_tools
    image = out / f"{manifest.label}.{'iso' if ext == 'iso' else 'bin'}"
    if damage == "flip":
        flip(image, image.stat().st_size // 2)
    else:
        image.write_bytes(image.read_bytes()[:image.stat().st_size // 3])
    for dry_run in (True, False):
        shown: list[str] = []
        with pytest.raises(UserError, match=f"{manifest.label}.{'iso' if ext == 'iso' else 'toc'}"
                           " does not match its manifest.json") as info:
            burn(out / f"{manifest.label}.{ext}", "/dev/sr1", 3, False, dry_run,
                 log=shown.append, prompt=shown.append)
        assert "radio verify" in str(info.value.problem.hint)
        assert not any("cdrdao" in line or "xorriso" in line for line in shown)
    assert not calls.exists() and not (out / "burn.log").exists()
    assert not (out / ".readback").exists()


def test_burn_says_a_draft_is_a_draft(fake_tools, tmp_path, items):  # noqa: F811
    """A draft image was burned in 20 copies without a word; the file name alone said _NHAP."""
    out, manifest, calls = fake_tools
    shown: list[str] = []
    burn(out / f"{manifest.label}.iso", "/dev/sr1", 1, False, True, log=shown.append)
    assert not any("DRAFT" in line for line in shown)
    draft = tmp_path / "draft"
    spec = make_spec(items)
    import dataclasses
    written = write_disc(dataclasses.replace(spec, draft=True), draft, log=lambda line: None)
    for ext in ("iso", "toc"):
        shown = []
        burn(draft / f"{written.label}.{ext}", "/dev/sr1", 1, False, True, log=shown.append)
        assert f"warning: {written.label}.{ext} is a DRAFT disc (BẢN NHÁP): burn it for " \
               "listening tests, do not send it to the stations" in shown


def test_burn_without_the_tool_or_a_burner(copy, tmp_path, monkeypatch):
    out, manifest = copy
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(UserError, match="cdrdao is not installed"):
        burn(out / f"{manifest.label}.toc", None, 1, False, True)
    with pytest.raises(UserError, match="xorriso is not installed"):
        burn(out / f"{manifest.label}.iso", "/dev/sr0", 1, False, True)
    fake = empty / "xorriso"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    monkeypatch.setattr(burn_module, "DEVICE_GLOB", str(tmp_path / "sr*"))
    with pytest.raises(UserError, match="no CD burner found"):
        burn(out / f"{manifest.label}.iso", None, 1, False, False)
    flip(out / f"{manifest.label}.iso", 40000)     # no burner is said first, before any check
    with pytest.raises(UserError, match="no CD burner found"):
        burn(out / f"{manifest.label}.iso", None, 1, False, False)
