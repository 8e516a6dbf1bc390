"""Rules for everything written with digits: numbers, dates, times, money,
units and phone numbers (document numbers: ``rules_documents``).

Each rule is a regular expression with named groups (prefixed by the rule's
name, since all rules are joined into one pattern) and a handler that returns
``(spoken, kind)`` for a match, or None to leave it alone.  Handlers look at
the text around the match (``m.string``) for context words such as "ngày",
"tháng", "thứ", "số".  The order of ``RULES`` is the priority when two rules
match at the same position.  See ``normalize.py`` for the conventions.
"""
from __future__ import annotations

import re

from .numbers import (day_words, month_word, ordinal_word, rank_word, read_decimal,
                      read_digits, read_integer_text, read_number)
from .rules_codes import SPACES, read_code
from .rules_dates import DASHED_AFTER, DASHED_STOP, dashed_is_date, is_date, is_listed_day
from .rules_words import heading

H = r"[ \t\u00a0\u202f]"  # horizontal space: a rule never reaches across lines
NUM = (r"(?:\d{1,3}(?P<ms_sp>[ \u00a0\u202f])\d{3}(?:(?P=ms_sp)\d{3})*(?![ \u00a0\u202f]?\d|\.\d)"
       r"(?:,\d+)?|\d{1,3}(?:\.\d{3})+(?!\.?\d)(?:,\d+)?|\d+(?:\.\d+)+|\d+(?:,\d+)?)")
_END = r"(?![\w/]|[.,]\d)"  # not glued to more of a number or word

UNITS = {
    "km²": "ki-lô-mét vuông", "km2": "ki-lô-mét vuông", "m²": "mét vuông",
    "m2": "mét vuông", "m³": "mét khối", "m3": "mét khối", "ha": "héc-ta",
    "kg": "ki-lô-gam", "mg": "mi-li-gam", "g": "gam", "km": "ki-lô-mét",
    "cm": "xăng-ti-mét", "mm": "mi-li-mét", "m": "mét", "ml": "mi-li-lít", "l": "lít",
    "°C": "độ xê", "ºC": "độ xê", "oC": "độ xê", "°": "độ", "kWh": "ki-lô-oát giờ",
    "kW": "ki-lô-oát", "MW": "mê-ga-oát", "MHz": "mê-ga-héc", "kHz": "ki-lô-héc",
    "dB": "đề-xi-ben", "mmHg": "mi-li-mét thủy ngân",
}
DENOMINATORS = {**UNITS, "h": "giờ", "s": "giây"}
CURRENCIES = {"đồng": "đồng", "đ": "đồng", "VNĐ": "đồng", "VND": "đồng", "USD": "đô la Mỹ",
              "US$": "đô la Mỹ", "$": "đô la", "EUR": "ơ-rô", "€": "ơ-rô", "GBP": "bảng Anh",
              "£": "bảng Anh", "JPY": "yên Nhật", "CNY": "nhân dân tệ", "KRW": "won Hàn Quốc",
              "THB": "bạt Thái Lan", "LAK": "kíp Lào", "KHR": "riên Cam-pu-chia",
              "AUD": "đô la Úc", "SGD": "đô la Xin-ga-po", "RUB": "rúp Nga"}
# Written before the number: "$100", "€50", "US$ 2 triệu".
PREFIX_CURRENCIES = ("US$", "$", "€", "£")
PER_MILLE = {"%": "phần trăm", "‰": "phần nghìn"}
SCALES = ("nghìn", "ngàn", "triệu", "tỷ")  # "2 triệu/tháng" is money
# A decimal written with an English dot ("1.5 tấn") is read "phẩy" before one of these
# (or a unit, a currency, "%"); elsewhere a dot that is no thousands separator is
# "chấm" ("công nghiệp 4.0", "mục 2.3").
MEASURE_WORDS = (*SCALES, "tấn", "tạ", "yến", "lít", "héc-ta", "mét", "ki-lô-mét", "sào",
                 "mẫu", "lần", "điểm", "độ", "giờ", "phút", "giây", "tuổi", "ngày", "tháng",
                 "năm", "tuần", "người", "hộ", "con", "cây", "ca", "lượt", "km", "kg", "ha")
