"""Vietnamese text for formats that cannot hold it: NFC, and ASCII folding.

Diacritics survive wherever a format can hold them; ISO 9660 names, volume
labels, CD-TEXT and BWF `bext` text fields are ASCII, so we fold: NFD, strip
combining marks, đ→d, Đ→D, typographic punctuation to its ASCII look-alike.
"""
from __future__ import annotations

import re
import unicodedata

_PUNCTUATION = {
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'",
    "\u2026": "...", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u00b7": "-",
    "\u2022": "-", "\u00d7": "x", "\u00b0": " do ",
    "\u0111": "d", "\u0110": "D",
}

def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# Line breaks that editors do not show as new lines: Word's Shift+Enter (a vertical
# tab when pasted), its page break, web pages' line and paragraph separators, NEL.
_SOFT_BREAKS = str.maketrans({"\x0b": " ", "\x0c": " ", "\x85": " ", "\u2028": " ",
                              "\u2029": " "})


def readable(text: str) -> str:
    """NFC text without the invisible characters that Word and web pages leave in it
    (zero-width spaces and joiners, word joiners, byte order marks, direction marks,
    soft hyphens): no voice can say them, and they split words for the speech rules.
    Their soft line breaks are spaces (no editor starts a new line there)."""
    return nfc("".join(ch for ch in text if unicodedata.category(ch) != "Cf")
               .translate(_SOFT_BREAKS))


def ascii_fold(text: str) -> str:
    """Vietnamese text as plain printable ASCII ("Hà Tĩnh – đất" → "Ha Tinh - dat")."""
    text = "".join(_PUNCTUATION.get(ch, ch) for ch in nfc(text))
    text = unicodedata.normalize("NFD", text)
    out = []
    for ch in text:
        if unicodedata.category(ch) == "Mn":
            continue
        if ch in "\t\r\n":
            ch = " "
        if " " <= ch <= "~":
            out.append(ch)
        elif unicodedata.category(ch).startswith("Z"):
            out.append(" ")
    return re.sub(r" {2,}", " ", "".join(out)).strip()
