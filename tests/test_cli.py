"""The command line end to end on the mini production (real espeak, ffmpeg, mutagen)."""
import json
import os
import re
import subprocess
import sys
import wave

import pytest
from click.testing import CliRunner

from radio.cli import cli, main
from clirun import run_radio
from conftest import ffmpeg_exe


def run(args, cwd):
    """Run the real entry point in *cwd*; return (exit code, stdout, stderr).

    The production's scripts/, takes/ and audio_assets/ must come out unchanged."""
    return run_radio(args, cwd)


def decoded_duration(path) -> tuple[float, int, int]:
    out = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "s16le", "-"],
                         capture_output=True).stdout
    info = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True,
                          text=True).stderr
    assert "44100 Hz, stereo" in info
    return len(out) / 4 / 44100, 44100, 2


@pytest.fixture(scope="module")
def built(tmp_path_factory, example_assets):
    """The mini production built once with `radio build --all`."""
    import shutil

    from conftest import ROOTS

    root = tmp_path_factory.mktemp("built") / "mini"
    shutil.copytree(ROOTS / "mini", root)
    shutil.copytree(example_assets, root / "audio_assets")
    code, out, err = run(["build", "--all"], root)
    assert code == 0, err
    return root


def test_build_writes_every_output(built):
    folder = built / "output" / "episode1"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["episode1.json", "episode1.mp3", "episode1.txt", "episode1.wav"]
    report = json.loads((folder / "episode1.json").read_text(encoding="utf-8"))
    with wave.open(str(folder / "episode1.wav")) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (44100, 2, 2)
        assert wav.getnframes() / 44100 == pytest.approx(report["duration_s"], abs=0.001)
    mp3_seconds, _, _ = decoded_duration(folder / "episode1.mp3")
    assert mp3_seconds == pytest.approx(report["duration_s"], abs=0.05)
    kinds = [s["kind"] for s in report["segments"]]
    assert {"speech", "jingle", "clip", "bed"} <= set(kinds)
    speech = [s for s in report["segments"] if s["kind"] == "speech"]
    assert speech[1]["spoken"].startswith("Ngày mười bốn tháng mười năm hai nghìn")
    assert "Ủy ban nhân dân" in speech[1]["spoken"] and speech[1]["engine"] == "espeak"
    assert [c["title"] for c in report["chapters"]] == ["Mở đầu", "Phỏng vấn", "Kết thúc"]


def test_second_build_rebuilds_nothing(built):
    before = {p: p.stat().st_mtime_ns for p in (built / "output").rglob("*.*")}
    code, out, err = run(["-v", "build", "--all"], built)
    assert code == 0, err
    assert "episode1: unchanged, nothing to rebuild" in out
    assert "speech cache: 0 hits, 0 synthesized" in out or "0 synthesized" in out
    assert {p: p.stat().st_mtime_ns for p in (built / "output").rglob("*.*")} == before


def test_offline_rebuild_hits_the_cache(built):
    code, out, err = run(["-v", "build", "episode2", "--offline", "--preset", "web"], built)
    assert code == 0, err
    assert "0 synthesized" in out and "hits" in out
    assert (built / "output" / "episode2" / "episode2.web.wav").exists()
    assert (built / "output" / "episode2" / "episode2.wav").exists()


def test_unknown_episode_names_the_known_ones(built):
    code, out, err = run(["build", "nosuch"], built)
    assert code == 2
    assert err.strip() == "error: no episode named 'nosuch' — episodes here: episode1, episode2"


def test_runs_from_a_subfolder(built):
    code, out, err = run(["check"], built / "scripts")
    assert code == 0, err
    assert "scripts/episode1.md" in out and "no problems found" in out


def _checked_seconds(production) -> float:
    code, out, err = run(["check", "episode1"], production)
    assert code == 0, err
    minutes, seconds = re.search(r"episode1\.md: .* about (\d+):(\d+\.\d)", out).groups()
    return int(minutes) * 60 + float(seconds)


def test_check_estimates_the_duration_then_knows_it_once_built(production):
    estimate = _checked_seconds(production)          # nothing synthesized yet: estimated
    code, out, err = run(["build", "episode1"], production)
    assert code == 0, err
    report = production / "output" / "episode1" / "episode1.json"
    built = json.loads(report.read_text(encoding="utf-8"))["duration_s"]
    assert estimate == pytest.approx(built, rel=0.15)
    assert _checked_seconds(production) == pytest.approx(built, abs=0.06)   # from the cache


