"""Writes a parsed script as the Word document a journalist would type (tests only).

Layouts: paragraphs ("MC1: ..." lines, stage directions in brackets, Word
headings or bold capitals) or a two-column table (speaker | text).  Encodings:
Unicode fonts, TCVN3 (.VnTime, with the capitals that carry a tone in the
.VnTimeH font and "ư" kept as <w:softHyphen/> as Word does), VNI (VNI-Times; also
in runs of two characters, split between letters and their mark bytes),
runs of all three in one paragraph, or the font carried by the styles.
"""
from __future__ import annotations

import unicodedata

import docx
from docx.oxml.ns import qn
from docx.shared import Pt

from radio.script.legacy import encode_tcvn3, encode_vni
from radio.script.model import Bed, Clip, Heading, Jingle, Paragraph, Pause

TONED_CAPITAL = set("ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ")


def direction(item) -> str:
    """The stage direction a journalist writes for a cue."""
    if isinstance(item, Jingle):
        return "Nhạc chuyển" if "transition" in item.path else "(Nhạc hiệu)"
    if isinstance(item, Bed):
        return "[Nhạc nền]" if item.path else "(Tắt nhạc nền)"
    if isinstance(item, Clip):
        return f"(Băng phỏng vấn: {item.label})"
    if isinstance(item, Pause):
        return f"(Dừng {item.duration_ms / 1000:g} giây)"
    raise TypeError(item)


def expected_cue(item):
    if isinstance(item, Bed) and not item.path:
        return ("bed-off", "")
    kind = {Jingle: "jingle", Bed: "bed", Clip: "clip", Pause: "pause"}[type(item)]
    return (kind, item.label if isinstance(item, Clip) else "")


def _set_fonts(run, ascii_font: str | None, hansi_font: str | None = None) -> None:
    rpr = run._r.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    if ascii_font:
        fonts.set(qn("w:ascii"), ascii_font)
    fonts.set(qn("w:hAnsi"), hansi_font or ascii_font)


def _append_text(run, text: str) -> None:
    """Text into a run; U+00AD becomes <w:softHyphen/> (how Word keeps it)."""
    for index, piece in enumerate(text.split("\xad")):
        if index:
            run._r.append(run._r.makeelement(qn("w:softHyphen"), {}))
        if piece:
            t = run._r.makeelement(qn("w:t"), {})
            t.text = piece
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            run._r.append(t)


def tcvn3_runs(paragraph, text: str, font: str = ".VnTime", bold: bool = False,
               with_font: bool = True) -> None:
    """TCVN3 runs: toned capitals in the H font (written as their lowercase codes)."""
    pieces: list[tuple[bool, str]] = []
    for ch in unicodedata.normalize("NFC", text):
        capital = ch in TONED_CAPITAL
        if pieces and pieces[-1][0] == capital:
            pieces[-1] = (capital, pieces[-1][1] + ch)
        else:
            pieces.append((capital, ch))
    for capital, piece in pieces:
        coded = encode_tcvn3(piece.lower() if capital else piece).decode("cp1252")
        run = paragraph.add_run()
        _append_text(run, coded)
        run.bold = bold or None
        if with_font:
            _set_fonts(run, font + "H" if capital else font)
        elif capital:   # Word's habit: a Unicode ascii font, the H font as hAnsi only
            _set_fonts(run, "Times New Roman", font + "H")


def add_text(paragraph, text: str, encoding: str, bold: bool = False) -> None:
    if encoding == "tcvn3":
        tcvn3_runs(paragraph, text, bold=bold)
    elif encoding in ("styles", "theme"):   # the style or theme carries .VnTime
        tcvn3_runs(paragraph, text, bold=bold, with_font=False)
    elif encoding == "vni":
        run = paragraph.add_run(encode_vni(text).decode("cp1252"))
        run.bold = bold or None
        _set_fonts(run, "VNI-Times")
    elif encoding == "vni-split":   # Word's runs end anywhere: here before each mark byte
        coded = encode_vni(text).decode("cp1252")
        for index in range(0, len(coded), 2):
            run = paragraph.add_run(coded[index:index + 2])
            run.bold = bold or None
            _set_fonts(run, "VNI-Times")
    elif encoding == "mixed":
        for index, word in enumerate(text.split(" ")):
            word = word if index == 0 else " " + word
            add_text(paragraph, word, ("unicode", "tcvn3", "vni")[index % 3], bold)
    else:
        run = paragraph.add_run(text)
        run.bold = bold or None
        _set_fonts(run, "Times New Roman")


