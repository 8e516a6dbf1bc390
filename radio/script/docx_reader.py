"""A Word document (.docx) as paragraphs and tables of Unicode text.

Every run is decoded by the font that draws it (see ``docx_fonts``): TCVN3
(``.VnTime``; the ``…H`` fonts in capitals) and VNI (``VNI-Times``) runs through
the tables of ``legacy``, Unicode runs as they are; a paragraph may mix them.
The run's XML is read directly, because python-docx's ``Run.text`` drops
``<w:softHyphen/>``, which is how Word keeps TCVN3's "ư" (code 0xAD).
"""
from __future__ import annotations

import dataclasses
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from ..i18n import _l
from ..textfold import readable
from .docx_fonts import W, FontResolver
from .legacy import decode_font_text, font_encoding, vni_mark

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONTAINERS = {W + t for t in ("hyperlink", "smartTag", "ins", "fldSimple", "customXml",
                               "moveTo", "sdt", "sdtContent", "dir", "bdo")}


@dataclass(frozen=True)
class Para:
    number: int            # 1-based, in document order, table cells included
    text: str              # NFC; line breaks inside the paragraph kept as "\n"
    bold_prefix: str       # the text of its leading bold runs
    all_bold: bool
    heading: int | None    # outline level + 1 (Word headings), else None
    style: str             # the paragraph style's name ("Title", "heading 1", ...)
    all_italic: bool = False
    boxed: bool = False    # in a text box (or shape) anchored to the paragraph before


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[tuple[Para, ...], ...], ...]   # rows -> cells -> paragraphs


@dataclass
class Tally:
    """What was decoded: runs per encoding and the legacy fonts seen."""
    runs: Counter = field(default_factory=Counter)
    fonts: dict = field(default_factory=dict)   # font name -> encoding key
    images: int = 0


@dataclass(frozen=True)
class WordDocument:
    title: str                        # the document's title property
    blocks: tuple[Para | Table, ...]
    tally: Tally


def refuse_unreadable(raw: bytes, shown: str) -> None:
    """Say in one line why *raw* is no .docx we can read (password, legacy .doc...)."""
    if not raw.strip(b"\x00"):   # a failed copy or download: nothing was saved
        raise UserError(_l("the document is empty"), path=shown,
                        hint=_l("check that it is the right file and that it was saved"))
    if raw.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in raw:
            raise UserError(_l("the document is protected with a password"), path=shown,
                            hint=_l("open it in Word, remove the password (File > Info > "
                                    "Protect Document) and save it again"))
        raise UserError(_l("this is a legacy Word file (.doc) named .docx"), path=shown,
                        hint=_l("rename it to .doc, or save it as .docx in Word"))
    if not raw.startswith(b"PK"):
        raise UserError(_l("this is not a Word document (.docx)"), path=shown,
                        hint=_l("open it in Word and save it as 'Word Document (.docx)'"))


def read_docx(path: Path, shown: str) -> WordDocument:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    raw = path.read_bytes()
    refuse_unreadable(raw, shown)
    try:
        document = docx.Document(str(path))
        body = document.element.body
        styles = document.styles.element
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, XMLSyntaxError, ValueError,
            EOFError, OSError) as exc:
        raise UserError(_l("the document is damaged and cannot be read"), path=shown,
                        hint=_l("open it in Word (which can repair it) and save it again")
                        ) from exc
    try:
        theme = document.part.part_related_by(RT.THEME).blob
    except KeyError:
        theme = None
    reader = _Reader(FontResolver(styles, theme))
    blocks = reader.blocks(body)
    # python-docx makes up "Word Document" when a file has no core properties at all.
    has_core = any(rel.reltype == RT.CORE_PROPERTIES
                   for rel in document.part.package.rels.values())
    title = document.core_properties.title if has_core else ""
    title = readable((title or "").strip())
    return WordDocument(title, tuple(blocks), reader.tally)


