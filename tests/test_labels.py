"""Speaker labels: taken when the intent is clear, refused with a suggestion otherwise,
never read aloud; a paragraph without a label goes on with the speaker before it."""
import pytest

from clirun import run_radio
from radio.errors import ProblemsError
from radio.script import parse_text

FRONT = """---
title: "Thử"
number: 1
speakers:
  MC1: {voice: vi, pitch: 40}
  MC2: {voice: vi-vn-x-central, pitch: 70}
---
"""


def paragraphs(body: str, front: str = FRONT):
    episode = parse_text(front + body, "episode1", "scripts/episode1.md")
    return [(p.speaker, p.text, p.labelled) for p in episode.paragraphs]


def problems(body: str) -> list[str]:
    with pytest.raises(ProblemsError) as info:
        parse_text(FRONT + body, "episode1", "scripts/episode1.md")
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("written,speaker", [
    ("MC2: Quý vị thân mến.", "MC2"),
    ("MC2:Quý vị thân mến.", "MC2"),       # no space after the colon
    ("mc2: Quý vị thân mến.", "MC2"),      # another case
    ("Mc1:Quý vị thân mến.", "MC1"),
    ("MC1:\tQuý vị thân mến.", "MC1"),
    ("**MC2:** Quý vị thân mến.", "MC2"),  # in Markdown bold, as Word writers set it
    ("**MC2**: Quý vị thân mến.", "MC2"),
    ("*mc1:* Quý vị thân mến.", "MC1"),
    ("__MC2:__Quý vị thân mến.", "MC2"),
])
def test_unambiguous_labels_are_taken_and_not_read(written, speaker):
    assert paragraphs(written + "\n") == [(speaker, "Quý vị thân mến.", True)]


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u2060", "\u200e"])
def test_an_invisible_character_pasted_before_a_label_does_not_hide_it(invisible):
    """A zero-width space from a web page before 'MC2:' would make MC1 read 'em xi hai'."""
    assert paragraphs(f"MC1: Xin chào.\n\n{invisible}MC2: Chào{invisible} anh.\n") == [
        ("MC1", "Xin chào.", True), ("MC2", "Chào anh.", True)]


def test_a_label_alone_on_its_line_labels_the_lines_below():
    assert paragraphs("MC2:\nQuý vị thân mến.\n") == [("MC2", "Quý vị thân mến.", True)]


def test_a_label_on_a_line_inside_a_paragraph_starts_a_new_paragraph():
    assert paragraphs("MC1: Xin chào.\nMC2: Chào anh.\n") == [
        ("MC1", "Xin chào.", True), ("MC2", "Chào anh.", True)]


@pytest.mark.parametrize("written,meant", [
    ("MC 1:", "MC1"), ("MC2 :", "MC2"), ("MC2.", "MC2"), ("MC2\uff1a", "MC2"),
    ("MC2\ufe55", "MC2"), ("MC1 -", "MC1"), ("MC1 —", "MC1"), ("M.C1:", "MC1"),
    ("mc 2 :", "MC2"), ("MC1", "MC1"),
])
def test_labels_written_another_way_are_refused_with_the_label_meant(written, meant):
    assert problems(f"{written} Quý vị thân mến.\n") == [
        f"scripts/episode1.md:8: '{written}' is not how a speaker label is written: it would be "
        f"read aloud — did you mean '{meant}:'? (the label as declared, then ':')"]


@pytest.mark.parametrize("prose", [
    "Lan. Hôm nay trời đẹp.", "Lúc 10:30 sáng nay, tỉnh họp.", "Ghi chú: cam ngon.",
    "A Lưới là một huyện miền núi.", "Note: cam.", "https://hatinh.gov.vn là trang tin.",
    "MC là người dẫn chương trình.", "Kinh phí: 35.500.000 đồng.",
    "**Chú ý**: cam ngon.", "**Cam** Hà Tĩnh: ngọt.", "*Lan*: hôm nay trời đẹp.",
])
def test_prose_that_merely_resembles_a_label_is_narration(prose):
    assert paragraphs(f"MC1: Xin chào.\n\n{prose}\n")[1] == ("MC1", prose, False)


def test_two_declared_labels_differing_only_by_case_are_not_guessed():
    front = FRONT.replace("MC2: {voice", "Mc1: {voice")
    with pytest.raises(ProblemsError) as info:
        paragraphs("mc1: Xin chào.\n", front)
    assert "speaker 'mc1' is not declared" in str(info.value)


def test_unlabelled_paragraph_goes_on_with_the_speaker_before():
    assert paragraphs("MC2: Một.\n\nHai.\n\n[dừng: 1s]\nBa.\n\nMC1: Bốn.\n\nNăm.\n") == [
        ("MC2", "Một.", True), ("MC2", "Hai.", False), ("MC2", "Ba.", False),
        ("MC1", "Bốn.", True), ("MC1", "Năm.", False)]


def test_first_paragraph_needs_a_label_unless_one_speaker():
    assert problems("Xin chào.\n") == [
        "scripts/episode1.md:8: this paragraph has no speaker label, and no paragraph before "
        "it has one — start it with 'MC1: ' (a paragraph without a label is read by the "
        "speaker of the paragraph before it)"]
    single = FRONT.replace("  MC2: {voice: vi-vn-x-central, pitch: 70}\n", "")
    assert paragraphs("Xin chào.\n", single) == [("MC1", "Xin chào.", False)]


def test_check_says_who_reads_an_unlabelled_paragraph(production):
    script = production / "scripts" / "episode1.md"
    text = script.read_text(encoding="utf-8")
    script.write_text(text.replace("MC1: Xin cảm ơn", "Xin cảm ơn"), encoding="utf-8")
    line = next(n for n, t in enumerate(script.read_text(encoding="utf-8").splitlines(), 1)
                if t.startswith("Xin cảm ơn"))
    code, out, err = run_radio(["check", "episode1"], production)
    assert code == 0, err
    assert (f"scripts/episode1.md:{line}: no speaker label: MC2 goes on reading, as in the "
            "paragraph before") in out
