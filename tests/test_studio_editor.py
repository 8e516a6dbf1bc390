"""The studio's editing requests through the whole application (Starlette's TestClient):
new episodes, saves of every kind of text, and saves that race each other."""
from __future__ import annotations

import unicodedata

import pytest

from radio.config import load
from test_studio_security import csrf, make_client, post  # noqa: F401 (make_client: a fixture)


@pytest.mark.parametrize("title, expected", [
    ("Tin C:\\x tuần 3", "Tin C:\\x tuần 3"),                       # a backslash: YAML escape
    ('Chương trình "Nông thôn mới"', 'Chương trình "Nông thôn mới"'),
    ("Tiêu đề: #1 {a} [b] 'c' & *d", "Tiêu đề: #1 {a} [b] 'c' & *d"),
    (unicodedata.normalize("NFD", "Chuyên đề về đường giao thông"),
     "Chuyên đề về đường giao thông"),
    ("Dòng một\nDòng hai\t ", "Dòng một Dòng hai"),
    ("   ", "tap_moi"),
])
def test_a_new_episode_parses_whatever_its_title(make_client, production, title, expected):
    from radio.pipeline.prepare import load_episodes

    client = make_client()
    response = post(client, "/api/episodes", {"name": "tap_moi", "title": title}, csrf(client))
    assert response.status_code == 201, response.text
    text = (production / "scripts" / "tap_moi.md").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    episode = load_episodes(load(production), ["tap_moi"])[0]
    assert episode.title == expected
    listed = {e["name"]: e for e in client.get("/api/episodes").json()}["tap_moi"]
    assert listed["problems"] == [] and listed["title"] == expected


@pytest.fixture
def server(production, tmp_path):
    """The studio on a real uvicorn server (its thread pool runs saves side by side)."""
    from radio.log import Log
    from radio.pipeline.build import make_synthesizer
    from radio.pipeline.options import BuildOptions
    from radio.studio import allowed_hosts, make_app
    from radio.studio.serve import Listener, Server

    prod = load(production)
    synths = [make_synthesizer(prod, BuildOptions()).start() for _ in range(2)]
    app, live = make_app(prod, {"allowed_hosts": allowed_hosts("127.0.0.1")}, None, *synths,
                         tmp_path / "work", Log(0))
    running = Server(app, Listener("127.0.0.1", 0)).start()
    try:
        yield running
    finally:
        running.stop()
        for synth in synths:
            synth.close()


class Tab:
    """One browser tab: its own session cookie and CSRF token."""

    def __init__(self, port: int):
        self.port = port
        response, body = self.request("GET", "/api/session")
        self.cookie = response.headers["set-cookie"].split(";")[0]
        self.token = body["csrf"]

    def request(self, method: str, path: str, body=None):
        import http.client
        import json

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Content-Type": "application/json",
                   "Origin": f"http://127.0.0.1:{self.port}"}
        if getattr(self, "cookie", None):
            headers.update({"Cookie": self.cookie, "X-CSRF-Token": self.token})
        conn.request(method, path, body=None if body is None else json.dumps(body),
                     headers=headers)
        response = conn.getresponse()
        data = json.loads(response.read() or b"null")
        conn.close()
        return response, data


@pytest.mark.parametrize("route, read", [
    ("/api/episodes/episode1/script", "/api/episodes/episode1/script"),
    ("/api/pronunciations", "/api/pronunciations")])
