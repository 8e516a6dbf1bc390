"""The dispatch list (danh sách gửi): who gets what, with numbered disc copies.

Every disc copy has an id: ``CD-001``… for the commune disc (``output/disc/``),
``PS-001``… for the provinces' broadcast disc, numbered down the stations in
the order of ``stations.csv``.  An id, once given, stays with its station (by
name) when stations are added, removed or moved in the list, and one that a
disc carries (burn.log) is never given to another.  New copies get the next
number after those.  ``danh-sach-gui.json`` keeps the list for
``radio burn``, which gives each verified copy the next waiting id and writes
it in the disc's ``burn.log``; the list then shows, copy by copy, what was
burned and verified, when and on which drive, and who still waits.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..i18n import _
from .stations import Station, station_key

JSON_NAME = "danh-sach-gui.json"
PREFIX = {"cd": "CD", "province": "PS"}
_LOG_FIELD = re.compile(r"\s+(?P<key>[a-z_]+)=(?P<value>\S+)(?: simulate)?")
# burn.log lines written before they carried ``status=``: the result, in English or in
# Vietnamese (the interface's language), says whether the copy was verified.
_LEGACY_VERIFIED = ("verified", "đã kiểm tra: khớp")


@dataclass(frozen=True)
class Row:
    number: int
    station: Station
    what: str                      # the package folder or the disc's volume label
    disc_folder: str               # relative to the production root; "" for IP
    copy_ids: tuple[str, ...]


@dataclass(frozen=True)
class Burned:
    copy_id: str
    time: str
    device: str
    result: str
    status: str = ""           # "verified", "unverified", "simulated", "failed"; "" in old logs

    @property
    def verified(self) -> bool:
        if self.status:
            return self.status == "verified"
        return self.result.startswith(_LEGACY_VERIFIED)


@dataclass(frozen=True)
class Edition:
    """The disc now in a folder: copies burned from another edition (a draft, an older
    build) are not copies of it."""

    edition: str
    label: str


def current_edition(folder: Path) -> Edition | None:
    from ..disc.manifest import load_manifest
    from ..errors import UserError

    try:
        manifest = load_manifest(folder / "manifest.json")
    except UserError:
        return None
    return Edition(manifest.edition, manifest.label)


@dataclass(frozen=True)
class Assignment:
    """What ``radio burn`` writes for one copy, and tells the technician."""

    copy_id: str
    message: str


def plan_dispatch(stations: tuple[Station, ...], packages: dict[str, str],
                  discs: dict[str, tuple[str, str]],
                  previous: dict | None = None,
                  used: dict[str, set[str]] | None = None) -> tuple[Row, ...]:
    """*packages*: station name -> IP package folder; *discs*: kind -> (folder, label);
    *previous*: the last run's ``danh-sach-gui.json``, whose ids stay with their stations;
    *used*: kind -> copy ids already written on discs (burn.log), never given again."""
    given = {(r.get("kind"), station_key(str(r.get("station", "")))): list(r.get("copy_ids", []))
             for r in (previous or {}).get("rows", []) if isinstance(r, dict)}
    kept = {s.name: given.get((s.kind, station_key(s.name)), [])[:s.copies]
            for s in stations if s.kind in PREFIX}
    counters = {kind: max([_number(i, PREFIX[kind]) for ids in kept.values() for i in ids]
                          + [_number(i, PREFIX[kind]) for i in (used or {}).get(kind, ())],
                          default=0)
                for kind in PREFIX}
    rows = []
    for number, station in enumerate(stations, 1):
        if station.kind == "ip":
            rows.append(Row(number, station, packages[station.name], "", ()))
            continue
        folder, label = discs[station.kind]
        ids = kept[station.name]
        while len(ids) < station.copies:
            counters[station.kind] += 1
            ids.append("{prefix}-{n:03d}".format(prefix=PREFIX[station.kind],
                                                 n=counters[station.kind]))
        rows.append(Row(number, station, label, folder, tuple(ids)))
    return tuple(rows)


def _number(copy_id: str, prefix: str) -> int:
    head, _, tail = str(copy_id).partition("-")
    return int(tail) if head == prefix and tail.isdigit() else 0


def read_previous(path: Path) -> dict:
    """The last run's dispatch list (``{}`` when there is none or it cannot be read)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def logged_ids(root: Path, discs: dict[str, tuple[str, str]]) -> dict[str, set[str]]:
    """Per kind, every copy id some burn.log of its disc folder records (any edition)."""
    used: dict[str, set[str]] = {}
    for kind, (folder, _label) in discs.items():
        path = root / folder / "burn.log"
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        used[kind] = {parsed[0].get("copy_id", "-") for parsed in map(parse_log_line, lines)
                      if parsed} - {"-"}
    return used


