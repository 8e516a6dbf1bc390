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


@pytest.mark.parametrize("args", [["check", "-v"], ["-v", "check"]])
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
