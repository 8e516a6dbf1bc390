"""`radio preview`: the live page in real headless Chromium, the server's safety, excerpts.

The preview server runs as a subprocess (`python -m radio.cli preview`) in its own
process group, stopped with SIGINT like a Ctrl-C in a terminal; the page is driven
by selenium with the Debian chromium and chromedriver.  Screenshots go to
output/preview-*.png in the repository (git-ignored) for a person to look at.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO, ROOTS, headless_chromium

EDITED = "Xin chân thành cảm ơn quý vị và các bạn, hẹn gặp lại!"


def wait_for(condition, timeout: float, what: str, interval: float = 0.1):
    """Poll *condition* until it returns something truthy; fail after *timeout* s."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception as exc:  # the page or the server is between two states
            last_error = exc
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout} s waiting for {what} (last error: {last_error!r})")


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _ctrl_c_as_in_a_terminal() -> None:
    """Ctrl-C reaches the preview as it does from a terminal, even when these tests run
    in a background job (whose children a shell starts with SIGINT ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class PreviewProcess:
    """`radio -v preview EPISODE --port 0` in its own process group."""

    def __init__(self, root: Path, episode: str = "episode1", *extra: str):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "radio.cli", "-v", "preview", episode, "--port", "0", *extra],
            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            encoding="utf-8", start_new_session=True, preexec_fn=_ctrl_c_as_in_a_terminal,
            env={**os.environ, "PYTHONFAULTHANDLER": "1"})
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_line(r"http://127\.0\.0\.1:\d+/", 30).group(0)
        self.port = int(self.url.rsplit(":", 1)[1].strip("/"))
        self.workdir = Path(self.wait_line(r"(?:building into|đang dựng vào) (\S+)", 5).group(1))

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.output.append(line)

    def wait_line(self, pattern: str, timeout: float) -> re.Match:
        """The first line printed so far (or within *timeout*) matching *pattern*."""
        deadline = time.monotonic() + timeout
        while True:
            for line in list(self.output):
                match = re.search(pattern, line)
                if match:
                    return match
            if time.monotonic() > deadline or self.proc.poll() is not None:
                pytest.fail(f"the preview never printed {pattern!r}:\n{''.join(self.output)}")
            time.sleep(0.1)

    def get(self, path: str, headers: dict | None = None, method: str = "GET"):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.headers, response.read()   # case-insensitive
        finally:
            conn.close()

    def status(self) -> dict:
        return json.loads(self.get("/api/status")[2])

    def children(self) -> list[int]:
        text = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        return [int(pid) for pid in text.split()]

    def interrupt(self, timeout: float = 60) -> int:
        """Ctrl-C as a terminal sends it: SIGINT to the whole process group."""
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGABRT)
            time.sleep(5)
            pytest.fail("the preview did not stop; it printed:\n" + "".join(self.output))

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)


@pytest.fixture(scope="module")
def prod(tmp_path_factory, example_assets) -> Path:
    root = tmp_path_factory.mktemp("preview") / "mini"
    shutil.copytree(ROOTS / "mini", root)
    shutil.copytree(example_assets, root / "audio_assets")
    return root


@pytest.fixture(scope="module")
def server(prod):
    preview = PreviewProcess(prod)
    try:
        wait_for(lambda: preview.status()["version"] >= 1, 90, "the first build")
        yield preview
    finally:
        preview.kill()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    yield from headless_chromium(tmp_path_factory, "1400,1100")


def screenshot(driver, name: str) -> Path:
    """A full-page PNG under output/ of the repository."""
    path = REPO / "output" / name
    path.parent.mkdir(exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1400, min(max(height + 120, 800), 2400))
    time.sleep(0.3)   # the page redraws its canvases after a resize
    driver.save_screenshot(str(path))
    driver.set_window_size(1400, 1100)
    return path


def js(driver, script: str):
    return driver.execute_script(script)


def test_page_plays_seeks_and_follows_edits(server, browser, prod):
    from selenium.webdriver.common.by import By

    status, _, body = server.get(f"/files/v{server.status()['version']}/episode1.json")
    assert status == 200
    report = json.loads(body)
    browser.get(server.url)
    duration = wait_for(lambda: js(browser, "const a = document.getElementById('player');"
                                            "return a.readyState >= 1 && a.duration;"),
                        15, "the audio's metadata")
    assert duration == pytest.approx(report["duration_s"], abs=0.1)
    fetched = js(browser, "return performance.getEntriesByType('resource').map(e => e.name)")
    assert fetched and all(url.startswith(server.url) for url in fetched)  # nothing outside

    third = report["segments"][2]
    marker = browser.find_element(By.CSS_SELECTOR, '.segment[data-index="2"]')
    assert float(marker.get_attribute("data-start")) == pytest.approx(third["start_ms"] / 1000)
    marker.click()
    position = wait_for(lambda: js(browser, "const a = document.getElementById('player');"
                                            "return !a.seeking && a.currentTime;"),
                        10, "the seek to the third segment")
    assert position == pytest.approx(third["start_ms"] / 1000, abs=0.1)

    # a rewritten paragraph (MC2's dates and acronyms) plays: it is highlighted
    mc2 = next(s for s in report["segments"] if s.get("speaker") == "MC2")
    js(browser, f"document.getElementById('player').currentTime = "
                f"{(mc2['start_ms'] + 1500) / 1000};")
    row = wait_for(lambda: browser.find_element(By.CSS_SELECTOR, ".paragraph.playing"),
                   5, "the playing paragraph's highlight")
    assert row.get_attribute("data-line") == str(mc2["line"])
    assert "mười bốn tháng mười" in row.find_element(By.CSS_SELECTOR, ".spoken").text
    assert row.find_element(By.CSS_SELECTOR, "mark.written").text.startswith("14/10/2021")
    assert js(browser, "return document.querySelector('#integrated .value').textContent") \
        .endswith("LUFS")
    shot = screenshot(browser, "preview-screenshot.png")
    assert shot.stat().st_size > 20_000

    # an edit shows up without reloading the page (the marker survives)
    js(browser, "window.__notReloaded = 42;")
    script = prod / "scripts" / "episode1.md"
    original = script.read_text(encoding="utf-8")
    script.write_text(original.replace("Xin cảm ơn quý vị đã lắng nghe.", EDITED),
                      encoding="utf-8")
    wait_for(lambda: any(EDITED in p.text for p in
                         browser.find_elements(By.CSS_SELECTOR, ".paragraph .text")),
             10, "the edited paragraph on the page")
    assert js(browser, "return window.__notReloaded") == 42
    good_audio = js(browser, "return document.getElementById('player').getAttribute('src')")

    # a script error: shown with its line, and the last good mix keeps playing
    lines = script.read_text(encoding="utf-8").splitlines(keepends=True)
    bad_line = next(i for i, line in enumerate(lines, 1) if line.startswith("# Phỏng vấn")) + 1
    lines.insert(bad_line - 1, "[tiếng vỗ tay: sfx/vo_tay.ogg]\n")
    script.write_text("".join(lines), encoding="utf-8")
    error = wait_for(lambda: next((e for e in [browser.find_element(By.ID, "error")]
                                   if e.is_displayed()), None), 10, "the error on the page")
    assert f"scripts/episode1.md:{bad_line}" in error.text
    assert "tiếng vỗ tay" in error.text
    assert js(browser, "return document.getElementById('player').getAttribute('src')") \
        == good_audio
    assert server.get(good_audio)[0] == 200
    screenshot(browser, "preview-error.png")

    script.write_text(original, encoding="utf-8")
    wait_for(lambda: not browser.find_element(By.ID, "error").is_displayed(), 15,
             "the error to go away after the fix")


def test_page_speaks_the_interface_language(browser, tmp_path, example_assets):
    """`--lang vi`: the page's own words in Vietnamese (numbers with a decimal comma),
    `--lang en` the same page in English; the script's text is never translated."""
    from selenium.webdriver.common.by import By

    root = tmp_path / "mini"
    shutil.copytree(ROOTS / "mini", root)
    shutil.copytree(example_assets, root / "audio_assets")
    seen = {}
    for lang in ("vi", "en"):
        preview = PreviewProcess(root, "episode1", "--lang", lang)
        try:
            wait_for(lambda: preview.status()["version"] >= 1, 90, "the first build")
            status, headers, body = preview.get("/static/catalog.js")
            assert status == 200 and body.startswith(b"window.RADIO_I18N = ")
            browser.get(preview.url)
            wait_for(lambda: js(browser, "return document.body.dataset.version"), 15,
                     "the page's first data")
            seen[lang] = {
                "lang": js(browser, "return document.documentElement.lang"),
                "mix": browser.find_element(By.CSS_SELECTOR, "#mix h2").text,
                "pill": browser.find_element(By.ID, "status").text,
                "value": js(browser, "return document.querySelector('#integrated .value')"
                                     ".textContent"),
                "line": browser.find_element(By.CSS_SELECTOR, ".paragraph .line").text,
                "clock": js(browser, "return document.querySelector('#clock').textContent"),
            }
            if lang == "vi":
                shot = screenshot(browser, "preview-vi.png")
                assert shot.stat().st_size > 20_000
        finally:
            preview.kill()
    vi, en = seen["vi"], seen["en"]
    assert vi["lang"] == "vi" and en["lang"] == "en"
    assert vi["mix"] == "Bản phối" and en["mix"] == "Mix"
    assert vi["pill"].startswith("Đã dựng") and en["pill"].startswith("Built")
    assert re.fullmatch(r"\u2212\d+,\d LUFS", vi["value"]), vi["value"]   # −16,0: the minus sign
    assert re.fullmatch(r"-\d+\.\d LUFS", en["value"]), en["value"]
    assert vi["line"].startswith("dòng ") and en["line"].startswith("line ")
    # The player's clock: tenths after a decimal comma in Vietnamese, as the CLI writes them.
    assert re.fullmatch(r"00:00,0 / \d\d:\d\d,\d", vi["clock"]), vi["clock"]
    assert re.fullmatch(r"00:00\.0 / \d\d:\d\d\.\d", en["clock"]), en["clock"]


