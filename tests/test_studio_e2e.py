"""`radio studio` in real headless Chromium: open, edit, see a problem at its line, fix,
save, hear the changed paragraph, see the full mix replaced, build, see it finish.

The studio's uvicorn runs in a thread of this process on a free loopback port, with
its synthesizers' helpers started first (as `radio studio` does).  Screenshots go to
output/studio-*.png in the repository (git-ignored) for a person to look at.
"""
from __future__ import annotations

import json
import shutil
import urllib.request

import pytest

from conftest import ROOTS
from radio.config import load
from radio.log import Log
from test_preview import browser, js, screenshot, wait_for  # noqa: F401 (a fixture)

FIXED = "Xin chân thành cảm ơn quý vị và các bạn đã lắng nghe chương trình."


@pytest.fixture(scope="module")
def studio(tmp_path_factory, example_assets):
    from radio.pipeline.build import make_synthesizer
    from radio.pipeline.options import BuildOptions
    from radio.studio import allowed_hosts, make_app
    from radio.studio.serve import Listener, Server

    root = tmp_path_factory.mktemp("studio") / "mini"
    shutil.copytree(ROOTS / "mini", root)
    shutil.copytree(example_assets, root / "audio_assets")
    prod = load(root)
    synths = [make_synthesizer(prod, BuildOptions()).start() for _ in range(2)]
    app, live = make_app(prod, {"allowed_hosts": allowed_hosts("127.0.0.1")}, None, *synths,
                         tmp_path_factory.mktemp("studio-work"), Log(0))
    server = Server(app, Listener("127.0.0.1", 0)).start()
    live.start()
    try:
        yield server, root
    finally:
        live.stop()
        server.stop()
        for synth in synths:
            synth.close()


def set_text(driver, text: str) -> None:
    """Replace the editor's text as typing does (an input event follows)."""
    driver.execute_script("const s = document.getElementById('source'); s.value = arguments[0];"
                          "s.dispatchEvent(new Event('input', {bubbles: true}));", text)


def test_edit_check_save_hear_build(studio, browser):  # noqa: F811 (the fixture)
    from selenium.webdriver.common.by import By

    server, root = studio
    browser.get(server.url)
    rows = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#episodes tbody tr"), 15,
                    "the episodes list")
    assert [r.get_attribute("data-name") for r in rows] == ["episode1", "episode2"]
    assert "bản nháp" in rows[0].text and "3 chưa thu" in rows[0].text
    screenshot(browser, "studio-episodes.png")

    rows[0].find_element(By.TAG_NAME, "a").click()
    wait_for(lambda: browser.execute_script("return document.body.dataset.checked"), 15,
             "the first check of the script")
    original = browser.find_element(By.ID, "source").get_attribute("value")
    assert original == (root / "scripts" / "episode1.md").read_text(encoding="utf-8")
    lines = original.split("\n")
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("MC1: Xin cảm ơn"))

    # an undeclared speaker: the problem shows at its line while typing (nothing saved)
    broken = original.replace("MC1: Xin cảm ơn quý vị đã lắng nghe.", "MC9: " + FIXED)
    set_text(browser, broken)
    number = wait_for(lambda: browser.find_element(
        By.CSS_SELECTOR, f'#gutter .num.bad[data-line="{line}"]'), 10, "the problem's line")
    assert "MC9" in number.get_attribute("title")
    problem = browser.find_element(By.CSS_SELECTOR, "#problems .problem")
    assert f"scripts/episode1.md:{line}" in problem.text and "MC9" in problem.text
    assert (root / "scripts" / "episode1.md").read_text(encoding="utf-8") == original
    screenshot(browser, "studio-editor-problem.png")

    fixed = original.replace("Xin cảm ơn quý vị đã lắng nghe.", FIXED)
    set_text(browser, fixed)
    wait_for(lambda: not browser.find_elements(By.CSS_SELECTOR, "#problems .problem.error")
             and not browser.find_elements(By.CSS_SELECTOR, "#gutter .num.bad"), 10,
             "the problem to go away")

    # the first full mix is there before the save (the page's preview frame shows it)
    frame_version = ("const d = document.getElementById('preview').contentDocument;"
                     "return d && d.body ? +(d.body.dataset.version || 0) : 0;")
    first = wait_for(lambda: js(browser, frame_version), 30, "the first full mix")

    js(browser, "window.__t0 = performance.now(); const a = document.getElementById('audition');"
                "a.addEventListener('canplay', () => { window.__heard = performance.now() - "
                "window.__t0; }, {once: true}); document.getElementById('save').click();")
    heard_ms = wait_for(lambda: js(browser, "return window.__heard"), 10,
                        "the changed paragraph to be playable")
    print(f"save -> changed paragraph playable: {heard_ms:.0f} ms")
    assert heard_ms < 1000
    assert (root / "scripts" / "episode1.md").read_text(encoding="utf-8") == fixed
    assert browser.find_element(By.ID, "audition").get_attribute("data-line") == str(line)
    played = wait_for(lambda: js(browser, "const a = document.getElementById('audition');"
                                          "return !a.paused && a.currentTime > 0.3 && "
                                          "a.currentTime;"), 10, "the paragraph playing")
    assert played > 0.3
    duration = js(browser, "return document.getElementById('audition').duration")
    assert 2.0 < duration < 12.0
    screenshot(browser, "studio-editor-saved.png")

    # the full mix is rebuilt in the background and replaces the frame's audio
    wait_for(lambda: js(browser, frame_version) > first, 60, "the rebuilt full mix")
    text = js(browser, "return document.getElementById('preview').contentDocument"
                       ".getElementById('script').textContent")
    assert FIXED in text

    # release: a build from the page, its progress and its files
    browser.get(server.url + "#/release")
    browser.find_element(By.CSS_SELECTOR, '.job[data-kind="build"]').click()
    state = wait_for(lambda: (lambda s: s if s in ("done", "failed") else None)(
        browser.find_element(By.ID, "job-state").get_attribute("data-state")), 120,
        "the build to finish")
    assert state == "done", browser.find_element(By.ID, "job").text
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "#job-files a")]
    mp3 = next(link for link in links if link.endswith("episode1/episode1.mp3"))
    with urllib.request.urlopen(mp3, timeout=10) as response:
        assert response.status == 200 and len(response.read()) > 10_000
    assert "episode1" in browser.find_element(By.ID, "job-log").text
    screenshot(browser, "studio-release.png")

    browser.get(server.url + "#/")
    wait_for(lambda: "đạt mục tiêu" in browser.find_element(By.ID, "episodes").text, 10,
             "the built episode's loudness in the list")


