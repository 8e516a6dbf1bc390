"""`radio publish`: the portal site, the podcast feed, transcripts and chapters.

One tiny production (tests/roots/web: two short episodes of espeak speech and one
interview clip, no music bed, so the programme is silent between sentences) is
published once per module; the feed is read by feedparser, the captions by
webvtt-py and by headless Chromium through a <track>, and the episode page is
driven in Chromium over HTTP and from file://.  Screenshots go to
output/publish-*.png in the repository (git-ignored) for a person to look at.
"""
from __future__ import annotations

import http.server
import json
import re
import shutil
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from clirun import run_radio
from conftest import REPO, ROOTS, headless_chromium

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
PODCAST = "{https://podcastindex.org/namespace/1.0}"
NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
BASE = "https://example.gov.vn/podcast/"


@pytest.fixture(scope="module")
def prod(tmp_path_factory, example_assets) -> Path:
    root = tmp_path_factory.mktemp("publish") / "web"
    shutil.copytree(ROOTS / "web", root)
    shutil.copytree(example_assets, root / "audio_assets")
    # Synthesized paragraphs are placeholders for recorded takes: without takes a
    # production is a draft (as its disc is); the voice timings are what is tested here.
    code, out, err = run_radio(["publish"], root)
    assert code == 2 and "placeholders" in err and "--allow-draft" in err
    code, out, err = run_radio(["publish", "--allow-draft"], root)
    assert code == 0, err
    assert "published output/web/" in out
    return root


@pytest.fixture(scope="module")
def web(prod) -> Path:
    return prod / "output" / "web"


def wav_mono(path: Path) -> tuple[np.ndarray, int]:
    import wave

    with wave.open(str(path), "rb") as wav:
        rate, channels = wav.getframerate(), wav.getnchannels()
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    return data.reshape(-1, channels).astype(np.float32).mean(axis=1) / 32768.0, rate


def onsets(samples: np.ndarray, rate: int, quiet_s: float = 0.12) -> list[float]:
    """Where sound starts again after at least *quiet_s* of silence (10 ms windows)."""
    window = rate // 100
    count = len(samples) // window
    rms = np.sqrt((samples[:count * window].reshape(count, window) ** 2).mean(axis=1))
    loud = rms > 10 ** (-45 / 20)
    found, quiet = [], 0
    for index, flag in enumerate(loud):
        if flag and quiet * 0.01 >= quiet_s:
            found.append(index * 0.01)
        quiet = 0 if flag else quiet + 1
    return found


def seconds(stamp: str) -> float:
    """A WebVTT time stamp in seconds (webvtt-py's start_in_seconds drops the ms)."""
    hours, minutes, rest = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


# --- the feed -----------------------------------------------------------------------------

def test_feed_has_every_tag_apple_and_podcast_index_need(web):
    import feedparser

    data = (web / "feed.xml").read_bytes()
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.title == "Cam Hà Tĩnh trên sóng (Bản nháp)"
    assert parsed.feed.language == "vi"
    assert parsed.feed.image.href == BASE + "cover.png"
    assert len(parsed.entries) == 2

    channel = ET.fromstring(data).find("channel")
    for tag in ("title", "description", "language", "link", f"{ITUNES}image",
                f"{ITUNES}category", f"{ITUNES}explicit", f"{ITUNES}author", f"{ITUNES}owner",
                f"{PODCAST}guid", f"{PODCAST}locked"):
        assert channel.find(tag) is not None, tag
    assert channel.findtext("link") == BASE
    assert channel.find(f"{ITUNES}image").get("href") == BASE + "cover.png"
    # RSS 2.0's <image> for plain feed readers: its title and link are the channel's
    image = channel.find("image")
    assert (image.findtext("url"), image.findtext("title"), image.findtext("link")) == \
        (BASE + "cover.png", channel.findtext("title"), BASE)
    assert channel.find(f"{ITUNES}category").get("text") == "Government"
    assert channel.findtext(f"{ITUNES}explicit") == "false"
    owner = channel.find(f"{ITUNES}owner")
    assert owner.findtext(f"{ITUNES}email") == "podcast@example.gov.vn"
    assert owner.findtext(f"{ITUNES}name") == "Sở Thông tin và Truyền thông Hà Tĩnh"
    locked = channel.find(f"{PODCAST}locked")
    assert (locked.text, locked.get("owner")) == ("no", "podcast@example.gov.vn")
    # UUIDv5 of the feed URL without scheme and trailing slash
    assert channel.findtext(f"{PODCAST}guid") == str(
        uuid.uuid5(NAMESPACE, "example.gov.vn/podcast/feed.xml"))

    items = {i.findtext(f"{ITUNES}episode"): i for i in channel.findall("item")}
    first = items["1"]
    assert first.findtext("pubDate") == "Sat, 15 Jan 2022 12:00:00 +0000"   # date: in the script
    assert items["2"].findtext("pubDate") == "Tue, 30 Nov 2021 12:00:01 +0000"   # the build clock
    for name, item in (("tin1", first), ("tin2", items["2"])):
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "false" and guid.text
        enclosure = item.find("enclosure")
        assert enclosure.get("type") == "audio/mpeg"
        assert enclosure.get("url") == f"{BASE}{name}/{name}.mp3"
        assert int(enclosure.get("length")) == (web / name / f"{name}.mp3").stat().st_size
        report = json.loads((web.parent / name / f"{name}.web.json").read_text())
        h, m, s = map(int, item.findtext(f"{ITUNES}duration").split(":"))
        assert h * 3600 + m * 60 + s == round(report["duration_s"])
        chapters = item.find(f"{PODCAST}chapters")
        assert chapters.get("type") == "application/json+chapters"
        assert chapters.get("url") == f"{BASE}{name}/chapters.json"
        kinds = {t.get("type"): t for t in item.findall(f"{PODCAST}transcript")}
        assert set(kinds) == {"text/vtt", "application/x-subrip"}
        assert all(t.get("language") == "vi" for t in kinds.values())
        assert kinds["text/vtt"].get("url") == f"{BASE}{name}/{name}.vtt"
    guids = [i.findtext("guid") for i in channel.findall("item")]
    assert len(set(guids)) == 2


