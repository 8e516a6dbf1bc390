"""`radio import`: the demo's episode 1 written as Word documents the ways journalists
write them (Unicode, TCVN3, VNI, mixed runs, fonts carried by styles or the theme,
a two-column table, a .odt), imported back and compared with the original."""
from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from clirun import run_radio
from conftest import REPO, require_tool
from docx_writer import direction, expected_cue, write_paragraphs, write_table
from radio.script import parse_file
from radio.script.model import Bed, Clip, Jingle, Paragraph, Pause, Pending

ENCODINGS = ["unicode", "tcvn3", "vni", "vni-split", "mixed", "styles", "theme"]


@pytest.fixture(scope="module")
def episode1():
    return parse_file(REPO / "scripts" / "episode1.md", "scripts/episode1.md")


def _partition(episode) -> set[frozenset[int]]:
    groups: dict[str, set[int]] = {}
    for index, para in enumerate(episode.paragraphs):
        groups.setdefault(para.speaker, set()).add(index)
    return {frozenset(g) for g in groups.values()}


def _cues(episode) -> list[tuple[str, str]]:
    out = []
    for item in episode.items:
        if isinstance(item, Pending):
            out.append((item.kind, item.label if item.kind == "clip" else ""))
        elif isinstance(item, Bed) and not item.path:
            out.append(("bed-off", ""))
        elif isinstance(item, Pause):
            out.append(("pause", ""))
        elif isinstance(item, (Jingle, Bed, Clip)):
            out.append(("asset", item.path))   # an import never names a recording
    return out


def _import(production: Path, document: Path, *extra) -> tuple[int, str, str]:
    # import writes scripts/NAME.md by design: the tests check what else stays
    return run_radio(["import", str(document), *extra], cwd=production, check_sources=False)


def _imported(production: Path, tmp_path: Path, name: str, document):
    """*document* (python-docx) saved as NAME.docx and imported, which must succeed:
    the script it wrote, parsed, and what the import said."""
    path = tmp_path / f"{name}.docx"
    document.save(str(path))
    return _imported_file(production, path)


def _imported_file(production: Path, document: Path):
    """*document* imported as scripts/<its name>.md, which must succeed: the script,
    parsed, and what the import said."""
    code, _out, err = _import(production, document)
    assert code == 0, err
    return parse_file(production / "scripts" / f"{document.stem}.md", "x"), err


def _import_paragraphs(production: Path, tmp_path: Path, name: str, lines: list[str]):
    """A Word document of one paragraph per line, imported (see ``_imported``)."""
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    return _imported(production, tmp_path, name, document)


def assert_same_script(imported, original) -> None:
    assert [p.text for p in imported.paragraphs] == [p.text for p in original.paragraphs]
    assert _partition(imported) == _partition(original)
    assert [h.title.casefold() for h in imported.headings] == \
        [h.title.casefold() for h in original.headings]
    expected = [expected_cue(i) for i in original.items
                if isinstance(i, (Jingle, Bed, Clip, Pause))]
    assert _cues(imported) == expected
    assert imported.title.casefold() == original.title.casefold()
    voices = {(s.voice, s.variant, s.pitch) for s in imported.speakers}
    assert len(voices) == len(imported.speakers) == 2


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_paragraph_documents_round_trip(production, tmp_path, episode1, encoding):
    document = tmp_path / f"Kịch bản {encoding}.docx"
    write_paragraphs(episode1, document, encoding)
    code, out, err = _import(production, document, "--episode", "imported")
    assert code == 0, err
    script = production / "scripts" / "imported.md"
    imported = parse_file(script, "scripts/imported.md")
    assert_same_script(imported, episode1)
    assert "not classified" not in err
    if encoding in ("tcvn3", "styles", "theme"):
        assert "TCVN3 (ABC)" in out
    if encoding in ("vni", "vni-split", "mixed"):
        assert "VNI" in out
    text = script.read_text(encoding="utf-8")
    assert text == unicodedata.normalize("NFC", text)


def test_table_layout_round_trips(production, tmp_path, episode1):
    document = tmp_path / "bang.docx"
    write_table(episode1, document, "tcvn3")
    code, out, err = _import(production, document)
    assert code == 0, err
    imported = parse_file(production / "scripts" / "bang.md", "scripts/bang.md")
    assert_same_script(imported, episode1)


def test_slug_number_and_force(production, tmp_path, episode1):
    document = tmp_path / "Kịch bản số 3 (bản cuối).docx"
    write_paragraphs(episode1, document, "unicode")
    assert _import(production, document)[0] == 0
    script = production / "scripts" / "kich_ban_so_3_ban_cuoi.md"
    assert parse_file(script, "x").number == 3   # the mini production has 1 and 2
    before = script.read_bytes()
    code, _, err = _import(production, document)
    assert code == 2 and "--force" in err and script.read_bytes() == before
    backup = production / "scripts" / "kich_ban_so_3_ban_cuoi.md.bak"
    code, out, err = _import(production, document, "--force")   # the same: nothing to keep
    assert code == 0 and not backup.exists() and "kept as" not in out
    edited = before.replace("Kính thưa".encode(), "Thưa".encode())   # the producer's edits
    script.write_bytes(edited)
    code, out, err = _import(production, document, "--force")
    assert code == 0, err
    assert script.read_bytes() == before and backup.read_bytes() == edited
    assert "kept as scripts/kich_ban_so_3_ban_cuoi.md.bak" in out
    assert "kich_ban_so_3_ban_cuoi.md.bak" not in run_radio(["check"], cwd=production)[2]


