"""`radio distribute` on tests/roots/distribute (all three kinds of station), and the
copy ids that `radio burn` records against its dispatch list.

Measured with the real tools: ffmpeg (stream info, ebur128), pdftoppm/pdftotext/
pdffonts (poppler-utils), jsonschema against the shipped schema."""
from __future__ import annotations

import csv
import io
import json
import math
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from clirun import run_radio
from conftest import ROOTS, ffmpeg_exe, require_tool
from radio.config import load
from radio.distribute import labels, printing
from radio.distribute.profile import IpProfile, LabelSize, load_distribution
from radio.distribute.stations import read_stations
from radio.errors import ProblemsError

SVG = "{http://www.w3.org/2000/svg}"
DIST = Path("output") / "distribution"


@pytest.fixture(scope="module")
def distributed(tmp_path_factory) -> Path:
    """The fixture production, built and distributed once (a draft, allowed)."""
    root = tmp_path_factory.mktemp("distribute") / "distribute"
    shutil.copytree(ROOTS / "distribute", root)
    code, out, err = run_radio(["distribute", "--allow-draft", "-j", "1"], root)
    assert code == 0, err
    assert "IP packages: 2; disc copies on the dispatch list: 6" in out
    return root


@pytest.fixture
def copy_of(tmp_path):
    def _copy(root: Path) -> Path:
        target = tmp_path / root.name
        shutil.copytree(root, target, symlinks=True)
        return target
    return _copy


def read_csv(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8-sig")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


# --- the folder ----------------------------------------------------------------------

def test_writes_every_piece(distributed):
    out = distributed / DIST
    for name in ["ip/goi-tin.schema.json", "ip/vnpt/goi-tin.json", "ip/vnpt/goi-tin.txt",
                 "ip/viettel-uu-tien/goi-tin.json", "cd/nhan-dia.svg", "cd/nhan-dia.pdf",
                 "cd/bia-truoc.svg", "cd/bia-khay.svg", "cd/bia-hop.pdf",
                 "province/nhan-dia.pdf", "province/disc/manifest.json",
                 "lich-phat-song.csv", "lich-phat-song.pdf", "danh-sach-gui.csv",
                 "danh-sach-gui.pdf", "danh-sach-gui.json"]:
        assert (out / name).is_file(), name
    assert sorted(p.name for p in (out / "ip" / "vnpt").glob("*.mp3")) == [
        "01-cam-ha-tinh-huong-vi-dat-hong-lam.mp3", "02-san-pham-ocop-tinh-hoa-que-huong.mp3"]
    # Provinces get the broadcast preset's disc, communes the production's.
    province = json.loads((out / "province/disc/manifest.json").read_text(encoding="utf-8"))
    commune = json.loads((distributed / "output/disc/manifest.json").read_text(encoding="utf-8"))
    assert province["fingerprint"] != commune["fingerprint"]
    assert (distributed / "output/episode1/episode1.broadcast.wav").is_file()


# --- IP packages -----------------------------------------------------------------------

def ebur128(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) by ffmpeg's ebur128; mono read as dual mono."""
    err = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(path), "-af",
                          "ebur128=peak=true:dualmono=true", "-f", "null", "-"],
                         capture_output=True, text=True).stderr
    summary = err[err.rindex("Summary:"):]
    lufs = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"True peak:\s+Peak:\s+(-?[\d.]+) dBFS", summary).group(1))
    return lufs, peak


def stream_info(path: Path) -> str:
    err = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True,
                         text=True).stderr
    return re.search(r"Audio: .*", err).group(0)


def test_ip_mp3_has_the_profile_and_the_loudness(distributed):
    for mp3 in (distributed / DIST / "ip" / "vnpt").glob("*.mp3"):
        info = stream_info(mp3)
        assert "mp3" in info and "44100 Hz, mono" in info and "64 kb/s" in info, info
        lufs, peak = ebur128(mp3)
        assert abs(lufs - -16.0) <= 0.5 and peak <= -1.0, (mp3.name, lufs, peak)
        item = next(i for i in json.loads((mp3.parent / "goi-tin.json").read_text(
            encoding="utf-8"))["items"] if i["file"] == mp3.name)
        assert abs(item["audio"]["integrated_lufs"] - lufs) <= 0.3
        assert abs(item["audio"]["true_peak_dbtp"] - peak) <= 0.3


