"""The interface language: a complete Vietnamese catalog, the choice of language, and
messages translated when they are shown, whatever the console."""
from __future__ import annotations

import gettext
import os
import pickle
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

from clirun import run_radio
from radio import i18n
from radio.errors import UserError

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "radio" / "locale" / "vi" / "LC_MESSAGES" / "radio.po"
sys.path.insert(0, str(ROOT / "tools"))
import messages as tooling  # noqa: E402  (tools/messages.py: the catalog's tooling)

pofile = pytest.importorskip("babel.messages.pofile", reason="Babel is in the test extra")
extract = pytest.importorskip("babel.messages.extract")


def read_catalog():
    with open(PO, "rb") as f:
        return pofile.read_po(f, locale="vi")


def source_ids() -> dict[str, str]:
    """Every message id in radio/ as the code says it now, and where."""
    found = {}
    for name, line, message, *_ in extract.extract_from_dir(
            ROOT / "radio", tooling.METHODS, keywords=tooling.KEYWORDS):
        for msgid in (message if isinstance(message, tuple) else (message,)):
            if msgid:
                found.setdefault(msgid, f"radio/{name}:{line}")
    for name, line, msgid in tooling.click_help_ids():
        found.setdefault(msgid, f"{name}:{line}")
    return found


def placeholders(text: str) -> set[str]:
    """Named fields of a str.format message, or %(name)s of a %-message (click's)."""
    names = set(re.findall(r"%\((\w+)\)", text))
    try:
        names |= {field.split(".")[0].split("[")[0]
                  for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError as exc:
        raise AssertionError(f"{text!r} is not a valid format string: {exc}") from None
    return names


def test_every_message_in_the_code_has_a_vietnamese_translation():
    catalog = read_catalog()
    translated = {}
    for m in catalog:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        ok = all(strings) and not m.fuzzy
        for msgid in (m.id if isinstance(m.id, tuple) else (m.id,)):
            translated[msgid] = ok
    missing = sorted(f"{where}: {msgid!r}" for msgid, where in source_ids().items()
                     if not translated.get(msgid))
    assert not missing, (
        f"{len(missing)} message(s) have no Vietnamese translation yet. Run `make messages`, "
        "translate them in radio/locale/vi/LC_MESSAGES/radio.po (words: "
        "radio/locale/GLOSSARY.vi.md; fuzzy entries need a check), then `make messages` "
        "again:\n  " + "\n  ".join(missing))


LOG_METHODS = {"info", "detail", "warn"}


def _words_outside_the_catalog(node) -> list[str]:
    """English words in a log call's first argument that no catalog call wraps:
    the literal text of a string or f-string, or of the parts of a ``+``."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.findall(r"[A-Za-z]{3,}", node.value)
    if isinstance(node, ast.JoinedStr):
        return [w for part in node.values if isinstance(part, ast.Constant)
                for w in re.findall(r"[A-Za-z]{3,}", part.value)]
    if isinstance(node, ast.BinOp):
        return _words_outside_the_catalog(node.left) + _words_outside_the_catalog(node.right)
    if isinstance(node, ast.IfExp):
        return _words_outside_the_catalog(node.body) + _words_outside_the_catalog(node.orelse)
    return []   # a call (_, ngettext...) or a value made elsewhere


def _is_a_log(node) -> bool:
    """``log``, ``self.log``, ``job.log``... (the Log every command writes to)."""
    import ast

    return (isinstance(node, ast.Name) and node.id == "log") or \
        (isinstance(node, ast.Attribute) and node.attr in ("log", "_log"))


def test_what_the_log_says_goes_through_the_catalog():
    # A line written straight into a log call stays English in the Vietnamese interface.
    import ast

    found = []
    for path in sorted((ROOT / "radio").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in LOG_METHODS and node.args
                    and _is_a_log(node.func.value)):
                words = _words_outside_the_catalog(node.args[0])
                if words:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {' '.join(words)}")
    assert not found, "log lines outside the message catalog (wrap them in _()):\n  " + \
        "\n  ".join(found)


def _hint_ids() -> dict[str, str]:
    """The message id of every ``hint=_l("...")`` in radio/, and where."""
    import ast

    found = {}
    for path in sorted((ROOT / "radio").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "hint" \
                    and isinstance(node.value, ast.Call) and node.value.args \
                    and isinstance(node.value.args[0], ast.Constant):
                found[node.value.args[0].value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_hints_go_on_the_line_in_lower_case():
    # A hint follows its message after a dash ("... — hãy ..."): its translation starts
    # in lower case, as the English does.
    strings = {m.id: m.string for m in read_catalog() if m.id and isinstance(m.id, str)}
    wrong = [f"{where}: {strings[msgid]!r}" for msgid, where in _hint_ids().items()
             if msgid[:1].islower() and strings.get(msgid, "")[:1].isupper()]
    assert not wrong, "hints translated with a capital letter:\n  " + "\n  ".join(wrong)


def test_translations_keep_the_placeholders_of_their_message():
    wrong = []
    for m in read_catalog():
        if not m.id or not m.string:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        allowed = set().union(*(placeholders(i) for i in ids))
        for text in strings:
            found = placeholders(text)
            # One Vietnamese form serves singular and plural: it may use either's fields.
            if (found != allowed if len(ids) == 1 else not found <= allowed or not found):
                wrong.append(f"{ids[0]!r}: {sorted(allowed)} -> {text!r}: {sorted(found)}")
    assert not wrong, "placeholders differ:\n  " + "\n  ".join(wrong)


def test_the_compiled_catalog_is_the_po_file():
    """gettext reads the .mo; it must say what the .po says (`make messages` compiles)."""
    compiled = gettext.translation(i18n.DOMAIN, i18n.LOCALE_DIR, languages=["vi"])
    stale = []
    for m in read_catalog():
        if m.id and not isinstance(m.id, tuple) and m.string and not m.fuzzy:
            if compiled.gettext(m.id) != m.string:
                stale.append(m.id)
    assert not stale, f"radio.mo is older than radio.po: run `make messages` ({stale[:3]})"


@pytest.mark.parametrize("argv", [
    ["--lang", "vi", "check"], ["check", "--lang", "vi"], ["check", "--lang=vi"],
    ["check", "episode1", "--lang", "vi"]])
def test_lang_is_accepted_anywhere_on_the_command_line(production, argv):
    script = production / "scripts" / "episode1.md"
    script.write_text(script.read_text(encoding="utf-8") + "\nMC3: Xin chào.\n",
                      encoding="utf-8")
    code, out, err = run_radio(argv, production, env={"LANG": "C.UTF-8", "LC_ALL": ""})
    assert code == 2, err
    assert "người đọc 'MC3' chưa được khai báo trong phần đầu kịch bản" in err, err
    assert re.search(r"scripts/episode1\.md:\d+: ", err), err


def test_lang_en_wins_over_the_locale_and_radio_toml(production):
    toml = production / "radio.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[ui]\nlanguage = "vi"\n',
                    encoding="utf-8")
    code, out, err = run_radio(["--lang", "en", "check", "nosuch-option-x", "--nope"],
                               production, env={"LANG": "vi_VN.UTF-8"})
    assert code == 2 and "No such option: --nope" in err, err
    code, out, err = run_radio(["check", "--nope"], production, env={"LANG": "en_US.UTF-8"})
    assert "Không có tùy chọn --nope" in err and "Cách dùng:" in err, err


def test_a_bad_lang_value_is_a_usage_error(tmp_path):
    code, out, err = run_radio(["--lang", "fr", "--help"], tmp_path, check_sources=False,
                               env={"LANG": "vi_VN.UTF-8"})
    assert code == 2 and "--lang phải là vi hoặc en, không phải 'fr'" in err, err


def test_language_precedence(tmp_path, monkeypatch):
    (tmp_path / "radio.toml").write_text('[ui]\nlanguage = "en"\n', encoding="utf-8")
    below = tmp_path / "scripts"
    below.mkdir()
    vi_env = {"LANG": "vi_VN.UTF-8"}
    assert i18n.choose_language("vi", below, {}) == "vi"                  # --lang first
    assert i18n.choose_language(None, below, vi_env) == "en"              # then [ui] language
    (tmp_path / "radio.toml").write_text("[ui]\n", encoding="utf-8")
    assert i18n.choose_language(None, below, vi_env) == "vi"              # then the locale
    assert i18n.choose_language(None, below, {"LC_ALL": "en_US.UTF-8", **vi_env}) == "en"
    assert i18n.choose_language(None, below, {"LC_MESSAGES": "vi_VN", "LANG": "en_GB"}) == "vi"
    assert i18n.choose_language(None, below, {"LANG": "C"}) == "en"       # else English
    assert i18n.choose_language(None, below, {}, platform="linux") == "en"
    monkeypatch.setattr("locale.getlocale", lambda: ("Vietnamese_Vietnam", "1258"))
    assert i18n.choose_language(None, below, {}, platform="win32") == "vi"  # Windows
    (tmp_path / "radio.toml").write_text("[ui\nbroken", encoding="utf-8")
    assert i18n.choose_language(None, below, vi_env) == "vi"   # reported by the command


def test_a_broken_radio_toml_is_reported_in_its_ui_language(tmp_path):
    """A mistake elsewhere in radio.toml: the error still comes in [ui] language,
    whatever the system's language, and names the file and line (exit 2)."""
    toml = tmp_path / "radio.toml"
    toml.write_text('[production]\ntitle = "Cam Hà Tĩnh\n\n[ui]\nlanguage = "vi"  # tiếng Việt\n',
                    encoding="utf-8")
    assert i18n.choose_language(None, tmp_path, {"LANG": "en_US.UTF-8"}) == "vi"
    code, out, err = run_radio(["build", "--all"], tmp_path, check_sources=False,
                               env={"LANG": "en_US.UTF-8", "LANGUAGE": ""})
    assert code == 2 and err.startswith("radio.toml:2: radio.toml sai cú pháp TOML"), err
    for text, expected in [('ui.language = "en"\nx = \n', "en"),
                           ('[ ui ]\n language = \'vi\'\n[build]\npreset = = 1\n', "vi"),
                           ('[build]\nlanguage = "vi"\nx =\n', None),      # not [ui]'s
                           ('[ui]\nlanguage = "fr"\nx =\n', None)]:
        toml.write_text(text, encoding="utf-8")
        assert i18n.configured_language(tmp_path) == expected, text


def test_split_lang_option_stops_at_double_dash():
    assert i18n.split_lang_option(["say", "--lang", "vi", "x"]) == ("vi", ["say", "x"], None)
    assert i18n.split_lang_option(["say", "--", "--lang", "vi"]) == (
        None, ["say", "--", "--lang", "vi"], None)
    assert i18n.split_lang_option(["--lang"]) == (None, [], "")


def test_an_error_is_translated_when_shown_not_when_raised():
    error = UserError(i18n._l("speaker '{name}' is not declared in the front matter",
                              name="MC3"), path="scripts/a.md", line=7,
                      hint=i18n._l("did you mean '{name}'?", name="MC2"))
    with i18n.language("vi"):
        shown_vi = error.format_message()
    with i18n.language("en"):
        shown_en = error.format_message()
    assert shown_vi == ("scripts/a.md:7: người đọc 'MC3' chưa được khai báo trong phần đầu "
                        "kịch bản — có phải là 'MC2'?")
    assert shown_en == ("scripts/a.md:7: speaker 'MC3' is not declared in the front matter "
                        "— did you mean 'MC2'?")
    again = pickle.loads(pickle.dumps(error))   # from a build's worker process
    assert again.problem.message.msgid == error.problem.message.msgid
    assert again.problem.message.render("vi").startswith("người đọc 'MC3'")


def test_counts_and_numbers_follow_the_language():
    with i18n.language("en"):
        assert i18n.ngettext("{n} value", "{n} values", 1) == "1 value"
        assert i18n._("{x:.1f}", x=16.54) == "16.5"
    with i18n.language("vi"):
        assert i18n._("{x:.1f} LUFS", x=-16.04) == "\u221216,0 LUFS"   # the minus sign
        assert i18n._("{x:+.1f} dB", x=1.25) == "+1,2 dB"
        assert i18n._("{x:,}", x=1250000) == "1.250.000"
        assert i18n._("{x!r}", x=2.5) == "2.5"     # a quoted value stays as written


def test_timecodes_in_messages_follow_the_language():
    """A duration with tenths in a message: decimal comma in Vietnamese; the
    timecode itself (reports, cue sheets, file data) stays as written."""
    from radio.clock import timecode

    length = timecode(590.66, tenths=True)
    assert length == "09:50.6" and timecode(3790.66, tenths=True) == "1:03:10.6"
    with i18n.language("vi"):
        assert i18n._("{name}: mastering {length} ({preset})", name="e", length=length,
                      preset="loudspeaker") == "e: đang xử lý âm thanh hoàn thiện 09:50,6 (loudspeaker)"
        assert i18n._("{x}", x=timecode(3790.66, tenths=True)) == "1:03:10,6"
        assert i18n._("{x}", x=timecode(125)) == "2:05"
    with i18n.language("en"):
        assert i18n._("{x}", x=length) == "09:50.6"


def test_redirected_output_in_cp1258_does_not_crash(tmp_path):
    """Vietnamese Windows redirects stdout as cp1258: we write UTF-8 instead."""
    env = {**os.environ, "PYTHONIOENCODING": "cp1258", "LANG": "vi_VN.UTF-8"}
    proc = subprocess.run([sys.executable, "-m", "radio.cli", "normalize", "Hà Tĩnh ngày 15/11"],
                          cwd=tmp_path, env=env, capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert "Hà Tĩnh" in proc.stdout.decode("utf-8")
    proc = subprocess.run([sys.executable, "-m", "radio.cli", "build", "x"], cwd=tmp_path,
                          env=env, capture_output=True)
    assert proc.returncode == 2
    assert "không có radio.toml" in proc.stderr.decode("utf-8")
