"""Read numbers aloud in Vietnamese, as Northern (VOV) announcers say them.

Conventions (all of them tested in ``tests/test_numbers.py``):

* "nghìn", never "ngàn"; "linh", never "lẻ": 105 → "một trăm linh năm".
* "mười" for 10–19, "mươi" for 20–90: 11 → "mười một", 30 → "ba mươi".
* After "mươi" only: 1 is "mốt" (21 → "hai mươi mốt") and 4 is "tư"
  (24 → "hai mươi tư"); everywhere else they stay "một" and "bốn"
  (11 → "mười một", 14 → "mười bốn", 101 → "một trăm linh một").
* After "mười" or "mươi" 5 is "lăm" (15 → "mười lăm", 25 → "hai mươi lăm");
  elsewhere "năm" (105 → "một trăm linh năm").
* Numbers are read in groups of three digits with the scales nghìn (10³),
  triệu (10⁶) and tỷ (10⁹); above a tỷ the part in front of "tỷ" is read as a
  number of its own, so 10¹² is "một nghìn tỷ" and 10¹⁸ "một tỷ tỷ".
* The leading group is read as it is (5 → "năm", 35 → "ba mươi lăm"); every
  later group that is not all zeros is read with its hundreds, so a zero
  hundred is said "không trăm": 1.005 → "một nghìn không trăm linh năm",
  2022 → "hai nghìn không trăm hai mươi hai".
* **All-zero inner groups are skipped entirely**, and the next non-zero
  group is still read with "không trăm": 1.000.005 → "một triệu không trăm
  linh năm", 35.500.000 → "ba mươi lăm triệu năm trăm nghìn",
  40.000.000 → "bốn mươi triệu", 1.000.000.000 → "một tỷ".
* Decimals are read "phẩy" (the Vietnamese decimal comma) and the fraction
  keeps its leading zeros: "8,05" → "tám phẩy không năm"; a fraction of up to
  three digits after those zeros is read as a number ("3,14" → "ba phẩy mười
  bốn"), a longer one digit by digit.
* Ordinals: "thứ nhất", "thứ hai", "thứ ba", "thứ tư", then "thứ" + the
  number ("thứ mười bốn", "thứ hai mươi tư"); ranks and prizes: "hạng nhất",
  "giải nhì", "hạng ba", "hạng tư".
"""
from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_BILLION = 10 ** 9
_GROUP_SCALES = ((10 ** 6, "triệu"), (1000, "nghìn"), (1, ""))


def _group(value: int, full: bool) -> list[str]:
    """Words for 1..999; *full* reads the hundreds even when zero ("không trăm")."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            words += ["linh", DIGITS[units]] if words else [DIGITS[units]]
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else DIGITS[units])
    else:
        words += [DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, DIGITS[units]))
    return words


def _words(n: int, leading: bool) -> list[str]:
    """Words for n > 0; *leading* is false for a part that follows a larger scale."""
    if n >= _BILLION:
        high, low = divmod(n, _BILLION)
        words = _words(high, leading) + ["tỷ"]
        return words + _words(low, False) if low else words
    words: list[str] = []
    for scale, name in _GROUP_SCALES:
        value = n // scale % 1000
        if not value:
            continue  # an all-zero group is skipped entirely
        words += _group(value, full=not leading)
        if name:
            words.append(name)
        leading = False
    return words


def read_number(n: int) -> str:
    """Read a non-negative integer: 2022 → "hai nghìn không trăm hai mươi hai"."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"read_number expects an int, not {type(n).__name__}")
    if n < 0:
        raise ValueError(f"read_number reads non-negative numbers, not {n}")
    if n == 0:
        return DIGITS[0]
    return " ".join(_words(n, leading=True))


def read_digits(s: str) -> str:
    """Read a string of digits one by one: "0912" → "không chín một hai"."""
    if not s or not s.isascii() or not s.isdigit():
        raise ValueError(f"read_digits expects ASCII digits, not {s!r}")
    return " ".join(DIGITS[int(ch)] for ch in s)


def read_integer_text(s: str) -> str:
    """Read digits as written: up to three digits with leading zeros as a number
    ("03" → "ba"), longer strings with a leading zero or over 15 digits (codes,
    account numbers) digit by digit, the rest as a number."""
    if len(s) > 15 or (len(s) > 3 and s.startswith("0")):
        return read_digits(s)
    return read_number(int(s))


def read_decimal(int_part: str, frac_part: str) -> str:
    """Read a decimal written with a comma: ("8", "05") → "tám phẩy không năm".

    *int_part* may carry "." thousands separators ("1.234").
    """
    whole = int_part.replace(".", "")
    if not whole.isdigit() or not frac_part.isascii() or not frac_part.isdigit():
        raise ValueError(f"not a decimal: {int_part!r},{frac_part!r}")
    significant = frac_part.lstrip("0")
    zeros = [DIGITS[0]] * (len(frac_part) - len(significant))
    if len(significant) > 3:
        rest = [read_digits(significant)]
    elif significant:
        rest = [read_number(int(significant))]
    else:
        rest = []
    return " ".join([read_number(int(whole)), "phẩy", *zeros, *rest])


def ordinal_word(n: int) -> str:
    """The word after "thứ": 1 → "nhất", 4 → "tư", otherwise the number."""
    return {1: "nhất", 4: "tư"}.get(n) or read_number(n)


def rank_word(n: int) -> str:
    """The word after "hạng" or "giải": 1 → "nhất", 2 → "nhì", 4 → "tư" ("Huân
    chương Lao động hạng Nhì", "giải Nhất"), otherwise the number."""
    return {1: "nhất", 2: "nhì", 4: "tư"}.get(n) or read_number(n)


def read_ordinal(n: int) -> str:
    """Read an ordinal: 1 → "thứ nhất", 2 → "thứ hai", 4 → "thứ tư"."""
    return f"thứ {ordinal_word(n)}"


def month_word(n: int) -> str:
    """The word after "tháng": April is "tư", the others are numbers."""
    return "tư" if n == 4 else read_number(n)


def day_words(n: int) -> str:
    """A day of the month: "mùng" for 1–10 ("mùng một"), then the number."""
    return f"mùng {read_number(n)}" if 1 <= n <= 10 else read_number(n)
