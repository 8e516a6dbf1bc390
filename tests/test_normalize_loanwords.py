"""Loanwords and brand names (radio/speech/loanwords.py, data/loanwords.tsv), and
how a production's pronunciations.tsv overrides them."""
from __future__ import annotations

import subprocess
import unicodedata

import pytest

from conftest import require_tool
from radio.errors import ProblemsError
from radio.speech.normalize import LOANWORDS_PATH, Lexicon, explain, load_lexicon, normalize

LOANWORDS = [
    ("Covid-19", "Cô-vít mười chín"),
    ("COVID-19", "Cô-vít mười chín"),
    ("dịch covid", "dịch cô-vít"),
    ("Covid 19", "Cô-vít mười chín"),
    ("trang Facebook của tỉnh", "trang Phây-búc của tỉnh"),
    ("nhắn Zalo", "nhắn Da-lô"),
    ("kênh YouTube, TikTok", "kênh Diu-túp, Tích-tốc"),
    ("mạng internet", "mạng in-tơ-nét"),
    ("Internet", "In-tơ-nét"),
    ("bán hàng online", "bán hàng on-lai"),
    ("website của Sở", "oép-sai của Sở"),
    ("gửi email hoặc e-mail", "gửi i-meo hoặc i-meo"),
    ("quay video", "quay vi-đê-ô"),
    ("lên Shopee, Lazada, Tiki, Sendo, Postmart",
     "lên Sốp-pi, La-da-đa, Ti-ki, Xen-đô, Pốt-mát"),
    ("livestream bán cam", "lai-xờ-trim bán cam"),
    ("gọi hotline", "gọi hót-lai"),
    ("phòng chống HIV/AIDS", "phòng chống hát i vê/Ết"),
    ("tài khoản VNeID", "tài khoản Vê-en-i-ai-đi"),
    ("vay Agribank, Vietcombank, VietinBank", "vay A-gờ-ri-banh, Viết-com-banh, Viết-tin-banh"),
    ("Formosa Hà Tĩnh", "Phoóc-mô-sa Hà Tĩnh"),
    ("được UNESCO vinh danh", "được U-nét-xcô vinh danh"),
    ("Festival Ví, Giặm; tour, homestay, check-in",
     "Phét-ti-van Ví, Giặm; tua, hôm-xtây, chéc-in"),
    ("quay flycam, lắp camera", "quay phờ-lai-cam, lắp ca-mê-ra"),
    # Not inside other words, and not a word glued to a hyphenated tail.
    ("Facebooker", "Facebooker"), ("Zalo-pay", "Zalo-pay"), ("webinar", "webinar"),
]


@pytest.mark.parametrize("text, spoken", LOANWORDS)
def test_loanwords_read_the_vietnamese_way(text, spoken):
    assert normalize(text) == spoken


@pytest.mark.parametrize("text", [t for t, _ in LOANWORDS])
def test_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


def test_explain_names_loanwords():
    assert [(r.written, r.spoken, r.kind) for r in explain("Xem Facebook.")[1]] == [
        ("Facebook", "Phây-búc", "loanword")]


def test_the_production_overrides_a_loanword_in_every_case(tmp_path):
    path = tmp_path / "pronunciations.tsv"
    path.write_text("Facebook\tphây búc\nZalo\tda lô\n", encoding="utf-8")
    lexicon = load_lexicon(path)
    assert normalize("Facebook, FACEBOOK, facebook, Zalo, TikTok", lexicon) == (
        "phây búc, Phây búc, phây búc, da lô, Tích-tốc")
    rewrites = explain("Facebook và facebook", lexicon)[1]
    assert [r.kind for r in rewrites] == ["pronunciation", "loanword"]


def test_no_loanwords_without_the_data():
    assert normalize("Facebook", Lexicon()) == "Facebook"
    assert normalize("Facebook", Lexicon(loanwords={"facebook": "phây-búc"})) == "Phây-búc"


def test_the_data_file_is_clean_and_its_readings_are_fixed_points():
    pairs = load_lexicon().loanwords
    assert len(pairs) >= 40
    written = [w.casefold() for w, _ in pairs]
    assert len(written) == len(set(written)), "one line per word, whatever its case"
    required = {"covid", "facebook", "zalo", "youtube", "tiktok", "internet", "online",
                "website", "email", "shopee", "lazada"}
    assert required <= set(written)
    assert unicodedata.is_normalized("NFC", LOANWORDS_PATH.read_text(encoding="utf-8"))
    for _, spoken in pairs:
        assert normalize(spoken) == spoken, spoken


def test_a_bad_loanwords_line_is_reported(tmp_path, monkeypatch):
    bad = tmp_path / "loanwords.tsv"
    bad.write_text("Zalo\tda-lô\nbroken line\n", encoding="utf-8")
    monkeypatch.setattr("radio.speech.normalize.LOANWORDS_PATH", bad)
    with pytest.raises(ProblemsError, match=r"loanwords.tsv:2: expected two columns"):
        load_lexicon(tmp_path / "absent.tsv")


def test_espeak_reads_every_loanword_with_its_vietnamese_voice():
    """espeak switches to its English voice for "video" or "Facebook" (a foreign
    voice in the middle of a Vietnamese sentence); the spoken forms never do."""
    espeak = require_tool("espeak-ng")
    spoken = [s for _, s in load_lexicon().loanwords]
    result = subprocess.run([espeak, "-q", "-v", "vi", "-x"], input="\n".join(spoken),
                            capture_output=True, text=True, check=True, timeout=60)
    switched = [line for line in result.stdout.splitlines() if "(en)" in line]
    assert not switched
    before = subprocess.run([espeak, "-q", "-v", "vi", "-x", "quay video"],
                            capture_output=True, text=True, check=True, timeout=60)
    assert "(en)" in before.stdout  # the reason the list exists