def test_journalists_forms(production, tmp_path):
    """Labels with spaces and words, bold names, continuation and broken lines,
    bare stage directions and a paragraph the importer cannot place."""
    import docx

    document = docx.Document()
    document.core_properties.title = "Thử nhập"
    lines = ["Chuyên đề phát thanh – bản thảo", "(Nhạc hiệu)", "MC 1: Xin chào quý vị.",
             "Người dẫn 1: Hôm nay chúng ta nói về cam.", "Đây là đoạn tiếp theo của người dẫn.",
             "Câu này bị ngắt dòng giữa", "chừng bởi một lần Enter.", "Nữ: Cảm ơn anh.",
             "Nam: Mời chị.", "PV: Thưa ông, vụ cam năm nay thế nào?", "Nhạc chuyển",
             "Dẫn 1: Quý vị vừa nghe.", "(Băng phỏng vấn: ông Nguyễn Văn A, 10 giây)",
             "(Cười)", "MC2:", "Lời của MC2 ở đoạn riêng.", "Và thêm một đoạn nữa."]
    for line in lines:
        document.add_paragraph(line)
    bold = document.add_paragraph()
    bold.add_run("Ông Trần Văn B:").bold = True
    bold.add_run(" Năm nay được mùa.")
    document.save(str(tmp_path / "forms.docx"))
    code, out, err = _import(production, tmp_path / "forms.docx")
    assert code == 0, err
    assert "paragraph 1 was not classified" in err
    assert "paragraph 14 was not classified (kept as a comment): (Cười)" in err
    assert "<!-- ¶14: (Cười) -->" in (production / "scripts" / "forms.md").read_text()
    episode = parse_file(production / "scripts" / "forms.md", "x")
    labels = {s.label: s.name for s in episode.speakers}
    assert labels == {"MC1": "MC 1", "ND1": "Người dẫn 1", "NU": "Nữ", "NAM": "Nam", "PV": "",
                      "DAN1": "Dẫn 1", "MC2": "", "OTVB": "Ông Trần Văn B"}
    texts = [(p.speaker, p.text) for p in episode.paragraphs]
    assert texts[1:4] == [("ND1", "Hôm nay chúng ta nói về cam."),
                          ("ND1", "Đây là đoạn tiếp theo của người dẫn."),
                          ("ND1", "Câu này bị ngắt dòng giữa chừng bởi một lần Enter.")]
    assert texts[-3:] == [("MC2", "Lời của MC2 ở đoạn riêng."),
                          ("MC2", "Và thêm một đoạn nữa."), ("OTVB", "Năm nay được mùa.")]
    pending = episode.pending
    assert [(p.kind, p.duration_ms) for p in pending] == \
        [("jingle", 3000), ("jingle", 3000), ("clip", 10000)]
    assert pending[2].label == "ông Nguyễn Văn A, 10 giây"
    voices = [(s.voice, s.variant, s.pitch) for s in episode.speakers]
    assert len(set(voices)) == len(voices)
    assert dict(zip(labels, voices))["NU"][1].startswith("f")


@pytest.mark.parametrize("written, label", [
    ("Phát thanh viên", "PTV"), ("PTV", "PTV"), ("PTV 2", "PTV2"),
    ("Phát thanh viên nữ", "PTVN"), ("PHÁT THANH VIÊN NAM", "PTVN"),
    ("Dẫn chương trình", "DCT"), ("DCT", "DCT"), ("Lời dẫn", "LD"), ("Lời bình", "LB")])
def test_broadcasters_labels(production, tmp_path, written, label):
    """What a radio station calls its readers (the announcer, "phát thanh viên") is a
    speaker label, not a paragraph left out of the script."""
    import docx

    document = docx.Document()
    for line in [f"{written}: Kính thưa quý vị thính giả.", "(Nhạc chuyển)",
                 f"{written}:", "Xin hẹn gặp lại."]:
        document.add_paragraph(line)
    document.save(str(tmp_path / "ptv.docx"))
    code, out, err = _import(production, tmp_path / "ptv.docx")
    assert code == 0, err
    assert "not classified" not in err
    episode = parse_file(production / "scripts" / "ptv.md", "x")
    assert [(p.speaker, p.text) for p in episode.paragraphs] == [
        (label, "Kính thưa quý vị thính giả."), (label, "Xin hẹn gặp lại.")]


@pytest.mark.parametrize("suffix", [".docx", ".txt"])
def test_invisible_characters_are_left_out(production, tmp_path, suffix):
    """Zero-width spaces and joiners, word joiners, byte order marks, direction marks and
    optional hyphens (pasted from web pages and Zalo into Word) are not in the script:
    no voice can say them, and check would warn about each one."""
    import docx

    lines = ["MC1:\u200b Kính\u00a0thưa quý\u200c vị.",
             "\ufeffMC2: Xin\u2060 ch\u00adào\u200e các bạn.",
             "MC1: Năm 2024\u200b, sản lượng đạt 30.000\u200d tấn."]
    path = tmp_path / f"an{suffix}"
    if suffix == ".docx":
        document = docx.Document()
        for line in lines:
            document.add_paragraph(line)
        document.save(str(path))
    else:
        path.write_text("\n".join(lines), encoding="utf-8")
    code, out, err = _import(production, path)
    assert code == 0, err
    script = production / "scripts" / "an.md"
    episode = parse_file(script, "x")
    assert [(p.speaker, p.text) for p in episode.paragraphs] == [
        ("MC1", "Kính thưa quý vị."), ("MC2", "Xin chào các bạn."),
        ("MC1", "Năm 2024, sản lượng đạt 30.000 tấn.")]
    code, out, err = run_radio(["check", "an"], cwd=production)
    assert code == 0 and "no voice can say" not in err, err


def _italic_document(path: Path, lines: list[tuple[str, bool]]) -> Path:
    import docx

    document = docx.Document()
    for text, italic in lines:
        paragraph = document.add_paragraph()
        for index, word in enumerate(text.split(" ")):   # Word's runs end anywhere
            paragraph.add_run(word if index == 0 else " " + word).italic = italic or None
    document.save(str(path))
    return path


def test_stage_directions_in_italics_are_not_read(production, tmp_path):
    """Many write the sounds and the words of a recording in italics, on lines of their
    own: they become cues or notes, never words for the speaker before them to read."""
    document = _italic_document(tmp_path / "nghieng.docx", [
        ("MC1: Kính thưa quý vị, mời quý vị nghe ý kiến của người dân.", False),
        ("Tiếng vỗ tay", True), ("MC1: Và đây là ông Nguyễn Văn A.", False),
        ("Năm nay cam được mùa, bà con rất phấn khởi.", True),
        ("Nhạc chuyển", True), ("MC2: Xin cảm ơn ông. Câu hỏi có chữ nghiêng.", False)])
    episode, err = _imported_file(production, document)
    assert [(p.speaker, p.text) for p in episode.paragraphs] == [
        ("MC1", "Kính thưa quý vị, mời quý vị nghe ý kiến của người dân."),
        ("MC1", "Và đây là ông Nguyễn Văn A."), ("MC2", "Xin cảm ơn ông. Câu hỏi có chữ nghiêng.")]
    assert [(p.kind, p.label) for p in episode.pending] == [
        ("clip", "Tiếng vỗ tay"), ("jingle", "Nhạc chuyển")]
    assert "paragraph 4 was not classified (kept as a comment): Năm nay cam" in err


