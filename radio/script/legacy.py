"""Legacy Vietnamese encodings -> Unicode (NFC), and back (for tests and round trips).

Documents still arrive in the encodings of the 1990s font packages:

* **Windows-1258** (``cp1258``): Python's codec, then NFC (tone marks are
  separate combining characters in that code page).
* **TCVN3 / ABC** (``tcvn3``): one byte per lowercase letter with its marks;
  capitals with tones were drawn with a separate "H" font (``.VnTimeH``), so in
  plain text they come out lowercase here, except the bare capitals Ă Â Ê Ô Ơ Ư Đ;
  a Word run whose font is known (``font_encoding``) is decoded in capitals.
* **VNI-Windows** (``vni``): a base letter followed by one byte carrying its
  marks ("Vieät" is "Việt"); a few letters (ơ ư đ and the i's, ỵ) have a byte of
  their own.
* **UTF-16** (``utf-16``): Windows Notepad's "Unicode".

Bytes that a legacy table does not define are read as Windows-1252 (the font
packages left them to the system code page: quotes, dashes, the euro sign).
"""
from __future__ import annotations

import unicodedata

NAMES = {"cp1258": "Windows-1258", "vni": "VNI", "tcvn3": "TCVN3 (ABC)", "utf-16": "UTF-16",
         "viqr": "VIQR"}

# TCVN3 (TCVN 5712:1993 VN3): byte -> letter.
_TCVN3_LETTERS = (
    "\xa1Ă \xa2Â \xa3Ê \xa4Ô \xa5Ơ \xa6Ư \xa7Đ \xa8ă \xa9â \xaaê \xabô \xacơ \xadư \xaeđ "
    "\xb5à \xb6ả \xb7ã \xb8á \xb9ạ \xbbằ \xbcẳ \xbdẵ \xbeắ \xc6ặ \xc7ầ \xc8ẩ \xc9ẫ \xcaấ \xcbậ "
    "\xccè \xceẻ \xcfẽ \xd0é \xd1ẹ \xd2ề \xd3ể \xd4ễ \xd5ế \xd6ệ "
    "\xd7ì \xd8ỉ \xdcĩ \xddí \xdeị "
    "\xdfò \xe1ỏ \xe2õ \xe3ó \xe4ọ \xe5ồ \xe6ổ \xe7ỗ \xe8ố \xe9ộ \xeaờ \xebở \xecỡ \xedớ \xeeợ "
    "\xefù \xf1ủ \xf2ũ \xf3ú \xf4ụ \xf5ừ \xf6ử \xf7ữ \xf8ứ \xf9ự "
    "\xfaỳ \xfbỷ \xfcỹ \xfdý \xfeỵ")
TCVN3 = {ord(pair[0]): pair[1] for pair in _TCVN3_LETTERS.split()}

# VNI-Windows.  Written with the Latin-1 characters the bytes show as.
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_CIRCUMFLEX = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303",
                   "ä": "\u0323"}
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303",
              "ë": "\u0323"}
_VNI_LETTERS = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ",
                "ò": "ị", "î": "ỵ"}
_VOWELS = set("aăâeêioôơuưy")


def _marks(mark: str) -> tuple[str, str] | None:
    """(shape mark, tone mark) that a VNI mark byte (either case) carries."""
    low = mark.lower()
    if low in _VNI_TONES:
        return "", _VNI_TONES[low]
    if low in _VNI_CIRCUMFLEX:
        return "\u0302", _VNI_CIRCUMFLEX[low]
    if low in _VNI_BREVE:
        return "\u0306", _VNI_BREVE[low]
    return None


def _attach(base: str, mark: str) -> str | None:
    """*base* with the marks of a VNI mark byte, or None when they do not fit it."""
    marks = _marks(mark)
    if marks is None or not base.isalpha():
        return None
    shape, tone = marks
    parts = unicodedata.normalize("NFD", base)
    letter, existing = parts[0], parts[1:]
    existing_tones = [m for m in existing if m in "\u0300\u0301\u0303\u0309\u0323"]
    if letter.lower() not in "aeiouy" or (tone and existing_tones):
        return None
    if shape == "\u0302" and (letter.lower() not in "aeo" or existing):
        return None
    if shape == "\u0306" and (letter.lower() != "a" or existing):
        return None
    return unicodedata.normalize("NFC", letter + "".join(existing) + shape + tone)


_CP1252 = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256))


def _windows_1252(raw: bytes) -> str:
    return "".join(_CP1252[b] for b in raw)


