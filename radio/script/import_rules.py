"""How journalists write a radio script in Word: speaker labels, stage directions.

Pure text rules, shared by the importer: which line start is a speaker label
("MC1:", "MC 1:", "Dẫn 1:", "Người dẫn:", "PV:", "Phát thanh viên:", "Nam:"/"Nữ:",
"PV Thu Hà:"), which line is a stage direction ("(Nhạc hiệu)", "[Nhạc nền]",
"(Băng phỏng vấn: …)", "Nhạc chuyển") and which cue it becomes, and the label and
voice each speaker gets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .values import fold

# Speaker forms, matched on the folded text (lowercase, no accents).
_ROLE = (r"mc|dan|nguoi dan(?: chuong trinh)?|dan chuong trinh|dct|ndct|nd|loi dan|loi binh|"
         r"pv|phong vien|btv|bien tap vien|ptv|phat thanh vien|"
         r"nam|nu|giong(?: doc)?(?: nam| nu)?|doc|khach moi|km|nhan vat|nv|"
         r"nguoi doc|thuyet minh|tm|ong|ba|anh|chi")
_FOLDED_LABEL = re.compile(rf"^(?:{_ROLE})(?: (?:nam|nu))?\s*\d{{0,2}}$")
LABEL_SPLIT = re.compile(r"^\s*(?P<label>[^:\n]{1,40}?)\s*:\s*(?P<text>.*)$", re.S)
_SENTENCE_END = tuple(".!?…:;\"”’)»")


@dataclass(frozen=True)
class CueGuess:
    kind: str            # "jingle", "bed", "bed-off", "clip" or "pause"
    label: str           # the direction as written (for tên=)
    length_s: float | None = None


def is_role_label(label: str) -> bool:
    """A speaker label as scripts write it: a role ("PV", "Người dẫn 1"), a role and a
    name ("PV Thu Hà", "Ông Nguyễn Văn A": the name's words capitalised, up to four),
    or either with a note in brackets ("MC1 (nam)", "PV (Nguyễn Văn A)")."""
    if _FOLDED_LABEL.match(fold(label)):
        return True
    base = re.sub(r"\s*\([^()]*\)$", "", label).strip()
    if base and base != label:
        return is_role_label(base)
    words = base.split()
    for size in (4, 3, 2, 1):
        name = words[size:]
        if 1 <= len(name) <= 4 and _FOLDED_LABEL.match(fold(" ".join(words[:size]))) and \
                all(word[:1].isupper() for word in name):
            return True
    return False


def speaker_label(line: str, bold_prefix: str = "") -> tuple[str, str] | None:
    """(written label, the rest) when *line* starts with a speaker label."""
    match = LABEL_SPLIT.match(line)
    if not match:
        return None
    label, text = " ".join(match.group("label").split()), match.group("text").strip()
    if not text:
        return None
    if is_role_label(label):
        return label, text
    bold = " ".join(bold_prefix.split()).rstrip(":").strip()
    if bold and bold == label and len(label.split()) <= 6 and not label[0].isdigit():
        return label, text   # a bold name at the start: "Ông Nguyễn Văn A:"
    return None


def speaker_alone(line: str, bold_prefix: str = "") -> str | None:
    """The written label of a line that holds only a label ("MC1:", "Người dẫn 1:", or
    a name in bold: "Ông Nguyễn Văn A:"), the speaker's text following in the next
    paragraphs."""
    match = LABEL_SPLIT.match(line)
    if match and not match.group("text").strip():
        label = " ".join(match.group("label").split())
        if is_role_label(label):
            return label
        bold = " ".join(bold_prefix.split()).rstrip(":").strip()
        if bold == label and len(label.split()) <= 6 and not label[0].isdigit():
            return label
    return None


def bracketed(line: str) -> str | None:
    text = line.strip()
    if len(text) > 2 and ((text[0], text[-1]) in (("(", ")"), ("[", "]"))):
        inner = text[1:-1].strip()
        if "(" not in inner and "[" not in inner:
            return inner
    return None


_OFF = ("tat nhac", "nhac nen tat", "nhac nen nho dan", "het nhac", "ngat nhac",
        "nhac nen ra", "ket thuc nhac nen", "nhac nen ket thuc", "dung nhac")
_PAUSE = re.compile(r"^(?:dung|lang|khoang lang|ngung)\b(?:\D*(\d+(?:[.,]\d+)?)\s*(?:giay|s)\b)?")
_LENGTH = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:giay|s)\b")
_BARE = ("nhac hieu", "nhac chuyen", "nhac nen", "nhac cat", "tat nhac nen", "nhac dem")


def stage_direction(line: str, cell: bool = False) -> CueGuess | None:
    """The cue a stage direction stands for; bare lines only in their usual words,
    unless the line is a table's speaker cell (where any direction word counts)."""
    inner = bracketed(line)
    text = inner if inner is not None else line.strip()
    folded = " ".join(fold(text).replace(".", " ").split())
    if not folded:
        return None
    if inner is None and not cell and (not folded.startswith(_BARE) or
                                       len(folded.split()) > 6):
        return None
    label = " ".join(text.split()).rstrip(".")
    length = _LENGTH.search(folded)
    seconds = float(length.group(1).replace(",", ".")) if length else None
    if any(folded.startswith(w) or f" {w}" in folded for w in _OFF):
        return CueGuess("bed-off", label)
    if pause := _PAUSE.match(folded):
        return CueGuess("pause", label, float(pause.group(1).replace(",", "."))
                        if pause.group(1) else 1.0)
    if folded.startswith(("nhac nen", "nhac dem", "nen nhac")):
        return CueGuess("bed", label, seconds)
    if folded.startswith(("bang", "phong van", "tieng dong", "hieu ung", "am thanh",
                          "trich", "ghi am", "tieng")):
        about = label.split(":", 1)[1].strip() if ":" in label else label
        return CueGuess("clip", about, seconds)
    if folded.startswith(("nhac", "chuyen canh")):
        return CueGuess("jingle", label, seconds)
    return None


def continues(previous: str, line: str) -> bool:
    """Whether Word paragraph *line* reads as the rest of the sentence in *previous*
    (a hard return in mid-sentence) rather than a paragraph of its own."""
    prev = previous.rstrip()
    return bool(prev) and not prev.endswith(_SENTENCE_END) and line[:1].islower()


def is_caps_heading(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters) and len(line) <= 120


def is_bold_heading(line: str) -> bool:
    """Whether a line typed in bold reads as a heading ("Phần 1: Thực trạng", "Mở đầu"):
    short, and not a sentence (a heading ends without a full stop, a question or a colon)."""
    words = line.split()
    return 1 <= len(words) <= 12 and sum(ch.isalpha() for ch in line) >= 3 and \
        not line.rstrip().endswith((*_SENTENCE_END, ",", "-", "–"))


def label_for(written: str, taken: set[str]) -> str:
    """A label without spaces for a written speaker: 'MC 1' -> MC1, 'Nữ' -> NU,
    'Người dẫn 1' -> ND1, 'MC1 (nam)' -> MC1."""
    words = fold(re.sub(r"\s*\([^()]*\)$", "", written) or written).upper().split()
    digits = "".join(w for w in words if w.isdigit())
    names = [re.sub(r"[^A-Z0-9]", "", w) for w in words if not w.isdigit()]
    names = [w for w in names if w]
    if len(names) == 1:
        base = names[0] + digits
    else:
        base = "".join(w[0] for w in names) + digits
    base = base[:20] or "SPEAKER"
    label, n = base, 2
    while label in taken:
        label, n = f"{base}_{n}", n + 1
    return label


_MALE = ({"voice": "vi", "pitch": 35, "rate": 140},
         {"voice": "vi-vn-x-south", "variant": "m3", "pitch": 45, "rate": 145},
         {"voice": "vi-vn-x-central", "variant": "m2", "pitch": 40, "rate": 140},
         {"voice": "vi", "variant": "m5", "pitch": 30, "rate": 150})
_FEMALE = ({"voice": "vi-vn-x-central", "variant": "f2", "pitch": 75, "rate": 145},
           {"voice": "vi", "variant": "f3", "pitch": 70, "rate": 140},
           {"voice": "vi-vn-x-south", "variant": "f4", "pitch": 65, "rate": 145},
           {"voice": "vi-vn-x-central", "variant": "f1", "pitch": 80, "rate": 140})


def _gender(written: str) -> str | None:
    words = set(re.findall(r"[a-z]+", fold(written)))   # "MC1 (nữ)" too
    if words & {"nu", "chi", "ba", "co"}:
        return "f"
    if words & {"nam", "ong", "anh", "chu"}:
        return "m"
    return None


def voices_for(speakers: list[str]) -> list[dict]:
    """Distinct default voices, by the gender a label says, else alternating."""
    used = {"m": 0, "f": 0}
    out = []
    for index, written in enumerate(speakers):
        gender = _gender(written) or ("m" if index % 2 == 0 else "f")
        palette = _MALE if gender == "m" else _FEMALE
        turn, slot = divmod(used[gender], len(palette))
        voice = dict(palette[slot])
        voice["pitch"] = max(0, min(100, voice["pitch"] + 8 * turn * (-1 if gender == "m" else 1)))
        used[gender] += 1
        out.append(voice)
    return out
