"""Road and place codes (radio/speech/rules_places.py) and the symbols of the
second round: per mille, currencies, "x2", fractions (rules_numeric)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spoken import numbers_in
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
    # signs of comparison and approximation
    ("sai số ± 2 cm", "sai số cộng trừ hai xăng-ti-mét"),
    ("tỷ lệ ≥ 80%", "tỷ lệ lớn hơn hoặc bằng tám mươi phần trăm"),
    ("trẻ ≤ 6 tuổi", "trẻ nhỏ hơn hoặc bằng sáu tuổi"),
    ("đạt >90%", "đạt lớn hơn chín mươi phần trăm"),
    ("nhiệt độ <-5°C", "nhiệt độ nhỏ hơn âm năm độ xê"),
    ("~30%", "khoảng ba mươi phần trăm"),
    ("nhiệt độ ~ 30 độ", "nhiệt độ khoảng ba mươi độ"),
    ("1 USD = 25.000 đồng", "một đô la Mỹ bằng hai mươi lăm nghìn đồng"),
    ("a ≈ 5, x ≠ 0", "a xấp xỉ năm, x khác không"),
    # said once when the words already say it
    ("khoảng ~30%", "khoảng ba mươi phần trăm"),
    ("dưới <5%", "dưới năm phần trăm"),
    ("trên >90%", "trên chín mươi phần trăm"),
    # "+" as a bullet of a Word list is not said; between things it is "cộng"
    ("+ Nội dung: tuyên truyền", " Nội dung: tuyên truyền"),
    ("Nội dung:\n+ Tuyên truyền", "Nội dung:\n Tuyên truyền"),
    ("Gồm: + tin; + bài", "Gồm:  tin;  bài"),
    ("Kết quả: + 5%", "Kết quả: cộng năm phần trăm"), ("A + B", "A cộng B"),
    # markup and names keep their signs
    ("<b>Tổng</b>", "<b>Tổng</b>"), ("a -> b", "a -> b"),
]


WEB = [
    ("Truy cập hatinh.gov.vn để biết thêm chi tiết.",
     "Truy cập Hà Tĩnh chấm gờ o vê chấm vê en-nờ để biết thêm chi tiết."),
    ("Xem tại www.baohatinh.vn.", "Xem tại vê kép vê kép vê kép chấm báo Hà Tĩnh chấm vê en-nờ."),
    ("địa chỉ https://dichvucong.hatinh.gov.vn",
     "địa chỉ dịch vụ công chấm Hà Tĩnh chấm gờ o vê chấm vê en-nờ"),
    ("Email: stttt@hatinh.gov.vn",
     "I-meo: ét tê tê tê tê a còng Hà Tĩnh chấm gờ o vê chấm vê en-nờ"),
    # a label of Vietnamese syllables written without marks is read by syllables
    ("quangbinh.gov.vn, nghean.gov.vn",
     "quang binh chấm gờ o vê chấm vê en-nờ, nghe an chấm gờ o vê chấm vê en-nờ"),
    ("kinhtedothi.vn", "kinh te do thi chấm vê en-nờ"),
    ("thuvienphapluat.vn", "thu vien phap luat chấm vê en-nờ"),
    ("vtv1.vn, 24h.com.vn", "vê tê vê một chấm vê en-nờ, hai mươi tư hát chấm com chấm vê en-nờ"),
    ("facebook.com/sotttt", "phây-búc chấm com gạch chéo ét o tê tê tê tê"),
    # dots that are no address
    ("v.v.", "vân vân."), ("TP.HCM", "Thành phố Hồ Chí Minh"),
    ("công nghiệp 4.0", "công nghiệp bốn chấm không"),
]


@pytest.mark.parametrize("text, spoken", WEB)
def test_web_and_mail_addresses(text, spoken):
    assert normalize(text) == spoken


_SYLLABLES = ["ha", "tinh", "bao", "dich", "vu", "cong", "nguoi", "lao", "dong", "thanh",
              "nien", "quang", "binh", "nghe", "an", "so", "tin", "kinh", "te", "vien"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_SYLLABLES), min_size=1, max_size=4).map("".join),
                min_size=1, max_size=3),
       st.sampled_from(["vn", "gov.vn", "com.vn", "com", "net", "org"]),
       st.sampled_from(["", "www.", "https://", "http://www.", "tintuc@"]),
       st.sampled_from(["", ".", ",", " để xem"]))
def test_every_address_is_said_label_by_label(labels, top, prefix, after):
    address = prefix + ".".join(labels) + "." + top
    spoken = normalize(f"Truy cập {address}{after}")
    said = spoken[len("Truy cập "):len(spoken) - len(after)]
    assert not set(said) & set("./@:"), spoken
    assert said.split().count("chấm") == address.count("."), spoken
    assert said.split().count("còng") == address.count("@"), spoken
    assert normalize(spoken) == spoken


@pytest.mark.parametrize("text", [t for t, _ in WEB])
def test_web_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


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


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["đạt", "mức", "nhiệt độ", ""]), st.sampled_from(list("±≈≥≤<>=~")),
       st.sampled_from(["", " "]), st.integers(1, 10 ** 6), st.sampled_from(["", "%", " độ"]))
def test_no_sign_before_a_number_is_left_to_the_voice(before, sign, gap, number, after):
    """espeak says nothing for "≥" or "~" (or English for "±"); each is said in words."""
    spoken = normalize(f"{before} {sign}{gap}{number}{after}".strip())
    assert not set(spoken) & set("±≈≥≤<>=~"), spoken
    assert numbers_in(spoken.replace("phần trăm", "")) == [number], spoken
    assert "  " not in spoken, spoken


def test_a_whole_address_in_the_pronunciations_gives_it_its_marks():
    from radio.speech.normalize import Lexicon, load_lexicon

    base = load_lexicon()
    lex = Lexicon(base.acronyms, {"camxa.honglinh.gov.vn": "cam xã chấm Hồng Lĩnh chấm gờ o "
                                                          "vê chấm vê en-nờ"}, base.loanwords)
    assert normalize("Xem camxa.honglinh.gov.vn nhé.", lex) == \
        "Xem cam xã chấm Hồng Lĩnh chấm gờ o vê chấm vê en-nờ nhé."
    assert normalize("Xem camxa.honglinh.gov.vn nhé.") == \
        "Xem cam xa chấm hong linh chấm gờ o vê chấm vê en-nờ nhé."


# A result is two numbers said one after the other ("hai một"), never a range.
SCORES = [
    ("Hồng Lĩnh Hà Tĩnh thắng 2-1 trước Quảng Nam",
     "Hồng Lĩnh Hà Tĩnh thắng hai một trước Quảng Nam"),
    ("hai đội hòa 1-1", "hai đội hòa một một"), ("để thua 0 - 3", "để thua không ba"),
    ("với tỷ số 3–0", "với tỷ số ba không"), ("tỉ số chung cuộc 2-2", "tỉ số chung cuộc hai hai"),
    ("thắng đậm 5-0", "thắng đậm năm không"), ("cầm hòa 0-0", "cầm hòa không không"),
    # counted wins, and ranges elsewhere, stay ranges
    ("thắng 2-3 trận", "thắng hai đến ba trận"), ("thua 1-2 điểm", "thua một đến hai điểm"),
    ("tăng 2-3 lần", "tăng hai đến ba lần"),
]


@pytest.mark.parametrize("text, spoken", SCORES)
def test_a_score_is_two_numbers_not_a_range(text, spoken):
    assert normalize(text) == spoken


def test_a_score_is_explained_as_a_score():
    from radio.speech.normalize import KINDS, explain

    spoken, rewrites = explain("thắng 2-1")
    assert spoken == "thắng hai một" and "score" in {r.kind for r in rewrites}
    assert {r.kind for r in rewrites} <= set(KINDS)