def decode_vni(raw: bytes) -> str:
    out: list[str] = []
    for ch in _windows_1252(raw):
        if out and _marks(ch) is not None:
            joined = _attach(out[-1], ch)
            if joined is not None:
                out[-1] = joined
                continue
        low = ch.lower()
        if low in _VNI_LETTERS:
            letter = _VNI_LETTERS[low]
            out.append(letter.upper() if ch.isupper() else letter)
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def decode_tcvn3(raw: bytes) -> str:
    return unicodedata.normalize("NFC", "".join(
        TCVN3[b] if b in TCVN3 else _windows_1252(bytes([b])) for b in raw))


_VIQR_SHAPES = {"(": ("\u0306", "a"), "^": ("\u0302", "aeo"), "+": ("\u031b", "ou"),
                "*": ("\u031b", "ou")}
_VIQR_TONES = {"'": "\u0301", "`": "\u0300", "?": "\u0309", "~": "\u0303", ".": "\u0323"}
_TONES_NFD = set(_VIQR_TONES.values())
_CLOSING = "\"')]}»”’"


def _viqr_tone_here(text: str, i: int) -> bool:
    """Whether "." or "?" at *i*, after a vowel, is a tone mark rather than the end of a
    sentence (RFC 1456 asks for an escape, "\\.", which few typed at the end of a line):
    it is punctuation when the line, or a quote or bracket, closes after it, and in an
    ellipsis ("ta..."); "vi.." is a tone and a full stop; within a line it is a tone
    ("o+? Vu~ Quang": "ở Vũ Quang")."""
    rest = text[i + 1:]
    if text[i] == "." and rest.startswith(".."):
        return False
    stripped = rest.lstrip(" \t")
    return not (not stripped or stripped[0] in "\r\n" or rest[0] in _CLOSING)


def decode_viqr(raw: bytes) -> str:
    """VIQR (RFC 1456: "Vie^.t Nam", "ddu+o+`ng") -> NFC text.  A mark follows the letter
    it belongs to, "dd" at the start of a word is "đ", and a backslash keeps the next
    character as it is ("\\?")."""
    text = _windows_1252(raw)
    out: list[str] = []
    toned = False   # the word has its tone already: one tone a syllable
    i = 0
    while i < len(text):
        ch = text[i]
        last = unicodedata.normalize("NFD", out[-1]) if out else ""
        base = last[:1].lower()
        if ch == "\\" and i + 1 < len(text) and (text[i + 1] in _VIQR_TONES or
                                                  text[i + 1] in _VIQR_SHAPES or
                                                  text[i + 1] in "dD\\"):
            out.append(text[i + 1])
            toned = False
            i += 2
            continue
        if ch in _VIQR_SHAPES and base and base in _VIQR_SHAPES[ch][1] and len(last) == 1:
            out[-1] = unicodedata.normalize("NFC", last + _VIQR_SHAPES[ch][0])
            i += 1
            continue
        if ch in _VIQR_TONES and base and base in "aeiouy" and not toned and \
                not _TONES_NFD & set(last) and (ch not in ".?" or _viqr_tone_here(text, i)):
            marks = "".join(m for m in last[1:]) + _VIQR_TONES[ch]
            out[-1] = unicodedata.normalize("NFC", last[0] + marks)
            toned = True
            i += 1
            continue
        if ch in "dD" and text[i + 1:i + 2] in ("d", "D") and \
                not (out and out[-1].isalpha()):
            out.append("Đ" if ch == "D" else "đ")
            i += 2
            continue
        out.append(ch)
        if not ch.isalpha():
            toned = False
        i += 1
    return unicodedata.normalize("NFC", "".join(out))


def decode_legacy(raw: bytes, encoding: str) -> str:
    """Bytes in *encoding* (a key of NAMES) -> NFC text with '\\n' line ends kept as they are."""
    if encoding == "cp1258":
        text = raw.decode("cp1258", errors="replace")
    elif encoding == "vni":
        text = decode_vni(raw)
    elif encoding == "tcvn3":
        text = decode_tcvn3(raw)
    elif encoding == "viqr":
        text = decode_viqr(raw)
    elif encoding == "utf-16":
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = raw.decode("utf-16", errors="replace")
        else:
            text = raw.decode("utf-16-le", errors="replace")
    else:
        raise ValueError(f"unknown encoding {encoding!r}")
    return unicodedata.normalize("NFC", text.removeprefix("\ufeff"))


# ----------------------------------------------------------------- fonts (Word import)

