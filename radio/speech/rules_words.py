"""Rules for letters and symbols: acronyms, unknown all-capital tokens, Roman
numerals in safe contexts, the symbols "&", "+", "%", "±", "≥", "≤", "≈", "≠"
(and "<", ">", "=", "~" before a number), "CN" after a weekday, "SN" before a
year, and web and e-mail addresses (:func:`web_address`, a pass of its own).

Unknown acronyms are spelled with these Vietnamese letter names (J, absent
from the Vietnamese alphabet, is read "gi"):

    A a      B bê     C xê     D dê     Đ đê     E e      F ép     G gờ
    H hát    I i      J gi     K ca     L e-lờ   M em-mờ  N en-nờ  O o
    P pê     Q quy    R e-rờ   S ét     T tê     U u      V vê     W vê kép
    X ích    Y i dài  Z dét

A token is a word, never spelled, when it carries a Vietnamese diacritic
("KẾ", "MỤC") or is a valid Vietnamese syllable without one ("CAM", "TIN",
"KINH", "HOA"): an onset from the Vietnamese set and a rhyme that can stand
without a tone mark (so no final p, t, c, ch: "CAT" is not a word).
"""
from __future__ import annotations

import functools
import re

from .numbers import ordinal_word, rank_word, read_integer_text, read_number

LETTER_NAMES = {
    "A": "a", "B": "bê", "C": "xê", "D": "dê", "Đ": "đê", "E": "e", "F": "ép", "G": "gờ",
    "H": "hát", "I": "i", "J": "gi", "K": "ca", "L": "e-lờ", "M": "em-mờ", "N": "en-nờ",
    "O": "o", "P": "pê", "Q": "quy", "R": "e-rờ", "S": "ét", "T": "tê", "U": "u", "V": "vê",
    "W": "vê kép", "X": "ích", "Y": "i dài", "Z": "dét",
}
_RHYMES = ("a ai ao au ay am an ang anh e em en eng eo i ia iu im in inh o oa oai oay oam "
           "oan oang oanh oe oen oeo oi om on ong oong u ua ui um un ung uy uya uyu uyn "
           "uynh y").split()
_SYLLABLE = re.compile("(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?(?:"
                       + "|".join(sorted(_RHYMES, key=len, reverse=True)) + ")")
