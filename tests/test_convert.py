"""Legacy Vietnamese encodings: detection, the `radio convert` command, round trips."""
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from radio.script.legacy import (NAMES, decode_legacy, encode_cp1258, encode_tcvn3, encode_vni,
                                 encode_viqr, guess, is_syllable)

ROOTS = Path(__file__).parent / "roots"
SAMPLE = (ROOTS / "mini" / "scripts" / "episode1.md").read_text(encoding="utf-8")
ENCODERS = {"vni": encode_vni, "tcvn3": encode_tcvn3, "cp1258": encode_cp1258,
            "viqr": encode_viqr, "utf-16": lambda text: text.encode("utf-16")}

LOWER = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"
VIETNAMESE = LOWER + LOWER.upper()


def run(args, cwd):
    proc = subprocess.run([sys.executable, "-m", "radio.cli", *args], cwd=cwd,
                          capture_output=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr.decode()


@pytest.mark.parametrize("encoding", ["vni", "tcvn3", "cp1258"])
@pytest.mark.parametrize("text", [
    "Việt Nam", "Hà Tĩnh", "Cam Hà Tĩnh – hương vị đất Hồng Lam", "Đà Nẵng, Kỳ Anh, Hương Sơn",
    "MC1: Kính thưa quý vị và các bạn!", "người trồng cam ở Vũ Quang được mùa",
    "Chương trình Mỗi xã một sản phẩm (OCOP) có 3 sao, 4 sao và 5 sao.", SAMPLE])
def test_known_texts_round_trip_and_are_recognised(encoding, text):
    raw = ENCODERS[encoding](text)
    assert decode_legacy(raw, encoding) == text
    assert guess(raw) == encoding


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=VIETNAMESE + " ,.;:!?-()0123456789abcdefghklmnpqrstvxABCDGHKLMNTV\n"))
def test_vni_and_cp1258_round_trip_any_vietnamese_text(text):
    text = unicodedata.normalize("NFC", text)
    assert decode_legacy(encode_vni(text), "vni") == text
    assert decode_legacy(encode_cp1258(text), "cp1258") == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=LOWER + "ĂÂÊÔƠƯĐ ,.;:!?-()0123456789abcdefghklmnpqrstvxABCDGHKLMNTV\n"))
def test_tcvn3_round_trips_what_it_can_spell(text):
    # TCVN3 has no capitals with tones (the .VnTimeH fonts drew lowercase codes as capitals).
    assert decode_legacy(encode_tcvn3(text), "tcvn3") == text


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(sorted(NAMES)))
def test_any_bytes_decode_to_nfc_text(raw, encoding):
    text = decode_legacy(raw, encoding)
    assert unicodedata.is_normalized("NFC", text)
    guess(raw)


@pytest.mark.parametrize("text", [
    "Việt Nam", "Hà Tĩnh", "Cam Hà Tĩnh – hương vị đất Hồng Lam", "Đà Nẵng, Kỳ Anh, Hương Sơn",
    "MC1: Kính thưa quý vị và các bạn!", "người trồng cam ở Vũ Quang được mùa",
    "Chương trình Mỗi xã một sản phẩm (OCOP) có 3 sao, 4 sao và 5 sao.", "VIỆT NAM", SAMPLE])
def test_viqr_round_trips(text):
    """VIQR as RFC 1456 writes it: each mark after its letter, a literal mark escaped."""
    assert decode_legacy(encode_viqr(text), "viqr") == text


@pytest.mark.parametrize("viqr, text", [
    ("Ki'nh thu+a quy' vi.. Xin cha`o!", "Kính thưa quý vị. Xin chào!"),
    ("Anh ddi dda^u\\? To^i ddi cho+..", "Anh đi đâu? Tôi đi chợ."),
    ("Ho^m nay chu'ng ta...", "Hôm nay chúng ta..."),
    ("ta.i Ha` Ti~nh, vi. ngo.t", "tại Hà Tĩnh, vị ngọt"),
    ("Co' pha?i la` cam kho^ng?\nDda^y la` cam.", "Có phải là cam không?\nĐây là cam."),
    ("Ba.n co' khoe? kho^ng? Co' a..", "Bạn có khoẻ không? Có ạ."),
    ("O+? Vu~ Quang, ngu+o+`i da^n vui.", "Ở Vũ Quang, người dân vui."),
    ("kinh phi' 35.500.000dd (\"ddu+o+.c mu`a\")", "kinh phí 35.500.000đ (\"được mùa\")"),
    ("Di?m Sa\\?", "Dỉm Sa?")])
def test_viqr_as_people_typed_it(viqr, text):
    """Few escaped the end of a line: a "." or "?" after a vowel that ends a line, or
    closes before a quote or a bracket, or an ellipsis, is punctuation; "vi.." is a tone
    and a full stop."""
    assert decode_legacy(viqr.encode("ascii"), "viqr") == text


