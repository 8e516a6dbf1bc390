"""Generated files on the data disc: DOCTRUOC.TXT and the two playlists."""
from __future__ import annotations

from ..clock import timecode
from ..i18n import _, language, ngettext
from .model import DiscPlan, DiscSpec, IsoEntry
from .names import ascii_fold, nfc
from .plan import script_folder

README_ISO = "/DOCTRUOC.TXT;1"
M3U8_ISO = "/DANHSACH.M8U;1"          # ISO 9660 level 1 allows 3-letter extensions only
M3U_ISO = "/DANHSACH.M3U;1"


def long_names(lang: str) -> tuple[str, str, str]:
    """The Joliet/Rock Ridge names of the read-me and the two playlists, in *lang*."""
    with language(lang):
        return ("/" + _("READ ME FIRST.txt"), "/" + _("Playlist.m3u8"),
                "/" + _("Playlist (old players, 8.3 names).m3u"))


def _name(path: str) -> str:
    """The last component of an ISO or long path, without the ISO version."""
    return path.rsplit("/", 1)[-1].split(";")[0]


def generated_files(spec: DiscSpec, plan: DiscPlan, edition: str) -> tuple[IsoEntry, ...]:
    readme, m3u8, m3u = long_names(spec.language)
    return (
        IsoEntry(README_ISO, readme, None, readme_bytes(spec, plan, edition), "readme"),
        IsoEntry(M3U8_ISO, m3u8, None, playlist_m3u8(spec, plan), "playlist"),
        IsoEntry(M3U_ISO, m3u, None, playlist_m3u(spec, plan), "playlist"),
    )


def _mp3s(spec: DiscSpec, plan: DiscPlan):
    """(IsoEntry, DiscItem) for every MP3, in disc order."""
    by_path = {item.mp3_path: item for item in spec.items}
    return [(e, by_path[e.source]) for e in plan.files if e.kind == "mp3"]


def playlist_m3u8(spec: DiscSpec, plan: DiscPlan) -> bytes:
    lines = ["#EXTM3U"]
    for entry, item in _mp3s(spec, plan):
        lines += [f"#EXTINF:{round(item.duration_s)},{nfc(item.title)}", _name(entry.long_path)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def playlist_m3u(spec: DiscSpec, plan: DiscPlan) -> bytes:
    lines = ["#EXTM3U"]
    for entry, item in _mp3s(spec, plan):
        lines += [f"#EXTINF:{round(item.duration_s)},{ascii_fold(item.title)}",
                  _name(entry.iso_path)]
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def _draft_lines(spec: DiscSpec, plan: DiscPlan) -> list[str]:
    if not plan.draft:
        return []
    bar = "=" * 64
    lines = [bar, "  " + _("DRAFT — NOT FOR BROADCAST"), bar]
    if spec.draft:
        lines.append(_('The production is a draft (status = "draft" in radio.toml).'))
    for item in sorted(spec.items, key=lambda i: (i.number, i.name)):
        synthesized = item.placeholders - item.pending_cues
        if synthesized > 0:
            lines.append(ngettext(
                "Episode {number} ({name}): {n} paragraph of synthesized speech still awaits "
                "its recorded take.",
                "Episode {number} ({name}): {n} paragraphs of synthesized speech still await "
                "their recorded takes.", synthesized, number=item.number, name=item.name))
        if item.pending_cues:
            lines.append(ngettext(
                "Episode {number} ({name}): {n} sound cue still awaits its recording "
                "(silence stands in for it).",
                "Episode {number} ({name}): {n} sound cues still await their recording "
                "(silence stands in for them).", item.pending_cues, number=item.number,
                name=item.name))
    return lines + [""]


def readme_text(spec: DiscSpec, plan: DiscPlan, edition: str) -> str:
    """ĐỌC TRƯỚC.txt in the production's language (``[production] language``)."""
    with language(spec.language):
        return _readme_text(spec, plan, edition)


def _readme_text(spec: DiscSpec, plan: DiscPlan, edition: str) -> str:
    playlist = long_names(spec.language)[1][1:]
    lines = _draft_lines(spec, plan)
    lines += [nfc(spec.title or plan.label), "",
              _("Publisher: {publisher}", publisher=nfc(spec.publisher)),
              _("Edition: {edition}", edition=edition),
              _("Date: {date}", date=spec.date),
              _("Volume label: {label}", label=plan.label), "",
              _("AUDIO CD — TRACK LIST"),
              # TRANSLATORS: column headings; the second one is 10 characters wide.
              _("Track    Duration  Title")]
    for t in plan.tracks:
        lines.append(f"{t.number:>5}  {timecode(t.duration_s, pad=True):>10}  {nfc(t.title)}")
    lines += [_("Total duration: {duration}", duration=timecode(plan.audio_s, pad=True)), "",
              _("MP3 DATA DISC")]
    for entry, item in _mp3s(spec, plan):
        lines.append(f"  {timecode(item.duration_s, pad=True)}  {_name(entry.long_path)}")
    lines += ["", _("HOW TO PLAY"),
              _("- Audio CD: plays in any CD player, one track per programme."),
              _("- MP3 data disc: open it on a computer or an MP3 player; the .mp3 files are in\n"
                "  the top folder of the disc; the playlist is \"{playlist}\" (players\n"
                "  that read only 8.3 names: {playlist_83});\n"
                "  the scripts are in the \"{folder}\" folder.", playlist=playlist,
                playlist_83=M3U_ISO[1:].split(";")[0], folder=script_folder(spec.language)),
              _("- Verify a copy: radio verify {label}.iso", label=plan.label), "",
              _("BROADCAST NOTES"),
              nfc(spec.notes).strip() or _("(none)")]
    return "\n".join(lines) + "\n"


def readme_bytes(spec: DiscSpec, plan: DiscPlan, edition: str) -> bytes:
    """UTF-8 with BOM and CRLF line ends, so Windows Notepad shows it right."""
    text = readme_text(spec, plan, edition).replace("\r\n", "\n").replace("\n", "\r\n")
    return b"\xef\xbb\xbf" + text.encode("utf-8")
