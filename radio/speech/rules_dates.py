"""When a day/month without a year is a date, and when a bare number is a day.

"d/m" is a date after a date word, or after a list or range of dates that
follows one; otherwise it is a fraction ("3/4 kế hoạch" → "ba phần tư kế
hoạch"):

* "ngày 30/4 và 1/5" → "ngày ba mươi tháng tư và mùng một tháng năm"
* "các ngày 2, 3 và 4/9" → "các ngày mùng hai, mùng ba và mùng bốn tháng chín"
* "từ 20/11 đến 5/12", "dịp 30/4 - 1/5"

A date word right before the date ("ngày", "mùng", "dịp", "lễ", "sáng"...)
always makes a date.  The weaker words ("từ", "đến", "trước", "sau", "hết",
a dash) and a list make a date unless a quantity noun follows, the sign of a
fraction: "sau 3/4 chặng đường", "hết 1/2 thời gian", "ngày 15, 3/4 số hộ".

A bare number is a day when it stands in such a list, after a date word, and
the list ends in a day/month or in "tháng" and a month: the "2" and "3" of "các
ngày 2, 3 và 4/9" or "ngày 2 và 3 tháng 9" take "mùng" like any day from 1 to
10 ("từ 2 đến 3 tháng" is a duration and stays so).

A news lead dates its story in parentheses after "nay" or "qua" ("Sáng nay
(12/5), ...", "Hôm qua (20-10)") or after a weekday ("thứ Hai (6/10)", "Chủ
nhật (5/10)", also without the brackets), and a d/m alone in brackets
("Cách mạng Tháng Tám (19/8)") or after the name of a day ("Ngày Thương binh -
Liệt sĩ 27/7") is a date too; and the press writes dates with dashes or
dots: "Chiều 20-10", "Ngày 20-10-2025", "19.5.1890".  d-m-yyyy and d.m.yyyy are
always dates; d-m without a year only right after a strong date word (or in
those parentheses), and not when "tháng", a time or a duration follows ("ngày
5-7 hằng tháng", "sáng 8-9 giờ" stay ranges).
"""
from __future__ import annotations

import re

# (the first seven can be followed by "nay", "qua" or "mai")
_STRONG = r"ngày|hôm|sáng|trưa|chiều|tối|đêm|mùng|mồng|dịp|khánh|niệm|lễ"
_WEAK = r"từ|đến|tới|trước|sau|hết"
_ITEM = r"\d{1,2}(?:/\d{1,2}(?:/\d{4})?)?"
_SEP = r"(?:[,;]|(?<!\w)(?:và|hoặc|hay|đến|tới)(?!\w)|[-–])"
_S = r"[ \t\u00a0]*"
_WEEKDAY = r"thứ[ \t]+(?:\d|hai|ba|tư|năm|sáu|bảy)|chủ[ \t]+nhật|CN"
_DIRECT = re.compile(rf"(?<!\w)(?:(?:{_STRONG})(?:{_S}(?:nay|qua|mai))?{_S}\(?|"
                     rf"(?:{_WEEKDAY})(?:{_S},)?{_S}\(?){_S}$", re.IGNORECASE)
_OPENS = rf"(?<!\w)(?:(?:{_STRONG})(?:{_S}(?:nay|qua|mai))?|{_WEAK}|{_WEEKDAY})(?!\w)"
_LIST = re.compile(rf"(?:{_OPENS}|[-–]){_S}\(?{_S}(?:{_ITEM}{_S}{_SEP}{_S})*$", re.IGNORECASE)
_LIST_BEFORE_DAY = re.compile(rf"{_OPENS}{_S}\(?{_S}(?:{_ITEM}{_S}{_SEP}{_S})*$",
                              re.IGNORECASE)
_LIST_ENDS_IN_MONTH = re.compile(
    rf"(?:{_S}{_SEP}{_S}\d{{1,2}}(?![\d/]))*"
    rf"(?:{_S}{_SEP}{_S}\d{{1,2}}/\d{{1,2}}(?!\d)|[ \t]+tháng[ \t]+\d)", re.IGNORECASE)
_QUANTITY_NEXT = re.compile(
    r"[ \t]+(?:số|tổng|diện tích|kế hoạch|dân số|sản lượng|chặng|quãng|thời gian|"
    r"khối lượng|lượng|chỉ tiêu|giá trị|công suất|nhiệm vụ|ngân sách|kinh phí|dự án|"
    r"hộ|người|cán bộ|đảng viên|học sinh|lao động|trường hợp)(?!\w)", re.IGNORECASE)


def _before(m: re.Match, size: int = 80) -> str:
    return m.string[max(0, m.start() - size):m.start()]


# "Ngày Thương binh - Liệt sĩ 27/7", "Ngày Quốc tế Phụ nữ 8/3": a day with a name
_NAMED_DAY = re.compile(r"(?<!\w)[Nn]gày((?:[ \t]+(?:[^\W\d_]+|[-–]))){1,8}[ \t]+$")
_ENCLOSED = re.compile(r"[ \t]*\)")


