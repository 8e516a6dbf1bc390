"""The YAML front matter of a script: title, number, speakers and their voices."""
from __future__ import annotations

import re
import unicodedata

import yaml

from ..errors import Problem
from ..i18n import _l
from ..speech.engines import ENGINE_NAMES
from .model import Speaker
from .values import unknown

EPISODE_KEYS = ["title", "number", "subtitle", "description", "sample", "date", "speakers"]
SPEAKER_KEYS = ["name", "engine", "voice", "rate", "pitch", "range", "variant"]
VOICES = ("vi", "vi-vn-x-central", "vi-vn-x-south")   # = radio.speech.espeak.VOICES
_RANGES = {"rate": (80, 450), "pitch": (0, 100), "range": (0, 100)}


def split(text: str) -> tuple[str | None, int, str, int]:
    """(front matter, its first line, body, the body's first line number)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, 0, text, 1
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "\n".join(lines[1:index]), 2, "\n".join(lines[index + 1:]), index + 2
    return "\n".join(lines[1:]), 2, "", len(lines) + 1


def _unreadable_value(front: str, first: int, path: str, exc: Exception) -> Problem:
    """A front matter that is YAML but holds a value YAML cannot build (a 30 February...)."""
    if isinstance(exc, (RecursionError, MemoryError)):
        return Problem(_l("the front matter is nested too deeply to read"), path, first,
                       _l("write one 'key: value' per line"))
    lines = front.split("\n")
    for number, line in enumerate(lines):   # YAML reads 2022-02-30 as a date, then fails
        for found in re.finditer(r"(?<![\w-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w-])", line):
            if not _in_calendar(*map(int, found.groups())):
                return Problem(_l("the front matter has a date that is not in the calendar: "
                                  "{date}", date=found.group(0)), path, first + number,
                               _l('write it as "2021-11-30" (year-month-day)'))
    for number, line in enumerate(lines):
        if re.search(r"!!?\w", line):   # an explicit tag
            return Problem(_l("the front matter has a tagged value that cannot be read: "
                              "{reason}", reason=str(exc)), path, first + number,
                           _l("put the value in quotes, e.g. title: \"...\""))
    return Problem(_l("the front matter has a value that cannot be read: {reason}",
                      reason=str(exc)), path, first, _l("put text values in quotes"))


def _in_calendar(year: int, month: int, day: int) -> bool:
    import datetime as dt

    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _line_of(front: str, first: int, key: str, after: int = 0) -> int:
    for number, line in enumerate(front.split("\n")):
        if number >= after and re.match(rf"\s*{re.escape(key)}\s*:", line):
            return first + number
    return first


def _yaml_problem(exc, front: str, first: int, line: int, path: str) -> Problem:
    """What is wrong, said for the two mistakes a text editor makes easy: a line indented
    with Tab, and Word's curly quotes, which YAML takes for letters."""
    lines = front.split("\n")
    mark = getattr(exc, "problem_mark", None)
    at = mark.line if mark else line - first
    if 0 <= at < len(lines) and lines[at][:len(lines[at]) - len(lines[at].lstrip())].count("\t"):
        return Problem(_l("this line of the front matter is indented with a tab"), path,
                       first + at, _l("indent it with spaces (two, as the lines around it): "
                                      "YAML does not accept tabs"))
    curly = [n for n in {line - first, at} if 0 <= n < len(lines) and
             any(q in lines[n] for q in "“”‘’")]
    if curly:
        return Problem(_l("front matter is not valid YAML: curly quotes (“ ”) are not quotes "
                          "for it"), path, first + curly[0],
                       _l('type straight quotes: title: "…" (Word turns " into “ ” as you '
                          "type)"))
    if isinstance(exc, yaml.reader.ReaderError):   # a control character ("\x07")
        code = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or " ")
        return Problem(_l("the front matter holds an invisible control character (U+{code})",
                          code=f"{code:04X}"), path,
                       first + front[:exc.position].count("\n"),
                       _l("delete it (retype the line)"))
    reason = getattr(exc, "problem", None) or "invalid YAML"
    return Problem(_l("front matter is not valid YAML: {reason}", reason=reason), path, line,
                   _l("check the indentation and the quotes on that line"))


