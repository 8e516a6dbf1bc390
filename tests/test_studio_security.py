"""`radio studio`'s security: every refusal, and that nothing is written when refused.

Most requests go through Starlette's TestClient (the whole application, its
middleware included); the LAN bind runs the real uvicorn server with HTTPS.
"""
from __future__ import annotations

import hashlib
import http.client
import json
import os
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest

from radio.config import load
from conftest import ffmpeg_exe, require_tool
from radio.log import Log

ORIGIN = "http://testserver"
PASSWORD = "cam-ha-tinh-2021"


def tree_digest(root: Path) -> dict[str, str]:
    """Every file of the production but the build's own state, with its SHA-256."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not rel.startswith((".radio/", "output/", "takes/")):
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture
def make_client(production, tmp_path):
    from starlette.testclient import TestClient

    from radio.pipeline.build import make_synthesizer
    from radio.pipeline.options import BuildOptions
    from radio.studio import make_app

    made = []

    def make(password: str | None = None, raise_server_exceptions: bool = True, **config):
        prod = load(production)
        synths = [make_synthesizer(prod, BuildOptions()) for _ in range(2)]
        values = {"allowed_hosts": ("testserver", "127.0.0.1"), **config}
        from radio.studio.security import hash_password

        app, live = make_app(prod, values, hash_password(password) if password else None,
                             *synths, tmp_path / "work", Log(0))
        client = TestClient(app, raise_server_exceptions=raise_server_exceptions)
        made.append((client, synths))
        return client

    yield make
    for client, synths in made:
        client.close()
        for synth in synths:
            synth.close()


def csrf(client) -> str:
    return client.get("/api/session").json()["csrf"]


def post(client, path, body=None, token=None, origin=ORIGIN, **kw):
    headers = {}
    if token is not None:
        headers["X-CSRF-Token"] = token
    if origin is not None:
        headers["Origin"] = origin
    if body is not None:
        kw["json"] = body
    return client.post(path, headers=headers, **kw)


def save_body(client, text):
    sha = client.get("/api/episodes/episode1/script").json()["sha"]
    return {"text": text, "base_sha": sha}


def test_state_changes_need_the_csrf_token_and_our_origin(make_client, production):
    client = make_client()
    before = tree_digest(production)
    body = save_body(client, "MC1: changed\n")
    token = csrf(client)
    for response in (post(client, "/api/episodes/episode1/script", body),              # no token
                     post(client, "/api/episodes/episode1/script", body, "forged"),    # wrong one
                     post(client, "/api/episodes/episode1/script", body, token,
                          origin="http://attacker.example"),                          # foreign
                     post(client, "/api/episodes/episode1/script", body, token,
                          origin=None),                                               # none
                     post(client, "/api/episodes", {"name": "x"}, origin="null"),
                     post(client, "/api/pronunciations", {"text": "A\tB\n"})):
        assert response.status_code == 403, response.text
        assert response.json()["code"] in ("error.csrf", "error.origin")
    assert "mã bảo vệ" in post(client, "/api/episodes", {"name": "x"}).json()["error"]
    assert tree_digest(production) == before
    # the same request with both is accepted: the refusals above were the checks
    ok = post(client, "/api/episodes/episode1/script", body, token)
    assert ok.status_code == 200, ok.text
    assert (production / "scripts" / "episode1.md").read_text(encoding="utf-8") == "MC1: changed\n"


@pytest.mark.parametrize("path", [
    "/api/episodes/episode1/script", "/api/episodes/episode1/check", "/api/episodes",
    "/api/pronunciations", "/api/normalize", "/api/jobs", "/api/lang", "/api/login"])
@pytest.mark.parametrize("body", [b"not json", b"{\"text\": ", b"[1, 2]", b"null",
                                  b"\"text\"", b"\xff\xfe\x00x", b"",
                                  b'{"text": 5, "name": [], "title": {}, "kind": 1, '
                                  b'"password": 0, "tsv": false, "base_sha": 7, "lang": 3}'])
def test_a_malformed_body_is_a_clear_400_not_a_crash(make_client, production, path, body):
    client = make_client(raise_server_exceptions=False)
    token = csrf(client)
    before = tree_digest(production)
    response = client.post(path, content=body, headers={
        "X-CSRF-Token": token, "Origin": ORIGIN, "Content-Type": "application/json"})
    assert response.status_code == 400, (path, body, response.text)
    assert response.json()["code"] == "error.body"
    assert "tải lại trang" in response.json()["error"]
    assert tree_digest(production) == before


def test_a_save_without_text_writes_nothing(make_client, production):
    client = make_client(raise_server_exceptions=False)
    token = csrf(client)
    script = production / "scripts" / "episode1.md"
    before = script.read_bytes()
    sha = save_body(client, "")["base_sha"]
    for body in ({"base_sha": sha}, {"text": None, "base_sha": sha}):
        response = post(client, "/api/episodes/episode1/script", body, token)
        assert response.status_code == 400, response.text
        response = post(client, "/api/pronunciations", body, token)
        assert response.status_code == 400, response.text
    assert script.read_bytes() == before


def test_foreign_host_header_refused(make_client):
    client = make_client()
    assert client.get("/api/session", headers={"Host": "attacker.example"}).status_code == 400
    assert client.get("/api/session").status_code == 200


def test_login_required_and_rate_limited(make_client, production):
    client = make_client(password=PASSWORD)
    before = tree_digest(production)
    token = csrf(client)
    for path in ("/api/episodes", "/api/episodes/episode1/script", "/api/assets",
                 "/output/episode1/episode1.json", "/episodes/episode1/preview/api/status",
                 "/api/jobs/current"):
        assert client.get(path).status_code == 401, path
    assert post(client, "/api/episodes/episode1/script", {"text": "x", "base_sha": ""},
                token).status_code == 401
    assert post(client, "/api/jobs", {"kind": "build"}, token).status_code == 401
    assert post(client, "/api/login", {"password": "wrong"}, token).status_code == 403
    assert tree_digest(production) == before

    assert post(client, "/api/login", {"password": PASSWORD}, token).status_code == 200
    assert client.get("/api/episodes").status_code == 200
    assert csrf(client) != token                       # a new session after the login
    other = make_client(password=PASSWORD)
    other_token = csrf(other)
    statuses = [post(other, "/api/login", {"password": f"guess{i}"}, other_token).status_code
                for i in range(6)]
    assert statuses[:5] == [403] * 5 and statuses[5] == 429
    limited = post(other, "/api/login", {"password": PASSWORD}, other_token)
    assert limited.status_code == 429 and "giây" in limited.json()["error"]


@pytest.mark.parametrize("path", [
    "/output/../radio.toml", "/output/%2e%2e/radio.toml", "/output/%252e%252e/radio.toml",
    "/output/..%2fradio.toml", "/output//etc/passwd", "/output/%2fetc%2fpasswd",
    "/output/..%5cradio.toml", "/audition/../../radio.toml", "/audition/%2e%2e%2fradio.toml",
    "/episodes/..%2f..%2fradio/preview/", "/episodes/episode1/preview/files/%2e%2e/x",
    "/api/episodes/..%2fradio/script", "/studio-static/..%2f..%2fcli.py",
    "/output/link/secret.txt",
])
def test_traversal_paths_refused(make_client, production, path):
    (production / "output").mkdir(exist_ok=True)
    (production.parent / "secret.txt").write_text("secret")
    link = production / "output" / "link"
    if not link.exists():
        link.symlink_to(production.parent)
    client = make_client()
    response = client.get(path)
    assert response.status_code in (400, 403, 404), path
    assert b"[production]" not in response.content and b"secret" not in response.content
    assert b"root:" not in response.content and b"import" not in response.content


def test_writes_stay_inside_the_production(make_client, production):
    client = make_client()
    token = csrf(client)
    before = tree_digest(production)
    bad_names = ["../evil", "/tmp/evil", "EVIL", "a/b", "..", "%2e%2e", ""]
    for name in bad_names:
        response = post(client, "/api/episodes", {"name": name, "title": "x"}, token)
        assert response.status_code == 422, name
    for name in ("..%2fradio", "nothere"):
        assert post(client, f"/api/episodes/{name}/script", {"text": "x", "base_sha": ""},
                    token).status_code == 404
    wav = _wav_bytes()
    for folder, filename in (("../scripts", "x.wav"), ("music", "../../radio.toml.wav"),
                             ("music", "..\\x.wav"), ("/etc", "x.wav"), ("music", ".hidden.wav"),
                             ("music", "a/b.wav")):
        response = post(client, "/api/assets", None, token,
                        files={"file": (filename, wav, "audio/wav")}, data={"folder": folder})
        assert response.status_code == 400, (folder, filename, response.text)
    assert tree_digest(production) == before
    assert not (production.parent / "evil.md").exists()


def _wav_bytes(seconds: float = 0.2) -> bytes:
    import io
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(44100)
        out.writeframes(b"\x00\x01" * int(44100 * seconds))
    return buffer.getvalue()


def test_uploads_limited_in_size_and_type(make_client, production):
    client = make_client(max_upload_bytes=20_000)
    token = csrf(client)
    before = tree_digest(production)
    big = _wav_bytes(1.0)    # 88 kB
    response = post(client, "/api/assets", None, token,
                    files={"file": ("big.wav", big, "audio/wav")}, data={"folder": "music"})
    assert response.status_code == 413 and "20" not in response.json()["code"]
    for name, data in (("notes.txt", b"hello"), ("fake.wav", b"MZ\x90\x00" + b"\0" * 100),
                       ("script.md", b"---\n"), ("fake.mp3", b"<html>" * 10)):
        response = post(client, "/api/assets", None, token,
                        files={"file": (name, data, "audio/wav")}, data={"folder": "music"})
        assert response.status_code == 415, name
    assert tree_digest(production) == before
    assert not any(p.name.startswith(".") for p in (production / "audio_assets").rglob("*"))
    # an honest small recording is accepted, and never overwrites one that exists
    small = _wav_bytes(0.1)
    response = post(client, "/api/assets", None, token,
                    files={"file": ("tiếng vỗ tay.wav", small, "audio/wav")},
                    data={"folder": "sfx"})
    assert response.status_code == 201, response.text
    assert (production / "audio_assets" / "sfx" / "tiếng vỗ tay.wav").read_bytes() == small
    again = post(client, "/api/assets", None, token,
                 files={"file": ("tiếng vỗ tay.wav", big[:1000], "audio/wav")},
                 data={"folder": "sfx"})
    assert again.status_code == 409
    assert (production / "audio_assets" / "sfx" / "tiếng vỗ tay.wav").read_bytes() == small


def test_save_detects_a_change_on_disk(make_client, production):
    client = make_client()
    token = csrf(client)
    script = production / "scripts" / "episode1.md"
    body = save_body(client, "mine\n")
    script.write_text(script.read_text(encoding="utf-8") + "\nMC1: từ trình soạn thảo khác.\n",
                      encoding="utf-8")
    theirs = script.read_text(encoding="utf-8")
    response = post(client, "/api/episodes/episode1/script", body, token)
    assert response.status_code == 409
    data = response.json()
    assert data["conflict"] and data["disk_text"] == theirs
    assert script.read_text(encoding="utf-8") == theirs       # nothing lost
    forced = post(client, "/api/episodes/episode1/script",
                  {"text": "mine\n", "base_sha": data["disk_sha"]}, token)
    assert forced.status_code == 200 and script.read_text(encoding="utf-8") == "mine\n"


def test_second_job_is_busy_not_a_second_build(make_client, production):
    client = make_client()
    token = csrf(client)
    first = post(client, "/api/jobs", {"kind": "build", "preset": "web"}, token)
    assert first.status_code == 202, first.text
    second = post(client, "/api/jobs", {"kind": "disc"}, token)
    assert second.status_code == 409 and second.json()["code"] == "error.busy"
    assert "đang bận" in second.json()["error"].lower()
    deadline = time.monotonic() + 120
    while (job := client.get("/api/jobs/current").json()["job"])["state"] == "running":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert job["state"] == "done", job
    assert "episode1/episode1.web.mp3" in job["files"]
    assert post(client, "/api/jobs", {"kind": "rm -rf"}, token).status_code == 400


def test_preview_is_read_only(production):
    from starlette.testclient import TestClient

    from radio.studio.app import StudioConfig, preview_app

    app = preview_app(StudioConfig(root=production, read_only=True,
                                   allowed_hosts=("testserver",)), None)
    client = TestClient(app)
    assert client.post("/api/status", headers={"Origin": ORIGIN}).status_code == 405
    assert client.get("/api/status").status_code == 404     # no session: nothing to show


# -- the real server: a LAN bind -------------------------------------------------------
def test_lan_bind_without_password_refused(production, monkeypatch, capsys):
    from radio.cli import main

    monkeypatch.delenv("RADIO_STUDIO_PASSWORD", raising=False)
    monkeypatch.chdir(production)
    port = _free_port()
    assert main(["studio", "--host", "0.0.0.0", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert "without a password" in err and "--set-password" in err and "Traceback" not in err
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def lan_server(production, tmp_path, monkeypatch):
    from radio.pipeline.build import make_synthesizer
    from radio.pipeline.options import BuildOptions
    from radio.studio import StudioOptions, allowed_hosts, make_app, prepare
    from radio.studio.security import set_password
    from radio.studio.serve import Server

    monkeypatch.delenv("RADIO_STUDIO_PASSWORD", raising=False)
    prod = load(production)
    set_password(prod.state_dir, PASSWORD)
    listener, password = prepare(prod, StudioOptions(host="0.0.0.0", port=0), Log(0))
    synths = [make_synthesizer(prod, BuildOptions()) for _ in range(2)]
    app, _ = make_app(prod, {"scheme": listener.scheme,
                             "allowed_hosts": allowed_hosts("0.0.0.0")},
                      password, *synths, tmp_path / "work", Log(0))
    server = Server(app, listener).start()
    try:
        yield server, prod
    finally:
        server.stop()
        for synth in synths:
            synth.close()


def _https(port, method, path, body=None, headers=None):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=context)
    try:
        conn.request(method, path, body=json.dumps(body) if body is not None else None,
                     headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read(), conn.sock.getpeercert(True)
    finally:
        conn.close()


def test_lan_bind_serves_https_only_with_login(lan_server):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    from radio.studio.tls import fingerprint

    server, prod = lan_server
    assert server.url.startswith("https://0.0.0.0:")
    port = server.port
    stored = (prod.state_dir / "studio-password").read_text()
    assert stored.startswith("scrypt$") and PASSWORD not in stored
    assert oct((prod.state_dir / "studio-password").stat().st_mode & 0o777) == "0o600"
    assert PASSWORD not in (prod.root / "radio.toml").read_text()

    # plain HTTP gets no answer from the studio
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/api/episodes")
        answered = conn.getresponse().status
    except (http.client.HTTPException, OSError):
        answered = None   # the TLS server drops a request in clear
    finally:
        conn.close()
    assert answered is None

    status, headers, body, der = _https(port, "GET", "/api/session")
    assert status == 200 and json.loads(body)["login_required"] is True
    cert = x509.load_der_x509_certificate(der)
    assert cert.fingerprint(hashes.SHA256()).hex(":").upper() == \
        fingerprint(prod.state_dir / "studio-cert.pem")
    cookie = headers["set-cookie"].split(";")[0]
    assert "Secure" in headers["set-cookie"] and "HttpOnly" in headers["set-cookie"]
    token = json.loads(body)["csrf"]
    assert _https(port, "GET", "/api/episodes", headers={"Cookie": cookie})[0] == 401
    origin = f"https://127.0.0.1:{port}"
    common = {"Cookie": cookie, "X-CSRF-Token": token, "Origin": origin,
              "Content-Type": "application/json"}
    http_origin = {**common, "Origin": f"http://127.0.0.1:{port}"}
    assert _https(port, "POST", "/api/login", {"password": PASSWORD}, http_origin)[0] == 403
    status, headers, body, _ = _https(port, "POST", "/api/login", {"password": PASSWORD}, common)
    assert status == 200
    cookie = headers["set-cookie"].split(";")[0]
    assert _https(port, "GET", "/api/episodes", headers={"Cookie": cookie})[0] == 200
    foreign = {"Cookie": cookie, "Host": "attacker.example"}
    assert _https(port, "GET", "/api/episodes", headers=foreign)[0] == 400
    os.environ.pop("RADIO_STUDIO_PASSWORD", None)


def test_set_password_keeps_a_scrypt_hash_in_dot_radio(production, monkeypatch):
    from click.testing import CliRunner

    from radio.cli import cli
    from radio.studio.security import check_password, stored_password

    monkeypatch.delenv("RADIO_STUDIO_PASSWORD", raising=False)
    monkeypatch.chdir(production)
    result = CliRunner().invoke(cli, ["studio", "--set-password"],
                                input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    stored = stored_password(production / ".radio")
    assert stored.startswith("scrypt$") and check_password(PASSWORD, stored)
    assert not check_password("wrong-password", stored)
    short = CliRunner().invoke(cli, ["studio", "--set-password"], input="abc\nabc\n")
    assert short.exit_code != 0 and stored_password(production / ".radio") == stored


def _tone_wav(hz: float = 330.0, seconds: float = 2.0) -> bytes:
    import io
    import wave

    import numpy as np

    t = np.arange(int(44100 * seconds)) / 44100
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(44100)
        out.writeframes((0.3 * np.sin(2 * np.pi * hz * t) * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def test_a_broken_take_never_replaces_a_good_one(make_client, production):
    """A recording with the right first bytes but nothing ffmpeg can read (a cut
    upload, a file renamed .wav) is refused, and the take already there stays."""
    client = make_client()
    token = csrf(client)
    good = _tone_wav()
    takes = production / "takes" / "episode1"

    def send(data: bytes, kind: str = "wav"):
        return client.post(f"/api/episodes/episode1/takes/p002?type={kind}", content=data,
            headers={"X-CSRF-Token": token, "Origin": ORIGIN,
                     "Content-Type": "application/octet-stream"})

    accepted = send(good)
    assert accepted.status_code == 201, accepted.text
    assert (takes / "p002.wav").read_bytes() == good
    sidecar = (takes / "p002.json").read_bytes()
    for data, kind in ((good[:12] + b"\0" * 400, "wav"),          # RIFF....WAVE, then zeros
                       (good[:44], "wav"),                          # a header, no samples
                       (b"fLaC" + os.urandom(3000), "flac"),
                       (b"ID3" + os.urandom(3000), "mp3"),
                       (b"OggS" + os.urandom(3000), "ogg")):
        response = send(data, kind)
        assert response.status_code == 415, (kind, response.text)
        assert response.json()["code"] == "error.undecodable"
        assert "p002" in response.json()["error"] and "thu" in response.json()["error"]
        assert sorted(p.name for p in takes.iterdir()) == ["ids.tsv", "p002.json", "p002.wav"]
        assert (takes / "p002.wav").read_bytes() == good
        assert (takes / "p002.json").read_bytes() == sidecar


def test_an_upload_ffmpeg_cannot_read_is_refused(make_client, production):
    client = make_client()
    token = csrf(client)
    before = tree_digest(production)
    for name, data in (("cut.wav", _tone_wav()[:12] + b"\0" * 400),
                       ("noise.flac", b"fLaC" + os.urandom(3000)),
                       ("noise.mp3", b"ID3" + os.urandom(3000))):
        response = post(client, "/api/assets", None, token,
                        files={"file": (name, data, "audio/wav")}, data={"folder": "music"})
        assert response.status_code == 415, (name, response.text)
        assert response.json()["code"] == "error.undecodable"
    assert tree_digest(production) == before
    assert not any(".tmp" in p.name or p.name.startswith(".")
                   for p in (production / "audio_assets").rglob("*"))


def test_recording_again_keeps_the_earlier_take(make_client, production):
    """Dùng bản này on a paragraph that has a take moves the earlier recording (and its
    sidecar) into takes/<episode>/replaced/: a narrator's recording is never deleted."""
    from radio.pipeline.prepare import load_episodes
    from radio.takes import Takes

    client = make_client()
    token = csrf(client)
    takes = production / "takes" / "episode1"

    def send(data: bytes, kind: str):
        return client.post(f"/api/episodes/episode1/takes/p002?type={kind}", content=data,
                           headers={"X-CSRF-Token": token, "Origin": ORIGIN})

    first, second = _tone_wav(330), _tone_wav(550)
    assert send(first, "wav").status_code == 201
    first_sidecar = (takes / "p002.json").read_bytes()
    assert send(second, "wav").status_code == 201          # the same name: p002.wav again
    flac = takes / "x.flac"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", "sine=f=440:d=2",
                    "-ac", "1", str(flac)], check=True)
    third = flac.read_bytes()
    flac.unlink()
    assert send(third, "flac").status_code == 201          # another type: p002.flac
    assert sorted(p.name for p in takes.iterdir() if p.is_file()) == \
        ["ids.tsv", "p002.flac", "p002.json"]
    kept = sorted((takes / "replaced").iterdir())
    audio = [p for p in kept if p.suffix == ".wav"]
    assert len(audio) == 2 and len(kept) == 4, kept
    assert sorted(p.read_bytes() for p in audio) == sorted([first, second])
    assert first_sidecar in [p.read_bytes() for p in kept if p.suffix == ".json"]
    prod = load(production)
    episode = load_episodes(prod, ["episode1"])[0]
    state = {s.pid: s for s in Takes(prod).states(episode)}["p002"]
    assert state.state == "take" and state.take.path.name == "p002.flac"


