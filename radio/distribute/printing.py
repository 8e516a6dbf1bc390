"""Printed pieces drawn once and rendered twice: SVG in exact millimetres and PDF.

A piece is a list of shapes (text, lines, circles, rectangles) in mm on a page
of a given size.  ``svg`` writes it with ``width``/``height`` in mm and the
font embedded (so the SVG prints the same anywhere); ``pdf`` draws the same
shapes with fpdf2 on pages of that size, the font embedded too.  Text widths
come from the font's own metrics (fpdf2), so wrapping and fitting decided
here hold in both.

The font is DejaVu Sans (regular and bold), subset to Latin and Vietnamese,
shipped in ``fonts/`` with its licence.
"""
from __future__ import annotations

import base64
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

FONTS = Path(__file__).parent / "fonts"
FONT_FILES = {False: FONTS / "DejaVuSans.ttf", True: FONTS / "DejaVuSans-Bold.ttf"}
FAMILY = "DejaVu Sans"
PT_MM = 25.4 / 72
INK = (34, 34, 34)
GUIDE = (170, 170, 170)
DRAFT_INK = (240, 170, 170)


@dataclass(frozen=True)
class Text:
    x: float
    y: float                    # baseline
    text: str
    size_pt: float
    bold: bool = False
    anchor: str = "middle"      # start, middle, end
    rotate: float = 0.0         # degrees, counter-clockwise, about (x, y)
    color: tuple = INK

    def __post_init__(self):
        object.__setattr__(self, "text", printable(self.text))


@functools.cache
def _glyphs() -> frozenset[int]:
    """The code points both faces of the font can draw."""
    pdf = _metrics()
    points = []
    for style in ("", "B"):
        pdf.set_font(FAMILY, style, 9)
        points.append(set(pdf.current_font.cmap))
    return frozenset(points[0] & points[1])


def printable(text: str) -> str:
    """*text* (NFC) without what the font cannot draw (an emoji in a title...), which
    would print as an empty box; the spaces around a dropped character are merged."""
    text = unicodedata.normalize("NFC", text)
    glyphs = _glyphs()
    if all(ord(ch) in glyphs or ch.isspace() for ch in text):
        return text
    kept = "".join(ch if ord(ch) in glyphs or ch.isspace() else " " for ch in text
                   if unicodedata.category(ch) not in ("Mn", "Cf") or ord(ch) in glyphs)
    return re.sub(r"\s+", " ", kept).strip()


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.2
    dashed: bool = False
    color: tuple = GUIDE


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    width: float = 0.2
    dashed: bool = False
    color: tuple = GUIDE


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    width: float = 0.2
    dashed: bool = False
    color: tuple = GUIDE


@dataclass(frozen=True)
class Page:
    width_mm: float
    height_mm: float
    shapes: tuple = field(default_factory=tuple)


@functools.cache
def _metrics():
    """An fpdf2 document used only to measure text with the embedded font."""
    from fpdf import FPDF

    pdf = FPDF(unit="mm")
    for bold, path in FONT_FILES.items():
        pdf.add_font(FAMILY, "B" if bold else "", str(path))
    return pdf


def text_width(text: str, size_pt: float, bold: bool = False) -> float:
    text = printable(text)
    pdf = _metrics()
    pdf.set_font(FAMILY, "B" if bold else "", size_pt)
    return pdf.get_string_width(text)