def test_two_tabs_saving_together_never_lose_a_text_unseen(server, production, route, read):
    """Two tabs opened on the same text save different texts at the same moment: one
    is saved, the other is told of the conflict with the saved text; never two 200s."""
    import threading

    tabs = [Tab(server.port), Tab(server.port)]
    for trial in range(4):
        _, base = tabs[0].request("GET", read)
        texts = [base["text"] + f"\nMC1: Câu thêm của thẻ {i}, lần {trial}.\n"
                 if "script" in route else base["text"] + f"Thẻ{i}x{trial}\tthẻ {i}\n"
                 for i in range(2)]
        results = [None, None]
        start = threading.Barrier(2)

        def save(i):
            start.wait()
            results[i] = tabs[i].request("POST", route,
                                         {"text": texts[i], "base_sha": base["sha"]})

        threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = sorted(response.status for response, _ in results)
        assert statuses == [200, 409], (trial, statuses)
        winner = next(i for i in range(2) if results[i][0].status == 200)
        loser = results[1 - winner][1]
        _, disk = tabs[0].request("GET", read)
        assert disk["text"] == texts[winner] == loser["disk_text"]


def test_saving_the_text_already_saved_is_no_conflict(make_client, production):
    """A second Ctrl-S sent while the first was under way carries the old base: the
    text is already on disk, so it is saved, not a conflict."""
    client = make_client()
    token = csrf(client)
    base = client.get("/api/episodes/episode1/script").json()
    text = base["text"] + "\nMC1: Một câu mới.\n"
    body = {"text": text, "base_sha": base["sha"]}
    first = post(client, "/api/episodes/episode1/script", body, token)
    second = post(client, "/api/episodes/episode1/script", body, token)
    assert first.status_code == second.status_code == 200, second.text
    assert first.json()["sha"] == second.json()["sha"]
    # a different text on the old base is still a conflict
    other = post(client, "/api/episodes/episode1/script", {**body, "text": text + "x\n"}, token)
    assert other.status_code == 409
    assert (production / "scripts" / "episode1.md").read_text(encoding="utf-8") == text


# -- in headless Chromium ---------------------------------------------------------------
@pytest.fixture
def browser(tmp_path_factory):
    from conftest import headless_chromium

    yield from headless_chromium(tmp_path_factory)


def _set_text(driver, text: str) -> None:
    driver.execute_script("const s = document.getElementById('source'); s.value = arguments[0];"
                          "s.dispatchEvent(new Event('input', {bubbles: true}));", text)


def _dirty(driver):
    return driver.execute_script("return document.body.dataset.dirty")


def test_editor_windows_script_nfd_and_leaving_unsaved(server, production, browser):
    """A script saved by a Windows editor (BOM, CRLF) opens as saved; NFD typed in the page
    is stored as NFC; leaving the editor with unsaved changes asks first; two quick
    saves in a row are no conflict."""
    from selenium.webdriver.common.by import By
    from test_preview import screenshot, wait_for

    script = production / "scripts" / "episode1.md"
    original = script.read_text(encoding="utf-8")
    script.write_bytes(b"\xef\xbb\xbf" + original.replace("\n", "\r\n").encode("utf-8"))
    browser.get(server.url + "#/edit/episode1")
    wait_for(lambda: browser.execute_script("return document.body.dataset.checked"), 20,
             "the editor")
    assert browser.find_element(By.ID, "source").get_attribute("value") == original
    assert _dirty(browser) == "0"
    assert browser.find_element(By.ID, "edit-state").text == ""

    # NFD as some keyboards and pasted text give it: stored as NFC
    nfd = unicodedata.normalize("NFD", "MC1: Đường làng ngõ xóm sạch đẹp, người dân phấn khởi.")
    edited = original + "\n" + nfd + "\n"
    _set_text(browser, edited)
    assert _dirty(browser) == "1"

    # leaving with unsaved changes: asked; "stay" keeps the text and the editor
    browser.find_element(By.CSS_SELECTOR, '#nav a[data-view="assets"]').click()
    alert = wait_for(lambda: _alert(browser), 5, "the question before leaving")
    assert "chưa lưu" in alert.text
    alert.dismiss()
    assert browser.execute_script("return location.hash") == "#/edit/episode1"
    assert browser.find_element(By.ID, "source").get_attribute("value") == edited
    screenshot(browser, "studio-editor-unsaved.png")

    # two saves at once (a double Ctrl-S with a keystroke between): both saved, no conflict
    browser.execute_script("document.getElementById('save').click();")
    _set_text(browser, edited + "MC2: Câu cuối.\n")
    browser.execute_script("document.getElementById('save').click();")
    wait_for(lambda: _dirty(browser) == "0" and script.read_text(encoding="utf-8")
             .endswith("Câu cuối.\n"), 20, "both saves")
    assert browser.find_element(By.ID, "conflict").get_attribute("hidden") is not None
    saved = script.read_text(encoding="utf-8")
    assert saved == unicodedata.normalize("NFC", edited + "MC2: Câu cuối.\n")
    assert "\r" not in saved and not saved.startswith("\ufeff")

    # saved: leaving asks nothing
    browser.find_element(By.CSS_SELECTOR, '#nav a[data-view="assets"]').click()
    wait_for(lambda: browser.execute_script("return document.body.dataset.view") == "assets",
             5, "the assets page")
    assert _alert(browser) is None