@pytest.mark.parametrize("set_form, typed_form", [("NFD", "NFC"), ("NFC", "NFD")])
def test_a_vietnamese_password_logs_in_from_any_keyboard(make_client, set_form, typed_form):
    """Unikey's "Unicode tổ hợp" types NFD, most keyboards NFC: the same password."""
    import unicodedata

    password = "Mật khẩu Hà Tĩnh 2021"
    client = make_client(password=unicodedata.normalize(set_form, password))
    token = csrf(client)
    typed = unicodedata.normalize(typed_form, password)
    assert typed != unicodedata.normalize(set_form, password)
    response = post(client, "/api/login", {"password": typed}, token)
    assert response.status_code == 200, response.text
    assert client.get("/api/episodes").status_code == 200
    assert post(client, "/api/login", {"password": password.lower()}, csrf(client)
                ).status_code == 403


def test_a_password_hashed_before_nfc_still_logs_in():
    import hashlib
    import unicodedata

    from radio.studio.security import SCRYPT, check_password

    nfd = unicodedata.normalize("NFD", "Mật khẩu cũ 123")
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(nfd.encode(), salt=salt, dklen=32, **SCRYPT)
    old = f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${salt.hex()}${digest.hex()}"
    assert check_password(nfd, old)
    assert not check_password("Mật khẩu khác 123", old)


