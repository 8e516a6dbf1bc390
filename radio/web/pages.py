"""The site's HTML: the series page, one page per episode, and an embed snippet.

Templates (string.Template) and the static files live in radio/web/templates/.
Every link inside the site is relative, so the folder works from file:// and
from any web server; the embed snippet uses absolute URLs when base_url is set.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from importlib import resources
from string import Template
from urllib.parse import quote

from ..clock import timecode
from ..i18n import _, language, ngettext
from ..targets.report import Report
from .timings import Sentence


def N_(text: str) -> str:   # marks a message for the catalog; translated where it is used
    return text

ENGINES = {"espeak": N_("synthesized voice (espeak-ng)"),
           "gtts": N_("synthesized voice (Google)"), "take": N_("recorded")}


def engine_text(engine: str) -> str:
    return _(ENGINES[engine]) if engine in ENGINES else engine


@dataclass(frozen=True)
class Site:
    series: str
    publisher: str
    description: str
    language: str
    cover: str               # file name at the site's root
    draft: bool
    feed: bool               # a feed.xml was written


@dataclass(frozen=True)
class EpisodePage:
    report: Report
    subtitle: str
    description: str
    date: str                # yyyy-mm-dd
    mp3_name: str
    mp3_bytes: int
    sentences: tuple[Sentence, ...]
    speakers: tuple[tuple[str, tuple[str, ...]], ...]   # (name, engines: espeak, take...)


def static_file(name: str) -> bytes:
    return resources.files(__package__).joinpath("templates", name).read_bytes()


def _template(name: str) -> Template:
    return Template(static_file(name).decode("utf-8"))


def e(text) -> str:
    return html.escape(str(text), quote=True)


def url_part(name: str) -> str:
    """A file or folder name as one segment of an address: an episode named after its
    script ("Chuyên đề số 1", "Bản tin #2") is percent-encoded (UTF-8), or a browser
    would stop its address at the '#' and a podcast app at the space."""
    return quote(name, safe="")


def clock(seconds: float) -> str:
    return timecode(int(seconds), hours=True)


def day_text(day: str) -> str:
    year, month, date = day.split("-")
    return _("{year}-{month:02d}-{day:02d}", year=year, month=int(month), day=int(date))


def draft_word() -> str:
    return _("Draft")


def download_text(size: int) -> str:
    return _("Download the MP3 ({size:.1f} MB)", size=size / 1_000_000)


def _banners(site: Site, sample: bool) -> str:
    draft = _("Draft: not the official release yet.")
    out = f'<p class="draft">{e(draft)}</p>\n' if site.draft else ""
    note = _("Sample: the interview voices in this programme are fictional.")
    return out + (f'<p class="sample">{e(note)}</p>\n' if sample else "")


def _kicker(site: Site, number: int | None) -> str:
    """The line above a title (plain text: escape it where it is used)."""
    text = _("Programme {number}", number=number) if number else _("Radio programmes")
    return text + (f" · {draft_word()}" if site.draft else "")


def _chapters(report: Report) -> str:
    return "".join(f'<li><a class="chapter" href="#t={c.start_ms / 1000:.3f}" '
                   f'data-start="{c.start_ms / 1000:.3f}"><span class="time">'
                   f'{clock(c.start_ms / 1000)}</span> {e(c.title)}</a></li>\n'
                   for c in report.chapters)


def _chapters_section(report: Report) -> str:
    """The chapter list; none for a script without headings (no empty list)."""
    if not report.chapters:
        return ""
    heading = _("Chapters")
    return (f'<section>\n<h2>{e(heading)}</h2>\n<ol class="chapters">\n'
            f"{_chapters(report)}</ol>\n</section>\n")


def _json_link(report: Report) -> str:
    """The link to chapters.json, written only when the episode has chapters."""
    label = _("Chapters (JSON)")
    return f'<a href="chapters.json">{e(label)}</a>' if report.chapters else ""


def _note(start_ms: int, label: str) -> str:
    text = _("[Recording: {label}]", label=label)
    return f'<p class="note" data-start="{start_ms / 1000:.3f}">{e(text)}</p>\n'


def _notes(report: Report) -> list[tuple[int, str, str]]:
    """(start ms, chapter, html) of the recordings with a label: interviews, mostly."""
    return [(s.start_ms, s.chapter, _note(s.start_ms, s.label))
            for s in report.segments if s.kind == "clip" and s.label]


def _transcript(page: EpisodePage) -> str:
    rows: list[tuple[int, str, str]] = list(_notes(page.report))
    paragraphs: dict[int, list[Sentence]] = {}
    for sentence in page.sentences:
        paragraphs.setdefault(sentence.paragraph, []).append(sentence)
    for group in paragraphs.values():
        spans = " ".join(f'<span class="s" tabindex="0" data-start="{s.start_ms / 1000:.3f}" '
                         f'data-end="{s.end_ms / 1000:.3f}">{e(s.text)}</span>' for s in group)
        rows.append((group[0].start_ms, group[0].chapter,
                     f'<div class="para"><div class="who">{e(group[0].speaker)}</div>'
                     f'<p>{spans}</p></div>\n'))
    out, chapter = [], None
    titles = {c.title for c in page.report.chapters}
    for _start, row_chapter, row in sorted(rows, key=lambda r: r[0]):
        if row_chapter != chapter and row_chapter in titles:
            out.append(f"<h3>{e(row_chapter)}</h3>\n")
        chapter = row_chapter
        out.append(row)
    return "".join(out)


def _credits(site: Site, page: EpisodePage) -> str:
    rows = [(_("Produced by"), site.publisher)]
    rows += [(name, ", ".join(engine_text(x) for x in how)) for name, how in page.speakers]
    rows += [(_("Recording"), s.label) for s in page.report.segments
             if s.kind == "clip" and s.label]
    rows.append((_("Made with"), _("radio (software for radio programmes)")))
    return "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>\n" for k, v in rows)


def episode_html(site: Site, page: EpisodePage) -> str:
    with language(site.language):
        return _episode_html(site, page)


def _episode_html(site: Site, page: EpisodePage) -> str:
    report, name = page.report, page.report.episode
    return _template("episode.html").substitute(
        lang=e(site.language), title=e(report.title), series=e(site.series),
        description=e(page.description or report.title), cover=e(site.cover),
        banners=_banners(site, report.sample), kicker=e(_kicker(site, report.number)),
        subtitle=f'<p class="subtitle">{e(page.subtitle)}</p>\n' if page.subtitle else "",
        publisher=e(site.publisher),
        duration=e(_("Duration {duration}", duration=clock(report.duration_s))),
        date_text=e(day_text(page.date)), mp3=e(url_part(page.mp3_name)),
        vtt=e(url_part(f"{name}.vtt")), srt=e(url_part(f"{name}.srt")),
        l_captions=e(_("Captions")),
        l_download=e(download_text(page.mp3_bytes)), l_vtt=e(_("WebVTT captions")),
        l_srt=e(_("SRT captions")), json_link=_json_link(report),
        l_embed=e(_("Embed code")), chapters_section=_chapters_section(report),
        l_transcript=e(_("Transcript")), l_credits=e(_("Credits")),
        description_html=f"<p>{e(page.description)}</p>\n" if page.description else "",
        transcript=_transcript(page),
        credits=_credits(site, page))


def embed_html(site: Site, page: EpisodePage, base: str) -> str:
    """*base*: the episode folder's absolute URL (ends with /), or "" for relative links."""
    report = page.report
    page_url = base + "index.html"
    chapters = "".join(f'<li><a href="{e(page_url)}#t={c.start_ms / 1000:.3f}">'
                       f"{clock(c.start_ms / 1000)} — {e(c.title)}</a></li>\n"
                       for c in report.chapters)
    if chapters:
        chapters = f'<ol style="margin:8px 0;padding-left:20px;font-size:14px">\n{chapters}</ol>\n'
    with language(site.language):
        note = _("{title}: paste this snippet into the article editor of the portal "
                 "(in its HTML mode).", title=report.title)
        return _template("embed.html").substitute(
            l_paste=e(note).replace("--", "–"), kicker=e(_kicker(site, report.number).upper()),
            series=e(site.series), title=e(report.title), mp3=e(base + url_part(page.mp3_name)),
            chapters=chapters, page=e(base + "index.html"),
            l_page=e(_("Listen and read the transcript")),
            l_download=e(_("Download the MP3")))


