"""The script parser: structure, source lines, and every problem at once."""
import pytest

from radio.errors import ProblemsError, UserError
from radio.script import Bed, Clip, Heading, Jingle, Paragraph, Pause, parse_text
from radio.script.encoding import decode_script
from radio.script.values import parse_ms

FRONT = """---
title: "Cam Hà Tĩnh – hương vị đất Hồng Lam"
number: 1
speakers:
  MC1: {voice: vi, pitch: 40}
  MC2: {voice: vi-vn-x-central, pitch: 70}
---
"""


def parse(body: str):
    return parse_text(FRONT + body, "episode1", "scripts/episode1.md")


def errors(body: str, front: str = FRONT) -> list[str]:
    with pytest.raises(ProblemsError) as info:
        parse_text(front + body, "episode1", "scripts/episode1.md")
    return [str(p) for p in info.value.problems]


def test_design_example_parses_with_lines():
    ep = parse("[nhạc hiệu: jingles/intro.flac]\n\n# Mở đầu\n"
               "MC1: Kính thưa quý vị\nvà các bạn!\n\n"
               "[nhạc nền: music/bed_soft.flac | vào=2s]\n"
               "MC2: Theo Kế hoạch số 381/KH-UBND ngày 14/10/2021.\n\n"
               "[băng: interviews/nong_dan.flac | từ=0:05 | đến=1:20]\n[dừng: 1s]\n"
               "[nhạc nền: tắt | ra=3s]\n[nhạc hiệu: jingles/outro.flac]\n")
    kinds = [type(i) for i in ep.items]
    assert kinds == [Jingle, Heading, Paragraph, Bed, Paragraph, Clip, Pause, Bed, Jingle]
    assert ep.items[0].line == 8
    assert ep.items[2] == Paragraph(11, "MC1", "Kính thưa quý vị và các bạn!", end_line=12)
    assert ep.items[3].fade_in_ms == 2000 and ep.items[3].path == "music/bed_soft.flac"
    clip = ep.items[5]
    assert (clip.from_ms, clip.to_ms) == (5000, 80000)
    assert ep.items[6].duration_ms == 1000
    assert ep.items[7].path is None and ep.items[7].fade_out_ms == 3000
    assert ep.title == "Cam Hà Tĩnh – hương vị đất Hồng Lam" and ep.number == 1


def test_english_keywords_are_the_same_cues():
    ep = parse("[jingle: a.ogg | xfade=500ms]\nMC1: Xin chào.\n\n[bed: b.ogg | in=1s]\n"
               "[clip: c.ogg | from=1 | to=2 | gain=-3]\n[pause: 0.5s]\n[bed: off | out=2s]\n")
    assert isinstance(ep.items[0], Jingle) and ep.items[0].xfade_ms == 500
    assert ep.items[3].gain_db == -3.0 and ep.items[3].to_ms == 2000
    assert ep.items[5].path is None


def test_a_cue_in_markdown_bold_or_italics_is_the_cue():
    ep = parse("MC1: Xin chào.\n\n**[dừng: 1s]**\n*[băng: c.ogg | tên=Ông A]*\n"
               "__[nhạc nền: tắt]__\nMC2: Chào anh.\n")
    assert [type(i) for i in ep.items] == [Paragraph, Pause, Clip, Bed, Paragraph]
    assert ep.items[2].path == "c.ogg" and ep.items[4].text == "Chào anh."


@pytest.mark.parametrize("line", ["MC2: Cảm ơn quý vị. [dừng: 1s]",
                                  "MC2: [Nhac hieu | chờ=có] Cảm ơn quý vị.",
                                  "Cảm ơn quý vị [băng: c.ogg] đã nghe."])
def test_a_cue_inside_a_paragraph_is_refused_not_read(line):
    cue = line[line.index("["):line.index("]") + 1]
    assert errors(f"MC1: Xin chào.\n\n{line}\n") == [
        f"scripts/episode1.md:10: the cue {cue} is inside a paragraph: it would be read aloud "
        "— put it on a line of its own, before or after the paragraph"]


@pytest.mark.parametrize("prose", ["Theo ông A [sic], cam ngon.", "Xem [1] và [trang 5].",
                                   "Cam [ngọt] lắm."])
def test_brackets_in_narration_that_name_no_cue_are_words(prose):
    assert parse(f"MC1: {prose}\n").items[0].text == prose


@pytest.mark.parametrize("written", ["#Kết thúc", "##Phần 2"])
def test_a_heading_without_its_space_is_refused_not_read(written):
    marks, title = written.rstrip("Kếtthúc Phần2"), written.lstrip("#")
    assert errors(f"MC1: Xin chào.\n\n{written}\nMC2: Chào anh.\n") == [
        f"scripts/episode1.md:10: '{written}' would be read aloud: a heading needs a space "
        f"after '#' — did you mean '{marks} {title}'?"]


def test_unknown_cue_suggests_the_vietnamese_keyword():
    assert errors("MC1: a\n\n[nhac hieu: x.ogg]\n") == [
        "scripts/episode1.md:10: unknown cue 'nhac hieu' — did you mean 'nhạc hiệu'?"]


def test_all_problems_are_reported_together():
    problems = errors("MC3: ai đây?\n\n[băng: ../../etc/passwd]\n[dừng: abc]\n"
                      "[nhạc nền: x.ogg | lap=có]\n")
    assert len(problems) == 4
    assert problems[0].startswith("scripts/episode1.md:8: speaker 'MC3' is not declared")
    assert "did you mean 'MC1'" in problems[0] or "did you mean 'MC2'" in problems[0]
    assert problems[1].startswith("scripts/episode1.md:10:") and "leaves audio_assets/" in problems[1]
    assert problems[2].startswith("scripts/episode1.md:11:")
    assert "did you mean 'lặp='" in problems[3]


