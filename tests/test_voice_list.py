"""`radio voices --all` lists every espeak-ng variant that `radio check` accepts."""
from clirun import run_radio
from radio.speech.espeak import variants


def test_voices_all_lists_every_variant(tmp_path):
    code, out, err = run_radio(["voices", "--all"], tmp_path)
    assert code == 0, err
    listed = set()
    for line in out.splitlines():
        if line.startswith("    "):
            listed |= set(line.split())
    assert listed == set(variants()) and len(listed) > 50
    assert f"all {len(listed)}:" in out


def test_voices_without_all_says_how_to_see_the_rest(tmp_path):
    code, out, err = run_radio(["voices"], tmp_path)
    assert code == 0 and "more (`radio voices --all` lists every one)" in out, err
