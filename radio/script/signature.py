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
from ..i18n import _l


@dataclass(frozen=True)
class Kind:
    what: object       # a Message: "a Word document (.docx)"
    ext: str           # its usual extension, ".docx"
    advice: str        # "import", "pdf", "rtf", "archive", "media", "binary"


WORD = Kind(_l("a Word document (.docx)"), ".docx", "import")
ODT = Kind(_l("an OpenDocument text (.odt, LibreOffice)"), ".odt", "import")
DOC = Kind(_l("a Word 97-2003 document (.doc)"), ".doc", "import")
PDF = Kind(_l("a PDF document"), ".pdf", "pdf")
RTF = Kind(_l("an RTF document (Rich Text Format)"), ".rtf", "rtf")
ZIP = Kind(_l("a ZIP archive"), ".zip", "archive")
BINARY = Kind(_l("binary data"), "", "binary")
_MEDIA = [(b"\x89PNG\r\n\x1a\n", _l("a PNG image")), (b"\xff\xd8\xff", _l("a JPEG image")),
          (b"GIF8", _l("a GIF image")), (b"ID3", _l("an MP3 recording")),
          (b"fLaC", _l("a FLAC recording")), (b"OggS", _l("an Ogg recording")),
          (b"\x1aE\xdf\xa3", _l("a WebM or MKV file"))]


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
        return Kind(_l("a WAV recording") if raw[8:12] == b"WAVE" else _l("an AVI video"), "",
                    "media")
    if raw[4:8] == b"ftyp":
        return Kind(_l("an MP4 or M4A file"), "", "media")
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


def advice(kind: Kind, shown: str):
    """What to do with a file of *kind* given as a script (a Message)."""
    path = PurePath(shown.replace("\\", "/"))
    if kind.advice == "import":
        if path.suffix.lower() == kind.ext:
            return _l("import it with `radio import {path}`: it writes scripts/{stem}.md",
                      path=shown, stem=path.stem)
        return _l("rename it {name} and import it with `radio import {name}`: it writes "
                  "scripts/{stem}.md", name=path.stem + kind.ext, stem=path.stem)
    if kind.advice == "pdf":
        return _l("a PDF cannot be turned back into a script: import the Word file it was made "
                  "from (`radio import FILE.docx`), or copy its text into a UTF-8 text file")
    if kind.advice == "rtf":
        return _l("open it in Word or LibreOffice, save it as .docx, then import that with "
                  "`radio import FILE.docx`")
    if kind.advice == "archive":
        return _l("unpack it and use the script inside")
    if kind.advice == "media":
        return _l("a script is a text file (scripts/NAME.md); recordings go in audio_assets/ "
                  "or takes/")
    return _l("a script is a text file saved as UTF-8: check that this is the right file")


def refuse_binary(raw: bytes, shown: str, script: bool = True, utf16: bool = False) -> None:
    """Raise a UserError naming what *raw* is when it is not text.  *script*: it was
    given as a script (else as a file to convert); *utf16*: the bytes are UTF-16 text
    (whose every other byte may be NUL)."""
    kind = identify(raw) or (BINARY if not utf16 and is_binary(raw) else None)
    if kind is None:
        return
    if script:
        raise UserError(_l("this file is {what}, not a text script", what=kind.what),
                        path=shown, line=1, hint=advice(kind, shown))
    raise UserError(_l("this file is {what}, not a text file", what=kind.what), path=shown,
                    hint=advice(kind, shown))
