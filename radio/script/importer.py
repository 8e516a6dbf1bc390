"""A script written in Word (or plain text) -> our script format (Markdown).

Input: the lines of the document in reading order, each with its paragraph
number, whether it starts bold, and its Word heading level; a two-column table
(speaker | text) gives each line its speaker cell; a table of figures (years,
quantities, amounts) gives no speakers: its rows are left unclassified, for the
producer to read through.  Output: the Markdown text
and what was recognised (speakers, chapters, cues, lines left unclassified).
Stage directions become cues; a recording the document only names becomes a
pending cue (``chờ=có``) that the producer resolves later.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field

from . import import_rules as rules
from .docx_reader import Para, Table, WordDocument
from .values import fold

CUE_WORDS = {"jingle": "nhạc hiệu", "bed": "nhạc nền", "clip": "băng"}
_HEADER_WORDS = {"nhan vat", "nguoi doc", "nguoi noi", "vai", "giong doc", "speaker", "noi dung",
                 "loi", "loi dan", "loi doc", "text", "stt", "tt", "ghi chu", "am thanh"}


@dataclass(frozen=True)
class Line:
    number: int                 # paragraph number in the document
    text: str
    bold_prefix: str = ""
    all_bold: bool = False
    heading: int | None = None
    style: str = ""
    speaker_cell: str | None = None   # from a two-column table: None outside tables
    figures: bool = False             # kept as written, not read: a row of a table of
                                      # figures (its cells joined by |), a text box
    italic: bool = False              # all in italics: how many write stage directions


@dataclass(frozen=True)
class Imported:
    markdown: str
    title: str
    speakers: tuple[tuple[str, str, int], ...]   # (label, as written, paragraphs)
    chapters: tuple[str, ...]
    cues: tuple[tuple[int, str, str], ...]       # (paragraph number, cue kind, label)
    unclassified: tuple[tuple[int, str], ...]    # (paragraph number, text)


def lines_of(document: WordDocument) -> list[Line]:
    out: list[Line] = []
    for block in document.blocks:
        if isinstance(block, Para) and block.boxed:   # a note in a text box: not read
            if text := " ".join(block.text.split()):
                out.append(Line(block.number, text, figures=True))
        elif isinstance(block, Para):
            out += _para_lines(block, None)
        else:
            out += _table_lines(block)
    return out


_TABBED = re.compile(r"^\s*([^\t:]{1,40}?)\s*\t+\s*(\S.*)$", re.S)


def _para_lines(para: Para, speaker_cell: str | None) -> list[Line]:
    lines = []
    for index, text in enumerate(para.text.split("\n")):
        tabbed = _TABBED.match(text)   # "PTV<Tab>Kính thưa...": the label set apart by a tab
        if tabbed and rules.is_role_label(" ".join(tabbed.group(1).split())):
            text = f"{tabbed.group(1)}: {tabbed.group(2)}"
        text = " ".join(text.replace("\t", " ").split())
        lines.append(Line(para.number, text, para.bold_prefix if index == 0 else "",
                          para.all_bold, para.heading, para.style,
                          speaker_cell if index == 0 else None, italic=para.all_italic))
    return lines


def _cell_text(cell: tuple[Para, ...]) -> str:
    return " ".join(" ".join(p.text.split()) for p in cell).strip()


_NUMBERING = re.compile(r"\d{1,3}\.?")   # "1", "12.": a numbered column (STT)
_LENGTH = re.compile(r"(?:khoang |~)?(?:(?:\d{1,2}:)?\d{1,2}:\d{2}"   # "0:45", "0:01:30"
                     r"|(?:\d+ ?(?:phut|p|')(?: ?\d+ ?(?:giay|s|\"|'')?)?"   # "1 phút 30", "1'30\""
                     r"|\d+(?:[.,]\d+)? ?(?:giay|s|\"|'')))")   # "30 giây", "45s"
_LENGTH_HEADERS = {"thoi luong", "thoi gian", "tg", "tl", "thoi luong (giay)", "duration", "time",
                   "thoi diem", "time code", "timecode"}
_FIGURE = re.compile(r"[\d.,]+\s*(?:\S+\s*){0,2}")   # "2024", "30.000 tấn", "35,5 tỷ đồng"


def _is_length(text: str) -> bool:
    folded = " ".join(fold(text).split())
    return not folded or bool(_LENGTH.fullmatch(folded))


def _rows(table: Table) -> list[list[tuple[Para, ...]]]:
    """The table's rows as their non-empty cells, without a numbered first column, a
    first column of times ("00:30") or a last column of lengths ("Thời lượng": "30 giây",
    "1'30\"")."""
    rows = [[c for c in row if c] for row in table.rows]
    numbered = [r for r in rows if len(r) >= 2]
    # A column of numbers alone is numbering: beside two columns, or down the whole table.
    every = numbered and all(_NUMBERING.fullmatch(_cell_text(r[0])) for r in numbered[1:])
    rows = [r[1:] if len(r) >= 2 and _NUMBERING.fullmatch(_cell_text(r[0])) and
            (len(r) >= 3 or every) else r for r in rows]
    timed = [r for r in rows if len(r) >= 2]   # "Thời gian | Nội dung": "00:30 | MC1: ..."
    if timed and all(_is_length(_cell_text(r[0])) for r in timed[1:]) and \
            any(_cell_text(r[0]) for r in timed[1:]) and \
            (_is_length(_cell_text(timed[0][0])) or
             fold(_cell_text(timed[0][0])).rstrip(":") in _LENGTH_HEADERS):
        if not _is_length(_cell_text(timed[0][0])):
            rows.remove(timed[0])   # the header row: "Thời gian | Nội dung"
        rows = [r[1:] if len(r) >= 2 else r for r in rows]
    wide = [r for r in rows if len(r) >= 3]
    if wide and all(_is_length(_cell_text(r[-1])) for r in wide[1:]) and \
            any(_cell_text(r[-1]) for r in wide[1:]) and \
            (_is_length(_cell_text(wide[0][-1])) or
             fold(_cell_text(wide[0][-1])).rstrip(":") in _LENGTH_HEADERS):
        rows = [r[:-1] if len(r) >= 3 else r for r in rows]
    return rows


def _is_figures(rows: list[list[tuple[Para, ...]]]) -> bool:
    """A table of figures (years, quantities, amounts), not of who says what: a
    speaker is not written as a number, and a line is not a number alone."""
    for row in rows[1:] if len(rows) > 1 else rows:   # the first may be a header
        if len(row) < 2:
            continue
        speaker, body = _cell_text(row[-2]), _cell_text(row[-1])
        if rules.stage_direction(speaker, cell=True):   # "Dừng | 2 giây"
            continue
        if speaker[:1].isdigit() or _FIGURE.fullmatch(body):
            return True
    return False


# The letterhead of an official document (the agency | the national motto, a table
# without borders), and the signatures that close it: no one reads them on the air.
_MOTTO = ("conghoaxahoichunghiavietnam", "doclaptudohanhphuc")
_MOTTOS = {*_MOTTO, "".join(_MOTTO)}
# "DUYỆT CỦA LÃNH ĐẠO      NGƯỜI VIẾT": the line says nothing but who signs
_SIGN_OFF = re.compile(r"(?:duyet|nguoi viet|nguoi thuc hien|bien tap|xac nhan|tac gia)")
_SIGN_OFF_WORDS = {"duyet", "cua", "lanh", "dao", "nguoi", "viet", "thuc", "hien", "bien", "tap",
                   "ban", "truong", "pho", "phong", "xac", "nhan", "tac", "gia", "ky", "ten",
                   "giam", "doc", "tong", "thu", "trinh", "va", "ghi", "ro", "ho"}
_TITLE_LINE = re.compile(r"^(?:ten )?(?:chu de|chuyen de|tieu de|ten chuong trinh|ten bai)"
                         r"\s*:\s*(?=\S)")


def _is_motto(text: str) -> bool:
    return re.sub(r"[^a-z]", "", fold(text)) in _MOTTOS


def _is_sign_off(text: str) -> bool:
    words = re.findall(r"[a-z]+", fold(text))
    return rules.is_caps_heading(text) and set(words) <= _SIGN_OFF_WORDS and \
        bool(_SIGN_OFF.search(" ".join(words)))


def _is_letterhead(rows: list[list[tuple[Para, ...]]]) -> bool:
    cells = [p.text for row in rows for cell in row for p in cell]
    first = [_cell_text(cell) for cell in rows[0]] if rows else []
    return any(_is_motto(text) for text in cells) or any(_is_sign_off(t) for t in first)


def _table_lines(table: Table) -> list[Line]:
    out: list[Line] = []
    rows = _rows(table)
    if _is_figures(rows) or _is_letterhead(rows):   # left for the producer to read through
        for row in rows:
            if row:
                out.append(Line(row[0][0].number, " | ".join(_cell_text(c) for c in row),
                                figures=True))
        return out
    for number, cells in enumerate(rows):
        if len(cells) < 2:
            for cell in cells:
                for para in cell:
                    out += _para_lines(para, None)
            continue
        speaker, body = _cell_text(cells[-2]), cells[-1]
        if number == 0 and {fold(speaker).rstrip(":"), fold(_cell_text(body))} & _HEADER_WORDS:
            continue   # a header row: "Nhân vật | Nội dung"
        if not _cell_text(body):
            out += [Line(cells[-2][0].number, speaker)] if speaker else []
            continue
        for index, para in enumerate(body):
            out += _para_lines(para, speaker if index == 0 else "")
    return out


@dataclass
class _State:
    items: list = field(default_factory=list)        # ("para", label, text) / ("raw", md)
    speakers: dict = field(default_factory=dict)     # folded written -> (label, written)
    counts: dict = field(default_factory=dict)
    chapters: list = field(default_factory=list)
    cues: list = field(default_factory=list)
    unclassified: list = field(default_factory=list)
    current: str = ""                                  # label of the last speaker
    title: str = ""
    title_from_caps: bool = False                      # the first line in capitals
    signed: bool = False                               # past the closing signatures
    italic_directions: bool = False                    # italics mark what is not read


def import_lines(lines: list[Line], title: str, number: int, source: str) -> Imported:
    state = _State(title=title)
    unlabelled = not any(_label_of(line) for line in lines)
    # unless the whole document is in italics, a line in italics is a stage direction
    state.italic_directions = not all(line.italic for line in lines if line.text)
    for line in lines:
        if line.text:
            _classify(state, line, unlabelled)
    title = state.title or source.rsplit(".", 1)[0]
    speakers = [(label, written, state.counts.get(label, 0))
                for label, written in state.speakers.values()]
    markdown = _markdown(state, title, number, source, speakers)
    return Imported(markdown, title, tuple(speakers), tuple(state.chapters), tuple(state.cues),
                    tuple(state.unclassified))


def _label_of(line: Line) -> tuple[str, str] | None:
    if line.speaker_cell:
        if rules.stage_direction(line.speaker_cell, cell=True) is None:
            return line.speaker_cell.rstrip(":").strip(), line.text
    return rules.speaker_label(line.text, line.bold_prefix)


def _classify(state: _State, line: Line, unlabelled: bool) -> None:
    text = line.text
    if line.figures:
        _unclassified(state, line)
        return
    if state.signed or _is_motto(text) or (_is_sign_off(text) and state.counts):
        state.signed = state.signed or not _is_motto(text)
        _unclassified(state, line)   # the letterhead, or the signatures at the end
        return
    # nothing before but notes (a letterhead, the date...): the title may come
    first = not state.chapters and all(item[0] == "raw" and item[1].startswith("<!--")
                                       for item in state.items)
    if line.style.lower() == "title" or (first and fold(text) == fold(state.title)):
        state.title = state.title or text
        return
    if first and not state.title and line.heading is None and rules.is_caps_heading(text):
        state.title, state.title_from_caps = text, True
        return
    if not state.counts and (title := _TITLE_LINE.match(fold(text))) and \
            (not state.title or state.title_from_caps):   # "Chủ đề: Nông thôn mới"
        state.title, state.title_from_caps = text[title.end():].strip(), False
        return
    if alone := rules.speaker_alone(text, line.bold_prefix):   # "MC1:" on its own line
        state.current = _speaker(state, alone)
        state.items.append(("turn",))            # what follows is a new paragraph
        return
    if line.heading or (line.all_bold and not rules.stage_direction(text) and (
            rules.is_caps_heading(text) or (line.speaker_cell is None and not _label_of(line)
                                            and rules.is_bold_heading(text)))):
        level = min(line.heading or 1, 3)
        state.items.append(("raw", f"{'#' * level} {text}"))
        state.chapters.append(text)
        return
    if line.speaker_cell and (cue := rules.stage_direction(line.speaker_cell, cell=True)) \
            and cue.kind != "clip" and (labelled := rules.speaker_label(text, line.bold_prefix)):
        # a row "Nhạc nền | MC1: ...": the sound column, then who speaks over it (a
        # recording's row "Băng | Ông A: ..." says what the recording says, and stays one)
        _add_cue(state, line, cue)
        written, body = labelled
        _paragraph(state, _speaker(state, written), body)
        return
    if line.speaker_cell and rules.stage_direction(line.speaker_cell, cell=True):
        # a table row "Băng phỏng vấn | ông A": the direction and what it says
        _add_cue(state, line, rules.stage_direction(f"{line.speaker_cell}: {text}", cell=True))
        return
    if cue := rules.stage_direction(text):
        _add_cue(state, line, cue)
        return
    labelled = _label_of(line)
    if line.italic and state.italic_directions and not labelled:
        if cue := rules.stage_direction(text, cell=True):   # "Tiếng vỗ tay", in italics
            _add_cue(state, line, cue)
        else:   # a direction for no cue we know, or the words of a recording
            _unclassified(state, line)
    elif rules.bracketed(text) is not None and not labelled:
        _unclassified(state, line)   # "(Cười)": a direction for no cue we know
    elif labelled:
        written, body = labelled
        _speech(state, line, _speaker(state, written), body)
    elif state.current:
        _speech(state, line, state.current, text, may_join=True)
    elif unlabelled:
        _speech(state, line, _speaker(state, "MC"), text)
    else:
        _unclassified(state, line)


_LEADING = re.compile(r"^\s*([(\[][^()\[\]]+[)\]])\s*(\S.*)$", re.S)
_TRAILING = re.compile(r"^(.*?\S)\s*([(\[][^()\[\]]+[)\]])\s*$", re.S)
# "(tiếng Anh)" beside a word is a language, not a sound
_LANGUAGE = re.compile(r"^\W*tieng (?:anh|viet|phap|trung|nga|nhat|han|duc|lao|khmer|thai|mong|"
                       r"dan toc|me de|dia phuong|nuoc ngoai)\b")


def _bracket_cue(bracket: str) -> rules.CueGuess | None:
    return None if _LANGUAGE.match(fold(bracket)) else rules.stage_direction(bracket)


def _speech(state: _State, line: Line, label: str, text: str, may_join: bool = False) -> None:
    """A speaker's paragraph; a stage direction in brackets at its start or its end
    ("MC1: (Nhạc nền lên) Kính thưa...", "... thính giả. (Nhạc chuyển)") is a cue of its
    own before or after it, not words to read."""
    before = after = None
    if (lead := _LEADING.match(text)) and (cue := _bracket_cue(lead.group(1))):
        before, text = cue, lead.group(2)
    if (trail := _TRAILING.match(text)) and (cue := _bracket_cue(trail.group(2))):
        after, text = cue, trail.group(1)
    if before:
        _add_cue(state, line, before)
        may_join = False
    _paragraph(state, label, text, may_join)
    if after:
        _add_cue(state, line, after)


def _unclassified(state: _State, line: Line) -> None:
    state.unclassified.append((line.number, line.text))
    state.items.append(("raw", "<!-- ¶{n}: {text} -->".format(
        n=line.number, text=line.text.replace("--", "- -"))))


def _speaker(state: _State, written: str) -> str:
    key = fold(written).replace(" ", "")
    if key not in state.speakers:
        taken = {label for label, _ in state.speakers.values()}
        state.speakers[key] = (rules.label_for(written, taken), written)
    return state.speakers[key][0]


# A bullet typed by hand (or a Symbol-font bullet Word kept as text): not to be read
# ("+" would be read "cộng"); numbers and letters ("1.", "a)") are words and stay.
_BULLET = re.compile(r"^[-+*•·–—●○■□▪◦►▸➢➤✓✔❖◆◇\uf0a7\uf0b7\uf0d8\uf0fc]+\s+")


def _paragraph(state: _State, label: str, text: str, may_join: bool = False) -> None:
    text = _BULLET.sub("", text) or text
    last = state.items[-1] if state.items else None
    if may_join and last and last[0] == "para" and last[1] == label and \
            rules.continues(last[2], text):
        state.items[-1] = ("para", label, f"{last[2]} {text}")
        return
    state.items.append(("para", label, text))
    state.counts[label] = state.counts.get(label, 0) + 1
    state.current = label


def _clean(text: str) -> str:
    return " ".join(text.replace("|", "/").replace("[", "(").replace("]", ")").split())


def _add_cue(state: _State, line: Line, cue: rules.CueGuess) -> None:
    state.cues.append((line.number, cue.kind, cue.label))
    if cue.kind == "bed-off":
        state.items.append(("raw", "[nhạc nền: tắt]"))
    elif cue.kind == "pause":
        state.items.append(("raw", f"[dừng: {cue.length_s:g}s]"))
    else:
        length = f" | dài={cue.length_s:g}s" if cue.length_s else ""
        state.items.append(("raw", f"[{CUE_WORDS[cue.kind]} | chờ=có{length} | "
                                   f"tên={_clean(cue.label)}]"))


def _markdown(state: _State, title: str, number: int, source: str, speakers) -> str:
    voices = rules.voices_for([written for _, written, _ in speakers])
    out = ["---", f"title: {_quote(title)}", f"number: {number}",
           "# sample: true    <- the producer decides (true for a sample production)",
           "speakers:"]
    for (label, written, _), voice in zip(speakers, voices):
        settings = ({"name": written} if written != label else {}) | voice
        inner = ", ".join(f"{k}: {_quote(v) if isinstance(v, str) else v}"
                          for k, v in settings.items())
        out.append(f"  {label}: {{{inner}}}")
    out += ["---", "<!-- imported from {source} by radio import: read it through -->".format(
        source=source.replace("--", "- -"))]
    previous = ""
    for item in state.items:
        kind = item[0]
        if kind == "turn":
            continue
        if kind == "para":
            out += ["", f"{item[1]}: {item[2]}"]
        elif item[1].startswith("#"):
            out += ["", item[1]]
        else:
            out += ([""] if previous == "para" else []) + [item[1]]
        previous = kind
    return unicodedata.normalize("NFC", "\n".join(out) + "\n")


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)
