"""The production: where it lives on disk and what `radio.toml` says.

Settings are read once into frozen dataclasses; every unknown key or bad value in
``radio.toml`` is collected and reported together (file:line, with a suggestion).
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .audio.presets import PRESET_NAMES
from .errors import Problem, UserError, os_reason, raise_if_errors
from .i18n import LANGUAGES, Message, _l
from .script.values import closest, unknown
from .speech.engines import ENGINE_NAMES

CONFIG_NAME = "radio.toml"


@dataclass(frozen=True)
class ProductionSettings:
    title: str = "Chuyên đề phát thanh"
    publisher: str = "Đài Truyền thanh"
    date: str = "2021-11-30"
    language: str = "vi"     # of the outputs (disc texts, cue sheets, recording scripts)
    genre: str = "Speech"
    status: str = "draft"
    comment: str = ""
    cover: str = ""


@dataclass(frozen=True)
class BuildSettings:
    preset: str = "loudspeaker"
    engine: str = "espeak"
    mp3_bitrate_kbps: int = 192
    id3_version: int = 3
    gtts_timeout_s: float = 10.0


@dataclass(frozen=True)
class PacingSettings:
    paragraph_pause_ms: int = 500
    heading_pause_ms: int = 900
    clip_pause_ms: int = 400
    lead_in_ms: int = 300
    tail_ms: int = 1000


@dataclass(frozen=True)
class DuckingSettings:
    depth_db: float = 12.0
    attack_ms: int = 150
    release_ms: int = 600
    hold_ms: int = 400
    min_gap_ms: int = 500
    bed_gain_db: float = -6.0
    bed_fade_in_ms: int = 1500
    bed_fade_out_ms: int = 2000
    bed_loop: str = "crossfade"
    loop_crossfade_ms: int = 1500


@dataclass(frozen=True)
class DiscSettings:
    label: str = "RADIO"
    title: str = ""
    tracks: str = "episode"
    track_gap_s: float = 2.0
    catalog: str = ""
    isrc_prefix: str = ""


@dataclass(frozen=True)
class WebSettings:
    """`radio publish`: the portal pages and the podcast feed."""
    base_url: str = ""          # where output/web/ is served, e.g. https://example.gov.vn/podcast/
    description: str = ""       # the series' description (default: [production] comment)
    author: str = ""            # itunes:author (default: [production] publisher)
    owner_name: str = ""        # itunes:owner (default: [production] publisher)
    owner_email: str = ""
    category: str = "Government"
    subcategory: str = ""
    explicit: bool = False
    locked: bool = False        # podcast:locked: refuse moving the feed to another host


@dataclass(frozen=True)
class UISettings:
    language: str = ""       # of the interface; empty: the locale's (see radio.i18n)


@dataclass(frozen=True)
class Settings:
    production: ProductionSettings = field(default_factory=ProductionSettings)
    build: BuildSettings = field(default_factory=BuildSettings)
    pacing: PacingSettings = field(default_factory=PacingSettings)
    ducking: DuckingSettings = field(default_factory=DuckingSettings)
    disc: DiscSettings = field(default_factory=DiscSettings)
    web: WebSettings = field(default_factory=WebSettings)
    ui: UISettings = field(default_factory=UISettings)


_SECTIONS = {f.name: f.default_factory for f in dataclasses.fields(Settings)}
# Sections read and checked by their own stage (radio/distribute/profile.py).
OWN_SECTIONS = ("distribution",)

_CHOICES = {
    ("production", "status"): ("draft", "final"),
    ("production", "language"): LANGUAGES,
    ("ui", "language"): LANGUAGES,
    ("build", "preset"): PRESET_NAMES,
    ("build", "engine"): ENGINE_NAMES,
    ("build", "id3_version"): (3, 4),
    ("build", "mp3_bitrate_kbps"): (96, 112, 128, 160, 192, 224, 256, 320),
    ("ducking", "bed_loop"): ("crossfade", "fade"),
    ("disc", "tracks"): ("episode", "chapter"),
}
# `[ui] language = ""`: the system's language, as the README and `radio init` say.
_EMPTY_MEANS_DEFAULT = {("ui", "language", "")}
_RANGES = {
    ("build", "gtts_timeout_s"): (0.5, 120),
    ("pacing", "paragraph_pause_ms"): (0, 10000),
    ("pacing", "heading_pause_ms"): (0, 10000),
    ("pacing", "clip_pause_ms"): (0, 10000),
    ("pacing", "lead_in_ms"): (0, 10000),
    ("pacing", "tail_ms"): (0, 10000),
    ("ducking", "depth_db"): (0, 40),
    ("ducking", "attack_ms"): (1, 5000),
    ("ducking", "release_ms"): (1, 10000),
    ("ducking", "hold_ms"): (0, 10000),
    ("ducking", "min_gap_ms"): (0, 10000),
    ("ducking", "bed_gain_db"): (-40, 12),
    ("ducking", "bed_fade_in_ms"): (0, 30000),
    ("ducking", "bed_fade_out_ms"): (0, 30000),
    ("ducking", "loop_crossfade_ms"): (0, 10000),
    ("disc", "track_gap_s"): (0, 10),
}


@dataclass(frozen=True)
class Production:
    """A production folder: scripts, assets, takes and settings."""

    root: Path
    settings: Settings

    @property
    def scripts_dir(self) -> Path:
        return self.root / "scripts"

    @property
    def assets_dir(self) -> Path:
        return self.root / "audio_assets"

    @property
    def takes_dir(self) -> Path:
        return self.root / "takes"

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    @property
    def state_dir(self) -> Path:
        return self.root / ".radio"

    @property
    def cache_dir(self) -> Path:
        return self.state_dir / "cache"

    @property
    def pronunciations_path(self) -> Path:
        return self.root / "pronunciations.tsv"

    def episode_names(self) -> list[str]:
        """The episodes: their scripts' names in NFC (a script copied from a Mac is
        named in NFD, and is still the episode the user types)."""
        return sorted(self._scripts())

    def script_path(self, episode: str) -> Path:
        """The script of *episode* (named in any normalization), as it is on disk."""
        return self._scripts().get(unicodedata.normalize("NFC", episode),
                                   self.scripts_dir / f"{episode}.md")

    def _scripts(self) -> dict[str, Path]:
        """Every ``*.md`` in scripts/, ``.MD`` too (Windows lists it under ``*.md``)."""
        return {unicodedata.normalize("NFC", p.stem): p for p in self._script_folder()
                if p.suffix.lower() == ".md" and p.name.upper() not in ("README.MD", "SOURCES.MD")}

    def _script_folder(self) -> list[Path]:
        if not self.scripts_dir.is_dir():
            return []
        return sorted(p for p in self.scripts_dir.iterdir() if p.is_file())

    def stray_script_warnings(self) -> list[Problem]:
        """A warning for each file of scripts/ that looks like a script but is not read."""
        return [Problem(_l("this file is not read: the episodes are the .md files of "
                           "scripts/"), self.rel(path), None, todo, "warning")
                for path, todo in self.stray_scripts()]

    def stray_scripts(self) -> list[tuple[Path, Message]]:
        """Files of scripts/ that look like a script but are no episode, each with what to
        do: ``episode2.md.txt`` (Notepad adds ``.txt``, and Windows hides it), a Word
        document put there to be imported."""
        found = []
        episodes = {name.casefold() for name in self._scripts()}
        for path in self._script_folder():
            name = unicodedata.normalize("NFC", path.name)
            lower = name.lower()
            stem = (name[:-len(".md.txt")] if lower.endswith(".md.txt")
                    else name.rsplit(".", 1)[0])
            if stem.casefold() in episodes:
                continue   # the Word original beside its imported script, an old copy
            if lower.endswith(".md.txt") or (lower.endswith((".txt", ".markdown"))
                                             and _starts_a_script(path)):
                found.append((path, _l("rename it {name}.md (Notepad adds .txt: save with "
                                       "'All files' as the type)", name=stem)))
            elif lower.endswith((".docx", ".doc", ".odt", ".rtf")):
                found.append((path, _l("import it: radio import \"scripts/{name}\"", name=name)))
        return found

    def rel(self, path: Path) -> str:
        """A path as the user should see it: relative to the production root."""
        try:
            return str(Path(path).resolve().relative_to(self.root))
        except ValueError:
            return str(path)

    def source_or_built(self, path: Path) -> Path | None:
        """The folder of recordings (audio_assets/, takes/) or of builds (output/) that
        *path* is in, if any: a command writing a file there must not replace one."""
        target = Path(path).resolve()
        for folder in (self.assets_dir, self.takes_dir, self.output_dir):
            if target.is_relative_to(folder.resolve()):
                return folder
        return None


def find_root(start: str | os.PathLike | None = None) -> Path:
    """The production root: *start* or the nearest parent holding radio.toml."""
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise UserError(_l("no {config} in {folder} or any folder above it",
                       config=CONFIG_NAME, folder=here),
                    hint=_l("run radio inside a production, or create one with `radio init PATH`"))


def _starts_a_script(path: Path) -> bool:
    """Whether a text file begins as a script does, with its front matter's '---' (a note
    kept in scripts/ does not)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
    except OSError:
        return False
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom):].decode(codec, "ignore").encode()
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"---")