# "ha" alone is a hectare only after a word of quantity ("hàng nghìn ha", "vài trăm ha").
QUANTITY_WORDS = ("nghìn", "ngàn", "trăm", "chục", "triệu", "vạn", "vài", "mấy", "nhiều")
_AFTER_QUANTITY = "|".join(rf"(?<={w}[ \u00a0])" for w in QUANTITY_WORDS)
# Units that are unambiguous on their own ("vài trăm kg"); "m", "g", "ha" are not.
STANDALONE_UNITS = ("km²", "km2", "m²", "m2", "m³", "m3", "kg", "km", "cm", "mm", "ml",
                    "mg", "kWh", "kW", "°C", "ºC")


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _ctx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


_AFTER_NGAY = _ctx(r"(?<!\w)ngày[ \t]+$")
_AFTER_MUNG = _ctx(r"(?<!\w)(?:mùng|mồng)[ \t]+$")
_AFTER_THANG = _ctx(r"(?<!\w)tháng[ \t]+$")
_AFTER_THU = _ctx(r"(?<!\w)thứ[ \t]+$")
_AFTER_RANK = _ctx(r"(?<!\w)(?:hạng|giải)[ \t]+$")  # "hạng 1", "giải 2": "nhất", "nhì"
_SCALE_NEXT = _ctx(r"[ \t]+(?:nghìn|ngàn|triệu|tỷ)(?!\w)")
_AFTER_QUY = _ctx(r"(?<!\w)quý[ \t]+$")
_AFTER_SO = _ctx(r"(?<!\w)số[ \t]*:?[ \t]*$")
_AFTER_YEAR_WORD = _ctx(r"(?<!\w)năm[ \t]+$")
_THANG_NEXT = _ctx(r"[ \t]+tháng(?!\w)")
_TIME_UNIT_NEXT = _ctx(r"[ \t]+(?:ngày|tuần|giờ)(?!\w)")
_ENGLISH_DECIMAL = re.compile(r"(\d+)\.(\d{1,2})")
_MEASURE_NEXT = re.compile(r"[ \t\u00a0]*(?:%s)(?!\w)" % "|".join(MEASURE_WORDS))
_THOUSANDS = re.compile(r"\d{1,3}(?:([.%s])\d{3})(?:\1\d{3})*" % SPACES)
_DIGIT_RUN = re.compile(r"\d+")


def _before(m: re.Match, size: int = 24) -> str:
    return m.string[max(0, m.start() - size):m.start()]


def _after(m: re.Match, pattern: re.Pattern) -> bool:
    return pattern.match(m.string, m.end()) is not None


def read_numeral(text: str) -> tuple[str, str]:
    """Read a number as written: thousands dots or spaces, decimal comma, version
    dots; grouped digits with a leading zero are a code ("035 500 000")."""
    grouped = _THOUSANDS.match(text)
    if grouped and text.startswith("0") and len(grouped.group()) > 3:
        return read_code(text), "code"  # a leading zero wins over the thousands
    if grouped and grouped.group(1) != ".":
        whole, _, frac = text.partition(",")
        text = whole.replace(grouped.group(1), ".") + ("," + frac if frac else "")
    if "," in text:
        whole, frac = text.split(",", 1)
        return read_decimal(whole, frac), "decimal"
    if "." in text:
        if _THOUSANDS.fullmatch(text):
            return read_number(int(text.replace(".", ""))), "number"
        parts = [read_digits(p) if len(p) > 1 and p.startswith("0") else read_integer_text(p)
                 for p in text.split(".")]
        return " chấm ".join(parts), "number"
    return read_integer_text(text), "number"


def numbers_only(text: str) -> tuple[str, str]:
    """Fallback: read every digit run as a number and keep everything else."""
    return _DIGIT_RUN.sub(lambda d: read_integer_text(d.group()), text), "number"


# What a tally counts: "17/19 tiêu chí", "12/13 huyện" are "mười bảy trên mười chín",
# never "phần" (a share of one whole: "3/4 kế hoạch", "1/2 số hộ").
TALLY_NOUNS = ("xã", "phường", "thị trấn", "huyện", "tỉnh", "thành", "thành phố", "thị xã",
               "quận", "thôn", "xóm", "tổ", "khối", "bản", "đơn vị", "tiêu chí", "sản phẩm",
               "trường", "dự án", "công trình", "doanh nghiệp", "hợp tác xã", "HTX",
               "cơ sở", "mô hình", "thủ tục", "hồ sơ", "đội", "trận", "nước", "quốc gia",
               "thành viên", "đại biểu", "câu", "môn", "lớp", "bệnh viện", "trạm")
_TALLY_NEXT = re.compile(r"[ \t\u00a0]+(?:%s)(?!\w)" % _alt(TALLY_NOUNS))