@pytest.mark.parametrize("line,expected", [
    ("[nhac hieu: jingles/intro.ogg]", "unknown cue 'nhac hieu' — did you mean 'nhạc hiệu'?"),
    ("[băng: interviews/khong_co.ogg]", "audio_assets/interviews/khong_co.ogg does not exist"),
    ("[băng: ../../etc/passwd]", "leaves audio_assets/"),
    ("[băng: interviews/vi_du.ogg | từ=0:01 | đến=9:00]", "past the end"),
])
def test_input_errors_exit_2_with_file_and_line(production, line, expected):
    script = production / "scripts" / "episode1.md"
    script.write_text(script.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")
    number = len(script.read_text(encoding="utf-8").splitlines())
    for command in (["build", "episode1"], ["check"], ["build", "--all", "-j", "2"]):
        code, out, err = run(command, production)
        assert code == 2, (command, err)
        assert f"scripts/episode1.md:{number}: " in err and expected in err
        assert "Traceback" not in err


def test_undecodable_asset(production):
    (production / "audio_assets" / "interviews" / "hong.ogg").write_bytes(b"not audio at all" * 10)
    script = production / "scripts" / "episode1.md"
    script.write_text(script.read_text(encoding="utf-8") + "\n[băng: interviews/hong.ogg]\n",
                      encoding="utf-8")
    code, out, err = run(["check"], production)
    assert code == 2 and "cannot decode hong.ogg" in err and "scripts/episode1.md:" in err


def test_zero_second_clip(production):
    from radio.audio.encode import write_audio
    import numpy as np

    write_audio(production / "audio_assets" / "interviews" / "rong.wav", np.zeros((10, 2)))
    script = production / "scripts" / "episode1.md"
    script.write_text(script.read_text(encoding="utf-8") + "\n[băng: interviews/rong.wav]\n",
                      encoding="utf-8")
    code, out, err = run(["build", "episode1"], production)
    assert code == 2 and "has no audio (0 seconds)" in err


def test_help_and_version():
    runner = CliRunner()
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0 and "build" in result.output and "check" in result.output
    result = runner.invoke(cli, ["build", "--help"])
    assert result.exit_code == 0 and "--preset" in result.output


def test_no_production_here(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--all"]) == 2
    assert "no radio.toml in" in capsys.readouterr().err


def test_init_builds_as_is(tmp_path):
    code, out, err = run(["init", str(tmp_path / "x")], tmp_path)
    assert code == 0, err
    code, out, err = run(["build", "--all"], tmp_path / "x")
    assert code == 0, err
    assert (tmp_path / "x" / "output" / "episode1" / "episode1.mp3").stat().st_size > 10000
    code, out, err = run(["init", str(tmp_path / "x")], tmp_path)
    assert code == 2 and "already a production" in err


def test_say_is_deterministic(tmp_path):
    for name in ("a.wav", "b.wav"):
        code, out, err = run(["say", "Kinh phí: 35.500.000đ", "-o", name], tmp_path)
        assert code == 0, err
    assert (tmp_path / "a.wav").read_bytes() == (tmp_path / "b.wav").read_bytes()


def test_say_writes_the_format_its_name_asks_for(tmp_path):
    code, out, err = run(["say", "Xin chào Hà Tĩnh", "-o", "chào.mp3"], tmp_path)
    assert code == 0, err
    info = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(tmp_path / "chào.mp3")],
                          capture_output=True, text=True).stderr
    assert "Audio: mp3" in info and "44100 Hz" in info
    seconds = len(subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(tmp_path / "chào.mp3"),
                                  "-f", "s16le", "-ac", "1", "-"],
                                 capture_output=True).stdout) / 2 / 44100
    assert 0.8 < seconds < 3.0
    code, out, err = run(["say", "Xin chào", "-o", "chao.txt"], tmp_path)
    assert code == 2 and "chao.txt" in err and ".wav" in err
    assert not (tmp_path / "chao.txt").exists()


def test_say_refuses_a_line_with_nothing_to_say_and_skips_emoji(tmp_path):
    for text in ("", "   ", "🍊🍊", "…!"):
        code, out, err = run(["say", text, "-o", "x.wav"], tmp_path)
        assert code == 2, (text, err)
        assert "nothing to say" in err
    assert not (tmp_path / "x.wav").exists()
    code, out, err = run(["say", "Cam 🍊 ngon", "-o", "cam.wav"], tmp_path)
    assert code == 0, err
    assert "🍊" in err and "skipped" in err
    code, out, err = run(["say", "Cam ngon", "-o", "plain.wav"], tmp_path)
    assert code == 0, err
    assert (tmp_path / "cam.wav").read_bytes() == (tmp_path / "plain.wav").read_bytes()


def test_say_never_replaces_a_recording_or_a_built_file(production):
    """`radio say -o` onto a recording of audio_assets/ or takes/, or onto a built
    file, is refused before anything is spoken; a new file there is written."""
    from test_mistakes import assign_ids, write_wav

    assign_ids(production)
    write_wav(production / "takes" / "episode1" / "p001.wav")
    (production / "output" / "episode1").mkdir(parents=True)
    (production / "output" / "episode1" / "episode1.mp3").write_bytes(b"built")
    for target in ("audio_assets/interviews/vi_du.ogg", "takes/episode1/p001.wav",
                   "output/episode1/episode1.mp3"):
        before = (production / target).read_bytes()
        code, out, err = run(["say", "Xin chào", "-o", target], production)
        assert code == 2, (target, err)
        assert f"error: {target} is a recording or a built file of the production: `radio " \
               "say` never replaces it — write the line under a new name" in err
        assert (production / target).read_bytes() == before
    code, out, err = run_radio(["say", "Xin chào", "-o", "audio_assets/interviews/chao.wav"],
                               production, check_sources=False)   # a new recording: written
    assert code == 0 and (production / "audio_assets/interviews/chao.wav").stat().st_size > 0


