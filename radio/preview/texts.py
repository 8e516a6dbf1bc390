"""The preview page's words in the interface language.

The page's messages are English ids marked in its own files: ``_("...")`` calls in
the scripts (``_("target {value} LUFS", {value: t})``, double-quoted) and elements
with a ``data-i18n`` attribute in page.html, whose text is the id.  The server
hands the page their translations as ``/static/catalog.js``; ``tools/messages.py``
extracts the same ids into the catalog with :func:`find_messages`.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from .. import i18n

HERE = Path(__file__).parent
PAGE_FILES = ("page.html", "i18n.js", "draw.js", "preview.js")
_STRING = r'"((?:[^"\\\n]|\\.)*)"'
_JS_CALL = re.compile(rf"(?<![\w$.])_\(\s*{_STRING}")
_JS_PLURAL = re.compile(rf"(?<![\w$.])ngettext\(\s*{_STRING}\s*,\s*{_STRING}")
_HTML_TEXT = re.compile(r"<(\w+)\b[^>]*\bdata-i18n\b[^>]*>([^<]*)</\1>")


def find_messages(text: str, html: bool) -> list[tuple[int, str | tuple[str, str]]]:
    """(line, message id) of every marked message in a page file's *text*; a plural
    message's id is its (singular, plural) pair."""
    def line(match) -> int:
        return text.count("\n", 0, match.start()) + 1

    if html:
        return [(line(m), " ".join(m.group(2).split())) for m in _HTML_TEXT.finditer(text)]
    found: list = [(line(m), _unquote(m.group(1))) for m in _JS_CALL.finditer(text)]
    found += [(line(m), (_unquote(m.group(1)), _unquote(m.group(2))))
              for m in _JS_PLURAL.finditer(text)]
    return sorted(found, key=lambda item: item[0])


def _unquote(body: str) -> str:
    return json.loads(f'"{body}"')


@lru_cache(maxsize=1)
def page_ids() -> tuple:
    ids = {msgid for name in PAGE_FILES
           for _line, msgid in find_messages((HERE / name).read_text(encoding="utf-8"),
                                             name.endswith(".html"))}
    return tuple(sorted(ids, key=str))


def catalog_js(lang: str | None = None) -> bytes:
    """``window.RADIO_I18N``: the page's language, its messages' translations, and each
    plural message's forms for one and for more (the page knows no other rule)."""
    lang = lang or i18n.current()
    catalog = i18n.translations(lang)
    messages, plurals = {}, {}
    for msgid in page_ids():
        if isinstance(msgid, tuple):
            plurals[msgid[0]] = [catalog.ngettext(*msgid, 1), catalog.ngettext(*msgid, 2)]
        elif catalog.gettext(msgid) != msgid:
            messages[msgid] = catalog.gettext(msgid)
    data = {"lang": lang, "messages": messages, "plurals": plurals}
    return ("window.RADIO_I18N = " + json.dumps(data, ensure_ascii=False, sort_keys=True)
            + ";\n").encode("utf-8")
