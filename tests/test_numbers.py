"""Vietnamese number reading (radio/speech/numbers.py).

The round-trip tests parse the words back with a small, independent
left-to-right accumulator that also checks the VOV conventions word by word
(mốt/tư only after "mươi", lăm only after "mười/mươi", linh only after
"trăm", a full "X trăm" after every scale) — it is not a copy of the reader.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from radio.speech.numbers import (day_words, month_word, read_decimal, read_digits,
                                  read_integer_text, read_number, read_ordinal)

DIGIT_WORDS = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4,
               "năm": 5, "lăm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9}
SCALES = {"nghìn", "triệu", "tỷ"}


AFTER = {  # word -> the previous words it may follow (None: at the start)
    "mốt": {"mươi"}, "tư": {"mươi"}, "lăm": {"mười", "mươi"}, "linh": {"trăm"},
    "mươi": {"hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"},
}
NOT_AFTER = {"một": {"mươi"}, "bốn": {"mươi"}, "năm": {"mười", "mươi"}}


def words_to_number(text: str) -> int:
    """Parse Vietnamese number words back to an int, checking the conventions."""
    words = text.split()
    total = block = small = last = 0
    prev = None
    for i, word in enumerate(words):
        if word in AFTER and prev not in AFTER[word]:
            raise AssertionError(f"'{word}' after '{prev}' in {text!r}")
        if prev in NOT_AFTER.get(word, ()):
            raise AssertionError(f"'{prev} {word}' breaks the mốt/tư/lăm rule in {text!r}")
        if prev in SCALES and word in DIGIT_WORDS:
            following = words[i + 1] if i + 1 < len(words) else None
            if following not in SCALES and following != "trăm":
                raise AssertionError(f"an inner group is read with its hundreds: {text!r}")
        if word in DIGIT_WORDS:
            last = DIGIT_WORDS[word]
            small += last
        elif word == "mười":
            small += 10
        elif word == "mươi":
            small += 9 * last  # the digit just added becomes tens
        elif word == "trăm":
            small += 99 * last  # the digit just added becomes hundreds
        elif word == "nghìn":
            block, small = block + small * 1000, 0
        elif word == "triệu":
            block, small = block + small * 1_000_000, 0
        elif word == "tỷ":
            total, block, small = (total + block + small) * 10 ** 9, 0, 0
        elif word != "linh":
            raise ValueError(f"not a number word: {word!r} in {text!r}")
        prev = word
    if prev == "linh":
        raise AssertionError(f"'linh' must be followed by a digit: {text!r}")
    return total + block + small


@pytest.mark.parametrize("n, spoken", [
    (0, "không"), (1, "một"), (4, "bốn"), (5, "năm"), (10, "mười"), (11, "mười một"),
    (14, "mười bốn"), (15, "mười lăm"), (20, "hai mươi"), (21, "hai mươi mốt"),
    (24, "hai mươi tư"), (25, "hai mươi lăm"), (55, "năm mươi lăm"), (99, "chín mươi chín"),
    (100, "một trăm"), (101, "một trăm linh một"), (104, "một trăm linh bốn"),
    (105, "một trăm linh năm"), (110, "một trăm mười"), (111, "một trăm mười một"),
    (115, "một trăm mười lăm"), (121, "một trăm hai mươi mốt"), (500, "năm trăm"),
    (1000, "một nghìn"), (1005, "một nghìn không trăm linh năm"),
    (1234, "một nghìn hai trăm ba mươi tư"), (2021, "hai nghìn không trăm hai mươi mốt"),
    (2022, "hai nghìn không trăm hai mươi hai"), (2024, "hai nghìn không trăm hai mươi tư"),
    (3695, "ba nghìn sáu trăm chín mươi lăm"), (10_000, "mười nghìn"),
    (15_000, "mười lăm nghìn"), (30_000, "ba mươi nghìn"), (100_000, "một trăm nghìn"),
    (1_000_000, "một triệu"), (1_000_005, "một triệu không trăm linh năm"),
    (1_050_000, "một triệu không trăm năm mươi nghìn"),
    (35_500_000, "ba mươi lăm triệu năm trăm nghìn"), (40_000_000, "bốn mươi triệu"),
    (1_000_000_000, "một tỷ"), (1_500_000_000, "một tỷ năm trăm triệu"),
    (2_000_000_001, "hai tỷ không trăm linh một"),
    (10 ** 12, "một nghìn tỷ"), (10 ** 12 + 5, "một nghìn tỷ không trăm linh năm"),
    (999_999_999_999_999, "chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ "
                          "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn "
                          "chín trăm chín mươi chín"),
])
def test_read_number(n, spoken):
    assert read_number(n) == spoken


@pytest.mark.parametrize("spoken", ["ngàn", "lẻ"])
def test_northern_words_only(spoken):
    for n in (1005, 2000, 101, 1_000_001, 7_000):
        assert spoken not in read_number(n).split()


@pytest.mark.parametrize("bad, error", [(-1, ValueError), (1.5, TypeError), ("12", TypeError),
                                        (True, TypeError)])
def test_read_number_rejects(bad, error):
    with pytest.raises(error):
        read_number(bad)


@pytest.mark.parametrize("digits, spoken", [
    ("0", "không"), ("0912", "không chín một hai"), ("1900", "một chín không không"),
    ("555", "năm năm năm"), ("45", "bốn năm"),
])
def test_read_digits(digits, spoken):
    assert read_digits(digits) == spoken


@pytest.mark.parametrize("bad", ["", "12a", "1 2", "١٢"])
def test_read_digits_rejects(bad):
    with pytest.raises(ValueError):
        read_digits(bad)


@pytest.mark.parametrize("int_part, frac_part, spoken", [
    ("8", "05", "tám phẩy không năm"), ("1", "5", "một phẩy năm"),
    ("3", "14", "ba phẩy mười bốn"), ("0", "25", "không phẩy hai mươi lăm"),
    ("12", "5", "mười hai phẩy năm"), ("2", "005", "hai phẩy không không năm"),
    ("1.234", "5", "một nghìn hai trăm ba mươi tư phẩy năm"),
    ("0", "12345", "không phẩy một hai ba bốn năm"), ("7", "0", "bảy phẩy không"),
])
def test_read_decimal(int_part, frac_part, spoken):
    assert read_decimal(int_part, frac_part) == spoken


@pytest.mark.parametrize("n, spoken", [
    (1, "thứ nhất"), (2, "thứ hai"), (3, "thứ ba"), (4, "thứ tư"), (5, "thứ năm"),
    (10, "thứ mười"), (14, "thứ mười bốn"), (21, "thứ hai mươi mốt"), (24, "thứ hai mươi tư"),
])
def test_read_ordinal(n, spoken):
    assert read_ordinal(n) == spoken


@pytest.mark.parametrize("text, spoken", [
    ("03", "ba"), ("007", "bảy"), ("00", "không"), ("2022", "hai nghìn không trăm hai mươi hai"),
    ("0123", "không một hai ba"), ("1234567890123456", "một hai ba bốn năm sáu bảy tám chín "
                                                     "không một hai ba bốn năm sáu"),
])
def test_read_integer_text(text, spoken):
    assert read_integer_text(text) == spoken


def test_month_and_day_words():
    assert [month_word(m) for m in (1, 4, 10, 11, 12)] == ["một", "tư", "mười", "mười một",
                                                           "mười hai"]
    assert day_words(1) == "mùng một" and day_words(10) == "mùng mười"
    assert day_words(11) == "mười một" and day_words(24) == "hai mươi tư"


@pytest.mark.parametrize("text, n", [
    ("hai mươi mốt", 21), ("một trăm linh năm", 105), ("một nghìn không trăm linh năm", 1005),
    ("một nghìn tỷ", 10 ** 12), ("một tỷ tỷ", 10 ** 18),
])
def test_parser_itself(text, n):
    assert words_to_number(text) == n


@pytest.mark.parametrize("wrong", ["hai mươi một", "mười mốt", "một trăm lẻ năm",
                                   "hai ngàn", "mười năm", "một trăm linh lăm", "mốt"])
def test_parser_rejects_wrong_conventions(wrong):
    with pytest.raises((AssertionError, ValueError)):
        words_to_number(wrong)


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=0, max_value=10 ** 18))
def test_round_trip_property(n):
    assert words_to_number(read_number(n)) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=999), st.integers(min_value=0, max_value=5))
def test_round_trip_sparse_groups(group, scale):
    """Numbers with all-zero inner groups (1.000.005, 2.000.000.001 ...)."""
    for n in (group * 1000 ** scale + 5, 10 ** (3 * scale + 3) + group, group * 1000 ** scale):
        assert words_to_number(read_number(n)) == n


def test_round_trip_exhaustive_to_a_million():
    for n in range(1_000_001):
        assert words_to_number(read_number(n)) == n, n