def test_a_document_all_in_italics_is_read(production, tmp_path):
    document = _italic_document(tmp_path / "tat_ca.docx", [
        ("MC1: Kính thưa quý vị.", True), ("Hôm nay chúng ta nói về cam.", True),
        ("(Nhạc chuyển)", True), ("MC2: Xin cảm ơn.", True)])
    episode, err = _imported_file(production, document)
    assert [(p.speaker, p.text) for p in episode.paragraphs] == [
        ("MC1", "Kính thưa quý vị."), ("MC1", "Hôm nay chúng ta nói về cam."),
        ("MC2", "Xin cảm ơn.")]
    assert "not classified" not in err


def test_headings_and_names_typed_in_bold(production, tmp_path):
    """A short bold line that is no sentence is a chapter ("Phần 1: Thực trạng", not
    words for the last speaker); a bold name alone on its line speaks the paragraphs
    after it; a bold sentence is read."""
    import docx

    document = docx.Document()
    for text, bold in [("Phần 1: Thực trạng sản xuất", True),
                       ("MC1: Kính thưa quý vị, năm nay sản xuất gặp khó khăn.", False),
                       ("Phần 2: Giải pháp", True), ("Hôm nay chúng tôi bàn về giải pháp.", False),
                       ("Ông Nguyễn Văn A:", True), ("Năm nay bà con rất phấn khởi.", False),
                       ("Kính thưa quý vị!", True), ("MC2: Xin cảm ơn ông", True)]:
        document.add_paragraph().add_run(text).bold = bold or None
    episode, err = _imported(production, tmp_path, "dam", document)
    assert [h.title for h in episode.headings] == ["Phần 1: Thực trạng sản xuất",
                                                   "Phần 2: Giải pháp"]
    assert [(p.speaker, p.text) for p in episode.paragraphs] == [
        ("MC1", "Kính thưa quý vị, năm nay sản xuất gặp khó khăn."),
        ("MC1", "Hôm nay chúng tôi bàn về giải pháp."),
        ("ONVA", "Năm nay bà con rất phấn khởi."), ("ONVA", "Kính thưa quý vị!"),
        ("MC2", "Xin cảm ơn ông")]
    assert "not classified" not in err


def test_bullets_typed_by_hand_are_not_read(production, tmp_path):
    """"+ Tuần tra" would be read "cộng Tuần tra": a bullet typed by hand (or kept by
    Word as a Symbol-font character) is not part of the words; "1." and "a)" are."""
    lines = ["MC1: Các biện pháp gồm:", "- Tuần tra thường xuyên;", "+ Tuyên truyền người dân;",
             "• Xử lý nghiêm vi phạm.", "\uf0b7 Trồng rừng mới.", "* Bảo vệ rừng đầu nguồn.",
             "1. Thứ nhất là vốn.", "a) Vốn vay.", "MC2: - Xin cảm ơn."]
    episode, err = _import_paragraphs(production, tmp_path, "gach", lines)
    assert [(p.speaker, p.text) for p in episode.paragraphs] == [
        ("MC1", "Các biện pháp gồm:"), ("MC1", "Tuần tra thường xuyên;"),
        ("MC1", "Tuyên truyền người dân;"), ("MC1", "Xử lý nghiêm vi phạm."),
        ("MC1", "Trồng rừng mới."), ("MC1", "Bảo vệ rừng đầu nguồn."),
        ("MC1", "1. Thứ nhất là vốn."), ("MC1", "a) Vốn vay."), ("MC2", "Xin cảm ơn.")]
    code, out, err = run_radio(["check", "gach"], cwd=production)
    assert code == 0 and "cannot say" not in err, err


_BOX_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
           'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
           'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
           'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
           'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
           'xmlns:v="urn:schemas-microsoft-com:vml"')


def _text_box(text: str) -> str:
    """A paragraph holding a text box as Word writes it: a drawing, and the same box
    again in VML for older readers."""
    inner = f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
    return (f'<w:p {_BOX_NS}><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
            '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" '
            'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
            '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
            '<wp:extent cx="2000000" cy="500000"/><wp:wrapNone/>'
            '<wp:docPr id="1" name="Text Box 1"/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
            f'wordprocessingShape"><wps:wsp><wps:spPr/><wps:txbx>{inner}</wps:txbx><wps:bodyPr/>'
            '</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
            f'<mc:Fallback><w:pict><v:shape><v:textbox>{inner}</v:textbox></v:shape></w:pict>'
            '</mc:Fallback></mc:AlternateContent></w:r></w:p>')


