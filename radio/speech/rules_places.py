"""Road and place codes: "QL1A" → "quốc lộ một a", "ĐT.551" → "đường tỉnh năm
trăm năm mươi mốt", "Km 15+200" → "ki-lô-mét mười lăm cộng hai trăm".

A road code is its class, its number read as a number, and the letters after
it spelled ("QL8A", "QL 8A", "QL.8A").  QL, ĐT and TL may stand apart from the
number; the rarer classes (ĐH is also "đại học", CT also "chỉ thị") only when
glued to it or joined by a dot ("ĐH.12", "CT01").  A chainage "Km 15+200" is
read the way road reports are read aloud.  Numbered hamlets, residential
groups and blocks ("thôn 3", "TDP 5", "khối 7", "xóm II") are read by the
number, acronym and Roman-numeral rules (TDP, KP in ``acronyms.tsv``).
"""
from __future__ import annotations

import re

from .numbers import read_integer_text, read_number
from .rules_words import spell

ROADS = {"QL": "quốc lộ", "ĐT": "đường tỉnh", "TL": "tỉnh lộ", "ĐH": "đường huyện",
         "HL": "hương lộ", "ĐX": "đường xã", "ĐCT": "đường cao tốc", "CT": "cao tốc"}
_LOOSE = ("QL", "ĐT", "TL")  # may be written apart from the number: "QL 1A"


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def road(m: re.Match, lex):
    """"QL1A" → "quốc lộ một a"."""
    words = [ROADS[m["rd_c"] or m["rd_t"]], read_integer_text(m["rd_n"])]
    if m["rd_s"]:
        words.append(spell(m["rd_s"]))
    return " ".join(words), "place"


def chainage(m: re.Match, lex):
    """"Km 15+200" → "ki-lô-mét mười lăm cộng hai trăm"."""
    spoken = f"ki-lô-mét {read_number(int(m['km_a']))}"
    if m["km_b"]:
        spoken += f" cộng {read_number(int(m['km_b']))}"
    return spoken, "place"


RULES = [
    ("rd", rf"(?<!\w)(?:(?P<rd_c>{_alt(_LOOSE)})(?:\.[ \t]?|[ \t])?|"
           rf"(?P<rd_t>{_alt(set(ROADS) - set(_LOOSE))})\.?)"
           r"(?P<rd_n>(?!0\d{3})\d{1,4})(?P<rd_s>[A-ZĐ]{0,2})(?![\w]|[.,]\d)", road),
    ("km", r"(?<!\w)K[mM][ \t]?(?P<km_a>\d{1,4})(?:[ \t]?\+[ \t]?(?P<km_b>\d{1,3}))?"
           r"(?![\w]|[.,+]\d)", chainage),
]
FIRST_CHARS = ""  # road classes and "Km" start with capitals, already in the guard
