"""Road and place codes (radio/speech/rules_places.py) and the symbols of the
second round: per mille, currencies, "x2", fractions (rules_numeric)."""
from __future__ import annotations

import pytest

from radio.speech.normalize import explain, normalize

PLACES = [
    ("QL1A", "quốc lộ một a"),
    ("Quốc lộ 1A", "Quốc lộ một A"),
    ("trên QL8A, đoạn qua Hương Sơn", "trên quốc lộ tám a, đoạn qua Hương Sơn"),
    ("QL 15B", "quốc lộ mười lăm bê"),
    ("QL.12C", "quốc lộ mười hai xê"),
    ("ĐT.551", "đường tỉnh năm trăm năm mươi mốt"),
    ("ĐT 552", "đường tỉnh năm trăm năm mươi hai"),
    ("TL8", "tỉnh lộ tám"),
    ("ĐH.12", "đường huyện mười hai"),
    ("tuyến CT01", "tuyến cao tốc một"),
    ("Km 15+200", "ki-lô-mét mười lăm cộng hai trăm"),
    ("tại Km15+200 QL1A", "tại ki-lô-mét mười lăm cộng hai trăm quốc lộ một a"),
    ("km 15+200", "ki-lô-mét mười lăm cộng hai trăm"),
    ("Km 0", "ki-lô-mét không"),
    ("thôn 3", "thôn ba"), ("thôn 5A", "thôn năm A"), ("xóm II", "xóm hai"),
    ("Thôn IV", "Thôn bốn"), ("TDP 5", "tổ dân phố năm"), ("tổ dân phố 4", "tổ dân phố bốn"),
    ("khối 7", "khối bảy"), ("KP 2", "khu phố hai"), ("tổ 15", "tổ mười lăm"),
    # Not roads: an acronym alone, a phone after ĐT:, a title.
    ("ĐH Vinh", "đại học Vinh"), ("TL. GIÁM ĐỐC", "thừa lệnh GIÁM ĐỐC"),
    ("ĐT: 0912 345 678", "điện thoại: không chín một hai, ba bốn năm, sáu bảy tám"),
]
SYMBOLS = [
    ("5‰", "năm phần nghìn"),
    ("tỷ lệ sinh 1,5 ‰", "tỷ lệ sinh một phẩy năm phần nghìn"),
    ("100 EUR", "một trăm ơ-rô"),
    ("50 €", "năm mươi ơ-rô"),
    ("€50", "năm mươi ơ-rô"),
    ("$100", "một trăm đô la"),
    ("US$ 2 triệu", "hai triệu đô la Mỹ"),
    ("2 triệu USD", "hai triệu đô la Mỹ"),
    ("1.000 JPY", "một nghìn yên Nhật"),
    ("5 tỷ CNY", "năm tỷ nhân dân tệ"),
    ("giá 2 EUR/kg", "giá hai ơ-rô một ki-lô-gam"),
    ("đồng EUR", "đồng ơ-rô"),
    ("doanh thu x2", "doanh thu nhân hai"),
    ("3x4", "ba nhân bốn"),
    ("3 x 4 m", "ba nhân bốn mét"),
    ("3×4", "ba nhân bốn"),
    ("gấp 2", "gấp hai"),
    ("gấp 2,5 lần", "gấp hai phẩy năm lần"),
    ("3/4 kế hoạch", "ba phần tư kế hoạch"),
    ("1/2 số hộ", "một phần hai số hộ"),
    ("xã Xuân", "xã Xuân"), ("xuất khẩu", "xuất khẩu"),
]


@pytest.mark.parametrize("text, spoken", PLACES)
def test_road_and_place_codes(text, spoken):
    assert normalize(text) == spoken


@pytest.mark.parametrize("text, spoken", SYMBOLS)
def test_symbols(text, spoken):
    assert normalize(text) == spoken


@pytest.mark.parametrize("text", [t for t, _ in PLACES + SYMBOLS])
def test_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@pytest.mark.parametrize("text, kind", [
    ("QL1A", "place"), ("Km 15+200", "place"), ("5‰", "percent"), ("$100", "money"),
    ("x2", "symbol"), ("3/4 kế hoạch", "fraction"),
])
def test_kinds(text, kind):
    assert kind in {r.kind for r in explain(text)[1]}