def test_say_refuses_an_unknown_voice_as_a_mistake(tmp_path):
    code, out, err = run(["say", "Xin chào", "--voice", "vn", "-o", "x.wav"], tmp_path)
    assert code == 2 and not (tmp_path / "x.wav").exists(), err
    assert err == ("error: --voice vn: espeak-ng has no such voice — use one of vi, "
                   "vi-vn-x-central, vi-vn-x-south (`radio voices` lists them)\n")
    code, out, err = run(["say", "Xin chào", "--voice", "vi-vn-x-souht", "-o", "x.wav"],
                         tmp_path)
    assert code == 2 and "did you mean 'vi-vn-x-south'?" in err
    code, out, err = run(["say", "Xin chào", "--voice", "VI", "-o", "x.wav"], tmp_path)
    assert code == 0, err


def test_say_speaker_of_an_episode_named_as_typed(production, tmp_path):
    code, out, err = run(["say", "Xin chào", "--speaker", "mc2", "--episode", "Episode1.md",
                          "-o", str(tmp_path / "mc2.wav")], production)
    assert code == 0, err
    code, out, err = run(["say", "Xin chào", "--speaker", "MC2", "--episode", "episode1",
                          "-o", str(tmp_path / "MC2.wav")], production)
    assert code == 0, err
    assert (tmp_path / "mc2.wav").read_bytes() == (tmp_path / "MC2.wav").read_bytes()


def test_disc_names_its_folder_inside_the_production(built):
    for _ in range(2):   # made, then unchanged
        code, out, err = run(["disc"], built)
        assert code == 0, err
        assert out.rstrip().endswith("in output/disc") or "in output/disc\n" in out, out
        assert str(built) not in out


def test_a_script_named_in_nfd_is_the_episode_its_name_spells(tmp_path):
    """A script copied from a Mac has a decomposed (NFD) name: it is still the episode the
    user types, and its outputs are named in NFC."""
    import unicodedata

    code, out, err = run(["init", "p"], tmp_path)
    assert code == 0, err
    scripts = tmp_path / "p" / "scripts"
    nfd = unicodedata.normalize("NFD", "bản tin")
    text = (scripts / "episode1.md").read_text(encoding="utf-8")
    (scripts / f"{nfd}.md").write_text(text.replace("number: 1", "number: 2"), encoding="utf-8")
    for name in ("bản tin", nfd, f"scripts/{nfd}.md"):
        code, out, err = run(["check", name], tmp_path / "p")
        assert code == 0, (name, err)
    code, out, err = run(["build", "bản tin"], tmp_path / "p")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "p" / "output").iterdir()) == ["bản tin"]
    folder = tmp_path / "p" / "output" / "bản tin"
    assert (folder / "bản tin.mp3").is_file() and (folder / "bản tin.json").is_file()
    code, out, err = run(["build", "--all"], tmp_path / "p")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "p" / "output").iterdir()) == ["bản tin",
                                                                            "episode1"]


def test_build_without_an_episode_says_so_in_the_users_language(built):
    code, out, err = run(["--lang", "vi", "build"], built)
    assert code == 2
    assert "hãy nêu tên chuyên đề cần dựng" in err and "--all" in err


def test_init_quotes_a_folder_with_spaces_in_its_hint(tmp_path):
    code, out, err = run(["init", "Cam Hà Tĩnh"], tmp_path)
    assert code == 0, err
    assert '`cd "Cam Hà Tĩnh"`' in out
    code, out, err = run(["init", "cam-ha-tinh"], tmp_path)
    assert code == 0, err
    assert "`cd cam-ha-tinh`" in out


@pytest.mark.parametrize("console", ["utf-8", "cp1258"])
def test_normalize_reads_a_windows_text_file_piped_in(tmp_path, console):
    """`type kichban.txt | radio normalize` on Vietnamese Windows: the file is UTF-8 with
    Notepad's BOM and CRLF, and the redirected streams are cp1258."""
    data = "\ufeffHà Tĩnh ngày 15/11\r\n115 hộ\r\n".encode("utf-8")
    proc = subprocess.run([sys.executable, "-m", "radio.cli", "normalize"], cwd=tmp_path,
                          input=data, capture_output=True,
                          env={**os.environ, "PYTHONIOENCODING": console})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8").splitlines() == [
        "Hà Tĩnh ngày mười lăm tháng mười một", "một trăm mười lăm hộ"]


def test_normalize_reads_stdin_lines(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "radio.cli", "normalize"], cwd=tmp_path,
                          input="115 hộ\nngày 01/9/2022\n", capture_output=True, text=True)
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [
        "một trăm mười lăm hộ",
        "ngày mùng một tháng chín năm hai nghìn không trăm hai mươi hai"]
