"""The font and weight Word draws a run with, resolved as Word resolves them.

python-docx reads a run's own ``w:rFonts/@w:ascii`` (``Font.name``) and nothing
else; the encoding of legacy Vietnamese text depends on the font that really
draws it.  Word takes, for each attribute separately, the most specific of:
the document defaults (``w:docDefaults``), the paragraph style and its
``w:basedOn`` chain, the character style and its chain, and the run itself; a
``w:asciiTheme``/``w:hAnsiTheme`` attribute names a theme font (the theme's
major or minor Latin typeface) and wins over a plain name at the same level.
Characters up to 0x7F are drawn with the ``ascii`` font, the others with the
``hAnsi`` font.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
SLOTS = ("ascii", "hAnsi")
_FALSE = ("0", "false", "off", "none")


@dataclass(frozen=True)
class RunLook:
    ascii_font: str | None
    hansi_font: str | None
    bold: bool
    caps: bool
    italic: bool = False


def _toggle(rpr, name: str) -> bool | None:
    """A toggle property (w:b, w:caps) set at one level: True, False or None (unset)."""
    if rpr is None:
        return None
    el = rpr.find(W + name)
    if el is None:
        return None
    return el.get(W + "val", "true").lower() not in _FALSE


class FontResolver:
    """Resolves the effective fonts and weight of runs in one document."""

    def __init__(self, styles_element, theme_xml: bytes | None):
        self.styles: dict[str, object] = {}
        self.default_paragraph_style = None
        self.defaults = None
        if styles_element is not None:
            for style in styles_element.findall(W + "style"):
                self.styles[style.get(W + "styleId")] = style
                if style.get(W + "type") == "paragraph" and \
                        style.get(W + "default", "0").lower() in ("1", "true", "on"):
                    self.default_paragraph_style = style.get(W + "styleId")
            self.defaults = styles_element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        self.theme = _theme_fonts(theme_xml)

    def _chain(self, style_id: str | None) -> list:
        """The style and its basedOn ancestors, the most general first."""
        chain, seen = [], set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            chain.append(style)
            based = style.find(W + "basedOn")
            style_id = based.get(W + "val") if based is not None else None
        return chain[::-1]

    def paragraph_style(self, p) -> str | None:
        ppr = p.find(W + "pPr")
        ps = ppr.find(W + "pStyle") if ppr is not None else None
        return ps.get(W + "val") if ps is not None else self.default_paragraph_style

    def style_name(self, style_id: str | None) -> str:
        style = self.styles.get(style_id)
        name = style.find(W + "name") if style is not None else None
        return name.get(W + "val", "") if name is not None else (style_id or "")

    def outline_level(self, p) -> int | None:
        """The paragraph's outline level (0 = a top heading), from it or its styles."""
        levels = [p.find(f"{W}pPr/{W}outlineLvl")]
        levels += [s.find(f"{W}pPr/{W}outlineLvl") for s in
                   reversed(self._chain(self.paragraph_style(p)))]
        for el in levels:
            if el is not None:
                value = int(el.get(W + "val", "9"))
                return value if value < 9 else None
        return None

    def levels(self, p, r) -> list:
        """The rPr elements that shape run *r* of paragraph *p*, the most general first."""
        levels = [self.defaults]
        levels += [s.find(W + "rPr") for s in self._chain(self.paragraph_style(p))]
        rpr = r.find(W + "rPr")
        rstyle = rpr.find(W + "rStyle") if rpr is not None else None
        if rstyle is not None:
            levels += [s.find(W + "rPr") for s in self._chain(rstyle.get(W + "val"))]
        levels.append(rpr)
        return [level for level in levels if level is not None]

    def look(self, p, r) -> RunLook:
        fonts: dict[str, str | None] = {slot: None for slot in SLOTS}
        bold = caps = italic = False
        for rpr in self.levels(p, r):
            rfonts = rpr.find(W + "rFonts")
            if rfonts is not None:
                for slot in SLOTS:
                    theme = rfonts.get(W + slot + "Theme")
                    if theme is not None and self._theme_font(theme):
                        fonts[slot] = self._theme_font(theme)
                    elif rfonts.get(W + slot) is not None:
                        fonts[slot] = rfonts.get(W + slot)
            bold = b if (b := _toggle(rpr, "b")) is not None else bold
            caps = c if (c := _toggle(rpr, "caps")) is not None else caps
            italic = i if (i := _toggle(rpr, "i")) is not None else italic
        return RunLook(fonts["ascii"], fonts["hAnsi"], bold, caps, italic)

    def _theme_font(self, theme: str) -> str | None:
        return self.theme.get("major" if theme.lower().startswith("major") else "minor")


def _theme_fonts(theme_xml: bytes | None) -> dict[str, str]:
    if not theme_xml:
        return {}
    try:
        root = etree.fromstring(theme_xml)
    except etree.XMLSyntaxError:
        return {}
    fonts = {}
    for which in ("major", "minor"):
        latin = root.find(f".//{A}fontScheme/{A}{which}Font/{A}latin")
        if latin is not None and latin.get("typeface"):
            fonts[which] = latin.get("typeface")
    return fonts
