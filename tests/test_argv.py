"""-q, -v and --debug before or after the subcommand, through the real command line."""
import pytest

from clirun import run_radio
from radio.argv import hoist_global_flags


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
