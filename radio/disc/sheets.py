"""Reading CUE sheets and cdrdao TOC files back, for verification.

Only what places the tracks matters here: the BIN's name, each track's gap
start and INDEX 01 in sectors, and the things that would make a burner put
the audio elsewhere (a PREGAP on track 1, a TOC without SWAP).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..i18n import Message, _l
from .model import SECTOR_FRAMES

_MSF = re.compile(r"^(\d+):(\d{1,2}):(\d{1,2})$")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|//.*|[{}]|[^\s{}]+')


@dataclass
class Sheet:
    bin_name: str | None = None
    starts: list[tuple[int, int]] = field(default_factory=list)   # (gap start, INDEX 01)
    problems: list[str | Message] = field(default_factory=list)


def msf_sectors(text: str) -> int | None:
    match = _MSF.match(text)
    if not match:
        return None
    minutes, seconds, frames = map(int, match.groups())
    return (minutes * 60 + seconds) * 75 + frames


def parse_cue(text: str) -> Sheet:
    sheet = Sheet()
    tracks: list[dict[int, int]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        key = line.split(None, 1)[0].upper() if line else ""
        if key == "FILE":
            match = re.match(r'FILE\s+"([^"]+)"\s+(\S+)', line, re.I)
            if not match:
                sheet.problems.append(_l("line {line}: cannot read the FILE line", line=number))
                continue
            if sheet.bin_name and match.group(1) != sheet.bin_name:
                sheet.problems.append(_l("line {line}: a second FILE {name}", line=number,
                                         name=match.group(1)))
            sheet.bin_name = match.group(1)
            if match.group(2).upper() != "BINARY":
                sheet.problems.append(_l("line {line}: the BIN must be BINARY (little-endian), "
                                         "not {mode}", line=number, mode=match.group(2)))
        elif key == "TRACK":
            tracks.append({})
            if not re.match(r"TRACK\s+\d+\s+AUDIO$", line, re.I):
                sheet.problems.append(_l("line {line}: not an AUDIO track: {text}",
                                         line=number, text=line))
        elif key == "INDEX" and tracks:
            match = re.match(r"INDEX\s+(\d+)\s+(\S+)$", line, re.I)
            sectors = msf_sectors(match.group(2)) if match else None
            if sectors is None:
                sheet.problems.append(_l("line {line}: cannot read the INDEX line", line=number))
                continue
            tracks[-1][int(match.group(1))] = sectors
        elif key == "PREGAP" and len(tracks) == 1:
            sheet.problems.append(_l("line {line}: PREGAP on track 1 adds 2 more seconds (its "
                                     "2-second pregap is implicit)", line=number))
    for index, track in enumerate(tracks, 1):
        if 1 not in track:
            sheet.problems.append(_l("track {number} has no INDEX 01", number=index))
        start = track.get(1, -1)
        sheet.starts.append((track.get(0, start), start))
    return sheet


def _tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text) if not t.startswith("//")]


def _length(token: str) -> int | None:
    """A TOC length or position in sectors: ``mm:ss:ff`` or a sample count."""
    sectors = msf_sectors(token)
    if sectors is not None:
        return sectors
    if token.isdigit() and int(token) % SECTOR_FRAMES == 0:
        return int(token) // SECTOR_FRAMES
    return None


def parse_toc(text: str) -> Sheet:
    sheet = Sheet()
    tokens = _tokens(text)
    tracks: list[dict] = []
    i = 0
    while i < len(tokens):
        word = tokens[i]
        if word == "TRACK":
            tracks.append({"length": 0, "start": None, "file_start": None, "pregap": 0})
        elif word in ("FILE", "AUDIOFILE") and tracks:
            i = _toc_file(tokens, i, tracks[-1], sheet)
            continue
        elif word == "START" and tracks:
            nxt = _length(tokens[i + 1]) if i + 1 < len(tokens) else None
            tracks[-1]["start"] = tracks[-1]["length"] if nxt is None else nxt
            i += 1 if nxt is None else 2
            continue
        elif word == "PREGAP" and tracks:
            if len(tracks) == 1:
                sheet.problems.append(_l("PREGAP on track 1 adds 150 blocks to the implicit "
                                         "pregap"))
            tracks[-1]["pregap"] = _length(tokens[i + 1]) or 0
        elif word in ("SILENCE", "ZERO") and tracks:
            tracks[-1]["length"] += _length(tokens[i + 1]) or 0
        i += 1
    position = 0
    for number, track in enumerate(tracks, 1):
        begin = position + track["pregap"]
        start = begin + (track["start"] or 0)
        if track["file_start"] is not None and track["file_start"] != begin:
            sheet.problems.append(_l("track {number} reads the BIN from sector {read} but sits "
                                     "at sector {begin}", number=number,
                                     read=track["file_start"], begin=begin))
        sheet.starts.append((begin if track["start"] else start, start))
        position = begin + track["length"]
    return sheet


def _toc_file(tokens: list[str], i: int, track: dict, sheet: Sheet) -> int:
    """Parse ``FILE "name" [SWAP] [#offset] start [length]``; return the next index."""
    name = tokens[i + 1].strip('"') if i + 1 < len(tokens) else ""
    if sheet.bin_name and name != sheet.bin_name:
        sheet.problems.append(_l("track {number}: a second file {name}",
                                 number=len(sheet.starts) + 1, name=name))
    sheet.bin_name = sheet.bin_name or name
    i += 2
    swap = i < len(tokens) and tokens[i] == "SWAP"
    if not swap:
        sheet.problems.append(_l("a track reads {name} without SWAP: cdrdao reads raw files as "
                                 "big-endian and would burn noise", name=name))
    i += swap
    if i < len(tokens) and tokens[i].startswith("#"):
        i += 1
    start = _length(tokens[i]) if i < len(tokens) else None
    length = _length(tokens[i + 1]) if i + 1 < len(tokens) else None
    if start is None or length is None:
        sheet.problems.append(_l("cannot read the start and length of {name} in the TOC",
                                 name=name))
        return i + 1
    if track["file_start"] is None:
        track["file_start"] = start
    track["length"] += length
    return i + 2
