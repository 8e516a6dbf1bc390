"""Speech engines and voices: gTTS behind a fake HTTP layer, espeak for real.

gTTS is tested at the network boundary only: ``requests.adapters.HTTPAdapter.send``
(what gTTS's requests call) is replaced by a fake that answers with canned
``requests.Response`` objects carrying a real MP3 made with our ffmpeg, so
gTTS's own request building and answer parsing run.  The end-to-end tests use
the real network of this machine, which cannot reach Google.
"""
from __future__ import annotations

import base64
import hashlib
import json
import random
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import wave
from pathlib import Path

import numpy as np
import pytest
import requests
from requests.adapters import HTTPAdapter

from radio.audio.decode import ffmpeg_exe
from radio.errors import UserError
from radio.speech.cache import SpeechCache
from radio.speech.espeak import EspeakEngine
from radio.speech.gtts_engine import (RETRIES, GttsEngine, GttsUnavailable, chunk_text,
                                      decode_mp3, fetch_mp3)
from radio.speech.voice import Synthesizer, Voice

TIMEOUT_S = 2      # gtts_timeout_s in the end-to-end productions


# -- a fake Google ----------------------------------------------------------

def tone_mp3(seconds: float = 1.0, rate: int = 16000, freq: float = 1000.0) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    pcm = (0.3 * 32767 * np.sin(2 * np.pi * freq * t)).astype("<i2").tobytes()
    proc = subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "s16le", "-ar", str(rate),
                           "-ac", "1", "-i", "-", "-c:a", "libmp3lame", "-b:a", "64k",
                           "-f", "mp3", "-"], input=pcm, capture_output=True, check=True)
    return proc.stdout


def google_body(mp3: bytes) -> bytes:
    """An answer of the batchexecute endpoint, as gTTS parses it."""
    audio = json.dumps([base64.b64encode(mp3).decode()])
    rpc = [["wrb.fr", "jQ1olc", audio, None, None, None, "generic"]]
    return (")]}'\n\n" + json.dumps(rpc, separators=(",", ":")) + "\n").encode()


class FakeGoogle:
    """Answers gTTS's requests in turn (the last answer repeats).

    An answer is MP3 bytes (200 with audio), an int (that HTTP status), a
    ``(status, body)`` pair, an exception to raise, or a callable(timeout).
    """

    REASONS = {200: "OK", 403: "Forbidden", 429: "Too Many Requests",
               500: "Internal Server Error", 503: "Service Unavailable"}

    def __init__(self, monkeypatch, *answers):
        self.answers = list(answers)
        self.texts: list[str] = []
        self.timeouts: list[float] = []
        monkeypatch.setattr(HTTPAdapter, "send", self.send)

    def send(self, request, stream=False, timeout=None, **_kwargs):
        rpc = json.loads(urllib.parse.unquote(request.body.split("=", 1)[1].rstrip("&")))
        self.texts.append(json.loads(rpc[0][0][1])[0])
        self.timeouts.append(timeout)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if callable(answer) and not isinstance(answer, type):
            answer = answer(timeout)
        if isinstance(answer, BaseException):
            raise answer
        status, body = (200, google_body(answer)) if isinstance(answer, bytes) else \
            answer if isinstance(answer, tuple) else (answer, b"")
        response = requests.Response()
        response.status_code, response.reason = status, self.REASONS.get(status, "")
        response._content, response._content_consumed = body, True
        response.request, response.url = request, request.url
        return response


class FakeClock:
    def __init__(self):
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture(scope="module")
def mp3() -> bytes:
    return tone_mp3()


# -- chunking ---------------------------------------------------------------

def test_chunks_pack_clauses_and_cut_at_their_boundaries():
    text = ("Kính thưa quý vị và các bạn! Chào mừng quý vị đến với chuyên đề phát thanh "
            "về cam Hà Tĩnh, một sản phẩm nổi tiếng của tỉnh, được người tiêu dùng cả nước "
            "biết đến. Năm nay, giá cam ổn định; sản lượng tăng.")
    chunks = chunk_text(text)
    assert " ".join(chunks) == text
    assert all(len(c) < 100 for c in chunks) and len(chunks) == 3
    assert all(c[-1] in ".,;:!?" for c in chunks)     # every cut is at a clause end
    assert chunk_text("Ngắn thôi.") == ["Ngắn thôi."]  # short text: one request


