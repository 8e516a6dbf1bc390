"""Cues: `[keyword: value | key=value | ...]` lines, in Vietnamese or English."""
from __future__ import annotations

import posixpath
import re
import unicodedata

from ..errors import Problem, message_of
from ..i18n import _l
from .model import Bed, Clip, Jingle, Pause, Pending
from .values import closest, fold, parse_bool, parse_db, parse_ms

CUE_LINE = re.compile(r"^\[(?P<body>[^\[\]]*)\]$")

KEYWORDS = {"nhạc hiệu": "jingle", "jingle": "jingle", "nhạc nền": "bed", "bed": "bed",
            "băng": "clip", "clip": "clip", "dừng": "pause", "pause": "pause"}

OPTIONS = {  # written option -> canonical option
    "vào": "in", "in": "in", "ra": "out", "out": "out", "mức": "gain", "gain": "gain",
    "từ": "from", "from": "from", "đến": "to", "to": "to", "tên": "label", "label": "label",
    "chồng": "xfade", "xfade": "xfade", "lặp": "loop", "loop": "loop",
    "chờ": "pending", "pending": "pending", "dài": "length", "length": "length",
}
ALLOWED = {
    "jingle": {"in", "out", "gain", "xfade", "label"},
    "bed": {"in", "out", "gain", "loop"},
    "clip": {"in", "out", "gain", "from", "to", "xfade", "label"},
    "pause": set(),
}
# A cue awaiting its recording (chờ=có) takes these besides its own options.
PENDING_OPTIONS = {"pending", "length", "label"}
PENDING_MS = 3000
_FOLDED_KEYWORDS = {fold(k) for k in KEYWORDS}
OFF_WORDS = ("tắt", "off", "dừng", "stop")


# A cue set in Markdown bold or italics (`**[băng: x.ogg]**`) is still the cue.
EMPHASIZED_CUE = re.compile(r"^(?P<mark>\*{1,3}|_{1,3})\s*(?P<cue>\[[^\[\]]*\])\s*(?P=mark)$")
# Square brackets inside a line of narration.
BRACKETS = re.compile(r"\[(?P<body>[^\[\]]*)\]")


def cue_line(line: str):
    """The match of *line* as a cue line (its ``body`` group), or None."""
    emphasized = EMPHASIZED_CUE.match(line)
    return CUE_LINE.match(emphasized.group("cue") if emphasized else line)


def cue_inside(text: str) -> str | None:
    """A cue written inside a line of narration (``… lắng nghe. [dừng: 1s]``), which
    would be read aloud: the bracketed text whose first word is a cue keyword."""
    for match in BRACKETS.finditer(text):
        head = re.split(r"[:|]", match.group("body"), maxsplit=1)[0]
        if fold(" ".join(head.split())) in _FOLDED_KEYWORDS:
            return match.group(0)
    return None


def parse_cue(body: str, line: int, path: str, problems: list[Problem]):
    """One cue from the text between the brackets, or None after reporting why."""
    head, *option_parts = [part.strip() for part in body.split("|")]
    keyword, sep, value = head.partition(":")
    keyword = unicodedata.normalize("NFC", " ".join(keyword.split())).lower()
    value = value.strip()
    kind = KEYWORDS.get(keyword)
    if kind is None:
        hint = closest(keyword, list(KEYWORDS))
        problems.append(Problem(
            _l("unknown cue '{keyword}'", keyword=keyword), path, line,
            _l("did you mean '{name}'?", name=hint) if hint else
            _l("cues are nhạc hiệu, nhạc nền, băng, dừng (jingle, bed, clip, pause)")))
        return None
    options = _options(kind, option_parts, line, path, problems)
    if options is None:
        return None
    try:
        pending = "pending" in options and parse_bool(options["pending"])
        if pending:
            return _pending(kind, value, options, line)
        if "length" in options:
            raise ValueError(_l("dài=/length= is the length of a cue awaiting its recording: "
                                "write it with chờ=có, or leave it out"))
        if not sep or not value:
            problems.append(Problem(_l("cue '{keyword}' needs a value after ':'",
                                       keyword=keyword), path, line,
                                    _l("e.g. [dừng: 1s]") if kind == "pause" else
                                    _l("e.g. [{keyword}: music/bed.ogg]", keyword=keyword)))
            return None
        return _build(kind, value, options, line, path, problems)
    except ValueError as exc:
        problems.append(Problem(message_of(exc), path, line))
        return None


