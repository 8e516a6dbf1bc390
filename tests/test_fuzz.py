"""Fuzzing the inputs a producer writes: scripts (front matter, cues, text) and radio.toml.

Whatever the input, reading it ends in a parsed result or a RadioError whose every
problem names the file and, for a problem in a line, the line: never another exception.

CI runs a bounded, derandomized number of examples.  For a long exploratory run:

    RADIO_FUZZ_EXAMPLES=20000 .venv/bin/pytest tests/test_fuzz.py

(random seeds each run; a failure is printed with the smallest input that shows it,
and hypothesis keeps it in .hypothesis/ so the next run tries it first).
"""
from __future__ import annotations

import json
import math
import os

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from radio.config import CONFIG_NAME, Settings, _CHOICES, _RANGES, _SECTIONS, read_settings
from radio.errors import RadioError
from radio.script import Episode, parse_text
from radio.script.cues import KEYWORDS, OPTIONS
from radio.script.encoding import decode_script
from radio.script.frontmatter import EPISODE_KEYS, SPEAKER_KEYS

LONG_RUN = "RADIO_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("RADIO_FUZZ_EXAMPLES", "200"))
fuzz = settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG_RUN,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])
SHOWN = "scripts/episode1.md"


# ------------------------------------------------------------------ checks

def problems_of(exc: RadioError) -> list:
    problems = getattr(exc, "problems", None) or [exc.problem]
    assert problems, "an error without a problem"
    return problems


