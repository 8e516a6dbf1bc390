"""Stable paragraph ids (p001, p002, ...) that survive edits of the script.

What keeps them is ``takes/<episode>/ids.tsv`` in the production (committed
with the scripts, so a fresh clone sees the same ids): one row per paragraph
ever seen, in script order, then the retired ones::

    id    hash    speaker    prev    next    state    text

``hash`` is a hash of the speaker and the paragraph text (NFC, whitespace
collapsed); ``prev``/``next`` are the hashes of its neighbours; ``state`` is
``active`` or ``gone`` (a paragraph that was deleted keeps its number, so the
number is never given to another paragraph, and a restored paragraph gets it
back).

Assignment of the current paragraphs to known ids (``assign``):

1. ``{#p007}`` pins win.
2. Exact matches: same hash; among duplicates (two paragraphs saying "Xin cảm
   ơn"), the one whose neighbours also match, then the nearest position.
3. Edited paragraphs: between two matched neighbours, the unmatched paragraphs
   and the unclaimed known ids of that gap are aligned in order (like a diff),
   scored by word similarity, same speaker and same neighbours; a lone edited
   paragraph in a lone slot keeps its id when the speaker is the same or a
   quarter of its words survive.
4. A paragraph moved *and* lightly edited: similarity >= 0.8 anywhere.
5. Everything else is new: the next number never used in this episode.
"""
from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from ..i18n import _l
from ..fsio import write_text

HEADER = ("# Paragraph ids of {script}: kept by `radio`, commit this file with the script.\n"
          "# id\thash\tspeaker\tprev\tnext\tstate\ttext\n")
ID_PATTERN = re.compile(r"^p(\d{3,4})$")
GAP_SIMILARITY = 0.5      # an edited paragraph inside its gap
LONE_SIMILARITY = 0.25    # the only paragraph in the only slot of a gap
MOVED_SIMILARITY = 0.8    # anywhere in the episode


def clean_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


# How a word processor retypes what is read the same: curly quotes, dashes, the ellipsis
# character, primes; soft hyphens and zero-width characters are not read at all.
_TYPOGRAPHY = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
                             "\u2033": '"', "\u00ab": '"', "\u00bb": '"', "\u2018": "'",
                             "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                             "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                             "\u2014": "-", "\u2212": "-", "\u2026": "...", "\u00ad": None,
                             "\u200b": None, "\u200c": None, "\u200d": None,
                             "\u2060": None, "\ufeff": None})


def same_reading(text: str, other: str) -> bool:
    """Whether two versions of a paragraph differ only in typography (Word's AutoFormat),
    so that a take recorded for one is current for the other."""
    def key(value: str) -> str:
        return clean_text(clean_text(value).translate(_TYPOGRAPHY))

    return key(text) == key(other)


def text_hash(speaker: str, text: str) -> str:
    """The identity of what is said and by whom (16 hex digits)."""
    blob = f"{speaker}\x1f{clean_text(text)}".encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def id_number(pid: str) -> int:
    match = ID_PATTERN.match(pid)
    return int(match.group(1)) if match else 0


def format_id(number: int) -> str:
    return f"p{number:03d}"


@dataclass(frozen=True)
class Record:
    pid: str
    hash: str
    speaker: str
    prev: str
    next: str
    active: bool
    text: str


@dataclass(frozen=True)
class Current:
    """One paragraph of the script as the assignment sees it."""
    line: int
    speaker: str
    text: str
    pinned: str
    hash: str
    prev: str
    next: str


def currents(paragraphs) -> list[Current]:
    hashes = [text_hash(p.speaker, p.text) for p in paragraphs]
    out = []
    for i, p in enumerate(paragraphs):
        out.append(Current(p.line, p.speaker, clean_text(p.text), p.pinned_id, hashes[i],
                           hashes[i - 1] if i else "",
                           hashes[i + 1] if i + 1 < len(hashes) else ""))
    return out


def read_records(path: Path) -> list[Record]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    records = []
    for row in text.splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        cols = row.split("\t")
        if len(cols) < 7 or not ID_PATTERN.match(cols[0]):
            continue  # a damaged row: its paragraph simply gets matched again
        records.append(Record(cols[0], cols[1], cols[2], cols[3], cols[4],
                              cols[5] != "gone", "\t".join(cols[6:])))
    return records


def render_records(records: list[Record], script: str) -> str:
    rows = [HEADER.format(script=script)]
    for r in records:
        rows.append("\t".join([r.pid, r.hash, r.speaker, r.prev, r.next,
                               "active" if r.active else "gone", r.text]) + "\n")
    return "".join(rows)


def save_records(path: Path, records: list[Record], script: str) -> bool:
    """Write ids.tsv when it changed; True when it was written."""
    text = render_records(records, script)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except FileNotFoundError:
        pass
    write_text(path, text)
    return True


def similarity(a: str, b: str) -> float:
    wa, wb = a.lower().split(), b.lower().split()
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    return matcher.ratio() if wa or wb else 1.0


@dataclass
class _Assignment:
    cur: list[Current]
    records: list[Record]
    ids: dict[int, str]            # index of the current paragraph -> id
    claimed: dict[str, int]        # id -> index of the current paragraph
    problems: list[Problem]
    memo: dict = field(default_factory=dict)

    def similar(self, c: Current, r: Record) -> float:
        key = (c.hash, r.pid)
        if key not in self.memo:
            self.memo[key] = similarity(c.text, r.text)
        return self.memo[key]

    def take(self, i: int, pid: str) -> None:
        self.ids[i] = pid
        self.claimed[pid] = i

    def free(self, i: int) -> bool:
        return i not in self.ids