def test_check_names_a_viqr_script_and_leaves_plain_ascii_alone(production):
    """A script in VIQR is ASCII, so UTF-8 too, but its accents would be read as
    punctuation: check says so and how to convert it. A script typed without accents,
    or with a few question marks and apostrophes, is not taken for VIQR."""
    script = production / "scripts" / "episode1.md"
    head = ('title: "Cam Ha Tinh"\nnumber: 1\nspeakers:\n  MC1: {voice: vi}\n'
            '  MC2: {voice: vi}\n')
    plain = ("---\n" + head + "---\n" +
             "MC1: Xin chao. Tot qua. Ban co khoe? Toi khoe. Con ban thi sao? Vui qua. "
             "Ba ma khoe. Hen gap lai nhe.\n\n"
             "MC2: Chao ca nha. Vui qua. Ban khoe? Khoe. Con me? Me khoe. Em thi sao? Vui ve.\n\n"
             "MC1: Cam 'ngot' lam. Ban co biet? Ca nha deu thich.\n")
    script.write_text(plain, encoding="ascii")
    code, out, err = run(["check", "episode1"], production)
    assert "VIQR" not in err and "Traceback" not in err
    script.write_bytes(b"---\n" + head.encode() + b"---\n" +
                       encode_viqr("MC1: Kính thưa quý vị, hôm nay chúng ta nói về cây cam "
                                   "Hà Tĩnh.\n"))
    code, out, err = run(["check", "episode1"], production)
    assert code == 2 and "looks like VIQR" in err
    assert "radio convert scripts/episode1.md --from viqr --in-place" in err


def test_syllables():
    for word in ("nghiêng", "khuya", "giữa", "gì", "quyết", "Trường", "đ", "ươu"):
        assert is_syllable(word), word
    for word in ("Haứ", "aảb", "Vieọt", "ñaø"):
        assert not is_syllable(word), word


@pytest.mark.parametrize("encoding", ["vni", "tcvn3", "cp1258", "viqr", "utf-16"])
def test_convert_command_makes_the_script_buildable(production, encoding):
    script = production / "scripts" / "episode1.md"
    original = script.read_text(encoding="utf-8")
    if encoding == "viqr":   # plain ASCII: a VIQR file has no dash but "-"
        original = original.replace("–", "-")
    script.write_bytes(ENCODERS[encoding](original))
    legacy = script.read_bytes()
    code, out, err = run(["check", "episode1"], production)
    assert code == 2 and "Traceback" not in err
    assert f"looks like {NAMES[encoding]}" in err or "saved as UTF-16" in err
    command = f"radio convert scripts/episode1.md --from {encoding} --in-place"
    assert command in err
    # To standard output: the input is untouched.
    code, out, err = run(["convert", "scripts/episode1.md", "--from", encoding], production)
    assert code == 0, err
    assert out.decode("utf-8") == original and script.read_bytes() == legacy
    # -o OUT
    code, out, err = run(["convert", "scripts/episode1.md", "--from", encoding, "-o",
                          str(production / "converted.md")], production)
    assert code == 0, err
    assert (production / "converted.md").read_text(encoding="utf-8") == original
    assert script.read_bytes() == legacy
    # --in-place keeps the original beside it
    code, out, err = run(command.split()[1:], production)
    assert code == 0, err
    assert script.read_text(encoding="utf-8") == original
    assert (production / "scripts" / "episode1.md.orig").read_bytes() == legacy
    code, out, err = run(["check", "episode1"], production)
    assert code == 0, err
    # Converting again is refused: the file is UTF-8 now and the backup exists.
    code, out, err = run(command.split()[1:], production)
    assert code == 2 and "Traceback" not in err
    assert script.read_text(encoding="utf-8") == original


def test_convert_refuses_to_overwrite_its_input(tmp_path):
    (tmp_path / "a.md").write_bytes(encode_vni("Xin chào Hà Tĩnh"))
    code, out, err = run(["convert", "a.md", "--from", "vni", "-o", "a.md"], tmp_path)
    assert code == 2 and "would overwrite the input" in err and "--in-place" in err
    assert (tmp_path / "a.md").read_bytes() == encode_vni("Xin chào Hà Tĩnh")


def test_convert_warns_when_another_encoding_reads_better(tmp_path):
    (tmp_path / "a.md").write_bytes(encode_tcvn3("Xin chào Hà Tĩnh, người trồng cam"))
    code, out, err = run(["convert", "a.md", "--from", "vni"], tmp_path)
    assert code == 0 and "reads better as TCVN3 (ABC)" in err and "--from tcvn3" in err


def test_convert_names_a_missing_file(tmp_path):
    code, out, err = run(["convert", "nope.md", "--from", "vni"], tmp_path)
    assert code == 2 and "nope.md: cannot read the file" in err and "Traceback" not in err