def font_encoding(font: str | None) -> tuple[str | None, bool]:
    """(encoding key, capitals) of the text drawn with *font*: ``("tcvn3", False)`` for
    ``.VnTime``, ``("tcvn3", True)`` for the all-capitals ``.VnTimeH``, ``("vni", False)``
    for ``VNI-Times``, ``(None, False)`` for a Unicode font."""
    name = (font or "").strip()
    low = name.lower()
    if low.startswith(".vn"):
        return "tcvn3", name.endswith("H")
    if low.startswith(("vni-", "vni ")):
        return "vni", False
    return None, False


def _byte_of(ch: str) -> int | None:
    """The 8-bit code a legacy-font character stands for: Word keeps it as the
    Windows-1252 character (or, for a symbol-charset font, U+F000 + code)."""
    code = ord(ch)
    if 0xF000 <= code <= 0xF0FF:
        return code - 0xF000
    try:
        raw = ch.encode("cp1252")
    except UnicodeEncodeError:
        return None
    return raw[0] if len(raw) == 1 else None


def vni_mark(ch: str) -> tuple[str, str] | None:
    """(shape mark, tone mark) when *ch*, as Word keeps a VNI-font character, is a byte
    that carries the marks of the letter before it, else None."""
    code = _byte_of(ch)
    return None if code is None else _marks(_CP1252[code])


def decode_font_text(text: str, encoding: str, capitals: bool = False) -> str:
    """Text that Word shows in a legacy font -> NFC Unicode.  Characters that are no
    8-bit code (real Unicode typed into such a run) are kept as they are; the soft
    hyphen U+00AD is code 0xAD (TCVN3's "ư")."""
    decode = {"tcvn3": decode_tcvn3, "vni": decode_vni}[encoding]
    out: list[str] = []
    pending = bytearray()
    for ch in text:
        code = _byte_of(ch)
        if code is None:
            out.append(decode(bytes(pending)))
            pending.clear()
            out.append(ch)
        else:
            pending.append(code)
    out.append(decode(bytes(pending)))
    joined = unicodedata.normalize("NFC", "".join(out))
    return joined.upper() if capitals else joined


# ----------------------------------------------------------------- encoders (tests)

_TCVN3_REVERSE = {letter: bytes([code]) for code, letter in TCVN3.items()}
_TONE_TO_VNI = {tone: mark for mark, tone in _VNI_TONES.items()}
_CIRCUMFLEX_TO_VNI = {tone: mark for mark, tone in _VNI_CIRCUMFLEX.items()}
_BREVE_TO_VNI = {tone: mark for mark, tone in _VNI_BREVE.items()}
_LETTER_TO_VNI = {letter: key for key, letter in _VNI_LETTERS.items()}


def encode_tcvn3(text: str) -> bytes:
    """NFC text -> TCVN3; capitals with tones are written lowercase (the H-font habit)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in _TCVN3_REVERSE:
            out += _TCVN3_REVERSE[ch]
        elif ch.lower() in _TCVN3_REVERSE and ch.lower() not in "ăâêôơưđ":
            out += _TCVN3_REVERSE[ch.lower()]
        else:
            out += ch.encode("cp1252")
    return bytes(out)


def encode_vni(text: str) -> bytes:
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        upper = ch.isupper()
        low = ch.lower()
        if low in _LETTER_TO_VNI:
            key = _LETTER_TO_VNI[low]
            out.append(key.upper() if upper else key)
            continue
        parts = unicodedata.normalize("NFD", low)
        letter, marks = parts[0], parts[1:]
        tone = next((m for m in marks if m in _TONE_TO_VNI), "")
        shapes = [m for m in marks if m != tone]
        if not marks or letter not in "aeiouy" or len(shapes) > 1:
            out.append(ch)
            continue
        shape = shapes[0] if shapes else ""
        if shape == "\u031b" and letter in "ou":   # ơ, ư (+ tone)
            base, mark = _LETTER_TO_VNI["ơ" if letter == "o" else "ư"], _TONE_TO_VNI.get(tone, "")
        elif shape == "\u0302" and letter in "aeo":
            base, mark = letter, _CIRCUMFLEX_TO_VNI[tone]
        elif shape == "\u0306" and letter == "a":
            base, mark = letter, _BREVE_TO_VNI[tone]
        elif not shape:
            base, mark = letter, _TONE_TO_VNI[tone]
        else:
            out.append(ch)
            continue
        out.append(base.upper() if upper else base)
        out.append(mark.upper() if upper else mark)
    return "".join(out).encode("cp1252")


_VIQR_SHAPE_OF = {"\u0306": "(", "\u0302": "^", "\u031b": "+"}
_VIQR_TONE_OF = {mark: key for key, mark in _VIQR_TONES.items()}


def encode_viqr(text: str) -> bytes:
    """NFC text -> VIQR, every mark character that would be read as a mark escaped."""
    out: list[str] = []
    after_vowel = False
    for index, ch in enumerate(unicodedata.normalize("NFC", text)):
        if ch in "đĐ":
            out.append("dd" if ch == "đ" else "DD")
            after_vowel = False
            continue
        parts = unicodedata.normalize("NFD", ch)
        word_start = not (out and out[-1][-1:].isalpha())
        if ch == "\\" or (after_vowel and (ch in _VIQR_TONES or ch in _VIQR_SHAPES)) or \
                (ch in "dD" and word_start and text[index + 1:index + 2] in ("d", "D")):
            out.append("\\" + ch)
            after_vowel = False
            continue
        marks = "".join(_VIQR_SHAPE_OF.get(m, "") for m in parts[1:]) + \
            "".join(_VIQR_TONE_OF.get(m, "") for m in parts[1:])
        out.append(parts[0] + marks)
        after_vowel = parts[0].lower() in "aeiouy"
    return "".join(out).encode("cp1252", errors="replace")


def encode_cp1258(text: str) -> bytes:
    """NFC text -> Windows-1258 as Word writes it: precomposed where the code page
    has the letter, else the base letter and a combining tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tone = [m for m in parts[1:] if m in "\u0300\u0301\u0303\u0309\u0323"]
        rest = unicodedata.normalize("NFC", parts[0] + "".join(m for m in parts[1:]
                                                               if m not in tone))
        out += rest.encode("cp1258") + "".join(tone).encode("cp1258")
    return bytes(out)


