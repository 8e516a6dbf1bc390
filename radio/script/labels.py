"""Speaker labels at the start of a paragraph (``MC1: Kính thưa…``).

A label is never read aloud.  What a line may start with:

- ``MC1: text`` — the label as declared in the front matter;
- ``MC1:text`` (no space after the colon), ``mc1: text`` (another case of
  one declared label) and ``**MC1:** text`` (in Markdown bold or italics) — the
  intent is unambiguous: taken as the label;
- ``MC 1:``, ``MC1 :``, ``MC1.``, ``MC1 -``, ``MC1：`` (a full-width or other
  look-alike colon), ``MC1 text`` (a declared capital label and no colon) —
  a declared label written another way: an error, "did you mean 'MC1:'?";
- ``MC3: text`` (or ``mc3:`` close to a declared one) — an undeclared speaker:
  an error that names the closest declared one;
- anything else — no label: the text is narration.

A paragraph without a label is read by the speaker of the paragraph before it
(``Paragraph.labelled`` is False, and ``radio check`` lists it); the first
paragraph needs one unless the front matter declares a single speaker.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Problem
from ..i18n import _, _l
from .values import closest

# ':' and the characters that look like it: full-width, small, vertical, ratio, modifier.
COLON_LIKE = "\uff1a\ufe55\ufe13\u2236\ua789\u02d0"
LABEL = re.compile(r"^(?P<label>[^\s:\[\]]{1,24}):(?P<space>\s*)(?P<text>.*)$")
LOOKS_LIKE_LABEL = re.compile(r"^[A-Z][A-Z0-9_]{0,11}\d*$")
SEPARATORS = ":" + COLON_LIKE + ".-–—"
EMPHASIZED = re.compile(r"^(?P<mark>\*{1,3}|_{1,3})(?P<label>[^*_:\[\]]{1,24}?)"
                        r"(?P<inside>:)?(?P=mark)(?P<after>:)?(?P<space>\s*)(?P<text>.*)$")
NO_SEPARATOR = re.compile(r"^(?P<head>\S{2,24})\s+(?P<text>\S.*)$")


@dataclass(frozen=True)
class Label:
    """What the start of a line says about its speaker."""

    speaker: str | None          # the declared label it names; None: no (usable) label
    text: str                    # the line without its label
    problem: Problem | None = None

    @property
    def found(self) -> bool:
        """The line starts with a label (taken, or refused with a problem)."""
        return self.speaker is not None or self.problem is not None


def _squeeze(text: str) -> str:
    return re.sub(r"[\s._\-]", "", text).casefold()


def read_label(line: str, speakers, number: int, path: str) -> Label:
    """The label at the start of *line* (speakers: the declared labels)."""
    plain = _without_emphasis(line)
    if plain != line and (label := read_label(plain, speakers, number, path)).found:
        return label
    declared = list(speakers)
    match = LABEL.match(line)
    if match:
        label = match.group("label")
        if label in declared:
            return Label(label, match.group("text"))
        same_case = [s for s in declared if s.casefold() == label.casefold()]
        if len(same_case) == 1:
            return Label(same_case[0], match.group("text"))
        if _undeclared(label, match.group("space"), declared):
            hint = closest(label, declared)
            return Label(None, match.group("text"), Problem(
                _l("speaker '{name}' is not declared in the front matter", name=label),
                path, number, _l("did you mean '{name}'?", name=hint) if hint else
                _l("add it under speakers: ({name}: {{voice: vi}})", name=label)))
    near = _near_miss(line, declared)
    if near:
        written, label, text = near
        return Label(None, text, Problem(
            _l("'{written}' is not how a speaker label is written: it would be read aloud",
               written=written), path, number,
            _l("did you mean '{label}:'? (the label as declared, then ':')", label=label)))
    return Label(None, line)


def _without_emphasis(line: str) -> str:
    """*line* with a label in Markdown bold or italics as a plain one: ``**MC1:** text``,
    ``**MC1**: text``, ``*MC1:* text`` and ``__MC1:__ text`` are ``MC1: text``, as
    Word writers set the speaker in bold."""
    match = EMPHASIZED.match(line)
    if not match or not (match.group("inside") or match.group("after")):
        return line
    return f"{match.group('label').lstrip()}:{match.group('space')}{match.group('text')}"


def _undeclared(label: str, space: str, declared: list[str]) -> bool:
    """'MC3: ' or 'mc3:' close to a declared label: a speaker that is not declared."""
    if LOOKS_LIKE_LABEL.match(label) and (space or closest(label, declared)):
        return True
    return bool(LOOKS_LIKE_LABEL.match(label.upper()) and closest(label, declared))


def _near_miss(line: str, declared: list[str]) -> tuple[str, str, str] | None:
    """(as written, the declared label it stands for, the rest) or None."""
    by_squeeze = {_squeeze(s): s for s in declared}
    for pos, sep in enumerate(line[:26]):
        if pos == 0 or sep not in SEPARATORS or not (label := by_squeeze.get(_squeeze(line[:pos]))):
            continue
        head = line[:pos].strip()
        # A full stop or a dash after a word is ordinary prose unless the word is written
        # exactly like a capital label ('MC2.' but not 'Lan.').
        if sep == ":" or sep in COLON_LIKE or (head in declared and LOOKS_LIKE_LABEL.match(head)):
            return line[:pos + 1].strip(), label, line[pos + 1:].strip()
    match = NO_SEPARATOR.match(line)
    if match and match.group("head") in declared and LOOKS_LIKE_LABEL.match(match.group("head")):
        return match.group("head"), match.group("head"), match.group("text")
    return None


def continued_paragraphs(episode) -> list[str]:
    """What `radio check` says about each paragraph that has no label of its own."""
    return [_("{path}:{line}: no speaker label: {speaker} goes on reading, as in the "
              "paragraph before", path=episode.path, line=p.line, speaker=p.speaker)
            for p in episode.paragraphs if not p.labelled]
