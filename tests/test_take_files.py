"""Takes that are not what they seem: every file in takes/<episode>/ is either used or
told about, ids in any case, and a take far from its paragraph's length is warned."""
from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from clirun import run_radio
from conftest import ffmpeg_exe
from test_mistakes import SCRIPT, append, assign_ids, write_wav

LONG = ("MC2: Kính thưa quý vị, theo kế hoạch của tỉnh, trong những năm tới diện tích trồng "
        "cam sẽ được mở rộng thêm ở các huyện miền núi, nông dân được hỗ trợ giống, phân bón "
        "và kỹ thuật chăm sóc, để quả cam Hà Tĩnh ngày càng ngon hơn và bán được giá cao hơn "
        "trên thị trường cả nước.")


def test_every_file_in_the_takes_folder_is_used_or_told(production):
    assign_ids(production)
    folder = production / "takes" / "episode1"
    write_wav(folder / "P002.WAV", 7.0)        # a recorder's capitals: p002's take
    write_wav(folder / "p3.wav")               # the id written short
    write_wav(folder / "p001 (1).wav")         # a copy of p001 made by the file manager
    write_wav(folder / "p009.wav")             # its paragraph was deleted
    write_wav(folder / "phong_van.wav")        # no id at all
    (folder / "ghi_chu.txt").write_text("thu lại p002", encoding="utf-8")
    (folder / "p001.m4r").write_bytes(b"\0" * 100)   # a format radio does not read
    (folder / ".DS_Store").write_bytes(b"\0")          # a Mac's: not told
    (folder / "Thumbs.db").write_bytes(b"\0")          # Windows': not told
    (folder / "cu").mkdir()                            # old takes kept aside: not told
    write_wav(folder / "cu" / "p001.wav")
    code, out, err = run_radio(["check", "episode1"], production)
    assert code == 0, err
    assert "takes: 1 recorded, 0 stale, 2 synthesized" in out
    assert "  6 files in takes/episode1/ are not used (see the warnings)" in out
    told = [line for line in err.splitlines() if "takes/episode1/" in line]
    assert told == [
        "warning: takes/episode1/ghi_chu.txt: ghi_chu.txt is not a recording radio reads — a "
        "take is a recording named by its paragraph (.wav, .flac, .mp3, .m4a, …); move this "
        "file out of the takes folder",
        "warning: takes/episode1/p001 (1).wav: p001 (1).wav is not used: a take is named by its "
        "paragraph id alone — if it is the take of p001, rename it p001.wav (one take per "
        "paragraph: move the other away)",
        "warning: takes/episode1/p001.m4r: p001.m4r is not a recording radio reads — a take is "
        "a recording named by its paragraph (.wav, .flac, .mp3, .m4a, …); move this file out "
        "of the takes folder",
        "warning: takes/episode1/p009.wav: no paragraph p009 in scripts/episode1.md (deleted?) "
        "— move the file away, or restore the paragraph",
        "warning: takes/episode1/p3.wav: p3.wav is not used: ids are written with three digits "
        "— did you mean p003.wav? rename it",
        "warning: takes/episode1/phong_van.wav: phong_van.wav is not named after a paragraph, so "
        "it is not used — name it by the paragraph's id, e.g. p003.wav (`radio takes episode1 "
        "--status` lists the ids)",
    ], err
    code, out, err = run_radio(["takes", "episode1", "--status"], production)
    assert out.splitlines()[1].startswith("p002\ttake\tMC2"), out


def test_one_file_told_in_the_singular(production):
    assign_ids(production)
    write_wav(production / "takes" / "episode1" / "p009.wav")
    code, out, err = run_radio(["check", "episode1"], production)
    assert code == 0 and "  1 file in takes/episode1/ is not used (see the warning)" in out, out


def test_a_take_far_from_its_paragraph_length_is_warned(production):
    line = append(production / SCRIPT, LONG)
    assign_ids(production)
    folder = production / "takes" / "episode1"
    write_wav(folder / "p004.wav", 1.4)      # 1.4 s for a paragraph of about 20 s
    write_wav(folder / "p001.wav", 40.0)     # 40 s for one of about 4 s
    write_wav(folder / "p002.wav", 6.0)      # close enough: a narrator's own pace
    code, out, err = run_radio(["check", "episode1"], production)
    assert code == 0, err
    first = next(n for n, t in enumerate((production / SCRIPT).read_text().splitlines(), 1)
                 if t.startswith("MC1: Kính thưa"))
    warned = [l for l in err.splitlines() if "is it the right recording?" in l]
    assert len(warned) == 2, err
    assert warned[0].startswith(f"warning: {SCRIPT}:{first}: the take of p001 lasts 40.0 s, but "
                                "the paragraph takes about ")
    assert warned[1].startswith(f"warning: {SCRIPT}:{line}: the take of p004 lasts 1.4 s, but "
                                "the paragraph takes about ")
    assert warned[1].endswith("— listen to takes/episode1/p004.wav; record it again if it is "
                              "cut short or belongs to another paragraph")