STATE_CHANGES = [
    ("POST", "/api/lang", {"lang": "en"}), ("POST", "/api/login", {"password": PASSWORD}),
    ("POST", "/api/logout", {}), ("POST", "/api/episodes", {"name": "moi", "title": "x"}),
    ("POST", "/api/episodes/episode1/script", {"text": "MC1: x\n", "base_sha": None}),
    ("POST", "/api/episodes/episode1/check", {"text": "MC1: x\n"}),
    ("POST", "/api/episodes/episode1/takes/p001?type=wav", None),
    ("POST", "/api/assets", None),
    ("POST", "/api/pronunciations", {"text": "A\tbê\n", "base_sha": None}),
    ("POST", "/api/normalize", {"tsv": "", "text": "x"}),
    ("POST", "/api/jobs", {"kind": "build"}),
    ("PUT", "/api/episodes/episode1/script", {"text": "MC1: x\n"}),
    ("DELETE", "/api/episodes/episode1/script", None),
    ("PATCH", "/api/pronunciations", {"text": ""}),
]


@pytest.mark.parametrize("method, path, body", STATE_CHANGES)
@pytest.mark.parametrize("case", ["no token", "wrong token", "foreign origin", "no origin",
                                  "null origin", "other port", "https origin",
                                  "origin with a path"])
