"""Files that are not text at all, recognised by their first bytes (their signature).

A Word document renamed ``.md``, a PDF or an RTF given as a script would
otherwise be called "an unknown 8-bit encoding" and converted into garbage: we
name what the file is and say how to get a script out of it.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from ..errors import UserError


@dataclass(frozen=True)
class Kind:
    what: str          # "a Word document (.docx)"
    ext: str           # its usual extension, ".docx"
    advice: str        # "import", "pdf", "rtf", "archive", "media", "binary"


WORD = Kind("a Word document (.docx)", ".docx", "import")
ODT = Kind("an OpenDocument text (.odt, LibreOffice)", ".odt", "import")
DOC = Kind("a Word 97-2003 document (.doc)", ".doc", "import")
PDF = Kind("a PDF document", ".pdf", "pdf")
RTF = Kind("an RTF document (Rich Text Format)", ".rtf", "rtf")
ZIP = Kind("a ZIP archive", ".zip", "archive")
BINARY = Kind("binary data", "", "binary")
_MEDIA = [(b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
          (b"GIF8", "a GIF image"), (b"ID3", "an MP3 recording"), (b"fLaC", "a FLAC recording"),
          (b"OggS", "an Ogg recording"), (b"\x1aE\xdf\xa3", "a WebM or MKV file")]


def identify(raw: bytes) -> Kind | None:
    """What *raw* is when it is not text: None for anything that may be text."""
    if raw.startswith(b"PK\x03\x04"):
        return _zip_kind(raw)
    if raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):   # OLE2: Word 97-2003
        return DOC
    if raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-"):
        return PDF
    if raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return RTF
    for magic, what in _MEDIA:
        if raw.startswith(magic):
            return Kind(what, "", "media")
    if raw.startswith(b"RIFF") and raw[8:12] in (b"WAVE", b"AVI "):
        return Kind("a WAV recording" if raw[8:12] == b"WAVE" else "an AVI video", "", "media")
    if raw[4:8] == b"ftyp":
        return Kind("an MP4 or M4A file", "", "media")
    return None


def _zip_kind(raw: bytes) -> Kind:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return WORD
            if "mimetype" in names and b"opendocument.text" in archive.read("mimetype"):
                return ODT
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        pass
    if b"word/document.xml" in raw[:1 << 16]:   # a damaged or cut .docx still names its parts
        return WORD
    return ZIP


def is_binary(raw: bytes) -> bool:
    """NUL bytes in what is not UTF-16 (the caller rules that out first): not text."""
    return b"\x00" in raw[:1 << 16]


def advice(kind: Kind, shown: str) -> str:
    """What to do with a file of *kind* given as a script."""
    path = PurePath(shown.replace("\\", "/"))
    if kind.advice == "import":
        if path.suffix.lower() == kind.ext:
            return "import it with `radio import {shown}`: it writes scripts/{stem}.md".format(
                shown=shown, stem=path.stem)
        return ("rename it {name} and import it with `radio import {name}`: it writes "
                "scripts/{stem}.md".format(name=path.stem + kind.ext, stem=path.stem))
    if kind.advice == "pdf":
        return ("a PDF cannot be turned back into a script: import the Word file it was made "
                "from (`radio import FILE.docx`), or copy its text into a UTF-8 text file")
    if kind.advice == "rtf":
        return ("open it in Word or LibreOffice, save it as .docx, then import that with "
                "`radio import FILE.docx`")
    if kind.advice == "archive":
        return "unpack it and use the script inside"
    if kind.advice == "media":
        return "a script is a text file (scripts/NAME.md); recordings go in audio_assets/ or takes/"
    return "a script is a text file saved as UTF-8: check that this is the right file"


def refuse_binary(raw: bytes, shown: str, noun: str = "script", utf16: bool = False) -> None:
    """Raise a UserError naming what *raw* is when it is not text.  *utf16*: the
    bytes are UTF-16 text (whose every other byte may be NUL)."""
    kind = identify(raw) or (BINARY if not utf16 and is_binary(raw) else None)
    if kind is None:
        return
    raise UserError("this file is {what}, not a text {noun}".format(what=kind.what, noun=noun),
                    path=shown, line=1 if noun == "script" else None, hint=advice(kind, shown))
