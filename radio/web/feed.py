"""The podcast feed: RSS 2.0 with Apple's tags and the Podcasting 2.0 namespace."""
from __future__ import annotations

import datetime as dt
import email.utils
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import quote, urljoin

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
# podcast:guid is a UUIDv5 of the feed URL in this namespace (Podcasting 2.0).
GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

# Apple Podcasts' categories and their subcategories, as the feed must spell them
# (Apple refuses any other; Spotify and Podcast Index read the same tag).
APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": ("Careers", "Entrepreneurship", "Investing", "Management", "Marketing",
                 "Non-Profit"),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": ("Alternative Health", "Fitness", "Medicine", "Mental Health",
                         "Nutrition", "Sexuality"),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": ("Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies",
                "Home & Garden", "Video Games"),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": ("Business News", "Daily News", "Entertainment News", "News Commentary",
             "Politics", "Sports News", "Tech News"),
    "Religion & Spirituality": ("Buddhism", "Christianity", "Hinduism", "Islam", "Judaism",
                                "Religion", "Spirituality"),
    "Science": ("Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics",
                "Natural Sciences", "Nature", "Physics", "Social Sciences"),
    "Society & Culture": ("Documentary", "Personal Journals", "Philosophy", "Places & Travel",
                          "Relationships"),
    "Sports": ("Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf",
               "Hockey", "Rugby", "Running", "Soccer", "Swimming", "Tennis", "Volleyball",
               "Wilderness", "Wrestling"),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews",
                  "TV Reviews"),
}


DESCRIPTION_MAX = 4000   # characters of a description Apple Podcasts takes


def feed_text(text: str, limit: int = DESCRIPTION_MAX) -> str:
    """*text* as the feed can carry it: at most *limit* characters, cut after a word
    and ended with '…' when longer (the page keeps the whole text)."""
    if len(text) <= limit:
        return text
    head = text[:limit].rsplit(None, 1)[0] if " " in text[:limit] else text[:limit - 1]
    return head.rstrip(" ,;:–—") + "…"


def _folded(name: str) -> str:
    return " ".join(name.replace(" and ", " & ").split()).casefold()


def apple_category(category: str, subcategory: str) -> tuple[str, str] | None:
    """(category, subcategory) as Apple spells them, written in any letter case and
    with "and" for "&"; None when Apple does not list them."""
    found = {_folded(k): k for k in APPLE_CATEGORIES}.get(_folded(category))
    if found is None:
        return None
    if not subcategory.strip():
        return found, ""
    sub = {_folded(k): k for k in APPLE_CATEGORIES[found]}.get(_folded(subcategory))
    return (found, sub) if sub else None


@dataclass(frozen=True)
class FeedItem:
    name: str              # the episode's folder
    title: str
    description: str
    number: int
    date: str              # yyyy-mm-dd
    duration_s: float
    mp3_name: str
    mp3_bytes: int
    has_chapters: bool = True   # else no chapters.json: apps are not sent to an empty one


@dataclass(frozen=True)
class FeedInfo:
    base_url: str
    title: str
    description: str
    language: str
    author: str
    owner_name: str
    owner_email: str
    category: str
    subcategory: str
    explicit: bool
    locked: bool
    cover_name: str
    items: tuple[FeedItem, ...]


def feed_guid(feed_url: str) -> str:
    """UUIDv5 of the feed URL without its scheme and trailing slashes."""
    bare = feed_url.split("://", 1)[-1].rstrip("/")
    return str(uuid.uuid5(GUID_NAMESPACE, bare))


def rfc2822(day: str, number: int = 1) -> str:
    """Noon UTC of *day*, and a second later for each episode number: apps order the
    episodes by pubDate, and two published the same day must not share one time."""
    moment = dt.datetime.fromisoformat(day).replace(hour=12, tzinfo=dt.timezone.utc)
    moment += dt.timedelta(seconds=min(max(number - 1, 0), 12 * 3600 - 1))
    return email.utils.format_datetime(moment)


