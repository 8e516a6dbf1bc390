"""Rules for document numbers: state documents, Party documents, standards.

Two systems number Vietnamese documents, and the form of the code says which:

* state documents: ``1234/QĐ-UBND``, ``98/2018/NĐ-CP`` (number[/year]/TYPE-ISSUER);
* Party documents: ``19-NQ/TW``, ``05-CT/TU`` (number-TYPE/ISSUER).

Both are read "số", the number, the year when there is one, and "của" + the
issuer: "19-NQ/TW" → "nghị quyết số mười chín của Trung ương".  The type of
document is read only when the text has not written it just before ("Nghị
quyết số 19-NQ/TW" → "Nghị quyết số mười chín của Trung ương"); the issuer is
left out when the text names it right after ("..., của UBND tỉnh", also after
a date).  What a code means depends on the system (TT: "thông tư" or "thông
tri"; BCT: "Bộ Công Thương" or "Bộ Chính trị").  Types and Party bodies are
the data of ``data/documents.tsv``; state issuers are acronyms
(``data/acronyms.tsv``, the "/CP" lines first).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, ProblemsError
from ..i18n import _l
from .numbers import read_integer_text, read_number
from .rules_words import spell_if_acronym

DOCUMENTS_PATH = Path(__file__).parent / "data" / "documents.tsv"
KINDS = ("type", "state type", "party type", "party issuer", "party level", "party body")
# Types seen in state codes whose name is not read (kept silent, never an issuer).
_UNNAMED_STATE_TYPES = ("TC", "QY")
CODE = r"[A-ZĐ][A-Za-zĐđƯư0-9&]*(?:-[A-ZĐ][A-Za-zĐđƯư0-9&]*)*"


@dataclass(frozen=True)
class DocumentTables:
    """The codes of ``documents.tsv``, by kind: {kind: {code: spoken}}."""

    tables: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]

    def of(self, kind: str) -> dict[str, str]:
        return dict(dict(self.tables).get(kind, ()))

    def state_types(self) -> dict[str, str]:
        return {**self.of("type"), **self.of("state type")}

    def party_types(self) -> dict[str, str]:
        return {**self.of("type"), **self.of("party type")}


def read_tables(path: Path) -> DocumentTables:
    """Read a documents table; every malformed line is reported at once."""
    problems: list[Problem] = []
    found: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
    text = path.read_text(encoding="utf-8-sig")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        columns = [c.strip() for c in line.split("\t")]
        if len(columns) != 3 or not all(columns):
            problems.append(Problem(_l("expected three columns separated by tabs: kind, "
                                       "code, spoken form"), str(path), number,
                                    _l("write e.g. 'party level<TAB>TU<TAB>Tỉnh ủy'")))
        elif columns[0] not in KINDS:
            problems.append(Problem(_l("unknown kind '{kind}'", kind=columns[0]), str(path),
                                    number, _l("use one of: {kinds}", kinds=", ".join(KINDS))))
        elif columns[1] in found[columns[0]]:
            problems.append(Problem(_l("'{code}' is already a '{kind}'", code=columns[1],
                                       kind=columns[0]), str(path), number,
                                    _l("keep one line per code and kind")))
        else:
            found[columns[0]][columns[1]] = columns[2]
    if problems:
        raise ProblemsError(problems)
    return DocumentTables(tuple((k, tuple(v.items())) for k, v in found.items()))


@functools.lru_cache(maxsize=1)
def tables() -> DocumentTables:
    return read_tables(DOCUMENTS_PATH)


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


STATE_TYPES = {**tables().state_types(), **{t: "" for t in _UNNAMED_STATE_TYPES}}
PARTY_TYPES = tables().party_types()
_SPOKEN_TYPES = {s for s in (*STATE_TYPES.values(), *PARTY_TYPES.values()) if s}
# The text has written the type already: "Nghị quyết số", "Quyết định", "Số:".
_TYPE_BEFORE = re.compile(rf"(?<!\w)(?:(?:{_alt(_SPOKEN_TYPES)}|văn bản|luật|pháp lệnh)"
                          r"(?:[ \t]+số)?|số)[ \t]*:?[ \t]*$", re.IGNORECASE)
_AFTER_SO = re.compile(r"(?<!\w)số[ \t]*:?[ \t]*$", re.IGNORECASE)
# The issuer is named right after the code (", của UBND tỉnh"), perhaps after a date.
_NAMED_NEXT = re.compile(r"(?:[ \t]+ngày[ \t]+(?:\d{1,2}/\d{1,2}/\d{4}|\d{1,2}[ \t]+tháng"
                         r"[ \t]+\d{1,2}[ \t]+năm[ \t]+\d{4}))?[ \t]*,?[ \t]*của(?!\w)",
                         re.IGNORECASE)


def _before(m: re.Match, size: int = 40) -> str:
    return m.string[max(0, m.start() - size):m.start()]


def issuer(code: str, lex) -> str | None:
    """The spoken issuer of a state document code: "QĐ-UBND" → "Ủy ban nhân dân";
    None when the code names only the kind of document ("15/KH")."""
    parts = code.split("-")
    if parts[0] in STATE_TYPES:
        if len(parts) == 1:
            return None
        parts = parts[1:]
    name = parts[0]
    spoken = lex.acronym("/" + name) or lex.acronym(name)
    if spoken:
        return spoken
    numbered = re.fullmatch(r"([A-ZĐ][A-Za-zĐ]*?)(\d+)", name)
    if numbered and (base := lex.acronym("/" + numbered[1]) or lex.acronym(numbered[1])):
        return f"{base} khóa {read_number(int(numbered[2]))}"
    return spell_if_acronym(name)


def party_issuer(code: str, lex) -> str:
    """The spoken Party body: "TW" → "Trung ương", "BTGTU" → "Ban Tuyên giáo Tỉnh ủy"."""
    table = tables()
    whole = table.of("party issuer").get(code)
    if whole:
        return whole
    levels, bodies = table.of("party level"), table.of("party body")
    for level in sorted(levels, key=len, reverse=True):
        body = code[:-len(level)]
        if code.endswith(level) and (not body or body in bodies):
            return f"{bodies[body]} {levels[level]}" if body else levels[level]
    return issuer(code, lex) or code


def _number_words(m: re.Match, number: str, year: str | None, kind: str | None) -> list[str]:
    """[type] "số" number [năm year], each part only where the text lacks it."""
    before = _before(m)
    words = []
    if kind and not _TYPE_BEFORE.search(before):
        words.append(kind)  # "theo 19-NQ/TW": "theo nghị quyết số mười chín"
    if not _AFTER_SO.search(before):
        words.append("số")  # "Nghị định 98/2018/NĐ-CP" is read "Nghị định số ..."
    words.append(read_integer_text(number))
    if year:
        words += ["năm", read_number(int(year))]
    return words


def state_document(m: re.Match, lex):
    """"1234/QĐ-UBND" → "số một nghìn ... của Ủy ban nhân dân"."""
    code = m["dc_code"]
    words = []
    if m["dc_n"]:
        kind = STATE_TYPES.get(code.split("-")[0])
        words = _number_words(m, m["dc_n"], m["dc_y"], kind)
    name = issuer(code, lex)
    if name and not _NAMED_NEXT.match(m.string, m.end()):
        words += ["của", name]  # "... của UBND tỉnh" names it already
    return " ".join(words), "document"


def party_document(m: re.Match, lex):
    """"19-NQ/TW" → "nghị quyết số mười chín của Trung ương"."""
    words = _number_words(m, m["pd_n"], None, PARTY_TYPES[m["pd_type"]])
    if not _NAMED_NEXT.match(m.string, m.end()):
        words += ["của", party_issuer(m["pd_code"], lex)]
    return " ".join(words), "document"


def standard(m: re.Match, lex):
    """"QCVN 115:2017/BTTTT": number, year and issuer."""
    spoken = f"{read_integer_text(m['st_n'])} năm {read_number(int(m['st_y']))}"
    if m["st_code"] and (name := issuer(m["st_code"], lex)):
        spoken += f" của {name}"
    return spoken, "document"


# (name, pattern, handler), in priority order; they go before the numeric rules.
RULES = [
    ("pd", rf"(?<![\w/.,\-])(?P<pd_n>\d+)-(?P<pd_type>{_alt(PARTY_TYPES)})/"
           r"(?P<pd_code>[A-ZĐ][A-Za-zĐđ]*)(?![\w/])", party_document),
    ("dc", rf"(?<![\w/.,])(?:(?P<dc_n>\d+)(?:/(?P<dc_y>(?:19|20)\d{{2}}))?)?/"
           rf"(?P<dc_code>{CODE})(?![\w/])", state_document),
    ("st", rf"(?<![\w.,:])(?P<st_n>\d+):(?P<st_y>(?:19|20)\d{{2}})(?:/(?P<st_code>{CODE}))?"
           rf"(?![\w:/]|[.,]\d)", standard),
]
