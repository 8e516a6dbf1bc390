"""Script text -> Episode.  Collects every problem, then raises them together."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import Problem, raise_if_errors
from ..i18n import _l, msgid
from ..textfold import readable
from . import frontmatter
from .cues import cue_inside, cue_line, parse_cue
from .labels import read_label
from .model import Episode, Heading, Paragraph
from .unclosed import unclosed

HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*$")
# '#Kết thúc': a heading without the space Markdown needs after '#' (read aloud otherwise).
UNSPACED_HEADING = re.compile(r"^(#{1,3})(?=[^\W\d_])(.+)$")
PIN = re.compile(r"\s*\{#(p\d{3,4})\}\s*$")
COMMENT = re.compile(r"<!--.*?-->", re.S)
# Consequences of a front matter that could not be read, not worth repeating per paragraph.
_SPEAKER_PROBLEMS = ("speaker '", "this paragraph has no speaker")


def parse_file(path: Path, shown_as: str | None = None) -> Episode:
    from ..fsio import read_input
    from .encoding import decode_script

    shown = shown_as or str(path)
    raw = read_input(path, shown, "script")

    # The episode's name in NFC, whatever the file system keeps (a Mac's NFD).
    return parse_text(decode_script(raw, shown), unicodedata.normalize("NFC", path.stem), shown)


def _blank_comments(text: str) -> str:
    """Remove <!-- comments --> but keep their newlines, so line numbers hold."""
    return COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def parse_text(text: str, name: str, path: str) -> Episode:
    # Invisible characters pasted from Word or the web (a zero-width space before 'MC2:'
    # would hide the label, which would then be read aloud) are dropped.
    text = readable(text.replace("\r\n", "\n").replace("\r", "\n"))
    problems: list[Problem] = []
    if not text.strip(" \t\n\ufeff"):
        raise_if_errors([Problem(_l("the script is empty"), path, 1,
                                 _l("write its front matter and paragraphs; `radio init` makes "
                                    "an example (or the file was not saved)"))])
    if missing := unclosed(text, path, frontmatter.EPISODE_KEYS):   # no closing '---'
        raise_if_errors([missing])
    front, front_line, body, body_line = frontmatter.split(text)
    fields = frontmatter.parse(front, front_line, path, problems)
    speakers = {s.label: s for s in fields.get("speakers", ())}
    unread = "speakers" not in fields and bool(problems)   # the front matter failed
    found: list[Problem] = []
    items = _body(_blank_comments(body), body_line, speakers, path, found)
    problems += [p for p in found if not (unread and msgid(p.message).startswith(_SPEAKER_PROBLEMS))]
    if not any(isinstance(i, Paragraph) for i in items) and not problems:
        problems.append(Problem(_l("the script has no narration"), path, body_line,
                                _l("write paragraphs like 'MC1: Kính thưa quý vị...'")))
    raise_if_errors(problems)
    fields.setdefault("number", 1)
    return Episode(name=name, path=path, items=tuple(items), **fields)


def _body(body: str, first: int, speakers: dict, path: str, problems: list[Problem]) -> list:
    items: list = []
    para: list[str] = []
    para_line = para_end = 0
    para_speaker = ""
    para_labelled = True
    # A paragraph without a label goes on with the speaker before it; the first one
    # needs a label unless there is only one speaker.
    last_speaker = next(iter(speakers)) if len(speakers) == 1 else ""

    def close_paragraph():
        nonlocal para
        if para:
            text = " ".join(" ".join(para).split())
            pin = PIN.search(text)
            pinned = pin.group(1) if pin else ""
            text = PIN.sub("", text)
            if text:
                items.append(Paragraph(para_line, para_speaker, text, pinned, para_end,
                                       para_labelled))
        para = []

    for offset, raw in enumerate(body.split("\n")):
        number = first + offset
        line = raw.strip()
        if not line:
            close_paragraph()
            continue
        cue = cue_line(line)
        heading = HEADING.match(line)
        if cue or heading:
            close_paragraph()
            if cue:
                item = parse_cue(cue.group("body"), number, path, problems)
            else:
                item = Heading(number, heading.group(2).strip(), len(heading.group(1)))
            if item is not None:
                items.append(item)
            continue
        if unspaced := UNSPACED_HEADING.match(line):
            close_paragraph()
            problems.append(Problem(_l("'{line}' would be read aloud: a heading needs a space "
                                       "after '#'", line=line), path, number,
                                    _l("did you mean '{name}'?", name=(
                                        f"{unspaced.group(1)} {unspaced.group(2)}"))))
            continue
        if line.startswith("[") and not para:
            problems.append(Problem(_l("a cue must be one line in square brackets"), path,
                                    number, _l("close it with ']' on the same line")))
            continue
        label = read_label(line, speakers, number, path)
        if para and label.found:   # 'MC2: ...' inside a paragraph starts a new one
            close_paragraph()
        if label.problem:
            problems.append(label.problem)
        if inside := cue_inside(label.text):
            problems.append(Problem(_l("the cue {cue} is inside a paragraph: it would be read "
                                       "aloud", cue=inside), path, number,
                                    _l("put it on a line of its own, before or after the "
                                       "paragraph")))
        if not para:
            para_line = number
            para_labelled = label.found
            if label.speaker:
                last_speaker = label.speaker
            elif not label.found and not last_speaker:
                problems.append(_no_speaker(speakers, number, path))
            para_speaker = last_speaker
            line = label.text
        para.append(line)
        para_end = number
    close_paragraph()
    return items


def _no_speaker(speakers: dict, number: int, path: str) -> Problem:
    if not speakers:
        return Problem(_l("this paragraph has no speaker"), path, number,
                       _l("declare speakers in the front matter and start with 'MC1: '"))
    return Problem(_l("this paragraph has no speaker label, and no paragraph before it has one"),
                   path, number, _l("start it with '{name}: ' (a paragraph without a label is "
                                    "read by the speaker of the paragraph before it)",
                                    name=next(iter(speakers))))