def _options(kind: str, parts: list[str], line: int, path: str, problems: list[Problem]):
    options: dict[str, str] = {}
    ok = True
    allowed_here = ALLOWED[kind] | (PENDING_OPTIONS if ALLOWED[kind] else set())
    for part in parts:
        key, sep, value = part.partition("=")
        key = unicodedata.normalize("NFC", key.strip()).lower()
        canonical = OPTIONS.get(key)
        if not sep or canonical is None or canonical not in allowed_here:
            allowed = [k for k, v in OPTIONS.items() if v in allowed_here]
            hint = closest(key, allowed) if allowed else None
            what = (_l("unknown option '{key}' for this cue", key=key) if sep else
                    _l("option '{option}' needs key=value for this cue", option=part))
            problems.append(Problem(what, path, line,
                                    _l("did you mean '{name}='?", name=hint) if hint else
                                    (_l("options here: {options}", options=", ".join(allowed))
                                     if allowed else _l("this cue takes no options"))))
            ok = False
            continue
        options[canonical] = value.strip()
    if ok and kind == "bed" and "label" in options and not \
            ("pending" in options and _is_yes(options["pending"])):
        problems.append(Problem(_l("tên=/label= on a music bed is only for one awaiting its "
                                   "recording (chờ=có)"), path, line, _l("leave it out")))
        ok = False
    return options if ok else None


def _is_yes(value: str) -> bool:
    try:
        return parse_bool(value)
    except ValueError:
        return False


def _pending(kind: str, value: str, options: dict, line: int) -> Pending:
    """A cue awaiting its recording: the path is optional, its length 3 s unless given."""
    if kind == "bed" and value and fold(value) in {fold(w) for w in OFF_WORDS}:
        raise ValueError(_l("stopping a music bed needs no recording: remove chờ=có"))
    duration = parse_ms(options["length"]) if "length" in options else PENDING_MS
    if not 0 < duration <= 600_000:
        raise ValueError(_l("a cue awaiting its recording stands for 1 ms to 10 minutes "
                            "(dài=3s)"))
    return Pending(line, kind, check_asset_path(value) if value else None, duration,
                   options.get("label", ""))


def check_asset_path(value: str) -> str:
    """A cue's path, relative to audio_assets/; refuse any way out of it."""
    path = unicodedata.normalize("NFC", value.strip()).replace("\\", "/")
    if any(unicodedata.category(ch) == "Cc" for ch in path):
        raise ValueError(_l("'{value}' has control characters in it; retype the path",
                            value=value))
    if not path or path.startswith("/") or re.match(r"^[a-zA-Z]:", path):
        raise ValueError(_l("'{value}' is not a path inside audio_assets/ (absolute paths are "
                            "refused): copy the recording into audio_assets/ and write its "
                            "path from there, e.g. interviews/nong_dan.ogg", value=value))
    clean = posixpath.normpath(path)
    if clean.startswith("..") or "/../" in f"/{path}/":
        raise ValueError(_l("'{value}' leaves audio_assets/ ('..' is not allowed); copy the "
                            "recording into audio_assets/ and cue it from there", value=value))
    return clean


FADE_MAX_MS = 60_000
_FADE_WORDS = {"in": "vào/in", "out": "ra/out", "xfade": "chồng/xfade"}


def _ms(options: dict, key: str, default=0):
    if key not in options:
        return default
    value = parse_ms(options[key])
    if key in _FADE_WORDS and value > FADE_MAX_MS:
        raise ValueError(_l("{option}={value} is {seconds:g} s: a fade or overlap lasts at "
                            "most {max_seconds} s (a bare number is seconds; write 500ms for "
                            "milliseconds)", option=_FADE_WORDS[key], value=options[key],
                            seconds=value / 1000, max_seconds=FADE_MAX_MS // 1000))
    return value


def _build(kind: str, value: str, options: dict, line: int, path: str, problems):
    gain = parse_db(options["gain"]) if "gain" in options else None
    if kind == "pause":
        duration = parse_ms(value)
        if not 0 < duration <= 600_000:
            raise ValueError(_l("a pause must last between 1 ms and 10 minutes"))
        return Pause(line, duration)
    if kind == "bed":
        is_off = fold(value) in {fold(w) for w in OFF_WORDS}
        loop = None
        if "loop" in options:
            loop = "crossfade" if parse_bool(options["loop"]) else "fade"
        return Bed(line, None if is_off else check_asset_path(value), gain,
                   _ms(options, "in", None), _ms(options, "out", None), loop)
    common = dict(gain_db=gain, fade_in_ms=_ms(options, "in"), fade_out_ms=_ms(options, "out"),
                  xfade_ms=_ms(options, "xfade"), label=options.get("label", ""))
    if kind == "jingle":
        return Jingle(line, check_asset_path(value), **common)
    start, end = _ms(options, "from"), _ms(options, "to", None)
    if end is not None and end <= start:
        raise ValueError(_l("the clip ends ({end}) before it starts ({start}); check từ= and "
                            "đến=", end=options["to"], start=options.get("from", "0")))
    return Clip(line, check_asset_path(value), start, end, **common)
