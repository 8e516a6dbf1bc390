"""Names on the discs: ASCII folding, 8.3 names, long names, CD-TEXT, labels.

Vietnamese text keeps its diacritics wherever the format allows (Joliet and
Rock Ridge names, playlists, DOCTRUOC.TXT).  ISO 9660 names, the volume label
and CD-TEXT are ASCII: we fold (NFD, strip combining marks, đ→d, Đ→D,
typographic punctuation to its ASCII look-alike).
"""
from __future__ import annotations

import re
import unicodedata

from ..textfold import ascii_fold, nfc  # noqa: F401  (re-exported for the disc modules)

CD_TEXT_MAX = 80
LABEL_MAX = 16
DRAFT_SUFFIX = "_NHAP"
JOLIET_MAX = 64

# Characters Joliet forbids (ECMA-119 supplement) or Windows cannot show in a name.
_LONG_NAME_BAD = {":": " -", "/": "-", "\\": "-", "*": "", "?": "", "<": "", ">": "",
                  "|": "-", '"': "'", ";": ","}


def truncate(text: str, limit: int) -> str:
    """Cut *text* to *limit* characters, at a word boundary when one is near."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space >= limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" -,.;:")


def cd_text(text: str, limit: int = CD_TEXT_MAX) -> str:
    """A CD-TEXT string: ASCII, no double quote or backslash, ≤ 80 characters."""
    folded = ascii_fold(text).replace('"', "'").replace("\\", "/")
    return truncate(folded, limit)


def volume_label(label: str, draft: bool) -> str:
    """The ISO volume label and image file stem: ``[A-Z0-9_]``, ≤ 16 characters.

    A draft gets ``_NHAP`` ("nháp", draft), the base being cut to make room.
    """
    base = re.sub(r"[^A-Z0-9]+", "_", ascii_fold(label).upper()).strip("_") or "RADIO"
    if draft:
        return base[:LABEL_MAX - len(DRAFT_SUFFIX)].rstrip("_") + DRAFT_SUFFIX
    return base[:LABEL_MAX].rstrip("_")


def short_stem(index: int, title: str, width: int = 2) -> str:
    """An 8-character ISO 9660 level-1 stem: order prefix plus folded title.

    ``short_stem(1, "Cam Hà Tĩnh – …")`` → ``"01CAMHAT"``.  The numeric prefix
    keeps names unique and in track order; the rest only helps humans.
    """
    prefix = f"{index:0{width}d}"
    letters = re.sub(r"[^A-Z0-9]", "", ascii_fold(title).upper())
    return (prefix + letters)[:8]


def long_name(index: int, title: str, extension: str, width: int = 2) -> str:
    """A Joliet/Rock Ridge file name: ``"01 Cam Hà Tĩnh – hương vị….mp3"`` (≤ 64)."""
    clean = nfc(title)
    for bad, good in _LONG_NAME_BAD.items():
        clean = clean.replace(bad, good)
    clean = "".join(ch for ch in clean if unicodedata.category(ch)[0] != "C")
    clean = re.sub(r"\s+", " ", clean).strip(" .") or f"Bài {index}"
    prefix = f"{index:0{width}d} "
    room = JOLIET_MAX - len(prefix) - len(extension) - 1
    # pycdlib refuses a Joliet name over 64 bytes of UTF-8 (a Vietnamese letter takes 2-3).
    limit = room
    while len((stem := truncate(clean, limit).rstrip(" .")).encode("utf-8")) > room:
        limit -= 1
    return f"{prefix}{stem}.{extension}"


def iso_identifier(text: str, limit: int) -> str:
    """An ISO 9660 a-character identifier (publisher, application...)."""
    folded = ascii_fold(text).upper()
    return re.sub(r"[^A-Z0-9 _!%&'()*+,\-./:;<=>?\"]", "_", folded)[:limit]
