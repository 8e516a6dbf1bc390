"""Upload packages for IP loudspeaker systems, one per platform (and priority).

``output/distribution/ip/<platform>[-<priority>]/`` holds the programmes as
MP3 in the station profile (ID3-tagged: title, publisher), ``goi-tin.json``
(the metadata, schema ``goi-tin.schema.json`` beside the folders) and
``goi-tin.txt`` (the same, for the operator who uploads by hand).  No vendor
publishes an upload API: the package is what an operator types in or an
integrator maps, field by field.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..clock import timecode
from ..fsio import (atomic_folder, atomic_path, remove_stale_folders, sha256_file,
                    write_bytes, write_text)
from ..textfold import ascii_fold
from .ipaudio import IpAudio
from .model import DRAFT_LINE, vi_date, vi_number
from .schedule import Slot, slots_of
from .stations import EMERGENCY, NORMAL, PRIORITY, Station

SCHEMA_NAME = "goi-tin.schema.json"
SCHEMA_PATH = Path(__file__).with_name("ip-package.schema.json")
PRIORITY_CODES = {NORMAL: "normal", PRIORITY: "priority", EMERGENCY: "emergency"}
PRIORITY_MEANING = {NORMAL: "đài xã xếp vào lịch phát của mình",
                    PRIORITY: "phát trước tiên trong chương trình",
                    EMERGENCY: "phát ngay khi nhận"}


@dataclass(frozen=True)
class Campaign:
    """What every package of one run shares."""

    production: str
    publisher: str
    category: str
    summary: str
    start: dt.date
    end: dt.date
    year: str
    draft: bool
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class Package:
    folder: Path
    platform: str
    priority: str
    stations: tuple[Station, ...]
    metadata: dict


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-") or "x"


def group_stations(stations: tuple[Station, ...]) -> dict[tuple[str, str], list[Station]]:
    """The IP stations by package: one per platform and priority.  A platform written
    several ways ("VNPT", "Vnpt", "V.N.P.T", "Mobi Fone" beside "MobiFone") is one
    package: it keeps the spelling of its first row."""
    groups: dict[tuple[str, str], list[Station]] = {}
    spelling: dict[tuple[str, str], tuple[str, str]] = {}
    for station in stations:
        if station.kind == "ip":
            key = spelling.setdefault((_same(station.platform), station.priority),
                                      (station.platform, station.priority))
            groups.setdefault(key, []).append(station)
    return groups


def _same(platform: str) -> str:
    """What stays of a platform's name whatever its case, spaces, dots and hyphens."""
    return slug(platform).replace("-", "")


# Names Windows refuses for a file or folder, whatever follows the dot.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}
MAX_FOLDER = 40      # the folder of a package: the path must stay short on Windows


def folder_name(platform: str, priority: str) -> str:
    name = slug(platform)[:MAX_FOLDER].strip("-") or "x"
    name += "-ip" if name in _RESERVED else ""
    return name + ("" if priority == NORMAL else "-" + slug(priority))


def package_folders(stations: tuple[Station, ...]) -> dict[tuple[str, str], str]:
    """The folder of each package (its platform's first spelling, and priority): a
    readable name, and another for two platforms that would share one ("-2")."""
    folders: dict[tuple[str, str], str] = {}
    for key in group_stations(stations):
        name, n = folder_name(*key), 1
        while name in folders.values():
            n += 1
            name = "{base}-{n}".format(base=folder_name(*key), n=n)
        folders[key] = name
    return folders


def station_folders(stations: tuple[Station, ...]) -> dict[str, str]:
    """Station name -> the folder of its package (for the dispatch list)."""
    folders = package_folders(stations)
    return {member.name: folders[key]
            for key, members in group_stations(stations).items() for member in members}


def write_packages(out_dir: Path, stations: tuple[Station, ...], audio: tuple[IpAudio, ...],
                   campaign: Campaign) -> tuple[Package, ...]:
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_folders(out_dir)
    write_bytes(out_dir / SCHEMA_NAME, SCHEMA_PATH.read_bytes())
    packages = []
    folders = package_folders(stations)
    for (platform, priority), members in group_stations(stations).items():
        final = out_dir / folders[platform, priority]
        with atomic_folder(final) as folder:     # a package is replaced whole, or not at all
            items = [_item(folder, a, campaign) for a in audio]
            metadata = _metadata(platform, priority, members, items, campaign)
            write_text(folder / "goi-tin.json",
                       json.dumps(metadata, ensure_ascii=False, indent=2) + "\n")
            write_text(folder / "goi-tin.txt", _sheet(metadata).replace("\n", "\r\n"),
                       encoding="utf-8-sig", newline="")
        packages.append(Package(final, platform, priority, tuple(members), metadata))
    remove_stale_packages(out_dir, {p.folder.name for p in packages})
    return tuple(packages)


def _title(title: str, campaign: Campaign) -> str:
    return "BẢN NHÁP – {title}".format(title=title) if campaign.draft else title


