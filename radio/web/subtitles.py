"""WebVTT and SRT transcripts from sentence timings.

One cue per sentence where it fits: at most 7 s and two lines of about 42
characters (the usual caption guidance); a longer sentence is cut at word
boundaries into balanced pieces, after a comma where one is near, timed in
proportion to their length.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .timings import Sentence

MAX_CUE_MS = 7000
MAX_LINE = 42
MAX_LINES = 2


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    speaker: str
    lines: tuple[str, ...]


def wrap(words: list[str], width: int = MAX_LINE) -> list[str]:
    """One line when it fits, else the most even two lines of at most *width*
    characters, else lines filled greedily (a word longer than *width* stands alone)."""
    text = " ".join(words)
    if len(text) <= width or len(words) < 2:
        return [text]
    pairs = [(" ".join(words[:cut]), " ".join(words[cut:])) for cut in range(1, len(words))]
    fitting = [p for p in pairs if max(map(len, p)) <= width]
    if fitting:
        return list(min(fitting, key=lambda p: abs(len(p[0]) - len(p[1]))))
    lines = [words[0]]
    for word in words[1:]:
        if len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


GLUE = "\u2060"   # marks the piece of a long word that goes on without a space
BREAK_AFTER = "/.-_?&=#"


def _split_word(word: str, width: int = MAX_LINE - 1) -> list[str]:
    """A word longer than a line (a web address) in pieces of at most *width*
    characters, each cut after a '/' or '.' where one is far enough along; the pieces
    after the first carry GLUE, so they are written back without a space."""
    if len(word) <= MAX_LINE:
        return [word]
    pieces = []
    while len(word) > width:
        cut = max(word.rfind(mark, 0, width) for mark in BREAK_AFTER) + 1
        if cut < width // 3:
            cut = width
        pieces.append(word[:cut])
        word = word[cut:]
    pieces.append(word)
    return [pieces[0], *(GLUE + piece for piece in pieces[1:])]


def _tokens(text: str) -> list[str]:
    return [piece for word in text.split() for piece in _split_word(word)]


def _written(line: str) -> str:
    """A line as shown: the pieces of a long word joined again."""
    return line.replace(" " + GLUE, "").replace(GLUE, "")


PAUSE_MARKS = (",", ";", ":", "–", "—")
PAUSE_BONUS = 12   # characters a cut may move to fall after a comma instead


def _pieces(words: list[str], count: int) -> list[list[str]]:
    """*words* cut into *count* runs of about equal length in characters, each cut
    moved to just after a comma or colon nearby where there is one."""
    ends, used = [], 0
    for word in words:
        used += len(word) + 1
        ends.append(used)    # characters up to the end of this word
    total = ends[-1]
    cuts, previous = [], 0
    for k in range(1, count):
        target = total * k / count
        lowest = previous + 1
        highest = len(words) - (count - k)
        if lowest > highest:
            break
        best = min(range(lowest, highest + 1),
                   key=lambda cut: abs(ends[cut - 1] - target)
                   - (PAUSE_BONUS if words[cut - 1].endswith(PAUSE_MARKS) else 0))
        cuts.append(best)
        previous = best
    bounds = [0, *cuts, len(words)]
    return [words[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


def _fits(pieces: list[list[str]], duration_ms: int) -> bool:
    total = sum(len(" ".join(p)) for p in pieces)
    return all(len(wrap(p)) <= MAX_LINES
               and len(" ".join(p)) / total * duration_ms <= MAX_CUE_MS for p in pieces)


def sentence_cues(sentence: Sentence) -> list[Cue]:
    words = _tokens(sentence.text)
    if not words:
        return []
    duration = sentence.end_ms - sentence.start_ms
    count = max(1, math.ceil(duration / MAX_CUE_MS))
    while True:
        pieces = _pieces(words, min(count, len(words)))
        if count >= len(words) or _fits(pieces, duration):
            break
        count += 1
    total = sum(len(" ".join(p)) for p in pieces)
    cues, before = [], 0
    for piece in pieces:
        length = len(" ".join(piece))
        start = sentence.start_ms + round(before / total * duration)
        before += length
        end = sentence.start_ms + round(before / total * duration)
        cues.append(Cue(start, end, sentence.speaker, tuple(_written(l) for l in wrap(piece))))
    return cues


def all_cues(sentences: tuple[Sentence, ...], duration_ms: int) -> list[Cue]:
    cues = [c for s in sentences for c in sentence_cues(s)]
    fixed = []
    for index, cue in enumerate(cues):
        end = min(cue.end_ms, duration_ms)
        if index + 1 < len(cues):
            end = min(end, cues[index + 1].start_ms)
        if end > cue.start_ms:
            fixed.append(Cue(cue.start_ms, end, cue.speaker, cue.lines))
    return fixed


def _stamp(ms: int, separator: str) -> str:
    seconds, ms = divmod(int(ms), 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{ms:03d}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webvtt(cues: list[Cue]) -> str:
    out = ["WEBVTT", ""]
    for index, cue in enumerate(cues, 1):
        voice = _escape(cue.speaker).replace(">", "")
        body = "\n".join(_escape(line) for line in cue.lines)
        out += [str(index), f"{_stamp(cue.start_ms, '.')} --> {_stamp(cue.end_ms, '.')}",
                f"<v {voice}>{body}" if voice else body, ""]
    return "\n".join(out)


def srt(cues: list[Cue]) -> str:
    out = []
    for index, cue in enumerate(cues, 1):
        out += [str(index), f"{_stamp(cue.start_ms, ',')} --> {_stamp(cue.end_ms, ',')}",
                *cue.lines, ""]
    return "\n".join(out)