def wrap(text: str, size_pt: float, width_mm: float, bold: bool = False) -> list[str]:
    """Greedy word wrap to *width_mm* (a word longer than the width stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(lines[-1] + " " + word, size_pt, bold) <= width_mm:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def fit(text: str, size_pt: float, width_mm: float, bold: bool = False,
        smallest_pt: float = 5.0) -> float:
    """The largest size ≤ *size_pt* (down to *smallest_pt*) at which *text* fits."""
    while size_pt > smallest_pt and text_width(text, size_pt, bold) > width_mm:
        size_pt -= 0.25
    return size_pt


# --- SVG -------------------------------------------------------------------------

def _rgb(color: tuple) -> str:
    return "#{:02x}{:02x}{:02x}".format(*color)


@functools.cache
def _font_faces() -> str:
    faces = []
    for bold, path in FONT_FILES.items():
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        faces.append("@font-face{{font-family:'{family}';font-weight:{weight};"
                     "src:url(data:font/ttf;base64,{data}) format('truetype');}}".format(
                         family=FAMILY, weight=700 if bold else 400, data=data))
    return "".join(faces)


def svg(page: Page, title: str) -> str:
    w, h = _num(page.width_mm), _num(page.height_mm)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" '
           f'viewBox="0 0 {w} {h}">',
           f"<title>{escape(title)}</title>",
           f"<style>{_font_faces()}text{{font-family:'{FAMILY}',sans-serif}}</style>"]
    for shape in page.shapes:
        out.append(_svg_shape(shape))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _stroke(shape) -> str:
    dash = ' stroke-dasharray="1.5 1"' if shape.dashed else ""
    return (f'fill="none" stroke="{_rgb(shape.color)}" stroke-width="{_num(shape.width)}"'
            + dash)


def _svg_shape(shape) -> str:
    if isinstance(shape, Text):
        turn = (f' transform="rotate({_num(-shape.rotate)} {_num(shape.x)} {_num(shape.y)})"'
                if shape.rotate else "")
        weight = ' font-weight="700"' if shape.bold else ""
        return (f'<text x="{_num(shape.x)}" y="{_num(shape.y)}" '
                f'font-size="{_num(shape.size_pt * PT_MM)}"{weight} '
                f'text-anchor="{shape.anchor}" fill="{_rgb(shape.color)}"{turn}>'
                f"{escape(shape.text)}</text>")
    if isinstance(shape, Line):
        return (f'<line x1="{_num(shape.x1)}" y1="{_num(shape.y1)}" x2="{_num(shape.x2)}" '
                f'y2="{_num(shape.y2)}" {_stroke(shape)}/>')
    if isinstance(shape, Circle):
        return (f'<circle cx="{_num(shape.cx)}" cy="{_num(shape.cy)}" r="{_num(shape.r)}" '
                f"{_stroke(shape)}/>")
    return (f'<rect x="{_num(shape.x)}" y="{_num(shape.y)}" width="{_num(shape.w)}" '
            f'height="{_num(shape.h)}" {_stroke(shape)}/>')


# --- PDF -------------------------------------------------------------------------

def new_pdf(title: str, author: str, epoch: int):
    """An fpdf2 document with the font, reproducible (creation date pinned)."""
    import datetime as dt

    from fpdf import FPDF

    pdf = FPDF(unit="mm")
    for bold, path in FONT_FILES.items():
        pdf.add_font(FAMILY, "B" if bold else "", str(path))
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creator("radio")
    pdf.set_creation_date(dt.datetime.fromtimestamp(epoch, dt.timezone.utc))
    pdf.set_auto_page_break(False)
    return pdf


def draw_page(pdf, page: Page) -> None:
    pdf.add_page(format=(page.width_mm, page.height_mm))
    for shape in page.shapes:
        _pdf_shape(pdf, shape)


def _pdf_shape(pdf, shape) -> None:
    if isinstance(shape, Text):
        pdf.set_font(FAMILY, "B" if shape.bold else "", shape.size_pt)
        pdf.set_text_color(*shape.color)
        width = pdf.get_string_width(shape.text)
        shift = {"start": 0.0, "middle": width / 2, "end": width}[shape.anchor]
        if shape.rotate:
            with pdf.rotation(shape.rotate, shape.x, shape.y):
                pdf.text(shape.x - shift, shape.y, shape.text)
        else:
            pdf.text(shape.x - shift, shape.y, shape.text)
        return
    pdf.set_draw_color(*shape.color)
    pdf.set_line_width(shape.width)
    pdf.set_dash_pattern(1.5, 1) if shape.dashed else pdf.set_dash_pattern()
    if isinstance(shape, Line):
        pdf.line(shape.x1, shape.y1, shape.x2, shape.y2)
    elif isinstance(shape, Circle):
        pdf.ellipse(shape.cx - shape.r, shape.cy - shape.r, 2 * shape.r, 2 * shape.r)
    else:
        pdf.rect(shape.x, shape.y, shape.w, shape.h)
    pdf.set_dash_pattern()


def pdf_bytes(pdf) -> bytes:
    return bytes(pdf.output())
