"""`radio publish`: build with the `web` preset, then write output/web/.

    output/web/index.html              the series page
    output/web/feed.xml                the podcast feed (needs base_url)
    output/web/cover.png, site.css, player.js
    output/web/<episode>/index.html    player, chapters, transcript, credits
    output/web/<episode>/<episode>.mp3, .vtt, .srt, chapters.json, embed.html
"""
from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

from ..pipeline.build import build, load_lexicon
from ..pipeline.options import BuildOptions
from ..clock import build_date, build_epoch
from ..config import CONFIG_NAME, Production, _key_line
from ..pipeline.prepare import load_episodes
from ..errors import UserError
from ..fsio import BuildLock
from ..i18n import _, _l, language
from ..log import Log
from . import chapters, feed, pages, subtitles
from .cover import series_cover
from ..targets.report import Report
from .site import SiteWriter
from ..textfold import nfc
from .timings import EspeakTimings, episode_sentences

PRESET = "web"
LANGUAGES = {"vie": "vi", "vi": "vi"}


def site_url(base_url: str, path: str | None = None, line: int | None = None) -> str:
    """*base_url* checked, with the one trailing slash that relative URLs need, and
    percent-encoded: a portal folder named in Vietnamese or with a space
    (``/tin tức/``) becomes ``/tin%20t%E1%BB%A9c/``; escapes already there are kept."""
    url = nfc(base_url.strip())
    parts = urlsplit(url)
    netloc = parts.netloc
    try:
        if not netloc.isascii():   # an internationalized domain name
            netloc = netloc.encode("idna").decode("ascii")
    except UnicodeError:
        netloc = ""
    if parts.scheme not in ("http", "https") or not netloc:
        raise UserError(_l("the base URL '{url}' is not an http:// or https:// address",
                           url=base_url), path=path, line=line,
                        hint=_l("give the address where output/web/ will be served, e.g. "
                                "https://example.gov.vn/podcast/"))
    if _FILE_NAME.search(parts.path):   # the feed's or a page's address, not the folder
        raise UserError(_l("the base URL '{url}' is the address of a file, not of the folder "
                           "where output/web/ is served", url=base_url), path=path, line=line,
                        hint=_l("give the folder, e.g. https://example.gov.vn/podcast/ (the "
                                "feed is then https://example.gov.vn/podcast/feed.xml)"))
    folder = quote(parts.path, safe="/%:@!$&'()*+,;=~")
    return urlunsplit((parts.scheme, netloc, folder.rstrip("/") + "/", "", ""))


_FILE_NAME = re.compile(r"\.(xml|rss|html?|php|aspx?|mp3)$", re.IGNORECASE)


def publish(production: Production, base_url: str | None, allow_draft: bool, jobs: int,
            log: Log, offline: bool = False) -> SiteWriter:
    settings = production.settings
    base = site_url(base_url) if base_url else _configured_base(production)
    category = _category(production)
    if settings.production.status == "draft" and not allow_draft:
        raise UserError(_l("this production is a draft (status = \"draft\") and is not "
                           "published"), path="radio.toml", hint=DRAFT_HINT)
    results = build(production, None,
                    BuildOptions.from_names(preset=PRESET, offline=offline, jobs=jobs), log)
    reports = sorted((Report.load(r.report_path) for r in results), key=lambda r: r.number)
    placeholders = sum(r.placeholders for r in reports)
    if placeholders and not allow_draft:
        raise UserError(_l("this production is a draft ({count} paragraphs are still "
                           "synthesized placeholders for recorded takes) and is not published",
                           count=placeholders), path="radio.toml", hint=DRAFT_HINT)
    site = pages.Site(
        series=settings.production.title, publisher=settings.production.publisher,
        description=settings.web.description or settings.production.comment
        or settings.production.title,
        language=LANGUAGES.get(settings.production.language, settings.production.language),
        cover="", draft=settings.production.status == "draft" or placeholders > 0,
        feed=bool(base))
    with BuildLock(production.state_dir / "lock"):
        writer = _write_site(production, site, reports, base, category, log)
    where = production.rel(production.output_dir / "web")
    log.info(_("published {where}/: files written: {written}, unchanged: {same}",
               where=where, written=len(writer.written), same=len(writer.unchanged)))
    if site.draft:
        log.warn(_l("every page of the site is marked as a draft"))
    if not base:
        log.warn(_l("no feed was written: podcast apps need absolute addresses; set "
                    "[web] base_url in radio.toml or give --base-url"))
        log.warn(_l("the embed.html snippets link to their MP3 and page by relative "
                    "addresses, which work only inside output/web/: pasted into a portal "
                    "article they play nothing until [web] base_url is set"))
    elif not settings.web.owner_email:
        log.warn(_l("Apple Podcasts needs an owner e-mail in the feed: set [web] owner_email "
                    "in radio.toml"))
    return writer