def test_chunks_never_split_a_name_or_a_spelled_out_number():
    filler = "theo kế hoạch tỉnh sẽ hỗ trợ các hộ trồng cam trên địa bàn huyện miền núi"
    for tail in ("Nguyễn Thị Minh Khai", "Ủy Ban Nhân Dân Tỉnh Hà Tĩnh",
                 "một nghìn hai trăm ba mươi tư", "hai nghìn không trăm hai mươi mốt"):
        for pad in range(0, 30, 3):   # move the run across the 100-character limit
            text = f"{filler} {'và ' * pad}{tail} hộ gia đình tham gia sản xuất theo chuỗi"
            chunks = chunk_text(text)
            assert " ".join(chunks) == text
            assert all(len(c) < 100 for c in chunks)
            assert any(tail in c for c in chunks), (pad, chunks)


def test_long_sentence_without_punctuation():
    words = ("người dân xã Sơn Kim huyện Hương Sơn chăm sóc vườn cam theo tiêu chuẩn "
             "sản xuất an toàn để nâng cao giá trị sản phẩm trên thị trường").split()
    text = " ".join(words * 6)
    chunks = chunk_text(text)
    assert " ".join(chunks) == text and len(chunks) >= 5
    assert all(len(c) < 100 for c in chunks)
    assert all(set(c.split()) <= set(words) for c in chunks)   # no word was cut
    assert chunk_text("x" * 250) == ["x" * 99, "x" * 99, "x" * 52]   # no space at all


def test_chunk_invariants_on_random_text():
    vocabulary = ("cam Hà Tĩnh sản phẩm OCOP được công nhận ba sao và bốn sao, người dân "
                  "xã Hương Sơn. trồng nghìn hecta; Vũ Quang tiêu thụ thị trường!").split()
    rng = random.Random(7)
    for _ in range(300):
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 120)))
        chunks = chunk_text(text)
        assert " ".join(chunks) == text
        assert all(0 < len(c) < 100 for c in chunks)


# -- the network: retries, backoff, deadline --------------------------------

def test_429_then_success_backs_off_with_growing_sleeps(monkeypatch, mp3):
    google = FakeGoogle(monkeypatch, 429, 429, mp3)
    clock = FakeClock()
    assert fetch_mp3("Xin chào Hà Tĩnh.", 10, sleep=clock.sleep, clock=clock) == mp3
    assert clock.sleeps == [1.0, 2.0]
    assert google.texts == ["Xin chào Hà Tĩnh."] * 3     # sent as cut, no gTTS rewriting
    assert google.timeouts == [10, 9, 7]                  # each request gets only the time left


def test_connection_errors_retry_then_succeed(monkeypatch, mp3):
    FakeGoogle(monkeypatch, requests.exceptions.ConnectionError("refused"), mp3)
    clock = FakeClock()
    assert fetch_mp3("Xin chào.", 10, sleep=clock.sleep, clock=clock) == mp3
    assert clock.sleeps == [1.0]


def test_5xx_retries_are_bounded(monkeypatch):
    google = FakeGoogle(monkeypatch, 500)
    clock = FakeClock()
    with pytest.raises(GttsUnavailable, match=r"HTTP 500 \(gave up after 5 attempt"):
        fetch_mp3("Xin chào.", 1000, sleep=clock.sleep, clock=clock)
    assert len(google.texts) == RETRIES + 1 and clock.sleeps == [1.0, 2.0, 4.0, 8.0]


@pytest.mark.parametrize("status", [400, 403, 404])
def test_other_4xx_do_not_retry(monkeypatch, status):
    google = FakeGoogle(monkeypatch, status)
    clock = FakeClock()
    with pytest.raises(GttsUnavailable, match=f"refused the request \\(HTTP {status}\\)"):
        fetch_mp3("Xin chào.", 10, sleep=clock.sleep, clock=clock)
    assert len(google.texts) == 1 and clock.sleeps == []


def test_total_time_is_bounded_by_the_deadline(monkeypatch):
    clock = FakeClock()

    def black_hole(timeout):     # the network swallows packets: every request times out
        clock.now += timeout
        return requests.exceptions.ConnectTimeout("timed out")

    google = FakeGoogle(monkeypatch, 503, black_hole)
    started = clock()
    with pytest.raises(GttsUnavailable):
        fetch_mp3("Xin chào.", 10, sleep=clock.sleep, clock=clock)
    assert clock() - started <= 10
    assert google.timeouts == [10, 9] and clock.sleeps == [1.0]

    google = FakeGoogle(monkeypatch, 503)     # fast failures: pauses stop before the deadline
    started = clock()
    with pytest.raises(GttsUnavailable):
        fetch_mp3("Xin chào.", 5, sleep=clock.sleep, clock=clock)
    assert clock() - started <= 5 and clock.sleeps[-2:] == [1.0, 2.0]


