"""Vietnamese text for formats that cannot hold it: ASCII folding and NFC."""
from __future__ import annotations

import unicodedata

_PUNCT = str.maketrans({"–": "-", "—": "-", "‒": "-", "“": '"', "”": '"', "„": '"',
                        "‘": "'", "’": "'", "…": "...", "«": '"', "»": '"', "\u00a0": " "})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def to_ascii(text: str) -> str:
    """'Cam Hà Tĩnh – “ngon”…' -> 'Cam Ha Tinh - "ngon"...' (NFD, marks stripped, đ -> d)."""
    text = nfc(text).translate(_PUNCT).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch if 32 <= ord(ch) < 127 else "?" for ch in stripped)
