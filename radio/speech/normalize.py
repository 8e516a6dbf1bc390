"""Broadcast text normalization: written Vietnamese → what an announcer says.

The speech engines read raw digits and acronyms badly, so every paragraph
goes through :func:`normalize` first.  Case and punctuation are kept (they
drive the pauses); only what must be spelled out changes.  Conventions are
those of Northern broadcasting (VOV); the number reading itself is documented
in :mod:`radio.speech.numbers`.

Order of work
    1. NFC, "&amp;" → "&", and one tone-mark convention (below).  These
       silent clean-ups are not listed as rewrites.
    2. Producer pronunciations (the production's ``pronunciations.tsv``),
       whole words, case-sensitive, exactly as written in the file; then the
       loanwords of ``data/loanwords.tsv``, whole words in any case.
    3. Web and e-mail addresses ("hatinh.gov.vn"), then codes after a code
       word ("tổng đài 1022"), each in a pass of its own.
    4. The rules, in one left-to-right pass (``rules_places``,
       ``rules_codes``, ``rules_documents``, ``rules_numeric``,
       ``rules_words``) with the acronyms of ``data/acronyms.tsv``.
    Steps 2 to 4 repeat until the text no longer changes (a second round
    rarely finds anything: "8TT" → "tám TT" → "tám tê tê"), so the output is
    a fixed point and normalizing it again changes nothing.  :func:`explain`
    lists the rewrites of each round in that order, each step in text order.

Decisions
    * Tone marks: the **old style**, as in government documents and the
      acronym list ("Ủy ban"): in an open syllable with "oa", "oe" or "uy" the
      mark sits on the first vowel: "hoà" → "hòa", "khoẻ" → "khỏe",
      "thuý" → "thúy", "Uỷ" → "Ủy".  "quý", "hoàng", "thuyền" are the same in
      both styles and are not touched.
    * Numbers: "." followed by exactly three digits is a thousands separator
      ("1.005" → "một nghìn không trăm linh năm"); a dot before one or two
      digits and a measure (unit, currency, "%", "tấn", "triệu"...) is a
      decimal written the English way ("1.5 tấn" → "một phẩy năm tấn"); any
      other dot is read "chấm" ("4.0" → "bốn chấm không"); "," between digits
      is always the decimal comma ("8,05" → "tám phẩy không năm").  Up to three digits with
      leading zeros are a number ("03 xã" → "ba xã"), longer ones a code read
      digit by digit.
    * "/" before a unit is read "trên" ("60 km/h" → "sáu mươi ki-lô-mét trên
      giờ", "20 tấn/ha" → "... tấn trên héc-ta"), and "một" before a counted
      thing or a time ("45 kg/người/năm" → "... ki-lô-gam một người một năm")
      and after a currency or a scale word, i.e. in a price ("30.000 đồng/kg"
      → "ba mươi nghìn đồng một ki-lô-gam", "2 triệu/tháng" → "hai triệu một
      tháng").
    * Dates: d/m/yyyy gets "ngày" in front when the text has not written it,
      and days 1–10 take "mùng"; m/yyyy gets "tháng" likewise; April is "tư".
      d/m without a year is a date only after a date word (ngày, dịp, từ,
      đến, hôm, lễ...), otherwise a fraction ("3/4" → "ba phần tư").
    * Document numbers: "số", the number, the year when there is one, and
      "của" + the issuer; the document type in the code (QĐ, KH, NĐ...) is
      not read.  "số" is inserted when the text does not write it
      ("Nghị định 98/2018/NĐ-CP" → "Nghị định số chín mươi tám năm hai
      nghìn không trăm mười tám của Chính phủ"); the issuer is left out when
      the text names it right after ("..., của UBND tỉnh"), also after a date.
    * Roman numerals are read only after thứ, quý, khóa, đại hội, chương,
      phần, mục, giai đoạn, thế kỷ, kỳ, phụ lục, a numbered place (thôn, xóm,
      khối, tổ...), or as the number of a heading-like line ("I. MỤC ĐÍCH" →
      "Một. MỤC ĐÍCH").
    * Phone numbers and other codes (hotlines, accounts, ID cards, plates,
      grouped digits with a leading 0) are read digit by digit, groups
      separated by commas (``rules_codes``); spaces (also no-break and narrow
      no-break) between regular groups of three are thousands separators
      ("35 500 000 đồng").
    * Party documents ("19-NQ/TW"), dates in lists ("ngày 30/4 và 1/5"), road
      codes ("QL1A", "Km 15+200") and loanwords ("Facebook" → "Phây-búc"):
      ``rules_documents``, ``rules_dates``, ``rules_places``, ``loanwords``.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem, ProblemsError
from ..i18n import _l, lazy_ngettext
from . import loanwords, rules_codes, rules_documents, rules_numeric, rules_places, rules_words

KINDS = ("number", "decimal", "percent", "date", "time", "range", "money", "unit", "phone",
         "document", "ordinal", "roman", "acronym", "spelled", "pronunciation", "symbol",
         "code", "loanword", "fraction", "place", "web", "score")
ACRONYMS_PATH = Path(__file__).parent / "data" / "acronyms.tsv"
PRONUNCIATIONS_NAME = "pronunciations.tsv"   # a production's own, at its root
LOANWORDS_PATH = loanwords.LOANWORDS_PATH
MAX_ROUNDS = 4  # passes until the text no longer changes (idempotence)
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Rewrite:
    """One change made to the text: what was written, what will be said."""

    written: str
    spoken: str
    kind: str


def _pairs(value) -> tuple[tuple[str, str], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((clean(k), clean(v)) for k, v in items)


@dataclass(frozen=True)
class Lexicon:
    """Acronyms and loanwords (package data) and producer pronunciations,
    written → spoken.

    Each field accepts a mapping or (written, spoken) pairs; all are stored as
    tuples of pairs, cleaned like the text (NFC, tone marks).
    """

    acronyms: tuple[tuple[str, str], ...] = ()
    pronunciations: tuple[tuple[str, str], ...] = ()
    loanwords: tuple[tuple[str, str], ...] = ()
    _index: dict = field(init=False, repr=False, compare=False, hash=False)
    _patterns: dict = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self):
        object.__setattr__(self, "acronyms", _pairs(self.acronyms))
        object.__setattr__(self, "pronunciations", _pairs(self.pronunciations))
        object.__setattr__(self, "loanwords", _pairs(self.loanwords))
        object.__setattr__(self, "_index", {
            "acronyms": dict(self.acronyms), "pronunciations": dict(self.pronunciations),
            "loanwords": loanwords.index(self.loanwords, self.pronunciations)})
        object.__setattr__(self, "_patterns", {})

    def acronym(self, written: str) -> str | None:
        return self._index["acronyms"].get(written)

    def pronunciation(self, written: str) -> str | None:
        return self._index["pronunciations"].get(written)

    def loanword(self, written: str) -> str | None:
        return loanwords.spoken_form(written, self._index["loanwords"])

    def pattern(self, name: str) -> re.Pattern | None:
        """The compiled pattern of one pass ("pronunciations", "loanwords" or
        "rules"), cached."""
        if name not in self._patterns:
            builder = {"pronunciations": _pronunciation_pattern,
                       "loanwords": lambda lex: loanwords.pattern(k for k, _ in lex.loanwords),
                       "rules": _rules_pattern}[name]
            self._patterns[name] = builder(self)
        return self._patterns[name]


# ------------------------------------------------------------------ loading

def _read_tsv(path: Path, problems: list[Problem],
              data: bytes | None = None) -> list[tuple[str, str]]:
    """The pairs of *path* (its bytes *data* when the caller has read them)."""
    hint = _l("write the written form, a TAB, then the spoken form (UBND<TAB>Ủy ban nhân dân)")
    # A production's pronunciations.tsv sits at its root: named as every file of the
    # production is, from there (the built-in tables by their whole path).
    shown = path.name if path.name == PRONUNCIATIONS_NAME else str(path)
    try:
        text = (path.read_bytes() if data is None else data).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(_l("not UTF-8 text ({reason})", reason=exc.reason), shown,
                                None, _l("save the file as UTF-8")))
        return []
    pairs, seen = [], {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        columns = [c.strip() for c in line.split("\t")]
        if len(columns) != 2 or not all(columns):
            found = (_l("expected two columns separated by a tab, found an empty column")
                     if len(columns) == 2 else lazy_ngettext(
                         "expected two columns separated by a tab, found {n} column",
                         "expected two columns separated by a tab, found {n} columns",
                         len(columns)))
            problems.append(Problem(found, shown, number, hint))
            continue
        written = clean(columns[0])
        if written != clean(columns[1]) and _has_word(clean(columns[1]), written):
            problems.append(Problem(_l("the spoken form repeats the written form '{written}'",
                                       written=columns[0]), shown, number,
                                    _l("it would be replaced again on every reading: write "
                                       "only what is said instead of it")))
            continue
        if written in seen and seen[written][1] != columns[1]:
            problems.append(Problem(_l("'{written}' is already defined on line {line}",
                                       written=columns[0], line=seen[written][0]), shown,
                                    number, _l("keep one line per written form")))
            continue
        seen[written] = (number, columns[1])
        pairs.append((columns[0], columns[1]))
    return pairs


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"   # what \w matches in a str pattern


def _has_word(text: str, word: str) -> bool:
    r"""Whether *word* occurs in *text* with no word character on either side
    (``(?<!\w)word(?!\w)``, without compiling a pattern for every line)."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if (start == 0 or not _is_word_char(text[start - 1])) and \
                (end == len(text) or not _is_word_char(text[end])):
            return True
        start = text.find(word, start + 1)
    return False