_PLAIN = set("abcdefghijklmnopqrstuvwxyzđ")
_ROMAN = re.compile(r"(?=[IVXL])(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN_CONTEXT = re.compile(r"(?<!\w)(?:thứ|quý|khóa|khoá|đại hội|chương|phần|mục|"
                            r"giai đoạn|thế kỷ|kỳ|phụ lục|thôn|xóm|khối|tổ|đội|bản|ấp|"
                            r"khu|khu phố|tổ dân phố|hạng|giải|loại|cấp|vùng)[ \t]+$",
                            re.IGNORECASE)
_AFTER_THU = re.compile(r"(?<!\w)thứ[ \t]+$", re.IGNORECASE)
_AFTER_RANK = re.compile(r"(?<!\w)(?:hạng|giải)[ \t]+$", re.IGNORECASE)
_HEADING_PREFIX = re.compile(r"[ \t#*_>]*")
_HEADING_SUFFIX = re.compile(r"[.)](?:[ \t*_]|$)", re.MULTILINE)
_PREVIOUS_WORD = re.compile(r"(\w+)[ \t]+$")
_NEXT_WORD = re.compile(r"[ \t]+(\w+)")
_RUNS = re.compile(r"\d+|\D+")
SYMBOLS = {"&": "và", "+": "cộng", "%": "phần trăm", "‰": "phần nghìn", "±": "cộng trừ",
           "≈": "xấp xỉ", "≥": "lớn hơn hoặc bằng", "≤": "nhỏ hơn hoặc bằng", "≠": "khác",
           ">": "lớn hơn", "<": "nhỏ hơn", "=": "bằng", "~": "khoảng"}
_BULLET = re.compile(r"[ \t]+[^\W\d_]")
# What the words before a sign may have said already: "khoảng ~30%" is "khoảng ba mươi
# phần trăm", "dưới <5%" "dưới năm phần trăm", each said once.
_SAID_BEFORE = {sign: re.compile(rf"(?<!\w)(?:{words})[ \t]*$", re.IGNORECASE) for sign, words in
                (("~", "khoảng|chừng|xấp xỉ|gần|ước"), ("<", "dưới|nhỏ hơn|ít hơn|chưa tới"),
                 (">", "trên|lớn hơn|hơn|vượt|quá"))}


def is_word(token: str) -> bool:
    """True when an all-letter token reads as a Vietnamese word, not an acronym."""
    lower = token.lower()
    if not lower.isalpha():
        return False
    if any(ch not in _PLAIN for ch in lower):
        return True  # a Vietnamese diacritic: "KẾ", "TƯ"
    return _SYLLABLE.fullmatch(lower) is not None


def spell(token: str) -> str:
    """Spell an acronym letter by letter: "ABC" → "a bê xê"."""
    return " ".join(LETTER_NAMES[ch] for ch in token.upper())


def spell_if_acronym(token: str) -> str:
    if token and all(ch in LETTER_NAMES for ch in token) and not is_word(token):
        return spell(token)
    return token


def roman_value(token: str) -> int:
    values = [_ROMAN_VALUES[ch] for ch in token]
    return sum(-v if i + 1 < len(values) and values[i + 1] > v else v
               for i, v in enumerate(values))


def _is_caps_word(word: str | None) -> bool:
    return bool(word) and len(word) > 1 and word.isalpha() and word.isupper()


def acronym(m: re.Match, lex):
    """An acronym of the lexicon, unless it is a word inside an all-capitals
    heading ("TƯ VẤN" stays; "Ban Chấp hành TƯ" reads "Trung ương")."""
    written = m.group()
    spoken = lex.acronym(written)
    if spoken is None:
        return None
    if is_word(written):
        before = _PREVIOUS_WORD.search(m.string, max(0, m.start() - 30), m.start())
        after = _NEXT_WORD.match(m.string, m.end())
        if _is_caps_word(before and before[1]) or _is_caps_word(after and after[1]):
            return None
    return spoken, "acronym"


def heading(m: re.Match) -> bool:
    """True when the match numbers a heading-like line: "**I. MỤC ĐÍCH", "1. Kinh phí"."""
    line_start = m.string.rfind("\n", 0, m.start()) + 1
    return (_HEADING_PREFIX.fullmatch(m.string, line_start, m.start()) is not None
            and _HEADING_SUFFIX.match(m.string, m.end()) is not None)


def capitals(m: re.Match, lex):
    """Roman numerals in safe contexts, else unknown acronyms spelled out.

    A Roman numeral outside those contexts ("Louis XIV") is left as written:
    neither read as a number nor spelled.
    """
    token, year = m["cp_tok"], m["cp_year"]
    before = m.string[max(0, m.start() - 24):m.start()]
    spoken, kind = token, "spelled"
    if _ROMAN.fullmatch(token) and m.string[m.end():m.end() + 1] not in ("-", "–"):
        # ("giải V-League" is a name)
        value = roman_value(token)
        if _ROMAN_CONTEXT.search(before):
            spoken = (ordinal_word(value) if _AFTER_THU.search(before) else
                      rank_word(value) if _AFTER_RANK.search(before) else read_number(value))
            if year:
                spoken += f" năm {read_number(int(year))}"
            return spoken, "roman"
        if not year and heading(m):
            return read_number(value).capitalize(), "roman"
    elif len(token) > 1 and not is_word(token):
        spoken = spell(token)
    if year:
        spoken, kind = f"{spoken}/{read_number(int(year))}", "number"
    return (spoken, kind) if spoken != m.group() else None


def letters_and_digits(m: re.Match, lex):
    """"MC1", "H5N1", "F0": letters as acronyms or spelled, digits as numbers."""
    words = []
    for run in _RUNS.findall(m.group()):
        if run.isdigit():
            words.append(read_integer_text(run))
        else:
            words.append(lex.acronym(run) or (spell(run) if not is_word(run) or len(run) == 1
                                               else run))
    return " ".join(words), "spelled"


_WEEKDAY_BEFORE = re.compile(
    r"(?:(?<!\w)thứ[ \t]+(?:\d|hai|ba|tư|năm|sáu|bảy)[ \t]*(?:,|;|-|–|(?<!\w)(?:và|đến|tới|"
    r"hoặc|hay)(?!\w))|(?<!\w)(?:sáng|trưa|chiều|tối|đêm|ngày|các ngày|hôm))[ \t]*$",
    re.IGNORECASE)


def sunday(m: re.Match, lex):
    """"thứ 7 và CN", "sáng CN": "Chủ nhật"; elsewhere CN is spelled (it may be
    "công nghiệp", "cử nhân")."""
    if _WEEKDAY_BEFORE.search(m.string, max(0, m.start() - 30), m.start()):
        return "Chủ nhật", "acronym"
    return spell("CN"), "spelled"


def born(m: re.Match, lex):
    """"(SN 1985, trú tại ...)": "sinh năm", said only before a year ("SN 12" may be
    a house number)."""
    return "sinh năm", "acronym"


# ---------------------------------------------------------------- web addresses

# The last label of an address: only these make "x.y" an address ("v.v", "4.0",
# "TP.HCM" are not).
TOP_LEVEL = ("vn", "com", "net", "org", "gov", "edu", "info", "biz", "int", "asia", "io")
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
_TLD = "|".join(TOP_LEVEL)
WEB = re.compile(
    rf"(?<![\w@./-])(?:(?P<web_scheme>https?://)(?:www\.)?|www\.)?"
    rf"(?:(?P<web_user>{_LABEL}(?:[._]{_LABEL})*)@)?"
    rf"(?P<web_host>(?:{_LABEL}\.)+(?:{_TLD}))(?![\w@-]|\.[^\W_])"
    rf"(?P<web_path>(?:/[\w\-.]*[\w\-])*/?)", re.IGNORECASE)
WEB_HINT = re.compile(rf"\.(?:{_TLD})(?!\w)|@", re.IGNORECASE)
# A label written as Vietnamese syllables without their marks ("hatinh", "dichvucong"):
# read syllable by syllable ("ha tinh"); anything else is spelled.
_ASCII_ONSET = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])"
# the vowels of a syllable, without their marks (ươi → uoi, yê → ye)
_NUCLEI = ("a e i o u y ai ao au ay eo eu ia ie iu oa oe oi oo ua ue ui uo uy ye oai oay "
           "oeo uay uoi uou uya uye uyu ieu yeu").split()