def test_text_in_a_text_box_is_kept_as_a_note(production, tmp_path):
    """A text box (a note beside the script, or words put in a frame) is not lost: it
    is kept once, as a comment, and named; it is not read by the speaker before it."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("MC1: Kính thưa quý vị, đây là đoạn trước hộp văn bản.")
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(_text_box("Lưu ý: đọc chậm đoạn sau.")))
    document.add_paragraph("MC1: Đoạn sau hộp văn bản.")
    episode, err = _imported(production, tmp_path, "hop", document)
    script = production / "scripts" / "hop.md"
    assert [p.text for p in episode.paragraphs] == [
        "Kính thưa quý vị, đây là đoạn trước hộp văn bản.", "Đoạn sau hộp văn bản."]
    assert script.read_text(encoding="utf-8").count("Lưu ý: đọc chậm đoạn sau.") == 1
    assert "not classified (kept as a comment): Lưu ý: đọc chậm đoạn sau." in err


def test_labels_with_a_name_or_a_note(production, tmp_path):
    """A role followed by the person's name ("PV Thu Hà:"), or by a note in brackets
    ("MC1 (nữ):"), is a speaker label, bold or not: never words read aloud."""
    lines = ["MC1 (nữ): Kính thưa quý vị.", "PV Thu Hà: Thưa ông, năm nay thế nào?",
             "Ông Nguyễn Văn A: Năm nay được mùa.", "PV (Minh Châu): Xin cảm ơn ông.",
             "MC2 (nam): Hẹn gặp lại.", "MC1 (nữ): Xin chào.",
             "Anh Hùng cho biết: cam năm nay ngọt."]
    episode, err = _import_paragraphs(production, tmp_path, "ten", lines)
    assert [(p.speaker, p.text) for p in episode.paragraphs] == [
        ("MC1", "Kính thưa quý vị."), ("PTH", "Thưa ông, năm nay thế nào?"),
        ("ONVA", "Năm nay được mùa."), ("PV", "Xin cảm ơn ông."), ("MC2", "Hẹn gặp lại."),
        ("MC1", "Xin chào."), ("MC1", "Anh Hùng cho biết: cam năm nay ngọt.")]
    names = {s.label: s.name for s in episode.speakers}
    assert names["MC1"] == "MC1 (nữ)" and names["PTH"] == "PV Thu Hà"
    variants = {s.label: s.variant or "" for s in episode.speakers}
    assert variants["MC1"].startswith("f") and not variants["MC2"].startswith("f")


def test_labels_set_apart_by_a_tab(production, tmp_path):
    """Many align the script with a tab after the label, without a colon: "PTV<Tab>...";
    a tab inside the words is a space."""
    lines = ["PTV\tKính thưa quý vị.", "PV Thu Hà\t\tThưa ông, năm nay thế nào?",
             "MC1:\tXin chào.", "Năm nay\tcam được mùa.", "(Nhạc chuyển)"]
    episode, err = _import_paragraphs(production, tmp_path, "tab", lines)
    assert [(p.speaker, p.text) for p in episode.paragraphs] == [
        ("PTV", "Kính thưa quý vị."), ("PTH", "Thưa ông, năm nay thế nào?"),
        ("MC1", "Xin chào."), ("MC1", "Năm nay cam được mùa.")]


def test_a_direction_in_brackets_at_either_end_of_a_paragraph(production, tmp_path):
    """"MC1: (Nhạc nền lên) Kính thưa..." and "... thính giả. (Nhạc chuyển)": the
    direction is a cue before or after the words, not read; brackets inside the words,
    or that name no cue ("(UBND)"), stay words."""
    lines = ["MC1: (Nhạc nền) Kính thưa quý vị thính giả.",
             "Mời quý vị nghe phóng sự. (Nhạc chuyển)",
             "MC2: Ủy ban nhân dân (UBND) tỉnh đã họp (băng ghi âm cuộc họp) hôm qua.",
             "MC2: Xin cảm ơn. [Tắt nhạc nền]", "MC1: Theo ông (Chủ tịch xã)",
             "MC1: Chương trình Mỗi xã một sản phẩm (tiếng Anh)"]
    episode, err = _import_paragraphs(production, tmp_path, "ngoac", lines)
    assert [(p.speaker, p.text) for p in episode.paragraphs] == [
        ("MC1", "Kính thưa quý vị thính giả."), ("MC1", "Mời quý vị nghe phóng sự."),
        ("MC2", "Ủy ban nhân dân (UBND) tỉnh đã họp (băng ghi âm cuộc họp) hôm qua."),
        ("MC2", "Xin cảm ơn."), ("MC1", "Theo ông (Chủ tịch xã)"),
        ("MC1", "Chương trình Mỗi xã một sản phẩm (tiếng Anh)")]
    assert _cues(episode) == [("bed", ""), ("jingle", ""), ("bed-off", "")]
    kinds = [type(i).__name__ for i in episode.items if type(i).__name__ != "Heading"]
    assert kinds.index("Paragraph") > 0   # the bed starts before the first words


def test_table_without_header_with_a_numbered_column(production, tmp_path):
    """STT | speaker | text, no header row; a direction in the speaker cell; rows
    without a speaker continue the last one."""
    import docx

    rows = [("1", "", "(Nhạc hiệu)"), ("2", "MC 1:", "Xin chào quý vị."),
            ("3", "", "Hôm nay nói về cam."), ("4", "PV", "Thưa ông, cam năm nay thế nào?"),
            ("5", "Băng phỏng vấn", "Ông Lê Văn C, nông dân Hương Sơn"),
            ("6", "Dừng", "2 giây"), ("7", "MC 1", "Cảm ơn ông.")]
    document = docx.Document()
    table = document.add_table(rows=0, cols=3)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.paragraphs[0].add_run(text)
    episode, err = _imported(production, tmp_path, "bang3", document)
    assert [(p.speaker, p.text) for p in episode.paragraphs] == [
        ("MC1", "Xin chào quý vị."), ("MC1", "Hôm nay nói về cam."),
        ("PV", "Thưa ông, cam năm nay thế nào?"), ("MC1", "Cảm ơn ông.")]
    assert [(p.kind, p.label) for p in episode.pending] == [
        ("jingle", "Nhạc hiệu"), ("clip", "Ông Lê Văn C, nông dân Hương Sơn")]
    assert [i.duration_ms for i in episode.items if isinstance(i, Pause)] == [2000]
    assert episode.title == "bang3" and "not classified" not in err


def _table_document(path: Path, before: list[str], rows: list[tuple[str, ...]],
                    after: list[str]) -> Path:
    import docx

    document = docx.Document()
    for text in before:
        document.add_paragraph(text)
    table = document.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.paragraphs[0].add_run(text)
    for text in after:
        document.add_paragraph(text)
    document.save(str(path))
    return path


@pytest.mark.parametrize("rows", [
    [("Năm", "Sản lượng"), ("2023", "25.000 tấn"), ("2024", "30.000 tấn")],
    [("STT", "Xã", "Diện tích"), ("1", "Hương Sơn", "1.200 ha"), ("2", "Vũ Quang", "850 ha")],
    [("Sản phẩm", "Giá bán"), ("Cam bù", "35.000 đồng/kg"), ("Cam chanh", "20.000đ")],
], ids=["years", "numbered communes", "prices"])
def test_a_table_of_figures_gives_no_speakers(production, tmp_path, rows):
    """Figures in a table (years, areas, prices) are not who says what: the rows stay
    in the script as notes for the producer, and the speakers are the script's own."""
    document = _table_document(tmp_path / "so_lieu.docx",
                               ["MC1: Kính thưa quý vị, sau đây là một số số liệu."], rows,
                               ["MC2: Xin cảm ơn quý vị đã theo dõi."])
    episode, err = _imported_file(production, document)
    assert [(p.speaker, p.text) for p in episode.paragraphs] == [
        ("MC1", "Kính thưa quý vị, sau đây là một số số liệu."),
        ("MC2", "Xin cảm ơn quý vị đã theo dõi.")]
    assert [s.label for s in episode.speakers] == ["MC1", "MC2"]
    text = (production / "scripts" / "so_lieu.md").read_text(encoding="utf-8")
    for row in rows:   # every figure kept, where it was, for the producer to read
        cells = [c for c in row if not (c.isdigit() and len(c) < 4)]
        assert " | ".join(cells) in text
        assert " | ".join(cells) in err   # and named in the import's warnings
    assert err.count("not classified") == len(rows)