def test_chapters_json_follows_podcasting_2_0(web, prod):
    data = json.loads((web / "tin1" / "chapters.json").read_text(encoding="utf-8"))
    report = json.loads((prod / "output" / "tin1" / "tin1.web.json").read_text())
    assert data["version"] == "1.2.0"
    assert [c["title"] for c in data["chapters"]] == ["Mở đầu", "Mùa cam", "Kết thúc"]
    assert [c["startTime"] for c in data["chapters"]] == \
        [c["start_ms"] / 1000 for c in report["chapters"]]


# --- the captions -------------------------------------------------------------------------

def test_vtt_cues_are_sentences_in_order_inside_the_programme(web, prod):
    import webvtt

    report = json.loads((prod / "output" / "tin1" / "tin1.web.json").read_text())
    captions = webvtt.read(str(web / "tin1" / "tin1.vtt"))
    assert len(captions) >= 8
    previous_end = 0.0
    for caption in captions:
        assert previous_end <= seconds(caption.start) < seconds(caption.end)
        assert seconds(caption.end) <= report["duration_s"]
        previous_end = seconds(caption.end)
        lines = caption.text.splitlines()
        assert 1 <= len(lines) <= 2
        assert all(len(line) <= 42 for line in lines), lines
        assert seconds(caption.end) - seconds(caption.start) <= 7.0
        assert caption.raw_text.startswith("<v Người dẫn ")   # the voice tag
    spoken = [c.text.replace("\n", " ") for c in captions]
    assert spoken[0] == "Kính thưa quý vị!" and spoken[1] == "Đây là bản tin cam Hà Tĩnh."
    # the long sentence (over 7 s) is cut, never a short one
    assert "Theo Kế hoạch số 381/KH-UBND" in spoken[4] and not spoken[4].endswith(".")
    # text as written, not as read aloud
    assert "14/10/2021" in " ".join(spoken) and "mười bốn" not in " ".join(spoken)
    srt = (web / "tin1" / "tin1.srt").read_text(encoding="utf-8")
    assert srt.count(" --> ") == len(captions) and "00:00:" in srt and "," in srt


def test_sentence_cues_start_where_their_audio_starts(web, prod):
    """Each sentence's cue within 0.3 s of its sound in the published programme
    (no music here: the silence before a sentence ends where its voice begins)."""
    import webvtt
    from radio.web.timings import split_sentences

    samples, rate = wav_mono(prod / "output" / "tin1" / "tin1.web.wav")
    found = onsets(samples, rate)
    script = (prod / "scripts" / "tin1.md").read_text(encoding="utf-8")
    sentences = [s for line in script.splitlines() if line.startswith("MC")
                 for s in split_sentences(line.split(":", 1)[1])]
    checked = 0
    for caption in webvtt.read(str(web / "tin1" / "tin1.vtt")):
        text = caption.text.replace("\n", " ")
        if not any(s.startswith(text) for s in sentences):
            continue   # the second half of a long sentence
        nearest = min(found, key=lambda t: abs(t - seconds(caption.start)))
        assert abs(nearest - seconds(caption.start)) <= 0.3, (text, nearest)
        checked += 1
    assert checked == len(sentences) == 7


# --- the rules ----------------------------------------------------------------------------

def test_republishing_rewrites_nothing_and_gives_the_same_bytes(prod, web):
    before = {p: p.read_bytes() for p in web.rglob("*") if p.is_file()}
    stamps = {p: p.stat().st_mtime_ns for p in before}
    code, out, err = run_radio(["publish", "--allow-draft"], prod)
    assert code == 0, err
    assert "files written: 0," in out
    after = {p: p.read_bytes() for p in web.rglob("*") if p.is_file()}
    assert after == before
    assert {p: p.stat().st_mtime_ns for p in after} == stamps


def test_draft_is_refused_then_marked(production):
    code, out, err = run_radio(["publish"], production)
    assert code == 2
    assert "draft" in err and "--allow-draft" in err and "radio.toml" in err
    assert not (production / "output" / "web").exists()
    code, out, err = run_radio(["publish", "--allow-draft"], production)
    assert code == 0, err
    assert "no feed was written" in err and "base_url" in err   # no base URL: no feed
    assert "embed.html" in err and "relative" in err   # nor a snippet to paste elsewhere
    web = production / "output" / "web"
    assert not (web / "feed.xml").exists()
    for page in [web / "index.html", *web.glob("*/index.html"), *web.glob("*/embed.html")]:
        assert "bản nháp" in page.read_text(encoding="utf-8").lower(), page
    assert 'href="feed.xml"' not in (web / "index.html").read_text(encoding="utf-8")