def test_metadata_follows_its_schema(distributed):
    jsonschema = pytest.importorskip("jsonschema")
    out = distributed / DIST / "ip"
    schema = json.loads((out / "goi-tin.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    checker = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    packages = {p.parent.name: json.loads(p.read_text(encoding="utf-8"))
                for p in out.glob("*/goi-tin.json")}
    assert sorted(packages) == ["viettel-uu-tien", "vnpt"]
    for name, data in packages.items():
        checker.validate(data)
        assert data["draft"] and data["notice"].startswith("BẢN NHÁP")
        assert data["valid_from"] == "2021-12-01" and data["valid_to"] == "2021-12-10"
        for item in data["items"]:
            mp3 = out / name / item["file"]
            assert item["bytes"] == mp3.stat().st_size
            assert item["sha256"] == __import__("hashlib").sha256(mp3.read_bytes()).hexdigest()
            assert item["title"].startswith("BẢN NHÁP – ")
            assert len(item["slots"]) == 10          # 10 days x 2 times, two programmes
    assert [s["name"] for s in packages["vnpt"]["stations"]] == [
        "Đài truyền thanh xã Thạch Kim", "Đài truyền thanh xã Thạch Bằng"]
    assert packages["vnpt"]["priority"] == "thông thường"
    assert packages["viettel-uu-tien"]["priority_code"] == "priority"
    broken = dict(packages["vnpt"], priority="gấp")
    with pytest.raises(jsonschema.ValidationError):
        checker.validate(broken)


def test_operator_sheet_is_vietnamese_and_says_draft(distributed):
    raw = (distributed / DIST / "ip" / "vnpt" / "goi-tin.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    text = raw.decode("utf-8-sig")
    for expected in ("BẢN NHÁP — KHÔNG DÙNG ĐỂ PHÁT SÓNG", "Nền tảng: VNPT",
                     "Mức ưu tiên: thông thường", "Thể loại: chuyên đề",
                     "Hiệu lực: từ 01/12/2021 đến 10/12/2021", "MP3 64 kbit/s, đơn kênh (mono)",
                     "Cam Hà Tĩnh – hương vị đất Hồng Lam"):
        assert expected in text, expected


# --- printed pieces ----------------------------------------------------------------------

@pytest.mark.parametrize("name,size", [("nhan-dia.svg", ("117mm", "117mm")),
                                       ("bia-truoc.svg", ("120mm", "120mm")),
                                       ("bia-khay.svg", ("151mm", "118mm"))])
def test_svg_is_exactly_the_configured_size_and_nothing_leaves_it(distributed, name, size):
    root = ET.parse(distributed / DIST / "cd" / name).getroot()
    assert (root.get("width"), root.get("height")) == size
    width, height = (float(v[:-2]) for v in size)
    assert root.get("viewBox") == f"0 0 {width:g} {height:g}"
    texts = root.findall(f"{SVG}text")
    assert any("BẢN NHÁP" in (t.text or "") for t in texts)
    for t in texts:
        if t.get("transform"):      # the spines and the draft watermark: checked by eye
            continue
        x, y = float(t.get("x")), float(t.get("y"))
        pt = float(t.get("font-size")) / printing.PT_MM
        w = printing.text_width(t.text, pt, t.get("font-weight") == "700")
        left = {"start": x, "middle": x - w / 2, "end": x - w}[t.get("text-anchor")]
        assert 0 <= left and left + w <= width and 0 < y - pt * printing.PT_MM and \
            y <= height, (name, t.text)


def test_label_text_stays_on_the_printable_ring(distributed):
    root = ET.parse(distributed / DIST / "cd" / "nhan-dia.svg").getroot()
    circles = sorted(float(c.get("r")) for c in root.findall(f"{SVG}circle"))
    assert circles == [20.5, 58.5]
    for t in root.findall(f"{SVG}text"):
        if t.get("transform"):
            continue
        x, y = float(t.get("x")), float(t.get("y"))
        pt = float(t.get("font-size")) / printing.PT_MM
        w = printing.text_width(t.text, pt, t.get("font-weight") == "700")
        h = pt * printing.PT_MM
        for cx, cy in ((x - w / 2, y - h), (x + w / 2, y - h), (x - w / 2, y), (x + w / 2, y)):
            distance = ((cx - 58.5) ** 2 + (cy - 58.5) ** 2) ** 0.5
            assert 20.5 < distance < 58.5, t.text


def test_full_face_label_has_the_small_hole():
    face = labels.DiscFace("Cam Hà Tĩnh", "Sở Thông tin và Truyền thông Hà Tĩnh", "e1",
                           "2021-11-30", "CAM", "Đĩa cho đài truyền thanh cấp xã",
                           ((1, "Bài một", 60.0),), False)
    text = printing.svg(labels.disc_label(face, LabelSize(118.0, 17.0)), "x")
    root = ET.fromstring(text)
    assert root.get("width") == "118mm" and root.get("height") == "118mm"
    assert sorted(float(c.get("r")) for c in root.findall(f"{SVG}circle")) == [8.5, 59.0]
    assert "BẢN NHÁP" not in text


def _tray_face(count: int, title_of=None) -> labels.DiscFace:
    long = (" và chương trình phát thanh chuyên đề về phát triển nông nghiệp công nghệ cao "
            "gắn với xây dựng nông thôn mới kiểu mẫu giai đoạn 2021–2025 trên địa bàn huyện")
    tracks = tuple((n, (title_of or (lambda n: f"Bản tin số {n} – Đường về xã Kỳ Anh"
                                     + (long if n % 3 == 0 else "")))(n), 241.0)
                   for n in range(1, count + 1))
    return labels.DiscFace("Chuyên đề thử", "Đài Truyền thanh xã Kỳ Anh", "X-2026-12-07-a1",
                           "2026-12-07", "X", "Đĩa cho đài truyền thanh cấp xã", tracks, True)


def _texts(page) -> list:
    return [t for t in page.shapes if isinstance(t, printing.Text) and not t.rotate]


@pytest.mark.parametrize("count", [1, 4, 12, 20, 40, 99])
def test_tray_card_lists_every_track_inside_the_card(count):
    """20 episodes used to run the list off the bottom of the 118 mm card, over the
    publisher and edition lines; long titles were cut after two lines without a mark."""
    page = labels.tray(_tray_face(count))
    texts = _texts(page)
    bottom_block = min(t.y for t in texts if t.text == "Đài Truyền thanh xã Kỳ Anh")
    total = next(t for t in texts if t.text.startswith("Tổng thời lượng"))
    assert total.y < bottom_block - 3
    listed = [t for t in texts if re.fullmatch(r"\d\d", t.text) and t.bold]
    more = [t for t in texts if t.text.startswith("… và ")]
    shown = [int(t.text) for t in listed]
    assert shown == list(range(1, len(shown) + 1))
    if more:
        assert count == 99 and more[0].text == f"… và {count - len(shown)} bài nữa (xem ĐỌC TRƯỚC.txt)"
        assert len(shown) >= 40
    else:
        assert len(shown) == count
    for t in texts:
        w = printing.text_width(t.text, t.size_pt, t.bold)
        left = {"start": t.x, "middle": t.x - w / 2, "end": t.x - w}[t.anchor]
        assert labels.SPINE_MM <= left and left + w <= labels.TRAY_MM[0] - labels.SPINE_MM, t
        assert t in (total,) or t.y < total.y - 3 or t.y >= bottom_block, t
        assert t.size_pt >= 3.0
    lines = [t.text for t in texts if t.y < total.y and t.anchor == "start" and not t.bold]
    cut = [line for line in lines if line.endswith("…")]
    assert all(line[:-1].strip() for line in cut) and (cut or count < 3)
    # No title line overlaps the duration beside it or the next column.
    for t in texts:
        if t.anchor == "start" and not t.bold and t.y < total.y and t.text != "DANH SÁCH BÀI":
            w = printing.text_width(t.text, t.size_pt)
            right_edges = [d.x - printing.text_width(d.text, d.size_pt) for d in texts
                           if d.anchor == "end" and d.y < total.y and d.x > t.x]
            if not t.text.startswith("… và "):
                assert t.x + w <= min(right_edges), t


def test_a_title_too_long_for_its_place_is_cut_with_an_ellipsis_and_stays_inside():
    """The label and front used to drop the end of a long title without a mark, and the
    spines shrank it until it ran past the card's edge."""
    title = ("Chương trình phát thanh chuyên đề về phát triển nông nghiệp công nghệ cao gắn với "
             "xây dựng nông thôn mới kiểu mẫu giai đoạn 2021–2025 trên địa bàn huyện Hương Khê")
    face = labels.DiscFace(title, "Sở Thông tin và Truyền thông tỉnh Hà Tĩnh", "E-1",
                           "2026-12-07", "CHUONG_TRINH_NHAP", "Đĩa cho đài", ((1, "Bài", 60.0),),
                           True)
    label = labels.disc_label(face, LabelSize(117.0, 41.0))
    front = labels.front(face)
    for page in (label, front):
        bold = [t.text for t in _texts(page) if t.bold and t.size_pt >= 10]
        assert bold[-1].endswith("…"), bold
        shown = " ".join(bold)[:-1].split()
        assert shown == title.split()[:len(shown)]
    spines = [t for t in labels.tray(face).shapes
              if isinstance(t, printing.Text) and t.rotate == 90]
    assert len(spines) == 2
    for t in spines:
        assert t.text.startswith("BẢN NHÁP · Chương trình") and t.text.endswith(
            "… · CHUONG_TRINH_NHAP"), t.text
        assert printing.text_width(t.text, t.size_pt, True) <= labels.TRAY_MM[1] - 10
        assert t.size_pt >= 5.5


def test_printed_pieces_leave_out_what_the_font_cannot_draw(tmp_path, caplog):
    """An emoji in a title printed as an empty box, and fpdf2 warned in English."""
    for tool in ("pdftotext",):
        require_tool(tool)
    face = _tray_face(3, lambda n: "Cà: “Ước mơ” 😀 ở Hà Tĩnh 🍊" if n == 1 else f"Bài {n}")
    face = labels.DiscFace("Mùa cam 🍊 Hà Tĩnh", *list(face.__dict__.values())[1:])
    pdf = printing.new_pdf("x", "y", 0)
    for page in (labels.front(face), labels.tray(face),
                 labels.disc_label(face, LabelSize(117.0, 41.0))):
        printing.draw_page(pdf, page)
        assert "😀" not in printing.svg(page, "x") and "🍊" not in printing.svg(page, "x")
    (tmp_path / "x.pdf").write_bytes(printing.pdf_bytes(pdf))
    assert not [r for r in caplog.records if "missing" in r.getMessage()]
    text = subprocess.run(["pdftotext", str(tmp_path / "x.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Cà: “Ước mơ” ở Hà Tĩnh" in text and "Mùa cam Hà Tĩnh" in text


def test_pdfs_render_with_the_font_embedded_and_diacritics_intact(distributed, tmp_path):
    for tool in ("pdftoppm", "pdftotext", "pdffonts", "pdfinfo"):
        require_tool(tool)
    folder = distributed / DIST / "cd"
    fonts = subprocess.run(["pdffonts", str(folder / "bia-hop.pdf")], capture_output=True,
                           text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), fonts   # emb
    assert "+DejaVuSansBook " in fonts and "+DejaVuSansBold " in fonts
    text = subprocess.run(["pdftotext", str(folder / "bia-hop.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    for expected in ("BẢN NHÁP", "Cam Hà Tĩnh – hương vị đất Hồng Lam",
                     "Sản phẩm OCOP: “Tinh hoa” quê hương", "Sở Thông tin và Truyền thông Hà Tĩnh",
                     "DANH SÁCH BÀI", "Tổng thời lượng"):
        assert expected in text, expected
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(folder / "nhan-dia.pdf"),
                    str(tmp_path / "label")], check=True)
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(folder / "bia-hop.pdf"),
                    str(tmp_path / "insert")], check=True)
    from PIL import Image

    sizes = [Image.open(p).size for p in sorted(tmp_path.glob("*.png"))]
    px = [math.ceil(mm / 25.4 * 100) for mm in (120, 120, 151, 118, 117, 117)]
    assert sizes == [(px[0], px[1]), (px[2], px[3]), (px[4], px[5])], sizes
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "2", str(folder / "bia-hop.pdf")],
                          capture_output=True, text=True, check=True).stdout
    points = [tuple(float(v) * 25.4 / 72 for v in m) for m in
              re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info)]
    assert [tuple(round(v, 2) for v in p) for p in points] == [(120, 120), (151, 118)]