def test_a_two_column_table_numbered_down_its_side(production, tmp_path):
    """STT | text: the numbers are not speakers; each row says who speaks itself."""
    document = _table_document(tmp_path / "danh_so.docx", [], [
        ("1", "(Nhạc hiệu)"), ("2", "MC1: Xin chào quý vị."), ("3", "MC2: Hôm nay nói về cam."),
        ("4", "Cam Hà Tĩnh năm nay được mùa.")], [])
    episode, err = _imported_file(production, document)
    assert [(p.speaker, p.text) for p in episode.paragraphs] == [
        ("MC1", "Xin chào quý vị."), ("MC2", "Hôm nay nói về cam."),
        ("MC2", "Cam Hà Tĩnh năm nay được mùa.")]
    assert [(p.kind, p.label) for p in episode.pending] == [("jingle", "Nhạc hiệu")]


def test_a_column_of_lengths_is_not_the_text(production, tmp_path):
    """STT | Nhân vật | Nội dung | Thời lượng: the last column says how long each row
    lasts; the speaker and the text are the two before it."""
    document = _table_document(tmp_path / "thoi_luong.docx", ["KỊCH BẢN CHUYÊN ĐỀ"], [
        ("TT", "Nhân vật", "Nội dung", "Thời lượng"), ("1", "", "(Nhạc hiệu)", "10 giây"),
        ("2", "PTV", "Kính chào quý vị thính giả.", "15 giây"),
        ("3", "PV", "Thưa ông, năm nay thế nào?", "0:05"),
        ("4", "Băng", "Ông Nguyễn Văn A: Năm nay rất tốt.", "1'30\""),
        ("5", "PTV", "Cảm ơn ông.", "")], [])
    episode, err = _imported_file(production, document)
    assert [(p.speaker, p.text) for p in episode.paragraphs] == [
        ("PTV", "Kính chào quý vị thính giả."), ("PV", "Thưa ông, năm nay thế nào?"),
        ("PTV", "Cảm ơn ông.")]
    assert [(p.kind, p.label) for p in episode.pending] == [
        ("jingle", "Nhạc hiệu"), ("clip", "Ông Nguyễn Văn A: Năm nay rất tốt")]
    assert "not classified" not in err


@pytest.mark.parametrize("header", [("Thời gian", "Nội dung"), None])
def test_a_column_of_times_is_not_a_table_of_figures(production, tmp_path, header):
    """A running order with the time of each row first ("00:30 | MC1: ...") is a
    script, not figures: the times are left out and the rows read as they say."""
    rows = [("00:00", "(Nhạc hiệu)"), ("00:10", "MC1: Kính thưa quý vị."),
            ("00:40", "MC2: Hôm nay chúng ta nói về cam."), ("1:05", "Cam năm nay ngọt."),
            ("0:01:30", "MC1: Xin cảm ơn.")]
    document = _table_document(tmp_path / "gio.docx", [], ([header] if header else []) + rows,
                               [])
    episode, err = _imported_file(production, document)
    assert [(p.speaker, p.text) for p in episode.paragraphs] == [
        ("MC1", "Kính thưa quý vị."), ("MC2", "Hôm nay chúng ta nói về cam."),
        ("MC2", "Cam năm nay ngọt."), ("MC1", "Xin cảm ơn.")]
    assert [p.kind for p in episode.pending] == ["jingle"] and "not classified" not in err


def test_a_sound_column_beside_the_words(production, tmp_path):
    """Âm thanh | Lời dẫn: a row with music in one column and a speaker's words in the
    other is both a cue and the speaker's paragraph (the words are not the cue's name)."""
    document = _table_document(tmp_path / "am_thanh.docx", [], [
        ("Âm thanh", "Lời dẫn"), ("Nhạc hiệu", ""), ("", "MC1: Kính chào quý vị."),
        ("Nhạc nền", "MC2: Hôm nay chúng ta nói về cam."),
        ("Tắt nhạc nền", "MC1: Xin cảm ơn chị."), ("Băng", "Anh: Cam năm nay ngọt.")], [])
    episode, err = _imported_file(production, document)
    assert [(p.speaker, p.text) for p in episode.paragraphs] == [
        ("MC1", "Kính chào quý vị."), ("MC2", "Hôm nay chúng ta nói về cam."),
        ("MC1", "Xin cảm ơn chị.")]
    assert [(p.kind, p.label) for p in episode.pending] == [
        ("jingle", "Nhạc hiệu"), ("bed", "Nhạc nền"), ("clip", "Anh: Cam năm nay ngọt")]
    assert sum(1 for i in episode.items if isinstance(i, Bed) and not i.path) == 1


