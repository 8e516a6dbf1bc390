"""Recorded narration: stable ids, takes replacing paragraphs, staleness, freeze, pin,
and the recording script in a real browser.  Real espeak and ffmpeg, no mocks."""
import json
import re
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from conftest import REPO, ffmpeg_exe, require_tool
from radio.audio.decode import decode
from radio.audio.loudness import measure
from radio.cli import main
from radio.script.parser import parse_text
from radio.takes.files import KEEP_AFTER_MS, KEEP_BEFORE_MS, trim_silence
from radio.takes.ids import assign

RATE = 44100
FRONT = "---\ntitle: T\nnumber: 1\nspeakers:\n  MC1: {voice: vi}\n  MC2: {voice: vi}\n---\n"
PARAS = ["MC1: Kính thưa quý vị và các bạn, chào mừng đến với chuyên đề.",
         "MC2: Cam Hà Tĩnh được trồng nhiều ở Hương Sơn và Vũ Quang.",
         "MC1: Xin cảm ơn.",
         "MC2: Bà con nên ghi nhật ký sản xuất theo quy trình VietGAP.",
         "MC1: Xin cảm ơn."]


def ids_of(paras, records=()):
    episode = parse_text(FRONT + "\n\n".join(paras) + "\n", "ep", "scripts/ep.md")
    ids, new_records, problems = assign(episode.paragraphs, list(records), "scripts/ep.md")
    assert not problems
    return ids, new_records


def test_ids_survive_inserts_edits_deletes_and_moves():
    ids, records = ids_of(PARAS)
    assert ids == ["p001", "p002", "p003", "p004", "p005"]
    inserted = PARAS[:1] + ["MC2: Một đoạn hoàn toàn mới được chèn vào đây."] + PARAS[1:]
    ids, records = ids_of(inserted, records)
    assert ids == ["p001", "p006", "p002", "p003", "p004", "p005"]
    edited = list(inserted)
    edited[2] = "MC2: Cam Hà Tĩnh được trồng rất nhiều ở Hương Sơn, Hương Khê và Vũ Quang."
    ids, records = ids_of(edited, records)
    assert ids[2] == "p002"                       # an edited paragraph keeps its id
    deleted = edited[:1] + edited[2:]             # the inserted paragraph goes again...
    ids, records = ids_of(deleted, records)
    assert ids == ["p001", "p002", "p003", "p004", "p005"]
    ids, records = ids_of(deleted + ["MC1: Hẹn gặp lại quý vị."], records)
    assert ids[-1] == "p007"                      # ...and its number is never reused
    moved = [deleted[3], deleted[0], deleted[1], deleted[2], deleted[4]]
    ids, _ = ids_of(moved, records)
    assert ids == ["p004", "p001", "p002", "p003", "p005"]   # duplicates follow context
    pinned = [PARAS[0] + " {#p042}"] + PARAS[1:]
    ids, _ = ids_of(pinned, records)
    assert ids[:2] == ["p042", "p002"]


def test_trim_keeps_a_margin_around_the_sound():
    sound = 0.3 * np.sin(2 * np.pi * 440 * np.arange(RATE) / RATE).astype(np.float32)
    noise = np.random.default_rng(1).normal(0, 3e-4, 3 * RATE).astype(np.float32)
    take = noise.copy()
    take[RATE:2 * RATE] += sound
    trimmed = trim_silence(take)
    expected = RATE + RATE * (KEEP_BEFORE_MS + KEEP_AFTER_MS) // 1000
    assert abs(len(trimmed) - expected) <= RATE // 50
    assert len(trim_silence(sound)) == RATE       # nothing to trim


# -- a production with takes ------------------------------------------------

def radio(root: Path, monkeypatch, capsys, *args) -> tuple[int, str, str]:
    monkeypatch.chdir(root)
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def build(root, monkeypatch, capsys, episode="episode1", *extra):
    code, out, err = radio(root, monkeypatch, capsys, "build", episode, "--offline", "-j", "1",
                           *extra)
    assert code == 0, err
    return err


def status(root, monkeypatch, capsys, episode="episode1") -> dict[str, list[str]]:
    code, out, err = radio(root, monkeypatch, capsys, "takes", episode, "--status")
    assert code == 0, err
    rows = [line.split("\t") for line in out.splitlines()]
    assert all(len(r) == 4 and re.fullmatch(r"p\d{3}", r[0]) for r in rows), out
    return {r[0]: r[1:] for r in rows}


