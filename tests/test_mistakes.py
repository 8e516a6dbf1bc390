"""A catalogue of real mistakes, each answered through the command line by exit code 2,
the file and line, and a message that says what to do (never a traceback).

Every command runs through ``clirun.run_radio``, which also checks that no source
file (scripts/, takes/, audio_assets/, radio.toml) was changed by it.
"""
from __future__ import annotations

import os
import re
import subprocess
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from clirun import run_radio, unprivileged
from conftest import ffmpeg_exe
from radio.script.legacy import encode_cp1258, encode_tcvn3, encode_vni

SCRIPT = "scripts/episode1.md"


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def replace(path: Path, old: str, new: str) -> int:
    """Replace *old* by *new* in *path*; return the line where it happened."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line_of(path, new.splitlines()[0] if new.strip() else new)


def append(path: Path, text: str) -> int:
    """Append lines to *path*; return the number of the first appended line."""
    before = path.read_text(encoding="utf-8")
    if not before.endswith("\n"):
        before += "\n"
    path.write_text(before + "\n" + text + "\n", encoding="utf-8")
    return len(before.splitlines()) + 2


def write_wav(path: Path, seconds: float = 2.0) -> None:
    from radio.audio.encode import write_audio

    t = np.arange(int(seconds * 44100)) / 44100
    tone = 0.2 * np.sin(2 * np.pi * 440 * t)
    write_audio(path, np.stack([tone, tone], axis=1).astype(np.float32))


# Each mistake: (setup(production) -> (file, line or None), words the message must hold).
def _script(p):
    return p / SCRIPT


def _encoded(encoder):
    def setup(p):
        script = _script(p)
        script.write_bytes(encoder(script.read_text(encoding="utf-8")))
        return SCRIPT, 2   # the title is the first line with a Vietnamese letter
    return setup


def _bytes(make):
    def setup(p):
        _script(p).write_bytes(make())
        return SCRIPT, 1
    return setup


def _zip(members: dict[str, str]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _unclosed(p):
    """The closing '---' of the front matter deleted: the first cue is where it ended."""
    lines = _script(p).read_text(encoding="utf-8").split("\n")
    closing = lines.index("---", 1)
    _script(p).write_text("\n".join(lines[:closing] + lines[closing + 1:]), encoding="utf-8")
    return SCRIPT, closing + 1


def _toml(old, new):
    def setup(p):
        return "radio.toml", replace(p / "radio.toml", old, new)
    return setup


def _twice(old, header):
    """*old* replaced by a second *header*: the mistake is on that second one's line."""
    def setup(p):
        replace(p / "radio.toml", old, header)
        lines = (p / "radio.toml").read_text(encoding="utf-8").splitlines()
        return "radio.toml", [n for n, text in enumerate(lines, 1) if text == header][1]
    return setup


def _front(old, new, below=0):
    """*new* for *old* in the script's front matter; the problem is *below* lines under
    the first line of *new*."""
    def setup(p):
        return SCRIPT, replace(_script(p), old, new) + below
    return setup


def _cue(text):
    def setup(p):
        return SCRIPT, append(_script(p), text)
    return setup


def assign_ids(production: Path) -> None:
    """Give the paragraphs their ids (takes/<episode>/ids.tsv), as any command does."""
    from radio.config import load
    from radio.pipeline.prepare import load_episodes
    from radio.takes import Takes

    settings = load(production)
    takes = Takes(settings)
    for episode in load_episodes(settings):
        takes.register(episode)


def _take(name, maker):
    """A take *name* of the script's first paragraph (p001), made by *maker(path)*."""
    def setup(p):
        assign_ids(p)
        maker(p / "takes" / "episode1" / name)
        return SCRIPT, line_of(_script(p), "MC1: Kính thưa")
    return setup


def _inside(first, second):
    """A paragraph whose second line is the mistake."""
    def setup(p):
        return SCRIPT, append(_script(p), f"{first}\n{second}") + 1
    return setup


def _asset(maker, cue_path):
    def setup(p):
        maker(p / "audio_assets")
        return SCRIPT, append(_script(p), f"[băng: {cue_path}]")
    return setup


def _silent_wav(seconds: float) -> bytes:
    """A WAV of digital silence (a recorder left on a muted microphone)."""
    import io
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(48000)
        out.writeframes(b"\0\0" * int(seconds * 48000))
    return buffer.getvalue()


def _case_twins(assets):
    write_wav(assets / "interviews" / "Ba_Huong.wav")
    write_wav(assets / "interviews" / "ba_huong.wav")


