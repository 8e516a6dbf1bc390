"""The online voice: Google Translate's TTS through gTTS.

gTTS uses an unofficial endpoint that can change without notice.  We cut the
text ourselves at clause boundaries into chunks under 100 characters (never
inside a name or a spelled-out number), send each chunk exactly as cut (no gTTS
pre-processing, so gTTS never re-splits it), retry with exponential backoff on
HTTP 429/5xx and connection errors, and decode its MP3 of unspecified rate with
ffmpeg, resampled to 24 kHz.  Nothing is written to disk here: a failed or
empty answer raises and never becomes a file or a cache entry.

Time is bounded: ``timeout_s`` is the longest one chunk may take, every retry
and pause included (a deadline, not a per-request timeout), and each request
runs in a worker thread that is abandoned at the deadline, because name
resolution is not covered by the socket timeout.
"""
from __future__ import annotations

import re
import socket
import subprocess
import threading
import time

import numpy as np

from ..errors import BuildError, message_of
from ..i18n import _l, lazy_ngettext
from ..procs import child_options

ENGINE_NAME = "gtts"
HOST = "translate.google.com"   # where gTTS sends its requests
MAX_CHARS = 100          # gTTS's limit: every chunk we send is shorter
RETRIES = 4              # attempts after the first, within the deadline
FIRST_DELAY_S = 1.0      # backoff: 1 s, 2 s, 4 s, ...
RATE = 24000             # Google's voice is 24 kHz; other rates are resampled
CHUNK_GAP_S = 0.12       # silence between chunks
HINT = _l("check the network, or build with --offline (espeak) or --engine auto")

# A cut between two of these would split a number read aloud ("một nghìn | hai trăm").
NUMBER_WORDS = frozenset(
    "không một mốt hai ba bốn tư năm lăm sáu bảy tám chín mười mươi trăm nghìn ngàn "
    "vạn triệu tỷ tỉ linh lẻ phẩy chấm rưỡi mùng mồng".split())
# A cut before one of these sounds like a natural breath.
BREATH_WORDS = frozenset(
    "và hoặc hay nhưng để khi nếu vì nên mà thì với của cho theo trong tại từ đến "
    "là các những được nhằm bằng".split())
_CLAUSE_BREAK = re.compile(r"(?<=[.,;:!?…])\s+|\s+(?=[–—]\s)")


class GttsUnavailable(BuildError):
    """Google's TTS endpoint could not be reached or refused the request."""


class _Retry(Exception):
    """A failure worth another attempt (429, 5xx, connection, empty answer)."""


# -- chunking -------------------------------------------------------------