def load(root: str | os.PathLike | None = None) -> Production:
    root = find_root(root)
    return Production(root=root, settings=read_settings(root / CONFIG_NAME))


def _key_line(text: str, section: str, key: str | None) -> int | None:
    """The line of ``[section]`` (key None) or of ``key = ...`` in it, however written:
    bare or quoted key, ``section.key = ...`` at the top, or the section's own line."""
    lines = text.splitlines()
    in_section = section == ""
    header_line = None
    spellings = []
    if key is not None:
        spellings = [re.escape(key), re.escape(json.dumps(key, ensure_ascii=False)),
                     re.escape(f"'{key}'")]
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        header = re.match(r"^\[\[?\s*([^\]]*?)\s*\]", stripped)
        if header:
            name = re.sub(r"\s*\.\s*", ".", header.group(1)).replace('"', "").replace("'", "")
            if key is not None and name == (f"{section}.{key}" if section else key):
                return number   # [build.extra]: a table where a setting was expected
            in_section = name.strip() == section
            if in_section and header_line is None:
                header_line = number
                if key is None:
                    return number
            continue
        if key is None:
            if section and re.match(rf"{re.escape(section)}\s*[.=]", stripped):
                return number
            continue
        for spelling in spellings:
            if in_section and re.match(rf"{spelling}\s*[.=]", stripped):
                return number
            if section and not in_section and header_line is None and re.match(
                    rf"{re.escape(section)}\s*\.\s*{spelling}\s*=", stripped):
                return number
    return header_line