# --- schedule and dispatch -----------------------------------------------------------------

def test_schedule_covers_the_campaign_for_each_kind(distributed):
    rows = read_csv(distributed / DIST / "lich-phat-song.csv")
    count = {kind: sum(1 for r in rows if r["loai_dai"] == kind)
             for kind in ("ip", "cd", "province")}
    assert count == {"ip": 20, "cd": 30, "province": 10}
    ip = [r["bai_so"] for r in rows if r["loai_dai"] == "ip"]
    assert ip[:4] == ["1", "2", "2", "1"]        # each programme at every time of day


def test_dispatch_list_numbers_every_copy(distributed):
    rows = read_csv(distributed / DIST / "danh-sach-gui.csv")
    ids = {r["ten_don_vi"]: r["ma_ban_sao"] for r in rows}
    assert ids == {"Đài truyền thanh xã Thạch Kim": "", "Đài truyền thanh xã Thạch Bằng": "",
                   "Đài truyền thanh xã Cẩm Bình": "",
                   "Đài truyền thanh xã Sơn Kim 1": "CD-001 CD-002",
                   "Đài truyền thanh xã Hương Trạch": "CD-003",
                   "Đài Phát thanh và Truyền hình Nghệ An": "PS-001",
                   "Đài Phát thanh và Truyền hình Quảng Bình": "PS-002 PS-003"}
    assert rows[0]["noi_dung_gui"] == "ip/vnpt" and "ky_nhan_ngay" in rows[0]
    assert rows[3]["noi_dung_gui"].startswith("THU_PH_NHAP (output/disc)")