def parse_log_line(line: str) -> tuple[dict[str, str], str] | None:
    """(the ``key=value`` fields, the result after them) of a burn.log line."""
    parts = line.split(None, 2)
    if len(parts) < 3:
        return None
    fields, rest = {"time": " ".join(parts[:2])}, " " + parts[2]
    while match := _LOG_FIELD.match(rest):
        fields[match["key"]] = match["value"]
        rest = rest[match.end():]
    return fields, rest.strip()


def read_burn_log(path: Path, edition: Edition | None = None) -> dict[str, Burned]:
    """The latest record of each copy id in a ``burn.log`` (a verified one wins), for
    the disc *edition* only when it is given (old lines without an edition: by the
    image's name, which carries the label, "…_NHAP" for a draft)."""
    records: dict[str, Burned] = {}
    if not path.is_file():
        return records
    for line in path.read_text(encoding="utf-8").splitlines():
        parsed = parse_log_line(line)
        if parsed is None:
            continue
        fields, result = parsed
        copy_id = fields.get("copy_id", "-")
        if copy_id == "-" or "device" not in fields:
            continue
        if edition is not None and (
                fields["edition"] != edition.edition if "edition" in fields
                else Path(fields.get("image", "")).stem != edition.label):
            continue
        old = records.get(copy_id)
        if old is None or not old.verified:
            records[copy_id] = Burned(copy_id, fields["time"], fields["device"], result,
                                      fields.get("status", ""))
    return records


def burned_copies(root: Path, rows: tuple[Row, ...]) -> dict[str, Burned]:
    records: dict[str, Burned] = {}
    for folder in sorted({r.disc_folder for r in rows if r.disc_folder}):
        disc = root / folder
        records.update(read_burn_log(disc / "burn.log", current_edition(disc)))
    return records


def status(row: Row, burned: dict[str, Burned]) -> str:
    if not row.copy_ids:
        return "gói tải lên"
    done = [i for i in row.copy_ids if i in burned and burned[i].verified]
    if len(done) == len(row.copy_ids):
        return "đã ghi đủ {n} bản (đã kiểm tra)".format(n=len(done))
    return "chờ ghi {left}/{total} bản".format(left=len(row.copy_ids) - len(done),
                                               total=len(row.copy_ids))


HEADER = ["stt", "ten_don_vi", "xa_phuong", "huyen_khu_vuc", "loai", "nen_tang", "uu_tien",
          "lien_he", "noi_dung_gui", "so_ban", "ma_ban_sao", "da_ghi_kiem_tra", "ky_nhan_ngay"]


def dispatch_csv(rows: tuple[Row, ...], burned: dict[str, Burned], draft: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if draft:
        writer.writerow(["# BẢN NHÁP — KHÔNG DÙNG ĐỂ PHÁT SÓNG"])
    writer.writerow(HEADER)
    for row in rows:
        s = row.station
        done = [burned[i] for i in row.copy_ids if i in burned and burned[i].verified]
        writer.writerow([row.number, s.name, s.commune, s.district, s.kind, s.platform,
                         s.priority, s.contact, row.what, len(row.copy_ids) or "",
                         " ".join(row.copy_ids),
                         " ".join("{id} {time} {device}".format(id=b.copy_id, time=b.time,
                                                                 device=b.device)
                                  for b in done), ""])
    return "\ufeff" + out.getvalue()


def dispatch_json(rows: tuple[Row, ...]) -> str:
    """The list for `radio burn`, and for the next run (the ids stay with their stations)."""
    data = {"schema": "radio-dispatch/1", "rows": [
        {"number": r.number, "station": r.station.name, "kind": r.station.kind,
         "what": r.what, "disc_folder": r.disc_folder, "copy_ids": list(r.copy_ids)}
        for r in rows]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def copy_assigner(image: Path):
    """For ``radio burn``: a function giving the next waiting copy of *image*'s disc,
    or None when the image is not a disc of a production's dispatch list."""
    from ..config import find_root
    from ..errors import UserError

    folder = Path(image).resolve().parent
    try:
        root = find_root(folder)
    except UserError:
        return None
    path = root / "output" / "distribution" / JSON_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    rows = [r for r in data.get("rows", []) if r.get("disc_folder")
            and (root / r["disc_folder"]).resolve() == folder]
    if not rows:
        return None

    def assign() -> Assignment:
        burned = read_burn_log(folder / "burn.log", current_edition(folder))
        for row in rows:
            for copy_id in row["copy_ids"]:
                if copy_id not in burned or not burned[copy_id].verified:
                    left = sum(1 for r in rows for i in r["copy_ids"]
                               if i not in burned or not burned[i].verified)
                    return Assignment(copy_id, _("copy {id} for {station}: write {id} on the "
                                        "disc (copies of this disc still waiting, this one "
                                        "included: {left})",
                                          id=copy_id, station=row["station"], left=left))
        return Assignment("-", _("every copy on the dispatch list is burned and verified; "
                               "this one is a spare"))
    return assign
