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

from .report import EpisodeReport
from .timings import Sentence

DRAFT = "Bản nháp"
DRAFT_NOTE = "Bản nháp: chưa phải bản phát hành chính thức."
SAMPLE_NOTE = "Bản mẫu: giọng phỏng vấn trong chuyên đề là giả định."
ENGINES = {"espeak": "giọng đọc tổng hợp (espeak-ng)", "gtts": "giọng đọc tổng hợp (Google)",
           "take": "thu âm"}


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
    report: EpisodeReport
    subtitle: str
    description: str
    date: str                # yyyy-mm-dd
    mp3_name: str
    mp3_bytes: int
    sentences: tuple[Sentence, ...]
    speakers: tuple[tuple[str, str], ...]   # (name, how it was voiced)


def static_file(name: str) -> bytes:
    return resources.files(__package__).joinpath("templates", name).read_bytes()


def _template(name: str) -> Template:
    return Template(static_file(name).decode("utf-8"))


def e(text) -> str:
    return html.escape(str(text), quote=True)


def clock(seconds: float) -> str:
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def day_text(day: str) -> str:
    year, month, date = day.split("-")
    return f"ngày {int(date)}/{int(month)}/{year}"


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def _banners(site: Site, sample: bool) -> str:
    out = f'<p class="draft">{e(DRAFT_NOTE)}</p>\n' if site.draft else ""
    return out + (f'<p class="sample">{e(SAMPLE_NOTE)}</p>\n' if sample else "")


def _chapters(report: EpisodeReport) -> str:
    return "".join(f'<li><a class="chapter" href="#t={c.start_ms / 1000:.3f}" '
                   f'data-start="{c.start_ms / 1000:.3f}"><span class="time">'
                   f'{clock(c.start_ms / 1000)}</span> {e(c.title)}</a></li>\n'
                   for c in report.chapters)


def _notes(report: EpisodeReport) -> list[tuple[int, str, str]]:
    """(start ms, chapter, html) of the recordings with a label: interviews, mostly."""
    return [(s.start_ms, s.chapter,
             f'<p class="note" data-start="{s.start_ms / 1000:.3f}">[Băng ghi âm: '
             f'{e(s.label)}]</p>\n')
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
    for _, row_chapter, row in sorted(rows, key=lambda r: r[0]):
        if row_chapter != chapter and row_chapter in titles:
            out.append(f"<h3>{e(row_chapter)}</h3>\n")
        chapter = row_chapter
        out.append(row)
    return "".join(out)


def _credits(site: Site, page: EpisodePage) -> str:
    rows = [("Đơn vị thực hiện", site.publisher)]
    rows += [(name, how) for name, how in page.speakers]
    rows += [("Băng ghi âm", s.label) for s in page.report.segments if s.kind == "clip" and s.label]
    rows.append(("Dàn dựng", "radio (phần mềm dựng chuyên đề phát thanh)"))
    return "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>\n" for k, v in rows)


def episode_html(site: Site, page: EpisodePage) -> str:
    report, name = page.report, page.report.episode
    return _template("episode.html").substitute(
        lang=e(site.language), title=e(report.title), series=e(site.series),
        description=e(page.description or report.title), cover=e(site.cover),
        banners=_banners(site, report.sample), number=report.number,
        draft_kicker=f" · {DRAFT}" if site.draft else "",
        subtitle=f'<p class="subtitle">{e(page.subtitle)}</p>\n' if page.subtitle else "",
        publisher=e(site.publisher), duration=clock(report.duration_s),
        date_text=e(day_text(page.date)), mp3=e(page.mp3_name), vtt=e(f"{name}.vtt"),
        srt=e(f"{name}.srt"), size=megabytes(page.mp3_bytes),
        description_html=f"<p>{e(page.description)}</p>\n" if page.description else "",
        chapters=_chapters(report), transcript=_transcript(page),
        credits=_credits(site, page))


def embed_html(site: Site, page: EpisodePage, base: str) -> str:
    """*base*: the episode folder's absolute URL (ends with /), or "" for relative links."""
    report = page.report
    chapters = "".join(f"<li>{clock(c.start_ms / 1000)} — {e(c.title)}</li>\n"
                       for c in report.chapters)
    return _template("embed.html").substitute(
        title=e(report.title), number=report.number, series=e(site.series),
        draft_kicker=f" · {DRAFT.upper()}" if site.draft else "",
        mp3=e(base + page.mp3_name), chapters=chapters, page=e(base + "index.html"))


def series_html(site: Site, pages: list[EpisodePage]) -> str:
    items = []
    for page in pages:
        report, name = page.report, page.report.episode
        items.append(
            f'<li><p class="kicker">Chuyên đề số {report.number}</p>'
            f'<h2><a href="{e(name)}/index.html">{e(report.title)}</a></h2>\n'
            f'<p class="meta">Thời lượng {clock(report.duration_s)} · {e(day_text(page.date))}</p>\n'
            + (f"<p>{e(page.description)}</p>\n" if page.description else "")
            + f'<audio controls preload="metadata" src="{e(name)}/{e(page.mp3_name)}"></audio>\n'
            f'<p class="links"><a href="{e(name)}/index.html">Toàn văn và các phần</a>'
            f'<a href="{e(name)}/{e(page.mp3_name)}" download>Tải về MP3 '
            f'({megabytes(page.mp3_bytes)})</a></p></li>\n')
    return _template("series.html").substitute(
        lang=e(site.language), series=e(site.series), publisher=e(site.publisher),
        description=e(site.description), cover=e(site.cover),
        banners=_banners(site, any(p.report.sample for p in pages)),
        draft_kicker=f" · {DRAFT}" if site.draft else "", count=len(pages),
        feed_link='<link rel="alternate" type="application/rss+xml" href="feed.xml">\n'
        if site.feed else "",
        feed_para='<p class="links"><a href="feed.xml">Nghe trên ứng dụng podcast (RSS)</a></p>\n'
        if site.feed else "",
        episodes="".join(items))
