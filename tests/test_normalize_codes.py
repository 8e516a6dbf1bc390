"""Digit strings that are codes (radio/speech/rules_codes.py) and numbers with
spaces as thousands separators (rules_numeric): which reading wins, and that
both read back to what was written."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from radio.speech.normalize import explain, normalize
from spoken import digits_of, numbers_in

NBSP, NNBSP = "\u00a0", "\u202f"

CODES = [
    ("tổng đài 1022", "tổng đài một không hai hai"),
    ("Tổng đài 113", "Tổng đài một một ba"),
    ("đường dây nóng 1900 1234", "đường dây nóng một chín không không, một hai ba bốn"),
    ("Đường dây nóng của Sở Y tế: 1022", "Đường dây nóng của Sở Y tế: một không hai hai"),
    ("hotline: 0912.345.678", "hót-lai: không chín một hai, ba bốn năm, sáu bảy tám"),
    ("Hotline 1022", "Hót-lai một không hai hai"),
    ("số máy lẻ 101/102", "số máy lẻ một không một, một không hai"),
    ("tổng đài 1022 hoặc 1900 1234",
     "tổng đài một không hai hai hoặc một chín không không, một hai ba bốn"),
    ("số tài khoản 123 456 789", "số tài khoản một hai ba, bốn năm sáu, bảy tám chín"),
    ("số tài khoản: 1234567890123",
     "số tài khoản: một hai ba, bốn năm sáu, bảy tám chín, không một hai ba"),
    ("STK 3701 2050 8899",
     "số tài khoản ba bảy không một, hai không năm không, tám tám chín chín"),
    ("mã bưu chính 45000", "mã bưu chính bốn năm không không không"),
    ("CCCD số 042095001234",
     "căn cước công dân số không bốn hai, không chín năm, không không một, hai ba bốn"),
    ("mã số thuế 3001234567", "mã số thuế ba không không một, hai ba bốn, năm sáu bảy"),
    ("xe mang biển số 38A-123.45", "xe mang biển số ba tám a, một hai ba, bốn năm"),
    ("xe 29LD-012.34", "xe hai chín e-lờ dê, không một hai, ba bốn"),
    ("xe máy 38C1-234.56", "xe máy ba tám xê một, hai ba bốn, năm sáu"),
    ("gọi 0912345678.", "gọi không chín một hai, ba bốn năm, sáu bảy tám."),
    ("ĐT: (0239) 3855 555", "điện thoại: không hai ba chín, ba tám năm năm, năm năm năm"),
    ("02393.855.555", "không hai ba chín ba, tám năm năm, năm năm năm"),
    ("mã 035 500", "mã không ba năm, năm không không"),
    ("035 500 000", "không ba năm, năm không không, không không không"),
    ("035.500.000", "không ba năm, năm không không, không không không"),
    # an area code in brackets, then the number in any grouping
    ("Điện thoại: (0239) 3 855 555",
     "Điện thoại: không hai ba chín, ba, tám năm năm, năm năm năm"),
    ("(0239) 3855555", "không hai ba chín, ba tám năm, năm năm năm năm"),
    ("(024) 3825 1234", "không hai bốn, ba tám hai năm, một hai ba bốn"),
    ("0239 3 855 555", "không hai ba chín, ba, tám năm năm, năm năm năm"),
    ("(+84) 912 345 678", "cộng tám bốn, chín một hai, ba bốn năm, sáu bảy tám"),
    ("(+84)239.3855.555", "cộng tám bốn, hai ba chín, ba tám năm năm, năm năm năm"),
    # "gọi" before a number: emergency and service numbers are said digit by digit
    ("gọi 113, 114, 115", "gọi một một ba, một một bốn, một một năm"),
    ("Gọi ngay 115", "Gọi ngay một một năm"),
    ("Gọi cho số 1022", "Gọi cho số một không hai hai"),
    ("gọi 1022 hoặc 0912 345 678",
     "gọi một không hai hai hoặc không chín một hai, ba bốn năm, sáu bảy tám"),
]
STILL_NUMBERS = [
    ("đường dây nóng đã tiếp nhận 1.250 cuộc gọi",
     "đường dây nóng đã tiếp nhận một nghìn hai trăm năm mươi cuộc gọi"),
    ("nạp vào tài khoản 500.000 đồng", "nạp vào tài khoản năm trăm nghìn đồng"),
    ("tài khoản 500 nghìn", "tài khoản năm trăm nghìn"),
    ("tổng đài 18", "tổng đài mười tám"),
    ("tổng đài 1022 tiếp nhận 300 cuộc gọi",
     "tổng đài một không hai hai tiếp nhận ba trăm cuộc gọi"),
    ("năm 2021", "năm hai nghìn không trăm hai mươi mốt"),
    ("mã số 12", "mã số mười hai"),
    ("hotline 24/7", "hót-lai hai mươi tư trên bảy"),
    ("kêu gọi 500 doanh nghiệp", "kêu gọi năm trăm doanh nghiệp"),
    ("tỉnh gọi 1.800 công dân nhập ngũ", "tỉnh gọi một nghìn tám trăm công dân nhập ngũ"),
    ("gọi 150 công dân", "gọi một trăm năm mươi công dân"),
    ("Gọi 2 lần", "Gọi hai lần"),
    ("tổng đài đã nhận 1.200 cuộc gọi", "tổng đài đã nhận một nghìn hai trăm cuộc gọi"),
]
THOUSANDS = [
    ("35 500 000 đồng", "ba mươi lăm triệu năm trăm nghìn đồng"),
    (f"35{NBSP}500{NBSP}000 đồng", "ba mươi lăm triệu năm trăm nghìn đồng"),
    (f"35{NNBSP}500{NNBSP}000 đồng", "ba mươi lăm triệu năm trăm nghìn đồng"),
    (f"35{NNBSP}500{NNBSP}000{NNBSP}đ", "ba mươi lăm triệu năm trăm nghìn đồng"),
    ("có 12 500 người", "có mười hai nghìn năm trăm người"),
    ("1 000 000,5 tấn", "một triệu phẩy năm tấn"),
    ("1 005 m2", "một nghìn không trăm linh năm mét vuông"),
    ("thu 2 000 000 000 đồng", "thu hai tỷ đồng"),
    # Irregular grouping or mixed separators: the groups stay separate numbers.
    ("12 34 56", "mười hai ba mươi tư năm mươi sáu"),
    ("35 500.000", "ba mươi lăm năm trăm nghìn"),
    ("năm 2021 500 hộ", "năm hai nghìn không trăm hai mươi mốt năm trăm hộ"),
]


@pytest.mark.parametrize("text, spoken", CODES)
def test_codes_are_read_digit_by_digit(text, spoken):
    assert normalize(text) == spoken


@pytest.mark.parametrize("text, spoken", STILL_NUMBERS)
def test_quantities_years_and_money_stay_numbers(text, spoken):
    assert normalize(text) == spoken


@pytest.mark.parametrize("text, spoken", THOUSANDS)
def test_spaces_between_groups_of_three_are_thousands_separators(text, spoken):
    assert normalize(text) == spoken


@pytest.mark.parametrize("text", [t for t, _ in CODES + STILL_NUMBERS + THOUSANDS])
def test_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


def test_explain_lists_only_the_code_with_its_kind():
    spoken, rewrites = explain("Gọi tổng đài 1022 hoặc số tài khoản 123 456 789.")
    assert [(r.written, r.kind) for r in rewrites] == [("1022", "phone"),
                                                        ("123 456 789", "code")]
    assert rewrites[0].spoken == "một không hai hai"
    assert spoken == ("Gọi tổng đài một không hai hai hoặc số tài khoản một hai ba, "
                      "bốn năm sáu, bảy tám chín.")


# ------------------------------------------------------------------ properties

CONTEXT_WORDS = ["tổng đài", "Đường dây nóng", "hotline:", "số máy lẻ", "số điện thoại",
                 "SĐT", "ĐT:", "số tài khoản", "STK:", "mã bưu chính", "biển kiểm soát",
                 "CCCD", "số CMND", "chứng minh nhân dân số", "mã số thuế", "số sê-ri",
                 "mã OTP", "tài khoản số", "đường dây nóng của Sở Y tế:", "gọi số", "Gọi ngay cho số"]
NEUTRAL_WORDS = ["Kinh phí", "có", "Tổng cộng", "đạt", ""]
SEPARATORS = [" ", NBSP, NNBSP, "."]


@st.composite
def grouped_digits(draw, regular: bool = True, leading_zero: bool | None = None):
    """Digits written in groups: regular ones ("35 500 000") or any ("12-3456")."""
    if regular:
        first = draw(st.integers(1, 3))
        sizes = [first] + [3] * draw(st.integers(1, 4))
        separators = [draw(st.sampled_from(SEPARATORS))] * (len(sizes) - 1)
    else:
        sizes = draw(st.lists(st.integers(1, 5), min_size=1, max_size=4))
        separators = draw(st.lists(st.sampled_from(SEPARATORS + ["-"]),
                                   min_size=len(sizes) - 1, max_size=len(sizes) - 1))
    digits = draw(st.text("0123456789", min_size=sum(sizes), max_size=sum(sizes)))
    if leading_zero is not None:
        digits = ("0" if leading_zero else draw(st.sampled_from("123456789"))) + digits[1:]
    groups, start = [], 0
    for size in sizes:
        groups.append(digits[start:start + size])
        start += size
    text = groups[0] + "".join(sep + g for sep, g in zip(separators, groups[1:]))
    return text, digits


def _code_digits(context: str, text: str) -> str:
    spoken = normalize(f"{context} {text}")
    spoken_context = normalize(context)
    assert spoken.startswith(spoken_context), spoken
    return digits_of(spoken[len(spoken_context):])


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(CONTEXT_WORDS), grouped_digits(regular=False))
def test_every_code_after_a_code_word_reads_back_digit_by_digit(context, code):
    text, digits = code
    if len(digits) < 3:
        return  # "tổng đài 18": a code has three digits at least
    assert _code_digits(context, text) == digits


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(NEUTRAL_WORDS), grouped_digits(regular=True, leading_zero=True))
def test_every_grouped_code_with_a_leading_zero_reads_back_digit_by_digit(context, code):
    text, digits = code
    assert _code_digits(context, text) == digits


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(CONTEXT_WORDS + NEUTRAL_WORDS), grouped_digits(regular=True),
       st.sampled_from(["", " đồng", " người", "."]))
def test_the_thousands_rule_and_the_code_rule_never_disagree(context, code, after):
    """One written string has one reading: a code after a code word or with a
    leading zero, else one number, and each reads back to what was written."""
    text, digits = code
    if after.strip() and context in CONTEXT_WORDS:
        after = "."  # "số tài khoản 500 nghìn đồng" is money, not an account
    spoken = normalize(f"{context} {text}{after}")
    rest = spoken[len(normalize(context)):]
    if context in CONTEXT_WORDS or digits.startswith("0"):
        assert digits_of(rest) == digits, spoken
    else:
        assert numbers_in(rest) == [int(digits)], spoken


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["(0239)", "(024)", "(0238)"]), st.sampled_from(["", " ", "."]),
       grouped_digits(regular=False).filter(lambda code: len(code[1]) in (7, 8)),
       st.sampled_from(["", ".", " (anh Hùng)"]))
def test_every_number_after_an_area_code_in_brackets_reads_back(area, gap, code, after):
    text, digits = code
    spoken = normalize(f"Điện thoại: {area}{gap}{text}{after}")
    assert digits_of(spoken) == area.strip("()") + digits, spoken
