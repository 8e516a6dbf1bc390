"""``stations.csv``: who receives the programmes.

One row per recipient.  The columns (English names, or the Vietnamese ones in
brackets; order free, header row required):

name (tên)            the station, as it should read on the dispatch list (required)
commune (xã)          commune or ward
district (huyện)      district, town or area
kind (loại)           ``ip`` (IP loudspeaker system), ``cd`` (plays CDs) or
                      ``province`` (a neighbouring province's radio station) (required)
platform (nền tảng)   for ``ip``: the system or vendor (packages group by it) (required for ip)
contact (liên hệ)     who receives it: a person, a phone number; several columns
                      (người liên hệ, điện thoại, email, địa chỉ...) are joined
copies (số bản)       discs for ``cd`` and ``province`` (default 1)
priority (ưu tiên)    thông thường (default), ưu tiên or khẩn cấp
notes (ghi chú)       anything else

A first line ``sep=;`` (Excel's own hint for the separator) is followed.
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
import unicodedata
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
    "contact": ("liên hệ", "lien he", "người liên hệ", "nguoi lien he", "người nhận",
                "nguoi nhan", "điện thoại", "dien thoai", "số điện thoại", "so dien thoai",
                "sđt", "sdt", "phone", "email", "e-mail", "thư điện tử", "thu dien tu",
                "địa chỉ", "dia chi", "address"),
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
    # (line, name, first line, first name): names that differ only in their accents
    look_alike: tuple[tuple[int, str, int, str], ...] = ()

    def of_kind(self, kind: str) -> tuple[Station, ...]:
        return tuple(s for s in self.stations if s.kind == kind)


def _column(header: str) -> str | None:
    key = nfc(header).strip().lower()
    for name, aliases in _COLUMNS.items():
        if key == name or key in aliases or ascii_fold(key) in aliases:
            return name
    return None


_SEP_LINE = re.compile(r'^\s*"?sep=(.)"?[,;\t]*\s*$', re.IGNORECASE)


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def read_stations(path: Path, shown: str = FILE_NAME) -> StationList:
    """Read and check *path*; every problem is reported together."""
    raw = read_input(path, shown, "CSV file")
    text, encoding = _decode(raw, shown)
    text = nfc(text)
    lines = _LINE_BREAK.split(text)
    rows = [i for i, line in enumerate(lines) if line.strip() and not _comment(line)]
    # "sep=;" on the first line tells Excel the separator (and opens the file right in
    # any locale); the header is on the next line.
    separator = _SEP_LINE.match(lines[rows[0]]) if rows else None
    first = rows[1 if separator else 0] if len(rows) > (1 if separator else 0) else None
    if first is None:
        raise UserError(_l("stations.csv has no header row"), path=shown, line=1,
                        hint=_l("the first row names the columns: name,commune,district,kind,..."))
    # A comment row says so ("# BẢN MẪU: ..."); a note that mentions a sample copy does not.
    sample = any(("bản mẫu" in line.lower() or "sample" in line.lower())
                 for line in lines if _comment(line))
    delimiter = separator[1] if separator else _delimiter(lines[first])
    reader = csv.reader(io.StringIO("\n".join(lines[first:])), delimiter=delimiter)
    header = [clean_cell(cell) for cell in next(reader)]
    problems: list[Problem] = []
    columns = _header(header, shown, first + 1, problems)
    ignored = {i for i, cell in enumerate(header) if _ignored(cell)}
    raise_if_errors(problems)
    stations: list[Station] = []
    seen: dict[str, int] = {}
    folded: dict[str, Station] = {}
    look_alike: list[tuple[int, str, int, str]] = []
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
        end = first + reader.line_num
        if _swallowed(lines[line:end], delimiter, columns["kind"][0]):
            problems.append(Problem(
                _l("a double quote (\") opened in this row is not closed, so lines {start} to "
                   "{end} were read as one cell", start=line, end=end), shown, line,
                _l("close the quote at the end of its cell or delete it (a quote inside a "
                   "cell is written twice: \"\")")))
            continue
        row = [clean_cell(cell) for cell in row]
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
        twin = folded.setdefault(ascii_fold(key), station)
        if twin is not station:
            look_alike.append((line, station.name, twin.line, twin.name))
        stations.append(station)
    if not stations and not problems:
        problems.append(Problem(_l("stations.csv lists no station"), shown, first + 1,
                                _l("add one row per station under the header")))
    raise_if_errors(problems)
    return StationList(Path(path), tuple(stations), sample, encoding, tuple(look_alike))


# Only CR and LF end a line, as in every editor: str.splitlines() also breaks at
# \x0b, \x0c, \x1c-\x1e, \x85 and U+2028/2029, which text pasted from Word or a web
# page carries inside a cell, and the lines named in messages would be wrong.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Letters that look like Vietnamese ones but are not: the Icelandic eth (from legacy
# font conversions) for đ.
_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})


def clean_cell(text: str) -> str:
    """A cell as the station's name or field: invisible format characters (zero-width
    space, soft hyphen, a second BOM) removed, look-alike letters replaced, and every
    run of white space (line breaks typed in a cell, no-break spaces) one space."""
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.translate(_LOOKALIKES).split())


def _swallowed(continuation: list[str], delimiter: str, kind_column: int) -> bool:
    """A row over several lines with a station's row inside its quoted cell (before the
    quote that closes it, or with none: to the end of the file): a quote opened in a
    cell and never closed took the rows below into it.  A note's own line breaks
    (Alt+Enter in Excel, quoted when saved) hold no row with a kind in its place."""
    for line in continuation:
        cells = line.split('"', 1)[0].split(delimiter)
        if len(cells) > kind_column and \
                ascii_fold(cells[kind_column]).strip().lower() in _KIND_WORDS:
            return True
    return False


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


def _stray_cells(row: list[str], header: list[str], columns: dict[str, list[int]],
                 ignored: set[int],
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
                  and i not in ignored and not any(i in c for c in columns.values())), None)
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


def _header(header: list[str], shown: str, line: int,
            problems: list[Problem]) -> dict[str, list[int]]:
    columns: dict[str, list[int]] = {}
    for index, cell in enumerate(header):
        if not cell.strip() or _ignored(cell):
            continue
        name = _column(cell)
        if name is None:
            problems.append(Problem(_l("unknown column '{column}'", column=cell.strip()),
                                    shown, line,
                                    _l("known columns: {names}", names=", ".join(_COLUMNS))))
        elif name == "contact":          # a person, a phone, an e-mail: one contact
            columns.setdefault(name, []).append(index)
        elif name in columns:
            problems.append(Problem(_l("the column '{column}' appears twice", column=cell.strip()),
                                    shown, line))
        else:
            columns[name] = [index]
    for name in _REQUIRED:
        if name not in columns and not problems:
            problems.append(Problem(_l("the column '{column}' is missing", column=name),
                                    shown, line,
                                    _l("the header needs at least: name,kind")))
    return columns


def _station(row: list[str], columns: dict[str, list[int]], line: int, shown: str,
             problems: list[Problem]) -> Station | None:
    def cell(name: str) -> str:
        return " – ".join(row[i] for i in columns.get(name, ()) if i < len(row) and row[i])

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