FAKE_CDRDAO = """#!{python}
import sys, pathlib
import numpy as np
if sys.argv[1] == "read-cd":   # the disc it "burned": the BIN, big-endian, read offset +6
    data = np.frombuffer(pathlib.Path({bin!r}).read_bytes(), "<i2").astype(">i2").tobytes()
    pathlib.Path(sys.argv[sys.argv.index("--datafile") + 1]).write_bytes(bytes(24) + data)
"""


def test_burned_copies_match_the_dispatch_list(distributed, copy_of, tmp_path, monkeypatch):
    from radio.cli import cli

    root = copy_of(distributed)
    disc = root / "output" / "disc"
    label = fake_burner(root, tmp_path, monkeypatch)
    result = CliRunner().invoke(cli, ["burn", f"output/disc/{label}.toc", "--copies", "3",
                                      "--device", "/dev/sr1"], input="\n\n")
    assert result.exit_code == 0, result.output
    assert "copy CD-001 for Đài truyền thanh xã Sơn Kim 1" in result.output
    assert "(Ctrl+C to stop): " in result.output and "stop): :" not in result.output
    log = (disc / "burn.log").read_text(encoding="utf-8").splitlines()
    burned = [re.search(r"copy_id=(\S+)", line).group(1) for line in log]
    assert all("verified" in line for line in log)
    listed = " ".join(r["ma_ban_sao"] for r in read_csv(root / DIST / "danh-sach-gui.csv")
                      if r["loai"] == "cd").split()
    assert burned == listed[:3] == ["CD-001", "CD-002", "CD-003"]
    # Distributing again shows who got their copies, and who still waits.
    code, out, err = run_radio(["distribute", "--allow-draft", "-j", "1"], root)
    assert code == 0, err
    assert "(burned and verified: 3; waiting: 3)" in out
    rows = {r["ten_don_vi"]: r for r in read_csv(root / DIST / "danh-sach-gui.csv")}
    assert rows["Đài truyền thanh xã Hương Trạch"]["da_ghi_kiem_tra"].startswith("CD-003 ")
    assert rows["Đài Phát thanh và Truyền hình Nghệ An"]["da_ghi_kiem_tra"] == ""


def fake_burner(root: Path, tmp_path: Path, monkeypatch) -> str:
    """A cdrdao that "burns" and reads back the production's commune disc; its label."""
    disc = root / "output" / "disc"
    label = json.loads((disc / "manifest.json").read_text(encoding="utf-8"))["label"]
    bindir = tmp_path / "bin"
    bindir.mkdir(exist_ok=True)
    (bindir / "cdrdao").write_text(FAKE_CDRDAO.format(python=sys.executable,
                                                      bin=str(disc / f"{label}.bin")))
    (bindir / "eject").write_text("#!/bin/sh\nexit 0\n")
    for tool in bindir.iterdir():
        tool.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}:{Path(sys.executable).parent}:/usr/bin:/bin")
    monkeypatch.chdir(root)
    return label


def test_copies_burned_with_the_vietnamese_interface_count(distributed, copy_of, tmp_path,
                                                           monkeypatch):
    """On Vietnamese Windows the interface is Vietnamese, and so is the result burn.log
    records ("đã kiểm tra: khớp"): a verified copy must count all the same, or the list
    shows every station waiting and the next burn gives out the same copy id again."""
    from radio.cli import cli

    root = copy_of(distributed)
    label = fake_burner(root, tmp_path, monkeypatch)
    for _copy in range(2):
        code, out, err = run_radio(["--lang", "vi", "burn", f"output/disc/{label}.toc",
                                    "--device", "/dev/sr1"], root)
        assert code == 0, err
    assert "đã kiểm tra: khớp" in (root / "output/disc/burn.log").read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["--lang", "en", "burn", f"output/disc/{label}.toc",
                                      "--device", "/dev/sr1"])
    assert result.exit_code == 0, result.output
    assert "copy CD-003 for Đài truyền thanh xã Hương Trạch" in result.output
    code, out, err = run_radio(["distribute", "--allow-draft", "-j", "1"], root)
    assert code == 0, err
    assert "(burned and verified: 3; waiting: 3)" in out


def test_copies_of_another_edition_are_not_copies_of_this_disc(distributed, copy_of, tmp_path,
                                                               monkeypatch):
    """Copies burned from the draft (or from an edition since rebuilt) are not the disc
    the stations must get: the dispatch list shows them waiting again, and burn starts
    again from the first copy id."""
    from radio.cli import cli

    root = copy_of(distributed)
    label = fake_burner(root, tmp_path, monkeypatch)
    result = CliRunner().invoke(cli, ["burn", f"output/disc/{label}.toc", "--copies", "2",
                                      "--device", "/dev/sr1"], input="\n")
    assert result.exit_code == 0, result.output
    config = root / "radio.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "đĩa thử phát hành", "đĩa thử phát hành, lần 2"), encoding="utf-8")
    code, out, err = run_radio(["distribute", "--allow-draft", "-j", "1"], root)
    assert code == 0, err
    assert "(burned and verified: 0; waiting: 6)" in out
    rows = {r["ten_don_vi"]: r for r in read_csv(root / DIST / "danh-sach-gui.csv")}
    assert rows["Đài truyền thanh xã Sơn Kim 1"]["da_ghi_kiem_tra"] == ""
    label = fake_burner(root, tmp_path, monkeypatch)
    result = CliRunner().invoke(cli, ["burn", f"output/disc/{label}.toc", "--device",
                                      "/dev/sr1"])
    assert result.exit_code == 0, result.output
    assert "copy CD-001 for Đài truyền thanh xã Sơn Kim 1" in result.output