def new_document(encoding: str, title: str):
    """A document; for "styles" the paragraph styles carry .VnTime (Normal, and a
    "Lời dẫn" style based on it that names no font), for "theme" only the theme's
    fonts are .VnTime (reached through the document defaults and the styles)."""
    document = docx.Document()
    if encoding == "styles":
        document.styles["Normal"].font.name = ".VnTime"     # ascii + hAnsi of the style
        document.styles["Normal"].font.size = Pt(13)
        title_style = document.styles["Title"]
        title_style.font.name = ".VnTime"
        fonts = title_style.element.rPr.find(qn("w:rFonts"))
        for attribute in ("w:asciiTheme", "w:hAnsiTheme"):   # as Word does when a font is
            fonts.attrib.pop(qn(attribute), None)             # picked: the theme's goes
        from docx.enum.style import WD_STYLE_TYPE

        narration = document.styles.add_style("Lời dẫn", WD_STYLE_TYPE.PARAGRAPH)
        narration.base_style = document.styles["Normal"]
    if encoding == "theme":
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        theme = document.part.part_related_by(RT.THEME)
        blob = theme.blob
        for which in (b"<a:majorFont>", b"<a:minorFont>"):   # headings, body
            start = blob.index(which)
            latin = blob.index(b'<a:latin typeface="', start) + len(b'<a:latin typeface="')
            blob = blob[:latin] + b".VnTime" + blob[blob.index(b'"', latin):]
        theme._blob = blob
    if encoding in ("unicode", "mixed"):
        document.core_properties.title = title
    elif encoding in ("vni", "vni-split"):
        add_text(document.add_paragraph(), title.upper(), encoding, bold=True)
    else:
        tcvn3_runs(document.add_paragraph(style="Title"), title,
                   with_font=encoding == "tcvn3")
    return document


def _heading(document, title: str, encoding: str) -> None:
    if encoding in ("unicode", "mixed", "vni", "vni-split"):
        paragraph = document.add_paragraph(style="Heading 1")
        add_text(paragraph, title, encoding)
    else:   # bold capitals in the H font, as typists did
        paragraph = document.add_paragraph()
        coded = encode_tcvn3(title.lower()).decode("cp1252")
        run = paragraph.add_run()
        _append_text(run, coded)
        run.bold = True
        _set_fonts(run, ".VnTimeH")


def write_paragraphs(episode, path, encoding: str) -> None:
    document = new_document(encoding, episode.title)
    for item in episode.items:
        if isinstance(item, Heading):
            _heading(document, item.title, encoding)
        elif isinstance(item, Paragraph):
            paragraph = document.add_paragraph(style="Lời dẫn" if encoding == "styles"
                                               else None)
            add_text(paragraph, f"{item.speaker}: ", "unicode" if encoding == "mixed"
                     else encoding)
            add_text(paragraph, item.text, encoding)
        else:
            add_text(document.add_paragraph(), direction(item), encoding)
    document.save(str(path))


def write_table(episode, path, encoding: str = "unicode") -> None:
    """Speaker | text, with a header row; headings as merged bold capital rows."""
    document = new_document(encoding, episode.title)
    table = document.add_table(rows=1, cols=2)
    add_text(table.rows[0].cells[0].paragraphs[0], "Nhân vật", encoding, bold=True)
    add_text(table.rows[0].cells[1].paragraphs[0], "Nội dung", encoding, bold=True)
    for item in episode.items:
        left, right = table.add_row().cells
        if isinstance(item, Heading):
            merged = left.merge(right)
            add_text(merged.paragraphs[0], item.title.upper(), encoding, bold=True)
        elif isinstance(item, Paragraph):
            add_text(left.paragraphs[0], item.speaker, encoding, bold=True)
            add_text(right.paragraphs[0], item.text, encoding)
        else:
            add_text(right.paragraphs[0], direction(item), encoding)
    document.save(str(path))
