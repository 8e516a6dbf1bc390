"""Decode a script's bytes: UTF-8 only, with a precise diagnosis otherwise.

Vietnamese documents still arrive in legacy encodings: Windows-1258, the TCVN3
(ABC) and VNI font encodings, or UTF-16 from Windows Notepad.  We never guess
silently: we name what we found and how to convert it.
"""
from __future__ import annotations

from ..errors import UserError
from ..i18n import Message, _l
from .legacy import NAMES, guess, looks_viqr
from .signature import refuse_binary


def convert_hint(shown: str, key: str | None) -> Message:
    """How to convert a script saved in the legacy encoding *key*."""
    source = key or "cp1258|vni|tcvn3"
    name = shown.replace("\\", "/").rsplit("/", 1)[-1]
    return _l("convert it with `radio convert {path} --from {encoding} --in-place` (the original "
              "is kept as {name}.orig), or save it as 'Unicode (UTF-8)' in your editor "
              "(Unikey: Tools > Converter, destination Unicode)", path=shown, encoding=source,
              name=name)


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a BOM: text whose every other byte is zero."""
    sample = raw[:4000]
    return len(sample) >= 8 and (sample[1::2].count(0) > len(sample) * 0.4
                                 or sample[0::2].count(0) > len(sample) * 0.4)


def looks_utf16(raw: bytes) -> bool:
    return raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(raw)


def decode_script(raw: bytes, shown: str) -> str:
    refuse_binary(raw, shown, utf16=looks_utf16(raw))   # a Word file, a PDF...: say what it is
    if looks_utf16(raw):
        raise UserError(_l("the script is saved as UTF-16 (Notepad's 'Unicode'), not UTF-8"),
                        path=shown, line=1, hint=convert_hint(shown, "utf-16"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        key = guess(raw)
        message = (_l("the script is not UTF-8 text; it looks like {encoding}",
                      encoding=NAMES[key]) if key else
                   _l("the script is not UTF-8 text; it is in an unknown 8-bit encoding"))
        raise UserError(message, path=shown, line=line, hint=convert_hint(shown, key)) from None
    if looks_viqr(text):   # ASCII, so UTF-8 too: but its marks would be read as punctuation
        raise UserError(_l("the script looks like VIQR (\"Vie^.t Nam\"): its accents are "
                           "written as punctuation"), path=shown, line=1,
                        hint=convert_hint(shown, "viqr"))
    return text
