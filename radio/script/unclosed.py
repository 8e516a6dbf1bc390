"""A front matter opened by '---' and never closed.

Without its closing line, the whole script would be read as YAML and the error
would land on some unrelated line (the first cue, a colon in the narration).  We
say what is missing, on the line where the front matter most likely ends: the
first line at the left margin that is no front matter key (a heading, a cue,
a speaker's paragraph, prose).
"""
from __future__ import annotations

import re

from ..errors import Problem
from ..i18n import _l

_KEY = re.compile(r"^(?P<key>[\w-]+)\s*:(\s|$)")


def unclosed(text: str, path: str, keys: list[str]) -> Problem | None:
    """A problem when *text* opens a front matter ('---' on line 1) that no '---' or
    '...' line closes; *keys*: the front matter's top-level keys."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    if any(line.strip() in ("---", "...") for line in lines[1:]):
        return None
    end = _likely_end(lines, keys)
    if end is None:
        return Problem(_l("the front matter that starts on line 1 is never closed: there is no "
                          "'---' line after it"), path, 1,
                       _l("add a line '---' after the front matter"))
    return Problem(_l("the front matter that starts on line 1 is never closed: there is no "
                      "'---' line after it"), path, end,
                   _l("add a line '---' before line {line}, where the front matter ends",
                      line=end))


def _likely_end(lines: list[str], keys: list[str]) -> int | None:
    """The line number (1-based) of the first line that cannot belong to the front matter."""
    for number, line in enumerate(lines[1:], 2):
        if not line.strip() or line[0] in " \t":
            continue   # blank, or inside a key (the speakers' settings)
        key = _KEY.match(line)
        if key and key.group("key") in keys:
            continue
        if line.startswith("#") and not re.match(r"#{1,3}\s", line):
            continue   # a YAML comment ('#' not followed by a space would be no heading)
        return number
    return None