class _Reader:
    def __init__(self, fonts: FontResolver):
        self.fonts = fonts
        self.tally = Tally()
        self.count = 0

    def blocks(self, container) -> list:
        out: list = []
        for child in container:
            if child.tag == W + "p":
                out.append(self.paragraph(child))
                out += self.boxes(child)
            elif child.tag == W + "tbl":
                out.append(self.table(child))
            elif child.tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    out += self.blocks(content)
        return out

    def boxes(self, p) -> list:
        """The paragraphs of the text boxes and shapes anchored in *p*, each once: Word
        writes a box twice, as a drawing and as its VML fallback for old readers."""
        out = []
        for content in p.iter(W + "txbxContent"):
            if any(a.tag == MC + "Fallback" for a in content.iterancestors()) or \
                    any(a.tag == W + "txbxContent" for a in content.iterancestors()):
                continue   # the copy for old readers; a box in a box is read with it
            for block in self.blocks(content):
                if isinstance(block, Para):
                    out.append(dataclasses.replace(block, boxed=True))
        return out

    def table(self, tbl) -> Table:
        rows = []
        for tr in tbl.iter(W + "tr"):
            if tr.getparent() is not tbl and tr.getparent().getparent() is not tbl:
                continue   # a row of a nested table: read inside its cell
            cells = []
            for tc in tr.iter(W + "tc"):
                if tc.getparent() is not tr:
                    continue
                paras = [b for b in self.blocks(tc) if isinstance(b, Para)]
                cells.append(tuple(paras))
            rows.append(tuple(cells))
        return Table(tuple(rows))

    def paragraph(self, p) -> Para:
        self.count += 1
        parts: list[list] = []   # [text, look, still to decode (False: a symbol)]
        for r in _runs(p):
            parts += self.run_parts(p, r)
        _join_vni_marks(parts)
        pieces: list[tuple[str, bool]] = []
        italic: list[bool] = []
        for text, look, raw in parts:
            text = self.decode(text, look) if raw else text
            if text:
                pieces.append((text, look.bold))
            if text.strip():
                italic.append(look.italic)
        text = readable("".join(t for t, _ in pieces))
        prefix = []
        for piece, bold in pieces:
            if not bold and piece.strip():
                break
            prefix.append(piece)
        visible = [b for t, b in pieces if t.strip()]
        level = self.fonts.outline_level(p)
        style_id = self.fonts.paragraph_style(p)
        return Para(self.count, text, readable("".join(prefix)),
                    bool(visible) and all(visible), None if level is None else level + 1,
                    self.fonts.style_name(style_id), bool(italic) and all(italic))

    def run_parts(self, p, r) -> list[list]:
        """The run's text as [text, look, True] still to decode, with its symbols as
        [character, look, False]."""
        look = self.fonts.look(p, r)
        out: list[list] = []
        parts: list[str] = []
        for child in r:
            tag = child.tag
            if tag == W + "t":
                parts.append(child.text or "")
            elif tag == W + "tab":
                parts.append("\t")
            elif tag in (W + "br", W + "cr"):
                parts.append("\n")
            elif tag == W + "softHyphen":
                parts.append("\xad")
            elif tag == W + "noBreakHyphen":
                parts.append("-")
            elif tag == W + "sym":   # decoded by its own font, apart from the text
                out.append(["".join(parts), look, True])
                parts = []
                out.append([self.symbol(child), look, False])
            elif tag in (W + "drawing", W + "pict", W + "object"):
                self.tally.images += 1
        out.append(["".join(parts), look, True])
        return [part for part in out if part[0]]

    def symbol(self, sym) -> str:
        """A w:sym character: meaningful only in a legacy text font (else a dingbat)."""
        encoding, capitals = font_encoding(sym.get(W + "font"))
        try:
            code = int(sym.get(W + "char", ""), 16) & 0xFF
        except ValueError:
            return ""
        return decode_font_text(chr(0xF000 + code), encoding, capitals) if encoding else ""

    def decode(self, text: str, look) -> str:
        """Run text -> Unicode: characters up to 0x7F are drawn with the ascii font,
        the others with the hAnsi font, whose encoding decodes the run."""
        if not text:
            return ""
        high = any(ord(ch) > 0x7F for ch in text)
        font = look.hansi_font if high else look.ascii_font
        encoding = font_encoding(font)[0]
        caps_ascii = font_encoding(look.ascii_font)[1]
        caps_high = font_encoding(look.hansi_font)[1]
        if encoding:
            self.tally.fonts[font] = encoding
        if encoding and high:
            self.tally.runs[encoding] += 1
            decoded = decode_font_text(text, encoding)
        else:
            decoded = text = text.replace("\xad", "")   # an optional hyphen: invisible
        if look.caps or (caps_ascii and caps_high):
            return decoded.upper()
        if (caps_ascii or caps_high) and len(decoded) == len(text):   # TCVN3: one per code
            return "".join(d.upper() if (ord(c) <= 0x7F and caps_ascii) or
                           (ord(c) > 0x7F and caps_high) else d for c, d in zip(text, decoded))
        return decoded


def _join_vni_marks(parts: list[list]) -> None:
    """Word splits runs anywhere (each editing session, each spelling mark), also
    between a VNI letter and the byte that carries its marks ("Vie" | "ät"): a part
    that opens with a mark byte gives it to the VNI part before it, to decode together."""
    for before, part in zip(parts, parts[1:]):
        if not (before[2] and part[2] and before[0] and part[0]):
            continue
        first = part[0][0]
        if ord(first) <= 0x7F or vni_mark(first) is None:
            continue
        ends_high = ord(before[0][-1]) > 0x7F
        before_font = before[1].hansi_font if ends_high else before[1].ascii_font
        if font_encoding(before_font)[0] == "vni" and \
                font_encoding(part[1].hansi_font)[0] == "vni":
            before[0] += first
            part[0] = part[0][1:]


def _runs(element):
    """The runs of a paragraph in reading order: inside links, fields, insertions;
    not deleted text (w:del) or the paragraphs of text boxes."""
    for child in element:
        if child.tag == W + "r":
            yield child
        elif child.tag in _CONTAINERS:
            yield from _runs(child)