@pytest.mark.parametrize("sign_off", ["paragraphs", "table"])
def test_an_official_documents_letterhead_and_signatures_are_not_read(production, tmp_path,
                                                                        sign_off):
    """A script on the station's letterhead (agency | national motto, in a table without
    borders), with its date and "Chủ đề: ..." line, and signatures at the end: the title is
    the subject, and neither the motto nor the names are read on the air."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].add_run("ĐÀI PHÁT THANH VÀ TRUYỀN HÌNH HÀ TĨNH")
    left.add_paragraph().add_run("PHÒNG THỜI SỰ").bold = True
    right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
    right.add_paragraph().add_run("Độc lập – Tự do – Hạnh phúc").bold = True
    document.add_paragraph("Hà Tĩnh, ngày 15 tháng 01 năm 2024")
    document.add_paragraph().add_run("KỊCH BẢN CHUYÊN ĐỀ PHÁT THANH").bold = True
    document.add_paragraph().add_run("Chủ đề: Xây dựng nông thôn mới").bold = True
    for line in ["(Nhạc hiệu)", "PTV: Kính thưa quý vị, hôm nay nói về nông thôn mới.",
                 "PV: Năm 2023, toàn tỉnh có thêm 20 xã đạt chuẩn.", "PTV: Xin cảm ơn quý vị."]:
        document.add_paragraph(line)
    if sign_off == "paragraphs":
        document.add_paragraph("DUYỆT CỦA LÃNH ĐẠO                NGƯỜI VIẾT")
        document.add_paragraph("Nguyễn Văn A                      Trần Thị B")
    else:
        signatures = document.add_table(rows=2, cols=2)
        for cell, text in zip(signatures.rows[0].cells, ["DUYỆT CỦA LÃNH ĐẠO", "NGƯỜI VIẾT"]):
            cell.paragraphs[0].add_run(text).bold = True
        for cell, text in zip(signatures.rows[1].cells, ["Nguyễn Văn A", "Trần Thị B"]):
            cell.paragraphs[0].add_run(text)
    episode, err = _imported(production, tmp_path, "cong_van", document)
    script = production / "scripts" / "cong_van.md"
    assert episode.title == "Xây dựng nông thôn mới"
    assert [(p.speaker, p.text) for p in episode.paragraphs] == [
        ("PTV", "Kính thưa quý vị, hôm nay nói về nông thôn mới."),
        ("PV", "Năm 2023, toàn tỉnh có thêm 20 xã đạt chuẩn."), ("PTV", "Xin cảm ơn quý vị.")]
    assert not episode.headings and {s.label for s in episode.speakers} == {"PTV", "PV"}
    text = script.read_text(encoding="utf-8")
    for kept in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Nguyễn Văn A", "NGƯỜI VIẾT"):
        assert kept in text   # kept as notes
    assert "paragraph 1 was not classified" in err and "Nguyễn Văn A" in err


def test_words_like_a_letterhead_inside_the_script_are_read(production, tmp_path):
    """Only a line that is the motto, or says nothing but who signs, is left out: a
    chapter "TÁC GIẢ VÀ TÁC PHẨM" and a sentence about the Republic are the script's."""
    import docx

    document = docx.Document()
    document.add_paragraph("MC1: Kính thưa quý vị.")
    document.add_paragraph().add_run("TÁC GIẢ VÀ TÁC PHẨM").bold = True
    document.add_paragraph("Cộng hòa xã hội chủ nghĩa Việt Nam đã đạt nhiều thành tựu.")
    document.add_paragraph("MC2: Xin cảm ơn.")
    episode, err = _imported(production, tmp_path, "doc_tiep", document)
    assert [h.title for h in episode.headings] == ["TÁC GIẢ VÀ TÁC PHẨM"]
    assert [(p.speaker, p.text) for p in episode.paragraphs] == [
        ("MC1", "Kính thưa quý vị."),
        ("MC1", "Cộng hòa xã hội chủ nghĩa Việt Nam đã đạt nhiều thành tựu."),
        ("MC2", "Xin cảm ơn.")]


def test_imported_script_checks_and_builds(production, tmp_path, episode1):
    """A short excerpt (the opening chapter) imported from TCVN3 passes check and builds:
    the stage directions are pending cues, heard as silence and counted as placeholders."""
    from dataclasses import replace

    heading_two = [i for i, item in enumerate(episode1.items) if item in episode1.headings][1]
    excerpt = replace(episode1, items=episode1.items[:heading_two])
    document = tmp_path / "mo_dau.docx"
    write_paragraphs(excerpt, document, "tcvn3")
    assert _import(production, document)[0] == 0
    code, out, err = run_radio(["check", "mo_dau"], cwd=production)
    assert code == 0, err
    assert err.count("awaits its recording") == 3   # ident, intro, transition
    code, out, err = run_radio(["build", "mo_dau", "--offline"], cwd=production)
    assert code == 0, err
    report_path = production / "output" / "mo_dau" / "mo_dau.json"
    report = json.loads(report_path.read_text())
    pending = [s for s in report["segments"] if s["kind"] == "pending"]
    assert [s["end_ms"] - s["start_ms"] for s in pending] == [3000, 3000, 3000]
    assert report["pending_cues"] == 3
    assert report["placeholders"] == 3 + report["paragraphs"]["synth"]
    speech = [s for s in report["segments"] if s["kind"] == "speech"]
    assert [s["text"] for s in speech] == [p.text for p in excerpt.paragraphs]
    # the disc made from it is a draft, and its notes say why
    from radio.config import load
    from radio.disc.plan import plan_disc
    from radio.disc.texts import readme_text
    from radio.commands.disc import disc_spec
    from radio.targets.report import Report

    spec = disc_spec(load(production), [Report.load(report_path)], "loudspeaker")
    assert spec.items[0].pending_cues == 3 and spec.draft
    plan = plan_disc(spec)
    assert plan.draft and plan.label.endswith("_NHAP")
    assert "còn 3 chỉ dẫn âm thanh chờ bản ghi" in readme_text(spec, plan, "1")


@pytest.mark.parametrize("target, encoding", [("odt", "vni"), ("doc:MS Word 97", "tcvn3")])
def test_odt_and_doc_made_by_soffice_import_the_same(production, tmp_path, episode1, target,
                                                     encoding):
    """LibreOffice saves the document as .odt (or a legacy .doc: TCVN3's "ư" goes through
    as a soft hyphen); the import converts it back to .docx with its own soffice profile
    and gets the same script."""
    require_tool("soffice")
    document = tmp_path / "vni.docx"
    write_paragraphs(episode1, document, encoding)
    subprocess.run([shutil.which("soffice"), "--headless",
                    f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--convert-to",
                    target, "--outdir", str(tmp_path / "out"), str(document)],
                   check=True, capture_output=True, timeout=180)
    converted = tmp_path / "out" / f"vni.{target[:3]}"
    assert converted.is_file()
    code, out, err = _import(production, converted, "--episode", "tu_lo")
    assert code == 0, err
    imported = parse_file(production / "scripts" / "tu_lo.md", "x")
    assert_same_script(imported, episode1)


def test_an_odt_saved_from_a_web_page(production, tmp_path):
    """A page from the portal opened in LibreOffice and saved as .odt is a "text-web"
    document, which LibreOffice has no default .docx export for: it imports all the same,
    with its bold labels, table and italic directions."""
    require_tool("soffice")
    page = tmp_path / "trang.html"
    page.write_text(
        '<html><head><meta charset="utf-8"></head><body><p><b>Chủ đề: Mùa cam</b></p>'
        "<p><i>Nhạc hiệu</i></p><p><b>PTV:</b> Kính thưa quý vị, mùa cam đã đến.</p>"
        '<table border="1"><tr><td>PV</td><td>Thưa ông, cam năm nay thế nào?</td></tr></table>'
        "<p><i>Tiếng vỗ tay</i></p><p><b>PTV:</b> Xin cảm ơn quý vị.</p></body></html>",
        encoding="utf-8")
    subprocess.run([shutil.which("soffice"), "--headless",
                    f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--convert-to",
                    "odt:writer8", "--outdir", str(tmp_path / "out"), str(page)],
                   check=True, capture_output=True, timeout=180)
    converted = tmp_path / "out" / "trang.odt"
    assert b"text-web" in converted.read_bytes()[:100]
    episode, err = _imported_file(production, converted)
    assert episode.title == "Mùa cam"
    assert [(p.speaker, p.text) for p in episode.paragraphs] == [
        ("PTV", "Kính thưa quý vị, mùa cam đã đến."), ("PV", "Thưa ông, cam năm nay thế nào?"),
        ("PTV", "Xin cảm ơn quý vị.")]
    assert [(p.kind, p.label) for p in episode.pending] == [
        ("jingle", "Nhạc hiệu"), ("clip", "Tiếng vỗ tay")]