def test_every_state_change_needs_token_and_origin(make_client, production, method, path,
                                                   body, case):
    client = make_client()
    token = csrf(client)
    headers = {"X-CSRF-Token": token, "Origin": ORIGIN}
    if case == "no token":
        del headers["X-CSRF-Token"]
    elif case == "wrong token":
        headers["X-CSRF-Token"] = token[:-2] + "xx"
    elif case == "no origin":
        del headers["Origin"]
    else:
        headers["Origin"] = {"foreign origin": "http://attacker.example",
                             "null origin": "null", "other port": "http://testserver:8001",
                             "https origin": "https://testserver",
                             "origin with a path": "http://testserver/x"}[case]
    before = tree_digest(production)
    kwargs = {"json": body} if body is not None else {"content": _wav_bytes()}
    response = client.request(method, path, headers=headers, **kwargs)
    assert response.status_code == 403, (case, response.text)
    assert response.json()["code"] in ("error.csrf", "error.origin")
    assert tree_digest(production) == before
    assert not list((production / "takes").glob("*/p001.*"))
    assert client.get("/api/session").json()["lang"] == "vi"   # /api/lang did not switch


def test_a_certificate_that_is_not_usable_is_a_clear_error(production, monkeypatch, capsys,
                                                           tmp_path):
    """An IT office hands out a .pfx or a DER .cer, a key of another certificate, or a key
    with a passphrase: refused before anything is served, naming the files (exit 2), on
    the LAN and on this computer alike."""
    import subprocess as sp

    from radio.cli import main

    require_openssl = require_tool("openssl")

    def pair(name):
        sp.run([require_openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", str(tmp_path / f"{name}.key"),
                "-out", str(tmp_path / f"{name}.pem"), "-days", "2", "-subj", f"/CN={name}"],
               check=True, capture_output=True)
        return tmp_path / f"{name}.pem", tmp_path / f"{name}.key"

    cert, key = pair("a")
    other_cert, other_key = pair("b")
    der = tmp_path / "a.cer"
    sp.run([require_openssl, "x509", "-in", str(cert), "-outform", "der", "-out", str(der)],
           check=True)
    locked = tmp_path / "locked.key"
    sp.run([require_openssl, "pkey", "-in", str(key), "-aes256", "-passout", "pass:bi-mat",
            "-out", str(locked)], check=True)
    monkeypatch.setenv("RADIO_STUDIO_PASSWORD", PASSWORD)
    monkeypatch.chdir(production)
    for host in ("0.0.0.0", "127.0.0.1"):
        for given_cert, given_key in ((der, key), (cert, other_key), (cert, locked),
                                      (key, cert)):
            code = main(["studio", "--host", host, "--port", "0", "--cert", str(given_cert),
                         "--key", str(given_key)])
            err = capsys.readouterr().err
            assert code == 2, (host, given_cert, given_key, err)
            assert str(given_cert) in err and "PEM" in err and "Traceback" not in err
            assert "nội bộ" not in err and "internal" not in err


