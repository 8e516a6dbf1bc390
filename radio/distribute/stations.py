"""``stations.csv``: who receives the programmes.

One row per recipient.  The columns (English names, or the Vietnamese ones in
brackets; order free, header row required):

name (tên)            the station, as it should read on the dispatch list (required)
commune (xã)          commune or ward
district (huyện)      district, town or area
kind (loại)           ``ip`` (IP loudspeaker system), ``cd`` (plays CDs) or
                      ``province`` (a neighbouring province's radio station) (required)
platform (nền tảng)   for ``ip``: the system or vendor (packages group by it) (required for ip)
contact (liên hệ)     who receives it: a person, a phone number
copies (số bản)       discs for ``cd`` and ``province`` (default 1)
priority (ưu tiên)    thông thường (default), ưu tiên or khẩn cấp
notes (ghi chú)       anything else

Excel saves CSV as UTF-8 with a byte-order mark ("CSV UTF-8"), in the Windows
code page ("CSV (Comma delimited)": Windows-1258 on Vietnamese Windows), as
UTF-16 with tabs ("Unicode Text"), or with ``;`` between cells where the decimal
separator is a comma: all are read (Windows-1258 only when it reads as Vietnamese
and no letter was lost to a '?').  A row whose first cell starts with ``#`` is a
comment; a numbering column (``STT``) is ignored.  Every bad row is collected and
reported with its line, then the command stops once.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, UserError, raise_if_errors
from ..fsio import read_input
from ..i18n import _l
from ..textfold import ascii_fold, nfc

FILE_NAME = "stations.csv"
KINDS = ("ip", "cd", "province")
PRIORITIES = ("thông thường", "ưu tiên", "khẩn cấp")
NORMAL, PRIORITY, EMERGENCY = PRIORITIES
MAX_COPIES = 500

_COLUMNS = {
    "name": ("tên", "ten", "tên đài", "ten dai"),
    "commune": ("xã", "xa", "xã/phường", "xa/phuong", "phường", "phuong"),
    "district": ("huyện", "huyen", "khu vực", "khu vuc"),
    "kind": ("loại", "loai"),
    "platform": ("nền tảng", "nen tang", "hệ thống", "he thong"),
    "contact": ("liên hệ", "lien he"),
    "copies": ("số bản", "so ban"),
    "priority": ("ưu tiên", "uu tien", "mức ưu tiên", "muc uu tien"),
    "notes": ("ghi chú", "ghi chu"),
}
_IGNORED = ("stt", "tt", "số thứ tự", "so thu tu", "no", "no.")   # the rows' numbering
_REQUIRED = ("name", "kind")
_PRIORITY_WORDS = {"thong thuong": NORMAL, "normal": NORMAL, "uu tien": PRIORITY,
                   "priority": PRIORITY, "khan cap": EMERGENCY, "emergency": EMERGENCY}
_KIND_WORDS = {"ip": "ip", "cd": "cd", "province": "province", "tinh": "province"}


@dataclass(frozen=True)
class Station:
    name: str
    commune: str
    district: str
    kind: str          # one of KINDS
    platform: str      # "" unless kind == "ip"
    contact: str
    copies: int        # discs; 0 for ip
    priority: str      # one of PRIORITIES
    notes: str
    line: int          # in stations.csv, for messages


@dataclass(frozen=True)
class StationList:
    path: Path
    stations: tuple[Station, ...]
    sample: bool       # a comment row says it is a sample ("# BẢN MẪU")
    encoding: str = "utf-8"   # "utf-8", "utf-16" or "cp1258", as Excel saved it

    def of_kind(self, kind: str) -> tuple[Station, ...]:
        return tuple(s for s in self.stations if s.kind == kind)


def _column(header: str) -> str | None:
    key = nfc(header).strip().lower()
    for name, aliases in _COLUMNS.items():
        if key == name or key in aliases or ascii_fold(key) in aliases:
            return name
    return None


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def read_stations(path: Path, shown: str = FILE_NAME) -> StationList:
    """Read and check *path*; every problem is reported together."""
    raw = read_input(path, shown, "CSV file")
    text, encoding = _decode(raw, shown)
    text = nfc(text)
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()
                  and not _comment(line)), None)
    if first is None:
        raise UserError(_l("stations.csv has no header row"), path=shown, line=1,
                        hint=_l("the first row names the columns: name,commune,district,kind,..."))
    # A comment row says so ("# BẢN MẪU: ..."); a note that mentions a sample copy does not.
    sample = any(("bản mẫu" in line.lower() or "sample" in line.lower())
                 for line in lines if _comment(line))
    reader = csv.reader(io.StringIO("\n".join(lines[first:])), delimiter=_delimiter(lines[first]))
    header = next(reader)
    problems: list[Problem] = []
    columns = _header(header, shown, first + 1, problems)
    ignored = {i for i, cell in enumerate(header) if _ignored(cell)}
    raise_if_errors(problems)
    stations: list[Station] = []
    seen: dict[str, int] = {}
    while True:
        line = first + reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(_l("cannot read this row: {reason}", reason=exc), shown, line,
                                    _l("check the quotes in it")))
            break
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        if _stray_cells(row, header, columns, ignored, line, shown, problems):
            continue
        station = _station(row, columns, line, shown, problems)
        if station is None:
            continue
        key = station_key(station.name)
        if key in seen:
            problems.append(Problem(
                _l("the station '{name}' is listed twice (first on line {first})",
                   name=station.name, first=seen[key]), shown, line,
                _l("remove one row or give the stations different names")))
            continue
        seen[key] = line
        stations.append(station)
    if not stations and not problems:
        problems.append(Problem(_l("stations.csv lists no station"), shown, first + 1,
                                _l("add one row per station under the header")))
    raise_if_errors(problems)
    return StationList(Path(path), tuple(stations), sample, encoding)


def station_key(name: str) -> str:
    """The same station whatever its spacing or case (duplicates, the dispatch list's ids)."""
    return " ".join(nfc(name).split()).casefold()


def _decode(raw: bytes, shown: str) -> tuple[str, str]:
    """(text, encoding) of stations.csv as Excel saves it; anything else is refused."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):        # "Unicode Text"
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        from ..script.legacy import decode_legacy, guess

        if guess(raw) == "cp1258":                          # "CSV (Comma delimited)"
            text = decode_legacy(raw, "cp1258")
            if "\ufffd" not in text and not _LOST_LETTER.search(text):
                return text, "cp1258"
        line = raw[:exc.start].count(b"\n") + 1
        raise UserError(_l("stations.csv is not UTF-8 text"), path=shown, line=line,
                        hint=_l("in Excel choose Save As > CSV UTF-8 (Comma delimited)")) from None


# A letter the code page has no room for, saved by Windows as '?': "Th?ch Kim".
_LOST_LETTER = re.compile(r"[^\W\d_]\?[^\W\d_]")


def _stray_cells(row: list[str], header: list[str], columns: dict[str, int], ignored: set[int],
                 line: int, shown: str, problems: list[Problem]) -> bool:
    """A row longer than the header (a comma typed inside a cell, unquoted, shifts every
    cell after it), or text under a column without a name: reported, never dropped."""
    if len(row) > len(header):
        problems.append(Problem(
            _l("this row has {count} cells but the header has {columns}", count=len(row),
               columns=len(header)), shown, line,
            _l("is there a comma inside a cell? Put that cell in double quotes "
               "(\"Anh Hùng, 0912 345 678\"); Excel does it when it saves")))
        return True
    stray = next((cell.strip() for i, cell in enumerate(row) if cell.strip()
                  and i not in ignored and i not in columns.values()), None)
    if stray is not None:
        problems.append(Problem(_l("the cell '{cell}' is in a column without a name",
                                   cell=stray), shown, line,
                                _l("name its column in the header, or clear the cell")))
        return True
    return False


def _comment(line: str) -> bool:
    """A row starting with '#', also when Excel quoted it (a comma in the comment)."""
    return line.lstrip().lstrip('"').startswith("#")


def _ignored(header: str) -> bool:
    key = nfc(header).strip().lower()
    return key in _IGNORED or ascii_fold(key) in _IGNORED


def _header(header: list[str], shown: str, line: int, problems: list[Problem]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        if not cell.strip() or _ignored(cell):
            continue
        name = _column(cell)
        if name is None:
            problems.append(Problem(_l("unknown column '{column}'", column=cell.strip()),
                                    shown, line,
                                    _l("known columns: {names}", names=", ".join(_COLUMNS))))
        elif name in columns:
            problems.append(Problem(_l("the column '{column}' appears twice", column=cell.strip()),
                                    shown, line))
        else:
            columns[name] = index
    for name in _REQUIRED:
        if name not in columns and not problems:
            problems.append(Problem(_l("the column '{column}' is missing", column=name),
                                    shown, line,
                                    _l("the header needs at least: name,kind")))
    return columns


def _station(row: list[str], columns: dict[str, int], line: int, shown: str,
             problems: list[Problem]) -> Station | None:
    def cell(name: str) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    before = len(problems)
    name = cell("name")
    if not name:
        problems.append(Problem(_l("the station has no name"), shown, line,
                                _l("fill in the 'name' column")))
    kind = _KIND_WORDS.get(ascii_fold(cell("kind")).lower())
    if kind is None:
        problems.append(Problem(_l("kind '{kind}' is not one of ip, cd, province",
                                   kind=cell("kind")),
                                shown,
                                line, _l("ip: IP loudspeaker system; cd: plays CDs; "
                                         "province: a neighbouring province's radio station")))
    platform = cell("platform")
    if kind == "ip" and not platform:
        problems.append(Problem(_l("the IP station '{name}' has no platform", name=name),
                                shown, line, _l("name its system or vendor (e.g. VNPT), so "
                                                "packages group by it")))
    copies = _copies(cell("copies"), kind, line, shown, problems)
    priority = _PRIORITY_WORDS.get(ascii_fold(cell("priority")).lower() or "thong thuong")
    if priority is None:
        problems.append(Problem(_l("priority '{priority}' is not one of {choices}",
                                    priority=cell("priority"), choices=", ".join(PRIORITIES)),
                                shown, line,
                                _l("leave it empty for thông thường")))
    if len(problems) > before:
        return None
    return Station(name, cell("commune"), cell("district"), kind,
                   platform if kind == "ip" else "", cell("contact"), copies, priority,
                   cell("notes"), line)


def _copies(value: str, kind: str | None, line: int, shown: str,
            problems: list[Problem]) -> int:
    if kind == "ip":
        return 0
    if not value:
        return 1
    if not value.isdigit() or not 1 <= int(value) <= MAX_COPIES:
        problems.append(Problem(_l("copies '{value}' is not a whole number from 1 to {most}",
                                    value=value, most=MAX_COPIES),
                                shown, line, _l("write how many discs this station gets, e.g. 2")))
        return 0
    return int(value)