def _after_a_named_day(before: str) -> bool:
    """"Ngày Quốc tế Phụ nữ": "Ngày", then words, the first with a capital."""
    found = _NAMED_DAY.search(before)
    if not found:
        return False
    words = before[found.start():].split()
    return len(words) > 1 and words[1][0].isupper()


def is_date(m: re.Match) -> bool:
    """True when the day/month at *m* is a date (see the module doc)."""
    before = _before(m)
    if _DIRECT.search(before):
        return True
    if _after_a_named_day(before) and not _QUANTITY_NEXT.match(m.string, m.end()):
        return True
    closed = _ENCLOSED.match(m.string, m.end())
    if before.rstrip(" \t").endswith("(") and closed and \
            not _QUANTITY_NEXT.match(m.string, closed.end()):
        return True  # "Cách mạng Tháng Tám (19/8)": a date alone in brackets
    return _LIST.search(before) is not None and not _QUANTITY_NEXT.match(m.string, m.end())


def is_listed_day(m: re.Match) -> bool:
    """True when the bare number at *m* is a day of a list of dates."""
    return (_LIST_ENDS_IN_MONTH.match(m.string, m.end()) is not None  # the cheaper test first
            and _LIST_BEFORE_DAY.search(_before(m)) is not None)


_NEWS_DAYS = ("nay", "qua", "mai")  # "Sáng nay (12/5)", "Hôm qua (20-10)"


def _cased(word: str) -> str:
    return f"[{word[0].upper()}{word[0]}]{re.escape(word[1:])}"


# d-m without a year is a date only right after one of these (lookbehinds of
# fixed width: "Chiều 20-10", "Hôm qua (20-10)", "ngày 1-7").
DASHED_AFTER = "|".join(
    [rf"(?<={_cased(w)}[ \u00a0])" for w in _STRONG.split("|")]
    + [rf"(?<={_cased(w)} {x} \()" for w in _STRONG.split("|")[:7] for x in _NEWS_DAYS]
    + [rf"(?<={_cased(w)} {x} )" for w in _STRONG.split("|")[:7] for x in _NEWS_DAYS]
    + [rf"(?<={_cased(w)}[ \u00a0]\()" for w in _STRONG.split("|")]
    + [r"(?<=[Nn]hật \()", r"(?<=CN \()", r"(?<=[Tt]hứ \d \()"]  # "Chủ nhật (5-10)"
    + [rf"(?<=[Tt]hứ {_cased(d)}{re.escape(p)})"  # "thứ Hai (6-10)", "thứ Sáu, 10-10"
       for d in ("hai", "ba", "tư", "năm", "sáu", "bảy") for p in (" ", " (", ", ")]
    # the next of a list ("dịp 30-4 và 1-5"): :func:`dashed_is_date` checks the list
    + [rf"(?<=\d{j})" for j in (" và ", ", ", " hoặc ", " đến ", " tới ")])
# ... and not when a month, a time or a duration follows: "ngày 5-7 hằng tháng".
# ("uống ngày 2-3 viên", "ngày 2-3 bữa": a count, not a date).
DASHED_STOP = (r"(?![\w/]|[.,\-–]\d|[ \t\u00a0]*(?:tháng|giờ|h|hằng|hàng|mỗi|ngày|tuần|"
               r"lần|phút|độ|năm[ \t]+(?:trước|sau|tới|qua)|viên|bữa|cốc|ly|chén|gói|liều|"
               r"tiếng|lượt|ca|chuyến|người|con|cái|chiếc|lít|tấn|kg|km|m|cm|mm|g|ml|"
               r"nghìn|ngàn|triệu|tỷ|đồng|đ)(?!\w)"
               r"|[ \t\u00a0]*[%‰°])")
_DASHED_ITEM = r"\d{1,2}[-–]\d{1,2}"
_DASHED_JOIN = rf"{_S}(?:[,;]|(?<!\w)(?:và|hoặc|hay|đến|tới)(?!\w)){_S}"
_DASHED_LIST = re.compile(rf"(?<!\w)(?:(?:{_STRONG})(?:{_S}(?:nay|qua|mai))?|{_WEEKDAY})(?!\w)"
                          rf"{_S}\(?{_S}{_DASHED_ITEM}(?:{_DASHED_JOIN}{_DASHED_ITEM})*"
                          rf"{_DASHED_JOIN}$", re.IGNORECASE)


def dashed_is_date(m: re.Match) -> bool:
    """The d-m at *m* (found after one of :data:`DASHED_AFTER`) is a date: right
    after a date word, or the next of a list of dashed dates that follows one."""
    before = _before(m)
    if not _JOINED.search(before):
        return True  # a date word, a weekday or "nay (" right before it
    return _DASHED_LIST.search(before) is not None


_JOINED = re.compile(r"\d(?:, | và | hoặc | đến | tới )$")
