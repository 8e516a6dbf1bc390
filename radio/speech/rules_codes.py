"""Digit strings that are codes, read digit by digit: "tổng đài 1022" →
"tổng đài một không hai hai".

A string of digits is a code, not a quantity, when

* a code word comes before it: a hotline or switchboard ("tổng đài",
  "đường dây nóng", "hotline", "số máy lẻ"), a phone, fax, account, postcode,
  ID card, tax or plate number (:data:`CONTEXTS`).  A colon, "là", "số",
  "(miễn phí)" or "của <a few words>:" may stand between them, and codes
  joined by ",", ";", "/" or "hoặc" share the context ("tổng đài 1022 hoặc
  1900 1234").  A code has at least three digits, and a number followed by a
  unit, a currency or "%" stays a quantity ("tài khoản 500.000 đồng");
* or it starts with 0 and is written in groups ("035 500 000", "012.345"):
  a leading zero wins over the thousands grouping (``rules_numeric``);
* or it has the shape of a vehicle plate ("38A-123.45").

This runs as its own pass before the other rules (see ``normalize.py``), so a
code context is decided once, and the thousands rule only ever sees what is
not a code.  Codes are read in their written groups, separated by commas (the
pauses of a dictated number); a long ungrouped code is cut into groups of
three (a phone number's usual grouping for 8, 10 and 11 digits).
"""
from __future__ import annotations

import re

from .numbers import read_digits
from .rules_words import LETTER_NAMES

SPACES = " \t\u00a0\u202f"  # space, tab, no-break space, narrow no-break space
# Code words, as regular expressions (matched whole, case-insensitively), and
# the kind of rewrite they make.
CONTEXTS = (
    ("tổng đài", "phone"), (r"đường dây (?:nóng|hỗ trợ|tư vấn)", "phone"),
    ("hotline|hót-lai", "phone"), (r"(?:số )?máy lẻ", "phone"), (r"(?:số )?điện thoại", "phone"),
    ("SĐT", "phone"), (r"ĐT(?=[ \t]*:)", "phone"), ("tel", "phone"), (r"(?:số )?fax", "phone"),
    (r"(?<!kêu )gọi(?: ngay)?(?: cho| đến| tới)? số", "phone"),
    # "gọi" alone: before what can only be a phone or service number ("gọi 113", "gọi
    # 0912..."), not before a count ("gọi 1.800 công dân nhập ngũ")
    (r"(?<!kêu )gọi(?: ngay)?(?: cho| đến| tới)?"
     rf"(?=[{SPACES}]*(?:0|\+|11\d(?!\d)|10\d\d(?!\d)|1[89]00))", "phone"),
    (r"nhắn tin(?: đến| tới)? số", "phone"), ("đầu số", "phone"),
    (r"(?:số )?tài khoản", "code"), ("STK", "code"),
    (r"mã (?:số )?bưu (?:chính|điện)", "code"), ("postcode", "code"), ("zip code", "code"),
    (r"biển (?:số|kiểm soát)", "code"), ("BKS", "code"),
    (r"(?:số )?(?:căn cước(?: công dân)?|CCCD|CMND|CMTND|hộ chiếu)", "code"),
    (r"chứng minh (?:nhân dân|thư)", "code"), (r"(?:số|mã) định danh", "code"),
    ("mã số thuế", "code"), ("MST", "code"), (r"số (?:seri|sê-ri|serial|hiệu|thẻ)", "code"),
    (r"mã(?: số| OTP| xác nhận| hồ sơ| vạch| sản phẩm| giao dịch| khách hàng| đơn hàng)?",
     "code"), ("OTP", "code"),
)
_KIND = {i: kind for i, (_, kind) in enumerate(CONTEXTS)}
_S = f"[{SPACES}]"
CODE = rf"\+?\d+(?:[{SPACES}.\-]\d+)*"
_GAP = (rf"(?:{_S}*(?::|là|số|\(miễn phí\)|miễn phí|của(?:{_S}+[^\W\d_]+){{1,5}}{_S}*:)"
        rf"(?!\w))*{_S}*")