def duration(seconds: float) -> str:
    total = round(seconds)
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def _sub(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _channel(rss, info: FeedInfo, url) -> ET.Element:
    channel = _sub(rss, "channel")
    _sub(channel, "title", info.title)
    _sub(channel, "link", url(""))
    _sub(channel, "description", feed_text(info.description))
    _sub(channel, "language", info.language)
    _sub(channel, f"{{{ATOM}}}link", href=url("feed.xml"), rel="self",
         type="application/rss+xml")
    image = _sub(channel, "image")   # RSS 2.0's own: what plain feed readers show
    _sub(image, "url", url(info.cover_name))
    _sub(image, "title", info.title)
    _sub(image, "link", url(""))
    _sub(channel, f"{{{ITUNES}}}image", href=url(info.cover_name))
    category = _sub(channel, f"{{{ITUNES}}}category")
    category.set("text", info.category)   # an attribute: `text=` is the element's text here
    if info.subcategory:
        _sub(category, f"{{{ITUNES}}}category").set("text", info.subcategory)
    _sub(channel, f"{{{ITUNES}}}explicit", "true" if info.explicit else "false")
    _sub(channel, f"{{{ITUNES}}}author", info.author)
    owner = _sub(channel, f"{{{ITUNES}}}owner")
    _sub(owner, f"{{{ITUNES}}}name", info.owner_name)
    if info.owner_email:
        _sub(owner, f"{{{ITUNES}}}email", info.owner_email)
    _sub(channel, f"{{{ITUNES}}}type", "episodic")
    _sub(channel, f"{{{PODCAST}}}guid", feed_guid(url("feed.xml")))
    locked = _sub(channel, f"{{{PODCAST}}}locked", "yes" if info.locked else "no")
    if info.owner_email:
        locked.set("owner", info.owner_email)
    return channel


def _item(channel, info: FeedInfo, item: FeedItem, url) -> None:
    entry = _sub(channel, "item")
    folder = f"{item.name}/"
    _sub(entry, "title", item.title)
    _sub(entry, "description", feed_text(item.description or item.title))
    _sub(entry, "link", url(folder))
    _sub(entry, "guid", str(uuid.uuid5(uuid.UUID(feed_guid(url("feed.xml"))), item.name)),
         isPermaLink="false")
    _sub(entry, "pubDate", rfc2822(item.date, item.number))
    _sub(entry, "enclosure", url=url(folder + item.mp3_name), length=str(item.mp3_bytes),
         type="audio/mpeg")
    _sub(entry, f"{{{ITUNES}}}title", item.title)
    _sub(entry, f"{{{ITUNES}}}duration", duration(item.duration_s))
    _sub(entry, f"{{{ITUNES}}}episode", str(item.number))
    _sub(entry, f"{{{ITUNES}}}episodeType", "full")
    _sub(entry, f"{{{ITUNES}}}explicit", "true" if info.explicit else "false")
    _sub(entry, f"{{{ITUNES}}}image", href=url(info.cover_name))
    if item.has_chapters:
        _sub(entry, f"{{{PODCAST}}}chapters", url=url(f"{folder}chapters.json"),
             type="application/json+chapters")
    for ext, kind in (("vtt", "text/vtt"), ("srt", "application/x-subrip")):
        _sub(entry, f"{{{PODCAST}}}transcript", url=url(f"{folder}{item.name}.{ext}"),
             type=kind, language=info.language, rel="captions")


def feed_xml(info: FeedInfo) -> bytes:
    """The feed; *info.base_url* ends with a slash (every URL in it is absolute)."""
    for prefix, uri in (("itunes", ITUNES), ("podcast", PODCAST), ("atom", ATOM)):
        ET.register_namespace(prefix, uri)

    def url(relative: str) -> str:
        # Episode folders are named after their scripts: spaces, Vietnamese letters, '#'
        # and '%' must be percent-encoded (UTF-8) for the address to reach the file.
        return urljoin(info.base_url, quote(relative))

    rss = ET.Element("rss", {"version": "2.0"})
    channel = _channel(rss, info, url)
    for item in sorted(info.items, key=lambda i: -i.number):   # newest first
        _item(channel, info, item, url)
    ET.indent(rss)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n"