# ----------------------------------------------------------------- detection

_TONES = "\u0300\u0301\u0303\u0309\u0323"
_NUCLEI = set("""a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo
ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê iêu yêu oai oao oay oeo uây uôi uya uyê uyu ươi ươu
uơi uê""".split())
_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", *"bcdđghklmnpqrstvx")
_CODAS = ("ng", "nh", "ch", "c", "m", "n", "p", "t", "")


def _untoned(word: str) -> str | None:
    """*word* lowercase without its tone mark, or None if it carries two tones."""
    parts = unicodedata.normalize("NFD", word.lower())
    tones = [m for m in parts if m in _TONES]
    if len(tones) > 1:
        return None
    return unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONES))


def is_syllable(word: str) -> bool:
    """Whether *word* has the shape of one Vietnamese syllable (onset, vowels, coda)."""
    bare = _untoned(word)
    if not bare:
        return False
    if bare == "đ":   # the currency sign written as a letter: 35.000đ
        return True
    for onset in (*_ONSETS, ""):
        if not bare.startswith(onset):
            continue
        rest = bare[len(onset):]
        for coda in _CODAS:
            if rest.endswith(coda) and rest[:len(rest) - len(coda)] in _NUCLEI:
                return True
        if onset == "gi" and rest in ("", "n", "ng", "c", "m", "t", "p", "nh", "ch"):
            return True   # "gì", "gìn": the i belongs to the onset
    return False


def plausibility(text: str) -> int:
    """Words with letters beyond ASCII that read as Vietnamese syllables, minus those
    that do not (and minus control characters and stray combining marks)."""
    import re

    score = 0
    for word in re.findall(r"[^\W\d_]+", text):
        if word.isascii():
            continue
        score += 1 if is_syllable(word) else -1
    score -= sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Mn") and ch not in "\n\r\t")
    return score


def looks_viqr(text: str) -> bool:
    """Whether ASCII *text* is Vietnamese written in VIQR ("Vie^.t Nam"): many of its
    words turn into Vietnamese syllables when read so."""
    import re

    if not text.isascii():
        return False
    # "." and "?" after a vowel are also how unaccented text ends its sentences: VIQR
    # shows itself by its other marks ("a^", "o+", "e'", "a`", "i~")
    if len(re.findall(r"[aeiouyAEIOUY](?:[(^+*]|[(^+*]?['`~])", text)) < 3:
        return False
    decoded = decode_viqr(text.encode("ascii"))
    words = re.findall(r"[^\W\d_]+", decoded)
    changed = sum(1 for word in words if not word.isascii())
    return changed >= 5 and changed * 5 >= len(words) and \
        plausibility(decoded) * 5 >= changed * 4


def guess(raw: bytes) -> str | None:
    """The legacy encoding (a key of NAMES) under which *raw* reads best as Vietnamese."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if not any(b >= 0x80 for b in raw):
        return None
    scores = {enc: plausibility(decode_legacy(raw, enc)) for enc in ("cp1258", "vni", "tcvn3")}
    best = max(scores, key=lambda enc: scores[enc])
    return best if scores[best] > 0 else None