def test_copy_ids_stay_with_their_stations_when_the_list_changes(distributed, copy_of,
                                                                tmp_path, monkeypatch):
    """Copies burned and labelled, then a station added above them and another removed:
    each station keeps its ids (a disc already carries them), the new one gets a number
    never given before, and the burned copy nobody is listed for is named."""
    from radio.cli import cli

    root = copy_of(distributed)
    label = fake_burner(root, tmp_path, monkeypatch)
    result = CliRunner().invoke(cli, ["--lang", "en", "burn", f"output/disc/{label}.toc",
                                      "--copies", "3", "--device", "/dev/sr1"], input="\n\n")
    assert result.exit_code == 0, result.output
    path = root / "stations.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines = [line for line in lines if not line.startswith("Đài truyền thanh xã Hương Trạch")]
    lines.insert(1, "Đài truyền thanh xã Hương Minh,Hương Minh,Vũ Quang,cd,,,1,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for _run in range(2):                  # and the same again: nothing moves
        code, out, err = run_radio(["distribute", "--allow-draft", "-j", "1"], root)
        assert code == 0, err
        rows = {r["ten_don_vi"]: r for r in read_csv(root / DIST / "danh-sach-gui.csv")}
        assert rows["Đài truyền thanh xã Sơn Kim 1"]["ma_ban_sao"] == "CD-001 CD-002"
        assert rows["Đài truyền thanh xã Sơn Kim 1"]["da_ghi_kiem_tra"].startswith("CD-001 ")
        assert rows["Đài truyền thanh xã Hương Minh"]["ma_ban_sao"] == "CD-004"
        assert rows["Đài truyền thanh xã Hương Minh"]["da_ghi_kiem_tra"] == ""
        assert rows["Đài Phát thanh và Truyền hình Quảng Bình"]["ma_ban_sao"] == "PS-002 PS-003"
        assert "(burned and verified: 2; waiting: 4)" in out
        assert "CD-003" in err and "no station on the list" in err
    result = CliRunner().invoke(cli, ["--lang", "en", "burn", f"output/disc/{label}.toc",
                                      "--device", "/dev/sr1"])
    assert "copy CD-004 for Đài truyền thanh xã Hương Minh" in result.output


# --- refusals and bad input -------------------------------------------------------------------

def test_bad_rows_are_reported_together_with_their_lines(copy_of):
    root = copy_of(ROOTS / "distribute")
    shutil.copy(root / "stations.bad.csv", root / "stations.csv")
    code, out, err = run_radio(["distribute", "--allow-draft"], root)
    assert code == 2 and "Traceback" not in err
    lines = err.splitlines()
    assert [int(re.match(r"stations\.csv:(\d+): ", line).group(1)) for line in lines] == \
        [3, 4, 5, 6, 7, 8]
    assert "kind 'loa'" in lines[0] and "no platform" in lines[1] and "'hai'" in lines[2]
    assert "listed twice (first on line 2)" in lines[4] and "'gấp'" in lines[5]
    assert not (root / "output").exists()


def test_draft_and_emergency_need_to_be_confirmed(copy_of):
    root = copy_of(ROOTS / "distribute")
    code, out, err = run_radio(["distribute"], root)
    assert code == 2 and "--allow-draft" in err and not (root / "output").exists()
    path = root / "stations.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace(",,ưu tiên,", ",,khẩn cấp,"),
                    encoding="utf-8")
    code, out, err = run_radio(["distribute", "--allow-draft"], root)
    assert code == 2 and err.startswith("stations.csv:4: ") and "--confirm-emergency" in err


def test_a_confirmed_emergency_gets_its_own_package(distributed, copy_of):
    root = copy_of(distributed)
    path = root / "stations.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace(
        "0912 000 001,,thông thường,", "0912 000 001,,khẩn cấp,"), encoding="utf-8")
    code, out, err = run_radio(["distribute", "--allow-draft", "--confirm-emergency", "-j", "1"],
                               root)
    assert code == 0, err
    ip = root / DIST / "ip"
    assert sorted(p.name for p in ip.iterdir() if p.is_dir()) == [
        "viettel-uu-tien", "vnpt", "vnpt-khan-cap"]
    data = json.loads((ip / "vnpt-khan-cap" / "goi-tin.json").read_text(encoding="utf-8"))
    assert data["priority"] == "khẩn cấp" and data["priority_code"] == "emergency"
    assert [s["name"] for s in data["stations"]] == ["Đài truyền thanh xã Thạch Kim"]
    assert "phát ngay khi nhận" in (ip / "vnpt-khan-cap" / "goi-tin.txt").read_text(
        encoding="utf-8-sig")
    path.write_text(path.read_text(encoding="utf-8").replace(",khẩn cấp,", ",,"),
                    encoding="utf-8")
    code, out, err = run_radio(["distribute", "--allow-draft", "-j", "1"], root)
    assert code == 0, err
    assert not (ip / "vnpt-khan-cap").exists()     # a package nobody is listed for goes


def test_excel_semicolons_vietnamese_headers_and_a_sample_mark(tmp_path):
    path = tmp_path / "stations.csv"
    path.write_text("# BẢN MẪU: danh sách giả định\n"
                    "Tên;Xã;Huyện;Loại;Nền tảng;Liên hệ;Số bản;Ưu tiên;Ghi chú\n"
                    "Đài xã Thạch Kim;Thạch Kim;Lộc Hà;ip;MobiFone;;;uu tien;\n"
                    "\n"
                    "Đài xã Sơn Kim 1;Sơn Kim 1;Hương Sơn;CD;;;;;\n", encoding="utf-8")
    stations = read_stations(path)
    assert stations.sample
    first, second = stations.stations
    assert (first.kind, first.platform, first.priority, first.copies, first.line) == \
        ("ip", "MobiFone", "ưu tiên", 0, 3)
    assert (second.kind, second.copies, second.priority, second.line) == \
        ("cd", 1, "thông thường", 5)


def test_distribution_settings_are_checked_with_their_lines(copy_of):
    root = copy_of(ROOTS / "distribute")
    config = root / "radio.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'to = "2021-12-10"', 'to = "2021-11-01"\n\n[distribution.ip]\nbitrate_kbps = 65\n'
        'channels = 3\nloud = true'), encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        load_distribution(load(root))
    lines = [str(p) for p in caught.value.problems]
    text = config.read_text(encoding="utf-8").splitlines()
    line_of = {key: text.index(next(t for t in text if t.startswith(key))) + 1
               for key in ("to =", "bitrate_kbps", "channels", "loud")}
    assert any(f"radio.toml:{line_of['to =']}: " in p and "before" in p for p in lines)
    assert any(f"radio.toml:{line_of['bitrate_kbps']}: " in p for p in lines)
    assert any(f"radio.toml:{line_of['channels']}: " in p and "mono" in p for p in lines)
    assert any(f"radio.toml:{line_of['loud']}: " in p and "unknown" in p for p in lines)


