"""Incremental builds: a change to an input rebuilds exactly what depends on it.

The mini production (tests/roots/mini with the example assets, as the `production`
fixture makes it) is built once per module with `radio build --all` and `radio disc`;
episode 2 also cues a recording that episode 1 does not.  Each test starts from a
copy of that built state restored at the same place, changes one input, runs the
real command line (`python -m radio.cli -v`) and checks the files: which outputs were
rewritten (inode or mtime changed: every output is written atomically), which were
not touched, and how many paragraphs were synthesized.  Nothing here is timed.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
import wave
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOTS

EPISODES = ("episode1", "episode2")
ONLY_EP2 = "sfx/chi_tap2.wav"


# helpers -----------------------------------------------------------------------------

def radio(root: Path, *args: str) -> str:
    """Run `radio -v ARGS` in *root*; its output (stdout + stderr); fail on an error."""
    proc = subprocess.run([sys.executable, "-m", "radio.cli", "-v", *args], cwd=root,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout
    return proc.stdout


def speech_counts(output: str) -> tuple[int, int]:
    """(cache hits, synthesized) over every "speech cache" line of a -v run."""
    counts = re.findall(r"speech cache: (\d+) hits?, (\d+) synthesized", output)
    assert counts, f"-v did not report the speech cache:\n{output}"
    return sum(int(h) for h, _ in counts), sum(int(s) for _, s in counts)


def synthesized(output: str) -> int:
    return speech_counts(output)[1]


def snapshot(root: Path, *folders: str) -> dict[str, tuple[int, int, int]]:
    """Every file under *folders*: (inode, mtime_ns, size)."""
    files = {}
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                st = path.stat()
                files[str(path.relative_to(root))] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return files


def episode_files(root: Path, name: str) -> dict:
    return snapshot(root, f"output/{name}", f"takes/{name}")


def outputs(root: Path, name: str) -> dict:
    return snapshot(root, f"output/{name}")


def disc_files(root: Path) -> dict:
    return snapshot(root, "output/disc")


def assert_rewritten(before: dict, after: dict, name: str) -> None:
    """Every output of episode *name* (wav, mp3, json, txt) was written again."""
    for ext in ("wav", "mp3", "json", "txt"):
        key = f"output/{name}/{name}.{ext}"
        assert key in after, f"{key} is missing"
        assert after[key][:2] != before[key][:2], f"{key} was not rebuilt"


def says_unchanged(output: str, name: str) -> bool:
    return any(name in line and "unchanged" in line for line in output.splitlines())


def tone_wav(path: Path, frequency: float, seconds: float = 2.0) -> None:
    """A stereo 16-bit 44.1 kHz tone with short fades."""
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(round(seconds * 44100)) / 44100
    envelope = np.minimum(1.0, np.minimum(t, seconds - t) / 0.05)
    mono = (0.3 * np.sin(2 * np.pi * frequency * t) * envelope * 32767).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(44100)
        wav.writeframes(np.repeat(mono[:, None], 2, axis=1).tobytes())


def set_setting(root: Path, section: str, key: str, value) -> None:
    """Set `key = value` in [section] of radio.toml (added when missing)."""
    path = root / "radio.toml"
    literal = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)
    lines = path.read_text(encoding="utf-8").splitlines()
    try:
        start = lines.index(f"[{section}]")
    except ValueError:
        lines += ["", f"[{section}]", f"{key} = {literal}"]
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("[")),
                   len(lines))
        for i in range(start + 1, end):
            if re.match(rf"{re.escape(key)}\s*=", lines[i]):
                lines[i] = f"{key} = {literal}"
                break
        else:
            lines.insert(start + 1, f"{key} = {literal}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert tomllib.loads(path.read_text(encoding="utf-8"))[section][key] == value


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


# fixtures ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory, example_assets):
    """The `production` fixture's mini production, built and put on disc once.

    Returns (where it lives, a pristine copy of it after the build).
    """
    base = tmp_path_factory.mktemp("incremental")
    root = base / "mini"
    shutil.copytree(ROOTS / "mini", root)
    shutil.copytree(example_assets, root / "audio_assets")
    tone_wav(root / "audio_assets" / ONLY_EP2, 660.0)
    with open(root / "scripts" / "episode2.md", "a", encoding="utf-8") as fh:
        fh.write(f"\n[băng: {ONLY_EP2} | tên=Chỉ tập 2]\n")
    radio(root, "build", "--all")
    radio(root, "disc")
    pristine = base / "pristine"
    shutil.copytree(root, pristine, symlinks=True)
    return root, pristine


@pytest.fixture
def prod(built) -> Path:
    """The built mini production, restored at the path it was built in."""
    root, pristine = built
    shutil.rmtree(root)
    shutil.copytree(pristine, root, symlinks=True)
    return root


# nothing changed -----------------------------------------------------------------------

@pytest.mark.parametrize("jobs", ["1", "2"])
def test_nothing_changed_rewrites_nothing(prod, jobs):
    before = snapshot(prod, "output", "takes")
    out = radio(prod, "build", "--all", "-j", jobs)
    assert synthesized(out) == 0
    assert all(says_unchanged(out, name) for name in EPISODES), out
    assert snapshot(prod, "output", "takes") == before


def test_unchanged_disc_is_not_rewritten(prod):
    before = snapshot(prod, "output", "takes")
    out = radio(prod, "disc")
    assert synthesized(out) == 0
    assert any("disc" in line and "unchanged" in line for line in out.splitlines()), out
    assert snapshot(prod, "output", "takes") == before


def test_touching_files_without_changing_them_rebuilds_nothing(prod):
    """Builds are keyed by content, not by modification times."""
    before = snapshot(prod, "output")
    for path in [*(prod / "scripts").glob("*.md"), *(prod / "audio_assets").rglob("*.*"),
                 prod / "radio.toml"]:
        path.write_bytes(path.read_bytes())
    out = radio(prod, "build", "--all")
    assert synthesized(out) == 0
    assert snapshot(prod, "output") == before


def test_a_moved_production_rebuilds_nothing(prod, tmp_path):
    moved = tmp_path / "moved"
    shutil.copytree(prod, moved, symlinks=True)
    before = snapshot(moved, "output")
    out = radio(moved, "build", "--all")
    assert synthesized(out) == 0
    assert snapshot(moved, "output") == before


# scripts -------------------------------------------------------------------------------

def test_one_paragraph_edited_resynthesizes_it_alone(prod):
    before = {name: episode_files(prod, name) for name in EPISODES}
    replace_in(prod / "scripts" / "episode1.md", "Xin cảm ơn quý vị đã lắng nghe.",
               "Xin chân thành cảm ơn quý vị đã lắng nghe.")
    out = radio(prod, "build", "--all")
    hits, synth = speech_counts(out)
    assert synth == 1
    assert hits >= 4          # the other paragraphs of both episodes came from the cache
    assert_rewritten(before["episode1"], outputs(prod, "episode1"), "episode1")
    assert episode_files(prod, "episode2") == before["episode2"]
    assert says_unchanged(out, "episode2")


def test_voice_of_one_speaker_resynthesizes_only_their_paragraphs(prod):
    """MC2 speaks one paragraph of episode 1; episode 2 has its own MC1 and no MC2."""
    before = episode_files(prod, "episode2")
    replace_in(prod / "scripts" / "episode1.md", "pitch: 75", "pitch: 60")
    out = radio(prod, "build", "--all")
    assert synthesized(out) == 1
    assert episode_files(prod, "episode2") == before


def test_heading_renamed_rebuilds_the_episode_without_synthesis(prod):
    before = {name: outputs(prod, name) for name in EPISODES}
    replace_in(prod / "scripts" / "episode1.md", "# Phỏng vấn", "# Phỏng vấn người dân")
    out = radio(prod, "build", "--all")
    assert synthesized(out) == 0
    assert_rewritten(before["episode1"], outputs(prod, "episode1"), "episode1")
    report = json.loads((prod / "output/episode1/episode1.json").read_text(encoding="utf-8"))
    assert "Phỏng vấn người dân" in [c["title"] for c in report["chapters"]]
    assert outputs(prod, "episode2") == before["episode2"]


def test_episode_title_changes_the_tags_of_that_episode_only(prod):
    before = {name: outputs(prod, name) for name in EPISODES}
    replace_in(prod / "scripts" / "episode2.md", "“Tinh hoa” quê hương", "Tinh hoa quê hương")
    out = radio(prod, "build", "--all")
    assert synthesized(out) == 0
    assert_rewritten(before["episode2"], outputs(prod, "episode2"), "episode2")
    assert outputs(prod, "episode1") == before["episode1"]


# assets, takes, pronunciations -----------------------------------------------------------

def test_asset_cued_only_by_episode2_replaced(prod):
    before = {name: episode_files(prod, name) for name in EPISODES}
    tone_wav(prod / "audio_assets" / ONLY_EP2, 440.0)
    out = radio(prod, "build", "--all")
    assert synthesized(out) == 0
    assert_rewritten(before["episode2"], outputs(prod, "episode2"), "episode2")
    assert episode_files(prod, "episode1") == before["episode1"]
    assert says_unchanged(out, "episode1")


def test_asset_shared_by_nobody_added_rebuilds_nothing(prod):
    before = snapshot(prod, "output")
    tone_wav(prod / "audio_assets" / "sfx" / "unused.wav", 880.0)
    radio(prod, "build", "--all")
    assert snapshot(prod, "output") == before


def test_recorded_take_for_episode1_rebuilds_episode1_only(prod):
    before = {name: episode_files(prod, name) for name in EPISODES}
    tone_wav(prod / "takes" / "episode1" / "p001.wav", 220.0, seconds=3.0)
    out = radio(prod, "build", "--all")
    assert synthesized(out) == 0
    assert_rewritten(before["episode1"], outputs(prod, "episode1"), "episode1")
    assert episode_files(prod, "episode2") == before["episode2"]
    report = json.loads((prod / "output/episode1/episode1.json").read_text(encoding="utf-8"))
    assert report["paragraphs"]["take"] == 1


def test_pronunciation_used_by_episode1_only(prod):
    """ "thử nghiệm" is spoken in episode 1 (the titles are not spoken)."""
    before = {name: episode_files(prod, name) for name in EPISODES}
    (prod / "pronunciations.tsv").write_text("thử nghiệm\tthí nghiệm\n", encoding="utf-8")
    out = radio(prod, "build", "--all")
    assert synthesized(out) == 1
    assert_rewritten(before["episode1"], outputs(prod, "episode1"), "episode1")
    assert episode_files(prod, "episode2") == before["episode2"]
    report = json.loads((prod / "output/episode1/episode1.json").read_text(encoding="utf-8"))
    assert any("thí nghiệm" in s.get("spoken", "") for s in report["segments"])


def test_pronunciation_used_nowhere_rebuilds_nothing(prod):
    before = snapshot(prod, "output")
    (prod / "pronunciations.tsv").write_text("Facebook\tphây búc\n", encoding="utf-8")
    out = radio(prod, "build", "--all")
    assert synthesized(out) == 0
    assert snapshot(prod, "output") == before


# settings ----------------------------------------------------------------------------------

@pytest.mark.parametrize("section,key,value", [
    ("pacing", "tail_ms", 900),
    ("ducking", "depth_db", 6.0),
    ("build", "preset", "web"),
    ("build", "mp3_bitrate_kbps", 128),
    ("production", "publisher", "Đài Truyền thanh xã Sơn Kim 1"),
])
def test_setting_rebuilds_both_episodes_without_synthesis(prod, section, key, value):
    before = {name: outputs(prod, name) for name in EPISODES}
    set_setting(prod, section, key, value)
    out = radio(prod, "build", "--all")
    assert synthesized(out) == 0
    for name in EPISODES:
        assert_rewritten(before[name], outputs(prod, name), name)
    assert not (prod / "output" / "episode1" / "episode1.web.wav").exists()


def test_disc_setting_rewrites_the_disc_only(prod):
    before = {name: outputs(prod, name) for name in EPISODES}
    disc_before = disc_files(prod)
    set_setting(prod, "disc", "title", "Đĩa thử nghiệm – bản 2")
    out = radio(prod, "disc")
    assert synthesized(out) == 0
    assert disc_files(prod) != disc_before
    for name in EPISODES:
        assert outputs(prod, name) == before[name]


def test_another_preset_leaves_the_default_outputs_and_state_alone(prod):
    before = snapshot(prod, "output")
    radio(prod, "build", "--all", "--preset", "web")
    assert (prod / "output" / "episode1" / "episode1.web.mp3").exists()
    after_web = snapshot(prod, "output")
    assert {k: v for k, v in after_web.items() if k in before} == before
    out = radio(prod, "build", "--all")           # the default preset is still current
    assert all(says_unchanged(out, name) for name in EPISODES)
    assert snapshot(prod, "output") == after_web


# the disc ------------------------------------------------------------------------------------

def test_one_episode_changed_rewrites_the_disc(prod):
    before = {name: outputs(prod, name) for name in EPISODES}
    disc_before = disc_files(prod)
    manifest = json.loads((prod / "output/disc/manifest.json").read_text(encoding="utf-8"))
    replace_in(prod / "scripts" / "episode2.md", "Kinh phí 40.000.000đ.",
               "Kinh phí 45.000.000đ.")
    out = radio(prod, "disc")                     # builds what is out of date first
    assert synthesized(out) == 1
    assert_rewritten(before["episode2"], outputs(prod, "episode2"), "episode2")
    assert outputs(prod, "episode1") == before["episode1"]
    disc_after = disc_files(prod)
    isos = [k for k in disc_before if k.endswith(".iso")]
    assert isos and all(disc_after[k][:2] != disc_before[k][:2] for k in isos
                        if k in disc_after)
    assert any(k.endswith(".bin") for k in disc_after)
    new_manifest = json.loads((prod / "output/disc/manifest.json").read_text(encoding="utf-8"))
    assert new_manifest["fingerprint"] != manifest["fingerprint"]
    # and now the disc is current again
    again = radio(prod, "disc")
    assert disc_files(prod) == disc_after
    assert synthesized(again) == 0


# deciding what is current ----------------------------------------------------------------

def test_deciding_what_is_current_decodes_nothing(production, monkeypatch):
    """`-j N` asks in the parent which episodes are current before it spawns workers:
    on a cold cache the answer is a miss, not a decode of the recordings cued before
    the first paragraph (the workers decode them, once)."""
    from radio.pipeline import build
    from radio.audio import decode
    from radio.config import load
    from radio.pipeline.prepare import load_episodes
    from radio.log import Log
    from radio.script.model import Jingle

    prod = load(production)
    episodes = load_episodes(prod)
    assert isinstance(episodes[0].items[0], Jingle)   # a recording comes before any speech
    decoded = []
    real = decode.decode_with_info
    monkeypatch.setattr(decode, "decode_with_info",
                        lambda *args, **kw: decoded.append(args[0]) or real(*args, **kw))
    for episode in episodes:
        assert build._current_result(prod, episode, build.BuildOptions(jobs=2), Log(0)) \
            == (None, 0)
    assert decoded == []
    assert not list((prod.cache_dir / "sources").rglob("*.f32"))


def test_an_edited_script_is_stale_without_a_look_at_its_speech(prod, monkeypatch):
    """The parent's check of an episode whose script changed since its build does not
    prepare it (the build will); a script edited without changing what it makes
    (a comment) is found unchanged by the build, which keeps the new digest."""
    from radio.config import load
    from radio.log import Log
    from radio.pipeline import build
    from radio.pipeline.prepare import load_episodes

    production = load(prod)
    episode = load_episodes(production, ["episode1"])[0]
    options = build.BuildOptions(jobs=2)
    assert build._current_result(production, episode, options, Log(0))[0] is not None
    with open(prod / "scripts" / "episode1.md", "a", encoding="utf-8") as fh:
        fh.write("\n<!-- ghi chú của biên tập viên -->\n")
    prepared = []
    monkeypatch.setattr(build, "prepare", lambda *a, **k: prepared.append(a) or None)
    episode = load_episodes(production, ["episode1"])[0]
    assert build._current_result(production, episode, options, Log(0)) == (None, 0)
    assert prepared == []
    monkeypatch.undo()
    before = snapshot(prod, "output")
    out = radio(prod, "build", "--all")
    assert says_unchanged(out, "episode1") and synthesized(out) == 0
    assert snapshot(prod, "output") == before
    assert build._current_result(production, episode, options, Log(0))[0] is not None
