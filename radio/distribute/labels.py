"""The disc label and the jewel-case insert, laid out in millimetres.

Label: a disc of ``[distribution.label] diameter_mm`` (117 by default, common
label stock is 116–118) with a ``hole_mm`` hub hole (41 standard, 17 for
full-face labels); text stays inside the printable ring, each line wrapped to
the chord at its height.  Insert: the front (120 × 120 mm) and the tray card
(151 × 118 mm: a 138 mm back between two 6.5 mm spines, fold lines dashed).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..clock import timecode
from .model import DRAFT_LINE, DRAFT_MARK
from .printing import DRAFT_INK, Circle, Line, Page, Rect, Text, fit, text_width, wrap
from .profile import LabelSize

FRONT_MM = (120.0, 120.0)
TRAY_MM = (151.0, 118.0)
SPINE_MM = 6.5
RED = (200, 30, 30)
GREY = (90, 90, 90)


@dataclass(frozen=True)
class DiscFace:
    """What the printed pieces of one disc say."""

    title: str
    publisher: str
    edition: str
    date: str
    volume_label: str
    use: str                                  # who the disc is for, one line
    tracks: tuple[tuple[int, str, float], ...]   # (number, title, seconds)
    draft: bool

    @property
    def total_s(self) -> float:
        return sum(t[2] for t in self.tracks)


def _count_line(face: DiscFace) -> str:
    return "{count:02d} chuyên đề phát thanh · tổng thời lượng {total}".format(
        count=len(face.tracks), total=timecode(face.total_s, pad=True, hours=True))


def _edition_line(face: DiscFace) -> str:
    return "Ấn bản {edition}".format(edition=face.edition)   # label, date and a hash


def disc_label(face: DiscFace, size: LabelSize) -> Page:
    d = size.diameter_mm
    c, ring = d / 2, d / 2 - 3.0           # 3 mm from the edge stays blank (cutting)
    inner = size.hole_mm / 2 + 3.0

    def width_at(top: float, bottom: float) -> float:
        far = max(abs(top - c), abs(bottom - c))
        return 2 * math.sqrt(max(ring * ring - far * far, 0.0)) - 4.0

    shapes: list = [Circle(c, c, d / 2), Circle(c, c, size.hole_mm / 2)]
    if face.draft:
        shapes.append(Text(c, c + 3, DRAFT_MARK, fit(DRAFT_MARK, 40, d * 0.8, True), True,
                           rotate=30, color=DRAFT_INK))
    y = c - ring + 12.0
    for text, pt, bold, color in ((face.publisher, 7.5, False, GREY),
                                  (face.title, 12.0, True, (0, 0, 0))):
        y = _flow(shapes, text, pt, bold, color, y, width_at, c - inner, c)
        y += 1.0
    y = c + inner + 5.0
    lines = [(_count_line(face), 7.0, False, (0, 0, 0)), (face.use, 6.5, False, GREY),
             (_edition_line(face), 6.0, False, GREY)]
    if face.draft:
        lines.insert(0, (DRAFT_LINE, 8.0, True, RED))
    for text, pt, bold, color in lines:
        y = _flow(shapes, text, pt, bold, color, y, width_at, c + ring - 2.0, c)
    return Page(d, d, tuple(shapes))


def _flow(shapes: list, text: str, pt: float, bold: bool, color: tuple, y: float,
          width_at, limit: float, cx: float) -> float:
    """Place *text* centred on *cx* from baseline *y* down, each line wrapped to the
    chord at its height; a line that would pass *limit* is left out."""
    height = pt * 25.4 / 72
    words = text.split()
    last = None
    while words and y <= limit:
        width = width_at(y - height, y + height * 0.25)
        line = words.pop(0)
        while words and text_width(line + " " + words[0], pt, bold) <= width:
            line += " " + words.pop(0)
        last = Text(cx, y, line, fit(line, pt, width, bold), bold, color=color)
        shapes.append(last)
        y += height * 1.25
    if words and last is not None:          # the rest does not fit: say that it is cut
        width = width_at(last.y - height, last.y + height * 0.25)
        shapes[-1] = Text(cx, last.y, ellipsize(last.text + " " + " ".join(words), last.size_pt,
                                                width, bold), last.size_pt, bold, color=color)
    return y


def front(face: DiscFace) -> Page:
    w, h = FRONT_MM
    shapes: list = [Rect(0, 0, w, h)]
    if face.draft:
        shapes.append(Text(w / 2, h / 2 + 10, DRAFT_MARK, 44, True, rotate=35, color=DRAFT_INK))
        shapes.append(Text(w / 2, 9, DRAFT_LINE, fit(DRAFT_LINE, 9, w - 16, True), True,
                           color=RED))
    shapes.append(Text(w / 2, 18, face.publisher, fit(face.publisher, 9, w - 16), color=GREY))
    y = 38.0
    for line in _title_lines(face.title, 20, w - 20, 4, True):
        shapes.append(Text(w / 2, y, line, fit(line, 20, w - 20, True), True))
        y += 9.0
    shapes.append(Text(w / 2, y + 4, _count_line(face), fit(_count_line(face), 10, w - 16)))
    shapes.append(Text(w / 2, h - 16, face.use, fit(face.use, 8, w - 16), color=GREY))
    shapes.append(Text(w / 2, h - 9, _edition_line(face), fit(_edition_line(face), 7, w - 16),
                       color=GREY))
    return Page(w, h, tuple(shapes))


TRAY_TOTAL_MM = 10.0         # the rule and the total line below the track list
TRACK_SIZES_PT = (9.0, 8.0, 7.0, 6.0)
COLUMN_GAP_MM = 5.0


def ellipsize(text: str, pt: float, width: float, bold: bool = False) -> str:
    """*text* cut at a word (or a letter) and ended with "…" so that it fits *width*."""
    if text_width(text, pt, bold) <= width:
        return text
    words = text.split()
    while len(words) > 1 and text_width(" ".join(words) + "…", pt, bold) > width:
        words.pop()
    cut = " ".join(words).rstrip(" ,;:–-")
    while cut and text_width(cut + "…", pt, bold) > width:
        cut = cut[:-1]
    return cut.rstrip(" ,;:–-") + "…"


def _title_lines(title: str, pt: float, width: float, most: int,
                 bold: bool = False) -> list[str]:
    """*title* wrapped to *width* on at most *most* lines, the last ending in "…" if cut."""
    lines = [ellipsize(line, pt, width, bold) for line in wrap(title, pt, width, bold)]
    if len(lines) > most:
        lines = lines[:most - 1] + [ellipsize(" ".join(lines[most - 1:]) + " …", pt, width,
                                              bold)]
    return lines


def _columns(tracks, pt: float, count: int, most: int, x0: float, x1: float, height: float,
             gap: float | None = None):
    """The tracks in *count* columns at *pt*: [(x, width, number width, rows)], rows being
    [(track, title lines)]; None if they do not all fit *height*."""
    lead, gap = pt * 0.51, pt * 0.22 if gap is None else gap
    column_w = (x1 - x0 - COLUMN_GAP_MM * (count - 1)) / count
    number_w = text_width("00", pt, True) + 2.5
    time_w = max((text_width(timecode(t[2], pad=True, hours=True), pt) for t in tracks),
                 default=0.0) + 3.0
    title_w = column_w - number_w - time_w
    if title_w < 20:
        return None
    columns, used = [(x0, [])], 0.0
    for track in tracks:
        lines = _title_lines(track[1], pt, title_w, most)
        need = len(lines) * lead + gap
        if used + need > height and columns[-1][1]:
            if len(columns) == count:
                return None
            columns.append((x0 + len(columns) * (column_w + COLUMN_GAP_MM), []))
            used = 0.0
        columns[-1][1].append((track, lines))
        used += need
    return [(x, column_w, number_w, rows) for x, rows in columns]


def _track_list(shapes: list, tracks, x0: float, x1: float, top: float, bottom: float) -> float:
    """Every track (number, title on at most two lines, duration) between *top* and
    *bottom*: smaller type and more columns as the list grows; past what the card can
    hold, a last line says how many more there are.  Returns the y below the list."""
    height = bottom - top
    for pt in TRACK_SIZES_PT:
        for count in (1, 2, 3):
            for most in (2, 1):
                layout = _columns(tracks, pt, count, most, x0, x1, height)
                if layout is not None:
                    return _draw_tracks(shapes, layout, pt, pt * 0.22, top)
    # More than three columns of one line each can hold: as many as fit, then a count.
    pt, gap = TRACK_SIZES_PT[-1], 0.3
    lead = pt * 0.51
    shown = max(3 * int(height // (lead + gap)) - 1, 0)
    layout = _columns(tracks[:shown], pt, 3, 1, x0, x1, height, gap) or []
    y = _draw_tracks(shapes, layout, pt, gap, top)
    x, width = (layout[-1][0], layout[-1][1]) if layout else (x0, x1 - x0)
    rows = layout[-1][3] if layout else []
    more = "… và {n} bài nữa (xem ĐỌC TRƯỚC.txt)".format(n=len(tracks) - shown)
    shapes.append(Text(x, top + len(rows) * (lead + gap), more,
                       fit(more, pt, width, smallest_pt=3.0), anchor="start"))
    return y


def _draw_tracks(shapes: list, layout, pt: float, gap: float, top: float) -> float:
    lead = pt * 0.51
    lowest = top + lead
    for x, column_w, number_w, rows in layout:
        y = top
        for (number, _title, seconds), lines in rows:
            shapes.append(Text(x, y, "{n:02d}".format(n=number), pt, True, anchor="start"))
            shapes.append(Text(x + column_w, y, timecode(seconds, pad=True, hours=True), pt,
                               anchor="end"))
            for line in lines:
                shapes.append(Text(x + number_w, y, line, pt, anchor="start"))
                y += lead
            y += gap
        lowest = max(lowest, y)
    return lowest + 2.0


def tray(face: DiscFace) -> Page:
    w, h = TRAY_MM
    left, right = SPINE_MM, w - SPINE_MM
    shapes: list = [Rect(0, 0, w, h), Line(left, 0, left, h, dashed=True),
                    Line(right, 0, right, h, dashed=True)]
    spine = "{title} · {label}".format(title=face.title, label=face.volume_label)
    if face.draft:
        spine = "{mark} · {spine}".format(mark=DRAFT_MARK, spine=spine)
        shapes.append(Text(w / 2, h / 2 + 12, DRAFT_MARK, 40, True, rotate=25, color=DRAFT_INK))
    size = fit(spine, 7, h - 10, True, smallest_pt=5.5)
    if text_width(spine, size, True) > h - 10:     # cut the title, keep the mark and label
        head = "{mark} · ".format(mark=DRAFT_MARK) if face.draft else ""
        tail = " · {label}".format(label=face.volume_label)
        room = h - 10 - text_width(head + tail, size, True)
        spine = head + ellipsize(face.title, size, room, True) + tail
    for x in (left / 2 + 1.2, right + SPINE_MM / 2 + 1.2):
        shapes.append(Text(x, h / 2, spine, size, True, rotate=90))
    y = 12.0
    if face.draft:
        shapes.append(Text(w / 2, 8, DRAFT_LINE, 8, True, color=RED))
    shapes.append(Text(left + 6, y + 3, "DANH SÁCH BÀI", 10, True, anchor="start"))
    list_bottom = h - 8.0 - 4.5 * 3 - TRAY_TOTAL_MM
    y = _track_list(shapes, face.tracks, left + 6, right - 6, y + 11.0, list_bottom)
    shapes.append(Line(left + 6, y - 2, right - 6, y - 2, color=GREY))
    shapes.append(Text(right - 6, y + 3, "Tổng thời lượng: {total}".format(
        total=timecode(face.total_s, pad=True, hours=True)), 9, True, anchor="end"))
    bottom = [(face.publisher, 8, GREY), (face.use, 7.5, GREY),
              (_edition_line(face), 7, GREY),
              ("Âm lượng đã chuẩn hóa: không cần chỉnh mức khi chuyển bài.", 7, GREY)]
    y = h - 8.0 - 4.5 * (len(bottom) - 1)
    for text, pt, color in bottom:
        shapes.append(Text(w / 2, y, text, fit(text, pt, right - left - 10), color=color))
        y += 4.5
    return Page(w, h, tuple(shapes))
