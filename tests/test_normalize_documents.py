"""Document numbers: Party documents, the type read when the text lacks it,
and the data table (radio/speech/rules_documents.py, data/documents.tsv)."""
from __future__ import annotations

import unicodedata

import pytest

from radio.errors import ProblemsError
from radio.speech.normalize import explain, normalize
from radio.speech.rules_documents import DOCUMENTS_PATH, read_tables, tables

Y2017 = "hai nghìn không trăm mười bảy"

PARTY = [
    ("19-NQ/TW", "nghị quyết số mười chín của Trung ương"),
    ("Nghị quyết số 19-NQ/TW", "Nghị quyết số mười chín của Trung ương"),
    ("Nghị quyết 19-NQ/TW", "Nghị quyết số mười chín của Trung ương"),
    ("Nghị quyết số 19-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương",
     f"Nghị quyết số mười chín ngày hai mươi lăm tháng mười năm {Y2017} của Ban Chấp hành "
     "Trung ương"),
    ("Chỉ thị 05-CT/TU của Tỉnh ủy", "Chỉ thị số năm của Tỉnh ủy"),
    ("theo 05-CT/TU", "theo chỉ thị số năm của Tỉnh ủy"),
    ("Kết luận 24-KL/TW", "Kết luận số hai mươi tư của Trung ương"),
    ("Quy định 08-QĐi/TW", "Quy định số tám của Trung ương"),
    ("102-QĐ/TW", "quyết định số một trăm linh hai của Trung ương"),
    ("Thông tri 03-TT/TW", "Thông tri số ba của Trung ương"),
    ("03-TT/TW", "thông tri số ba của Trung ương"),
    ("45-TB/TW", "thông báo số bốn mươi lăm của Trung ương"),
    ("12-HD/BTGTU", "hướng dẫn số mười hai của Ban Tuyên giáo Tỉnh ủy"),
    ("09-CT/HU", "chỉ thị số chín của Huyện ủy"),
    ("15-NQ/ĐU", "nghị quyết số mười lăm của Đảng ủy"),
    ("01-NQ/BCT", "nghị quyết số một của Bộ Chính trị"),
    ("20-KL/BBT", "kết luận số hai mươi của Ban Bí thư"),
    ("07-KH/UBKTTW", "kế hoạch số bảy của Ủy ban Kiểm tra Trung ương"),
    ("Văn bản 30-CV/VPTW", "Văn bản số ba mươi của Văn phòng Trung ương Đảng"),
]
STATE = [
    ("theo 135/QĐ-TTg", "theo quyết định số một trăm ba mươi lăm của Thủ tướng Chính phủ"),
    ("Quyết định 135/QĐ-TTg", "Quyết định số một trăm ba mươi lăm của Thủ tướng Chính phủ"),
    ("15/QĐ-BCT", "quyết định số mười lăm của Bộ Công Thương"),
    ("hướng dẫn tại 01/2021/TT-BTTTT",
     "hướng dẫn tại thông tư số một năm hai nghìn không trăm hai mươi mốt của Bộ Thông tin "
     "và Truyền thông"),
    ("Số: 381/KH-UBND", "Số: ba trăm tám mươi mốt của Ủy ban nhân dân"),
    ("Thông tư liên tịch 12/TTLT-BTC", "Thông tư liên tịch số mười hai của Bộ Tài chính"),
    ("Luật số 50/2014/QH13",
     "Luật số năm mươi năm hai nghìn không trăm mười bốn của Quốc hội khóa mười ba"),
    ("Nghị quyết số 1243/NQ-UBTVQH15",
     "Nghị quyết số một nghìn hai trăm bốn mươi ba của Ủy ban Thường vụ Quốc hội khóa mười lăm"),
]


@pytest.mark.parametrize("text, spoken", PARTY)
def test_party_documents(text, spoken):
    assert normalize(text) == spoken


@pytest.mark.parametrize("text, spoken", STATE)
def test_state_documents_read_their_type_when_the_text_lacks_it(text, spoken):
    assert normalize(text) == spoken


@pytest.mark.parametrize("text", [t for t, _ in PARTY + STATE])
def test_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


def test_one_code_two_systems():
    """BCT and TT mean different things in Party and state documents."""
    assert normalize("01-NQ/BCT và 15/QĐ-BCT") == (
        "nghị quyết số một của Bộ Chính trị và quyết định số mười lăm của Bộ Công Thương")
    assert normalize("03-TT/TW và 03/TT-BTC") == (
        "thông tri số ba của Trung ương và thông tư số ba của Bộ Tài chính")


def test_a_party_document_is_one_rewrite():
    spoken, rewrites = explain("Thực hiện Nghị quyết số 19-NQ/TW, ...")
    assert [(r.written, r.kind) for r in rewrites] == [("19-NQ/TW", "document")]
    assert spoken == "Thực hiện Nghị quyết số mười chín của Trung ương, ..."


def test_the_table_is_complete_and_clean():
    table = tables()
    assert {"NQ", "CT", "KL", "QĐ", "TB", "HD"} <= set(table.party_types())
    assert {"TW", "BCT", "BBT"} <= set(table.of("party issuer"))
    assert {"TU", "HU", "ĐU"} <= set(table.of("party level"))
    assert table.party_types()["TT"] == "thông tri"
    assert table.state_types()["TT"] == "thông tư"
    text = DOCUMENTS_PATH.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    for kind, rows in table.tables:
        for code, spoken in rows:
            assert normalize(spoken) == spoken, (kind, code, spoken)


def test_bad_table_lines_are_all_reported(tmp_path):
    path = tmp_path / "documents.tsv"
    path.write_text("# comment\ntype\tNQ\tnghị quyết\nparty issuer\tTW\n"
                    "body\tBTG\tBan Tuyên giáo\ntype\tNQ\tnghị quyết\n", encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        read_tables(path)
    assert [p.line for p in caught.value.problems] == [3, 4, 5]
    message = str(caught.value)
    assert "documents.tsv:3: expected three columns" in message
    assert "documents.tsv:4: unknown kind 'body'" in message
    assert "documents.tsv:5: 'NQ' is already a 'type'" in message
