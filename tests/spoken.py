"""Read spoken Vietnamese back into digits, numbers and dates (for property tests).

The inverse of radio/speech/numbers.py, written independently of it: a test
that reads the normalizer's output back this way checks what a listener hears.
"""
from __future__ import annotations

import re

DIGIT_WORDS = {"không": 0, "một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6,
               "bảy": 7, "tám": 8, "chín": 9}
UNIT_WORDS = {**DIGIT_WORDS, "mốt": 1, "tư": 4, "lăm": 5}
NUMBER_WORDS = set(UNIT_WORDS) | {"mười", "mươi", "trăm", "linh", "nghìn", "triệu", "tỷ"}


def words(spoken: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", spoken.lower())


def digits_of(spoken: str) -> str:
    """The digits a code was read as: "không chín một hai, ba" → "09123".

    Raises ValueError when the reading uses number words (mươi, trăm, nghìn...).
    """
    found = []
    for word in words(spoken):
        if word in NUMBER_WORDS and word not in DIGIT_WORDS:
            raise ValueError(f"{word!r} is not read digit by digit in {spoken!r}")
        if word in DIGIT_WORDS:
            found.append(str(DIGIT_WORDS[word]))
    return "".join(found)


def _below_thousand(tokens: list[str]) -> int:
    value, rest = 0, list(tokens)
    if "trăm" in rest:
        i = rest.index("trăm")
        value += 100 * UNIT_WORDS[rest[i - 1]]
        rest = rest[i + 1:]
    if rest[:1] == ["linh"]:
        return value + UNIT_WORDS[rest[1]]
    if rest[:1] == ["mười"]:
        return value + 10 + (UNIT_WORDS[rest[1]] if len(rest) > 1 else 0)
    if "mươi" in rest:
        i = rest.index("mươi")
        value += 10 * UNIT_WORDS[rest[i - 1]]
        rest = rest[i + 1:]
    if rest:
        value += UNIT_WORDS[rest[0]]
    return value


def number_of(tokens: list[str]) -> int:
    """The value of a read number: ["một", "nghìn", "không", "trăm", "linh", "năm"] → 1005."""
    if not tokens:
        return 0
    if "tỷ" in tokens:
        i = len(tokens) - 1 - tokens[::-1].index("tỷ")
        return number_of(tokens[:i]) * 10 ** 9 + number_of(tokens[i + 1:])
    for scale, size in (("triệu", 10 ** 6), ("nghìn", 1000)):
        if scale in tokens:
            i = tokens.index(scale)
            return number_of(tokens[:i]) * size + number_of(tokens[i + 1:])
    return _below_thousand(tokens)


def numbers_in(spoken: str) -> list[int]:
    """Every run of number words in *spoken*, as values."""
    runs, current = [], []
    for word in words(spoken) + [""]:
        if word in NUMBER_WORDS:
            current.append(word)
        elif current:
            runs.append(number_of(current))
            current = []
    return runs


def dates_of(spoken: str) -> list[tuple[int, int]]:
    """Days and months of a read list of dates, in order: "ba mươi tháng tư và
    mùng một tháng năm" → [(30, 4), (1, 5)]; a month said once after several
    days ("mùng hai, mùng ba và mùng bốn tháng chín") belongs to each of them.
    Days 1 to 10 must be said with "mùng"."""
    found, pending = [], []
    for item in re.split(r"\s*(?:,|(?<!\w)(?:và|hoặc|đến)(?!\w))\s*", spoken.strip()):
        day, _, month = item.partition(" tháng ")
        tokens = day.split()
        mung = tokens[:1] == ["mùng"]
        value = number_of(tokens[1:] if mung else tokens)
        if mung != (1 <= value <= 10):
            raise ValueError(f"day {value} said {day!r} in {spoken!r}")
        pending.append(value)
        if month:
            found += [(d, 4 if month == "tư" else number_of(month.split())) for d in pending]
            pending = []
    if pending:
        raise ValueError(f"days without a month in {spoken!r}")
    return found