@pytest.mark.parametrize("name, data, reason", [
    ("hong.docx", b"PK\x03\x04" + b"\x00" * 40, "damaged"),
    ("anh.docx", None, "only images"),
    ("rong.docx", "empty", "empty"),
    ("0_byte.docx", b"", "the document is empty"),   # a copy from a USB stick that failed
    ("0_byte.odt", b"\x00" * 4096, "the document is empty"),
    ("khoa.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500
     + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 500, "password"),
    ("anh.png.docx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "not a Word document"),
    ("nhac.mp3", b"ID3\x03\x00" + b"\x00" * 100, "reads .docx"),
    ("nhi_phan.txt", bytes(range(256)) * 4, "not a text document"),
])
def test_bad_input_exits_2_and_writes_nothing(production, tmp_path, name, data, reason):
    import docx

    path = tmp_path / name
    if data is None:   # a picture and no text: a scan
        document = docx.Document()
        png = tmp_path / "scan.png"
        _tiny_png(png)
        document.add_picture(str(png))
        document.save(str(path))
    elif data == "empty":
        docx.Document().save(str(path))
    else:
        path.write_bytes(data)
    before = sorted(p.name for p in (production / "scripts").iterdir())
    code, out, err = _import(production, path)
    assert code == 2
    assert reason in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in (production / "scripts").iterdir()) == before


def _tiny_png(path: Path) -> None:
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"\x00\xff\x00\x00" * 1
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2,
                                                                      0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_a_text_file_in_viqr(production, tmp_path):
    """VIQR ("Vie^.t Nam", from old e-mail and web pages) is read as Vietnamese."""
    from radio.script.legacy import encode_viqr

    (tmp_path / "viqr.txt").write_bytes(encode_viqr(
        "MC1: Kính thưa quý vị, hôm nay chúng ta nói về cây cam ở Hà Tĩnh.\n\n"
        "MC2: Người trồng cam được mùa, đời sống bà con ổn định.\n"))
    code, out, err = _import(production, tmp_path / "viqr.txt")
    assert code == 0, err
    assert "converted from VIQR" in out
    episode = parse_file(production / "scripts" / "viqr.md", "x")
    assert [(p.speaker, p.text) for p in episode.paragraphs] == [
        ("MC1", "Kính thưa quý vị, hôm nay chúng ta nói về cây cam ở Hà Tĩnh."),
        ("MC2", "Người trồng cam được mùa, đời sống bà con ổn định.")]


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "cp1258"])
def test_text_files_in_legacy_encodings(production, tmp_path, episode1, encoding):
    from radio.script.legacy import encode_cp1258, encode_tcvn3, encode_vni

    lines = []
    for item in episode1.items[:12]:
        if isinstance(item, Paragraph):
            lines.append(f"{item.speaker}: {item.text}")
        elif not hasattr(item, "title"):
            lines.append(direction(item))
    text = "\r\n".join(lines)
    if encoding == "tcvn3":   # plain TCVN3 text has no capitals with tones
        text = text.replace("Đây", "Đây")
        assert not any(ch in text for ch in "ÀÁẢÃẠ")
    encode = {"tcvn3": encode_tcvn3, "vni": encode_vni, "cp1258": encode_cp1258}[encoding]
    path = tmp_path / "kich_ban.txt"
    path.write_bytes(encode(text))
    code, out, err = _import(production, path)
    assert code == 0, err
    imported = parse_file(production / "scripts" / "kich_ban.md", "x")
    original = [i.text for i in episode1.items[:12] if isinstance(i, Paragraph)]
    assert [p.text for p in imported.paragraphs] == original
    assert "converted from" in out


# ------------------------------------------------------------ the conversion tables