def _alert(driver):
    from selenium.common.exceptions import NoAlertPresentException

    try:
        alert = driver.switch_to.alert
        alert.text
        return alert
    except NoAlertPresentException:
        return None


def test_the_studio_answers_on_ipv6_loopback(production, tmp_path):
    """`radio studio --host ::1` prints http://[::1]:PORT/: the browser's Host header is
    "[::1]:PORT", which must be allowed, and a save from that page accepted."""
    import http.client
    import json
    import socket

    from radio.log import Log
    from radio.pipeline.build import make_synthesizer
    from radio.pipeline.options import BuildOptions
    from radio.studio import allowed_hosts, make_app
    from radio.studio.serve import Listener, Server

    if not socket.has_ipv6:
        pytest.skip("no IPv6 here")
    prod = load(production)
    synths = [make_synthesizer(prod, BuildOptions()) for _ in range(2)]
    app, _ = make_app(prod, {"allowed_hosts": allowed_hosts("::1")}, None, *synths,
                      tmp_path / "work", Log(0))
    try:
        running = Server(app, Listener("::1", 0)).start()
    except Exception as exc:  # noqa: BLE001 (a machine without ::1)
        pytest.skip(f"cannot listen on ::1: {exc}")
    try:
        assert running.url == f"http://[::1]:{running.port}/"

        def request(method, path, body=None, headers=None):
            conn = http.client.HTTPConnection("::1", running.port, timeout=30)
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response, response.read()

        response, body = request("GET", "/api/session")   # Host: [::1]:PORT
        assert response.status == 200, body
        cookie = response.headers["set-cookie"].split(";")[0]
        token = json.loads(body)["csrf"]
        response, body = request("POST", "/api/normalize",
                                 json.dumps({"tsv": "", "text": "ngày 2/9"}),
                                 {"Cookie": cookie, "X-CSRF-Token": token,
                                  "Origin": f"http://[::1]:{running.port}",
                                  "Content-Type": "application/json"})
        assert response.status == 200, body
        assert "tháng chín" in json.loads(body)["spoken"]
        response, _ = request("GET", "/api/session", headers={"Host": "attacker.example"})
        assert response.status == 400
    finally:
        running.stop()
        for synth in synths:
            synth.close()


LEGACY_SCRIPT = ('---\ntitle: "Chuyên đề cũ"\nnumber: 5\nspeakers:\n  MC1: {name: "Anh Hùng", '
                 'voice: vi}\n---\nMC1: Xin chào bà con nông dân xã Cẩm Xuyên.\n')


@pytest.mark.parametrize("encoding, says", [("utf-16", "UTF-16"), ("vni", "VNI"),
                                            ("cp1258", "1258")])
