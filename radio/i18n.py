"""The interface language: gettext catalogs, chosen per run, rendered when shown.

Mark every sentence a user reads, whole, with NAMED placeholders::

    _("built {name} in {seconds:.1f} s", name=name, seconds=t)     # translated now
    ngettext("{n} episode", "{n} episodes", count)                 # counts ({n} given)
    _l("the clip ends ({end}) before it starts ({start})", ...)   # translated when shown

``_l`` (``lazy_gettext``) keeps the message id and its parameters in a
:class:`Message` and translates it each time it is turned into text: errors and
their hints (the CLI and the studio show one error each in its user's language),
warnings, module-level constants and click help texts (evaluated at import).
Literal braces in a message with parameters are doubled (``{{#p001}}``).

Two languages are kept apart: the **interface** (:func:`choose_language`:
``--lang``, then ``[ui] language``, then the locale, else English) and the
**outputs** a production makes (``[production] language``): code that writes an
output wraps it in ``with language(settings.production.language):``.

The catalogs are ``radio/locale/<lang>/LC_MESSAGES/radio.po``; the ``.mo`` beside
them is compiled when the package is installed (``setup.py``) or by ``make
messages``, and read with the standard library's gettext.
"""
from __future__ import annotations

import gettext as _gettext
import locale
import os
import re
import string
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DOMAIN = "radio"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("vi", "en")
SOURCE_LANGUAGE = "en"   # the message ids are English
CONFIG_NAME = "radio.toml"

# The language of this context (a studio request sets its own); unset: the process's,
# which the CLI passes to its threads and worker processes through $LANGUAGE.
_active: ContextVar[str | None] = ContextVar("radio_language", default=None)


def current() -> str:
    """The language messages are rendered in here and now."""
    lang = _active.get()
    if lang:
        return lang
    first = os.environ.get("LANGUAGE", "").split(":")[0]
    return first if first in LANGUAGES else SOURCE_LANGUAGE


@contextmanager
def language(lang: str) -> Iterator[str]:
    """Render messages in *lang* inside the block (an output's language, a request's)."""
    token = _active.set(normalize(lang) or SOURCE_LANGUAGE)
    try:
        yield _active.get()
    finally:
        _active.reset(token)


@lru_cache(maxsize=None)
def translations(lang: str) -> _gettext.NullTranslations:
    """The catalog of *lang* (English, the source language, needs none)."""
    if lang == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def catalog_missing(lang: str) -> bool:
    """True when *lang* needs a compiled catalog that is not installed."""
    return lang != SOURCE_LANGUAGE and type(translations(lang)) is _gettext.NullTranslations


class _Formatter(string.Formatter):
    """str.format with the number style of the language: 16,5, 1.250 and −16,0 (the
    minus sign) in Vietnamese."""

    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        text = super().format_field(value, format_spec)
        if isinstance(value, (int, float, NumberText)) and not isinstance(value, bool):
            text = local_number(text, self.lang)
        return text


_SWAP_SEPARATORS = str.maketrans({".": ",", ",": ".", "-": "\u2212"})


class NumberText(str):
    """Text made of numbers written the English way (a timecode, ``03:27.6``) that a
    message writes as its language does when it fills a placeholder (``03:27,6``)."""


def local_number(text: str, lang: str) -> str:
    """A number formatted the English way ("-16.0", "1,250") as *lang* writes it
    ("−16,0", "1.250" in Vietnamese)."""
    return text.translate(_SWAP_SEPARATORS) if lang == "vi" else text


def _format(text: str, lang: str, params: Mapping[str, Any]) -> str:
    if not params:
        return text
    values = {k: str(v) if isinstance(v, Message) else v for k, v in params.items()}
    return _Formatter(lang).vformat(text, (), values)


def _(msgid: str, /, **params: Any) -> str:
    """*msgid* translated into the current language, its placeholders filled."""
    lang = current()
    return _format(translations(lang).gettext(msgid), lang, params)


def ngettext(singular: str, plural: str, n: int, /, **params: Any) -> str:
    """The singular or plural form for *n* (Vietnamese has one form); ``{n}`` is *n*."""
    lang = current()
    return _format(translations(lang).ngettext(singular, plural, n), lang, {"n": n, **params})


@dataclass(frozen=True)
class Message:
    """A message id and its named parameters, translated each time it is shown."""

    msgid: str
    params: tuple[tuple[str, Any], ...] = ()
    plural: str | None = None
    n: int | None = None

    def __str__(self) -> str:
        if self.plural is None:
            return _(self.msgid, **dict(self.params))
        return ngettext(self.msgid, self.plural, self.n, **dict(self.params))

    def render(self, lang: str) -> str:
        with language(lang):
            return str(self)

    def __bool__(self) -> bool:
        return bool(self.msgid)


def msgid(text: str | Message) -> str:
    """The message id of *text* (a plain str is its own): for code that tells problems
    apart, whatever the language they will be shown in."""
    return text.msgid if isinstance(text, Message) else text


def lazy_gettext(msgid: str, /, **params: Any) -> Message:
    """*msgid* with its parameters, translated when shown (errors, hints, help texts)."""
    return Message(msgid, tuple(params.items()))


