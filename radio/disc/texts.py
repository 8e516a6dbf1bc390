"""Generated files on the data disc: DOCTRUOC.TXT and the two playlists."""
from __future__ import annotations

from ..clock import timecode
from .model import DiscPlan, DiscSpec, IsoEntry
from .names import ascii_fold, nfc

README_ISO = "/DOCTRUOC.TXT;1"
README_LONG = "/ĐỌC TRƯỚC.txt"
M3U8_ISO = "/DANHSACH.M8U;1"          # ISO 9660 level 1 allows 3-letter extensions only
M3U8_LONG = "/Danh sách phát.m3u8"
M3U_ISO = "/DANHSACH.M3U;1"
M3U_LONG = "/Danh sách phát (máy cũ, tên 8.3).m3u"


def _name(path: str) -> str:
    """The last component of an ISO or long path, without the ISO version."""
    return path.rsplit("/", 1)[-1].split(";")[0]


def generated_files(spec: DiscSpec, plan: DiscPlan, edition: str) -> tuple[IsoEntry, ...]:
    return (
        IsoEntry(README_ISO, README_LONG, None, readme_bytes(spec, plan, edition), "readme"),
        IsoEntry(M3U8_ISO, M3U8_LONG, None, playlist_m3u8(spec, plan), "playlist"),
        IsoEntry(M3U_ISO, M3U_LONG, None, playlist_m3u(spec, plan), "playlist"),
    )


def _mp3s(spec: DiscSpec, plan: DiscPlan):
    """(IsoEntry, DiscItem) for every MP3, in disc order."""
    by_path = {item.mp3_path: item for item in spec.items}
    return [(e, by_path[e.source]) for e in plan.files if e.kind == "mp3"]


def playlist_m3u8(spec: DiscSpec, plan: DiscPlan) -> bytes:
    lines = ["#EXTM3U"]
    for entry, item in _mp3s(spec, plan):
        lines += [f"#EXTINF:{round(item.duration_s)},{nfc(item.title)}", _name(entry.long_path)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def playlist_m3u(spec: DiscSpec, plan: DiscPlan) -> bytes:
    lines = ["#EXTM3U"]
    for entry, item in _mp3s(spec, plan):
        lines += [f"#EXTINF:{round(item.duration_s)},{ascii_fold(item.title)}",
                  _name(entry.iso_path)]
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def _draft_lines(spec: DiscSpec, plan: DiscPlan) -> list[str]:
    if not plan.draft:
        return []
    bar = "=" * 64
    lines = [bar, "  BẢN NHÁP / DRAFT — KHÔNG DÙNG ĐỂ PHÁT SÓNG (NOT FOR BROADCAST)", bar]
    if spec.draft:
        lines.append("Sản xuất đang ở trạng thái nháp (status = \"draft\" trong radio.toml).")
    for item in sorted(spec.items, key=lambda i: (i.number, i.name)):
        if item.placeholders > item.pending_cues:
            lines.append(f"Bài {item.number} ({item.name}): còn "
                         f"{item.placeholders - item.pending_cues} đoạn giọng "
                         "đọc tổng hợp chờ thay bằng bản thu âm.")
        if item.pending_cues:
            lines.append("Bài {number} ({name}): còn {count} chỉ dẫn âm thanh chờ bản ghi "
                         "(khoảng lặng thay thế).".format(number=item.number, name=item.name,
                                                          count=item.pending_cues))
    return lines + [""]


def readme_text(spec: DiscSpec, plan: DiscPlan, edition: str) -> str:
    lines = _draft_lines(spec, plan)
    lines += [nfc(spec.title or plan.label), "",
              f"Đơn vị phát hành (publisher): {nfc(spec.publisher)}",
              f"Ấn bản (edition): {edition}",
              f"Ngày (date): {spec.date}",
              f"Nhãn đĩa (volume label): {plan.label}", "",
              "ĐĨA CD ÂM THANH / AUDIO CD — DANH SÁCH BÀI (TRACK LIST)",
              "Track  Thời lượng  Tên bài"]
    for t in plan.tracks:
        lines.append(f"{t.number:>5}  {timecode(t.duration_s, pad=True):>10}  {nfc(t.title)}")
    lines += [f"Tổng thời lượng (total): {timecode(plan.audio_s, pad=True)}", "",
              "ĐĨA DỮ LIỆU MP3 / MP3 DATA DISC"]
    for entry, item in _mp3s(spec, plan):
        lines.append(f"  {timecode(item.duration_s, pad=True)}  {_name(entry.long_path)}")
    lines += ["", "CÁCH NGHE / HOW TO PLAY",
              "- Đĩa CD âm thanh: cho vào bất kỳ đầu đĩa CD nào; mỗi bài là một track.",
              "  Audio CD: plays in any CD player, one track per programme.",
              "- Đĩa dữ liệu MP3: mở đĩa trên máy tính hoặc đầu MP3; các tệp .mp3 ở thư mục",
              "  gốc của đĩa; danh sách phát \"Danh sách phát.m3u8\" (máy chỉ đọc tên 8.3:",
              "  DANHSACH.M3U);",
              "  kịch bản trong thư mục \"Kịch bản\".",
              "  Data disc: open it on a PC or an MP3 player; the MP3 files are in the top",
              "  folder, the scripts in the \"Kịch bản\" folder.",
              f"- Kiểm tra đĩa (verify a copy): radio verify {plan.label}.iso", "",
              "GHI CHÚ PHÁT SÓNG / BROADCAST NOTES",
              nfc(spec.notes).strip() or "(không có / none)"]
    return "\n".join(lines) + "\n"


def readme_bytes(spec: DiscSpec, plan: DiscPlan, edition: str) -> bytes:
    """UTF-8 with BOM and CRLF line ends, so Windows Notepad shows it right."""
    text = readme_text(spec, plan, edition).replace("\r\n", "\n").replace("\n", "\r\n")
    return b"\xef\xbb\xbf" + text.encode("utf-8")