def test_a_script_not_in_utf8_is_explained_not_a_500(make_client, production, encoding, says):
    """A script saved by Notepad as 'Unicode' or typed with a VNI/ABC font opens in the
    editor as a problem naming the file and `radio convert`; a save writes nothing."""
    from radio.script.legacy import encode_cp1258, encode_vni

    raw = {"utf-16": lambda t: t.encode("utf-16"), "vni": encode_vni,
           "cp1258": encode_cp1258}[encoding](LEGACY_SCRIPT)
    script = production / "scripts" / "cu.md"
    script.write_bytes(raw)
    client = make_client(raise_server_exceptions=False)
    response = client.get("/api/episodes/cu/script")
    assert response.status_code == 422, response.text
    problem = response.json()["problems"][0]
    assert problem["path"] == "scripts/cu.md" and problem["line"]
    assert says in problem["message"] and "radio convert scripts/cu.md" in problem["hint"]
    save = post(client, "/api/episodes/cu/script", {"text": "MC1: x\n", "base_sha": ""},
                csrf(client))
    assert save.status_code == 422, save.text
    assert script.read_bytes() == raw


def test_the_editor_says_why_it_cannot_open_a_script(server, production, browser):
    from selenium.webdriver.common.by import By
    from test_preview import screenshot, wait_for

    from radio.script.legacy import encode_vni

    (production / "scripts" / "cu.md").write_bytes(encode_vni(LEGACY_SCRIPT))
    browser.get(server.url + "#/edit/episode1")
    wait_for(lambda: browser.find_element(By.ID, "source").get_attribute("value"), 20,
             "episode1 in the editor")
    browser.get(server.url + "#/edit/cu")
    notice = wait_for(lambda: (lambda n: n if n.is_displayed() and n.text else None)(
        browser.find_element(By.ID, "notice")), 20, "the notice")
    assert "scripts/cu.md" in notice.text and "VNI" in notice.text
    assert "radio convert" in notice.text
    assert browser.find_element(By.ID, "source").get_attribute("value") == ""
    assert browser.find_element(By.ID, "edit-title").text == "cu"
    screenshot(browser, "studio-editor-vni.png")


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252"])
def test_pronunciations_not_in_utf8_are_explained_and_kept(make_client, production, encoding):
    """pronunciations.tsv saved by Excel as "Unicode text" (UTF-16) or as ANSI: the page
    is told what to do (not a 500), and a save does not write over it."""
    path = production / "pronunciations.tsv"
    raw = "UBND\tủy ban nhân dân\nCafé\tca phê\n".encode(encoding, errors="replace")
    path.write_bytes(raw)
    client = make_client(raise_server_exceptions=False)
    response = client.get("/api/pronunciations")
    assert response.status_code == 422, response.text
    problem = response.json()["problems"][0]
    assert problem["path"] == "pronunciations.tsv" and "UTF-8" in problem["message"]
    save = post(client, "/api/pronunciations", {"text": "A\tbê\n", "base_sha": None},
                csrf(client))
    assert save.status_code == 422, save.text
    assert path.read_bytes() == raw


@pytest.mark.parametrize("text", ["", "\n", "  \r\n\t\n", "\u00a0\n"])
def test_an_empty_save_keeps_the_script(make_client, production, text):
    client = make_client()
    script = production / "scripts" / "episode1.md"
    before = script.read_bytes()
    sha = client.get("/api/episodes/episode1/script").json()["sha"]
    response = post(client, "/api/episodes/episode1/script", {"text": text, "base_sha": sha},
                    csrf(client))
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "error.empty_script"
    assert "scripts/episode1.md" in response.json()["error"]
    assert script.read_bytes() == before


def test_a_script_that_does_not_parse_is_saved_and_its_problem_shown(make_client, production):
    """Half-written text is the producer's work: it is saved as typed (nothing lost), and
    the check names the line."""
    client = make_client()
    script = production / "scripts" / "episode1.md"
    broken = script.read_text(encoding="utf-8").replace("---\n", "---\ntitle: [\n", 1)
    sha = client.get("/api/episodes/episode1/script").json()["sha"]
    token = csrf(client)
    saved = post(client, "/api/episodes/episode1/script", {"text": broken, "base_sha": sha},
                 token)
    assert saved.status_code == 200, saved.text
    assert script.read_text(encoding="utf-8") == broken
    problems = post(client, "/api/episodes/episode1/check", {"text": broken}, token).json()
    assert problems["problems"][0]["path"] == "scripts/episode1.md"
    assert problems["problems"][0]["line"] and "YAML" in problems["problems"][0]["message"]


