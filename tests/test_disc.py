"""The disc stage with real readers: xorriso, isoinfo, 7z, cd-info, bchunk, cdrdao.

Episodes are generated here: short sine+noise WAV masters (one with extra
RIFF chunks), MP3s encoded by ffmpeg and tagged by mutagen, small scripts.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import re
import shutil
import struct
import subprocess
import sys
import time
import unicodedata
import wave
from pathlib import Path

import numpy as np
import pytest

from conftest import REPO, ffmpeg_exe, require_tool
from radio.disc import DiscChapter, DiscItem, DiscSpec, plan_disc, write_disc
from radio.disc.iso import pinned_clock
from radio.disc.names import ascii_fold, cd_text, long_name, short_stem, volume_label
from radio.errors import UserError

TITLES = ("Cam Hà Tĩnh – hương vị đất Hồng Lam", "Sản phẩm OCOP: “Tinh hoa” xứ Nghệ",
          "Nông thôn mới… đổi thay")
SECONDS = (6.3, 9.1, 5.0)
PERFORMER = "Sở Thông tin và Truyền thông Hà Tĩnh"
LEAD_IN_FRAMES = 11025          # 0.25 s of digital silence opens every master
UTF8 = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}


def master_pcm(index: int, seconds: float) -> np.ndarray:
    """(frames, 2) int16: silence, then a tone plus noise, L and R different."""
    frames = int(seconds * 44100)
    rng = np.random.default_rng(index)
    t = np.arange(frames) / 44100
    tone = 0.3 * np.sin(2 * np.pi * 220 * index * t) + 0.05 * rng.standard_normal(frames)
    tone[:LEAD_IN_FRAMES] = 0
    return (np.stack([tone, -0.7 * tone], axis=1) * 32767).astype("<i2")


def write_wav(path: Path, pcm: np.ndarray, extra_chunks: bool = False) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(44100)
        out.writeframes(pcm.tobytes())
    if extra_chunks:        # bext and an odd-sized LIST chunk before the data, as BWF tools do
        raw = path.read_bytes()
        fmt_end = 12 + 8 + struct.unpack("<I", raw[16:20])[0]
        extra = b"bext" + struct.pack("<I", 602) + bytes(602)
        extra += b"LIST" + struct.pack("<I", 13) + b"INFOICMT\x01\x00\x00\x00x" + b"\x00"
        body = raw[12:fmt_end] + extra + raw[fmt_end:]
        path.write_bytes(b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body)


def make_items(root: Path) -> tuple[DiscItem, ...]:
    from mutagen.id3 import ID3, TIT2

    root.mkdir(parents=True, exist_ok=True)
    items = []
    for number, (title, seconds) in enumerate(zip(TITLES, SECONDS), 1):
        wav, mp3, script = (root / f"episode{number}.{ext}" for ext in ("wav", "mp3", "md"))
        write_wav(wav, master_pcm(number, seconds), extra_chunks=number == 2)
        subprocess.run([ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-y", "-i", str(wav),
                        "-b:a", "64k", "-map_metadata", "-1", "-fflags", "+bitexact",
                        str(mp3)], check=True)
        tags = ID3()
        tags.add(TIT2(encoding=1, text=title))
        tags.save(mp3, v2_version=3)
        script.write_text(f'---\ntitle: "{title}"\nnumber: {number}\n---\n# Mở đầu\n'
                          "MC1: Kính thưa quý vị và các bạn!\n", encoding="utf-8")
        chapters = (DiscChapter("Mở đầu", 0), DiscChapter("Phần hai", 4500)) if number == 2 else ()
        items.append(DiscItem(f"episode{number}", number, title, PERFORMER, wav, mp3, script,
                              round(seconds * 44100) / 44100, chapters))
    return tuple(items)


def make_spec(items, **changes) -> DiscSpec:
    spec = DiscSpec(label="Cam Hà Tĩnh", title="Chuyên đề: Cam Hà Tĩnh và sản phẩm OCOP",
                    publisher="Sở TT&TT Hà Tĩnh", date="2021-11-30", epoch=1638230400,
                    draft=False, items=tuple(items), catalog="8930000000017",
                    isrc_prefix="VN-A12-21", notes="Phát lúc 6 giờ sáng và 17 giờ.")
    return dataclasses.replace(spec, **changes)


@pytest.fixture(scope="module")
def items(tmp_path_factory):
    return make_items(tmp_path_factory.mktemp("episodes"))


@pytest.fixture(scope="module")
def built(items, tmp_path_factory):
    out = tmp_path_factory.mktemp("disc")
    logged: list[str] = []
    manifest = write_disc(make_spec(items), out, log=logged.append)
    return out, manifest, logged


def run(*args, env=UTF8, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), capture_output=True, env=env, timeout=60, **kw)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def long_names(items) -> list[str]:
    names = [long_name(i, item.title, "mp3") for i, item in enumerate(items, 1)]
    names += [f"Kịch bản/{long_name(i, item.title, 'txt')}" for i, item in enumerate(items, 1)]
    return names + ["ĐỌC TRƯỚC.txt", "Danh sách phát.m3u8"]


# --- names -----------------------------------------------------------------------

def test_ascii_folding_and_names():
    assert ascii_fold("Cam Hà Tĩnh – hương vị đất Hồng Lam") == "Cam Ha Tinh - huong vi dat Hong Lam"
    assert ascii_fold("ĐỌC “Tinh hoa” … ‘x’") == "DOC \"Tinh hoa\" ... 'x'"
    assert cd_text("Sản phẩm OCOP: “Tinh hoa”") == "San pham OCOP: 'Tinh hoa'"
    assert len(cd_text("Tĩnh " * 40)) <= 80
    assert volume_label("Cam Hà Tĩnh 2021 – bản cuối", False) == "CAM_HA_TINH_2021"
    assert volume_label("Cam Hà Tĩnh 2021", True) == "CAM_HA_TINH_NHAP"
    assert short_stem(1, TITLES[0]) == "01CAMHAT"
    name = long_name(12, "Sản phẩm OCOP: “Tinh hoa” xứ Nghệ " * 4, "mp3")
    assert len(name) <= 64 and name.startswith("12 Sản phẩm OCOP - “Tinh hoa”")
    assert name.endswith(".mp3") and ":" not in name


def test_pinned_clock_restores_time_and_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    try:
        original = time.time
        with pinned_clock(86400):
            assert time.time() == 86400.0
            assert time.localtime(1638230400).tm_hour == 0 and os.environ["TZ"] == "UTC"
        assert time.time is original and os.environ["TZ"] == "Asia/Ho_Chi_Minh"
        assert time.localtime(1638230400).tm_hour == 7
    finally:
        monkeypatch.undo()
        time.tzset()


# --- data disc ---------------------------------------------------------------------

def test_xorriso_lists_vietnamese_names(built, items):
    xorriso = require_tool("xorriso")
    out, manifest, _ = built
    listing = run(xorriso, "-indev", str(out / f"{manifest.label}.iso"),
                  "-find", "/", "-exec", "lsdl").stdout.decode("utf-8")
    found = re.findall(r"'/(.*)'$", listing, re.M)
    for name in long_names(items):
        assert name in found, listing
        assert unicodedata.is_normalized("NFC", name)


def test_isoinfo_rock_ridge_lists_vietnamese_names(built, items):
    isoinfo = require_tool("isoinfo")
    out, manifest, _ = built
    listing = run(isoinfo, "-R", "-l", "-i", str(out / f"{manifest.label}.iso")).stdout
    text = listing.decode("utf-8")
    for name in long_names(items):
        assert name.rsplit("/", 1)[-1] in text
    assert "Directory listing of /Kịch bản/" in text


def test_7z_extracts_identical_files(built, items, tmp_path):
    seven = require_tool("7z")
    out, manifest, _ = built
    result = run(seven, "x", "-y", f"-o{tmp_path}", str(out / f"{manifest.label}.iso"))
    assert result.returncode == 0, result.stderr
    for index, item in enumerate(items, 1):
        assert (tmp_path / long_name(index, item.title, "mp3")).read_bytes() == item.mp3_path.read_bytes()
        script = tmp_path / "Kịch bản" / long_name(index, item.title, "txt")
        assert script.read_bytes() == item.script_path.read_bytes()
    readme = (tmp_path / "ĐỌC TRƯỚC.txt").read_bytes()
    assert readme.startswith(b"\xef\xbb\xbf") and b"\r\n" in readme
    assert b"\n" not in readme.replace(b"\r\n", b"")
    text = readme.decode("utf-8-sig")
    assert manifest.edition in text and "2021-11-30" in text and "BẢN NHÁP" not in text
    assert "00:06  Cam Hà Tĩnh – hương vị đất Hồng Lam" in text
    assert "Phát lúc 6 giờ sáng" in text
    playlist = (tmp_path / "Danh sách phát.m3u8").read_text(encoding="utf-8").splitlines()
    assert playlist[:3] == ["#EXTM3U", f"#EXTINF:6,{TITLES[0]}", long_name(1, TITLES[0], "mp3")]
    legacy = (tmp_path / "Danh sách phát (máy cũ, tên 8.3).m3u").read_bytes().decode("ascii")
    assert "01CAMHAT.MP3\r\n" in legacy and "#EXTINF:9,San pham OCOP" in legacy


def test_iso9660_names_are_8_3(built):
    isoinfo = require_tool("isoinfo")
    out, manifest, _ = built
    listing = run(isoinfo, "-l", "-i", str(out / f"{manifest.label}.iso")).stdout.decode()
    names = re.findall(r"\]\s+(\S+);1", listing)
    assert "01CAMHAT.MP3" in names and "DOCTRUOC.TXT" in names and "DANHSACH.M3U" in names
    assert all(re.fullmatch(r"[A-Z0-9_]{1,8}\.[A-Z0-9_]{0,3}", n) for n in names), names


# --- audio CD ----------------------------------------------------------------------

def test_cd_info_reads_tracks_and_cd_text(built):
    cd_info = require_tool("cd-info")
    out, manifest, _ = built
    report = run(cd_info, "--no-device-info", "--no-header", "--no-cddb",
                 "--cue-file", str(out / f"{manifest.label}.cue"), cwd=out).stdout.decode()
    assert "CD-ROM Track List (1 - 3)" in report, report
    assert "TITLE: Chuyen de: Cam Ha Tinh va san pham OCOP" in report
    assert "TITLE: Cam Ha Tinh - huong vi dat Hong Lam" in report
    assert "TITLE: San pham OCOP: 'Tinh hoa' xu Nghe" in report
    assert report.count("PERFORMER: So Thong tin va Truyen thong Ha Tinh") == 3
    starts = [int(n) for n in re.findall(r"^\s+\d: \S+\s+(\d+) audio", report, re.M)]
    assert starts == [t.start_sector for t in manifest.tracks]


def test_bchunk_tracks_equal_the_masters(built, items, tmp_path):
    bchunk = require_tool("bchunk")
    out, manifest, _ = built
    result = run(bchunk, "-w", str(out / f"{manifest.label}.bin"),
                 str(out / f"{manifest.label}.cue"), str(tmp_path / "track"))
    assert result.returncode == 0, result.stderr
    for number, item in enumerate(items, 1):
        with wave.open(str(tmp_path / f"track{number:02d}.wav")) as extracted:
            data = extracted.readframes(extracted.getnframes())
        master = master_pcm(number, SECONDS[number - 1]).tobytes()
        assert data[:len(master)] == master
        assert not any(data[len(master):])


def test_cdrdao_show_data_prints_the_masters_samples(built):
    cdrdao = require_tool("cdrdao")
    out, manifest, _ = built
    wanted = LEAD_IN_FRAMES + 400
    proc = subprocess.Popen([cdrdao, "show-data", f"{manifest.label}.toc"], cwd=out,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    rows = []
    try:
        for line in proc.stdout:
            match = re.match(r"\s*(\d+):\s*(-?\d+)\s+(-?\d+)", line)   # "11153:-10753   7527"
            if match:
                rows.append([int(match.group(2)), int(match.group(3))])
                if len(rows) == wanted:
                    break
    finally:
        proc.kill()
        proc.wait()
    assert np.array_equal(np.array(rows), master_pcm(1, SECONDS[0])[:wanted])


def test_cdrdao_accepts_the_toc(built):
    cdrdao = require_tool("cdrdao")
    out, manifest, _ = built
    toc = run(cdrdao, "show-toc", f"{manifest.label}.toc", cwd=out)
    assert toc.returncode == 0, toc.stderr
    text = toc.stdout.decode()
    starts = [int(n) for n in re.findall(r"START\s+\S+\(\s*(\d+)\)", text)]
    assert starts == [t.start_sector for t in manifest.tracks]
    assert "PREGAP" not in text.split("TRACK  2")[0]


def test_cue_and_toc_layout(built):
    out, manifest, _ = built
    cue = (out / f"{manifest.label}.cue").read_text()
    assert "CATALOG 8930000000017" in cue and "ISRC VNA122100100" in cue
    assert "PREGAP" not in cue and cue.count("INDEX 00") == 2
    assert '"' not in "".join(re.findall(r'"(.*)"', cue))
    toc = (out / f"{manifest.label}.toc").read_text()
    assert toc.count(" SWAP ") == 3 and "LANGUAGE_MAP" in toc and "START 00:02:00" in toc


# --- manifest, reproducibility, incremental builds ------------------------------------

def test_manifest_and_sums(built):
    out, manifest, logged = built
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert data["edition"] == manifest.edition and data["draft"] is False
    assert data["tracks"][0]["title"] == TITLES[0]
    assert data["tracks"][1]["source"] == "episode2"
    assert "Cam Hà Tĩnh" in (out / "manifest.json").read_text(encoding="utf-8")
    sums = (out / "SHA256SUMS").read_text().splitlines()
    for line in sums:
        digest, name = line.split("  ")
        assert sha(out / name) == digest
    assert {line.split("  ")[1] for line in sums} >= {f"{manifest.label}.{x}"
                                                     for x in ("iso", "bin", "cue", "toc")}
    assert not any("DRAFT" in line for line in logged)


BUILD = """
import pickle, sys
sys.path.insert(0, {repo!r})
from radio.disc import write_disc
spec = pickle.loads(bytes.fromhex({spec!r}))
write_disc(spec, __import__("pathlib").Path({out!r}), log=lambda line: None)
"""


def test_reproducible_across_time_zones_and_folders(built, items, tmp_path):
    out, manifest, _ = built
    moved = tmp_path / "elsewhere" / "inputs"
    shutil.copytree(items[0].wav_path.parent, moved)
    relocated = [dataclasses.replace(i, wav_path=moved / i.wav_path.name,
                                     mp3_path=moved / i.mp3_path.name,
                                     script_path=moved / i.script_path.name) for i in items]
    for zone, spec, folder in (("Asia/Ho_Chi_Minh", make_spec(items), tmp_path / "a"),
                               ("America/New_York", make_spec(relocated), tmp_path / "b" / "c")):
        code = BUILD.format(repo=str(REPO), spec=pickle.dumps(spec).hex(), out=str(folder))
        env = {**os.environ, "TZ": zone, "LC_ALL": "C", "LANG": "C"}
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        for ext in ("iso", "bin", "cue", "toc"):
            name = f"{manifest.label}.{ext}"
            assert sha(folder / name) == sha(out / name), (zone, name)
        assert sha(folder / "manifest.json") == sha(out / "manifest.json")


def test_second_build_does_nothing(built, items):
    out, manifest, _ = built
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    logged: list[str] = []
    again = write_disc(make_spec(items), out, log=logged.append)
    assert again.unchanged and again.edition == manifest.edition
    assert any("disc unchanged" in line for line in logged)
    assert stamps == {p.name: p.stat().st_mtime_ns for p in out.iterdir()}


def test_draft_disc_is_marked_everywhere(items, tmp_path):
    marked = [dataclasses.replace(items[0], placeholders=2), *items[1:]]
    logged: list[str] = []
    manifest = write_disc(make_spec(marked), tmp_path, log=logged.append)
    assert manifest.draft and manifest.label == "CAM_HA_TINH_NHAP"
    assert (tmp_path / "CAM_HA_TINH_NHAP.iso").is_file()
    assert any("DRAFT" in line for line in logged)
    cue = (tmp_path / "CAM_HA_TINH_NHAP.cue").read_text()
    assert 'TITLE "Chuyen de: Cam Ha Tinh va san pham OCOP (BAN NHAP)"' in cue
    readme = next(f for f in manifest.iso_files if f.iso_path == "/DOCTRUOC.TXT;1")
    assert readme.size > 0
    final = write_disc(make_spec(items), tmp_path, log=lambda line: None)
    assert not final.draft and not (tmp_path / "CAM_HA_TINH_NHAP.iso").exists()
    assert (tmp_path / f"{final.label}.iso").is_file()


def test_chapter_tracks_split_on_sector_boundaries(items, tmp_path):
    manifest = write_disc(make_spec(items, tracks="chapter", catalog="", isrc_prefix=""),
                          tmp_path, log=lambda line: None)
    tracks = manifest.tracks
    assert [t.number for t in tracks] == [1, 2, 3, 4]
    assert tracks[1].chapter == "Mở đầu" and tracks[2].chapter == "Phần hai"
    assert tracks[2].gap_sectors == 0
    assert tracks[2].start_sector == tracks[1].start_sector + tracks[1].length_sectors
    assert tracks[1].frames % 588 == 0 and tracks[1].frames == round(4.5 * 75) * 588
    data = (tmp_path / f"{manifest.label}.bin").read_bytes()
    first = tracks[1].start_sector * 2352
    master = master_pcm(2, SECONDS[1]).tobytes()
    assert data[first:first + len(master)] == master
    cue = (tmp_path / f"{manifest.label}.cue").read_text()
    assert cue.count("TRACK ") == 4 and cue.count("INDEX 00") == 2
    assert "Phan hai" in cue


# --- refusals -------------------------------------------------------------------------

def fake_items(tmp_path, minutes: list[float]) -> tuple[DiscItem, ...]:
    return tuple(DiscItem(f"episode{n}", n, f"Chuyên đề {n}", PERFORMER,
                          tmp_path / f"e{n}.wav", tmp_path / f"e{n}.mp3", tmp_path / f"e{n}.md",
                          m * 60.0) for n, m in enumerate(minutes, 1))


def test_over_80_minutes_is_refused_before_writing(tmp_path):
    spec = make_spec(fake_items(tmp_path, [27, 27, 27]))
    out = tmp_path / "output" / "disc"
    with pytest.raises(UserError) as caught:
        write_disc(spec, out)
    message = str(caught.value)
    assert "79:57" in message and "more than" in message and "fewer episodes" in message
    assert "81:" in message
    assert not out.exists()


def test_over_74_minutes_warns(tmp_path):
    plan = plan_disc(make_spec(fake_items(tmp_path, [25, 25, 25])))
    assert any("74:00" in str(w) for w in plan.warnings)
    assert not plan_disc(make_spec(fake_items(tmp_path, [20, 20]))).warnings


def test_over_700_mb_of_data_is_refused(tmp_path):
    items = fake_items(tmp_path, [20, 20])
    with open(items[0].mp3_path, "wb") as fh:
        fh.truncate(720 * 1024 * 1024)            # sparse: no disk space used
    with pytest.raises(UserError, match="700 MB"):
        plan_disc(make_spec(items))


def test_short_track_and_bad_wav_are_refused(items, tmp_path):
    with pytest.raises(UserError, match="at least 4 s"):
        plan_disc(make_spec(fake_items(tmp_path, [0.05])))
    mono = tmp_path / "mono.wav"
    with wave.open(str(mono), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(48000)
        out.writeframes(bytes(48000 * 10))
    spec = make_spec([dataclasses.replace(items[0], wav_path=mono)])
    with pytest.raises(UserError, match="44.1 kHz 16-bit stereo PCM; this WAV is .*48000 Hz"):
        write_disc(spec, tmp_path / "disc")
    assert not (tmp_path / "disc").exists()