def test_another_station_profile(distributed, tmp_path):
    from radio.distribute.ipaudio import encode_for_ip
    from radio.distribute.model import read_programme
    from radio.log import Log

    programme = read_programme(distributed / "output/episode1/episode1.broadcast.json")
    audio = encode_for_ip(programme, IpProfile(2, 48000, 96), tmp_path, Log(0))
    info = stream_info(audio.path)
    assert "48000 Hz, stereo" in info and "96 kb/s" in info, info
    err = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(audio.path),
                          "-af", "ebur128=peak=true", "-f", "null", "-"],
                         capture_output=True, text=True).stderr
    lufs = float(re.search(r"I:\s+(-?[\d.]+) LUFS", err[err.rindex("Summary:"):]).group(1))
    assert abs(lufs - -23.0) <= 0.5 and audio.true_peak_dbtp <= -1.0


def test_a_platform_written_two_ways_is_one_package_with_every_station(distributed, copy_of):
    """Offices type the vendor as it comes: "VNPT" on one row, "Vnpt" on the next.
    Both rows go to one folder, so they must be one package listing both stations."""
    root = copy_of(distributed)
    path = root / "stations.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace(
        "Thạch Bằng,Lộc Hà,ip,VNPT,", "Thạch Bằng,Lộc Hà,ip,Vnpt ,"), encoding="utf-8")
    code, out, err = run_radio(["distribute", "--allow-draft", "-j", "1"], root)
    assert code == 0, err
    assert "IP packages: 2;" in out
    ip = root / DIST / "ip"
    assert sorted(p.name for p in ip.iterdir() if p.is_dir()) == ["viettel-uu-tien", "vnpt"]
    data = json.loads((ip / "vnpt" / "goi-tin.json").read_text(encoding="utf-8"))
    assert data["platform"] == "VNPT"
    assert [s["name"] for s in data["stations"]] == ["Đài truyền thanh xã Thạch Kim",
                                                      "Đài truyền thanh xã Thạch Bằng"]
    rows = read_csv(root / DIST / "danh-sach-gui.csv")
    assert [r["noi_dung_gui"] for r in rows[:2]] == ["ip/vnpt", "ip/vnpt"]


# --- stations.csv as Excel and Notepad save it -------------------------------------------

EXCEL_ROWS = ["STT;Tên;Xã;Huyện;Loại;Nền tảng;Liên hệ;Số bản;Ưu tiên;Ghi chú",
              "1;Đài truyền thanh xã Thạch Kim;Thạch Kim;Lộc Hà;ip;VNPT;Anh Hùng, 0912 345 678;;;",
              ";;;;;;;;;",
              "2;Đài truyền thanh xã Hương Trạch;Hương Trạch;Hương Khê;cd;;;2;;vùng cam Hương Khê",
              "3;Đài Phát thanh và Truyền hình Nghệ An;;Nghệ An;province;;;1;;"]


@pytest.mark.parametrize("save_as", ["csv-utf-8", "csv-windows-1258", "unicode-text"])
def test_every_way_excel_saves_the_list_is_read(tmp_path, save_as):
    """Excel's "CSV UTF-8" (BOM), "CSV (Comma delimited)" on Vietnamese Windows
    (Windows-1258, tones as combining marks, ';' between cells) and "Unicode Text"
    (UTF-16, tabs): CRLF, a numbering column, an empty row; names come out NFC."""
    from radio.script.legacy import encode_cp1258

    text = "\r\n".join(EXCEL_ROWS) + "\r\n"
    path = tmp_path / "stations.csv"
    if save_as == "csv-utf-8":
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    elif save_as == "csv-windows-1258":
        raw = encode_cp1258(text)
        assert raw.decode("cp1258") != text   # really decomposed, as Windows writes it
        path.write_bytes(raw)
    else:
        path.write_bytes(text.replace(";", "\t").encode("utf-16"))
    stations = read_stations(path)
    assert [s.name for s in stations.stations] == [
        "Đài truyền thanh xã Thạch Kim", "Đài truyền thanh xã Hương Trạch",
        "Đài Phát thanh và Truyền hình Nghệ An"]
    first, second, third = stations.stations
    assert (first.contact, first.platform, first.line) == ("Anh Hùng, 0912 345 678", "VNPT", 2)
    assert (second.kind, second.copies, second.notes, second.line) == \
        ("cd", 2, "vùng cam Hương Khê", 4)
    assert (third.kind, third.district) == ("province", "Nghệ An")
    assert stations.encoding == {"csv-utf-8": "utf-8", "csv-windows-1258": "cp1258",
                                 "unicode-text": "utf-16"}[save_as]


def test_a_windows_1258_list_is_distributed_with_its_names_intact(distributed, copy_of):
    from radio.script.legacy import encode_cp1258

    root = copy_of(distributed)
    path = root / "stations.csv"
    path.write_bytes(encode_cp1258(path.read_text(encoding="utf-8-sig").replace("\n", "\r\n")))
    code, out, err = run_radio(["distribute", "--allow-draft", "-j", "1"], root)
    assert code == 0, err
    assert "Windows-1258" in out
    rows = read_csv(root / DIST / "danh-sach-gui.csv")
    assert rows[0]["ten_don_vi"] == "Đài truyền thanh xã Thạch Kim"
    assert rows[0]["lien_he"] == "Anh Nguyễn Văn An – 0912 000 001"


def test_a_list_that_lost_letters_or_is_not_windows_1258_is_refused(copy_of):
    from radio.script.legacy import encode_tcvn3

    root = copy_of(ROOTS / "distribute")
    path = root / "stations.csv"
    text = path.read_text(encoding="utf-8-sig")
    for raw in (text.encode("cp1258", errors="replace"),    # "Th?ch Kim": letters lost
                encode_tcvn3(text)):
        path.write_bytes(raw)
        code, out, err = run_radio(["distribute", "--allow-draft"], root)
        assert code == 2 and err.startswith("stations.csv:") and "CSV UTF-8" in err, err
        assert len(err.strip().splitlines()) == 1
    assert not (root / "output").exists()