def _voice_like(seconds: float, rate: int = 48000) -> np.ndarray:
    """A voiced sound with syllables (150 Hz and harmonics under a 4 Hz envelope)."""
    t = np.arange(int(seconds * rate)) / rate
    tone = sum(np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 6))
    envelope = 0.5 - 0.5 * np.cos(2 * np.pi * 4 * t)
    x = tone * envelope
    return x / np.abs(x).max()


def _write(path: Path, samples: np.ndarray, rate: int = 48000, codec: str = "pcm_s16le"):
    pcm = np.clip(samples * 32768, -32768, 32767).astype("<i2")
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "s16le", "-ar", str(rate), "-ac",
                    "1", "-i", "pipe:0", "-c:a", codec, str(path)], input=pcm.tobytes(),
                   check=True)


def test_a_clipped_or_far_too_quiet_take_is_warned_and_used(production):
    assign_ids(production)
    folder = production / "takes" / "episode1"
    voice = _voice_like(4.0)
    _write(folder / "p001.wav", voice * 4.0)                      # shouted into the phone
    _write(folder / "p002.mp3", voice * 3.0, codec="libmp3lame")  # the same, as an MP3
    _write(folder / "p003.wav", voice * 0.003)                    # peaks at -50 dBFS
    code, out, err = run_radio(["check", "episode1"], production)
    assert code == 0, err
    assert "takes: 3 recorded, 0 stale, 0 synthesized" in out, out
    clipped = [l for l in err.splitlines() if "is clipped (too loud when recorded)" in l]
    assert [l.split(": the take of ")[1][:4] for l in clipped] == ["p001", "p002"], err
    assert clipped[0].endswith("the distortion stays after levelling — record "
                               "takes/episode1/p001.wav again with a lower input level "
                               "(loudest sounds around -6 dBFS)"), err
    quiet = [l for l in err.splitlines() if "is very quiet" in l]
    assert len(quiet) == 1 and "the take of p003 is very quiet (its loudest sound is at " \
        "-50 dBFS)" in quiet[0] and "takes/episode1/p003.wav" in quiet[0], err
    code, out, err = run_radio(["build", "episode1"], production)   # used, with the warnings
    assert code == 0 and "is clipped" in err and "is very quiet" in err, err


def test_a_take_normalized_to_full_scale_is_not_called_clipped(production):
    assign_ids(production)
    folder = production / "takes" / "episode1"
    _write(folder / "p001.wav", _voice_like(4.0) * (32767 / 32768))   # peaks at 0 dBFS
    _write(folder / "p002.wav", _voice_like(4.0, 44100) * 0.5, rate=44100)   # -6 dBFS
    code, out, err = run_radio(["check", "episode1"], production)
    assert code == 0 and "clipped" not in err and "quiet" not in err, err


def test_a_take_named_by_its_paragraph_number_is_pointed_at_its_id(production):
    """A narrator names the file after the paragraph's number ("đoạn 2.wav", "Doan_03.mp3",
    "002.wav", also in a Mac's NFD): the warning names the id to rename it to."""
    import unicodedata

    assign_ids(production)
    folder = production / "takes" / "episode1"
    write_wav(folder / "đoạn 2.wav")
    write_wav(folder / unicodedata.normalize("NFD", "Đoạn 01.wav"))
    write_wav(folder / "Doan_03.wav")
    write_wav(folder / "002.wav")
    write_wav(folder / "đoạn 9.wav")            # no p009: not pointed anywhere
    code, out, err = run_radio(["check", "episode1"], production)
    assert code == 0, err
    hints = {l.split(": ")[1]: l.split(" — ")[1] for l in err.splitlines()
             if "takes/episode1/" in l}
    assert hints == {
        "takes/episode1/002.wav": "did you mean p002.wav? rename it",
        "takes/episode1/Doan_03.wav": "did you mean p003.wav? rename it",
        f"takes/episode1/{unicodedata.normalize('NFD', 'Đoạn 01.wav')}":
            "did you mean p001.wav? rename it",
        "takes/episode1/đoạn 2.wav": "did you mean p002.wav? rename it",
        "takes/episode1/đoạn 9.wav": "name it by the paragraph's id, e.g. p003.wav (`radio "
                                     "takes episode1 --status` lists the ids)",
    }, err


def test_check_with_warnings_does_not_say_no_problems(production):
    assign_ids(production)
    write_wav(production / "takes" / "episode1" / "p009.wav")
    code, out, err = run_radio(["check", "episode1"], production)
    assert code == 0 and err.count("warning: ") == 1, err
    assert "no problems found" not in out and out.rstrip().endswith(
        "no errors, 1 warning (see above)"), out
    (production / "takes" / "episode1" / "p009.wav").unlink()
    code, out, err = run_radio(["check", "episode1"], production)
    assert code == 0 and out.rstrip().endswith("no problems found"), (out, err)