# "C:\Users\..." in double quotes: TOML reads '\U' as an escape (and "anh\bia.png" as
# a backspace): Windows paths go in single quotes or with '/'.
_BACKSLASH = _l("a backslash (\\) inside double quotes starts an escape in TOML: a Windows "
                "path written so is misread")
_BACKSLASH_HINT = _l("write the path with / (\"D:/anh/bia.png\") or in single quotes "
                     "('D:\\anh\\bia.png')")


def _backslash_in_quotes(text: str, line: int, invalid: bool = False) -> bool:
    r"""Whether *line* has a backslash inside double quotes (*invalid*: one that starts no
    escape TOML knows, as in "C:\Users" or "D:\anh")."""
    lines = text.splitlines()
    escape = (r'\\(?![btnfr"\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})' if invalid else r"\\")
    return 0 < line <= len(lines) and re.search(f'"[^"]*{escape}', lines[line - 1]) is not None


def _toml_mistake(reason: str, text: str, line: int | None):
    """(message, hint) for the TOML mistakes people make in a text editor, said in the
    reader's language; None for the others (shown with TOML's own reason)."""
    lines = text.splitlines()
    written = lines[line - 1] if line and 0 < line <= len(lines) else ""
    if any(q in written for q in "“”‘’"):
        return (_l("radio.toml is not valid TOML: curly quotes (“ ”) are not quotes for it"),
                _l('type straight quotes: status = "draft" (Word turns " into “ ” as you type)'))
    if reason.startswith("Cannot overwrite a value"):
        key = written.split("=")[0].strip()
        return (_l("the setting '{key}' is written twice", key=key),
                _l("keep one of the two lines: each setting is written once in its section"))
    if declared := re.match(r"Cannot declare \((.*)\) twice", reason):
        name = ".".join(re.findall(r"'([^']*)'", declared.group(1)))
        return (_l("the section [{name}] is written twice", name=name),
                _l("put all its settings under one [{name}]", name=name))
    if reason.startswith("Invalid value"):
        return (_l("the value on this line cannot be read"),
                _l('write text in double quotes (status = "draft"); numbers, true and false '
                   "without quotes"))
    if reason.startswith("Expected '=' after a key"):
        return (_l("a setting is written as name = value"),
                _l("put '=' between the name and the value"))
    if reason.startswith("Expected newline or end of document"):
        return (_l("something follows the value on this line"),
                _l("check that each text opens and closes its quotes, and write one setting "
                   "per line (a comment starts with #)"))
    return None