def fraction(a: int, b: int) -> str:
    """"3/4" → "ba phần tư" for a proper fraction of halves to tenths (or of a
    hundred, a thousand), else "X trên Y" ("24/7", "17/19")."""
    if 0 < a < b and (b <= 10 or b in (100, 1000)):
        return f"{read_number(a)} phần {'tư' if b == 4 else read_number(b)}"
    return f"{read_number(a)} trên {read_number(b)}"



# ---------------------------------------------------------------- handlers

def phone(m: re.Match, lex):
    """Phone numbers digit by digit, groups separated by commas."""
    text = m.group()
    if text[:4] in ("1800", "1900") and _AFTER_YEAR_WORD.search(_before(m)):
        return numbers_only(text)  # "năm 1900 1000 ..." is a year
    return read_code(text), "phone"


def _days(m: re.Match, first: str | None, last: str) -> str:
    read = read_number if _AFTER_MUNG.search(_before(m)) else day_words
    if first:
        return f"{read(int(first))} đến {day_words(int(last))}"
    return read(int(last))


def date(m: re.Match, lex):
    """d/m/yyyy (and d-d/m/yyyy): "ngày mùng một tháng chín năm ..."."""
    days = [int(d) for d in (m["dt_d0"], m["dt_d"]) if d]
    month = int(m["dt_m"])
    if not (all(1 <= d <= 31 for d in days) and 1 <= month <= 12):
        return numbers_only(m.group())
    before = _before(m)
    prefix = "" if _AFTER_NGAY.search(before) or _AFTER_MUNG.search(before) else "ngày "
    return (f"{prefix}{_days(m, m['dt_d0'], m['dt_d'])} tháng {month_word(month)} "
            f"năm {read_number(int(m['dt_y']))}", "date")


def month_year(m: re.Match, lex):
    """m/yyyy and m-m/yyyy: "tháng mười một năm hai nghìn không trăm hai mươi mốt"."""
    first, month, year = m["my_m0"], int(m["my_m"]), read_number(int(m["my_y"]))
    before = _before(m)
    if _AFTER_QUY.search(before):  # "Quý 4/2021"
        lead = f"{read_number(int(first))} đến " if first else ""
        return f"{lead}{read_number(month)} năm {year}", "date"
    if _AFTER_SO.search(before) and not first:  # "Nghị quyết số 25/2021"
        return f"{read_integer_text(m['my_m'])} năm {year}", "document"
    months = [int(first), month] if first else [month]
    if not all(1 <= x <= 12 for x in months):
        if not first:  # "đạt 13/2025": no month
            return _ratio(m, int(m["my_m"]), int(m["my_y"]))
        return numbers_only(m.group())
    prefix = "" if _AFTER_THANG.search(before) else "tháng "
    spoken = " đến tháng ".join(month_word(x) for x in months)
    return f"{prefix}{spoken} năm {year}", "date"


def day_month(m: re.Match, lex):
    """d/m without a year: a date after "ngày", "dịp", "từ"... or in a list of
    dates ("ngày 30/4 và 1/5"); else a fraction (see ``rules_dates``)."""
    day, month = int(m["dm_d"]), int(m["dm_m"])
    if 1 <= day <= 31 and 1 <= month <= 12 and is_date(m) and not m["dm_u"]:
        read = read_number if _AFTER_MUNG.search(_before(m)) else day_words
        return f"{read(day)} tháng {month_word(month)}", "date"
    return _with_unit(_ratio(m, day, month), m["dm_u"])


def _with_unit(reading: tuple[str, str], unit: str | None) -> tuple[str, str]:
    """"1/2 ha": the unit after a fraction is read with it ("một phần hai héc-ta")."""
    return (f"{reading[0]} {UNITS[unit]}", reading[1]) if unit else reading


def _ratio(m: re.Match, a: int, b: int) -> tuple[str, str]:
    if _AFTER_THU.search(_before(m)):  # "xếp thứ 4/63 tỉnh": a rank out of a total
        return f"{ordinal_word(a)} trên {read_number(b)}", "ordinal"
    if _after(m, _TALLY_NEXT):  # "đạt 2/3 xã": a tally
        return f"{read_number(a)} trên {read_number(b)}", "fraction"
    return fraction(a, b), "fraction"


