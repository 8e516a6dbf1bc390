"""Dates in lists and ranges, and fractions outside dates (radio/speech/rules_dates.py)."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from radio.speech.normalize import normalize
from spoken import dates_of, number_of, numbers_in

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

DATE_WORDS = ["ngày", "Ngày", "các ngày", "dịp", "từ", "sáng", "lễ", "thứ Hai", "Chủ nhật",
              "Sáng nay"]
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


# ------------------------------------------------------------------ the press's dates

PRESS_DATES = [
    ("Chiều 20-10, Hội Liên hiệp Phụ nữ tỉnh tổ chức",
     "Chiều hai mươi tháng mười, Hội Liên hiệp Phụ nữ tỉnh tổ chức"),
    ("Tối 30-4, lễ hội bắt đầu", "Tối ba mươi tháng tư, lễ hội bắt đầu"),
    ("Từ ngày 1-7, quy định mới có hiệu lực",
     "Từ ngày mùng một tháng bảy, quy định mới có hiệu lực"),
    ("đến ngày 15-11", "đến ngày mười lăm tháng mười một"),
    ("Trưa 3–2", "Trưa mùng ba tháng hai"),
    ("Ngày 20-10-2025, tại Hà Tĩnh",
     "Ngày hai mươi tháng mười năm hai nghìn không trăm hai mươi lăm, tại Hà Tĩnh"),
    ("2-9-1945", "ngày mùng hai tháng chín năm một nghìn chín trăm bốn mươi lăm"),
    ("Ngày 19.5.1890", "Ngày mười chín tháng năm năm một nghìn tám trăm chín mươi"),
    ("ngày 01-05-2025", "ngày mùng một tháng năm năm hai nghìn không trăm hai mươi lăm"),
    ("Sáng nay (12/5), UBND tỉnh họp",
     "Sáng nay (mười hai tháng năm), Ủy ban nhân dân tỉnh họp"),
    ("Hôm qua (20-10), tỉnh đón đoàn", "Hôm qua (hai mươi tháng mười), tỉnh đón đoàn"),
    ("Chiều nay 5/6, hội nghị", "Chiều nay mùng năm tháng sáu, hội nghị"),
    # lists of dashed dates, and dashed dates after a weekday
    ("dịp 30-4 và 1-5", "dịp ba mươi tháng tư và mùng một tháng năm"),
    ("nghỉ lễ 30-4, 1-5 và 2-9",
     "nghỉ lễ ba mươi tháng tư, mùng một tháng năm và mùng hai tháng chín"),
    ("Chủ nhật (5-10) và thứ Hai (6-10)",
     "Chủ nhật (mùng năm tháng mười) và thứ Hai (mùng sáu tháng mười)"),
    ("thứ Sáu, 10-10", "thứ Sáu, mùng mười tháng mười"),
    # a d/m alone in brackets, or after the name of a day
    ("Cách mạng Tháng Tám (19/8)", "Cách mạng Tháng Tám (mười chín tháng tám)"),
    ("ngày Thương binh - Liệt sĩ 27/7", "ngày Thương binh - Liệt sĩ hai mươi bảy tháng bảy"),
    ("Ngày Quốc tế Phụ nữ 8/3", "Ngày Quốc tế Phụ nữ mùng tám tháng ba"),
    ("Ngày Nhà giáo Việt Nam 20/11", "Ngày Nhà giáo Việt Nam hai mươi tháng mười một"),
]
# Dashes that stay ranges: no date word, or a month, a time, a duration after them.
PRESS_RANGES = [
    ("ngày 5-7 hằng tháng", "ngày năm đến bảy hằng tháng"),
    ("ngày 10-15", "ngày mười đến mười lăm"),
    ("ngày 2-3 tháng 9", "ngày mùng hai đến mùng ba tháng chín"),
    ("sáng 8-9 giờ", "sáng tám đến chín giờ"),
    ("trong 2-3 ngày", "trong hai đến ba ngày"),
    ("tuổi 18-25", "tuổi mười tám đến hai mươi lăm"),
    ("giá 10-12 triệu đồng/ha", "giá mười đến mười hai triệu đồng một héc-ta"),
    ("Trải qua (3/4) chặng đường", "Trải qua (ba phần tư) chặng đường"),
    ("uống ngày 2-3 viên", "uống ngày hai đến ba viên"),
    ("từ 2-3 và 4-5", "từ hai đến ba và bốn đến năm"),
    ("(3/4 số hộ)", "(ba phần tư số hộ)"), ("ngày làm việc 3/4", "ngày làm việc ba phần tư"),
    ("ngày Hà Tĩnh có 3/4 số hộ", "ngày Hà Tĩnh có ba phần tư số hộ"),
    ("giá 2 và 1-5 triệu đồng/ha", "giá hai và một đến năm triệu đồng một héc-ta"),
    ("ngày 2-3 bữa", "ngày hai đến ba bữa"),
    ("Chiều dài 3-5 m", "Chiều dài ba đến năm mét"),
]


@pytest.mark.parametrize("text, spoken", PRESS_DATES + PRESS_RANGES)
def test_press_dates_and_the_ranges_they_are_not(text, spoken):
    assert normalize(text) == spoken


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["Ngày", "Chiều", "sáng", "Tối", "từ ngày", "Hôm nay", "Sáng qua"]),
       DAYS, MONTHS, st.sampled_from(["-", "–"]), st.booleans())
def test_every_dashed_date_after_a_date_word_reads_back(word, day, month, dash, brackets):
    date = f"({day}{dash}{month})" if brackets else f"{day}{dash}{month}"
    assert dates_of(_spoken_list(word, date).strip("()")) == [(day, month)]


@settings(max_examples=300, deadline=None)
@given(DAYS, MONTHS, st.integers(1900, 2099), st.sampled_from(["-", "."]))
def test_every_dashed_or_dotted_full_date_reads_back(day, month, year, sep):
    spoken = normalize(f"ngày {day}{sep}{month}{sep}{year}")
    assert spoken.startswith("ngày ")
    date, said_year = re.fullmatch(r"ngày (.*) năm ((?:một|hai) nghìn.*)", spoken).groups()
    assert dates_of(date) == [(day, month)]
    assert number_of(said_year.split()) == year


# ------------------------------------------------------------------ tallies and ranks

TALLIES = [
    ("đạt 17/19 tiêu chí", "đạt mười bảy trên mười chín tiêu chí"),
    ("12/13 huyện, thành phố", "mười hai trên mười ba huyện, thành phố"),
    ("135/216 xã đạt chuẩn", "một trăm ba mươi lăm trên hai trăm mười sáu xã đạt chuẩn"),
    ("4/5 thành viên", "bốn trên năm thành viên"),
    ("xếp thứ 4/63 tỉnh", "xếp thứ tư trên sáu mươi ba tỉnh"),
    ("xếp thứ 15/34 tỉnh, thành", "xếp thứ mười lăm trên ba mươi tư tỉnh, thành"),
    ("đạt 100/100 điểm", "đạt một trăm trên một trăm điểm"),
    ("1/100 giây", "một phần một trăm giây"),
    ("có 1.234/1.500 hộ", "có một nghìn hai trăm ba mươi tư trên một nghìn năm trăm hộ"),
    ("2/3 số xã", "hai phần ba số xã"),
    ("Quyết định số 1234/2021", "Quyết định số một nghìn hai trăm ba mươi tư năm hai nghìn "
                                "không trăm hai mươi mốt"),
    ("năm học 2021/2022", "năm học hai nghìn không trăm hai mươi mốt đến hai nghìn không "
                          "trăm hai mươi hai"),
]


@pytest.mark.parametrize("text, spoken", TALLIES)
def test_tallies_and_ranks_are_read_trên(text, spoken):
    assert normalize(text) == spoken


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 99999), st.integers(11, 99999).filter(lambda b: not 1900 <= b <= 2099),
       st.sampled_from(["xã", "tiêu chí", "huyện", "hộ dân", "điểm", ""]), st.booleans())
def test_no_slash_between_numbers_is_left_silent(a, b, noun, dotted):
    def written(n: int) -> str:
        return f"{n:,}".replace(",", ".") if dotted else str(n)

    spoken = normalize(f"đạt {written(a)}/{written(b)} {noun}".strip())
    assert "/" not in spoken and not any(ch.isdigit() for ch in spoken), spoken
    assert numbers_in(spoken) == [a, b], spoken