def test_cover_is_3000_px_and_a_configured_one_is_checked(web, production):
    from radio.web.cover import image_size
    from radio.targets.cover import generated_cover

    assert image_size((web / "cover.png").read_bytes()) == ("png", 3000, 3000)
    toml = production / "radio.toml"
    (production / "small.png").write_bytes(generated_cover("x", 500))
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'status = "draft"', 'status = "draft"\ncover = "small.png"'), encoding="utf-8")
    code, _, err = run_radio(["publish", "--allow-draft"], production)
    assert code == 2
    assert "small.png is 500x500 pixels" in err and "1400 to 3000" in err


def test_a_bad_base_url_is_refused(production):
    code, _, err = run_radio(["publish", "--allow-draft", "--base-url", "example.gov.vn"],
                             production)
    assert code == 2 and "http:// or https://" in err
    # written in radio.toml: the message names the file and the line to fix
    config = production / "radio.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + '\n[web]\nbase_url = "example.gov.vn/podcast"\n', encoding="utf-8")
    line = len((text + "\n[web]\n").splitlines()) + 1
    code, _, err = run_radio(["publish", "--allow-draft"], production)
    assert code == 2 and err.startswith(f"radio.toml:{line}: ") and "http://" in err, err
    assert not (production / "output").exists()
    # the feed's address given for the folder's: every URL in the feed would be wrong
    code, _, err = run_radio(["publish", "--allow-draft", "--base-url",
                              "https://example.gov.vn/podcast/feed.xml"], production)
    assert code == 2 and "https://example.gov.vn/podcast/ " in err, err
    assert not (production / "output").exists()


# --- in the browser -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    yield from headless_chromium(tmp_path_factory, "1280,1000")


@pytest.fixture(scope="module")
def server(web):
    """The site over HTTP on 127.0.0.1, .vtt served as text/vtt (as the README says)."""
    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                          ".vtt": "text/vtt", ".srt": "application/x-subrip"}

        def log_message(self, *args):
            pass

        def send_head(self):
            """Byte ranges, as every real web server answers them (browsers seek with them)."""
            match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
            path = Path(self.translate_path(self.path))
            if not match or not path.is_file():
                return super().send_head()
            data = path.read_bytes()
            first = int(match.group(1))
            last = min(int(match.group(2) or len(data) - 1), len(data) - 1)
            self.send_response(206)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Range", f"bytes {first}-{last}/{len(data)}")
            self.send_header("Content-Length", str(last - first + 1))
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            import io
            return io.BytesIO(data[first:last + 1])

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=web))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception as exc:   # the page is between two states
            last = exc
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout} s waiting for {what} (last error: {last!r})")


def js(driver, script: str):
    return driver.execute_script(script)


def screenshot(driver, name: str) -> Path:
    path = REPO / "output" / name
    path.parent.mkdir(exist_ok=True)
    height = js(driver, "return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(height + 140, 800), 3000))
    time.sleep(0.3)
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 1000)
    return path


PLAYER = "document.getElementById('player')"


def drive_episode_page(driver, url: str) -> None:
    """The audio plays; a chapter and a sentence seek; the playing sentence is marked."""
    from selenium.webdriver.common.by import By

    driver.get(url)
    wait_for(lambda: js(driver, f"return {PLAYER}.readyState >= 1"), 15, "the audio's metadata")
    js(driver, f"{PLAYER}.play()")
    wait_for(lambda: js(driver, f"return {PLAYER}.currentTime > 0.5"), 10, "the audio to play")

    chapter = driver.find_elements(By.CSS_SELECTOR, "a.chapter")[1]
    start = float(chapter.get_attribute("data-start"))
    chapter.click()
    wait_for(lambda: abs(js(driver, f"return {PLAYER}.currentTime") - start) <= 0.2,
             5, "the seek to the second chapter")

    sentence = driver.find_elements(By.CSS_SELECTOR, ".s")[5]
    start = float(sentence.get_attribute("data-start"))
    end = float(sentence.get_attribute("data-end"))
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", sentence)
    sentence.click()
    wait_for(lambda: abs(js(driver, f"return {PLAYER}.currentTime") - start) <= 0.2,
             5, "the seek to the sixth sentence")
    assert not js(driver, f"return {PLAYER}.paused")
    marked = wait_for(lambda: driver.find_element(By.CSS_SELECTOR, ".s.current"), 3,
                      "the playing sentence to be marked")
    assert marked.get_attribute("data-start") == sentence.get_attribute("data-start")
    # later, while it plays, the mark moves on to the next sentence
    wait_for(lambda: js(driver, f"return {PLAYER}.currentTime") > end + 0.3, end - start + 5,
             "the sixth sentence to end")
    following = driver.find_element(By.CSS_SELECTOR, ".s.current")
    assert float(following.get_attribute("data-start")) >= end
    js(driver, f"{PLAYER}.pause()")