def ratio(m: re.Match, lex):
    """a/b with a longer number: "135/216 xã" → "một trăm ba mươi lăm trên hai
    trăm mười sáu xã", "1/100" → "một phần một trăm"."""
    a, b = int(m["fr_a"].replace(".", "")), int(m["fr_b"].replace(".", ""))
    if 1900 <= b <= 2099 and len(m["fr_b"]) == 4 and _AFTER_SO.search(_before(m)):
        return f"{read_number(a)} năm {read_number(b)}", "document"  # "số 1234/2021"
    return _with_unit(_ratio(m, a, b), m["fr_u"])


def press_date(m: re.Match, lex):
    """d-m-yyyy, d.m.yyyy ("Ngày 20-10-2025") and, after a date word, d-m
    ("Chiều 20-10"): the press's ways of writing a date."""
    year = m["px_y"]
    day, month = int(m["px_d"] or m["px_d2"]), int(m["px_m"] or m["px_m2"])
    if not (1 <= day <= 31 and 1 <= month <= 12) or not (year or dashed_is_date(m)):
        if year:  # "45.6.2025" is no date
            return numbers_only(m.group())
        return f"{read_number(day)} đến {read_number(month)}", "range"  # "ngày 10-15"
    before = _before(m)
    prefix = "" if not year or _AFTER_NGAY.search(before) or \
        _AFTER_MUNG.search(before) else "ngày "
    read = read_number if _AFTER_MUNG.search(before) else day_words
    spoken = f"{prefix}{read(day)} tháng {month_word(month)}"
    if year:
        spoken += f" năm {read_number(int(year))}"
    return spoken, "date"


def time_of_day(m: re.Match, lex):
    """"7h15", "07:15", "19h" → "bảy giờ mười lăm phút", "mười chín giờ"."""
    hour, minute = int(m["tm_h"]), m["tm_hm"] or m["tm_m"]
    second = m["tm_s"]
    if (m["tm_m"] and hour > 24) or int(minute or 0) > 59 or int(second or 0) > 59:
        return numbers_only(m.group())
    words = [read_number(hour), "giờ"]
    if minute and int(minute):
        words += [read_number(int(minute)), "phút"]
    if second and int(second):
        words += [read_number(int(second)), "giây"]
    return " ".join(words), "time"


def _plain_number(m: re.Match) -> tuple[str, str]:
    text = m["ms_num"]
    if text.isdigit():
        n, before = int(text), _before(m)
        if _AFTER_THU.search(before):
            return ordinal_word(n), "ordinal"
        if 1 <= n <= 12 and _AFTER_THANG.search(before) and not _after(m, _TIME_UNIT_NEXT):
            return month_word(n), "date"
        if 1 <= n <= 31 and _AFTER_NGAY.search(before) and _after(m, _THANG_NEXT):
            return day_words(n), "date"
        if 1 <= n <= 31 and is_listed_day(m):  # "các ngày 2, 3 và 4/9"
            return (read_number(n) if _AFTER_MUNG.search(before) else day_words(n)), "date"
    return read_numeral(text)


def measure(m: re.Match, lex):
    """A number with its percent sign, currency or unit, and "/" denominators."""
    spoken, kind = _plain_number(m)
    english = _ENGLISH_DECIMAL.fullmatch(m["ms_num"])
    if english and (m["ms_pct"] or m["ms_suffix"] or _after(m, _MEASURE_NEXT)):
        # "1.5 tấn", "2.5km", "3.5%": a decimal written the English way, said "phẩy"
        spoken, kind = read_decimal(english[1], english[2]), "decimal"
    if m["ms_neg"]:
        spoken = f"âm {spoken}"
    if m["ms_pct"]:  # "0,65%/tháng": "... phần trăm một tháng"
        per = "".join(f" một {DENOMINATORS.get(d, d)}"
                      for d in filter(None, (m["ms_pper"] or "").split("/")))
        return f"{spoken} {PER_MILLE[m['ms_pct']]}{per}", "percent"
    suffix = m["ms_suffix"]
    if not suffix:
        if m["ms_num"].isdigit() and _AFTER_RANK.search(_before(m)) and \
                not _after(m, _SCALE_NEXT):
            return rank_word(int(m["ms_num"])), "ordinal"
        if kind == "number" and heading(m):
            spoken = spoken.capitalize()  # "1. Kinh phí" → "Một. Kinh phí"
        return spoken, kind
    words = suffix.split()
    if words[-1] in CURRENCIES or words[-1] in SCALES:
        # "30.000 đồng/kg": "ba mươi nghìn đồng một ki-lô-gam"; "2 triệu/tháng": "... một tháng"
        kind, money = "money", True
        words[-1] = CURRENCIES.get(words[-1], words[-1])
    else:
        kind, money = "unit", False
        words[-1] = UNITS.get(words[-1], words[-1])
    spoken = " ".join([spoken, *words])
    for denominator in filter(None, (m["ms_per"] or "").split("/")):
        # "60 km/h", "20 tấn/ha": "trên" a unit; "45 kg/người/năm": "một người một năm"
        per = "trên" if not money and denominator in DENOMINATORS else "một"
        spoken += f" {per} {DENOMINATORS.get(denominator, denominator)}"
    return spoken, kind


