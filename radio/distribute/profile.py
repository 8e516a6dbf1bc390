"""``[distribution]`` in radio.toml: the campaign window, the IP station profile, labels.

```toml
[distribution]
from = "2021-12-01"            # first day of the campaign (default: the production's date)
to = "2021-12-31"              # last day (default: 30 days after from)
category = "chuyên đề"
summary = ""                   # default: [production] comment

[distribution.times]           # suggested broadcast times per day, per recipient kind
ip = ["06:30", "17:30"]
cd = ["06:30", "17:30"]
province = ["11:30"]

[distribution.ip]              # the MP3 uploaded to IP loudspeaker systems
channels = 1
sample_rate_hz = 44100
bitrate_kbps = 64

[distribution.label]           # printable disc label
diameter_mm = 117.0
hole_mm = 41.0                 # 17 for full-face labels
```

Why 64 kbit/s mono: horn loudspeakers reproduce roughly 200 Hz to 7–8 kHz and
the programme is dual-mono speech, so a second channel carries nothing; LAME at
64 kbit/s mono keeps the band up to about 16 kHz (measured on white noise),
far beyond the horns; a 20-minute programme is 9.6 MB, an upload of seconds
on 4G and under two minutes on a weak 3G link, and a stream that the
receiving boxes sustain on poor mobile coverage.  Raise it (96 or 128) for a vendor that re-encodes
uploads, so that the second encoding starts from more.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field

from ..config import CONFIG_NAME, Production, _key_line
from ..errors import Problem, raise_if_errors
from ..i18n import _l
from ..textfold import nfc

BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
SAMPLE_RATES = (32000, 44100, 48000)     # MPEG-1 Layer III
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class IpProfile:
    channels: int = 1
    sample_rate_hz: int = 44100
    bitrate_kbps: int = 64


@dataclass(frozen=True)
class LabelSize:
    diameter_mm: float = 117.0
    hole_mm: float = 41.0


@dataclass(frozen=True)
class Distribution:
    start: dt.date
    end: dt.date
    category: str = "chuyên đề"
    summary: str = ""
    times: dict = field(default_factory=lambda: {"ip": ("06:30", "17:30"),
                                                 "cd": ("06:30", "17:30"),
                                                 "province": ("11:30",)})
    ip: IpProfile = IpProfile()
    label: LabelSize = LabelSize()


_SPEC = {   # key: (type, check(value) -> bool, the message when it fails)
    "ip.channels": (int, lambda v: v in (1, 2),
                    _l("[{section}] {key} = {value} must be 1 (mono) or 2 (stereo)")),
    "ip.sample_rate_hz": (int, lambda v: v in SAMPLE_RATES,
                          _l("[{section}] {key} = {value} must be 32000, 44100 or 48000")),
    "ip.bitrate_kbps": (int, lambda v: v in BITRATES,
                        _l("[{section}] {key} = {value} must be an MP3 bitrate from 32 to "
                           "320, such as 64, 96 or 128")),
    "label.diameter_mm": (float, lambda v: 100 <= v <= 120,
                          _l("[{section}] {key} = {value} must be from 100 to 120 (mm)")),
    "label.hole_mm": (float, lambda v: 10 <= v <= 45,
                      _l("[{section}] {key} = {value} must be from 10 to 45 (mm): 41 for "
                         "standard labels, 17 for full-face labels")),
    "category": (str, lambda v: bool(v.strip()),
                 _l("[{section}] {key} = {value} must not be empty")),
    "summary": (str, lambda v: True, None),
}
_TYPE = {int: _l("[{section}] {key} = {value} must be a whole number"),
         float: _l("[{section}] {key} = {value} must be a number"),
         str: _l("[{section}] {key} = {value} must be text in quotes")}


def load_distribution(production: Production) -> Distribution:
    """The [distribution] settings; every problem is reported together."""
    path = production.root / CONFIG_NAME
    text = path.read_text(encoding="utf-8-sig")
    data = tomllib.loads(text).get("distribution", {})
    problems: list[Problem] = []
    settings = production.settings.production
    start = _date(data, "from", text, problems) or dt.date.fromisoformat(settings.date)
    end = _date(data, "to", text, problems) or start + dt.timedelta(days=30)
    if end < start:
        problems.append(Problem(_l("[distribution] to = {end} is before from = {start}",
                                    end=end, start=start),
                                CONFIG_NAME, _key_line(text, "distribution", "to"),
                                _l("the campaign must end on or after the day it starts")))
    values = _values(data, text, problems)
    times = _times(data.get("times", {}), text, problems)
    known = {"from", "to", "category", "summary", "times", "ip", "label"}
    for key in data:
        if key not in known:
            problems.append(Problem(_l("unknown setting '{key}' in [distribution]", key=key),
                                    CONFIG_NAME,
                                    _key_line(text, "distribution", key),
                                    _l("known settings: {names}", names=", ".join(sorted(known)))))
    raise_if_errors(problems)
    return Distribution(start, end, values.get("category", "chuyên đề"),
                        values.get("summary", "") or settings.comment, times,
                        IpProfile(**values.get("ip", {})), LabelSize(**values.get("label", {})))


def _date(data: dict, key: str, text: str, problems: list[Problem]) -> dt.date | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(Problem(_l("[distribution] {key} = {value!r} is not a date",
                                    key=key, value=value), CONFIG_NAME,
                                _key_line(text, "distribution", key),
                                _l('write it as "2021-12-01" (year-month-day)')))
        return None


def _values(data: dict, text: str, problems: list[Problem]) -> dict:
    out: dict = {"ip": {}, "label": {}}
    for table in ("ip", "label"):
        for key in data.get(table, {}) if isinstance(data.get(table), dict) else ():
            if f"{table}.{key}" not in _SPEC:
                fields = [k.split(".")[1] for k in _SPEC if k.startswith(table + ".")]
                problems.append(Problem(_l("unknown setting '{key}' in [distribution.{table}]",
                                            key=key, table=table),
                                        CONFIG_NAME, _key_line(text, f"distribution.{table}",
                                                               key),
                                        _l("known settings: {names}", names=", ".join(fields))))
    for dotted, (kind, check, message) in _SPEC.items():
        table, _, key = dotted.rpartition(".")
        source = data.get(table, {}) if table else data
        if not isinstance(source, dict) or key not in source:
            continue
        value = source[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        section = f"distribution.{table}" if table else "distribution"
        line = _key_line(text, section, key)
        wrong_type = not isinstance(value, kind) or isinstance(value, bool)
        if wrong_type or not check(value):
            template = _TYPE[kind] if wrong_type else message
            params = {"section": section, "key": key, "value": repr(value)}
            problems.append(Problem(dataclasses.replace(template, params=tuple(params.items())),
                                    CONFIG_NAME, line))
            continue
        value = nfc(value) if isinstance(value, str) else value
        (out[table] if table else out)[key] = value
    return out


def _times(data, text: str, problems: list[Problem]) -> dict:
    times = dict(Distribution.__dataclass_fields__["times"].default_factory())
    for kind, value in data.items() if isinstance(data, dict) else ():
        line = _key_line(text, "distribution.times", kind)
        if kind not in times:
            problems.append(Problem(_l("unknown recipient kind '{kind}' in [distribution.times]",
                                        kind=kind),
                                    CONFIG_NAME, line, _l("use ip, cd or province")))
        elif not isinstance(value, list) or not value or not all(
                isinstance(v, str) and _TIME.match(v) for v in value):
            problems.append(Problem(_l("[distribution.times] {kind} must be a list of times "
                                       "such as [\"06:30\", \"17:30\"], not {value!r}",
                                        kind=kind, value=value),
                                    CONFIG_NAME, line))
        else:
            times[kind] = tuple(sorted(value))
    return times