def test_episode_page_over_http(browser, server):
    drive_episode_page(browser, server + "tin1/index.html")
    text = browser.find_element("css selector", "main").text
    assert "Lời thoại" in text and "[Băng ghi âm: Giọng mẫu]" in text and "Người dẫn nữ" in text
    assert "mười bốn" not in text   # the script as written, not the reading
    # the <track> loads the captions over HTTP
    count = wait_for(lambda: js(browser, f"const t = {PLAYER}.textTracks[0];"
                                         "return t.cues && t.cues.length;"), 10, "the cues")
    assert count >= 8
    assert js(browser, f"return {PLAYER}.textTracks[0].cues[0].text").startswith("<v ")
    fetched = js(browser, "return performance.getEntriesByType('resource').map(e => e.name)")
    assert fetched and all(u.startswith(server) for u in fetched)   # nothing from outside
    js(browser, "window.scrollTo(0, 0)")
    print(screenshot(browser, "publish-episode.png"))
    browser.get(server + "index.html")
    assert "Cam Hà Tĩnh vào mùa" in browser.page_source
    print(screenshot(browser, "publish-series.png"))


def test_episode_page_from_file(browser, web):
    drive_episode_page(browser, (web / "tin1" / "index.html").as_uri())
    assert js(browser, "return location.protocol") == "file:"
    # a chapter link of embed.html (index.html#t=...) opens the page at that time
    browser.get("about:blank")
    browser.get((web / "tin1" / "index.html").as_uri() + "#t=12.500")
    wait_for(lambda: js(browser, f"return {PLAYER}.readyState >= 1"), 15, "the metadata")
    assert js(browser, f"return {PLAYER}.currentTime") == pytest.approx(12.5, abs=0.05)
    embed = (web / "tin1" / "embed.html").read_text(encoding="utf-8")
    assert f'href="{BASE}tin1/index.html#t=' in embed and f'src="{BASE}tin1/tin1.mp3"' in embed


def test_cli_help_names_the_command():
    code, out, _ = run_radio(["publish", "--help"], REPO, check_sources=False)
    assert code == 0 and "--base-url" in out and "--allow-draft" in out


# --- the timings, piece by piece ----------------------------------------------------------

def test_timings_kept_before_this_existed_are_made_again_without_touching_the_audio(prod, web):
    """A speech cache filled before events were kept: publish times it again by
    synthesizing the same text once (never sentence by sentence); the cached audio,
    and so the programme, stays byte for byte what it was."""
    cache = prod / ".radio" / "cache" / "speech"
    events = sorted(cache.rglob("*.events.json"))
    assert len(events) == 4   # one per synthesized paragraph (3 + 1)
    audio = {p: p.read_bytes() for p in cache.rglob("*.wav")}
    vtt = (web / "tin1" / "tin1.vtt").read_bytes()
    kept = {p: p.read_bytes() for p in events}
    for path in events:
        path.unlink()
    code, out, err = run_radio(["-v", "publish", "--allow-draft"], prod)
    assert code == 0, err
    assert out.count("timing a paragraph spoken before timings were kept") == 4
    assert "files written: 0," in out
    assert {p: p.read_bytes() for p in cache.rglob("*.wav")} == audio
    assert {p: p.read_bytes() for p in events} == kept
    assert (web / "tin1" / "tin1.vtt").read_bytes() == vtt


def test_sentences_split_as_written():
    from radio.web.timings import split_sentences

    assert split_sentences("Kính thưa quý vị! Đây là TP. Hà Tĩnh… Xin “chào”. Hết") == \
        ["Kính thưa quý vị!", "Đây là TP. Hà Tĩnh…", "Xin “chào”.", "Hết"]
    assert split_sentences("Kinh phí 40.000.000đ, ngày 14/10/2021.") == \
        ["Kinh phí 40.000.000đ, ngày 14/10/2021."]


def test_a_take_or_gtts_paragraph_is_timed_in_proportion():
    from radio.pipeline.plan import Entry
    from radio.web.timings import segment_sentences

    segment = Entry("speech", 10_000, 16_000, 0, chapter="Mở đầu", speaker="MC1",
                    label="Người dẫn", text="Một hai ba. Bốn năm sáu bảy tám chín.",
                    engine="take")
    first, second = segment_sentences(segment, None, None)
    # 11 of the 36 written characters: 11/36 of the 6 s
    assert (first.start_ms, first.end_ms, second.end_ms) == (10_000, 11_833, 16_000)
    assert first.speaker == "Người dẫn" and not first.exact


def test_espeak_events_place_sentences_exactly():
    from radio.pipeline.plan import Entry
    from radio.web.timings import segment_sentences

    segment = Entry("speech", 1_000, 5_000, 0, speaker="MC1", text="Xin chào. Hẹn gặp lại!",
                    spoken="Xin chào. Hẹn gặp lại!", engine="espeak")
    events = [["sentence", 1, 0, 0], ["word", 1, 3, 0], ["word", 5, 4, 300],
              ["end", 9, 0, 1400], ["sentence", 11, 0, 1400], ["word", 11, 3, 1400],
              ["word", 15, 3, 1700], ["word", 19, 4, 2000]]
    first, second = segment_sentences(segment, events, None)
    assert (first.start_ms, second.start_ms, second.end_ms) == (1_000, 2_400, 5_000)
    assert second.exact