def test_a_hanging_request_is_abandoned_at_the_deadline(monkeypatch):
    """Name resolution ignores socket timeouts: the deadline holds in real time anyway."""
    release = threading.Event()
    FakeGoogle(monkeypatch, lambda timeout: release.wait(30) and 500)
    started = time.monotonic()
    try:
        with pytest.raises(GttsUnavailable, match="timed out"):
            fetch_mp3("Xin chào.", 1.0)
        assert time.monotonic() - started < 1.5
    finally:
        release.set()


def test_unreachable_google_fails_within_the_timeout(tmp_path):
    """This machine's real network: no route to Google, and no waiting beyond the timeout."""
    import gtts.tts  # noqa: F401  (imports are not waiting: keep them out of the measure)

    with Synthesizer(SpeechCache(tmp_path), "gtts", forced=True, gtts_timeout_s=2) as synth:
        started = time.monotonic()
        with pytest.raises(GttsUnavailable, match="could not be reached") as failure:
            synth.speak("Xin chào Hà Tĩnh.", Voice())
        elapsed = time.monotonic() - started
    assert elapsed < 2 + 0.5, (elapsed, str(failure.value))
    assert list(tmp_path.iterdir()) == []


def test_reachable_answers_within_its_timeout(monkeypatch):
    release = threading.Event()
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: release.wait(30))
    started = time.monotonic()
    try:
        assert GttsEngine().reachable(0.5) is False
        assert time.monotonic() - started < 1.0
    finally:
        release.set()


# -- decoding, the engine, the cache ----------------------------------------

def dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples.astype(float) * np.hanning(len(samples))))
    return float(np.argmax(spectrum) * rate / len(samples))


@pytest.mark.parametrize("rate", [16000, 44100])
def test_decode_resamples_to_24k(rate):
    samples, out_rate = decode_mp3(tone_mp3(1.0, rate, 1000.0))
    assert out_rate == 24000 and samples.dtype == np.int16
    assert 1.0 <= len(samples) / out_rate < 1.1
    assert dominant_hz(samples, out_rate) == pytest.approx(1000, abs=5)
    with pytest.raises(GttsUnavailable, match="cannot be decoded"):
        decode_mp3(b"\xff\xfb not an mp3 at all" * 20)


def test_engine_sends_each_chunk_and_joins_the_audio(monkeypatch, mp3):
    google = FakeGoogle(monkeypatch, mp3)
    text = ("Kính thưa quý vị và các bạn, chào mừng quý vị đến với chuyên đề phát thanh "
            "về cam Hà Tĩnh. Cam được trồng nhiều ở Hương Sơn.")
    samples, rate = GttsEngine(timeout_s=5).synthesize(text)
    assert google.texts == chunk_text(text) and len(google.texts) == 2
    one = len(decode_mp3(mp3)[0])
    assert len(samples) == 2 * one + int(0.12 * rate) and rate == 24000


@pytest.mark.parametrize("body", [b"", google_body(b"")], ids=["0 bytes", "no audio"])
def test_an_empty_answer_is_an_error_and_nothing_is_cached(monkeypatch, tmp_path, body):
    FakeGoogle(monkeypatch, (200, body))
    clock = FakeClock()
    cache = SpeechCache(tmp_path / "cache")
    engine = GttsEngine(timeout_s=10, sleep=clock.sleep, clock=clock)
    with Synthesizer(cache, "gtts", forced=True, gtts_engine=engine) as synth:
        with pytest.raises(GttsUnavailable, match="empty answer"):
            synth.speak("Xin chào Hà Tĩnh.", Voice())
    assert list(tmp_path.rglob("*")) == []     # no cache entry, no file of any kind
    assert cache.misses == 0