def tone_take(path: Path, rate=48000, seconds=2.0):
    """A distinctive take: a 3 Hz-modulated 330+660 Hz chord between silences, stereo."""
    t = np.arange(int(rate * seconds)) / rate
    tone = (0.3 * np.sin(2 * np.pi * 330 * t) + 0.15 * np.sin(2 * np.pi * 660 * t)) \
        * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))
    mono = np.concatenate([np.zeros(rate), tone, np.zeros(int(rate * 1.5))]).astype(np.float32)
    mono += np.random.default_rng(2).normal(0, 1e-4, len(mono)).astype(np.float32)
    stereo = np.repeat(mono[:, None], 2, axis=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([ffmpeg_exe(), "-y", "-v", "error", "-f", "f32le", "-ar", str(rate), "-ac",
                    "2", "-i", "-", str(path)], input=stereo.tobytes(), check=True)


def programme(root: Path, episode="episode1") -> tuple[np.ndarray, dict]:
    with wave.open(str(root / "output" / episode / f"{episode}.wav")) as wav:
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").reshape(-1, 2)
    report = json.loads((root / "output" / episode / f"{episode}.json").read_text())
    spans = {s["paragraph_id"]: s for s in report["segments"] if s["kind"] == "speech"}
    return pcm.astype(np.float32) / 32768.0, {"spans": spans, **report}


def span(audio: np.ndarray, segment: dict) -> np.ndarray:
    return audio[segment["start_ms"] * RATE // 1000:segment["end_ms"] * RATE // 1000, 0]


def best_correlation(a: np.ndarray, b: np.ndarray, max_lag=RATE // 20) -> float:
    """The normalized cross-correlation of a and b at their best alignment (±50 ms)."""
    from scipy.signal import correlate

    n = min(len(a), len(b))
    a, b = a[:n].astype(np.float64), b[:n].astype(np.float64)
    full = correlate(a, b, mode="full", method="fft")[n - 1 - max_lag:n + max_lag]
    return float(full.max() / (np.linalg.norm(a) * np.linalg.norm(b)))


def spectral_similarity(a: np.ndarray, b: np.ndarray) -> float:
    from scipy.signal import welch

    pa, pb = welch(a, RATE, nperseg=4096)[1], welch(b, RATE, nperseg=4096)[1]
    return float(np.dot(pa, pb) / (np.linalg.norm(pa) * np.linalg.norm(pb)))


def test_take_replaces_its_paragraph_leveled_like_narration(production, monkeypatch, capsys):
    build(production, monkeypatch, capsys)
    before, first = programme(production)
    synthesized = span(before, first["spans"]["p001"])
    tone_take(production / "takes" / "episode1" / "p001.m4a")

    build(production, monkeypatch, capsys)
    audio, report = programme(production)
    spans = report["spans"]
    assert (spans["p001"]["engine"], spans["p001"]["take_state"]) == ("take", "take")
    assert report["paragraphs"] == {"take": 1, "stale": 0, "synth": 2}
    assert report["placeholders"] == 2
    placed = span(audio, spans["p001"])
    take = trim_silence(decode(production / "takes" / "episode1" / "p001.m4a", 1)[:, 0])
    assert abs(len(placed) - len(take)) < RATE // 100          # exactly the trimmed take
    # the master's horn high-pass shifts the phases: compare spectra, and waveforms loosely
    assert spectral_similarity(placed, take) > 0.99
    assert spectral_similarity(placed, synthesized) < 0.5
    assert best_correlation(placed, take) > 0.7
    assert best_correlation(placed, synthesized) < 0.2
    narration = span(audio, spans["p003"])                   # the same voice, synthesized
    take_lufs = measure(np.repeat(placed[:, None], 2, 1)).integrated_lufs
    narration_lufs = measure(np.repeat(narration[:, None], 2, 1)).integrated_lufs
    assert abs(take_lufs - narration_lufs) < 1.0, (take_lufs, narration_lufs)
    sidecar = json.loads((production / "takes" / "episode1" / "p001.json").read_text())
    assert sidecar["text"].startswith("Kính thưa quý vị") and sidecar["frozen"] is False


def test_insert_keeps_the_take_and_an_edit_makes_it_stale(production, monkeypatch, capsys):
    script = production / "scripts" / "episode1.md"
    assert status(production, monkeypatch, capsys)["p001"][0] == "synth"
    tone_take(production / "takes" / "episode1" / "p001.wav", seconds=0.8)
    text = script.read_text()
    first = "MC1: Kính thưa quý vị! Đây là bản thử nghiệm ngắn."
    script.write_text(text.replace(first, "MC2: Một đoạn mới chèn vào trước.\n\n" + first))
    states = status(production, monkeypatch, capsys)
    assert states["p001"] == ["take", "MC1", "Kính thưa quý vị! Đây là bản thử …"]
    assert states["p004"][:2] == ["synth", "MC2"]
    assert list(states) == ["p004", "p001", "p002", "p003"]
    err = build(production, monkeypatch, capsys)
    assert "stale" not in err
    _, report = programme(production)
    assert report["spans"]["p001"]["engine"] == "take"

    script.write_text(script.read_text().replace("bản thử nghiệm ngắn", "bản thử nghiệm đã sửa"))
    assert status(production, monkeypatch, capsys)["p001"][0] == "stale"
    line = next(n for n, l in enumerate(script.read_text().splitlines(), 1) if "đã sửa" in l)
    err = build(production, monkeypatch, capsys)
    assert f"scripts/episode1.md:{line}: p001 stale take" in err
    _, report = programme(production)
    assert report["spans"]["p001"]["take_state"] == "stale"     # still used
    code, _, err = radio(production, monkeypatch, capsys, "build", "--all", "--offline",
                         "--strict")
    assert code == 2 and f"scripts/episode1.md:{line}: p001 stale take" in err
    code, out, err = radio(production, monkeypatch, capsys, "check", "episode1")
    assert code == 0
    assert "takes: 0 recorded, 1 stale, 3 synthesized" in out
    assert f"scripts/episode1.md:{line}: p001 stale take" in err


def test_freeze_round_trips_byte_identical(production, monkeypatch, capsys):
    from radio.config import load
    from radio.takes import placeholders

    build(production, monkeypatch, capsys, "episode2")
    wav = production / "output" / "episode2" / "episode2.wav"
    before = wav.read_bytes()
    assert placeholders(load(production), "episode2") == 2
    code, _, err = radio(production, monkeypatch, capsys, "takes", "episode2", "--freeze",
                         "--offline")
    assert code == 0, err
    folder = production / "takes" / "episode2"
    assert sorted(p.name for p in folder.iterdir()) == \
        ["ids.tsv", "p001.flac", "p001.json", "p002.flac", "p002.json"]
    assert json.loads((folder / "p001.json").read_text())["frozen"] is True
    assert set(s[0] for s in status(production, monkeypatch, capsys, "episode2").values()) \
        == {"take"}
    assert placeholders(load(production), "episode2") == 0
    build(production, monkeypatch, capsys, "episode2")
    _, report = programme(production, "episode2")
    assert report["paragraphs"] == {"take": 2, "stale": 0, "synth": 0}
    assert wav.read_bytes() == before


def test_pin_writes_ids_and_nothing_else(production, monkeypatch, capsys):
    script = production / "scripts" / "episode1.md"
    original = script.read_bytes().replace(b"\n", b"\r\n")   # a script saved on Windows
    script.write_bytes(original)
    status(production, monkeypatch, capsys)
    code, _, err = radio(production, monkeypatch, capsys, "takes", "episode1", "--pin")
    assert code == 0, err
    pinned = script.read_bytes()
    old_lines, new_lines = original.split(b"\r\n"), pinned.split(b"\r\n")
    changed = [(a, b) for a, b in zip(old_lines, new_lines) if a != b]
    assert len(old_lines) == len(new_lines) and len(changed) == 3
    assert all(b == a + f" {{#p00{i}}}".encode() for i, (a, b) in enumerate(changed, 1))
    assert status(production, monkeypatch, capsys) == status(production, monkeypatch, capsys)
    code, _, _ = radio(production, monkeypatch, capsys, "takes", "episode1", "--pin")
    assert code == 0 and script.read_bytes() == pinned



@pytest.mark.parametrize("flags", [("--status", "--pin"), ("--pin", "--status"),
                                   ("--status", "--freeze"), ("--freeze", "--pin")])
def test_two_modes_at_once_are_refused_and_change_nothing(production, monkeypatch, capsys,
                                                          flags):
    """`radio takes episode1 --status --pin` used to pin (the last flag won): the script
    was rewritten when the producer asked for a status."""
    script = production / "scripts" / "episode1.md"
    before = script.read_bytes()
    code, out, err = radio(production, monkeypatch, capsys, "takes", "episode1", *flags)
    assert code == 2, (out, err)
    assert "--status" in err and "--pin" in err and "--freeze" in err
    assert script.read_bytes() == before
    takes = production / "takes" / "episode1"
    assert not takes.exists() or not list(takes.glob("*.flac"))


# -- the recording script in a browser ----------------------------------------

@pytest.fixture
def demo(tmp_path):
    """The repository's own scripts (audio is not needed for the recording script)."""
    root = tmp_path / "demo"
    shutil.copytree(REPO / "scripts", root / "scripts")
    for name in ("radio.toml", "pronunciations.tsv"):
        if (REPO / name).exists():
            shutil.copy(REPO / name, root / name)
    if not (root / "radio.toml").exists():
        (root / "radio.toml").write_text("[production]\ntitle = \"Demo\"\n")
    return root


def test_recording_script_in_headless_chromium(demo, monkeypatch, capsys, tmp_path):
    from radio.pipeline.build import load_lexicon
    from radio.config import load
    from radio.pipeline.prepare import load_episodes
    from radio.speech.normalize import explain

    chromium, driver_path = require_tool("chromium"), require_tool("chromedriver")
    code, _, err = radio(demo, monkeypatch, capsys, "takes", "episode1")
    assert code == 0, err
    page = demo / "output" / "episode1" / "episode1.takes.html"
    production = load(demo)
    episode = load_episodes(production, ["episode1"])[0]
    lexicon = load_lexicon(production)
    expected = []
    for paragraph in episode.paragraphs:
        rewrites = [f"{r.written} → {r.spoken}" for r in explain(paragraph.text, lexicon)[1]
                    if r.written != r.spoken]
        expected.append(list(dict.fromkeys(rewrites)))
    assert sum(map(bool, expected)) > 3

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", f"--user-data-dir={tmp_path / 'chrome'}",
                 "--window-size=1100,1500", "--hide-scrollbars"):
        options.add_argument(flag)
    browser = webdriver.Chrome(options=options, service=Service(driver_path))
    try:
        browser.get(page.as_uri())
        blocks = browser.find_elements(By.CSS_SELECTOR, "section.para")
        assert len(blocks) == len(episode.paragraphs)
        ids = [b.find_element(By.CSS_SELECTOR, ".id").text for b in blocks]
        assert ids == [f"p{i:03d}" for i in range(1, len(ids) + 1)]
        assert all(b.size["height"] > 40 and b.is_displayed() for b in blocks)
        for block, paragraph, readings in zip(blocks, episode.paragraphs, expected):
            assert block.find_element(By.CSS_SELECTOR, ".speaker").text.startswith(
                paragraph.speaker)
            assert block.find_element(By.CSS_SELECTOR, ".text").text == paragraph.text
            shown = [li.text for li in block.find_elements(By.CSS_SELECTOR, ".reading li")]
            assert shown == readings
        text = browser.find_element(By.TAG_NAME, "main").text
        assert "Đọc là" in text and "Chưa thu" in text
        assert all(s.name in text for s in episode.speakers)
        out = REPO / "output"
        out.mkdir(exist_ok=True)
        browser.save_screenshot(str(out / "takes-screenshot.png"))
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        browser.set_window_size(680, 1500)            # A4 less its margins, at 96 dpi
        browser.save_screenshot(str(out / "takes-screenshot-print.png"))
    finally:
        browser.quit()


def test_questions_only_read_and_register_writes(production, tmp_path):
    from radio.config import load
    from radio.pipeline.prepare import load_episodes
    from radio.takes import Takes

    prod = load(production)
    episode = load_episodes(prod, ["episode1"])[0]
    folder = production / "takes" / "episode1"
    assert Takes(prod).ids(episode) and not folder.exists()        # a question: no ids.tsv
    Takes(prod).register(episode)
    assert sorted(p.name for p in folder.iterdir()) == ["ids.tsv"]
    tone_take(folder / "p001.wav", seconds=0.8)
    takes = Takes(prod)
    assert [s.state for s in takes.states(episode)][:2] == ["take", "synth"]
    assert sorted(p.name for p in folder.iterdir()) == ["ids.tsv", "p001.wav"]   # no sidecar
    takes.register(episode)
    assert sorted(p.name for p in folder.iterdir()) == ["ids.tsv", "p001.json", "p001.wav"]
    assert json.loads((folder / "p001.json").read_text())["text"].startswith("Kính thưa")