def test_binds_loopback_only(server):
    port_hex = f"{server.port:04X}"
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            if local.endswith(":" + port_hex) and state == "0A":
                listening.append(local.split(":")[0])
    assert listening == ["0100007F"]   # 127.0.0.1, and nothing on IPv6 or 0.0.0.0
    try:
        others = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None,
                                                            socket.AF_INET)}
    except OSError:
        others = set()
    for address in sorted(a for a in others if not a.startswith("127.")):
        with pytest.raises(OSError):
            socket.create_connection((address, server.port), timeout=2).close()


@pytest.mark.parametrize("path", [
    "/../radio.toml", "/files/../radio.toml", "/files/v1/../../radio.toml",
    "/files/%2e%2e/%2e%2e/radio.toml", "/files/%2E%2E%2F%2E%2E%2Fradio.toml",
    "/files/%252e%252e/%252e%252e/radio.toml", "/files/%25252e%25252e/radio.toml",
    "/files//etc/passwd", "/files/%2fetc%2fpasswd", "/files/..%5c..%5cradio.toml",
    "/static/../scripts/episode1.md", "/%2e%2e/scripts/episode1.md",
])
def test_refuses_paths_outside_the_build(server, path):
    status, _, body = server.get(path)
    assert status in (403, 404)
    assert b"[production]" not in body and b"root:" not in body