# A time of day written in words before a range's dash ("8 giờ - 11 giờ", "8 giờ sáng -
# 5 giờ chiều"): lookbehinds of fixed width, each ending where the dash may follow.
_AFTER_TIME = "|".join(
    [rf"(?<=\d{H}giờ)", rf"(?<=\d{H}giờ{H})"]
    + [rf"(?<=giờ{H}{part}{H})" for part in ("sáng", "trưa", "chiều", "tối", "đêm")])


# A result, not a range: "thắng 2-1", "hòa 1-1", "tỷ số 3-0" are "hai một"... (but
# "thắng 2-3 trận", a count of wins, is a range).
_SCORE_BEFORE = re.compile(
    rf"(?<!\w)(?:thắng|hòa|hoà|thua|bại|tỷ{H}số|tỉ{H}số)(?:{H}+(?:chung{H}cuộc|đậm|sát{H}nút))?"
    rf"{H}+\d{{1,2}}{H}*$", re.IGNORECASE)
_COUNTED_AFTER = re.compile(rf"\d+{H}*(?:trận|ván|lần|điểm|bàn|ngày|tuần|tháng|năm|giờ|phút)"
                            r"(?!\w)")


def range_sign(m: re.Match, lex):
    """"-" or "–" between two numbers: "2022-2026" → "... đến ...", and "/"
    between two years ("năm học 2021/2022"); in a score, the two numbers in a row."""
    before = m.string[m.start() - 1] if m.start() else ""
    space = "" if before.isspace() else " "
    if _SCORE_BEFORE.search(m.string, 0, m.start()) and \
            not _COUNTED_AFTER.match(m.string, m.end()):   # (the match ends at the digit)
        return space, "score"
    return space + "đến ", "range"


def prefix_money(m: re.Match, lex):
    """"$100" → "một trăm đô la", "US$ 2 triệu" → "hai triệu đô la Mỹ"."""
    words = [read_numeral(m["cx_num"])[0]]
    if m["cx_scale"]:
        words.append("nghìn" if m["cx_scale"] == "ngàn" else m["cx_scale"])
    return " ".join([*words, CURRENCIES[m["cx_cur"]]]), "money"


def times_sign(m: re.Match, lex):
    """"x2", "3x4", "3 × 4": "nhân" ("gấp 2" needs no rule: "gấp hai")."""
    return "nhân", "symbol"


def standalone_unit(m: re.Match, lex):
    return UNITS[m.group()], "unit"


def digits_left(m: re.Match, lex):
    """Any digits no other rule took ("H5N1", "1,2,3"): read as numbers."""
    return read_integer_text(m.group()), "number"


_UNIT_ALT = _alt(UNITS)
_DENOM = rf"(?:{_alt(DENOMINATORS)}|[^\W\d_]+)(?!\w)"
_SUFFIX = (rf"{H}?(?:(?:nghìn|ngàn|triệu|tỷ){H})?(?:{_alt(CURRENCIES)})(?!\w)"
           rf"|{H}?(?:{_UNIT_ALT})(?!\w)|{H}[^\W\d_]+(?=/[^\W\d_])")
_PHONE = "|".join([
    r"\+84(?:[ .\-]?\d{2,4}){3}",
    r"\(\+84\)[ .\-]?\d(?:[ .\-]?\d){8,9}(?![ .\-]?\d)",  # "(+84) 912 345 678"
    r"0\d{2,3}[ .\-]\d{3,4}[ .\-]\d{3,4}",
    r"0\d{3}[ .\-]\d{6,7}",
    r"0\d{9,10}",
    r"(?=0(?:[ .\-]?\d){9,10}(?![ .\-]?\d))0\d{1,4}(?:[ .\-]\d{1,4}){1,4}",
    # "(0239) 3 855 555": an area code in brackets, then 7 or 8 digits in any grouping
    r"\(0\d{2,3}\)[ .\-\u00a0\u202f]?\d(?:[ .\-\u00a0\u202f]?\d){6,7}(?![ .\-\u00a0\u202f]?\d)",
    r"1[89]00[ .\-]?\d{3,4}(?:[ .\-]\d{2,4})?",
])