def check_script(text: str) -> Episode | None:
    """Parse *text*; a failure must locate every problem in the script."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    try:
        episode = parse_text(text, "episode1", SHOWN)
    except RadioError as exc:
        for problem in problems_of(exc):
            assert problem.path == SHOWN, problem
            assert isinstance(problem.line, int) and 1 <= problem.line <= lines + 1, problem
            assert str(problem.message).strip(), problem
            assert "\n" not in str(problem), problem
        return None
    assert isinstance(episode, Episode) and episode.paragraphs
    declared = {s.label for s in episode.speakers}
    for item in episode.items:
        assert 1 <= item.line <= lines, item
        if hasattr(item, "speaker"):
            assert item.speaker in declared
        path = getattr(item, "path", None)
        if path is not None:
            assert not path.startswith(("/", "..")) and "\0" not in path, item
    return episode


def check_settings(tmp_path, data: bytes, need_lines: bool = False) -> Settings | None:
    path = tmp_path / CONFIG_NAME
    path.write_bytes(data)
    lines = data.count(b"\n") + 1
    try:
        return read_settings(path)
    except RadioError as exc:
        for problem in problems_of(exc):
            assert problem.path == CONFIG_NAME, problem
            if need_lines or problem.line is not None:
                assert isinstance(problem.line, int) and 1 <= problem.line <= lines, problem
            assert "\n" not in str(problem), problem
        return None


# ------------------------------------------------------------------ script pieces

WORDS = st.sampled_from(["Kính thưa quý vị", "Hà Tĩnh", "35.500.000đ", "14/10/2021", "UBND",
                         "381/KH-UBND", "🍊", "柑橘", "x" * 300, "", " ", "\t", "\u200b", "\x00",
                         "\ufeff", "ǅ", "İ", "ß", "ﬁ", "\u0301", "e\u0301", "{#p001}", "{#p9}",
                         "<!--", "-->", "|", ":", "[", "]", "#", "---", "...", "MC1:", "mc1:"])
TIMES = st.sampled_from(["2s", "1,5s", "500ms", "0:05", "1:20", "1:02:03", "3 phút", "0s", "-1s",
                         "1e9s", "9" * 40 + "s", "9" * 400, "99999999:00", "nan", "inf", "1:2:3:4",
                         "٣s", "0:00.5", ",5s", "1.s", "", "10 min", "1:60", "0,0001s"])
LEVELS = st.sampled_from(["-3", "+2 dB", "-1,5", "nan", "inf", "-inf", "1e400", "-60", "25",
                          "dB", "", "--3", "٣"])
PATHS = st.sampled_from(["jingles/intro.ogg", "music/bed.ogg", "../x.ogg", "a/../../b.ogg",
                         "/etc/passwd", "C:\\x.wav", "\\\\server\\x.wav", "a\x00b.ogg", "tắt",
                         "off", "", " ", ".", "..", "./a.ogg", "a//b.ogg", "~/x.ogg",
                         "interviews/vi du.ogg", "x" * 5000, "a\nb"])
TEXT = st.text(min_size=0, max_size=40)


@st.composite
def cue_lines(draw):
    keyword = draw(st.one_of(st.sampled_from(sorted(KEYWORDS)), TEXT, WORDS))
    value = draw(st.one_of(PATHS, TIMES, TEXT))
    options = draw(st.lists(st.one_of(
        st.tuples(st.sampled_from(sorted(OPTIONS)), st.one_of(TIMES, LEVELS, TEXT,
                                                             st.sampled_from(["có", "không", "x"]))
                  ).map(lambda kv: f"{kv[0]}={kv[1]}"),
        TEXT), max_size=4))
    separator = draw(st.sampled_from([":", ": ", " : ", "", "::"]))
    return "[" + " | ".join([f"{keyword}{separator}{value}", *options]) + "]"


@st.composite
def body_lines(draw):
    kind = draw(st.integers(0, 7))
    if kind == 0:
        return draw(cue_lines())
    if kind == 1:
        return draw(st.sampled_from(["#", "##", "###", "####"])) + " " + draw(TEXT)
    if kind == 2:
        label = draw(st.sampled_from(["MC1", "MC2", "MC3", "mc1", "KHACH", "X" * 30, ""]))
        return f"{label}: " + " ".join(draw(st.lists(WORDS, max_size=5)))
    if kind == 3:
        return ""
    if kind == 4:
        return draw(WORDS)
    if kind == 5:
        return "[" + draw(TEXT)
    return draw(TEXT)


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10 ** 30, 10 ** 30),
                    st.floats(allow_nan=True, allow_infinity=True), TEXT, WORDS)
YAML_VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.one_of(TEXT, st.integers()), inner,
                                                 max_size=3)), max_leaves=8)


@st.composite
def speakers(draw):
    result = {}
    for label in draw(st.lists(st.one_of(st.sampled_from(["MC1", "MC2", "mc 1", "a:b", "[x]",
                                                          "X" * 30, ""]), TEXT, st.integers()),
                               max_size=3)):
        settings_ = draw(st.one_of(
            st.dictionaries(st.one_of(st.sampled_from(SPEAKER_KEYS), TEXT),
                            st.one_of(SCALARS, st.sampled_from(["vi", "vi-vn-x-south", "espeak",
                                                                "gtts", "auto", "f2"])),
                            max_size=4),
            YAML_VALUES))
        result[label] = settings_
    return result


@st.composite
def front_matter(draw):
    data = draw(st.dictionaries(st.one_of(st.sampled_from(EPISODE_KEYS), TEXT,
                                          st.sampled_from(["titel", "numero", "speaker", "Title"])),
                                YAML_VALUES, max_size=6))
    if draw(st.booleans()):
        data["title"] = draw(st.one_of(TEXT, WORDS, YAML_VALUES))
    if draw(st.booleans()):
        data["number"] = draw(st.one_of(st.integers(-5, 120), SCALARS))
    if draw(st.booleans()):
        data["speakers"] = draw(speakers())
    try:
        text = yaml.safe_dump(data, allow_unicode=draw(st.booleans()),
                              default_flow_style=draw(st.sampled_from([None, True, False])))
    except (yaml.YAMLError, ValueError, RecursionError):
        text = json.dumps(str(data))
    return text


YAML_SNIPPET_LIST = [
    "title: 2021-02-30", "date: 2021-13-45", "number: !!int abc", "title: !!binary ==",
    "title: !!python/object:os.system x", "number: 0x1F", "number: 1_000", "number: 1e3",
    "title: &a [*a]", "title: *nowhere", "speakers: [MC1, MC2]", "speakers:\n  MC1: vi",
    "speakers:\n  MC1: {voice: vi, pitch: 1000}", "speakers: {MC1: {pitch: .nan}}",
    "? [a, b]\n: c", "title: '" + "[" * 200, "title: " + "[" * 2000 + "]" * 2000,
    "{" * 500, "title: |\n  a\n b", "\ttitle: x", "title: \"\\x\"", "%YAML 9.9\n---",
    "!!set {a, b}", "title: !!timestamp 2021-99-99", "number: !!float x",
    "speakers: {MC1: {rate: !!int 1e3}}", "title: ~", "<<: {title: x}", "<<: 5",
]
YAML_SNIPPETS = st.sampled_from(YAML_SNIPPET_LIST)


@st.composite
def scripts(draw):
    parts = []
    if draw(st.integers(0, 9)) > 0:
        parts.append(draw(st.sampled_from(["---", "--- ", "---\r", " ---"])))
        parts.append(draw(st.one_of(front_matter(), YAML_SNIPPETS, TEXT)))
        if draw(st.integers(0, 9)) > 0:
            parts.append(draw(st.sampled_from(["---", "...", "--- x"])))
    parts += draw(st.lists(body_lines(), max_size=12))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r", "\n\n"]))
    return newline.join(parts)


# ------------------------------------------------------------------ the properties

@fuzz
@given(scripts())
def test_structured_scripts_parse_or_fail_with_file_and_line(text):
    check_script(text)


@fuzz
@given(st.text(max_size=400))
def test_any_text_parses_or_fails_with_file_and_line(text):
    check_script(text)
    check_script("---\ntitle: x\nspeakers: {MC1: {voice: vi}}\n---\n" + text)


@fuzz
@given(st.binary(max_size=600))
def test_any_bytes_decode_or_fail_with_file_and_line(raw):
    try:
        text = decode_script(raw, SHOWN)
    except RadioError as exc:
        for problem in problems_of(exc):
            assert problem.path == SHOWN and isinstance(problem.line, int), problem
        return
    check_script(text)


@fuzz
@given(front_matter(), st.lists(body_lines(), max_size=6))
def test_front_matter_from_yaml_data(front, body):
    check_script("---\n" + front + "---\nMC1: Xin chào.\n" + "\n".join(body))


def test_known_hard_front_matter():
    for snippet in YAML_SNIPPET_LIST:
        check_script("---\n" + snippet + "\n---\nMC1: Xin chào.\n")


# ------------------------------------------------------------------ radio.toml

KEYS = sorted({key for cls in _SECTIONS.values() for key in cls.__dataclass_fields__})


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {toml_value(v)}"
                               for k, v in value.items()) + "}"
    return str(value)


TOML_SCALARS = st.one_of(st.booleans(), st.integers(-2 ** 63, 2 ** 63 - 1),
                         st.floats(allow_nan=True, allow_infinity=True),
                         st.text(max_size=20), st.sampled_from(
                             [c for choices in _CHOICES.values() for c in choices]),
                         st.sampled_from([bound for pair in _RANGES.values() for bound in pair]))
TOML_VALUES = st.recursive(TOML_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6)
BARE = st.from_regex(r"[A-Za-z0-9_-]{1,20}", fullmatch=True)


@st.composite
def toml_documents(draw):
    lines = []
    sections = draw(st.lists(st.one_of(st.sampled_from(sorted(_SECTIONS)), BARE,
                                       st.sampled_from(["buld", "Build", "disk", "pacng"])),
                             max_size=5, unique=True))
    for section in [None, *sections]:
        if section is not None:
            lines.append(f"[{section}]")
        keys = draw(st.lists(st.one_of(st.sampled_from(KEYS), BARE,
                                       st.sampled_from(["presett", "bitrate", "lable", "engin"])),
                             max_size=5, unique=True))
        for key in keys:
            lines.append(f"{key} = {toml_value(draw(TOML_VALUES))}")
    return "\n".join(lines) + "\n"


@fuzz
@given(toml_documents())
def test_structured_radio_toml_loads_or_names_each_line(tmp_path_factory, document):
    folder = tmp_path_factory.mktemp("toml", numbered=True)
    check_settings(folder, document.encode("utf-8"), need_lines=True)


@fuzz
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_any_radio_toml_loads_or_fails_with_the_file(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("toml", numbered=True)
    check_settings(folder, data)


TOML_SNIPPETS = [
    "[build]\nmp3_bitrate_kbps = 1e400\n", "[build]\ngtts_timeout_s = nan\n",
    "[build]\ngtts_timeout_s = inf\n", "[pacing]\ntail_ms = 99999999999999999999\n",
    '[production]\ndate = "2021-02-30"\n', "[production]\ndate = 2021-11-30\n",
    '[production]\ndate = "hôm nay"\n', "build.preset = \"web\"\n", "build = 5\n",
    '[build]\n"preset " = "web"\n', "[[build]]\npreset = \"web\"\n", "[build.extra]\na = 1\n",
    '"[pacing]" = 1\n', '[build]\npreset = ["web"]\n', "\ufeff[build]\npreset = \"web\"\n",
    "[ build ]\npresett = \"web\"\n", "[build] # comment\nengin = \"gtts\"\n",
]


def test_known_hard_radio_toml(tmp_path):
    for snippet in TOML_SNIPPETS:
        check_settings(tmp_path, snippet.encode("utf-8"), need_lines=True)


# ------------------------------------------------------------------ through the command line

NASTY_SCRIPTS = [
    b"\x00\xff\xfe garbage \x80\x81" * 50,
    "---\ntitle: " + "[" * 3000 + "\n---\nMC1: a\n",
    "---\ntitle: x\nspeakers: {MC1: {voice: vi}}\n---\nMC1: a\n[dừng: " + "9" * 400 + "]\n",
    "---\ntitle: x\nspeakers: {MC1: {voice: vi}}\n---\nMC1: a\n[băng: a\x00b.ogg]\n",
    "---\ntitle: 2021-02-30\nspeakers: {MC1: {voice: vi}}\n---\nMC1: a\n",
    "---\n\"ti\ntle\": x\n---\n<!-- never closed\nMC1: a\n",
    "---\ntitle: x\nspeakers: {MC1: {voice: vi}}\n---\nMC1: 🍊\n\n[nhạc nền: tắt]\n# \n",
]


def test_nasty_scripts_through_the_command_line(production):
    from clirun import run_radio

    script = production / "scripts" / "episode1.md"
    for content in NASTY_SCRIPTS:
        script.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        code, out, err = run_radio(["check", "episode1"], production)
        assert code in (0, 2), (content[:80], err)
        assert "Traceback" not in err and "internal error" not in err, err
        for line in err.strip().splitlines():
            assert line.startswith(("scripts/episode1.md:", "warning: scripts/episode1.md:",
                                    "error:")), (content[:80], line)