def parse(front: str | None, first: int, path: str, problems: list[Problem]) -> dict:
    """Validate the front matter; returns the Episode fields it defines."""
    if front is None:
        problems.append(Problem(_l("the script has no front matter"), path, 1,
                                _l("start it with '---', title: \"...\", number: 1, "
                                   "speakers: ..., '---'")))
        return {}
    try:
        data = yaml.safe_load(front) if front.strip() else {}
    except yaml.YAMLError as exc:
        # Where the unfinished construct began (an open quote or bracket), else where
        # YAML noticed the problem.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = first + mark.line if mark else first
        problems.append(_yaml_problem(exc, front, first, line, path))
        return {}
    except (ValueError, TypeError, OverflowError, RecursionError, MemoryError) as exc:
        # PyYAML builds dates and tagged values itself: 2021-02-30 raises ValueError.
        problems.append(_unreadable_value(front, first, path, exc))
        return {}
    if not isinstance(data, dict):
        problems.append(Problem(_l("front matter must be 'key: value' lines"), path, first))
        return {}
    fields: dict = {}
    for key, value in data.items():
        key = str(key)
        line = _line_of(front, first, key)
        if key not in EPISODE_KEYS:
            problems.append(unknown(_l("unknown front matter key '{key}'", key=key), key,
                                    EPISODE_KEYS, path, line,
                                    _l("known keys: {keys}", keys=", ".join(EPISODE_KEYS))))
        elif key == "number":
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 99:
                problems.append(Problem(_l("number must be a whole number from 1 to 99, not "
                                           "{value!r}", value=value), path, line))
            else:
                fields["number"] = value
        elif key == "sample":
            if not isinstance(value, bool):
                problems.append(Problem(_l("sample must be true or false, not {value!r}",
                                           value=value), path, line))
            else:
                fields["sample"] = value
        elif key == "date":   # the publication date (radio publish): yyyy-mm-dd
            fields["date"] = _date(value, path, line, problems)
        elif key == "speakers":
            fields["speakers"] = _speakers(value, front, first, path, problems)
        else:
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                problems.append(Problem(_l("{key} must be text, not {value!r}", key=key,
                                           value=value), path, line,
                                        _l("put the text in quotes")))
            else:
                fields[key] = unicodedata.normalize("NFC", str(value)).strip()
    if not fields.get("title") and not any(dict(getattr(p.message, "params", ())).get("key")
                                           == "title" for p in problems):
        problems.append(Problem(_l("the front matter has no title"), path, first,
                                _l('add a line: title: "Tên chuyên đề"')))
    return fields


def _date(value, path: str, line: int, problems: list[Problem]) -> str:
    import datetime as dt

    if isinstance(value, dt.datetime):
        value = value.date()
    try:
        return (value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
                ).isoformat()
    except ValueError:
        problems.append(Problem(_l("date {value!r} is not a date", value=value), path, line,
                                _l('write it as "2021-11-30" (year-month-day)')))
        return ""


def _speakers(value, front: str, first: int, path: str, problems: list[Problem]) -> tuple:
    line = _line_of(front, first, "speakers")
    if not isinstance(value, dict) or not value:
        problems.append(Problem(_l("speakers must list at least one speaker with its voice"),
                                path, line, _l("e.g. speakers: {MC1: {voice: vi, pitch: 40}}")))
        return ()
    speakers = []
    for label, settings in value.items():
        label = str(label)
        sline = _line_of(front, first, label, line - first)
        if not re.fullmatch(r"[^\s:\[\]]{1,24}", label):
            problems.append(Problem(_l("speaker label '{label}' must be one word without ':'",
                                       label=label), path, sline))
            continue
        speakers.append(_speaker(label, settings or {}, sline, path, problems))
    return tuple(s for s in speakers if s)


def _speaker(label: str, settings, line: int, path: str, problems: list[Problem]):
    if not isinstance(settings, dict):
        problems.append(Problem(_l("speaker {label} needs settings like {{voice: vi, pitch: 40}}",
                                   label=label), path, line))
        return None
    kwargs = {"label": label, "line": line}
    for key, value in settings.items():
        key = str(key)
        if key not in SPEAKER_KEYS:
            problems.append(unknown(_l("unknown setting '{key}' for speaker {label}", key=key,
                                       label=label), key, SPEAKER_KEYS, path, line,
                                    _l("known settings: {keys}", keys=", ".join(SPEAKER_KEYS))))
        elif key in _RANGES:
            low, high = _RANGES[key]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                problems.append(Problem(_l("{key} of speaker {label} must be a whole number "
                                           "from {low} to {high}, not {value!r}", key=key,
                                           label=label, low=low, high=high, value=value),
                                        path, line))
            else:
                kwargs["rate_wpm" if key == "rate" else key] = value
        elif key == "engine" and value not in ENGINE_NAMES:
            problems.append(unknown(_l("unknown engine '{engine}' for speaker {label}",
                                       engine=value, label=label), value, ENGINE_NAMES, path,
                                    line, _l("use one of {choices}",
                                             choices=", ".join(ENGINE_NAMES))))
        elif key == "voice" and str(value) not in VOICES:
            problems.append(unknown(_l("unknown voice '{voice}' for speaker {label}",
                                       voice=value, label=label), value, VOICES, path, line,
                                    _l("use one of {choices} (`radio voices` lists them)",
                                       choices=", ".join(VOICES))))
        else:
            kwargs[key] = unicodedata.normalize("NFC", str(value))
    return Speaker(**kwargs)