def test_shifted_rows_stray_cells_and_near_duplicates_are_reported(copy_of):
    """An unquoted comma in a cell (Notepad), text under a column with no name, and a
    station typed twice with a double space: each named with its line, nothing built."""
    root = copy_of(ROOTS / "distribute")
    (root / "stations.csv").write_text(
        "name,commune,district,kind,platform,contact,copies,priority,notes,\n"
        "Đài truyền thanh xã Thạch Kim,Thạch Kim,Lộc Hà,ip,VNPT,Anh Hùng, 0912 345 678,,,,\n"
        "Đài truyền thanh xã Cẩm Bình,Cẩm Bình,Cẩm Xuyên,ip,Viettel,,,,,gọi trước\n"
        "Đài truyền thanh xã Sơn Kim 1,Sơn Kim 1,Hương Sơn,cd,,,1,,,\n"
        "Đài truyền thanh xã  Sơn Kim 1 ,Sơn Kim 1,Hương Sơn,cd,,,1,,,\n", encoding="utf-8")
    code, out, err = run_radio(["distribute", "--allow-draft"], root)
    assert code == 2 and "Traceback" not in err
    lines = err.strip().splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == \
        ["stations.csv:2", "stations.csv:3", "stations.csv:5"], err
    assert "11 cells" in lines[0] and "double quotes" in lines[0]
    assert "'gọi trước'" in lines[1]
    assert "listed twice (first on line 4)" in lines[2]
    assert not (root / "output").exists()


def test_packages_go_when_no_ip_station_is_left(distributed, copy_of):
    """The last IP stations taken off the list: their upload packages must not stay in
    output/distribution/ip/ for an operator to upload."""
    root = copy_of(distributed)
    path = root / "stations.csv"
    kept = [line for line in path.read_text(encoding="utf-8-sig").splitlines()
            if ",ip," not in line]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    ip = root / DIST / "ip"
    assert (ip / "vnpt" / "goi-tin.json").is_file()
    code, out, err = run_radio(["distribute", "--allow-draft", "-j", "1"], root)
    assert code == 0, err
    assert "IP packages: 0;" in out
    assert not list(ip.glob("*/goi-tin.json")) and not list(ip.rglob("*.mp3"))
    rows = read_csv(root / DIST / "danh-sach-gui.csv")
    assert rows and all(r["loai"] != "ip" for r in rows)


def test_a_note_about_a_sample_copy_does_not_make_the_list_a_sample(tmp_path):
    """Only a comment row marks the list as a sample (everything then says BẢN NHÁP);
    a station's note that mentions one ("gửi kèm bản mẫu") is just a note."""
    path = tmp_path / "stations.csv"
    path.write_text("name,kind,copies,notes\n"
                    "Đài truyền thanh xã Hương Minh,cd,2,gửi kèm bản mẫu nhãn đĩa\n"
                    "Đài Phát thanh và Truyền hình Nghệ An,province,1,sample CD received\n",
                    encoding="utf-8")
    assert not read_stations(path).sample
    # Excel quotes a comment that holds a comma: still a comment, and it marks the list
    path.write_text('"# Bản mẫu: tên đài, người liên hệ là giả định",,,\n'
                    + path.read_text(encoding="utf-8"), encoding="utf-8")
    stations = read_stations(path)
    assert stations.sample and len(stations.stations) == 2