def test_auto_falls_back_once_and_still_uses_cached_online_speech(monkeypatch, tmp_path, mp3):
    cache_dir = tmp_path / "cache"
    FakeGoogle(monkeypatch, mp3)
    with Synthesizer(SpeechCache(cache_dir), "auto", forced=True) as synth:
        assert synth.speak("Câu đã đọc trực tuyến.", Voice()).engine == "gtts"
    google = FakeGoogle(monkeypatch, requests.exceptions.ConnectionError("down"))
    clock = FakeClock()
    engine = GttsEngine(timeout_s=3, sleep=clock.sleep, clock=clock)
    with Synthesizer(SpeechCache(cache_dir), "auto", forced=True, gtts_engine=engine) as synth:
        spoken = [synth.speak(t, Voice()).engine for t in
                  ("Câu một.", "Câu đã đọc trực tuyến.", "Câu hai.", "Câu ba.")]
        assert spoken == ["espeak", "gtts", "espeak", "espeak"] and synth.fallbacks == 3
    assert set(google.texts) == {"Câu một."}   # Google was asked about the first only


# -- espeak voices ----------------------------------------------------------

def median_f0(samples: np.ndarray, rate: int) -> float:
    """Median pitch of voiced 40 ms frames, by autocorrelation (70-400 Hz)."""
    x = samples.astype(float) / 32768
    size, found = int(0.04 * rate), []
    for start in range(0, len(x) - size, size):
        frame = x[start:start + size] - x[start:start + size].mean()
        if np.sqrt(np.mean(frame ** 2)) < 0.02:
            continue
        ac = np.correlate(frame, frame, "full")[size - 1:]
        low, high = rate // 400, rate // 70
        lag = low + int(np.argmax(ac[low:high]))
        if ac[lag] > 0.4 * ac[0]:
            found.append(rate / lag)
    return float(np.median(found))


@pytest.mark.parametrize("episode", ["episode1", "episode2"])
def test_the_demo_narrators_sound_clearly_different(episode):
    """The demo's male and female hosts: pitch apart by more than half an octave."""
    from conftest import REPO
    from radio.pipeline.prepare import voice_of
    from radio.script import parse_file

    script = parse_file(REPO / "scripts" / f"{episode}.md")
    text = "Kính thưa quý vị, đây là chương trình phát thanh về cam Hà Tĩnh."
    with EspeakEngine() as engine:
        male, rate = engine.synthesize(text, **voice_of(script, "MC1").settings())
        female, _ = engine.synthesize(text, **voice_of(script, "MC2").settings())
    assert median_f0(female, rate) > 1.5 * median_f0(male, rate)
    assert median_f0(female, rate) > 165     # in the range of a woman's speaking voice


def test_speaker_variant_from_the_front_matter(tmp_path):
    from radio.pipeline.prepare import voice_of
    from radio.script import parse_file

    script = tmp_path / "e.md"
    script.write_text('---\ntitle: "T"\nnumber: 1\nspeakers:\n'
                      '  MC1: {voice: vi, pitch: 40, variant: f3}\n  MC2: {voice: vi}\n---\n'
                      'MC1: Xin chào.\n\nMC2: Xin chào.\n', encoding="utf-8")
    episode = parse_file(script)
    voice = voice_of(episode, "MC1")
    assert voice.variant == "f3" and voice.settings()["variant"] == "f3"
    assert "variant" not in voice_of(episode, "MC2").settings()   # old cache keys still match
    with EspeakEngine() as engine:
        plain, _ = engine.synthesize("Xin chào Hà Tĩnh", voice="vi", pitch=40)
        varied, _ = engine.synthesize("Xin chào Hà Tĩnh", **voice.settings())
        assert plain.tobytes() != varied.tobytes()
        with pytest.raises(UserError, match="no voice variant 'zz'"):
            engine.synthesize("Xin chào", variant="zz")