def load_lexicon(pronunciations_path: Path | None = None) -> Lexicon:
    """The built-in acronyms plus the production's pronunciations, if any.

    A missing pronunciations file means no pronunciations.  Every malformed
    line of either file is reported at once as a ``ProblemsError``.
    """
    if pronunciations_path is None:
        return _builtin_lexicon()
    path = Path(pronunciations_path)
    return _lexicon(path, path.read_bytes() if path.exists() else None)


@functools.lru_cache(maxsize=8)
def _lexicon(path: Path, data: bytes | None) -> Lexicon:
    """The lexicon of a pronunciations file with these contents (*data*: its bytes;
    None: no file).  A build asks several times (is each episode current? then
    build it), and a Lexicon compiles its patterns once."""
    problems: list[Problem] = []
    acronyms = _read_tsv(ACRONYMS_PATH, problems)
    words = _read_tsv(LOANWORDS_PATH, problems)
    pronunciations = _read_tsv(path, problems, data) if data is not None else []
    if problems:
        raise ProblemsError(problems)
    return Lexicon(acronyms, pronunciations, words)


@functools.lru_cache(maxsize=1)
def _builtin_lexicon() -> Lexicon:
    problems: list[Problem] = []
    acronyms = _read_tsv(ACRONYMS_PATH, problems)
    words = _read_tsv(LOANWORDS_PATH, problems)
    if problems:
        raise ProblemsError(problems)
    return Lexicon(acronyms, (), words)


