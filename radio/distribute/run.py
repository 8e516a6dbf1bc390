"""``radio distribute``: build what is out of date, then write output/distribution/.

    output/distribution/
      ip/<platform>[-<priority>]/   MP3s + goi-tin.json + goi-tin.txt (one upload package)
      ip/goi-tin.schema.json        the metadata's JSON Schema
      cd/                           label and case insert of the commune disc (output/disc/)
      province/                     label and insert of the provinces' broadcast disc,
      province/disc/                and that disc (EBU R128) with its burn.log
      lich-phat-song.csv / .pdf     the broadcast schedule
      danh-sach-gui.csv / .pdf      the dispatch list (who gets what, copy ids, signatures)
      danh-sach-gui.json            the same for `radio burn`
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..clock import build_epoch, timecode
from ..config import Production
from ..errors import Problem, UserError, raise_if_errors
from ..fsio import BuildLock, write_bytes, write_text
from ..i18n import _, _l
from ..log import Log
from . import dispatch, labels, packages, printing, schedule, sheets
from .model import Programme, read_programme, vi_number
from .profile import Distribution, load_distribution
from .stations import EMERGENCY, FILE_NAME, StationList, read_stations

BROADCAST = "broadcast"
USE = {"cd": "Đĩa cho đài truyền thanh cấp xã (chế độ loa truyền thanh, {lufs} LUFS)",
       "province": "Đĩa cho đài phát thanh tỉnh bạn (phát sóng EBU R128, {lufs} LUFS)"}


@dataclass(frozen=True)
class Request:
    allow_draft: bool = False
    confirm_emergency: bool = False
    jobs: int = 1
    offline: bool = False


@dataclass(frozen=True)
class Result:
    out_dir: Path
    packages: tuple[packages.Package, ...]
    rows: tuple[dispatch.Row, ...]
    draft: bool


def run_distribute(production: Production, request: Request, log: Log) -> Result:
    stations = _stations(production)
    if stations.encoding == "cp1258":
        log.info(_("stations.csv is in Windows-1258 (Excel's \"CSV (Comma delimited)\"): "
                   "read as such"))
    for line, name, first, other in stations.look_alike:
        log.warn(_("{file}:{line}: '{name}' differs from '{other}' (line {first}) only in its "
                   "accents: if it is the same station, remove one of the rows, or it gets "
                   "everything twice", file=FILE_NAME, line=line, name=name, other=other,
                   first=first))
    dist = load_distribution(production)
    _refuse_emergency(stations, request)
    if production.settings.production.status == "draft" and not request.allow_draft:
        _refuse_draft(_l("status = \"draft\" in radio.toml"))
    if stations.sample:
        log.warn(_("stations.csv is marked as a sample (bản mẫu): replace it with the real "
                 "stations before anything goes out"))
    kinds = tuple(k for k in ("ip", "cd", "province") if stations.of_kind(k))
    local = production.settings.build.preset
    presets = [p for p, needed in ((local, "ip" in kinds or "cd" in kinds),
                                   (BROADCAST, "province" in kinds)) if needed]
    built = {preset: _build(production, preset, request, log) for preset in presets}
    waiting = sum(p.placeholders for progs in built.values() for p in progs)
    if waiting and not request.allow_draft:
        _refuse_draft(_l("paragraphs still synthesized, waiting for takes: {n}", n=waiting))
    draft = production.settings.production.status == "draft" or waiting > 0
    out = production.output_dir / "distribution"
    with BuildLock(production.state_dir / "lock"):
        return _write(production, stations, dist, built, kinds, draft, out, log)


def _stations(production: Production) -> StationList:
    path = production.root / FILE_NAME
    near = sorted(p.name for p in production.root.glob("*")
                  if p.is_file() and p.name.casefold().startswith("stations")
                  and p.name != FILE_NAME)
    if not path.is_file() and near:     # Excel's "Unicode Text" is .txt; a workbook .xlsx
        raise UserError(_l("there is no stations.csv in the production, but there is {name}",
                           name=", ".join(near[:3])), path=FILE_NAME,
                        hint=_l("open it in Excel and choose Save As > CSV UTF-8 (Comma "
                                "delimited), with the name stations.csv"))
    if not path.is_file():
        raise UserError(_l("there is no stations.csv in the production"), path=FILE_NAME,
                        hint=_l("list the receiving stations in stations.csv (see the README: "
                             "name,commune,district,kind,platform,contact,copies,priority,notes)"))
    return read_stations(path)


def _refuse_emergency(stations: StationList, request: Request) -> None:
    if request.confirm_emergency:
        return
    raise_if_errors([Problem(_l("the station '{name}' has priority khẩn cấp: its system plays the "
                             "programme at once, interrupting everything", name=s.name),
                             FILE_NAME, s.line, _l("confirm with --confirm-emergency, or leave the "
                                                   "priority empty (thông thường)"))
                     for s in stations.stations if s.priority == EMERGENCY])


def _refuse_draft(reason: str) -> None:
    raise UserError(_l("the production is a draft ({reason}): its packages and discs must not "
                    "go out", reason=reason),
                    hint=_l("finish it and set status = \"final\" in radio.toml, or try the "
                         "distribution with --allow-draft (everything then says BẢN NHÁP)"))


def _build(production: Production, preset: str, request: Request,
           log: Log) -> tuple[Programme, ...]:
    from ..pipeline.build import build
    from ..pipeline.options import BuildOptions

    options = BuildOptions.from_names(preset=preset, offline=request.offline, jobs=request.jobs)
    results = build(production, None, options, log)
    return tuple(sorted((read_programme(r.report_path) for r in results),
                        key=lambda p: (p.number, p.name)))


def _write(production: Production, stations: StationList, dist: Distribution,
           built: dict, kinds: tuple[str, ...], draft: bool, out: Path, log: Log) -> Result:
    settings = production.settings
    epoch = build_epoch(settings.production.date)
    programmes = next(iter(built.values()))
    slots = schedule.plan_schedule(dist, programmes, kinds)
    # What can fail (encoding, measuring) is done before anything is written here.
    audio = _encode(production, dist, built[settings.build.preset], log) \
        if "ip" in kinds else ()
    discs = {}
    for kind in ("cd", "province"):
        if kind in kinds:
            preset = BROADCAST if kind == "province" else settings.build.preset
            discs[kind] = _disc(production, kind, built[preset], dist, draft, out, epoch, log)
        else:                   # nobody of that kind is listed: no labels to print for them
            _remove_pieces(out / kind)
    made: tuple[packages.Package, ...] = ()
    if "ip" in kinds:
        made = _ip(production, stations, dist, audio, slots, draft, out)
    else:
        packages.remove_stale_packages(out / "ip", set())
    names = {name: "ip/" + folder
             for name, folder in packages.station_folders(stations.stations).items()}
    previous = dispatch.read_previous(out / dispatch.JSON_NAME)
    rows = dispatch.plan_dispatch(stations.stations, names, discs, previous,
                                  dispatch.logged_ids(production.root, discs))
    _write_schedule(out, slots, kinds, dist, draft, settings.production.publisher, epoch)
    burned = dispatch.burned_copies(production.root, rows)
    _write_dispatch(production, out, rows, burned, draft or stations.sample, epoch)
    _summary(production, rows, made, burned, log)
    return Result(out, made, rows, draft)


def _disc(production: Production, kind: str, programmes: tuple[Programme, ...],
          dist: Distribution, draft: bool, out: Path, epoch: int, log: Log) -> tuple[str, str]:
    """Write (or keep) the disc for *kind*, its label and insert; (folder, volume label)."""
    from ..disc import write_disc
    from ..commands.disc import disc_spec
    from ..targets.report import Report

    reports = [Report.load(p.report_path) for p in programmes]
    spec = disc_spec(production, reports, programmes[0].preset)
    folder = production.output_dir / "disc" if kind == "cd" else out / "province" / "disc"
    manifest = write_disc(spec, folder, log=log.info, shown=production.rel(folder))
    lufs = vi_number(programmes[0].target_lufs)
    face = labels.DiscFace(
        title=spec.title, publisher=spec.publisher, edition=manifest.edition,
        date=manifest.date, volume_label=manifest.label,
        use=USE[kind].format(lufs=lufs),
        tracks=tuple((t.number, t.title, t.duration_s) for t in manifest.tracks),
        draft=draft or manifest.draft)
    _write_pieces(out / kind, face, dist, production.settings.production.publisher, epoch)
    return production.rel(folder), "{label} ({folder})".format(
        label=manifest.label, folder=production.rel(folder))


PIECES = ("nhan-dia.svg", "nhan-dia.pdf", "bia-truoc.svg", "bia-khay.svg", "bia-hop.pdf")


def _remove_pieces(folder: Path) -> None:
    """The label and case insert of a kind of station no longer on the list (the
    province disc beside them stays, with its burn.log: copies already made)."""
    for name in PIECES:
        (folder / name).unlink(missing_ok=True)


def _write_pieces(folder: Path, face: labels.DiscFace, dist: Distribution, author: str,
                  epoch: int) -> None:
    pieces = {"nhan-dia": [labels.disc_label(face, dist.label)],
              "bia-hop": [labels.front(face), labels.tray(face)]}
    svg_names = {"nhan-dia": ["nhan-dia.svg"], "bia-hop": ["bia-truoc.svg", "bia-khay.svg"]}
    for name, pages in pieces.items():
        for page, svg_name in zip(pages, svg_names[name]):
            write_text(folder / svg_name, printing.svg(page, face.title))
        pdf = printing.new_pdf(face.title, author, epoch)
        for page in pages:
            printing.draw_page(pdf, page)
        write_bytes(folder / f"{name}.pdf", printing.pdf_bytes(pdf))


def _encode(production: Production, dist: Distribution, programmes: tuple[Programme, ...],
            log: Log) -> tuple:
    from .ipaudio import encode_for_ip

    return tuple(encode_for_ip(p, dist.ip, production.state_dir, log) for p in programmes)


def _ip(production: Production, stations: StationList, dist: Distribution, audio: tuple,
        slots, draft: bool, out: Path) -> tuple[packages.Package, ...]:
    settings = production.settings.production
    summary = dist.summary or "{title} — chuyên đề phát thanh của {publisher}.".format(
        title=settings.title, publisher=settings.publisher)
    campaign = packages.Campaign(settings.title, settings.publisher, dist.category,
                                 summary, dist.start, dist.end, settings.date[:4], draft,
                                 slots)
    return packages.write_packages(out / "ip", stations.stations, audio, campaign)


def _write_schedule(out: Path, slots, kinds, dist: Distribution, draft: bool, author: str,
                    epoch: int) -> None:
    from .model import vi_date

    write_text(out / "lich-phat-song.csv", schedule.schedule_csv(slots, draft), newline="")
    programmes = sorted({(s.programme.number, s.programme.title, s.programme.duration_s)
                         for s in slots})
    lines = ["Từ {start} đến {end}. Mỗi lượt phát một chuyên đề, lần lượt từng bài; giờ phát "
             "là gợi ý, đài điều chỉnh theo lịch của mình.".format(
                 start=vi_date(dist.start), end=vi_date(dist.end))]
    lines += ["Bài {number}: {title} ({length})".format(number=n, title=t, length=timecode(d, pad=True, hours=True))
              for n, t, d in programmes]
    header = ["Ngày"] + [schedule.KIND_NAMES[k] for k in kinds]
    width = 243 / len(kinds)
    write_bytes(out / "lich-phat-song.pdf", sheets.table_pdf(
        "LỊCH PHÁT SÓNG GỢI Ý", lines, header, schedule.schedule_table(slots, kinds),
        (30,) + (width,) * len(kinds), draft, author, epoch))


def _write_dispatch(production: Production, out: Path, rows, burned, draft: bool,
                    epoch: int) -> None:
    write_text(out / "danh-sach-gui.csv", dispatch.dispatch_csv(rows, burned, draft),
               newline="")
    write_text(out / dispatch.JSON_NAME, dispatch.dispatch_json(rows))
    table = [[str(r.number), "\n".join(p for p in (r.station.name, r.station.commune,
                                                    r.station.district) if p),
              schedule.KIND_NAMES[r.station.kind].split(" (")[0], r.what,
              "\n".join(r.copy_ids) or "—", dispatch.status(r, burned), ""] for r in rows]
    settings = production.settings.production
    lines = ["{publisher} — {title}".format(publisher=settings.publisher, title=settings.title),
             "Mã bản sao: ghi lên đĩa khi ghi (radio burn ghi mã vào burn.log của đĩa)."]
    write_bytes(out / "danh-sach-gui.pdf", sheets.table_pdf(
        "DANH SÁCH GỬI", lines, ["STT", "Đơn vị nhận", "Loại", "Nội dung gửi", "Mã bản sao",
                                 "Đã ghi / kiểm tra", "Ký nhận, ngày"], table,
        (10, 62, 48, 40, 24, 40, 49), draft, settings.publisher, epoch))


def _summary(production: Production, rows, made, burned, log: Log) -> None:
    copies = sum(len(r.copy_ids) for r in rows)
    done = sum(1 for r in rows for i in r.copy_ids if i in burned and burned[i].verified)
    log.info(_("distribution written to {folder}: IP packages: {packages}; disc copies on the "
               "dispatch list: {copies} (burned and verified: {done}; waiting: {left})",
                 packages=len(made), copies=copies, done=done, left=copies - done,
                 folder=production.rel(production.output_dir / "distribution")))
    listed = {i for r in rows for i in r.copy_ids}
    orphans = sorted(i for i, b in burned.items() if b.verified and i not in listed)
    if orphans:
        log.warn(_("burned copies that no station on the list has any more: {ids} (a station "
                   "removed, renamed or given fewer copies in stations.csv); keep them as "
                   "spares or give them to a station by hand", ids=", ".join(orphans)))
