"""Text no Vietnamese voice can say (emoji, Chinese characters, other scripts).

Such characters are removed from what is spoken, and every paragraph that had
some is named in a warning (file:line), by `radio check` and by `radio build`.
"""
from __future__ import annotations

import re
import unicodedata

from ..errors import Problem
from ..i18n import _l

_SAYABLE = re.compile(r"[\w\s.,;:!?…'\"“”‘’()\-–—/%&+°²³=*#@\[\]{}]", re.UNICODE)


def _unsayable_char(ch: str) -> bool:
    if not _SAYABLE.match(ch):
        return True
    return ch.isalpha() and "LATIN" not in unicodedata.name(ch, "")


def unsayable(text: str) -> list[str]:
    """Characters no Vietnamese voice can say: emoji, CJK, other scripts."""
    return sorted({ch for ch in text if _unsayable_char(ch)})


def strip_unsayable(text: str) -> str:
    """*text* without the characters no voice can say (spaces tidied up)."""
    if not unsayable(text):
        return text
    kept = "".join(" " if _unsayable_char(ch) else ch for ch in text)
    kept = re.sub(r"\s+([.,;:!?…])", r"\1", " ".join(kept.split()))
    return kept.strip()


def has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def unsayable_warnings(episode, lexicon) -> list[Problem]:
    """One warning per paragraph of *episode* whose spoken text has unsayable characters."""
    from ..script.model import Paragraph
    from .normalize import normalize

    warnings = []
    for item in episode.items:
        if not isinstance(item, Paragraph):
            continue
        spoken = normalize(item.text, lexicon)
        bad = unsayable(spoken)
        if bad:
            chars = " ".join(bad)
            message = _l("no voice can say {chars}: it is skipped", chars=chars) \
                if has_words(strip_unsayable(spoken)) else \
                _l("no voice can say {chars}: it is skipped (nothing is left to say: the "
                   "paragraph is left out)", chars=chars)
            warnings.append(Problem(message,
                                    episode.path, item.line,
                                    _l("write it out in Vietnamese words"), "warning"))
    return warnings