def read_settings(path: Path) -> Settings:
    display = path.name
    try:
        raw_bytes = path.read_bytes()
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(_l("radio.toml is not UTF-8 text"), path=display,
                        hint=_l("save it as UTF-8 in your editor")) from None
    except OSError as exc:
        raise UserError(_l("cannot read radio.toml: {reason}", reason=os_reason(exc)),
                        path=display) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        match = re.search(r"line (\d+)", str(exc))
        if line is None and match:
            line = int(match.group(1))
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        if line and _backslash_in_quotes(text, line, invalid=True):   # "C:\Users\..."
            raise UserError(_BACKSLASH, path=display, line=line, hint=_BACKSLASH_HINT) from None
        if said := _toml_mistake(msg, text, line):
            raise UserError(said[0], path=display, line=line, hint=said[1]) from None
        raise UserError(_l("radio.toml is not valid TOML: {reason}", reason=msg), path=display,
                        line=line, hint=_l("check quotes and brackets on that line")) from None
    return settings_from_dict(data, text, display)


# A setting written at the top of radio.toml, outside any [section]: `title = "..."`
# above [production] is no "unknown section [title]": it belongs in a section, and
# we say which.
def top_level_problem(name: str, sections: dict, display: str, line: int | None) -> Problem:
    """*sections*: section name -> its settings' factory (config._SECTIONS)."""
    owners = [section for section, factory in sections.items()
              if name in {f.name for f in dataclasses.fields(factory())}]
    if owners:
        return Problem(_l("the setting '{name}' is outside any section", name=name), display,
                       line, _l("move it under [{section}] (after the line [{section}])",
                                section=owners[0]))
    return Problem(_l("unknown setting '{name}' at the top of radio.toml, outside any section",
                      name=name), display, line,
                   _l("settings go under a section: {sections}",
                      sections=", ".join(f"[{s}]" for s in sections)))