# (name, pattern, handler), in priority order.
RULES = [
    ("ph", rf"(?<![\w.,+])(?:{_PHONE})(?!\w|[.,]\d|[ .\-\u00a0\u202f]\d)", phone),
    ("dt", rf"(?<![\w.,/])(?:(?P<dt_d0>\d{{1,2}}){H}*[-–]{H}*)?(?P<dt_d>\d{{1,2}})/"
           rf"(?P<dt_m>\d{{1,2}})/(?P<dt_y>\d{{4}}){_END}", date),
    ("my", rf"(?<![\w.,/])(?:(?P<my_m0>\d{{1,2}}){H}*[-–]{H}*)?(?P<my_m>\d{{1,2}})/"
           rf"(?P<my_y>(?:1[89]|20)\d\d){_END}", month_year),
    ("dm", rf"(?<![\w.,/])(?P<dm_d>\d{{1,2}})/(?P<dm_m>\d{{1,2}})"
           rf"(?:{H}?(?P<dm_u>{_UNIT_ALT})(?!\w)|{_END})", day_month),
    ("fr", r"(?<![\w.,/])(?!(?:19|20)\d\d/(?:19|20)\d\d(?!\d))"
           r"(?P<fr_a>[1-9]\d{0,2}(?:\.\d{3})+|[1-9]\d{0,4})/"
           r"(?P<fr_b>[1-9]\d{0,2}(?:\.\d{3})+|[1-9]\d{0,4})"
           rf"(?:{H}?(?P<fr_u>{_UNIT_ALT})(?!\w)|{_END})", ratio),
    ("px", rf"(?<![\w.,/\-–])(?P<px_d>\d{{1,2}})(?P<px_sep>[-–.])(?P<px_m>\d{{1,2}})"
           rf"(?P=px_sep)(?P<px_y>(?:1[89]|20)\d\d){_END}(?![\-–.]\d)"
           rf"|(?=\d)(?:{DASHED_AFTER})(?P<px_d2>\d{{1,2}})[-–](?P<px_m2>\d{{1,2}}){DASHED_STOP}",
     press_date),
    ("tm", r"(?<![\w.,:])(?P<tm_h>\d{1,2})(?:h(?P<tm_hm>\d{2})?|:(?P<tm_m>\d{2})"
           r"(?::(?P<tm_s>\d{2}))?)(?![\w:]|[.,]\d)", time_of_day),
    ("rg", rf"(?:(?<=\d)|(?<=\d{H})|(?<=\dh)|(?<=\dh{H})|(?<=\d%)|{_AFTER_TIME})[-–—]{H}*(?=\d)"
           r"|(?<=(?:19|20)\d\d)/(?=(?:19|20)\d\d(?!\d))", range_sign),
    ("ms", rf"(?<![\w.,])(?P<ms_neg>[-−](?=\d))?(?P<ms_num>{NUM})(?:{H}?(?P<ms_pct>[%‰])"
           rf"(?P<ms_pper>(?:/{_DENOM})*)|"
           rf"(?P<ms_suffix>{_SUFFIX})(?P<ms_per>(?:/{_DENOM})*))?", measure),
    ("cx", rf"(?<![\w$€£])(?P<cx_cur>{_alt(PREFIX_CURRENCIES)}){H}?"
           r"(?P<cx_num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
           rf"(?:{H}(?P<cx_scale>nghìn|ngàn|triệu|tỷ)(?!\w))?(?![\w]|[.,]\d)", prefix_money),
    ("mu", rf"(?:(?<=\d)|(?<=\d{H})|(?<!\w))[x×](?={H}?\d)", times_sign),
    ("su", rf"(?<!\w)(?:{_alt(STANDALONE_UNITS)})(?!\w)|(?:{_AFTER_QUANTITY})ha(?!\w)",
     standalone_unit),
    ("dg", r"\d+", digits_left),
]
# What a match of these rules starts with: one of these characters, or a unit
# word (kept out of the characters: "k", "m", "c" start too many words).
FIRST_CHARS = "0-9/+\\-–—−°º×$€£"
FIRST_WORDS = (rf"(?<!\w)(?:{_alt(STANDALONE_UNITS)}|ha)(?!\w)|x(?={H}?\d)|"
               r"\((?=0|\+84)")