def assign(paragraphs, records: list[Record], script: str,
           reserved: set[str] = frozenset()) -> tuple[list[str], list[Record], list[Problem]]:
    """Ids for *paragraphs* (in order), the records to save, and pin conflicts.

    *reserved*: ids that must not be given to a new paragraph (e.g. take files
    lying in the episode's folder).
    """
    cur = currents(paragraphs)
    state = _Assignment(cur, records, {}, {}, [])
    _pins(state, script)
    _exact(state)
    _gaps(state)
    _moved(state)
    _new(state, reserved)
    ids = [state.ids[i] for i in range(len(cur))]
    return ids, _records_after(state, ids), state.problems


def _pins(state: _Assignment, script: str) -> None:
    for i, c in enumerate(state.cur):
        if not c.pinned:
            continue
        if c.pinned in state.claimed:
            other = state.cur[state.claimed[c.pinned]].line
            state.problems.append(Problem(
                _l("{pid} is pinned twice (also on line {line})", pid=c.pinned, line=other),
                script, c.line,
                _l("remove one of the two {{#{pid}}} marks: the other paragraph gets a new id",
                   pid=c.pinned)))
            continue
        state.take(i, c.pinned)


def _exact(state: _Assignment) -> None:
    order = {r.pid: k for k, r in enumerate(state.records)}
    pairs = []
    by_hash: dict[str, list[Record]] = {}
    for r in state.records:
        by_hash.setdefault(r.hash, []).append(r)
    for i, c in enumerate(state.cur):
        if not state.free(i):
            continue
        for r in by_hash.get(c.hash, ()):
            score = 2 * (r.prev == c.prev) + 2 * (r.next == c.next) + r.active
            pairs.append((-score, abs(order[r.pid] - i), i, r.pid))
    for _, _, i, pid in sorted(pairs):
        if state.free(i) and pid not in state.claimed:
            state.take(i, pid)


def _gaps(state: _Assignment) -> None:
    active = [r for r in state.records if r.active]
    position = {r.pid: k for k, r in enumerate(active)}
    i, n = 0, len(state.cur)
    while i < n:
        if not state.free(i):
            i += 1
            continue
        j = i
        while j < n and state.free(j):
            j += 1
        lo = next((position[state.ids[x]] for x in range(i - 1, -1, -1)
                   if state.ids.get(x) in position), -1)
        hi = next((position[state.ids[x]] for x in range(j, n)
                   if state.ids.get(x) in position), len(active))
        slots = [r for r in active[lo + 1:hi] if r.pid not in state.claimed]
        if slots and lo < hi:
            _align(state, list(range(i, j)), slots)
        i = j


def _score(state: _Assignment, c: Current, r: Record) -> float:
    return (state.similar(c, r) + 0.15 * (c.speaker == r.speaker)
            + 0.1 * (c.prev == r.prev) + 0.1 * (c.next == r.next))


def _admissible(state: _Assignment, c: Current, r: Record, lone: bool) -> bool:
    sim = state.similar(c, r)
    if lone:
        return c.speaker == r.speaker or sim >= LONE_SIMILARITY
    return sim >= GAP_SIMILARITY


def _align(state: _Assignment, rows: list[int], slots: list[Record]) -> None:
    """Order-preserving alignment of a run of paragraphs with a run of ids (DP)."""
    lone = len(rows) == 1 and len(slots) == 1
    m, k = len(rows), len(slots)
    best = [[0.0] * (k + 1) for _ in range(m + 1)]
    for a in range(m - 1, -1, -1):
        for b in range(k - 1, -1, -1):
            c, r = state.cur[rows[a]], slots[b]
            pair = _score(state, c, r) + best[a + 1][b + 1] \
                if _admissible(state, c, r, lone) else -1.0
            best[a][b] = max(best[a + 1][b], best[a][b + 1], pair)
    a = b = 0
    while a < m and b < k:
        c, r = state.cur[rows[a]], slots[b]
        if _admissible(state, c, r, lone) and \
                best[a][b] == _score(state, c, r) + best[a + 1][b + 1]:
            state.take(rows[a], r.pid)
            a, b = a + 1, b + 1
        elif best[a][b] == best[a + 1][b]:
            a += 1
        else:
            b += 1


def _moved(state: _Assignment) -> None:
    pairs = []
    for i, c in enumerate(state.cur):
        if not state.free(i):
            continue
        for r in state.records:
            if r.pid in state.claimed:
                continue
            matcher = difflib.SequenceMatcher(None, c.text.lower().split(),
                                              r.text.lower().split(), autojunk=False)
            if matcher.real_quick_ratio() < MOVED_SIMILARITY or \
                    matcher.quick_ratio() < MOVED_SIMILARITY:
                continue
            sim = matcher.ratio()
            if sim >= MOVED_SIMILARITY:
                pairs.append((-sim, i, r.pid))
    for _, i, pid in sorted(pairs):
        if state.free(i) and pid not in state.claimed:
            state.take(i, pid)


def _new(state: _Assignment, reserved) -> None:
    used = [id_number(r.pid) for r in state.records] + [id_number(p) for p in state.claimed]
    used += [id_number(p) for p in reserved]
    number = max(used, default=0)
    for i in range(len(state.cur)):
        if state.free(i):
            number += 1
            state.take(i, format_id(number))


def _records_after(state: _Assignment, ids: list[str]) -> list[Record]:
    out = [Record(pid, c.hash, c.speaker, c.prev, c.next, True, c.text)
           for pid, c in zip(ids, state.cur)]
    seen = set(ids)
    gone = [Record(r.pid, r.hash, r.speaker, r.prev, r.next, False, r.text)
            for r in state.records if r.pid not in seen]
    return out + sorted(gone, key=lambda r: id_number(r.pid))
