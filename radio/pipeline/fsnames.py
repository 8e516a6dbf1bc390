"""File names whatever their Unicode normalization.

Scripts are NFC, but a file copied from a Mac (or out of some zip archives) keeps
its name decomposed (NFD): "nhạc" as n-h-a-combining dot-combining grave-c.  On
Linux and Windows these are different names that print alike, so a cue naming
``music/nhạc nền.ogg`` would find nothing.  ``find_nfc`` matches every part of a
path by its NFC form; two files in one folder whose names differ only by their
normalization are refused (which one is meant cannot be known).

Letter case too: a script written on Windows, where ``Nhac_Nen.MP3`` opens
``nhac_nen.mp3``, names its recordings in any case.  A part that matches no entry
exactly matches the one entry equal to it but for case (two such entries are refused).
"""
from __future__ import annotations

import os
import unicodedata
from pathlib import Path, PurePosixPath


class NameTwins(Exception):
    """Two entries of one folder whose names are equal once normalized."""

    def __init__(self, folder: Path, name: str, forms: list[str]):
        super().__init__(name)
        self.folder = folder
        self.name = name
        self.forms = forms      # "NFC", "NFD" or "mixed" for each entry


class CaseTwins(Exception):
    """Two entries of one folder that differ from the name asked only by letter case."""

    def __init__(self, folder: Path, name: str, names: list[str]):
        super().__init__(name)
        self.folder = folder
        self.name = name
        self.names = names


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def form_of(name: str) -> str:
    if unicodedata.is_normalized("NFC", name):
        return "NFC"
    return "NFD" if unicodedata.is_normalized("NFD", name) else "mixed"


def find_nfc(root: Path, relative: str) -> Path | None:
    """The path under *root* whose parts equal *relative*'s once normalized (NFC), or
    None when a part matches nothing (or a folder cannot be listed); NameTwins when a
    part matches two entries."""
    current = root
    for part in PurePosixPath(relative.replace("\\", "/")).parts:
        if part in (".", "/"):
            continue
        if part == "..":
            current = current / part
            continue
        try:
            names = os.listdir(current)
        except OSError:
            return None
        want = nfc(part)
        matches = [name for name in names if nfc(name) == want]
        if len(matches) > 1:
            raise NameTwins(current, want, sorted(form_of(name) for name in matches))
        if not matches:   # another letter case: what Windows would find
            matches = sorted(name for name in names if nfc(name).casefold() == want.casefold())
            if len(matches) > 1:
                raise CaseTwins(current, want, matches)
        if not matches:
            return None
        current = current / matches[0]
    return current