@pytest.mark.parametrize("path", ["/etc/passwd", "C:/Windows/x.wav", "a/../../b.ogg", ".."])
def test_paths_outside_assets_are_refused(path):
    assert "audio_assets/" in errors(f"MC1: a\n\n[băng: {path}]\n")[0]


def test_front_matter_problems_are_located():
    front = FRONT.replace("number: 1", "numbr: 1").replace("pitch: 70", "pitch: 170")
    problems = errors("MC1: a\n", front)
    assert problems[0].startswith("scripts/episode1.md:3: unknown front matter key 'numbr'")
    assert "did you mean 'number'" in problems[0]
    assert "pitch of speaker MC2 must be a whole number from 0 to 100" in problems[1]


def test_bad_yaml_names_the_line():
    front = '---\ntitle: "unclosed\nnumber: 1\n---\n'
    problems = errors("MC1: a\n", front)
    assert problems[0].startswith("scripts/episode1.md:") and "not valid YAML" in problems[0]


def test_script_without_speech_is_an_error():
    assert "has no narration" in errors("[dừng: 1s]\n")[0]


def test_comments_are_ignored_and_lines_kept():
    ep = parse("<!-- ghi chú\nnhiều dòng -->\nMC1: Xin chào.\n")
    assert ep.items[0].line == 10


def test_pinned_paragraph_id():
    ep = parse("MC1: Xin chào quý vị. {#p007}\n")
    assert ep.items[0].pinned_id == "p007" and ep.items[0].text == "Xin chào quý vị."


def test_text_is_nfc():
    decomposed = "MC1: Ha\u0300 Ti\u0303nh\n"
    assert parse(decomposed).items[0].text == "Hà Tĩnh"


def test_trim_end_before_start():
    assert "ends (0:01) before it starts (0:05)" in errors("MC1: a\n\n[băng: a.ogg | từ=0:05 | đến=0:01]\n")[0]


@pytest.mark.parametrize("value,ms", [("2s", 2000), ("1,5s", 1500), ("500ms", 500),
                                      ("0:05", 5000), ("1:20.5", 80500), ("1:02:03", 3723000)])
def test_times(value, ms):
    assert parse_ms(value) == ms


def cp1258(text: str) -> bytes:
    """Windows-1258 spells tones as combining marks after precomposed base letters."""
    import unicodedata

    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in parts if c in tones)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + tone)
    return "".join(out).encode("cp1258")


def test_utf16_and_legacy_encodings_are_named():
    with pytest.raises(UserError, match="UTF-16"):
        decode_script("Xin chào".encode("utf-16"), "s.md")
    with pytest.raises(UserError, match="Windows-1258") as info:
        decode_script(cp1258("MC1: Xin chào các bạn, hôm nay trời đẹp"), "s.md")
    assert "s.md:1:" in str(info.value)


def test_a_paragraph_knows_its_last_line():
    ep = parse("MC1: Dòng một\ntiếp dòng hai\n<!-- ghi chú -->\n\nMC1: Một dòng.\n[dừng: 1s]\n")
    first, second = ep.paragraphs
    assert (first.end_line - first.line, second.end_line) == (1, second.line)


@pytest.mark.parametrize("body,line", [
    ("[nhạc hiệu: a.ogg]\nMC1: Xin chào.\n", 7),          # a cue right after the keys
    ("\n# Mở đầu\nMC1: Xin chào: quý vị.\n", 8),          # a heading after a blank line
    ("\nMC1: Xin chào.\n", 8),                             # the first paragraph
    ("# ghi chú của YAML\n#không phải tiêu đề\n\nKính thưa quý vị.\n", 7),
])
def test_front_matter_without_its_closing_line_says_so(body, line):
    front = FRONT.rsplit("---\n", 1)[0]   # the keys, no closing '---'
    assert errors(body, front) == [
        f"scripts/episode1.md:{line}: the front matter that starts on line 1 is never closed: "
        f"there is no '---' line after it — add a line '---' before line {line}, where the "
        "front matter ends"]


def test_front_matter_never_closed_and_nothing_after_it():
    assert errors("", "---\ntitle: x\n") == [
        "scripts/episode1.md:1: the front matter that starts on line 1 is never closed: there "
        "is no '---' line after it — add a line '---' after the front matter"]


@pytest.mark.parametrize("brk", ["\x0b", "\x0c", "\u2028", "\u2029", "\x85"])
def test_a_line_break_pasted_from_word_is_a_space(brk):
    """Word's line break (Shift+Enter) pastes as a vertical tab, web pages' as U+2028: an
    editor shows no new line there, so neither is one; in the title, YAML refused it."""
    front = FRONT.replace("Cam Hà Tĩnh – hương", f"Cam Hà Tĩnh{brk}– hương")
    episode = parse_text(front + f"MC1: Xin chào{brk}quý vị.\n\nMC2: Chào anh.\n",
                         "episode1", "scripts/episode1.md")
    assert episode.title == "Cam Hà Tĩnh – hương vị đất Hồng Lam"
    assert [(p.text, p.line) for p in episode.paragraphs] == [("Xin chào quý vị.", 8),
                                                              ("Chào anh.", 10)]


def test_a_control_character_in_the_front_matter_is_named():
    front = FRONT.replace("number: 1", "number: 1\x07")
    assert errors("MC1: Xin chào.\n", front) == [
        "scripts/episode1.md:3: the front matter holds an invisible control character "
        "(U+0007) — delete it (retype the line)"]