# ------------------------------------------------------------------ clean-up

_TONED = {"a": "àáảãạ", "e": "èéẻẽẹ", "y": "ỳýỷỹỵ"}
_TONE_PAIR = re.compile(r"(?<!\w)([bcdđghklmnpqrstvx]*)(o)([%s])(?!\w)|"
                        r"(?<!\w)([bcdđghklmnprstvx]*)(u)([%s])(?!\w)"
                        % (_TONED["a"] + _TONED["e"], _TONED["y"]), re.IGNORECASE)


def _move_tone(m: re.Match) -> str:
    onset, first, second = (m[1], m[2], m[3]) if m[2] else (m[4], m[5], m[6])
    decomposed = unicodedata.normalize("NFD", second)
    moved = unicodedata.normalize("NFC", first + decomposed[1:])
    return onset + moved + decomposed[0]


def clean(text: str) -> str:
    """NFC, "&amp;" → "&", and old-style tone marks ("hoà" → "hòa")."""
    text = unicodedata.normalize("NFC", text).replace("&amp;", "&").replace("&nbsp;", " ")
    return _TONE_PAIR.sub(_move_tone, text)


# ------------------------------------------------------------------ the passes

def _literal_alternation(keys: Iterable[str]) -> str:
    """Whole words, longest first; grouped by their first character, so a
    position is tried against the keys that can start there only (the acronym
    list has hundreds of keys and is tried at every capital letter)."""
    groups: dict[str, list[str]] = {}
    for key in sorted(keys, key=len, reverse=True):
        rest = re.escape(key[1:])
        groups.setdefault(key[0], []).append(rest + (r"(?!\w)" if key[-1].isalnum() else ""))
    parts = []
    for first, rests in groups.items():
        before = r"(?<!\w)" if first.isalnum() else ""
        parts.append(f"{before}{re.escape(first)}(?:{'|'.join(rests)})")
    return "|".join(parts)