def test_long_sentences_are_cut_into_short_cues():
    from radio.web.subtitles import all_cues, webvtt
    from radio.web.timings import Sentence

    text = ("Theo Kế hoạch số 381/KH-UBND ngày 14/10/2021 của UBND tỉnh, thành phố đã tổ chức "
            "nhiều hoạt động quảng bá cam và các sản phẩm OCOP tại các hội chợ trong tỉnh.")
    cues = all_cues((Sentence(0, 15_000, text, "A <b>", "", True),), 14_000)
    assert len(cues) == 3
    assert " ".join(" ".join(c.lines) for c in cues) == text
    assert all(c.end_ms - c.start_ms <= 7000 and all(len(l) <= 42 for l in c.lines)
               for c in cues)
    assert cues[-1].end_ms == 14_000   # never past the programme's end
    assert "<v A &lt;b&gt;>" in webvtt(cues)


def test_pages_speak_the_language_of_the_production():
    """[production] language, never the interface's: Vietnamese by default, English too."""
    from radio.web.pages import EpisodePage, Site, series_html
    from pathlib import Path

    from radio.targets.report import Report

    report = Report(Path("tin1.json"), "tin1", "scripts/tin1.md", "Cam", 1, True, 125.0, (), (),
                    "broadcast", {}, {}, {}, (), {}, 0)
    page = EpisodePage(report, "", "", "2022-01-15", "tin1.mp3", 1_250_000, (), ())
    vi = series_html(Site("Cam", "Sở", "", "vi", "cover.png", True, True), [page])
    assert "Chuyên đề số 1" in vi and "Thời lượng 2:05" in vi and "ngày 15/1/2022" in vi
    assert "Tải về MP3 (1,2 MB)" in vi and "Bản nháp: chưa phải" in vi and "Bản mẫu" in vi
    assert "Lời thoại và các phần" in vi
    en = series_html(Site("Cam", "Sở", "", "en", "cover.png", False, True), [page])
    assert "Programme 1" in en and "Duration 2:05" in en and "2022-01-15" in en
    assert "Download the MP3 (1.2 MB)" in en and "Draft" not in en


def test_a_configured_jpeg_cover_is_measured(tmp_path):
    import subprocess

    from conftest import ffmpeg_exe
    from radio.web.cover import image_size

    path = tmp_path / "cover.jpg"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i",
                    "color=c=orange:s=1400x1400", "-frames:v", "1", str(path)], check=True)
    assert image_size(path.read_bytes()) == ("jpg", 1400, 1400)
    assert image_size(b"GIF89a....") is None


# --- episode names that are not plain ASCII -------------------------------------------------

NAMED = "Bản tin #2 đặc biệt"          # a script saved as "scripts/Bản tin #2 đặc biệt.md"
NAMED_BASE = "https://example.gov.vn/tin%20t%E1%BB%A9c/podcast/"


@pytest.fixture(scope="module")
def named_web(tmp_path_factory, example_assets) -> Path:
    """A production whose episode is named as producers name files (a space, Vietnamese
    letters, '#'), published under a base URL with a Vietnamese folder, no final slash."""
    root = tmp_path_factory.mktemp("publish-named") / "web"
    shutil.copytree(ROOTS / "web", root)
    shutil.copytree(example_assets, root / "audio_assets")
    (root / "scripts" / "tin1.md").unlink()
    (root / "scripts" / "tin2.md").rename(root / "scripts" / f"{NAMED}.md")
    code, out, err = run_radio(["publish", "--allow-draft", "--base-url",
                                "https://example.gov.vn/tin tức/podcast"], root)
    assert code == 0, err
    return root / "output" / "web"


def test_feed_addresses_of_a_named_episode_are_percent_encoded(named_web):
    import feedparser
    from urllib.parse import unquote

    data = (named_web / "feed.xml").read_bytes()
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    channel = ET.fromstring(data).find("channel")
    urls = [channel.findtext("link"), channel.find(f"{ITUNES}image").get("href"),
            channel.find("{http://www.w3.org/2005/Atom}link").get("href")]
    item = channel.find("item")
    urls += [item.findtext("link"), item.find("enclosure").get("url"),
             item.find(f"{PODCAST}chapters").get("url")]
    urls += [t.get("url") for t in item.findall(f"{PODCAST}transcript")]
    for url in urls:
        assert url.startswith(NAMED_BASE) and url.isascii() and " " not in url, url
        assert "#" not in url, url
        local = named_web / unquote(url[len(NAMED_BASE):])
        assert local.exists(), url
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == NAMED_BASE + "B%E1%BA%A3n%20tin%20%232%20%C4%91%E1%BA%B7c" \
        "%20bi%E1%BB%87t/B%E1%BA%A3n%20tin%20%232%20%C4%91%E1%BA%B7c%20bi%E1%BB%87t.mp3"
    assert int(enclosure.get("length")) == (named_web / NAMED / f"{NAMED}.mp3").stat().st_size
    embed = (named_web / NAMED / "embed.html").read_text(encoding="utf-8")
    assert f'src="{enclosure.get("url")}"' in embed