def test_cookieless_requests_cannot_fill_the_memory(make_client):
    """Every request without a cookie makes a session: a script on the LAN sending them
    by the thousand must not grow the studio without end, nor log anyone out."""
    client = make_client(password=PASSWORD)
    token = csrf(client)
    assert post(client, "/api/login", {"password": PASSWORD}, token).status_code == 200
    guard = client.app.state.guard
    for _ in range(3000):
        guard.new_session(authenticated=False)
    assert len(guard._sessions) <= 1001
    assert client.get("/api/episodes").status_code == 200    # the logged-in one stays


def test_colleagues_reach_a_lan_bind_by_its_address(lan_server):
    """--host 0.0.0.0: a colleague types https://192.168.1.20:8000/ (the address the studio
    prints). That Host must be allowed even where the machine's name resolves only to
    127.0.1.1 (Debian, Ubuntu), while a foreign name is still refused."""
    server, _ = lan_server
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 9))   # sends nothing: picks the route's address
        except OSError:
            pytest.skip("this machine has no network route")
        addresses = [probe.getsockname()[0]]
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    for address in addresses:
        conn = http.client.HTTPSConnection(address, server.port, timeout=10, context=context)
        conn.request("GET", "/api/session")      # Host: <address>:<port>, as the browser
        response = conn.getresponse()
        assert response.status == 200, (address, response.read())
        conn.close()
        conn = http.client.HTTPSConnection(address, server.port, timeout=10, context=context)
        conn.request("GET", "/api/session", headers={"Host": "rebind.attacker.example"})
        assert conn.getresponse().status == 400
        conn.close()