def test_say_leaves_nothing_but_its_output(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from radio.cli import cli

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["say", "Xin chào", "-o", "chao.wav", "--variant", "f2"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.rglob("*")] == ["chao.wav"]


def test_voices_lists_the_single_gtts_voice_and_reachability():
    from click.testing import CliRunner

    from radio.cli import cli

    started = time.monotonic()
    result = CliRunner().invoke(cli, ["voices"])
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 5
    lines = result.output.splitlines()
    gtts = next(i for i, line in enumerate(lines) if line.startswith("gtts"))
    assert "NOT reachable" in lines[gtts]      # this machine has no route to Google
    assert [line.split()[0] for line in lines[gtts + 1:]] == ["vi"]
    assert "the only Vietnamese voice" in lines[gtts + 1]
    assert "vi-vn-x-central" in result.output and "f3" in result.output


# -- offline: no network at all ---------------------------------------------

@pytest.fixture
def no_network(monkeypatch):
    """Every way to open a network connection records the attempt and fails."""
    attempts: list = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network use: {args!r}")

    for name in ("connect", "connect_ex"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def test_the_no_network_guard_sees_gtts(no_network, tmp_path):
    with Synthesizer(SpeechCache(tmp_path), "gtts", forced=True) as synth:
        with pytest.raises(AssertionError, match="network use"):
            synth.speak("Xin chào.", Voice())
    assert no_network


def test_offline_never_touches_the_network(production, no_network, monkeypatch, capsys):
    """Even when the production and every speaker ask for Google."""
    from radio.cli import main

    toml = production / "radio.toml"
    toml.write_text(toml.read_text().replace('engine = "espeak"', 'engine = "auto"'))
    script = production / "scripts" / "episode2.md"
    script.write_text(script.read_text(encoding="utf-8").replace(
        "rate: 175}", "rate: 175, engine: gtts}"), encoding="utf-8")
    monkeypatch.chdir(production)
    assert main(["build", "episode2", "--offline", "-j", "1"]) == 0, capsys.readouterr().err
    assert no_network == []
    report = json.loads((production / "output/episode2/episode2.json").read_text("utf-8"))
    assert report["engines"] == ["espeak"]


# -- end to end, with this machine's real (unreachable) network -------------

def run(args, cwd, timeout=120):
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "radio.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started


def with_gtts_timeout(root: Path) -> Path:
    toml = root / "radio.toml"
    toml.write_text(toml.read_text().replace(
        'engine = "espeak"', f'engine = "espeak"\ngtts_timeout_s = {TIMEOUT_S}'))
    return root


def outputs(root: Path) -> list[Path]:
    return sorted(p for ext in ("wav", "mp3") for p in root.glob(f"output/episode*/*.{ext}"))


def digests(root: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in outputs(root)}


@pytest.mark.parametrize("args", [["episode1"], ["--all", "-j", "2"]])
def test_engine_gtts_offline_fails_fast_with_one_line_and_no_files(production, args):
    with_gtts_timeout(production)
    code, out, err, elapsed = run(["build", *args, "--engine", "gtts"], production)
    assert code == 1
    [line] = err.strip().splitlines()
    assert line.startswith("error: Google TTS could not be reached: ") and "--offline" in line
    assert float(re.search(r"in ([\d.]+) s\)", line).group(1)) <= TIMEOUT_S
    assert elapsed < TIMEOUT_S + 20     # not minutes (start-up, imports, assets: a few s)
    assert outputs(production) == []
    assert not [p for p in (production / ".radio/cache/speech").rglob("*") if p.is_file()]


@pytest.fixture(scope="module")
def offline_builds(tmp_path_factory, example_assets):
    """The mini production built offline with -j 1 and, in another folder, with -j 2."""
    from conftest import ROOTS

    roots = {}
    for jobs in ("1", "2"):
        root = tmp_path_factory.mktemp(f"j{jobs}") / "mini"
        shutil.copytree(ROOTS / "mini", root)
        shutil.copytree(example_assets, root / "audio_assets")
        code, out, err, _ = run(["build", "--all", "--offline", "-j", jobs], root)
        assert code == 0, err
        roots[jobs] = root
    return roots


def test_espeak_output_is_identical_with_any_jobs(offline_builds):
    one, two = digests(offline_builds["1"]), digests(offline_builds["2"])
    assert len(one) == 4 and one == two


def test_engine_auto_offline_completes_with_one_warning(production, offline_builds):
    with_gtts_timeout(production)
    code, out, err, _ = run(["-v", "build", "--all", "-j", "2", "--engine", "auto"], production)
    assert code == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert warnings == ["warning: Google TTS could not be reached: 5 segments were spoken "
                        "by the offline voice (espeak) instead"]
    assert "speech cache: 0 hits, 5 synthesized" in out     # the workers' counts, summed
    for name in ("episode1", "episode2"):
        report = json.loads((production / f"output/{name}/{name}.json").read_text("utf-8"))
        assert report["engines"] == ["espeak"]
        speech = [s for s in report["segments"] if s["kind"] == "speech"]
        assert speech and {s["engine"] for s in speech} == {"espeak"}
    assert digests(production) == digests(offline_builds["1"])   # exactly the offline programme


def test_no_cache_and_a_corrupt_entry_synthesize_again(offline_builds):
    root = offline_builds["1"]
    before = digests(root)
    shutil.rmtree(root / ".radio/cache/speech")
    code, out, err, _ = run(["-v", "build", "episode1", "--offline", "--no-cache"], root)
    assert code == 0, err
    assert "speech cache: 0 hits, 3 synthesized" in out
    assert "episode1: unchanged, nothing to rebuild" in out    # the same samples again
    entries = sorted((root / ".radio/cache/speech").rglob("*.wav"))
    assert len(entries) == 3        # --no-cache refreshes the cache
    whole = entries[0].read_bytes()
    entries[0].write_bytes(whole[:len(whole) // 2])           # a truncated WAV
    code, out, err, _ = run(["-v", "build", "episode1", "--offline"], root)
    assert code == 0, err
    assert "speech cache: 2 hits, 1 synthesized" in out
    assert entries[0].read_bytes() == whole
    with wave.open(str(entries[0])) as wav:
        assert wav.getnframes() > 0
    assert digests(root) == before


# -- the real Google (run with: pytest -m online) ---------------------------

@pytest.mark.online
def test_google_really_speaks_vietnamese():
    samples, rate = GttsEngine(timeout_s=15).synthesize(
        "Kính thưa quý vị, đây là chuyên đề về cam Hà Tĩnh.")
    assert rate == 24000 and len(samples) / rate >= 1.0
    assert np.abs(samples).max() > 1000


class FakeProxy:
    """An HTTP proxy on localhost that answers every CONNECT with *status* and
    remembers the requests it was sent."""

    def __init__(self, status: bytes):
        self.status, self.requests = status, []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                self.requests.append(conn.recv(4096).decode())
                conn.sendall(b"HTTP/1.1 " + self.status + b"\r\n\r\n")

    def close(self):
        self.server.close()


@pytest.fixture
def proxy_env(monkeypatch):
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY",
                 "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    proxies = []

    def start(status: bytes, **env) -> FakeProxy:
        proxy = FakeProxy(status)
        proxies.append(proxy)
        for name, value in env.items():
            monkeypatch.setenv(name, value.format(port=proxy.port))
        return proxy

    yield start
    for proxy in proxies:
        proxy.close()


def test_reachable_through_the_proxy_gtts_would_use(proxy_env):
    proxy = proxy_env(b"200 Connection established",
                      HTTPS_PROXY="http://cb%40stttt:m%E1%BA%ADt@127.0.0.1:{port}")
    assert GttsEngine().reachable(2.0) is True
    request = proxy.requests[0]
    assert request.startswith("CONNECT translate.google.com:443 HTTP/1.1\r\n")
    secret = base64.b64encode("cb@stttt:mật".encode()).decode()
    assert f"Proxy-Authorization: Basic {secret}\r\n" in request


def test_a_proxy_that_refuses_google_means_unreachable(proxy_env, capsys):
    from radio.commands.speech import run_voices
    from radio.log import Log

    proxy = proxy_env(b"403 Forbidden", HTTPS_PROXY="http://user:secret@127.0.0.1:{port}")
    assert GttsEngine().reachable(2.0) is False and len(proxy.requests) == 1
    run_voices(Log())
    out = capsys.readouterr().out
    assert f"NOT reachable from here through the proxy http://127.0.0.1:{proxy.port}" in out
    assert "secret" not in out


def test_voices_speaks_vietnamese_to_the_end(proxy_env, capsys):
    # The voices' descriptions and Google's state were English in the Vietnamese interface.
    from radio import i18n
    from radio.commands.speech import run_voices
    from radio.log import Log

    proxy_env(b"403 Forbidden", HTTPS_PROXY="http://127.0.0.1:{port}")
    with i18n.language("vi"):
        run_voices(Log())
    out = capsys.readouterr().out
    assert "tiếng Việt, giọng Bắc (Hà Nội)" in out and "giọng Nam (Sài Gòn)" in out
    assert "KHÔNG kết nối được từ máy này qua proxy http://127.0.0.1:" in out
    assert not re.search(r"\b(reachable|Vietnamese|Northern|through)\b", out)


def test_no_proxy_for_google_goes_direct(proxy_env, monkeypatch):
    proxy = proxy_env(b"200 OK", HTTPS_PROXY="http://127.0.0.1:{port}",
                      NO_PROXY="localhost,.google.com")
    dialled = []
    monkeypatch.setattr(socket, "create_connection",
                        lambda address, **k: dialled.append(address) or socket.socket())
    assert GttsEngine().reachable(2.0) is True
    assert dialled == [("translate.google.com", 443)] and proxy.requests == []