def test_refuses_foreign_host_headers(server):
    assert server.get("/api/status", {"Host": "attacker.example"})[0] == 400
    assert server.get("/api/status", {"Host": f"localhost:{server.port}"})[0] == 200


def test_range_requests(server):
    data = json.loads(server.get("/api/data")[2])
    status, headers, whole = server.get(data["audio"])
    assert status == 200 and headers["Accept-Ranges"] == "bytes"
    size = len(whole)
    cases = {"bytes=100-199": (100, 199), "bytes=-100": (size - 100, size - 1),
             f"bytes={size - 10}-": (size - 10, size - 1), "bytes=0-0": (0, 0),
             f"bytes=5-{size + 1000}": (5, size - 1)}
    for header, (first, last) in cases.items():
        status, headers, body = server.get(data["audio"], {"Range": header})
        assert status == 206, header
        assert headers["Content-Range"] == f"bytes {first}-{last}/{size}"
        assert body == whole[first:last + 1]
    status, headers, _ = server.get(data["audio"], {"Range": f"bytes={size}-"})
    assert status == 416 and headers["Content-Range"] == f"bytes */{size}"
    status, headers, body = server.get(data["audio"], {"Range": "bytes=0-9"}, method="HEAD")
    assert status == 206 and headers["Content-Length"] == "10" and body == b""


