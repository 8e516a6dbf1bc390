"""The recording booth in headless Chromium with a fake microphone: record p003, accept,
find the take registered; and the booth's refusals (nothing written)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
import wave

import numpy as np
import pytest

from conftest import headless_chromium
from test_preview import js, screenshot, wait_for
from test_studio_e2e import studio  # noqa: F401 (a fixture)

RATE = 48000


@pytest.fixture(scope="module")
def fake_mic(tmp_path_factory):
    """A 6-second test signal (two tones, -12 dBFS) Chromium plays as its microphone."""
    path = tmp_path_factory.mktemp("mic") / "voice.wav"
    t = np.arange(RATE * 6) / RATE
    signal = 0.25 * np.sin(2 * np.pi * 330 * t) + 0.12 * np.sin(2 * np.pi * 1210 * t)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((signal * 32767).astype("<i2").tobytes())
    return path


@pytest.fixture(scope="module")
def mic_browser(tmp_path_factory, fake_mic):
    yield from headless_chromium(tmp_path_factory, "1400,1100",
                                 ("--use-fake-ui-for-media-stream",
                                  "--use-fake-device-for-media-stream",
                                  f"--use-file-for-fake-audio-capture={fake_mic}"))


def key(driver, name: str) -> None:
    js(driver, f"document.dispatchEvent(new KeyboardEvent('keydown', {{key: '{name}'}}));")


def test_record_p003_with_the_microphone(studio, mic_browser, tmp_path):  # noqa: F811
    from selenium.webdriver.common.by import By

    server, root = studio
    driver = mic_browser
    driver.get(server.url + "#/booth/episode1")
    rows = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#booth-list li"), 15,
                    "the booth's paragraphs")
    assert [r.get_attribute("data-pid") for r in rows] == ["p001", "p002", "p003"]
    assert "mười bốn tháng mười" in rows[1].text        # "Đọc là" where it differs
    expected = [re.search(r"dự kiến (\S+) giây", r.text).group(1) for r in rows]
    assert all(re.fullmatch(r"\d+(,\d+)?", e) for e in expected), expected   # 11,4: vi numbers
    key(driver, "ArrowDown")
    key(driver, "ArrowDown")
    assert driver.find_element(By.CSS_SELECTOR, "#booth-list li.current") \
        .get_attribute("data-pid") == "p003"
    key(driver, " ")
    wait_for(lambda: driver.execute_script("return document.body.dataset.booth") == "recording",
             10, "the recording to start")
    time.sleep(2.5)
    level = js(driver, "return parseFloat(document.getElementById('booth-level').style.width)")
    assert level > 5, level                              # the meter moves
    screenshot(driver, "studio-booth-recording.png")
    key(driver, " ")
    wait_for(lambda: driver.execute_script("return document.body.dataset.booth") == "recorded",
             10, "the recording to stop")
    assert driver.execute_script("return document.body.dataset.flags") == "0"   # a good take
    said = driver.find_element(By.ID, "booth-state").text   # "Đã thu 2,6 giây...": vi numbers
    assert re.search(r"Đã thu \d+,\d giây", said), said
    driver.find_element(By.ID, "booth-accept").click()
    wait_for(lambda: driver.execute_script("return document.body.dataset.booth") == "accepted",
             10, "the take to be accepted")
    take = root / "takes" / "episode1" / "p003.wav"
    assert take.exists() and (root / "takes" / "episode1" / "p003.json").exists()
    with wave.open(str(take)) as recorded:
        frames = recorded.readframes(recorded.getnframes())
        rate = recorded.getframerate()
    samples = np.frombuffer(frames, "<i2").astype(np.float64)
    assert 1.5 < len(samples) / rate < 5
    spectrum = np.abs(np.fft.rfft(samples[rate // 2: rate // 2 + rate]))
    freqs = np.fft.rfftfreq(rate, 1 / rate)
    assert abs(freqs[np.argmax(spectrum)] - 330) < 5     # the test signal, not silence
    wait_for(lambda: "đã thu" in driver.find_element(
        By.CSS_SELECTOR, '#booth-list li[data-pid="p003"]').text, 10, "p003 shown recorded")
    status = subprocess.run([sys.executable, "-m", "radio.cli", "takes", "episode1", "--status"],
                            cwd=root, capture_output=True, text=True, timeout=60)
    assert status.returncode == 0, status.stderr
    assert any(line.startswith("p003\ttake\t") for line in status.stdout.splitlines())
    screenshot(driver, "studio-booth-accepted.png")

    # the programme rebuilt in the background holds the take: the test signal at p003's place
    def take_in_mix():
        data = json.loads(urllib.request.urlopen(
            server.url + "episodes/episode1/preview/api/data", timeout=10).read())
        segment = next(s for s in data["segments"] if s.get("paragraph_id") == "p003")
        return (data, segment) if segment.get("engine") == "take" else None

    data, segment = wait_for(take_in_mix, 60, "the rebuilt mix with the take")
    from radio.audio.wav import read_layout, samples

    mix = tmp_path / "mix.wav"
    mix.write_bytes(urllib.request.urlopen(server.url.rstrip("/") + data["audio"],
                                           timeout=10).read())
    pcm = np.asarray(samples(read_layout(mix))[:, 0], dtype=np.float64)
    first = round(segment["start_ms"] * 44.1) + 22050
    span = pcm[first:first + 44100]
    spectrum = np.abs(np.fft.rfft(span))
    peak_hz = np.fft.rfftfreq(len(span), 1 / 44100)[np.argmax(spectrum)]
    assert abs(peak_hz - 330) < 5, peak_hz


def test_booth_refusals_write_nothing(studio):  # noqa: F811
    import http.client

    server, root = studio

    def post(path, body: bytes, token: str | None, cookie: str):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        headers = {"Origin": f"http://127.0.0.1:{server.port}", "Cookie": cookie}
        if token:
            headers["X-CSRF-Token"] = token
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/api/session")
    response = conn.getresponse()
    cookie = response.headers["set-cookie"].split(";")[0]
    token = json.loads(response.read())["csrf"]
    before = sorted(p.name for p in (root / "takes").rglob("*")) if (root / "takes").exists() \
        else []
    wav = (root / "audio_assets" / "jingles" / "intro.ogg").read_bytes()
    assert post("/api/episodes/episode1/takes/p099?type=ogg", wav, token, cookie)[0] == 422
    assert post("/api/episodes/episode1/takes/p002?type=wav", b"<html>" * 20, token,
                cookie)[0] == 415
    assert post("/api/episodes/episode1/takes/p002?type=ogg", wav, None, cookie)[0] == 403
    assert post("/api/episodes/nothere/takes/p002?type=ogg", wav, token, cookie)[0] == 404
    after = sorted(p.name for p in (root / "takes").rglob("*")) if (root / "takes").exists() \
        else []
    assert [n for n in after if not n.startswith("ids")] == \
        [n for n in before if not n.startswith("ids")]


def test_booth_keys_stay_on_the_narrators_rows(studio, mic_browser):  # noqa: F811
    """With the narrator filter, the arrows move between that narrator's paragraphs only,
    and a recording not accepted stays with its paragraph: moving on drops it, so Enter
    never saves it as another paragraph's take."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    server, root = studio
    driver = mic_browser
    folder = root / "takes" / "episode1"
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} \
        if folder.exists() else {}
    driver.get(server.url + "#/booth/episode1")
    wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#booth-list li"), 15,
             "the booth's paragraphs")
    current = lambda: driver.find_element(  # noqa: E731
        By.CSS_SELECTOR, "#booth-list li.current").get_attribute("data-pid")

    for _ in range(3):
        key(driver, "ArrowUp")                 # from where an earlier test left it
    Select(driver.find_element(By.ID, "booth-speaker")).select_by_value("MC1")
    assert current() == "p001"
    key(driver, "ArrowDown")
    assert current() == "p003"                 # p002 is MC2's: hidden, skipped
    key(driver, "ArrowDown")
    assert current() == "p003"
    key(driver, "ArrowUp")
    assert current() == "p001"

    Select(driver.find_element(By.ID, "booth-speaker")).select_by_value("MC2")
    assert current() == "p002"                 # the highlighted row is a visible one
    assert driver.find_element(By.CSS_SELECTOR, "#booth-list li.current").is_displayed()
    key(driver, " ")
    wait_for(lambda: driver.execute_script("return document.body.dataset.booth") == "recording",
             10, "the recording to start")
    time.sleep(1.0)
    key(driver, "ArrowUp")                     # a recording stays with its row
    assert current() == "p002"
    key(driver, " ")
    wait_for(lambda: driver.execute_script("return document.body.dataset.booth") == "recorded",
             10, "the recording to stop")

    Select(driver.find_element(By.ID, "booth-speaker")).select_by_value("")
    assert current() == "p002"
    key(driver, "ArrowDown")                   # to p003, leaving p002's recording behind
    assert current() == "p003"
    assert driver.find_element(By.ID, "booth-accept").get_attribute("disabled") is not None
    key(driver, "Enter")
    time.sleep(1.5)
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} \
        if folder.exists() else {}
    assert {k: v for k, v in after.items() if k != "ids.tsv"} == \
        {k: v for k, v in before.items() if k != "ids.tsv"}


def test_a_paragraph_with_two_takes_is_listed_with_what_is_wrong(studio, mic_browser,
                                                                 fake_mic):  # noqa: F811
    """Two files for p002 in takes/episode1/ (one dropped twice, in two cases): the booth
    still lists every paragraph and shows p002's problem in its row."""
    from selenium.webdriver.common.by import By

    server, root = studio
    driver = mic_browser
    folder = root / "takes" / "episode1"
    extra = [folder / "p002.wav", folder / "P002.WAV"]
    assert not any(p.exists() for p in extra)
    try:
        for path in extra:
            path.write_bytes(fake_mic.read_bytes())
        driver.get(server.url + "#/booth/episode1")
        driver.refresh()
        rows = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#booth-list li"), 15,
                        "the booth's paragraphs")
        assert [r.get_attribute("data-pid") for r in rows] == ["p001", "p002", "p003"]
        problem = rows[1].find_element(By.CSS_SELECTOR, ".problem").text
        assert "P002.WAV, p002.wav" in problem and "một bản thu" in problem, problem
        assert not rows[0].find_elements(By.CSS_SELECTOR, ".problem")
        screenshot(driver, "studio-booth-two-takes.png")
    finally:
        for path in extra:
            path.unlink(missing_ok=True)