def _pronunciation_pattern(lex: Lexicon) -> re.Pattern | None:
    keys = [k for k, _ in lex.pronunciations]
    return re.compile(_literal_alternation(keys)) if keys else None


_RULES = (rules_places.RULES + rules_words.EARLY_RULES + rules_codes.RULES
          + rules_documents.RULES + rules_numeric.RULES + rules_words.RULES)
_HANDLERS = {name: handler for name, _, handler in _RULES}


def _rules_pattern(lex: Lexicon) -> re.Pattern:
    keys = [k for k, _ in lex.acronyms if not k.startswith(("/", "."))]
    alternatives = [f"(?P<{name}>{pattern})" for name, pattern, _ in _RULES]
    first = rules_numeric.FIRST_CHARS + rules_words.FIRST_CHARS + rules_places.FIRST_CHARS
    if keys:
        # Road codes first ("ĐH.12" is a road, "ĐH" alone an acronym), then acronyms.
        alternatives.insert(len(rules_places.RULES), f"(?P<ac>{_literal_alternation(keys)})")
        first += "".join(re.escape(ch) for ch in sorted({k[0] for k in keys}))
    # A cheap test first: most positions cannot start any match (10x faster).
    guard = f"(?:(?=[{first}])|(?={rules_numeric.FIRST_WORDS}))"
    return re.compile(f"{guard}(?:{'|'.join(alternatives)})")


def _pronounce(m: re.Match, lex: Lexicon):
    return lex.pronunciation(m.group()), "pronunciation"


def _loanword(m: re.Match, lex: Lexicon):
    return lex.loanword(m.group()), "loanword"


def _code(m: re.Match, lex: Lexicon):
    return rules_codes.in_context(m)


def _dispatch(m: re.Match, lex: Lexicon):
    if m.lastgroup == "ac":
        return rules_words.acronym(m, lex)
    return _HANDLERS[m.lastgroup](m, lex)


def _run(pattern: re.Pattern | None, text: str, handler, lex: Lexicon,
         rewrites: list[Rewrite]) -> str:
    if pattern is None:
        return text
    out, pos = [], 0
    span = "body" if "body" in pattern.groupindex else 0  # context + body: rewrite the body
    for m in pattern.finditer(text):
        result = handler(m, lex)
        start, end = m.span(span)
        if result is None or result[0] == text[start:end]:
            continue
        spoken, kind = result
        glued = start and text[start - 1].isalnum() and not (pos == start and out
                                                             and out[-1].endswith(" "))
        if spoken[:1].isalnum() and glued:
            spoken = " " + spoken  # "H5N1" → "H năm N một", "5+3" → "năm cộng ba"
        if spoken[-1:].isalnum() and end < len(text) and text[end].isalnum():
            spoken += " "  # "TP.Hà Tĩnh" → "thành phố Hà Tĩnh"
        out += [text[pos:start], spoken]
        pos = end
        rewrites.append(Rewrite(text[start:end], spoken.strip(), kind))
    out.append(text[pos:])
    return "".join(out)


def explain(text: str, lexicon: Lexicon | None = None) -> tuple[str, list[Rewrite]]:
    """The spoken text and every rewrite made (pronunciations, then rules)."""
    lex = lexicon if lexicon is not None else _builtin_lexicon()
    rewrites: list[Rewrite] = []
    text = clean(text)
    for _ in range(MAX_ROUNDS):  # usually one round, a second one finds nothing
        before = text
        text = _run(lex.pattern("pronunciations"), text, _pronounce, lex, rewrites)
        text = _run(lex.pattern("loanwords"), text, _loanword, lex, rewrites)
        if rules_words.WEB_HINT.search(text):  # no ".vn", ".com"... or "@": no address
            text = _run(rules_words.WEB, text, rules_words.web_address, lex, rewrites)
        if _DIGIT.search(text):  # no digit, no code: skip the pass (most later rounds)
            text = _run(rules_codes.PATTERN, text, _code, lex, rewrites)
        text = _run(lex.pattern("rules"), text, _dispatch, lex, rewrites)
        if text == before:
            break
    return text, rewrites


def normalize(text: str, lexicon: Lexicon | None = None) -> str:
    """Written Vietnamese → the words an announcer says (see the module doc)."""
    return explain(text, lexicon)[0]