def test_pages_of_a_named_episode_link_and_play_from_file(browser, named_web):
    from selenium.webdriver.common.by import By

    browser.get((named_web / "index.html").as_uri())
    wait_for(lambda: js(browser, "return document.querySelector('audio').readyState >= 1"),
             15, "the series page's player to load the MP3")
    browser.find_element(By.CSS_SELECTOR, "h2 a").click()
    wait_for(lambda: js(browser, "return document.getElementById('player') !== null"), 15,
             "the episode page")
    assert js(browser, "return decodeURIComponent(location.pathname)").endswith(
        f"/{NAMED}/index.html")
    wait_for(lambda: js(browser, f"return {PLAYER}.readyState >= 1"), 15,
             "the episode page's player to load the MP3")
    assert js(browser, f"return {PLAYER}.error") is None
    hrefs = js(browser, "return [...document.querySelectorAll('p.links a')].map(a => a.href)")
    for href in hrefs:
        assert Path(unquote_file(href)).is_file(), href


def unquote_file(uri: str) -> str:
    from urllib.parse import unquote, urlsplit

    return unquote(urlsplit(uri).path)


def test_publish_offline_builds_with_the_offline_voice(tmp_path, example_assets):
    """Like build, disc and distribute: --offline never asks the online voice, even when
    radio.toml names it (gTTS cannot be reached from a studio without internet)."""
    root = tmp_path / "web"
    shutil.copytree(ROOTS / "web", root)
    shutil.copytree(example_assets, root / "audio_assets")
    (root / "scripts" / "tin1.md").unlink()
    config = root / "radio.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'engine = "espeak"', 'engine = "gtts"'), encoding="utf-8")
    code, out, err = run_radio(["publish", "--allow-draft", "--offline"], root)
    assert code == 0, err
    report = json.loads((root / "output" / "tin2" / "tin2.web.json").read_text())
    engines = {s["engine"] for s in report["segments"] if s.get("kind") == "speech"}
    assert engines == {"espeak"}
    assert (root / "output" / "web" / "tin2" / "tin2.mp3").is_file()


@pytest.mark.parametrize("given, expected", [
    ("https://example.gov.vn/podcast", "https://example.gov.vn/podcast/"),
    ("  https://example.gov.vn/podcast//  ", "https://example.gov.vn/podcast/"),
    ("https://example.gov.vn/tin tức/podcast/", "https://example.gov.vn/tin%20t%E1%BB%A9c/podcast/"),
    ("https://example.gov.vn/tin%20t%E1%BB%A9c/", "https://example.gov.vn/tin%20t%E1%BB%A9c/"),
    ("https://hàtĩnh.vn:8443/podcast", "https://xn--htnh-0na35b.vn:8443/podcast/"),
])
def test_base_urls_as_people_type_them(given, expected):
    from radio.web.publish import site_url

    assert site_url(given) == expected


def test_a_cmyk_cover_made_for_print_is_refused(production):
    """A designer's cover exported for the printer is CMYK: Apple Podcasts refuses it,
    so publish does, naming the setting, before anything is written."""
    from PIL import Image

    path = production / "bìa in.jpg"
    Image.new("CMYK", (1400, 1400), (0, 120, 255, 0)).save(path, "JPEG")
    identify = shutil.which("identify")
    if identify:   # ImageMagick reads it as CMYK too
        import subprocess

        assert subprocess.run([identify, "-format", "%[colorspace]", str(path)],
                              capture_output=True, text=True).stdout == "CMYK"
    toml = production / "radio.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'status = "draft"', 'status = "draft"\ncover = "bìa in.jpg"'), encoding="utf-8")
    code, _, err = run_radio(["publish", "--allow-draft"], production)
    assert code == 2 and err.startswith("radio.toml: ") and "CMYK" in err and "RGB" in err, err
    assert not (production / "output" / "web").exists()
    Image.new("RGB", (1400, 1400), (255, 120, 0)).save(path, "JPEG")
    code, _, err = run_radio(["publish", "--allow-draft"], production)
    assert code == 0, err
    assert (production / "output" / "web" / "cover.jpg").read_bytes() == path.read_bytes()


# --- what podcast apps and the portal's visitors get (QA round 2) --------------------------

def test_episode_page_fits_a_phone_screen(browser, web):
    """At a phone's width (390 px) nothing runs off the side: the row of links under
    the player (MP3, captions, chapters, embed) wraps instead of scrolling sideways."""
    for page in (web / "tin1" / "index.html", web / "index.html"):
        browser.set_window_size(390, 900)
        try:
            browser.get(page.as_uri())
            wait_for(lambda: js(browser, "return document.readyState") == "complete", 10,
                     "the page")
            wide = js(browser, "return document.documentElement.scrollWidth")
            inner = js(browser, "return document.documentElement.clientWidth")
            assert wide <= inner, (page.name, wide, inner)
        finally:
            browser.set_window_size(1280, 1000)