_ASCII_SYLLABLE = (f"(?:{'|'.join(sorted(_NUCLEI, key=len, reverse=True))})"
                   "(?:ng|nh|ch|[cmnpt])?")
_WEB_SIGNS = {".": "chấm", "@": "a còng", "/": "gạch chéo", "_": "gạch dưới"}
_ONSET_AND_SYLLABLE = re.compile(rf"({_ASCII_ONSET}?)({_ASCII_SYLLABLE})")


@functools.lru_cache(maxsize=256)
def _syllables(label: str) -> tuple[str, ...] | None:
    """"baohatinh" → ("bao", "ha", "tinh"); None when it is no run of syllables.

    Of all the ways to cut it, the fewest syllables with the longest onsets win
    (the maximal onset: "hatinh" is "ha tinh", not "hat inh"; "dothi" "do thi")."""
    best = _cuts(label)
    return best[2] if best else None


@functools.lru_cache(maxsize=1024)
def _cuts(label: str) -> tuple[int, int, tuple[str, ...]] | None:
    """(syllables, -onset letters, syllables) of the best cut of *label*."""
    if not label:
        return 0, 0, ()
    best = None
    for end in range(len(label), 0, -1):
        m = _ONSET_AND_SYLLABLE.fullmatch(label, 0, end)
        if not m:
            continue
        rest = _cuts(label[end:])
        if rest is None:
            continue
        score = (rest[0] + 1, rest[1] - len(m[1]), (label[:end], *rest[2]))
        if best is None or score[:2] < best[:2]:
            best = score
    return best


def _web_label(label: str, lex) -> str:
    known = lex.acronym("." + label.lower())
    if known:
        return known
    if not label.isascii():
        return label  # already read: a loanword ("phây-búc") or a producer's word
    if "-" in label:
        return " gạch ngang ".join(_web_label(part, lex) for part in label.split("-") if part)
    words = []
    for run in _RUNS.findall(label):
        if run.isdigit():
            words.append(read_integer_text(run))
        else:
            lower = run.lower()
            syllables = _syllables(lower) if len(lower) > 1 else None
            words.append(" ".join(syllables) if syllables else spell(lower))
    return " ".join(words)


def web_address(m: re.Match, lex):
    """"hatinh.gov.vn" → "ha tinh chấm gờ o vê chấm vê en-nờ", "a@b.vn" → "a a còng
    bê chấm vê en-nờ": labels by ``.label`` lines of ``acronyms.tsv``, else read as
    syllables or spelled; "https://" is not said."""
    text = m.group()[len(m["web_scheme"] or ""):]
    words = []
    for part in re.split(r"([.@/_])", text):
        if part in _WEB_SIGNS:
            words.append(_WEB_SIGNS[part])
        elif part:
            words.append(_web_label(part, lex))
    return " ".join(words), "web"


def symbol(m: re.Match, lex):
    """"&", "+", "%", "±", "≥"...; "<", ">", "=", "~" only before a number ("<5%",
    "~30 độ"), so markup ("<b>") and "~" in a name are left alone."""
    sign = m.group()
    if sign == "+" and _BULLET.match(m.string, m.end()):
        line = m.string[m.string.rfind("\n", 0, m.start()) + 1:m.start()]
        if line.strip()[-1:] in ("", ":", ";"):
            # "+ Nội dung: ...", "gồm: + tin; + bài": bullets of a Word list, not "cộng"
            return "", "symbol"
    said = _SAID_BEFORE.get(sign)
    if said and said.search(m.string, max(0, m.start() - 20), m.start()):
        return "", "symbol"
    glued = m.end() < len(m.string) and not m.string[m.end()].isspace()
    return SYMBOLS[sign] + (" " if glued and sign in "<>=~" else ""), "symbol"


# The letters-and-digits rule goes before the numeric rules, the others after.
EARLY_RULES = [
    ("an", r"(?<!\w)[A-ZĐ]+\d[A-ZĐ\d]*(?!\w)", letters_and_digits),
    ("sn", r"(?<!\w)SN(?:[ \t]*:)?(?=[ \t]*(?:19|20)\d\d(?!\d))", born),
    ("cn", r"(?<!\w)CN(?!\w)", sunday),
]
RULES = [
    ("cp", r"(?<!\w)(?P<cp_tok>[A-ZĐ]{1,5})(?:/(?P<cp_year>\d{4}))?(?!\w)", capitals),
    ("sy", r"[&+%‰±≈≥≤≠]|(?<![\w<>=~])[<>=~](?![<>=])(?=[ \t]?[-−]?\d)", symbol),
]
FIRST_CHARS = "A-ZĐ&+%‰±≈≥≤≠<>=~"