def test_an_unclosed_quote_never_swallows_the_rows_after_it(tmp_path):
    """A stray quote at the start of a cell (typed in Notepad) made the csv reader take
    every following line into that cell: the stations below it were silently lost."""
    path = tmp_path / "stations.csv"
    path.write_text("name,kind,copies,notes\n"
                    'Đài truyền thanh xã Hương Minh,cd,2,"gửi trước Tết\n'
                    "Đài truyền thanh xã Sơn Kim 1,cd,1,\n"
                    "Đài truyền thanh xã Hương Trạch,cd,1,\n", encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        read_stations(path)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 1 and problems[0].startswith("stations.csv:2: "), problems
    assert "lines 2 to 4" in problems[0] and "quote" in problems[0]
    # A note over two lines (Alt+Enter in Excel, quoted when saved) is one cell, as it was.
    path.write_text("name,kind,copies,notes\n"
                    'Đài truyền thanh xã Hương Minh,cd,2,"gửi trước Tết, Rằm\ngọi anh Hùng, '
                    '0912 345 678, hoặc chị Hoa"\n'
                    "Đài truyền thanh xã Sơn Kim 1,cd,x,\n", encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        read_stations(path)
    assert [str(p).split(": ")[0] for p in caught.value.problems] == ["stations.csv:4"]


def test_lines_are_counted_as_an_editor_shows_them(tmp_path):
    """A vertical tab (a line break pasted from Word) or U+2028 (from a web page) inside
    a cell is not the end of a line: the bad row below is named at its own line."""
    path = tmp_path / "stations.csv"
    path.write_text("name,kind,copies,notes\n"
                    "Đài truyền thanh xã Hương Minh,cd,2,gửi trước Tết\x0bgọi anh Hùng\n"
                    "Đài truyền thanh xã Thạch Kim,ip,,vùng cam\u2028ven biển\n"
                    "Đài truyền thanh xã Sơn Kim 1,cd,hai,\n", encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        read_stations(path)
    assert [str(p).split(": ")[0] for p in caught.value.problems] == \
        ["stations.csv:3", "stations.csv:4"], [str(p) for p in caught.value.problems]


def test_names_that_only_look_different_are_one_station(tmp_path):
    """Names pasted from a web page, a chat or an old document carry a zero-width space,
    a no-break space, a line break typed in the cell or the Icelandic 'Ð' for 'Đ': the
    station is still listed twice, and its name comes out clean."""
    path = tmp_path / "stations.csv"
    name = "Đài truyền thanh xã Thạch Kim"
    for twin in (name + "\u200b", name.replace(" xã", "\u00a0xã"),
                 '"Đài truyền thanh\nxã Thạch Kim"', "\u00d0ài truyền thanh xã Thạch Kim",
                 "Đài truyền thanh xã Thạch\u00adKim".replace("\u00ad", " \u00ad")):
        path.write_text(f"name,kind,platform\n{name},ip,VNPT\n{twin},ip,VNPT\n",
                        encoding="utf-8")
        with pytest.raises(ProblemsError) as caught:
            read_stations(path)
        assert "listed twice (first on line 2)" in str(caught.value.problems[0]), twin
        path.write_text(f"name,kind,platform\n{twin},ip,VNPT \u200b\n", encoding="utf-8")
        station, = read_stations(path).stations
        assert (station.name, station.platform) == (name, "VNPT"), twin


def test_a_platform_written_any_way_is_one_package_in_a_safe_folder(tmp_path):
    """Spaces and dots in a vendor's name ("Mobi Fone", "V.N.P.T") do not split its
    stations into two packages; a folder is never a name Windows refuses (CON, AUX...),
    nor so long that the path overflows, and two platforms never share one."""
    from radio.distribute.packages import group_stations

    path = tmp_path / "stations.csv"
    long_name = "Hệ thống truyền thanh ứng dụng công nghệ thông tin – viễn thông tỉnh Hà Tĩnh"
    path.write_text("name,kind,platform,priority\n"
                    "A,ip,MobiFone,\nB,ip,Mobi Fone,\nC,ip,VNPT,\nD,ip,V.N.P.T,\n"
                    "E,ip,vnpt,ưu tiên\nF,ip,CON,\nG,ip,Aux,\n"
                    f"H,ip,{long_name} (huyện),\nI,ip,{long_name} (xã),\n", encoding="utf-8")
    stations = read_stations(path).stations
    assert [[s.name for s in group] for group in group_stations(stations).values()] == \
        [["A", "B"], ["C", "D"], ["E"], ["F"], ["G"], ["H"], ["I"]]
    from radio.distribute.packages import station_folders

    folders = station_folders(stations)
    assert folders["A"] == folders["B"] == "mobifone"
    assert folders["C"] == folders["D"] == "vnpt" and folders["E"] == "vnpt-uu-tien"
    assert (folders["F"], folders["G"]) == ("con-ip", "aux-ip")
    assert len(folders["H"]) <= 40 and folders["I"] == folders["H"] + "-2"


def test_a_failed_run_leaves_the_last_distribution_as_it_was(distributed, copy_of):
    """The IP encoding fails (here: its cache folder cannot be made): the labels, the
    packages and the dispatch list of the last good run stay, all of them, not a mix
    of new labels and an old list."""
    root = copy_of(distributed)
    out = root / DIST

    def snapshot() -> dict[str, bytes]:
        return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
                if p.is_file() and p.suffix not in (".bin", ".iso")}

    before = snapshot()
    config = root / "radio.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "đĩa thử phát hành", "đĩa thử phát hành, lần 2")
        + "\n[distribution.ip]\nbitrate_kbps = 96\n", encoding="utf-8")
    cache = root / ".radio" / "distribution"
    shutil.rmtree(cache)
    cache.write_text("not a folder")
    code, out_text, err = run_radio(["distribute", "--allow-draft", "-j", "1"], root)
    assert code == 1 and "Traceback" not in err, err
    assert snapshot() == before
    assert not [p for p in out.rglob("*") if ".radio-tmp-" in p.name]


def test_a_package_is_replaced_whole_or_not_at_all(tmp_path):
    from radio.fsio import atomic_folder

    package = tmp_path / "ip" / "vnpt"
    package.mkdir(parents=True)
    (package / "goi-tin.json").write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_folder(package) as folder:
            (folder / "01-bai.mp3").write_bytes(b"new")
            raise RuntimeError("the disk is full")
    assert sorted(p.name for p in package.iterdir()) == ["goi-tin.json"]
    with atomic_folder(package) as folder:
        (folder / "goi-tin.json").write_text("new")
    assert (package / "goi-tin.json").read_text() == "new"
    assert sorted(p.name for p in package.parent.iterdir()) == ["vnpt"]


def test_a_name_typed_again_without_accents_is_pointed_out(tmp_path):
    """"Dai truyen thanh xa Thach Kim" under "Đài truyền thanh xã Thạch Kim" (typed on a
    keyboard without Unikey): maybe two stations, most likely one listed twice; the run
    goes on, and names both lines."""
    path = tmp_path / "stations.csv"
    path.write_text("name,kind\nĐài truyền thanh xã Thạch Kim,cd\n"
                    "Đài truyền thanh xã Hương Trạch,cd\nDai truyen thanh xa Thach Kim,cd\n",
                    encoding="utf-8")
    stations = read_stations(path)
    assert len(stations.stations) == 3
    assert stations.look_alike == ((4, "Dai truyen thanh xa Thach Kim", 2,
                                    "Đài truyền thanh xã Thạch Kim"),)


@pytest.mark.parametrize("name", ["stations.xlsx", "stations.txt", "stations.csv.csv",
                                  "Stations.CSV"])
def test_a_list_saved_under_another_name_is_pointed_at(copy_of, name):
    """Excel saves "Unicode Text" as .txt, a workbook as .xlsx, and Windows hides the
    extension it added: the list is there, under a name the command does not read."""
    root = copy_of(ROOTS / "distribute")
    (root / "stations.csv").rename(root / name)
    code, out, err = run_radio(["distribute", "--allow-draft"], root)
    assert code == 2 and err.startswith("stations.csv: ") and name in err, err
    assert "CSV UTF-8" in err and len(err.strip().splitlines()) == 1
    assert not (root / "output").exists()


def test_labels_go_when_no_station_of_their_kind_is_left(distributed, copy_of):
    """The provinces taken off the list: their label and case insert are not left in
    output/distribution/province/ to be printed for nobody; the disc and its burn.log
    (copies already made) stay."""
    root = copy_of(distributed)
    path = root / "stations.csv"
    kept = [line for line in path.read_text(encoding="utf-8-sig").splitlines()
            if ",province," not in line]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    province = root / DIST / "province"
    assert (province / "nhan-dia.pdf").is_file()
    code, out, err = run_radio(["distribute", "--allow-draft", "-j", "1"], root)
    assert code == 0, err
    assert sorted(p.name for p in province.iterdir()) == ["disc"]
    assert (root / DIST / "cd" / "nhan-dia.pdf").is_file()
    assert all(r["loai"] != "province" for r in read_csv(root / DIST / "danh-sach-gui.csv"))