def test_a_removed_episode_is_taken_off_the_site(tmp_path, example_assets):
    """An episode whose script is removed (withdrawn, or renamed) no longer stays on the
    portal: its folder of publish's files goes, while a file someone put beside them stays."""
    root = tmp_path / "web"
    shutil.copytree(ROOTS / "web", root)
    shutil.copytree(example_assets, root / "audio_assets")
    code, out, err = run_radio(["publish", "--allow-draft", "--base-url", BASE], root)
    assert code == 0, err
    web = root / "output" / "web"
    assert (web / "tin1" / "tin1.mp3").is_file()
    (web / "tin2" / "ghi chú.txt").write_text("của biên tập viên", encoding="utf-8")
    (web / "giới thiệu").mkdir()   # the portal's own page beside the site
    (web / "giới thiệu" / "index.html").write_text("<p>Giới thiệu</p>", encoding="utf-8")
    (root / "scripts" / "tin1.md").unlink()
    code, out, err = run_radio(["publish", "--allow-draft", "--base-url", BASE], root)
    assert code == 0, err
    assert not (web / "tin1").exists() and "tin1" in out
    assert (web / "tin2" / "tin2.mp3").is_file() and (web / "tin2" / "ghi chú.txt").is_file()
    assert (web / "giới thiệu" / "index.html").is_file()
    assert "tin1" not in (web / "feed.xml").read_text(encoding="utf-8")
    assert "tin1/" not in (web / "index.html").read_text(encoding="utf-8")
    (root / "scripts" / "tin2.md").rename(root / "scripts" / "tin3.md")
    code, out, err = run_radio(["publish", "--allow-draft", "--base-url", BASE], root)
    assert code == 0, err
    assert (web / "tin3" / "tin3.mp3").is_file()
    assert sorted(p.name for p in (web / "tin2").iterdir()) == ["ghi chú.txt"]
    # without a base URL no feed is written: the last one, listing tin2, does not stay
    config = root / "radio.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'base_url = "https://example.gov.vn/podcast/"', ""), encoding="utf-8")
    code, out, err = run_radio(["publish", "--allow-draft"], root)
    assert code == 0 and "no feed was written" in err, err
    assert not (web / "feed.xml").exists() and (web / "index.html").is_file()


@pytest.mark.parametrize("lines, advice", [
    ('category = "Tin tức"', "News"),
    ('category = "Government & Organizations"', "Government"),
    ('category = "News"\nsubcategory = "Local News"', "Daily News"),
])
def test_a_category_apple_does_not_list_is_refused(production, lines, advice):
    """Apple Podcasts (and Spotify, which reads the same tag) take only the categories of
    Apple's list: another is refused at its line of radio.toml, before anything is built."""
    config = production / "radio.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + f"\n[web]\n{lines}\n", encoding="utf-8")
    code, _, err = run_radio(["publish", "--allow-draft", "--base-url", BASE], production)
    line = len((text + "\n[web]\n").splitlines()) + len(lines.splitlines())
    assert code == 2 and err.startswith(f"radio.toml:{line}: "), err
    assert "Apple" in err and advice in err, err
    assert not (production / "output").exists()


def test_categories_as_people_write_them():
    from radio.web.feed import apple_category

    assert apple_category("government", "") == ("Government", "")
    assert apple_category(" news ", "daily news") == ("News", "Daily News")
    assert apple_category("Society and Culture", "") == ("Society & Culture", "")
    assert apple_category("Tin tức", "") is None
    assert apple_category("News", "Local") is None


def _item(number: int, date: str, **more):
    from radio.web.feed import FeedItem

    more.setdefault("description", "")
    return FeedItem(name=f"tin{number}", title=f"Tin {number}", number=number, date=date,
                    duration_s=60.0, mp3_name=f"tin{number}.mp3", mp3_bytes=1000, **more)


def _info(items):
    from radio.web.feed import FeedInfo

    return FeedInfo(base_url=BASE, title="Cam", description="Cam", language="vi",
                    author="Sở", owner_name="Sở", owner_email="", category="Government",
                    subcategory="", explicit=False, locked=False, cover_name="cover.png",
                    items=tuple(items))


def test_episodes_of_one_day_keep_their_order_in_podcast_apps():
    """Apps order episodes by pubDate: two episodes published the same day (no date: in
    their scripts, so both take the build's date) must not share one time, or an app
    shows them in any order.  The later number is the later time, the same at each run."""
    import email.utils

    from radio.web.feed import feed_xml

    data = feed_xml(_info([_item(1, "2021-11-30"), _item(2, "2021-11-30"),
                           _item(3, "2021-12-01")]))
    items = ET.fromstring(data).find("channel").findall("item")
    moments = {i.findtext(f"{ITUNES}episode"): email.utils.parsedate_to_datetime(
        i.findtext("pubDate")) for i in items}
    assert moments["1"] < moments["2"] < moments["3"]
    assert moments["1"].date() == moments["2"].date() == dt_date(2021, 11, 30)
    assert data == feed_xml(_info([_item(1, "2021-11-30"), _item(2, "2021-11-30"),
                                   _item(3, "2021-12-01")]))


def dt_date(*args):
    import datetime

    return datetime.date(*args)


def test_an_episode_without_chapters_announces_none():
    """A script without '# ' headings has no chapters: the feed does not point podcast
    apps at an empty chapters file, and the page has no empty 'Chapters' list."""
    from radio.targets.report import Report
    from radio.web.feed import feed_xml
    from radio.web.pages import EpisodePage, Site, embed_html, episode_html

    items = ET.fromstring(feed_xml(_info([_item(1, "2021-11-30", has_chapters=False),
                                          _item(2, "2021-11-30")]))).find(
        "channel").findall("item")
    found = {i.findtext(f"{ITUNES}episode"): i.find(f"{PODCAST}chapters") for i in items}
    assert found["1"] is None and found["2"] is not None
    report = Report(Path("tin1.json"), "tin1", "scripts/tin1.md", "Cam", 1, False, 125.0, (),
                    (), "web", {}, {}, {}, (), {}, 0)
    page = EpisodePage(report, "", "", "2022-01-15", "tin1.mp3", 1_250_000, (), ())
    html = episode_html(Site("Cam", "Sở", "", "vi", "cover.png", False, True), page)
    assert 'class="chapters"' not in html and "chapters.json" not in html
    embed = embed_html(Site("Cam", "Sở", "", "vi", "cover.png", False, True), page, BASE)
    assert "<ol" not in embed and "<audio" in embed