def test_pronunciations_and_assets_pages(studio, browser):  # noqa: F811
    from selenium.webdriver.common.by import By

    server, root = studio
    browser.get(server.url + "#/pron")
    # Shown once the page has loaded the file (the element is there, hidden, before).
    wait_for(lambda: browser.find_element(By.ID, "pron-sample").is_displayed(), 10, "the editor")
    browser.find_element(By.ID, "pron-sample").clear()
    browser.find_element(By.ID, "pron-sample").send_keys("Cam VQ rất ngọt.")
    wait_for(lambda: "vê" in browser.find_element(By.ID, "pron-spoken").text.lower(), 10,
             "the built-in reading")
    js(browser, "const t = document.getElementById('pron-text'); t.value += 'VQ\\tVũ Quang\\n';"
                "t.dispatchEvent(new Event('input', {bubbles: true}));")
    wait_for(lambda: "Cam Vũ Quang rất ngọt" in browser.find_element(By.ID, "pron-spoken").text,
             10, "the live 'Đọc là' with the new line")
    browser.find_element(By.ID, "pron-save").click()
    wait_for(lambda: "VQ\tVũ Quang" in (root / "pronunciations.tsv").read_text(encoding="utf-8")
             if (root / "pronunciations.tsv").exists() else False, 10, "the saved file")
    screenshot(browser, "studio-pronunciations.png")

    browser.get(server.url + "#/assets")
    wait_for(lambda: "jingles/intro.ogg" in browser.find_element(By.ID, "assets").text, 10,
             "the list of recordings")
    browser.find_element(By.ID, "upload-file").send_keys(
        str(root / "audio_assets" / "jingles" / "intro.ogg"))
    browser.find_element(By.CSS_SELECTOR, "#upload-folder option[value='sfx'], "
                                          "#upload-folder option:nth-child(4)").click()
    browser.find_element(By.CSS_SELECTOR, "#upload button").click()
    wait_for(lambda: "sfx/intro.ogg" in browser.find_element(By.ID, "assets").text, 10,
             "the uploaded file")
    assert (root / "audio_assets" / "sfx" / "intro.ogg").read_bytes() == \
        (root / "audio_assets" / "jingles" / "intro.ogg").read_bytes()
    screenshot(browser, "studio-assets.png")
    assert json.loads(urllib.request.urlopen(server.url + "api/messages?lang=en").read())[
        "nav.release"] == "Release"


def test_page_clocks_write_durations_as_the_command_line_does(browser):  # noqa: F811
    """The studio's and the preview's clocks, run in the browser, against `timecode`: the
    episode list's M:SS (599.6 s is 10:00; it showed 9:60) and the preview's MM:SS.d."""
    import re
    from pathlib import Path

    from radio.clock import timecode

    source = (Path(__file__).parents[1] / "radio" / "studio" / "static" / "studio.js").read_text(
        encoding="utf-8")
    clock = re.search(r"\n  function clock\(seconds\) \{\n.*?\n  \}\n", source, re.S).group(0)
    values = [0, 0.4, 59.4, 59.6, 119.5, 599.6, 622.957, 3599.7, 58.5, 612.5]
    shown = browser.execute_script(clock + "return arguments[0].map(clock);", values)
    assert shown == [timecode(v) for v in values]
    assert shown[3] == "1:00" and shown[5] == "10:00"
    assert browser.execute_script(clock + "return clock(null);") == "–"

    # The preview's MM:SS.d, cut to the tenth as `timecode(..., tenths=True)` (not rounded:
    # 59.97 s showed as 00:60.0), after a decimal comma in Vietnamese.
    source = (Path(__file__).parents[1] / "radio" / "preview" / "preview.js").read_text(
        encoding="utf-8")
    clock = re.search(r"\n  function clock\(seconds\) \{\n.*?\n  \}\n", source, re.S).group(0)
    values = [0, 0.05, 2.3, 59.97, 599.99, 622.957, 612.5, 0.7]
    run = "window.RADIO_I18N = {lang: arguments[1]};" + clock + "return arguments[0].map(clock);"
    assert browser.execute_script(run, values, "en") == [timecode(v, tenths=True) for v in values]
    assert browser.execute_script(run, values, "vi") == [
        timecode(v, tenths=True).replace(".", ",") for v in values]