@pytest.mark.parametrize("name", ['phỏng vấn: ông A.wav', "bao cao?.wav", "a<b>.wav",
                                  "a|b.wav", "sao*.wav", "CON.wav", "nul.wav", "com1.ogg",
                                  "LPT9.mp3", "x" * 121 + ".wav"])
def test_an_upload_name_windows_cannot_hold_is_refused(make_client, production, name):
    """Productions are shared between Windows PCs: a name from a browser elsewhere that
    Windows cannot hold (or open) is refused with a sentence, not written."""
    client = make_client(raise_server_exceptions=False)
    before = tree_digest(production)
    response = post(client, "/api/assets", None, csrf(client),
                    files={"file": (name, _wav_bytes(0.1), "audio/wav")}, data={"folder": "sfx"})
    assert response.status_code == 400, (name, response.text)
    assert response.json()["code"] == "error.filename"
    assert "Windows" in response.json()["error"]
    assert tree_digest(production) == before


def test_accepting_the_same_recording_again_makes_a_stale_take_current(make_client,
                                                                       production):
    """A typo is fixed in a recorded paragraph: its take turns stale. The producer drops
    the same recording on the paragraph again (Dùng bản này): it is now the take for the
    text as it reads, not still stale."""
    from radio.pipeline.prepare import load_episodes
    from radio.takes import Takes

    client = make_client()
    token = csrf(client)
    take = _tone_wav()

    def accept():
        return client.post("/api/episodes/episode1/takes/p002?type=wav", content=take,
                           headers={"X-CSRF-Token": token, "Origin": ORIGIN})

    assert accept().json()["state"] == "take"
    script = production / "scripts" / "episode1.md"
    script.write_text(script.read_text(encoding="utf-8").replace("ban hành", "ban hành,"),
                      encoding="utf-8")

    def state():
        prod = load(production)
        episode = load_episodes(prod, ["episode1"])[0]
        return {s.pid: s.state for s in Takes(prod).states(episode)}["p002"]

    assert state() == "stale"
    again = accept()
    assert again.status_code == 201 and again.json()["state"] == "take", again.text
    assert state() == "take"
    sidecar = json.loads((production / "takes" / "episode1" / "p002.json").read_text("utf-8"))
    assert "ban hành," in sidecar["text"]


