"""-q, -v and --debug before or after the subcommand, through the real command line."""
import pytest

from clirun import run_radio
from radio.commands.argv import hoist_global_flags


def test_flags_after_the_subcommand_move_in_front_and_stop_at_double_dash():
    assert hoist_global_flags(["build", "--all", "-q"]) == ["-q", "build", "--all"]
    assert hoist_global_flags(["-v", "check", "--debug", "--", "-q"]) == [
        "-v", "--debug", "check", "--", "-q"]


@pytest.mark.parametrize("args", [["-q", "check"], ["check", "-q"], ["check", "--quiet"]])
def test_quiet_before_or_after(production, args):
    code, out, err = run_radio(args, production)
    assert code == 0, err
    assert out == "" and "No such option" not in err


def test_short_global_flags_run_together_after_the_subcommand():
    assert hoist_global_flags(["check", "episode1", "-qv"]) == ["-qv", "check", "episode1"]
    assert hoist_global_flags(["say", "x", "-o", "-q.wav"]) == ["say", "x", "-o", "-q.wav"]


@pytest.mark.parametrize("args", [["check", "-v"], ["-v", "check"], ["check", "-vv"]])
def test_verbose_before_or_after(production, args):
    code, out, err = run_radio(args, production)
    assert code == 0 and "no take yet (synthesized)" in out, err


def test_debug_after_the_subcommand_shows_the_traceback(production):
    (production / "scripts" / "episode1.md").write_bytes(b"")
    code, out, err = run_radio(["check", "--debug"], production)
    assert code == 2 and "Traceback" in err and "the script is empty" in err


@pytest.mark.parametrize("given", ["scripts/episode1.md", "./scripts/episode1.md", "episode1"])
def test_a_script_path_is_taken_for_its_episode(production, given):
    code, out, err = run_radio(["check", given], production)
    assert code == 0, err
    assert "scripts/episode1.md:" in out and "episode2" not in out


@pytest.mark.parametrize("given", ["episode1.md", "Episode1", "EPISODE1.MD",
                                   "scripts\\Episode1.md", "Scripts/episode1.md",
                                   "scripts/episode1"])
def test_an_episode_typed_with_md_another_case_or_windows_path(production, given):
    """Windows finds Episode1.md for episode1.md: the producer may type either, and the
    episode keeps its script's own name."""
    code, out, err = run_radio(["check", given], production)
    assert code == 0, err
    assert "scripts/episode1.md:" in out and "episode2" not in out
    code, out, err = run_radio(["takes", given, "--status"], production)
    assert code == 0 and out.startswith("p001\t"), err
    assert not (production / "takes" / given).exists()


def test_an_episode_named_twice_is_checked_and_built_once(production):
    for args in (["check", "episode1", "Episode1.md", " episode1 "],
                 ["build", "episode1", "scripts/episode1.md"]):
        code, out, err = run_radio(args, production)
        assert code == 0 and "is also used by" not in err, err
    assert out.count("wrote") == 1 or "up to date" in out, out


def test_a_script_path_from_inside_scripts_and_in_takes(production):
    code, out, err = run_radio(["check", "episode1.md"], production / "scripts")
    assert code == 0, err
    code, out, err = run_radio(["takes", "scripts/episode1.md", "--status"], production)
    assert code == 0 and out.startswith("p001\t"), err


def test_a_path_outside_scripts_is_refused(production):
    code, out, err = run_radio(["check", "radio.toml"], production)
    assert code == 2 and "Traceback" not in err
    code, out, err = run_radio(["check", "other/episode1.md"], production)
    assert code == 2
    assert "error: other/episode1.md is not a script of this production — name an episode" in err


def test_an_impossible_segment_is_refused_before_mastering(production, tmp_path):
    import time

    started = time.monotonic()
    code, out, err = run_radio(["preview", "episode1", "--segment", "999", "-o",
                                str(tmp_path / "x.wav")], production)
    assert code == 2 and "Traceback" not in err, err
    assert "--segment 999: episode1 has 6 segments — use 1 to 6" in err
    assert "mastering" not in out and not (production / ".radio" / "cache").exists()
    assert time.monotonic() - started < 20
    code, out, err = run_radio(["build", "episode1"], production)   # the count is the report's
    import json

    report = json.loads((production / "output" / "episode1" / "episode1.json").read_text())
    assert code == 0 and len(report["segments"]) == 6


def test_an_unreadable_time_is_refused_before_mastering(production, tmp_path):
    code, out, err = run_radio(["preview", "episode1", "--from", "abc", "-o",
                                str(tmp_path / "x.wav")], production)
    assert code == 2 and "--from 'abc' is not a time" in err and "mastering" not in out


def test_a_long_option_may_be_abbreviated_while_it_is_unambiguous(production):
    code, out, err = run_radio(["takes", "episode1", "--stat"], production)
    assert code == 0 and out.startswith("p001\t"), err
    code, out, err = run_radio(["check", "--no-rew", "-v"], production)
    assert code == 0 and "no problems found" in out and "read aloud" not in out, err
    code, out, err = run_radio(["preview", "episode1", "--fr", "0:01", "--to", "0:02",
                                "--segm=1", "-o", "x.wav"], production)
    assert code == 2 and "--segment" in err and "No such option" not in err, err
    code, out, err = run_radio(["check", "--", "--no-rew"], production)
    assert code == 2 and "--no-rew" in err


def test_a_shared_start_of_two_options_is_refused_with_both(production):
    code, out, err = run_radio(["preview", "episode1", "--f", "1:00"], production)
    assert code == 2 and "No such option: --f" in err
    assert "--final" in err and "--from" in err


def test_the_language_in_capitals(production):
    code, out, err = run_radio(["check", "nosuch", "--lang", "VI"], production)
    assert code == 2 and err.startswith("lỗi: không có chuyên đề nào tên 'nosuch'"), err


def test_build_refuses_all_together_with_named_episodes(production):
    code, out, err = run_radio(["build", "--all", "episode1"], production)
    assert code == 2 and "name episodes or use --all, not both" in err, err
    assert not (production / "output" / "episode1").exists()


def test_commands_and_options_in_capitals_as_typed_on_windows(production):
    code, out, err = run_radio(["Check", "Episode1", "--No-Rewrites", "-Q"], production)
    assert code == 0 and out == "", err
    code, out, err = run_radio(["BUILD", "episode1", "--PRESET", "WEB"], production)
    assert code == 0, err
    assert (production / "output" / "episode1" / "episode1.web.mp3").exists()


def test_a_misspelt_command_is_answered_with_the_closest(production):
    code, out, err = run_radio(["biuld", "episode1"], production)
    assert code == 2 and "No such command 'biuld' — did you mean 'build'?" in err, err
    code, out, err = run_radio(["chek", "--lang", "vi"], production)
    assert code == 2 and "Không có lệnh 'chek' — có phải là 'check'?" in err, err


def test_a_command_may_be_shortened_while_unambiguous(production):
    code, out, err = run_radio(["che", "-q"], production)
    assert code == 0 and out == "", err
    code, out, err = run_radio(["di"], production)   # disc or distribute: not guessed
    assert code == 2 and "No such command 'di'" in err