_JOIN = rf"{_S}*(?:[,;/]|hoặc(?!\w)){_S}*"
PATTERN = re.compile(
    "(?<!\\w)(?:" + "|".join(f"(?P<c{i}>{p})" for i, (p, _) in enumerate(CONTEXTS))
    + rf")(?!\w){_GAP}(?P<body>{CODE}(?:{_JOIN}{CODE})*)(?![\w/]|[.,]\d)",
    re.IGNORECASE)
_QUANTITY_NEXT = re.compile(rf"{_S}*(?:[%‰]|(?:nghìn|ngàn|triệu|tỷ|đồng|đ|VNĐ|VND|USD|EUR|"
                            r"kg|km|ha|m2|m3|m|tấn|lần|lượt|cuộc|người|hộ)(?!\w))", re.IGNORECASE)
_GROUP_SEPARATOR = re.compile(rf"[{SPACES}.\-()]+")
_PHONE_SIZES = {8: (4, 4), 10: (4, 3, 3), 11: (4, 4, 3)}


def _chunks(digits: str) -> list[str]:
    """Cut an ungrouped code for the pauses: 10 digits → 4, 3, 3; 9 → 3, 3, 3."""
    if len(digits) <= 5:
        return [digits]
    sizes = _PHONE_SIZES.get(len(digits))
    if sizes is None:
        count = len(digits) // 3
        sizes = (3,) * (count - 1) + (3 + len(digits) % 3,)
    chunks, start = [], 0
    for size in sizes:
        chunks.append(digits[start:start + size])
        start += size
    return chunks


def read_code(text: str) -> str:
    """Read a code digit by digit, its groups separated by commas:
    "0912 345 678" → "không chín một hai, ba bốn năm, sáu bảy tám"."""
    groups = [g for g in _GROUP_SEPARATOR.split(text) if g]
    if len(groups) == 1:
        plus = "+" if groups[0].startswith("+") else ""
        groups = _chunks(groups[0].lstrip("+"))
        groups[0] = plus + groups[0]
    else:  # "(0239) 3855555": a long group after the area code is cut too
        groups = [c for g in groups for c in ([g] if g.startswith("+") else _chunks(g))]
    return ", ".join(f"cộng {read_digits(g[1:])}" if g.startswith("+") else read_digits(g)
                     for g in groups)


def digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def in_context(m: re.Match):
    """A code after a code word: (spoken, kind) for the span of group "body"."""
    body = m["body"]
    first = re.match(CODE, body).group()
    if digit_count(first) < 3 or _QUANTITY_NEXT.match(m.string, m.end()):
        return None  # "tổng đài 18", "tài khoản 500 nghìn": quantities
    kind = next(_KIND[i] for i in range(len(CONTEXTS)) if m[f"c{i}"] is not None)
    spoken = re.sub(CODE, lambda c: read_code(c.group()), body)
    spoken = re.sub(rf"{_S}*/{_S}*", ", ", spoken)  # "máy lẻ 101/102"
    return spoken, kind


# ---------------------------------------------------------------- plates

def plate(m: re.Match, lex):
    """A vehicle plate: "38A-123.45" → "ba tám a, một hai ba, bốn năm"."""
    series = " ".join(read_digits(ch) if ch.isdigit() else LETTER_NAMES[ch]
                      for ch in m["vp_s"] if ch.isalnum())
    return f"{series}, {read_code(m['vp_n'])}", "code"


RULES = [
    ("vp", r"(?<![\w.,\-])(?P<vp_s>\d{2}-?[A-ZĐ]{1,2}\d?)[ \-–.]?"
           r"(?P<vp_n>\d{3}\.\d{2}|\d{4,5})(?![\w.,]\d|[\w/])", plate),
]