def _truncated(assets):
    write_wav(assets / "interviews" / "cut.wav", 4.0)
    data = (assets / "interviews" / "cut.wav").read_bytes()
    (assets / "interviews" / "cut.wav").write_bytes(data[:len(data) // 2])


def _encoded_then_cut(name: str, *options: str):
    """A 4-second recording encoded to audio_assets/interviews/*name*, then cut in half
    (a copy that stopped halfway)."""
    def make(assets):
        full, cut = assets / "interviews" / "full.wav", assets / "interviews" / name
        write_wav(full, 4.0)
        subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-i", str(full), *options, str(cut)],
                       check=True)
        full.unlink()
        data = cut.read_bytes()
        cut.write_bytes(data[:len(data) // 2])
    return make


_truncated_flac = _encoded_then_cut("cut.flac")


def _no_speech(p):
    script = _script(p)
    text = script.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if not line.startswith("MC")]
    script.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return SCRIPT, None


def _duplicate_number(p):
    script = p / "scripts" / "episode2.md"
    return "scripts/episode2.md", replace(script, "number: 2", "number: 1")


MISTAKES = {
    "script in Windows-1258": (_encoded(encode_cp1258), [
        "not UTF-8 text; it looks like Windows-1258",
        f"radio convert {SCRIPT} --from cp1258 --in-place"]),
    "script in TCVN3 (ABC)": (_encoded(encode_tcvn3), [
        "it looks like TCVN3 (ABC)", f"radio convert {SCRIPT} --from tcvn3 --in-place"]),
    "script in VNI": (_encoded(encode_vni), [
        "it looks like VNI", f"radio convert {SCRIPT} --from vni --in-place"]),
    "script in UTF-16": (lambda p: (_script(p).write_bytes(
        _script(p).read_text(encoding="utf-8").encode("utf-16")), (SCRIPT, 1))[1], [
        "saved as UTF-16", f"radio convert {SCRIPT} --from utf-16 --in-place"]),
    "Word document renamed .md": (_bytes(lambda: _zip({"[Content_Types].xml": "<Types/>",
                                                       "word/document.xml": "<w:document/>"})), [
        "this file is a Word document (.docx), not a text script",
        "rename it episode1.docx and import it with `radio import episode1.docx`"]),
    "OpenDocument text renamed .md": (_bytes(lambda: _zip({
        "mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})), [
        "this file is an OpenDocument text (.odt, LibreOffice), not a text script",
        "`radio import episode1.odt`"]),
    "Word 97-2003 document renamed .md": (_bytes(
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(2000)), [
        "this file is a Word 97-2003 document (.doc), not a text script",
        "`radio import episode1.doc`"]),
    "PDF renamed .md": (_bytes(lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + os.urandom(2000)), [
        "this file is a PDF document, not a text script",
        "import the Word file it was made from"]),
    "RTF renamed .md": (_bytes(lambda: b"{\\rtf1\\ansi\\ansicpg1258 MC1: K\\'ednh th\\'fda}"), [
        "this file is an RTF document (Rich Text Format), not a text script",
        "save it as .docx"]),
    "binary junk as a script": (_bytes(lambda: b"MC1\x00\x01\x02" + bytes(range(256)) * 4), [
        "this file is binary data, not a text script", "check that this is the right file"]),
    "empty script": (lambda p: (_script(p).write_bytes(b""), (SCRIPT, 1))[1], [
        "the script is empty", "radio init"]),
    "script with no speech": (_no_speech, ["the script has no narration",
                                           "MC1: Kính thưa quý vị"]),
    "unknown speaker": (_cue("MC3: Xin chào quý vị."), [
        "speaker 'MC3' is not declared in the front matter", "did you mean 'MC2'?"]),
    "speaker label with a space inside": (_cue("MC 1: Xin chào quý vị."), [
        "'MC 1:' is not how a speaker label is written", "did you mean 'MC1:'?"]),
    "speaker label with a space before the colon": (_cue("MC2 : Xin chào quý vị."), [
        "'MC2 :' is not how a speaker label is written", "did you mean 'MC2:'?"]),
    "speaker label with a full stop": (_cue("MC2. Xin chào quý vị."), [
        "'MC2.' is not how a speaker label is written", "did you mean 'MC2:'?"]),
    "speaker label with a full-width colon": (_cue("MC2\uff1aXin chào quý vị."), [
        "'MC2\uff1a' is not how a speaker label is written", "did you mean 'MC2:'?"]),
    "speaker label with a dash": (_cue("MC1 – Xin chào quý vị."), [
        "'MC1 –' is not how a speaker label is written", "did you mean 'MC1:'?"]),
    "speaker label without its colon": (_cue("MC1 Xin chào quý vị."), [
        "'MC1' is not how a speaker label is written", "did you mean 'MC1:'?"]),
    "speaker label with dots inside": (_cue("M.C.1: Xin chào quý vị."), [
        "'M.C.1:' is not how a speaker label is written", "did you mean 'MC1:'?"]),
    "undeclared speaker in lower case": (_cue("mc3: Xin chào quý vị."), [
        "speaker 'mc3' is not declared in the front matter", "did you mean 'MC2'?"]),
    "misspelt label on a line inside a paragraph": (_inside("MC1: Xin chào.", "MC 2: Chào anh."), [
        "'MC 2:' is not how a speaker label is written", "did you mean 'MC2:'?"]),
    "cue inside a paragraph": (_cue("MC1: Cảm ơn quý vị đã lắng nghe. [dừng: 1s]"), [
        "the cue [dừng: 1s] is inside a paragraph: it would be read aloud",
        "put it on a line of its own"]),
    "first paragraph without a label": (_front("MC1: Kính thưa quý vị!", "Kính thưa quý vị!"), [
        "this paragraph has no speaker label, and no paragraph before it has one",
        "start it with 'MC1: '"]),
    "front matter without its closing ---": (_unclosed, [
        "the front matter that starts on line 1 is never closed: there is no '---' line after it",
        "add a line '---' before line 7, where the front matter ends"]),
    "bad YAML": (_front("number: 1", "number: [1"), ["front matter is not valid YAML",
                                                   "check the indentation and the quotes"]),
    "front matter indented with a tab": (_front("  MC2: {name", "\tMC2: {name"), [
        "this line of the front matter is indented with a tab",
        "indent it with spaces (two, as the lines around it)"]),
    "front matter in Word's curly quotes": (_front('title: "Cam Hà Tĩnh – thử nghiệm"',
                                                   "title: “Cam Hà Tĩnh: thử nghiệm”"), [
        "front matter is not valid YAML: curly quotes (“ ”) are not quotes for it",
        'type straight quotes: title: "…"']),
    "impossible date in YAML": (_front("number: 1", "subtitle: 2021-02-30\nnumber: 1"), [
        "date that is not in the calendar: 2021-02-30", 'write it as "2021-11-30"']),
    "impossible date after a good one": (_front("number: 1", "date: 2021-11-30\nnumber: 1\n"
                                                "subtitle: 2022-02-30", below=2), [
        "date that is not in the calendar: 2022-02-30", 'write it as "2021-11-30"']),
    "date written day first": (_front("number: 1", 'date: "30/11/2021"\nnumber: 1'), [
        "date '30/11/2021' is not a date", 'write it as "2021-11-30"']),
    "misspelt front matter key": (_front("number: 1", "numbr: 1"), [
        "unknown front matter key 'numbr'", "did you mean 'number'?"]),
    "misspelt speaker setting": (_front("pitch: 35", "pich: 35"), [
        "unknown setting 'pich' for speaker MC1", "did you mean 'pitch'?"]),
    "unknown voice": (_front("voice: vi, pitch: 35", "voice: vi-vn-x-souht, pitch: 35"), [
        "unknown voice 'vi-vn-x-souht' for speaker MC1", "did you mean 'vi-vn-x-south'?"]),
    "unknown voice variant": (_front("voice: vi-vn-x-central, pitch: 75",
                                     "voice: vi-vn-x-central, variant: f9, pitch: 75"), [
        "unknown voice variant 'f9' for speaker MC2", "`radio voices` lists them", "f1-f5"]),
    "speaker pitch out of range": (_front("pitch: 35", "pitch: 350"), [
        "pitch of speaker MC1 must be a whole number from 0 to 100, not 350"]),
    "episode number out of range": (_front("number: 1", "number: 100"), [
        "number must be a whole number from 1 to 99, not 100"]),
    "two episodes with one number": (_duplicate_number, [
        "episode number 1 is also used by scripts/episode1.md",
        "give every episode its own number"]),
    "misspelt radio.toml setting": (_toml('preset = "loudspeaker"', 'presett = "loudspeaker"'), [
        "unknown setting 'presett' in [build]", "did you mean 'preset'?"]),
    "misspelt radio.toml section": (_toml("[pacing]", "[pacng]"), [
        "unknown section [pacng]", "did you mean [pacing]?"]),
    "radio.toml setting outside any section": (_toml("[production]", 'label = "X"\n[production]'), [
        "the setting 'label' is outside any section", "move it under [disc]"]),
    "radio.toml unknown key outside any section": (_toml("[production]", 'nhan = "X"\n[production]'), [
        "unknown setting 'nhan' at the top of radio.toml, outside any section",
        "settings go under a section: [production]"]),
    "radio.toml value out of range": (_toml("tail_ms = 500", "tail_ms = 50000"), [
        "[pacing] tail_ms = 50000 is out of range", "use a value from 0 to 10000"]),
    "radio.toml value of the wrong type": (_toml("lead_in_ms = 200", 'lead_in_ms = "200"'), [
        "[pacing] lead_in_ms must be a whole number, not '200'"]),
    "radio.toml misspelt choice": (_toml('preset = "loudspeaker"', 'preset = "loudspeakers"'), [
        "[build] preset = 'loudspeakers' is not one of", "did you mean 'loudspeaker'?"]),
    "radio.toml impossible date": (_toml('date = "2021-11-30"', 'date = "2021-11-31"'), [
        "[production] date = '2021-11-31' is not a date", 'write it as "2021-11-30"']),
    "radio.toml broken TOML": (_toml('title = "Thử nghiệm"', 'title = "Thử nghiệm'), [
        "radio.toml is not valid TOML", "check quotes and brackets on that line"]),
    "radio.toml setting written twice": (_toml('engine = "espeak"', 'preset = "web"'), [
        "the setting 'preset' is written twice", "keep one of the two lines"]),
    "radio.toml section written twice": (_twice("[disc]", "[build]"), [
        "the section [build] is written twice", "put all its settings under one [build]"]),
    "radio.toml text without quotes": (_toml('status = "draft"', "status = draft"), [
        "the value on this line cannot be read", 'write text in double quotes (status = "draft")']),
    "radio.toml colon instead of =": (_toml('status = "draft"', 'status: "draft"'), [
        "a setting is written as name = value", "put '=' between the name and the value"]),
    "radio.toml in Word's curly quotes": (_toml('status = "draft"', "status = “draft”"), [
        "curly quotes (“ ”) are not quotes for it", 'type straight quotes: status = "draft"']),
    "radio.toml Windows path in double quotes": (_toml(
        'status = "draft"', 'cover = "C:\\Users\\PTV\\bia.png"\nstatus = "draft"'), [
        "a backslash (\\) inside double quotes starts an escape in TOML",
        "write the path with / (\"D:/anh/bia.png\") or in single quotes ('D:\\anh\\bia.png')"]),
    "radio.toml Windows path that TOML reads as escapes": (_toml(
        'status = "draft"', 'cover = "anh\\bia.png"\nstatus = "draft"'), [
        "a backslash (\\) inside double quotes starts an escape in TOML"]),
    "cue level out of range": (_cue("[băng: interviews/vi_du.ogg | mức=+40dB]"), [
        "40 dB is out of range (use -60 to +24)"]),
    "fade written in milliseconds without ms": (_cue("[nhạc nền: music/bed.ogg | vào=1500]"), [
        "vào/in=1500 is 1500 s", "write 500ms for milliseconds"]),
    "time that is not a time": (_cue("[dừng: hai giây]"), [
        "'hai giây' is not a time (write 2s, 500ms or 1:20)"]),
    "clip that ends before it starts": (_cue("[băng: interviews/vi_du.ogg | từ=5s | đến=2s]"), [
        "the clip ends (2s) before it starts (5s)"]),
    "missing recording": (_cue("[băng: interviews/vi_du.oga]"), [
        "audio_assets/interviews/vi_du.oga does not exist", "did you mean 'interviews/vi_du.ogg'?"]),
    "corrupt recording": (_asset(lambda a: (a / "interviews" / "hong.wav").write_bytes(
        b"RIFF\x00\x00\x00\x00WAVEjunk" + os.urandom(3000)), "interviews/hong.wav"), [
        "cannot decode hong.wav", "re-export the recording"]),
    "truncated WAV": (_asset(_truncated, "interviews/cut.wav"), [
        "cut.wav is truncated: it holds 2.0 s of the 4.0 s its header announces",
        "copy or export the recording again"]),
    "truncated FLAC": (_asset(_truncated_flac, "interviews/cut.flac"), [
        "cut.flac is truncated", "copy or export the recording again"]),
    "truncated MP3": (_asset(_encoded_then_cut("cut.mp3", "-c:a", "libmp3lame", "-b:a", "128k"),
                             "interviews/cut.mp3"), [
        "cut.mp3 is truncated: it holds 2.0 s of the 4.0 s its header announces",
        "copy or export the recording again"]),
    "zero-length recording": (_asset(lambda a: (a / "interviews" / "rong.ogg").write_bytes(b""),
                                     "interviews/rong.ogg"), [
        "rong.ogg is empty (0 bytes)", "copy or export the recording again"]),
    "empty take": (_take("p001.wav", lambda path: path.write_bytes(b"")), [
        "the take p001.wav is empty (0 bytes)", "record or export it again"]),
    "silent take": (_take("p001.wav", lambda path: path.write_bytes(_silent_wav(3.0))), [
        "the take p001.wav is silent or shorter than 0.1 s", "record it again"]),
    "undecodable take": (_take("P001.WAV", lambda path: path.write_bytes(
        b"RIFF\x00\x00\x00\x00WAVEjunk" + os.urandom(3000))), [
        "cannot decode the take P001.WAV", "export the recording again"]),
    "two takes of one paragraph in two cases": (_take("P001.flac", lambda path: (
        write_wav(path.with_name("p001.wav")), write_wav(path))), [
        "p001 has 2 takes: P001.flac, p001.wav", "keep one take per paragraph"]),
    "two recordings whose names differ only by Unicode normalization": (_asset(
        lambda a: [write_wav(a / "interviews" / unicodedata.normalize(form, "phỏng vấn.wav"))
                   for form in ("NFC", "NFD")], "interviews/phỏng vấn.wav"), [
        "two files in audio_assets/interviews/ are named 'phỏng vấn.wav': they differ only in "
        "how their accents are stored (NFC and NFD)", "delete or rename it"]),
    "two recordings whose names differ only by letter case": (_asset(
        _case_twins, "interviews/BA_HUONG.wav"), [
        "audio_assets/interviews/ holds Ba_Huong.wav, ba_huong.wav: which one 'BA_HUONG.wav' "
        "means cannot be told (their names differ only in letter case)",
        "write the name exactly as the file is named"]),
    "recording named in another case, and misspelt": (_cue("[băng: INTERVIEWS/Vi_Du.oga]"), [
        "audio_assets/INTERVIEWS/Vi_Du.oga does not exist", "did you mean 'interviews/vi_du.ogg'?"]),
    "recording that is a folder": (_cue("[băng: interviews]"), [
        "'interviews' is a folder, not a recording", "name a file inside it"]),
    "path leaving audio_assets by ..": (_cue("[băng: interviews/../../radio.toml]"), [
        "leaves audio_assets/ ('..' is not allowed)", "copy the recording into audio_assets/"]),
    "absolute path": (_cue("[nhạc hiệu: /etc/passwd]"), [
        "'/etc/passwd' is not a path inside audio_assets/ (absolute paths are refused)",
        "copy the recording into audio_assets/ and write its path from there"]),
    "Windows absolute path": (_cue("[nhạc hiệu: C:\\Users\\x\\nhac.mp3]"), [
        "absolute paths are refused"]),
    "symlink leaving audio_assets": (_asset(lambda a: os.symlink(
        "../../radio.toml", a / "interviews" / "link.ogg"), "interviews/link.ogg"), [
        "'interviews/link.ogg' points outside audio_assets/",
        "copy the recording into audio_assets/"]),
    "symlink loop": (_asset(lambda a: os.symlink("loop.ogg", a / "interviews" / "loop.ogg"),
                            "interviews/loop.ogg"), [
        "'interviews/loop.ogg' cannot be opened"]),
}


@pytest.mark.parametrize("name", list(MISTAKES))
def test_mistake_is_answered_with_file_line_and_advice(production, name):
    setup, words = MISTAKES[name]
    where, line = setup(production)
    code, out, err = run_radio(["check"], production)
    assert code == 2, (name, out, err)
    assert "Traceback" not in err and "internal error" not in err, err
    location = f"{where}:{line}: " if line else f"{where}:"
    assert location in err, (name, location, err)
    for word in words:
        assert word in err, (name, word, err)
    for message in err.strip().splitlines():
        assert message.startswith(("scripts/", "radio.toml", "error:", "warning:")), message


# Mistakes that only show when the audio is made: the build finds them as early as check.
ASSET_MISTAKES = [name for name in MISTAKES if any(word in name for word in (
    "recording", "truncated", "symlink", "path", "corrupt", "variant", "take"))]


@pytest.mark.parametrize("name", ASSET_MISTAKES)
def test_build_answers_asset_mistakes_like_check(production, name):
    setup, words = MISTAKES[name]
    where, line = setup(production)
    code, out, err = run_radio(["build", "episode1"], production)
    assert code == 2, (name, out, err)
    assert "Traceback" not in err and f"{where}:{line}: " in err, err
    assert all(word in err for word in words), err
    assert not (production / "output" / "episode1" / "episode1.wav").exists()


def test_build_reports_every_script_problem_at_once(production):
    script = production / SCRIPT
    lines = [replace(script, "pitch: 35", "pich: 35"),
             append(script, "MC3: Xin chào."),
             append(script, "[dừng: hai giây]")]
    replace(production / "radio.toml", "tail_ms = 500", "tail_ms = 50000")
    code, out, err = run_radio(["build", "--all"], production)
    assert code == 2 and "Traceback" not in err
    assert "radio.toml:" in err and "tail_ms" in err   # settings are read first
    (production / "radio.toml").write_text(
        (production / "radio.toml").read_text(encoding="utf-8").replace("50000", "500"),
        encoding="utf-8")
    code, out, err = run_radio(["build", "--all", "-j", "2"], production)
    assert code == 2 and "Traceback" not in err
    for line in lines:
        assert f"{SCRIPT}:{line}: " in err, err


@pytest.mark.parametrize("what", ["recording", "script", "settings"])
def test_unreadable_file_as_an_ordinary_user(production, what):
    target = production / {"recording": "audio_assets/interviews/vi_du.ogg", "script": SCRIPT,
                           "settings": "radio.toml"}[what]
    with unprivileged(production) as (copy, uid):
        locked = copy / target.relative_to(production)
        locked.chmod(0)
        try:
            code, out, err = run_radio(["check"], copy, user=uid)
        finally:
            locked.chmod(0o644)
    assert code == 2 and "Traceback" not in err, err
    if what == "recording":
        line = line_of(production / SCRIPT, "interviews/vi_du.ogg")
        assert f"{SCRIPT}:{line}: cannot read vi_du.ogg: Permission denied" in err, err
        assert "make the file readable" in err
    elif what == "script":
        assert f"{SCRIPT}: cannot read the script: Permission denied" in err, err
    else:
        assert "radio.toml: cannot read radio.toml: Permission denied" in err, err


def test_unsayable_characters_are_warned_and_skipped(production):
    script = production / SCRIPT
    first = append(script, "MC1: Cam Hà Tĩnh ngon lắm 🍊🍊! 柑橘")
    second = append(script, "MC2: 😀😀")
    code, out, err = run_radio(["check", "episode1"], production)
    assert code == 0, err
    assert f"{SCRIPT}:{first}: no voice can say" in err and "🍊" in err and "柑" in err
    code, out, err = run_radio(["build", "episode1"], production)
    assert code == 0, err
    assert f"warning: {SCRIPT}:{first}: no voice can say 柑 橘 🍊: it is skipped" in err
    assert f"warning: {SCRIPT}:{second}: no voice can say 😀: it is skipped (nothing" in err
    import json

    report = json.loads((production / "output" / "episode1" / "episode1.json")
                        .read_text(encoding="utf-8"))
    spoken = [s["spoken"] for s in report["segments"] if s["kind"] == "speech"]
    assert spoken[-1] == "Cam Hà Tĩnh ngon lắm!"
    assert not any("😀" in s or "🍊" in s for s in spoken)


def test_the_demo_titles_fit_on_the_data_disc():
    """Joliet names are cut to 64 bytes of UTF-8 (pycdlib's limit), at a word."""
    from radio.disc.names import long_name

    name = long_name(2, "Sản phẩm OCOP Hà Tĩnh – tinh hoa từ mỗi làng quê", "txt")
    assert len(name.encode("utf-8")) <= 64 and name.startswith("02 Sản phẩm OCOP Hà Tĩnh")
    assert name.endswith(".txt") and not name.endswith(" .txt")


def test_decoding_takes_the_stream_info_from_its_own_ffmpeg(tmp_path, monkeypatch):
    """One ffmpeg per recording: the decoder's own log gives what a probe would
    (codec, rate, channels, duration, whether it is a guess), and the same reason
    when the file is not audio at all."""
    from radio.audio import decode as dec

    made = {"cd.wav": ["-ac", "2", "-ar", "44100"], "phone.flac": ["-ac", "1", "-ar", "8000"],
            "guess.mp3": ["-c:a", "libmp3lame", "-q:a", "2", "-write_xing", "0"],
            "bed.ogg": ["-c:a", "libvorbis", "-ac", "2"]}
    for name, options in made.items():
        subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                        "sine=f=440:d=3", *options, str(tmp_path / name)], check=True)
    (tmp_path / "notes.mp3").write_bytes(bytes(range(256)) * 40)
    runs = []
    real_run = subprocess.run

    def counted(*args, **kwargs):
        runs.append(args[0])
        return real_run(*args, **kwargs)

    for name in made:
        expected = dec.probe(tmp_path / name)
        monkeypatch.setattr(dec.subprocess, "run", counted)
        samples, info = dec.decode_with_info(tmp_path / name)
        monkeypatch.setattr(dec.subprocess, "run", real_run)
        assert info == expected and len(runs) == 1, name
        assert abs(len(samples) - 3 * dec.RATE) < dec.RATE // 10
        runs.clear()
    with pytest.raises(dec.DecodeError) as probed:
        dec.probe(tmp_path / "notes.mp3")
    with pytest.raises(dec.DecodeError) as decoded:
        dec.decode_with_info(tmp_path / "notes.mp3")
    assert str(decoded.value) == str(probed.value) != ""
    assert "[" not in str(decoded.value)   # the reason, not ffmpeg's log line


@pytest.mark.parametrize("options", [
    ["-c:a", "libmp3lame", "-q:a", "2", "-write_xing", "0"],    # VBR, no header: a guess
    ["-c:a", "libmp3lame", "-b:a", "128k", "-write_xing", "0"],  # CBR, no header, cut
])
def test_mp3_without_a_length_header_is_never_called_truncated(production, options):
    """Without a Xing/Info header ffmpeg estimates an MP3's length from its size (18.3 s
    for this whole 20-second VBR file): only a stated length can prove a copy short."""
    from radio.audio.decode import probe

    path = production / "audio_assets" / "interviews" / "khong_dau.mp3"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                    "sine=f=440:d=20", *options, str(path)], check=True)
    if "-b:a" in options:   # a CBR file cut in half: undetectable, and so accepted
        path.write_bytes(path.read_bytes()[:path.stat().st_size // 2])
    assert probe(path).duration_estimated
    append(production / SCRIPT, "[băng: interviews/khong_dau.mp3]")
    code, out, err = run_radio(["check"], production)
    assert code == 0, err


@pytest.mark.parametrize("form", ["NFD", "NFC"])
def test_a_recording_named_in_either_normalization_is_found(production, form):
    """A file copied from a Mac keeps its name decomposed (NFD); the script is NFC."""
    folder = production / "audio_assets" / unicodedata.normalize(form, "phỏng vấn")
    folder.mkdir()
    write_wav(folder / unicodedata.normalize(form, "bà Hường.wav"))
    append(production / SCRIPT, "[băng: phỏng vấn/bà Hường.wav]")
    code, out, err = run_radio(["check"], production)
    assert code == 0, err
    code, out, err = run_radio(["build", "episode1"], production)
    assert code == 0, err


@pytest.mark.parametrize("written", ["Phỏng Vấn/BÀ HƯỜNG.WAV", "phỏng vấn/bà hường.wav"])
def test_a_recording_named_in_another_letter_case_is_found(production, written):
    """Windows opens 'BÀ HƯỜNG.WAV' for 'Bà Hường.wav': a script written there names its
    recordings in any case, and builds the same on Linux."""
    folder = production / "audio_assets" / unicodedata.normalize("NFD", "Phỏng vấn")
    folder.mkdir()
    write_wav(folder / "Bà Hường.wav")
    append(production / SCRIPT, f"[băng: {written}]")
    code, out, err = run_radio(["check"], production)
    assert code == 0, err
    code, out, err = run_radio(["build", "episode1"], production)
    assert code == 0, err


def test_a_silent_recording_is_warned_about_and_a_short_one_is_not(production):
    from radio.audio.encode import write_audio

    interviews = production / "audio_assets" / "interviews"
    write_audio(interviews / "im_lang.wav", np.zeros((3 * 44100, 2), dtype=np.float32))
    write_wav(interviews / "ngan.wav", 0.05)   # too short to be measured, still heard
    line = append(production / SCRIPT, "[băng: interviews/im_lang.wav]\n"
                                       "[băng: interviews/ngan.wav]")
    code, out, err = run_radio(["check"], production)
    assert code == 0, err
    assert err == (f"warning: {SCRIPT}:{line}: audio_assets/interviews/im_lang.wav is silent: "
                   "3.0 s with nothing to hear — check that it is the right recording, and "
                   "export it again; for a pause write [dừng: 2s]\n")


def test_a_script_saved_with_txt_by_notepad_is_never_left_out_silently(production):
    """Notepad saves 'episode2.md' as 'episode2.md.txt' (Windows hides the .txt): the
    episode would be missing from `--all` and the disc without a word."""
    scripts = production / "scripts"
    (scripts / "episode2.md").rename(scripts / "episode2.md.txt")
    (scripts / "ban tin.docx").write_bytes(b"PK\x03\x04")
    code, out, err = run_radio(["check"], production)
    assert code == 0, err
    assert err == (
        "warning: scripts/ban tin.docx: this file is not read: the episodes are the .md files "
        "of scripts/ — import it: radio import \"scripts/ban tin.docx\"\n"
        "warning: scripts/episode2.md.txt: this file is not read: the episodes are the .md "
        "files of scripts/ — rename it episode2.md (Notepad adds .txt: save with 'All files' "
        "as the type)\n")
    code, out, err = run_radio(["check", "episode2"], production)
    assert code == 2 and err == (
        "error: no episode named 'episode2': scripts/episode2.md.txt is not read, the episodes "
        "are the .md files of scripts/ — rename it episode2.md (Notepad adds .txt: save with "
        "'All files' as the type)\n")
    code, out, err = run_radio(["build", "--all"], production)
    assert code == 0 and "episode2.md.txt: this file is not read" in err


def test_a_script_whose_extension_is_in_capitals_is_an_episode(production):
    scripts = production / "scripts"
    (scripts / "episode2.md").rename(scripts / "Episode2.MD")
    code, out, err = run_radio(["check"], production)
    assert code == 0 and "scripts/Episode2.MD: " in out, err
    code, out, err = run_radio(["check", "episode2"], production)
    assert code == 0 and "scripts/Episode2.MD: " in out, err


def test_a_takes_folder_named_in_another_case_is_the_episodes(production):
    """Windows opens takes/Episode1/ for takes/episode1/: the takes in it are used."""
    assign_ids(production)
    takes = production / "takes"
    (takes / "episode1").rename(takes / "Episode1")
    write_wav(takes / "Episode1" / "P001.WAV", 4.0)
    code, out, err = run_radio(["takes", "episode1", "--status"], production)
    assert code == 0 and out.startswith("p001\ttake\t"), err
    assert not (takes / "episode1").exists()
    # the recording script sends the narrator to the folder that is there
    code, out, err = run_radio(["takes", "episode1"], production)
    sheet = (production / "output" / "episode1" / "episode1.takes.txt").read_text("utf-8")
    assert code == 0 and "takes/Episode1" in sheet and "takes/episode1" not in sheet, err


@pytest.mark.parametrize("lang,said", [("vi_VN.UTF-8", "không thấy vấn đề nào"),
                                       ("en_US.UTF-8", "no problems found")])
def test_an_empty_interface_language_is_the_systems(production, lang, said):
    """`[ui] language = ""` is documented as "the system's language"."""
    with open(production / "radio.toml", "a", encoding="utf-8") as toml:
        toml.write('\n[ui]\nlanguage = ""\n')
    code, out, err = run_radio(["check"], production, env={"LANG": lang, "LC_ALL": "",
                                                           "LANGUAGE": ""})
    assert code == 0 and said in out, err


def test_one_episode_too_long_for_a_cd_is_named(production):
    append(production / SCRIPT, "\n".join(["[dừng: 10:00]"] * 9))   # 90 minutes of silence
    code, out, err = run_radio(["check"], production)
    assert code == 2 and "Traceback" not in err, err
    assert "error: scripts/episode1.md alone lasts about 1:30:" in err
    assert "longer than an 80-minute CD holds (1:19:57.0) — shorten it, or split it" in err


def test_counts_are_in_the_singular_for_one(production):
    script = production / "scripts" / "episode2.md"
    code, out, err = run_radio(["check", "episode2"], production)
    assert code == 0, err
    paragraphs = sum(1 for line in script.read_text(encoding="utf-8").splitlines()
                     if line.startswith("MC"))
    headings = sum(1 for line in script.read_text(encoding="utf-8").splitlines()
                   if line.startswith("# "))
    word = {1: "paragraph"}.get(paragraphs, "paragraphs")
    assert f"{paragraphs} {word}, " in out, out
    assert f"{headings} {'chapter' if headings == 1 else 'chapters'}" in out, out
    assert "1 paragraphs" not in out and "1 chapters" not in out and "(s)" not in out


def test_disc_refuses_an_episode_too_long_before_building(production):
    append(production / SCRIPT, "\n".join(["[dừng: 10:00]"] * 9))   # 90 minutes of silence
    code, out, err = run_radio(["disc"], production)
    assert code == 2 and "Traceback" not in err, err
    assert "error: scripts/episode1.md alone lasts about 1:30:" in err
    assert not (production / "output").exists()          # nothing was mastered


def test_disc_refuses_episodes_that_together_do_not_fit(production):
    for name in ("episode1", "episode2"):
        append(production / "scripts" / f"{name}.md", "\n".join(["[dừng: 10:00]"] * 5))
    code, out, err = run_radio(["disc"], production)
    assert code == 2 and "Traceback" not in err, err
    assert "more than an 80-minute CD holds (1:19:57.0); nothing was built" in err
    assert ("make 2 discs, one command each: radio disc episode1, radio disc episode2 (each "
            "command replaces output/disc/: burn or copy a disc before making the next); "
            "or shorten the scripts") in err
    assert not (production / "output").exists()


def test_disc_too_long_names_the_discs_to_make_with_the_production_s_own_episodes(production):
    """The hint used to show "radio disc episode1 episode2" whatever the episodes were
    called, and that command did not fit either."""
    scripts = production / "scripts"
    for name in ("episode1", "episode2"):
        (scripts / f"{name}.md").unlink()
    for number, (name, minutes) in enumerate([("tập 1", 30), ("tap2", 30), ("tap3", 30),
                                              ("tap4", 10)], 1):
        (scripts / f"{name}.md").write_text(
            f"---\ntitle: \"Tập {number}\"\nnumber: {number}\nspeakers:\n"
            f"  MC1: {{name: \"Người dẫn\", voice: vi}}\n---\nMC1: Kính thưa quý vị.\n" +
            "\n".join(["[dừng: 10:00]"] * (minutes // 10)) + "\n", encoding="utf-8")
    for command in ("disc", "check"):
        code, out, err = run_radio([command], production)
        assert code == 2 and "Traceback" not in err, err
        assert ('make 2 discs, one command each: radio disc "tập 1" tap2, radio disc tap3 tap4 '
                "(each command replaces output/disc/: burn or copy a disc before making the "
                "next); or shorten the scripts") in err, (command, err)
    assert not (production / "output").exists()


def _english_fragments() -> set[str]:
    """The fixed text of every message the catalog translates (long enough to be telling):
    none of it may appear in a Vietnamese run."""
    from babel.messages.pofile import read_po

    po = Path(__file__).resolve().parent.parent / "radio/locale/vi/LC_MESSAGES/radio.po"
    with open(po, "rb") as f:
        catalog = read_po(f, locale="vi")
    fragments = set()
    for m in catalog:
        if not m.id or isinstance(m.id, tuple) or m.string == m.id:
            continue
        for part in re.split(r"\{[^{}]*\}", m.id):
            if len(part.strip()) >= 16 and " " in part.strip() and part.strip() not in m.string:
                fragments.add(part.strip())
    return fragments


@pytest.mark.parametrize("name", list(MISTAKES))
def test_mistake_is_answered_in_vietnamese(production, name):
    """The catalogue under LANG=vi_VN.UTF-8: still file:line, every line Vietnamese."""
    setup, _words = MISTAKES[name]
    where, line = setup(production)
    code, out, err = run_radio(["check"], production, env={"LANG": "vi_VN.UTF-8",
                                                          "LC_ALL": "", "LANGUAGE": ""})
    assert code == 2, (name, out, err)
    assert "Traceback" not in err and "lỗi nội bộ" not in err, err
    location = f"{where}:{line}: " if line else f"{where}:"
    assert location in err, (name, location, err)
    for message in err.strip().splitlines():
        assert message.startswith(("scripts/", "radio.toml", "lỗi:", "cảnh báo:")), message
    leaks = [f for f in _english_fragments() if f in err]
    assert not leaks, (name, leaks, err)