def test_a_float_take_is_clipped_only_where_it_sits_at_full_scale(production):
    """32-bit float WAV (Audacity's default) holds sounds over 0 dBFS without clipping
    them: levelling brings them back, so only flat tops at full scale are clipping."""
    assign_ids(production)
    folder = production / "takes" / "episode1"
    voice = _voice_like(4.0)
    for name, samples in (("p001.wav", voice * 1.6),                   # over 0 dBFS: kept
                          ("p002.wav", np.clip(voice * 3.0, -1, 1))):  # clipped, then saved
        subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "f32le", "-ar", "48000",
                        "-ac", "1", "-i", "pipe:0", "-c:a", "pcm_f32le", str(folder / name)],
                       input=samples.astype("<f4").tobytes(), check=True)
    code, out, err = run_radio(["check", "episode1"], production)
    assert code == 0, err
    clipped = [l for l in err.splitlines() if "is clipped" in l]
    assert len(clipped) == 1 and "the take of p002 is clipped" in clipped[0], err


def test_two_takes_folders_for_one_episode_are_refused_not_half_used(production):
    """takes/Tập 2/ made by radio and takes/Tập 2/ copied from a Mac (its accents stored
    apart, NFD): the same name to the eye, two folders to Windows and Linux. The takes
    of one would be left out without a word, so build and check stop and name both."""
    import shutil
    import unicodedata

    name = "Tập 2"
    shutil.copy(production / SCRIPT, production / "scripts" / f"{name}.md")
    code, out, err = run_radio(["takes", name, "--status"], production)   # writes ids.tsv
    assert code == 0 and (production / "takes" / name / "ids.tsv").is_file(), err
    mac = production / "takes" / unicodedata.normalize("NFD", name)
    mac.mkdir()
    write_wav(mac / "p002.wav")
    def files():
        return sorted(p.relative_to(production).as_posix() for p in production.rglob("*")
                      if not p.relative_to(production).as_posix().startswith((".radio",
                                                                              "output")))

    before = files()
    for command in (["check", name], ["build", name], ["takes", name, "--status"]):
        code, out, err = run_radio(command, production)
        assert code == 2, (command, out, err)
        assert f"takes/ holds 2 folders for the episode {name}: takes/{name}/, " \
               f"takes/{unicodedata.normalize('NFD', name)}/ (NFD)" in err, err
        assert "move the files of one into the other" in err, err
    assert files() == before
    (mac / "p002.wav").rename(production / "takes" / name / "p002.wav")   # as told
    mac.rmdir()
    code, out, err = run_radio(["takes", name, "--status"], production)
    assert code == 0 and out.splitlines()[1].startswith("p002\ttake\t"), (out, err)


def test_a_typographic_change_leaves_the_take_current(production):
    """Word's AutoFormat (curly quotes, dashes, an ellipsis character, a non-breaking
    space, a soft hyphen) changes how the paragraph is typed, not what the narrator
    read: the take stays current. A changed word makes it stale."""
    script = production / SCRIPT
    text = script.read_text(encoding="utf-8")
    typed = 'MC1: Kính thưa "quý vị" - các bạn... Đây là bản thử nghiệm ngắn.'
    script.write_text(text.replace("MC1: Kính thưa quý vị! Đây là bản thử nghiệm ngắn.",
                                   typed), encoding="utf-8")
    assign_ids(production)
    write_wav(production / "takes" / "episode1" / "p001.wav", 4.0)
    code, out, err = run_radio(["takes", "episode1", "--status"], production)
    assert code == 0 and out.startswith("p001\ttake\t"), (out, err)
    word = "MC1: Kính thưa \u201cquý\u00a0vị\u201d \u2013 các b\u00adạn\u2026 Đây là bản thử " \
           "nghiệm ngắn."
    script.write_text(text.replace("MC1: Kính thưa quý vị! Đây là bản thử nghiệm ngắn.", word),
                      encoding="utf-8")
    code, out, err = run_radio(["takes", "episode1", "--status"], production)
    assert code == 0 and out.startswith("p001\ttake\t"), (out, err)
    code, out, err = run_radio(["build", "episode1", "--strict"], production)
    assert code == 0, err
    script.write_text(text.replace("MC1: Kính thưa quý vị! Đây là bản thử nghiệm ngắn.",
                                   word.replace("các b\u00adạn", "các anh chị")), encoding="utf-8")
    code, out, err = run_radio(["takes", "episode1", "--status"], production)
    assert code == 0 and out.startswith("p001\tstale\t"), (out, err)