def test_a_description_longer_than_apple_takes_is_cut_in_the_feed_only():
    """Apple Podcasts takes at most 4000 characters of a description: the feed carries the
    first ones, cut at a word and ended with '…'; the page keeps the whole text."""
    from dataclasses import replace

    from radio.web.feed import DESCRIPTION_MAX, feed_text, feed_xml

    words = "Người dân Hà Tĩnh “vui mừng” & phấn khởi <đón> Tết 🎉. " * 120   # 6000+ characters
    cut = feed_text(words)
    assert len(cut) <= DESCRIPTION_MAX == 4000 and cut.endswith("…")
    assert words.startswith(cut[:-1]) and cut[-2] != " " and words[len(cut) - 1] == " "
    assert feed_text("Ngắn & gọn.") == "Ngắn & gọn."
    info = _info([_item(1, "2021-11-30", description=words)])
    channel = ET.fromstring(feed_xml(replace(info, description=words))).find("channel")
    assert channel.findtext("description") == cut
    assert channel.find("item").findtext("description") == cut


def test_publish_says_whose_description_the_feed_cuts(production):
    config = production / "radio.toml"
    text = "Chuyên đề về cam Hà Tĩnh, “đặc sản” & niềm tự hào. " * 90
    config.write_text(config.read_text(encoding="utf-8")
                      + f'\n[web]\ndescription = "{text}"\n', encoding="utf-8")
    code, _, err = run_radio(["publish", "--allow-draft", "--base-url", BASE], production)
    assert code == 0, err
    assert f"radio.toml: the description has {len(text)} characters" in err, err
    feed = ET.parse(production / "output" / "web" / "feed.xml").find("channel")
    assert text.startswith(feed.findtext("description")[:-1])
    assert len(feed.findtext("description")) <= 4000


def test_a_web_address_in_the_script_does_not_widen_the_phone_page(browser, tmp_path):
    """Provincial news gives addresses ('dichvucong.hatinh.gov.vn/...'): such a word,
    longer than a phone's line, is broken in the transcript instead of pushing the page
    wider than the screen."""
    from radio.targets.report import Report
    from radio.web.pages import EpisodePage, Site, episode_html, static_file
    from radio.web.timings import Sentence

    address = "dichvucong.hatinh.gov.vn/portaldvc/KenhTin/dich-vu-cong-truc-tuyen.aspx"
    report = Report(Path("tin1.json"), "tin1", "scripts/tin1.md", "Cam", 1, False, 125.0, (),
                    (), "web", {}, {}, {}, (), {}, 0)
    sentence = Sentence(0, 5000, f"Xem thêm tại {address} hoặc gọi 02393855555.",
                        "Người dẫn", "", True)
    page = EpisodePage(report, "", address, "2022-01-15", "tin1.mp3", 1_250_000, (sentence,),
                       (("Người dẫn", ("espeak",)),))
    (tmp_path / "tin1").mkdir()
    (tmp_path / "site.css").write_bytes(static_file("site.css"))
    (tmp_path / "tin1" / "index.html").write_text(
        episode_html(Site("Cam", "Sở", "", "vi", "cover.png", False, True), page),
        encoding="utf-8")
    browser.set_window_size(390, 900)
    try:
        browser.get((tmp_path / "tin1" / "index.html").as_uri())
        wait_for(lambda: js(browser, "return document.readyState") == "complete", 10, "the page")
        wide = js(browser, "return document.documentElement.scrollWidth")
        inner = js(browser, "return document.documentElement.clientWidth")
        assert wide <= inner, (wide, inner)
    finally:
        browser.set_window_size(1280, 1000)


def test_a_web_address_in_a_sentence_is_captioned_in_few_short_cues():
    """A word longer than a caption line (a web address, read letter by letter) used to
    cut its sentence into one cue per word: 'Xem', 'thêm', 'tại', then the address alone
    on a 70-character line for 12 s.  It is now broken after a '/' or '.' like any long
    line, and the sentence gets the cues its length needs."""
    from radio.web.subtitles import all_cues, webvtt
    from radio.web.timings import Sentence

    address = "dichvucong.hatinh.gov.vn/portaldvc/KenhTin/dich-vu-cong-truc-tuyen.aspx"
    text = f"Xem thêm tại {address} hoặc gọi 02393855555."
    cues = all_cues((Sentence(2830, 20641, text, "Người dẫn", "", True),), 30_000)
    assert 3 <= len(cues) <= 4 and all(len(" ".join(c.lines)) >= 10 for c in cues), cues
    assert all(c.end_ms - c.start_ms <= 7000 for c in cues)
    assert all(len(line) <= 42 for c in cues for line in c.lines), cues
    assert "".join("".join(c.lines) for c in cues).replace(" ", "") == text.replace(" ", "")
    assert "dichvucong.hatinh.gov.vn/" in webvtt(cues) and "\u2060" not in webvtt(cues)
