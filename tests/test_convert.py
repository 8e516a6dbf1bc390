"""Legacy Vietnamese encodings: detection, the `radio convert` command, round trips."""
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from radio.script.legacy import (NAMES, decode_legacy, encode_cp1258, encode_tcvn3, encode_vni,
                                 guess, is_syllable)

ROOTS = Path(__file__).parent / "roots"
SAMPLE = (ROOTS / "mini" / "scripts" / "episode1.md").read_text(encoding="utf-8")
ENCODERS = {"vni": encode_vni, "tcvn3": encode_tcvn3, "cp1258": encode_cp1258,
            "utf-16": lambda text: text.encode("utf-16")}

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


def test_syllables():
    for word in ("nghiêng", "khuya", "giữa", "gì", "quyết", "Trường", "đ", "ươu"):
        assert is_syllable(word), word
    for word in ("Haứ", "aảb", "Vieọt", "ñaø"):
        assert not is_syllable(word), word


@pytest.mark.parametrize("encoding", ["vni", "tcvn3", "cp1258", "utf-16"])
def test_convert_command_makes_the_script_buildable(production, encoding):
    script = production / "scripts" / "episode1.md"
    original = script.read_text(encoding="utf-8")
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