def series_html(site: Site, pages: list[EpisodePage]) -> str:
    with language(site.language):
        return _series_html(site, pages)


def _series_html(site: Site, pages: list[EpisodePage]) -> str:
    items = []
    for page in pages:
        report, folder = page.report, url_part(page.report.episode)
        mp3 = f"{folder}/{url_part(page.mp3_name)}"
        duration = _("Duration {duration}", duration=clock(report.duration_s))
        kicker = _("Programme {number}", number=report.number)
        both = _("Transcript and chapters")
        items.append(
            f'<li><p class="kicker">{e(kicker)}</p>'
            f'<h2><a href="{e(folder)}/index.html">{e(report.title)}</a></h2>\n'
            f'<p class="meta">{e(duration)} · {e(day_text(page.date))}</p>\n'
            + (f"<p>{e(page.description)}</p>\n" if page.description else "")
            + f'<audio controls preload="metadata" src="{e(mp3)}"></audio>\n'
            f'<p class="links"><a href="{e(folder)}/index.html">'
            f'{e(both)}</a>'
            f'<a href="{e(mp3)}" download>'
            f'{e(download_text(page.mp3_bytes))}</a></p></li>\n')
    feed = e(_("Listen in a podcast app (RSS)"))
    return _template("series.html").substitute(
        lang=e(site.language), series=e(site.series), publisher=e(site.publisher),
        description=e(site.description), cover=e(site.cover),
        banners=_banners(site, any(p.report.sample for p in pages)),
        kicker=e(_kicker(site, None)),
        count=e(ngettext("{n} programme", "{n} programmes", len(pages))),
        feed_link='<link rel="alternate" type="application/rss+xml" href="feed.xml">\n'
        if site.feed else "",
        feed_para=f'<p class="links"><a href="feed.xml">{feed}</a></p>\n' if site.feed else "",
        episodes="".join(items))
