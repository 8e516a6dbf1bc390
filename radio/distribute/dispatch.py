"""The dispatch list (danh sách gửi): who gets what, with numbered disc copies.

Every disc copy has an id: ``CD-001``… for the commune disc (``output/disc/``),
``PS-001``… for the provinces' broadcast disc, numbered down the stations in
the order of ``stations.csv``.  ``danh-sach-gui.json`` keeps the list for
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
from .stations import Station

JSON_NAME = "danh-sach-gui.json"
PREFIX = {"cd": "CD", "province": "PS"}
_LOG_LINE = re.compile(r"^(?P<time>\S+ \S+)\s+device=(?P<device>\S+)\s+copy=\S+"
                       r"(?: simulate)?\s+image=(?P<image>\S+)\s+copy_id=(?P<copy_id>\S+)"
                       r"\s+(?P<result>.*)$")


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

    @property
    def verified(self) -> bool:
        return self.result.startswith("verified")


@dataclass(frozen=True)
class Assignment:
    """What ``radio burn`` writes for one copy, and tells the technician."""

    copy_id: str
    message: str


def plan_dispatch(stations: tuple[Station, ...], packages: dict[str, str],
                  discs: dict[str, tuple[str, str]]) -> tuple[Row, ...]:
    """*packages*: station name -> IP package folder; *discs*: kind -> (folder, label)."""
    rows, counters = [], {kind: 0 for kind in PREFIX}
    for number, station in enumerate(stations, 1):
        if station.kind == "ip":
            rows.append(Row(number, station, packages[station.name], "", ()))
            continue
        folder, label = discs[station.kind]
        first = counters[station.kind] + 1
        counters[station.kind] += station.copies
        ids = tuple("{prefix}-{n:03d}".format(prefix=PREFIX[station.kind], n=n)
                    for n in range(first, first + station.copies))
        rows.append(Row(number, station, label, folder, ids))
    return tuple(rows)


def read_burn_log(path: Path) -> dict[str, Burned]:
    """The latest record of each copy id in a ``burn.log``."""
    records: dict[str, Burned] = {}
    if not path.is_file():
        return records
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _LOG_LINE.match(line)
        if match and match["copy_id"] != "-":
            old = records.get(match["copy_id"])
            if old is None or not old.verified:
                records[match["copy_id"]] = Burned(match["copy_id"], match["time"],
                                                   match["device"], match["result"])
    return records


def burned_copies(root: Path, rows: tuple[Row, ...]) -> dict[str, Burned]:
    records: dict[str, Burned] = {}
    for folder in sorted({r.disc_folder for r in rows if r.disc_folder}):
        records.update(read_burn_log(root / folder / "burn.log"))
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
        burned = read_burn_log(folder / "burn.log")
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
