"""Dates in lists and ranges, and fractions outside dates (radio/speech/rules_dates.py)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from radio.speech.normalize import normalize
from spoken import dates_of

DATE_LISTS = [
    ("ngày 30/4 và 1/5", "ngày ba mươi tháng tư và mùng một tháng năm"),
    ("các ngày 2, 3 và 4/9", "các ngày mùng hai, mùng ba và mùng bốn tháng chín"),
    ("mùng 2, 3 và 4/9", "mùng hai, mùng ba và mùng bốn tháng chín"),
    ("từ 20/11 đến 5/12", "từ hai mươi tháng mười một đến mùng năm tháng mười hai"),
    ("ngày 2 và 3 tháng 9", "ngày mùng hai và mùng ba tháng chín"),
    ("ngày 2-3/9", "ngày mùng hai đến mùng ba tháng chín"),
    ("dịp 30/4 - 1/5 và 2/9",
     "dịp ba mươi tháng tư đến mùng một tháng năm và mùng hai tháng chín"),
    ("các ngày 14, 15/10 hoặc 20/10",
     "các ngày mười bốn, mười lăm tháng mười hoặc hai mươi tháng mười"),
    ("sáng 3/4 và chiều 5/4", "sáng mùng ba tháng tư và chiều mùng năm tháng tư"),
    ("trước 30/4", "trước ba mươi tháng tư"),
]
FRACTIONS = [
    ("3/4 kế hoạch", "ba phần tư kế hoạch"),
    ("1/2 số hộ", "một phần hai số hộ"),
    ("đạt 2/3 chỉ tiêu", "đạt hai phần ba chỉ tiêu"),
    ("sau 3/4 chặng đường", "sau ba phần tư chặng đường"),
    ("hết 1/2 thời gian", "hết một phần hai thời gian"),
    ("3/4 và 1/2 số hộ", "ba phần tư và một phần hai số hộ"),
    ("Tính đến ngày 15, 3/4 số hộ đã có điện",
     "Tính đến ngày mười lăm, ba phần tư số hộ đã có điện"),
    ("thời gian từ 2 đến 3 tháng", "thời gian từ hai đến ba tháng"),
    ("24/7", "hai mươi tư trên bảy"),
]


@pytest.mark.parametrize("text, spoken", DATE_LISTS)
def test_dates_in_lists_and_ranges(text, spoken):
    assert normalize(text) == spoken


@pytest.mark.parametrize("text, spoken", FRACTIONS)
def test_fractions_outside_dates(text, spoken):
    assert normalize(text) == spoken


@pytest.mark.parametrize("text", [t for t, _ in DATE_LISTS + FRACTIONS])
def test_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


# ------------------------------------------------------------------ properties

DATE_WORDS = ["ngày", "Ngày", "các ngày", "dịp", "từ", "sáng", "lễ"]
JOINS = [", ", " và ", " hoặc ", " đến ", " - ", " – "]
DAYS = st.integers(1, 31)
MONTHS = st.integers(1, 12)


def _spoken_list(word: str, text: str) -> str:
    spoken = normalize(f"{word} {text}")
    assert spoken.startswith(normalize(word) + " "), spoken
    return spoken[len(normalize(word)) + 1:]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(DATE_WORDS),
       st.lists(st.tuples(DAYS, MONTHS), min_size=1, max_size=5),
       st.lists(st.sampled_from(JOINS), min_size=4, max_size=4))
def test_every_date_in_a_list_reads_back_to_its_day_and_month(word, dates, joins):
    text = "".join(f"{j}{d}/{m}" for j, (d, m) in zip([""] + joins, dates))
    assert dates_of(_spoken_list(word, text)) == dates


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(DATE_WORDS), st.lists(DAYS, min_size=2, max_size=5), MONTHS,
       st.sampled_from(["/", " tháng "]),
       st.lists(st.sampled_from([", ", " và ", " hoặc "]), min_size=4, max_size=4))
def test_every_day_sharing_a_month_reads_back_to_that_month(word, days, month, slash, joins):
    text = "".join(f"{j}{d}" for j, d in zip([""] + joins, days)) + f"{slash}{month}"
    assert dates_of(_spoken_list(word, text)) == [(d, month) for d in days]