def _configured_base(production: Production) -> str:
    """[web] base_url checked; a bad one is reported at its line of radio.toml."""
    configured = production.settings.web.base_url
    if not configured:
        return ""
    try:
        text = (production.root / CONFIG_NAME).read_text(encoding="utf-8-sig")
    except OSError:
        text = ""
    return site_url(configured, CONFIG_NAME, _key_line(text, "web", "base_url"))


def _category(production: Production) -> tuple[str, str]:
    """[web] category and subcategory as Apple Podcasts spells them; one Apple does not
    list (a Vietnamese name, an old one) is refused at its line of radio.toml."""
    web = production.settings.web
    found = feed.apple_category(web.category, web.subcategory)
    if found:
        return found
    try:
        text = (production.root / CONFIG_NAME).read_text(encoding="utf-8-sig")
    except OSError:
        text = ""
    if feed.apple_category(web.category, "") is None:
        raise UserError(_l("[web] category = \"{value}\" is not a category of Apple Podcasts: "
                           "podcast apps would refuse the feed", value=web.category),
                        path=CONFIG_NAME, line=_key_line(text, "web", "category"),
                        hint=_l("write one of Apple's categories, in English: {names}",
                                names=", ".join(feed.APPLE_CATEGORIES)))
    category = feed.apple_category(web.category, "")[0]
    names = feed.APPLE_CATEGORIES[category]
    raise UserError(_l("[web] subcategory = \"{value}\" is not one of Apple Podcasts' "
                       "subcategories of {category}", value=web.subcategory, category=category),
                    path=CONFIG_NAME, line=_key_line(text, "web", "subcategory"),
                    hint=_l("write one of them: {names}; or subcategory = \"\"",
                            names=", ".join(names)) if names else
                    _l("{category} has no subcategories: write subcategory = \"\"",
                       category=category))


DRAFT_HINT = _l("set status = \"final\" when it is ready, or publish it marked as a draft "
                "with `radio publish --allow-draft`")


def _write_site(production: Production, site: pages.Site, reports, base: str,
                category: tuple[str, str], log: Log) -> SiteWriter:
    from dataclasses import replace

    from ..speech.cache import SpeechCache

    writer = SiteWriter(production.output_dir / "web")
    cover_name, cover = series_cover(production)
    site = replace(site, cover=cover_name)
    writer.write(cover_name, cover)
    for name in ("site.css", "player.js"):
        writer.write(name, pages.static_file(name))
    episodes = {ep.name: ep for ep in load_episodes(production, [r.episode for r in reports])}
    timings = EspeakTimings(SpeechCache(production.cache_dir / "speech"), None, log)
    lexicon = load_lexicon(production)
    built = []
    try:
        for report in reports:
            timings.episode = episodes[report.episode]
            built.append(_write_episode(production, writer, site, report,
                                        episodes[report.episode], timings, lexicon, base))
    finally:
        timings.close()
    writer.write("index.html", pages.series_html(site, built))
    if base:
        writer.write("feed.xml", feed.feed_xml(_feed_info(production, site, built, base,
                                                          category)))
        _warn_long_descriptions(production, site, built, log)
    _remove_unpublished(writer, built, site, log)
    return writer


def _warn_long_descriptions(production: Production, site: pages.Site, built,
                            log: Log) -> None:
    """Apple Podcasts takes 4000 characters of a description: say whose was cut."""
    texts = [(CONFIG_NAME, site.description)]
    texts += [(p.report.script, p.description or p.subtitle) for p in built]
    for path, text in texts:
        if len(text) > feed.DESCRIPTION_MAX:
            log.warn(_l("{path}: the description has {count} characters; Apple Podcasts "
                        "takes {limit}: the feed carries its beginning, the page all of it",
                        path=path, count=len(text), limit=feed.DESCRIPTION_MAX))