@pytest.mark.parametrize("kind, args", [
    ("aac", ["-c:a", "aac", "-f", "adts"]),                          # a Zalo voice message
    ("mp3", ["-ar", "8000", "-c:a", "libmp3lame", "-id3v2_version", "0"]),   # a phone at 8 kHz
    ("mp3", ["-ar", "16000", "-c:a", "libmp3lame", "-id3v2_version", "0"]),
    ("m4a", ["-c:a", "aac"]),                                        # an iPhone voice memo
    ("opus", ["-c:a", "libopus", "-f", "ogg"]),                      # WhatsApp
    ("webm", ["-c:a", "libopus"]),                                   # a browser's recording
    ("aiff", ["-c:a", "pcm_s16be"]),
])
def test_a_take_dropped_in_any_format_the_takes_read_is_accepted(make_client, production,
                                                                  tmp_path, kind, args):
    """Dropped on a paragraph, a recording is a take when `radio takes` would read it
    from takes/<episode>/: the booth accepts the same formats."""
    client = make_client()
    token = csrf(client)
    source = tmp_path / f"memo.{kind}"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                    "sine=f=330:d=2", "-ac", "1", *args, str(source)], check=True)
    response = client.post(f"/api/episodes/episode1/takes/p002?type={kind}",
                           content=source.read_bytes(),
                           headers={"X-CSRF-Token": token, "Origin": ORIGIN})
    assert response.status_code == 201, response.text
    takes = production / "takes" / "episode1"
    assert (takes / f"p002.{kind}").read_bytes() == source.read_bytes()
    assert json.loads((takes / "p002.json").read_text())["file"] == f"p002.{kind}"