def chunk_text(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Cut *text* into chunks shorter than *limit*, at clause boundaries.

    Clauses (ended by . , ; : ! ? … or before a spaced dash) are packed into
    as few chunks as fit; a clause too long by itself is cut between words,
    preferably before a conjunction or preposition, never inside a name (a run
    of capitalized words) or a number read aloud unless a run is itself too
    long.  Joining the chunks with spaces gives the text back (whitespace
    collapsed).  Chunks with nothing to read (only punctuation) are dropped.
    """
    pieces: list[str] = []
    for clause in _CLAUSE_BREAK.split(" ".join(text.split())):
        if clause:
            pieces += _split_long(clause, limit) if len(clause) >= limit else [clause]
    chunks: list[str] = []
    for piece in pieces:
        if chunks and len(chunks[-1]) + 1 + len(piece) < limit:
            chunks[-1] += " " + piece
        else:
            chunks.append(piece)
    return [c for c in chunks if re.search(r"\w", c)]


def _split_long(clause: str, limit: int) -> list[str]:
    words = clause.split(" ")
    pieces: list[str] = []
    start = 0
    while start < len(words):
        end, length = start, -1
        while end < len(words) and length + 1 + len(words[end]) < limit:
            length += 1 + len(words[end])
            end += 1
        if end == len(words):
            pieces.append(" ".join(words[start:]))
            break
        if end == start:  # one "word" longer than the limit: no choice but to cut it
            pieces.append(words[start][:limit - 1])
            words[start] = words[start][limit - 1:]
            continue
        cut = _best_cut(words, start, end, limit)
        pieces.append(" ".join(words[start:cut]))
        start = cut
    return pieces


def _best_cut(words: list[str], start: int, end: int, limit: int) -> int:
    """Where the next piece starts: a word index in (start, end]."""
    allowed = [c for c in range(end, start, -1) if not _joined(words[c - 1], words[c])]
    for cut in allowed:
        if _bare(words[cut]) in BREATH_WORDS and len(" ".join(words[start:cut])) >= limit // 2:
            return cut
    return allowed[0] if allowed else end


def _bare(word: str) -> str:
    return word.strip("\"'“”‘’()[]«»").lower()


def _joined(left: str, right: str) -> bool:
    """True when a cut between these two words would split a name or a number."""
    a, b = left.strip("\"'“”‘’()[]«»"), right.strip("\"'“”‘’()[]«»")
    if a[:1].isupper() and b[:1].isupper():
        return True
    return _numeric(a) and _numeric(b)


def _numeric(word: str) -> bool:
    return word.lower() in NUMBER_WORDS or any(ch.isdigit() for ch in word)


# -- the network ----------------------------------------------------------

def fetch_mp3(text: str, timeout_s: float, retries: int = RETRIES, sleep=time.sleep,
              clock=time.monotonic) -> bytes:
    """One chunk's MP3 from Google, retried with exponential backoff.

    Everything (requests, pauses) ends by ``clock() + timeout_s``: a pause that
    would end past that deadline is not taken, the request in flight is given
    only the time left.
    """
    started = clock()
    deadline = started + timeout_s
    delay, reason, attempts = FIRST_DELAY_S, _l("no answer"), 0
    for attempt in range(retries + 1):
        remaining = deadline - clock()
        if remaining <= 0:
            reason = _l("timed out")
            break
        attempts += 1
        try:
            return _within(remaining, lambda: _request(text, remaining))
        except _Retry as exc:
            reason = message_of(exc)
        if attempt == retries or clock() + delay >= deadline:
            break
        sleep(delay)
        delay *= 2
    raise GttsUnavailable(lazy_ngettext(
        "Google TTS could not be reached: {reason} (gave up after {n} attempt in "
        "{seconds:.1f} s)",
        "Google TTS could not be reached: {reason} (gave up after {n} attempts in "
        "{seconds:.1f} s)", attempts, reason=reason, seconds=clock() - started), hint=HINT)


def _within(seconds: float, call):
    """Run *call* in a daemon thread; give up on it after *seconds*."""
    box: dict = {}

    def run():
        try:
            box["value"] = call()
        except BaseException as exc:  # handed over to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=run, name="gtts-request", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise _Retry(_l("timed out"))
    if "error" in box:
        raise box["error"]
    return box["value"]


def _request(text: str, timeout_s: float) -> bytes:
    import binascii
    import io

    import requests
    from gtts import gTTS
    from gtts.tts import gTTSError

    buffer = io.BytesIO()
    try:
        # No pre-processors: the chunk is sent exactly as cut (they only help English).
        gTTS(text, lang="vi", timeout=timeout_s, pre_processor_funcs=[]).write_to_fp(buffer)
    except gTTSError as exc:
        status = getattr(getattr(exc, "rsp", None), "status_code", None)
        if status is None:
            raise _Retry(_l("no connection")) from None
        if status == 429 or status >= 500:
            raise _Retry(f"HTTP {status}") from None
        if status < 300:
            raise GttsUnavailable(_l("Google TTS answered without audio"), hint=HINT) from None
        raise GttsUnavailable(_l("Google TTS refused the request (HTTP {status})", status=status),
                              hint=_l("the unofficial endpoint may have changed: update gTTS, "
                                      "or build with --offline (espeak)")) from None
    except requests.exceptions.RequestException:   # the connection broke mid-answer
        raise _Retry(_l("connection lost")) from None
    except (binascii.Error, UnicodeDecodeError):
        raise _Retry(_l("garbled answer")) from None
    data = buffer.getvalue()
    if not data:
        raise _Retry(_l("empty answer"))
    return data


def decode_mp3(data: bytes) -> tuple[np.ndarray, int]:
    """MP3 bytes -> (int16 mono samples at RATE, RATE)."""
    from ..audio.decode import ffmpeg_exe

    proc = subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "mp3", "-i", "-", "-ac", "1",
                           "-ar", str(RATE), "-f", "s16le", "-"], input=data, capture_output=True,
                          **child_options())
    if proc.returncode != 0 or len(proc.stdout) < 2:
        raise GttsUnavailable(_l("Google TTS returned audio that cannot be decoded"), hint=HINT)
    return np.frombuffer(proc.stdout[:len(proc.stdout) // 2 * 2], dtype="<i2").copy(), RATE


class GttsEngine:
    """Google's single Vietnamese voice; pitch, rate and variants do not apply."""

    name = ENGINE_NAME

    def __init__(self, timeout_s: float = 10.0, retries: int = RETRIES, sleep=time.sleep,
                 clock=time.monotonic):
        import gtts

        self.version = gtts.__version__
        self.timeout_s = timeout_s
        self.retries = retries
        self.sleep = sleep
        self.clock = clock

    def synthesize(self, text: str, **_settings) -> tuple[np.ndarray, int]:
        pieces = []
        gap = np.zeros(int(RATE * CHUNK_GAP_S), dtype=np.int16)
        for chunk in chunk_text(text):
            mp3 = fetch_mp3(chunk, self.timeout_s, self.retries, self.sleep, self.clock)
            pieces += [decode_mp3(mp3)[0], gap]
        if not pieces:   # only punctuation: nothing to ask Google for
            return np.zeros(int(RATE * 0.25), dtype=np.int16), RATE
        return np.concatenate(pieces[:-1]), RATE

    def reachable(self, timeout_s: float = 3.0) -> bool:
        """Whether Google's endpoint accepts a connection, answered within *timeout_s*:
        directly, or through the proxy that gTTS would use (HTTPS_PROXY, NO_PROXY)."""
        proxy = https_proxy(f"https://{HOST}/")

        def connect():
            if proxy is None:
                socket.create_connection((HOST, 443), timeout=timeout_s).close()
            else:
                _tunnel(proxy, timeout_s)

        try:
            _within(timeout_s, connect)
            return True
        except (OSError, _Retry):
            return False


def https_proxy(url: str) -> str | None:
    """The proxy URL that requests (and so gTTS) would use for *url*, or None."""
    from requests.utils import get_environ_proxies, select_proxy

    return select_proxy(url, get_environ_proxies(url))


def proxy_label(proxy: str) -> str:
    """A proxy URL fit to print: without its user name and password."""
    from urllib.parse import urlsplit

    parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


def _tunnel(proxy: str, timeout_s: float) -> None:
    """Ask an HTTP proxy for a tunnel to HOST:443; OSError unless it grants one."""
    import base64
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    if not parts.hostname:
        raise OSError(f"cannot read the proxy address {proxy!r}")
    port = parts.port or {"https": 443}.get(parts.scheme, 80)
    with socket.create_connection((parts.hostname, port), timeout=timeout_s) as sock:
        if parts.scheme.startswith("socks"):
            return   # the proxy answers; what lies beyond it, only a request would tell
        request = f"CONNECT {HOST}:443 HTTP/1.1\r\nHost: {HOST}:443\r\n"
        if parts.username:
            secret = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
            request += f"Proxy-Authorization: Basic {base64.b64encode(secret.encode()).decode()}\r\n"
        sock.sendall((request + "\r\n").encode())
        status = sock.recv(4096).split(b"\r\n", 1)[0].split()
        if len(status) < 2 or status[1] != b"200":
            raise OSError(f"the proxy refused: {b' '.join(status[1:]).decode(errors='replace')}")