def _episode_files(name: str) -> tuple[str, ...]:
    """The files publish writes in an episode's folder."""
    return ("index.html", "embed.html", "chapters.json", f"{name}.mp3", f"{name}.vtt",
            f"{name}.srt")


def _remove_unpublished(writer: SiteWriter, built, site: pages.Site, log: Log) -> None:
    """Take off the site what this publish no longer makes: the folder of an episode whose
    script was removed or renamed (else the portal keeps serving it), an episode's
    chapters.json once it has no chapters, a feed.xml without base_url, the other cover.
    Only publish's own files go (in a folder with its NAME/NAME.vtt): anything else
    someone put in output/web/ stays."""
    # casefolded: on Windows a script renamed Tin1.md -> tin1.md keeps its folder "Tin1",
    # which is the published episode's folder and must not be emptied
    names = {p.report.episode.casefold() for p in built}
    try:
        folders = sorted(p.name for p in writer.root.iterdir() if p.is_dir())
    except OSError:
        folders = []
    gone = []
    for folder in folders:
        own = writer.root / folder / f"{folder}.vtt"   # publish's mark on its episode folders
        if folder.casefold() in names or not own.is_file():
            continue
        before = len(writer.removed)
        for piece in _episode_files(folder):
            writer.remove(f"{folder}/{piece}")
        if len(writer.removed) > before:
            gone.append(folder)
    for page in built:
        if not page.report.chapters:
            writer.remove(f"{page.report.episode}/chapters.json")
    if not site.feed:
        writer.remove("feed.xml")
    for cover in ("cover.png", "cover.jpg"):
        if cover != site.cover:
            writer.remove(cover)
    if gone:
        log.info(_("taken off the site (their scripts are no longer in scripts/): {names}",
                   names=", ".join(gone)))


def _write_episode(production, writer: SiteWriter, site, report, episode, timings, lexicon,
                   base: str) -> pages.EpisodePage:
    name = report.episode
    mp3 = report.file("mp3")
    writer.copy(f"{name}/{name}.mp3", mp3)
    sentences = episode_sentences(report, timings, lexicon)
    cues = subtitles.all_cues(sentences, report.duration_ms)
    writer.write(f"{name}/{name}.vtt", subtitles.webvtt(cues))
    writer.write(f"{name}/{name}.srt", subtitles.srt(cues))
    if report.chapters:   # a script without headings has none: no empty file to announce
        writer.write(f"{name}/chapters.json", chapters.chapters_json(report))
    date = episode.date or build_date(build_epoch(production.settings.production.date))
    page = pages.EpisodePage(report=report, subtitle=episode.subtitle,
                             description=episode.description, date=date,
                             mp3_name=f"{name}.mp3", mp3_bytes=mp3.stat().st_size,
                             sentences=sentences, speakers=_speakers(report, episode))
    writer.write(f"{name}/index.html", pages.episode_html(site, page))
    writer.write(f"{name}/embed.html", pages.embed_html(
        site, page, f"{base}{pages.url_part(name)}/" if base else ""))
    return page


def _speakers(report, episode) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(name, how it was voiced) for every speaker heard in the episode."""
    heard: dict[str, set] = {}
    for segment in report.speech:
        heard.setdefault(segment.speaker, set()).add(segment.engine)
    out = []
    for speaker in episode.speakers:
        if speaker.label in heard:
            out.append((speaker.name or speaker.label, tuple(sorted(heard[speaker.label]))))
    return tuple(out)


def _feed_info(production: Production, site: pages.Site, built, base: str,
               category: tuple[str, str]) -> feed.FeedInfo:
    web = production.settings.web
    publisher = production.settings.production.publisher
    items = tuple(feed.FeedItem(
        name=p.report.episode, title=p.report.title,
        description=p.description or p.subtitle or p.report.title, number=p.report.number,
        date=p.date, duration_s=p.report.duration_s, mp3_name=p.mp3_name,
        mp3_bytes=p.mp3_bytes, has_chapters=bool(p.report.chapters)) for p in built)
    with language(site.language):
        title = site.series + (f" ({pages.draft_word()})" if site.draft else "")
    return feed.FeedInfo(
        base_url=base, title=title, description=site.description, language=site.language,
        author=web.author or publisher, owner_name=web.owner_name or publisher,
        owner_email=web.owner_email, category=category[0], subcategory=category[1],
        explicit=web.explicit, locked=web.locked, cover_name=site.cover, items=items)