def test_a_paragraph_with_two_takes_keeps_the_booth_open_and_recording_it_resolves(
        make_client, production):
    """The same take dropped twice into takes/episode1/ (p002.mp3 from the phone and
    p002.wav from the recorder): the booth still lists every paragraph, says what is wrong
    with p002, and accepting a new p002 moves both old files into replaced/."""
    client = make_client()
    token = csrf(client)
    takes = production / "takes" / "episode1"
    assert client.post("/api/episodes/episode1/takes/p001?type=wav", content=_tone_wav(),
                       headers={"X-CSRF-Token": token, "Origin": ORIGIN}).status_code == 201
    (takes / "p002.wav").write_bytes(_tone_wav(440))
    (takes / "P002.WAV").write_bytes(_tone_wav(550))
    response = client.get("/api/episodes/episode1/booth")
    assert response.status_code == 200, response.text
    rows = {row["pid"]: row for row in response.json()}
    assert rows["p001"]["state"] == "take" and rows["p003"]["state"] == "synth"
    assert rows["p002"]["state"] == "synth" and "P002.WAV, p002.wav" in rows["p002"]["problem"]
    assert rows["p001"]["problem"] is None
    assert client.post("/api/episodes/episode1/takes/p002?type=wav", content=_tone_wav(660),
                       headers={"X-CSRF-Token": token, "Origin": ORIGIN}).status_code == 201
    rows = {row["pid"]: row for row in client.get("/api/episodes/episode1/booth").json()}
    assert rows["p002"]["state"] == "take" and rows["p002"]["problem"] is None
    kept = [p.read_bytes() for p in (takes / "replaced").iterdir() if p.suffix == ".wav"]
    assert sorted(kept) == sorted([_tone_wav(440), _tone_wav(550)])


def test_a_take_named_with_the_wrong_extension_is_saved_as_what_it_is(make_client, production,
                                                                       tmp_path):
    """A phone app that names its M4A "ghi_am.mp3", an ADTS file called ".m4a": dropped on
    a paragraph, the take is saved under the extension of what it holds; something that
    is no audio is still refused."""
    client = make_client()
    token = csrf(client)
    takes = production / "takes" / "episode1"
    headers = {"X-CSRF-Token": token, "Origin": ORIGIN}
    for made, declared, pid in ((["-c:a", "aac", "-f", "mp4"], "mp3", "p001"),
                                (["-c:a", "aac", "-f", "adts"], "m4a", "p002")):
        source = tmp_path / f"memo-{pid}"
        subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                        "sine=f=330:d=2", "-ac", "1", *made, str(source)], check=True)
        response = client.post(f"/api/episodes/episode1/takes/{pid}?type={declared}",
                               content=source.read_bytes(), headers=headers)
        assert response.status_code == 201, response.text
    assert (takes / "p001.m4a").is_file() and (takes / "p002.aac").is_file()
    assert not (takes / "p001.mp3").exists() and not (takes / "p002.m4a").exists()
    response = client.post("/api/episodes/episode1/takes/p003?type=mp3",
                           content=b"<html>" * 100, headers=headers)
    assert response.status_code == 415 and not list(takes.glob("p003.*"))