def test_editing_a_recorded_paragraph_shows_its_take_is_stale(make_client, production):
    """`radio check` warns of a stale take; the editor's check, run while typing, too —
    and only asking never registers anything for the unsaved text."""
    from test_studio_security import _tone_wav

    client = make_client()
    token = csrf(client)
    taken = client.post("/api/episodes/episode1/takes/p002?type=wav", content=_tone_wav(),
                        headers={"X-CSRF-Token": token, "Origin": "http://testserver"})
    assert taken.status_code == 201, taken.text
    folder = production / "takes" / "episode1"
    registered = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    text = client.get("/api/episodes/episode1/script").json()["text"]
    line = next(i for i, row in enumerate(text.split("\n"), 1) if row.startswith("MC2:"))
    edited = text.replace("UBND tỉnh ban hành", "Ủy ban nhân dân tỉnh đã ban hành")
    problems = post(client, "/api/episodes/episode1/check", {"text": edited}, token).json()
    stale = [p for p in problems["problems"] if "p002" in p["message"]
             and "bản thu cũ" in p["message"]]
    assert stale and stale[0]["line"] == line and stale[0]["severity"] == "warning", problems
    unchanged = post(client, "/api/episodes/episode1/check", {"text": text}, token).json()
    assert not [p for p in unchanged["problems"] if "bản thu cũ" in p["message"]]
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == registered


def test_a_pronunciations_conflict_can_be_resolved_in_the_page(server, production, browser):
    """pronunciations.tsv changed in Excel while the Cách đọc page was open: saving asks;
    OK keeps the page's text, Cancel opens the disk's. Before, every save was refused
    until the page was reloaded, and a reload lost what was typed."""
    from selenium.webdriver.common.by import By
    from test_preview import wait_for

    path = production / "pronunciations.tsv"
    path.write_text("UBND\tủy ban nhân dân\n", encoding="utf-8")
    browser.get(server.url + "#/pron")
    area = wait_for(lambda: (lambda a: a if "UBND" in a.get_attribute("value") else None)(
        browser.find_element(By.ID, "pron-text")), 20, "the pronunciations")

    def type_and_save(text):
        browser.execute_script("const a = document.getElementById('pron-text');"
                               "a.value = arguments[0];"
                               "a.dispatchEvent(new Event('input', {bubbles: true}));", text)
        browser.find_element(By.ID, "pron-save").click()
        return wait_for(lambda: _alert(browser), 10, "the question")

    path.write_text("UBND\tủy ban\nHĐND\thội đồng nhân dân\n", encoding="utf-8")   # Excel
    mine = "UBND\tủy ban nhân dân\nTP\tthành phố\n"
    alert = type_and_save(mine)
    assert "pronunciations.tsv" in alert.text
    alert.accept()
    wait_for(lambda: path.read_text(encoding="utf-8") == mine, 10, "mine saved")

    path.write_text("UBND\tủy ban\nXã\txã\n", encoding="utf-8")
    type_and_save(mine + "CA\tcông an\n").dismiss()
    wait_for(lambda: area.get_attribute("value") == "UBND\tủy ban\nXã\txã\n", 10,
             "the disk's text in the page")
    assert path.read_text(encoding="utf-8") == "UBND\tủy ban\nXã\txã\n"
    browser.find_element(By.ID, "pron-save").click()   # now on the disk's version: saved
    wait_for(lambda: "Đã lưu" in browser.find_element(By.ID, "pron-state").text, 10, "saved")
    assert _alert(browser) is None