def run_cli(args, cwd):
    proc = subprocess.run([sys.executable, "-m", "radio.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def wav_frames(path: Path, start: int = 0, end: int | None = None) -> bytes:
    from radio.audio.wav import read_layout

    layout = read_layout(path)
    end = layout.frames if end is None else end
    with open(path, "rb") as fh:
        fh.seek(layout.data_offset + start * layout.frame_bytes)
        return fh.read((end - start) * layout.frame_bytes)


def test_excerpt_equals_the_span_of_the_full_build(server, prod, tmp_path):
    # default: cut from a WAV-only master; it equals the preview server's own mix
    wait_for(lambda: (lambda s: not s["building"] and not s["problems"])(server.status()),
             30, "the preview to be idle")
    version = server.status()["version"]
    report = json.loads(server.get(f"/files/v{version}/episode1.json")[2])
    full = tmp_path / "preview.wav"
    full.write_bytes(server.get(f"/files/v{version}/episode1.wav")[2])
    run_cli(["preview", "episode1", "--segment", "3", "-o", str(tmp_path / "seg.wav")], prod)
    third = report["segments"][2]
    start, end = round(third["start_ms"] * 44.1), round(third["end_ms"] * 44.1)
    excerpt = wav_frames(tmp_path / "seg.wav")
    assert len(excerpt) == (end - start) * 4 > 0
    assert excerpt == wav_frames(full, start, end)

    # --final: the samples of `radio build`'s own WAV (MP3 headroom included)
    run_cli(["build", "episode2"], prod)
    finished = prod / "output" / "episode2" / "episode2.wav"
    out = run_cli(["preview", "episode2", "--final", "--from", "0:01.5", "--to", "4",
                   "-o", str(tmp_path / "final.wav")], prod)
    assert "mastering" not in out   # the finished build was up to date: only cut
    assert wav_frames(tmp_path / "final.wav") == wav_frames(finished, 66150, 176400)


def test_excerpt_problems_are_plain_messages(prod, monkeypatch, capsys):
    from radio.cli import main

    monkeypatch.chdir(prod)
    cases = [(["--from", "0:02"], "needs an output file"),
             (["--from", "abc", "-o", "x.wav"], "is not a time"),
             (["--from", "1", "-o", "x.mp3"], "written as WAV"),
             (["--segment", "2", "--to", "3", "-o", "x.wav"], "not both"),
             (["--segment", "99", "--final", "-o", "x.wav"], "has 3 segments")]
    for args, message in cases:
        assert main(["preview", "episode2", *args]) == 2, args
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err
    assert main(["preview", "episode9", "--from", "1", "-o", "x.wav"]) == 2
    assert "no episode named 'episode9'" in capsys.readouterr().err
    assert not (prod / "x.wav").exists()



def test_an_excerpt_never_replaces_a_recording_or_a_built_file(prod, monkeypatch, capsys):
    """-o naming a jingle, a take or the build's own WAV would have overwritten it with the
    excerpt: each is refused, and nothing new is written into takes/."""
    import hashlib

    from radio.cli import main

    monkeypatch.chdir(prod)
    take = prod / "takes" / "episode2" / "p001.wav"
    take.parent.mkdir(parents=True, exist_ok=True)
    take.write_bytes((prod / "audio_assets" / "jingles" / "intro.ogg").read_bytes())
    built = prod / "output" / "episode2" / "episode2.wav"
    built.parent.mkdir(parents=True, exist_ok=True)
    built.write_bytes(b"RIFF....WAVE the last good build")
    jingle = prod / "audio_assets" / "jingles" / "intro.wav"
    jingle.write_bytes(b"RIFF....WAVE a jingle")
    digest = lambda p: hashlib.sha256(p.read_bytes()).hexdigest()  # noqa: E731
    before = {p: digest(p) for p in (take, built, jingle)}
    for target in ("takes/episode2/p001.wav", "takes/episode2/p009.wav",
                   "output/episode2/episode2.wav", "audio_assets/jingles/intro.wav",
                   str(jingle)):
        assert main(["preview", "episode2", "--from", "0:01", "--to", "0:02", "-o",
                     target]) == 2, target
        err = capsys.readouterr().err
        assert "never replaces it" in err and "-o excerpt.wav" in err, err
    assert {p: digest(p) for p in before} == before
    assert not (prod / "takes" / "episode2" / "p009.wav").exists()


def test_ctrl_c_stops_cleanly(server):
    helpers = server.children()
    assert helpers, "the espeak helper should be running"
    assert server.workdir.is_dir()
    assert server.interrupt() == 0
    assert "stopping the preview" in "".join(server.output)
    assert not server.workdir.exists()
    wait_for(lambda: not any(alive(pid) for pid in helpers), 5, "the helper to exit")
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=2).close()


# -- the pieces, without a server -------------------------------------------------
def test_parse_range():
    from radio.preview.server import parse_range

    assert parse_range(None, 1000) is None
    assert parse_range("bytes=0-99", 1000) == (0, 99)
    assert parse_range("bytes=990-", 1000) == (990, 999)
    assert parse_range("bytes=-10", 1000) == (990, 999)
    assert parse_range("bytes=-5000", 1000) == (0, 999)
    assert parse_range("bytes=1000-", 1000) == "unsatisfiable"
    assert parse_range("bytes=50-10", 1000) == "unsatisfiable"
    assert parse_range("bytes=0-1,5-6", 1000) is None      # several ranges: send it all
    assert parse_range("items=0-1", 1000) is None


def test_resolve_file_stays_inside_the_site(tmp_path):
    from radio.preview.server import Forbidden, resolve_file

    site = tmp_path / "site"
    (site / "v1").mkdir(parents=True)
    (site / "v1" / "a.wav").write_bytes(b"x")
    (tmp_path / "secret.txt").write_text("secret")
    (site / "v1" / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert resolve_file(site, "v1/a.wav") == (site / "v1" / "a.wav").resolve()
    assert resolve_file(site, "v1/missing.wav") is None
    for bad in ("../secret.txt", "v1/../../secret.txt", "%2e%2e/secret.txt",
                "%252e%252e/secret.txt", "v1/link.txt", "/etc/passwd", "%2fetc%2fpasswd",
                "v1//a.wav", "v1/./a.wav", "..%5csecret.txt"):
        with pytest.raises(Forbidden):
            resolve_file(site, bad)


def test_parse_time():
    from radio.errors import UserError
    from radio.preview.excerpt import parse_time

    assert parse_time("90", "--from") == 90
    assert parse_time("1:30", "--from") == 90
    assert parse_time("1:30,5", "--from") == 90.5
    assert parse_time("1:02:03.25", "--from") == 3723.25
    with pytest.raises(UserError):
        parse_time("1m30", "--from")


def test_watcher_waits_for_edits_to_settle(tmp_path):
    from radio.preview.watch import Watcher

    (tmp_path / "scripts").mkdir()
    script = tmp_path / "scripts" / "episode1.md"
    script.write_text("a")
    edits = iter([lambda: script.write_text("ab"), lambda: script.write_text("abc"),
                  lambda: (tmp_path / "scripts" / ".episode1.md.swp").write_text("x"),
                  lambda: None, lambda: None])
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        next(edits, lambda: None)()

    watcher = Watcher(tmp_path, settle_s=0.5, interval_s=0.25, sleep=sleep)
    assert watcher.wait() == ["scripts/episode1.md"]
    assert slept[-2:] == [0.5, 0.5]   # it waited until two scans agreed
    (tmp_path / "takes" / "episode1").mkdir(parents=True)
    (tmp_path / "takes" / "episode1" / "ids.tsv").write_text("p001")
    watcher.absorb()                  # written by the build: not an edit
    assert watcher.poll() == []
    (tmp_path / "pronunciations.tsv").write_text("UBND\tỦy ban nhân dân\n")
    assert watcher.poll() == ["pronunciations.tsv"]


def test_rewrites_mark_what_the_normalizer_changes():
    from radio.preview.analysis import rewrites

    assert rewrites("Xin chào.", "Xin chào.") is None
    runs = rewrites("Ngày 14/10 tại UBND tỉnh.", "Ngày mười bốn tháng mười tại Ủy ban nhân dân tỉnh.")
    changed = [(r["written"], r["spoken"]) for r in runs if not r["same"]]
    assert changed == [("14/10", "mười bốn tháng mười"), ("UBND", "Ủy ban nhân dân")]