GRAVE, HOOK, TILDE, ACUTE, DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
TONES = (GRAVE, HOOK, TILDE, ACUTE, DOT)   # TCVN3's order in every row of its chart
# TCVN 5712:1993 (VN3), typed from the published chart: the letter without a tone,
# then with à ả ã á ạ.  None: the bare letter is ASCII.
TCVN3_CHART = {
    "a": (None, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9), "ă": (0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB), "e": (None, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6), "i": (None, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (None, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4), "ô": (0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE), "u": (None, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9), "y": (None, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
TCVN3_CAPITALS = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
                  "đ": 0xAE}
# VNI-Windows, from its chart: a base letter and a mark byte (Latin-1 as shown).
VNI_TONE = {GRAVE: 0xF8, HOOK: 0xFB, TILDE: 0xF5, ACUTE: 0xF9, DOT: 0xEF}
VNI_CIRCUMFLEX = {"": 0xE2, GRAVE: 0xE0, HOOK: 0xE5, TILDE: 0xE3, ACUTE: 0xE1, DOT: 0xE4}
VNI_BREVE = {"": 0xEA, GRAVE: 0xE8, HOOK: 0xFA, TILDE: 0xFC, ACUTE: 0xE9, DOT: 0xEB}
VNI_SINGLE = {"ơ": 0xF4, "ư": 0xF6, "đ": 0xF1, "í": 0xED, "ì": 0xEC, "ỉ": 0xE6, "ĩ": 0xF3,
              "ị": 0xF2, "ỵ": 0xEE}


def _letter(base: str, tone: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", base) + tone)


def _vni_reference(letter: str) -> bytes:
    """The VNI bytes of a lowercase letter, from the chart above."""
    if letter in VNI_SINGLE:
        return bytes([VNI_SINGLE[letter]])
    parts = unicodedata.normalize("NFD", letter)
    base, marks = parts[0], parts[1:]
    tone = next((m for m in marks if m in TONES), "")
    if "\u031b" in marks:   # ơ, ư with a tone
        return bytes([VNI_SINGLE[_letter(base, "\u031b")], VNI_TONE[tone]])
    if "\u0302" in marks:
        return bytes([ord(base), VNI_CIRCUMFLEX[tone]])
    if "\u0306" in marks:
        return bytes([ord(base), VNI_BREVE[tone]])
    return bytes([ord(base), VNI_TONE[tone]]) if tone else base.encode()


def all_letters() -> list[str]:
    letters = ["đ"]
    for base in TCVN3_CHART:
        letters += [base] + [_letter(base, tone) for tone in TONES]
    return letters


def test_every_letter_has_its_tcvn3_code_and_comes_back():
    from radio.script.legacy import decode_font_text, decode_tcvn3, encode_tcvn3

    assert len(all_letters()) == 12 * 6 + 1
    for base, codes in TCVN3_CHART.items():
        for tone, code in zip(("",) + TONES, codes):
            letter = _letter(base, tone)
            expected = bytes([code]) if code else letter.encode()
            assert encode_tcvn3(letter) == expected, letter
            assert decode_tcvn3(expected) == letter
            # the same code in an H font (.VnTimeH) is the capital
            assert decode_font_text(expected.decode("cp1252"), "tcvn3", capitals=True) == \
                letter.upper()
    for letter, code in TCVN3_CAPITALS.items():
        assert decode_tcvn3(bytes([code])) == letter and encode_tcvn3(letter) == bytes([code])


def test_every_letter_has_its_vni_bytes_and_comes_back():
    from radio.script.legacy import decode_vni, encode_vni

    for letter in all_letters():
        for shape in (letter, letter.upper()):
            reference = _vni_reference(letter)
            if shape.isupper():
                reference = reference.decode("cp1252").upper().encode("cp1252")
            assert encode_vni(shape) == reference, shape
            assert decode_vni(reference) == shape, shape


def test_the_widely_quoted_samples():
    from radio.script.legacy import decode_font_text, font_encoding

    assert decode_font_text("TiÕng ViÖt", "tcvn3") == "Tiếng Việt"
    assert decode_font_text("Tieáng Vieät", "vni") == "Tiếng Việt"
    assert decode_font_text("tiÕng viÖt", *font_encoding(".VnTimeH")) == "TIẾNG VIỆT"
    assert decode_font_text("TIEÁNG VIEÄT", "vni") == "TIẾNG VIỆT"
    assert decode_font_text("®\xada", "tcvn3") == "đưa"   # 0xAD, the soft hyphen, is ư
    assert [font_encoding(f) for f in (".VnTime", ".VnArialH", "VNI-Helve", "Times New Roman",
                                       None)] == \
        [("tcvn3", False), ("tcvn3", True), ("vni", False), (None, False), (None, False)]


def test_soft_hyphen_is_u_horn_only_in_tcvn3_runs(tmp_path):
    """python-docx's Run.text drops <w:softHyphen/>: the reader keeps it as TCVN3's ư,
    and drops it (an optional hyphen) in a Unicode run."""
    import docx
    from docx.oxml.ns import qn

    from radio.script.docx_reader import read_docx

    document = docx.Document()
    paragraph = document.add_paragraph()
    for font, texts in ((".VnTime", ["®", None, "a"]), ("Arial", [" tin", None, "tức"])):
        run = paragraph.add_run()
        run.font.name = font
        for text in texts:
            if text is None:
                run._r.append(run._r.makeelement(qn("w:softHyphen"), {}))
            else:
                element = run._r.makeelement(qn("w:t"), {})
                element.text = text
                run._r.append(element)
    assert paragraph.text == "®a tintức"   # what python-docx alone reads
    document.save(str(tmp_path / "x.docx"))
    read = read_docx(tmp_path / "x.docx", "x.docx")
    assert read.blocks[0].text == "đưa tintức"


def test_pending_cue_grammar():
    from radio.errors import ProblemsError
    from radio.script import parse_text

    head = '---\ntitle: "T"\nspeakers:\n  MC1: {voice: vi}\n---\n'
    episode = parse_text(head + "[nhạc hiệu: jingles/intro.ogg | chờ=có]\n"
                                "[băng | pending=yes | length=12s | label=Ông A]\n"
                                "[nhạc nền | chờ=có | dài=1,5s | tên=Nhạc nền]\n"
                                "[nhạc hiệu: jingles/x.ogg | chờ=không]\nMC1: Chào.\n", "t", "t.md")
    assert [(p.kind, p.path, p.duration_ms, p.label) for p in episode.pending] == [
        ("jingle", "jingles/intro.ogg", 3000, ""), ("clip", None, 12000, "Ông A"),
        ("bed", None, 1500, "Nhạc nền")]
    assert [type(i).__name__ for i in episode.items][-2:] == ["Jingle", "Paragraph"]
    for bad, says in (("[dừng: 1s | chờ=có]", "takes no options"),
                      ("[nhạc hiệu: a.ogg | dài=3s]", "with chờ=có"),
                      ("[nhạc nền: tắt | chờ=có]", "needs no recording"),
                      ("[nhạc nền: music/a.ogg | tên=x]", "only for one awaiting"),
                      ("[băng | chờ=có | dài=11 phút]", "1 ms to 10 minutes"),
                      ("[băng: ../x.ogg | chờ=có]", "leaves audio_assets")):
        with pytest.raises(ProblemsError) as caught:
            parse_text(head + bad + "\nMC1: Chào.\n", "t", "t.md")
        assert says in str(caught.value) and "t.md:6:" in str(caught.value)


def test_check_says_when_a_pending_recording_has_arrived(production):
    from radio.pipeline.check import pending_warning
    from radio.config import load
    from radio.script import parse_text

    cue = next(p for p in (production / "audio_assets").rglob("*") if p.is_file())
    relative = cue.relative_to(production / "audio_assets").as_posix()
    episode = parse_text('---\ntitle: "T"\nspeakers:\n  MC1: {voice: vi}\n---\n'
                         f"[băng: {relative} | chờ=có]\n[băng: interviews/chua_co.ogg | chờ=có]\n"
                         "MC1: Chào.\n", "t", "scripts/t.md")
    arrived, missing = (pending_warning(load(production), episode, p) for p in episode.pending)
    assert arrived.severity == "warning" and f"audio_assets/{relative} is there now" in \
        str(arrived.hint)
    assert "put the recording in audio_assets/" in str(missing.hint)
    assert str(arrived).startswith("scripts/t.md:6: this cue awaits its recording: 3 s")
