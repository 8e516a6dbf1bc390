"""Small value parsers shared by the script and its cues: times, decibels, words."""
from __future__ import annotations

import difflib
import re
import unicodedata

from ..i18n import _l

_DURATION = re.compile(r"^(?:(\d+):)?(\d+):(\d+(?:[.,]\d+)?)$")
_SECONDS = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(ms|s|giây|phút|m|min)?$")


def fold(text: str) -> str:
    """Lowercase ASCII skeleton of a word, for forgiving comparisons."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(ch for ch in text if not unicodedata.combining(ch)).strip()


def parse_ms(value: str) -> int:
    """'2s', '1,5s', '500ms', '0:05', '1:20.5', '1:02:03', '3 phút' -> milliseconds."""
    value = value.strip().lower()
    if _DURATION.match(value):
        parts = value.replace(",", ".").split(":")
        seconds = 0.0
        for part in parts:
            seconds = seconds * 60 + float(part)
        return _finite_ms(seconds * 1000, value)
    match = _SECONDS.match(value)
    if not match:
        raise ValueError(_l("'{value}' is not a time (write 2s, 500ms or 1:20)", value=value))
    number = float(match.group(1).replace(",", "."))
    unit = match.group(2) or "s"
    scale = {"ms": 1, "s": 1000, "giây": 1000, "phút": 60000, "m": 60000, "min": 60000}[unit]
    return _finite_ms(number * scale, value)


def _finite_ms(ms: float, written: str) -> int:
    if not ms < 10 ** 12:   # ~30 years; also inf and nan
        raise ValueError(_l("'{value}' is far too long a time (write 2s, 500ms or 1:20)",
                            value=written[:30]))
    return round(ms)


def parse_db(value: str) -> float:
    """'-3', '-3dB', '+2 dB', '-1,5' -> decibels."""
    text = value.strip().lower().replace(",", ".").removesuffix("db").strip()
    try:
        number = float(text)
    except ValueError:
        raise ValueError(_l("'{value}' is not a level in dB (write -6 or +3dB)",
                            value=value)) from None
    if not -60 <= number <= 24:
        raise ValueError(_l("{level:g} dB is out of range (use -60 to +24)", level=number))
    return number


def parse_bool(value: str) -> bool:
    word = fold(value)
    if word in ("co", "yes", "true", "bat", "on", "1"):
        return True
    if word in ("khong", "no", "false", "tat", "off", "0"):
        return False
    raise ValueError(_l("'{value}' is not yes/no (write có or không)", value=value))


def closest(word: str, choices: list[str]) -> str | None:
    """The choice that *word* most likely meant, comparing with and without accents."""
    folded = {fold(c): c for c in choices}
    if fold(word) in folded:
        return folded[fold(word)]
    match = difflib.get_close_matches(fold(word), list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None


def unknown(message, word: str, choices, path, line, otherwise) -> "Problem":
    """A problem for a misspelt name: suggest the closest choice, else list them."""
    from ..errors import Problem

    hint = closest(str(word), list(choices))
    return Problem(message, path, line, _l("did you mean '{name}'?", name=hint) if hint
                   else otherwise)