_l = lazy_gettext


def lazy_ngettext(singular: str, plural: str, n: int, /, **params: Any) -> Message:
    return Message(singular, tuple({"n": n, **params}.items()), plural, n)


def render(text: "str | Message", lang: str) -> str:
    """*text* in *lang* (a plain str is already text)."""
    return text.render(lang) if isinstance(text, Message) else str(text)


def normalize(name: str | None) -> str | None:
    """'vi', 'vi_VN.UTF-8', 'Vietnamese_Vietnam.1258', 'vie' -> 'vi'; 'C' or unknown -> None
    for an empty or C locale, 'en' for any other language (the only other catalog)."""
    if not name:
        return None
    base = name.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    if base in ("c", "posix", ""):
        return None
    if base in ("vi", "vie", "vietnamese"):
        return "vi"
    return "en"


def locale_language(environ: Mapping[str, str] | None = None,
                    platform: str = sys.platform) -> str | None:
    """The language of the user's locale: the first set of LC_ALL, LC_MESSAGES, LANG (as
    POSIX orders them); on Windows, where LANG is usually unset, ``locale.getlocale()``."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(name):
            return normalize(environ[name])
    if platform == "win32":
        return normalize(locale.getlocale()[0])
    return None


def configured_language(start: Path | None = None) -> str | None:
    """``[ui] language`` of the production around *start* (the working folder), if any.

    Read leniently: a radio.toml with a mistake elsewhere is reported by the command
    itself, in the language its ``[ui]`` table asks for when that line can be read."""
    import tomllib

    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        path = folder / CONFIG_NAME
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                return None
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError:
                return _scanned_ui_language(text)
            ui = data.get("ui")
            value = ui.get("language") if isinstance(ui, dict) else None
            return value if value in LANGUAGES else None
    return None


_TABLE = re.compile(r"\s*\[\s*([A-Za-z0-9_.\s\"-]+?)\s*\]\s*(#.*)?$")
_LANGUAGE = re.compile(r"""\s*(ui\s*\.\s*)?language\s*=\s*["']([a-z]+)["']\s*(#.*)?$""")


def _scanned_ui_language(text: str) -> str | None:
    """``[ui] language`` found line by line in a radio.toml that TOML cannot read
    (a mistake in another table must not change the language it is reported in)."""
    table = ""
    for line in text.splitlines():
        if header := _TABLE.match(line):
            table = header.group(1).replace(" ", "").replace('"', "")
            continue
        setting = _LANGUAGE.match(line)
        if setting and (table == "ui" or (not table and setting.group(1))):
            return setting.group(2) if setting.group(2) in LANGUAGES else None
    return None


def choose_language(option: str | None = None, start: Path | None = None,
                    environ: Mapping[str, str] | None = None,
                    platform: str = sys.platform) -> str:
    """The interface language: ``--lang``, ``[ui] language``, the locale, else English."""
    return (option or configured_language(start)
            or locale_language(environ, platform) or SOURCE_LANGUAGE)


def split_lang_option(argv: list[str]) -> tuple[str | None, list[str], str | None]:
    """Take ``--lang X`` / ``--lang=X`` out of *argv*, wherever it stands (before ``--``).

    Returns (language or None, the other arguments, the bad value if one was given)."""
    chosen, rest, bad = None, [], None
    items = iter(enumerate(argv))
    for index, arg in items:
        if arg == "--":
            rest.extend(argv[index:])
            break
        if arg == "--lang" or arg.startswith("--lang="):
            value = arg.partition("=")[2] if "=" in arg else next(items, (None, ""))[1]
            if value.strip().lower() in LANGUAGES:   # --lang VI too
                chosen = value.strip().lower()
            else:
                bad = value
            continue
        rest.append(arg)
    return chosen, rest, bad


@contextmanager
def interface(lang: str) -> Iterator[None]:
    """Run the command line in *lang*: our messages, click's own (which it asks of
    gettext's global domain: we bind our catalog there), and the worker processes
    and threads the command starts (through $LANGUAGE). Restored on exit."""
    saved_env, saved_domain = os.environ.get("LANGUAGE"), _gettext.textdomain()
    token = _active.set(lang)
    os.environ["LANGUAGE"] = lang
    _gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    _gettext.textdomain(DOMAIN)
    try:
        yield
    finally:
        _gettext.textdomain(saved_domain)
        _active.reset(token)
        if saved_env is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = saved_env


def utf8_streams() -> None:
    """Write stdout and stderr, and read stdin, as UTF-8 whatever the console code page
    (a redirected stdout on Vietnamese Windows is cp1258, which has no room for every
    letter, and a piped stdin would be read as cp1258)."""
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "encoding", "utf-8").lower().replace("-", "") != "utf8" \
                and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    # Text piped in (`type kichban.txt | radio normalize`) is UTF-8 too, with or without
    # Notepad's BOM; a byte that is not UTF-8 becomes '�' instead of a crash.
    stdin = sys.stdin
    if stdin is not None and hasattr(stdin, "reconfigure") and \
            getattr(stdin, "encoding", "utf-8").lower().replace("-", "") != "utf8":
        stdin.reconfigure(encoding="utf-8-sig", errors="replace")