def _item(folder: Path, audio: IpAudio, campaign: Campaign) -> dict:
    from ..targets import mp3

    programme = audio.programme
    name = "{n:02d}-{slug}.mp3".format(n=programme.number, slug=slug(programme.title)[:48])
    title = _title(programme.title, campaign)
    with atomic_path(folder / name) as tmp:
        shutil.copyfile(audio.path, tmp)
        mp3.write_tags(tmp, mp3.Tags(title=title, artist=campaign.publisher,
                                     album=campaign.production, track=programme.number,
                                     year=campaign.year, comment=campaign.summary), 3)
    path = folder / name
    profile = audio.profile
    return {
        "file": name, "episode": programme.name, "number": programme.number, "title": title,
        "summary": campaign.summary, "category": campaign.category,
        "duration_s": round(programme.duration_s, 1), "duration": timecode(programme.duration_s, pad=True, hours=True),
        "bytes": path.stat().st_size, "sha256": sha256_file(path),
        "audio": {"format": "mp3", "channels": profile.channels,
                  "sample_rate_hz": profile.sample_rate_hz,
                  "bitrate_kbps": profile.bitrate_kbps, "preset": programme.preset,
                  "integrated_lufs": audio.integrated_lufs,
                  "true_peak_dbtp": audio.true_peak_dbtp},
        "slots": slots_of(campaign.slots, "ip", programme.name),
    }


def _metadata(platform: str, priority: str, members: list[Station], items: list[dict],
              campaign: Campaign) -> dict:
    return {
        "$schema": "../" + SCHEMA_NAME, "schema": "radio-ip-package/1",
        "draft": campaign.draft, "notice": DRAFT_LINE if campaign.draft else "",
        "platform": platform, "priority": priority, "priority_code": PRIORITY_CODES[priority],
        "category": campaign.category, "publisher": campaign.publisher,
        "production": campaign.production, "valid_from": campaign.start.isoformat(),
        "valid_to": campaign.end.isoformat(),
        "stations": [{"name": s.name, "commune": s.commune, "district": s.district,
                      "contact": s.contact, "notes": s.notes} for s in members],
        "items": items,
    }


def _sheet(data: dict) -> str:
    start = dt.date.fromisoformat(data["valid_from"])
    end = dt.date.fromisoformat(data["valid_to"])
    lines = [DRAFT_LINE, ""] if data["draft"] else []
    lines += ["GÓI TIN TẢI LÊN HỆ THỐNG TRUYỀN THANH ỨNG DỤNG CNTT–VT",
              "Nền tảng: {platform}".format(platform=data["platform"]),
              "Mức ưu tiên: {priority} ({meaning})".format(
                  priority=data["priority"], meaning=PRIORITY_MEANING[data["priority"]]),
              "Thể loại: {category}".format(category=data["category"]),
              "Đơn vị phát hành: {publisher}".format(publisher=data["publisher"]),
              "Hiệu lực: từ {start} đến {end}".format(start=vi_date(start), end=vi_date(end)),
              "", "ĐÀI NHẬN ({count})".format(count=len(data["stations"]))]
    for s in data["stations"]:
        lines.append("- {name} — {place} {contact}".format(
            name=s["name"], place=", ".join(p for p in (s["commune"], s["district"]) if p),
            contact="({contact})".format(contact=s["contact"]) if s["contact"] else "").rstrip())
    for item in data["items"]:
        audio = item["audio"]
        times = sorted({slot["time"] for slot in item["slots"]})
        lines += ["", "BÀI {number}: {title}".format(number=item["number"], title=item["title"]),
                  "  Tệp: {file}".format(file=item["file"]),
                  "  Thời lượng: {duration}; {size} MB; MP3 {kbps} kbit/s, {channels}, "
                  "{rate} kHz".format(duration=item["duration"],
                                      size=vi_number(item["bytes"] / 1e6, 1),
                                      kbps=audio["bitrate_kbps"],
                                      channels="đơn kênh (mono)" if audio["channels"] == 1
                                      else "hai kênh (stereo)",
                                      rate=vi_number(audio["sample_rate_hz"] / 1000, 1)),
                  "  Độ lớn: {lufs} LUFS; đỉnh thực {peak} dBTP".format(
                      lufs=vi_number(audio["integrated_lufs"]),
                      peak=vi_number(audio["true_peak_dbtp"])),
                  "  Tóm tắt: {summary}".format(summary=item["summary"]),
                  "  Khung giờ gợi ý: {count} lượt, lúc {times}, từ {start} đến {end} "
                  "(xem lịch phát sóng)".format(count=len(item["slots"]), times=", ".join(times),
                                                start=vi_date(start), end=vi_date(end))]
    return "\n".join(lines) + "\n"


def remove_stale_packages(out_dir: Path, keep: set[str]) -> None:
    """Packages of a platform (or priority) no longer in stations.csv (all of them when
    no IP station is left: an operator must not upload a package nobody is listed for)."""
    for old in out_dir.glob("*/goi-tin.json"):
        if old.parent.name not in keep and not old.parent.name.startswith("."):
            shutil.rmtree(old.parent)