def settings_from_dict(data: dict[str, Any], text: str = "", display: str = CONFIG_NAME) -> Settings:
    problems: list[Problem] = []
    sections: dict[str, Any] = {}
    for name, value in data.items():
        if name in OWN_SECTIONS:
            continue
        if name not in _SECTIONS and not isinstance(value, dict):   # `title = ...` at the top
            problems.append(top_level_problem(name, _SECTIONS, display,
                                              _key_line(text, "", name)))
            continue
        if name not in _SECTIONS:
            hint = closest(name, [*_SECTIONS, *OWN_SECTIONS])
            problems.append(Problem(_l("unknown section [{name}]", name=name), display,
                                    _key_line(text, name, None) or _key_line(text, "", name),
                                    _l("did you mean [{name}]?", name=hint) if hint else
                                    _l("known sections: {names}", names=", ".join(_SECTIONS))))
            continue
        if not isinstance(value, dict):
            problems.append(Problem(_l("'{name}' must be a section [{name}]", name=name), display,
                                    _key_line(text, "", name) or _key_line(text, name, None)))
            continue
        sections[name] = _section(name, value, text, display, problems)
    raise_if_errors(problems)
    return Settings(**sections)


def _section(name: str, values: dict, text: str, display: str, problems: list[Problem]):
    cls = _SECTIONS[name]
    fields = {f.name: f for f in dataclasses.fields(cls)}
    defaults = cls()
    kwargs = {}
    for key, value in values.items():
        line = _key_line(text, name, key)
        if key not in fields:
            problems.append(unknown(_l("unknown setting '{key}' in [{section}]", key=key,
                                       section=name), key, fields, display, line,
                                    _l("known settings: {keys}", keys=", ".join(fields))))
            continue
        expected = type(getattr(defaults, key))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if (name, key) == ("production", "date"):
            value, problem = _iso_date(value, display, line)
            if problem:
                problems.append(problem)
                continue
        if not isinstance(value, expected) or isinstance(value, bool) != (expected is bool):
            problems.append(Problem(_TYPE_MESSAGES.get(expected, _TYPE_MESSAGES[str])(
                section=name, key=key, value=value), display, line))
            continue
        if isinstance(value, str):
            if any(unicodedata.category(ch) == "Cc" for ch in value) and line and \
                    _backslash_in_quotes(text, line):   # "anh\bia.png": \b, a backspace
                problems.append(Problem(_BACKSLASH, display, line, _BACKSLASH_HINT))
                continue
            value = unicodedata.normalize("NFC", value)
        choices = _CHOICES.get((name, key))
        if choices and value not in choices and (name, key, value) not in _EMPTY_MEANS_DEFAULT:
            hint = closest(str(value), [str(c) for c in choices])
            problems.append(Problem(_l("[{section}] {key} = {value!r} is not one of {choices}",
                                       section=name, key=key, value=value,
                                       choices=", ".join(map(str, choices))), display, line,
                                    _l("did you mean {name!r}?", name=hint) if hint else None))
            continue
        bounds = _RANGES.get((name, key))
        if bounds and not bounds[0] <= value <= bounds[1]:
            problems.append(Problem(_l("[{section}] {key} = {value} is out of range",
                                       section=name, key=key, value=value), display, line,
                                    _l("use a value from {low} to {high}", low=bounds[0],
                                       high=bounds[1])))
            continue
        kwargs[key] = value
    return cls(**kwargs)


def _iso_date(value, display: str, line: int | None) -> tuple[Any, Problem | None]:
    """The production's date as 'yyyy-mm-dd' text (a TOML date is accepted too)."""
    import datetime as dt

    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat(), None
    try:
        return dt.date.fromisoformat(str(value)).isoformat(), None
    except ValueError:
        return value, Problem(_l("[production] date = {value!r} is not a date", value=value),
                              display, line, _l('write it as "2021-11-30" (year-month-day)'))


_TYPE_MESSAGES = {   # one whole sentence per expected type
    str: lambda **p: _l("[{section}] {key} must be text in quotes, not {value!r}", **p),
    int: lambda **p: _l("[{section}] {key} must be a whole number, not {value!r}", **p),
    float: lambda **p: _l("[{section}] {key} must be a number, not {value!r}", **p),
    bool: lambda **p: _l("[{section}] {key} must be true or false, not {value!r}", **p),
}
