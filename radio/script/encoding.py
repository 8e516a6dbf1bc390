"""Decode a script's bytes: UTF-8 only, with a precise diagnosis otherwise.

Vietnamese documents still arrive in legacy encodings: Windows-1258, the TCVN3
(ABC) and VNI font encodings, or UTF-16 from Windows Notepad.  We never guess
silently: we name what we found and how to convert it.
"""
from __future__ import annotations

from ..errors import UserError

# Byte patterns frequent in each legacy encoding's Vietnamese text.
_TCVN3 = set(b"\xb8\xb5\xb6\xb7\xb9\xa8\xbe\xbb\xbc\xbd\xc6\xa9\xca\xc7\xc8\xc9\xcb"
             b"\xd0\xcc\xce\xcf\xd1\xaa\xd5\xd2\xd3\xd4\xd6\xdd\xd7\xd8\xdc\xde\xe3\xdf"
             b"\xe1\xe2\xe4\xab\xe8\xe5\xe6\xe7\xe9\xac\xed\xea\xeb\xec\xee\xf3\xef\xf1"
             b"\xf2\xf4\xad\xf8\xf5\xf6\xf7\xf9\xfd\xfa\xfb\xfc\xfe\xae")
_VNI_MARKS = set(b"\xf9\xf8\xfb\xf5\xef\xe2\xea\xf4\xec\xe0\xe1\xe3\xe4\xe5\xe6\xe7\xe8\xe9\xeb\xee")


def _guess_legacy(raw: bytes) -> str:
    high = [b for b in raw if b >= 0x80]
    if not high:
        return "an unknown 8-bit encoding"
    text = raw.decode("latin-1")
    # VNI writes marks as ASCII-range letters after vowels ("Vieät"): many "ä", "ø", "ù".
    vni_pairs = sum(1 for a, b in zip(text, text[1:]) if a in "aeiouyAEIOUY" and b in "øùûõïâêôìäëöüåæ")
    tcvn = sum(1 for b in high if b in _TCVN3)
    try:
        decoded = raw.decode("cp1258")
        cp1258_ok = sum(1 for ch in decoded if ch in "\u0300\u0301\u0303\u0309\u0323") > 0
    except UnicodeDecodeError:
        cp1258_ok = False
    if cp1258_ok and raw.count(b"\xde") + raw.count(b"\xd2") + raw.count(b"\xec") + raw.count(b"\xf2") > len(high) // 6:
        return "Windows-1258"
    if vni_pairs > len(high) // 3:
        return "VNI"
    if tcvn > len(high) // 2:
        return "TCVN3 (ABC)"
    if cp1258_ok:
        return "Windows-1258"
    return "an unknown 8-bit encoding"


def decode_script(raw: bytes, shown: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserError("the script is saved as UTF-16, not UTF-8", path=shown, line=1,
                        hint="save it again as 'UTF-8' in your editor (Notepad: Save as, "
                             "Encoding: UTF-8)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        found = _guess_legacy(raw)
        hint = ("convert it with `radio convert FILE --from " + {
            "Windows-1258": "cp1258", "VNI": "vni", "TCVN3 (ABC)": "tcvn3"}.get(found, "cp1258")
            + "`, or open it in Unikey's converter and save as Unicode UTF-8")
        raise UserError(f"the script is not UTF-8 text; it looks like {found}", path=shown,
                        line=line, hint=hint) from None
